/* test_zxc_api.c - the ZXing C API subset the kiosk uses, called directly.
 * On Debian 12 this exercises the project's compat shim (run it under the
 * asan preset); where zxing-cpp has its own ZXingC.h it checks that the
 * calling code's assumptions hold for upstream as well. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <ZXing/ZXingC.h>
#include <stdlib.h>
#include <string.h>

#include "qr.h"
#include "zxc.h"

/* A W x H YUYV frame (row stride W*2 + PAD) with QR's rendering centred in
 * its Y samples and chroma 0x80/0x40 in the other bytes. */
static uint8_t *yuyv_frame(const qr_code *qr, int module, int w, int h, int pad)
{
    int side = qr_render_side(qr, module, QR_QUIET_MIN);
    assert_true(side <= w && side <= h);
    uint8_t *g = malloc((size_t)side * (size_t)side);
    qr_render_gray(qr, module, QR_QUIET_MIN, g, (size_t)side);
    size_t stride = (size_t)w * 2 + (size_t)pad;
    uint8_t *f = malloc(stride * (size_t)h);
    int ox = (w - side) / 2, oy = (h - side) / 2;
    for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
            uint8_t lum = 255;
            if (x >= ox && x < ox + side && y >= oy && y < oy + side)
                lum = g[(size_t)(y - oy) * (size_t)side + (size_t)(x - ox)];
            f[(size_t)y * stride + (size_t)x * 2] = lum;
            f[(size_t)y * stride + (size_t)x * 2 + 1] = (x & 1) ? 0x40 : 0x80;
        }
        for (int p = 0; p < pad; p++)
            f[(size_t)y * stride + (size_t)w * 2 + (size_t)p] = 0;
    }
    free(g);
    return f;
}

static void test_null_and_bad_arguments(void **state)
{
    (void)state;
    uint8_t px[16] = {0};
    assert_null(ZXing_ImageView_new(NULL, 4, 4, ZXing_ImageFormat_Lum, 0, 0));
    char *msg = ZXing_LastErrorMsg();
    assert_non_null(msg);
    assert_true(strlen(msg) > 0);
    ZXing_free(msg);
    assert_null(ZXing_ImageView_new(px, 0, 4, ZXing_ImageFormat_Lum, 0, 0));
    assert_null(ZXing_ImageView_new(px, 4, -1, ZXing_ImageFormat_Lum, 0, 0));
    assert_null(ZXing_ImageView_new(px, 4, 4, ZXing_ImageFormat_Lum, -4, 0));

    ZXing_ImageView_delete(NULL);
    ZXing_ReaderOptions_delete(NULL);
    ZXing_Barcodes_delete(NULL);
    ZXing_free(NULL);
    ZXing_ReaderOptions_setTryHarder(NULL, true);
    ZXing_ReaderOptions_setFormats(NULL, ZXing_BarcodeFormat_QRCode);

    assert_null(ZXing_ReadBarcodes(NULL, NULL));
    msg = ZXing_LastErrorMsg();
    assert_non_null(msg);
    ZXing_free(msg);
    assert_int_equal(ZXing_Barcodes_size(NULL), 0);
    assert_null(ZXing_Barcodes_at(NULL, 0));
    int len = 99;
    assert_null(ZXing_Barcode_bytes(NULL, &len));
    assert_int_equal(len, 0);
    assert_false(ZXing_Barcode_isValid(NULL));
    assert_int_equal(ZXing_Barcode_format(NULL), ZXing_BarcodeFormat_None);

    /* zxc_ refuses the same things without crashing. */
    zxc_reader *rd = zxc_reader_new(ZXC_FAST);
    static zxc_result res;
    assert_int_equal(zxc_read(rd, NULL, 4, 4, 0, 1, &res), ZXC_ERR_ARG);
    assert_int_equal(zxc_read(rd, px, 4, 4, 3, 1, &res), ZXC_ERR_ARG);
    assert_true(strlen(zxc_reader_detail(rd)) > 0);
    assert_int_equal(zxc_read(NULL, px, 4, 4, 0, 1, &res), ZXC_ERR_ARG);
    zxc_reader_free(rd);
    zxc_reader_free(NULL);
}

static void test_blank_image_gives_empty_list(void **state)
{
    (void)state;
    enum { W = 200, H = 120 };
    static uint8_t img[W * H];
    memset(img, 200, sizeof img);
    ZXing_ImageView *iv = ZXing_ImageView_new(img, W, H, ZXing_ImageFormat_Lum, 0, 0);
    assert_non_null(iv);
    ZXing_Barcodes *bs = ZXing_ReadBarcodes(iv, NULL);
    assert_non_null(bs);
    assert_int_equal(ZXing_Barcodes_size(bs), 0);
    assert_null(ZXing_Barcodes_at(bs, 0));
    assert_null(ZXing_Barcodes_at(bs, -1));
    assert_null(ZXing_LastErrorMsg());
    ZXing_Barcodes_delete(bs);
    ZXing_ImageView_delete(iv);
}

/* Binary payload with NULs and high bytes, read from the Y plane of a YUYV
 * frame with padded rows: bytes come back raw, not as text. */
static void test_yuyv_pixel_stride_binary(void **state)
{
    (void)state;
    uint8_t payload[64];
    for (size_t i = 0; i < sizeof payload; i++)
        payload[i] = (uint8_t)(255 - i * 4);
    payload[3] = 0;
    payload[10] = 0;
    qr_code *qr = NULL;
    assert_int_equal(qr_encode_bytes(payload, sizeof payload, QR_EC_M, &qr), QR_OK);
    enum { W = 320, H = 240, PAD = 16 };
    uint8_t *f = yuyv_frame(qr, 3, W, H, PAD);

    ZXing_ReaderOptions *o = ZXing_ReaderOptions_new();
    assert_non_null(o);
    ZXing_ReaderOptions_setFormats(o, ZXing_BarcodeFormat_QRCode);
    ZXing_ReaderOptions_setTryHarder(o, true);
    ZXing_ReaderOptions_setTryRotate(o, false);
    ZXing_ReaderOptions_setTryDownscale(o, false);
    ZXing_ReaderOptions_setIsPure(o, false);
    ZXing_ReaderOptions_setMaxNumberOfSymbols(o, 4);
    ZXing_ImageView *iv = ZXing_ImageView_new(f, W, H, ZXing_ImageFormat_Lum, W * 2 + PAD, 2);
    assert_non_null(iv);
    ZXing_Barcodes *bs = ZXing_ReadBarcodes(iv, o);
    assert_non_null(bs);
    assert_int_equal(ZXing_Barcodes_size(bs), 1);
    const ZXing_Barcode *b = ZXing_Barcodes_at(bs, 0);
    assert_true(ZXing_Barcode_isValid(b));
    assert_int_equal(ZXing_Barcode_format(b), ZXing_BarcodeFormat_QRCode);
    int len = 0;
    uint8_t *bytes = ZXing_Barcode_bytes(b, &len);
    assert_int_equal(len, (int)sizeof payload);
    assert_memory_equal(bytes, payload, sizeof payload);
    assert_int_equal(bytes[len], 0);
    ZXing_free(bytes);
    ZXing_Position p = ZXing_Barcode_position(b);
    int side = qr_render_side(qr, 3, QR_QUIET_MIN);
    int ox = (W - side) / 2, oy = (H - side) / 2;
    /* Corners land on the symbol (inside the quiet zone border). */
    assert_in_range(p.topLeft.x, ox, ox + side);
    assert_in_range(p.topLeft.y, oy, oy + side);
    assert_in_range(p.bottomRight.x, ox, ox + side);
    assert_in_range(p.bottomRight.y, oy, oy + side);
    assert_true(p.bottomRight.x > p.topLeft.x && p.bottomRight.y > p.topLeft.y);
    ZXing_Barcodes_delete(bs);
    ZXing_ImageView_delete(iv);
    ZXing_ReaderOptions_delete(o);

    /* Same through zxc_ (the kiosk's path). */
    zxc_reader *rd = zxc_reader_new(ZXC_FAST);
    static zxc_result res;
    assert_int_equal(zxc_read(rd, f, W, H, W * 2 + PAD, 2, &res), ZXC_OK);
    assert_int_equal(res.len, sizeof payload);
    assert_memory_equal(res.bytes, payload, sizeof payload);
    /* Wrong stride (chroma read as luma) must not crash; it may or may not
     * find the code, but never reports a different payload. */
    zxc_err e = zxc_read(rd, f, W, H, W * 2 + PAD, 1, &res);
    if (e == ZXC_OK)
        assert_memory_equal(res.bytes, payload, sizeof payload);
    zxc_reader_free(rd);
    free(f);
    qr_free(qr);
}

static void test_pure_mode_and_strerror(void **state)
{
    (void)state;
    qr_code *qr = NULL;
    assert_int_equal(qr_encode_text("PURE", QR_EC_H, &qr), QR_OK);
    int side = qr_render_side(qr, 2, QR_QUIET_MIN);
    uint8_t *g = malloc((size_t)side * (size_t)side);
    qr_render_gray(qr, 2, QR_QUIET_MIN, g, (size_t)side);
    zxc_reader *rd = zxc_reader_new(ZXC_PURE);
    static zxc_result res;
    assert_int_equal(zxc_read(rd, g, side, side, 0, 0, &res), ZXC_OK);
    assert_string_equal((char *)res.bytes, "PURE");
    zxc_reader_free(rd);
    free(g);
    qr_free(qr);
    for (int i = 0; i <= 6; i++)
        assert_non_null(zxc_strerror((zxc_err)i));
    assert_in_range(zxc_uses_compat(), 0, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_null_and_bad_arguments),
        cmocka_unit_test(test_blank_image_gives_empty_list),
        cmocka_unit_test(test_yuyv_pixel_stride_binary),
        cmocka_unit_test(test_pure_mode_and_strerror),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
