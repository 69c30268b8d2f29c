// base/: clock, logger, errors, ids and configuration. Imports nothing internal.
export * from './clock.js';
export * from './argus-error.js';
export * from './ids.js';
export * from './logger.js';
export * from './config.js';
