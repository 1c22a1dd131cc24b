#!/usr/bin/env bash
# The page tests drive Debian's Chromium and Firefox ESR (never a browser downloaded by a test tool): install the
# ones that are missing.
set -euo pipefail
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -x /usr/bin/firefox-esr ] || missing+=(firefox-esr)
[ ${#missing[@]} -eq 0 ] && exit 0
echo "browsers: installing Debian's ${missing[*]}"
if [ "$(id -u)" -eq 0 ]; then sudo=""; elif command -v sudo >/dev/null; then sudo="sudo"; else
  echo "browsers: ${missing[*]} missing and this user cannot apt-get install: install the Debian packages ${missing[*]}" >&2
  exit 1
fi
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
for binary in /usr/bin/chromium /usr/bin/firefox-esr; do
  [ -x "$binary" ] || { echo "browsers: the install did not provide $binary" >&2; exit 1; }
done
