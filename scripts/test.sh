#!/usr/bin/env bash
# Sets everything up and runs all tests: the default build (-Werror), the
# asan build (ASan + UBSan), and every fuzz target briefly over its corpus.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
scripts/setup.sh
for preset in default asan; do
  echo "=== $preset: configure, build, test"
  cmake --preset "$preset" >/dev/null
  cmake --build --preset "$preset"
  ctest --preset "$preset"
done
echo "=== fuzz: build and run each target for ${FUZZ_SECONDS:=10} s"
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz
for f in build/fuzz/fuzz/*/fuzz_*; do
  [ -x "$f" ] || continue
  name=$(basename "$f")
  corpus="$root/fuzz/$(basename "$(dirname "$f")")/corpus/$name"
  work=$(mktemp -d)
  [ -d "$corpus" ] && cp -r "$corpus"/. "$work"/
  echo "--- $name"
  "$f" -max_total_time="$FUZZ_SECONDS" -rss_limit_mb=2048 -print_final_stats=0 "$work" 2>&1 | tail -n 2
  rm -rf "$work"
done
echo "=== all tests passed"
