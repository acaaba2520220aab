/* scan_image.c - PNG / JPEG files as a scan source (development, tests,
 * `kioskctl scan`), and a watched directory.
 *
 * libpng's simplified API and libjpeg(-turbo) both convert to 8-bit grey
 * themselves, which is all the QR decoder needs. Sizes are checked from the
 * header before any pixel memory is allocated.
 */
#include "scan.h"

#include "kbuf.h"

#include <errno.h>
#include <fcntl.h>
#include <png.h>
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdio.h> /* before jpeglib.h, which uses FILE */
#include <jpeglib.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

enum { MAX_FILE_BYTES = 64 * 1024 * 1024 };

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static scan_err load_png(const uint8_t *data, size_t len, uint8_t **lum, int *w, int *h)
{
    /* The IHDR chunk comes first: refuse huge images before libpng reads on. */
    if (len >= 24 && memcmp(data + 12, "IHDR", 4) == 0 &&
        (be32(data + 16) > SCAN_IMAGE_MAX_SIDE || be32(data + 20) > SCAN_IMAGE_MAX_SIDE))
        return SCAN_ERR_TOO_LARGE;
    png_image img;
    memset(&img, 0, sizeof img);
    img.version = PNG_IMAGE_VERSION;
    if (!png_image_begin_read_from_memory(&img, data, len))
        return SCAN_ERR_FORMAT;
    if (img.width == 0 || img.height == 0 || img.width > SCAN_IMAGE_MAX_SIDE ||
        img.height > SCAN_IMAGE_MAX_SIDE) {
        png_image_free(&img);
        return SCAN_ERR_TOO_LARGE;
    }
    img.format = PNG_FORMAT_GRAY;
    /* Transparent pixels over white, as a code on screen or paper appears. */
    png_color white = {255, 255, 255};
    uint8_t *buf = malloc((size_t)img.width * img.height);
    if (!buf) {
        png_image_free(&img);
        return SCAN_ERR_NOMEM;
    }
    if (!png_image_finish_read(&img, &white, buf, (png_int_32)img.width, NULL)) {
        free(buf);
        png_image_free(&img);
        return SCAN_ERR_FORMAT;
    }
    *lum = buf;
    *w = (int)img.width;
    *h = (int)img.height;
    return SCAN_OK;
}

typedef struct jerr {
    struct jpeg_error_mgr mgr;
    jmp_buf jb;
} jerr;

static void jpeg_fail(j_common_ptr cinfo)
{
    jerr *e = (jerr *)cinfo->err;
    longjmp(e->jb, 1);
}

static void jpeg_quiet(j_common_ptr cinfo, int level) { (void)cinfo, (void)level; }

static scan_err load_jpeg(const uint8_t *data, size_t len, uint8_t **lum, int *w, int *h)
{
    struct jpeg_decompress_struct ci;
    jerr e;
    /* volatile: modified between setjmp and a possible longjmp */
    uint8_t *volatile buf = NULL;
    volatile scan_err err = SCAN_ERR_FORMAT;
    ci.err = jpeg_std_error(&e.mgr);
    e.mgr.error_exit = jpeg_fail;
    e.mgr.emit_message = jpeg_quiet;
    if (setjmp(e.jb)) {
        jpeg_destroy_decompress(&ci);
        free(buf);
        return err;
    }
    jpeg_create_decompress(&ci);
    jpeg_mem_src(&ci, data, (unsigned long)len);
    jpeg_read_header(&ci, TRUE);
    if (ci.image_width == 0 || ci.image_height == 0 || ci.image_width > SCAN_IMAGE_MAX_SIDE ||
        ci.image_height > SCAN_IMAGE_MAX_SIDE) {
        jpeg_destroy_decompress(&ci);
        return SCAN_ERR_TOO_LARGE;
    }
    ci.out_color_space = JCS_GRAYSCALE;
    jpeg_start_decompress(&ci);
    size_t W = ci.output_width, H = ci.output_height;
    buf = malloc(W * H);
    if (!buf) {
        jpeg_destroy_decompress(&ci);
        return SCAN_ERR_NOMEM;
    }
    while (ci.output_scanline < ci.output_height) {
        JSAMPROW row = buf + (size_t)ci.output_scanline * W;
        jpeg_read_scanlines(&ci, &row, 1);
    }
    jpeg_finish_decompress(&ci);
    jpeg_destroy_decompress(&ci);
    *lum = buf;
    *w = (int)W;
    *h = (int)H;
    return SCAN_OK;
}

scan_err scan_image_load_mem(const uint8_t *data, size_t len, uint8_t **lum, int *w, int *h)
{
    if (!lum || !w || !h)
        return SCAN_ERR_ARG;
    *lum = NULL;
    *w = *h = 0;
    if (!data)
        return SCAN_ERR_ARG;
    if (len >= 8 && memcmp(data, "\x89PNG\r\n\x1a\n", 8) == 0)
        return load_png(data, len, lum, w, h);
    if (len >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF)
        return load_jpeg(data, len, lum, w, h);
    return SCAN_ERR_FORMAT;
}

static scan_err slurp(const char *path, uint8_t **data, size_t *len)
{
    kbuf b = {0};
    int rc = kbuf_read_file(path, MAX_FILE_BYTES, &b, NULL);
    if (rc != 0)
        return rc == KBUF_ETOOBIG ? SCAN_ERR_TOO_LARGE : rc == ENOMEM ? SCAN_ERR_NOMEM : SCAN_ERR_IO;
    *data = (uint8_t *)b.p; /* the caller frees it */
    *len = b.len;
    return SCAN_OK;
}

scan_err scan_image_load(const char *path, uint8_t **lum, int *w, int *h)
{
    if (!path || !lum || !w || !h)
        return SCAN_ERR_ARG;
    uint8_t *data = NULL;
    size_t len = 0;
    scan_err err = slurp(path, &data, &len);
    if (err == SCAN_OK) {
        err = scan_image_load_mem(data, len, lum, w, h);
        free(data);
    }
    return err;
}

static scan_err decode_with(zxc_reader *rd, const char *path, zxc_result *res)
{
    uint8_t *lum = NULL;
    int w = 0, h = 0;
    scan_err err = scan_image_load(path, &lum, &w, &h);
    if (err != SCAN_OK)
        return err;
    zxc_err ze = zxc_read(rd, lum, w, h, w, 1, res);
    free(lum);
    switch (ze) {
    case ZXC_OK: return SCAN_OK;
    case ZXC_ERR_NOT_FOUND: return SCAN_ERR_NOT_FOUND;
    case ZXC_ERR_NOMEM: return SCAN_ERR_NOMEM;
    default: return SCAN_ERR_DECODER;
    }
}

scan_err scan_file(const char *path, zxc_result *res)
{
    if (!path || !res)
        return SCAN_ERR_ARG;
    zxc_reader *rd = zxc_reader_new(ZXC_TRY_HARDER);
    if (!rd)
        return SCAN_ERR_NOMEM;
    scan_err err = decode_with(rd, path, res);
    zxc_reader_free(rd);
    return err;
}

/* ---- watched directory ------------------------------------------------- */

struct scan_dir {
    scan_hub *hub;
    char dir[1024];
    int ifd;
    int wake[2];
    pthread_t thread;
    zxc_reader *rd;
    zxc_result res;
};

static void handle_file(scan_dir *d, const char *name)
{
    if (name[0] == '.')
        return; /* editors' and our own temporary files */
    char path[1400];
    snprintf(path, sizeof path, "%s/%s", d->dir, name);
    scan_err err = decode_with(d->rd, path, &d->res);
    if (err == SCAN_OK)
        scan_hub_post_payload(d->hub, SCAN_SRC_FILE, d->res.bytes, d->res.len, name, scan_now_ms());
    else
        scan_hub_post_status(d->hub, SCAN_SRC_FILE,
                             err == SCAN_ERR_NOT_FOUND ? SCAN_ST_FILE_NO_CODE : SCAN_ST_FILE_ERROR,
                             name);
}

static void *dir_main(void *arg)
{
    scan_dir *d = arg;
    /* inotify events are variable-length; align the buffer for them. */
    _Alignas(struct inotify_event) char buf[8192];
    for (;;) {
        struct pollfd pf[2] = {{d->ifd, POLLIN, 0}, {d->wake[0], POLLIN, 0}};
        if (poll(pf, 2, -1) < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        if (pf[1].revents)
            break;
        ssize_t n = read(d->ifd, buf, sizeof buf);
        if (n <= 0) {
            if (n < 0 && (errno == EINTR || errno == EAGAIN))
                continue;
            break;
        }
        for (ssize_t off = 0; off < n;) {
            const struct inotify_event *ev = (const struct inotify_event *)(buf + off);
            if (ev->len && !(ev->mask & IN_ISDIR))
                handle_file(d, ev->name);
            off += (ssize_t)sizeof *ev + ev->len;
        }
    }
    return NULL;
}

scan_err scan_dir_watch(scan_hub *hub, const char *dir, scan_dir **out)
{
    if (!out)
        return SCAN_ERR_ARG;
    *out = NULL;
    if (!hub || !dir || strlen(dir) >= 1024)
        return SCAN_ERR_ARG;
    scan_dir *d = calloc(1, sizeof *d);
    if (!d)
        return SCAN_ERR_NOMEM;
    d->hub = hub;
    memcpy(d->dir, dir, strlen(dir) + 1);
    d->wake[0] = d->wake[1] = -1;
    d->ifd = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
    d->rd = zxc_reader_new(ZXC_TRY_HARDER);
    scan_err err = SCAN_OK;
    if (d->ifd < 0 || !d->rd || pipe2(d->wake, O_CLOEXEC) != 0)
        err = SCAN_ERR_NOMEM;
    else if (inotify_add_watch(d->ifd, dir, IN_CLOSE_WRITE | IN_MOVED_TO) < 0)
        err = SCAN_ERR_IO;
    else if (pthread_create(&d->thread, NULL, dir_main, d) != 0)
        err = SCAN_ERR_THREAD;
    if (err != SCAN_OK) {
        if (d->ifd >= 0)
            close(d->ifd);
        if (d->wake[0] >= 0) {
            close(d->wake[0]);
            close(d->wake[1]);
        }
        zxc_reader_free(d->rd);
        free(d);
        return err;
    }
    *out = d;
    return SCAN_OK;
}

void scan_dir_close(scan_dir *d)
{
    if (!d)
        return;
    uint8_t x = 1;
    /* One byte into an empty pipe: cannot block or come up short. */
    if (write(d->wake[1], &x, 1) < 0)
        return;
    pthread_join(d->thread, NULL);
    close(d->ifd);
    close(d->wake[0]);
    close(d->wake[1]);
    zxc_reader_free(d->rd);
    free(d);
}
