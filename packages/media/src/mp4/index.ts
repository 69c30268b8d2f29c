// Public surface of mp4/: re-exported by the package entry.
export {};
