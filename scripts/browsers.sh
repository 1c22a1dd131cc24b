#!/usr/bin/env bash
# The page tests drive Debian's Chromium, Firefox ESR and WebKitGTK (through WebKitWebDriver, under Xvfb), never a
# browser downloaded by a test tool; threadlab.py's tests run in Debian's python3: install the Debian packages that
# are missing.
set -euo pipefail
declare -A provides=(
  [chromium]=/usr/bin/chromium
  [firefox-esr]=/usr/bin/firefox-esr
  [webkit2gtk-driver]=/usr/bin/WebKitWebDriver
  [xvfb]=/usr/bin/Xvfb
  [python3]=/usr/bin/python3
)
missing=()
for package in "${!provides[@]}"; do
  [ -x "${provides[$package]}" ] || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "browsers: installing Debian's ${missing[*]}"
if [ "$(id -u)" -eq 0 ]; then sudo=""; elif command -v sudo >/dev/null; then sudo="sudo"; else
  echo "browsers: ${missing[*]} missing and this user cannot apt-get install: install the Debian packages ${missing[*]}" >&2
  exit 1
fi
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
for package in "${missing[@]}"; do
  [ -x "${provides[$package]}" ] || { echo "browsers: the install did not provide ${provides[$package]}" >&2; exit 1; }
done
