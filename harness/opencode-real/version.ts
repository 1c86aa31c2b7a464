// The release of OpenCode that `--opencode real` installs and the mock's shapes were recorded from.

export const OPENCODE_VERSION = '1.18.33';
export const OPENCODE_PACKAGE = `opencode-ai@${OPENCODE_VERSION}`;
