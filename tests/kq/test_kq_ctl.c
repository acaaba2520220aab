/* test_kq_ctl.c - `kioskctl queue` end to end: a store is filled through
 * the kq API, then the command runs as its own process (through
 * ctl_queue_driver, given as argv[1]) and its output, JSON and exit code
 * are checked, along with what it changed in the store. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <cjson/cJSON.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "kqt.h"

static const char *driver;

typedef struct fx {
    char dir[512];
    char url[700];
    char out_path[700], err_path[700];
    char *out, *err; /* the last run's output */
    kq *q;
} fx;

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char *buf = malloc(1 << 20);
    assert_non_null(buf);
    size_t n = fread(buf, 1, (1 << 20) - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

/* Runs the driver with a NULL-terminated argument list; returns its exit
 * code, with stdout and stderr in f->out and f->err. */
static int run(fx *f, const char *first, ...)
{
    const char *argv[40];
    int n = 0;
    argv[n++] = driver;
    va_list ap;
    va_start(ap, first);
    for (const char *a = first; a && n < 39; a = va_arg(ap, const char *)) argv[n++] = a;
    va_end(ap);
    argv[n] = NULL;
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        int o = open(f->out_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        int e = open(f->err_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (o < 0 || e < 0) _exit(99);
        dup2(o, 1);
        dup2(e, 2);
        execv(driver, (char *const *)argv);
        _exit(98);
    }
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    free(f->out);
    free(f->err);
    f->out = slurp(f->out_path);
    f->err = slurp(f->err_path);
    return WEXITSTATUS(status);
}

#define RUN_OK(f, ...)                                                                                   \
    do {                                                                                                 \
        int rc_ = run(f, __VA_ARGS__, NULL);                                                             \
        if (rc_ != 0) fail_msg("exit %d\nstdout: %s\nstderr: %s", rc_, (f)->out, (f)->err);              \
    } while (0)

static cJSON *json_of(fx *f)
{
    cJSON *j = cJSON_Parse(f->out);
    if (!j) fail_msg("not JSON: %s", f->out);
    return j;
}

static double num(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    if (!cJSON_IsNumber(v)) fail_msg("no number '%s'", key);
    return v->valuedouble;
}

static const char *str(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    if (!cJSON_IsString(v)) fail_msg("no string '%s'", key);
    return v->valuestring;
}

static void put(fx *f, const char *id, const void *payload, size_t len)
{
    assert_int_equal(kq_put(f->q, "orders", id, 0, payload, len, 0), KQ_OK);
}

/* A store with one message in every state. */
static int setup(void **state)
{
    fx *f = calloc(1, sizeof *f);
    kqt_mkdir(f->dir, sizeof f->dir);
    snprintf(f->url, sizeof f->url, "sqlite:%s/queue.db", f->dir);
    snprintf(f->out_path, sizeof f->out_path, "%s/out.txt", f->dir);
    snprintf(f->err_path, sizeof f->err_path, "%s/err.txt", f->dir);
    assert_int_equal(kq_open(f->url, 0, &f->q), KQ_OK);
    assert_int_equal(kq_set_name(f->q, "kiosk-lobby"), KQ_OK);
    put(f, "A-done", "{\"items\":[\"rice 5kg\"]}", 22);
    put(f, "A-claimed", "eggs", 4);
    put(f, "A-ready", "多行\n备注", strlen("多行\n备注"));
    put(f, "A-binary", "\x01\x02\xff", 3);
    put(f, "A-cancel", "x", 1);
    assert_int_equal(kq_cancel(f->q, "A-cancel", "admin", "duplicate"), KQ_OK);
    kq_msg *m;
    assert_int_equal(kq_claim(f->q, "orders", "vol-li", 3600000, &m), KQ_OK);
    assert_string_equal(m->id, "A-done");
    assert_int_equal(kq_ack(f->q, m->id, m->token), KQ_OK);
    kq_msg_free(m);
    assert_int_equal(kq_claim(f->q, "orders", "vol-li", 3600000, &m), KQ_OK);
    assert_string_equal(m->id, "A-claimed");
    kq_msg_free(m);
    /* One attempt only and top priority: the next claim takes it, and its
     * failure makes it dead. */
    assert_int_equal(kq_set_max_attempts(f->q, 1), KQ_OK);
    assert_int_equal(kq_put(f->q, "orders", "A-dead", 9, "masks", 5, 0), KQ_OK);
    assert_int_equal(kq_claim(f->q, "orders", "vol-wu", 3600000, &m), KQ_OK);
    assert_string_equal(m->id, "A-dead");
    assert_int_equal(kq_nack(f->q, m->id, m->token, 0, "address not found"), KQ_OK);
    kq_msg_free(m);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx *f = *state;
    kq_close(f->q);
    free(f->out);
    free(f->err);
    kqt_rmdir(f->dir);
    free(f);
    return 0;
}

static void test_usage_errors(void **state)
{
    fx *f = *state;
    assert_int_equal(run(f, "queue", NULL), 2);
    assert_non_null(strstr(f->err, "usage:"));
    assert_int_equal(run(f, "queue", "--help", NULL), 0);
    assert_non_null(strstr(f->out, "purge --state"));
    assert_int_equal(run(f, "queue", "--url", f->url, "bogus", NULL), 2);
    assert_non_null(strstr(f->err, "unknown command 'bogus'"));
    assert_int_equal(run(f, "queue", "--url", f->url, "stats", "--state", "ready", NULL), 2);
    assert_non_null(strstr(f->err, "stats does not take --state"));
    assert_int_equal(run(f, "queue", "--url", f->url, "list", "--limit", "abc", NULL), 2);
    assert_int_equal(run(f, "queue", "--url", f->url, "list", "--limit", "0", NULL), 2);
    assert_int_equal(run(f, "queue", "--url", f->url, "list", "--limit=-4", NULL), 2);
    assert_int_equal(run(f, "queue", "--url", f->url, "list", "--state", "lost", NULL), 2);
    assert_non_null(strstr(f->err, "unknown state 'lost'"));
    assert_int_equal(run(f, "queue", "--url", f->url, "show", NULL), 2);
    assert_int_equal(run(f, "queue", "--url", f->url, "show", "a", "b", NULL), 2);
    assert_int_equal(run(f, "queue", "--url", NULL), 2);
    assert_int_equal(run(f, "queue", "--json=1", "stats", NULL), 2);
    assert_int_equal(run(f, "queue", "--frobnicate", "stats", NULL), 2);
    assert_int_equal(run(f, "queue", "stats", NULL), 2); /* no URL and no data dir */
    assert_non_null(strstr(f->err, "--url"));
    assert_int_equal(run(f, "queue", "--url", "nats://somewhere", "stats", NULL), 2);
    assert_int_equal(run(f, "queue", "--url", f->url, "purge", "--state", "done", NULL), 2);
    assert_int_equal(run(f, "queue", "--url", f->url, "purge", "--state", "ready", "--older-than", "3", NULL), 2);
    assert_int_equal(run(f, "queue", "--url", f->url, "purge", "--state", "done", "--older-than", "x", NULL), 2);
}

static void test_missing_store_not_created(void **state)
{
    fx *f = *state;
    char url[800], path[700], sub[600];
    snprintf(sub, sizeof sub, "%s/empty", f->dir);
    assert_int_equal(mkdir(sub, 0755), 0);
    snprintf(path, sizeof path, "%s/queue.db", sub);
    assert_int_equal(run(f, "--data-dir", sub, "queue", "stats", NULL), 1);
    assert_non_null(strstr(f->err, "no queue store"));
    struct stat sb;
    assert_int_not_equal(stat(path, &sb), 0);
    snprintf(url, sizeof url, "sqlite:%s", path);
    assert_int_equal(run(f, "queue", "--url", url, "check", NULL), 1);
    assert_int_not_equal(stat(path, &sb), 0);
    char emptied[700];
    snprintf(emptied, sizeof emptied, "%s/empty", f->dir);
    rmdir(emptied);
    /* The data dir default finds a real store. */
    RUN_OK(f, "--data-dir", f->dir, "queue", "stats");
    assert_non_null(strstr(f->out, "queue.db"));
}

static void test_stats(void **state)
{
    fx *f = *state;
    RUN_OK(f, "queue", "--url", f->url, "stats");
    assert_non_null(strstr(f->out, "claimed"));
    assert_non_null(strstr(f->out, "needs staff"));
    RUN_OK(f, "queue", "stats", "--json", "--url", f->url);
    cJSON *j = json_of(f);
    assert_string_equal(str(j, "url"), f->url);
    assert_int_equal((int)num(j, "total"), 6);
    assert_int_equal((int)num(j, "done"), 1);
    assert_int_equal((int)num(j, "claimed"), 1);
    assert_int_equal((int)num(j, "dead"), 1);
    assert_int_equal((int)num(j, "cancelled"), 1);
    assert_int_equal((int)num(j, "ready"), 2);
    assert_int_equal((int)num(j, "expired"), 0);
    cJSON_Delete(j);
    RUN_OK(f, "queue", "--url", f->url, "--json", "stats", "--topic", "print");
    j = json_of(f);
    assert_int_equal((int)num(j, "total"), 0);
    assert_string_equal(str(j, "topic"), "print");
    cJSON_Delete(j);
}

static void test_list(void **state)
{
    fx *f = *state;
    RUN_OK(f, "queue", "--url", f->url, "list");
    assert_non_null(strstr(f->out, "A-claimed"));
    assert_non_null(strstr(f->out, "vol-li"));
    assert_non_null(strstr(f->out, "UPDATED"));
    RUN_OK(f, "queue", "--url", f->url, "list", "--state", "dead", "--json");
    cJSON *j = json_of(f);
    const cJSON *items = cJSON_GetObjectItemCaseSensitive(j, "items");
    assert_int_equal(cJSON_GetArraySize(items), 1);
    const cJSON *it = cJSON_GetArrayItem(items, 0);
    assert_string_equal(str(it, "id"), "A-dead");
    assert_string_equal(str(it, "state"), "dead");
    assert_string_equal(str(it, "last_reason"), "address not found");
    assert_int_equal((int)num(it, "attempts"), 1);
    assert_int_equal((int)num(it, "max_attempts"), 1);
    assert_non_null(strstr(str(it, "created"), "Z"));
    cJSON_Delete(j);
    RUN_OK(f, "queue", "--url", f->url, "list", "--limit", "2", "--offset=1", "--json");
    j = json_of(f);
    items = cJSON_GetObjectItemCaseSensitive(j, "items");
    assert_int_equal(cJSON_GetArraySize(items), 2);
    assert_string_equal(str(cJSON_GetArrayItem(items, 0), "id"), "A-claimed");
    assert_int_equal((int)num(j, "count"), 2);
    cJSON_Delete(j);
    RUN_OK(f, "queue", "--url", f->url, "list", "--limit", "2");
    assert_non_null(strstr(f->out, "--offset 2"));
    RUN_OK(f, "queue", "--url", f->url, "list", "--state", "claimed", "--topic", "print");
    assert_non_null(strstr(f->out, "no claimed messages in topic print"));
}

static void test_show(void **state)
{
    fx *f = *state;
    RUN_OK(f, "queue", "--url", f->url, "show", "A-done");
    assert_non_null(strstr(f->out, "rice 5kg"));
    assert_non_null(strstr(f->out, "history"));
    assert_non_null(strstr(f->out, "by kiosk-lobby"));
    assert_non_null(strstr(f->out, "claimed -> done"));
    RUN_OK(f, "queue", "--url", f->url, "--json", "show", "A-done");
    cJSON *j = json_of(f);
    assert_string_equal(str(j, "payload"), "{\"items\":[\"rice 5kg\"]}");
    const cJSON *h = cJSON_GetObjectItemCaseSensitive(j, "history");
    assert_int_equal(cJSON_GetArraySize(h), 3);
    assert_string_equal(str(cJSON_GetArrayItem(h, 0), "what"), "put");
    assert_true(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(h, 0), "from")));
    assert_string_equal(str(cJSON_GetArrayItem(h, 2), "what"), "ack");
    assert_string_equal(str(cJSON_GetArrayItem(h, 2), "who"), "vol-li");
    cJSON_Delete(j);
    RUN_OK(f, "queue", "--url", f->url, "show", "A-ready");
    assert_non_null(strstr(f->out, "  | 多行\n  | 备注\n"));
    RUN_OK(f, "queue", "--url", f->url, "show", "A-binary", "--json");
    j = json_of(f);
    assert_string_equal(str(j, "payload_hex"), "0102ff");
    cJSON_Delete(j);
    RUN_OK(f, "queue", "--url", f->url, "show", "A-binary");
    assert_non_null(strstr(f->out, "01 02 ff"));
    RUN_OK(f, "queue", "--url", f->url, "show", "A-claimed");
    assert_non_null(strstr(f->out, "by vol-li, lease until"));
    assert_int_equal(run(f, "queue", "--url", f->url, "show", "nope", NULL), 1);
    assert_non_null(strstr(f->err, "no message nope"));
}

static void test_requeue_cancel(void **state)
{
    fx *f = *state;
    RUN_OK(f, "queue", "--url", f->url, "requeue", "A-dead");
    assert_non_null(strstr(f->out, "requeued A-dead"));
    kq_msg *m;
    assert_int_equal(kq_get(f->q, "A-dead", &m), KQ_OK);
    assert_int_equal(m->state, KQ_READY);
    assert_int_equal(m->attempts, 0);
    kq_msg_free(m);
    kq_event *ev;
    int n;
    assert_int_equal(kq_history(f->q, "A-dead", &ev, &n), KQ_OK);
    assert_string_equal(ev[n - 1].what, "requeue");
    assert_non_null(strstr(ev[n - 1].who, "kioskctl ("));
    kq_history_free(ev, n);
    assert_int_equal(run(f, "queue", "--url", f->url, "requeue", "A-dead", NULL), 1);
    assert_non_null(strstr(f->err, "only dead or cancelled"));

    RUN_OK(f, "queue", "--url", f->url, "--json", "cancel", "A-dead", "--reason", "resident withdrew");
    cJSON *j = json_of(f);
    assert_string_equal(str(j, "state"), "cancelled");
    cJSON_Delete(j);
    assert_int_equal(kq_get(f->q, "A-dead", &m), KQ_OK);
    assert_int_equal(m->state, KQ_CANCELLED);
    assert_string_equal(m->last_reason, "resident withdrew");
    kq_msg_free(m);
    assert_int_equal(run(f, "queue", "--url", f->url, "cancel", "A-claimed", NULL), 1);
    assert_non_null(strstr(f->err, "claimed by vol-li"));
    assert_int_equal(run(f, "queue", "--url", f->url, "cancel", "missing", NULL), 1);
    assert_int_equal(run(f, "queue", "--url", f->url, "cancel", "A-ready", "--reason", NULL), 2);
}

static void test_purge_and_check(void **state)
{
    fx *f = *state;
    RUN_OK(f, "queue", "--url", f->url, "purge", "--state", "done", "--older-than", "1");
    assert_non_null(strstr(f->out, "purged 0 done messages"));
    RUN_OK(f, "queue", "--url", f->url, "--json", "purge", "--state", "done", "--older-than", "0");
    cJSON *j = json_of(f);
    assert_int_equal((int)num(j, "purged"), 1);
    cJSON_Delete(j);
    kq_msg *m;
    assert_int_equal(kq_get(f->q, "A-done", &m), KQ_ENOTFOUND);
    RUN_OK(f, "queue", "--url", f->url, "purge", "--older-than=0", "--state=cancelled");
    assert_non_null(strstr(f->out, "purged 1 cancelled message older than 0 days"));

    RUN_OK(f, "queue", "--url", f->url, "check");
    assert_non_null(strstr(f->out, "ok"));
    RUN_OK(f, "queue", "--url", f->url, "check", "--json");
    j = json_of(f);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(j, "ok")));
    cJSON_Delete(j);

    /* Damage kq's bookkeeping behind its back: check must say so. */
    char path[700];
    snprintf(path, sizeof path, "%s/queue.db", f->dir);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "UPDATE kq_msg SET lease_until = NULL WHERE id = 'A-claimed'", NULL, NULL,
                                  NULL),
                     SQLITE_OK);
    sqlite3_close(db);
    assert_int_equal(run(f, "queue", "--url", f->url, "check", NULL), 1);
    assert_non_null(strstr(f->err, "A-claimed"));
    assert_int_equal(run(f, "queue", "--url", f->url, "--json", "check", NULL), 1);
    j = json_of(f);
    assert_true(cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(j, "ok")));
    assert_non_null(strstr(str(j, "problem"), "claimed without a lease"));
    cJSON_Delete(j);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s PATH-TO-ctl_queue_driver\n", argv[0]);
        return 2;
    }
    driver = argv[1];
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_usage_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_missing_store_not_created, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stats, setup, teardown),
        cmocka_unit_test_setup_teardown(test_list, setup, teardown),
        cmocka_unit_test_setup_teardown(test_show, setup, teardown),
        cmocka_unit_test_setup_teardown(test_requeue_cancel, setup, teardown),
        cmocka_unit_test_setup_teardown(test_purge_and_check, setup, teardown),
    };
    return cmocka_run_group_tests_name("kq_ctl", tests, NULL, NULL);
}
