/* kq_sqlite.c - the queue stored in one SQLite file.
 *
 * Durability: WAL with synchronous=FULL, so a commit is on disk before the
 * call returns KQ_OK; a crash at any moment leaves either the old or the new
 * state, never a half. Every change is one transaction that updates the
 * message row and appends its history row together.
 *
 * Concurrency: writers take the lock up front with BEGIN IMMEDIATE, never
 * EXCLUSIVE (readers keep reading in WAL), and never upgrade a read
 * transaction to a write (the classic source of SQLITE_BUSY that no waiting
 * fixes). A busy handler polls with short jittered sleeps up to the busy
 * timeout; past it, the whole transaction is retried a few times; past that,
 * KQ_EBUSY. Claims are leases that end by themselves, so a dead process
 * cannot leave a row locked forever.
 *
 * Schema: versioned with PRAGMA user_version and marked as ours with
 * PRAGMA application_id; migrations run in order inside one write
 * transaction, so two processes opening an old file at once migrate it once.
 */
#include "kq_int.h"

#include <errno.h>
#include <inttypes.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

/* UPDATE ... RETURNING (claim in one statement) needs 3.35; Debian 12 has
 * 3.40. Checked when compiling and again when opening, since the library
 * loaded at run time may be older than the header. */
#if SQLITE_VERSION_NUMBER < 3035000
#error "kq needs SQLite 3.35 or newer"
#endif
#define KQS_MIN_SQLITE 3035000

#define KQS_APP_ID 0x6b713031 /* "kq01": tells our files from other SQLite files */
#define KQS_TRIES 4           /* whole-transaction attempts before KQ_EBUSY */
#define KQS_PURGE_CHUNK 256   /* rows per purge transaction: short write locks */

/* Migrations: kqs_migrations[v] takes a store from user_version v to v+1.
 * Append only; never edit a step that has shipped. */
static const char *const kqs_migrations[] = {
    /* 0 -> 1: the first schema. Times are ms since the epoch. */
    "CREATE TABLE kq_msg("
    "  id TEXT PRIMARY KEY NOT NULL,"
    "  topic TEXT NOT NULL,"
    "  priority INTEGER NOT NULL,"
    "  payload BLOB NOT NULL,"
    "  state INTEGER NOT NULL CHECK (state BETWEEN 1 AND 5),"
    "  not_before INTEGER NOT NULL,"
    "  created INTEGER NOT NULL,"
    "  updated INTEGER NOT NULL,"
    "  attempts INTEGER NOT NULL,"
    "  max_attempts INTEGER NOT NULL,"
    "  gen INTEGER NOT NULL,"
    "  nonce INTEGER,"
    "  lease_until INTEGER,"
    "  worker TEXT,"
    "  last_reason TEXT,"
    "  events INTEGER NOT NULL);" /* rows in kq_history: the next event's n - 1 */
    /* What claim scans: only ready rows, in claim order. */
    "CREATE INDEX kq_msg_ready ON kq_msg(topic, priority DESC, created) WHERE state = 1;"
    /* What lease expiry scans: only claimed rows, by deadline. */
    "CREATE INDEX kq_msg_lease ON kq_msg(lease_until) WHERE state = 2;"
    /* No index on state alone: every transition would rewrite it, and only
     * staff reads (counts, lists, purge) would use it.
     * History is clustered by message (WITHOUT ROWID): one b-tree to write
     * per event, and a message's history is one range to read or delete. */
    "CREATE TABLE kq_history("
    "  msg_id TEXT NOT NULL,"
    "  n INTEGER NOT NULL,"
    "  at INTEGER NOT NULL,"
    "  who TEXT NOT NULL,"
    "  event TEXT NOT NULL,"
    "  from_state INTEGER NOT NULL,"
    "  to_state INTEGER NOT NULL,"
    "  attempt INTEGER NOT NULL,"
    "  detail TEXT,"
    "  PRIMARY KEY (msg_id, n)) WITHOUT ROWID;",
};
#define KQS_VERSION ((int)(sizeof kqs_migrations / sizeof kqs_migrations[0]))

#define KQS_MSG_COLS                                                                      \
    "id, topic, priority, payload, state, attempts, max_attempts, gen, created, updated, " \
    "not_before, lease_until, worker, last_reason, events"

/* Prepared once per handle, on first use. The hot statements name their
 * partial index (INDEXED BY), so that no planner whim can turn a claim into
 * a table scan. */
enum {
    S_BEGIN,
    S_BEGIN_READ,
    S_COMMIT,
    S_ROLLBACK,
    S_SAVEPOINT,
    S_SP_RELEASE,
    S_SP_ROLLBACK,
    S_PUT,
    S_PUT_SAME,
    S_HIST,
    S_REAP_HIST,
    S_REAP,
    S_READY_ANY,
    S_CLAIM,
    S_LOAD,
    S_SET,
    S_GET,
    S_LIST_ALL,
    S_LIST_STATE,
    S_COUNTS,
    S_HISTORY,
    S_PURGE_SEL,
    S_PURGE_MSG,
    S_PURGE_HIST,
    S_COUNT
};

static const char *const kqs_sql[S_COUNT] = {
    [S_BEGIN] = "BEGIN IMMEDIATE",
    [S_BEGIN_READ] = "BEGIN",
    [S_COMMIT] = "COMMIT",
    [S_ROLLBACK] = "ROLLBACK",
    [S_SAVEPOINT] = "SAVEPOINT kq_op",
    [S_SP_RELEASE] = "RELEASE kq_op",
    [S_SP_ROLLBACK] = "ROLLBACK TO kq_op",
    [S_PUT] = "INSERT INTO kq_msg(id, topic, priority, payload, state, not_before, created, updated,"
              " attempts, max_attempts, gen, events) VALUES(?1, ?2, ?3, ?4, 1, ?5, ?6, ?6, 0, ?7, 0, 1)"
              " ON CONFLICT(id) DO NOTHING",
    [S_PUT_SAME] = "SELECT topic, payload = ?2 FROM kq_msg WHERE id = ?1",
    [S_HIST] = "INSERT INTO kq_history(msg_id, n, at, who, event, from_state, to_state, attempt, detail)"
               " VALUES(?1, ?9, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    /* Expiry is two set-wise statements with the same ?1, history first
     * (it reads the rows the update then moves). */
    [S_REAP_HIST] = "INSERT INTO kq_history(msg_id, n, at, who, event, from_state, to_state, attempt, detail)"
                    " SELECT id, events + 1, ?1, 'kq', 'expire', 2,"
                    " CASE WHEN attempts >= max_attempts THEN 4 ELSE 1 END, attempts,"
                    " 'lease of ' || worker || ' expired'"
                    " FROM kq_msg INDEXED BY kq_msg_lease WHERE state = 2 AND lease_until <= ?1",
    [S_REAP] = "UPDATE kq_msg INDEXED BY kq_msg_lease SET state = CASE WHEN attempts >= max_attempts THEN 4 ELSE 1 END,"
               " lease_until = NULL, nonce = NULL, updated = ?1, last_reason = 'lease expired',"
               " events = events + 1"
               " WHERE state = 2 AND lease_until <= ?1",
    [S_READY_ANY] = "SELECT EXISTS(SELECT 1 FROM kq_msg INDEXED BY kq_msg_ready"
                    " WHERE topic = ?1 AND state = 1 AND not_before <= ?2)"
                    " OR EXISTS(SELECT 1 FROM kq_msg INDEXED BY kq_msg_lease WHERE state = 2 AND lease_until <= ?2)",
    [S_CLAIM] = "UPDATE kq_msg SET state = 2, attempts = attempts + 1, gen = gen + 1, nonce = ?3,"
                " worker = ?4, lease_until = ?5, updated = ?2, events = events + 1"
                " WHERE rowid = (SELECT rowid FROM kq_msg INDEXED BY kq_msg_ready WHERE topic = ?1 AND state = 1"
                " AND not_before <= ?2 ORDER BY priority DESC, created, rowid LIMIT 1)"
                " RETURNING " KQS_MSG_COLS,
    [S_LOAD] = "SELECT rowid, state, gen, nonce, lease_until, not_before, attempts, max_attempts,"
               " worker, last_reason, updated, events FROM kq_msg WHERE id = ?1",
    [S_SET] = "UPDATE kq_msg SET state = ?2, updated = ?3, not_before = ?4, attempts = ?5,"
              " lease_until = ?6, nonce = ?7, last_reason = ?8, events = ?9 WHERE rowid = ?1",
    [S_GET] = "SELECT " KQS_MSG_COLS " FROM kq_msg WHERE id = ?1",
    [S_LIST_ALL] = "SELECT " KQS_MSG_COLS " FROM kq_msg WHERE (?1 IS NULL OR topic = ?1)"
                   " ORDER BY created, rowid LIMIT ?2 OFFSET ?3",
    [S_LIST_STATE] = "SELECT " KQS_MSG_COLS " FROM kq_msg WHERE state = ?4 AND (?1 IS NULL OR topic = ?1)"
                     " ORDER BY created, rowid LIMIT ?2 OFFSET ?3",
    [S_COUNTS] = "SELECT state, count(*), total(state = 1 AND not_before > ?1),"
                 " total(state = 2 AND lease_until <= ?1)"
                 " FROM kq_msg WHERE (?2 IS NULL OR topic = ?2) GROUP BY state",
    [S_HISTORY] = "SELECT n, at, who, event, from_state, to_state, attempt, detail"
                  " FROM kq_history WHERE msg_id = ?1 ORDER BY n",
    [S_PURGE_SEL] = "SELECT id FROM kq_msg WHERE state = ?1 AND updated <= ?2 LIMIT ?3",
    [S_PURGE_MSG] = "DELETE FROM kq_msg WHERE id = ?1",
    [S_PURGE_HIST] = "DELETE FROM kq_history WHERE msg_id = ?1",
};

typedef struct kqs {
    sqlite3 *db;
    sqlite3_stmt *st[S_COUNT];
    char path[1024];
    int in_batch;
    kq_rc batch_rc;     /* first failure that spoiled the batch, else KQ_OK */
    int64_t busy_since; /* monotonic ms when the current wait began */
    uint64_t rng;       /* jitter for sleeps; not security relevant */
} kqs;

static kqs *S(kq *q)
{
    return (kqs *)q->impl;
}

/* ---- small helpers ------------------------------------------------------ */

static int64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_us(long us)
{
    struct timespec ts = {us / 1000000, (us % 1000000) * 1000};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

static uint64_t jitter(kqs *s)
{
    s->rng ^= s->rng << 13;
    s->rng ^= s->rng >> 7;
    s->rng ^= s->rng << 17;
    return s->rng;
}

/* Waiting writers poll for the lock every 0.1 to 0.6 ms, at random. SQLite's
 * default schedule grows to 100 ms sleeps, but a kq transaction holds the
 * lock for about one fsync (well under a millisecond), so long sleeps leave
 * the store idle while everyone waits; the jitter keeps several processes
 * from waking in lockstep. A failed poll costs one fcntl(). */
static int kqs_busy(void *arg, int count)
{
    kq *q = arg;
    kqs *s = S(q);
    int64_t now = mono_ms();
    if (count == 0) s->busy_since = now;
    if (now - s->busy_since >= q->busy_timeout_ms) return 0;
    sleep_us(100 + (long)(jitter(s) % 500));
    return 1;
}

static int is_busy(int src)
{
    int p = src & 0xff;
    return p == SQLITE_BUSY || p == SQLITE_LOCKED;
}

/* Translates a SQLite failure into our code, with what we were doing and
 * SQLite's own words as the detail. */
static kq_rc kqs_fail(kq *q, int src, const char *doing)
{
    kqs *s = S(q);
    kq_rc rc;
    const char *hint = "";
    switch (src & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED: rc = KQ_EBUSY; break;
    case SQLITE_FULL:
        rc = KQ_EFULL;
        hint = " (disk full or size limit reached)";
        break;
    case SQLITE_IOERR:
    case SQLITE_READONLY:
    case SQLITE_CANTOPEN:
    case SQLITE_PROTOCOL: rc = KQ_EIO; break;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB: rc = KQ_ECORRUPT; break;
    case SQLITE_NOMEM: rc = KQ_ENOMEM; break;
    default: rc = KQ_EINTERNAL; break;
    }
    const char *what = s && s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(src);
    int sys = s && s->db ? sqlite3_system_errno(s->db) : 0;
    if (sys && rc == KQ_EIO)
        return kq__err(q, rc, "%s: %s%s (sqlite %d, %s)", doing, what, hint, src, strerror(sys));
    return kq__err(q, rc, "%s: %s%s (sqlite %d)", doing, what, hint, src);
}

static kq_rc stmt(kq *q, int which, sqlite3_stmt **out)
{
    kqs *s = S(q);
    if (!s->st[which]) {
        int src = sqlite3_prepare_v3(s->db, kqs_sql[which], -1, SQLITE_PREPARE_PERSISTENT, &s->st[which], NULL);
        if (src != SQLITE_OK) return kqs_fail(q, src, "preparing a statement");
    }
    *out = s->st[which];
    return KQ_OK;
}

/* Runs a statement that returns no rows. */
static kq_rc run(kq *q, int which, const char *doing)
{
    sqlite3_stmt *st = NULL;
    kq_rc rc = stmt(q, which, &st);
    if (rc != KQ_OK) return rc;
    int src = sqlite3_step(st);
    sqlite3_reset(st);
    if (src != SQLITE_DONE && src != SQLITE_ROW) return kqs_fail(q, src, doing);
    return KQ_OK;
}

/* Steps a statement the caller bound; on a failure also resets it. */
static int step(sqlite3_stmt *st)
{
    int src = sqlite3_step(st);
    if (src != SQLITE_ROW && src != SQLITE_DONE) sqlite3_reset(st);
    return src;
}

static void finish(sqlite3_stmt *st)
{
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
}

static void bind_opt_text(sqlite3_stmt *st, int i, const char *v)
{
    if (v) sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
    else sqlite3_bind_null(st, i);
}

static void bind_opt_int(sqlite3_stmt *st, int i, int has, int64_t v)
{
    if (has) sqlite3_bind_int64(st, i, v);
    else sqlite3_bind_null(st, i);
}

static const char *col_text(sqlite3_stmt *st, int i)
{
    return (const char *)sqlite3_column_text(st, i);
}

/* ---- transactions ------------------------------------------------------- */

typedef kq_rc (*kqs_fn)(kq *q, void *arg);

/* Codes after which a batch can no longer be trusted to commit what the
 * caller was told: the store, not the argument, failed. */
static int spoils_batch(kq_rc rc)
{
    return rc == KQ_EFULL || rc == KQ_EIO || rc == KQ_EBUSY || rc == KQ_ECORRUPT || rc == KQ_ENOMEM ||
           rc == KQ_EINTERNAL;
}

/* Runs a clean-up statement (a rollback) without losing the detail of the
 * failure that made it necessary. A rollback that fails leaves nothing to
 * do: SQLite ends the transaction either way. */
static void run_quietly(kq *q, int which)
{
    char keep[KQ_ERRMSG_SIZE];
    memcpy(keep, q->err, sizeof keep);
    (void)run(q, which, "cleaning up");
    memcpy(q->err, keep, sizeof keep);
}

static void rollback_quietly(kq *q)
{
    /* After some errors SQLite has already rolled back by itself. */
    if (!sqlite3_get_autocommit(S(q)->db)) run_quietly(q, S_ROLLBACK);
}

static void backoff(kqs *s, int attempt)
{
    sleep_us(1000L * (1 + attempt) + (long)(jitter(s) % 5000));
}

/* Runs fn as one write transaction, retried as a whole while other writers
 * hold the store. KQ_EMPTY commits too: a claim that found nothing may still
 * have expired leases, and that must stick. Inside a batch, fn runs under a
 * savepoint instead, so that a failed call takes back only its own changes. */
static kq_rc kqs_write(kq *q, kqs_fn fn, void *arg)
{
    kqs *s = S(q);
    kq_rc rc;
    if (s->in_batch) {
        if (s->batch_rc != KQ_OK)
            return kq__err(q, s->batch_rc, "the batch failed earlier (%s): roll it back", kq_strerror(s->batch_rc));
        if ((rc = run(q, S_SAVEPOINT, "starting a step")) != KQ_OK) goto spoiled;
        rc = fn(q, arg);
        if (rc != KQ_OK && rc != KQ_EMPTY && !sqlite3_get_autocommit(s->db)) run_quietly(q, S_SP_ROLLBACK);
        if (!sqlite3_get_autocommit(s->db)) {
            kq_rc rrc = run(q, S_SP_RELEASE, "ending a step");
            if (rc == KQ_OK) rc = rrc;
        }
        if (sqlite3_get_autocommit(s->db) && !spoils_batch(rc)) {
            /* SQLite rolled the whole transaction back under us. */
            rc = kq__err(q, KQ_EINTERNAL, "the batch transaction ended unexpectedly");
        }
    spoiled:
        if (spoils_batch(rc)) s->batch_rc = rc;
        return rc;
    }
    for (int attempt = 0; attempt < KQS_TRIES; attempt++) {
        if (attempt) backoff(s, attempt);
        q->err[0] = '\0';
        rc = run(q, S_BEGIN, "starting a write");
        if (rc == KQ_EBUSY) continue;
        if (rc != KQ_OK) return rc;
        rc = fn(q, arg);
        if (rc != KQ_OK && rc != KQ_EMPTY) {
            rollback_quietly(q);
            if (rc == KQ_EBUSY) continue;
            return rc;
        }
        char keep[KQ_ERRMSG_SIZE]; /* KQ_EMPTY's detail, if any */
        memcpy(keep, q->err, sizeof keep);
        kq_rc crc = run(q, S_COMMIT, "committing");
        if (crc == KQ_OK) {
            memcpy(q->err, keep, sizeof keep);
            return rc;
        }
        rollback_quietly(q);
        if (crc != KQ_EBUSY) return crc;
    }
    return kq__err(q, KQ_EBUSY, "%s: other writers held the store for over %d ms, %d times",
                   s->path, q->busy_timeout_ms, KQS_TRIES);
}

/* Runs fn as a read. WAL readers do not wait for writers, but a reader can
 * still meet SQLITE_BUSY while another connection recovers the WAL after a
 * crash, so reads retry too. `snapshot` wraps fn in a read transaction for
 * reads of several statements that must agree. */
static kq_rc kqs_read(kq *q, kqs_fn fn, void *arg, int snapshot)
{
    kqs *s = S(q);
    kq_rc rc;
    if (s->in_batch) {
        if (s->batch_rc != KQ_OK)
            return kq__err(q, s->batch_rc, "the batch failed earlier (%s): roll it back", kq_strerror(s->batch_rc));
        return fn(q, arg);
    }
    for (int attempt = 0; attempt < KQS_TRIES; attempt++) {
        if (attempt) backoff(s, attempt);
        q->err[0] = '\0';
        if (snapshot) {
            rc = run(q, S_BEGIN_READ, "starting a read");
            if (rc == KQ_EBUSY) continue;
            if (rc != KQ_OK) return rc;
        }
        rc = fn(q, arg);
        if (snapshot) rollback_quietly(q); /* a read: nothing to keep */
        if (rc != KQ_EBUSY) return rc;
    }
    return kq__err(q, KQ_EBUSY, "%s: could not read for over %d ms, %d times", s->path, q->busy_timeout_ms,
                   KQS_TRIES);
}

/* ---- history ------------------------------------------------------------ */

static kq_rc hist(kq *q, const char *id, int64_t n, int64_t at, const char *who, const char *what,
                  kq_state from, kq_state to, int attempt, const char *detail)
{
    sqlite3_stmt *st = NULL;
    kq_rc rc = stmt(q, S_HIST, &st);
    if (rc != KQ_OK) return rc;
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, at);
    sqlite3_bind_text(st, 3, who, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, what, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 5, (int)from);
    sqlite3_bind_int(st, 6, (int)to);
    sqlite3_bind_int(st, 7, attempt);
    bind_opt_text(st, 8, detail);
    sqlite3_bind_int64(st, 9, n);
    int src = step(st);
    finish(st);
    if (src != SQLITE_DONE) return kqs_fail(q, src, "recording history");
    return KQ_OK;
}

/* ---- open, schema, close ------------------------------------------------ */

typedef struct schema_info {
    int64_t app_id, version, objects;
} schema_info;

static kq_rc pragma_int(kq *q, const char *sql, int64_t *v)
{
    kqs *s = S(q);
    sqlite3_stmt *st = NULL;
    int src = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL);
    if (src == SQLITE_OK) {
        src = sqlite3_step(st);
        if (src == SQLITE_ROW) {
            *v = sqlite3_column_int64(st, 0);
            src = SQLITE_OK;
        } else if (src == SQLITE_DONE) {
            *v = 0;
            src = SQLITE_OK;
        }
    }
    sqlite3_finalize(st);
    if (src != SQLITE_OK) return kqs_fail(q, src, "reading the store header");
    return KQ_OK;
}

static kq_rc read_schema(kq *q, schema_info *si)
{
    kq_rc rc;
    if ((rc = pragma_int(q, "PRAGMA application_id", &si->app_id)) != KQ_OK) return rc;
    if ((rc = pragma_int(q, "PRAGMA user_version", &si->version)) != KQ_OK) return rc;
    return pragma_int(q, "SELECT count(*) FROM sqlite_schema", &si->objects);
}

/* Refuses files that are not ours rather than adding tables to somebody
 * else's database, and files from a newer kq rather than guessing. */
static kq_rc judge_schema(kq *q, const schema_info *si)
{
    const char *path = S(q)->path;
    if (si->app_id != 0 && si->app_id != KQS_APP_ID)
        return kq__err(q, KQ_ECORRUPT, "%s is a SQLite file of another application (id 0x%08" PRIx64 ")", path,
                       (uint64_t)si->app_id);
    if (si->app_id == 0 && (si->version != 0 || si->objects != 0))
        return kq__err(q, KQ_ECORRUPT, "%s is a SQLite database but not a queue store", path);
    if (si->version > KQS_VERSION)
        return kq__err(q, KQ_EVERSION, "%s has schema version %" PRId64 "; this kq knows up to %d", path,
                       si->version, KQS_VERSION);
    return KQ_OK;
}

static kq_rc migrate_fn(kq *q, void *arg)
{
    (void)arg;
    kqs *s = S(q);
    schema_info si;
    kq_rc rc = read_schema(q, &si); /* again, now under the write lock */
    if (rc != KQ_OK) return rc;
    if ((rc = judge_schema(q, &si)) != KQ_OK) return rc;
    for (int v = (int)si.version; v < KQS_VERSION; v++) {
        int src = sqlite3_exec(s->db, kqs_migrations[v], NULL, NULL, NULL);
        if (src != SQLITE_OK) {
            char doing[64];
            snprintf(doing, sizeof doing, "migrating to schema version %d", v + 1);
            return kqs_fail(q, src, doing);
        }
    }
    char sql[96];
    snprintf(sql, sizeof sql, "PRAGMA application_id = %d; PRAGMA user_version = %d", KQS_APP_ID, KQS_VERSION);
    int src = sqlite3_exec(s->db, sql, NULL, NULL, NULL);
    if (src != SQLITE_OK) return kqs_fail(q, src, "marking the schema version");
    return KQ_OK;
}

/* Runs a setup statement, retrying while another process holds a lock
 * (switching a new file to WAL needs one briefly). */
static kq_rc setup_exec(kq *q, const char *sql, const char *doing, char *res, size_t res_len)
{
    kqs *s = S(q);
    for (int attempt = 0; attempt < KQS_TRIES; attempt++) {
        if (attempt) backoff(s, attempt);
        sqlite3_stmt *st = NULL;
        int src = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL);
        if (src == SQLITE_OK) {
            src = sqlite3_step(st);
            if (src == SQLITE_ROW && res) snprintf(res, res_len, "%s", (const char *)sqlite3_column_text(st, 0));
            if (src == SQLITE_ROW || src == SQLITE_DONE) src = SQLITE_OK;
        }
        sqlite3_finalize(st);
        if (src == SQLITE_OK) return KQ_OK;
        if (!is_busy(src)) return kqs_fail(q, src, doing);
    }
    return kq__err(q, KQ_EBUSY, "%s: %s: store busy", s->path, doing);
}

/* URL options after '?': key=value pairs joined by '&'. */
static kq_rc parse_options(kq *q, const char *opts, int64_t *max_pages)
{
    static const char key[] = "max_page_count";
    *max_pages = 0;
    while (opts && *opts) {
        const char *end = strchr(opts, '&');
        size_t n = end ? (size_t)(end - opts) : strlen(opts);
        const char *eq = memchr(opts, '=', n);
        if (!eq || (size_t)(eq - opts) != strlen(key) || memcmp(opts, key, strlen(key)) != 0)
            return kq__err(q, KQ_ENOTSUP, "unknown sqlite queue option '%.*s' (known: %s=N)", (int)n, opts, key);
        char buf[32];
        size_t vn = n - strlen(key) - 1;
        char *e = buf;
        long long v = 0;
        if (vn > 0 && vn < sizeof buf) {
            memcpy(buf, eq + 1, vn);
            buf[vn] = '\0';
            errno = 0;
            v = strtoll(buf, &e, 10);
        }
        if (vn == 0 || vn >= sizeof buf || errno || *e || v < 1)
            return kq__err(q, KQ_EINVAL, "bad value in queue option '%.*s'", (int)n, opts);
        *max_pages = v;
        opts = end ? end + 1 : NULL;
    }
    return KQ_OK;
}

static kq_rc kqs_open(kq *q, const char *rest, int flags)
{
    kqs *s = calloc(1, sizeof *s);
    if (!s) return kq__err(q, KQ_ENOMEM, "out of memory");
    q->impl = s;
    s->rng = kq__random64() | 1;

    const char *qm = strchr(rest, '?');
    size_t plen = qm ? (size_t)(qm - rest) : strlen(rest);
    if (plen == 0) return kq__err(q, KQ_EINVAL, "queue URL has no path: expected sqlite:PATH");
    if (plen >= sizeof s->path) return kq__err(q, KQ_EINVAL, "queue path is too long");
    memcpy(s->path, rest, plen);
    s->path[plen] = '\0';
    int64_t max_pages;
    kq_rc rc = parse_options(q, qm ? qm + 1 : NULL, &max_pages);
    if (rc != KQ_OK) return rc;

    struct stat sb;
    if ((flags & KQ_OPEN_EXISTING) && stat(s->path, &sb) != 0)
        return kq__err(q, KQ_EOPEN, "no queue store at %s: %s", s->path, strerror(errno));
    if (sqlite3_libversion_number() < KQS_MIN_SQLITE)
        return kq__err(q, KQ_ENOTSUP, "kq needs SQLite 3.35 or newer, this is %s", sqlite3_libversion());
    int oflags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
    if (!(flags & KQ_OPEN_EXISTING)) oflags |= SQLITE_OPEN_CREATE;
    int src = sqlite3_open_v2(s->path, &s->db, oflags, NULL);
    if (src != SQLITE_OK) {
        int sys = s->db ? sqlite3_system_errno(s->db) : 0;
        return kq__err(q, src == SQLITE_NOMEM ? KQ_ENOMEM : KQ_EOPEN, "cannot open %s: %s%s%s", s->path,
                       s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(src), sys ? ": " : "",
                       sys ? strerror(sys) : "");
    }
    sqlite3_extended_result_codes(s->db, 1);
    sqlite3_busy_handler(s->db, kqs_busy, q);

    char mode[16] = "";
    if ((rc = setup_exec(q, "PRAGMA journal_mode = WAL", "switching to WAL", mode, sizeof mode)) != KQ_OK) {
        if (rc == KQ_ECORRUPT)
            return kq__err(q, KQ_ECORRUPT, "%s is not a queue store (not a SQLite database)", s->path);
        return rc;
    }
    if (strcmp(mode, "wal") != 0)
        return kq__err(q, KQ_EIO, "%s: the file system does not allow WAL mode (got '%s')", s->path, mode);
    if ((rc = setup_exec(q, "PRAGMA synchronous = FULL", "setting synchronous", NULL, 0)) != KQ_OK) return rc;
    if (max_pages) {
        char sql[64];
        snprintf(sql, sizeof sql, "PRAGMA max_page_count = %" PRId64, max_pages);
        if ((rc = setup_exec(q, sql, "setting the size limit", NULL, 0)) != KQ_OK) return rc;
    }

    /* Check without the write lock first: opening an up-to-date store (the
     * normal case) must not queue behind busy writers. */
    schema_info si = {0, 0, 0};
    for (int attempt = 0; attempt < KQS_TRIES; attempt++) {
        rc = read_schema(q, &si);
        if (rc != KQ_EBUSY) break;
        backoff(s, attempt);
    }
    if (rc != KQ_OK) return rc;
    if ((rc = judge_schema(q, &si)) != KQ_OK) return rc;
    if (si.version < KQS_VERSION && (rc = kqs_write(q, migrate_fn, NULL)) != KQ_OK) return rc;
    return KQ_OK;
}

static void kqs_close(kq *q)
{
    kqs *s = S(q);
    if (!s) return;
    for (int i = 0; i < S_COUNT; i++) sqlite3_finalize(s->st[i]);
    /* An open batch was never promised to anyone: dropping it is right. */
    if (s->db && !sqlite3_get_autocommit(s->db)) sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    sqlite3_close_v2(s->db);
    free(s);
    q->impl = NULL;
}

/* ---- put ---------------------------------------------------------------- */

static kq_rc put_fn(kq *q, void *arg)
{
    const kq_put_args *a = arg;
    kqs *s = S(q);
    int64_t now = kq_now(q);
    sqlite3_stmt *st = NULL;
    kq_rc rc = stmt(q, S_PUT, &st);
    if (rc != KQ_OK) return rc;
    sqlite3_bind_text(st, 1, a->id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, a->topic, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 3, a->priority);
    sqlite3_bind_blob(st, 4, a->payload, (int)a->len, SQLITE_STATIC);
    sqlite3_bind_int64(st, 5, a->not_before);
    sqlite3_bind_int64(st, 6, now);
    sqlite3_bind_int(st, 7, q->max_attempts);
    int src = step(st);
    finish(st);
    if (src != SQLITE_DONE) return kqs_fail(q, src, "storing the message");
    if (sqlite3_changes(s->db) == 1) return hist(q, a->id, 1, now, q->name, "put", KQ_STATE_ANY, KQ_READY, 0, NULL);

    /* The id exists: the same message again is a retry, anything else is a
     * different order under a reused id and must not be swallowed. */
    if ((rc = stmt(q, S_PUT_SAME, &st)) != KQ_OK) return rc;
    sqlite3_bind_text(st, 1, a->id, -1, SQLITE_STATIC);
    sqlite3_bind_blob(st, 2, a->payload, (int)a->len, SQLITE_STATIC);
    src = step(st);
    if (src != SQLITE_ROW) {
        finish(st);
        if (src == SQLITE_DONE) return kq__err(q, KQ_EINTERNAL, "message %s vanished during put", a->id);
        return kqs_fail(q, src, "comparing with the stored message");
    }
    const char *topic = col_text(st, 0);
    if (!topic) {
        finish(st);
        return kq__err(q, KQ_ENOMEM, "out of memory");
    }
    int same_topic = strcmp(topic, a->topic) == 0;
    int same_payload = sqlite3_column_int(st, 1);
    char other[KQ_NAME_MAX + 1];
    snprintf(other, sizeof other, "%s", topic);
    finish(st);
    if (!same_topic) return kq__err(q, KQ_ECONFLICT, "id %s is already used in topic %s", a->id, other);
    if (!same_payload) return kq__err(q, KQ_ECONFLICT, "id %s is already used with another payload", a->id);
    return KQ_OK;
}

static kq_rc kqs_put(kq *q, const kq_put_args *a)
{
    return kqs_write(q, put_fn, (void *)a);
}

/* ---- reading messages --------------------------------------------------- */

/* Builds a kq_msg from a row in KQS_MSG_COLS order. */
static kq_rc msg_from_row(kq *q, sqlite3_stmt *st, kq_msg **out)
{
    const void *payload = sqlite3_column_blob(st, 3);
    size_t len = (size_t)sqlite3_column_bytes(st, 3);
    kq_msg *m = kq__msg_new(col_text(st, 0), col_text(st, 1), payload, len, col_text(st, 12), col_text(st, 13));
    if (!m) return kq__err(q, KQ_ENOMEM, "out of memory");
    m->priority = sqlite3_column_int(st, 2);
    m->state = (kq_state)sqlite3_column_int(st, 4);
    m->attempts = sqlite3_column_int(st, 5);
    m->max_attempts = sqlite3_column_int(st, 6);
    m->generation = (uint64_t)sqlite3_column_int64(st, 7);
    m->created_ms = sqlite3_column_int64(st, 8);
    m->updated_ms = sqlite3_column_int64(st, 9);
    m->not_before_ms = sqlite3_column_int64(st, 10);
    m->lease_until_ms = sqlite3_column_int64(st, 11); /* NULL reads as 0 */
    *out = m;
    return KQ_OK;
}

/* ---- lease expiry ------------------------------------------------------- */

static kq_rc reap(kq *q, int64_t now, int64_t *n)
{
    sqlite3_stmt *st = NULL;
    kq_rc rc = stmt(q, S_REAP_HIST, &st);
    if (rc != KQ_OK) return rc;
    sqlite3_bind_int64(st, 1, now);
    int src = step(st);
    finish(st);
    if (src != SQLITE_DONE) return kqs_fail(q, src, "recording lease expiry");
    if ((rc = stmt(q, S_REAP, &st)) != KQ_OK) return rc;
    sqlite3_bind_int64(st, 1, now);
    src = step(st);
    finish(st);
    if (src != SQLITE_DONE) return kqs_fail(q, src, "expiring leases");
    if (n) *n = sqlite3_changes(S(q)->db);
    return KQ_OK;
}

static kq_rc reap_fn(kq *q, void *arg)
{
    return reap(q, kq_now(q), arg);
}

static kq_rc kqs_reap(kq *q, int64_t *n)
{
    return kqs_write(q, reap_fn, n);
}

/* ---- claim -------------------------------------------------------------- */

typedef struct claim_args {
    const char *topic, *worker;
    int64_t lease_ms;
    kq_msg *msg;
} claim_args;

static kq_rc claim_fn(kq *q, void *arg)
{
    claim_args *a = arg;
    int64_t now = kq_now(q);
    kq_rc rc = reap(q, now, NULL);
    if (rc != KQ_OK) return rc;
    sqlite3_stmt *st = NULL;
    if ((rc = stmt(q, S_CLAIM, &st)) != KQ_OK) return rc;
    kq_tok tok = {0, kq__random64()};
    sqlite3_bind_text(st, 1, a->topic, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, now);
    sqlite3_bind_int64(st, 3, (int64_t)tok.nonce);
    sqlite3_bind_text(st, 4, a->worker, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 5, now + a->lease_ms);
    int src = step(st);
    if (src == SQLITE_DONE) {
        finish(st);
        return kq__err(q, KQ_EMPTY, "nothing ready in topic %s", a->topic);
    }
    if (src != SQLITE_ROW) {
        finish(st);
        return kqs_fail(q, src, "claiming");
    }
    kq_msg *m;
    rc = msg_from_row(q, st, &m);
    int64_t events = sqlite3_column_int64(st, 14);
    if (rc == KQ_OK) {
        src = step(st); /* RETURNING: run the statement to its end */
        if (src != SQLITE_DONE) rc = kqs_fail(q, src, "claiming");
    }
    finish(st);
    if (rc == KQ_OK) rc = hist(q, m->id, events, now, a->worker, "claim", KQ_READY, KQ_CLAIMED, m->attempts, NULL);
    if (rc != KQ_OK) {
        kq_msg_free(m);
        return rc;
    }
    tok.gen = m->generation;
    kq__tok_format(&tok, m->token);
    kq_msg_free(a->msg); /* from an attempt that was then retried */
    a->msg = m;
    return KQ_OK;
}

/* Is there anything to do at all? Answered without the write lock, so that
 * idle workers polling an empty topic do not queue behind each other. */
static kq_rc ready_any_fn(kq *q, void *arg)
{
    claim_args *a = arg;
    sqlite3_stmt *st = NULL;
    kq_rc rc = stmt(q, S_READY_ANY, &st);
    if (rc != KQ_OK) return rc;
    sqlite3_bind_text(st, 1, a->topic, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, kq_now(q));
    int src = step(st);
    int any = src == SQLITE_ROW && sqlite3_column_int(st, 0);
    finish(st);
    if (src != SQLITE_ROW) return kqs_fail(q, src, "looking for work");
    return any ? KQ_OK : kq__err(q, KQ_EMPTY, "nothing ready in topic %s", a->topic);
}

static kq_rc kqs_claim(kq *q, const char *topic, const char *worker, int64_t lease_ms, kq_msg **out)
{
    claim_args a = {topic, worker, lease_ms, NULL};
    kq_rc rc = KQ_OK;
    if (!S(q)->in_batch) rc = kqs_read(q, ready_any_fn, &a, 0);
    if (rc == KQ_OK) rc = kqs_write(q, claim_fn, &a);
    if (rc != KQ_OK) {
        kq_msg_free(a.msg);
        return rc;
    }
    *out = a.msg;
    return KQ_OK;
}

/* ---- one message: load, change, record ---------------------------------- */

typedef struct row {
    int64_t rowid;
    kq_state state;
    uint64_t gen, nonce;
    int64_t lease_until, not_before, updated, events;
    int attempts, max_attempts;
    char worker[KQ_NAME_MAX + 1];
    char reason[KQ_REASON_MAX + 1];
    int has_reason;
} row;

static kq_rc load(kq *q, const char *id, row *r)
{
    sqlite3_stmt *st = NULL;
    kq_rc rc = stmt(q, S_LOAD, &st);
    if (rc != KQ_OK) return rc;
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    int src = step(st);
    if (src == SQLITE_ROW) {
        r->rowid = sqlite3_column_int64(st, 0);
        r->state = (kq_state)sqlite3_column_int(st, 1);
        r->gen = (uint64_t)sqlite3_column_int64(st, 2);
        r->nonce = (uint64_t)sqlite3_column_int64(st, 3);
        r->lease_until = sqlite3_column_int64(st, 4);
        r->not_before = sqlite3_column_int64(st, 5);
        r->attempts = sqlite3_column_int(st, 6);
        r->max_attempts = sqlite3_column_int(st, 7);
        const char *w = col_text(st, 8), *why = col_text(st, 9);
        snprintf(r->worker, sizeof r->worker, "%s", w ? w : "");
        snprintf(r->reason, sizeof r->reason, "%s", why ? why : "");
        r->has_reason = why != NULL;
        r->updated = sqlite3_column_int64(st, 10);
        r->events = sqlite3_column_int64(st, 11);
    }
    finish(st);
    if (src == SQLITE_DONE) return kq__err(q, KQ_ENOTFOUND, "no message %s", id);
    if (src != SQLITE_ROW) return kqs_fail(q, src, "loading the message");
    return KQ_OK;
}

/* Writes a row's new state and fields. */
static kq_rc store(kq *q, const row *r)
{
    sqlite3_stmt *st = NULL;
    kq_rc rc = stmt(q, S_SET, &st);
    if (rc != KQ_OK) return rc;
    int claimed = r->state == KQ_CLAIMED;
    sqlite3_bind_int64(st, 1, r->rowid);
    sqlite3_bind_int(st, 2, (int)r->state);
    sqlite3_bind_int64(st, 3, r->updated);
    sqlite3_bind_int64(st, 4, r->not_before);
    sqlite3_bind_int(st, 5, r->attempts);
    bind_opt_int(st, 6, claimed, r->lease_until);
    bind_opt_int(st, 7, claimed, (int64_t)r->nonce);
    bind_opt_text(st, 8, r->has_reason ? r->reason : NULL);
    sqlite3_bind_int64(st, 9, r->events);
    int src = step(st);
    finish(st);
    if (src != SQLITE_DONE) return kqs_fail(q, src, "updating the message");
    return KQ_OK;
}

static void set_reason(row *r, const char *reason)
{
    if (!reason) return;
    snprintf(r->reason, sizeof r->reason, "%s", reason);
    r->has_reason = 1;
}

static kq_rc settle_fn(kq *q, void *arg)
{
    const kq_settle *a = arg;
    int64_t now = kq_now(q);
    row r;
    kq_rc rc = load(q, a->id, &r);
    if (rc != KQ_OK) return rc;

    /* Fencing: the token must name the claim that holds the message now.
     * Each refusal says why, so that a volunteer's screen can too. */
    if (a->tok.gen != r.gen || a->tok.nonce != r.nonce || r.state != KQ_CLAIMED) {
        if (a->tok.gen < r.gen)
            return kq__err(q, KQ_ESTALE, "message %s was claimed again (claim %" PRIu64 ", token is for claim %" PRIu64 ")",
                           a->id, r.gen, a->tok.gen);
        if (a->tok.gen == r.gen && r.state != KQ_CLAIMED)
            return kq__err(q, KQ_ESTALE, "the claim on message %s is over: it is %s now", a->id,
                           kq_state_name(r.state));
        return kq__err(q, KQ_ESTALE, "the token does not belong to message %s", a->id);
    }
    if (r.lease_until <= now)
        return kq__err(q, KQ_ESTALE, "the lease of %s on message %s expired %" PRId64 " ms ago", r.worker, a->id,
                       now - r.lease_until);

    kq_state from = r.state;
    const char *what;
    switch (a->op) {
    case KQ_OP_EXTEND:
        /* Not a state change, so not history: heartbeats would drown it. */
        r.lease_until = now + a->ms;
        return store(q, &r);
    case KQ_OP_ACK:
        r.state = KQ_DONE;
        what = "ack";
        break;
    case KQ_OP_NACK:
        r.state = r.attempts >= r.max_attempts ? KQ_DEAD : KQ_READY;
        r.not_before = now + a->ms;
        set_reason(&r, a->reason);
        what = "nack";
        break;
    case KQ_OP_RELEASE:
    default:
        r.state = KQ_READY;
        r.attempts--; /* handed back untried: not a failure */
        what = "release";
        break;
    }
    r.updated = now;
    r.events++;
    if ((rc = store(q, &r)) != KQ_OK) return rc;
    return hist(q, a->id, r.events, now, r.worker, what, from, r.state, r.attempts, a->reason);
}

static kq_rc kqs_settle(kq *q, const kq_settle *s)
{
    return kqs_write(q, settle_fn, (void *)s);
}

typedef struct ack_next_args {
    const kq_settle *ack;
    claim_args claim;
} ack_next_args;

static kq_rc ack_next_fn(kq *q, void *arg)
{
    ack_next_args *a = arg;
    kq_rc rc = settle_fn(q, (void *)a->ack);
    if (rc != KQ_OK) return rc;
    return claim_fn(q, &a->claim); /* KQ_EMPTY commits the ack all the same */
}

static kq_rc kqs_ack_next(kq *q, const kq_settle *ack, const char *topic, const char *worker, int64_t lease_ms,
                          kq_msg **out)
{
    ack_next_args a = {ack, {topic, worker, lease_ms, NULL}};
    kq_rc rc = kqs_write(q, ack_next_fn, &a);
    if (rc == KQ_OK) *out = a.claim.msg;
    else kq_msg_free(a.claim.msg);
    return rc;
}

typedef struct admin_args {
    kq_admin_op op;
    const char *id, *who, *reason;
} admin_args;

static kq_rc admin_fn(kq *q, void *arg)
{
    const admin_args *a = arg;
    int64_t now = kq_now(q);
    /* Expire first, so staff act on the state the message is really in. */
    kq_rc rc = reap(q, now, NULL);
    row r;
    if (rc == KQ_OK) rc = load(q, a->id, &r);
    if (rc != KQ_OK) return rc;
    kq_state from = r.state;
    const char *what;
    if (a->op == KQ_OP_CANCEL) {
        if (r.state == KQ_CLAIMED)
            return kq__err(q, KQ_ESTATE, "message %s is claimed by %s: it must be released or fail first", a->id,
                           r.worker);
        if (r.state != KQ_READY && r.state != KQ_DEAD)
            return kq__err(q, KQ_ESTATE, "message %s is %s already", a->id, kq_state_name(r.state));
        r.state = KQ_CANCELLED;
        set_reason(&r, a->reason);
        what = "cancel";
    } else {
        if (r.state != KQ_DEAD && r.state != KQ_CANCELLED)
            return kq__err(q, KQ_ESTATE, "message %s is %s: only dead or cancelled messages can be requeued", a->id,
                           kq_state_name(r.state));
        r.state = KQ_READY;
        r.attempts = 0;
        r.not_before = now;
        what = "requeue";
    }
    r.updated = now;
    r.events++;
    if ((rc = store(q, &r)) != KQ_OK) return rc;
    return hist(q, a->id, r.events, now, a->who, what, from, r.state, r.attempts, a->reason);
}

static kq_rc kqs_admin(kq *q, kq_admin_op op, const char *id, const char *who, const char *reason)
{
    admin_args a = {op, id, who, reason};
    return kqs_write(q, admin_fn, &a);
}

/* ---- purge -------------------------------------------------------------- */

typedef struct purge_args {
    kq_state state;
    int64_t cutoff;
    int64_t chunk_done; /* rows deleted by the last chunk */
} purge_args;

static kq_rc purge_fn(kq *q, void *arg)
{
    purge_args *a = arg;
    sqlite3_stmt *sel, *dm, *dh;
    kq_rc rc;
    if ((rc = stmt(q, S_PURGE_SEL, &sel)) != KQ_OK || (rc = stmt(q, S_PURGE_MSG, &dm)) != KQ_OK ||
        (rc = stmt(q, S_PURGE_HIST, &dh)) != KQ_OK)
        return rc;
    /* Collect the ids first: deleting while stepping the same table's
     * query is legal in SQLite but makes the chunk size meaningless. */
    char (*ids)[KQ_NAME_MAX + 1] = malloc(KQS_PURGE_CHUNK * sizeof *ids);
    if (!ids) return kq__err(q, KQ_ENOMEM, "out of memory");
    int n = 0, src;
    sqlite3_bind_int(sel, 1, (int)a->state);
    sqlite3_bind_int64(sel, 2, a->cutoff);
    sqlite3_bind_int(sel, 3, KQS_PURGE_CHUNK);
    while ((src = step(sel)) == SQLITE_ROW && n < KQS_PURGE_CHUNK)
        snprintf(ids[n++], sizeof ids[0], "%s", col_text(sel, 0));
    finish(sel);
    if (src != SQLITE_DONE && src != SQLITE_ROW) {
        free(ids);
        return kqs_fail(q, src, "finding messages to purge");
    }
    for (int i = 0; i < n; i++) {
        sqlite3_bind_text(dh, 1, ids[i], -1, SQLITE_STATIC);
        src = step(dh);
        finish(dh);
        if (src == SQLITE_DONE) {
            sqlite3_bind_text(dm, 1, ids[i], -1, SQLITE_STATIC);
            src = step(dm);
            finish(dm);
        }
        if (src != SQLITE_DONE) {
            free(ids);
            return kqs_fail(q, src, "purging");
        }
    }
    free(ids);
    a->chunk_done = n;
    return KQ_OK;
}

static kq_rc kqs_purge(kq *q, kq_state state, int64_t cutoff, int64_t *n)
{
    purge_args a = {state, cutoff, 0};
    do {
        kq_rc rc = kqs_write(q, purge_fn, &a);
        if (rc != KQ_OK) return rc;
        *n += a.chunk_done;
    } while (a.chunk_done == KQS_PURGE_CHUNK);
    return KQ_OK;
}

/* ---- check -------------------------------------------------------------- */

/* kq's invariants, each as a query that returns an offending id. */
static const struct {
    const char *sql, *problem;
} kqs_invariants[] = {
    {"SELECT id FROM kq_msg WHERE state = 2 AND (lease_until IS NULL OR nonce IS NULL OR worker IS NULL)",
     "claimed without a lease"},
    {"SELECT id FROM kq_msg WHERE state <> 2 AND (lease_until IS NOT NULL OR nonce IS NOT NULL)",
     "a lease on a message that is not claimed"},
    {"SELECT id FROM kq_msg WHERE attempts < 0 OR attempts > max_attempts OR gen < attempts"
     " OR (state = 1 AND attempts >= max_attempts) OR (state = 2 AND attempts < 1)",
     "attempt counts out of range"},
    {"SELECT id FROM kq_msg m WHERE NOT EXISTS (SELECT 1 FROM kq_history h WHERE h.msg_id = m.id)",
     "a message without history"},
    {"SELECT msg_id FROM kq_history h WHERE NOT EXISTS (SELECT 1 FROM kq_msg m WHERE m.id = h.msg_id)",
     "history of a message that does not exist"},
    {"SELECT m.id FROM kq_msg m LEFT JOIN kq_history h ON h.msg_id = m.id AND h.n = m.events"
     " WHERE h.to_state IS NOT m.state",
     "a state that its history does not explain"},
    {"SELECT m.id FROM kq_msg m WHERE m.events <> (SELECT count(*) FROM kq_history h WHERE h.msg_id = m.id)",
     "a history with events missing"},
};

static kq_rc check_fn(kq *q, void *arg)
{
    (void)arg;
    kqs *s = S(q);
    sqlite3_stmt *st = NULL;
    int src = sqlite3_prepare_v2(s->db, "PRAGMA integrity_check(1)", -1, &st, NULL);
    if (src != SQLITE_OK) return kqs_fail(q, src, "checking integrity");
    src = sqlite3_step(st);
    if (src == SQLITE_ROW) {
        const char *res = col_text(st, 0);
        if (!res || strcmp(res, "ok") != 0) {
            kq__err(q, KQ_ECORRUPT, "%s: integrity check: %s", s->path, res ? res : "?");
            sqlite3_finalize(st);
            return KQ_ECORRUPT;
        }
    }
    sqlite3_finalize(st);
    if (src != SQLITE_ROW) return kqs_fail(q, src, "checking integrity");

    schema_info si;
    kq_rc rc = read_schema(q, &si);
    if (rc != KQ_OK) return rc;
    if (si.app_id != KQS_APP_ID || si.version != KQS_VERSION)
        return kq__err(q, KQ_ECORRUPT, "%s: store header says application 0x%08" PRIx64 " version %" PRId64,
                       s->path, (uint64_t)si.app_id, si.version);

    for (size_t i = 0; i < sizeof kqs_invariants / sizeof kqs_invariants[0]; i++) {
        src = sqlite3_prepare_v2(s->db, kqs_invariants[i].sql, -1, &st, NULL);
        if (src != SQLITE_OK) return kqs_fail(q, src, "checking invariants");
        src = sqlite3_step(st);
        if (src == SQLITE_ROW) {
            kq__err(q, KQ_ECORRUPT, "%s: %s (message %s)", s->path, kqs_invariants[i].problem, col_text(st, 0));
            sqlite3_finalize(st);
            return KQ_ECORRUPT;
        }
        sqlite3_finalize(st);
        if (src != SQLITE_DONE) return kqs_fail(q, src, "checking invariants");
    }
    return KQ_OK;
}

static kq_rc kqs_check(kq *q)
{
    return kqs_read(q, check_fn, NULL, 1);
}

/* ---- reads -------------------------------------------------------------- */

typedef struct get_args {
    const char *id;
    kq_msg *msg;
} get_args;

static kq_rc get_fn(kq *q, void *arg)
{
    get_args *a = arg;
    sqlite3_stmt *st = NULL;
    kq_rc rc = stmt(q, S_GET, &st);
    if (rc != KQ_OK) return rc;
    sqlite3_bind_text(st, 1, a->id, -1, SQLITE_STATIC);
    int src = step(st);
    if (src == SQLITE_ROW) rc = msg_from_row(q, st, &a->msg);
    finish(st);
    if (src == SQLITE_DONE) return kq__err(q, KQ_ENOTFOUND, "no message %s", a->id);
    if (src != SQLITE_ROW) return kqs_fail(q, src, "reading the message");
    return rc;
}

static kq_rc kqs_get(kq *q, const char *id, kq_msg **out)
{
    get_args a = {id, NULL};
    kq_rc rc = kqs_read(q, get_fn, &a, 0);
    if (rc == KQ_OK) *out = a.msg;
    return rc;
}

/* Returns the array v (capacity *cap) with room for element n, doubling
 * as needed; NULL when memory ran out (v is still valid then). */
static void *grow(void *v, int n, int *cap, size_t size)
{
    if (n < *cap) return v;
    int ncap = *cap ? *cap * 2 : 16;
    void *nv = realloc(v, (size_t)ncap * size);
    if (nv) *cap = ncap;
    return nv;
}

typedef struct list_args {
    kq_state state;
    const char *topic;
    int64_t offset;
    int limit;
    kq_msg **v;
    int n;
} list_args;

static kq_rc list_fn(kq *q, void *arg)
{
    list_args *a = arg;
    kq_list_free(a->v, a->n); /* from an attempt that was then retried */
    a->v = NULL;
    a->n = 0;
    sqlite3_stmt *st = NULL;
    kq_rc rc = stmt(q, a->state == KQ_STATE_ANY ? S_LIST_ALL : S_LIST_STATE, &st);
    if (rc != KQ_OK) return rc;
    bind_opt_text(st, 1, a->topic);
    sqlite3_bind_int(st, 2, a->limit);
    sqlite3_bind_int64(st, 3, a->offset);
    if (a->state != KQ_STATE_ANY) sqlite3_bind_int(st, 4, (int)a->state);
    int cap = 0, src;
    while ((src = step(st)) == SQLITE_ROW) {
        kq_msg **nv = grow(a->v, a->n, &cap, sizeof *a->v);
        if (!nv) {
            rc = kq__err(q, KQ_ENOMEM, "out of memory");
            break;
        }
        a->v = nv;
        if ((rc = msg_from_row(q, st, &a->v[a->n])) != KQ_OK) break;
        a->n++;
    }
    finish(st);
    if (rc == KQ_OK && src != SQLITE_DONE) rc = kqs_fail(q, src, "listing");
    return rc;
}

static kq_rc kqs_list(kq *q, kq_state state, const char *topic, int64_t offset, int limit, kq_msg ***out,
                      int *n)
{
    list_args a = {state, topic, offset, limit, NULL, 0};
    kq_rc rc = kqs_read(q, list_fn, &a, 0);
    if (rc != KQ_OK) {
        kq_list_free(a.v, a.n);
        return rc;
    }
    *out = a.v;
    *n = a.n;
    return KQ_OK;
}

typedef struct counts_args {
    const char *topic;
    kq_counts *c;
} counts_args;

static kq_rc counts_fn(kq *q, void *arg)
{
    counts_args *a = arg;
    memset(a->c, 0, sizeof *a->c);
    sqlite3_stmt *st = NULL;
    kq_rc rc = stmt(q, S_COUNTS, &st);
    if (rc != KQ_OK) return rc;
    sqlite3_bind_int64(st, 1, kq_now(q));
    bind_opt_text(st, 2, a->topic);
    int src;
    while ((src = step(st)) == SQLITE_ROW) {
        int64_t n = sqlite3_column_int64(st, 1);
        switch (sqlite3_column_int(st, 0)) {
        case KQ_READY: a->c->ready = n; break;
        case KQ_CLAIMED: a->c->claimed = n; break;
        case KQ_DONE: a->c->done = n; break;
        case KQ_DEAD: a->c->dead = n; break;
        case KQ_CANCELLED: a->c->cancelled = n; break;
        default: break;
        }
        a->c->delayed += (int64_t)sqlite3_column_double(st, 2);
        a->c->expired += (int64_t)sqlite3_column_double(st, 3);
        a->c->total += n;
    }
    finish(st);
    if (src != SQLITE_DONE) return kqs_fail(q, src, "counting");
    return KQ_OK;
}

static kq_rc kqs_counts(kq *q, const char *topic, kq_counts *out)
{
    counts_args a = {topic, out};
    return kqs_read(q, counts_fn, &a, 0);
}

typedef struct history_args {
    const char *id;
    kq_event *v;
    int n;
} history_args;

static char *dup_col(sqlite3_stmt *st, int i)
{
    const char *t = col_text(st, i);
    return t ? strdup(t) : NULL;
}

static kq_rc history_fn(kq *q, void *arg)
{
    history_args *a = arg;
    kq_history_free(a->v, a->n); /* from an attempt that was then retried */
    a->v = NULL;
    a->n = 0;
    sqlite3_stmt *st = NULL;
    kq_rc rc = stmt(q, S_HISTORY, &st);
    if (rc != KQ_OK) return rc;
    sqlite3_bind_text(st, 1, a->id, -1, SQLITE_STATIC);
    int cap = 0, src;
    while ((src = step(st)) == SQLITE_ROW) {
        kq_event *nv = grow(a->v, a->n, &cap, sizeof *a->v);
        if (!nv) {
            rc = kq__err(q, KQ_ENOMEM, "out of memory");
            break;
        }
        a->v = nv;
        kq_event *e = &a->v[a->n++];
        memset(e, 0, sizeof *e);
        e->seq = sqlite3_column_int64(st, 0);
        e->at_ms = sqlite3_column_int64(st, 1);
        e->who = dup_col(st, 2);
        e->what = dup_col(st, 3);
        e->from = (kq_state)sqlite3_column_int(st, 4);
        e->to = (kq_state)sqlite3_column_int(st, 5);
        e->attempt = sqlite3_column_int(st, 6);
        e->detail = dup_col(st, 7);
        if (!e->who || !e->what || (!e->detail && sqlite3_column_type(st, 7) != SQLITE_NULL)) {
            rc = kq__err(q, KQ_ENOMEM, "out of memory");
            break;
        }
    }
    finish(st);
    if (rc == KQ_OK && src != SQLITE_DONE) rc = kqs_fail(q, src, "reading history");
    if (rc == KQ_OK && a->n == 0) rc = kq__err(q, KQ_ENOTFOUND, "no history for message %s", a->id);
    return rc;
}

static kq_rc kqs_history(kq *q, const char *id, kq_event **out, int *n)
{
    history_args a = {id, NULL, 0};
    kq_rc rc = kqs_read(q, history_fn, &a, 0);
    if (rc != KQ_OK) {
        kq_history_free(a.v, a.n);
        return rc;
    }
    *out = a.v;
    *n = a.n;
    return KQ_OK;
}

/* ---- batches ------------------------------------------------------------ */

static kq_rc kqs_begin(kq *q)
{
    kqs *s = S(q);
    if (s->in_batch) return kq__err(q, KQ_EINVAL, "a batch is already open on this handle");
    for (int attempt = 0; attempt < KQS_TRIES; attempt++) {
        if (attempt) backoff(s, attempt);
        kq_rc rc = run(q, S_BEGIN, "starting a batch");
        if (rc == KQ_OK) {
            s->in_batch = 1;
            s->batch_rc = KQ_OK;
            return KQ_OK;
        }
        if (rc != KQ_EBUSY) return rc;
    }
    return kq__err(q, KQ_EBUSY, "%s: other writers held the store for over %d ms, %d times", s->path,
                   q->busy_timeout_ms, KQS_TRIES);
}

static kq_rc kqs_commit(kq *q)
{
    kqs *s = S(q);
    if (!s->in_batch) return kq__err(q, KQ_EINVAL, "no batch is open on this handle");
    s->in_batch = 0;
    if (s->batch_rc != KQ_OK) {
        kq_rc rc = s->batch_rc;
        rollback_quietly(q);
        return kq__err(q, rc, "batch rolled back: a call in it failed (%s)", kq_strerror(rc));
    }
    /* COMMIT can meet SQLITE_BUSY only in corner cases (we hold the write
     * lock); SQLite keeps the transaction open then, so try again. */
    kq_rc rc = KQ_EBUSY;
    for (int attempt = 0; attempt < KQS_TRIES && rc == KQ_EBUSY; attempt++) {
        if (attempt) backoff(s, attempt);
        rc = run(q, S_COMMIT, "committing the batch");
    }
    if (rc != KQ_OK) rollback_quietly(q);
    return rc;
}

static kq_rc kqs_rollback(kq *q)
{
    kqs *s = S(q);
    if (!s->in_batch) return kq__err(q, KQ_EINVAL, "no batch is open on this handle");
    s->in_batch = 0;
    rollback_quietly(q);
    return KQ_OK;
}

const kq_backend kq_sqlite_backend = {
    .scheme = "sqlite",
    .open = kqs_open,
    .close = kqs_close,
    .put = kqs_put,
    .claim = kqs_claim,
    .settle = kqs_settle,
    .ack_next = kqs_ack_next,
    .admin = kqs_admin,
    .purge = kqs_purge,
    .reap = kqs_reap,
    .check = kqs_check,
    .get = kqs_get,
    .list = kqs_list,
    .counts = kqs_counts,
    .history = kqs_history,
    .begin = kqs_begin,
    .commit = kqs_commit,
    .rollback = kqs_rollback,
};
