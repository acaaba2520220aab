/* prn_escpos.c - ESC/POS job encoding and status answers (pure functions). */
#include "prn.h"

#include <stdlib.h>
#include <string.h>

enum { ESC = 0x1B, GS = 0x1D, DLE = 0x10, EOT = 0x04, ENQ = 0x05, DC4 = 0x14 };

/* Printers with real-time command processing act on DLE EOT / DLE ENQ /
 * DLE DC4 wherever they appear in the byte stream, image data included
 * (Epson documents this for GS v 0). DC4 can kick the drawer or even power
 * the printer off, and stray status answers would confuse our own queries,
 * so an image byte 0x10 followed by one of those is changed to 0x00: one
 * dot (at most 1/8 of a byte) less ink, far below what a QR module or a
 * stroke of a glyph can notice. */
static void defuse_realtime(uint8_t *data, size_t len, uint8_t next_after_end)
{
    for (size_t i = 0; i < len; i++) {
        if (data[i] != DLE)
            continue;
        uint8_t next = i + 1 < len ? data[i + 1] : next_after_end;
        if (next == EOT || next == ENQ || next == DC4)
            data[i] = 0x00;
    }
}

prn_err prn_escpos_encode(const prn_raster *r, int band_rows, uint8_t **out, size_t *len)
{
    if (!out || !len)
        return PRN_ERR_ARG;
    *out = NULL;
    *len = 0;
    if (!r || !r->bits || r->width < 1 || r->height < 0 || r->stride > 0xFFFF)
        return PRN_ERR_ARG;
    if (band_rows <= 0)
        band_rows = 64;
    /* Bands under 1024 rows keep yH below 4, so no header byte pair can
     * read as a real-time command either. */
    if (band_rows > 1023)
        band_rows = 1023;
    size_t bands = ((size_t)r->height + (size_t)band_rows - 1) / (size_t)band_rows;
    size_t cap = 2 + bands * 8 + r->stride * (size_t)r->height + 3 + 3;
    uint8_t *buf = malloc(cap);
    if (!buf)
        return PRN_ERR_NOMEM;
    size_t n = 0;
    buf[n++] = ESC; /* ESC @: initialise */
    buf[n++] = '@';
    for (int y = 0; y < r->height; y += band_rows) {
        int rows = r->height - y < band_rows ? r->height - y : band_rows;
        /* GS v 0 m xL xH yL yH: m = 0 normal density, x in bytes. */
        buf[n++] = GS;
        buf[n++] = 'v';
        buf[n++] = '0';
        buf[n++] = 0;
        buf[n++] = (uint8_t)(r->stride & 0xFF);
        buf[n++] = (uint8_t)(r->stride >> 8);
        buf[n++] = (uint8_t)(rows & 0xFF);
        buf[n++] = (uint8_t)(rows >> 8);
        size_t bytes = r->stride * (size_t)rows;
        memcpy(buf + n, r->bits + r->stride * (size_t)y, bytes);
        /* The byte after the band is the next band's GS or the ESC of the
         * feed: neither is EOT/ENQ/DC4. */
        defuse_realtime(buf + n, bytes, GS);
        n += bytes;
    }
    buf[n++] = ESC; /* ESC d 4: feed four lines so the cut clears the print */
    buf[n++] = 'd';
    buf[n++] = 4;
    buf[n++] = GS; /* GS V 1: partial cut */
    buf[n++] = 'V';
    buf[n++] = 1;
    *out = buf;
    *len = n;
    return PRN_OK;
}

prn_err prn_escpos_status(int n, uint8_t byte)
{
    /* Every DLE EOT answer has bit 1 and bit 4 set, bits 0 and 7 clear. */
    if ((byte & 0x93) != 0x12)
        return PRN_ERR_ARG;
    switch (n) {
    case 1: /* printer status: bit 3 offline */
        return (byte & 0x08) ? PRN_ERR_OFFLINE : PRN_OK;
    case 2: /* offline cause: bit 2 cover open, bit 5 stopped by paper end, bit 6 error */
        if (byte & 0x20)
            return PRN_ERR_PAPER_OUT;
        if (byte & 0x04)
            return PRN_ERR_COVER_OPEN;
        if (byte & 0x40)
            return PRN_ERR_FAULT;
        return PRN_OK;
    case 3: /* error cause: bits 2, 3, 5, 6 */
        return (byte & 0x6C) ? PRN_ERR_FAULT : PRN_OK;
    case 4: /* paper roll sensor: bits 5-6 paper end (bits 2-3 near end is fine) */
        return (byte & 0x60) ? PRN_ERR_PAPER_OUT : PRN_OK;
    default:
        return PRN_ERR_ARG;
    }
}

const char *prn_strerror(prn_err err)
{
    switch (err) {
    case PRN_OK: return "printed";
    case PRN_ERR_ARG: return "the print request was not valid";
    case PRN_ERR_NOMEM: return "the kiosk ran out of memory while printing";
    case PRN_ERR_URL: return "the printer setting is not valid; staff need to check it";
    case PRN_ERR_FONT: return "the printing fonts are missing; staff need to check the kiosk";
    case PRN_ERR_LAYOUT: return "the ticket does not fit on the paper";
    case PRN_ERR_OFFLINE:
        return "the printer is not connected or switched off; your ticket will print when it is back";
    case PRN_ERR_PAPER_OUT:
        return "the printer is out of paper; your ticket will print when staff refill it";
    case PRN_ERR_COVER_OPEN:
        return "the printer cover is open; your ticket will print when it is closed";
    case PRN_ERR_FAULT:
        return "the printer reports a fault; your ticket will print when staff fix it";
    case PRN_ERR_WRITE:
        return "the connection to the printer broke; your ticket will be printed again";
    case PRN_ERR_SPOOL: return "the ticket could not be saved for printing; please keep it on screen";
    case PRN_ERR_UNSUPPORTED: return "this kind of printer is not supported by this kiosk";
    case PRN_ERR_IO: return "the print preview file could not be written";
    case PRN_ERR_CORRUPT: return "a saved ticket was damaged and has been set aside for staff";
    }
    return "unknown printer error";
}

int prn_err_retryable(prn_err err)
{
    return err == PRN_ERR_OFFLINE || err == PRN_ERR_PAPER_OUT || err == PRN_ERR_COVER_OPEN ||
           err == PRN_ERR_FAULT || err == PRN_ERR_WRITE || err == PRN_ERR_IO;
}
