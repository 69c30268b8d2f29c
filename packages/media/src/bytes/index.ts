// Public surface of bytes/: big-endian ByteWriter/ByteReader shared by the MP4 code.
export * from './byte-error-codes.js';
export * from './byte-writer.js';
export * from './byte-reader.js';
