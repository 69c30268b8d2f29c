// Public surface of sdp/: re-exported by the package entry.
export {};
