// Privileges a route can declare. Deny by default: every route names one, and the server refuses
// to register a route without it. Per-camera privileges of the manual extend this union later.
// liveVideo: any logged-in role; recordedVideo: Administrator and Operator (the manual: "A viewer
// doesn't have access to recorded video"); manualRecording ("Allow starting and stopping
// recordings manually"): Administrator and Operator until per-camera grants come.
export const Privileges = [
  'public',
  'setup',
  'authenticated',
  'administrator',
  'liveVideo',
  'recordedVideo',
  'manualRecording',
] as const;
export type Privilege = (typeof Privileges)[number];

/** Roles of the manual: Administrator, Operator, Viewer. */
export const Roles = ['administrator', 'operator', 'viewer'] as const;
export type Role = (typeof Roles)[number];

/** The roles a privilege admits once logged in; 'public' and 'setup' need no login at all. */
export const PrivilegeRoles: Record<Exclude<Privilege, 'public' | 'setup'>, readonly Role[]> = {
  authenticated: Roles,
  liveVideo: Roles,
  recordedVideo: ['administrator', 'operator'],
  manualRecording: ['administrator', 'operator'],
  administrator: ['administrator'],
};
