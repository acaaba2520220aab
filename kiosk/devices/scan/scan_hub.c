/* scan_hub.c - the thread-safe event queue every scan source feeds.
 *
 * A ring of preallocated events: posting copies into a slot under a mutex,
 * polling copies out. Nothing is allocated after scan_hub_new(). When the
 * ring is full the newest event is dropped and counted: a UI that stopped
 * polling must not make the camera thread wait.
 */
#include "scan.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct scan_hub {
    pthread_mutex_t mu;
    scan_event *ring;
    size_t cap, head, count;
    uint64_t overflows;
    unsigned repeat_ms;
    /* last camera payload, for the repeat window */
    uint8_t last[SCAN_PAYLOAD_MAX];
    size_t last_len;
    uint64_t last_ms;
    int have_last;
    void (*notify)(void *);
    void *user;
};

uint64_t scan_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

scan_hub *scan_hub_new(size_t capacity, void (*notify)(void *), void *user)
{
    if (capacity == 0)
        capacity = 16;
    if (capacity > 4096)
        return NULL;
    scan_hub *h = calloc(1, sizeof *h);
    if (!h)
        return NULL;
    h->ring = calloc(capacity, sizeof *h->ring);
    if (!h->ring || pthread_mutex_init(&h->mu, NULL) != 0) {
        free(h->ring);
        free(h);
        return NULL;
    }
    h->cap = capacity;
    h->repeat_ms = 2000;
    h->notify = notify;
    h->user = user;
    return h;
}

void scan_hub_free(scan_hub *h)
{
    if (!h)
        return;
    pthread_mutex_destroy(&h->mu);
    free(h->ring);
    free(h);
}

int scan_poll(scan_hub *h, scan_event *ev)
{
    if (!h || !ev)
        return 0;
    pthread_mutex_lock(&h->mu);
    int got = h->count > 0;
    if (got) {
        *ev = h->ring[h->head];
        h->head = (h->head + 1) % h->cap;
        h->count--;
    }
    pthread_mutex_unlock(&h->mu);
    return got;
}

/* Takes the next free slot and fills its common fields (mutex held), or
 * NULL when the ring is full. */
static scan_event *slot(scan_hub *h, scan_event_kind kind, scan_source src, const char *detail)
{
    if (h->count == h->cap) {
        h->overflows++;
        return NULL;
    }
    scan_event *ev = &h->ring[(h->head + h->count) % h->cap];
    memset(ev, 0, offsetof(scan_event, data));
    ev->data[0] = 0;
    ev->kind = kind;
    ev->source = src;
    snprintf(ev->detail, sizeof ev->detail, "%s", detail ? detail : "");
    return ev;
}

/* Queues EV (NULL: nothing), releases the mutex and wakes the UI. */
static int publish(scan_hub *h, scan_event *ev)
{
    if (ev)
        h->count++;
    pthread_mutex_unlock(&h->mu);
    if (ev && h->notify)
        h->notify(h->user);
    return ev != NULL;
}

int scan_hub_post_payload(scan_hub *h, scan_source src, const uint8_t *data, size_t len,
                          const char *detail, uint64_t now_ms)
{
    if (!h || !data || len > SCAN_PAYLOAD_MAX)
        return 0;
    pthread_mutex_lock(&h->mu);
    if (src == SCAN_SRC_CAMERA) {
        int repeat = h->have_last && h->last_len == len && memcmp(h->last, data, len) == 0 &&
                     now_ms - h->last_ms < h->repeat_ms;
        /* The window slides while the code stays in view. */
        memcpy(h->last, data, len);
        h->last_len = len;
        h->last_ms = now_ms;
        h->have_last = 1;
        if (repeat) {
            pthread_mutex_unlock(&h->mu);
            return 0;
        }
    }
    scan_event *ev = slot(h, SCAN_EV_PAYLOAD, src, detail);
    if (ev) {
        ev->len = len;
        memcpy(ev->data, data, len);
        ev->data[len] = 0;
    }
    return publish(h, ev);
}

int scan_hub_post_status(scan_hub *h, scan_source src, scan_status st, const char *detail)
{
    if (!h)
        return 0;
    pthread_mutex_lock(&h->mu);
    scan_event *ev = slot(h, SCAN_EV_STATUS, src, detail);
    if (ev)
        ev->status = st;
    return publish(h, ev);
}

void scan_hub_set_repeat_ms(scan_hub *h, unsigned ms)
{
    if (!h)
        return;
    pthread_mutex_lock(&h->mu);
    h->repeat_ms = ms;
    pthread_mutex_unlock(&h->mu);
}

uint64_t scan_hub_overflows(scan_hub *h)
{
    if (!h)
        return 0;
    pthread_mutex_lock(&h->mu);
    uint64_t n = h->overflows;
    pthread_mutex_unlock(&h->mu);
    return n;
}

const char *scan_strerror(scan_err err)
{
    switch (err) {
    case SCAN_OK: return "no error";
    case SCAN_ERR_ARG: return "invalid argument";
    case SCAN_ERR_NOMEM: return "out of memory";
    case SCAN_ERR_IO: return "the image file could not be read";
    case SCAN_ERR_FORMAT: return "the file is not a PNG or JPEG image, or it is damaged";
    case SCAN_ERR_TOO_LARGE: return "the image is too large";
    case SCAN_ERR_NOT_FOUND: return "no QR code was found in the image";
    case SCAN_ERR_DECODER: return "the QR decoder failed";
    case SCAN_ERR_BUSY: return "the decoder is busy; frame dropped";
    case SCAN_ERR_DEVICE: return "the camera cannot be used";
    case SCAN_ERR_THREAD: return "a scanning thread could not be started";
    }
    return "unknown scan error";
}
