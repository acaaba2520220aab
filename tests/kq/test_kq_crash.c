/* test_kq_crash.c - nothing acknowledged is lost when the process dies.
 *
 * Each round forks a child that opens the store and works as fast as it
 * can: single puts, batches of puts, claims, acks and kq_ack_next. After
 * every call that returned KQ_OK it reports what it did over a pipe ("P id"
 * for a put, "D id" for an ack). The parent SIGKILLs it after a random
 * moment (during open, in the middle of a commit, anywhere), then reopens
 * the store and demands that every reported put is there with its payload,
 * every reported ack left its message done, and that kq_check() passes.
 * A SIGKILL keeps what the kernel already has, so this tests SQLite's and
 * kq's own atomicity (row and history together, batch all or nothing), not
 * power loss. Even rounds kill at 0 to 40 ms after the fork (often during
 * open); odd rounds wait for the child's first report, then kill within
 * 15 ms (in the middle of work, whatever the speed of the build).
 *
 * KQ_CRASH_ROUNDS and KQ_CRASH_SEED override the defaults (60, time). The
 * kill delays come from the seed; the test never judges by time.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>

#include "kqt.h"

#define ID_LEN 32

typedef struct acked {
    char (*put)[ID_LEN];
    size_t nput, capput;
    char (*done)[ID_LEN];
    size_t ndone, capdone;
} acked;

/* The payload of an id: its size varies from a few bytes to several pages,
 * so that kills land in overflow-page writes too. */
static size_t payload_of(const char *id, char *buf, size_t cap)
{
    uint32_t h = 2166136261u;
    for (const char *p = id; *p; p++) h = (h ^ (unsigned char)*p) * 16777619u;
    size_t len = 8 + h % 6000;
    if (len > cap) len = cap;
    for (size_t i = 0; i < len; i++) buf[i] = (char)('a' + (h + i) % 26);
    memcpy(buf, id, strlen(id) < len ? strlen(id) : len);
    return len;
}

static void report(int fd, char kind, const char *id)
{
    char line[ID_LEN + 4];
    int n = snprintf(line, sizeof line, "%c %s\n", kind, id);
    /* Short lines on a pipe are written whole (PIPE_BUF). */
    if (write(fd, line, (size_t)n) != n) _exit(5);
}

static void child_fail(const char *what, kq *q, kq_rc rc)
{
    fprintf(stderr, "crash child: %s: %s: %s\n", what, kq_strerror(rc), kq_errmsg(q));
    _exit(4);
}

static void child(const char *url, int fd, int round)
{
    kq *q = NULL;
    kq_rc rc = kq_open(url, 0, &q);
    if (rc != KQ_OK) child_fail("open", q, rc);
    static char payload[8192];
    char id[ID_LEN];
    for (int i = 0;; i++) {
        if (i % 4 == 3) {
            /* A batch: reported only once the commit said so. */
            char ids[5][ID_LEN];
            if ((rc = kq_begin(q)) != KQ_OK) child_fail("begin", q, rc);
            for (int k = 0; k < 5; k++) {
                snprintf(ids[k], ID_LEN, "r%d-%d-%d", round, i, k);
                size_t len = payload_of(ids[k], payload, sizeof payload);
                if ((rc = kq_put(q, "orders", ids[k], k, payload, len, 0)) != KQ_OK) child_fail("put", q, rc);
            }
            if ((rc = kq_commit(q)) != KQ_OK) child_fail("commit", q, rc);
            for (int k = 0; k < 5; k++) report(fd, 'P', ids[k]);
        } else {
            snprintf(id, sizeof id, "r%d-%d", round, i);
            size_t len = payload_of(id, payload, sizeof payload);
            if ((rc = kq_put(q, "orders", id, i % 3, payload, len, 0)) != KQ_OK) child_fail("put", q, rc);
            report(fd, 'P', id);
        }
        if (i % 2 == 1) {
            /* Short leases, so that claims a killed child held come back. */
            kq_msg *m = NULL;
            rc = kq_claim(q, "orders", "crash-worker", 50, &m);
            if (rc == KQ_OK) {
                /* Every other time through kq_ack_next, whose next claim is
                 * then simply left to expire. */
                kq_msg *next = NULL;
                kq_rc arc = i % 4 == 1 ? kq_ack_next(q, m->id, m->token, "orders", "crash-worker", 50, &next)
                                       : kq_ack(q, m->id, m->token);
                if (arc == KQ_OK || arc == KQ_EMPTY) report(fd, 'D', m->id);
                else if (arc != KQ_ESTALE) child_fail("ack", q, arc); /* ESTALE: slow, lease over */
                kq_msg_free(next);
                kq_msg_free(m);
            } else if (rc != KQ_EMPTY) {
                child_fail("claim", q, rc);
            }
        }
    }
}

static void add(char (**v)[ID_LEN], size_t *n, size_t *cap, const char *id)
{
    if (*n == *cap) {
        *cap = *cap ? *cap * 2 : 256;
        *v = realloc(*v, *cap * sizeof **v);
        assert_non_null(*v);
    }
    snprintf((*v)[(*n)++], ID_LEN, "%s", id);
}

/* Reads the child's reports until EOF, keeping only whole lines: a kill
 * cannot cut a line (one write each), but be strict anyway. */
static void read_reports(int fd, acked *a)
{
    static char buf[1 << 16];
    size_t have = 0;
    for (;;) {
        ssize_t r = read(fd, buf + have, sizeof buf - have - 1);
        if (r < 0 && errno == EINTR) continue;
        assert_true(r >= 0);
        if (r == 0) break;
        have += (size_t)r;
        buf[have] = '\0';
        char *line = buf, *nl;
        while ((nl = strchr(line, '\n')) != NULL) {
            *nl = '\0';
            assert_true(strlen(line) > 2);
            if (line[0] == 'P') add(&a->put, &a->nput, &a->capput, line + 2);
            else if (line[0] == 'D') add(&a->done, &a->ndone, &a->capdone, line + 2);
            else fail_msg("bad report line '%s'", line);
            line = nl + 1;
        }
        have = strlen(line);
        memmove(buf, line, have);
    }
    assert_int_equal(have, 0);
}

static void verify(const char *url, const acked *a)
{
    kq *q = NULL;
    kq_rc rc = kq_open(url, 0, &q);
    if (rc != KQ_OK) fail_msg("reopen after kill: %s: %s", kq_strerror(rc), kq_errmsg(q));
    rc = kq_check(q);
    if (rc != KQ_OK) fail_msg("integrity after kill: %s", kq_errmsg(q));
    static char want[8192];
    for (size_t i = 0; i < a->nput; i++) {
        kq_msg *m = NULL;
        rc = kq_get(q, a->put[i], &m);
        if (rc != KQ_OK) fail_msg("acknowledged put %s is missing: %s", a->put[i], kq_errmsg(q));
        size_t len = payload_of(a->put[i], want, sizeof want);
        assert_int_equal(m->payload_len, len);
        assert_memory_equal(m->payload, want, len);
        kq_msg_free(m);
    }
    for (size_t i = 0; i < a->ndone; i++) {
        kq_msg *m = NULL;
        assert_int_equal(kq_get(q, a->done[i], &m), KQ_OK);
        if (m->state != KQ_DONE) fail_msg("acknowledged ack of %s lost: %s", a->done[i], kq_state_name(m->state));
        kq_msg_free(m);
    }
    kq_close(q);
}

static uint64_t rng_next(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

static void test_crash_rounds(void **state)
{
    (void)state;
    const char *env = getenv("KQ_CRASH_ROUNDS");
    int rounds = env ? atoi(env) : 60;
    if (rounds < 1) rounds = 60;
    env = getenv("KQ_CRASH_SEED");
    uint64_t seed = env ? strtoull(env, NULL, 10) : (uint64_t)time(NULL);
    if (!seed) seed = 1;
    printf("crash test: %d rounds, seed %llu (KQ_CRASH_SEED to repeat)\n", rounds, (unsigned long long)seed);
    uint64_t rng = seed * 0x9e3779b97f4a7c15ULL | 1;

    char dir[512], url[700];
    kqt_mkdir(dir, sizeof dir);
    snprintf(url, sizeof url, "sqlite:%s/queue.db", dir);
    acked a;
    memset(&a, 0, sizeof a);
    int killed_mid_work = 0;
    for (int round = 0; round < rounds; round++) {
        int fds[2];
        assert_int_equal(pipe(fds), 0);
        fflush(NULL);
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
            close(fds[0]);
            child(url, fds[1], round);
            _exit(0);
        }
        close(fds[1]);
        long delay_us;
        if (round % 2) {
            /* Wait until the child has done something (poll does not
             * consume the report), then a little more. */
            struct pollfd pfd = {fds[0], POLLIN, 0};
            while (poll(&pfd, 1, -1) < 0 && errno == EINTR) {
            }
            delay_us = (long)(rng_next(&rng) % 15000);
        } else {
            delay_us = (long)(rng_next(&rng) % 40000);
        }
        struct timespec ts = {0, delay_us * 1000};
        nanosleep(&ts, NULL);
        kill(pid, SIGKILL);
        int status;
        assert_int_equal(waitpid(pid, &status, 0), pid);
        if (!(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL))
            fail_msg("round %d: the child ended by itself (status 0x%x): see its stderr", round, status);
        size_t before = a.nput;
        read_reports(fds[0], &a);
        close(fds[0]);
        if (a.nput > before) killed_mid_work++;
        verify(url, &a);
    }
    printf("crash test: %zu puts and %zu acks acknowledged before kills; all present; "
           "%d of %d kills came mid-work\n",
           a.nput, a.ndone, killed_mid_work, rounds);
    /* Without acknowledged work the test would prove nothing. */
    assert_true(a.nput > 0);
    assert_true(killed_mid_work > 0);
    free(a.put);
    free(a.done);
    kqt_rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_crash_rounds),
    };
    return cmocka_run_group_tests_name("kq_crash", tests, NULL, NULL);
}
