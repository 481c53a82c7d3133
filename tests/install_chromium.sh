#!/usr/bin/env bash
# Installs Debian's chromium for the browser smoke test (tests/test_ui_browser.py).
# Idempotent: does nothing when /usr/bin/chromium exists. Installs only as root (apt-get);
# otherwise says so and leaves the test to skip with that reason.
set -euo pipefail

CHROMIUM=/usr/bin/chromium

if [[ -x "$CHROMIUM" ]]; then
    echo "chromium: already installed at $CHROMIUM"
    exit 0
fi
if [[ "$(id -u)" -ne 0 ]]; then
    echo "chromium: missing at $CHROMIUM and not root, not installing (run: sudo apt-get install chromium)"
    exit 0
fi
if ! command -v apt-get >/dev/null; then
    echo "chromium: missing at $CHROMIUM and no apt-get on this system, not installing"
    exit 0
fi
echo "chromium: installing the Debian package (apt-get update; apt-get install chromium)"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends chromium >/dev/null
echo "chromium: installed $("$CHROMIUM" --version)"
