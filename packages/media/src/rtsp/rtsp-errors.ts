// Stable error codes of the RTSP client and server (RFC 2326 / RFC 7826). Callers branch on these;
// messages never contain credentials (URLs in messages are redacted).
export const ERR_RTSP_TIMEOUT = 'ARGUS_ERR_RTSP_TIMEOUT' as const;
export const ERR_RTSP_AUTH = 'ARGUS_ERR_RTSP_AUTH' as const;
export const ERR_RTSP_STATUS = 'ARGUS_ERR_RTSP_STATUS' as const;
export const ERR_RTSP_PROTOCOL = 'ARGUS_ERR_RTSP_PROTOCOL' as const;
export const ERR_RTSP_TOO_LARGE = 'ARGUS_ERR_RTSP_TOO_LARGE' as const;
export const ERR_RTSP_CONNECT = 'ARGUS_ERR_RTSP_CONNECT' as const;
export const ERR_RTSP_CLOSED = 'ARGUS_ERR_RTSP_CLOSED' as const;
export const ERR_RTSP_ABORTED = 'ARGUS_ERR_RTSP_ABORTED' as const;
export const ERR_RTSP_URL = 'ARGUS_ERR_RTSP_URL' as const;
export const ERR_RTSP_TRANSPORT = 'ARGUS_ERR_RTSP_TRANSPORT' as const;
