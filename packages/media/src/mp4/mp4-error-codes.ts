// Stable error codes of the MP4 writers and reader (TRUNCATED/MALFORMED live in bytes/, whose reader raises them).
/** A track configuration cannot be written (no SPS, wrong sizes, unsupported codec). */
export const ARGUS_ERR_MP4_BAD_CONFIG = 'ARGUS_ERR_MP4_BAD_CONFIG';
/** Samples given to a writer are inconsistent (decode time going backwards, unknown track...). */
export const ARGUS_ERR_MP4_BAD_SAMPLES = 'ARGUS_ERR_MP4_BAD_SAMPLES';
/** A box is larger than the reader's stated limit; refused rather than buffered. */
export const ARGUS_ERR_MP4_BOX_TOO_LARGE = 'ARGUS_ERR_MP4_BOX_TOO_LARGE';
/** A well-formed file the reader does not handle (e.g. NAL length size other than 1, 2 or 4). */
export const ARGUS_ERR_MP4_UNSUPPORTED = 'ARGUS_ERR_MP4_UNSUPPORTED';
