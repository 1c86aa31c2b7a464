// What reading each plugin's published code confirmed about its run: the file:line that keeps the
// entries of a leak, or why a run says what it says. Written by hand after a field run, keyed by
// package name; docs/field.md prints each under its plugin.
export const FIELD_FINDINGS: Record<string, string> = {};
