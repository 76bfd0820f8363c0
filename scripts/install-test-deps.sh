#!/usr/bin/env bash
# Installs what the test suite drives for real: the aws CLI v2 and boto3 (Debian's), git, Docker, a registry.
set -uo pipefail
need=()
[ -x /usr/bin/aws ] || need+=(awscli)
/usr/bin/python3 -c 'import boto3' 2>/dev/null || need+=(python3-boto3)
command -v git >/dev/null || need+=(git)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "installing: ${need[*]}"
    apt-get update -qq >/dev/null 2>&1 || true
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null 2>&1 || echo "warning: apt-get install ${need[*]} failed"
  else
    echo "warning: missing ${need[*]} and not root; compatibility tests that need them will fail"
  fi
fi
