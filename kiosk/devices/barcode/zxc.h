/* zxc.h - QR decoding for the kiosk, over the ZXing-C++ C API.
 *
 * A zxc_reader owns the decoder options and is reused frame after frame; it
 * reads a luminance plane in place, with any pixel stride (2 for the Y bytes
 * of a YUYV camera frame) and row stride, so no frame is copied on our side.
 * A reader is used by one thread at a time; make one per thread.
 */
#ifndef KIOSK_ZXC_H
#define KIOSK_ZXC_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum zxc_err {
    ZXC_OK = 0,
    ZXC_ERR_ARG = 1,       /* NULL, non-positive size, strides that overlap */
    ZXC_ERR_NOT_FOUND = 2, /* no QR code in the image */
    ZXC_ERR_NOMEM = 3,
    ZXC_ERR_DECODER = 4,   /* ZXing reported an error (see zxc_reader_detail) */
    ZXC_ERR_TOO_LONG = 5   /* payload larger than ZXC_PAYLOAD_MAX */
} zxc_err;

enum {
    ZXC_PAYLOAD_MAX = 2953, /* the largest QR payload (version 40-L, bytes) */
    /* reader flags */
    ZXC_FAST = 0,        /* camera frames: one pass per frame */
    ZXC_TRY_HARDER = 1,  /* still images and degraded frames: slower, finds more */
    ZXC_PURE = 2         /* the image is nothing but one rendered, aligned code */
};

typedef struct zxc_reader zxc_reader;

typedef struct zxc_result {
    size_t len;                           /* payload length in bytes */
    uint8_t bytes[ZXC_PAYLOAD_MAX + 1];   /* payload, raw bytes, NUL after len */
    int corners[8];                       /* x,y of top-left, top-right,
                                             bottom-right, bottom-left */
} zxc_result;

zxc_reader *zxc_reader_new(unsigned flags);
void zxc_reader_free(zxc_reader *rd);

/* Finds the first QR code in the W x H luminance plane at LUM (pixel (x, y)
 * at lum[y * row_stride + x * pix_stride]; strides 0 mean packed). */
zxc_err zxc_read(zxc_reader *rd, const uint8_t *lum, int w, int h, int row_stride,
                 int pix_stride, zxc_result *res);

/* Detail of the last error on this reader ("" when none). */
const char *zxc_reader_detail(const zxc_reader *rd);
const char *zxc_strerror(zxc_err err);
/* 1 when built over the project's compat shim, 0 over the library's own C API. */
int zxc_uses_compat(void);

#ifdef __cplusplus
}
#endif
#endif
