/* oos.c - out of service: the kiosk could not start its services (a bad
 * config line, a missing asset). It says so in both languages, shows the
 * exact error for whoever fixes it, and retries by itself. */
#include "scr.h"

#include "i18n.h"

#include <stdio.h>

static const char *const msg_title = N_("This kiosk is out of service for now.");
static const char *const msg_sorry = N_("Please contact the residents' committee. We are sorry.");

void scr_oos(scr_ctx *c)
{
    ui *u = c->u;
    const ui_theme *t = ui_theme_of(u);
    int W = ui_width(u), H = ui_height(u);
    int x0 = 3 * t->pad, inner = W - 6 * t->pad;
    ui_draw_rect(u, (ui_rect){0, 0, W, H}, t->bg, 0);
    int bar = ui_line_height(u, UI_FONT_HUGE | UI_FONT_BOLD) + 2 * t->pad;
    ui_draw_rect(u, (ui_rect){0, 0, W, bar}, t->danger, 0);
    ui_label(u, (ui_rect){x0, t->pad, inner, 0}, UI_FONT_HUGE | UI_FONT_BOLD, t->on_danger, UI_ALIGN_CENTER,
             "⚠ 暂停服务");
    int y = bar + 2 * t->pad;
    /* Both languages at once: the config that would pick one is what failed. */
    y += ui_label(u, (ui_rect){x0, y, inner, 0}, UI_FONT_TITLE | UI_FONT_BOLD, t->text, UI_ALIGN_CENTER,
                  i18n_tr_lang(I18N_ZH, msg_title));
    y += ui_label(u, (ui_rect){x0, y, inner, 0}, UI_FONT_LARGE, t->text, UI_ALIGN_CENTER,
                  i18n_tr_lang(I18N_ZH, msg_sorry));
    y += t->pad;
    y += ui_label(u, (ui_rect){x0, y, inner, 0}, UI_FONT_TITLE | UI_FONT_BOLD, t->text, UI_ALIGN_CENTER, msg_title);
    y += ui_label(u, (ui_rect){x0, y, inner, 0}, UI_FONT_LARGE, t->text, UI_ALIGN_CENTER, msg_sorry);
    y += 2 * t->pad;

    /* For staff: the exact reason, file and line. */
    int eh = ui_label_height(u, inner - 2 * t->pad, UI_FONT_BODY, c->env->oos_error) + 2 * t->pad;
    int lh = ui_line_height(u, UI_FONT_BODY | UI_FONT_BOLD);
    ui_rect er = {x0, y, inner, eh + lh};
    ui_draw_rect(u, er, t->surface, t->radius);
    ui_draw_border(u, er, t->danger, t->radius, t->border);
    ui_label(u, (ui_rect){x0 + t->pad, y + t->pad, inner - 2 * t->pad, 0}, UI_FONT_BODY | UI_FONT_BOLD, t->text,
             UI_ALIGN_LEFT, "故障原因 / Error:");
    ui_label(u, (ui_rect){x0 + t->pad, y + t->pad + lh, inner - 2 * t->pad, 0}, UI_FONT_BODY, t->text,
             UI_ALIGN_LEFT, c->env->oos_error);
    y += er.h + 2 * t->pad;

    char retry[200];
    long s = c->env->oos_retry_ms > c->now ? (long)((c->env->oos_retry_ms - c->now + 999) / 1000) : 0;
    snprintf(retry, sizeof retry, "%s %ld 秒 / Retrying in %ld s", "正在自动重试：", s, s);
    ui_label(u, (ui_rect){x0, y, inner, 0}, UI_FONT_BODY, t->text_muted, UI_ALIGN_CENTER, retry);
    scr_wake_at(c, c->now + 1000);
}
