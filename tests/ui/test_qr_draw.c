/* test_qr_draw.c - a QR code drawn by the UI (ui_qr, through the SDL
 * platform layer, headless) scans back to the same bytes: payloads of 1 to
 * 300 bytes, text and binary, every EC level, on a dark background to show
 * the code keeps its own white quiet zone whatever the theme. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "qr.h"
#include "scan.h"
#include "ui_sdl.h"

static ui_sdl *plat;
static ui *core;
static ui_theme theme;
static char png[64];

static int setup(void **st)
{
    char err[256];
    const char *root = getenv("KIOSK_SOURCE_DIR");
    char reg[512], bold[512];
    snprintf(reg, sizeof reg, "%s/fonts/NotoSansSC-Regular.otf", root ? root : KIOSK_SOURCE_DIR);
    snprintf(bold, sizeof bold, "%s/fonts/NotoSansSC-Bold.otf", root ? root : KIOSK_SOURCE_DIR);
    ui_sdl_opts o = {.headless = true, .width = 1000, .height = 1000, .diagonal_in = 21.5,
                     .font_regular = reg, .font_bold = bold};
    if (ui_sdl_open(&o, &plat, err, sizeof err) != UI_SDL_OK)
        return -1;
    ui_theme_init(&theme, ui_sdl_px_per_mm(plat), false);
    if (ui_sdl_set_theme(plat, &theme, err, sizeof err) != UI_SDL_OK)
        return -1;
    ui_text_metrics tm = ui_sdl_metrics(plat);
    core = ui_new(&tm, &theme);
    snprintf(png, sizeof png, "/tmp/kiosk-test-qr-%d.png", (int)getpid());
    return core ? 0 : -1;
}

static int teardown(void **st)
{
    unlink(png);
    ui_free(core);
    ui_sdl_close(plat);
    return 0;
}

/* Draws DATA as a QR at level EC into MAX_PX, screenshots, scans. */
static void round_trip(const uint8_t *data, size_t len, qr_ec ec, int max_px)
{
    qr_code *q;
    assert_int_equal(qr_encode_bytes(data, len, ec, &q), QR_OK);
    int side = qr_size(q);
    uint8_t *mods = malloc((size_t)side * (size_t)side);
    assert_non_null(mods);
    for (int y = 0; y < side; y++)
        for (int x = 0; x < side; x++)
            mods[y * side + x] = (uint8_t)qr_module(q, x, y);
    ui_begin(core, 1000, 1000, 0);
    ui_draw_rect(core, (ui_rect){0, 0, 1000, 1000}, UI_RGB(0x1B1B1B), 0); /* a dark theme */
    int px = ui_qr(core, 37, 41, max_px, mods, side);
    ui_end(core);
    assert_true(px <= max_px && px % (side + 8) == 0); /* whole pixels per module */
    ui_sdl_render(plat, core, true);
    assert_int_equal(ui_sdl_screenshot(plat, png), UI_SDL_OK);
    static zxc_result res;
    scan_err e = scan_file(png, &res);
    if (e != SCAN_OK)
        fail_msg("%zu bytes at EC %d (version %d, %d px): %s", len, (int)ec, qr_version(q), px, scan_strerror(e));
    assert_int_equal(res.len, len);
    assert_memory_equal(res.bytes, data, len);
    free(mods);
    qr_free(q);
}

static void test_text_every_level(void **st)
{
    static const char text[] = "KIOSK:ORDER:20261130-0042 祥和新城 3栋2单元501 鸡蛋x10 口罩x5 "
                               "留在门口 请先打电话 ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    const size_t lens[] = {1, 17, 64, 150};
    for (int ec = QR_EC_L; ec <= QR_EC_H; ec++)
        for (size_t i = 0; i < sizeof lens / sizeof lens[0]; i++)
            round_trip((const uint8_t *)text, lens[i] < sizeof text - 1 ? lens[i] : sizeof text - 1, (qr_ec)ec, 600);
}

static void test_binary_up_to_300(void **st)
{
    uint8_t bin[300];
    for (size_t i = 0; i < sizeof bin; i++)
        bin[i] = (uint8_t)(i * 151u + 7u); /* every byte value, NULs included */
    const size_t lens[] = {1, 2, 33, 128, 255, 300};
    for (size_t i = 0; i < sizeof lens / sizeof lens[0]; i++)
        round_trip(bin, lens[i], QR_EC_Q, 900);
    round_trip(bin, 300, QR_EC_H, 900);
}

static void test_small_box_still_whole_modules(void **st)
{
    const uint8_t p[] = "PASS";
    round_trip(p, 4, QR_EC_Q, 120); /* 21 + 8 modules in 120 px: 4 px each */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_text_every_level),
        cmocka_unit_test(test_binary_up_to_300),
        cmocka_unit_test(test_small_box_still_whole_modules),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
