/* scr.c - session, navigation, the common header, idle countdown and the
 * hidden admin gesture; see scr.h. */
#include "scr.h"

#include "kclock.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

void scr_session_init(scr_session *s, const scr_env *env)
{
    memset(s, 0, sizeof *s);
    s->screen = SCR_HOME;
    s->lang = env->default_lang;
    s->large_text = env->cfg ? env->cfg->large_text : false;
    s->pin_result = -1;
}

void scr_session_wipe(scr_session *s, const scr_env *env)
{
    /* sodium_memzero is not optimised away: the typed PIN digits, the
     * language, every scroll position go, byte for byte. */
    sodium_memzero(s, sizeof *s);
    scr_session_init(s, env);
}

bool scr_session_active(const scr_session *s, const scr_env *env)
{
    /* The attract loop is what the kiosk shows to nobody: not a session. */
    return (s->screen != SCR_HOME && s->screen != SCR_ATTRACT) || s->lang != env->default_lang ||
           s->large_text != (env->cfg ? env->cfg->large_text : false) || s->pin[0] != '\0';
}

void scr_wake_at(scr_ctx *c, uint64_t t)
{
    if (t <= c->now)
        t = c->now + 1;
    if (c->env->wake_ms == 0 || t < c->env->wake_ms)
        c->env->wake_ms = t;
}

void scr_go(scr_ctx *c, scr_id to)
{
    if (to != SCR_ADMIN_PIN && c->env->pin_check) { /* left while a PIN was checked: forget it */
        apin_check_free(c->env->pin_check);
        c->env->pin_check = NULL;
    }
    if (c->s->screen == SCR_ADMIN_PIN && to != SCR_ADMIN_PIN)
        sodium_memzero(c->s->pin, sizeof c->s->pin);
    c->s->screen = to;
    c->s->entered_ms = c->now;
    c->s->confirm_exit = false;
    c->s->pin_result = -1;
    ui_input_cancel(c->u); /* the tap that navigated must not land on the new screen */
}

ui_rect scr_admin_corner(const scr_ctx *c)
{
    const ui_theme *t = ui_theme_of(c->u);
    return (ui_rect){0, 0, t->target + t->pad, t->target + t->pad};
}

int scr_idle_left(const scr_ctx *c)
{
    const cfg *cf = c->env->cfg;
    if (!cf || c->s->screen == SCR_OOS || !scr_session_active(c->s, c->env))
        return -1;
    uint64_t idle = c->now - c->env->last_input_ms;
    uint64_t timeout = (uint64_t)cf->idle_timeout_s * 1000u;
    if (c->env->last_input_ms > c->now || idle < timeout)
        return -1;
    uint64_t end = timeout + (uint64_t)cf->idle_countdown_s * 1000u;
    if (idle >= end)
        return 0;
    return (int)((end - idle + 999) / 1000);
}

/* ---------------------------------------------------------------- header */

static void clock_text(char *time_buf, size_t tlen, char *date_buf, size_t dlen)
{
    kclock_format(time_buf, tlen, "%H:%M");
    time_t w = kclock_wall();
    struct tm tm;
    localtime_r(&w, &tm);
    static const char *wd_zh[7] = {"日", "一", "二", "三", "四", "五", "六"};
    static const char *wd_en[7] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char *mon_en[12] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    if (i18n_lang_get() == I18N_ZH)
        snprintf(date_buf, dlen, "%d月%d日 星期%s", tm.tm_mon + 1, tm.tm_mday, wd_zh[tm.tm_wday]);
    else
        snprintf(date_buf, dlen, "%s %d %s", wd_en[tm.tm_wday], tm.tm_mday, mon_en[tm.tm_mon]);
}

int scr_header(scr_ctx *c, const char *title, bool back) { return scr_header_to(c, title, back ? SCR_HOME : SCR_COUNT); }

int scr_header_to(scr_ctx *c, const char *title, scr_id back_to)
{
    ui *u = c->u;
    const ui_theme *t = ui_theme_of(u);
    const cfg *cf = c->env->cfg;
    int W = ui_width(u);
    bool zh = i18n_lang_get() == I18N_ZH;

    /* Red bar: who we are (or where we are) on the left, the time on the right. */
    char tbuf[16], dbuf[64];
    clock_text(tbuf, sizeof tbuf, dbuf, sizeof dbuf);
    int clock_w = ui_text_width(u, UI_FONT_TITLE | UI_FONT_BOLD, "00:00", 5);
    int date_w = ui_text_width(u, UI_FONT_BODY, dbuf, strlen(dbuf));
    if (date_w > clock_w)
        clock_w = date_w;
    int lh_t = ui_line_height(u, UI_FONT_TITLE | UI_FONT_BOLD);
    int lh_b = ui_line_height(u, UI_FONT_BODY);
    int left_w = W - clock_w - 5 * t->pad;
    const char *name = title;
    const char *sub = NULL;
    if (!title && cf) {
        name = zh || !cf->community_en[0] ? cf->community_zh : cf->community_en;
        sub = zh || !cf->location_en[0] ? cf->location_zh : cf->location_en;
    }
    int name_h = ui_label_height(u, left_w, UI_FONT_TITLE | UI_FONT_BOLD, name ? name : "");
    int sub_h = sub && *sub ? ui_label_height(u, left_w, UI_FONT_BODY, sub) : 0;
    int bar_h = name_h + sub_h;
    if (bar_h < lh_t + lh_b)
        bar_h = lh_t + lh_b;
    bar_h += 2 * t->pad;
    ui_draw_rect(u, (ui_rect){0, 0, W, bar_h}, t->header_bg, 0);
    int y = t->pad + (bar_h - 2 * t->pad - name_h - sub_h) / 2;
    y += ui_label(u, (ui_rect){2 * t->pad, y, left_w, 0}, UI_FONT_TITLE | UI_FONT_BOLD, t->on_header,
                  UI_ALIGN_LEFT, name ? name : "");
    if (sub_h)
        ui_label(u, (ui_rect){2 * t->pad, y, left_w, 0}, UI_FONT_BODY, t->on_header, UI_ALIGN_LEFT, sub);
    int cx = W - 2 * t->pad - clock_w;
    int cy = (bar_h - lh_t - lh_b) / 2;
    ui_label(u, (ui_rect){cx, cy, clock_w, 0}, UI_FONT_TITLE | UI_FONT_BOLD, t->on_header, UI_ALIGN_RIGHT, tbuf);
    ui_label(u, (ui_rect){cx, cy + lh_t, clock_w, 0}, UI_FONT_BODY, t->on_header, UI_ALIGN_RIGHT, dbuf);
    time_t wall = kclock_wall();
    scr_wake_at(c, c->now + (uint64_t)(60 - wall % 60) * 1000u); /* the minute changes */

    /* Tool row: back on the left (always the same place), toggles on the right. */
    int bh = t->target;
    int row_y = bar_h + t->gap;
    int x_right = W - 2 * t->pad;
    /* Each toggle names what it switches to, in that language, so a
     * resident who cannot read the current one still finds theirs. */
    const char *lang_label = zh ? "English" : "中文";
    const char *size_label = c->s->large_text ? _("Normal text") : _("Large text");
    int lw = ui_text_width(u, UI_FONT_LARGE | UI_FONT_BOLD, lang_label, strlen(lang_label)) + 3 * t->pad;
    int sw = ui_text_width(u, UI_FONT_LARGE | UI_FONT_BOLD, size_label, strlen(size_label)) + 3 * t->pad;
    if (lw < t->target * 2)
        lw = t->target * 2;
    if (sw < t->target * 2)
        sw = t->target * 2;
    x_right -= lw;
    if (ui_button(u, ui_id_str("hdr.lang"), (ui_rect){x_right, row_y, lw, bh}, UI_BTN_SECONDARY, lang_label)) {
        c->s->lang = zh ? I18N_EN : I18N_ZH;
        i18n_set_lang(c->s->lang);
    }
    x_right -= t->gap + sw;
    if (ui_button(u, ui_id_str("hdr.size"), (ui_rect){x_right, row_y, sw, bh}, UI_BTN_SECONDARY, size_label))
        c->s->large_text = !c->s->large_text;
    if (back_to != SCR_COUNT) {
        const char *bl = _("← Back");
        int bw = ui_text_width(u, UI_FONT_LARGE | UI_FONT_BOLD, bl, strlen(bl)) + 3 * t->pad;
        if (bw < t->target * 2)
            bw = t->target * 2;
        if (ui_button(u, ui_id_str("hdr.back"), (ui_rect){2 * t->pad, row_y, bw, bh}, UI_BTN_PRIMARY, bl))
            scr_go(c, back_to);
    }
    return row_y + bh + t->gap;
}

/* Page buttons under a scrolling list, for those who don't drag. */
int scr_pager(scr_ctx *c, const char *id, const ui_scroll *sc, int y)
{
    ui *u = c->u;
    const ui_theme *t = ui_theme_of(u);
    if (sc->content_h <= sc->view_h)
        return 0;
    int x0 = 2 * t->pad, inner = ui_width(u) - 4 * t->pad;
    int bw = (inner - t->gap) / 2;
    bool top = ui_scroll_at_top(sc), bottom = ui_scroll_at_bottom(sc);
    ui_id base = ui_id_str(id);
    int r = 0;
    if (ui_button(u, ui_id_child(base, 0), (ui_rect){x0, y, bw, t->target}, top ? UI_BTN_QUIET : UI_BTN_SECONDARY,
                  _("▲ Previous page")) && !top)
        r = -1;
    if (ui_button(u, ui_id_child(base, 1), (ui_rect){x0 + bw + t->gap, y, bw, t->target},
                  bottom ? UI_BTN_QUIET : UI_BTN_SECONDARY, _("▼ Next page")) && !bottom)
        r = 1;
    if (r)
        scr_wake_at(c, c->now); /* the scroll moved after this frame was laid out */
    return r;
}

/* ---------------------------------------------------------------- frame */

typedef void (*frame_fn)(scr_ctx *c);
static const frame_fn screens[SCR_COUNT] = {
    [SCR_HOME] = scr_home,
    [SCR_CONTACT] = scr_contact,
    [SCR_ADMIN_PIN] = scr_admin_pin,
    [SCR_ADMIN] = scr_admin,
    [SCR_OOS] = scr_oos,
    [SCR_NOTICES] = scr_notices,
    [SCR_NOTICE] = scr_notice,
    [SCR_ATTRACT] = scr_attract,
};

/* The attract loop: on the home screen, with no session and no input for
 * [notices] attract_after_s, the urgent and pinned notices take the screen. */
static void maybe_attract(scr_ctx *c)
{
    const cfg *cf = c->env->cfg;
    if (!cf || cf->attract_after_s <= 0 || c->s->screen != SCR_HOME || scr_session_active(c->s, c->env) ||
        scr_attract_count(c) == 0)
        return;
    uint64_t held;
    if (ui_held_in(c->u, (ui_rect){0, 0, ui_width(c->u), ui_height(c->u)}, &held))
        return; /* someone is pressing: they are here */
    uint64_t due = c->env->last_input_ms + (uint64_t)cf->attract_after_s * 1000u;
    if (c->now >= due)
        scr_go(c, SCR_ATTRACT);
    else
        scr_wake_at(c, due);
}

void scr_frame(scr_ctx *c)
{
    ui *u = c->u;
    const ui_theme *t = ui_theme_of(u);
    c->env->wake_ms = 0;
    i18n_set_lang(c->s->lang);

    int left = scr_idle_left(c);
    if (left == 0) { /* the countdown ran out: nothing of this visit survives */
        scr_go(c, SCR_HOME);
        scr_session_wipe(c->s, c->env);
        ui_input_cancel(u);
        i18n_set_lang(c->s->lang);
        c->env->last_input_ms = c->now;
        left = -1;
    }

    maybe_attract(c);
    c->env->idle_showing = left > 0;
    ui_block_all(u, left > 0);
    ui_draw_rect(u, (ui_rect){0, 0, ui_width(u), ui_height(u)}, t->bg, 0);
    if ((unsigned)c->s->screen >= SCR_COUNT)
        c->s->screen = SCR_HOME;
    screens[c->s->screen](c);
    ui_block_all(u, false);

    if (left > 0) {
        if (ui_countdown(u, ui_id_str("idle.continue"), left, _("Are you still there?"),
                         _("If nobody touches the screen, the kiosk returns to the start page and "
                           "clears everything entered."),
                         _("Continue"))) {
            c->env->last_input_ms = c->now;
            c->env->idle_showing = false;
            scr_wake_at(c, c->now); /* redraw without the overlay */
        }
        else
            scr_wake_at(c, c->now + 1000 - (c->now - c->env->last_input_ms) % 1000);
    } else if (scr_session_active(c->s, c->env) && c->env->cfg) {
        scr_wake_at(c, c->env->last_input_ms + (uint64_t)c->env->cfg->idle_timeout_s * 1000u);
    }

    /* Hidden gesture: a long press in the top-left corner opens the PIN pad. */
    uint64_t held;
    if (c->s->screen != SCR_ADMIN_PIN && c->s->screen != SCR_ADMIN && c->env->cfg &&
        ui_held_in(u, scr_admin_corner(c), &held)) {
        uint64_t need = (uint64_t)c->env->cfg->hold_s * 1000u;
        if (held >= need)
            scr_go(c, SCR_ADMIN_PIN);
        else
            scr_wake_at(c, ui_press_ms(u) + need);
    }
}
