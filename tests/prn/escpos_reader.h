/* escpos_reader.h - reads back the ESC/POS that prn_ writes (tests, fuzz).
 *
 * Understands exactly the commands a kiosk job uses: ESC @, GS v 0 raster,
 * ESC d n, GS V m [n], DLE EOT n. One call reads one job: everything up to
 * and including its cut (or the end of the data).
 */
#ifndef ESCPOS_READER_H
#define ESCPOS_READER_H

#include <stddef.h>
#include <stdint.h>

typedef struct escpos_page {
    int width;       /* dots (8 x the raster's byte width) */
    int height;      /* rows */
    size_t stride;
    uint8_t *bits;   /* MSB first, 1 = black; malloc'd */
    int inits, feeds, cuts, status_queries, bands;
} escpos_page;

/* 0 on success with *used bytes consumed; -1 on malformed input with a
 * reason in ERR. The page is freed with escpos_page_free either way. */
int escpos_read_job(const uint8_t *data, size_t len, size_t *used, escpos_page *page, char *err,
                    size_t errlen);
void escpos_page_free(escpos_page *page);

#endif
