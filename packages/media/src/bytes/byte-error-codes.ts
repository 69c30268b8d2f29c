// Stable error codes of the byte utilities. The MP4 codes live here because ByteReader is the MP4
// parsers' only way to touch input bytes, so every overrun surfaces as one of these.
/** Input ended before a structure did (a torn file or an incomplete chunk). */
export const ARGUS_ERR_MP4_TRUNCATED = 'ARGUS_ERR_MP4_TRUNCATED';
/** Input is complete but inconsistent (a field points outside its box, an impossible value). */
export const ARGUS_ERR_MP4_MALFORMED = 'ARGUS_ERR_MP4_MALFORMED';
/** A writer was asked to encode a value that does not fit its field (caller bug). */
export const ARGUS_ERR_BYTES_OUT_OF_RANGE = 'ARGUS_ERR_BYTES_OUT_OF_RANGE';
