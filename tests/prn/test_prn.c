/* test_prn.c - layout, ESC/POS bytes read back and decoded, PNG, spool and
 * retry against a loopback printer that vanishes or runs out of paper. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "escpos_reader.h"
#include "fake_printer.h"
#include "prn.h"
#include "zxc.h"

static prn_fonts *fonts;
static char tmpdir[64];

static const char PAYLOAD[] = "TKT1:NCFOXN%TSMAHN-HVN9OA.KX1D3.CB7K:0W.S8K0QAJ*MA";

static int setup(void **state)
{
    (void)state;
    char err[256];
    if (prn_fonts_open(NULL, NULL, &fonts, err, sizeof err) != PRN_OK) {
        fprintf(stderr, "fonts: %s\n", err);
        return -1;
    }
    snprintf(tmpdir, sizeof tmpdir, "/tmp/test_prn_XXXXXX");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static void rm_tree(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
            continue;
        char p[512];
        snprintf(p, sizeof p, "%s/%s", dir, de->d_name);
        struct stat st;
        if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode))
            rm_tree(p);
        else
            unlink(p);
    }
    closedir(d);
    rmdir(dir);
}

static int teardown(void **state)
{
    (void)state;
    prn_fonts_close(fonts);
    rm_tree(tmpdir);
    return 0;
}

static void path_in(char *dst, size_t cap, const char *name)
{
    snprintf(dst, cap, "%s/%s", tmpdir, name);
}

/* Decodes the QR code in a 1-bit image (MSB first, 1 = black). */
static int decode_bits(const uint8_t *bits, size_t stride, int w, int h, zxc_result *res)
{
    uint8_t *g = malloc((size_t)w * (size_t)h);
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
            g[(size_t)y * (size_t)w + (size_t)x] =
                ((bits[(size_t)y * stride + (size_t)(x >> 3)] >> (7 - (x & 7))) & 1) ? 0 : 255;
    zxc_reader *rd = zxc_reader_new(ZXC_TRY_HARDER);
    zxc_err e = zxc_read(rd, g, w, h, w, 1, res);
    zxc_reader_free(rd);
    free(g);
    return e;
}

static prn_raster *sample(int width)
{
    prn_doc *d = prn_doc_sample_ticket(PAYLOAD, strlen(PAYLOAD));
    assert_non_null(d);
    prn_raster *r = NULL;
    assert_int_equal(prn_layout(fonts, d, width, &r), PRN_OK);
    prn_doc_free(d);
    return r;
}

static uint8_t *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *b = malloc((size_t)n + 1);
    assert_int_equal(fread(b, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    *len = (size_t)n;
    return b;
}

/* Reads one ESC/POS job from DATA and checks its QR decodes to PAYLOAD. */
static size_t check_job(const uint8_t *data, size_t len, const prn_raster *expect)
{
    escpos_page pg;
    size_t used = 0;
    char err[128];
    int rc = escpos_read_job(data, len, &used, &pg, err, sizeof err);
    if (rc != 0)
        fail_msg("ESC/POS reader: %s", err);
    assert_int_equal(pg.inits, 1);
    assert_int_equal(pg.cuts, 1);
    assert_int_equal(pg.feeds, 1);
    assert_int_equal(pg.width, expect->width);
    assert_int_equal(pg.height, expect->height);
    /* Identical but for dots whitened to avoid real-time commands. */
    size_t diff = 0;
    for (size_t i = 0; i < pg.stride * (size_t)pg.height; i++)
        if (pg.bits[i] != expect->bits[i]) {
            assert_int_equal(expect->bits[i], 0x10);
            assert_int_equal(pg.bits[i], 0x00);
            diff++;
        }
    assert_true(diff < 16);
    static zxc_result res;
    assert_int_equal(decode_bits(pg.bits, pg.stride, pg.width, pg.height, &res), ZXC_OK);
    assert_int_equal(res.len, strlen(PAYLOAD));
    assert_memory_equal(res.bytes, PAYLOAD, res.len);
    escpos_page_free(&pg);
    return used;
}

/* A printer on URL SCHEME:DIR/FILE with its own spool DIR/SPOOL_NAME; the
 * output path goes to OUT. */
static prn_printer *open_file_printer(const char *scheme, const char *file, const char *spool_name,
                                      char *out, size_t cap)
{
    char url[300], spool[256];
    path_in(out, cap, file);
    path_in(spool, sizeof spool, spool_name);
    snprintf(url, sizeof url, "%s:%s", scheme, out);
    prn_printer *p = NULL;
    assert_int_equal(prn_open(url, spool, NULL, &p), PRN_OK);
    return p;
}

/* A printer on the fake network printer FP, spooling into DIR/SPOOL_NAME. */
static prn_printer *open_fake(fake_printer *fp, const char *spool_name, const prn_opts *o)
{
    char url[64], spool[256];
    snprintf(url, sizeof url, "escpos-tcp:127.0.0.1:%d", fake_printer_port(fp));
    path_in(spool, sizeof spool, spool_name);
    prn_printer *p = NULL;
    assert_int_equal(prn_open(url, spool, o, &p), PRN_OK);
    return p;
}

/* Waits for JOBS finished connections on FP, checks that they carry
 * exactly one job that reads back as R, and frees everything. */
static void finish_fake(fake_printer *fp, prn_printer *p, prn_raster *r, int jobs)
{
    assert_int_equal(fake_printer_wait_jobs(fp, jobs), jobs);
    size_t len;
    const uint8_t *data = fake_printer_data(fp, &len);
    assert_int_equal(check_job(data, len, r), len);
    prn_raster_free(r);
    prn_close(p);
    fake_printer_stop(fp);
}

static void test_layout_and_qr_in_raster(void **state)
{
    (void)state;
    int widths[] = {PRN_WIDTH_58MM, PRN_WIDTH_80MM};
    for (int i = 0; i < 2; i++) {
        prn_raster *r = sample(widths[i]);
        assert_int_equal(r->width, widths[i]);
        assert_true(r->height > 300);
        /* Ink inside the 4-dot margins only. */
        for (int y = 0; y < r->height; y++)
            for (int x = 0; x < 4; x++) {
                assert_int_equal(prn_raster_get(r, x, y), 0);
                assert_int_equal(prn_raster_get(r, r->width - 1 - x, y), 0);
            }
        static zxc_result res;
        assert_int_equal(decode_bits(r->bits, r->stride, r->width, r->height, &res), ZXC_OK);
        assert_memory_equal(res.bytes, PAYLOAD, strlen(PAYLOAD));
        prn_raster_free(r);
    }
}

static void test_text_wraps_and_aligns(void **state)
{
    (void)state;
    prn_doc *d = prn_doc_new();
    assert_int_equal(prn_doc_text(d, "一", 24, PRN_REGULAR, PRN_LEFT), PRN_OK);
    prn_raster *one = NULL;
    assert_int_equal(prn_layout(fonts, d, 384, &one), PRN_OK);
    prn_doc_free(d);
    int pitch = one->height;
    assert_true(pitch >= 24 * 13 / 10);

    d = prn_doc_new();
    /* 40 hanzi at 24 dots need ~960 dots: three lines of 376. */
    assert_int_equal(prn_doc_text(d, "社区志愿者为居家隔离的居民送菜上门请大家配合测温出示通行证谢谢"
                                     "阳光小区居委会",
                                  24, PRN_REGULAR, PRN_LEFT),
                     PRN_OK);
    prn_raster *r = NULL;
    assert_int_equal(prn_layout(fonts, d, 384, &r), PRN_OK);
    assert_int_equal(r->height, 3 * pitch);
    prn_raster_free(r);
    prn_doc_free(d);

    /* Right alignment puts ink near the right margin, none at the left. */
    d = prn_doc_new();
    assert_int_equal(prn_doc_text(d, "OK", 24, PRN_BOLD, PRN_RIGHT), PRN_OK);
    assert_int_equal(prn_layout(fonts, d, 384, &r), PRN_OK);
    int minx = 10000, maxx = -1;
    for (int y = 0; y < r->height; y++)
        for (int x = 0; x < r->width; x++)
            if (prn_raster_get(r, x, y)) {
                minx = x < minx ? x : minx;
                maxx = x > maxx ? x : maxx;
            }
    assert_true(minx > 300);
    assert_true(maxx >= 384 - 4 - 6 && maxx < 384 - 4);
    prn_raster_free(r);
    prn_doc_free(d);
    prn_raster_free(one);
}

static void test_doc_errors(void **state)
{
    (void)state;
    prn_doc *d = prn_doc_new();
    assert_int_equal(prn_doc_text(d, NULL, 24, PRN_REGULAR, PRN_LEFT), PRN_ERR_ARG);
    assert_int_equal(prn_doc_text(d, "x", 2, PRN_REGULAR, PRN_LEFT), PRN_ERR_ARG);
    assert_int_equal(prn_doc_text(d, "x", 24, PRN_REGULAR, (prn_align)7), PRN_ERR_ARG);
    assert_int_equal(prn_doc_rule(d, 0, false), PRN_ERR_ARG);
    assert_int_equal(prn_doc_space(d, 0), PRN_ERR_ARG);
    assert_int_equal(prn_doc_qr(d, "x", 0, QR_EC_M, 0, PRN_CENTER), PRN_ERR_ARG);
    static uint8_t big[2000];
    memset(big, 0xA5, sizeof big);
    /* 2000 bytes at H do not fit a QR code at all. */
    assert_int_equal(prn_doc_qr(d, big, sizeof big, QR_EC_H, 0, PRN_CENTER), PRN_ERR_LAYOUT);
    /* 1500 bytes fit a QR code, but not at 3 dots a module on 58 mm paper. */
    assert_int_equal(prn_doc_qr(d, big, 1500, QR_EC_L, 0, PRN_CENTER), PRN_OK);
    prn_raster *r = (prn_raster *)(uintptr_t)1;
    assert_int_equal(prn_layout(fonts, d, 384, &r), PRN_ERR_LAYOUT);
    assert_null(r);
    assert_int_equal(prn_layout(fonts, d, 4, &r), PRN_ERR_ARG);
    assert_int_equal(prn_doc_count(d), 1);
    prn_doc_free(d);
    prn_doc_free(NULL);
    prn_raster_free(NULL);
    prn_fonts_close(NULL);
    prn_close(NULL);

    prn_fonts *f = NULL;
    char err[256];
    assert_int_equal(prn_fonts_open("/nonexistent.otf", NULL, &f, err, sizeof err), PRN_ERR_FONT);
    assert_non_null(strstr(err, "/nonexistent.otf"));
    assert_null(f);

    for (int e = 0; e <= 15; e++)
        assert_true(strlen(prn_strerror((prn_err)e)) > 0);
    assert_non_null(strstr(prn_strerror(PRN_ERR_PAPER_OUT), "out of paper"));
    assert_true(prn_err_retryable(PRN_ERR_PAPER_OUT));
    assert_false(prn_err_retryable(PRN_ERR_URL));
}

static void test_status_bytes(void **state)
{
    (void)state;
    assert_int_equal(prn_escpos_status(1, 0x12), PRN_OK);
    assert_int_equal(prn_escpos_status(1, 0x1A), PRN_ERR_OFFLINE);
    assert_int_equal(prn_escpos_status(2, 0x12), PRN_OK);
    assert_int_equal(prn_escpos_status(2, 0x32), PRN_ERR_PAPER_OUT);
    assert_int_equal(prn_escpos_status(2, 0x16), PRN_ERR_COVER_OPEN);
    assert_int_equal(prn_escpos_status(2, 0x52), PRN_ERR_FAULT);
    assert_int_equal(prn_escpos_status(3, 0x12), PRN_OK);
    assert_int_equal(prn_escpos_status(3, 0x1A), PRN_ERR_FAULT);
    assert_int_equal(prn_escpos_status(4, 0x12), PRN_OK);
    assert_int_equal(prn_escpos_status(4, 0x1E), PRN_OK); /* near end: still prints */
    assert_int_equal(prn_escpos_status(4, 0x72), PRN_ERR_PAPER_OUT);
    assert_int_equal(prn_escpos_status(4, 0x00), PRN_ERR_ARG);
    assert_int_equal(prn_escpos_status(4, 0xFF), PRN_ERR_ARG);
    assert_int_equal(prn_escpos_status(5, 0x12), PRN_ERR_ARG);
}

/* Image bytes that would read as DLE EOT / ENQ / DC4 never reach the wire. */
static void test_realtime_bytes_defused(void **state)
{
    (void)state;
    prn_raster *r = prn_raster_new(64, 40);
    for (size_t i = 0; i + 1 < r->stride * 40; i += 2) {
        r->bits[i] = 0x10;
        r->bits[i + 1] = (uint8_t)(i % 3 == 0 ? 0x04 : i % 3 == 1 ? 0x05 : 0x14);
    }
    uint8_t *job = NULL;
    size_t len = 0;
    assert_int_equal(prn_escpos_encode(r, 16, &job, &len), PRN_OK);
    for (size_t i = 0; i + 1 < len; i++)
        if (job[i] == 0x10)
            assert_true(job[i + 1] != 0x04 && job[i + 1] != 0x05 && job[i + 1] != 0x14);
    escpos_page pg;
    size_t used;
    assert_int_equal(escpos_read_job(job, len, &used, &pg, NULL, 0), 0);
    assert_int_equal(used, len);
    assert_int_equal(pg.bands, 3);
    assert_int_equal(pg.height, 40);
    escpos_page_free(&pg);
    free(job);
    prn_raster_free(r);
}

static void test_escpos_file_round_trip_and_order(void **state)
{
    (void)state;
    char out[256];
    prn_printer *p = open_file_printer("escpos-file", "job.bin", "spool-file", out, sizeof out);
    prn_raster *a = sample(384), *b = sample(384);
    /* Two jobs queued while "offline", then flushed: printed in order. */
    b->bits[0] = 0x80; /* make the second job distinguishable */
    assert_int_equal(prn_enqueue(p, a), PRN_OK);
    assert_int_equal(prn_enqueue(p, b), PRN_OK);
    assert_int_equal(prn_pending(p), 2);
    assert_int_equal(prn_flush(p), PRN_OK);
    assert_int_equal(prn_pending(p), 0);
    size_t len;
    uint8_t *data = slurp(out, &len);
    size_t used = check_job(data, len, a);
    used += check_job(data + used, len - used, b);
    assert_int_equal(used, len);
    free(data);
    prn_raster_free(a);
    prn_raster_free(b);
    prn_close(p);
}

static void test_png_backend(void **state)
{
    (void)state;
    char out[256];
    prn_printer *p = open_file_printer("png", "ticket.png", "spool-png", out, sizeof out);
    prn_raster *r = sample(384);
    assert_int_equal(prn_submit(p, r), PRN_OK);
    assert_int_equal(prn_check(p), PRN_OK);
    size_t len;
    uint8_t *data = slurp(out, &len);
    assert_memory_equal(data, "\x89PNG", 4);
    free(data);
    prn_raster_free(r);
    prn_close(p);
}

static void test_url_and_offline(void **state)
{
    (void)state;
    char spool[256];
    path_in(spool, sizeof spool, "spool-url");
    prn_printer *p = NULL;
    assert_int_equal(prn_open("lpt1", spool, NULL, &p), PRN_ERR_URL);
    assert_int_equal(prn_open("escpos-tcp:host:99999", spool, NULL, &p), PRN_ERR_URL);
    assert_int_equal(prn_open("escpos-tcp:host:", spool, NULL, &p), PRN_ERR_URL);
    assert_int_equal(prn_open("escpos-tcp:[::1", spool, NULL, &p), PRN_ERR_URL);
    assert_int_equal(prn_open("escpos:", spool, NULL, &p), PRN_ERR_URL);
    assert_int_equal(prn_open("escpos:/x", NULL, NULL, &p), PRN_ERR_ARG);
    prn_err cups = prn_open("cups:kiosk", spool, NULL, &p);
    assert_true(cups == PRN_OK || cups == PRN_ERR_UNSUPPORTED);
    prn_close(p);
    p = NULL;

    /* An unplugged USB printer: offline, and no file appears in its place. */
    char dev[256], url[300];
    path_in(dev, sizeof dev, "lp0");
    snprintf(url, sizeof url, "escpos:%s", dev);
    assert_int_equal(prn_open(url, spool, NULL, &p), PRN_OK);
    prn_raster *r = sample(384);
    assert_int_equal(prn_submit(p, r), PRN_ERR_OFFLINE);
    assert_true(strlen(prn_detail(p)) > 0);
    assert_int_equal(access(dev, F_OK), -1);
    assert_int_equal(prn_pending(p), 1);
    assert_int_equal(prn_check(p), PRN_ERR_OFFLINE);
    prn_close(p);

    /* Nobody listening on a TCP port: offline too. The job from above is
     * still in the same spool and goes out with the next printer. */
    fake_printer *fp = fake_printer_start();
    int port = fake_printer_port(fp);
    fake_printer_stop(fp);
    snprintf(url, sizeof url, "escpos-tcp:127.0.0.1:%d", port);
    assert_int_equal(prn_open(url, spool, NULL, &p), PRN_OK);
    assert_int_equal(prn_flush(p), PRN_ERR_OFFLINE);
    assert_int_equal(prn_pending(p), 1);
    prn_close(p);
    prn_raster_free(r);
}

static void test_tcp_printer_vanishes_mid_job(void **state)
{
    (void)state;
    fake_printer *fp = fake_printer_start();
    assert_non_null(fp);
    prn_opts o = {.connect_timeout_ms = 2000, .io_timeout_ms = 5000, .status_timeout_ms = 2000};
    prn_printer *p = open_fake(fp, "spool-tcp", &o);
    prn_raster *r = sample(384);

    /* The printer takes part of the job and disappears. */
    fake_printer_set_vanish_after(fp, 3000);
    prn_err e = prn_submit(p, r);
    assert_int_equal(e, PRN_ERR_WRITE);
    assert_true(fake_printer_vanished(fp));
    assert_int_equal(prn_pending(p), 1);
    /* Still gone: offline, the job waits. */
    assert_int_equal(prn_flush(p), PRN_ERR_OFFLINE);
    assert_int_equal(prn_pending(p), 1);

    /* Back: the retry prints the whole job, and the spool is empty. */
    assert_int_equal(fake_printer_revive(fp), 0);
    assert_int_equal(prn_flush(p), PRN_OK);
    assert_int_equal(prn_pending(p), 0);
    finish_fake(fp, p, r, 1);
}

static void test_out_of_paper_then_refilled(void **state)
{
    (void)state;
    fake_printer *fp = fake_printer_start();
    prn_opts o = {.status_timeout_ms = 2000};
    prn_printer *p = open_fake(fp, "spool-paper", &o);
    prn_raster *r = sample(384);
    fake_printer_set_paper_out(fp, 1);
    assert_int_equal(prn_check(p), PRN_ERR_PAPER_OUT);
    assert_int_equal(prn_submit(p, r), PRN_ERR_PAPER_OUT);
    assert_int_equal(prn_pending(p), 1);
    fake_printer_set_paper_out(fp, 0);
    assert_int_equal(prn_check(p), PRN_OK);
    assert_int_equal(prn_flush(p), PRN_OK);
    assert_int_equal(prn_pending(p), 0);
    /* Two status-only checks and two job connections; one job got through. */
    finish_fake(fp, p, r, 4);
}

/* A printer that never answers status: the job is trusted once written. */
static void test_silent_printer(void **state)
{
    (void)state;
    fake_printer *fp = fake_printer_start();
    fake_printer_set_silent(fp, 1);
    prn_opts o = {.status_timeout_ms = 50};
    prn_printer *p = open_fake(fp, "spool-silent", &o);
    prn_raster *r = sample(384);
    assert_int_equal(prn_submit(p, r), PRN_OK);
    finish_fake(fp, p, r, 1);
}

static void test_corrupt_spool_file_set_aside(void **state)
{
    (void)state;
    char out[256], spool[256], bad[300];
    prn_printer *p = open_file_printer("escpos-file", "corrupt.bin", "spool-corrupt", out, sizeof out);
    path_in(spool, sizeof spool, "spool-corrupt");
    snprintf(bad, sizeof bad, "%s/00000000000000000001-00000000-0000.job", spool);
    FILE *f = fopen(bad, "wb");
    fputs("KPRNJOB1 torn", f);
    fclose(f);
    prn_raster *r = sample(384);
    assert_int_equal(prn_enqueue(p, r), PRN_OK);
    assert_int_equal(prn_pending(p), 2);
    assert_int_equal(prn_flush(p), PRN_ERR_CORRUPT);
    assert_int_equal(prn_pending(p), 0);
    char kept[320];
    snprintf(kept, sizeof kept, "%s.bad", bad);
    assert_int_equal(access(kept, F_OK), 0);
    size_t len;
    uint8_t *data = slurp(out, &len);
    assert_int_equal(check_job(data, len, r), len);
    free(data);

    /* Parser edge cases. */
    prn_raster *x = NULL;
    assert_int_equal(prn_spool_parse(NULL, 0, &x), PRN_ERR_CORRUPT);
    assert_int_equal(prn_spool_parse((const uint8_t *)"KPRNJOB1", 8, &x), PRN_ERR_CORRUPT);
    prn_raster_free(r);
    prn_close(p);
}

static int notified;
static void on_notify(void *user)
{
    (void)user;
    __atomic_add_fetch(&notified, 1, __ATOMIC_SEQ_CST);
}

static void test_worker_retries_until_refilled(void **state)
{
    (void)state;
    fake_printer *fp = fake_printer_start();
    fake_printer_set_paper_out(fp, 1);
    prn_opts o = {.status_timeout_ms = 2000};
    prn_printer *p = open_fake(fp, "spool-worker", &o);
    prn_worker *w = NULL;
    assert_int_equal(prn_worker_start(p, 20, on_notify, NULL, &w), PRN_OK);
    prn_raster *r = sample(384);
    assert_int_equal(prn_worker_submit(w, r), PRN_OK);
    prn_worker_status st;
    /* Hang guards only: wait for states, never assert on durations. */
    for (int i = 0; i < 6000; i++) {
        prn_worker_status_get(w, &st);
        if (st.last == PRN_ERR_PAPER_OUT)
            break;
        struct timespec ts = {0, 10000000};
        nanosleep(&ts, NULL);
    }
    assert_int_equal(st.last, PRN_ERR_PAPER_OUT);
    assert_int_equal(st.pending, 1);
    assert_int_equal(st.printed, 0);
    fake_printer_set_paper_out(fp, 0);
    prn_worker_kick(w);
    for (int i = 0; i < 6000; i++) {
        prn_worker_status_get(w, &st);
        if (st.printed == 1)
            break;
        struct timespec ts = {0, 10000000};
        nanosleep(&ts, NULL);
    }
    assert_int_equal(st.printed, 1);
    assert_int_equal(st.pending, 0);
    assert_int_equal(st.last, PRN_OK);
    assert_true(__atomic_load_n(&notified, __ATOMIC_SEQ_CST) >= 2);
    prn_worker_stop(w);
    prn_worker_stop(NULL);
    prn_raster_free(r);
    fake_printer_stop(fp);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_layout_and_qr_in_raster),
        cmocka_unit_test(test_text_wraps_and_aligns),
        cmocka_unit_test(test_doc_errors),
        cmocka_unit_test(test_status_bytes),
        cmocka_unit_test(test_realtime_bytes_defused),
        cmocka_unit_test(test_escpos_file_round_trip_and_order),
        cmocka_unit_test(test_png_backend),
        cmocka_unit_test(test_url_and_offline),
        cmocka_unit_test(test_tcp_printer_vanishes_mid_job),
        cmocka_unit_test(test_out_of_paper_then_refilled),
        cmocka_unit_test(test_silent_printer),
        cmocka_unit_test(test_corrupt_spool_file_set_aside),
        cmocka_unit_test(test_worker_retries_until_refilled),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
