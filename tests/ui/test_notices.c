/* test_notices.c - the notice screens headless (real fonts, software
 * renderer, simulated clock) over a notice folder the test writes: the
 * attract loop's timing and that a touch only ends it; the banner; chips,
 * rows and back; page buttons that start pages on a line; a drag that lands
 * where the finger left it; live updates and expiry on screen; the wipe. */
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

#include "app.h"
#include "kclock.h"
#include "klog.h"

static char base_dir[128], data_dir[256], notes[256], ini[300];

static void put(const char *name, const char *text)
{
    char path[400], tmp[420];
    snprintf(path, sizeof path, "%s/%s", notes, name);
    snprintf(tmp, sizeof tmp, "%s/.%s.tmp", notes, name);
    FILE *f = fopen(tmp, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    assert_int_equal(rename(tmp, path), 0);
}

static void rm(const char *name)
{
    char path[400];
    snprintf(path, sizeof path, "%s/%s", notes, name);
    assert_int_equal(unlink(path), 0);
}

static app *open_app(int w, int h)
{
    app_opts o = {.headless = true, .width = w, .height = h, .renderer = -1, .data_dir = data_dir,
                  .config_path = ini, .root = getenv("KIOSK_SOURCE_DIR")};
    app *a;
    char err[512];
    if (app_open(&o, &a, err, sizeof err) != APP_OK)
        fail_msg("app_open: %s", err);
    return a;
}

static void ev(app *a, ui_sdl_event_type t, int x, int y)
{
    ui_sdl_event e = {.type = t, .x = x, .y = y};
    app_event(a, &e);
}

/* Lets simulated time pass, running frames when the UI asks, as the main loop does. */
static void wait_ms(app *a, uint64_t ms)
{
    uint64_t end = kclock_ms() + ms;
    while (kclock_ms() < end) {
        uint64_t w = app_next_wake(a);
        uint64_t next = w && w > kclock_ms() && w < end ? w : end;
        kclock_advance(next - kclock_ms());
        app_frame(a);
    }
}

static ui_rect rect_of(app *a, ui_id id)
{
    ui_rect r;
    if (!ui_hit_rect(app_ui(a), id, &r))
        fail_msg("no such widget on screen %d", app_session(a)->screen);
    return r;
}

static void tap_id(app *a, ui_id id)
{
    ui_rect r = rect_of(a, id);
    ev(a, UI_EV_DOWN, r.x + r.w / 2, r.y + r.h / 2);
    wait_ms(a, 60);
    ev(a, UI_EV_UP, r.x + r.w / 2, r.y + r.h / 2);
    app_frame(a);
}

static void tap(app *a, const char *name) { tap_id(a, ui_id_str(name)); }
static void tap_child(app *a, const char *name, int i) { tap_id(a, ui_id_child(ui_id_str(name), i)); }

/* True when the last frame drew a text command containing S. */
static bool shows(app *a, const char *s)
{
    size_t n;
    const ui_cmd *c = ui_commands(app_ui(a), &n);
    const char *arena = ui_text_arena(app_ui(a));
    size_t k = strlen(s);
    for (size_t i = 0; i < n; i++) {
        if (c[i].type != UI_CMD_TEXT || c[i].text_len < k)
            continue;
        for (size_t j = 0; j + k <= c[i].text_len; j++)
            if (memcmp(arena + c[i].text_off + j, s, k) == 0)
                return true;
    }
    return false;
}

static bool has(app *a, ui_id id)
{
    ui_rect r;
    return ui_hit_rect(app_ui(a), id, &r);
}

static scr_id screen(app *a) { return app_session(a)->screen; }

/* Three notices the attract loop shows (U urgent and pinned, P pinned, V
 * urgent), one it does not (N), and a long one (L) for paging. */
static void demo_notes(void)
{
    put("u.txt", "title: 紧急封门\ntitle_en: Gates closed\npublished: 2026-11-28 08:00\nurgent: yes\npinned: yes\n"
                 "category: epidemic\n\n北门封闭。\n--- English ---\nThe north gate is closed.\n");
    put("p.txt", "title: 口罩发放\npublished: 2026-11-27\npinned: yes\ncategory: supplies\n\n每户10只。\n");
    put("v.txt", "title: 测温须知\ntitle_en: Temperature checks\npublished: 2026-11-29 18:00\nurgent: yes\n\n请测温。\n"
                 "--- English ---\nPlease have your temperature taken.\n");
    put("n.txt", "title: 普通通知\npublished: 2026-11-26\ncategory: daily\n\n一段话。\n");
    char long_text[16384] = "title: 长通知\npublished: 2026-11-20\ncategory: volunteers\n\n";
    size_t used = strlen(long_text);
    for (int i = 0; i < 40; i++)
        used += (size_t)snprintf(long_text + used, sizeof long_text - used,
                                 "第%d段：同住一个小区，齐保平安社区。志愿者送菜送药上门，请大家理解、支持与配合。\n", i + 1);
    put("l.txt", long_text);
}

static int setup(void **st)
{
    klog_set_quiet(1);
    kclock_simulate(1796027400); /* 2026-11-30 08:30 UTC */
    snprintf(base_dir, sizeof base_dir, "/tmp/kiosk-test-notices-XXXXXX");
    return mkdtemp(base_dir) ? 0 : -1;
}

static int teardown(void **st)
{
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", base_dir);
    return system(cmd) == 0 ? 0 : -1;
}

static int fresh(void **st)
{
    static int n;
    snprintf(data_dir, sizeof data_dir, "%s/t%d", base_dir, n);
    snprintf(notes, sizeof notes, "%s/notes%d", base_dir, n);
    snprintf(ini, sizeof ini, "%s/kiosk%d.ini", base_dir, n++);
    if (mkdir(data_dir, 0755) != 0 || mkdir(notes, 0755) != 0)
        return -1;
    FILE *f = fopen(ini, "w");
    if (!f)
        return -1;
    fprintf(f, "[kiosk]\ncommunity_name = 测试社区\n[notices]\ndir = %s\nattract_after_s = 60\nattract_each_s = 8\n",
            notes);
    fclose(f);
    demo_notes();
    return 0;
}

static void test_attract_timing(void **st)
{
    app *a = open_app(1080, 1920);
    wait_ms(a, 59999);
    assert_int_equal(screen(a), SCR_HOME);
    wait_ms(a, 1);
    assert_int_equal(screen(a), SCR_ATTRACT);
    /* pinned first, newest first: U (zh, en), P (zh; no English), V (zh, en), every 8 s */
    static const char *const slots[] = {"紧急封门", "Gates closed", "口罩发放", "测温须知", "Temperature checks"};
    for (int round = 0; round < 2; round++)
        for (size_t i = 0; i < 5; i++) {
            if (!shows(a, slots[i]))
                fail_msg("round %d slot %zu: \"%s\" not on screen", round, i, slots[i]);
            wait_ms(a, 7999);
            assert_true(shows(a, slots[i])); /* not a moment early */
            wait_ms(a, 1);
        }
    assert_false(shows(a, "普通通知")); /* neither urgent nor pinned */
    assert_int_equal(scr_idle_left(&(scr_ctx){app_ui(a), app_env(a), app_session(a), kclock_ms()}), -1);
    app_close(a);
}

static void test_touch_ends_attract_and_does_nothing_else(void **st)
{
    app *a = open_app(1080, 1920);
    ui_rect banner = rect_of(a, ui_id_str("home.banner"));
    wait_ms(a, 60000);
    assert_int_equal(screen(a), SCR_ATTRACT);
    /* a tap right where the home banner is: home, and not the notice */
    ev(a, UI_EV_DOWN, banner.x + 10, banner.y + 10);
    assert_int_equal(screen(a), SCR_HOME);
    wait_ms(a, 80);
    ev(a, UI_EV_UP, banner.x + 10, banner.y + 10);
    app_frame(a);
    assert_int_equal(screen(a), SCR_HOME);
    /* and the clock starts again from that touch */
    wait_ms(a, 59900);
    assert_int_equal(screen(a), SCR_HOME);
    wait_ms(a, 200);
    assert_int_equal(screen(a), SCR_ATTRACT);
    /* a drag ends it too, and does not scroll anything */
    ev(a, UI_EV_DOWN, 500, 900);
    ev(a, UI_EV_MOVE, 500, 700);
    ev(a, UI_EV_UP, 500, 500);
    app_frame(a);
    assert_int_equal(screen(a), SCR_HOME);
    app_close(a);
}

static void test_no_attract_in_a_session_or_without_notices(void **st)
{
    app *a = open_app(1080, 1920);
    tap(a, "hdr.lang"); /* a resident is here: the idle countdown, not the attract loop */
    wait_ms(a, 89000);
    assert_int_equal(screen(a), SCR_HOME);
    wait_ms(a, 1000);
    assert_true(app_env(a)->idle_showing);
    wait_ms(a, 20000); /* wiped: now the loop may come */
    assert_int_equal(app_session(a)->lang, I18N_ZH);
    wait_ms(a, 60000);
    assert_int_equal(screen(a), SCR_ATTRACT);
    /* the committee withdraws every urgent and pinned notice: back home by itself */
    rm("u.txt");
    rm("p.txt");
    rm("v.txt");
    wait_ms(a, NOTICE_POLL_MS);
    assert_int_equal(screen(a), SCR_HOME);
    wait_ms(a, 120000);
    assert_int_equal(screen(a), SCR_HOME);
    assert_false(has(a, ui_id_str("home.banner")));
    app_close(a);
}

static void test_banner_list_chips_and_back(void **st)
{
    app *a = open_app(1080, 1920);
    assert_true(shows(a, "测温须知")); /* the newest urgent one is on the banner */
    tap(a, "home.banner");
    assert_int_equal(screen(a), SCR_NOTICE);
    assert_string_equal(app_session(a)->notice_id, "v");
    assert_true(shows(a, "请测温。"));
    tap(a, "hdr.back");
    assert_int_equal(screen(a), SCR_HOME); /* back where it came from */

    tap(a, "notices");
    assert_int_equal(screen(a), SCR_NOTICES);
    /* pinned first (U, P), then newest (V, N, L) */
    tap_child(a, "notices.row", 0);
    assert_string_equal(app_session(a)->notice_id, "u");
    tap(a, "hdr.back");
    assert_int_equal(screen(a), SCR_NOTICES);
    tap_child(a, "notices.row", 2);
    assert_string_equal(app_session(a)->notice_id, "v");
    tap(a, "hdr.back");
    tap_child(a, "notices.cat", 1 + NOTICE_CAT_SUPPLIES);
    assert_int_equal(app_session(a)->notice_filter, 1 + NOTICE_CAT_SUPPLIES);
    assert_true(has(a, ui_id_child(ui_id_str("notices.row"), 0)));
    assert_false(has(a, ui_id_child(ui_id_str("notices.row"), 1)));
    tap_child(a, "notices.row", 0);
    assert_string_equal(app_session(a)->notice_id, "p");
    tap(a, "hdr.back");
    assert_int_equal(app_session(a)->notice_filter, 1 + NOTICE_CAT_SUPPLIES); /* the filter stays */
    tap_child(a, "notices.cat", 0);
    assert_true(has(a, ui_id_child(ui_id_str("notices.row"), 4)));
    /* urgent says so in words, not only in red */
    assert_true(shows(a, "⚠ 紧急"));
    assert_true(shows(a, "★ 置顶"));
    tap(a, "hdr.lang");
    assert_true(shows(a, "⚠ Urgent"));
    assert_true(shows(a, "Gates closed"));
    assert_true(shows(a, "口罩发放")); /* no English title: the Chinese one */
    app_close(a);
}

/* Top of the notice's scrolling view, in screen coordinates. */
static int view_top(app *a)
{
    ui_rect back = rect_of(a, ui_id_str("hdr.back"));
    return back.y + back.h + ui_theme_of(app_ui(a))->gap;
}

/* No text line is cut by the top of the view, and one starts right at it. */
static void assert_page_starts_on_a_line(app *a)
{
    int top = view_top(a);
    size_t n;
    const ui_cmd *c = ui_commands(app_ui(a), &n);
    bool at_top = false;
    for (size_t i = 0; i < n; i++) {
        if (c[i].type != UI_CMD_TEXT)
            continue;
        int lh = ui_line_height(app_ui(a), (ui_font)c[i].font);
        if (c[i].r.y < top && c[i].r.y + lh > top)
            fail_msg("a line at y=%d is cut by the top of the page (%d)", c[i].r.y, top);
        at_top |= c[i].r.y == top;
    }
    assert_true(at_top);
}

static void test_pages_start_on_a_line(void **st)
{
    static const int sizes[2][2] = {{1080, 1920}, {1920, 1080}};
    for (int o = 0; o < 2; o++) {
        app *a = open_app(sizes[o][0], sizes[o][1]);
        scr_ctx c = {app_ui(a), app_env(a), app_session(a), kclock_ms()};
        scr_notice_open(&c, "l", SCR_NOTICES);
        app_frame(a);
        ui_scroll *sc = &app_session(a)->notice_scroll;
        assert_true(sc->content_h > 2 * sc->view_h);
        int pages = 0;
        while (!ui_scroll_at_bottom(sc)) {
            float before = sc->offset;
            tap_child(a, "notice.page", 1);
            assert_true(sc->offset > before);
            /* nothing skipped: at most a view, and the blank between two paragraphs */
            assert_true(sc->offset - before <= (float)(sc->view_h + ui_line_height(app_ui(a), UI_FONT_LARGE)));
            assert_page_starts_on_a_line(a);
            pages++;
            assert_true(pages < 50);
        }
        assert_true(pages >= 2);
        assert_false(has(a, ui_id_child(ui_id_str("notice.page"), 1)) &&
                     !ui_scroll_at_bottom(sc)); /* at the end */
        while (!ui_scroll_at_top(sc)) {
            tap_child(a, "notice.page", 0);
            if (!ui_scroll_at_top(sc))
                assert_page_starts_on_a_line(a);
            assert_true(pages-- > -50);
        }
        assert_true(sc->offset == 0);
        app_close(a);
    }
}

static void test_drag_lands_where_the_finger_left_it(void **st)
{
    app *a = open_app(1080, 1920);
    scr_ctx c = {app_ui(a), app_env(a), app_session(a), kclock_ms()};
    scr_notice_open(&c, "l", SCR_NOTICES);
    app_frame(a);
    ui_scroll *sc = &app_session(a)->notice_scroll;
    /* a slow drag of 600 px up, in 20 px steps every 50 ms */
    ev(a, UI_EV_DOWN, 540, 1400);
    for (int k = 1; k <= 30; k++) {
        wait_ms(a, 50);
        ev(a, UI_EV_MOVE, 540, 1400 - 20 * k);
    }
    /* The text moved exactly with the finger from the moment the press
     * became a drag: the first 20 px step was within the tap slop. */
    assert_true(sc->offset == 580.0f);
    ev(a, UI_EV_UP, 540, 800);
    app_frame(a);
    float at_release = sc->offset;
    assert_true(at_release >= 580.0f);
    wait_ms(a, 3000); /* the fling runs out */
    assert_true(sc->velocity == 0);
    float settled = sc->offset;
    assert_true(settled >= at_release);
    assert_true(settled - 580.0f < 580.0f); /* coasts, but less than the drag */
    wait_ms(a, 1000);
    assert_true(sc->offset == settled); /* and stays */
    /* no taps were made on the way: still reading the same notice */
    assert_int_equal(screen(a), SCR_NOTICE);
    /* dragging down past the top stops at the top */
    ev(a, UI_EV_DOWN, 540, 400);
    for (int k = 1; k <= 30; k++) {
        wait_ms(a, 16);
        ev(a, UI_EV_MOVE, 540, 400 + 45 * k);
    }
    ev(a, UI_EV_UP, 540, 1750);
    wait_ms(a, 3000);
    assert_true(ui_scroll_at_top(sc));
    app_close(a);
}

static void test_live_update_and_expiry_on_screen(void **st)
{
    put("x.txt", "title: 明早停水\npublished: 2026-11-30\nvalid_until: 2026-11-30 09:30\n\n明早8点至10点停水。\n");
    app *a = open_app(1080, 1920);
    tap(a, "notices");
    assert_true(shows(a, "明早停水"));
    /* a clerk drops a new file: on screen within one poll */
    put("y.txt", "title: 新到蔬菜\npublished: 2026-11-30 08:00\ncategory: supplies\n\n东门领取。\n");
    assert_false(shows(a, "新到蔬菜"));
    wait_ms(a, NOTICE_POLL_MS);
    if (!shows(a, "新到蔬菜"))
        fail_msg("not shown: %zu notices of %zu, %zu problems %s, wall %lld next %llu now %llu", notice_store_count(app_env(a)->notices), notice_store_total(app_env(a)->notices), notice_store_problems(app_env(a)->notices), notice_store_problems(app_env(a)->notices) ? notice_store_problem(app_env(a)->notices, 0) : "", (long long)kclock_wall(), (unsigned long long)notice_store_next_poll(app_env(a)->notices), (unsigned long long)kclock_ms());
    /* broken file: the others stay, the admin sees file:line */
    put("z.txt", "title: 坏\npublished: 2026-13-01\n\nx\n");
    wait_ms(a, NOTICE_POLL_MS);
    assert_true(shows(a, "新到蔬菜"));
    char stats[1024];
    app_env(a)->stats(app_env(a)->stats_user, stats, sizeof stats);
    assert_non_null(strstr(stats, "z.txt:2: published"));
    /* reading it when it expires at 09:30: it says so, and back still works */
    wait_ms(a, 50); /* let the tap below start on a fresh frame */
    scr_ctx c = {app_ui(a), app_env(a), app_session(a), kclock_ms()};
    scr_notice_open(&c, "x", SCR_NOTICES);
    app_frame(a);
    assert_true(shows(a, "明早8点至10点停水。"));
    time_t now = kclock_wall();
    struct tm tm;
    localtime_r(&now, &tm);
    tm.tm_hour = 9, tm.tm_min = 30, tm.tm_sec = 0;
    time_t noon = mktime(&tm);
    app_env(a)->last_input_ms = kclock_ms() + (uint64_t)(noon - now) * 1000u; /* no idle wipe meanwhile */
    wait_ms(a, (uint64_t)(noon - now) * 1000u + NOTICE_POLL_MS);
    assert_int_equal(screen(a), SCR_NOTICE);
    assert_false(shows(a, "明早8点至10点停水。"));
    assert_true(shows(a, "这条通知已撤下或已过期。"));
    tap(a, "hdr.back");
    assert_int_equal(screen(a), SCR_NOTICES);
    assert_false(shows(a, "明早停水"));
    app_close(a);
}

static void test_wipe_and_targets_on_real_notices(void **st)
{
    static const int sizes[2][2] = {{1080, 1920}, {1920, 1080}};
    for (int o = 0; o < 2; o++) {
        app *a = open_app(sizes[o][0], sizes[o][1]);
        const ui_theme *t;
        for (int large = 0; large < 2; large++) {
            for (int lang = 0; lang < 2; lang++) {
                static const char *const ids[] = {"u", "l", "n"};
                for (size_t k = 0; k < 3; k++) {
                    scr_ctx c = {app_ui(a), app_env(a), app_session(a), kclock_ms()};
                    app_session(a)->large_text = large;
                    app_session(a)->lang = lang ? I18N_EN : I18N_ZH;
                    scr_notice_open(&c, ids[k], SCR_NOTICES);
                    app_frame(a);
                    app_frame(a);
                    t = ui_theme_of(app_ui(a));
                    size_t n;
                    const ui_rect *h = ui_hits(app_ui(a), &n);
                    for (size_t i = 0; i < n; i++)
                        if (h[i].w < t->target || h[i].h < t->target)
                            fail_msg("notice %s: widget %zu is %dx%d", ids[k], i, h[i].w, h[i].h);
                    assert_false(ui_overflowed(app_ui(a)));
                }
            }
        }
        /* a visit: the list filtered and scrolled, a notice open; the idle
         * timeout leaves nothing of it */
        app_session(a)->large_text = false;
        app_session(a)->lang = I18N_ZH;
        app_env(a)->last_input_ms = kclock_ms();
        scr_ctx c = {app_ui(a), app_env(a), app_session(a), kclock_ms()};
        scr_go(&c, SCR_NOTICES);
        app_frame(a);
        tap_child(a, "notices.cat", 1 + NOTICE_CAT_VOLUNTEERS);
        tap_child(a, "notices.row", 0);
        tap_child(a, "notice.page", 1);
        assert_true(app_session(a)->notice_scroll.offset > 0);
        wait_ms(a, 111000);
        scr_session fresh;
        scr_session_init(&fresh, app_env(a));
        scr_session *s = app_session(a);
        fresh.entered_ms = s->entered_ms;
        assert_memory_equal(s, &fresh, sizeof fresh);
        assert_string_equal(s->notice_id, "");
        app_close(a);
    }
}

int main(void)
{
    setenv("TZ", "UTC", 1); /* the notices' dates are local time: make local time known */
    tzset();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_attract_timing, fresh),
        cmocka_unit_test_setup(test_touch_ends_attract_and_does_nothing_else, fresh),
        cmocka_unit_test_setup(test_no_attract_in_a_session_or_without_notices, fresh),
        cmocka_unit_test_setup(test_banner_list_chips_and_back, fresh),
        cmocka_unit_test_setup(test_pages_start_on_a_line, fresh),
        cmocka_unit_test_setup(test_drag_lands_where_the_finger_left_it, fresh),
        cmocka_unit_test_setup(test_live_update_and_expiry_on_screen, fresh),
        cmocka_unit_test_setup(test_wipe_and_targets_on_real_notices, fresh),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
