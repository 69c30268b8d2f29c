// Public surface of codec/: re-exported by the package entry.
export {};
