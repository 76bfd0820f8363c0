#!/usr/bin/env bash
# Build Cairn and run the server on its embedded defaults: data in ./.cairn, http://127.0.0.1:4566, account 000000000000.
# Also puts `cairn` on PATH: a link in ~/.local/bin when that directory is on PATH, else it prints the line to add.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build src/Cairn.Cli -c Release -nologo -v quiet
cairn="$PWD/src/Cairn.Cli/bin/Release/net10.0/cairn"
bash scripts/link-cairn.sh "$cairn"
# Full speed within about a second of start, not half speed for 4 s and more (docs/performance.md, "A fresh server"):
# the server tiers up without the call-counting delay and the instrumented tier. Only for the server: a short
# `cairn build` is faster with the runtime's defaults.
export DOTNET_TC_CallCountingDelayMs="${DOTNET_TC_CallCountingDelayMs:-0}" DOTNET_TieredPGO="${DOTNET_TieredPGO:-0}"
exec "$cairn" serve "$@"
