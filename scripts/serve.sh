#!/usr/bin/env bash
# Build Cairn and run the server on its embedded defaults: data in ./.cairn, http://127.0.0.1:4566, account 000000000000.
# Also puts `cairn` on PATH: a link in ~/.local/bin when that directory is on PATH, else it prints the line to add.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build src/Cairn.Cli -c Release -nologo -v quiet
cairn="$PWD/src/Cairn.Cli/bin/Release/net10.0/cairn"
bash scripts/link-cairn.sh "$cairn"
exec "$cairn" serve "$@"
