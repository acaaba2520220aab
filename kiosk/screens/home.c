/* home.c - the start page: who we are, the time, an urgent-notice banner
 * when there is one, a big tile per feature, and who to call for help. */
#include "scr.h"

#include <stdio.h>
#include <string.h>

/* Under the tiles, as many of the current notices (pinned first, then
 * newest) as fit whole, so the start page already answers "what's new?".
 * Nothing is drawn when not even one fits or there are none. */
static void latest_notices(scr_ctx *c, ui_rect area)
{
    ui *u = c->u;
    const ui_theme *t = ui_theme_of(u);
    if (!c->env->notices)
        return;
    const notice *list[8];
    size_t n = notice_store_list(c->env->notices, NOTICE_CAT_ALL, list, 8);
    if (n > 8)
        n = 8;
    const char *head = _("Latest notices");
    int hh = ui_label_height(u, area.w, UI_FONT_LARGE | UI_FONT_BOLD, head) + t->gap;
    int y = area.y + hh, bottom = area.y + area.h;
    size_t fit = 0;
    for (size_t i = 0; i < n; i++) {
        int h = scr_notice_card_height(c, list[i], area.w);
        if (y + h > bottom)
            break;
        y += h + t->gap;
        fit++;
    }
    if (fit == 0)
        return;
    ui_label(u, (ui_rect){area.x, area.y, area.w, 0}, UI_FONT_LARGE | UI_FONT_BOLD, t->text, UI_ALIGN_LEFT, head);
    y = area.y + hh;
    for (size_t i = 0; i < fit; i++) {
        int h = scr_notice_card_height(c, list[i], area.w);
        ui_rect r = {area.x, y, area.w, h};
        scr_notice_card(c, list[i], r, r, ui_id_child(ui_id_str("home.notice"), (int)i), SCR_HOME);
        y += h + t->gap;
    }
}

void scr_home(scr_ctx *c)
{
    ui *u = c->u;
    const ui_theme *t = ui_theme_of(u);
    const cfg *cf = c->env->cfg;
    int W = ui_width(u), H = ui_height(u);
    bool portrait = H >= W;
    int y = scr_header(c, NULL, false);
    int x0 = 2 * t->pad, inner = W - 4 * t->pad;

    /* Urgent banner: hidden when there is nothing urgent. The word and the
     * sign say "urgent", not only the colour. Tapping it opens the notice. */
    const char *urgent = c->env->urgent_title ? c->env->urgent_title(c->env->urgent_user) : NULL;
    if (urgent && *urgent) {
        char line[600];
        snprintf(line, sizeof line, "⚠ %s: %s", _("Urgent"), urgent);
        const char *more = _("Tap to read ›");
        int tw = inner - 2 * t->pad;
        int lh_more = ui_line_height(u, UI_FONT_BODY | UI_FONT_BOLD);
        int bh = ui_label_height(u, tw, UI_FONT_LARGE | UI_FONT_BOLD, line) + lh_more + 2 * t->pad;
        if (bh < t->target)
            bh = t->target;
        ui_rect br = {x0, y, inner, bh};
        bool held = false;
        bool tapped = ui_hit_area(u, ui_id_str("home.banner"), br, &held);
        ui_draw_rect(u, br, t->banner_bg, t->radius);
        ui_draw_border(u, br, held ? t->focus : t->on_banner, t->radius, held ? t->border * 2 : t->border);
        int ty = y + t->pad;
        ty += ui_label(u, (ui_rect){x0 + t->pad, ty, tw, 0}, UI_FONT_LARGE | UI_FONT_BOLD, t->on_banner,
                       UI_ALIGN_LEFT, line);
        ui_label(u, (ui_rect){x0 + t->pad, ty, tw, 0}, UI_FONT_BODY | UI_FONT_BOLD, t->on_banner, UI_ALIGN_RIGHT,
                 more);
        y += bh + t->gap;
        if (tapped && c->env->notices) {
            const notice *n = notice_store_urgent(c->env->notices);
            if (n)
                scr_notice_open(c, n->id, SCR_HOME);
        }
    }

    y += t->pad;
    y += ui_label(u, (ui_rect){x0, y, inner, 0}, UI_FONT_LARGE | UI_FONT_BOLD, t->text, UI_ALIGN_LEFT,
                  _("Hello! Tap a button below to choose a service."));
    y += t->pad;

    /* Footer: the one number to call, from the first contact. */
    char help[400] = "";
    if (cf && cf->n_contacts > 0) {
        const cfg_contact *k = &cf->contacts[0];
        bool zh = i18n_lang_get() == I18N_ZH;
        snprintf(help, sizeof help, "%s %s %s", _("Need help? Call"), zh ? k->name_zh : k->name_en, k->phone);
    }
    int foot_h = help[0] ? ui_label_height(u, inner, UI_FONT_BODY, help) + 2 * t->pad : t->pad;
    int grid_bottom = H - foot_h;
    if (help[0]) {
        ui_draw_rect(u, (ui_rect){0, grid_bottom, W, foot_h}, t->surface, 0);
        ui_label(u, (ui_rect){x0, grid_bottom + t->pad, inner, 0}, UI_FONT_BODY, t->text, UI_ALIGN_CENTER, help);
    }

    size_t nf;
    const scr_feature *fs = scr_features(&nf);
    const scr_feature *shown[16];
    size_t n = 0;
    for (size_t i = 0; i < nf && n < 16; i++)
        if (!fs[i].available || fs[i].available(c->env))
            shown[n++] = &fs[i];
    if (n == 0) { /* a kiosk with nothing configured says so plainly */
        ui_label(u, (ui_rect){x0, y + t->pad, inner, 0}, UI_FONT_LARGE, t->text_muted, UI_ALIGN_CENTER,
                 _("No services are set up on this kiosk yet. Please ask the residents' committee."));
        return;
    }
    /* Landscape with notices: tiles in a column on the left, the latest
     * notices beside them, when the tiles' texts fit that column; otherwise
     * the notices go under the tiles (or are left out when there is no room). */
    const notice *first[1];
    bool side = !portrait && c->env->notices &&
                notice_store_list(c->env->notices, NOTICE_CAT_ALL, first, 1) > 0;
    int avail = grid_bottom - y - t->gap;
    int grid_w = 0, cols = 1, rows = 1, tw = 0, th = 0;
    for (int attempt = side ? 0 : 1; attempt < 2; attempt++) {
        side = attempt == 0;
        grid_w = side ? (inner - 2 * t->gap) * 9 / 20 : inner;
        cols = side ? 1 : portrait ? (n <= 3 ? 1 : 2) : (n < 3 ? (int)n : 3);
        rows = (int)((n + (size_t)cols - 1) / (size_t)cols);
        tw = (grid_w - (cols - 1) * t->gap) / cols;
        th = (avail - (rows - 1) * t->gap) / rows;
        int max_h = t->target * 5 / 2; /* big, but a tile stays a button, not a wall */
        if (th > max_h)
            th = max_h;
        int need = t->target;
        for (size_t i = 0; i < n; i++) {
            int h = ui_tile_min_height(u, tw, _(shown[i]->title), _(shown[i]->subtitle));
            if (h > need)
                need = h;
        }
        if (th >= need)
            break;
        th = need; /* the last layout: texts win over the notices */
    }
    for (size_t i = 0; i < n; i++) {
        int col = (int)i % cols, row = (int)i / cols;
        ui_rect r = {x0 + col * (tw + t->gap), y + row * (th + t->gap), tw, th};
        const scr_feature *f = shown[i];
        if (ui_tile(u, ui_id_str(f->id), r, t->tiles[f->accent % 6], f->icon, _(f->title), _(f->subtitle)))
            scr_go(c, f->target);
    }
    if (side) {
        int nx = x0 + grid_w + 2 * t->gap;
        latest_notices(c, (ui_rect){nx, y, x0 + inner - nx, grid_bottom - y - t->gap});
    } else {
        y += rows * th + (rows - 1) * t->gap + 2 * t->gap;
        latest_notices(c, (ui_rect){x0, y, inner, grid_bottom - y - t->gap});
    }
}
