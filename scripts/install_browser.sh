#!/usr/bin/env bash
# Debian's chromium for the browser tests (Playwright drives it; no browser is ever downloaded by Playwright).
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" != "0" ]; then echo "chromium is missing: run 'apt-get install chromium' as root" >&2; exit 1; fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq chromium >/dev/null
