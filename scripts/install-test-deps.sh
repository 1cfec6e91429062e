#!/usr/bin/env bash
# Installs what the test suite needs beyond npm packages: a real redis-server 7,
# redis-tools (redis-cli, redis-benchmark, redis-check-rdb/aof) and redis-sentinel
# (the high-availability test), to compare Spinel with. Uses apt-get
# (non-interactive) when they are missing; does nothing when they are on PATH.
# Fails with an explanation when they cannot be installed or are older than 7.
set -euo pipefail

have_tools() {
  command -v redis-server >/dev/null && command -v redis-cli >/dev/null && command -v redis-benchmark >/dev/null &&
    command -v redis-sentinel >/dev/null
}

if ! have_tools; then
  if ! command -v apt-get >/dev/null; then
    echo "install-test-deps: redis-server and redis-tools are missing and apt-get is not available;" >&2
    echo "install Redis 7 (redis-server, redis-cli, redis-benchmark) and run again." >&2
    exit 1
  fi
  SUDO=""
  if [ "$(id -u)" != "0" ]; then
    if ! command -v sudo >/dev/null; then
      echo "install-test-deps: not root and no sudo: install redis-server and redis-tools (Redis 7) as root." >&2
      exit 1
    fi
    SUDO="sudo -n"
  fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends redis-server redis-tools redis-sentinel >/dev/null
fi

version=$(redis-server --version | sed -n 's/.* v=\([0-9][0-9]*\)\..*/\1/p')
if [ -z "$version" ] || [ "$version" -lt 7 ]; then
  echo "install-test-deps: $(redis-server --version)" >&2
  echo "install-test-deps: the differential tests need redis-server 7 (Redis 7 is the specification)." >&2
  exit 1
fi
redis-server --version
