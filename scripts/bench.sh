#!/usr/bin/env bash
# Runs every benchmark and prints its figures next to the anchor it
# competes with, in the same run (benchmarks are not tests: nothing here
# asserts). Needs a quiet machine for meaningful numbers.
#   scripts/bench.sh                 all
#   ANCHORS=/path/to/anchors scripts/bench.sh   (default: ../shared/anchors)
#   SKIP_ANCHOR=1 scripts/bench.sh   without the Chromium run (it takes ~1 min)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
scripts/setup.sh
# The anchor's own needs (Chromium, xwd tools); installed only for benchmarks.
KIOSK_EXTRA_PACKAGES="chromium x11-utils" scripts/setup.sh
cmake --preset default >/dev/null
cmake --build --preset default >/dev/null
b=build/default
echo "=== UI: drawing the home screen (headless, software renderer)"
"$b/bench/ui/bench_ui"
echo
echo "=== UI: the kiosk under Xvfb 1080x1920, measured like the Chromium anchor"
bench/ui/kiosk-xvfb.sh "$b/kiosk/app/kiosk" software
bench/ui/kiosk-xvfb.sh "$b/kiosk/app/kiosk" opengl
anchors=${ANCHORS:-$root/../shared/anchors}
if [ -z "${SKIP_ANCHOR:-}" ] && [ -x "$anchors/anchor-chromium.sh" ]; then
  "$anchors/anchor-chromium.sh" 2>/dev/null | tail -n 1
else
  echo "(anchor not run: set ANCHORS to the folder with anchor-chromium.sh)"
fi
for extra in "$b"/bench/*/bench_*; do
  case $(basename "$extra") in bench_ui) continue ;; esac
  [ -x "$extra" ] || continue
  echo
  echo "=== $(basename "$extra")"
  "$extra"
done
