/* bench_kq.c - kq against the raw SQLite it is built on, in one run.
 *
 *   bench_kq [DIR] [-n N] [-r ROUNDS]
 *
 * DIR (default $TMPDIR or /tmp) should be on the disk the kiosk uses: with
 * synchronous=FULL every commit waits for the disk, so the disk sets the
 * numbers and only the ratios travel between machines. Raw and kq run in
 * alternating slices of 50 operations, so that a disk's good and bad
 * moments hit both alike; each figure is the median of ROUNDS such runs
 * (default 3).
 *
 * The raw side is what an application would write without kq: the same
 * columns and primary key, the same pragmas (WAL, synchronous=FULL), a
 * prepared INSERT, one row per commit or many; for claim and ack, the one
 * index and the two UPDATEs a hand-written queue needs at the least. kq
 * does more per message (a history row, lease index, idempotency, fencing),
 * and the ratio says what that costs.
 */
#include "kq.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int64_t n_single = 2000;
static int rounds = 3;
static char base_dir[512];
static char payload[300];

#define BATCH 100
#define CLAIM_BATCH 16

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char *what, const char *detail)
{
    fprintf(stderr, "bench_kq: %s: %s\n", what, detail);
    exit(1);
}

/* A fresh store path for one run; removes what an earlier run left. */
static void fresh(char *path, size_t len, const char *name)
{
    snprintf(path, len, "%s/%s.db", base_dir, name);
    char p[600];
    unlink(path);
    snprintf(p, sizeof p, "%s-wal", path);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", path);
    unlink(p);
}

/* ---- the two sides --------------------------------------------------------- */

/* One side of a comparison: a store and what one operation on it is. */
typedef struct side {
    const char *name;
    void (*op)(struct side *sd, int64_t k); /* operation number k */
    kq *q;
    sqlite3 *db;
    sqlite3_stmt *ins, *claim, *ack;
    char path[600];
    double secs;
    int batch;
} side;

static void kq_must(kq *q, kq_rc rc, const char *what)
{
    if (rc != KQ_OK) die(what, kq_errmsg(q));
}

static void kq_side(side *sd, const char *file, int batch)
{
    fresh(sd->path, sizeof sd->path, file);
    char url[700];
    snprintf(url, sizeof url, "sqlite:%s", sd->path);
    if (kq_open(url, 0, &sd->q) != KQ_OK) die("kq_open", kq_errmsg(sd->q));
    sd->batch = batch;
}

static void kq_put_k(kq *q, int64_t k)
{
    char id[32];
    snprintf(id, sizeof id, "order-%08lld", (long long)k);
    kq_must(q, kq_put(q, "orders", id, (int)(k % 3), payload, sizeof payload, 0), "kq_put");
}

static void kq_op_put(side *sd, int64_t k)
{
    if (sd->batch > 1) kq_must(sd->q, kq_begin(sd->q), "kq_begin");
    for (int64_t i = 0; i < sd->batch; i++) kq_put_k(sd->q, k * sd->batch + i);
    if (sd->batch > 1) kq_must(sd->q, kq_commit(sd->q), "kq_commit");
}

static void kq_op_claim_ack(side *sd, int64_t k)
{
    (void)k;
    if (sd->batch > 1) kq_must(sd->q, kq_begin(sd->q), "kq_begin");
    for (int i = 0; i < sd->batch; i++) {
        kq_msg *m = NULL;
        kq_must(sd->q, kq_claim(sd->q, "orders", "bench", 60000, &m), "kq_claim");
        kq_must(sd->q, kq_ack(sd->q, m->id, m->token), "kq_ack");
        kq_msg_free(m);
    }
    if (sd->batch > 1) kq_must(sd->q, kq_commit(sd->q), "kq_commit");
}

/* A worker that goes straight on: each ack claims the next message in the
 * same transaction. The first claim is part of the first operation. */
static kq_msg *next_msg;

static void kq_op_ack_next(side *sd, int64_t k)
{
    if (!next_msg) kq_must(sd->q, kq_claim(sd->q, "orders", "bench", 60000, &next_msg), "kq_claim");
    kq_msg *m = next_msg;
    next_msg = NULL;
    kq_rc rc = kq_ack_next(sd->q, m->id, m->token, "orders", "bench", 60000, &next_msg);
    if (rc != KQ_OK && !(rc == KQ_EMPTY && k == 0)) kq_must(sd->q, rc, "kq_ack_next");
    kq_msg_free(m);
}

static void kq_fill(side *sd, int64_t n)
{
    kq_must(sd->q, kq_begin(sd->q), "kq_begin");
    for (int64_t k = 0; k < n; k++) kq_put_k(sd->q, k);
    kq_must(sd->q, kq_commit(sd->q), "kq_commit");
}

static void raw_exec(sqlite3 *db, const char *sql)
{
    char *err = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK) die(sql, err ? err : "?");
}

static void raw_prepare(sqlite3 *db, const char *sql, sqlite3_stmt **st)
{
    if (sqlite3_prepare_v2(db, sql, -1, st, NULL) != SQLITE_OK) die("prepare", sqlite3_errmsg(db));
}

/* The raw store: kq's columns and primary key, nothing else, unless the
 * side claims (then the one index a claim query needs). */
static void raw_side(side *sd, const char *file, int batch, int claims)
{
    fresh(sd->path, sizeof sd->path, file);
    if (sqlite3_open(sd->path, &sd->db) != SQLITE_OK) die("sqlite3_open", sqlite3_errmsg(sd->db));
    raw_exec(sd->db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;"
                     "CREATE TABLE msg(id TEXT PRIMARY KEY NOT NULL, topic TEXT NOT NULL,"
                     " priority INTEGER NOT NULL, payload BLOB NOT NULL, state INTEGER NOT NULL,"
                     " not_before INTEGER NOT NULL, created INTEGER NOT NULL, updated INTEGER NOT NULL,"
                     " attempts INTEGER NOT NULL, max_attempts INTEGER NOT NULL, gen INTEGER NOT NULL,"
                     " nonce INTEGER, lease_until INTEGER, worker TEXT, last_reason TEXT)");
    if (claims) raw_exec(sd->db, "CREATE INDEX msg_ready ON msg(topic, priority DESC, created) WHERE state = 1");
    raw_prepare(sd->db,
                "INSERT INTO msg(id, topic, priority, payload, state, not_before, created, updated,"
                " attempts, max_attempts, gen) VALUES(?1, 'orders', ?2, ?3, 1, ?4, ?4, ?4, 0, 5, 0)",
                &sd->ins);
    /* The least a hand-written SQLite queue does: take the best row in one
     * write transaction, mark it done in another. */
    raw_prepare(sd->db,
                "UPDATE msg SET state = 2, gen = gen + 1, lease_until = ?1 WHERE rowid = (SELECT rowid"
                " FROM msg WHERE topic = 'orders' AND state = 1 ORDER BY priority DESC, created, rowid"
                " LIMIT 1) RETURNING rowid, payload",
                &sd->claim);
    raw_prepare(sd->db, "UPDATE msg SET state = 3, lease_until = NULL WHERE rowid = ?1", &sd->ack);
    sd->batch = batch;
}

static void raw_put_k(side *sd, int64_t k)
{
    char id[32];
    snprintf(id, sizeof id, "order-%08lld", (long long)k);
    int64_t t = (int64_t)time(NULL) * 1000;
    sqlite3_bind_text(sd->ins, 1, id, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(sd->ins, 2, (int)(k % 3));
    sqlite3_bind_blob(sd->ins, 3, payload, sizeof payload, SQLITE_STATIC);
    sqlite3_bind_int64(sd->ins, 4, t);
    if (sqlite3_step(sd->ins) != SQLITE_DONE) die("raw insert", sqlite3_errmsg(sd->db));
    sqlite3_reset(sd->ins);
}

static void raw_op_put(side *sd, int64_t k)
{
    if (sd->batch > 1) raw_exec(sd->db, "BEGIN");
    for (int64_t i = 0; i < sd->batch; i++) raw_put_k(sd, k * sd->batch + i);
    if (sd->batch > 1) raw_exec(sd->db, "COMMIT");
}

static void raw_op_claim_ack(side *sd, int64_t k)
{
    (void)k;
    if (sd->batch > 1) raw_exec(sd->db, "BEGIN IMMEDIATE");
    for (int i = 0; i < sd->batch; i++) {
        if (sd->batch == 1) raw_exec(sd->db, "BEGIN IMMEDIATE");
        sqlite3_bind_int64(sd->claim, 1, (int64_t)time(NULL) * 1000 + 60000);
        if (sqlite3_step(sd->claim) != SQLITE_ROW) die("raw claim", sqlite3_errmsg(sd->db));
        int64_t rowid = sqlite3_column_int64(sd->claim, 0);
        while (sqlite3_step(sd->claim) == SQLITE_ROW) {
        }
        sqlite3_reset(sd->claim);
        if (sd->batch == 1) raw_exec(sd->db, "COMMIT");
        sqlite3_bind_int64(sd->ack, 1, rowid);
        if (sqlite3_step(sd->ack) != SQLITE_DONE) die("raw ack", sqlite3_errmsg(sd->db));
        sqlite3_reset(sd->ack);
    }
    if (sd->batch > 1) raw_exec(sd->db, "COMMIT");
}

static void raw_fill(side *sd, int64_t n)
{
    raw_exec(sd->db, "BEGIN");
    for (int64_t k = 0; k < n; k++) raw_put_k(sd, k);
    raw_exec(sd->db, "COMMIT");
}

static void side_close(side *sd)
{
    kq_close(sd->q);
    sqlite3_finalize(sd->ins);
    sqlite3_finalize(sd->claim);
    sqlite3_finalize(sd->ack);
    sqlite3_close(sd->db);
    unlink(sd->path);
    memset(sd, 0, sizeof *sd);
}

/* Runs n operations on each side, alternating in slices, so that a disk
 * that is busy for a second (other work on the machine) slows both sides
 * alike: the ratio is what this benchmark is about. */
static void paired(side *a, side *b, int64_t n, int64_t slice)
{
    for (int64_t k = 0; k < n; k += slice) {
        side *two[2] = {a, b};
        for (int s = 0; s < 2; s++) {
            side *sd = two[(k / slice + s) % 2]; /* who goes first alternates too */
            if (!sd) continue;
            double t = now_s();
            for (int64_t i = k; i < k + slice && i < n; i++) sd->op(sd, i);
            sd->secs += now_s() - t;
        }
    }
}

/* ---- driver ------------------------------------------------------------- */

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* One comparison: n operations of `per` messages each on a raw and a kq
 * store, paired; claims first fill both stores (kq with one message more,
 * for the last kq_ack_next). Rates are messages per second. */
static void compare(int64_t n, int per, int claims, void (*raw_op)(side *, int64_t),
                    void (*kq_op)(side *, int64_t), double *raw_rate, double *kq_rate)
{
    side raw = {0}, kqs = {0};
    raw_side(&raw, "bench-raw", per, claims);
    kq_side(&kqs, "bench-kq", per);
    if (claims) {
        raw_fill(&raw, n * per);
        kq_fill(&kqs, n * per + 1);
    }
    raw.op = raw_op;
    kqs.op = kq_op;
    paired(&raw, &kqs, n, per > 1 ? 5 : 50);
    *raw_rate = (double)(n * per) / raw.secs;
    *kq_rate = (double)(n * per) / kqs.secs;
    kq_msg_free(next_msg);
    next_msg = NULL;
    side_close(&raw);
    side_close(&kqs);
}

enum { RAW_1, KQ_1, RAW_B, KQ_B, RAW_CA, KQ_CA, RAW_CA2, KQ_NEXT, RAW_CAB, KQ_CAB, NFIG };

static void one_round(double *fig, int64_t n)
{
    compare(n, 1, 0, raw_op_put, kq_op_put, &fig[RAW_1], &fig[KQ_1]);
    compare(n / 10, BATCH, 0, raw_op_put, kq_op_put, &fig[RAW_B], &fig[KQ_B]);
    compare(n, 1, 1, raw_op_claim_ack, kq_op_claim_ack, &fig[RAW_CA], &fig[KQ_CA]);
    compare(n, 1, 1, raw_op_claim_ack, kq_op_ack_next, &fig[RAW_CA2], &fig[KQ_NEXT]);
    compare(n / CLAIM_BATCH, CLAIM_BATCH, 1, raw_op_claim_ack, kq_op_claim_ack, &fig[RAW_CAB], &fig[KQ_CAB]);
}

int main(int argc, char **argv)
{
    const char *dir = getenv("TMPDIR");
    snprintf(base_dir, sizeof base_dir, "%s", dir && *dir ? dir : "/tmp");
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-n") == 0 && i + 1 < argc) n_single = atoll(argv[++i]);
        else if (strcmp(argv[i], "-r") == 0 && i + 1 < argc) rounds = atoi(argv[++i]);
        else if (argv[i][0] != '-') snprintf(base_dir, sizeof base_dir, "%s", argv[i]);
        else {
            fprintf(stderr, "usage: bench_kq [DIR] [-n N] [-r ROUNDS]\n");
            return 2;
        }
    }
    if (n_single < 100 || rounds < 1 || rounds > 15) {
        fprintf(stderr, "bench_kq: -n wants at least 100, -r 1 to 15\n");
        return 2;
    }
    /* Something like an order: JSON text of a realistic size. */
    for (size_t i = 0; i < sizeof payload; i++) payload[i] = "{\"item\":\"rice 5kg\",\"qty\":1},"[i % 28];

    printf("bench_kq: stores in %s, SQLite %s, WAL, synchronous=FULL, %zu-byte payloads\n", base_dir,
           sqlite3_libversion(), sizeof payload);
    printf("  %lld operations one per commit (%lld messages in batches), raw and kq alternating;\n"
           "  median of %d round(s)\n\n",
           (long long)n_single, (long long)n_single / 10 * BATCH, rounds);
    fflush(stdout);
    double fig[NFIG][15], ratio[NFIG][15];
    for (int r = 0; r < rounds; r++) {
        double f[NFIG];
        one_round(f, n_single);
        for (int i = 0; i < NFIG; i++) fig[i][r] = f[i];
        /* The ratio of each pair, taken within the round it was measured. */
        for (int i = 0; i + 1 < NFIG; i += 2) ratio[i + 1][r] = f[i + 1] / f[i];
    }
    double m[NFIG], q[NFIG];
    for (int i = 0; i < NFIG; i++) m[i] = median(fig[i], rounds);
    for (int i = 1; i < NFIG; i += 2) q[i] = median(ratio[i], rounds);

    static const char *const label[NFIG] = {
        "raw SQLite insert, 1 row per commit",
        "kq_put, 1 per transaction",
        "raw SQLite insert, 100 rows per commit",
        "kq_put, 100 per kq_begin/kq_commit",
        "raw SQLite claim + ack, 2 commits",
        "kq_claim + kq_ack, 2 transactions",
        "raw SQLite claim + ack, 2 commits (paired again)",
        "kq_ack_next (ack + next claim, 1 transaction)",
        "raw SQLite claim + ack, 16 per commit",
        "kq_claim + kq_ack, 16 per kq_begin/kq_commit",
    };
    printf("%-50s %11s %9s\n", "", "per second", "kq / raw");
    for (int i = 0; i < NFIG; i++) {
        if (i % 2 == 0) {
            printf("%-50s %11.0f\n", label[i], m[i]);
            continue;
        }
        printf("%-50s %11.0f %8.2fx", label[i], m[i], q[i]);
        if (i == KQ_1) printf("  floor 0.70x: %s", q[i] >= 0.70 ? "met" : "MISSED");
        if (i == KQ_CA || i == KQ_NEXT) printf("  floor 1000/s: %s", m[i] >= 1000 ? "met" : "MISSED");
        putchar('\n');
    }
    return 0;
}
