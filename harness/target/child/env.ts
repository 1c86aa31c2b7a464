// Names of the environment variables through which the launcher tells the child what to run.
export const ENV = {
  host: 'CHURNLAB_HOST',
  target: 'CHURNLAB_TARGET',
  /** JSON object. */
  options: 'CHURNLAB_OPTIONS',
  virtualEpochMs: 'CHURNLAB_VIRTUAL_EPOCH_MS',
} as const;
