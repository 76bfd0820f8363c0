#!/usr/bin/env bash
# Puts the cairn at $1 on PATH: a link in ~/.local/bin when that directory is on PATH (made if missing), otherwise
# prints where cairn is and the line that adds it to PATH. Says nothing when `cairn` already runs that file.
set -euo pipefail
cairn=$1
current=$(command -v cairn || true)
if [ -n "$current" ] && [ "$(readlink -f "$current")" = "$(readlink -f "$cairn")" ]; then exit 0; fi
bin="$HOME/.local/bin"
case ":$PATH:" in
  *":$bin:"*)
    mkdir -p "$bin" && ln -sf "$cairn" "$bin/cairn"
    echo "cairn: linked $bin/cairn -> $cairn" >&2 ;;
  *)
    echo "cairn is at $cairn; to run it as \`cairn\`: export PATH=\"$(dirname "$cairn"):\$PATH\"" >&2
    echo "  (or one file that needs no .NET: bash scripts/publish.sh -> artifacts/cairn)" >&2 ;;
esac
