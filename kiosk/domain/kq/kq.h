/* kq.h - the kiosk's durable message queue. This header is the contract.
 *
 * Orders travel from residents to the volunteer team through kq. Its one
 * promise: a message that kq_put() accepted is never lost, is held by at most
 * one worker at a time, and is never stuck where nobody sees it. See
 * docs/queue.md for the semantics, the state diagram and the failure modes.
 *
 * LIFECYCLE
 *
 *   kq *q;
 *   if (kq_open("sqlite:/var/lib/kiosk/queue.db", 0, &q) != KQ_OK) {
 *       fprintf(stderr, "%s\n", kq_errmsg(q));   // q may be NULL: still fine
 *       kq_close(q);
 *       ...
 *   }
 *   kq_put(q, "orders", "A-1001", 0, json, len, 0);
 *   ...
 *   kq_close(q);
 *
 * As with sqlite3_open(), kq_open() hands back a handle even when it fails
 * (unless memory ran out) so that kq_errmsg() can say why; close it either
 * way. kq_close(NULL) and kq_msg_free(NULL) are no-ops.
 *
 * STORES
 *
 * The URL names the store, never the code: "sqlite:PATH" today, so that a
 * NATS JetStream backend can come later without changing any caller. SQLite
 * URL options follow a '?': "sqlite:PATH?max_page_count=N" caps the file size
 * in pages (a queue must not be able to fill the disk that everything else
 * needs; also how the tests simulate a full disk).
 *
 * STATES (stored as these numbers: never renumbered)
 *
 *   ready --claim--> claimed --ack--> done
 *   claimed --release, nack, lease expiry--> ready
 *   claimed --nack or lease expiry on the last attempt--> dead
 *   ready, dead --cancel (staff)--> cancelled
 *   dead, cancelled --requeue (staff)--> ready
 *
 * A claim is a lease: it ends by itself when lease_ms passes. Every claim
 * counts one attempt; release gives the attempt back (the worker did not
 * try), nack and lease expiry do not. When a failed attempt was the last
 * allowed one, the message goes to dead, where staff see it.
 *
 * TOKENS (fencing)
 *
 * kq_claim() returns a token that names that one claim: it carries the claim
 * generation of the message and a random nonce. kq_ack(), kq_ack_next(),
 * kq_extend(), kq_nack() and kq_release() must present it. A token whose
 * claim is over (acked, released, expired, or the message was claimed
 * again since) fails with KQ_ESTALE and changes nothing: a late volunteer
 * cannot close a ticket that someone else now holds. An expired lease is
 * over even if nobody has claimed the message since; extend it in time.
 *
 * TIME
 *
 * All times are milliseconds since the Unix epoch from the handle's clock:
 * CLOCK_REALTIME unless kq_set_clock() installs another. Processes that share
 * a store must share a clock, since leases are compared across them.
 *
 * CONCURRENCY
 *
 * Any number of handles, in any number of processes, may use one store. A
 * handle is used by one thread at a time. Writers wait for each other (busy
 * timeout, then a bounded number of retries); only past that bound does a
 * call fail, with KQ_EBUSY.
 *
 * ERRORS
 *
 * Every function that can fail returns a kq_rc; KQ_OK is 0. On failure
 * nothing changed, and kq_errmsg() holds a one-line explanation until the
 * next call on the same handle.
 */
#ifndef KQ_H
#define KQ_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct kq kq;

/* Result codes. Never renumbered; new ones are added at the end. */
typedef enum kq_rc {
    KQ_OK = 0,
    KQ_EINVAL = 1,     /* a bad argument (NULL, empty, too long, malformed token or URL) */
    KQ_ENOMEM = 2,     /* out of memory */
    KQ_ENOTFOUND = 3,  /* no message with that id */
    KQ_EMPTY = 4,      /* kq_claim(), kq_ack_next(): nothing is ready now (not a failure) */
    KQ_ECONFLICT = 5,  /* kq_put(): the id exists with another topic or payload */
    KQ_ESTALE = 6,     /* the token's claim is over; nothing changed */
    KQ_ESTATE = 7,     /* not allowed in the message's current state */
    KQ_EBUSY = 8,      /* other writers held the store past the retry bound */
    KQ_EFULL = 9,      /* disk full or store size limit reached; nothing stored */
    KQ_EIO = 10,       /* I/O error or read-only store; nothing stored */
    KQ_ECORRUPT = 11,  /* the store is damaged, or is not a store at all */
    KQ_EVERSION = 12,  /* the store was made by a newer kq */
    KQ_EOPEN = 13,     /* the store cannot be opened (missing, permissions) */
    KQ_ENOTSUP = 14,   /* unknown URL scheme or option */
    KQ_EINTERNAL = 15  /* a bug or an unexpected backend error; see kq_errmsg() */
} kq_rc;

typedef enum kq_state {
    KQ_STATE_ANY = 0, /* as a filter only */
    KQ_READY = 1,     /* waiting to be claimed (perhaps not before a time) */
    KQ_CLAIMED = 2,   /* held by a worker until its lease ends */
    KQ_DONE = 3,      /* acknowledged: finished for good */
    KQ_DEAD = 4,      /* attempts used up: waits for staff (requeue or cancel) */
    KQ_CANCELLED = 5  /* withdrawn by staff */
} kq_state;

/* Limits, checked on every call (KQ_EINVAL beyond them). */
#define KQ_NAME_MAX 128          /* bytes in a topic, id, worker or who */
#define KQ_REASON_MAX 1024       /* bytes in a nack or cancel reason */
#define KQ_PAYLOAD_MAX (1 << 20) /* bytes in a payload */
#define KQ_LEASE_MAX_MS (30LL * 24 * 3600 * 1000) /* also the longest delay */
#define KQ_LIST_MAX 10000        /* items per kq_list() page */
#define KQ_TOKEN_SIZE 48         /* bytes in a token string, NUL included */
#define KQ_DEFAULT_MAX_ATTEMPTS 5
#define KQ_DEFAULT_BUSY_TIMEOUT_MS 5000

/* A message as kq_claim(), kq_get() and kq_list() return it. One allocation:
 * release with kq_msg_free(). Strings are NUL-terminated; absent ones NULL. */
typedef struct kq_msg {
    const char *id;
    const char *topic;
    int priority;            /* higher is claimed first */
    const void *payload;     /* payload_len bytes, followed by a NUL for convenience */
    size_t payload_len;
    kq_state state;
    int attempts;            /* claims so far that counted (see STATES) */
    int max_attempts;        /* fixed at put time from kq_set_max_attempts() */
    uint64_t generation;     /* number of claims ever made */
    int64_t created_ms;      /* when put */
    int64_t updated_ms;      /* last state change */
    int64_t not_before_ms;   /* not claimable before this */
    int64_t lease_until_ms;  /* while claimed: when the lease ends; else 0 */
    const char *worker;      /* who holds it, or held it last; NULL if never claimed */
    const char *last_reason; /* last nack, cancel or expiry reason, or NULL */
    char token[KQ_TOKEN_SIZE]; /* kq_claim() only; "" from kq_get() and kq_list() */
} kq_msg;

/* One entry of a message's audit history. */
typedef struct kq_event {
    int64_t seq;        /* the event's number in the message's history, from 1 */
    int64_t at_ms;
    const char *who;    /* worker, staff name, or "kq" for lease expiry */
    const char *what;   /* "put", "claim", "ack", "nack", "release", "expire", "cancel", "requeue" */
    kq_state from;      /* KQ_STATE_ANY for "put" */
    kq_state to;
    int attempt;        /* the message's attempts after the event */
    const char *detail; /* reason or note, or NULL */
} kq_event;

typedef struct kq_counts {
    int64_t ready;     /* including delayed */
    int64_t delayed;   /* ready, but not before a later time */
    int64_t claimed;   /* including expired */
    int64_t expired;   /* claimed, lease over, not yet returned to ready */
    int64_t done;
    int64_t dead;
    int64_t cancelled;
    int64_t total;
} kq_counts;

/* ---- Lifecycle ------------------------------------------------------------ */

/* kq_open() flags. */
#define KQ_OPEN_EXISTING 0x1 /* fail with KQ_EOPEN instead of creating a new store */

/* Opens (creating and migrating as needed) the store named by URL. *out is
 * set even on failure, to a handle that only reports the error (see
 * LIFECYCLE), or to NULL if memory ran out. */
kq_rc kq_open(const char *url, int flags, kq **out);
/* Closes the handle; an open batch is rolled back. NULL is a no-op. */
void kq_close(kq *q);

/* The static description of a result code ("unknown error" if not one). */
const char *kq_strerror(int rc);
/* Detail of the last failure on this handle ("" after a success). NULL q gives
 * the message for an open that ran out of memory. */
const char *kq_errmsg(const kq *q);

/* ---- Settings (per handle) ------------------------------------------------ */

/* The clock used for every time this handle reads or writes. NULL restores
 * the real clock. Tests use it to make leases expire without waiting. */
typedef int64_t (*kq_clock_fn)(void *user);
void kq_set_clock(kq *q, kq_clock_fn fn, void *user);
/* The handle's current time, in ms since the epoch. */
int64_t kq_now(kq *q);
/* The name recorded as "who" for puts in the history (default "pid N"). */
kq_rc kq_set_name(kq *q, const char *name);
/* Attempts allowed to messages put from now on through this handle (1..1000;
 * default KQ_DEFAULT_MAX_ATTEMPTS). Stored with each message, so every
 * process that handles it later agrees. */
kq_rc kq_set_max_attempts(kq *q, int n);
/* How long one call waits for other writers before each retry (ms, 1..600000;
 * default KQ_DEFAULT_BUSY_TIMEOUT_MS). A call gives up with KQ_EBUSY after
 * about four times this. */
kq_rc kq_set_busy_timeout(kq *q, int ms);

/* ---- Producing ------------------------------------------------------------ */

/* Adds a message, ready at not_before_ms (0: now). Idempotent on id: putting
 * an id that exists with the same topic and payload succeeds and changes
 * nothing (the first priority and not-before stand), whatever state it is in;
 * the same id with another topic or payload is KQ_ECONFLICT. KQ_OK means the
 * message is on disk (synchronous=FULL): tell the resident. Anything else
 * means it is NOT stored. */
kq_rc kq_put(kq *q, const char *topic, const char *id, int priority,
             const void *payload, size_t payload_len, int64_t not_before_ms);

/* ---- Consuming ------------------------------------------------------------ */

/* Claims the ready message of TOPIC with the highest priority, oldest first
 * among equals, whose not-before has come, for lease_ms (1..KQ_LEASE_MAX_MS).
 * Expired leases are returned first. On KQ_OK, *out is the message with its
 * token; KQ_EMPTY when there is none (then *out is NULL). */
kq_rc kq_claim(kq *q, const char *topic, const char *worker, int64_t lease_ms, kq_msg **out);
/* Renews the lease to lease_ms from now (a heartbeat for long work). */
kq_rc kq_extend(kq *q, const char *id, const char *token, int64_t lease_ms);
/* Finishes the message: done. */
kq_rc kq_ack(kq *q, const char *id, const char *token);
/* Acks, then claims the next message of TOPIC, in one transaction: one
 * sync to disk instead of two for a worker that goes straight on (NATS
 * JetStream's "+NXT" ack). KQ_OK: acked, and *next is claimed. KQ_EMPTY:
 * acked, nothing to claim (*next NULL). Any other code: the ack failed and
 * nothing changed. */
kq_rc kq_ack_next(kq *q, const char *id, const char *token, const char *topic, const char *worker,
                  int64_t lease_ms, kq_msg **next);
/* Gives up this attempt: ready again after delay_ms (0..KQ_LEASE_MAX_MS), or
 * dead if it was the last attempt allowed. reason may be NULL. */
kq_rc kq_nack(kq *q, const char *id, const char *token, int64_t delay_ms, const char *reason);
/* Hands the message back untried: ready now, and the attempt does not count. */
kq_rc kq_release(kq *q, const char *id, const char *token);

/* ---- Staff ------------------------------------------------------------------ */

/* Withdraws a ready or dead message (KQ_ESTATE while claimed or finished).
 * who names the person or tool for the history; reason may be NULL. */
kq_rc kq_cancel(kq *q, const char *id, const char *who, const char *reason);
/* Returns a dead or cancelled message to ready with its attempts reset. */
kq_rc kq_requeue(kq *q, const char *id, const char *who);
/* Deletes messages in STATE (KQ_DONE or KQ_CANCELLED), with their history,
 * whose last change is at least min_age_ms old. *n (may be NULL) gets the
 * count. Works in small transactions so that workers are not held up. */
kq_rc kq_purge(kq *q, kq_state state, int64_t min_age_ms, int64_t *n);
/* Returns messages whose lease ran out to ready (or dead). kq_claim() does
 * this by itself; call it to make counts current. *n may be NULL. */
kq_rc kq_reap(kq *q, int64_t *n);
/* Checks the store's integrity and kq's own invariants: KQ_OK, or KQ_ECORRUPT
 * with the first problem found in kq_errmsg(). */
kq_rc kq_check(kq *q);

/* ---- Reading ---------------------------------------------------------------- */

/* The message with that id, without a token. */
kq_rc kq_get(kq *q, const char *id, kq_msg **out);
void kq_msg_free(kq_msg *m);
/* A page of messages in STATE (KQ_STATE_ANY: all) and TOPIC (NULL: all),
 * oldest first: skip `offset`, at most `limit` (1..KQ_LIST_MAX). *out is an
 * array of *n messages (NULL when 0); free with kq_list_free(). */
kq_rc kq_list(kq *q, kq_state state, const char *topic, int64_t offset, int limit,
              kq_msg ***out, int *n);
void kq_list_free(kq_msg **v, int n);
/* Messages per state, for TOPIC or (NULL) all. */
kq_rc kq_count(kq *q, const char *topic, kq_counts *out);
/* The message's history, oldest first. KQ_ENOTFOUND if there is none. Free
 * with kq_history_free(). */
kq_rc kq_history(kq *q, const char *id, kq_event **out, int *n);
void kq_history_free(kq_event *v, int n);

/* ---- Batches ------------------------------------------------------------- */

/* Everything between kq_begin() and kq_commit() is stored at once, with one
 * sync to disk (much faster for many puts), or not at all. Each call inside
 * still succeeds or fails on its own; but once one fails for a reason that
 * is not about its arguments or the message (KQ_EFULL, KQ_EIO, KQ_EBUSY,
 * KQ_ECORRUPT, KQ_ENOMEM, KQ_EINTERNAL), the batch is spoiled: later calls
 * return that code, and kq_commit() rolls back and returns it. KQ_OK from a
 * call inside a batch promises nothing until kq_commit() returns KQ_OK. The
 * batch holds the store's write lock: keep it short. */
kq_rc kq_begin(kq *q);
kq_rc kq_commit(kq *q);
kq_rc kq_rollback(kq *q);

/* ---- Names ------------------------------------------------------------------ */

/* "ready", "claimed", "done", "dead", "cancelled" ("any" for 0, "?" else). */
const char *kq_state_name(kq_state s);
/* The inverse, also accepting "any"; KQ_EINVAL for an unknown name. */
kq_rc kq_state_from_name(const char *name, kq_state *out);

#ifdef __cplusplus
}
#endif
#endif /* KQ_H */
