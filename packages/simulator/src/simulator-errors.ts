// Stable error codes of @argus/simulator. Failures throw MediaError (from @argus/media) with one of
// these codes so callers branch on the code; messages never carry credentials.
export const ERR_SIM_OPTIONS = 'ARGUS_ERR_SIM_OPTIONS' as const;
export const ERR_SIM_SCENARIO = 'ARGUS_ERR_SIM_SCENARIO' as const;
export const ERR_SIM_FIXTURE = 'ARGUS_ERR_SIM_FIXTURE' as const;
export const ERR_SIM_UNKNOWN_CAMERA = 'ARGUS_ERR_SIM_UNKNOWN_CAMERA' as const;
export const ERR_SIM_FAULT = 'ARGUS_ERR_SIM_FAULT' as const;
export const ERR_SIM_XML = 'ARGUS_ERR_SIM_XML' as const;
export const ERR_SIM_DNS = 'ARGUS_ERR_SIM_DNS' as const;
export const ERR_SIM_REQUEST = 'ARGUS_ERR_SIM_REQUEST' as const;
