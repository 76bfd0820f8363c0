#!/usr/bin/env bash
# Makes the Python base image the pipeline end-to-end test builds examples/flask-app on: no registry can be pulled
# from here, so a minimal Debian (debootstrap, from the Debian mirror apt uses) with python3-flask is imported as
# cairn-e2e/python-flask:bookworm. The root filesystem is cached in /var/cache/cairn (a few minutes to make, once);
# a lock lets scripts/test.sh start it in the background while the test that needs it waits for it.
set -euo pipefail
image="cairn-e2e/python-flask:bookworm"
cache=/var/cache/cairn
archive="$cache/python-flask-bookworm.tar"
mkdir -p "$cache"
exec 9>"$cache/python-image.lock"
flock 9
if docker image inspect "$image" >/dev/null 2>&1; then
  exit 0
fi
if [ ! -s "$archive" ]; then
  command -v debootstrap >/dev/null || { apt-get update -qq && apt-get install -y -qq debootstrap >/dev/null; }
  mirror=$(sed -n 's/^URIs: *//p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -1)
  root=$(mktemp -d)
  debootstrap --variant=minbase --include=python3-flask,python-is-python3 bookworm "$root" "${mirror:-http://deb.debian.org/debian}" >"$cache/debootstrap.log" 2>&1 \
    || { echo "debootstrap failed; see $cache/debootstrap.log" >&2; rm -rf "$root"; exit 1; }
  rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
  tar -C "$root" -cf "$archive.partial" . && mv "$archive.partial" "$archive"
  rm -rf "$root"
fi
docker import "$archive" "$image" >/dev/null
echo "made $image"
