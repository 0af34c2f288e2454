// `DEFAULT_FLAGS`: the `descriptor-flags` a descriptor starts from in every filesystem
// backend of WASI 0.2 and 0.3 (preopens add `write`; `open-at` adds what the guest asks).

/** The flags of a preopened directory's descriptor (plus `write` for the preopens). */
export const DEFAULT_FLAGS = {
  read: true,
  write: false,
  fileIntegritySync: false,
  dataIntegritySync: false,
  requestedWriteSync: false,
  mutateDirectory: true,
};
