#!/usr/bin/env bash
# Publishes `cairn` as one self-contained file for linux-x64 that needs no .NET on the machine it runs on: the .NET
# runtime and SQLite's native library (libe_sqlite3.so, extracted under ~/.net on first start) are inside it.
# Compiled ahead of time (ReadyToRun): a one-command `cairn build` starts in about 200 ms instead of 300 (docs/performance.md).
# Output: artifacts/cairn. Copy it anywhere on PATH, e.g. `install -m 755 artifacts/cairn ~/.local/bin/`.
set -euo pipefail
cd "$(dirname "$0")/.."
out=artifacts/publish
# Single file and ReadyToRun are set in src/Cairn.Cli/Cairn.Cli.csproj for a runtime-specific build (no .pdb: Release
# builds of src/ have none): given here with -p they would reach every referenced project and recompile it
# (docs/performance.md, "The test suite's publish of artifacts/cairn").
dotnet publish src/Cairn.Cli -c Release -r linux-x64 --self-contained -nologo -v quiet -o "$out"
install -m 755 "$out/cairn" artifacts/cairn
echo "artifacts/cairn: $("$PWD/artifacts/cairn" --version) ($(du -h artifacts/cairn | cut -f1), self-contained linux-x64)"
