// storage/: recording files on disk. Storage locations and their identity files, free space, the
// file layout, the segment file writer, and reading a file back from its own content. No SQL.
export * from './storage-error.js';
export {
  IDENTITY_FILE,
  initStorageIdentity,
  verifyStorageIdentity,
  type StorageIdentity,
} from './storage-identity.js';
export {
  StorageLocation,
  QUARANTINE_DIR,
  type SpaceInfo,
  type StorageLocationSpec,
} from './storage-location.js';
export { SegmentFile } from './segment-file.js';
export { SegmentReader } from './segment-reader.js';
export {
  parseSegmentPath,
  segmentRelativePath,
  utcDateFolder,
  type SegmentPathInfo,
  type SegmentStreamKind,
} from './segment-path.js';
export {
  FRAGMENT_ENTRY_BYTES,
  packFragmentEntries,
  unpackFragmentEntries,
  type FragmentEntry,
} from './fragment-index.js';
export {
  scanSegmentFile,
  type ScannedFragment,
  type ScannedVideoTrack,
  type SegmentFileScan,
} from './segment-file-scan.js';
