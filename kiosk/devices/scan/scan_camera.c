/* scan_camera.c - a V4L2 camera as a scan source.
 *
 * One capture thread per camera: open, negotiate YUYV or GREY at the wanted
 * size (or what the driver offers instead), mmap a few buffers, stream. Each
 * dequeued frame updates the preview and is offered to the decoder; a frame
 * the decoder takes is queued back to the driver only when the decoder
 * releases it (it reads the buffer in place), the others immediately.
 * When the device fails (unplugged: ENODEV/EIO) the stream is torn down
 * after the decoder let go of its buffer, a status event says so, and the
 * thread retries every retry_ms until the camera is back.
 */
#include "scan.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/videodev2.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

enum { NBUF = 4 };

struct scan_camera {
    scan_hub *hub;
    scan_camera_opts o;
    char device[96]; /* /dev/v4l/by-id/... names fit */
    scan_preview *preview;
    scan_decoder *dec;
    pthread_t thread;
    int wake[2]; /* stop requests and decoder releases wake the poll */

    pthread_mutex_t mu;  /* guards the fields below */
    int stop;
    int released[NBUF]; /* buffers the decoder gave back, to requeue */
    scan_status state;
    char detail[160];
};

typedef struct stream {
    int fd;
    int n;
    void *start[NBUF];
    size_t length[NBUF];
    scan_frame frame; /* geometry and format, data set per buffer */
} stream;

static int xioctl(int fd, unsigned long req, void *arg)
{
    int r;
    do
        r = ioctl(fd, req, arg);
    while (r < 0 && errno == EINTR);
    return r;
}

static void poke(scan_camera *c)
{
    uint8_t x = 1;
    /* Non-blocking pipe: when it is full, a wake-up is already pending. */
    if (write(c->wake[1], &x, 1) < 0 && errno != EAGAIN)
        return;
}

static void on_release(void *user, int index)
{
    scan_camera *c = user;
    pthread_mutex_lock(&c->mu);
    if (index >= 0 && index < NBUF)
        c->released[index] = 1;
    pthread_mutex_unlock(&c->mu);
    poke(c);
}

static void set_state(scan_camera *c, scan_status st, const char *detail)
{
    pthread_mutex_lock(&c->mu);
    int changed = c->state != st || strcmp(c->detail, detail) != 0;
    c->state = st;
    snprintf(c->detail, sizeof c->detail, "%s", detail);
    pthread_mutex_unlock(&c->mu);
    if (changed)
        scan_hub_post_status(c->hub, SCAN_SRC_CAMERA, st, detail);
}

static void stream_close(scan_camera *c, stream *s)
{
    if (s->fd < 0)
        return;
    /* The decoder may still be reading a buffer: wait before unmapping. */
    scan_decoder_wait_idle(c->dec);
    enum v4l2_buf_type type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
    xioctl(s->fd, VIDIOC_STREAMOFF, &type);
    for (int i = 0; i < s->n; i++)
        if (s->start[i] && s->start[i] != MAP_FAILED)
            munmap(s->start[i], s->length[i]);
    close(s->fd);
    s->fd = -1;
    s->n = 0;
}

/* Opens and starts streaming; on failure fills WHY and returns -1. */
static int stream_open(scan_camera *c, stream *s, char *why, size_t wl)
{
    memset(s, 0, sizeof *s);
    s->fd = open(c->device, O_RDWR | O_NONBLOCK | O_CLOEXEC);
    if (s->fd < 0) {
        snprintf(why, wl, "camera %s: %s", c->device, strerror(errno));
        return -1;
    }
    struct v4l2_capability cap;
    memset(&cap, 0, sizeof cap);
    if (xioctl(s->fd, VIDIOC_QUERYCAP, &cap) < 0) {
        snprintf(why, wl, "camera %s: not a video device", c->device);
        goto fail;
    }
    uint32_t caps = (cap.capabilities & V4L2_CAP_DEVICE_CAPS) ? cap.device_caps : cap.capabilities;
    if (!(caps & V4L2_CAP_VIDEO_CAPTURE) || !(caps & V4L2_CAP_STREAMING)) {
        snprintf(why, wl, "camera %s: cannot stream video", c->device);
        goto fail;
    }
    /* Prefer YUYV (luma in place, stride 2), else GREY. MJPEG-only cameras
     * are not supported: decoding JPEG per frame costs more than the QR. */
    uint32_t want[2] = {V4L2_PIX_FMT_YUYV, V4L2_PIX_FMT_GREY};
    struct v4l2_format fmt;
    int ok = 0;
    for (int i = 0; i < 2 && !ok; i++) {
        memset(&fmt, 0, sizeof fmt);
        fmt.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
        fmt.fmt.pix.width = (uint32_t)c->o.width;
        fmt.fmt.pix.height = (uint32_t)c->o.height;
        fmt.fmt.pix.pixelformat = want[i];
        fmt.fmt.pix.field = V4L2_FIELD_NONE;
        ok = xioctl(s->fd, VIDIOC_S_FMT, &fmt) == 0 && fmt.fmt.pix.pixelformat == want[i];
    }
    if (!ok) {
        snprintf(why, wl, "camera %s: offers neither YUYV nor GREY", c->device);
        goto fail;
    }
    s->frame.fmt = fmt.fmt.pix.pixelformat == V4L2_PIX_FMT_YUYV ? SCAN_FMT_YUYV : SCAN_FMT_GREY;
    s->frame.width = (int)fmt.fmt.pix.width;
    s->frame.height = (int)fmt.fmt.pix.height;
    int pix = s->frame.fmt == SCAN_FMT_YUYV ? 2 : 1;
    s->frame.stride = fmt.fmt.pix.bytesperline ? (int)fmt.fmt.pix.bytesperline : s->frame.width * pix;
    if (s->frame.width <= 0 || s->frame.height <= 0 || s->frame.stride < s->frame.width * pix) {
        snprintf(why, wl, "camera %s: bad frame geometry", c->device);
        goto fail;
    }

    struct v4l2_requestbuffers req;
    memset(&req, 0, sizeof req);
    req.count = NBUF;
    req.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
    req.memory = V4L2_MEMORY_MMAP;
    if (xioctl(s->fd, VIDIOC_REQBUFS, &req) < 0 || req.count < 2) {
        snprintf(why, wl, "camera %s: no mmap buffers", c->device);
        goto fail;
    }
    s->n = req.count > NBUF ? NBUF : (int)req.count;
    for (int i = 0; i < s->n; i++) {
        struct v4l2_buffer b;
        memset(&b, 0, sizeof b);
        b.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
        b.memory = V4L2_MEMORY_MMAP;
        b.index = (uint32_t)i;
        if (xioctl(s->fd, VIDIOC_QUERYBUF, &b) < 0) {
            snprintf(why, wl, "camera %s: QUERYBUF: %s", c->device, strerror(errno));
            goto fail;
        }
        s->length[i] = b.length;
        s->start[i] = mmap(NULL, b.length, PROT_READ | PROT_WRITE, MAP_SHARED, s->fd, b.m.offset);
        if (s->start[i] == MAP_FAILED) {
            snprintf(why, wl, "camera %s: mmap: %s", c->device, strerror(errno));
            goto fail;
        }
        if (b.length < (size_t)s->frame.stride * (size_t)s->frame.height) {
            snprintf(why, wl, "camera %s: buffer smaller than a frame", c->device);
            goto fail;
        }
        if (xioctl(s->fd, VIDIOC_QBUF, &b) < 0) {
            snprintf(why, wl, "camera %s: QBUF: %s", c->device, strerror(errno));
            goto fail;
        }
    }
    enum v4l2_buf_type type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
    if (xioctl(s->fd, VIDIOC_STREAMON, &type) < 0) {
        snprintf(why, wl, "camera %s: STREAMON: %s", c->device, strerror(errno));
        goto fail;
    }
    return 0;
fail:
    stream_close(c, s);
    return -1;
}

static int requeue(stream *s, int index)
{
    struct v4l2_buffer b;
    memset(&b, 0, sizeof b);
    b.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
    b.memory = V4L2_MEMORY_MMAP;
    b.index = (uint32_t)index;
    return xioctl(s->fd, VIDIOC_QBUF, &b);
}

/* Streams until the device fails or stop is requested. */
static void run_stream(scan_camera *c, stream *s)
{
    char msg[160];
    snprintf(msg, sizeof msg, "camera %s: %dx%d %s", c->device, s->frame.width, s->frame.height,
             s->frame.fmt == SCAN_FMT_YUYV ? "YUYV" : "GREY");
    set_state(c, SCAN_ST_CAMERA_READY, msg);
    for (;;) {
        struct pollfd pf[2] = {{s->fd, POLLIN, 0}, {c->wake[0], POLLIN, 0}};
        int pr = poll(pf, 2, 2000);
        if (pr < 0 && errno != EINTR)
            break;
        if (pf[1].revents & POLLIN) {
            uint8_t junk[64];
            while (read(c->wake[0], junk, sizeof junk) > 0) {
            }
        }
        pthread_mutex_lock(&c->mu);
        int stop = c->stop;
        int rel[NBUF];
        memcpy(rel, c->released, sizeof rel);
        memset(c->released, 0, sizeof c->released);
        pthread_mutex_unlock(&c->mu);
        if (stop)
            return;
        for (int i = 0; i < s->n; i++)
            if (rel[i] && requeue(s, i) < 0) {
                snprintf(msg, sizeof msg, "camera %s: %s", c->device, strerror(errno));
                set_state(c, SCAN_ST_CAMERA_LOST, msg);
                return;
            }
        if (pr == 0) {
            /* Two seconds without a frame from a streaming camera. */
            continue;
        }
        if (pf[0].revents & (POLLERR | POLLHUP)) {
            snprintf(msg, sizeof msg, "camera %s was disconnected", c->device);
            set_state(c, SCAN_ST_CAMERA_LOST, msg);
            return;
        }
        if (!(pf[0].revents & POLLIN))
            continue;
        struct v4l2_buffer b;
        memset(&b, 0, sizeof b);
        b.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
        b.memory = V4L2_MEMORY_MMAP;
        if (xioctl(s->fd, VIDIOC_DQBUF, &b) < 0) {
            if (errno == EAGAIN)
                continue;
            snprintf(msg, sizeof msg, "camera %s: %s", c->device,
                     errno == ENODEV || errno == EIO ? "disconnected" : strerror(errno));
            set_state(c, SCAN_ST_CAMERA_LOST, msg);
            return;
        }
        if (b.index >= (uint32_t)s->n)
            continue;
        scan_frame f = s->frame;
        f.data = s->start[b.index];
        if (b.flags & V4L2_BUF_FLAG_ERROR) {
            requeue(s, (int)b.index);
            continue;
        }
        scan_preview_update(c->preview, &f);
        if (scan_decoder_submit(c->dec, &f, (int)b.index) != SCAN_OK && requeue(s, (int)b.index) < 0) {
            snprintf(msg, sizeof msg, "camera %s: %s", c->device, strerror(errno));
            set_state(c, SCAN_ST_CAMERA_LOST, msg);
            return;
        }
    }
}

/* Sleeps up to MS unless stop is requested; returns 1 when stopping. */
static int nap(scan_camera *c, unsigned ms)
{
    struct pollfd pf = {c->wake[0], POLLIN, 0};
    poll(&pf, 1, (int)ms);
    uint8_t junk[64];
    while (read(c->wake[0], junk, sizeof junk) > 0) {
    }
    pthread_mutex_lock(&c->mu);
    int stop = c->stop;
    pthread_mutex_unlock(&c->mu);
    return stop;
}

static void *camera_main(void *arg)
{
    scan_camera *c = arg;
    stream s;
    s.fd = -1;
    char why[160];
    for (;;) {
        pthread_mutex_lock(&c->mu);
        int stop = c->stop;
        pthread_mutex_unlock(&c->mu);
        if (stop)
            break;
        if (stream_open(c, &s, why, sizeof why) == 0) {
            run_stream(c, &s);
            stream_close(c, &s);
            pthread_mutex_lock(&c->mu);
            memset(c->released, 0, sizeof c->released);
            pthread_mutex_unlock(&c->mu);
        } else {
            pthread_mutex_lock(&c->mu);
            int was = c->state;
            pthread_mutex_unlock(&c->mu);
            /* Once lost, stay "lost" (the message people saw) until back. */
            set_state(c, was == SCAN_ST_CAMERA_LOST ? SCAN_ST_CAMERA_LOST : SCAN_ST_CAMERA_ABSENT, why);
        }
        if (nap(c, c->o.retry_ms))
            break;
    }
    return NULL;
}

scan_err scan_camera_open(scan_hub *hub, const scan_camera_opts *opts, scan_camera **out)
{
    if (!out)
        return SCAN_ERR_ARG;
    *out = NULL;
    if (!hub)
        return SCAN_ERR_ARG;
    scan_camera *c = calloc(1, sizeof *c);
    if (!c)
        return SCAN_ERR_NOMEM;
    c->hub = hub;
    if (opts)
        c->o = *opts;
    const char *dev = c->o.device ? c->o.device : "/dev/video0";
    if (strlen(dev) >= sizeof c->device) {
        free(c);
        return SCAN_ERR_ARG;
    }
    memcpy(c->device, dev, strlen(dev) + 1);
    c->o.device = NULL; /* the caller's string need not outlive this call */
    if (c->o.width <= 0 || c->o.height <= 0) {
        c->o.width = 1280;
        c->o.height = 720;
    }
    if (c->o.preview_width <= 0)
        c->o.preview_width = 320;
    if (c->o.retry_ms == 0)
        c->o.retry_ms = 2000;
    c->state = SCAN_ST_NONE;
    c->wake[0] = c->wake[1] = -1;
    c->preview = scan_preview_new(c->o.preview_width, c->o.mirror_preview);
    scan_err err = c->preview ? SCAN_OK : SCAN_ERR_ARG;
    if (err == SCAN_OK && pipe2(c->wake, O_CLOEXEC | O_NONBLOCK) != 0)
        err = SCAN_ERR_NOMEM;
    if (err == SCAN_OK)
        err = scan_decoder_new(hub, c->o.zxc_flags, on_release, c, &c->dec);
    if (err == SCAN_OK) {
        pthread_mutex_init(&c->mu, NULL);
        if (pthread_create(&c->thread, NULL, camera_main, c) != 0) {
            pthread_mutex_destroy(&c->mu);
            err = SCAN_ERR_THREAD;
        }
    }
    if (err != SCAN_OK) {
        scan_decoder_free(c->dec);
        scan_preview_free(c->preview);
        if (c->wake[0] >= 0) {
            close(c->wake[0]);
            close(c->wake[1]);
        }
        free(c);
        return err;
    }
    *out = c;
    return SCAN_OK;
}

void scan_camera_close(scan_camera *c)
{
    if (!c)
        return;
    pthread_mutex_lock(&c->mu);
    c->stop = 1;
    pthread_mutex_unlock(&c->mu);
    poke(c);
    pthread_join(c->thread, NULL);
    scan_decoder_free(c->dec);
    scan_preview_free(c->preview);
    close(c->wake[0]);
    close(c->wake[1]);
    pthread_mutex_destroy(&c->mu);
    free(c);
}

scan_preview *scan_camera_preview(scan_camera *c) { return c ? c->preview : NULL; }

scan_status scan_camera_state(scan_camera *c, char *detail, size_t cap)
{
    if (!c)
        return SCAN_ST_NONE;
    pthread_mutex_lock(&c->mu);
    scan_status st = c->state;
    if (detail && cap)
        snprintf(detail, cap, "%s", c->detail);
    pthread_mutex_unlock(&c->mu);
    return st;
}

void scan_camera_stats(scan_camera *c, scan_decoder_stats *st)
{
    if (!c || !st)
        return;
    scan_decoder_stats_get(c->dec, st);
}
