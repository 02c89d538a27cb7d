#!/usr/bin/env bash
# Thin wrapper: the behaviour lives in the compiled commander program.
bin="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cli="$bin/../dist/src/cli/main.js"
if [ ! -f "$cli" ]; then
  echo "tsflink is not built: run 'npm install' in $(cd "$bin/.." && pwd) first." >&2
  exit 1
fi
exec "${TSFLINK_NODE:-node}" "$cli" start-zookeeper-quorum "$@"
