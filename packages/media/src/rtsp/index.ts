// Public surface of rtsp/: re-exported by the package entry.
export {};
