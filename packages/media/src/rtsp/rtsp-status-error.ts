// A non-success RTSP status (RFC 2326 §7.1.1) as a MediaError that keeps the status code, so
// callers can tell 404 (wrong path) from 503 (camera busy) without parsing messages.
import { MediaError } from '../media-error.js';
import { ERR_RTSP_STATUS } from './rtsp-errors.js';

export class RtspStatusError extends MediaError {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(ERR_RTSP_STATUS, message);
  }
}
