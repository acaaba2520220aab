/* Tests of kiosk/base/utf8 (the lead's module, used by the cfg and .po
 * readers): strict RFC 3629 decoding, so overlongs, surrogates, values past
 * U+10FFFF and cut sequences are all refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "utf8.h"

static void test_valid(void **state)
{
    (void)state;
    static const char *ok[] = {
        "", "plain ASCII", "\x7F", "\xC2\x80", "\xDF\xBF", "é", "\xE0\xA0\x80", "\xEF\xBF\xBF", "祥和新城社区",
        "，。、）》", "\xED\x9F\xBF" /* U+D7FF */, "\xEE\x80\x80" /* U+E000 */, "\xF0\x90\x80\x80",
        "\xF4\x8F\xBF\xBF" /* U+10FFFF */, "😀 emoji",
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        size_t bad = 99;
        if (!utf8_valid(ok[i], strlen(ok[i]), &bad))
            fail_msg("rejected valid case %zu (bad at %zu)", i, bad);
        assert_int_equal(bad, 99); /* untouched when valid */
    }
    assert_true(utf8_valid(NULL, 0, NULL));
    /* An embedded NUL is a valid code point; the parsers refuse it themselves. */
    assert_true(utf8_valid("a\0b", 3, NULL));
}

static void test_invalid(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        size_t bad_at;
        const char *why;
    } bad[] = {
        {"\x80", 0, "lone continuation byte"},
        {"ab\xBF", 2, "lone continuation byte after ASCII"},
        {"\xC0\x80", 0, "overlong NUL"},
        {"\xC0\xAF", 0, "overlong '/'"},
        {"\xC1\xBF", 0, "overlong 2-byte"},
        {"\xE0\x80\xAF", 0, "overlong 3-byte"},
        {"\xE0\x9F\xBF", 0, "overlong 3-byte, top"},
        {"\xF0\x80\x80\xAF", 0, "overlong 4-byte"},
        {"\xF0\x8F\xBF\xBF", 0, "overlong 4-byte, top"},
        {"\xED\xA0\x80", 0, "surrogate U+D800"},
        {"\xED\xBF\xBF", 0, "surrogate U+DFFF"},
        {"x\xED\xB2\x80", 1, "low surrogate"},
        {"\xF4\x90\x80\x80", 0, "U+110000"},
        {"\xF5\x80\x80\x80", 0, "lead byte F5"},
        {"\xF8\x88\x80\x80\x80", 0, "5-byte form"},
        {"\xFE", 0, "FE"},
        {"\xFF", 0, "FF"},
        {"\xE4\xB8", 0, "truncated 3-byte"},
        {"中\xE6\x96", 3, "truncated after a good character"},
        {"\xE4\x41\xAD", 0, "ASCII inside a sequence"},
        {"\xF0\x9F\x98", 0, "truncated 4-byte"},
        {"社区\xC3", 6, "truncated 2-byte at the end"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        size_t at = 99;
        if (utf8_valid(bad[i].s, strlen(bad[i].s), &at))
            fail_msg("accepted invalid case: %s", bad[i].why);
        if (at != bad[i].bad_at)
            fail_msg("%s: bad_at %zu, expected %zu", bad[i].why, at, bad[i].bad_at);
        assert_int_equal(utf8_valid(bad[i].s, strlen(bad[i].s), NULL), 0);
    }
}

static void test_next(void **state)
{
    (void)state;
    uint32_t cp;
    assert_int_equal(utf8_next("A", 1, &cp), 1);
    assert_int_equal(cp, 'A');
    assert_int_equal(utf8_next("é", 2, &cp), 2);
    assert_int_equal(cp, 0xE9);
    assert_int_equal(utf8_next("祥", 3, &cp), 3);
    assert_int_equal(cp, 0x7965);
    assert_int_equal(utf8_next("😀", 4, &cp), 4);
    assert_int_equal(cp, 0x1F600);
    /* Errors give U+FFFD and consume one byte, so a loop always advances. */
    assert_int_equal(utf8_next("\xC0\xAF", 2, &cp), 1);
    assert_int_equal(cp, 0xFFFD);
    assert_int_equal(utf8_next("祥", 2, &cp), 1); /* len cuts it */
    assert_int_equal(cp, 0xFFFD);
    assert_int_equal(utf8_next("\xED\xA0\x80", 3, &cp), 1);
    assert_int_equal(cp, 0xFFFD);
    /* A real U+FFFD decodes as 3 bytes, unlike an error. */
    assert_int_equal(utf8_next("\xEF\xBF\xBD", 3, &cp), 3);
    assert_int_equal(cp, 0xFFFD);
    assert_int_equal(utf8_next("", 0, &cp), 0);
}

static void test_put_roundtrip(void **state)
{
    (void)state;
    char out[4];
    assert_int_equal(utf8_put(0xD800, out), 0);
    assert_int_equal(utf8_put(0xDFFF, out), 0);
    assert_int_equal(utf8_put(0x110000, out), 0);
    assert_int_equal(utf8_put(0xFFFFFFFFu, out), 0);
    /* Every scalar value encodes to what decodes back to it, in the
     * shortest form (so utf8_valid accepts it). */
    for (uint32_t c = 0; c <= 0x10FFFF; c++) {
        if (c >= 0xD800 && c <= 0xDFFF)
            continue;
        size_t n = utf8_put(c, out);
        size_t want = c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
        if (n != want)
            fail_msg("U+%04X: %zu bytes, expected %zu", (unsigned)c, n, want);
        uint32_t back;
        if (utf8_next(out, n, &back) != n || back != c)
            fail_msg("U+%04X does not round-trip", (unsigned)c);
        if (!utf8_valid(out, n, NULL))
            fail_msg("U+%04X encodes to invalid UTF-8", (unsigned)c);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid),
        cmocka_unit_test(test_invalid),
        cmocka_unit_test(test_next),
        cmocka_unit_test(test_put_roundtrip),
    };
    return cmocka_run_group_tests_name("base_utf8", tests, NULL, NULL);
}
