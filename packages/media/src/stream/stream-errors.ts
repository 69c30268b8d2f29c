// Stable error codes of stream/ (RTSP source to access units to fMP4 recording). Callers branch on
// the code; messages never contain credentials (URLs are redacted by the RTSP client).
export const ERR_STREAM_NO_TRACKS = 'ARGUS_ERR_STREAM_NO_TRACKS' as const;
export const ERR_STREAM_TRACK_CONFIG = 'ARGUS_ERR_STREAM_TRACK_CONFIG' as const;
export const ERR_STREAM_NO_MEDIA = 'ARGUS_ERR_STREAM_NO_MEDIA' as const;
export const ERR_STREAM_WRITE = 'ARGUS_ERR_STREAM_WRITE' as const;
export const ERR_STREAM_STATE = 'ARGUS_ERR_STREAM_STATE' as const;
