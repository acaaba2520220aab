/* test_ctl_devices.c - kioskctl qr / scan / print-test through their
 * entry points, with stdout captured to a file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ctl.h"
#include "qr.h"

static char dir[64];
static ctl_ctx cx;

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/test_ctl_dev_XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    cx.config_path = NULL;
    cx.data_dir = dir;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

typedef int (*ctl_fn)(const ctl_ctx *, int, char **);

/* Runs FN with ARGV, stdout captured into OUT (NUL-terminated). */
static int run(ctl_fn fn, char *out, size_t cap, int argc, char **argv)
{
    char path[128];
    snprintf(path, sizeof path, "%s/stdout.txt", dir);
    fflush(stdout);
    int saved = dup(1);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    dup2(fd, 1);
    close(fd);
    int rc = fn(&cx, argc, argv);
    fflush(stdout);
    dup2(saved, 1);
    close(saved);
    FILE *f = fopen(path, "rb");
    size_t n = fread(out, 1, cap - 1, f);
    out[n] = '\0';
    fclose(f);
    return rc;
}

static void test_qr_then_scan(void **state)
{
    (void)state;
    char png[128], out[1024];
    snprintf(png, sizeof png, "%s/pass.png", dir);
    char *qr_args[] = {"qr", "居民通行证 NCFOXN%TSMAHN", "-o", png, "--ec", "Q", "--module", "4"};
    assert_int_equal(run(ctl_qr_main, out, sizeof out, 8, qr_args), 0);
    assert_non_null(strstr(out, "QR version"));
    char *scan_args[] = {"scan", png};
    assert_int_equal(run(ctl_scan_main, out, sizeof out, 2, scan_args), 0);
    assert_string_equal(out, "居民通行证 NCFOXN%TSMAHN\n");

    /* Binary payloads print as hex; a missing file fails but the others
     * still print. */
    char bin[128];
    snprintf(bin, sizeof bin, "%s/bin.png", dir);
    qr_code *qr = NULL;
    assert_int_equal(qr_encode_bytes("\x01\x00\xff", 3, QR_EC_M, &qr), QR_OK);
    assert_int_equal(qr_write_png(qr, 4, 4, bin), QR_OK);
    qr_free(qr);
    char *scan2[] = {"scan", bin, "/nonexistent.png", png};
    assert_int_equal(run(ctl_scan_main, out, sizeof out, 4, scan2), 1);
    assert_string_equal(out, "hex:0100ff\n居民通行证 NCFOXN%TSMAHN\n");
}

static void test_usage_errors(void **state)
{
    (void)state;
    char out[256];
    char *a1[] = {"qr", "TEXT"};
    assert_int_equal(run(ctl_qr_main, out, sizeof out, 2, a1), 2);
    char *a2[] = {"qr", "TEXT", "-o", "x.png", "--ec", "X"};
    assert_int_equal(run(ctl_qr_main, out, sizeof out, 6, a2), 2);
    char *a3[] = {"qr", "TEXT", "-o", "x.png", "--module", "0"};
    assert_int_equal(run(ctl_qr_main, out, sizeof out, 6, a3), 2);
    char *a4[] = {"scan"};
    assert_int_equal(run(ctl_scan_main, out, sizeof out, 1, a4), 2);
    char *a5[] = {"print-test"};
    assert_int_equal(run(ctl_print_test_main, out, sizeof out, 1, a5), 2);
    char *a6[] = {"print-test", "--printer", "png:x.png", "--width", "wide"};
    assert_int_equal(run(ctl_print_test_main, out, sizeof out, 5, a6), 2);
    char *a7[] = {"qr", "TEXT", "-o", "/nonexistent-dir/x.png"};
    assert_int_equal(run(ctl_qr_main, out, sizeof out, 4, a7), 1);
}

static void test_print_test(void **state)
{
    (void)state;
    char url[160], png[128], out[1024];
    snprintf(png, sizeof png, "%s/ticket.png", dir);
    snprintf(url, sizeof url, "png:%s", png);
    char *a[] = {"print-test", "--printer", url, "--width", "576", "--payload", "T-1"};
    assert_int_equal(run(ctl_print_test_main, out, sizeof out, 7, a), 0);
    assert_non_null(strstr(out, "printed a test ticket (576x"));
    /* The printed ticket's QR reads back. */
    char *s[] = {"scan", png};
    assert_int_equal(run(ctl_scan_main, out, sizeof out, 2, s), 0);
    assert_string_equal(out, "T-1\n");

    /* An unplugged printer: failure, and the job waits in the spool under
     * the data directory. */
    char dev[160], spool[160];
    snprintf(dev, sizeof dev, "escpos:%s/no-such-lp0", dir);
    char *b[] = {"print-test", "--printer", dev};
    assert_int_equal(run(ctl_print_test_main, out, sizeof out, 3, b), 1);
    snprintf(spool, sizeof spool, "%s/print-spool", dir);
    assert_int_equal(access(spool, F_OK), 0);
    char *c[] = {"print-test", "--printer", "nonsense"};
    assert_int_equal(run(ctl_print_test_main, out, sizeof out, 3, c), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_qr_then_scan),
        cmocka_unit_test(test_usage_errors),
        cmocka_unit_test(test_print_test),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
