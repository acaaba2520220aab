/* ZXing/ZXingC.h - the subset of zxing-cpp's C API (upstream 2.2+) that the
 * kiosk uses, for systems whose zxing-cpp predates the C API (Debian 12
 * ships 1.4.0). Names, types and semantics follow upstream, so the calling
 * code compiles unchanged against either; zxing_compat.cpp implements it
 * over the 1.4 C++ API. CMake only puts this directory on the include path
 * when the installed library has no ZXingC.h of its own.
 *
 * Ownership as upstream: every *_new, ZXing_ReadBarcodes result is freed by
 * its *_delete; strings and byte arrays returned are freed with ZXing_free.
 */
#ifndef KIOSK_ZXING_C_COMPAT_H
#define KIOSK_ZXING_C_COMPAT_H

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ZXing_ImageView ZXing_ImageView;
typedef struct ZXing_ReaderOptions ZXing_ReaderOptions;
typedef struct ZXing_Barcode ZXing_Barcode;
typedef struct ZXing_Barcodes ZXing_Barcodes;

/* Only 8-bit luminance is used: camera frames (any pixel stride) and
 * decoded image files are both handed over as a luminance plane. */
typedef enum {
    ZXing_ImageFormat_None = 0,
    ZXing_ImageFormat_Lum = 0x01000000
} ZXing_ImageFormat;

typedef enum {
    ZXing_BarcodeFormat_None = 0,
    ZXing_BarcodeFormat_QRCode = (1 << 13)
} ZXing_BarcodeFormat;
typedef ZXing_BarcodeFormat ZXing_BarcodeFormats;

typedef struct ZXing_PointI {
    int x, y;
} ZXing_PointI;

typedef struct ZXing_Position {
    ZXing_PointI topLeft, topRight, bottomRight, bottomLeft;
} ZXing_Position;

/* rowStride / pixStride 0 mean "packed". NULL (and ZXing_LastErrorMsg set)
 * when the arguments cannot describe an image. */
ZXing_ImageView *ZXing_ImageView_new(const uint8_t *data, int width, int height,
                                     ZXing_ImageFormat format, int rowStride, int pixStride);
void ZXing_ImageView_delete(ZXing_ImageView *iv);

ZXing_ReaderOptions *ZXing_ReaderOptions_new(void);
void ZXing_ReaderOptions_delete(ZXing_ReaderOptions *opts);
void ZXing_ReaderOptions_setTryHarder(ZXing_ReaderOptions *opts, bool tryHarder);
void ZXing_ReaderOptions_setTryRotate(ZXing_ReaderOptions *opts, bool tryRotate);
void ZXing_ReaderOptions_setTryDownscale(ZXing_ReaderOptions *opts, bool tryDownscale);
void ZXing_ReaderOptions_setIsPure(ZXing_ReaderOptions *opts, bool isPure);
void ZXing_ReaderOptions_setFormats(ZXing_ReaderOptions *opts, ZXing_BarcodeFormats formats);
void ZXing_ReaderOptions_setMaxNumberOfSymbols(ZXing_ReaderOptions *opts, int n);

/* opts may be NULL (defaults). NULL on failure, see ZXing_LastErrorMsg. */
ZXing_Barcodes *ZXing_ReadBarcodes(const ZXing_ImageView *iv, const ZXing_ReaderOptions *opts);
void ZXing_Barcodes_delete(ZXing_Barcodes *barcodes);
int ZXing_Barcodes_size(const ZXing_Barcodes *barcodes);
const ZXing_Barcode *ZXing_Barcodes_at(const ZXing_Barcodes *barcodes, int i);

bool ZXing_Barcode_isValid(const ZXing_Barcode *barcode);
ZXing_BarcodeFormat ZXing_Barcode_format(const ZXing_Barcode *barcode);
/* The symbol's content bytes, exactly as encoded (no character set
 * conversion); *len gets the count. Free with ZXing_free. */
uint8_t *ZXing_Barcode_bytes(const ZXing_Barcode *barcode, int *len);
ZXing_Position ZXing_Barcode_position(const ZXing_Barcode *barcode);

/* A copy of the calling thread's last error message, or NULL if none. */
char *ZXing_LastErrorMsg(void);
void ZXing_free(void *ptr);

#ifdef __cplusplus
}
#endif
#endif
