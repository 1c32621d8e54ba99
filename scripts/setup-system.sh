#!/usr/bin/env bash
# Installs the system packages Switchboard needs on Debian/Ubuntu, only when missing:
# Chromium (browser tests, the caller page), pocketsphinx + its library and US English model
# (local speech recognition, in-process through koffi), pocketsphinx-testdata (real recorded
# speech for `npm run bench -- stt`), flite (local speech synthesis and test caller voices), sox (audio
# tools). Used by `npm run setup` and by CI (.ci/run). Other platforms: see README.md.
set -euo pipefail

packages=(chromium pocketsphinx libpocketsphinx3 pocketsphinx-en-us pocketsphinx-testdata flite sox)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "setup-system: all system packages present (${packages[*]})"
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "setup-system: missing ${missing[*]}, and apt-get is not available here." >&2
  echo "setup-system: install them with your package manager (see README.md, 'Other platforms')." >&2
  exit 1
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "setup-system: installing ${missing[*]}"
$SUDO apt-get update
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends "${missing[@]}"
