/* kq.c - the front of the queue: handles, arguments, tokens, errors, time.
 *
 * Every public function checks its arguments here, once, so that a backend
 * can trust what it is given and the rules (limits, what a token looks like,
 * which states a filter may name) are the same whatever the store is.
 */
#include "kq_int.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

static const kq_backend *const kq_backends[] = {&kq_sqlite_backend};

/* ---- errors ------------------------------------------------------------- */

const char *kq_strerror(int rc)
{
    switch (rc) {
    case KQ_OK: return "not an error";
    case KQ_EINVAL: return "invalid argument";
    case KQ_ENOMEM: return "out of memory";
    case KQ_ENOTFOUND: return "no such message";
    case KQ_EMPTY: return "nothing ready to claim";
    case KQ_ECONFLICT: return "id already used with another topic or payload";
    case KQ_ESTALE: return "stale token: that claim is over";
    case KQ_ESTATE: return "not allowed in the message's current state";
    case KQ_EBUSY: return "queue store busy: other writers held it too long";
    case KQ_EFULL: return "disk full or queue size limit reached";
    case KQ_EIO: return "I/O error";
    case KQ_ECORRUPT: return "queue store damaged or not a queue store";
    case KQ_EVERSION: return "queue store made by a newer version";
    case KQ_EOPEN: return "cannot open queue store";
    case KQ_ENOTSUP: return "not supported";
    case KQ_EINTERNAL: return "internal error";
    default: return "unknown error";
    }
}

kq_rc kq__err(kq *q, kq_rc rc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(q->err, sizeof q->err, fmt, ap);
    va_end(ap);
    return rc;
}

const char *kq_errmsg(const kq *q)
{
    /* kq_open() leaves *out NULL only when the handle itself could not be
     * allocated, so that is the one failure a NULL handle can report. */
    if (!q) return "out of memory";
    return q->err;
}

/* ---- argument checks ---------------------------------------------------- */

/* Names end up in CLI tables, logs and printed tickets: no control bytes,
 * so that a crafted id cannot rewrite a terminal line or a receipt. */
static kq_rc check_name(kq *q, const char *what, const char *s)
{
    if (!s || !*s) return kq__err(q, KQ_EINVAL, "%s is empty", what);
    size_t n = strnlen(s, KQ_NAME_MAX + 1);
    if (n > KQ_NAME_MAX) return kq__err(q, KQ_EINVAL, "%s is longer than %d bytes", what, KQ_NAME_MAX);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == 0x7f)
            return kq__err(q, KQ_EINVAL, "%s contains a control character at byte %zu", what, i);
    }
    return KQ_OK;
}

static kq_rc check_reason(kq *q, const char *s)
{
    if (s && strnlen(s, KQ_REASON_MAX + 1) > KQ_REASON_MAX)
        return kq__err(q, KQ_EINVAL, "reason is longer than %d bytes", KQ_REASON_MAX);
    return KQ_OK;
}

static kq_rc check_ms(kq *q, const char *what, int64_t ms, int64_t min)
{
    if (ms < min || ms > KQ_LEASE_MAX_MS)
        return kq__err(q, KQ_EINVAL, "%s %" PRId64 " ms is outside %" PRId64 "..%lld ms", what, ms, min,
                       (long long)KQ_LEASE_MAX_MS);
    return KQ_OK;
}

/* Token text: "<generation>.<16 hex digits of nonce>". Strict, so that a
 * mangled scan is reported as such rather than as a stale claim. */
void kq__tok_format(const kq_tok *t, char *buf)
{
    snprintf(buf, KQ_TOKEN_SIZE, "%" PRIu64 ".%016" PRIx64, t->gen, t->nonce);
}

static kq_rc parse_token(kq *q, const char *s, kq_tok *t)
{
    if (!s || !*s) return kq__err(q, KQ_EINVAL, "token is empty");
    const char *p = s;
    uint64_t gen = 0;
    int digits = 0;
    for (; *p >= '0' && *p <= '9'; p++, digits++) {
        if (gen > (UINT64_MAX - 9) / 10) return kq__err(q, KQ_EINVAL, "malformed token");
        gen = gen * 10 + (uint64_t)(*p - '0');
    }
    if (digits == 0 || *p != '.') return kq__err(q, KQ_EINVAL, "malformed token");
    p++;
    uint64_t nonce = 0;
    for (int i = 0; i < 16; i++, p++) {
        int v;
        if (*p >= '0' && *p <= '9') v = *p - '0';
        else if (*p >= 'a' && *p <= 'f') v = *p - 'a' + 10;
        else return kq__err(q, KQ_EINVAL, "malformed token");
        nonce = (nonce << 4) | (uint64_t)v;
    }
    if (*p) return kq__err(q, KQ_EINVAL, "malformed token");
    t->gen = gen;
    t->nonce = nonce;
    return KQ_OK;
}

/* Every call on a handle starts here: a fresh error text, and a refusal if
 * the handle is one that kq_open() returned only to report a failure. */
#define KQ_ENTER(q)                                                                  \
    do {                                                                             \
        if (!(q)) return KQ_EINVAL;                                                  \
        (q)->err[0] = '\0';                                                          \
        if (!(q)->be) return kq__err((q), KQ_EINVAL, "the queue is not open");       \
    } while (0)

#define KQ_TRY(expr)                                                                 \
    do {                                                                             \
        kq_rc kq_try_rc_ = (expr);                                                   \
        if (kq_try_rc_ != KQ_OK) return kq_try_rc_;                                  \
    } while (0)

/* ---- lifecycle ---------------------------------------------------------- */

kq_rc kq_open(const char *url, int flags, kq **out)
{
    if (!out) return KQ_EINVAL;
    kq *q = calloc(1, sizeof *q);
    *out = q;
    if (!q) return KQ_ENOMEM;
    q->max_attempts = KQ_DEFAULT_MAX_ATTEMPTS;
    q->busy_timeout_ms = KQ_DEFAULT_BUSY_TIMEOUT_MS;
    snprintf(q->name, sizeof q->name, "pid %ld", (long)getpid());

    if (!url || !*url) return kq__err(q, KQ_EINVAL, "queue URL is empty");
    if (flags & ~KQ_OPEN_EXISTING) return kq__err(q, KQ_EINVAL, "unknown open flags 0x%x", (unsigned)flags);
    const char *colon = strchr(url, ':');
    if (!colon) return kq__err(q, KQ_EINVAL, "queue URL '%s' has no scheme: expected sqlite:PATH", url);
    size_t slen = (size_t)(colon - url);
    const kq_backend *be = NULL;
    for (size_t i = 0; i < sizeof kq_backends / sizeof kq_backends[0]; i++) {
        if (strlen(kq_backends[i]->scheme) == slen && memcmp(kq_backends[i]->scheme, url, slen) == 0)
            be = kq_backends[i];
    }
    if (!be)
        return kq__err(q, KQ_ENOTSUP, "unknown queue scheme '%.*s' (this build knows: sqlite)", (int)slen, url);
    kq_rc rc = be->open(q, colon + 1, flags);
    if (rc == KQ_OK) q->be = be;
    else be->close(q); /* frees what the failed open made; keeps q->err */
    return rc;
}

void kq_close(kq *q)
{
    if (!q) return;
    if (q->be) q->be->close(q);
    free(q);
}

/* ---- settings ----------------------------------------------------------- */

static int64_t kq_real_clock(void *user)
{
    (void)user;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void kq_set_clock(kq *q, kq_clock_fn fn, void *user)
{
    if (!q) return;
    q->clock = fn;
    q->clock_user = fn ? user : NULL;
}

int64_t kq_now(kq *q)
{
    if (q && q->clock) return q->clock(q->clock_user);
    return kq_real_clock(NULL);
}

kq_rc kq_set_name(kq *q, const char *name)
{
    KQ_ENTER(q);
    KQ_TRY(check_name(q, "name", name));
    snprintf(q->name, sizeof q->name, "%s", name);
    return KQ_OK;
}

kq_rc kq_set_max_attempts(kq *q, int n)
{
    KQ_ENTER(q);
    if (n < 1 || n > 1000) return kq__err(q, KQ_EINVAL, "max attempts %d is outside 1..1000", n);
    q->max_attempts = n;
    return KQ_OK;
}

kq_rc kq_set_busy_timeout(kq *q, int ms)
{
    KQ_ENTER(q);
    if (ms < 1 || ms > 600000) return kq__err(q, KQ_EINVAL, "busy timeout %d ms is outside 1..600000", ms);
    q->busy_timeout_ms = ms;
    return KQ_OK;
}

/* ---- operations --------------------------------------------------------- */

kq_rc kq_put(kq *q, const char *topic, const char *id, int priority,
             const void *payload, size_t payload_len, int64_t not_before_ms)
{
    KQ_ENTER(q);
    KQ_TRY(check_name(q, "topic", topic));
    KQ_TRY(check_name(q, "id", id));
    if (!payload && payload_len) return kq__err(q, KQ_EINVAL, "payload is NULL but its length is %zu", payload_len);
    if (payload_len > KQ_PAYLOAD_MAX)
        return kq__err(q, KQ_EINVAL, "payload of %zu bytes is over the %d byte limit", payload_len, KQ_PAYLOAD_MAX);
    if (not_before_ms < 0) return kq__err(q, KQ_EINVAL, "not-before time is negative");
    kq_put_args a = {topic, id, priority, payload ? payload : "", payload_len,
                     not_before_ms ? not_before_ms : kq_now(q)};
    return q->be->put(q, &a);
}

kq_rc kq_claim(kq *q, const char *topic, const char *worker, int64_t lease_ms, kq_msg **out)
{
    if (out) *out = NULL;
    KQ_ENTER(q);
    if (!out) return kq__err(q, KQ_EINVAL, "no place for the claimed message");
    KQ_TRY(check_name(q, "topic", topic));
    KQ_TRY(check_name(q, "worker", worker));
    KQ_TRY(check_ms(q, "lease", lease_ms, 1));
    return q->be->claim(q, topic, worker, lease_ms, out);
}

static kq_rc settle(kq *q, kq_settle *s, const char *token)
{
    KQ_ENTER(q);
    KQ_TRY(check_name(q, "id", s->id));
    KQ_TRY(parse_token(q, token, &s->tok));
    KQ_TRY(check_reason(q, s->reason));
    if (s->op == KQ_OP_EXTEND) KQ_TRY(check_ms(q, "lease", s->ms, 1));
    if (s->op == KQ_OP_NACK) KQ_TRY(check_ms(q, "delay", s->ms, 0));
    return q->be->settle(q, s);
}

kq_rc kq_extend(kq *q, const char *id, const char *token, int64_t lease_ms)
{
    kq_settle s = {KQ_OP_EXTEND, id, {0, 0}, lease_ms, NULL};
    return settle(q, &s, token);
}

kq_rc kq_ack(kq *q, const char *id, const char *token)
{
    kq_settle s = {KQ_OP_ACK, id, {0, 0}, 0, NULL};
    return settle(q, &s, token);
}

kq_rc kq_ack_next(kq *q, const char *id, const char *token, const char *topic, const char *worker,
                  int64_t lease_ms, kq_msg **next)
{
    if (next) *next = NULL;
    KQ_ENTER(q);
    if (!next) return kq__err(q, KQ_EINVAL, "no place for the next message");
    kq_settle s = {KQ_OP_ACK, id, {0, 0}, 0, NULL};
    KQ_TRY(check_name(q, "id", id));
    KQ_TRY(parse_token(q, token, &s.tok));
    KQ_TRY(check_name(q, "topic", topic));
    KQ_TRY(check_name(q, "worker", worker));
    KQ_TRY(check_ms(q, "lease", lease_ms, 1));
    return q->be->ack_next(q, &s, topic, worker, lease_ms, next);
}

kq_rc kq_nack(kq *q, const char *id, const char *token, int64_t delay_ms, const char *reason)
{
    kq_settle s = {KQ_OP_NACK, id, {0, 0}, delay_ms, reason};
    return settle(q, &s, token);
}

kq_rc kq_release(kq *q, const char *id, const char *token)
{
    kq_settle s = {KQ_OP_RELEASE, id, {0, 0}, 0, NULL};
    return settle(q, &s, token);
}

static kq_rc admin(kq *q, kq_admin_op op, const char *id, const char *who, const char *reason)
{
    KQ_ENTER(q);
    KQ_TRY(check_name(q, "id", id));
    KQ_TRY(check_name(q, "who", who));
    KQ_TRY(check_reason(q, reason));
    return q->be->admin(q, op, id, who, reason);
}

kq_rc kq_cancel(kq *q, const char *id, const char *who, const char *reason)
{
    return admin(q, KQ_OP_CANCEL, id, who, reason);
}

kq_rc kq_requeue(kq *q, const char *id, const char *who)
{
    return admin(q, KQ_OP_REQUEUE, id, who, NULL);
}

kq_rc kq_purge(kq *q, kq_state state, int64_t min_age_ms, int64_t *n)
{
    if (n) *n = 0;
    KQ_ENTER(q);
    /* Only finished messages: a dead one still needs a decision from staff,
     * and that decision (cancel) belongs in its history first. */
    if (state != KQ_DONE && state != KQ_CANCELLED)
        return kq__err(q, KQ_EINVAL, "purge takes done or cancelled messages only, not %s", kq_state_name(state));
    if (min_age_ms < 0) return kq__err(q, KQ_EINVAL, "age is negative");
    int64_t dummy;
    return q->be->purge(q, state, kq_now(q) - min_age_ms, n ? n : &dummy);
}

kq_rc kq_reap(kq *q, int64_t *n)
{
    if (n) *n = 0;
    KQ_ENTER(q);
    int64_t dummy;
    return q->be->reap(q, n ? n : &dummy);
}

kq_rc kq_check(kq *q)
{
    KQ_ENTER(q);
    return q->be->check(q);
}

kq_rc kq_get(kq *q, const char *id, kq_msg **out)
{
    if (out) *out = NULL;
    KQ_ENTER(q);
    if (!out) return kq__err(q, KQ_EINVAL, "no place for the message");
    KQ_TRY(check_name(q, "id", id));
    return q->be->get(q, id, out);
}

kq_rc kq_list(kq *q, kq_state state, const char *topic, int64_t offset, int limit,
              kq_msg ***out, int *n)
{
    if (out) *out = NULL;
    if (n) *n = 0;
    KQ_ENTER(q);
    if (!out || !n) return kq__err(q, KQ_EINVAL, "no place for the list");
    if (state < KQ_STATE_ANY || state > KQ_CANCELLED) return kq__err(q, KQ_EINVAL, "unknown state %d", (int)state);
    if (topic) KQ_TRY(check_name(q, "topic", topic));
    if (offset < 0) return kq__err(q, KQ_EINVAL, "offset is negative");
    if (limit < 1 || limit > KQ_LIST_MAX) return kq__err(q, KQ_EINVAL, "limit %d is outside 1..%d", limit, KQ_LIST_MAX);
    return q->be->list(q, state, topic, offset, limit, out, n);
}

kq_rc kq_count(kq *q, const char *topic, kq_counts *out)
{
    KQ_ENTER(q);
    if (!out) return kq__err(q, KQ_EINVAL, "no place for the counts");
    memset(out, 0, sizeof *out);
    if (topic) KQ_TRY(check_name(q, "topic", topic));
    return q->be->counts(q, topic, out);
}

kq_rc kq_history(kq *q, const char *id, kq_event **out, int *n)
{
    if (out) *out = NULL;
    if (n) *n = 0;
    KQ_ENTER(q);
    if (!out || !n) return kq__err(q, KQ_EINVAL, "no place for the history");
    KQ_TRY(check_name(q, "id", id));
    return q->be->history(q, id, out, n);
}

kq_rc kq_begin(kq *q)
{
    KQ_ENTER(q);
    return q->be->begin(q);
}

kq_rc kq_commit(kq *q)
{
    KQ_ENTER(q);
    return q->be->commit(q);
}

kq_rc kq_rollback(kq *q)
{
    KQ_ENTER(q);
    return q->be->rollback(q);
}

/* ---- results ------------------------------------------------------------ */

static size_t opt_len(const char *s)
{
    return s ? strlen(s) + 1 : 0;
}

/* Copies s into the block at *p and advances *p; NULL stays NULL. */
static const char *place(char **p, const char *s)
{
    if (!s) return NULL;
    size_t n = strlen(s) + 1;
    memcpy(*p, s, n);
    const char *r = *p;
    *p += n;
    return r;
}

kq_msg *kq__msg_new(const char *id, const char *topic, const void *payload, size_t len,
                    const char *worker, const char *reason)
{
    size_t size = sizeof(kq_msg) + opt_len(id) + opt_len(topic) + opt_len(worker) + opt_len(reason) + len + 1;
    kq_msg *m = calloc(1, size);
    if (!m) return NULL;
    char *p = (char *)(m + 1);
    m->id = place(&p, id);
    m->topic = place(&p, topic);
    m->worker = place(&p, worker);
    m->last_reason = place(&p, reason);
    if (len) memcpy(p, payload, len);
    p[len] = '\0';
    m->payload = p;
    m->payload_len = len;
    return m;
}

void kq_msg_free(kq_msg *m)
{
    free(m);
}

void kq_list_free(kq_msg **v, int n)
{
    if (!v) return;
    for (int i = 0; i < n; i++) free(v[i]);
    free(v);
}

void kq_history_free(kq_event *v, int n)
{
    if (!v) return;
    /* The strings are the backend's strdup()s; const only to callers. */
    for (int i = 0; i < n; i++) {
        free((char *)v[i].who);
        free((char *)v[i].what);
        free((char *)v[i].detail);
    }
    free(v);
}

uint64_t kq__random64(void)
{
    uint64_t v;
    if (getrandom(&v, sizeof v, GRND_NONBLOCK) == (ssize_t)sizeof v) return v;
    /* No entropy yet (early boot): unique is what fencing needs; the
     * generation number already tells claims of one message apart. */
    static _Atomic uint64_t counter; /* handles may live on several threads */
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    uint64_t z = (uint64_t)ts.tv_nsec ^ ((uint64_t)ts.tv_sec << 30) ^ ((uint64_t)getpid() << 48) ^ ++counter;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* ---- names -------------------------------------------------------------- */

static const char *const kq_state_names[] = {"any", "ready", "claimed", "done", "dead", "cancelled"};

const char *kq_state_name(kq_state s)
{
    if ((int)s < 0 || (int)s > KQ_CANCELLED) return "?";
    return kq_state_names[s];
}

kq_rc kq_state_from_name(const char *name, kq_state *out)
{
    if (!name || !out) return KQ_EINVAL;
    for (int i = 0; i <= KQ_CANCELLED; i++) {
        if (strcmp(name, kq_state_names[i]) == 0) {
            *out = (kq_state)i;
            return KQ_OK;
        }
    }
    return KQ_EINVAL;
}
