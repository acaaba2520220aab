/* escpos_reader.c - see escpos_reader.h. */
#include "escpos_reader.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_ROWS = 200000 };

static int bad(char *err, size_t errlen, size_t at, const char *what)
{
    if (err && errlen)
        snprintf(err, errlen, "offset %zu: %s", at, what);
    return -1;
}

void escpos_page_free(escpos_page *page)
{
    if (!page)
        return;
    free(page->bits);
    memset(page, 0, sizeof *page);
}

static int append_band(escpos_page *pg, const uint8_t *src, size_t xbytes, size_t rows)
{
    if (pg->bits && xbytes != pg->stride)
        return -1;
    if ((size_t)pg->height + rows > MAX_ROWS)
        return -1;
    size_t new_rows = (size_t)pg->height + rows;
    uint8_t *bits = realloc(pg->bits, xbytes * (new_rows ? new_rows : 1));
    if (!bits)
        return -1;
    memcpy(bits + xbytes * (size_t)pg->height, src, xbytes * rows);
    pg->bits = bits;
    pg->stride = xbytes;
    pg->width = (int)(xbytes * 8);
    pg->height = (int)new_rows;
    return 0;
}

int escpos_read_job(const uint8_t *d, size_t len, size_t *used, escpos_page *pg, char *err,
                    size_t errlen)
{
    memset(pg, 0, sizeof *pg);
    *used = 0;
    size_t i = 0;
    while (i < len) {
        uint8_t c = d[i];
        if (c == 0x1B) { /* ESC */
            if (i + 1 >= len)
                return bad(err, errlen, i, "truncated ESC");
            if (d[i + 1] == '@') {
                pg->inits++;
                i += 2;
            } else if (d[i + 1] == 'd') {
                if (i + 2 >= len)
                    return bad(err, errlen, i, "truncated ESC d");
                pg->feeds++;
                i += 3;
            } else {
                return bad(err, errlen, i, "unknown ESC command");
            }
        } else if (c == 0x1D) { /* GS */
            if (i + 1 >= len)
                return bad(err, errlen, i, "truncated GS");
            if (d[i + 1] == 'V') {
                if (i + 2 >= len)
                    return bad(err, errlen, i, "truncated GS V");
                size_t n = d[i + 2] >= 65 ? 4 : 3; /* m 65/66 take a feed count */
                if (i + n > len)
                    return bad(err, errlen, i, "truncated GS V n");
                pg->cuts++;
                i += n;
                *used = i;
                return 0; /* a cut ends the job */
            }
            if (d[i + 1] == 'v') {
                if (i + 8 > len)
                    return bad(err, errlen, i, "truncated GS v 0 header");
                if (d[i + 2] != '0' && d[i + 2] != 0)
                    return bad(err, errlen, i, "GS v: not raster 0");
                if (d[i + 3] > 3 && !(d[i + 3] >= '0' && d[i + 3] <= '3'))
                    return bad(err, errlen, i, "GS v 0: bad mode");
                size_t xb = (size_t)d[i + 4] | (size_t)d[i + 5] << 8;
                size_t rows = (size_t)d[i + 6] | (size_t)d[i + 7] << 8;
                if (xb == 0 || xb > 1024 || rows == 0 || rows > 4096)
                    return bad(err, errlen, i, "GS v 0: bad size");
                if (len - (i + 8) < xb * rows)
                    return bad(err, errlen, i, "GS v 0: truncated image data");
                if (append_band(pg, d + i + 8, xb, rows) != 0)
                    return bad(err, errlen, i, "GS v 0: band width changed or image too tall");
                pg->bands++;
                i += 8 + xb * rows;
            } else {
                return bad(err, errlen, i, "unknown GS command");
            }
        } else if (c == 0x10) { /* DLE */
            if (i + 2 >= len || d[i + 1] != 0x04 || d[i + 2] < 1 || d[i + 2] > 4)
                return bad(err, errlen, i, "unknown DLE command");
            pg->status_queries++;
            i += 3;
        } else {
            return bad(err, errlen, i, "unexpected byte");
        }
    }
    *used = i;
    return 0;
}
