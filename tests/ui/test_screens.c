/* test_screens.c - the kiosk as a resident and an administrator meet it,
 * headless (off-screen software rendering, real fonts, simulated clock):
 * every tappable thing on every screen meets the target floor in both
 * languages, orientations and text sizes; the idle countdown and the wipe;
 * the hidden admin gesture, PIN lockout persisted across restarts, exit. */
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

static char base_dir[128], data_dir[256];

static app *open_app(int w, int h)
{
    app_opts o = {.headless = true, .width = w, .height = h, .renderer = -1, .data_dir = data_dir,
                  .root = getenv("KIOSK_SOURCE_DIR")};
    app *a;
    char err[512];
    app_err e = app_open(&o, &a, err, sizeof err);
    if (e != APP_OK)
        fail_msg("app_open: %s", err);
    return a;
}

static void ev(app *a, ui_sdl_event_type t, int x, int y)
{
    ui_sdl_event e = {.type = t, .x = x, .y = y};
    app_event(a, &e);
}

static void wait_ms(app *a, uint64_t ms) { app_advance(a, ms, false); }

static void tap_id(app *a, ui_id id)
{
    ui_rect r;
    if (!ui_hit_rect(app_ui(a), id, &r)) {
        size_t n;
        ui_hits(app_ui(a), &n);
        fail_msg("no such widget on screen %d (%zu widgets, idle countdown %s)", app_session(a)->screen, n,
                 app_env(a)->idle_showing ? "showing" : "not showing");
    }
    ev(a, UI_EV_DOWN, r.x + r.w / 2, r.y + r.h / 2);
    wait_ms(a, 60);
    ev(a, UI_EV_UP, r.x + r.w / 2, r.y + r.h / 2);
    app_frame(a); /* as the main loop does after a batch of events */
}

static void tap(app *a, const char *name) { tap_id(a, ui_id_str(name)); }

static void type_pin(app *a, const char *digits)
{
    for (const char *d = digits; *d; d++)
        tap_id(a, ui_id_child(ui_id_str("pin.pad"), *d == '0' ? 10 : *d - '1'));
    tap(a, "pin.ok");
}

static void open_pin_pad(app *a)
{
    ev(a, UI_EV_DOWN, 10, 10);
    wait_ms(a, 5000);
    ev(a, UI_EV_UP, 10, 10);
    assert_int_equal(app_session(a)->screen, SCR_ADMIN_PIN);
}

/* Every tappable widget: at least the target size, on screen, not overlapping. */
static void audit(app *a, const char *what)
{
    size_t n;
    const ui_rect *h = ui_hits(app_ui(a), &n);
    int W, H;
    ui_sdl_size(app_platform(a), &W, &H);
    const ui_theme *t = ui_theme_of(app_ui(a));
    assert_true(t->target >= 96);
    for (size_t i = 0; i < n; i++) {
        if (h[i].w < t->target || h[i].h < t->target)
            fail_msg("%s: widget %zu is %dx%d px, below the %d px target", what, i, h[i].w, h[i].h, t->target);
        if (h[i].x < 0 || h[i].y < 0 || h[i].x + h[i].w > W || h[i].y + h[i].h > H)
            fail_msg("%s: widget %zu (%d,%d %dx%d) is off screen", what, i, h[i].x, h[i].y, h[i].w, h[i].h);
        for (size_t j = 0; j < i; j++) {
            bool apart = h[i].x >= h[j].x + h[j].w || h[j].x >= h[i].x + h[i].w || h[i].y >= h[j].y + h[j].h ||
                         h[j].y >= h[i].y + h[i].h;
            if (!apart)
                fail_msg("%s: widgets %zu and %zu overlap", what, j, i);
        }
    }
    assert_false(ui_overflowed(app_ui(a)));

    /* No line of text runs off the side of the screen (a label too long
     * for its button, a word that would not wrap). */
    size_t nc;
    const ui_cmd *cmd = ui_commands(app_ui(a), &nc);
    const char *arena = ui_text_arena(app_ui(a));
    for (size_t i = 0; i < nc; i++) {
        if (cmd[i].type != UI_CMD_TEXT)
            continue;
        int w = ui_text_width(app_ui(a), (ui_font)cmd[i].font, arena + cmd[i].text_off, cmd[i].text_len);
        if (cmd[i].r.x < 0 || cmd[i].r.x + w > W)
            fail_msg("%s: text '%.*s' (x %d, %d px wide) runs off the %d px screen", what, (int)cmd[i].text_len,
                     arena + cmd[i].text_off, cmd[i].r.x, w, W);
    }
}

static void test_targets_everywhere(void **st)
{
    static const int sizes[2][2] = {{1080, 1920}, {1920, 1080}};
    for (int o = 0; o < 2; o++) {
        app *a = open_app(sizes[o][0], sizes[o][1]);
        for (int lang = 0; lang < 2; lang++) {
            for (int large = 0; large < 2; large++) {
                char what[64];
                scr_session *s = app_session(a);
                const scr_id screens[] = {SCR_HOME, SCR_CONTACT, SCR_ADMIN_PIN, SCR_ADMIN, SCR_NOTICES, SCR_NOTICE,
                                          SCR_ATTRACT};
                for (size_t k = 0; k < sizeof screens / sizeof screens[0]; k++) {
                    s->screen = screens[k];
                    s->lang = lang ? I18N_EN : I18N_ZH;
                    s->large_text = large;
                    app_frame(a);
                    app_frame(a);
                    snprintf(what, sizeof what, "%dx%d %s %s screen %d", sizes[o][0], sizes[o][1],
                             lang ? "en" : "zh", large ? "large" : "normal", (int)screens[k]);
                    audit(a, what);
                }
                s->confirm_exit = true; /* the admin's exit dialog */
                app_frame(a);
                audit(a, "exit dialog");
                s->confirm_exit = false;
                s->screen = SCR_CONTACT; /* the idle countdown */
                app_env(a)->last_input_ms = kclock_ms();
                wait_ms(a, 95000);
                assert_true(app_env(a)->idle_showing);
                audit(a, "idle countdown");
                ui_rect r;
                assert_true(ui_hit_rect(app_ui(a), ui_id_str("idle.continue"), &r));
                assert_true(r.h >= 2 * ui_theme_of(app_ui(a))->target); /* the one big button */
                tap(a, "idle.continue");
                assert_false(app_env(a)->idle_showing);
            }
        }
        app_close(a);
    }
}

static bool contains(const void *hay, size_t n, const char *needle)
{
    size_t k = strlen(needle);
    for (size_t i = 0; i + k <= n; i++)
        if (memcmp((const char *)hay + i, needle, k) == 0)
            return true;
    return false;
}

static void test_idle_wipes_everything(void **st)
{
    app *a = open_app(1920, 1080); /* landscape: the numbers list needs scrolling */
    scr_session fresh;
    scr_session_init(&fresh, app_env(a));
    fresh.entered_ms = 0;

    /* A visit: English, large text, the numbers list scrolled, then PIN digits typed. */
    tap(a, "hdr.lang");
    tap(a, "hdr.size");
    tap(a, "contact");
    assert_int_equal(app_session(a)->screen, SCR_CONTACT);
    ev(a, UI_EV_DOWN, 500, 800);
    for (int k = 1; k <= 10; k++) {
        wait_ms(a, 16);
        ev(a, UI_EV_MOVE, 500, 800 - 40 * k);
    }
    ev(a, UI_EV_UP, 500, 400);
    assert_true(app_session(a)->contact_scroll.offset > 0);
    tap(a, "hdr.back");
    open_pin_pad(a);
    for (const char *d = "1357"; *d; d++)
        tap_id(a, ui_id_child(ui_id_str("pin.pad"), *d - '1'));
    assert_string_equal(app_session(a)->pin, "1357");

    /* 89 s: nothing yet. 90 s: the countdown, 20 s. 110 s: gone. */
    wait_ms(a, 89000);
    assert_false(app_env(a)->idle_showing);
    wait_ms(a, 1000);
    assert_true(app_env(a)->idle_showing);
    scr_ctx c = {app_ui(a), app_env(a), app_session(a), kclock_ms()};
    assert_int_equal(scr_idle_left(&c), 20);
    /* a touch beside the button is not "continue" and does not act on the screen */
    ev(a, UI_EV_DOWN, 10, 1070);
    ev(a, UI_EV_UP, 10, 1070);
    assert_int_equal(app_session(a)->screen, SCR_ADMIN_PIN);
    wait_ms(a, 19000);
    assert_true(app_env(a)->idle_showing);
    wait_ms(a, 1000);
    assert_false(app_env(a)->idle_showing);

    scr_session *s = app_session(a);
    s->entered_ms = 0;
    assert_int_equal(s->screen, SCR_HOME);
    assert_int_equal(s->lang, I18N_ZH);
    assert_memory_equal(s, &fresh, sizeof fresh); /* byte for byte a fresh session */
    assert_false(contains(s, sizeof *s, "1357"));
    assert_int_equal(i18n_lang_get(), I18N_ZH);
    assert_false(ui_theme_of(app_ui(a))->large_text);
    app_close(a);
}

static void test_admin_gesture_lockout_and_exit(void **st)
{
    app *a = open_app(1080, 1920);
    /* 4.9 s is not enough */
    ev(a, UI_EV_DOWN, 10, 10);
    wait_ms(a, 4900);
    ev(a, UI_EV_UP, 10, 10);
    assert_int_equal(app_session(a)->screen, SCR_HOME);
    open_pin_pad(a);
    for (int i = 0; i < 4; i++) {
        type_pin(a, "1111");
        assert_int_equal(app_session(a)->pin_result, APIN_EWRONG);
        assert_string_equal(app_session(a)->pin, "");
    }
    type_pin(a, "2222");
    assert_int_equal(app_session(a)->pin_result, APIN_ELOCKED);
    app_close(a);

    /* Pulling the plug does not reset the lock. */
    a = open_app(1080, 1920);
    assert_true(apin_lock_remaining(&app_env(a)->lock, kclock_wall()) > 290);
    open_pin_pad(a);
    ui_rect r;
    assert_false(ui_hit_rect(app_ui(a), ui_id_child(ui_id_str("pin.pad"), 0), &r)); /* pad is disabled */
    wait_ms(a, 301000);
    /* the idle timer took it home meanwhile, and the idle home screen went
     * on to the attract loop; a touch brings home back */
    if (app_session(a)->screen == SCR_ATTRACT) {
        ev(a, UI_EV_DOWN, 500, 500);
        ev(a, UI_EV_UP, 500, 500);
        app_frame(a);
    }
    assert_int_equal(app_session(a)->screen, SCR_HOME);
    open_pin_pad(a);
    type_pin(a, "246810");
    assert_int_equal(app_session(a)->screen, SCR_ADMIN);
    tap(a, "admin.exit");
    assert_true(app_session(a)->confirm_exit);
    tap_id(a, ui_id_child(ui_id_str("admin.confirm"), 2)); /* cancel */
    assert_false(app_exit_requested(a));
    tap(a, "admin.exit");
    tap_id(a, ui_id_child(ui_id_str("admin.confirm"), 1));
    assert_true(app_exit_requested(a));
    app_close(a);
}

static void test_quit_keys_ignored_and_single_instance(void **st)
{
    app *a = open_app(1080, 1920);
    ui_sdl_event e = {.type = UI_EV_KEY, .key = 'q', .mod = UI_MOD_CTRL};
    app_event(a, &e);
    e = (ui_sdl_event){.type = UI_EV_KEY, .key = 0x4000003D, .mod = UI_MOD_ALT};
    app_event(a, &e);
    e = (ui_sdl_event){.type = UI_EV_QUIT};
    app_event(a, &e);
    assert_false(app_exit_requested(a));
    /* a second kiosk on the same data directory is refused, with the reason */
    app_opts o = {.headless = true, .renderer = -1, .data_dir = data_dir, .root = getenv("KIOSK_SOURCE_DIR")};
    app *b = NULL;
    char err[512];
    assert_int_equal(app_open(&o, &b, err, sizeof err), APP_ELOCKED);
    assert_null(b);
    assert_non_null(strstr(err, "already running"));
    app_close(a);
}

static void test_bad_config_out_of_service_then_recovers(void **st)
{
    char path[300];
    snprintf(path, sizeof path, "%s/bad.ini", data_dir);
    FILE *f = fopen(path, "w");
    fputs("[kiosk]\ncommunity_name = 测试\n[display]\nrenderr = software\n", f);
    fclose(f);
    app_opts o = {.headless = true, .renderer = -1, .data_dir = data_dir, .config_path = path,
                  .root = getenv("KIOSK_SOURCE_DIR")};
    app *a;
    char err[512];
    assert_int_equal(app_open(&o, &a, err, sizeof err), APP_OK);
    assert_int_equal(app_session(a)->screen, SCR_OOS);
    assert_non_null(strstr(app_env(a)->oos_error, "bad.ini:4"));
    /* fixed while it waits: back in service at the next retry */
    f = fopen(path, "w");
    fputs("[kiosk]\ncommunity_name = 测试\n", f);
    fclose(f);
    wait_ms(a, APP_RETRY_S * 1000 + 10);
    assert_int_equal(app_session(a)->screen, SCR_HOME);
    app_close(a);
}

static int setup(void **st)
{
    klog_set_quiet(1);
    kclock_simulate(1796027400);
    snprintf(base_dir, sizeof base_dir, "/tmp/kiosk-test-screens-XXXXXX");
    return mkdtemp(base_dir) ? 0 : -1;
}

static int teardown(void **st)
{
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", base_dir);
    return system(cmd) == 0 ? 0 : -1;
}

/* Each test gets its own data directory: a failed test that leaves its
 * kiosk open (and its lock held) does not take the others down with it. */
static int fresh_dir(void **st)
{
    static int n;
    snprintf(data_dir, sizeof data_dir, "%s/t%d", base_dir, n++);
    return mkdir(data_dir, 0755);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_targets_everywhere, fresh_dir),
        cmocka_unit_test_setup(test_idle_wipes_everything, fresh_dir),
        cmocka_unit_test_setup(test_admin_gesture_lockout_and_exit, fresh_dir),
        cmocka_unit_test_setup(test_quit_keys_ignored_and_single_instance, fresh_dir),
        cmocka_unit_test_setup(test_bad_config_out_of_service_then_recovers, fresh_dir),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
