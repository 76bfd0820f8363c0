#!/usr/bin/env bash
# Build Cairn and run the server on its embedded defaults: data in ./.cairn, http://127.0.0.1:4566, account 000000000000.
# Also puts `cairn` on PATH: a link in ~/.local/bin when that directory is on PATH, else it prints the line to add.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build src/Cairn.Cli -c Release -nologo -v quiet
cairn="$PWD/src/Cairn.Cli/bin/Release/net10.0/cairn"
if [ "$(command -v cairn || true)" != "$cairn" ] && [ "$(readlink -f "$(command -v cairn || echo /nonexistent)")" != "$cairn" ]; then
  bin="$HOME/.local/bin"
  case ":$PATH:" in
    *":$bin:"*) mkdir -p "$bin" && ln -sf "$cairn" "$bin/cairn" && echo "cairn: linked $bin/cairn -> $cairn" >&2 ;;
    *) echo "cairn is at $cairn; to run it as \`cairn\`: export PATH=\"$(dirname "$cairn"):\$PATH\"" >&2
       echo "  (or build one file that needs no .NET: bash scripts/publish.sh -> artifacts/cairn)" >&2 ;;
  esac
fi
exec "$cairn" serve "$@"
