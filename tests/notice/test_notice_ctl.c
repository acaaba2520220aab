/* test_notice_ctl.c - `kioskctl notice` as its own process (argv[1] is the
 * kioskctl binary): check names every broken file with file:line and exits
 * non-zero; add validates (from flags or a file) and writes nothing bad;
 * list and remove. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "notice.h"

static const char *kioskctl;
static char dir[128], out_path[200], err_path[200];
static char out[65536], err[65536];

static void slurp(const char *path, char *buf, size_t len)
{
    FILE *f = fopen(path, "rb");
    size_t n = f ? fread(buf, 1, len - 1, f) : 0;
    buf[n] = '\0';
    if (f)
        fclose(f);
}

/* Runs kioskctl with a NULL-terminated argument list; stdout and stderr in out, err. */
static int run(const char *first, ...)
{
    const char *argv[40] = {kioskctl};
    int n = 1;
    va_list ap;
    va_start(ap, first);
    for (const char *a = first; a && n < 39; a = va_arg(ap, const char *))
        argv[n++] = a;
    va_end(ap);
    argv[n] = NULL;
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        int o = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0644), e = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (o < 0 || e < 0 || dup2(o, 1) < 0 || dup2(e, 2) < 0)
            _exit(99);
        execv(kioskctl, (char *const *)argv);
        _exit(98);
    }
    int st;
    assert_int_equal(waitpid(pid, &st, 0), pid);
    slurp(out_path, out, sizeof out);
    slurp(err_path, err, sizeof err);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

#define assert_contains(hay, needle)                                                                               \
    do {                                                                                                           \
        if (!strstr((hay), (needle)))                                                                              \
            fail_msg("expected \"%s\" in \"%s\"", (needle), (hay));                                               \
    } while (0)

static void put(const char *name, const char *text)
{
    char path[300];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static int setup(void **st)
{
    snprintf(dir, sizeof dir, "/tmp/notice-ctl-XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    snprintf(out_path, sizeof out_path, "%s.out", dir);
    snprintf(err_path, sizeof err_path, "%s.err", dir);
    return 0;
}

static int teardown(void **st)
{
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s' '%s' '%s'", dir, out_path, err_path);
    return system(cmd) == 0 ? 0 : -1;
}

static void test_check(void **st)
{
    put("good.txt", "title: 好\npublished: 2026-11-20\n\n正文\n");
    assert_int_equal(run("notice", "check", dir, NULL), 0);
    assert_contains(out, "1 notices read");
    assert_contains(out, "0 problems");
    put("bad.txt", "title: 坏\npublished: 2026-11-20\nurgent: perhaps\n\n正文\n");
    put("junk.txt", "\x89PNG\r\n\x1a\n");
    assert_int_equal(run("notice", "check", dir, NULL), 1);
    char want[300];
    snprintf(want, sizeof want, "%s/bad.txt:3: urgent", dir);
    assert_contains(err, want);
    snprintf(want, sizeof want, "%s/junk.txt:1: invalid UTF-8", dir);
    assert_contains(err, want);
    assert_contains(out, "2 problems");
    char missing[200];
    snprintf(missing, sizeof missing, "%s/nope", dir);
    assert_int_equal(run("notice", "check", missing, NULL), 1);
    assert_contains(err, "nope:0: cannot open the notice folder");
    /* the demo notices are all good */
    char demo[512];
    snprintf(demo, sizeof demo, "%s/assets/demo/notices", getenv("KIOSK_SOURCE_DIR"));
    assert_int_equal(run("notice", "check", demo, NULL), 0);
    assert_int_equal(run("notice", "check", NULL), 2);
}

static void test_add_from_flags_list_remove(void **st)
{
    assert_int_equal(run("notice", "add", "--dir", dir, "--title", "核酸检测安排", "--title-en", "Testing schedule",
                         "--published", "2026-11-30 08:00", "--valid-until", "2026-12-31", "--category", "epidemic",
                         "--urgent", "--pinned", "--office", "居委会", "--body", "各位居民：\n明天上午8点开始。",
                         "--body-en", "Tomorrow from 8:00.", NULL),
                     0);
    assert_contains(out, "2026-11-30-1.txt");
    char path[300];
    snprintf(path, sizeof path, "%s/2026-11-30-1.txt", dir);
    notice *n = NULL;
    char e[512];
    assert_int_equal(notice_load(path, &n, e, sizeof e), NOTICE_OK);
    assert_string_equal(n->title[I18N_EN], "Testing schedule");
    assert_string_equal(n->body[I18N_ZH], "各位居民：\n明天上午8点开始。");
    assert_true(n->urgent && n->pinned);
    assert_int_equal(n->cat, NOTICE_CAT_EPIDEMIC);
    notice_free(n);
    /* a second one the same day gets the next number */
    assert_int_equal(run("notice", "add", "--dir", dir, "--title", "第二条", "--published", "2026-11-30", "--body",
                         "x", NULL),
                     0);
    assert_contains(out, "2026-11-30-2.txt");
    /* invalid: a bad date is refused with what is wrong, nothing written */
    assert_int_equal(run("notice", "add", "--dir", dir, "--id", "bad", "--title", "t", "--published", "2026-02-30",
                         "--body", "x", NULL),
                     1);
    assert_contains(err, "bad.txt:");
    assert_contains(err, "published");
    assert_contains(err, "nothing was written");
    snprintf(path, sizeof path, "%s/bad.txt", dir);
    assert_int_not_equal(access(path, F_OK), 0);
    assert_int_equal(run("notice", "add", "--dir", dir, "--title", "t", NULL), 2);
    assert_int_equal(run("notice", "add", "--dir", dir, "--title", "a\nb", "--published", "2026-11-30", "--body", "x",
                         NULL),
                     2);
    /* list */
    assert_int_equal(run("notice", "list", "--dir", dir, NULL), 0);
    assert_contains(out, "核酸检测安排");
    assert_contains(out, "2026-11-30-1");
    assert_contains(out, "PU");
    /* remove */
    assert_int_equal(run("notice", "remove", "2026-11-30-1", "--dir", dir, NULL), 0);
    assert_int_equal(run("notice", "remove", "2026-11-30-1", "--dir", dir, NULL), 1);
    assert_int_equal(run("notice", "remove", "../etc/passwd", "--dir", dir, NULL), 2);
    assert_int_equal(run("notice", "list", "--dir", dir, NULL), 0);
    assert_true(strstr(out, "核酸检测安排") == NULL);
}

static void test_add_file_with_image(void **st)
{
    char src[200];
    snprintf(src, sizeof src, "%s/src", dir);
    assert_int_equal(mkdir(src, 0755), 0);
    char dst[200];
    snprintf(dst, sizeof dst, "%s/dst", dir);
    assert_int_equal(mkdir(dst, 0755), 0);
    put("src/map-notice.txt", "title: 地图\npublished: 2026-11-20\nimage: map.png\n\n见上图。\n");
    char file[300];
    snprintf(file, sizeof file, "%s/map-notice.txt", src);
    /* no picture anywhere: refused */
    assert_int_equal(run("notice", "add", file, "--dir", dst, NULL), 1);
    assert_contains(err, "map-notice.txt:3: image 'map.png' not found");
    char demo_png[512];
    snprintf(demo_png, sizeof demo_png, "cp '%s/assets/demo/notices/entrances-map.png' '%s/map.png'",
             getenv("KIOSK_SOURCE_DIR"), src);
    assert_int_equal(system(demo_png), 0);
    assert_int_equal(run("notice", "add", file, "--dir", dst, NULL), 0);
    assert_int_equal(run("notice", "check", dst, NULL), 0); /* the picture came along */
    assert_int_equal(run("notice", "add", file, "--dir", dst, NULL), 1);
    assert_contains(err, "--replace");
    assert_int_equal(run("notice", "add", file, "--dir", dst, "--replace", NULL), 0);
    /* a broken file is not copied */
    put("src/broken.txt", "title: x\n\n正文\n");
    snprintf(file, sizeof file, "%s/broken.txt", src);
    assert_int_equal(run("notice", "add", file, "--dir", dst, NULL), 1);
    assert_contains(err, "broken.txt:2: no publication date");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s KIOSKCTL\n", argv[0]);
        return 2;
    }
    kioskctl = argv[1];
    setenv("TZ", "Asia/Shanghai", 1);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_check, setup, teardown),
        cmocka_unit_test_setup_teardown(test_add_from_flags_list_remove, setup, teardown),
        cmocka_unit_test_setup_teardown(test_add_file_with_image, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
