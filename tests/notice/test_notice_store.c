/* test_notice_store.c - the notice store over a real directory, on the
 * simulated clock: display order, validity (not yet published, expired),
 * live updates (add, edit, remove) within one poll, broken files reported
 * with file:line while the others stay shown, images, a missing folder. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "kclock.h"
#include "klog.h"
#include "notice.h"

static char dir[128];

static time_t local(int y, int mo, int d, int h, int mi)
{
    struct tm tm = {.tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d, .tm_hour = h, .tm_min = mi, .tm_isdst = -1};
    return mktime(&tm);
}

static void put(const char *name, const char *fmt, ...)
{
    char path[300], tmp[320];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    snprintf(tmp, sizeof tmp, "%s/.%s.tmp", dir, name);
    FILE *f = fopen(tmp, "w"); /* as an editor saves: write aside, rename over */
    assert_non_null(f);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(f, fmt, ap);
    va_end(ap);
    fclose(f);
    assert_int_equal(rename(tmp, path), 0);
}

static void rm(const char *name)
{
    char path[300];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    assert_int_equal(unlink(path), 0);
}

/* A notice file: title, published, then extra header lines. */
#define NOTICE(title, published, extra) "title: " title "\npublished: " published "\n" extra "\n正文\n"

static bool poll_now(notice_store *s) { return notice_store_poll(s, kclock_ms(), kclock_wall()); }

/* Lets one poll interval pass and polls, as the kiosk does between frames. */
static bool tick(notice_store *s)
{
    kclock_advance(NOTICE_POLL_MS);
    return poll_now(s);
}

static void assert_order(notice_store *s, const char *const *ids, size_t n)
{
    assert_int_equal(notice_store_count(s), n);
    for (size_t i = 0; i < n; i++)
        assert_string_equal(notice_store_get(s, i)->id, ids[i]);
}

static int setup(void **st)
{
    klog_set_quiet(1);
    setenv("TZ", "Asia/Shanghai", 1);
    tzset();
    kclock_simulate(local(2026, 11, 30, 9, 30));
    snprintf(dir, sizeof dir, "/tmp/notice-store-XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **st)
{
    char cmd[200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static void test_order_pinned_then_newest(void **st)
{
    put("a.txt", NOTICE("A", "2026-11-20", "pinned: yes\n"));
    put("b.txt", NOTICE("B", "2026-11-28", ""));
    put("c.txt", NOTICE("C", "2026-11-25", "urgent: yes\n"));
    put("d.txt", NOTICE("D", "2026-11-22", "pinned: yes\ncategory: supplies\n"));
    put("e.txt", NOTICE("E", "2026-11-28", "urgent: yes\ncategory: supplies\n"));
    put("notes.md", "not a notice\n");
    put(".e.txt.swp", "an editor's swap file\n");
    notice_store *s;
    assert_int_equal(notice_store_open(dir, kclock_wall(), &s), NOTICE_OK);
    static const char *const want[] = {"d", "a", "b", "e", "c"}; /* same day: by id */
    assert_order(s, want, 5);
    assert_int_equal(notice_store_problems(s), 0);
    const notice *list[8];
    assert_int_equal(notice_store_list(s, NOTICE_CAT_SUPPLIES, list, 8), 2);
    assert_string_equal(list[0]->id, "d");
    assert_string_equal(list[1]->id, "e");
    assert_int_equal(notice_store_list(s, NOTICE_CAT_ALL, list, 2), 5); /* counts beyond CAP */
    assert_int_equal(notice_store_list(s, NOTICE_CAT_VOLUNTEERS, list, 8), 0);
    assert_string_equal(notice_store_urgent(s)->id, "e");
    assert_string_equal(notice_store_find(s, "c")->title[I18N_ZH], "C");
    assert_null(notice_store_find(s, "zz"));
    assert_null(notice_store_get(s, 5));
    /* nothing changed: a poll finds nothing, allocates nothing new */
    uint64_t v = notice_store_version(s);
    assert_false(poll_now(s));
    assert_false(tick(s));
    assert_false(tick(s));
    assert_int_equal(notice_store_version(s), v);
    notice_store_close(s);
    notice_store_close(NULL);
}

static void test_validity_on_the_clock(void **st)
{
    put("now.txt", NOTICE("现在", "2026-11-29", "valid_until: 2026-11-30\n"));
    put("later.txt", NOTICE("以后", "2026-12-01 08:00", ""));
    put("old.txt", NOTICE("过期", "2026-11-01", "valid_until: 2026-11-20\n"));
    notice_store *s;
    assert_int_equal(notice_store_open(dir, kclock_wall(), &s), NOTICE_OK);
    static const char *const today[] = {"now"};
    assert_order(s, today, 1);
    assert_int_equal(notice_store_total(s), 3); /* kioskctl sees them all */
    /* 30 Nov is the last day of "now": at midnight it goes by itself, with
     * no file touched and between two directory scans. */
    uint64_t v = notice_store_version(s);
    kclock_advance((uint64_t)(local(2026, 11, 30, 23, 59) - kclock_wall()) * 1000u);
    poll_now(s);
    assert_order(s, today, 1);
    kclock_advance(60 * 1000);
    assert_true(notice_store_poll(s, notice_store_next_poll(s) - 1, kclock_wall()));
    assert_int_equal(notice_store_count(s), 0);
    assert_true(notice_store_version(s) > v);
    /* 1 Dec 08:00: "later" is published */
    kclock_advance(8 * 3600 * 1000 - 1000);
    poll_now(s);
    assert_int_equal(notice_store_count(s), 0);
    kclock_advance(1000);
    assert_true(poll_now(s));
    static const char *const next_day[] = {"later"};
    assert_order(s, next_day, 1);
    assert_int_equal(notice_state_at(notice_store_all(s, 0), kclock_wall()), NOTICE_SHOWN);
    notice_store_close(s);
}

static void test_live_add_edit_remove(void **st)
{
    put("a.txt", NOTICE("A", "2026-11-20", ""));
    notice_store *s;
    assert_int_equal(notice_store_open(dir, kclock_wall(), &s), NOTICE_OK);
    poll_now(s);
    assert_int_equal(notice_store_count(s), 1);

    /* add: seen at the next scan, not before */
    put("b.txt", NOTICE("B", "2026-11-29", "urgent: yes\n"));
    kclock_advance(NOTICE_POLL_MS / 2);
    assert_false(poll_now(s));
    assert_int_equal(notice_store_count(s), 1);
    kclock_advance(NOTICE_POLL_MS / 2);
    assert_true(poll_now(s));
    static const char *const two[] = {"b", "a"};
    assert_order(s, two, 2);

    /* edit in place, same length, within the same clock tick of the file
     * system: the racy check still sees it */
    char path[300];
    snprintf(path, sizeof path, "%s/b.txt", dir);
    FILE *f = fopen(path, "r+");
    assert_non_null(f);
    assert_int_equal(fseek(f, 7, SEEK_SET), 0); /* "title: B" -> "title: C" */
    fputc('C', f);
    fclose(f);
    assert_true(tick(s));
    assert_string_equal(notice_store_get(s, 0)->title[I18N_ZH], "C");
    /* an edit that changes the order */
    put("a.txt", NOTICE("A2", "2026-11-20", "pinned: yes\n"));
    assert_true(tick(s));
    static const char *const pinned[] = {"a", "b"};
    assert_order(s, pinned, 2);
    assert_string_equal(notice_store_get(s, 0)->title[I18N_ZH], "A2");
    /* remove */
    rm("a.txt");
    assert_true(tick(s));
    static const char *const one[] = {"b"};
    assert_order(s, one, 1);
    rm("b.txt");
    assert_true(tick(s));
    assert_int_equal(notice_store_count(s), 0);
    assert_null(notice_store_urgent(s));
    notice_store_close(s);
}

static void test_broken_file_reported_others_shown(void **st)
{
    put("good.txt", NOTICE("好", "2026-11-20", ""));
    put("bad.txt", "title: 坏\npublished: 2026-02-30\n\n正文\n");
    put("gbk.txt", "title: \xC9\xE7\xC7\xF8\npublished: 2026-11-20\n\nx\n");
    notice_store *s;
    assert_int_equal(notice_store_open(dir, kclock_wall(), &s), NOTICE_OK);
    static const char *const good[] = {"good"};
    assert_order(s, good, 1);
    assert_int_equal(notice_store_problems(s), 2);
    assert_non_null(strstr(notice_store_problem(s, 0), "bad.txt:2: published"));
    assert_non_null(strstr(notice_store_problem(s, 1), "gbk.txt:1: invalid UTF-8"));
    assert_null(notice_store_problem(s, 2));
    char recent[KLOG_LINE];
    assert_true(klog_recent(0, recent, sizeof recent)); /* logged for the journal too */
    /* fixed: shown at the next scan, the problem gone */
    put("bad.txt", "title: 坏\npublished: 2026-11-30\n\n正文\n");
    assert_true(tick(s));
    assert_int_equal(notice_store_count(s), 2);
    assert_int_equal(notice_store_problems(s), 1);
    /* broken again: it disappears, the others stay */
    put("good.txt", "title 好\n");
    assert_true(tick(s));
    assert_int_equal(notice_store_count(s), 1);
    assert_string_equal(notice_store_get(s, 0)->id, "bad");
    assert_non_null(strstr(notice_store_problem(s, 1), "good.txt:1:"));
    notice_store_close(s);
}

static void write_png(const char *name, unsigned w, unsigned h)
{
    char path[300];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    unsigned char head[33] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R'};
    for (int i = 0; i < 4; i++) {
        head[16 + i] = (unsigned char)(w >> (24 - 8 * i));
        head[20 + i] = (unsigned char)(h >> (24 - 8 * i));
    }
    FILE *f = fopen(path, "wb");
    fwrite(head, 1, sizeof head, f);
    fclose(f);
}

static void test_images(void **st)
{
    put("map.txt", NOTICE("地图", "2026-11-20", "image: map.png\n"));
    notice_store *s;
    assert_int_equal(notice_store_open(dir, kclock_wall(), &s), NOTICE_OK);
    assert_int_equal(notice_store_count(s), 1); /* shown without the picture... */
    assert_int_equal(notice_store_get(s, 0)->image_w, 0);
    assert_int_equal(notice_store_problems(s), 1); /* ...and the admin is told */
    assert_non_null(strstr(notice_store_problem(s, 0), "map.txt:3: image 'map.png' was not found"));
    char path[1024];
    assert_false(notice_store_image_path(s, notice_store_get(s, 0), path, sizeof path));
    write_png("map.png", 1000, 640);
    assert_true(tick(s));
    const notice *n = notice_store_get(s, 0);
    assert_int_equal(n->image_w, 1000);
    assert_int_equal(n->image_h, 640);
    assert_int_equal(notice_store_problems(s), 0);
    assert_true(notice_store_image_path(s, n, path, sizeof path));
    assert_non_null(strstr(path, "/map.png"));
    uint32_t v1 = n->image_version;
    /* a new picture under the same name: a new version for the texture cache */
    rm("map.png");
    write_png("map.png", 500, 320);
    assert_true(tick(s));
    n = notice_store_get(s, 0);
    assert_int_equal(n->image_w, 500);
    assert_int_not_equal(n->image_version, v1);
    put("map.png", "not a png\n");
    tick(s);
    assert_non_null(strstr(notice_store_problem(s, 0), "is not a PNG image"));
    notice_store_close(s);
}

static void test_missing_folder_appears(void **st)
{
    char sub[200];
    snprintf(sub, sizeof sub, "%s/later", dir);
    notice_store *s;
    assert_int_equal(notice_store_open(sub, kclock_wall(), &s), NOTICE_OK);
    assert_int_equal(notice_store_count(s), 0);
    assert_int_equal(notice_store_problems(s), 1);
    assert_non_null(strstr(notice_store_problem(s, 0), "later:0: cannot open the notice folder"));
    assert_string_equal(notice_store_dir(s), sub);
    assert_int_equal(mkdir(sub, 0755), 0);
    char path[300];
    snprintf(path, sizeof path, "%s/x.txt", sub);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(NOTICE("X", "2026-11-20", ""), f);
    fclose(f);
    assert_true(tick(s));
    assert_int_equal(notice_store_count(s), 1);
    assert_int_equal(notice_store_problems(s), 0);
    notice_store_close(s);
}

static void test_many_files(void **st)
{
    for (int i = 0; i < 200; i++) {
        char name[32];
        snprintf(name, sizeof name, "n%03d.txt", i);
        put(name, "title: 第%d条\npublished: 2026-11-%02d\n\n正文\n", i, 1 + i % 28);
    }
    notice_store *s;
    assert_int_equal(notice_store_open(dir, kclock_wall(), &s), NOTICE_OK);
    assert_int_equal(notice_store_count(s), 200);
    for (size_t i = 1; i < 200; i++)
        assert_true(notice_store_get(s, i - 1)->published >= notice_store_get(s, i)->published);
    rm("n100.txt");
    assert_true(notice_store_rescan(s, kclock_wall()));
    assert_int_equal(notice_store_count(s), 199);
    notice_store_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_order_pinned_then_newest, setup, teardown),
        cmocka_unit_test_setup_teardown(test_validity_on_the_clock, setup, teardown),
        cmocka_unit_test_setup_teardown(test_live_add_edit_remove, setup, teardown),
        cmocka_unit_test_setup_teardown(test_broken_file_reported_others_shown, setup, teardown),
        cmocka_unit_test_setup_teardown(test_images, setup, teardown),
        cmocka_unit_test_setup_teardown(test_missing_folder_appears, setup, teardown),
        cmocka_unit_test_setup_teardown(test_many_files, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
