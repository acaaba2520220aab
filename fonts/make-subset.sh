#!/usr/bin/env bash
# Reproducibly builds the kiosk's fonts from Debian's fonts-noto-cjk:
# Noto Sans CJK SC (face 2 of the .ttc collection), Regular and Bold, cut down
# to what the kiosk must render: all of GB2312 (6,763 hanzi and its symbol
# rows), ASCII and Latin-1, general punctuation, CJK punctuation and
# full-width forms, and the few symbols the UI draws (arrows, check marks).
# Same input package + same fonttools = byte-identical output.
#   fonts/make-subset.sh            (needs: fonts-noto-cjk fonttools python3)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
src=/usr/share/fonts/opentype/noto
for f in Regular Bold; do
  [ -r "$src/NotoSansCJK-$f.ttc" ] || { echo "missing $src/NotoSansCJK-$f.ttc: apt-get install fonts-noto-cjk" >&2; exit 1; }
done
chars=$(mktemp); trap 'rm -f "$chars"' EXIT
python3 - "$chars" <<'PY'
import sys
out = set()
for hi in range(0xA1, 0xF8):          # every GB2312 row (symbols 0xA1-0xA9, hanzi 0xB0-0xF7)
    for lo in range(0xA1, 0xFF):
        try: out.add(bytes([hi, lo]).decode('gb2312'))
        except UnicodeDecodeError: pass
out.update(chr(c) for c in range(0x20, 0x7F))       # ASCII
out.update(chr(c) for c in range(0xA0, 0x100))      # Latin-1
for a, b in [(0x2000, 0x206F), (0x3000, 0x303F), (0xFF00, 0xFFEF), (0x2190, 0x21FF),
             (0x2460, 0x24FF), (0x25A0, 0x25FF), (0x2600, 0x26FF), (0x2700, 0x27BF)]:
    out.update(chr(c) for c in range(a, b + 1))
open(sys.argv[1], 'w', encoding='utf-8').write(''.join(sorted(out)))
PY
for f in Regular Bold; do
  pyftsubset "$src/NotoSansCJK-$f.ttc" --font-number=2 --text-file="$chars" \
    --layout-features='*' --no-hinting --name-IDs='*' --name-languages='*' \
    --output-file="$here/NotoSansSC-$f.otf" 2>/dev/null
  echo "$here/NotoSansSC-$f.otf: $(stat -c %s "$here/NotoSansSC-$f.otf") bytes"
done
