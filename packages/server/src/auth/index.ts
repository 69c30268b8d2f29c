// auth/: local users, password hashing, sessions, API tokens, login throttling, setup guard.
export { AuthService, TOKEN_PREFIX, type Principal, type AuthServiceOptions } from './auth-service.js';
export { hashPassword, verifyPassword, PASSWORD_HASH_PARAMS } from './password-hasher.js';
export { LoginThrottle, type LoginThrottleOptions } from './login-throttle.js';
export { isLoopback, setupAllowed } from './setup-guard.js';
