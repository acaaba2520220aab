/* ui_wrap.c - see ui_wrap.h. Greedy line filling: for signs and notices a
 * balanced (Knuth-Plass) break buys little and costs time per frame. */
#include "ui_wrap.h"

#include "utf8.h"

#include <string.h>

bool ui_wrap_is_cjk(uint32_t cp)
{
    return (cp >= 0x2E80 && cp <= 0x9FFF) || (cp >= 0xAC00 && cp <= 0xD7AF) ||
           (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFE30 && cp <= 0xFE4F) ||
           (cp >= 0xFF00 && cp <= 0xFFEF) || (cp >= 0x20000 && cp <= 0x3FFFF);
}

static bool in_set(uint32_t cp, const char *set)
{
    size_t n = strlen(set), i = 0;
    while (i < n) {
        uint32_t c;
        i += utf8_next(set + i, n - i, &c);
        if (c == cp)
            return true;
    }
    return false;
}

bool ui_wrap_no_break_before(uint32_t cp)
{
    return in_set(cp, "，。、：；！？）》」』】〕〉〗〙〛’”…‥·・～ー％,.;:!?)]}%"
                      "\xef\xbc\x89"); /* U+FF09 fullwidth right parenthesis */
}

bool ui_wrap_no_break_after(uint32_t cp)
{
    return in_set(cp, "（《「『【〔〈〖〘〚‘“([{￥$");
}

static bool is_space(uint32_t cp) { return cp == ' ' || cp == '\t' || cp == 0x3000; }

/* May a line break fall between PREV and CUR? */
static bool can_break(uint32_t prev, uint32_t cur)
{
    if (ui_wrap_no_break_before(cur) || ui_wrap_no_break_after(prev))
        return false;
    if (is_space(prev) && !is_space(cur))
        return true;
    if (prev == '-' || prev == '/')
        return !is_space(cur);
    return ui_wrap_is_cjk(prev) || ui_wrap_is_cjk(cur);
}

/* Emits the line [start, end) minus trailing spaces. */
static void emit(const char *s, size_t start, size_t end, int width, ui_wrap_line *lines, size_t cap,
                 size_t *n)
{
    while (end > start && (s[end - 1] == ' ' || s[end - 1] == '\t' || s[end - 1] == '\r'))
        end--;
    if (*n < cap) {
        lines[*n].off = start;
        lines[*n].len = end - start;
        lines[*n].width = width;
    }
    (*n)++;
}

size_t ui_wrap(const char *s, size_t len, int max_w, ui_wrap_advance_fn adv, void *user,
               ui_wrap_line *lines, size_t cap)
{
    size_t n = 0;
    size_t start = 0, i = 0;
    int w = 0;          /* width of [start, i) */
    size_t brk = 0;     /* last break opportunity (byte offset) > start, 0 = none */
    int brk_w = 0;      /* width of [start, brk) without trailing spaces */
    int vis_w = 0;      /* width of [start, i) without trailing spaces */
    uint32_t prev = 0;
    bool soft = false;  /* the current line began at a wrap, not a newline */

    if (max_w < 1)
        max_w = 1;
    while (i < len) {
        uint32_t cp;
        size_t k = utf8_next(s + i, len - i, &cp);
        if (cp == '\n') {
            emit(s, start, i, vis_w, lines, cap, &n);
            i += k;
            start = i, w = 0, vis_w = 0, brk = 0, prev = 0;
            soft = false;
            continue;
        }
        if (cp == '\r') { /* CRLF from a text editor: ignore the CR */
            i += k;
            continue;
        }
        int a = adv(user, cp);
        if (i > start && can_break(prev, cp)) {
            brk = i;
            brk_w = vis_w;
        }
        if (!is_space(cp) && w + a > max_w && i > start) {
            size_t cut = brk > start ? brk : i;
            emit(s, start, cut, brk > start ? brk_w : vis_w, lines, cap, &n);
            /* Re-measure what moves to the next line: from cut to i. */
            start = cut;
            soft = true;
            w = 0, vis_w = 0;
            uint32_t p = 0;
            for (size_t j = cut; j < i;) {
                uint32_t c2;
                size_t k2 = utf8_next(s + j, len - j, &c2);
                w += adv(user, c2);
                if (!is_space(c2))
                    vis_w = w;
                p = c2;
                j += k2;
            }
            brk = 0;
            prev = p;
            if (start == i)
                prev = 0;
            else if (can_break(prev, cp)) {
                brk = i;
                brk_w = vis_w;
            }
        }
        if (is_space(cp) && i == start && soft) { /* no leading spaces on wrapped lines; */
            i += k;                                  /* indents after a newline stay */
            start = i;
            continue;
        }
        w += a;
        if (!is_space(cp))
            vis_w = w;
        prev = cp;
        i += k;
    }
    if (i > start || n == 0)
        emit(s, start, i, vis_w, lines, cap, &n);
    return n;
}
