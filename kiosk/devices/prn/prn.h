/* prn.h - receipts, tickets and passes on paper.
 *
 * A prn_doc is a short list of elements (text lines with size, weight and
 * alignment; QR codes; rules; spacing). prn_layout() sets it with FreeType
 * in the kiosk's own fonts into a 1-bit raster exactly as wide as the paper
 * (384 dots for 58 mm, 576 for 80 mm), so Chinese prints without relying on
 * the printer's code pages. A printer (prn_open) takes rasters:
 *
 *   escpos:/dev/usb/lp0          ESC/POS to an existing device file (or FIFO)
 *   escpos-file:/path/out.bin    ESC/POS appended to a file (capture, tests)
 *   escpos-tcp:HOST[:PORT]       ESC/POS over raw TCP (port 9100 by default)
 *   png:/path/out.png            the raster as a PNG (preview, tests)
 *   cups:QUEUE                   a CUPS queue (when built with libcups)
 *
 * Nothing a resident was told will print may be lost: every job is first
 * written to the spool directory (fsync'd, renamed into place) and removed
 * only after the printer took it. Jobs that fail stay there and are retried
 * in order by prn_flush() or by the background prn_worker. ESC/POS printers
 * that answer DLE EOT status queries are asked before a job (out of paper,
 * cover open) and after it (the job was received while the link held).
 *
 * Threading: a prn_fonts and a prn_printer are used by one thread at a
 * time; several processes may share one spool directory (flushing is
 * serialised with a lock file). prn_worker wraps a printer in a thread for
 * the UI, which must never wait for paper.
 */
#ifndef KIOSK_PRN_H
#define KIOSK_PRN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "qr.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Never renumbered; new codes are added at the end. */
typedef enum prn_err {
    PRN_OK = 0,
    PRN_ERR_ARG = 1,          /* invalid argument */
    PRN_ERR_NOMEM = 2,
    PRN_ERR_URL = 3,          /* printer URL not understood */
    PRN_ERR_FONT = 4,         /* font files missing or unreadable */
    PRN_ERR_LAYOUT = 5,       /* an element cannot fit the paper width */
    PRN_ERR_OFFLINE = 6,      /* printer unreachable: unplugged, off, network down */
    PRN_ERR_PAPER_OUT = 7,    /* printer reports the paper roll is empty */
    PRN_ERR_COVER_OPEN = 8,   /* printer reports its cover is open */
    PRN_ERR_FAULT = 9,        /* printer reports an error (cutter, head, ...) */
    PRN_ERR_WRITE = 10,       /* the link failed while the job was being sent */
    PRN_ERR_SPOOL = 11,       /* the job could not be kept on disk */
    PRN_ERR_UNSUPPORTED = 12, /* backend not built in (cups without libcups) */
    PRN_ERR_IO = 13,          /* writing a PNG file failed */
    PRN_ERR_CORRUPT = 14      /* a spooled job was damaged; kept aside as *.bad */
} prn_err;

/* Plain words for the person at the kiosk (English; the UI may translate
 * by code). */
const char *prn_strerror(prn_err err);
/* 1 for the errors that clear by themselves or by staff (offline, paper,
 * cover, fault, write): the job is kept and retried. */
int prn_err_retryable(prn_err err);

/* ---- document model ---------------------------------------------------- */

typedef enum prn_align { PRN_LEFT = 0, PRN_CENTER = 1, PRN_RIGHT = 2 } prn_align;
typedef enum prn_weight { PRN_REGULAR = 0, PRN_BOLD = 1 } prn_weight;

/* Text sizes in dots (em height) at 203 dpi: 24 dots is 3 mm. */
enum { PRN_SIZE_SMALL = 20, PRN_SIZE_NORMAL = 24, PRN_SIZE_LARGE = 32, PRN_SIZE_TITLE = 48 };
enum { PRN_WIDTH_58MM = 384, PRN_WIDTH_80MM = 576 };

typedef struct prn_doc prn_doc;

prn_doc *prn_doc_new(void);
void prn_doc_free(prn_doc *doc);
/* A paragraph: UTF-8, wrapped to the width (at spaces, and between CJK
 * characters), '\n' starts a new line. SIZE is 8..200 dots. */
prn_err prn_doc_text(prn_doc *doc, const char *utf8, int size, prn_weight weight, prn_align align);
/* A QR code of DATA (any bytes). MODULE is dots per module, 0 = the largest
 * that fits, at most 8; below 3 dots (0.375 mm) a phone or the gate camera
 * no longer reads it reliably, so prn_layout() then fails with
 * PRN_ERR_LAYOUT. Laid out with a 4-module quiet zone. */
prn_err prn_doc_qr(prn_doc *doc, const void *data, size_t len, qr_ec ec, int module,
                   prn_align align);
/* A horizontal rule THICKNESS dots high across the printable width. */
prn_err prn_doc_rule(prn_doc *doc, int thickness, bool dashed);
/* Blank paper, DOTS high. */
prn_err prn_doc_space(prn_doc *doc, int dots);
size_t prn_doc_count(const prn_doc *doc);

/* A sample delivery ticket (Chinese and English text, rules, a QR code of
 * PAYLOAD): what `kioskctl print-test` prints, and what the tests and the
 * benchmark lay out. NULL on out of memory or a payload too long. */
prn_doc *prn_doc_sample_ticket(const void *payload, size_t len);

/* ---- fonts and layout -------------------------------------------------- */

typedef struct prn_fonts prn_fonts;

/* NULL paths take the kiosk's fonts: $KIOSK_FONT_DIR, else the source tree's
 * fonts/ (NotoSansSC-Regular.otf and NotoSansSC-Bold.otf). ERR (may be NULL)
 * receives a reason on failure. */
prn_err prn_fonts_open(const char *regular, const char *bold, prn_fonts **out, char *err,
                       size_t errlen);
void prn_fonts_close(prn_fonts *fonts);

/* A 1-bit image, rows top to bottom, MSB first, 1 = black (a burnt dot). */
typedef struct prn_raster {
    int width;      /* dots */
    int height;     /* rows */
    size_t stride;  /* bytes per row = (width + 7) / 8 */
    uint8_t *bits;
} prn_raster;

prn_raster *prn_raster_new(int width, int height); /* all white */
void prn_raster_free(prn_raster *r);
int prn_raster_get(const prn_raster *r, int x, int y); /* 0 outside */
prn_err prn_raster_write_png(const prn_raster *r, const char *path);

/* Lays DOC out on paper WIDTH dots wide (8..2048; margins of 4 dots). */
prn_err prn_layout(prn_fonts *fonts, const prn_doc *doc, int width, prn_raster **out);

/* ---- ESC/POS ----------------------------------------------------------- */

/* A whole job: ESC @, the raster as GS v 0 bands of BAND_ROWS rows (0 =
 * 64), feed, partial cut. Bytes that a printer would take for a real-time
 * command (DLE EOT/ENQ/DC4) inside the image are avoided by whitening one
 * dot. *OUT is malloc'd. */
prn_err prn_escpos_encode(const prn_raster *r, int band_rows, uint8_t **out, size_t *len);

/* Meaning of the answer byte to DLE EOT N (N = 1 printer, 2 offline cause,
 * 4 paper sensor): PRN_OK, or why the printer cannot print. PRN_ERR_ARG
 * when BYTE is not a well-formed status answer. */
prn_err prn_escpos_status(int n, uint8_t byte);

/* ---- printers, spool and retry ----------------------------------------- */

typedef struct prn_printer prn_printer;

typedef struct prn_opts {
    int connect_timeout_ms; /* TCP connect; default 3000 */
    int io_timeout_ms;      /* one write, or the after-job answer; default 10000 */
    int status_timeout_ms;  /* before-job status answer; default 400 */
    int band_rows;          /* GS v 0 band height; default 64 */
} prn_opts;

/* Opens a printer by URL (see top) with its spool directory (created if
 * missing). Nothing is sent to the printer yet. OPTS may be NULL. */
prn_err prn_open(const char *url, const char *spool_dir, const prn_opts *opts,
                 prn_printer **out);
void prn_close(prn_printer *p);

/* Keeps R on disk as the newest job (durable when this returns PRN_OK).
 * Never talks to the printer. */
prn_err prn_enqueue(prn_printer *p, const prn_raster *r);
/* Prints every spooled job, oldest first, removing each one the printer
 * took; stops at the first failure and returns it (the job stays). */
prn_err prn_flush(prn_printer *p);
/* prn_enqueue then prn_flush. When it returns other than PRN_OK or
 * PRN_ERR_SPOOL, the job is safe on disk and will print later. */
prn_err prn_submit(prn_printer *p, const prn_raster *r);
/* Asks the printer for its state without printing. PRN_OK also when the
 * printer cannot answer status queries but is reachable. */
prn_err prn_check(prn_printer *p);
/* Jobs waiting in the spool directory (damaged ones not counted). */
size_t prn_pending(prn_printer *p);
/* Technical detail of the last error on this printer ("" when none). */
const char *prn_detail(const prn_printer *p);

/* Parses a spool file's bytes into a raster (used by flush; exposed for the
 * fuzzer). PRN_ERR_CORRUPT when malformed. */
prn_err prn_spool_parse(const uint8_t *data, size_t len, prn_raster **out);

/* ---- background worker for the UI -------------------------------------- */

typedef struct prn_worker prn_worker;

typedef struct prn_worker_status {
    prn_err last;          /* outcome of the last attempt (PRN_OK when idle and fine) */
    size_t pending;        /* jobs waiting */
    uint64_t printed;      /* jobs printed since start */
    char detail[160];      /* technical detail of LAST */
} prn_worker_status;

/* Takes over P; retries every RETRY_MS (0 = 5000) while jobs wait.
 * NOTIFY (may be NULL) is called from the worker thread after each attempt,
 * e.g. to wake the UI's event loop; it must not call back into the worker. */
prn_err prn_worker_start(prn_printer *p, int retry_ms, void (*notify)(void *), void *user,
                         prn_worker **out);
/* Spools R (durable on PRN_OK) and wakes the worker; never waits for the
 * printer. */
prn_err prn_worker_submit(prn_worker *w, const prn_raster *r);
/* Wakes the worker to retry now (e.g. staff pressed "paper refilled"). */
void prn_worker_kick(prn_worker *w);
void prn_worker_status_get(prn_worker *w, prn_worker_status *st);
/* Stops the thread (waits for an attempt in progress) and closes the printer. */
void prn_worker_stop(prn_worker *w);

#ifdef __cplusplus
}
#endif
#endif
