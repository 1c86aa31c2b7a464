#!/bin/sh
# A stand-in for `opencode serve` (no 177 MiB binary needed): $1 says how it behaves.
case "$1" in
  ready) echo "Warning: OPENCODE_SERVER_PASSWORD is not set; server is unsecured."; echo "opencode server listening on http://127.0.0.1:4999"; exec sleep 60 ;;
  exit) echo "ServeError: port busy" >&2; exit 3 ;;
  silent) exec sleep 60 ;;
esac
