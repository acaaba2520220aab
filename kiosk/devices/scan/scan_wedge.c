/* scan_wedge.c - telling a keyboard-wedge scanner from a person typing.
 *
 * A USB scanner in keyboard mode "types" its payload in one burst, a few
 * milliseconds per key, and presses Enter. People, even fast typists, leave
 * 80-200 ms between keys and rarely keep under 50 ms for more than two or
 * three keys in a row. So keys are held while every gap stays within
 * max_gap_ms; Enter after at least min_len such keys is a scan; a longer
 * pause, or Enter too early, releases the held keys as ordinary typing (the
 * UI sees them at most max_gap_ms late, which nobody notices).
 */
#include "scan.h"

#include <stdlib.h>
#include <string.h>

#include "utf8.h"

enum { TYPED_CAP = 256 };

struct scan_wedge {
    scan_hub *hub;
    unsigned max_gap_ms, min_len;
    uint32_t held[SCAN_PAYLOAD_MAX + 1]; /* + the Enter of a short burst */
    size_t nheld;
    uint64_t last_ms;
    uint32_t typed[TYPED_CAP + SCAN_PAYLOAD_MAX + 1];
    size_t ntyped;
    char payload[SCAN_PAYLOAD_MAX * 4 + 1];
    size_t payload_len;
};

scan_wedge *scan_wedge_new(scan_hub *hub, const scan_wedge_opts *opts)
{
    scan_wedge *w = calloc(1, sizeof *w);
    if (!w)
        return NULL;
    w->hub = hub;
    w->max_gap_ms = opts && opts->max_gap_ms ? opts->max_gap_ms : 50;
    w->min_len = opts && opts->min_len ? opts->min_len : 4;
    if (w->min_len > SCAN_PAYLOAD_MAX)
        w->min_len = SCAN_PAYLOAD_MAX;
    return w;
}

void scan_wedge_free(scan_wedge *w) { free(w); }

static int is_enter(uint32_t cp) { return cp == '\r' || cp == '\n'; }

/* Moves the held keys to the typed buffer. If the
 * UI never collects typing, the oldest typed keys are discarded. */
static void release(scan_wedge *w)
{
    size_t room = sizeof w->typed / sizeof w->typed[0];
    for (size_t i = 0; i < w->nheld; i++) {
        if (w->ntyped == room) {
            memmove(w->typed, w->typed + 1, (room - 1) * sizeof w->typed[0]);
            w->ntyped--;
        }
        w->typed[w->ntyped++] = w->held[i];
    }
    w->nheld = 0;
}

scan_key_result scan_wedge_key(scan_wedge *w, uint32_t cp, uint64_t t_ms)
{
    if (!w)
        return SCAN_KEY_HELD;
    /* Control characters other than Tab and Enter are neither text nor
     * part of a payload (a NUL would cut the payload short as a string). */
    if (cp < 0x20 && cp != '\t' && !is_enter(cp))
        return SCAN_KEY_HELD;
    scan_key_result res = SCAN_KEY_HELD;
    /* A clock that went backwards counts as no gap. */
    uint64_t gap = t_ms > w->last_ms ? t_ms - w->last_ms : 0;
    if (w->nheld && gap > w->max_gap_ms) {
        release(w);
        res = SCAN_KEY_TYPED;
    }
    w->last_ms = t_ms;
    if (is_enter(cp)) {
        if (w->nheld >= w->min_len) {
            size_t n = 0;
            for (size_t i = 0; i < w->nheld; i++)
                n += utf8_put(w->held[i], w->payload + n);
            w->payload[n] = '\0';
            if (n > SCAN_PAYLOAD_MAX) { /* more bytes than a QR code holds */
                w->payload_len = 0;
                w->payload[0] = '\0';
                w->held[w->nheld++] = cp;
                release(w);
                return SCAN_KEY_TYPED;
            }
            w->payload_len = n;
            w->nheld = 0;
            if (w->hub)
                scan_hub_post_payload(w->hub, SCAN_SRC_WEDGE, (const uint8_t *)w->payload, n,
                                      NULL, t_ms);
            return SCAN_KEY_SCANNED;
        }
        /* Enter with too few fast keys before it: typing, Enter included. */
        w->held[w->nheld++] = cp;
        release(w);
        return SCAN_KEY_TYPED;
    }
    if (w->nheld == SCAN_PAYLOAD_MAX) {
        /* Longer than any QR payload: not a scanner. */
        release(w);
        res = SCAN_KEY_TYPED;
    }
    w->held[w->nheld++] = cp;
    return res;
}

scan_key_result scan_wedge_tick(scan_wedge *w, uint64_t now_ms)
{
    if (!w || !w->nheld)
        return SCAN_KEY_HELD;
    if (now_ms > w->last_ms && now_ms - w->last_ms > w->max_gap_ms) {
        release(w);
        return SCAN_KEY_TYPED;
    }
    return SCAN_KEY_HELD;
}

uint64_t scan_wedge_deadline(const scan_wedge *w)
{
    if (!w || !w->nheld)
        return 0;
    return w->last_ms + w->max_gap_ms + 1;
}

size_t scan_wedge_take_typed(scan_wedge *w, uint32_t *out, size_t cap)
{
    if (!w || !out)
        return 0;
    size_t n = w->ntyped < cap ? w->ntyped : cap;
    memcpy(out, w->typed, n * sizeof *out);
    memmove(w->typed, w->typed + n, (w->ntyped - n) * sizeof *out);
    w->ntyped -= n;
    return n;
}

size_t scan_wedge_payload(const scan_wedge *w, char *out, size_t cap)
{
    if (!w)
        return 0;
    if (out && cap) {
        size_t n = w->payload_len < cap - 1 ? w->payload_len : cap - 1;
        memcpy(out, w->payload, n);
        out[n] = '\0';
    }
    return w->payload_len;
}
