/* test_notice_parse.c - the notice file format: a full notice in English and
 * Chinese key names, the optional parts, and every kind of bad file (missing
 * title, bad dates, invalid UTF-8, huge files, binary junk...), each rejected
 * with NAME:LINE and a message that says what to do. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "notice.h"

static char errbuf[1024];

#define assert_contains(hay, needle)                                                                               \
    do {                                                                                                           \
        if (!strstr((hay), (needle)))                                                                              \
            fail_msg("expected \"%s\" in \"%s\"", (needle), (hay));                                               \
    } while (0)

static notice *parse_ok(const char *text)
{
    notice *n = NULL;
    notice_err e = notice_parse("t.txt", text, strlen(text), &n, errbuf, sizeof errbuf);
    if (e != NOTICE_OK)
        fail_msg("expected OK, got %s: %s", notice_strerror(e), errbuf);
    assert_non_null(n);
    return n;
}

/* TEXT[0..LEN) must be rejected with CODE at LINE, the message holding each
 * of the NULL-terminated hints. */
static void expect_bad_n(const char *text, size_t len, notice_err code, int line, ...)
{
    notice *n = (notice *)1;
    notice_err e = notice_parse("t.txt", text, len, &n, errbuf, sizeof errbuf);
    if (e != code)
        fail_msg("for \"%.60s\": got %d (%s), expected %d", text, e, errbuf, code);
    assert_null(n);
    char prefix[32];
    snprintf(prefix, sizeof prefix, "t.txt:%d: ", line);
    if (strncmp(errbuf, prefix, strlen(prefix)) != 0)
        fail_msg("message \"%s\" does not start with \"%s\"", errbuf, prefix);
    va_list ap;
    va_start(ap, line);
    for (const char *h; (h = va_arg(ap, const char *));)
        assert_contains(errbuf, h);
    va_end(ap);
}
#define expect_bad(text, code, line, ...) expect_bad_n(text, strlen(text), code, line, __VA_ARGS__)

static time_t local(int y, int mo, int d, int h, int mi)
{
    struct tm tm = {.tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d, .tm_hour = h, .tm_min = mi, .tm_isdst = -1};
    return mktime(&tm);
}

#define HDR "title: 标题\npublished: 2026-11-28\n\n"

static void test_full_english_keys(void **st)
{
    notice *n = parse_ok("# a comment\n"
                         "title: 关于小区出入口临时封闭的通知\n"
                         "title_en: Temporary closure of entrances\n"
                         "published: 2026-11-28 08:00\n"
                         "valid_until: 2026-12-31\n"
                         "category: epidemic\n"
                         "pinned: yes\n"
                         "urgent: true\n"
                         "office: 居委会\n"
                         "office_en: Residents' Committee\n"
                         "image: map-1.png\n"
                         "\n"
                         "各位居民：\n"
                         "\n\n"
                         "  即日起只保留东门、南门。  \n"
                         "--- English ---\n"
                         "Dear residents,\n"
                         "Only the east and south gates stay open.\n");
    assert_string_equal(n->id, "t");
    assert_string_equal(n->title[I18N_ZH], "关于小区出入口临时封闭的通知");
    assert_string_equal(n->title[I18N_EN], "Temporary closure of entrances");
    assert_string_equal(n->body[I18N_ZH], "各位居民：\n即日起只保留东门、南门。");
    assert_string_equal(n->body[I18N_EN], "Dear residents,\nOnly the east and south gates stay open.");
    assert_string_equal(n->office[I18N_ZH], "居委会");
    assert_string_equal(n->office[I18N_EN], "Residents' Committee");
    assert_string_equal(n->image, "map-1.png");
    assert_int_equal(n->image_line, 11);
    assert_int_equal(n->published, local(2026, 11, 28, 8, 0));
    assert_int_equal(n->valid_until, local(2027, 1, 1, 0, 0)); /* through the whole of 31 Dec */
    assert_int_equal(n->cat, NOTICE_CAT_EPIDEMIC);
    assert_true(n->pinned);
    assert_true(n->urgent);
    notice_free(n);
    notice_free(NULL);
}

static void test_chinese_keys_and_fullwidth_colon(void **st)
{
    notice *n = parse_ok("标题：口罩分发安排\n英文标题: Masks\n发布日期：2026-11-27 09:00\n有效期至：2026-12-06 18:30\n"
                         "类别：物资\n置顶：是\n紧急：否\n发布单位：居委会\n英文发布单位：Committee\n图片：A_b.PNG\n\n"
                         "每户10只。\n--- 英文 ---\n10 per household.\n");
    assert_string_equal(n->title[I18N_ZH], "口罩分发安排");
    assert_int_equal(n->cat, NOTICE_CAT_SUPPLIES);
    assert_true(n->pinned);
    assert_false(n->urgent);
    assert_int_equal(n->valid_until, local(2026, 12, 6, 18, 30));
    assert_string_equal(n->body[I18N_EN], "10 per household.");
    assert_string_equal(n->image, "A_b.PNG");
    notice_free(n);
}

static void test_minimal_and_fallbacks(void **st)
{
    notice *n = parse_ok(HDR "正文");
    assert_int_equal(n->cat, NOTICE_CAT_DAILY);
    assert_false(n->pinned || n->urgent);
    assert_int_equal(n->valid_until, 0);
    assert_string_equal(n->image, "");
    assert_string_equal(n->title[I18N_EN], "");
    assert_string_equal(n->body[I18N_EN], "");
    /* English falls back to Chinese where there is none */
    assert_string_equal(notice_title(n, I18N_EN), "标题");
    assert_string_equal(notice_body(n, I18N_EN), "正文");
    assert_string_equal(notice_office(n, I18N_EN), "");
    assert_int_equal(notice_state_at(n, local(2026, 11, 27, 23, 59)), NOTICE_SCHEDULED);
    assert_int_equal(notice_state_at(n, local(2026, 11, 28, 0, 0)), NOTICE_SHOWN);
    assert_int_equal(notice_state_at(n, local(2036, 1, 1, 0, 0)), NOTICE_SHOWN);
    notice_free(n);
    /* CRLF, a byte-order mark, key names in any case, tabs around values */
    n = parse_ok("\xEF\xBB\xBFTitle:\t标题\r\nPUBLISHED: 2026-02-28 \r\n\r\n第一段\r\n第二段\r\n");
    assert_string_equal(n->title[I18N_ZH], "标题");
    assert_string_equal(n->body[I18N_ZH], "第一段\n第二段");
    assert_string_equal(n->id, "t");
    notice_free(n);
    /* 2026 is not a leap year... */
    expect_bad("title: a\npublished: 2025-02-29\n\nx", NOTICE_EVALUE, 2, "published", "not a date", NULL);
    n = parse_ok("title: a\npublished: 2028-02-29\n\nx"); /* ...2028 is */
    notice_free(n);
}

static void test_missing_title_and_date(void **st)
{
    expect_bad("published: 2026-11-28\n\n正文\n", NOTICE_EKEY, 2, "no title", "标题", NULL);
    expect_bad("title:   \npublished: 2026-11-28\n\n正文\n", NOTICE_EVALUE, 1, "title is empty", NULL);
    expect_bad("title: 标题\n\n正文\n", NOTICE_EKEY, 2, "no publication date", "published", NULL);
    expect_bad("", NOTICE_ESYNTAX, 1, "empty", NULL);
    expect_bad("\n\n# only a comment\n\n", NOTICE_ESYNTAX, 4, "empty", NULL);
}

static void test_bad_dates(void **st)
{
    static const char *bad[] = {"2026-13-01", "2026-11-31", "2026-00-10", "2026-11-28 24:00", "2026-11-28 08:60",
                                "26-11-28",   "2026/11/28", "tomorrow",   "2026-11-28T",      "2026-11-2",
                                "1999-01-01", "2100-01-01", "2026-11-28 8:00", "2026-11-28 08:00:00", ""};
    char text[256];
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        snprintf(text, sizeof text, "title: a\npublished: %s\n\nx\n", bad[i]);
        expect_bad(text, NOTICE_EVALUE, 2, "published", "YYYY-MM-DD", NULL);
        snprintf(text, sizeof text, "title: a\npublished: 2026-01-01\nvalid_until: %s\n\nx\n", bad[i]);
        expect_bad(text, NOTICE_EVALUE, 3, "valid_until", NULL);
    }
    expect_bad("title: a\npublished: 2026-11-28\nvalid_until: 2026-11-27\n\nx\n", NOTICE_EVALUE, 3, "valid_until",
               "never be shown", NULL);
    expect_bad("title: a\npublished: 2026-11-28 10:00\nvalid_until: 2026-11-28 10:00\n\nx\n", NOTICE_EVALUE, 3,
               "never be shown", NULL);
    time_t t;
    assert_true(notice_parse_date("2026-11-28T08:05", false, &t));
    assert_int_equal(t, local(2026, 11, 28, 8, 5));
    assert_true(notice_parse_date("2026-11-28", true, &t));
    assert_int_equal(t, local(2026, 11, 29, 0, 0));
}

static void test_bad_values_and_keys(void **st)
{
    expect_bad("title: a\npublished: 2026-11-28\ncategory: sports\n\nx", NOTICE_EVALUE, 3, "category", "epidemic",
               "防疫", NULL);
    expect_bad("title: a\npublished: 2026-11-28\npinned: maybe\n\nx", NOTICE_EVALUE, 3, "pinned", "yes/no", NULL);
    expect_bad("title: a\npublished: 2026-11-28\nurgent: 2\n\nx", NOTICE_EVALUE, 3, "urgent", NULL);
    static const char *images[] = {"../x.png", "sub/x.png", ".x.png", "x.jpg", "x png.png", "图.png"};
    char text[256];
    for (size_t i = 0; i < sizeof images / sizeof images[0]; i++) {
        snprintf(text, sizeof text, "title: a\npublished: 2026-11-28\nimage: %s\n\nx", images[i]);
        expect_bad(text, NOTICE_EVALUE, 3, "image", ".png", NULL);
    }
    expect_bad("titel: a\npublished: 2026-11-28\n\nx", NOTICE_EKEY, 1, "unknown key 'titel'", "title_en",
               "valid_until", "标题", NULL);
    expect_bad("title: a\npublished: 2026-11-28\ntitle: b\n\nx", NOTICE_EKEY, 3, "set twice", "line 1", NULL);
    expect_bad("title: a\npublished: 2026-11-28\n标题：b\n\nx", NOTICE_EKEY, 3, "set twice", NULL);
    /* the clerk forgot the empty line after the header */
    expect_bad("title: a\npublished: 2026-11-28\n各位居民，今天起封闭北门。\n", NOTICE_ESYNTAX, 3, "key: value",
               "empty line", NULL);
    char longtitle[501], big[1024];
    memset(longtitle, 'x', 500);
    longtitle[500] = '\0';
    snprintf(big, sizeof big, "title: %s\npublished: 2026-11-28\n\nx", longtitle);
    expect_bad(big, NOTICE_EVALUE, 1, "title", "at most 400 bytes", NULL);
}

static void test_body_structure(void **st)
{
    expect_bad("title: a\npublished: 2026-11-28\n", NOTICE_ESYNTAX, 2, "no text", "empty line", NULL);
    expect_bad(HDR "\n\n", NOTICE_ESYNTAX, 3, "no", NULL);
    expect_bad(HDR "--- English ---\nonly English\n", NOTICE_ESYNTAX, 4, "no Chinese text", NULL);
    expect_bad(HDR "中文\n--- English ---\n\n", NOTICE_ESYNTAX, 5, "not followed by any English", NULL);
    expect_bad(HDR "中文\n--- English ---\nx\n---English---\ny\n", NOTICE_ESYNTAX, 7, "second", "line 5", NULL);
    /* lines that only look like the marker are text */
    notice *n = parse_ok(HDR "中文\n--- Englishman ---\n------\n");
    assert_string_equal(n->body[I18N_ZH], "中文\n--- Englishman ---\n------");
    assert_string_equal(n->body[I18N_EN], "");
    notice_free(n);
}

static void test_invalid_utf8_and_binary(void **st)
{
    /* GBK for "社区" is C9 E7 C7 F8: not UTF-8 */
    expect_bad("title: \xC9\xE7\xC7\xF8\npublished: 2026-11-28\n\nx", NOTICE_EENCODING, 1, "invalid UTF-8",
               "column 8", "GBK", NULL);
    expect_bad(HDR "ok\nbad \xE4\xB8\n", NOTICE_EENCODING, 5, "invalid UTF-8", NULL);
    expect_bad(HDR "overlong \xC0\xAF\n", NOTICE_EENCODING, 4, "invalid UTF-8", NULL);
    expect_bad(HDR "surrogate \xED\xA0\x80\n", NOTICE_EENCODING, 4, "invalid UTF-8", NULL);
    static const char nul[] = "title: a\npublished: 2026-11-28\n\nab\0cd\n";
    expect_bad_n(nul, sizeof nul - 1, NOTICE_EENCODING, 4, "NUL byte at column 3", "not a text file", NULL);
    expect_bad(HDR "bell \x07 here\n", NOTICE_EENCODING, 4, "control character 0x07", NULL);
    /* binary junk: a PNG header where a notice should be */
    static const unsigned char png[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R'};
    expect_bad_n((const char *)png, sizeof png, NOTICE_EENCODING, 1, NULL);
    /* random bytes never crash and are refused with a line */
    srand(7);
    char junk[4096];
    for (int round = 0; round < 200; round++) {
        for (size_t i = 0; i < sizeof junk; i++)
            junk[i] = (char)(rand() & 0xFF);
        notice *n = NULL;
        notice_err e = notice_parse("t.txt", junk, sizeof junk, &n, errbuf, sizeof errbuf);
        assert_int_not_equal(e, NOTICE_OK);
        assert_null(n);
        assert_int_equal(strncmp(errbuf, "t.txt:", 6), 0);
    }
}

static void test_huge(void **st)
{
    size_t big = NOTICE_MAX_FILE + 1;
    char *text = malloc(big + 1);
    assert_non_null(text);
    memset(text, 'a', big);
    memcpy(text, HDR, strlen(HDR));
    expect_bad_n(text, big, NOTICE_ETOOBIG, 0, "at most 65536 bytes", NULL);
    /* one paragraph over the limit */
    size_t n = strlen(HDR) + NOTICE_MAX_PARA + 10;
    memset(text, 'a', n);
    memcpy(text, HDR, strlen(HDR));
    expect_bad_n(text, n, NOTICE_ETOOBIG, 4, "paragraph", "new line", NULL);
    /* just under every limit: a 5,000-character notice of many paragraphs */
    size_t used = (size_t)snprintf(text, big, HDR);
    for (int i = 0; used + 400 < NOTICE_MAX_FILE; i++)
        used += (size_t)snprintf(text + used, big - used, "第%d段：同住一个小区，齐保平安社区。\n", i);
    notice *nt = NULL;
    assert_int_equal(notice_parse("t.txt", text, used, &nt, errbuf, sizeof errbuf), NOTICE_OK);
    assert_true(strlen(nt->body[I18N_ZH]) > 60000);
    notice_free(nt);
    free(text);
}

static void test_load_and_ids(void **st)
{
    char dir[] = "/tmp/notice-parse-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[256];
    snprintf(path, sizeof path, "%s/2026-11-28-gates.txt", dir);
    FILE *f = fopen(path, "w");
    fputs(HDR "x\n", f);
    fclose(f);
    notice *n = NULL;
    assert_int_equal(notice_load(path, &n, errbuf, sizeof errbuf), NOTICE_OK);
    assert_string_equal(n->id, "2026-11-28-gates");
    notice_free(n);
    snprintf(path, sizeof path, "%s/missing.txt", dir);
    assert_int_equal(notice_load(path, &n, errbuf, sizeof errbuf), NOTICE_EIO);
    assert_contains(errbuf, "missing.txt:0: ");
    assert_int_equal(notice_load(dir, &n, errbuf, sizeof errbuf), NOTICE_EIO);
    assert_contains(errbuf, "not a regular file");
    snprintf(path, sizeof path, "%s/big.txt", dir);
    f = fopen(path, "w");
    for (int i = 0; i < NOTICE_MAX_FILE / 8 + 1; i++)
        fputs("1234567\n", f);
    fclose(f);
    assert_int_equal(notice_load(path, &n, errbuf, sizeof errbuf), NOTICE_ETOOBIG);
    assert_contains(errbuf, "big.txt:0: ");
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

static void test_helpers(void **st)
{
    assert_string_equal(notice_cat_key(NOTICE_CAT_VOLUNTEERS), "volunteers");
    assert_string_equal(notice_cat_label(NOTICE_CAT_EPIDEMIC), "Epidemic control");
    assert_null(notice_cat_key(NOTICE_CAT_COUNT));
    for (int e = NOTICE_OK; e <= NOTICE_ENOMEM; e++)
        assert_true(strlen(notice_strerror((notice_err)e)) > 1);
    char out[256];
    notice_resolve_dir("", "", "/src", out, sizeof out);
    assert_string_equal(out, "/src/assets/demo/notices");
    notice_resolve_dir("", "/opt/assets", "/src", out, sizeof out);
    assert_string_equal(out, "/opt/assets/demo/notices");
    notice_resolve_dir("tests/n", "/opt/assets", "/src", out, sizeof out);
    assert_string_equal(out, "/src/tests/n");
    notice_resolve_dir("/srv/n", "", "/src", out, sizeof out);
    assert_string_equal(out, "/srv/n");
    static const unsigned char png[24] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0, 0, 13,
                                          'I',  'H', 'D', 'R', 0,    0,    3,    0xE8, 0, 0, 2, 0x80};
    int w, h;
    assert_true(notice_png_size(png, sizeof png, &w, &h));
    assert_int_equal(w, 1000);
    assert_int_equal(h, 640);
    assert_false(notice_png_size(png, 23, &w, &h));
    assert_false(notice_png_size((const unsigned char *)"GIF89a..................", 24, &w, &h));
}

int main(void)
{
    setenv("TZ", "Asia/Shanghai", 1);
    tzset();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_full_english_keys),
        cmocka_unit_test(test_chinese_keys_and_fullwidth_colon),
        cmocka_unit_test(test_minimal_and_fallbacks),
        cmocka_unit_test(test_missing_title_and_date),
        cmocka_unit_test(test_bad_dates),
        cmocka_unit_test(test_bad_values_and_keys),
        cmocka_unit_test(test_body_structure),
        cmocka_unit_test(test_invalid_utf8_and_binary),
        cmocka_unit_test(test_huge),
        cmocka_unit_test(test_load_and_ids),
        cmocka_unit_test(test_helpers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
