/* test_apin.c - the admin PIN: argon2id hashes, the lockout after wrong
 * tries (kept across restarts in the data directory), and the off-thread
 * check the PIN pad uses so that the UI never waits for argon2id. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "apin.h"

static char dir[64];
static char hash[APIN_HASH_MAX];

static int setup(void **st)
{
    snprintf(dir, sizeof dir, "/tmp/kiosk-test-apin-XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    return apin_hash("246810", hash, sizeof hash) == APIN_OK ? 0 : -1;
}

static int teardown(void **st)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static int clean_lock(void **st)
{
    char p[128];
    snprintf(p, sizeof p, "%s/admin-lockout", dir);
    unlink(p);
    return 0;
}

static void test_hash_and_format(void **st)
{
    assert_true(strncmp(hash, "$argon2id$", 10) == 0);
    char h2[APIN_HASH_MAX];
    assert_int_equal(apin_hash("246810", h2, sizeof h2), APIN_OK);
    assert_string_not_equal(hash, h2); /* salted */
    assert_int_equal(apin_hash("123", h2, sizeof h2), APIN_EFORMAT);
    assert_int_equal(apin_hash("12345678901234", h2, sizeof h2), APIN_EFORMAT);
    assert_int_equal(apin_hash("12a4", h2, sizeof h2), APIN_EFORMAT);
    assert_int_equal(apin_hash("1234", h2, 10), APIN_ECRYPTO); /* no room */
    assert_true(apin_valid("0000") && apin_valid("123456789012"));
    assert_false(apin_valid("") || apin_valid("1 23") || apin_valid("-123"));
}

static void test_try_and_lockout_persisted(void **st)
{
    apin_lock l;
    assert_int_equal(apin_lock_load(&l, dir), APIN_OK);
    time_t now = 1796027400;
    assert_int_equal(apin_try(&l, hash, "246810", 5, 300, now), APIN_OK);
    for (int i = 0; i < 4; i++)
        assert_int_equal(apin_try(&l, hash, "111111", 5, 300, now), APIN_EWRONG);
    assert_int_equal(apin_try(&l, hash, "111111", 5, 300, now), APIN_ELOCKED);
    /* even the right PIN waits out the lock */
    assert_int_equal(apin_try(&l, hash, "246810", 5, 300, now + 10), APIN_ELOCKED);
    assert_int_equal(apin_lock_remaining(&l, now + 10), 290);

    apin_lock again; /* a restart */
    assert_int_equal(apin_lock_load(&again, dir), APIN_OK);
    assert_int_equal(apin_lock_remaining(&again, now + 10), 290);
    assert_int_equal(apin_try(&again, hash, "246810", 5, 300, now + 300), APIN_OK);
    assert_int_equal(again.failures, 0);
}

static void test_begin_refuses(void **st)
{
    apin_lock l;
    apin_lock_load(&l, NULL); /* in memory only */
    assert_int_equal(apin_begin(&l, "", 0), APIN_ENOPIN);
    assert_int_equal(apin_begin(&l, NULL, 0), APIN_ENOPIN);
    assert_int_equal(apin_begin(&l, "$argon2i$v=19$...", 0), APIN_EFORMAT);
    assert_int_equal(apin_begin(&l, hash, 0), APIN_OK);
    l.locked_until = 100;
    assert_int_equal(apin_begin(&l, hash, 50), APIN_ELOCKED);
    assert_int_equal(apin_begin(&l, hash, 100), APIN_OK);
}

static void test_damaged_lock_file(void **st)
{
    char p[128];
    snprintf(p, sizeof p, "%s/admin-lockout", dir);
    FILE *f = fopen(p, "w");
    fputs("garbage\n", f);
    fclose(f);
    apin_lock l;
    assert_int_equal(apin_lock_load(&l, dir), APIN_EIO); /* reported, not trusted */
    assert_int_equal(l.failures, 0);
    assert_int_equal(apin_lock_remaining(&l, 0), 0);
}

static int wait_check(apin_check *c)
{
    int r;
    while ((r = apin_check_poll(c)) < 0)
        usleep(2000); /* the thread finishes; how soon is not asserted */
    return r;
}

static void test_check_off_thread(void **st)
{
    apin_check *c = apin_check_start(hash, "246810", false);
    assert_non_null(c);
    assert_int_equal(wait_check(c), 1);
    apin_check_free(c);
    c = apin_check_start(hash, "246811", false);
    assert_int_equal(wait_check(c), 0);
    apin_check_free(c);
    c = apin_check_start(hash, "246810", true); /* sync: done on return */
    assert_int_equal(apin_check_poll(c), 1);
    apin_check_free(c);
    c = apin_check_start(hash, "246810", false);
    apin_check_free(c); /* freed while running: joins, no leak, no crash */
    apin_check_free(NULL);

    apin_lock l;
    apin_lock_load(&l, dir);
    for (int i = 0; i < 2; i++)
        assert_int_equal(apin_record(&l, false, 2, 60, 1000), i == 0 ? APIN_EWRONG : APIN_ELOCKED);
    assert_int_equal(apin_record(&l, true, 2, 60, 2000), APIN_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hash_and_format),
        cmocka_unit_test_setup(test_try_and_lockout_persisted, clean_lock),
        cmocka_unit_test(test_begin_refuses),
        cmocka_unit_test_setup(test_damaged_lock_file, clean_lock),
        cmocka_unit_test_setup(test_check_off_thread, clean_lock),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
