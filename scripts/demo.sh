#!/usr/bin/env bash
# Sets everything up and runs the kiosk with the built-in demo data.
#   scripts/demo.sh                 fullscreen on the attached panel
#   scripts/demo.sh --windowed 1080x1920   any kiosk option is passed through
# Without a display it runs the kiosk under Xvfb (virtual screen) when
# KIOSK_XVFB=1; otherwise it tours the screens headless, saves screenshots
# and says how to run it on a screen.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
scripts/setup.sh
cmake --preset default >/dev/null
cmake --build --preset default
data=${KIOSK_DATA:-$root/build/demo-data}
mkdir -p "$data"
args=(--config "$root/assets/demo/kiosk.ini" --data-dir "$data" "$@")
kiosk="$root/build/default/kiosk/app/kiosk"
if [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ] || [ -e /dev/dri/card0 -a -z "${KIOSK_XVFB:-}" ]; then
  exec "$kiosk" "${args[@]}"
fi
if [ -n "${KIOSK_XVFB:-}" ]; then
  echo "demo: no display; running under Xvfb on :99 (look at it: xwd -root -display :99 | convert xwd:- shot.png)"
  exec xvfb-run -n 99 -s "-screen 0 1080x1920x24" "$kiosk" "${args[@]}"
fi
# No display at all: tour the kiosk headless and show where the pictures are.
shots="$root/build/demo-shots"
mkdir -p "$shots"
"$kiosk" "${args[@]}" --headless --script "$root/tests/ui/scripts/tour.script" --shots "$shots"
cat <<MSG
demo: there is no display here (DISPLAY is not set), so the kiosk toured its screens
headless with the demo data and saved what it showed in $shots:
$(ls "$shots" | sed 's/^/  /')
  On the kiosk's panel:   run this script from the desktop session (or with DISPLAY set).
  On a virtual screen:    KIOSK_XVFB=1 $0
  Your own tour:          $kiosk ${args[*]} --headless --script FILE --shots DIR   (see kiosk/app/harness.h)
MSG
