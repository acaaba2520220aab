/* ui_wrap.h - line breaking for Chinese and English text.
 *
 * Breaks are allowed after spaces and between any two CJK characters (or a
 * CJK character and a Latin one), but never before closing punctuation such
 * as ，。、：；！？）》」』】 nor after opening punctuation such as （《「『【
 * (the kinsoku rules Chinese typesetting shares with Japanese). A Latin word
 * longer than the line is broken between letters as a last resort. Explicit
 * newlines always break. Spaces at the end of a line take no width.
 *
 * Pure function over a measurement callback, so tests run it with a fake font.
 */
#ifndef UI_WRAP_H
#define UI_WRAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct ui_wrap_line {
    size_t off, len; /* bytes of the source string, trailing spaces/newline excluded */
    int width;       /* px */
} ui_wrap_line;

typedef int (*ui_wrap_advance_fn)(void *user, uint32_t cp);

/* Wraps S[0..LEN) to MAX_W px. Writes up to CAP lines and returns how many
 * the text needs (may exceed CAP: the caller sees it was cut). */
size_t ui_wrap(const char *s, size_t len, int max_w, ui_wrap_advance_fn adv, void *user,
               ui_wrap_line *lines, size_t cap);

bool ui_wrap_is_cjk(uint32_t cp);
bool ui_wrap_no_break_before(uint32_t cp); /* closing punctuation */
bool ui_wrap_no_break_after(uint32_t cp);  /* opening punctuation */

#endif
