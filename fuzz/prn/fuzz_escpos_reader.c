/* fuzz_escpos_reader.c - arbitrary bytes through the ESC/POS job reader. */
#include <stddef.h>
#include <stdint.h>

#include "escpos_reader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t off = 0;
    while (off < size) {
        escpos_page pg;
        size_t used = 0;
        char err[96];
        int rc = escpos_read_job(data + off, size - off, &used, &pg, err, sizeof err);
        escpos_page_free(&pg);
        if (rc != 0 || used == 0)
            break;
        off += used;
    }
    return 0;
}
