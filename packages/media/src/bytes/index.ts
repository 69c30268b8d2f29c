// Public surface of bytes/: re-exported by the package entry.
export {};
