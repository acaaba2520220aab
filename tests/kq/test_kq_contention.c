/* test_kq_contention.c - four processes drain one store at once.
 *
 * 10,000 messages are put, then four worker processes, released together,
 * claim and ack (two of them with kq_ack_next) until the topic is empty,
 * each writing the ids it acked to its own file. Every message must be
 * acked exactly once in all, claimed exactly once (its claim generation
 * says so), and no worker may see any error: contention has to be absorbed
 * by the busy timeout and the bounded retry. KQ_CONTENTION_MESSAGES
 * overrides the count (default 10000).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <sys/wait.h>

#include "kqt.h"

#define WORKERS 4

static void worker(const char *url, const char *out_path, int w, int go_fd)
{
    char ignored;
    /* Blocks until the parent closes its end: all four start together. */
    while (read(go_fd, &ignored, 1) < 0 && errno == EINTR) {
    }
    FILE *out = fopen(out_path, "w");
    if (!out) _exit(3);
    kq *q = NULL;
    kq_rc rc = kq_open(url, 0, &q);
    if (rc != KQ_OK) {
        fprintf(stderr, "worker %d: open: %s\n", w, kq_errmsg(q));
        _exit(4);
    }
    char name[32];
    snprintf(name, sizeof name, "worker-%d", w);
    /* Odd workers go straight on with kq_ack_next, even ones claim and ack
     * separately: both paths meet each other under contention. */
    kq_msg *m = NULL;
    for (;;) {
        if (!m) {
            rc = kq_claim(q, "orders", name, 10LL * 60 * 1000, &m);
            if (rc == KQ_EMPTY) break; /* nothing ready and no lease can expire: all taken */
            if (rc != KQ_OK) {
                fprintf(stderr, "worker %d: claim: %s: %s\n", w, kq_strerror(rc), kq_errmsg(q));
                _exit(5);
            }
        }
        kq_msg *next = NULL;
        rc = w % 2 ? kq_ack_next(q, m->id, m->token, "orders", name, 10LL * 60 * 1000, &next)
                   : kq_ack(q, m->id, m->token);
        if (rc != KQ_OK && !(rc == KQ_EMPTY && w % 2)) {
            fprintf(stderr, "worker %d: ack %s: %s: %s\n", w, m->id, kq_strerror(rc), kq_errmsg(q));
            _exit(6);
        }
        fprintf(out, "%s\n", m->id);
        kq_msg_free(m);
        m = next;
        if (rc == KQ_EMPTY) break;
    }
    kq_close(q);
    if (fclose(out) != 0) _exit(7);
    _exit(0);
}

static void test_four_workers(void **state)
{
    (void)state;
    const char *env = getenv("KQ_CONTENTION_MESSAGES");
    int total = env ? atoi(env) : 10000;
    if (total < 1) total = 10000;
    char dir[512], url[700];
    kqt_mkdir(dir, sizeof dir);
    snprintf(url, sizeof url, "sqlite:%s/queue.db", dir);

    kq *q = NULL;
    assert_int_equal(kq_open(url, 0, &q), KQ_OK);
    char id[32];
    for (int i = 0; i < total; i += 500) {
        assert_int_equal(kq_begin(q), KQ_OK);
        for (int k = i; k < i + 500 && k < total; k++) {
            snprintf(id, sizeof id, "o%05d", k);
            assert_int_equal(kq_put(q, "orders", id, k % 4, id, strlen(id), 0), KQ_OK);
        }
        assert_int_equal(kq_commit(q), KQ_OK);
    }

    int go[2];
    assert_int_equal(pipe(go), 0);
    pid_t pids[WORKERS];
    char outs[WORKERS][600];
    for (int w = 0; w < WORKERS; w++) {
        snprintf(outs[w], sizeof outs[w], "%s/worker-%d.txt", dir, w);
        fflush(NULL);
        pids[w] = fork();
        assert_true(pids[w] >= 0);
        if (pids[w] == 0) {
            close(go[1]);
            worker(url, outs[w], w, go[0]);
        }
    }
    close(go[0]);
    close(go[1]); /* go */
    for (int w = 0; w < WORKERS; w++) {
        int status;
        assert_int_equal(waitpid(pids[w], &status, 0), pids[w]);
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
            fail_msg("worker %d failed (status 0x%x): see its stderr", w, status);
    }

    /* Each id acked exactly once, across all workers. */
    unsigned char *seen = calloc((size_t)total, 1);
    assert_non_null(seen);
    int per[WORKERS] = {0}, acked = 0;
    for (int w = 0; w < WORKERS; w++) {
        FILE *in = fopen(outs[w], "r");
        assert_non_null(in);
        char line[64];
        while (fgets(line, sizeof line, in)) {
            int k = atoi(line + 1);
            assert_true(line[0] == 'o' && k >= 0 && k < total);
            if (seen[k]) fail_msg("%s was acked twice", line);
            seen[k] = 1;
            per[w]++;
            acked++;
        }
        fclose(in);
    }
    printf("contention: %d messages, acked per worker: %d %d %d %d\n", total, per[0], per[1], per[2], per[3]);
    assert_int_equal(acked, total);

    kq_counts c;
    assert_int_equal(kq_count(q, NULL, &c), KQ_OK);
    assert_int_equal(c.done, total);
    assert_int_equal(c.total, total);
    /* Claimed exactly once: one claim per message in its history. */
    for (int k = 0; k < total; k++) {
        snprintf(id, sizeof id, "o%05d", k);
        kq_msg *m = NULL;
        assert_int_equal(kq_get(q, id, &m), KQ_OK);
        if (m->generation != 1 || m->attempts != 1) fail_msg("%s was claimed %llu times", id,
                                                             (unsigned long long)m->generation);
        kq_msg_free(m);
    }
    assert_int_equal(kq_check(q), KQ_OK);
    kq_close(q);
    free(seen);
    kqt_rmdir(dir);
}

/* Four processes open a store that does not exist yet, at the same moment:
 * creating it, switching it to WAL and migrating its schema must happen
 * once, and nobody may fail. */
static void test_four_create_at_once(void **state)
{
    (void)state;
    char dir[512], url[700];
    kqt_mkdir(dir, sizeof dir);
    snprintf(url, sizeof url, "sqlite:%s/new.db", dir);
    int go[2];
    assert_int_equal(pipe(go), 0);
    pid_t pids[WORKERS];
    for (int w = 0; w < WORKERS; w++) {
        fflush(NULL);
        pids[w] = fork();
        assert_true(pids[w] >= 0);
        if (pids[w] == 0) {
            close(go[1]);
            char ignored;
            while (read(go[0], &ignored, 1) < 0 && errno == EINTR) {
            }
            kq *q = NULL;
            kq_rc rc = kq_open(url, 0, &q);
            char id[16];
            snprintf(id, sizeof id, "first-%d", w);
            if (rc == KQ_OK) rc = kq_put(q, "orders", id, 0, "x", 1, 0);
            if (rc != KQ_OK) fprintf(stderr, "creator %d: %s: %s\n", w, kq_strerror(rc), kq_errmsg(q));
            kq_close(q);
            _exit(rc == KQ_OK ? 0 : 1);
        }
    }
    close(go[0]);
    close(go[1]);
    for (int w = 0; w < WORKERS; w++) {
        int status;
        assert_int_equal(waitpid(pids[w], &status, 0), pids[w]);
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) fail_msg("creator %d failed (status 0x%x)", w, status);
    }
    kq *q = NULL;
    assert_int_equal(kq_open(url, KQ_OPEN_EXISTING, &q), KQ_OK);
    kq_counts c;
    assert_int_equal(kq_count(q, NULL, &c), KQ_OK);
    assert_int_equal(c.ready, WORKERS);
    assert_int_equal(kq_check(q), KQ_OK);
    kq_close(q);
    kqt_rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_four_create_at_once),
        cmocka_unit_test(test_four_workers),
    };
    return cmocka_run_group_tests_name("kq_contention", tests, NULL, NULL);
}
