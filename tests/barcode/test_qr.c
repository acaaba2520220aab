/* test_qr.c - encode -> render -> decode round trips through qr_ and zxc_. */
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
#include "zxc.h"

static const qr_ec LEVELS[] = {QR_EC_L, QR_EC_M, QR_EC_Q, QR_EC_H};

/* Deterministic bytes covering all 256 values, NULs included. */
static void fill_binary(uint8_t *buf, size_t n, uint32_t seed)
{
    uint32_t x = seed * 2654435761u + 1u;
    for (size_t i = 0; i < n; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        buf[i] = (uint8_t)(x >> 11);
    }
}

/* Renders QR at MODULE px per module into a fresh gray buffer and decodes it. */
static zxc_err render_and_read(zxc_reader *rd, const qr_code *qr, int module, zxc_result *res)
{
    int side = qr_render_side(qr, module, QR_QUIET_MIN);
    assert_true(side > 0);
    uint8_t *img = malloc((size_t)side * (size_t)side);
    assert_non_null(img);
    assert_int_equal(qr_render_gray(qr, module, QR_QUIET_MIN, img, (size_t)side), QR_OK);
    zxc_err e = zxc_read(rd, img, side, side, side, 1, res);
    free(img);
    return e;
}

static void test_binary_round_trip_all_lengths_all_levels(void **state)
{
    (void)state;
    zxc_reader *rd = zxc_reader_new(ZXC_FAST);
    assert_non_null(rd);
    static zxc_result res;
    uint8_t payload[300];
    for (size_t len = 1; len <= 300; len++) {
        for (size_t l = 0; l < 4; l++) {
            fill_binary(payload, len, (uint32_t)(len * 4 + l));
            qr_code *qr = NULL;
            assert_int_equal(qr_encode_bytes(payload, len, LEVELS[l], &qr), QR_OK);
            assert_int_equal(qr_level(qr), LEVELS[l]);
            assert_int_equal(qr_size(qr), 17 + 4 * qr_version(qr));
            zxc_err e = render_and_read(rd, qr, 2, &res);
            if (e != ZXC_OK)
                fail_msg("len %zu level %zu: %s (%s)", len, l, zxc_strerror(e),
                         zxc_reader_detail(rd));
            assert_int_equal(res.len, len);
            assert_memory_equal(res.bytes, payload, len);
            qr_free(qr);
        }
    }
    zxc_reader_free(rd);
}

static void test_text_round_trip(void **state)
{
    (void)state;
    /* ASCII, Base45-looking (alphanumeric mode), digits and UTF-8 Chinese. */
    static const char *texts[] = {
        "1",
        "HELLO WORLD",
        "NCFOXN%TSMAHN-HVN9OA.KX1D3.CB7K:0W.S8K0QAJ*MA",
        "0123456789012345678901234567890123456789",
        "order 2024-0001: 青菜 2 把, 口罩 10 个; 请放门口",
        "https://example.org/p?x=1&y=2",
    };
    zxc_reader *rd = zxc_reader_new(ZXC_FAST);
    static zxc_result res;
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        for (size_t l = 0; l < 4; l++) {
            qr_code *qr = NULL;
            assert_int_equal(qr_encode_text(texts[i], LEVELS[l], &qr), QR_OK);
            assert_int_equal(render_and_read(rd, qr, 3, &res), ZXC_OK);
            assert_int_equal(res.len, strlen(texts[i]));
            assert_string_equal((const char *)res.bytes, texts[i]);
            qr_free(qr);
        }
    }
    zxc_reader_free(rd);
}

/* A pass of 150 Base45 chars (v8-Q holds 155 alphanumerics) must fit version 8 at level Q (DESIGN). */
static void test_base45_pass_fits_version_8_q(void **state)
{
    (void)state;
    char text[151];
    static const char b45[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
    for (size_t i = 0; i < 150; i++)
        text[i] = b45[(i * 7) % 45];
    text[150] = '\0';
    qr_code *qr = NULL;
    assert_int_equal(qr_encode_text(text, QR_EC_Q, &qr), QR_OK);
    assert_true(qr_version(qr) <= 8);
    qr_free(qr);
}

static void test_errors(void **state)
{
    (void)state;
    qr_code *qr = (qr_code *)(uintptr_t)1;
    assert_int_equal(qr_encode_text(NULL, QR_EC_M, &qr), QR_ERR_ARG);
    assert_null(qr);
    assert_int_equal(qr_encode_text("", QR_EC_M, &qr), QR_ERR_ARG);
    assert_int_equal(qr_encode_bytes("x", 0, QR_EC_M, &qr), QR_ERR_ARG);
    assert_int_equal(qr_encode_bytes("x", 1, (qr_ec)9, &qr), QR_ERR_ARG);
    static uint8_t big[3000];
    fill_binary(big, sizeof big, 7);
    assert_int_equal(qr_encode_bytes(big, 2954, QR_EC_L, &qr), QR_ERR_TOO_LONG);
    assert_int_equal(qr_encode_bytes(big, 2953, QR_EC_H, &qr), QR_ERR_TOO_LONG);
    assert_int_equal(qr_encode_bytes(big, 2953, QR_EC_L, &qr), QR_OK);
    assert_int_equal(qr_version(qr), 40);
    qr_free(qr);
    qr_free(NULL);
    assert_true(strlen(qr_strerror(QR_ERR_TOO_LONG)) > 0);
    assert_true(strlen(qr_strerror((qr_err)99)) > 0);

    assert_int_equal(qr_encode_text("A", QR_EC_M, &qr), QR_OK);
    uint8_t buf[64 * 64];
    /* Quiet zone below the minimum and zero module size are refused. */
    assert_int_equal(qr_render_side(qr, 1, 3), 0);
    assert_int_equal(qr_render_gray(qr, 1, 3, buf, 64), QR_ERR_ARG);
    assert_int_equal(qr_render_gray(qr, 0, 4, buf, 64), QR_ERR_ARG);
    assert_int_equal(qr_render_gray(qr, 3, 4, buf, 10), QR_ERR_SPACE);
    assert_int_equal(qr_render_mono(qr, 1, 4, buf, 2, 0), QR_ERR_SPACE);
    assert_int_equal(qr_module(qr, -1, 0), 0);
    assert_int_equal(qr_module(qr, 0, 21), 0);
    assert_int_equal(qr_module(NULL, 0, 0), 0);
    qr_free(qr);
}

/* Layout facts the screens rely on: quiet zone white, finder pattern dark,
 * integer scaling, fit helper. */
static void test_render_geometry(void **state)
{
    (void)state;
    qr_code *qr = NULL;
    assert_int_equal(qr_encode_text("GEOMETRY", QR_EC_M, &qr), QR_OK);
    int n = qr_size(qr);
    assert_int_equal(n, 21);
    int m = qr_fit_module_px(qr, 300, 4);
    assert_int_equal(m, 300 / (21 + 8));
    assert_int_equal(qr_fit_module_px(qr, 28, 4), 0);
    int side = qr_render_side(qr, m, 4);
    assert_true(side <= 300);
    uint8_t *g = malloc((size_t)side * (size_t)side);
    assert_int_equal(qr_render_gray(qr, m, 4, g, (size_t)side), QR_OK);
    for (int i = 0; i < 4 * m; i++) {
        assert_int_equal(g[(size_t)i * (size_t)side + (size_t)(side / 2)], 255); /* top quiet */
        assert_int_equal(g[(size_t)(side / 2) * (size_t)side + (size_t)i], 255); /* left quiet */
    }
    assert_int_equal(g[(size_t)(4 * m) * (size_t)side + (size_t)(4 * m)], 0); /* finder corner */
    /* Mono rendering matches gray, at an unaligned x offset, and does not
     * touch bits outside its square. */
    int x0 = 5;
    size_t stride = (size_t)(x0 + side + 7) / 8 + 1;
    uint8_t *mono = malloc(stride * (size_t)side);
    memset(mono, 0xff, stride * (size_t)side);
    assert_int_equal(qr_render_mono(qr, m, 4, mono, stride, x0), QR_OK);
    for (int y = 0; y < side; y++) {
        for (int x = 0; x < x0 + side + 8 && (size_t)x < stride * 8; x++) {
            int bit = (mono[(size_t)y * stride + (size_t)(x >> 3)] >> (7 - (x & 7))) & 1;
            if (x < x0 || x >= x0 + side)
                assert_int_equal(bit, 1);
            else
                assert_int_equal(bit, g[(size_t)y * (size_t)side + (size_t)(x - x0)] == 0);
        }
    }
    free(mono);
    free(g);
    qr_free(qr);
}

static void test_png_written(void **state)
{
    (void)state;
    char path[] = "/tmp/test_qr_XXXXXX.png";
    int fd = mkstemps(path, 4);
    assert_true(fd >= 0);
    close(fd);
    qr_code *qr = NULL;
    assert_int_equal(qr_encode_text("PNG", QR_EC_M, &qr), QR_OK);
    assert_int_equal(qr_write_png(qr, 4, 4, path), QR_OK);
    FILE *f = fopen(path, "rb");
    unsigned char sig[8];
    assert_int_equal(fread(sig, 1, 8, f), 8);
    fclose(f);
    assert_memory_equal(sig, "\x89PNG\r\n\x1a\n", 8);
    assert_int_equal(qr_write_png(qr, 4, 4, "/nonexistent-dir/x.png"), QR_ERR_IO);
    unlink(path);
    qr_free(qr);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_binary_round_trip_all_lengths_all_levels),
        cmocka_unit_test(test_text_round_trip),
        cmocka_unit_test(test_base45_pass_fits_version_8_q),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_render_geometry),
        cmocka_unit_test(test_png_written),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
