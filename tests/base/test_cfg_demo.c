/* The demo config shipped in assets/demo/kiosk.ini must load as it is, and
 * its admin PIN hash must be the documented demo PIN 246810. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfg.h"

static void test_demo_loads(void **state)
{
    (void)state;
    const char *src = getenv("KIOSK_SOURCE_DIR");
    char path[1024];
    snprintf(path, sizeof path, "%s/assets/demo/kiosk.ini", src ? src : KIOSK_SOURCE_DIR);
    cfg c, d;
    char err[512];
    cfg_err e = cfg_load(path, &c, err, sizeof err);
    if (e != CFG_OK)
        fail_msg("%s", err);
    assert_string_equal(c.community_zh, "祥和新城社区");
    assert_true(c.location_zh[0] != '\0');
    assert_true(c.location_en[0] != '\0');
    assert_true(c.n_contacts >= 3);
    for (int i = 0; i < c.n_contacts; i++) {
        assert_true(c.contacts[i].name_zh[0] != '\0');
        assert_true(c.contacts[i].name_en[0] != '\0');
        assert_true(c.contacts[i].phone[0] != '\0');
    }
    /* data_dir and assets_dir are left to the command line. */
    cfg_defaults(&d);
    assert_string_equal(c.data_dir, d.data_dir);
    assert_string_equal(c.assets_dir, d.assets_dir);
    /* The hash is argon2id and matches the PIN the comment gives. */
    assert_int_equal(sodium_init() >= 0, 1);
    assert_memory_equal(c.pin_hash, "$argon2id$", 10);
    assert_int_equal(crypto_pwhash_str_verify(c.pin_hash, "246810", 6), 0);
    assert_int_not_equal(crypto_pwhash_str_verify(c.pin_hash, "246811", 6), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_demo_loads),
    };
    return cmocka_run_group_tests_name("base_cfg_demo", tests, NULL, NULL);
}
