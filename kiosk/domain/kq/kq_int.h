/* kq_int.h - what kq.c (the front) and a backend (kq_sqlite.c) share.
 *
 * The front checks every argument, owns the handle, the clock and the error
 * text, and parses tokens; a backend only stores. That split is what lets a
 * NATS JetStream backend come later behind the same kq.h: it fills in the
 * same table of functions and never sees an argument the front rejected.
 * Not installed, not for callers.
 */
#ifndef KQ_INT_H
#define KQ_INT_H

#include "kq.h"

#include <stdarg.h>

#define KQ_ERRMSG_SIZE 512

/* A parsed token: the claim generation and the nonce drawn at that claim. */
typedef struct kq_tok {
    uint64_t gen;
    uint64_t nonce;
} kq_tok;

/* What a worker does with its claim. */
typedef enum kq_settle_op { KQ_OP_ACK, KQ_OP_EXTEND, KQ_OP_NACK, KQ_OP_RELEASE } kq_settle_op;

typedef struct kq_settle {
    kq_settle_op op;
    const char *id;
    kq_tok tok;
    int64_t ms;         /* extend: new lease; nack: delay */
    const char *reason; /* nack only; may be NULL */
} kq_settle;

/* What staff do to a message. */
typedef enum kq_admin_op { KQ_OP_CANCEL, KQ_OP_REQUEUE } kq_admin_op;

typedef struct kq_put_args {
    const char *topic, *id;
    int priority;
    const void *payload;
    size_t len;
    int64_t not_before; /* already resolved: never 0 */
} kq_put_args;

typedef struct kq_backend {
    const char *scheme; /* the URL prefix before ':' */
    kq_rc (*open)(kq *q, const char *rest, int flags);
    void (*close)(kq *q);
    kq_rc (*put)(kq *q, const kq_put_args *a);
    kq_rc (*claim)(kq *q, const char *topic, const char *worker, int64_t lease_ms, kq_msg **out);
    kq_rc (*settle)(kq *q, const kq_settle *s);
    kq_rc (*ack_next)(kq *q, const kq_settle *ack, const char *topic, const char *worker, int64_t lease_ms,
                      kq_msg **out);
    kq_rc (*admin)(kq *q, kq_admin_op op, const char *id, const char *who, const char *reason);
    kq_rc (*purge)(kq *q, kq_state state, int64_t cutoff_ms, int64_t *n);
    kq_rc (*reap)(kq *q, int64_t *n);
    kq_rc (*check)(kq *q);
    kq_rc (*get)(kq *q, const char *id, kq_msg **out);
    kq_rc (*list)(kq *q, kq_state state, const char *topic, int64_t offset, int limit,
                  kq_msg ***out, int *n);
    kq_rc (*counts)(kq *q, const char *topic, kq_counts *out);
    kq_rc (*history)(kq *q, const char *id, kq_event **out, int *n);
    kq_rc (*begin)(kq *q);
    kq_rc (*commit)(kq *q);
    kq_rc (*rollback)(kq *q);
} kq_backend;

struct kq {
    const kq_backend *be;
    void *impl;             /* the backend's state */
    kq_clock_fn clock;
    void *clock_user;
    int max_attempts;
    int busy_timeout_ms;
    char name[KQ_NAME_MAX + 1];
    char err[KQ_ERRMSG_SIZE];
};

extern const kq_backend kq_sqlite_backend;

/* Records the detail of a failure and returns rc, so that a backend can write
 * `return kq__err(q, KQ_ESTALE, "...", ...);`. */
kq_rc kq__err(kq *q, kq_rc rc, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Builds a message in one allocation, copying the strings and the payload
 * (any string may be NULL). Numbers are left 0 for the caller to fill. */
kq_msg *kq__msg_new(const char *id, const char *topic, const void *payload, size_t len,
                    const char *worker, const char *reason);
/* Formats a token into buf (KQ_TOKEN_SIZE bytes). */
void kq__tok_format(const kq_tok *t, char *buf);
/* 64 unpredictable bits for a nonce (getrandom, with a fallback that is at
 * least unique per process and call). */
uint64_t kq__random64(void);

#endif
