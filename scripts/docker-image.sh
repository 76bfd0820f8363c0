#!/usr/bin/env bash
# Builds Cairn's image (Dockerfile) without pulling anything: `bash scripts/docker-image.sh [TAG] [BASE_IMAGE]`.
# Without BASE_IMAGE, the base is made here with docker import from this machine's busybox and the libraries
# artifacts/cairn needs (glibc, libstdc++, libgcc_s, OpenSSL 3), as scripts/install-test-deps.sh makes the test base.
# Publishes artifacts/cairn first when it is missing. Prints the image's tag last.
set -euo pipefail
cd "$(dirname "$0")/.."
tag=${1:-cairn:local}
base=${2:-}
[ -x artifacts/cairn ] || bash scripts/publish.sh >&2
if [ -z "$base" ]; then
  base=cairn-local/glibc-base:1
  if ! docker image inspect "$base" >/dev/null 2>&1; then
    busybox=$(command -v busybox || true)
    [ -n "$busybox" ] || { echo "docker-image.sh: no busybox here (apt-get install busybox-static), or pass a BASE_IMAGE" >&2; exit 2; }
    root=$(mktemp -d)
    trap 'rm -rf "$root"' EXIT
    mkdir -p "$root/bin" "$root/tmp" "$root/etc" "$root/root" "$root/data"
    chmod 1777 "$root/tmp"
    cp "$busybox" "$root/bin/busybox"
    for applet in $("$root/bin/busybox" --list); do [ -e "$root/bin/$applet" ] || ln -s busybox "$root/bin/$applet"; done
    echo 'root:x:0:0:root:/root:/bin/sh' > "$root/etc/passwd"
    cp /etc/ld.so.cache "$root/etc/ld.so.cache"
    # The binary's own links, plus what .NET opens at run time (OpenSSL for hashing and AES-GCM, libstdc++ for SQLite's host).
    libs=$( { ldd artifacts/cairn; for l in libssl.so.3 libcrypto.so.3 libstdc++.so.6 libgcc_s.so.1 libz.so.1; do
              p=$(ldconfig -p | awk -v l="$l" '$1 == l && /x86-64/ { print $NF; exit }'); [ -n "$p" ] && echo "$p" && ldd "$p"; done; } \
            | grep -o '/[^ ]*' | sort -u)
    for lib in $libs; do
      [ -e "$lib" ] || continue
      mkdir -p "$root$(dirname "$lib")"
      cp -L "$lib" "$root$lib"
    done
    tar -C "$root" -c . | docker import --change 'ENV PATH=/usr/local/bin:/usr/bin:/bin' - "$base" >/dev/null
  fi
fi
docker build --quiet --build-arg "BASE_IMAGE=$base" -t "$tag" . >/dev/null
echo "$tag"
