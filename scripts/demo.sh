#!/usr/bin/env bash
# Sets everything up and runs the kiosk with the built-in demo data.
#   scripts/demo.sh                 fullscreen on the attached panel
#   scripts/demo.sh --windowed 1080x1920   any kiosk option is passed through
# Without a display it runs the kiosk under Xvfb (virtual screen) when
# KIOSK_XVFB=1, or tells you how to run it headless.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/setup.sh"
cmake --preset default -S "$root" >/dev/null
cmake --build --preset default
data=${KIOSK_DATA:-$root/build/demo-data}
mkdir -p "$data"
args=(--config "$root/assets/demo/kiosk.ini" --data-dir "$data" "$@")
kiosk="$root/build/default/kiosk/app/kiosk"
if [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ] || [ -e /dev/dri/card0 -a -z "${KIOSK_XVFB:-}" ]; then
  exec "$kiosk" "${args[@]}"
fi
if [ -n "${KIOSK_XVFB:-}" ]; then
  echo "demo: no display; running under Xvfb on :99 (screenshots: xwd -root -display :99)"
  exec xvfb-run -n 99 -s "-screen 0 1080x1920x24" "$kiosk" "${args[@]}"
fi
cat <<MSG
demo: built, but there is no display here (DISPLAY is not set).
  On the kiosk's panel:      run this script from the desktop session or a console with DRM/KMS.
  Virtual screen (Xvfb):     KIOSK_XVFB=1 $0
  Headless screenshots:      $kiosk ${args[*]} --headless --script $root/tests/ui/scripts/tour.script --shots /tmp/kiosk-shots
MSG
exit 2
