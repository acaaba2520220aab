#!/usr/bin/env bash
# Screenshot test: runs the kiosk headless on SCRIPT at SIZE, then compares
# every PNG it wrote with tests/ui/ref/SET/NAME.png.
#   run-shots.sh KIOSK SHOTCMP SCRIPT SET SIZE [CONFIG]
# KIOSK_UPDATE_REFS=1 copies the new screenshots over the references
# instead (scripts/update-refs.sh does that for every set); look at them
# before you commit them. On a mismatch the actual and a diff image are
# left in the build tree: out/SET/NAME.png and NAME.diff.png.
set -euo pipefail
kiosk=$1 shotcmp=$2 script=$3 set=$4 size=$5 config=${6:-}
src=${KIOSK_SOURCE_DIR:?}
out=${KIOSK_BINARY_DIR:?}/tests/ui/out/$set
ref=$src/tests/ui/ref/$set
data=$(mktemp -d)
trap 'rm -rf "$data"' EXIT
rm -rf "$out"; mkdir -p "$out"
args=(--headless --size "$size" --data-dir "$data" --root "$src" --script "$script" --shots "$out")
[ -n "$config" ] && args+=(--config "$config")
# From the source root, so that paths in error messages on screen are the
# same relative ones on every machine.
(cd "$src" && "$kiosk" "${args[@]}") 2>"$out/kiosk.log" || { cat "$out/kiosk.log" >&2; exit 1; }
if [ "${KIOSK_UPDATE_REFS:-}" = 1 ]; then
  mkdir -p "$ref"
  cp "$out"/*.png "$ref"/
  echo "updated references in $ref"
  exit 0
fi
fail=0
n=0
for png in "$out"/*.png; do
  name=$(basename "$png" .png)
  case $name in *.diff) continue ;; esac
  n=$((n + 1))
  if [ ! -f "$ref/$name.png" ]; then
    echo "no reference $ref/$name.png (make one: KIOSK_UPDATE_REFS=1 ctest -R shots)" >&2
    fail=1
    continue
  fi
  "$shotcmp" "$ref/$name.png" "$png" "$out/$name.diff.png" || fail=1
done
[ "$n" -gt 0 ] || { echo "the script took no screenshots" >&2; exit 1; }
exit $fail
