/* test_kq_ops.c - every kq operation and state transition, on a clock that
 * only the test moves: leases, delays, fencing, idempotent put, dead
 * letters, staff actions, paging, batches, contention bounds, full disks,
 * foreign files and bad arguments. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <sqlite3.h>
#include <sys/stat.h>

#include "kqt.h"

#define T0 1700000000000LL /* an arbitrary epoch ms: tests never read the real clock */

typedef struct fx {
    char dir[512];
    char path[600];
    char url[700];
    kqt_clock clock;
    kq *q;
} fx;

static kq *open_q(fx *f)
{
    kq *q = NULL;
    kq_rc rc = kq_open(f->url, 0, &q);
    if (rc != KQ_OK) fail_msg("kq_open(%s): %s: %s", f->url, kq_strerror(rc), kq_errmsg(q));
    kq_set_clock(q, kqt_clock_fn, &f->clock);
    return q;
}

static int setup(void **state)
{
    fx *f = calloc(1, sizeof *f);
    kqt_mkdir(f->dir, sizeof f->dir);
    snprintf(f->path, sizeof f->path, "%s/queue.db", f->dir);
    snprintf(f->url, sizeof f->url, "sqlite:%s", f->path);
    f->clock.now = T0;
    f->q = open_q(f);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx *f = *state;
    kq_close(f->q);
    kqt_rmdir(f->dir);
    free(f);
    return 0;
}

#define OK(expr)                                                                                  \
    do {                                                                                          \
        kq_rc rc_ = (expr);                                                                       \
        if (rc_ != KQ_OK) fail_msg("%s: %s: %s", #expr, kq_strerror(rc_), kq_errmsg(f->q));      \
    } while (0)

static void put_s(fx *f, const char *topic, const char *id, int prio, const char *payload)
{
    OK(kq_put(f->q, topic, id, prio, payload, strlen(payload), 0));
}

static kq_msg *claim_ok(fx *f, const char *topic, const char *worker, int64_t lease)
{
    kq_msg *m = NULL;
    OK(kq_claim(f->q, topic, worker, lease, &m));
    assert_non_null(m);
    return m;
}

static kq_state state_of(fx *f, const char *id)
{
    kq_msg *m = NULL;
    OK(kq_get(f->q, id, &m));
    kq_state s = m->state;
    kq_msg_free(m);
    return s;
}

/* The history of id as "what:from>to" words, for compact assertions. */
static void history_str(fx *f, const char *id, char *buf, size_t len)
{
    kq_event *ev;
    int n;
    OK(kq_history(f->q, id, &ev, &n));
    buf[0] = '\0';
    for (int i = 0; i < n; i++) {
        size_t used = strlen(buf);
        snprintf(buf + used, len - used, "%s%s:%s>%s", i ? " " : "", ev[i].what, kq_state_name(ev[i].from),
                 kq_state_name(ev[i].to));
    }
    kq_history_free(ev, n);
}

/* ---- lifecycle and names ------------------------------------------------ */

static void test_null_and_names(void **state)
{
    (void)state;
    kq_close(NULL);
    kq_msg_free(NULL);
    kq_list_free(NULL, 0);
    kq_history_free(NULL, 0);
    assert_string_equal(kq_errmsg(NULL), "out of memory");
    for (int rc = 0; rc <= KQ_EINTERNAL; rc++) {
        assert_non_null(kq_strerror(rc));
        assert_string_not_equal(kq_strerror(rc), "unknown error");
        for (int j = 0; j < rc; j++) assert_string_not_equal(kq_strerror(rc), kq_strerror(j));
    }
    assert_string_equal(kq_strerror(999), "unknown error");
    assert_string_equal(kq_strerror(-1), "unknown error");
    for (int s = KQ_STATE_ANY; s <= KQ_CANCELLED; s++) {
        kq_state back;
        assert_int_equal(kq_state_from_name(kq_state_name((kq_state)s), &back), KQ_OK);
        assert_int_equal(back, s);
    }
    kq_state st;
    assert_int_equal(kq_state_from_name("nope", &st), KQ_EINVAL);
    assert_int_equal(kq_state_from_name(NULL, &st), KQ_EINVAL);
    assert_string_equal(kq_state_name((kq_state)42), "?");
}

static void test_open_errors(void **state)
{
    fx *f = *state;
    kq *q = (kq *)1;
    assert_int_equal(kq_open(NULL, 0, &q), KQ_EINVAL);
    assert_non_null(q);
    assert_true(strlen(kq_errmsg(q)) > 0);
    /* A handle that only reports its failure refuses work. */
    assert_int_equal(kq_put(q, "t", "x", 0, "a", 1, 0), KQ_EINVAL);
    assert_string_equal(kq_errmsg(q), "the queue is not open");
    kq_close(q);
    assert_int_equal(kq_open("x", 0, NULL), KQ_EINVAL);

    struct {
        const char *url;
        int flags;
        kq_rc want;
    } cases[] = {
        {"", 0, KQ_EINVAL},
        {"queue.db", 0, KQ_EINVAL},
        {"nats://localhost:4222", 0, KQ_ENOTSUP},
        {"sqlite:", 0, KQ_EINVAL},
        {"sqlite:?max_page_count=5", 0, KQ_EINVAL},
        {"sqlite:/nonexistent-kq-dir/sub/q.db", 0, KQ_EOPEN},
        {"sqlite:/tmp/kq-never-there.db", KQ_OPEN_EXISTING, KQ_EOPEN},
        {"sqlite:/tmp/kq-x.db", 0x100, KQ_EINVAL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        q = NULL;
        kq_rc rc = kq_open(cases[i].url, cases[i].flags, &q);
        if (rc != cases[i].want)
            fail_msg("%s: got %s, want %s (%s)", cases[i].url, kq_strerror(rc), kq_strerror(cases[i].want),
                     kq_errmsg(q));
        assert_non_null(q);
        assert_true(strlen(kq_errmsg(q)) > 0);
        kq_close(q);
    }

    char url[800];
    snprintf(url, sizeof url, "sqlite:%s/o.db?journal=off", f->dir);
    assert_int_equal(kq_open(url, 0, &q), KQ_ENOTSUP);
    assert_non_null(strstr(kq_errmsg(q), "journal=off"));
    kq_close(q);
    snprintf(url, sizeof url, "sqlite:%s/o.db?max_page_count=-3", f->dir);
    assert_int_equal(kq_open(url, 0, &q), KQ_EINVAL);
    kq_close(q);
    snprintf(url, sizeof url, "sqlite:%s/o.db?max_page_count=", f->dir);
    assert_int_equal(kq_open(url, 0, &q), KQ_EINVAL);
    kq_close(q);

    /* An existing store opens with KQ_OPEN_EXISTING. */
    assert_int_equal(kq_open(f->url, KQ_OPEN_EXISTING, &q), KQ_OK);
    assert_string_equal(kq_errmsg(q), "");
    kq_close(q);
}

static void raw_exec(const char *path, const char *sql)
{
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    char *err = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK) fail_msg("%s: %s", sql, err);
    sqlite3_close(db);
}

static void test_foreign_files(void **state)
{
    fx *f = *state;
    char path[700], url[800];
    kq *q;

    /* Not a database at all. */
    snprintf(path, sizeof path, "%s/text.db", f->dir);
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    for (int i = 0; i < 200; i++) fputs("this is not a database, it is a shopping list\n", fp);
    fclose(fp);
    snprintf(url, sizeof url, "sqlite:%s", path);
    assert_int_equal(kq_open(url, 0, &q), KQ_ECORRUPT);
    assert_non_null(strstr(kq_errmsg(q), "not a queue store"));
    kq_close(q);

    /* Somebody else's database: refused, and left alone. */
    snprintf(path, sizeof path, "%s/other.db", f->dir);
    raw_exec(path, "CREATE TABLE orders(x)");
    snprintf(url, sizeof url, "sqlite:%s", path);
    assert_int_equal(kq_open(url, 0, &q), KQ_ECORRUPT);
    kq_close(q);
    raw_exec(path, "PRAGMA application_id = 1234");
    assert_int_equal(kq_open(url, 0, &q), KQ_ECORRUPT);
    assert_non_null(strstr(kq_errmsg(q), "another application"));
    kq_close(q);

    /* A store from a newer kq. */
    put_s(f, "t", "a", 0, "x");
    kq_close(f->q);
    f->q = NULL;
    raw_exec(f->path, "PRAGMA user_version = 99");
    assert_int_equal(kq_open(f->url, 0, &q), KQ_EVERSION);
    assert_non_null(strstr(kq_errmsg(q), "99"));
    kq_close(q);
    raw_exec(f->path, "PRAGMA user_version = 1");
    f->q = open_q(f);
    assert_int_equal(state_of(f, "a"), KQ_READY);
}

static void test_schema_marks_and_reopen(void **state)
{
    fx *f = *state;
    put_s(f, "orders", "A-1", 3, "{\"qty\":2}");
    kq_close(f->q);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(st, 0), 1);
    sqlite3_finalize(st);
    assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(st, 0), "wal");
    sqlite3_finalize(st);
    sqlite3_close(db);
    f->q = open_q(f);
    kq_msg *m;
    OK(kq_get(f->q, "A-1", &m));
    assert_int_equal(m->priority, 3);
    assert_string_equal((const char *)m->payload, "{\"qty\":2}");
    kq_msg_free(m);
    /* A second handle on the same file at the same time. */
    kq *q2 = NULL;
    assert_int_equal(kq_open(f->url, 0, &q2), KQ_OK);
    assert_int_equal(kq_put(q2, "orders", "A-2", 0, "y", 1, 0), KQ_OK);
    kq_close(q2);
    assert_int_equal(state_of(f, "A-2"), KQ_READY);
    OK(kq_check(f->q));
}

/* ---- put and get -------------------------------------------------------- */

static void test_put_get(void **state)
{
    fx *f = *state;
    static const unsigned char bin[] = {0, 1, 2, 0xff, 0, 'x'};
    OK(kq_set_name(f->q, "kiosk-gate-1"));
    OK(kq_put(f->q, "orders", "A-1", 7, bin, sizeof bin, 0));
    OK(kq_put(f->q, "orders", "A-empty", 0, NULL, 0, 0));
    kq_msg *m;
    OK(kq_get(f->q, "A-1", &m));
    assert_string_equal(m->id, "A-1");
    assert_string_equal(m->topic, "orders");
    assert_int_equal(m->priority, 7);
    assert_int_equal(m->payload_len, sizeof bin);
    assert_memory_equal(m->payload, bin, sizeof bin);
    assert_int_equal(((const char *)m->payload)[sizeof bin], 0);
    assert_int_equal(m->state, KQ_READY);
    assert_int_equal(m->attempts, 0);
    assert_int_equal(m->max_attempts, KQ_DEFAULT_MAX_ATTEMPTS);
    assert_int_equal(m->generation, 0);
    assert_int_equal(m->created_ms, T0);
    assert_int_equal(m->updated_ms, T0);
    assert_int_equal(m->not_before_ms, T0);
    assert_int_equal(m->lease_until_ms, 0);
    assert_null(m->worker);
    assert_null(m->last_reason);
    assert_string_equal(m->token, "");
    kq_msg_free(m);
    OK(kq_get(f->q, "A-empty", &m));
    assert_int_equal(m->payload_len, 0);
    assert_string_equal((const char *)m->payload, "");
    kq_msg_free(m);
    assert_int_equal(kq_get(f->q, "nope", &m), KQ_ENOTFOUND);
    assert_null(m);
    assert_non_null(strstr(kq_errmsg(f->q), "nope"));

    kq_event *ev;
    int n;
    OK(kq_history(f->q, "A-1", &ev, &n));
    assert_int_equal(n, 1);
    assert_string_equal(ev[0].what, "put");
    assert_string_equal(ev[0].who, "kiosk-gate-1");
    assert_int_equal(ev[0].at_ms, T0);
    assert_int_equal(ev[0].from, KQ_STATE_ANY);
    assert_int_equal(ev[0].to, KQ_READY);
    kq_history_free(ev, n);
    assert_int_equal(kq_history(f->q, "nope", &ev, &n), KQ_ENOTFOUND);
}

static void test_put_idempotent(void **state)
{
    fx *f = *state;
    put_s(f, "orders", "A-1", 1, "milk x2");
    f->clock.now += 10;
    /* A retry after a lost reply: the same message, nothing new. */
    OK(kq_put(f->q, "orders", "A-1", 9, "milk x2", 7, T0 + 99999));
    kq_msg *m;
    OK(kq_get(f->q, "A-1", &m));
    assert_int_equal(m->priority, 1);
    assert_int_equal(m->created_ms, T0);
    assert_int_equal(m->not_before_ms, T0);
    kq_msg_free(m);
    char h[256];
    history_str(f, "A-1", h, sizeof h);
    assert_string_equal(h, "put:any>ready");

    /* The same id for something else is a conflict, and changes nothing. */
    assert_int_equal(kq_put(f->q, "orders", "A-1", 1, "milk x3", 7, 0), KQ_ECONFLICT);
    assert_non_null(strstr(kq_errmsg(f->q), "another payload"));
    assert_int_equal(kq_put(f->q, "print", "A-1", 1, "milk x2", 7, 0), KQ_ECONFLICT);
    assert_non_null(strstr(kq_errmsg(f->q), "orders"));
    assert_int_equal(kq_put(f->q, "orders", "A-1", 1, "milk x", 6, 0), KQ_ECONFLICT);

    /* Still idempotent after the message is finished. */
    kq_msg *c = claim_ok(f, "orders", "w", 1000);
    OK(kq_ack(f->q, c->id, c->token));
    kq_msg_free(c);
    OK(kq_put(f->q, "orders", "A-1", 1, "milk x2", 7, 0));
    assert_int_equal(state_of(f, "A-1"), KQ_DONE);
    kq_counts k;
    OK(kq_count(f->q, NULL, &k));
    assert_int_equal(k.total, 1);
    assert_int_equal(k.done, 1);
}

/* ---- claim order -------------------------------------------------------- */

static void test_claim_order(void **state)
{
    fx *f = *state;
    put_s(f, "orders", "old-low", 0, "a");
    f->clock.now += 1;
    put_s(f, "orders", "mid-high", 5, "b");
    put_s(f, "orders", "mid-high-2", 5, "c"); /* same ms: insertion order decides */
    f->clock.now += 1;
    put_s(f, "orders", "new-low", 0, "d");
    put_s(f, "orders", "new-urgent", 9, "e");
    put_s(f, "print", "other-topic", 99, "f");
    OK(kq_put(f->q, "orders", "later", 100, "g", 1, f->clock.now + 5000));
    const char *want[] = {"new-urgent", "mid-high", "mid-high-2", "old-low", "new-low"};
    for (size_t i = 0; i < 5; i++) {
        kq_msg *m = claim_ok(f, "orders", "w", 60000);
        assert_string_equal(m->id, want[i]);
        assert_string_equal(m->topic, "orders");
        assert_int_equal(m->state, KQ_CLAIMED);
        assert_int_equal(m->attempts, 1);
        assert_int_equal(m->generation, 1);
        assert_string_equal(m->worker, "w");
        assert_int_equal(m->lease_until_ms, f->clock.now + 60000);
        assert_true(strlen(m->token) > 2);
        kq_msg_free(m);
    }
    /* Respecting not-before: "later" is top priority but not due. */
    kq_msg *m = (kq_msg *)1;
    assert_int_equal(kq_claim(f->q, "orders", "w", 1000, &m), KQ_EMPTY);
    assert_null(m);
    assert_int_equal(kq_claim(f->q, "nothing-here", "w", 1000, &m), KQ_EMPTY);
    kq_counts k;
    OK(kq_count(f->q, "orders", &k));
    assert_int_equal(k.ready, 1);
    assert_int_equal(k.delayed, 1);
    assert_int_equal(k.claimed, 5);
    f->clock.now += 4999;
    assert_int_equal(kq_claim(f->q, "orders", "w", 1000, &m), KQ_EMPTY);
    f->clock.now += 1;
    m = claim_ok(f, "orders", "w", 1000);
    assert_string_equal(m->id, "later");
    kq_msg_free(m);
    m = claim_ok(f, "print", "w", 1000);
    assert_string_equal(m->id, "other-topic");
    kq_msg_free(m);
}

/* ---- settle: ack, extend, nack, release --------------------------------- */

static void test_ack_and_history(void **state)
{
    fx *f = *state;
    put_s(f, "orders", "A-1", 0, "x");
    f->clock.now += 100;
    kq_msg *m = claim_ok(f, "orders", "vol-li", 30000);
    f->clock.now += 100;
    OK(kq_ack(f->q, "A-1", m->token));
    kq_msg *g;
    OK(kq_get(f->q, "A-1", &g));
    assert_int_equal(g->state, KQ_DONE);
    assert_int_equal(g->updated_ms, T0 + 200);
    assert_int_equal(g->lease_until_ms, 0);
    assert_string_equal(g->worker, "vol-li"); /* who finished it stays visible */
    kq_msg_free(g);
    /* Acking twice, or anything else with the finished claim: stale. */
    assert_int_equal(kq_ack(f->q, "A-1", m->token), KQ_ESTALE);
    assert_non_null(strstr(kq_errmsg(f->q), "done"));
    assert_int_equal(kq_extend(f->q, "A-1", m->token, 1000), KQ_ESTALE);
    assert_int_equal(kq_release(f->q, "A-1", m->token), KQ_ESTALE);
    assert_int_equal(kq_nack(f->q, "A-1", m->token, 0, "x"), KQ_ESTALE);
    assert_int_equal(kq_ack(f->q, "nope", m->token), KQ_ENOTFOUND);
    kq_msg_free(m);

    kq_event *ev;
    int n;
    OK(kq_history(f->q, "A-1", &ev, &n));
    assert_int_equal(n, 3);
    assert_string_equal(ev[1].what, "claim");
    assert_string_equal(ev[1].who, "vol-li");
    assert_int_equal(ev[1].at_ms, T0 + 100);
    assert_int_equal(ev[1].attempt, 1);
    assert_string_equal(ev[2].what, "ack");
    assert_string_equal(ev[2].who, "vol-li");
    assert_int_equal(ev[2].from, KQ_CLAIMED);
    assert_int_equal(ev[2].to, KQ_DONE);
    assert_true(ev[0].seq < ev[1].seq && ev[1].seq < ev[2].seq);
    kq_history_free(ev, n);
    OK(kq_check(f->q));
}

static void test_ack_next(void **state)
{
    fx *f = *state;
    put_s(f, "orders", "a", 1, "x");
    put_s(f, "orders", "b", 0, "y");
    kq_msg *m = claim_ok(f, "orders", "vol", 1000);
    assert_string_equal(m->id, "a");
    kq_msg *next = (kq_msg *)1;
    assert_int_equal(kq_ack_next(f->q, "a", m->token, "orders", "vol", 1000, NULL), KQ_EINVAL);
    assert_int_equal(kq_ack_next(f->q, "a", m->token, "", "vol", 1000, &next), KQ_EINVAL);
    assert_null(next);
    OK(kq_ack_next(f->q, "a", m->token, "orders", "vol", 2000, &next));
    assert_string_equal(next->id, "b");
    assert_int_equal(next->lease_until_ms, f->clock.now + 2000);
    assert_int_equal(state_of(f, "a"), KQ_DONE);
    /* A stale ack claims nothing. */
    put_s(f, "orders", "c", 0, "z");
    kq_msg *none = (kq_msg *)1;
    assert_int_equal(kq_ack_next(f->q, "a", m->token, "orders", "vol", 1000, &none), KQ_ESTALE);
    assert_null(none);
    assert_int_equal(state_of(f, "c"), KQ_READY);
    kq_msg_free(m);
    OK(kq_claim(f->q, "orders", "other", 1000, &m));
    assert_string_equal(m->id, "c");
    OK(kq_ack(f->q, "c", m->token));
    kq_msg_free(m);
    /* Nothing left: the ack stands, and KQ_EMPTY says there is no next. */
    kq_msg *b = NULL;
    OK(kq_get(f->q, "b", &b));
    assert_string_equal(b->token, "");
    kq_msg_free(b);
    assert_int_equal(kq_ack_next(f->q, "b", next->token, "orders", "vol", 1000, &b), KQ_EMPTY);
    assert_null(b);
    assert_int_equal(state_of(f, "b"), KQ_DONE);
    kq_msg_free(next);
    char h[256];
    history_str(f, "b", h, sizeof h);
    assert_string_equal(h, "put:any>ready claim:ready>claimed ack:claimed>done");
    OK(kq_check(f->q));
}

static void test_stale_tokens(void **state)
{
    fx *f = *state;
    put_s(f, "orders", "A-1", 0, "x");
    put_s(f, "orders", "A-2", 0, "y");
    kq_msg *m1 = claim_ok(f, "orders", "vol-a", 1000);
    assert_string_equal(m1->id, "A-1");
    f->clock.now += 1000; /* vol-a's lease is over */
    kq_msg *m2 = claim_ok(f, "orders", "vol-b", 1000);
    assert_string_equal(m2->id, "A-1");
    assert_int_equal(m2->generation, 2);
    assert_string_not_equal(m1->token, m2->token);

    /* The late volunteer cannot touch the ticket vol-b holds now. */
    assert_int_equal(kq_ack(f->q, "A-1", m1->token), KQ_ESTALE);
    assert_non_null(strstr(kq_errmsg(f->q), "claimed again"));
    assert_int_equal(kq_extend(f->q, "A-1", m1->token, 5000), KQ_ESTALE);
    assert_int_equal(kq_release(f->q, "A-1", m1->token), KQ_ESTALE);
    assert_int_equal(kq_nack(f->q, "A-1", m1->token, 0, "late"), KQ_ESTALE);
    kq_msg *g;
    OK(kq_get(f->q, "A-1", &g));
    assert_int_equal(g->state, KQ_CLAIMED);
    assert_string_equal(g->worker, "vol-b");
    assert_int_equal(g->lease_until_ms, f->clock.now + 1000);
    assert_int_equal(g->generation, 2);
    kq_msg_free(g);

    /* A token of another message, a forged nonce, garbage. */
    kq_msg *m3 = claim_ok(f, "orders", "vol-c", 1000);
    assert_string_equal(m3->id, "A-2");
    assert_int_equal(kq_ack(f->q, "A-1", m3->token), KQ_ESTALE);
    char forged[KQ_TOKEN_SIZE];
    snprintf(forged, sizeof forged, "2.%016x", 0x1234);
    assert_int_equal(kq_ack(f->q, "A-1", forged), KQ_ESTALE);
    assert_non_null(strstr(kq_errmsg(f->q), "does not belong"));
    snprintf(forged, sizeof forged, "7.%s", strchr(m2->token, '.') + 1);
    assert_int_equal(kq_ack(f->q, "A-1", forged), KQ_ESTALE);
    const char *bad[] = {"", "2", "2.", ".0123456789abcdef", "2.0123456789abcde", "2.0123456789abcdefa",
                         "2.0123456789ABCDEF", "x.0123456789abcdef", "99999999999999999999999.0123456789abcdef",
                         "2.0123456789abcdeg"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        if (kq_ack(f->q, "A-1", bad[i]) != KQ_EINVAL) fail_msg("token '%s' accepted", bad[i]);
    }
    assert_int_equal(kq_ack(f->q, "A-1", NULL), KQ_EINVAL);
    assert_int_equal(state_of(f, "A-1"), KQ_CLAIMED);

    /* The current holder's token still works. */
    OK(kq_ack(f->q, "A-1", m2->token));
    OK(kq_ack(f->q, "A-2", m3->token));
    kq_msg_free(m1);
    kq_msg_free(m2);
    kq_msg_free(m3);
    char h[256];
    history_str(f, "A-1", h, sizeof h);
    assert_string_equal(h, "put:any>ready claim:ready>claimed expire:claimed>ready claim:ready>claimed "
                           "ack:claimed>done");
    OK(kq_check(f->q));
}

static void test_lease_expiry_and_extend(void **state)
{
    fx *f = *state;
    put_s(f, "orders", "A-1", 0, "x");
    kq_msg *m = claim_ok(f, "orders", "vol-a", 1000);
    f->clock.now += 999;
    OK(kq_extend(f->q, "A-1", m->token, 5000)); /* a heartbeat: now + 5000 */
    kq_msg *g;
    OK(kq_get(f->q, "A-1", &g));
    assert_int_equal(g->lease_until_ms, T0 + 999 + 5000);
    assert_int_equal(g->updated_ms, T0); /* not a state change */
    kq_msg_free(g);
    f->clock.now += 4999;
    assert_int_equal(kq_claim(f->q, "orders", "vol-b", 1000, &g), KQ_EMPTY);
    f->clock.now += 1; /* the lease ends exactly now */

    /* Over, even though nobody claimed it since. */
    assert_int_equal(kq_ack(f->q, "A-1", m->token), KQ_ESTALE);
    assert_non_null(strstr(kq_errmsg(f->q), "expired"));
    assert_int_equal(kq_extend(f->q, "A-1", m->token, 5000), KQ_ESTALE);
    kq_counts k;
    OK(kq_count(f->q, NULL, &k));
    assert_int_equal(k.claimed, 1);
    assert_int_equal(k.expired, 1);
    int64_t n = -1;
    OK(kq_reap(f->q, &n));
    assert_int_equal(n, 1);
    OK(kq_reap(f->q, &n));
    assert_int_equal(n, 0);
    OK(kq_reap(f->q, NULL));
    OK(kq_get(f->q, "A-1", &g));
    assert_int_equal(g->state, KQ_READY);
    assert_int_equal(g->attempts, 1); /* a worker that vanished used its attempt */
    assert_int_equal(g->lease_until_ms, 0);
    assert_string_equal(g->last_reason, "lease expired");
    kq_msg_free(g);
    kq_event *ev;
    int ne;
    OK(kq_history(f->q, "A-1", &ev, &ne));
    assert_int_equal(ne, 3);
    assert_string_equal(ev[2].what, "expire");
    assert_string_equal(ev[2].who, "kq");
    assert_non_null(strstr(ev[2].detail, "vol-a"));
    kq_history_free(ev, ne);
    kq_msg_free(m);
    m = claim_ok(f, "orders", "vol-b", 1000);
    assert_int_equal(m->attempts, 2);
    kq_msg_free(m);
    OK(kq_check(f->q));
}

static void test_nack_delay_and_dead_letter(void **state)
{
    fx *f = *state;
    OK(kq_set_max_attempts(f->q, 3));
    put_s(f, "orders", "A-1", 0, "x");
    for (int attempt = 1; attempt <= 3; attempt++) {
        kq_msg *m = claim_ok(f, "orders", "vol", 10000);
        assert_int_equal(m->attempts, attempt);
        assert_int_equal(m->max_attempts, 3);
        OK(kq_nack(f->q, "A-1", m->token, 500, "nobody home"));
        kq_msg_free(m);
        kq_msg *g;
        OK(kq_get(f->q, "A-1", &g));
        assert_string_equal(g->last_reason, "nobody home");
        if (attempt < 3) {
            assert_int_equal(g->state, KQ_READY);
            assert_int_equal(g->not_before_ms, f->clock.now + 500);
            kq_msg_free(g);
            assert_int_equal(kq_claim(f->q, "orders", "vol", 1000, &g), KQ_EMPTY);
            f->clock.now += 499;
            assert_int_equal(kq_claim(f->q, "orders", "vol", 1000, &g), KQ_EMPTY);
            f->clock.now += 1;
        } else {
            assert_int_equal(g->state, KQ_DEAD);
            kq_msg_free(g);
        }
    }
    kq_msg *m;
    f->clock.now += 100000;
    assert_int_equal(kq_claim(f->q, "orders", "vol", 1000, &m), KQ_EMPTY);
    kq_counts k;
    OK(kq_count(f->q, NULL, &k));
    assert_int_equal(k.dead, 1);
    assert_int_equal(k.total, 1);
    char h[512];
    history_str(f, "A-1", h, sizeof h);
    assert_string_equal(h, "put:any>ready claim:ready>claimed nack:claimed>ready claim:ready>claimed "
                           "nack:claimed>ready claim:ready>claimed nack:claimed>dead");

    /* Staff bring it back with fresh attempts. */
    OK(kq_requeue(f->q, "A-1", "admin-wang"));
    kq_msg *g;
    OK(kq_get(f->q, "A-1", &g));
    assert_int_equal(g->state, KQ_READY);
    assert_int_equal(g->attempts, 0);
    assert_int_equal(g->not_before_ms, f->clock.now);
    kq_msg_free(g);
    kq_event *ev;
    int n;
    OK(kq_history(f->q, "A-1", &ev, &n));
    assert_string_equal(ev[n - 1].what, "requeue");
    assert_string_equal(ev[n - 1].who, "admin-wang");
    assert_int_equal(ev[n - 1].from, KQ_DEAD);
    kq_history_free(ev, n);
    m = claim_ok(f, "orders", "vol", 1000);
    assert_int_equal(m->attempts, 1);
    assert_int_equal(m->generation, 4);
    OK(kq_nack(f->q, "A-1", m->token, 0, NULL)); /* no reason: the last one stays */
    kq_msg_free(m);
    OK(kq_get(f->q, "A-1", &g));
    assert_int_equal(g->state, KQ_READY);
    assert_int_equal(g->not_before_ms, f->clock.now);
    assert_string_equal(g->last_reason, "nobody home");
    kq_msg_free(g);
    OK(kq_check(f->q));
}

static void test_expiry_to_dead(void **state)
{
    fx *f = *state;
    OK(kq_set_max_attempts(f->q, 1));
    put_s(f, "orders", "A-1", 0, "x");
    kq_msg *m = claim_ok(f, "orders", "vol", 1000);
    kq_msg_free(m);
    f->clock.now += 5000;
    /* The next claim expires the lease first, and it was the last attempt. */
    assert_int_equal(kq_claim(f->q, "orders", "vol", 1000, &m), KQ_EMPTY);
    assert_int_equal(state_of(f, "A-1"), KQ_DEAD);
    char h[256];
    history_str(f, "A-1", h, sizeof h);
    assert_string_equal(h, "put:any>ready claim:ready>claimed expire:claimed>dead");
    OK(kq_check(f->q));
}

static void test_release(void **state)
{
    fx *f = *state;
    OK(kq_set_max_attempts(f->q, 2));
    put_s(f, "orders", "A-1", 0, "x");
    /* Handing back untried, again and again, never uses attempts up. */
    for (int i = 0; i < 5; i++) {
        kq_msg *m = claim_ok(f, "orders", "vol", 1000);
        assert_int_equal(m->attempts, 1);
        assert_int_equal(m->generation, (uint64_t)i + 1);
        OK(kq_release(f->q, "A-1", m->token));
        assert_int_equal(kq_release(f->q, "A-1", m->token), KQ_ESTALE);
        kq_msg_free(m);
    }
    kq_msg *g;
    OK(kq_get(f->q, "A-1", &g));
    assert_int_equal(g->state, KQ_READY);
    assert_int_equal(g->attempts, 0);
    kq_msg_free(g);
    kq_event *ev;
    int n;
    OK(kq_history(f->q, "A-1", &ev, &n));
    assert_int_equal(n, 11);
    assert_string_equal(ev[10].what, "release");
    assert_int_equal(ev[10].attempt, 0);
    kq_history_free(ev, n);
    OK(kq_check(f->q));
}

/* ---- staff -------------------------------------------------------------- */

static void test_cancel_and_requeue(void **state)
{
    fx *f = *state;
    put_s(f, "orders", "ready", 0, "a");
    put_s(f, "orders", "held", 0, "b");
    put_s(f, "orders", "finished", 0, "c");
    OK(kq_cancel(f->q, "ready", "admin", "duplicate order"));
    kq_msg *g;
    OK(kq_get(f->q, "ready", &g));
    assert_int_equal(g->state, KQ_CANCELLED);
    assert_string_equal(g->last_reason, "duplicate order");
    kq_msg_free(g);
    assert_int_equal(kq_cancel(f->q, "ready", "admin", NULL), KQ_ESTATE);
    assert_non_null(strstr(kq_errmsg(f->q), "cancelled already"));

    kq_msg *m = claim_ok(f, "orders", "vol", 1000);
    assert_string_equal(m->id, "held");
    assert_int_equal(kq_cancel(f->q, "held", "admin", NULL), KQ_ESTATE);
    assert_non_null(strstr(kq_errmsg(f->q), "claimed by vol"));
    assert_int_equal(state_of(f, "held"), KQ_CLAIMED);
    assert_int_equal(kq_requeue(f->q, "held", "admin"), KQ_ESTATE);
    /* Once the lease is over, staff may cancel it. */
    f->clock.now += 1000;
    OK(kq_cancel(f->q, "held", "admin", NULL));
    assert_int_equal(kq_ack(f->q, "held", m->token), KQ_ESTALE);
    kq_msg_free(m);

    m = claim_ok(f, "orders", "vol", 1000);
    assert_string_equal(m->id, "finished");
    OK(kq_ack(f->q, "finished", m->token));
    kq_msg_free(m);
    assert_int_equal(kq_cancel(f->q, "finished", "admin", NULL), KQ_ESTATE);
    assert_int_equal(kq_requeue(f->q, "finished", "admin"), KQ_ESTATE);
    assert_int_equal(kq_cancel(f->q, "missing", "admin", NULL), KQ_ENOTFOUND);
    assert_int_equal(kq_requeue(f->q, "missing", "admin"), KQ_ENOTFOUND);

    /* A cancel by mistake can be undone. */
    OK(kq_requeue(f->q, "ready", "admin"));
    assert_int_equal(state_of(f, "ready"), KQ_READY);
    assert_int_equal(kq_requeue(f->q, "ready", "admin"), KQ_ESTATE);

    /* Dead messages can be cancelled (a decision, recorded). */
    OK(kq_set_max_attempts(f->q, 1));
    put_s(f, "orders", "doomed", 0, "d");
    OK(kq_cancel(f->q, "ready", "admin", NULL));
    m = claim_ok(f, "orders", "vol", 1000);
    assert_string_equal(m->id, "doomed");
    OK(kq_nack(f->q, "doomed", m->token, 0, "broken"));
    kq_msg_free(m);
    assert_int_equal(state_of(f, "doomed"), KQ_DEAD);
    OK(kq_cancel(f->q, "doomed", "admin", "customer withdrew"));
    char h[512];
    history_str(f, "doomed", h, sizeof h);
    assert_string_equal(h, "put:any>ready claim:ready>claimed nack:claimed>dead cancel:dead>cancelled");
    history_str(f, "held", h, sizeof h);
    assert_string_equal(h, "put:any>ready claim:ready>claimed expire:claimed>ready cancel:ready>cancelled");
    OK(kq_check(f->q));
}

static void test_list_and_counts(void **state)
{
    fx *f = *state;
    char id[32];
    for (int i = 0; i < 25; i++) {
        snprintf(id, sizeof id, "m%02d", i);
        OK(kq_put(f->q, i % 5 == 0 ? "print" : "orders", id, i % 3, "p", 1, 0));
        f->clock.now += 10;
    }
    /* Some claimed, some done, one cancelled. */
    for (int i = 0; i < 6; i++) {
        kq_msg *m = claim_ok(f, "orders", "vol", 100000);
        if (i % 2 == 0) OK(kq_ack(f->q, m->id, m->token));
        kq_msg_free(m);
    }
    OK(kq_cancel(f->q, "m00", "admin", NULL));

    kq_msg **v;
    int n;
    int64_t seen = 0;
    char prev[32] = "";
    for (int64_t off = 0;; off += 10) {
        OK(kq_list(f->q, KQ_STATE_ANY, NULL, off, 10, &v, &n));
        if (n == 0) {
            assert_null(v);
            break;
        }
        assert_true(n <= 10);
        for (int i = 0; i < n; i++) {
            assert_true(strcmp(prev, v[i]->id) < 0); /* oldest first */
            snprintf(prev, sizeof prev, "%s", v[i]->id);
            assert_string_equal(v[i]->token, "");
        }
        seen += n;
        kq_list_free(v, n);
    }
    assert_int_equal(seen, 25);

    kq_counts k, ko, kp;
    OK(kq_count(f->q, NULL, &k));
    OK(kq_count(f->q, "orders", &ko));
    OK(kq_count(f->q, "print", &kp));
    assert_int_equal(k.total, 25);
    assert_int_equal(k.done, 3);
    assert_int_equal(k.claimed, 3);
    assert_int_equal(k.cancelled, 1);
    assert_int_equal(k.ready, 18);
    assert_int_equal(k.dead, 0);
    assert_int_equal(k.delayed, 0);
    assert_int_equal(k.expired, 0);
    assert_int_equal(ko.total, 20);
    assert_int_equal(kp.total, 5);
    assert_int_equal(kp.cancelled, 1);

    const kq_state states[] = {KQ_READY, KQ_CLAIMED, KQ_DONE, KQ_DEAD, KQ_CANCELLED};
    const int64_t want[] = {18, 3, 3, 0, 1};
    for (int s = 0; s < 5; s++) {
        OK(kq_list(f->q, states[s], NULL, 0, KQ_LIST_MAX, &v, &n));
        assert_int_equal(n, want[s]);
        for (int i = 0; i < n; i++) assert_int_equal(v[i]->state, states[s]);
        kq_list_free(v, n);
    }
    OK(kq_list(f->q, KQ_READY, "print", 1, 2, &v, &n));
    assert_int_equal(n, 2);
    assert_string_equal(v[0]->id, "m10");
    assert_string_equal(v[1]->id, "m15");
    kq_list_free(v, n);
    OK(kq_list(f->q, KQ_STATE_ANY, "nobody", 0, 5, &v, &n));
    assert_int_equal(n, 0);

    f->clock.now += 100000; /* the three claims expire */
    OK(kq_count(f->q, NULL, &k));
    assert_int_equal(k.expired, 3);
}

static void test_purge(void **state)
{
    fx *f = *state;
    char id[32];
    /* More than one purge chunk of done messages, then younger ones. */
    OK(kq_begin(f->q));
    for (int i = 0; i < 600; i++) {
        snprintf(id, sizeof id, "old-%d", i);
        OK(kq_put(f->q, "orders", id, 0, "x", 1, 0));
        kq_msg *m = claim_ok(f, "orders", "vol", 1000);
        OK(kq_ack(f->q, m->id, m->token));
        kq_msg_free(m);
    }
    OK(kq_commit(f->q));
    f->clock.now += 10LL * 86400000;
    put_s(f, "orders", "young", 0, "x");
    kq_msg *m = claim_ok(f, "orders", "vol", 1000);
    OK(kq_ack(f->q, "young", m->token));
    kq_msg_free(m);
    put_s(f, "orders", "waiting", 0, "x");
    OK(kq_cancel(f->q, "waiting", "admin", NULL));

    int64_t n = -1;
    assert_int_equal(kq_purge(f->q, KQ_READY, 0, &n), KQ_EINVAL);
    assert_int_equal(kq_purge(f->q, KQ_DEAD, 0, &n), KQ_EINVAL);
    assert_int_equal(kq_purge(f->q, KQ_DONE, -1, &n), KQ_EINVAL);
    OK(kq_purge(f->q, KQ_DONE, 7LL * 86400000, &n));
    assert_int_equal(n, 600);
    OK(kq_purge(f->q, KQ_DONE, 7LL * 86400000, &n));
    assert_int_equal(n, 0);
    kq_event *ev;
    int ne;
    assert_int_equal(kq_history(f->q, "old-5", &ev, &ne), KQ_ENOTFOUND);
    assert_int_equal(kq_get(f->q, "old-5", &m), KQ_ENOTFOUND);
    assert_int_equal(state_of(f, "young"), KQ_DONE);
    OK(kq_purge(f->q, KQ_CANCELLED, 0, NULL));
    assert_int_equal(kq_get(f->q, "waiting", &m), KQ_ENOTFOUND);
    kq_counts k;
    OK(kq_count(f->q, NULL, &k));
    assert_int_equal(k.total, 1);
    OK(kq_check(f->q));
}

/* ---- batches and contention -------------------------------------------- */

static void test_batch(void **state)
{
    fx *f = *state;
    assert_int_equal(kq_commit(f->q), KQ_EINVAL);
    assert_int_equal(kq_rollback(f->q), KQ_EINVAL);
    OK(kq_begin(f->q));
    assert_int_equal(kq_begin(f->q), KQ_EINVAL);
    put_s(f, "orders", "b1", 0, "x");
    put_s(f, "orders", "b2", 0, "y");
    /* A failure about the message itself does not spoil the batch. */
    assert_int_equal(kq_put(f->q, "orders", "b1", 0, "other", 5, 0), KQ_ECONFLICT);
    kq_msg *m = claim_ok(f, "orders", "vol", 1000);
    assert_string_equal(m->id, "b1");
    assert_int_equal(kq_ack(f->q, "b2", m->token), KQ_ESTALE);
    OK(kq_ack(f->q, "b1", m->token));
    kq_msg_free(m);
    OK(kq_commit(f->q));
    assert_int_equal(state_of(f, "b1"), KQ_DONE);
    assert_int_equal(state_of(f, "b2"), KQ_READY);
    char h[256];
    history_str(f, "b1", h, sizeof h);
    assert_string_equal(h, "put:any>ready claim:ready>claimed ack:claimed>done");

    OK(kq_begin(f->q));
    put_s(f, "orders", "r1", 0, "x");
    m = claim_ok(f, "orders", "vol", 1000);
    kq_msg_free(m);
    OK(kq_rollback(f->q));
    assert_int_equal(kq_get(f->q, "r1", &m), KQ_ENOTFOUND);
    assert_int_equal(state_of(f, "b2"), KQ_READY);

    /* An open batch is dropped on close, never half-kept. */
    OK(kq_begin(f->q));
    put_s(f, "orders", "c1", 0, "x");
    kq_close(f->q);
    f->q = open_q(f);
    assert_int_equal(kq_get(f->q, "c1", &m), KQ_ENOTFOUND);
    OK(kq_check(f->q));
}

static void test_busy_bound(void **state)
{
    fx *f = *state;
    kq *other = NULL;
    assert_int_equal(kq_open(f->url, 0, &other), KQ_OK);
    assert_int_equal(kq_set_busy_timeout(other, 20), KQ_OK);
    put_s(f, "orders", "before", 0, "x");
    OK(kq_begin(f->q)); /* holds the write lock, as a stuck writer would */
    put_s(f, "orders", "inside", 0, "x");
    kq_rc rc = kq_put(other, "orders", "blocked", 0, "x", 1, 0);
    assert_int_equal(rc, KQ_EBUSY);
    assert_non_null(strstr(kq_errmsg(other), "other writers"));
    kq_msg *m;
    assert_int_equal(kq_claim(other, "orders", "w", 1000, &m), KQ_EBUSY);
    /* Readers are not held up by a writer (WAL). */
    assert_int_equal(kq_get(other, "before", &m), KQ_OK);
    kq_msg_free(m);
    assert_int_equal(kq_get(other, "inside", &m), KQ_ENOTFOUND);
    OK(kq_commit(f->q));
    assert_int_equal(kq_put(other, "orders", "blocked", 0, "x", 1, 0), KQ_OK);
    assert_int_equal(kq_get(other, "inside", &m), KQ_OK);
    kq_msg_free(m);
    kq_close(other);
}

/* ---- full disk ---------------------------------------------------------- */

static void test_disk_full(void **state)
{
    fx *f = *state;
    char url[800];
    snprintf(url, sizeof url, "%s?max_page_count=48", f->url);
    kq *q = NULL;
    assert_int_equal(kq_open(url, 0, &q), KQ_OK);
    char payload[3000];
    memset(payload, 'o', sizeof payload);
    char id[32];
    int ok = 0;
    kq_rc rc = KQ_OK;
    for (int i = 0; i < 1000 && rc == KQ_OK; i++) {
        snprintf(id, sizeof id, "order-%d", i);
        rc = kq_put(q, "orders", id, 0, payload, sizeof payload, 0);
        if (rc == KQ_OK) ok++;
    }
    /* A clear error, and the order that failed is not there. */
    assert_int_equal(rc, KQ_EFULL);
    assert_non_null(strstr(kq_errmsg(q), "full"));
    assert_true(ok > 5);
    kq_msg *m;
    assert_int_equal(kq_get(q, id, &m), KQ_ENOTFOUND);

    /* In a batch: the failure spoils it, and commit says so. */
    assert_int_equal(kq_begin(q), KQ_OK);
    rc = KQ_OK;
    for (int i = 0; i < 50 && rc == KQ_OK; i++) {
        snprintf(id, sizeof id, "batch-%d", i);
        rc = kq_put(q, "orders", id, 0, payload, 100, 0);
    }
    assert_int_equal(rc, KQ_EFULL);
    assert_int_equal(kq_put(q, "orders", "after", 0, "x", 1, 0), KQ_EFULL);
    assert_int_equal(kq_commit(q), KQ_EFULL);
    assert_int_equal(kq_get(q, "batch-0", &m), KQ_ENOTFOUND);

    /* Everything acknowledged is there and the store is sound. */
    for (int i = 0; i < ok; i++) {
        snprintf(id, sizeof id, "order-%d", i);
        assert_int_equal(kq_get(q, id, &m), KQ_OK);
        assert_int_equal(m->payload_len, sizeof payload);
        kq_msg_free(m);
    }
    assert_int_equal(kq_check(q), KQ_OK);
    kq_close(q);

    /* With room again, work goes on. */
    q = NULL;
    assert_int_equal(kq_open(f->url, 0, &q), KQ_OK);
    assert_int_equal(kq_put(q, "orders", "order-next", 0, "x", 1, 0), KQ_OK);
    kq_msg *c;
    assert_int_equal(kq_claim(q, "orders", "vol", 1000, &c), KQ_OK);
    assert_int_equal(kq_ack(q, c->id, c->token), KQ_OK);
    kq_msg_free(c);
    assert_int_equal(kq_check(q), KQ_OK);
    kq_close(q);
}

/* ---- integrity check ---------------------------------------------------- */

static void test_check_finds_damage(void **state)
{
    fx *f = *state;
    put_s(f, "orders", "A-1", 0, "x");
    put_s(f, "orders", "A-2", 0, "x");
    OK(kq_check(f->q));
    /* A row claimed without a lease, as a buggy writer would leave it. */
    raw_exec(f->path, "UPDATE kq_msg SET state = 2 WHERE id = 'A-1'");
    assert_int_equal(kq_check(f->q), KQ_ECORRUPT);
    assert_non_null(strstr(kq_errmsg(f->q), "A-1"));
    raw_exec(f->path, "UPDATE kq_msg SET state = 1 WHERE id = 'A-1'; DELETE FROM kq_history WHERE msg_id = 'A-2'");
    assert_int_equal(kq_check(f->q), KQ_ECORRUPT);
    assert_non_null(strstr(kq_errmsg(f->q), "without history"));
    raw_exec(f->path, "INSERT INTO kq_history(msg_id, n, at, who, event, from_state, to_state, attempt)"
                      " VALUES('A-2', 1, 0, 'x', 'put', 0, 1, 0);"
                      "UPDATE kq_msg SET state = 3 WHERE id = 'A-2'");
    assert_int_equal(kq_check(f->q), KQ_ECORRUPT);
    assert_non_null(strstr(kq_errmsg(f->q), "history does not explain"));
    raw_exec(f->path, "UPDATE kq_msg SET state = 1 WHERE id = 'A-2'");
    OK(kq_check(f->q));

    /* Damage to the file itself. */
    char filler[2000];
    memset(filler, 'z', sizeof filler);
    for (int i = 0; i < 40; i++) {
        char id[16];
        snprintf(id, sizeof id, "f%d", i);
        OK(kq_put(f->q, "orders", id, 0, filler, sizeof filler, 0));
    }
    kq_close(f->q);
    f->q = NULL;
    FILE *fp = fopen(f->path, "r+b");
    assert_non_null(fp);
    struct stat sb;
    assert_int_equal(stat(f->path, &sb), 0);
    assert_true(sb.st_size > 8 * 4096);
    /* Page headers, from the third page on: page 1 (the header and the
     * schema) stays readable, so that only the check can find it. */
    for (long page = 2; page * 4096 < sb.st_size; page++) {
        fseek(fp, page * 4096, SEEK_SET);
        fputs("garbage garbage garbage garbage", fp);
    }
    fclose(fp);
    kq *q = NULL;
    kq_rc rc = kq_open(f->url, 0, &q);
    if (rc == KQ_OK) rc = kq_check(q);
    assert_int_equal(rc, KQ_ECORRUPT);
    kq_close(q);
}

/* ---- bad arguments ------------------------------------------------------ */

static void test_bad_inputs(void **state)
{
    fx *f = *state;
    kq *q = f->q;
    kq_msg *m;
    kq_event *ev;
    kq_msg **v;
    int n;
    kq_counts k;
    char long_name[KQ_NAME_MAX + 2];
    memset(long_name, 'a', sizeof long_name);
    long_name[KQ_NAME_MAX + 1] = '\0';
    char max_name[KQ_NAME_MAX + 1];
    memset(max_name, 'b', sizeof max_name);
    max_name[KQ_NAME_MAX] = '\0';
    char long_reason[KQ_REASON_MAX + 2];
    memset(long_reason, 'r', sizeof long_reason);
    long_reason[KQ_REASON_MAX + 1] = '\0';

    /* NULL handle: refused, no crash. */
    assert_int_equal(kq_put(NULL, "t", "i", 0, "p", 1, 0), KQ_EINVAL);
    assert_int_equal(kq_claim(NULL, "t", "w", 1, &m), KQ_EINVAL);
    assert_int_equal(kq_ack(NULL, "i", "1.0000000000000000"), KQ_EINVAL);
    assert_int_equal(kq_get(NULL, "i", &m), KQ_EINVAL);
    assert_int_equal(kq_count(NULL, NULL, &k), KQ_EINVAL);
    assert_int_equal(kq_check(NULL), KQ_EINVAL);
    assert_int_equal(kq_begin(NULL), KQ_EINVAL);
    assert_int_equal(kq_set_max_attempts(NULL, 3), KQ_EINVAL);
    kq_set_clock(NULL, NULL, NULL);

    assert_int_equal(kq_put(q, NULL, "i", 0, "p", 1, 0), KQ_EINVAL);
    assert_int_equal(kq_put(q, "", "i", 0, "p", 1, 0), KQ_EINVAL);
    assert_int_equal(kq_put(q, "t", "", 0, "p", 1, 0), KQ_EINVAL);
    assert_int_equal(kq_put(q, "t", long_name, 0, "p", 1, 0), KQ_EINVAL);
    assert_non_null(strstr(kq_errmsg(q), "longer than"));
    assert_int_equal(kq_put(q, "t", max_name, 0, "p", 1, 0), KQ_OK);
    assert_int_equal(kq_put(q, "t", "bad\nid", 0, "p", 1, 0), KQ_EINVAL);
    assert_non_null(strstr(kq_errmsg(q), "control character"));
    assert_int_equal(kq_put(q, "t\x1b[2J", "i", 0, "p", 1, 0), KQ_EINVAL);
    assert_int_equal(kq_put(q, "t", "i", 0, NULL, 5, 0), KQ_EINVAL);
    assert_int_equal(kq_put(q, "t", "i", 0, "p", (size_t)KQ_PAYLOAD_MAX + 1, 0), KQ_EINVAL);
    assert_int_equal(kq_put(q, "t", "i", 0, "p", 1, -5), KQ_EINVAL);
    assert_int_equal(kq_put(q, "t", "中文订单-1", 0, "p", 1, 0), KQ_OK); /* UTF-8 is fine */

    assert_int_equal(kq_claim(q, "t", "w", 1000, NULL), KQ_EINVAL);
    assert_int_equal(kq_claim(q, "t", "", 1000, &m), KQ_EINVAL);
    assert_int_equal(kq_claim(q, "t", "w", 0, &m), KQ_EINVAL);
    assert_int_equal(kq_claim(q, "t", "w", -1, &m), KQ_EINVAL);
    assert_int_equal(kq_claim(q, "t", "w", KQ_LEASE_MAX_MS + 1, &m), KQ_EINVAL);
    assert_null(m);
    m = claim_ok(f, "t", "w", KQ_LEASE_MAX_MS);
    assert_int_equal(kq_extend(q, m->id, m->token, 0), KQ_EINVAL);
    assert_int_equal(kq_nack(q, m->id, m->token, -1, NULL), KQ_EINVAL);
    assert_int_equal(kq_nack(q, m->id, m->token, 0, long_reason), KQ_EINVAL);
    assert_int_equal(kq_ack(q, NULL, m->token), KQ_EINVAL);
    assert_int_equal(state_of(f, m->id), KQ_CLAIMED);
    kq_msg_free(m);

    assert_int_equal(kq_cancel(q, "i", NULL, NULL), KQ_EINVAL);
    assert_int_equal(kq_cancel(q, "i", "admin", long_reason), KQ_EINVAL);
    assert_int_equal(kq_requeue(q, "i", ""), KQ_EINVAL);
    assert_int_equal(kq_get(q, "i", NULL), KQ_EINVAL);
    assert_int_equal(kq_list(q, (kq_state)9, NULL, 0, 10, &v, &n), KQ_EINVAL);
    assert_int_equal(kq_list(q, KQ_READY, NULL, -1, 10, &v, &n), KQ_EINVAL);
    assert_int_equal(kq_list(q, KQ_READY, NULL, 0, 0, &v, &n), KQ_EINVAL);
    assert_int_equal(kq_list(q, KQ_READY, NULL, 0, KQ_LIST_MAX + 1, &v, &n), KQ_EINVAL);
    assert_int_equal(kq_list(q, KQ_READY, "", 0, 10, &v, &n), KQ_EINVAL);
    assert_int_equal(kq_list(q, KQ_READY, NULL, 0, 10, NULL, &n), KQ_EINVAL);
    assert_int_equal(kq_count(q, NULL, NULL), KQ_EINVAL);
    assert_int_equal(kq_count(q, "", &k), KQ_EINVAL);
    assert_int_equal(kq_history(q, "i", NULL, &n), KQ_EINVAL);
    assert_int_equal(kq_history(q, "", &ev, &n), KQ_EINVAL);
    assert_int_equal(kq_set_max_attempts(q, 0), KQ_EINVAL);
    assert_int_equal(kq_set_max_attempts(q, 1001), KQ_EINVAL);
    assert_int_equal(kq_set_busy_timeout(q, 0), KQ_EINVAL);
    assert_int_equal(kq_set_name(q, "a\tb"), KQ_EINVAL);
    OK(kq_check(q));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_null_and_names),
        cmocka_unit_test_setup_teardown(test_open_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_foreign_files, setup, teardown),
        cmocka_unit_test_setup_teardown(test_schema_marks_and_reopen, setup, teardown),
        cmocka_unit_test_setup_teardown(test_put_get, setup, teardown),
        cmocka_unit_test_setup_teardown(test_put_idempotent, setup, teardown),
        cmocka_unit_test_setup_teardown(test_claim_order, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ack_and_history, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ack_next, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stale_tokens, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lease_expiry_and_extend, setup, teardown),
        cmocka_unit_test_setup_teardown(test_nack_delay_and_dead_letter, setup, teardown),
        cmocka_unit_test_setup_teardown(test_expiry_to_dead, setup, teardown),
        cmocka_unit_test_setup_teardown(test_release, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cancel_and_requeue, setup, teardown),
        cmocka_unit_test_setup_teardown(test_list_and_counts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_purge, setup, teardown),
        cmocka_unit_test_setup_teardown(test_batch, setup, teardown),
        cmocka_unit_test_setup_teardown(test_busy_bound, setup, teardown),
        cmocka_unit_test_setup_teardown(test_disk_full, setup, teardown),
        cmocka_unit_test_setup_teardown(test_check_finds_damage, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_inputs, setup, teardown),
    };
    return cmocka_run_group_tests_name("kq_ops", tests, NULL, NULL);
}
