#!/usr/bin/env bash
# Build Cairn and run the server on its embedded defaults: data in ./.cairn, http://127.0.0.1:4566, account 000000000000.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build src/Cairn.Cli -c Release -nologo -v quiet
exec dotnet src/Cairn.Cli/bin/Release/net10.0/cairn.dll serve "$@"
