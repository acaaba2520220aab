/* test_ui_core.c - the widget core without SDL or fonts: taps, drags,
 * scrolling with inertia, blocked input, keypad, modal, frame hashing.
 * A fake font: every code point 10 px wide, lines 20 px. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "i18n.h"
#include "ui.h"

static int fake_adv(void *u, ui_font f, uint32_t cp) { return 10; }
static int fake_lh(void *u, ui_font f) { return 20; }

typedef struct fx {
    ui *u;
    ui_theme t;
    uint64_t now;
} fx;

static int setup(void **st)
{
    static fx f;
    ui_theme_init(&f.t, 4.0, false);
    ui_text_metrics tm = {fake_adv, fake_lh, NULL};
    f.u = ui_new(&tm, &f.t);
    f.now = 1000;
    *st = &f;
    return f.u ? 0 : -1;
}

static int teardown(void **st)
{
    fx *f = *st;
    ui_free(f->u);
    ui_free(NULL);
    return 0;
}

static const ui_rect BTN = {100, 100, 200, 100};

static bool frame_button(fx *f)
{
    ui_begin(f->u, 1080, 1920, f->now);
    bool hit = ui_button(f->u, ui_id_str("b"), BTN, UI_BTN_PRIMARY, "OK");
    ui_end(f->u);
    f->now += 16;
    return hit;
}

static void test_tap_is_press_and_release_inside(void **st)
{
    fx *f = *st;
    ui_input_down(f->u, 150, 150);
    assert_false(frame_button(f));
    ui_input_up(f->u, 160, 150);
    assert_true(frame_button(f));
    assert_false(frame_button(f)); /* exactly once */
}

static void test_release_outside_cancels(void **st)
{
    fx *f = *st;
    ui_input_down(f->u, 150, 150);
    frame_button(f);
    ui_input_move(f->u, 500, 500);
    frame_button(f);
    ui_input_up(f->u, 500, 500);
    assert_false(frame_button(f));
}

static void test_press_elsewhere_then_slide_in(void **st)
{
    fx *f = *st;
    ui_input_down(f->u, 10, 10);
    frame_button(f);
    ui_input_move(f->u, 150, 150);
    frame_button(f);
    ui_input_up(f->u, 150, 150);
    assert_false(frame_button(f)); /* a tap must start on the button */
}

static void test_blocked_ignores_and_records_no_hit(void **st)
{
    fx *f = *st;
    ui_block_all(f->u, true);
    ui_input_down(f->u, 150, 150);
    frame_button(f);
    ui_input_up(f->u, 150, 150);
    assert_false(frame_button(f));
    size_t n;
    ui_hits(f->u, &n);
    assert_int_equal(n, 0);
    ui_block_all(f->u, false);
    ui_rect r;
    frame_button(f);
    assert_true(ui_hit_rect(f->u, ui_id_str("b"), &r));
    assert_memory_equal(&r, &BTN, sizeof r);
}

/* A list of 20 rows of 100 px in a 400 px view. */
static int frame_list(fx *f, ui_scroll *s, int *tapped)
{
    ui_begin(f->u, 1080, 1920, f->now);
    ui_rect view = {0, 0, 600, 400};
    ui_list_begin(f->u, ui_id_str("list"), view, s, 2000);
    int y = ui_list_y(f->u);
    for (int i = 0; i < 20; i++)
        if (ui_button(f->u, ui_id_idx("row", i), (ui_rect){0, y + i * 100, 500, 100}, UI_BTN_QUIET, "row"))
            *tapped = i;
    ui_list_end(f->u);
    bool anim = ui_animating(f->u);
    ui_end(f->u);
    f->now += 16;
    return anim;
}

static void test_drag_scrolls_and_does_not_tap(void **st)
{
    fx *f = *st;
    ui_scroll s = {0};
    int tapped = -1;
    frame_list(f, &s, &tapped);
    ui_input_down(f->u, 100, 350);
    frame_list(f, &s, &tapped);
    for (int k = 1; k <= 10; k++) {
        ui_input_move(f->u, 100, 350 - k * 20); /* 200 px up */
        frame_list(f, &s, &tapped);
    }
    assert_true(s.offset > 150 && s.offset < 250);
    ui_input_up(f->u, 100, 150);
    frame_list(f, &s, &tapped);
    assert_int_equal(tapped, -1);
    /* inertia carries on, then stops, inside the bounds */
    float at_release = s.offset;
    int frames = 0;
    while (frame_list(f, &s, &tapped) && frames < 1000)
        frames++;
    assert_true(frames > 0 && frames < 1000);
    assert_true(s.offset > at_release);
    assert_true(s.offset <= 1600.0f);
    /* a tap on a row still works after scrolling: row under y=50 */
    int expect = (int)((50 + s.offset) / 100);
    ui_input_down(f->u, 100, 50);
    frame_list(f, &s, &tapped);
    ui_input_up(f->u, 100, 50);
    frame_list(f, &s, &tapped);
    assert_int_equal(tapped, expect);
}

static void test_scroll_clamps_and_pages(void **st)
{
    ui_scroll s = {.content_h = 1000, .view_h = 400};
    ui_scroll_by(&s, -50);
    assert_true(ui_scroll_at_top(&s));
    ui_scroll_by(&s, 340);
    assert_false(ui_scroll_at_top(&s));
    ui_scroll_by(&s, 5000);
    assert_true(ui_scroll_at_bottom(&s));
    assert_true(s.offset == 600.0f);
}

static void tap_at(fx *f, int x, int y, void (*draw)(fx *, void *), void *arg)
{
    ui_input_down(f->u, x, y);
    draw(f, arg);
    ui_input_up(f->u, x, y);
    draw(f, arg);
}

static void draw_keypad(fx *f, void *arg)
{
    ui_begin(f->u, 1080, 1920, f->now);
    ui_keypad(f->u, ui_id_str("kp"), (ui_rect){0, 0, 600, 800}, arg, 8, 4);
    ui_end(f->u);
}

static void tap_key(fx *f, char *buf, int key)
{
    draw_keypad(f, buf);
    ui_rect r;
    assert_true(ui_hit_rect(f->u, ui_id_child(ui_id_str("kp"), key), &r));
    tap_at(f, r.x + r.w / 2, r.y + r.h / 2, draw_keypad, buf);
}

static void test_keypad(void **st)
{
    fx *f = *st;
    char buf[8] = "";
    tap_key(f, buf, 0);  /* 1 */
    tap_key(f, buf, 10); /* 0 */
    tap_key(f, buf, 8);  /* 9 */
    assert_string_equal(buf, "109");
    tap_key(f, buf, 11); /* delete */
    assert_string_equal(buf, "10");
    for (int i = 0; i < 5; i++)
        tap_key(f, buf, 4);
    assert_string_equal(buf, "1055"); /* maxlen 4 */
    tap_key(f, buf, 9);  /* clear zeroes the whole buffer */
    for (size_t i = 0; i < sizeof buf; i++)
        assert_int_equal(buf[i], 0);
}

static int modal_result;
static void draw_modal(fx *f, void *arg)
{
    ui_begin(f->u, 1080, 1920, f->now);
    ui_block_input(f->u, true);
    bool under = ui_button(f->u, ui_id_str("under"), (ui_rect){0, 0, 1080, 1920}, UI_BTN_PRIMARY, "x");
    assert_false(under);
    ui_block_input(f->u, false);
    int r = ui_modal(f->u, ui_id_str("m"), "Title", "Text", "OK", "Cancel");
    if (r)
        modal_result = r;
    ui_end(f->u);
}

static void test_modal(void **st)
{
    fx *f = *st;
    modal_result = 0;
    draw_modal(f, NULL);
    ui_rect ok, cancel;
    assert_true(ui_hit_rect(f->u, ui_id_child(ui_id_str("m"), 1), &ok));
    assert_true(ui_hit_rect(f->u, ui_id_child(ui_id_str("m"), 2), &cancel));
    tap_at(f, 5, 5, draw_modal, NULL); /* outside the panel: nothing */
    assert_int_equal(modal_result, 0);
    tap_at(f, cancel.x + 5, cancel.y + 5, draw_modal, NULL);
    assert_int_equal(modal_result, 2);
    tap_at(f, ok.x + 5, ok.y + 5, draw_modal, NULL);
    assert_int_equal(modal_result, 1);
}

static void test_frame_hash_and_overflow(void **st)
{
    fx *f = *st;
    frame_button(f);
    uint64_t h1 = ui_frame_hash(f->u);
    frame_button(f);
    assert_true(h1 == ui_frame_hash(f->u)); /* same picture, same hash: nothing redrawn */
    ui_begin(f->u, 1080, 1920, f->now);
    ui_button(f->u, ui_id_str("b"), BTN, UI_BTN_SECONDARY, "OK");
    ui_end(f->u);
    assert_true(h1 != ui_frame_hash(f->u));
    assert_false(ui_overflowed(f->u));
    ui_begin(f->u, 1080, 1920, f->now);
    for (int i = 0; i < UI_MAX_CMDS + 10; i++)
        ui_draw_rect(f->u, BTN, f->t.bg, 0);
    ui_end(f->u);
    assert_true(ui_overflowed(f->u));
    size_t n;
    ui_commands(f->u, &n);
    assert_int_equal(n, UI_MAX_CMDS);
}

static void test_label_wraps_into_rect(void **st)
{
    fx *f = *st;
    ui_begin(f->u, 1080, 1920, f->now);
    int h = ui_label(f->u, (ui_rect){0, 0, 100, 0}, UI_FONT_BODY, f->t.text, UI_ALIGN_LEFT,
                     "居民凭出入证进出小区，请配合测温登记。");
    ui_end(f->u);
    assert_int_equal(h, 2 * 20); /* 19 glyphs of 10 px in 100 px: 2 lines */
    size_t n;
    const ui_cmd *c = ui_commands(f->u, &n);
    assert_int_equal(n, 2);
    assert_int_equal(c[1].r.y, 20);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tap_is_press_and_release_inside),
        cmocka_unit_test(test_release_outside_cancels),
        cmocka_unit_test(test_press_elsewhere_then_slide_in),
        cmocka_unit_test(test_blocked_ignores_and_records_no_hit),
        cmocka_unit_test(test_drag_scrolls_and_does_not_tap),
        cmocka_unit_test(test_scroll_clamps_and_pages),
        cmocka_unit_test(test_keypad),
        cmocka_unit_test(test_modal),
        cmocka_unit_test(test_frame_hash_and_overflow),
        cmocka_unit_test(test_label_wraps_into_rect),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
