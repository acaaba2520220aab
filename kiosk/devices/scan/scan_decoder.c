/* scan_decoder.c - the camera's decode worker and its preview.
 *
 * The capture thread must never wait for the decoder: it offers each frame,
 * and the decoder takes it only when idle (one frame in flight). The frame
 * is read where it lies, in the camera's mmap'd buffer; for YUYV the Y bytes
 * are every other byte, which ZXing's image view handles with a pixel
 * stride of 2. When done, RELEASE hands the buffer index back so the
 * capture thread can queue it to the driver again.
 */
#include "scan.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

zxc_err scan_frame_decode(zxc_reader *rd, const scan_frame *f, zxc_result *res)
{
    if (!f || !f->data || f->width <= 0 || f->height <= 0)
        return ZXC_ERR_ARG;
    int pix = f->fmt == SCAN_FMT_YUYV ? 2 : f->fmt == SCAN_FMT_GREY ? 1 : 0;
    if (!pix || f->stride < f->width * pix)
        return ZXC_ERR_ARG;
    return zxc_read(rd, f->data, f->width, f->height, f->stride, pix, res);
}

struct scan_decoder {
    scan_hub *hub;
    zxc_reader *rd;
    zxc_result res;
    void (*release)(void *, int);
    void *user;
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int stop, busy, has_frame, index;
    scan_frame frame;
    scan_decoder_stats stats;
};

static void *decoder_main(void *arg)
{
    scan_decoder *d = arg;
    pthread_mutex_lock(&d->mu);
    for (;;) {
        while (!d->stop && !d->has_frame)
            pthread_cond_wait(&d->cv, &d->mu);
        if (!d->has_frame)
            break; /* stop requested and nothing in flight */
        scan_frame f = d->frame;
        int index = d->index;
        d->has_frame = 0;
        pthread_mutex_unlock(&d->mu);

        zxc_err e = scan_frame_decode(d->rd, &f, &d->res);
        if (e == ZXC_OK)
            scan_hub_post_payload(d->hub, SCAN_SRC_CAMERA, d->res.bytes, d->res.len, NULL,
                                  scan_now_ms());
        if (d->release)
            d->release(d->user, index);

        pthread_mutex_lock(&d->mu);
        d->stats.decoded++;
        if (e == ZXC_OK)
            d->stats.found++;
        d->busy = 0;
        pthread_cond_broadcast(&d->cv);
    }
    pthread_mutex_unlock(&d->mu);
    return NULL;
}

scan_err scan_decoder_new(scan_hub *hub, unsigned zxc_flags, void (*release)(void *, int),
                          void *user, scan_decoder **out)
{
    if (!out)
        return SCAN_ERR_ARG;
    *out = NULL;
    if (!hub)
        return SCAN_ERR_ARG;
    scan_decoder *d = calloc(1, sizeof *d);
    if (!d)
        return SCAN_ERR_NOMEM;
    d->hub = hub;
    d->release = release;
    d->user = user;
    d->rd = zxc_reader_new(zxc_flags);
    if (!d->rd) {
        free(d);
        return SCAN_ERR_NOMEM;
    }
    pthread_mutex_init(&d->mu, NULL);
    pthread_cond_init(&d->cv, NULL);
    if (pthread_create(&d->thread, NULL, decoder_main, d) != 0) {
        pthread_cond_destroy(&d->cv);
        pthread_mutex_destroy(&d->mu);
        zxc_reader_free(d->rd);
        free(d);
        return SCAN_ERR_THREAD;
    }
    *out = d;
    return SCAN_OK;
}

void scan_decoder_free(scan_decoder *d)
{
    if (!d)
        return;
    pthread_mutex_lock(&d->mu);
    d->stop = 1;
    pthread_cond_broadcast(&d->cv);
    pthread_mutex_unlock(&d->mu);
    pthread_join(d->thread, NULL);
    pthread_cond_destroy(&d->cv);
    pthread_mutex_destroy(&d->mu);
    zxc_reader_free(d->rd);
    free(d);
}

scan_err scan_decoder_submit(scan_decoder *d, const scan_frame *frame, int index)
{
    if (!d || !frame || !frame->data)
        return SCAN_ERR_ARG;
    pthread_mutex_lock(&d->mu);
    if (d->busy || d->stop) {
        d->stats.dropped++;
        pthread_mutex_unlock(&d->mu);
        return SCAN_ERR_BUSY;
    }
    d->busy = 1;
    d->has_frame = 1;
    d->frame = *frame;
    d->index = index;
    pthread_cond_broadcast(&d->cv);
    pthread_mutex_unlock(&d->mu);
    return SCAN_OK;
}

void scan_decoder_wait_idle(scan_decoder *d)
{
    if (!d)
        return;
    pthread_mutex_lock(&d->mu);
    while (d->busy)
        pthread_cond_wait(&d->cv, &d->mu);
    pthread_mutex_unlock(&d->mu);
}

void scan_decoder_stats_get(scan_decoder *d, scan_decoder_stats *st)
{
    if (!d || !st)
        return;
    pthread_mutex_lock(&d->mu);
    *st = d->stats;
    pthread_mutex_unlock(&d->mu);
}

/* ---- preview ------------------------------------------------------------ */

struct scan_preview {
    pthread_mutex_t mu;
    int max_w;
    bool mirror;
    int w, h;
    uint64_t seq;
    uint8_t *pix; /* max_w * max_w (enough for any aspect up to 1:1) */
};

scan_preview *scan_preview_new(int max_width, bool mirror)
{
    if (max_width < 16 || max_width > 1920)
        return NULL;
    scan_preview *pv = calloc(1, sizeof *pv);
    if (!pv)
        return NULL;
    pv->pix = malloc((size_t)max_width * (size_t)max_width);
    if (!pv->pix) {
        free(pv);
        return NULL;
    }
    pthread_mutex_init(&pv->mu, NULL);
    pv->max_w = max_width;
    pv->mirror = mirror;
    return pv;
}

void scan_preview_free(scan_preview *pv)
{
    if (!pv)
        return;
    pthread_mutex_destroy(&pv->mu);
    free(pv->pix);
    free(pv);
}

void scan_preview_update(scan_preview *pv, const scan_frame *f)
{
    if (!pv || !f || !f->data || f->width <= 0 || f->height <= 0)
        return;
    int pix = f->fmt == SCAN_FMT_YUYV ? 2 : 1;
    if (f->stride < f->width * pix)
        return;
    /* Integer step: nearest-neighbour on the Y plane is plenty for a
     * viewfinder and costs ~60k reads per frame at 320 px. */
    int step = (f->width + pv->max_w - 1) / pv->max_w;
    if (step < 1)
        step = 1;
    int w = f->width / step, h = f->height / step;
    if (h > pv->max_w)
        h = pv->max_w;
    pthread_mutex_lock(&pv->mu);
    for (int y = 0; y < h; y++) {
        const uint8_t *src = f->data + (size_t)(y * step) * (size_t)f->stride;
        uint8_t *dst = pv->pix + (size_t)y * (size_t)w;
        for (int x = 0; x < w; x++) {
            int sx = pv->mirror ? (w - 1 - x) * step : x * step;
            dst[x] = src[(size_t)sx * (size_t)pix];
        }
    }
    pv->w = w;
    pv->h = h;
    pv->seq++;
    pthread_mutex_unlock(&pv->mu);
}

int scan_preview_copy(scan_preview *pv, uint8_t *dst, size_t stride, int *w, int *h, uint64_t *seq)
{
    if (!pv || !dst || !w || !h || !seq)
        return 0;
    pthread_mutex_lock(&pv->mu);
    int fresh = pv->seq != *seq && pv->w > 0 && stride >= (size_t)pv->w;
    if (fresh) {
        for (int y = 0; y < pv->h; y++)
            memcpy(dst + (size_t)y * stride, pv->pix + (size_t)y * (size_t)pv->w, (size_t)pv->w);
        *w = pv->w;
        *h = pv->h;
        *seq = pv->seq;
    }
    pthread_mutex_unlock(&pv->mu);
    return fresh;
}

int scan_preview_copy_xrgb(scan_preview *pv, uint32_t *dst, size_t stride, int *w, int *h,
                           uint64_t *seq)
{
    if (!pv || !dst || !w || !h || !seq)
        return 0;
    pthread_mutex_lock(&pv->mu);
    int fresh = pv->seq != *seq && pv->w > 0 && stride >= (size_t)pv->w;
    if (fresh) {
        for (int y = 0; y < pv->h; y++) {
            const uint8_t *s = pv->pix + (size_t)y * (size_t)pv->w;
            uint32_t *o = dst + (size_t)y * stride;
            for (int x = 0; x < pv->w; x++)
                o[x] = 0xFF000000u | (uint32_t)s[x] * 0x010101u;
        }
        *w = pv->w;
        *h = pv->h;
        *seq = pv->seq;
    }
    pthread_mutex_unlock(&pv->mu);
    return fresh;
}
