#!/usr/bin/env bash
# Installs and starts what the test suite drives for real, idempotently: the aws CLI v2 and boto3 (Debian's), git,
# Docker (docker.io; dockerd is started when it is not running), docker-registry and htpasswd (apache2-utils) for the
# end-to-end registry, busybox-static for the end-to-end base image (made here with docker import: no image is ever
# pulled from a registry), kubectl (kubernetes-client) for the EKS deploy's `kubectl apply --dry-run=client` check of
# the example manifest, docker-compose (v1, Debian's) for the `config` check of deploy/compose/docker-compose.yml, postgresql (Debian's 15; the storage tests start their own throwaway cluster with its initdb and
# pg_ctl, never the packaged service: docs/dev/postgres.md), and chromium for the dashboard's browser tests (Playwright drives /usr/bin/chromium and never
# downloads a browser). The end-to-end tests start their own registry (127.0.0.1, htpasswd auth) per run.
set -uo pipefail
need=()
[ -x /usr/bin/aws ] || need+=(awscli)
/usr/bin/python3 -c 'import boto3' 2>/dev/null || need+=(python3-boto3)
command -v git >/dev/null || need+=(git)
command -v docker >/dev/null || need+=(docker.io)
command -v dockerd >/dev/null || need+=(docker.io)
command -v docker-registry >/dev/null || need+=(docker-registry)
command -v htpasswd >/dev/null || need+=(apache2-utils)
[ -x /bin/busybox ] || [ -x /usr/bin/busybox ] || need+=(busybox-static)
command -v bwrap >/dev/null || need+=(bubblewrap)
command -v kubectl >/dev/null || need+=(kubernetes-client)
command -v docker-compose >/dev/null || need+=(docker-compose)
[ -x /usr/bin/chromium ] || need+=(chromium)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null || need+=(postgresql)
if [ ${#need[@]} -gt 0 ]; then
  mapfile -t need < <(printf '%s\n' "${need[@]}" | sort -u)
  if [ "$(id -u)" = 0 ]; then
    echo "installing: ${need[*]}"
    apt-get update -qq >/dev/null 2>&1 || true
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null 2>&1 || echo "warning: apt-get install ${need[*]} failed"
  else
    echo "warning: missing ${need[*]} and not root; the tests that need them will fail"
  fi
fi

# dockerd: start it when no engine answers (its log goes to /var/log/cairn-dockerd.log).
if command -v docker >/dev/null && ! docker version >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v dockerd >/dev/null; then
    echo "starting dockerd"
    nohup dockerd >/var/log/cairn-dockerd.log 2>&1 &
    for _ in $(seq 1 60); do docker version >/dev/null 2>&1 && break; sleep 1; done
    docker version >/dev/null 2>&1 || echo "warning: dockerd did not come up; see /var/log/cairn-dockerd.log. The end-to-end tests will fail."
  else
    echo "warning: no Docker engine answers and dockerd cannot be started here; the end-to-end tests will fail"
  fi
fi

# The end-to-end base image: busybox-static in an otherwise empty root filesystem, made with docker import.
base_image=cairn-e2e/busybox:1
if docker version >/dev/null 2>&1 && ! docker image inspect "$base_image" >/dev/null 2>&1; then
  busybox=$(command -v busybox || true)
  if [ -n "$busybox" ]; then
    root=$(mktemp -d)
    mkdir -p "$root/bin" "$root/tmp" "$root/etc" "$root/root" "$root/usr/bin" "$root/var/run"
    cp "$busybox" "$root/bin/busybox"
    for applet in $("$root/bin/busybox" --list); do [ -e "$root/bin/$applet" ] || ln -s busybox "$root/bin/$applet"; done
    echo 'root:x:0:0:root:/root:/bin/sh' > "$root/etc/passwd"
    tar -C "$root" -c . | docker import --change 'ENV PATH=/usr/local/bin:/usr/bin:/bin' - "$base_image" >/dev/null \
      && echo "imported $base_image" || echo "warning: docker import of $base_image failed"
    rm -rf "$root"
  fi
fi
exit 0
