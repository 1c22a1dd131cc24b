#!/usr/bin/env bash
# The page tests drive Debian's Chromium (never a browser downloaded by a test tool): install it when missing.
set -euo pipefail
[ -x /usr/bin/chromium ] && exit 0
echo "chromium: installing Debian's chromium package"
if [ "$(id -u)" -eq 0 ]; then sudo=""; elif command -v sudo >/dev/null; then sudo="sudo"; else
  echo "chromium: /usr/bin/chromium is missing and this user cannot apt-get install it: install the chromium package" >&2
  exit 1
fi
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
[ -x /usr/bin/chromium ] || { echo "chromium: the install did not provide /usr/bin/chromium" >&2; exit 1; }
