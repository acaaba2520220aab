/* test_wrap.c - Chinese and English line breaking (ui_wrap). A fake font:
 * every CJK character 10 px, everything else 5 px. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "ui_wrap.h"
#include "utf8.h"

static int adv(void *u, uint32_t cp) { return ui_wrap_is_cjk(cp) ? 10 : 5; }

static size_t wrap(const char *s, int w, ui_wrap_line *l, size_t cap)
{
    return ui_wrap(s, strlen(s), w, adv, NULL, l, cap);
}

static uint32_t first_cp(const char *s, const ui_wrap_line *l)
{
    uint32_t cp;
    utf8_next(s + l->off, l->len, &cp);
    return cp;
}

static uint32_t last_cp(const char *s, const ui_wrap_line *l)
{
    size_t i = l->len;
    while (i > 0 && ((unsigned char)s[l->off + i - 1] & 0xC0) == 0x80)
        i--;
    uint32_t cp;
    utf8_next(s + l->off + i - 1, l->len - (i - 1), &cp);
    return cp;
}

/* The line-breaking rules hold for every width from very narrow to wide. */
static void test_kinsoku_every_width(void **st)
{
    const char *s = "社区实行封闭管理后，居民凭出入证（含临时证）进出小区，《通知》请见公告栏。"
                    "体温正常、登记后方可通行！";
    ui_wrap_line l[256];
    for (int w = 25; w <= 400; w += 5) {
        size_t n = wrap(s, w, l, 256);
        assert_true(n < 256);
        size_t total = 0;
        for (size_t i = 0; i < n; i++) {
            assert_true(l[i].width <= w || l[i].len <= 6); /* a single unbreakable cluster may exceed */
            if (i > 0)
                assert_false(ui_wrap_no_break_before(first_cp(s, &l[i])));
            if (i + 1 < n)
                assert_false(ui_wrap_no_break_after(last_cp(s, &l[i])));
            total += l[i].len;
        }
        assert_int_equal(total, strlen(s)); /* nothing lost, nothing doubled (no spaces here) */
    }
}

static void test_breaks_between_hanzi(void **st)
{
    ui_wrap_line l[8];
    size_t n = wrap("一二三四五六", 30, l, 8);
    assert_int_equal(n, 2);
    assert_int_equal(l[0].len, 9); /* 3 hanzi */
    assert_int_equal(l[0].width, 30);
}

static void test_closing_punct_stays(void **st)
{
    /* "一二三，" at 30 px: the comma may not start line 2, so 三 moves down with it. */
    ui_wrap_line l[8];
    const char *s = "一二三，四五";
    size_t n = wrap(s, 30, l, 8);
    assert_true(n >= 2);
    assert_int_equal(first_cp(s, &l[1]), 0x4E09); /* 三 */
}

static void test_opening_punct_moves(void **st)
{
    ui_wrap_line l[8];
    const char *s = "一二（三四";
    size_t n = wrap(s, 30, l, 8); /* （ would end line 1: it moves to line 2 */
    assert_true(n >= 2);
    assert_int_equal(first_cp(s, &l[1]), 0xFF08);
}

static void test_english_words_whole(void **st)
{
    ui_wrap_line l[8];
    const char *s = "Tap a button below";
    size_t n = wrap(s, 50, l, 8); /* 10 chars per line; words are never cut */
    assert_int_equal(n, 3);
    assert_int_equal(l[0].len, 5); /* "Tap a", the trailing space takes no room */
    assert_memory_equal(s + l[0].off, "Tap a", 5);
    assert_int_equal(l[1].len, 6);
    assert_memory_equal(s + l[1].off, "button", 6);
    assert_memory_equal(s + l[2].off, "below", 5);
}

static void test_long_word_forced(void **st)
{
    ui_wrap_line l[8];
    size_t n = wrap("abcdefghijklmnopqrst", 50, l, 8);
    assert_int_equal(n, 2);
    assert_int_equal(l[0].len, 10);
}

static void test_newlines_and_indent(void **st)
{
    ui_wrap_line l[8];
    const char *s = "第一段\n\xe3\x80\x80\xe3\x80\x80第二段\r\n";
    size_t n = wrap(s, 300, l, 8);
    assert_int_equal(n, 2); /* a final newline opens no empty line */
    assert_int_equal(l[1].len, 6 + 9); /* the ideographic-space indent stays, the CR goes */
}

static void test_mixed_and_empty(void **st)
{
    ui_wrap_line l[8];
    assert_int_equal(wrap("", 100, l, 8), 1);
    assert_int_equal(l[0].len, 0);
    size_t n = wrap("电话 0571-8601 2345", 60, l, 8);
    assert_true(n >= 2);
    for (size_t i = 0; i < n && i < 8; i++)
        assert_true(l[i].len > 0);
}

static void test_invalid_utf8_progresses(void **st)
{
    ui_wrap_line l[64];
    const char s[] = "\xff\xfe\xe4\xb8" "abc\xe4";
    size_t n = ui_wrap(s, sizeof s - 1, 12, adv, NULL, l, 64);
    assert_true(n >= 1 && n < 64);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kinsoku_every_width), cmocka_unit_test(test_breaks_between_hanzi),
        cmocka_unit_test(test_closing_punct_stays), cmocka_unit_test(test_opening_punct_moves),
        cmocka_unit_test(test_english_words_whole), cmocka_unit_test(test_long_word_forced),
        cmocka_unit_test(test_newlines_and_indent), cmocka_unit_test(test_mixed_and_empty),
        cmocka_unit_test(test_invalid_utf8_progresses),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
