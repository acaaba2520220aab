/* fuzz_scan_image.c - bytes as an image file; decodable ones go on to the
 * QR reader (the compat C API over ZXing). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "scan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static zxc_reader *rd;
    static zxc_result res;
    if (!rd)
        rd = zxc_reader_new(ZXC_FAST);
    uint8_t *lum = NULL;
    int w = 0, h = 0;
    if (scan_image_load_mem(data, size, &lum, &w, &h) != SCAN_OK)
        return 0;
    if ((size_t)w * (size_t)h <= 512u * 512u)
        (void)zxc_read(rd, lum, w, h, w, 1, &res);
    free(lum);
    return 0;
}
