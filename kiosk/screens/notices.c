/* notices.c - the community notices: the list (category chips; pinned, then
 * newest first), one notice to read (large type; drag with inertia, or big
 * page buttons for those who do not drag), and the attract loop that shows
 * urgent and pinned notices full screen while nobody uses the kiosk.
 *
 * The notices come from env->notices (kiosk/domain/notice), which the app
 * polls between frames; a screen never keeps a notice pointer from one
 * frame to the next, only its id, because a reload may free it. Nothing here
 * allocates: lists are stack arrays of pointers into the store.
 *
 * Urgent and pinned are always a sign and a word (⚠ 紧急, ★ 置顶), never only
 * a colour.
 */
#include "scr.h"

#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define LIST_CAP 512     /* >= NOTICE_MAX_FILES */
#define BLOCK_CACHE 1024 /* heights of a notice's text blocks kept per frame */

static const char *const mon_en[12] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                       "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

static i18n_lang lang(void) { return i18n_lang_get(); }

/* "2026年11月28日" / "28 Nov 2026", with the time when it is not midnight. */
static void fmt_when(char *buf, size_t len, time_t t, bool with_time)
{
    struct tm tm;
    localtime_r(&t, &tm);
    int n;
    if (lang() == I18N_ZH)
        n = snprintf(buf, len, "%d年%d月%d日", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
    else
        n = snprintf(buf, len, "%d %s %d", tm.tm_mday, mon_en[tm.tm_mon], tm.tm_year + 1900);
    if (with_time && (tm.tm_hour || tm.tm_min) && n > 0 && (size_t)n < len)
        snprintf(buf + n, len - (size_t)n, " %02d:%02d", tm.tm_hour, tm.tm_min);
}

/* valid_until is the first moment the notice is no longer shown; a bare
 * date in the file ends at the next midnight, which reads as that date. */
static void fmt_until(char *buf, size_t len, time_t t)
{
    struct tm tm;
    localtime_r(&t, &tm);
    if (tm.tm_hour == 0 && tm.tm_min == 0)
        fmt_when(buf, len, t - 1, false);
    else
        fmt_when(buf, len, t, true);
}

static const notice_store *store(const scr_ctx *c) { return c->env->notices; }

/* ---------------------------------------------------------------- shared pieces */

/* Pills for urgent and pinned, then the category in words. Returns the
 * height; draws only when DRAW. */
static int badges(scr_ctx *c, const notice *n, int x, int y, bool draw)
{
    ui *u = c->u;
    const ui_theme *t = ui_theme_of(u);
    ui_font f = UI_FONT_BODY | UI_FONT_BOLD;
    int lh = ui_line_height(u, f);
    int h = lh + t->pad / 2;
    if (!draw)
        return h;
    char s[96];
    if (n->urgent) {
        int k = snprintf(s, sizeof s, "⚠ %s", _("Urgent"));
        int w = ui_text_width(u, f, s, (size_t)k) + t->pad * 2;
        ui_draw_rect(u, (ui_rect){x, y, w, h}, t->danger, t->radius);
        ui_draw_text(u, x + t->pad, y + t->pad / 4, f, t->on_danger, s, (size_t)k);
        x += w + t->gap;
    }
    if (n->pinned) {
        int k = snprintf(s, sizeof s, "★ %s", _("Pinned"));
        int w = ui_text_width(u, f, s, (size_t)k) + t->pad * 2;
        ui_draw_rect(u, (ui_rect){x, y, w, h}, t->surface, t->radius);
        ui_draw_border(u, (ui_rect){x, y, w, h}, t->primary, t->radius, 2);
        ui_draw_text(u, x + t->pad, y + t->pad / 4, f, t->primary, s, (size_t)k);
        x += w + t->gap;
    }
    const char *cat = _(notice_cat_label(n->cat));
    ui_draw_text(u, x, y + t->pad / 4, UI_FONT_BODY, t->text_muted, cat, strlen(cat));
    return h;
}

void scr_notice_open(scr_ctx *c, const char *id, scr_id back)
{
    snprintf(c->s->notice_id, sizeof c->s->notice_id, "%s", id);
    memset(&c->s->notice_scroll, 0, sizeof c->s->notice_scroll);
    c->s->notice_back = back;
    scr_go(c, SCR_NOTICE);
}

/* ---------------------------------------------------------------- the list */

/* Category chips, wrapped into as many rows as the language and text size
 * need, each row stretched to the full width. The chosen one is filled and
 * ticked. Returns the y below them. */
static int chips(scr_ctx *c, int y)
{
    ui *u = c->u;
    const ui_theme *t = ui_theme_of(u);
    int x0 = 2 * t->pad, inner = ui_width(u) - 4 * t->pad;
    enum { N = NOTICE_CAT_COUNT + 1 };
    char label[N][96];
    int w[N];
    for (int i = 0; i < N; i++) {
        const char *name = i == 0 ? _("All") : _(notice_cat_label((notice_cat)(i - 1)));
        int k = snprintf(label[i], sizeof label[i], "%s%s", i == c->s->notice_filter ? "✓ " : "", name);
        w[i] = ui_text_width(u, UI_FONT_LARGE | UI_FONT_BOLD, label[i], (size_t)k) + 3 * t->pad;
        if (w[i] < t->target * 3 / 2)
            w[i] = t->target * 3 / 2;
        if (w[i] > inner)
            w[i] = inner;
    }
    ui_id base = ui_id_str("notices.cat");
    for (int first = 0; first < N;) {
        int last = first, used = w[first];
        while (last + 1 < N && used + t->gap + w[last + 1] <= inner)
            used += t->gap + w[++last];
        int extra = (inner - used) / (last - first + 1);
        int x = x0;
        for (int i = first; i <= last; i++) {
            int bw = w[i] + extra;
            if (i == last)
                bw = x0 + inner - x; /* absorb rounding: the row ends flush */
            bool on = i == c->s->notice_filter;
            if (ui_button(u, ui_id_child(base, i), (ui_rect){x, y, bw, t->target},
                          on ? UI_BTN_PRIMARY : UI_BTN_SECONDARY, label[i]) && !on) {
                c->s->notice_filter = i;
                memset(&c->s->notices_scroll, 0, sizeof c->s->notices_scroll);
                scr_wake_at(c, c->now);
            }
            x += bw + t->gap;
        }
        y += t->target + t->gap;
        first = last + 1;
    }
    return y;
}

/* Under a card's title: who issued it and when. */
static void row_meta(const notice *n, char *buf, size_t len)
{
    char when[64];
    fmt_when(when, sizeof when, n->published, false);
    const char *office = notice_office(n, lang());
    snprintf(buf, len, "%s%s%s", office, *office ? " · " : "", when);
}

static int chevron_w(scr_ctx *c)
{
    return ui_text_width(c->u, UI_FONT_TITLE | UI_FONT_BOLD, "〉", strlen("〉")) + ui_theme_of(c->u)->pad;
}

/* Width of a card's text column for a card W wide. */
static int card_text_w(scr_ctx *c, int w) { return w - 4 * ui_theme_of(c->u)->pad - chevron_w(c); }

int scr_notice_card_height(scr_ctx *c, const notice *n, int w)
{
    const ui_theme *t = ui_theme_of(c->u);
    int text_w = card_text_w(c, w);
    int h = 2 * t->pad + badges(c, n, 0, 0, false) + t->pad / 2;
    h += ui_label_height(c->u, text_w, UI_FONT_LARGE | UI_FONT_BOLD, notice_title(n, lang()));
    char meta[NOTICE_MAX_OFFICE + 80];
    row_meta(n, meta, sizeof meta);
    h += ui_label_height(c->u, text_w, UI_FONT_SMALL, meta);
    return h < t->target ? t->target : h;
}

void scr_notice_card(scr_ctx *c, const notice *n, ui_rect r, ui_rect view, ui_id id, scr_id back)
{
    ui *u = c->u;
    const ui_theme *t = ui_theme_of(u);
    int text_w = card_text_w(c, r.w);
    /* Tappable where it is in view, and only if that part is still a full
     * target: a sliver at the edge of the list is for dragging, not tapping. */
    ui_rect vis = r;
    if (vis.y < view.y)
        vis.h -= view.y - vis.y, vis.y = view.y;
    if (vis.y + vis.h > view.y + view.h)
        vis.h = view.y + view.h - vis.y;
    bool held = false, tapped = false;
    if (vis.h >= t->target)
        tapped = ui_hit_area(u, id, vis, &held);
    ui_draw_rect(u, r, held ? t->bg : t->surface, t->radius);
    ui_draw_border(u, r, held ? t->focus : t->border_col, t->radius, held ? t->border * 2 : 2);
    int x = r.x + 2 * t->pad, y = r.y + t->pad;
    y += badges(c, n, x, y, true) + t->pad / 2;
    y += ui_label(u, (ui_rect){x, y, text_w, 0}, UI_FONT_LARGE | UI_FONT_BOLD, t->text, UI_ALIGN_LEFT,
                  notice_title(n, lang()));
    char meta[NOTICE_MAX_OFFICE + 80];
    row_meta(n, meta, sizeof meta);
    ui_label(u, (ui_rect){x, y, text_w, 0}, UI_FONT_SMALL, t->text_muted, UI_ALIGN_LEFT, meta);
    /* The chevron says "opens": the whole card is the button. */
    int lh = ui_line_height(u, UI_FONT_TITLE | UI_FONT_BOLD);
    ui_draw_text(u, r.x + r.w - t->pad - chevron_w(c), r.y + (r.h - lh) / 2, UI_FONT_TITLE | UI_FONT_BOLD,
                 t->primary, "〉", strlen("〉"));
    if (tapped)
        scr_notice_open(c, n->id, back);
}

void scr_notices(scr_ctx *c)
{
    ui *u = c->u;
    const ui_theme *t = ui_theme_of(u);
    int W = ui_width(u), H = ui_height(u);
    int y = scr_header(c, _("Community notices"), true);
    int x0 = 2 * t->pad, inner = W - 4 * t->pad;
    y = chips(c, y);

    const notice *list[LIST_CAP];
    int cat = c->s->notice_filter > 0 ? c->s->notice_filter - 1 : NOTICE_CAT_ALL;
    size_t n = store(c) ? notice_store_list(store(c), cat, list, LIST_CAP) : 0;
    if (n > LIST_CAP)
        n = LIST_CAP;
    if (n == 0) {
        ui_label(u, (ui_rect){x0, y + 2 * t->pad, inner, 0}, UI_FONT_LARGE, t->text_muted, UI_ALIGN_CENTER,
                 cat == NOTICE_CAT_ALL ? _("There are no notices at the moment.")
                                       : _("There are no notices in this category at the moment."));
        return;
    }

    int pager_h = t->target + 2 * t->gap;
    ui_rect view = {x0, y, inner, H - y - pager_h};
    int row_w = inner - 4 * t->border; /* room for the scroll bar */
    int content = 0;
    for (size_t i = 0; i < n; i++)
        content += scr_notice_card_height(c, list[i], row_w) + t->gap;

    ui_scroll *sc = &c->s->notices_scroll;
    ui_list_begin(u, ui_id_str("notices.list"), view, sc, content);
    int ry = ui_list_y(u);
    for (size_t i = 0; i < n; i++) {
        int rh = scr_notice_card_height(c, list[i], row_w);
        if (ry + rh > view.y && ry < view.y + view.h) /* only rows in view cost commands */
            scr_notice_card(c, list[i], (ui_rect){x0, ry, row_w, rh}, view,
                            ui_id_child(ui_id_str("notices.row"), (int)i), SCR_NOTICES);
        ry += rh + t->gap;
    }
    ui_list_end(u);
    int dir = scr_pager(c, "notices.page", sc, H - pager_h + t->gap);
    if (dir)
        ui_scroll_by(sc, (float)dir * (float)view.h * 0.85f);
}

/* ---------------------------------------------------------------- one notice */

/* One pass over a notice's blocks (badges, title, dates, picture,
 * paragraphs): to measure them, to draw those in view, or to find where the
 * next or previous page starts. Pages start at the top of a line, so no line
 * is ever cut in half at the top of a page. */
typedef enum walk_mode { W_MEASURE, W_DRAW, W_PAGE } walk_mode;

typedef struct walk {
    walk_mode mode;
    int x, y0, w;          /* content's left, top (screen), width */
    int view_top, view_h;  /* W_DRAW: what is visible (screen) */
    int heights[BLOCK_CACHE];
    size_t k;              /* block index */
    float cur;             /* W_PAGE: scroll offset now */
    int dir, best;         /* W_PAGE: direction, best page start found (-1 none) */
} walk;

/* A unit of content [top, bottom) (a line, or the picture) as a page start. */
static void page_unit(walk *wk, int top, int bottom)
{
    if (wk->mode != W_PAGE)
        return;
    if (wk->dir > 0) { /* the first line not wholly shown starts the next page */
        if ((float)bottom > wk->cur + (float)wk->view_h + 0.5f && (float)top > wk->cur + 0.5f &&
            (wk->best < 0 || top < wk->best))
            wk->best = top;
    } else {           /* the earliest line from which the current top is a page away */
        if ((float)top >= wk->cur - (float)wk->view_h - 0.5f && (float)top < wk->cur - 0.5f &&
            (wk->best < 0 || top < wk->best))
            wk->best = top;
    }
}

static int text_block(scr_ctx *c, walk *wk, int y, ui_font f, ui_color col, const char *s, size_t len)
{
    int h;
    if (wk->mode == W_MEASURE || wk->k >= BLOCK_CACHE) {
        h = ui_label_height_n(c->u, wk->w, f, s, len);
        if (wk->k < BLOCK_CACHE)
            wk->heights[wk->k] = h;
    } else {
        h = wk->heights[wk->k];
    }
    wk->k++;
    if (wk->mode == W_DRAW) {
        int top = wk->y0 + y;
        if (top < wk->view_top + wk->view_h && top + h > wk->view_top)
            ui_label_n(c->u, (ui_rect){wk->x, top, wk->w, 0}, f, col, UI_ALIGN_LEFT, s, len);
    } else if (wk->mode == W_PAGE) {
        int lh = ui_line_height(c->u, f);
        for (int ly = 0; lh > 0 && ly < h; ly += lh)
            page_unit(wk, y + ly, y + ly + lh);
    }
    return h;
}

static int walk_notice(scr_ctx *c, walk *wk, const notice *n)
{
    ui *u = c->u;
    const ui_theme *t = ui_theme_of(u);
    i18n_lang l = lang();
    int y = 0;
    wk->k = 0;

    int bh = badges(c, n, wk->x, wk->y0 + y, wk->mode == W_DRAW);
    page_unit(wk, y, y + bh);
    y += bh + t->pad;
    const char *title = notice_title(n, l);
    y += text_block(c, wk, y, UI_FONT_TITLE | UI_FONT_BOLD, t->text, title, strlen(title)) + t->pad / 2;

    char meta[600], when[64], until[64];
    fmt_when(when, sizeof when, n->published, true);
    int k = snprintf(meta, sizeof meta, _("Published %s"), when);
    if (n->valid_until && k > 0 && (size_t)k < sizeof meta) {
        fmt_until(until, sizeof until, n->valid_until);
        k += snprintf(meta + k, sizeof meta - (size_t)k, " · ");
        snprintf(meta + k, sizeof meta - (size_t)k, _("valid until %s"), until);
    }
    const char *office = notice_office(n, l);
    if (*office)
        y += text_block(c, wk, y, UI_FONT_BODY | UI_FONT_BOLD, t->text_muted, office, strlen(office));
    y += text_block(c, wk, y, UI_FONT_BODY, t->text_muted, meta, strlen(meta)) + t->pad;
    if (wk->mode == W_DRAW)
        ui_draw_rect(u, (ui_rect){wk->x, wk->y0 + y, wk->w, 2}, t->border_col, 0);
    y += 2 + t->pad;

    /* The picture, fitted to the width (and to most of the view's height,
     * so a tall one still leaves room to see that text follows). */
    char path[1024];
    if (store(c) && notice_store_image_path(store(c), n, path, sizeof path)) {
        int iw = wk->w, ih = (int)((long long)wk->w * n->image_h / n->image_w);
        int max_h = wk->view_h * 3 / 4;
        if (ih > max_h && max_h > 0)
            ih = max_h, iw = (int)((long long)ih * n->image_w / n->image_h);
        int top = wk->y0 + y;
        if (wk->mode == W_DRAW && top < wk->view_top + wk->view_h && top + ih > wk->view_top)
            ui_draw_image(u, (ui_rect){wk->x + (wk->w - iw) / 2, top, iw, ih}, path, n->image_version);
        page_unit(wk, y, y + ih);
        y += ih + t->pad;
    }

    /* Paragraphs in large type, half a line apart. */
    ui_font bf = UI_FONT_LARGE;
    int para_gap = ui_line_height(u, bf) / 2;
    const char *body = notice_body(n, l);
    for (const char *p = body; *p;) {
        const char *e = strchr(p, '\n');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        y += text_block(c, wk, y, bf, t->text, p, len) + para_gap;
        p += len + (e ? 1 : 0);
    }
    return y + t->pad;
}

void scr_notice(scr_ctx *c)
{
    ui *u = c->u;
    const ui_theme *t = ui_theme_of(u);
    int W = ui_width(u), H = ui_height(u);
    int y = scr_header_to(c, _("Notice"), c->s->notice_back == SCR_HOME ? SCR_HOME : SCR_NOTICES);
    int x0 = 2 * t->pad, inner = W - 4 * t->pad;
    const notice *n = store(c) ? notice_store_find(store(c), c->s->notice_id) : NULL;
    if (!n) { /* removed or expired while someone was reading it */
        ui_label(u, (ui_rect){x0, y + 2 * t->pad, inner, 0}, UI_FONT_LARGE, t->text, UI_ALIGN_CENTER,
                 _("This notice has been withdrawn or has expired."));
        return;
    }
    int pager_h = t->target + 2 * t->gap;
    static walk wk; /* 4 KiB of block heights: off the stack, and frames run on one thread */
    memset(&wk, 0, offsetof(walk, heights));
    wk.x = x0;
    wk.w = inner - 6 * t->border; /* room for the scroll bar */
    wk.view_top = y;
    wk.view_h = H - y - pager_h;
    wk.mode = W_MEASURE;
    int content = walk_notice(c, &wk, n);
    if (content > wk.view_h) {
        /* The last page starts at a line too: the content ends a full view
         * below the first line from which the end is in view (blank below,
         * as in a book), rather than wherever the text happens to end. */
        wk.mode = W_PAGE;
        wk.dir = -1;
        wk.cur = (float)content;
        wk.best = -1;
        walk_notice(c, &wk, n);
        if (wk.best >= 0)
            content = wk.best + wk.view_h;
    }

    ui_scroll *sc = &c->s->notice_scroll;
    ui_rect view = {x0, y, inner, wk.view_h};
    ui_list_begin(u, ui_id_str("notice.body"), view, sc, content);
    wk.mode = W_DRAW;
    wk.y0 = ui_list_y(u);
    walk_notice(c, &wk, n);
    ui_list_end(u);

    int dir = scr_pager(c, "notice.page", sc, H - pager_h + t->gap);
    if (dir) {
        wk.mode = W_PAGE;
        wk.dir = dir;
        wk.cur = sc->offset;
        wk.best = -1;
        walk_notice(c, &wk, n);
        float to = wk.best >= 0 ? (float)wk.best : sc->offset + (float)dir * (float)wk.view_h * 0.85f;
        ui_scroll_by(sc, to - sc->offset);
    }
}

/* ---------------------------------------------------------------- attract loop */

static bool attracts(const notice *n) { return n->urgent || n->pinned; }

/* The loop shows each urgent or pinned notice in the kiosk's language, then
 * in the other one when the notice has it: a resident who reads only
 * English sees the urgent ones too. Slots are (notice, language) pairs. */
static bool slot_ok(const notice *n, int second) { return attracts(n) && (!second || n->title[I18N_EN][0]); }

size_t scr_attract_count(const scr_ctx *c)
{
    const notice_store *st = store(c);
    size_t k = 0;
    for (size_t i = 0; st && i < notice_store_count(st); i++)
        for (int second = 0; second < 2; second++)
            k += slot_ok(notice_store_get(st, i), second);
    return k;
}

static const notice *attract_at(const scr_ctx *c, size_t want, bool *second)
{
    const notice_store *st = store(c);
    size_t k = 0;
    for (size_t i = 0; i < notice_store_count(st); i++) {
        const notice *n = notice_store_get(st, i);
        for (int sec = 0; sec < 2; sec++)
            if (slot_ok(n, sec) && k++ == want) {
                *second = sec;
                return n;
            }
    }
    return NULL;
}

void scr_attract(scr_ctx *c)
{
    ui *u = c->u;
    const ui_theme *t = ui_theme_of(u);
    int W = ui_width(u), H = ui_height(u);
    uint64_t held;
    size_t count = scr_attract_count(c);
    /* Any touch ends it, and is spent on that: scr_go cancels the press, so
     * its release lands on nothing of the home screen. */
    if (ui_held_in(u, (ui_rect){0, 0, W, H}, &held) || count == 0 || !c->env->cfg) {
        scr_go(c, SCR_HOME);
        return;
    }
    uint64_t each = (uint64_t)c->env->cfg->attract_each_s * 1000u;
    uint64_t elapsed = c->now - c->s->entered_ms;
    size_t slot = (size_t)(elapsed / each % count);
    scr_wake_at(c, c->s->entered_ms + (elapsed / each + 1) * each);
    bool second = false;
    const notice *n = attract_at(c, slot, &second);
    i18n_lang l = second ? (c->s->lang == I18N_ZH ? I18N_EN : I18N_ZH) : c->s->lang;
    i18n_set_lang(l); /* for the words around the notice too; scr_frame sets it back */
    /* Which notice of the loop this is, for "2 / 3" (languages not counted). */
    size_t i = 0, total = 0;
    for (size_t k = 0; k < notice_store_count(store(c)); k++) {
        const notice *m = notice_store_get(store(c), k);
        if (!attracts(m))
            continue;
        if (m == n)
            i = total;
        total++;
    }
    int x0 = 3 * t->pad, inner = W - 6 * t->pad;

    /* Top band: what kind of notice, in a sign and words; where in the loop. */
    char kind[96], pos[32];
    snprintf(kind, sizeof kind, n->urgent ? "⚠ %s" : "★ %s", n->urgent ? _("Urgent notice") : _("Pinned notice"));
    int pn = snprintf(pos, sizeof pos, "%zu / %zu", i + 1, total);
    ui_font bf = UI_FONT_TITLE | UI_FONT_BOLD;
    int band_h = ui_line_height(u, bf) + 4 * t->pad;
    ui_color band = n->urgent ? t->danger : t->primary, on_band = n->urgent ? t->on_danger : t->on_primary;
    ui_draw_rect(u, (ui_rect){0, 0, W, band_h}, band, 0);
    ui_draw_text(u, x0, 2 * t->pad, bf, on_band, kind, strlen(kind));
    int pw = ui_text_width(u, bf, pos, (size_t)pn);
    ui_draw_text(u, W - x0 - pw, 2 * t->pad, bf, on_band, pos, (size_t)pn);

    /* Bottom band: how to get the kiosk back. */
    char hint[200];
    snprintf(hint, sizeof hint, "☞ %s", _("Touch the screen to start"));
    int foot_h = ui_label_height(u, inner, bf, hint) + 4 * t->pad;
    ui_draw_rect(u, (ui_rect){0, H - foot_h, W, foot_h}, t->primary, 0);
    ui_label(u, (ui_rect){x0, H - foot_h + 2 * t->pad, inner, 0}, bf, t->on_primary, UI_ALIGN_CENTER, hint);

    /* The notice in large type: the title huge, then as many whole
     * paragraphs and lines as fit, then the picture if there is room. */
    int y = band_h + 2 * t->pad;
    int bottom = H - foot_h - 2 * t->pad;
    y += ui_label(u, (ui_rect){x0, y, inner, (bottom - y) / 2}, UI_FONT_HUGE | UI_FONT_BOLD, t->text,
                  UI_ALIGN_LEFT, notice_title(n, l));
    char when[64], meta[400];
    fmt_when(when, sizeof when, n->published, false);
    const char *office = notice_office(n, l);
    snprintf(meta, sizeof meta, "%s%s%s", office, *office ? " · " : "", when);
    y += t->pad;
    y += ui_label(u, (ui_rect){x0, y, inner, 0}, UI_FONT_LARGE, t->text_muted, UI_ALIGN_LEFT, meta);
    y += t->pad;
    ui_draw_rect(u, (ui_rect){x0, y, inner, 3}, band, 0);
    y += 3 + 2 * t->pad;

    char path[1024];
    bool pic = store(c) && notice_store_image_path(store(c), n, path, sizeof path);
    ui_font tf = UI_FONT_TITLE;
    int lh = ui_line_height(u, tf);
    /* The picture only when the whole text fits beside it: a cut-off text
     * with a picture under it reads as if the notice ended there. */
    int text_h = 0;
    for (const char *p = notice_body(n, l); pic && *p;) {
        const char *e = strchr(p, '\n');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        text_h += ui_label_height_n(u, inner, tf, p, len) + lh / 3;
        p = e ? e + 1 : p + len;
    }
    pic = pic && y + text_h + H / 5 <= bottom;
    static char para[NOTICE_MAX_PARA + 1]; /* one paragraph, NUL-terminated for ui_label */
    const char *more = _("More in Community notices on the home screen");
    int more_h = ui_label_height(u, inner, UI_FONT_BODY | UI_FONT_BOLD, more);
    const char *p = notice_body(n, l);
    while (*p) {
        const char *e = strchr(p, '\n');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        int ph = ui_label_height_n(u, inner, tf, p, len);
        bool last = !e || !e[1];
        /* Whole paragraphs; the one that does not fit is cut at a line, and
         * a note under it says where the rest is. */
        int room = bottom - y - (last && y + ph <= bottom ? 0 : more_h);
        if (room < lh)
            break;
        memcpy(para, p, len < NOTICE_MAX_PARA ? len : NOTICE_MAX_PARA);
        para[len < NOTICE_MAX_PARA ? len : NOTICE_MAX_PARA] = '\0';
        y += ui_label(u, (ui_rect){x0, y, inner, room}, tf, t->text, UI_ALIGN_LEFT, para) + lh / 3;
        if (ph > room)
            break;
        p = e ? e + 1 : p + len;
    }
    if (*p)
        ui_label(u, (ui_rect){x0, bottom - more_h, inner, 0}, UI_FONT_BODY | UI_FONT_BOLD, t->text_muted,
                 UI_ALIGN_LEFT, more);
    if (pic && bottom - y >= H / 5) {
        int ah = bottom - y, aw = inner;
        int ih = (int)((long long)aw * n->image_h / n->image_w), iw = aw;
        if (ih > ah)
            ih = ah, iw = (int)((long long)ah * n->image_w / n->image_h);
        ui_draw_image(u, (ui_rect){x0 + (inner - iw) / 2, y + (ah - ih) / 2, iw, ih}, path, n->image_version);
    }
}
