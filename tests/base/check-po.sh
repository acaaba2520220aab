#!/bin/sh
# po_complete: fails when a UI string of the kiosk has no Chinese translation.
#
#   check-po.sh SOURCE_DIR [PO_FILE]
#
# Every string marked with _() or N_() in kiosk/ (found by xgettext, as a
# translator's tools would) must have a non-empty, non-fuzzy msgstr in
# assets/po/zh_CN.po, and the .po must pass msgfmt --check. msgcmp does the
# comparison: it counts untranslated and fuzzy entries of the .po as missing
# (checked by hand with gettext 0.21; --use-fuzzy/--use-untranslated would be
# needed to accept them). The missing strings are printed with where they are
# used, so the fix is obvious.
set -eu
src=${1:?usage: check-po.sh SOURCE_DIR [PO_FILE]}
po=${2:-$src/assets/po/zh_CN.po}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

[ -f "$po" ] || { echo "po_complete: $po does not exist"; exit 1; }

echo "--- msgfmt --check $po"
msgfmt --check -o /dev/null "$po"

# Sources, sorted so that the .pot (and any message) is the same every run.
# Headers too: a table of N_() strings in a header is still UI text.
(cd "$src" && find kiosk -type f \( -name '*.c' -o -name '*.h' \) | LC_ALL=C sort) > "$tmp/files"
n=$(wc -l < "$tmp/files")
echo "--- xgettext over $n files under $src/kiosk"
(cd "$src" && xgettext --from-code=UTF-8 --language=C --keyword=_ --keyword=N_ \
    --force-po --add-location=file -f "$tmp/files" -o "$tmp/kiosk.pot")
count=$(grep -c '^msgid ' "$tmp/kiosk.pot" || true)
echo "--- $((count - 1)) UI strings marked for translation"

# -N: no fuzzy matching; a near miss is still a miss.
if msgcmp -N "$po" "$tmp/kiosk.pot" > "$tmp/msgcmp.out" 2>&1; then
  echo "po_complete: every UI string has a translation in $po"
  exit 0
fi
# msgcmp says where, by line; list the strings themselves too.
grep -v 'warning: this message is not used' "$tmp/msgcmp.out" || true
msgmerge -q -N "$po" "$tmp/kiosk.pot" -o "$tmp/merged.po"
echo
echo "po_complete: these UI strings have no translation (or only a fuzzy one) in $po:"
# Paragraph mode: drop the first paragraph (the header entry), keep the rest.
{ msgattrib --untranslated --no-obsolete --no-wrap "$tmp/merged.po"
  echo
  msgattrib --only-fuzzy --no-obsolete --no-wrap "$tmp/merged.po"
} | awk 'BEGIN { RS = ""; ORS = "\n\n" } /^#|^msgid/ && !/(^|\n)msgid ""\n/' || true
echo "Add them to $po (msgmerge --update --no-fuzzy-matching $po <pot>), translate, and remove 'fuzzy'."
exit 1
