// Privileges a route can declare. Deny by default: every route names one, and the server refuses
// to register a route without it. Per-camera privileges of the manual extend this union later.
export const Privileges = ['public', 'setup', 'authenticated', 'administrator'] as const;
export type Privilege = (typeof Privileges)[number];

/** Roles of the manual: Administrator, Operator, Viewer. */
export const Roles = ['administrator', 'operator', 'viewer'] as const;
export type Role = (typeof Roles)[number];
