/* test_theme.c - the accessibility numbers of DESIGN.md, held by the theme:
 * contrast >= 7:1 for every text/background pair, targets >= 96 px on the
 * 21.5" reference panel (>= 9 mm anywhere), body cap height >= 4.8 mm, and
 * large-text mode x1.4. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>

#include "ui_theme.h"

static void test_contrast_known_values(void **st)
{
    assert_true(fabs(ui_contrast(UI_RGB(0x000000), UI_RGB(0xFFFFFF)) - 21.0) < 0.01);
    assert_true(fabs(ui_contrast(UI_RGB(0x777777), UI_RGB(0xFFFFFF)) - 4.48) < 0.02);
    assert_true(fabs(ui_contrast(UI_RGB(0x123456), UI_RGB(0x123456)) - 1.0) < 1e-9);
}

static void test_every_pair_7_to_1(void **st)
{
    for (int large = 0; large < 2; large++) {
        ui_theme t;
        ui_theme_init(&t, ui_theme_px_per_mm(0, 21.5, 1080, 1920), large);
        ui_color_pair p[64];
        size_t n = ui_theme_pairs(&t, p, 64);
        assert_true(n > 10 && n <= 64);
        for (size_t i = 0; i < n; i++) {
            double r = ui_contrast(p[i].fg, p[i].bg);
            if (r < 7.0)
                fail_msg("%s: contrast %.2f < 7", p[i].what, r);
        }
    }
}

static void test_reference_panel(void **st)
{
    double ppmm = ui_theme_px_per_mm(0, 21.5, 1080, 1920);
    assert_true(ppmm > 4.0 && ppmm < 4.1); /* ~102 dpi */
    ui_theme t;
    ui_theme_init(&t, ppmm, false);
    assert_true(t.target >= 96);
    assert_true(t.target >= 9.0 * ppmm);
    assert_true(ui_theme_cap_mm(&t, UI_FONT_SMALL) >= 4.8);
    assert_true(ui_theme_cap_mm(&t, UI_FONT_BODY) >= 4.8);
    ui_theme lt;
    ui_theme_init(&lt, ppmm, true);
    for (int f = 0; f < UI_FONT_NSIZES; f++)
        assert_true(lt.font_px[f] >= (int)(t.font_px[f] * 1.4) - 1);
}

static void test_dpi_sources(void **st)
{
    assert_true(fabs(ui_theme_px_per_mm(254, 21.5, 1080, 1920) - 10.0) < 1e-9); /* SDL knows */
    double small = ui_theme_px_per_mm(0, 10.1, 1280, 800);                      /* a 10" panel */
    ui_theme t;
    ui_theme_init(&t, small, false);
    assert_true(t.target >= 9.0 * small);
    assert_true(ui_theme_px_per_mm(0, 0, 0, 0) > 4.0); /* nonsense: the reference panel */
    assert_true(ui_theme_px_per_mm(20, 21.5, 1080, 1920) < 4.1); /* implausible DPI ignored */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_contrast_known_values), cmocka_unit_test(test_every_pair_7_to_1),
        cmocka_unit_test(test_reference_panel), cmocka_unit_test(test_dpi_sources),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
