/* test_app.c - the program around the screens: an idle kiosk draws
 * nothing; a missing asset puts it out of service with the path, and it
 * comes back when the asset is there; the clock wakes it once a minute. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app.h"
#include "kclock.h"
#include "klog.h"

static char dir[128];

static app *open_with(const char *config)
{
    char data[256];
    snprintf(data, sizeof data, "%s/data", dir);
    app_opts o = {.headless = true, .renderer = -1, .data_dir = data, .config_path = config,
                  .root = getenv("KIOSK_SOURCE_DIR")};
    app *a;
    char err[512];
    if (app_open(&o, &a, err, sizeof err) != APP_OK)
        fail_msg("app_open: %s", err);
    return a;
}

static void test_idle_draws_nothing(void **st)
{
    app *a = open_with(NULL);
    assert_true(app_render(a, false)); /* the first frame */
    for (int i = 0; i < 50; i++) {
        app_frame(a);
        assert_false(app_render(a, false)); /* same picture: nothing drawn */
    }
    /* The next thing due is the minute on the clock, not a busy loop. */
    unsigned long long wake = app_next_wake(a);
    assert_true(wake > kclock_ms() && wake <= kclock_ms() + 60000);
    kclock_advance(wake - kclock_ms());
    app_frame(a);
    assert_true(app_render(a, false)); /* the clock moved: one redraw */
    app_close(a);
}

static void test_missing_asset_out_of_service(void **st)
{
    char cfgp[256], assets[256], po[300];
    snprintf(cfgp, sizeof cfgp, "%s/kiosk.ini", dir);
    snprintf(assets, sizeof assets, "%s/assets", dir);
    FILE *f = fopen(cfgp, "w");
    fprintf(f, "[kiosk]\nassets_dir = %s\n", assets);
    fclose(f);
    app *a = open_with(cfgp);
    assert_int_equal(app_session(a)->screen, SCR_OOS);
    assert_non_null(strstr(app_env(a)->oos_error, assets)); /* says which file is missing */
    /* the committee copies the translations in; the kiosk recovers on its own */
    mkdir(assets, 0755);
    snprintf(po, sizeof po, "%s/po", assets);
    mkdir(po, 0755);
    char cmd[700];
    snprintf(cmd, sizeof cmd, "cp '%s/assets/po/zh_CN.po' '%s/'", getenv("KIOSK_SOURCE_DIR"), po);
    assert_int_equal(system(cmd), 0);
    app_advance(a, APP_RETRY_S * 1000 + 10, false);
    assert_int_equal(app_session(a)->screen, SCR_HOME);
    app_close(a);
}

static int setup(void **st)
{
    klog_set_quiet(1);
    kclock_simulate(1796027400);
    snprintf(dir, sizeof dir, "/tmp/kiosk-test-app-XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **st)
{
    char cmd[200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_idle_draws_nothing),
        cmocka_unit_test(test_missing_asset_out_of_service),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
