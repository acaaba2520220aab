/* fuzz_prn_spool.c - spool job files and DLE EOT status bytes. A job that
 * parses must survive ESC/POS encoding and read back with its size. */
#include <stdlib.h>
#include <stddef.h>
#include <stdint.h>

#include "escpos_reader.h"
#include "prn.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size >= 2)
        (void)prn_escpos_status(data[0] & 7, data[1]);
    prn_raster *r = NULL;
    if (prn_spool_parse(data, size, &r) != PRN_OK)
        return 0;
    if (r->height > 0 && r->height <= 4096) {
        uint8_t *job = NULL;
        size_t len = 0;
        if (prn_escpos_encode(r, 1 + (int)(size % 300), &job, &len) == PRN_OK) {
            escpos_page pg;
            size_t used = 0;
            if (escpos_read_job(job, len, &used, &pg, NULL, 0) != 0 || used != len ||
                pg.height != r->height || pg.stride != r->stride)
                abort();
            escpos_page_free(&pg);
            free(job);
        }
    }
    prn_raster_free(r);
    return 0;
}
