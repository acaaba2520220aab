/* test_scan.c - the hub, the wedge detector, image files and a watched
 * directory, and the camera decode path driven with YUYV frames built from
 * QR images the test renders itself. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <png.h>
#include <stdio.h> /* before jpeglib.h */
#include <jpeglib.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "qr.h"
#include "scan.h"

static char tmpdir[64];

static int setup(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/test_scan_XXXXXX");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

static void nap_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* Waits (hang guard only) for the next hub event. */
static int wait_event(scan_hub *hub, scan_event *ev)
{
    for (int i = 0; i < 3000; i++) {
        if (scan_poll(hub, ev))
            return 1;
        nap_ms(10);
    }
    return 0;
}

/* A W x H grey image, white, with QR's rendering (MODULE px) centred and
 * rotated by DEG degrees. */
static uint8_t *scene(const qr_code *qr, int module, int w, int h, double deg)
{
    int side = qr_render_side(qr, module, QR_QUIET_MIN);
    uint8_t *g = malloc((size_t)side * (size_t)side);
    qr_render_gray(qr, module, QR_QUIET_MIN, g, (size_t)side);
    uint8_t *img = malloc((size_t)w * (size_t)h);
    double a = deg * 3.14159265358979 / 180.0, ca = cos(a), sa = sin(a);
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            double dx = x - w / 2.0, dy = y - h / 2.0;
            int sx = (int)floor(ca * dx + sa * dy + side / 2.0);
            int sy = (int)floor(-sa * dx + ca * dy + side / 2.0);
            img[(size_t)y * (size_t)w + (size_t)x] =
                sx >= 0 && sy >= 0 && sx < side && sy < side ? g[(size_t)sy * (size_t)side + (size_t)sx] : 255;
        }
    free(g);
    return img;
}

/* YUYV frame (row STRIDE bytes) whose Y plane is LUM. */
static uint8_t *to_yuyv(const uint8_t *lum, int w, int h, int stride)
{
    uint8_t *f = malloc((size_t)stride * (size_t)h);
    memset(f, 0x80, (size_t)stride * (size_t)h);
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
            f[(size_t)y * (size_t)stride + (size_t)x * 2] = lum[(size_t)y * (size_t)w + (size_t)x];
    return f;
}

static void write_png(const char *path, const uint8_t *lum, int w, int h)
{
    png_image img;
    memset(&img, 0, sizeof img);
    img.version = PNG_IMAGE_VERSION;
    img.width = (png_uint_32)w;
    img.height = (png_uint_32)h;
    img.format = PNG_FORMAT_GRAY;
    assert_true(png_image_write_to_file(&img, path, 0, lum, w, NULL));
}

static void write_jpeg(const char *path, const uint8_t *lum, int w, int h, int quality)
{
    struct jpeg_compress_struct c;
    struct jpeg_error_mgr e;
    c.err = jpeg_std_error(&e);
    jpeg_create_compress(&c);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    jpeg_stdio_dest(&c, f);
    c.image_width = (JDIMENSION)w;
    c.image_height = (JDIMENSION)h;
    c.input_components = 1;
    c.in_color_space = JCS_GRAYSCALE;
    jpeg_set_defaults(&c);
    jpeg_set_quality(&c, quality, TRUE);
    jpeg_start_compress(&c, TRUE);
    while (c.next_scanline < c.image_height) {
        JSAMPROW row = (JSAMPROW)(lum + (size_t)c.next_scanline * (size_t)w);
        jpeg_write_scanlines(&c, &row, 1);
    }
    jpeg_finish_compress(&c);
    jpeg_destroy_compress(&c);
    fclose(f);
}

static void path_in(char *dst, size_t cap, const char *name)
{
    snprintf(dst, cap, "%s/%s", tmpdir, name);
}

/* ---- hub --------------------------------------------------------------- */

static int notes;
static void note(void *u)
{
    (void)u;
    __atomic_add_fetch(&notes, 1, __ATOMIC_SEQ_CST);
}

static void test_hub_queue_repeat_and_overflow(void **state)
{
    (void)state;
    scan_hub *h = scan_hub_new(3, note, NULL);
    scan_event ev;
    assert_int_equal(scan_poll(h, &ev), 0);
    const uint8_t a[] = "PASS-A", b[] = "PASS-B";
    assert_int_equal(scan_hub_post_payload(h, SCAN_SRC_CAMERA, a, 6, NULL, 1000), 1);
    /* The same code still in view: one scan. */
    assert_int_equal(scan_hub_post_payload(h, SCAN_SRC_CAMERA, a, 6, NULL, 1500), 0);
    assert_int_equal(scan_hub_post_payload(h, SCAN_SRC_CAMERA, a, 6, NULL, 3000), 0);
    /* Another code at once; the first again after it left the view. */
    assert_int_equal(scan_hub_post_payload(h, SCAN_SRC_CAMERA, b, 6, NULL, 3100), 1);
    assert_int_equal(scan_hub_post_payload(h, SCAN_SRC_CAMERA, a, 6, NULL, 3200), 1);
    /* Full: dropped and counted. */
    assert_int_equal(scan_hub_post_status(h, SCAN_SRC_CAMERA, SCAN_ST_CAMERA_LOST, "x"), 0);
    assert_int_equal(scan_hub_overflows(h), 1);
    assert_int_equal(scan_poll(h, &ev), 1);
    assert_int_equal(ev.kind, SCAN_EV_PAYLOAD);
    assert_int_equal(ev.source, SCAN_SRC_CAMERA);
    assert_int_equal(ev.len, 6);
    assert_string_equal((char *)ev.data, "PASS-A");
    assert_int_equal(scan_poll(h, &ev), 1);
    assert_string_equal((char *)ev.data, "PASS-B");
    assert_int_equal(scan_poll(h, &ev), 1);
    assert_string_equal((char *)ev.data, "PASS-A");
    assert_int_equal(scan_poll(h, &ev), 0);
    /* Wedge and file scans are deliberate: never suppressed. */
    assert_int_equal(scan_hub_post_payload(h, SCAN_SRC_WEDGE, a, 6, NULL, 3300), 1);
    assert_int_equal(scan_hub_post_payload(h, SCAN_SRC_WEDGE, a, 6, NULL, 3301), 1);
    assert_int_equal(scan_hub_post_status(h, SCAN_SRC_FILE, SCAN_ST_FILE_NO_CODE, "x.png"), 1);
    assert_int_equal(scan_poll(h, &ev), 1);
    assert_int_equal(scan_poll(h, &ev), 1);
    assert_int_equal(scan_poll(h, &ev), 1);
    assert_int_equal(ev.kind, SCAN_EV_STATUS);
    assert_int_equal(ev.status, SCAN_ST_FILE_NO_CODE);
    assert_string_equal(ev.detail, "x.png");
    assert_int_equal(__atomic_load_n(&notes, __ATOMIC_SEQ_CST), 6); /* one per queued event */
    scan_hub_set_repeat_ms(h, 0);
    assert_int_equal(scan_hub_post_payload(h, SCAN_SRC_CAMERA, a, 6, NULL, 3400), 1);
    scan_hub_free(h);
    scan_hub_free(NULL);
    assert_int_equal(scan_poll(NULL, &ev), 0);
    for (int e = 0; e <= 11; e++)
        assert_true(strlen(scan_strerror((scan_err)e)) > 0);
}

/* ---- wedge --------------------------------------------------------------- */

/* Types S starting at T0 with GAP ms between keys, then Enter. Returns the
 * result of the Enter and advances *T. */
static scan_key_result type(scan_wedge *w, const char *s, uint64_t *t, unsigned gap,
                            int *typed_events)
{
    for (const char *p = s; *p; p++) {
        scan_key_result r = scan_wedge_key(w, (uint8_t)*p, *t);
        if (r == SCAN_KEY_TYPED)
            (*typed_events)++;
        assert_int_not_equal(r, SCAN_KEY_SCANNED);
        *t += gap;
    }
    return scan_wedge_key(w, '\r', *t);
}

static void test_wedge_scanner_vs_human(void **state)
{
    (void)state;
    scan_hub *h = scan_hub_new(8, NULL, NULL);
    scan_wedge *w = scan_wedge_new(h, NULL);
    uint64_t t = 100000;
    int typed = 0;
    char payload[256];
    uint32_t keys[64];

    /* Scanner: 8 ms per key. */
    const char *pass = "NCFOXN%TSMAHN-HVN9OA.KX1D3";
    assert_int_equal(type(w, pass, &t, 8, &typed), SCAN_KEY_SCANNED);
    assert_int_equal(typed, 0);
    assert_int_equal(scan_wedge_payload(w, payload, sizeof payload), strlen(pass));
    assert_string_equal(payload, pass);
    scan_event ev;
    assert_int_equal(scan_poll(h, &ev), 1);
    assert_int_equal(ev.source, SCAN_SRC_WEDGE);
    assert_string_equal((char *)ev.data, pass);
    assert_int_equal(scan_wedge_take_typed(w, keys, 64), 0);
    assert_int_equal(scan_wedge_deadline(w), 0);

    /* A person: 150 ms per key; every key comes back as typing, in order,
     * the Enter included, and nothing reaches the hub. */
    t += 5000;
    assert_int_equal(type(w, "hello", &t, 150, &typed), SCAN_KEY_TYPED);
    size_t n = scan_wedge_take_typed(w, keys, 64);
    assert_int_equal(n, 6);
    assert_int_equal(keys[0], 'h');
    assert_int_equal(keys[4], 'o');
    assert_int_equal(keys[5], '\r');
    assert_int_equal(scan_poll(h, &ev), 0);

    /* A fast typist's burst (3 keys in 40 ms, Enter) is still typing. */
    t += 5000;
    typed = 0;
    assert_int_equal(type(w, "abc", &t, 20, &typed), SCAN_KEY_TYPED);
    assert_int_equal(scan_wedge_take_typed(w, keys, 64), 4);

    /* A slow scanner (40 ms per key) is a scanner; 60 ms is a person. */
    t += 5000;
    assert_int_equal(type(w, "SLOW-SCANNER-1", &t, 40, &typed), SCAN_KEY_SCANNED);
    t += 5000;
    assert_int_equal(type(w, "SLOWER", &t, 60, &typed), SCAN_KEY_TYPED);
    assert_int_equal(scan_wedge_take_typed(w, keys, 64), 7);

    /* Typing then a scan right after: the typed keys are released when
     * the burst starts, the burst is a scan. */
    t += 5000;
    assert_int_equal(scan_wedge_key(w, 'x', t), SCAN_KEY_HELD);
    t += 300;
    assert_int_equal(scan_wedge_key(w, 'P', t), SCAN_KEY_TYPED);
    t += 5;
    assert_int_equal(type(w, "ASS-42", &t, 5, &typed), SCAN_KEY_SCANNED);
    assert_int_equal(scan_wedge_take_typed(w, keys, 64), 1);
    assert_int_equal(keys[0], 'x');
    assert_int_equal(scan_wedge_payload(w, payload, sizeof payload), 7);
    assert_string_equal(payload, "PASS-42");

    /* A lone key is released by the tick once its gap has passed. */
    t += 5000;
    assert_int_equal(scan_wedge_key(w, 'q', t), SCAN_KEY_HELD);
    uint64_t dl = scan_wedge_deadline(w);
    assert_true(dl > t && dl <= t + 51);
    assert_int_equal(scan_wedge_tick(w, t + 10), SCAN_KEY_HELD);
    assert_int_equal(scan_wedge_tick(w, dl), SCAN_KEY_TYPED);
    assert_int_equal(scan_wedge_take_typed(w, keys, 64), 1);
    assert_int_equal(scan_wedge_tick(w, dl + 100), SCAN_KEY_HELD);

    /* A clock going backwards does not break a burst. */
    t += 5000;
    assert_int_equal(scan_wedge_key(w, 'A', t), SCAN_KEY_HELD);
    assert_int_equal(scan_wedge_key(w, 'B', t - 3), SCAN_KEY_HELD);
    assert_int_equal(scan_wedge_key(w, 'C', t), SCAN_KEY_HELD);
    assert_int_equal(scan_wedge_key(w, 'D', t + 1), SCAN_KEY_HELD);
    assert_int_equal(scan_wedge_key(w, '\n', t + 2), SCAN_KEY_SCANNED);
    assert_int_equal(scan_poll(h, &ev), 1);
    assert_int_equal(scan_poll(h, &ev), 1);
    assert_int_equal(scan_poll(h, &ev), 1);
    assert_int_equal(scan_poll(h, &ev), 0);

    /* Stray control characters (a NUL from a misconfigured scanner) are
     * ignored: the burst around them is still one scan. */
    t += 5000;
    assert_int_equal(scan_wedge_key(w, 'N', t), SCAN_KEY_HELD);
    assert_int_equal(scan_wedge_key(w, 0, t + 1), SCAN_KEY_HELD);
    assert_int_equal(type(w, "UL-1", &t, 5, &typed), SCAN_KEY_SCANNED);
    assert_int_equal(scan_wedge_payload(w, payload, sizeof payload), 5);
    assert_string_equal(payload, "NUL-1");
    assert_int_equal(scan_poll(h, &ev), 1);

    /* Custom thresholds; Chinese keys come back as UTF-8. */
    scan_wedge_opts o = {.max_gap_ms = 20, .min_len = 2};
    scan_wedge *w2 = scan_wedge_new(NULL, &o);
    t += 5000;
    assert_int_equal(scan_wedge_key(w2, 0x9633, t), SCAN_KEY_HELD);
    assert_int_equal(scan_wedge_key(w2, 0x5149, t + 10), SCAN_KEY_HELD);
    assert_int_equal(scan_wedge_key(w2, '\r', t + 20), SCAN_KEY_SCANNED);
    assert_int_equal(scan_wedge_payload(w2, payload, sizeof payload), 6);
    assert_string_equal(payload, "阳光");
    scan_wedge_free(w2);
    scan_wedge_free(w);
    scan_wedge_free(NULL);
    scan_hub_free(h);
}

/* ---- files ------------------------------------------------------------- */

static void test_image_files(void **state)
{
    (void)state;
    uint8_t payload[100];
    for (size_t i = 0; i < sizeof payload; i++)
        payload[i] = (uint8_t)(i * 37 + 11);
    qr_code *qr = NULL;
    assert_int_equal(qr_encode_bytes(payload, sizeof payload, QR_EC_M, &qr), QR_OK);
    uint8_t *img = scene(qr, 4, 400, 300, 17.0);
    char png[256], jpg[256], bad[256], none[256];
    path_in(png, sizeof png, "code.png");
    path_in(jpg, sizeof jpg, "code.jpg");
    write_png(png, img, 400, 300);
    write_jpeg(jpg, img, 400, 300, 75);
    static zxc_result res;
    assert_int_equal(scan_file(png, &res), SCAN_OK);
    assert_int_equal(res.len, sizeof payload);
    assert_memory_equal(res.bytes, payload, sizeof payload);
    memset(&res, 0, sizeof res);
    assert_int_equal(scan_file(jpg, &res), SCAN_OK);
    assert_memory_equal(res.bytes, payload, sizeof payload);

    uint8_t *lum = NULL;
    int w = 0, h = 0;
    assert_int_equal(scan_image_load(png, &lum, &w, &h), SCAN_OK);
    assert_int_equal(w, 400);
    assert_int_equal(h, 300);
    assert_memory_equal(lum, img, 400 * 300);
    free(lum);

    /* A blank image, a text file, a missing file, truncated PNG. */
    memset(img, 255, 400 * 300);
    path_in(none, sizeof none, "blank.png");
    write_png(none, img, 400, 300);
    assert_int_equal(scan_file(none, &res), SCAN_ERR_NOT_FOUND);
    path_in(bad, sizeof bad, "notes.txt");
    FILE *f = fopen(bad, "w");
    fputs("not an image\n", f);
    fclose(f);
    assert_int_equal(scan_file(bad, &res), SCAN_ERR_FORMAT);
    assert_int_equal(scan_file("/nonexistent/x.png", &res), SCAN_ERR_IO);
    assert_int_equal(scan_file(tmpdir, &res), SCAN_ERR_IO);
    assert_int_equal(scan_image_load_mem((const uint8_t *)"\x89PNG\r\n\x1a\n", 8, &lum, &w, &h),
                     SCAN_ERR_FORMAT);
    assert_int_equal(scan_image_load_mem((const uint8_t *)"\xFF\xD8\xFF\xE0", 4, &lum, &w, &h),
                     SCAN_ERR_FORMAT);
    assert_null(lum);

    /* A PNG that claims 20000 x 20000: refused before allocating. */
    static const uint8_t sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    uint8_t big[8 + 25];
    memcpy(big, sig, 8);
    uint8_t ihdr[17] = {'I', 'H', 'D', 'R', 0, 0, 0x4E, 0x20, 0, 0, 0x4E, 0x20, 8, 0, 0, 0, 0};
    big[8] = 0, big[9] = 0, big[10] = 0, big[11] = 13;
    memcpy(big + 12, ihdr, 17);
    uLong crc = crc32(0, ihdr, 17);
    big[29] = (uint8_t)(crc >> 24), big[30] = (uint8_t)(crc >> 16), big[31] = (uint8_t)(crc >> 8),
    big[32] = (uint8_t)crc;
    assert_int_equal(scan_image_load_mem(big, sizeof big, &lum, &w, &h), SCAN_ERR_TOO_LARGE);
    free(img);
    qr_free(qr);
}

static void test_watched_directory(void **state)
{
    (void)state;
    char dir[256];
    path_in(dir, sizeof dir, "inbox");
    assert_int_equal(mkdir(dir, 0700), 0);
    scan_hub *h = scan_hub_new(8, NULL, NULL);
    scan_dir *d = NULL;
    assert_int_equal(scan_dir_watch(h, dir, &d), SCAN_OK);
    qr_code *qr = NULL;
    assert_int_equal(qr_encode_text("DIR-SCAN-1", QR_EC_Q, &qr), QR_OK);
    char tmp[300], final[300], junk[300];
    snprintf(tmp, sizeof tmp, "%s/.incoming.png", dir);
    snprintf(final, sizeof final, "%s/pass.png", dir);
    assert_int_equal(qr_write_png(qr, 5, 4, tmp), QR_OK);
    assert_int_equal(rename(tmp, final), 0);
    scan_event ev;
    assert_true(wait_event(h, &ev));
    assert_int_equal(ev.kind, SCAN_EV_PAYLOAD);
    assert_int_equal(ev.source, SCAN_SRC_FILE);
    assert_string_equal((char *)ev.data, "DIR-SCAN-1");
    assert_string_equal(ev.detail, "pass.png");
    snprintf(junk, sizeof junk, "%s/readme.txt", dir);
    FILE *f = fopen(junk, "w");
    fputs("hello", f);
    fclose(f);
    assert_true(wait_event(h, &ev));
    assert_int_equal(ev.kind, SCAN_EV_STATUS);
    assert_int_equal(ev.status, SCAN_ST_FILE_ERROR);
    assert_string_equal(ev.detail, "readme.txt");
    scan_dir_close(d);
    scan_dir_close(NULL);
    assert_int_equal(scan_dir_watch(h, "/nonexistent-dir", &d), SCAN_ERR_IO);
    assert_null(d);
    qr_free(qr);
    scan_hub_free(h);
}

/* ---- camera path --------------------------------------------------------- */

static int released[4];
static void on_release(void *user, int index)
{
    (void)user;
    __atomic_add_fetch(&released[index], 1, __ATOMIC_SEQ_CST);
}

static void test_camera_decode_path_yuyv(void **state)
{
    (void)state;
    enum { W = 1280, H = 720, STRIDE = W * 2 + 64 };
    scan_hub *h = scan_hub_new(8, NULL, NULL);
    scan_decoder *dec = NULL;
    assert_int_equal(scan_decoder_new(h, ZXC_FAST, on_release, NULL, &dec), SCAN_OK);

    /* Binary payload, QR at an angle, in the Y plane of a padded YUYV frame. */
    uint8_t payload[200];
    for (size_t i = 0; i < sizeof payload; i++)
        payload[i] = (uint8_t)(255 - i);
    qr_code *qr = NULL;
    assert_int_equal(qr_encode_bytes(payload, sizeof payload, QR_EC_Q, &qr), QR_OK);
    uint8_t *lum = scene(qr, 6, W, H, 12.0);
    uint8_t *yuyv = to_yuyv(lum, W, H, STRIDE);
    scan_frame f = {yuyv, W, H, STRIDE, SCAN_FMT_YUYV};

    /* Synchronous path first: the same function the thread runs. */
    zxc_reader *rd = zxc_reader_new(ZXC_FAST);
    static zxc_result res;
    assert_int_equal(scan_frame_decode(rd, &f, &res), ZXC_OK);
    assert_int_equal(res.len, sizeof payload);
    assert_memory_equal(res.bytes, payload, sizeof payload);
    scan_frame bad = f;
    bad.stride = W; /* too small for YUYV */
    assert_int_equal(scan_frame_decode(rd, &bad, &res), ZXC_ERR_ARG);
    zxc_reader_free(rd);

    /* Through the decoder thread, like the capture loop. */
    int submitted = 0, accepted = 0;
    for (int i = 0; i < 5; i++) {
        scan_err e = scan_decoder_submit(dec, &f, i % 4);
        assert_true(e == SCAN_OK || e == SCAN_ERR_BUSY);
        submitted++;
        accepted += e == SCAN_OK;
    }
    scan_decoder_wait_idle(dec);
    scan_decoder_stats st;
    scan_decoder_stats_get(dec, &st);
    assert_int_equal(st.decoded + st.dropped, (uint64_t)submitted);
    assert_int_equal(st.decoded, (uint64_t)accepted);
    assert_int_equal(st.found, st.decoded);
    int rel = 0;
    for (int i = 0; i < 4; i++)
        rel += __atomic_load_n(&released[i], __ATOMIC_SEQ_CST);
    assert_int_equal(rel, accepted);
    /* One payload despite several frames (repeat window). */
    scan_event ev;
    assert_int_equal(scan_poll(h, &ev), 1);
    assert_int_equal(ev.source, SCAN_SRC_CAMERA);
    assert_int_equal(ev.len, sizeof payload);
    assert_memory_equal(ev.data, payload, sizeof payload);
    assert_int_equal(scan_poll(h, &ev), 0);

    /* GREY frames take the same path with pixel stride 1. */
    scan_hub_set_repeat_ms(h, 0);
    scan_frame g = {lum, W, H, W, SCAN_FMT_GREY};
    assert_int_equal(scan_decoder_submit(dec, &g, 0), SCAN_OK);
    scan_decoder_wait_idle(dec);
    assert_int_equal(scan_poll(h, &ev), 1);
    assert_memory_equal(ev.data, payload, sizeof payload);

    /* A frame with no code: decoded, nothing posted. */
    memset(lum, 200, (size_t)W * H);
    assert_int_equal(scan_decoder_submit(dec, &g, 1), SCAN_OK);
    scan_decoder_wait_idle(dec);
    assert_int_equal(scan_poll(h, &ev), 0);
    assert_int_equal(scan_decoder_submit(dec, NULL, 0), SCAN_ERR_ARG);

    scan_decoder_free(dec);
    scan_decoder_free(NULL);
    free(yuyv);
    free(lum);
    qr_free(qr);
    scan_hub_free(h);
}

static void test_preview(void **state)
{
    (void)state;
    enum { W = 1280, H = 720, STRIDE = W * 2 };
    uint8_t *lum = malloc((size_t)W * H);
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++)
            lum[(size_t)y * W + (size_t)x] = (uint8_t)(x / 5);
    uint8_t *yuyv = to_yuyv(lum, W, H, STRIDE);
    scan_frame f = {yuyv, W, H, STRIDE, SCAN_FMT_YUYV};
    scan_preview *pv = scan_preview_new(320, false), *mir = scan_preview_new(320, true);
    uint8_t out[320 * 320];
    uint32_t xrgb[320 * 320];
    int w = 0, h = 0;
    uint64_t seq = 0;
    assert_int_equal(scan_preview_copy(pv, out, 320, &w, &h, &seq), 0);
    scan_preview_update(pv, &f);
    scan_preview_update(mir, &f);
    assert_int_equal(scan_preview_copy(pv, out, 320, &w, &h, &seq), 1);
    assert_int_equal(w, 320);
    assert_int_equal(h, 180);
    assert_int_equal(out[0], 0);
    assert_int_equal(out[319], (319 * 4) / 5);
    assert_int_equal(scan_preview_copy(pv, out, 320, &w, &h, &seq), 0); /* nothing new */
    uint64_t s2 = 0;
    assert_int_equal(scan_preview_copy_xrgb(mir, xrgb, 320, &w, &h, &s2), 1);
    assert_int_equal(xrgb[0], 0xFF000000u | 0x010101u * (uint32_t)((319 * 4) / 5));
    assert_int_equal(xrgb[319], 0xFF000000u);
    assert_null(scan_preview_new(4, false));
    scan_preview_free(pv);
    scan_preview_free(mir);
    scan_preview_free(NULL);
    free(yuyv);
    free(lum);
}

static void test_camera_absent_reports_and_retries(void **state)
{
    (void)state;
    scan_hub *h = scan_hub_new(8, NULL, NULL);
    scan_camera_opts o = {.device = "/nonexistent/video9", .retry_ms = 20};
    scan_camera *cam = NULL;
    assert_int_equal(scan_camera_open(h, &o, &cam), SCAN_OK);
    scan_event ev;
    assert_true(wait_event(h, &ev));
    assert_int_equal(ev.kind, SCAN_EV_STATUS);
    assert_int_equal(ev.source, SCAN_SRC_CAMERA);
    assert_int_equal(ev.status, SCAN_ST_CAMERA_ABSENT);
    assert_non_null(strstr(ev.detail, "/nonexistent/video9"));
    char detail[160];
    assert_int_equal(scan_camera_state(cam, detail, sizeof detail), SCAN_ST_CAMERA_ABSENT);
    /* Retries do not flood the queue with the same message. */
    nap_ms(100);
    assert_int_equal(scan_poll(h, &ev), 0);
    assert_non_null(scan_camera_preview(cam));
    scan_decoder_stats st;
    scan_camera_stats(cam, &st);
    assert_int_equal(st.decoded, 0);
    scan_camera_close(cam);
    scan_camera_close(NULL);
    /* A regular file is not a camera. */
    char notcam[256];
    path_in(notcam, sizeof notcam, "video0");
    FILE *f = fopen(notcam, "w");
    fclose(f);
    o.device = notcam;
    assert_int_equal(scan_camera_open(h, &o, &cam), SCAN_OK);
    assert_true(wait_event(h, &ev));
    assert_int_equal(ev.status, SCAN_ST_CAMERA_ABSENT);
    assert_non_null(strstr(ev.detail, "not a video device"));
    scan_camera_close(cam);
    scan_hub_free(h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hub_queue_repeat_and_overflow),
        cmocka_unit_test(test_wedge_scanner_vs_human),
        cmocka_unit_test(test_image_files),
        cmocka_unit_test(test_watched_directory),
        cmocka_unit_test(test_camera_decode_path_yuyv),
        cmocka_unit_test(test_preview),
        cmocka_unit_test(test_camera_absent_reports_and_retries),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
