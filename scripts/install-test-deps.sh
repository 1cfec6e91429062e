#!/usr/bin/env bash
# Installs what the test suite needs beyond npm packages: a real redis-server 7 and
# redis-tools (redis-cli, redis-benchmark) to compare Spinel with. Uses apt-get when
# they are missing; does nothing when they are already on PATH.
set -euo pipefail

if command -v redis-server >/dev/null && command -v redis-cli >/dev/null && command -v redis-benchmark >/dev/null; then
  exit 0
fi

if ! command -v apt-get >/dev/null; then
  echo "install-test-deps: redis-server and redis-tools are missing and apt-get is not available;" >&2
  echo "install Redis 7 (redis-server, redis-cli, redis-benchmark) and run again." >&2
  exit 1
fi

SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends redis-server redis-tools >/dev/null
redis-server --version
