/* test_fonts.c - the shipped fonts render what the kiosk must show: every
 * GB2312 hanzi (6,763), ASCII and the common Chinese punctuation, in both
 * weights; and the body size has a cap height of at least 4.8 mm on the
 * reference panel, measured on the real glyph, not assumed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <SDL_ttf.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui_theme.h"
#include "utf8.h"

static const char *weights[2] = {"Regular", "Bold"};

static TTF_Font *open_font(const char *weight, int px)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/fonts/NotoSansSC-%s.otf", getenv("KIOSK_SOURCE_DIR"), weight);
    TTF_Font *f = TTF_OpenFont(path, px);
    if (!f)
        fail_msg("cannot open %s: %s", path, TTF_GetError());
    return f;
}

static void test_gb2312_hanzi(void **st)
{
    iconv_t cd = iconv_open("UTF-32LE", "GB2312");
    assert_true(cd != (iconv_t)-1);
    for (int w = 0; w < 2; w++) {
        TTF_Font *f = open_font(weights[w], 24);
        int count = 0, missing = 0;
        for (int hi = 0xB0; hi <= 0xF7; hi++) {
            for (int lo = 0xA1; lo <= 0xFE; lo++) {
                char in[2] = {(char)hi, (char)lo};
                uint32_t cp = 0;
                char *ip = in, *op = (char *)&cp;
                size_t il = 2, ol = 4;
                if (iconv(cd, &ip, &il, &op, &ol) == (size_t)-1)
                    continue; /* unassigned cell (row 55 ends at 0xF9) */
                count++;
                if (!TTF_GlyphIsProvided32(f, cp)) {
                    if (missing++ < 5)
                        print_error("missing U+%04X in %s\n", cp, weights[w]);
                }
            }
        }
        assert_int_equal(count, 6763);
        assert_int_equal(missing, 0);
        TTF_CloseFont(f);
    }
    iconv_close(cd);
}

static void test_ascii_and_punctuation(void **st)
{
    const char *punct = "，。、；：？！“”‘’（）《》〈〉【】「」『』—…·～￥％＋－×÷＝"
                        "①②③④⑤⑥⑦⑧⑨⑩☎⚠✓●▲▼←→";
    for (int w = 0; w < 2; w++) {
        TTF_Font *f = open_font(weights[w], 24);
        for (uint32_t c = 0x20; c < 0x7F; c++)
            assert_true(TTF_GlyphIsProvided32(f, c));
        size_t n = strlen(punct);
        for (size_t i = 0; i < n;) {
            uint32_t cp;
            i += utf8_next(punct + i, n - i, &cp);
            if (!TTF_GlyphIsProvided32(f, cp))
                fail_msg("missing U+%04X in %s", cp, weights[w]);
        }
        TTF_CloseFont(f);
    }
}

static void test_cap_height_on_reference_panel(void **st)
{
    for (int large = 0; large < 2; large++) {
        ui_theme t;
        ui_theme_init(&t, ui_theme_px_per_mm(0, 21.5, 1080, 1920), large);
        for (int size = 0; size < UI_FONT_NSIZES; size++) {
            TTF_Font *f = open_font("Regular", t.font_px[size]);
            int minx, maxx, miny, maxy, adv;
            assert_int_equal(TTF_GlyphMetrics32(f, 'H', &minx, &maxx, &miny, &maxy, &adv), 0);
            double mm = maxy / t.px_per_mm;
            if (mm < 4.8)
                fail_msg("font size %d: cap height %.2f mm < 4.8 mm", size, mm);
            /* line spacing >= 1.3 x the size */
            assert_true(TTF_FontLineSkip(f) >= 1.3 * t.font_px[size]);
            TTF_CloseFont(f);
        }
    }
}

static int setup(void **st) { return TTF_Init(); }
static int teardown(void **st)
{
    TTF_Quit();
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gb2312_hanzi),
        cmocka_unit_test(test_ascii_and_punctuation),
        cmocka_unit_test(test_cap_height_on_reference_panel),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
