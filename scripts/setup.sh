#!/usr/bin/env bash
# Installs the Debian 12 packages listed in scripts/debian-packages.txt (only
# the missing ones, so a second run is quick and needs no network).
# Uses sudo when not root. Safe to run again.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
mapfile -t pkgs < <(sed -e 's/#.*//' -e 's/[[:space:]]//g' "$here/debian-packages.txt" | grep -v '^$')
# KIOSK_EXTRA_PACKAGES: more packages for one purpose (benchmarks' anchors).
if [ -n "${KIOSK_EXTRA_PACKAGES:-}" ]; then
  read -r -a extra <<<"$KIOSK_EXTRA_PACKAGES"
  pkgs=("${extra[@]}")
fi
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#pkgs[@]} Debian packages present"
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "setup: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  SUDO=sudo
fi
echo "setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
