/* zxc.c - the kiosk's QR reader over the ZXing-C++ C API (upstream names;
 * on Debian 12 they come from zxing_compat/, see ZXingC.h there). */
#include "zxc.h"

#include <ZXing/ZXingC.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>

struct zxc_reader {
    ZXing_ReaderOptions *opts;
    uint8_t *stretched; /* low-contrast retry buffer, kept between frames */
    size_t stretched_cap;
    char detail[160];
};

/* Below this spread between the 1st and 99th percentile of luminance a
 * frame counts as low contrast (a dim phone screen, a grey printout). */
enum { LOW_CONTRAST_SPREAD = 96, MIN_SPREAD = 8 };

zxc_reader *zxc_reader_new(unsigned flags)
{
    zxc_reader *rd = calloc(1, sizeof *rd);
    if (!rd)
        return NULL;
    rd->opts = ZXing_ReaderOptions_new();
    if (!rd->opts) {
        free(rd);
        return NULL;
    }
    ZXing_ReaderOptions_setFormats(rd->opts, ZXing_BarcodeFormat_QRCode);
    ZXing_ReaderOptions_setTryHarder(rd->opts, (flags & ZXC_TRY_HARDER) != 0);
    /* QR finder patterns are rotation invariant; rotating is for 1D codes. */
    ZXing_ReaderOptions_setTryRotate(rd->opts, false);
    ZXing_ReaderOptions_setTryDownscale(rd->opts, true);
    ZXing_ReaderOptions_setIsPure(rd->opts, (flags & ZXC_PURE) != 0);
    ZXing_ReaderOptions_setMaxNumberOfSymbols(rd->opts, 1);
    return rd;
}

void zxc_reader_free(zxc_reader *rd)
{
    if (!rd)
        return;
    ZXing_ReaderOptions_delete(rd->opts);
    free(rd->stretched);
    free(rd);
}

static zxc_err fail(zxc_reader *rd, zxc_err err, const char *what)
{
    char *msg = ZXing_LastErrorMsg();
    snprintf(rd->detail, sizeof rd->detail, "%s%s%s", what, msg ? ": " : "", msg ? msg : "");
    ZXing_free(msg);
    return err;
}

static zxc_err read_view(zxc_reader *rd, const uint8_t *lum, int w, int h, int row_stride,
                         int pix_stride, zxc_result *res)
{
    ZXing_ImageView *iv =
        ZXing_ImageView_new(lum, w, h, ZXing_ImageFormat_Lum, row_stride, pix_stride);
    if (!iv)
        return fail(rd, ZXC_ERR_ARG, "image view refused");
    ZXing_Barcodes *found = ZXing_ReadBarcodes(iv, rd->opts);
    ZXing_ImageView_delete(iv);
    if (!found)
        return fail(rd, ZXC_ERR_DECODER, "decoder failed");

    zxc_err err = ZXC_ERR_NOT_FOUND;
    for (int i = 0; i < ZXing_Barcodes_size(found) && err == ZXC_ERR_NOT_FOUND; i++) {
        const ZXing_Barcode *b = ZXing_Barcodes_at(found, i);
        if (!ZXing_Barcode_isValid(b) || ZXing_Barcode_format(b) != ZXing_BarcodeFormat_QRCode)
            continue;
        int n = 0;
        uint8_t *bytes = ZXing_Barcode_bytes(b, &n);
        if (!bytes) {
            err = fail(rd, ZXC_ERR_NOMEM, "payload copy");
            break;
        }
        if (n > ZXC_PAYLOAD_MAX) {
            err = ZXC_ERR_TOO_LONG;
        } else {
            memcpy(res->bytes, bytes, (size_t)n);
            res->bytes[n] = 0;
            res->len = (size_t)n;
            ZXing_Position p = ZXing_Barcode_position(b);
            int c[8] = {p.topLeft.x,     p.topLeft.y,     p.topRight.x,   p.topRight.y,
                        p.bottomRight.x, p.bottomRight.y, p.bottomLeft.x, p.bottomLeft.y};
            memcpy(res->corners, c, sizeof c);
            err = ZXC_OK;
        }
        ZXing_free(bytes);
    }
    ZXing_Barcodes_delete(found);
    return err;
}

/* 1st and 99th percentile of luminance, from every 4th pixel of every 4th
 * row (enough for a histogram, ~1/16 of the reads). */
static void luminance_spread(const uint8_t *lum, int w, int h, int rs, int ps, int *lo, int *hi)
{
    unsigned hist[256] = {0};
    unsigned n = 0;
    for (int y = 0; y < h; y += 4)
        for (int x = 0; x < w; x += 4, n++)
            hist[lum[(size_t)y * (size_t)rs + (size_t)x * (size_t)ps]]++;
    unsigned cut = n / 100, acc = 0;
    int a = 0, b = 255;
    while (a < 255 && (acc += hist[a]) <= cut)
        a++;
    acc = 0;
    while (b > 0 && (acc += hist[b]) <= cut)
        b--;
    *lo = a;
    *hi = b;
}

zxc_err zxc_read(zxc_reader *rd, const uint8_t *lum, int w, int h, int row_stride,
                 int pix_stride, zxc_result *res)
{
    if (!rd || !res)
        return ZXC_ERR_ARG;
    rd->detail[0] = '\0';
    res->len = 0;
    res->bytes[0] = 0;
    if (!lum || w <= 0 || h <= 0 || pix_stride < 0 || row_stride < 0)
        return fail(rd, ZXC_ERR_ARG, "bad image geometry");
    zxc_err err = read_view(rd, lum, w, h, row_stride, pix_stride, res);
    if (err != ZXC_ERR_NOT_FOUND)
        return err;

    /* ZXing 1.4's binarizer misses codes whose dark and light modules are
     * only a few dozen levels apart, which zbar reads. When the frame is
     * that flat, retry once on a contrast-stretched copy: a copy only on
     * this path, never for a frame that decoded in place. */
    int ps = pix_stride ? pix_stride : 1, rs = row_stride ? row_stride : w * ps;
    int lo, hi;
    luminance_spread(lum, w, h, rs, ps, &lo, &hi);
    if (hi - lo >= LOW_CONTRAST_SPREAD || hi - lo < MIN_SPREAD)
        return err;
    size_t need = (size_t)w * (size_t)h;
    if (need > rd->stretched_cap) {
        uint8_t *buf = realloc(rd->stretched, need);
        if (!buf)
            return fail(rd, ZXC_ERR_NOMEM, "low-contrast buffer");
        rd->stretched = buf;
        rd->stretched_cap = need;
    }
    uint8_t map[256];
    for (int v = 0; v < 256; v++) {
        int s = (v - lo) * 255 / (hi - lo);
        map[v] = (uint8_t)(s < 0 ? 0 : s > 255 ? 255 : s);
    }
    for (int y = 0; y < h; y++) {
        const uint8_t *src = lum + (size_t)y * (size_t)rs;
        uint8_t *dst = rd->stretched + (size_t)y * (size_t)w;
        for (int x = 0; x < w; x++)
            dst[x] = map[src[(size_t)x * (size_t)ps]];
    }
    return read_view(rd, rd->stretched, w, h, w, 1, res);
}

const char *zxc_reader_detail(const zxc_reader *rd) { return rd ? rd->detail : ""; }

const char *zxc_strerror(zxc_err err)
{
    switch (err) {
    case ZXC_OK: return "no error";
    case ZXC_ERR_ARG: return "invalid image";
    case ZXC_ERR_NOT_FOUND: return "no QR code found";
    case ZXC_ERR_NOMEM: return "out of memory";
    case ZXC_ERR_DECODER: return "the QR decoder failed";
    case ZXC_ERR_TOO_LONG: return "the QR code holds more data than allowed";
    }
    return "unknown decoder error";
}

int zxc_uses_compat(void)
{
#ifdef KIOSK_ZXING_COMPAT
    return 1;
#else
    return 0;
#endif
}
