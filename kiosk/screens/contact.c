/* contact.c - useful numbers: the committee duty line, the clinic, the
 * volunteer delivery team, property management; from [contact] in the
 * config. A list that scrolls by drag, and page buttons for those who don't
 * drag. */
#include "scr.h"

#include <stdio.h>
#include <string.h>

static int row_height(scr_ctx *c, const cfg_contact *k, int w)
{
    const ui_theme *t = ui_theme_of(c->u);
    bool zh = i18n_lang_get() == I18N_ZH;
    int h = 2 * t->pad;
    h += ui_label_height(c->u, w, UI_FONT_LARGE | UI_FONT_BOLD, zh ? k->name_zh : k->name_en);
    h += ui_line_height(c->u, UI_FONT_TITLE | UI_FONT_BOLD);
    const char *hours = zh ? k->hours_zh : k->hours_en;
    if (*hours)
        h += ui_label_height(c->u, w, UI_FONT_BODY, hours);
    return h;
}

void scr_contact(scr_ctx *c)
{
    ui *u = c->u;
    const ui_theme *t = ui_theme_of(u);
    const cfg *cf = c->env->cfg;
    int W = ui_width(u), H = ui_height(u);
    int y = scr_header(c, _("Useful numbers"), true);
    int x0 = 2 * t->pad, inner = W - 4 * t->pad;
    bool zh = i18n_lang_get() == I18N_ZH;

    y += ui_label(u, (ui_rect){x0, y, inner, 0}, UI_FONT_BODY, t->text, UI_ALIGN_LEFT,
                  _("Call from your own phone. The kiosk cannot make calls."));
    y += t->gap;

    int pager_h = t->target + 2 * t->gap;
    ui_rect view = {x0, y, inner, H - y - pager_h};
    int text_w = inner - 4 * t->pad;
    int content = 0;
    int n = cf ? cf->n_contacts : 0;
    for (int i = 0; i < n; i++)
        content += row_height(c, &cf->contacts[i], text_w) + t->gap;

    ui_scroll *sc = &c->s->contact_scroll;
    ui_list_begin(u, ui_id_str("contact.list"), view, sc, content);
    int ry = ui_list_y(u);
    for (int i = 0; i < n; i++) {
        const cfg_contact *k = &cf->contacts[i];
        int rh = row_height(c, k, text_w);
        if (ry + rh >= view.y && ry <= view.y + view.h) { /* only rows in view cost commands */
            ui_rect r = {x0, ry, inner - 4 * t->border, rh};
            ui_draw_rect(u, r, t->surface, t->radius);
            ui_draw_border(u, r, t->border_col, t->radius, 2);
            int yy = ry + t->pad, xx = x0 + 2 * t->pad;
            yy += ui_label(u, (ui_rect){xx, yy, text_w, 0}, UI_FONT_LARGE | UI_FONT_BOLD, t->text,
                           UI_ALIGN_LEFT, zh ? k->name_zh : k->name_en);
            char phone[80];
            snprintf(phone, sizeof phone, "☎ %s", k->phone);
            ui_draw_text(u, xx, yy, UI_FONT_TITLE | UI_FONT_BOLD, t->primary, phone, strlen(phone));
            yy += ui_line_height(u, UI_FONT_TITLE | UI_FONT_BOLD);
            const char *hours = zh ? k->hours_zh : k->hours_en;
            if (*hours)
                ui_label(u, (ui_rect){xx, yy, text_w, 0}, UI_FONT_BODY, t->text_muted, UI_ALIGN_LEFT, hours);
        }
        ry += rh + t->gap;
    }
    ui_list_end(u);
    int dir = scr_pager(c, "contact.page", sc, H - pager_h + t->gap);
    if (dir)
        ui_scroll_by(sc, (float)dir * (float)view.h * 0.85f);
}
