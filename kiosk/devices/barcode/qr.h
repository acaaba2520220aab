/* qr.h - QR code encoding (libqrencode) and crisp rendering.
 *
 * A qr_code is the module matrix of one symbol. It is drawn at an integer
 * number of pixels per module, dark on white whatever the caller's theme,
 * with a quiet zone of at least QR_QUIET_MIN modules on every side: the same
 * bitmap serves the screen (8-bit) and the printer raster (1-bit).
 *
 * Lifecycle: qr_encode_text() or qr_encode_bytes() -> query / render any
 * number of times -> qr_free(). A qr_code is immutable once made, so it may
 * be read from several threads at once.
 */
#ifndef KIOSK_QR_H
#define KIOSK_QR_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum qr_err {
    QR_OK = 0,
    QR_ERR_ARG = 1,       /* NULL pointer, empty payload, bad size or level */
    QR_ERR_TOO_LONG = 2,  /* payload does not fit version 40 at this level */
    QR_ERR_NOMEM = 3,
    QR_ERR_ENCODE = 4,    /* libqrencode failed for another reason */
    QR_ERR_SPACE = 5,     /* destination buffer too small */
    QR_ERR_IO = 6         /* writing an output file failed */
} qr_err;

/* Error correction level: share of the symbol that may be lost. */
typedef enum qr_ec {
    QR_EC_L = 0, /* ~7 % */
    QR_EC_M = 1, /* ~15 % */
    QR_EC_Q = 2, /* ~25 % (passes) */
    QR_EC_H = 3  /* ~30 % */
} qr_ec;

enum {
    QR_QUIET_MIN = 4,        /* ISO/IEC 18004 quiet zone, in modules */
    QR_PAYLOAD_MAX = 2953    /* bytes at version 40-L, the absolute limit */
};

typedef struct qr_code qr_code;

/* Text payload (UTF-8, NUL-terminated). Runs of digits and of upper-case
 * alphanumerics use the denser QR modes, so Base45 text stays compact. */
qr_err qr_encode_text(const char *text, qr_ec ec, qr_code **out);
/* Any bytes (NULs included), 8-bit mode; decodes back to the same bytes. */
qr_err qr_encode_bytes(const void *data, size_t len, qr_ec ec, qr_code **out);
void qr_free(qr_code *qr);

int qr_version(const qr_code *qr);      /* 1..40 */
qr_ec qr_level(const qr_code *qr);
int qr_size(const qr_code *qr);         /* modules per side, quiet zone excluded */
/* 1 when module (x, y) is dark; 0 when light or outside the symbol. */
int qr_module(const qr_code *qr, int x, int y);

/* Side in pixels of a rendering with MODULE_PX pixels per module and QUIET
 * modules of quiet zone, or 0 when the arguments are invalid. */
int qr_render_side(const qr_code *qr, int module_px, int quiet);
/* The largest integer module size whose rendering (with QUIET modules of
 * quiet zone) fits in MAX_PX; 0 when even 1 px per module does not fit. */
int qr_fit_module_px(const qr_code *qr, int max_px, int quiet);

/* 8-bit rendering: 0 = dark, 255 = white, top-left at dst, rows STRIDE bytes
 * apart. QUIET < QR_QUIET_MIN is refused (QR_ERR_ARG). */
qr_err qr_render_gray(const qr_code *qr, int module_px, int quiet, uint8_t *dst, size_t stride);
/* 1-bit rendering as printers take it: MSB first, 1 = dark (burnt dot),
 * drawn at pixel column X0 of rows STRIDE bytes apart; bits outside the
 * symbol's square are left untouched, bits inside are all written. */
qr_err qr_render_mono(const qr_code *qr, int module_px, int quiet, uint8_t *dst, size_t stride,
                      int x0);

/* Writes an 8-bit grayscale PNG of the rendering. */
qr_err qr_write_png(const qr_code *qr, int module_px, int quiet, const char *path);

const char *qr_strerror(qr_err err);

#ifdef __cplusplus
}
#endif
#endif
