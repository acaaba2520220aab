/* admin.c - the PIN pad behind the hidden gesture, and the admin screen:
 * health (version, uptime, free disk, memory, data directory, renderer,
 * recent log lines) and the only way out of the kiosk. */
#include "scr.h"

#include "kclock.h"
#include "klog.h"
#include "ksys.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

/* Counts the outcome of a finished check into the lock and acts on it. */
static void pin_checked(scr_ctx *c, bool match)
{
    const cfg *cf = c->env->cfg;
    apin_err e = apin_record(&c->env->lock, match, cf ? cf->lockout_tries : 5, cf ? cf->lockout_s : 300,
                             kclock_wall());
    if (e == APIN_OK) {
        klog(KLOG_INFO, "admin", "admin signed in");
        scr_go(c, SCR_ADMIN);
    } else {
        klog(KLOG_WARN, "admin", "admin PIN refused: %s", apin_strerror(e));
        c->s->pin_result = (int)e;
    }
}

void scr_admin_pin(scr_ctx *c)
{
    ui *u = c->u;
    const ui_theme *t = ui_theme_of(u);
    const cfg *cf = c->env->cfg;
    int W = ui_width(u), H = ui_height(u);
    /* argon2id takes ~0.1 s: the PIN is checked on a thread of its own and
     * the pad waits, showing so, without the UI ever waiting for it. */
    if (c->env->pin_check) {
        int r = apin_check_poll(c->env->pin_check);
        if (r < 0) {
            scr_wake_at(c, c->now + 16);
        } else {
            apin_check_free(c->env->pin_check);
            c->env->pin_check = NULL;
            pin_checked(c, r == 1);
            if (c->s->screen != SCR_ADMIN_PIN)
                return;
        }
    }
    bool checking = c->env->pin_check != NULL;
    int top = scr_header(c, _("Administrator"), true);
    bool landscape = W > H;
    /* Portrait: message, dots, keypad, OK in one column. Landscape: message,
     * dots and OK on the left, the keypad at full height on the right, so
     * its keys keep the target size on a 1080-pixel-high panel. */
    int col_w = landscape ? (W - 6 * t->pad) / 2 : W - 4 * t->pad;
    int x0 = 2 * t->pad;
    int y = top;
    long locked = apin_lock_remaining(&c->env->lock, kclock_wall());
    char msg[256];
    ui_color mc = t->text;
    if (locked > 0) {
        snprintf(msg, sizeof msg, _("Too many wrong PINs. Try again in %ld:%02ld."), locked / 60, locked % 60);
        mc = t->danger;
        scr_wake_at(c, c->now + 1000);
    } else if (!cf || !cf->pin_hash[0]) {
        snprintf(msg, sizeof msg, "%s", _("No admin PIN is set. Set one with: kioskctl set-admin-pin"));
        mc = t->danger;
    } else if (checking) {
        snprintf(msg, sizeof msg, "%s", _("Checking the PIN..."));
    } else if (c->s->pin_result == APIN_EWRONG) {
        snprintf(msg, sizeof msg, "%s", _("Wrong PIN. Please try again."));
        mc = t->danger;
    } else if (c->s->pin_result > 0) { /* a PIN that could not be checked at all */
        snprintf(msg, sizeof msg, _("The PIN could not be checked (%s)."), apin_strerror((apin_err)c->s->pin_result));
        mc = t->danger;
    } else {
        snprintf(msg, sizeof msg, "%s", _("Enter the admin PIN."));
    }
    y += ui_label(u, (ui_rect){x0, y, col_w, 0}, UI_FONT_LARGE | UI_FONT_BOLD, mc, UI_ALIGN_CENTER, msg);
    y += t->gap;

    /* The digits show as dots: someone behind the admin must not read the PIN. */
    char dots[3 * APIN_MAX_DIGITS + 1] = "";
    size_t nd = strlen(c->s->pin);
    for (size_t i = 0; i < nd; i++)
        memcpy(dots + 3 * i, "●", 4);
    int dh = ui_line_height(u, UI_FONT_HUGE);
    ui_rect dr = {x0 + col_w / 6, y, col_w * 2 / 3, dh + t->pad};
    ui_draw_rect(u, dr, t->surface, t->radius);
    ui_draw_border(u, dr, t->border_col, t->radius, 2);
    if (nd)
        ui_label(u, (ui_rect){dr.x, dr.y + t->pad / 2, dr.w, 0}, UI_FONT_HUGE, t->text, UI_ALIGN_CENTER, dots);
    y += dr.h + t->gap * 2;

    int ok_h = t->target;
    int kw = col_w;
    int max_kw = (int)(110 * t->px_per_mm);
    if (kw > max_kw)
        kw = max_kw;
    int ky = landscape ? top : y;
    int kh = H - ky - (landscape ? 2 * t->gap : ok_h + 3 * t->gap);
    int max_kh = (t->target + t->gap) * 4 + t->target;
    if (kh > max_kh)
        kh = max_kh;
    int kx = landscape ? W / 2 + t->pad + (col_w - kw) / 2 : (W - kw) / 2;
    int ok_x = landscape ? x0 + (col_w - kw) / 2 : kx;
    int ok_y = landscape ? y : ky + kh + t->gap;
    ui_block_input(u, locked > 0 || checking);
    if (ui_keypad(u, ui_id_str("pin.pad"), (ui_rect){kx, ky, kw, kh}, c->s->pin, sizeof c->s->pin,
                  APIN_MAX_DIGITS))
        c->s->pin_result = -1;
    if (ui_button(u, ui_id_str("pin.ok"), (ui_rect){ok_x, ok_y, kw, ok_h}, UI_BTN_PRIMARY, _("OK")) && nd > 0) {
        const char *hash = cf ? cf->pin_hash : "";
        apin_err e = apin_begin(&c->env->lock, hash, kclock_wall());
        if (e == APIN_OK) /* simulated time (tests) has no real time to wait in: check at once */
            c->env->pin_check = apin_check_start(hash, c->s->pin, kclock_simulated());
        sodium_memzero(c->s->pin, sizeof c->s->pin);
        if (e != APIN_OK) {
            klog(KLOG_WARN, "admin", "admin PIN refused: %s", apin_strerror(e));
            c->s->pin_result = (int)e;
        } else if (!c->env->pin_check) {
            c->s->pin_result = APIN_ECRYPTO;
        } else {
            scr_wake_at(c, c->now + 1); /* the next frame collects the result */
        }
    }
    ui_block_input(u, false);
}

static void fmt_uptime(char *buf, size_t len, uint64_t ms)
{
    uint64_t s = ms / 1000;
    snprintf(buf, len, _("%llu d %02llu:%02llu:%02llu"), (unsigned long long)(s / 86400),
             (unsigned long long)(s / 3600 % 24), (unsigned long long)(s / 60 % 60), (unsigned long long)(s % 60));
}

void scr_admin(scr_ctx *c)
{
    ui *u = c->u;
    const ui_theme *t = ui_theme_of(u);
    int W = ui_width(u), H = ui_height(u);
    ui_block_input(u, c->s->confirm_exit);
    int y = scr_header(c, _("Kiosk administration"), true);
    int x0 = 2 * t->pad, inner = W - 4 * t->pad;

    char up[64], disk[64] = "?", mem[64], line[512];
    fmt_uptime(up, sizeof up, c->now - c->env->start_ms);
    double free_b = ksys_free_bytes(c->env->data_dir);
    if (free_b >= 0)
        snprintf(disk, sizeof disk, "%.1f GB", free_b / 1e9);
    snprintf(mem, sizeof mem, "%.1f MB", ksys_rss_kb() / 1024.0);
    const struct {
        const char *k, *v;
    } rows[] = {
        {_("Version"), c->env->version ? c->env->version : "?"},
        {_("Uptime"), up},
        {_("Free disk"), disk},
        {_("Memory in use"), mem},
        {_("Data directory"), c->env->data_dir ? c->env->data_dir : "-"},
        {_("Renderer"), c->env->renderer ? c->env->renderer : "-"},
    };
    int kw = inner / 3;
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        ui_label(u, (ui_rect){x0, y, kw - t->pad, 0}, UI_FONT_BODY, t->text_muted, UI_ALIGN_LEFT, rows[i].k);
        y += ui_label(u, (ui_rect){x0 + kw, y, inner - kw, 0}, UI_FONT_BODY | UI_FONT_BOLD, t->text,
                      UI_ALIGN_LEFT, rows[i].v);
    }
    if (c->env->stats) {
        char extra[1024];
        c->env->stats(c->env->stats_user, extra, sizeof extra);
        y += ui_label(u, (ui_rect){x0, y, inner, 0}, UI_FONT_BODY, t->text, UI_ALIGN_LEFT, extra);
    }
    y += t->gap;
    y += ui_label(u, (ui_rect){x0, y, inner, 0}, UI_FONT_BODY | UI_FONT_BOLD, t->text, UI_ALIGN_LEFT,
                  _("Recent log"));
    int bh = t->target;
    int log_bottom = H - bh - 3 * t->gap;
    for (size_t i = 0; i < 6 && klog_recent(i, line, sizeof line); i++) {
        int lh = ui_label_height(u, inner, UI_FONT_SMALL, line);
        if (y + lh > log_bottom)
            break;
        y += ui_label(u, (ui_rect){x0, y, inner, 0}, UI_FONT_SMALL, t->text_muted, UI_ALIGN_LEFT, line);
    }
    scr_wake_at(c, c->now + 1000); /* uptime ticks */

    int bw = (inner - t->gap) / 2, by = H - bh - 2 * t->gap;
    if (ui_button(u, ui_id_str("admin.home"), (ui_rect){x0, by, bw, bh}, UI_BTN_SECONDARY, _("Back to home")))
        scr_go(c, SCR_HOME);
    if (ui_button(u, ui_id_str("admin.exit"), (ui_rect){x0 + bw + t->gap, by, bw, bh}, UI_BTN_DANGER,
                  _("Exit kiosk")))
        c->s->confirm_exit = true;
    ui_block_input(u, false);
    if (c->s->confirm_exit) {
        int r = ui_modal(u, ui_id_str("admin.confirm"), _("Exit the kiosk?"),
                         _("The screen will show the desktop until the kiosk is started again."),
                         _("Exit"), _("Cancel"));
        if (r == 1) {
            klog(KLOG_INFO, "admin", "exit requested from the admin screen");
            c->env->exit_requested = true;
        } else if (r == 2) {
            c->s->confirm_exit = false;
        }
    }
}
