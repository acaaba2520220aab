/* scan.h - scan sources: camera (V4L2), keyboard-wedge scanner, image files.
 *
 * Every source delivers into one scan_hub, a fixed-size thread-safe queue
 * the UI drains with scan_poll() (no allocation per event). The hub calls
 * NOTIFY (from the source's thread) when something arrives, so an event loop
 * sleeping in SDL_WaitEventTimeout can be woken with a user event.
 *
 *   camera  a worker thread streams 1280x720 YUYV or GREY (or the best the
 *           camera offers) through mmap buffers; frames go to a decoder
 *           thread that reads the Y plane in place (pixel stride 2 for YUYV),
 *           and frames arriving while it is busy are dropped. A downscaled
 *           preview is kept for the scan screens. Unplugged: a status event,
 *           then it retries until the camera is back.
 *   wedge   pure logic fed with keys and timestamps: a burst faster than any
 *           human types, ending in Enter, is a scan; anything else is handed
 *           back as typing.
 *   files   PNG or JPEG files decoded on request, or every file that appears
 *           in a watched directory (development and tests).
 */
#ifndef KIOSK_SCAN_H
#define KIOSK_SCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "zxc.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Never renumbered. */
typedef enum scan_err {
    SCAN_OK = 0,
    SCAN_ERR_ARG = 1,
    SCAN_ERR_NOMEM = 2,
    SCAN_ERR_IO = 3,        /* file could not be read */
    SCAN_ERR_FORMAT = 4,    /* not a PNG or JPEG, or damaged */
    SCAN_ERR_TOO_LARGE = 5, /* image larger than SCAN_IMAGE_MAX_SIDE */
    SCAN_ERR_NOT_FOUND = 6, /* no QR code in the image */
    SCAN_ERR_DECODER = 7,   /* the QR decoder failed */
    SCAN_ERR_BUSY = 8,      /* frame dropped: the decoder is still busy */
    SCAN_ERR_DEVICE = 9,    /* camera cannot be used (see status detail) */
    SCAN_ERR_THREAD = 10    /* a thread could not be started */
} scan_err;

const char *scan_strerror(scan_err err);

enum {
    SCAN_PAYLOAD_MAX = ZXC_PAYLOAD_MAX,
    SCAN_IMAGE_MAX_SIDE = 8192
};

/* ---- the hub: one queue for all sources ------------------------------- */

typedef enum scan_source { SCAN_SRC_CAMERA = 1, SCAN_SRC_WEDGE = 2, SCAN_SRC_FILE = 3 } scan_source;

typedef enum scan_event_kind {
    SCAN_EV_PAYLOAD = 1, /* a code was read: data/len */
    SCAN_EV_STATUS = 2   /* a source changed state: status/detail */
} scan_event_kind;

typedef enum scan_status {
    SCAN_ST_NONE = 0,
    SCAN_ST_CAMERA_READY = 1,  /* streaming */
    SCAN_ST_CAMERA_ABSENT = 2, /* not there or not usable; retrying */
    SCAN_ST_CAMERA_LOST = 3,   /* was streaming, went away; retrying */
    SCAN_ST_FILE_NO_CODE = 4,  /* a watched file had no readable QR code */
    SCAN_ST_FILE_ERROR = 5     /* a watched file could not be read */
} scan_status;

typedef struct scan_event {
    scan_event_kind kind;
    scan_source source;
    scan_status status;
    size_t len;                            /* payload bytes */
    uint8_t data[SCAN_PAYLOAD_MAX + 1];    /* raw payload, NUL after len */
    char detail[160];                      /* file name, or status words */
} scan_event;

typedef struct scan_hub scan_hub;

/* CAPACITY events (0 = 16). NOTIFY may be NULL; it runs on the posting
 * thread and must not call back into the hub. */
scan_hub *scan_hub_new(size_t capacity, void (*notify)(void *user), void *user);
void scan_hub_free(scan_hub *hub);
/* Non-blocking. 1 and *EV filled when an event was waiting, else 0. */
int scan_poll(scan_hub *hub, scan_event *ev);
/* Posts a payload. A camera payload equal to the previous camera payload
 * within the repeat window (default 2000 ms) is dropped: a code held in
 * front of the camera is one scan, not thirty. NOW_MS is a monotonic clock.
 * Returns 1 when queued, 0 when suppressed or the queue was full. */
int scan_hub_post_payload(scan_hub *hub, scan_source src, const uint8_t *data, size_t len,
                          const char *detail, uint64_t now_ms);
int scan_hub_post_status(scan_hub *hub, scan_source src, scan_status st, const char *detail);
void scan_hub_set_repeat_ms(scan_hub *hub, unsigned ms);
/* Events lost because the queue was full (the UI stopped polling). */
uint64_t scan_hub_overflows(scan_hub *hub);
/* Monotonic milliseconds, the clock the sources use. */
uint64_t scan_now_ms(void);

/* ---- keyboard-wedge scanner -------------------------------------------- */

typedef struct scan_wedge_opts {
    unsigned max_gap_ms; /* longest pause inside a scanner burst (default 50) */
    unsigned min_len;    /* shortest payload accepted as a scan (default 4) */
} scan_wedge_opts;

typedef enum scan_key_result {
    SCAN_KEY_HELD = 0,    /* kept while it may still be a scan; nothing to do */
    SCAN_KEY_SCANNED = 1, /* a scan completed; posted to the hub and in payload */
    SCAN_KEY_TYPED = 2    /* held keys are typing: fetch them with take_typed */
} scan_key_result;

typedef struct scan_wedge scan_wedge;

/* HUB may be NULL (results then only through scan_wedge_payload). */
scan_wedge *scan_wedge_new(scan_hub *hub, const scan_wedge_opts *opts);
void scan_wedge_free(scan_wedge *w);
/* Feeds one key: a Unicode code point, '\r' or '\n' for Enter, at T_MS
 * (the event's timestamp, monotonic). Other control characters but Tab
 * are ignored. */
scan_key_result scan_wedge_key(scan_wedge *w, uint32_t cp, uint64_t t_ms);
/* Call when no key came: releases held keys as typing once the gap since
 * the last key exceeds max_gap_ms. */
scan_key_result scan_wedge_tick(scan_wedge *w, uint64_t now_ms);
/* When the UI must call scan_wedge_tick() at the latest (0: no keys held). */
uint64_t scan_wedge_deadline(const scan_wedge *w);
/* Moves the keys released as typing into OUT (up to CAP), returns the count. */
size_t scan_wedge_take_typed(scan_wedge *w, uint32_t *out, size_t cap);
/* The last scanned payload (UTF-8, NUL-terminated); its length. */
size_t scan_wedge_payload(const scan_wedge *w, char *out, size_t cap);

/* ---- image files -------------------------------------------------------- */

/* Loads a PNG or JPEG (by content, not name) as an 8-bit luminance plane;
 * *LUM is malloc'd, W x H packed. */
scan_err scan_image_load(const char *path, uint8_t **lum, int *w, int *h);
scan_err scan_image_load_mem(const uint8_t *data, size_t len, uint8_t **lum, int *w, int *h);
/* Loads PATH and decodes its QR code (thorough mode). */
scan_err scan_file(const char *path, zxc_result *res);

typedef struct scan_dir scan_dir;
/* Watches DIR: every file written or moved into it is decoded and its
 * payload posted (source SCAN_SRC_FILE, detail = file name). */
scan_err scan_dir_watch(scan_hub *hub, const char *dir, scan_dir **out);
void scan_dir_close(scan_dir *d);

/* ---- camera frames: decoder and preview ---------------------------------- */

typedef enum scan_pixfmt { SCAN_FMT_GREY = 1, SCAN_FMT_YUYV = 2 } scan_pixfmt;

typedef struct scan_frame {
    const uint8_t *data;
    int width, height;
    int stride; /* bytes per row */
    scan_pixfmt fmt;
} scan_frame;

/* The decoder thread of the camera path, usable without a camera (tests,
 * benchmark). RELEASE(user, index) is called on the decoder thread when
 * it is done with the frame submitted under INDEX. */
typedef struct scan_decoder scan_decoder;
scan_err scan_decoder_new(scan_hub *hub, unsigned zxc_flags,
                          void (*release)(void *user, int index), void *user,
                          scan_decoder **out);
/* Waits for the frame in progress, then stops. */
void scan_decoder_free(scan_decoder *d);
/* Hands FRAME to the decoder without copying. SCAN_OK: the decoder owns the
 * buffer until RELEASE(INDEX). SCAN_ERR_BUSY: dropped, the caller keeps it. */
scan_err scan_decoder_submit(scan_decoder *d, const scan_frame *frame, int index);
/* Blocks until no frame is in progress (before unmapping buffers). */
void scan_decoder_wait_idle(scan_decoder *d);
typedef struct scan_decoder_stats {
    uint64_t decoded, dropped, found;
} scan_decoder_stats;
void scan_decoder_stats_get(scan_decoder *d, scan_decoder_stats *st);

/* Decodes one frame on the calling thread: the same path the decoder
 * thread runs (Y plane read in place). */
zxc_err scan_frame_decode(zxc_reader *rd, const scan_frame *frame, zxc_result *res);

/* Downscaled grey preview, safe to update from the capture thread and read
 * from the UI. */
typedef struct scan_preview scan_preview;
scan_preview *scan_preview_new(int max_width, bool mirror);
void scan_preview_free(scan_preview *pv);
void scan_preview_update(scan_preview *pv, const scan_frame *frame);
/* Copies the latest preview when it is newer than *SEQ (then updates *SEQ,
 * *W, *H and returns 1; else 0). DST holds max_width x (max_width*H/W) grey
 * bytes, rows STRIDE apart; the _xrgb variant writes 0xFFRRGGBB pixels
 * (SDL_PIXELFORMAT_ARGB8888), STRIDE in pixels. */
int scan_preview_copy(scan_preview *pv, uint8_t *dst, size_t stride, int *w, int *h, uint64_t *seq);
int scan_preview_copy_xrgb(scan_preview *pv, uint32_t *dst, size_t stride, int *w, int *h,
                           uint64_t *seq);

/* ---- the V4L2 camera ----------------------------------------------------- */

typedef struct scan_camera_opts {
    const char *device;    /* default "/dev/video0" */
    int width, height;     /* wanted size, default 1280x720 */
    int preview_width;     /* default 320 */
    bool mirror_preview;   /* like a mirror, for people facing the camera */
    unsigned retry_ms;     /* reopen interval when absent/lost, default 2000 */
    unsigned zxc_flags;    /* default ZXC_FAST */
} scan_camera_opts;

typedef struct scan_camera scan_camera;

/* Starts the camera thread. Never fails because the camera is missing: that
 * is reported as SCAN_ST_CAMERA_ABSENT on the hub and retried. */
scan_err scan_camera_open(scan_hub *hub, const scan_camera_opts *opts, scan_camera **out);
void scan_camera_close(scan_camera *cam);
/* The camera's preview (see scan_preview_copy). */
scan_preview *scan_camera_preview(scan_camera *cam);
/* Current state (READY / ABSENT / LOST) and a copy of its detail. */
scan_status scan_camera_state(scan_camera *cam, char *detail, size_t cap);
void scan_camera_stats(scan_camera *cam, scan_decoder_stats *st);

#ifdef __cplusplus
}
#endif
#endif
