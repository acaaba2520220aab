/* qr.c - QR encoding over libqrencode and integer-scaled rendering.
 *
 * libqrencode's QRcode keeps per-module flag bytes (bit 0 = dark); we copy
 * just that bit into our own matrix so the rest of the kiosk never sees the
 * library's types and a qr_code stays immutable and thread-safe to read.
 */
#include "qr.h"

#include <errno.h>
#include <png.h>
#include <qrencode.h>
#include <stdlib.h>
#include <string.h>

struct qr_code {
    int version;
    int size;
    qr_ec level;
    uint8_t *dark; /* size * size, 1 = dark */
};

static QRecLevel to_qrencode_level(qr_ec ec)
{
    switch (ec) {
    case QR_EC_L: return QR_ECLEVEL_L;
    case QR_EC_M: return QR_ECLEVEL_M;
    case QR_EC_Q: return QR_ECLEVEL_Q;
    case QR_EC_H: return QR_ECLEVEL_H;
    }
    return QR_ECLEVEL_M;
}

static int valid_level(qr_ec ec)
{
    return ec == QR_EC_L || ec == QR_EC_M || ec == QR_EC_Q || ec == QR_EC_H;
}

/* Takes ownership of CODE (a libqrencode result) and wraps it. */
static qr_err adopt(QRcode *code, qr_ec ec, qr_code **out)
{
    if (!code) {
        if (errno == ERANGE)
            return QR_ERR_TOO_LONG;
        if (errno == ENOMEM)
            return QR_ERR_NOMEM;
        return QR_ERR_ENCODE;
    }
    qr_code *qr = calloc(1, sizeof *qr);
    size_t n = (size_t)code->width * (size_t)code->width;
    if (qr)
        qr->dark = malloc(n);
    if (!qr || !qr->dark) {
        free(qr);
        QRcode_free(code);
        return QR_ERR_NOMEM;
    }
    for (size_t i = 0; i < n; i++)
        qr->dark[i] = code->data[i] & 1u;
    qr->version = code->version;
    qr->size = code->width;
    qr->level = ec;
    QRcode_free(code);
    *out = qr;
    return QR_OK;
}

qr_err qr_encode_text(const char *text, qr_ec ec, qr_code **out)
{
    if (out)
        *out = NULL;
    if (!text || !out || !*text || !valid_level(ec))
        return QR_ERR_ARG;
    if (strlen(text) > QR_PAYLOAD_MAX)
        return QR_ERR_TOO_LONG;
    errno = 0;
    return adopt(QRcode_encodeString(text, 0, to_qrencode_level(ec), QR_MODE_8, 1), ec, out);
}

qr_err qr_encode_bytes(const void *data, size_t len, qr_ec ec, qr_code **out)
{
    if (out)
        *out = NULL;
    if (!data || !out || len == 0 || !valid_level(ec))
        return QR_ERR_ARG;
    if (len > QR_PAYLOAD_MAX)
        return QR_ERR_TOO_LONG;
    errno = 0;
    return adopt(QRcode_encodeData((int)len, data, 0, to_qrencode_level(ec)), ec, out);
}

void qr_free(qr_code *qr)
{
    if (!qr)
        return;
    free(qr->dark);
    free(qr);
}

int qr_version(const qr_code *qr) { return qr ? qr->version : 0; }
qr_ec qr_level(const qr_code *qr) { return qr ? qr->level : QR_EC_M; }
int qr_size(const qr_code *qr) { return qr ? qr->size : 0; }

int qr_module(const qr_code *qr, int x, int y)
{
    if (!qr || x < 0 || y < 0 || x >= qr->size || y >= qr->size)
        return 0;
    return qr->dark[(size_t)y * (size_t)qr->size + (size_t)x];
}

/* Largest module size accepted: keeps every side product far below INT_MAX. */
enum { MODULE_PX_MAX = 256, QUIET_MAX = 64 };

int qr_render_side(const qr_code *qr, int module_px, int quiet)
{
    if (!qr || module_px < 1 || module_px > MODULE_PX_MAX || quiet < QR_QUIET_MIN ||
        quiet > QUIET_MAX)
        return 0;
    return (qr->size + 2 * quiet) * module_px;
}

int qr_fit_module_px(const qr_code *qr, int max_px, int quiet)
{
    if (!qr || max_px <= 0 || quiet < QR_QUIET_MIN || quiet > QUIET_MAX)
        return 0;
    int m = max_px / (qr->size + 2 * quiet);
    return m > MODULE_PX_MAX ? MODULE_PX_MAX : m;
}

qr_err qr_render_gray(const qr_code *qr, int module_px, int quiet, uint8_t *dst, size_t stride)
{
    int side = qr_render_side(qr, module_px, quiet);
    if (!side || !dst)
        return QR_ERR_ARG;
    if (stride < (size_t)side)
        return QR_ERR_SPACE;
    for (int py = 0; py < side; py++) {
        uint8_t *row = dst + (size_t)py * stride;
        int my = py / module_px - quiet;
        for (int px = 0; px < side; px++)
            row[px] = qr_module(qr, px / module_px - quiet, my) ? 0 : 255;
    }
    return QR_OK;
}

qr_err qr_render_mono(const qr_code *qr, int module_px, int quiet, uint8_t *dst, size_t stride,
                      int x0)
{
    int side = qr_render_side(qr, module_px, quiet);
    if (!side || !dst || x0 < 0)
        return QR_ERR_ARG;
    if (stride < ((size_t)x0 + (size_t)side + 7) / 8)
        return QR_ERR_SPACE;
    for (int py = 0; py < side; py++) {
        uint8_t *row = dst + (size_t)py * stride;
        int my = py / module_px - quiet;
        for (int px = 0; px < side; px++) {
            int x = x0 + px;
            uint8_t bit = (uint8_t)(0x80u >> (x & 7));
            if (qr_module(qr, px / module_px - quiet, my))
                row[x >> 3] |= bit;
            else
                row[x >> 3] &= (uint8_t)~bit;
        }
    }
    return QR_OK;
}

qr_err qr_write_png(const qr_code *qr, int module_px, int quiet, const char *path)
{
    int side = qr_render_side(qr, module_px, quiet);
    if (!side || !path)
        return QR_ERR_ARG;
    uint8_t *pix = malloc((size_t)side * (size_t)side);
    if (!pix)
        return QR_ERR_NOMEM;
    qr_render_gray(qr, module_px, quiet, pix, (size_t)side);
    png_image img;
    memset(&img, 0, sizeof img);
    img.version = PNG_IMAGE_VERSION;
    img.width = (png_uint_32)side;
    img.height = (png_uint_32)side;
    img.format = PNG_FORMAT_GRAY;
    int ok = png_image_write_to_file(&img, path, 0, pix, side, NULL);
    png_image_free(&img);
    free(pix);
    return ok ? QR_OK : QR_ERR_IO;
}

const char *qr_strerror(qr_err err)
{
    switch (err) {
    case QR_OK: return "no error";
    case QR_ERR_ARG: return "invalid argument";
    case QR_ERR_TOO_LONG: return "the data is too long for a QR code";
    case QR_ERR_NOMEM: return "out of memory";
    case QR_ERR_ENCODE: return "the QR encoder failed";
    case QR_ERR_SPACE: return "the destination buffer is too small";
    case QR_ERR_IO: return "could not write the image file";
    }
    return "unknown QR error";
}
