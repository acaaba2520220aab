/* ui.c - the widget core; see ui.h for the model.
 *
 * Input is latched by the ui_input_* calls and consumed by the next frame:
 * "pressed"/"released" are true for exactly one frame, so the app runs one
 * frame per input event (cheap: no rendering happens here) and presents only
 * the last one.
 */
#include "ui.h"

#include "i18n.h"
#include "ui_wrap.h"
#include "utf8.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct ui {
    ui_text_metrics tm;
    const ui_theme *theme;
    int w, h;
    uint64_t now;

    /* pointer */
    int mx, my, prev_my;
    int press_x, press_y;
    bool down, pressed, released, moved_far;
    uint64_t press_ms;
    ui_id active;      /* widget the current press started on */
    bool blocked, block_all;

    /* scrolling list being dragged */
    ui_id drag_list;
    bool animating;

    /* the list between ui_list_begin/end */
    ui_scroll *list;
    ui_rect list_r;

    /* frame output */
    ui_cmd cmds[UI_MAX_CMDS];
    size_t ncmd;
    char text[UI_TEXT_ARENA];
    size_t ntext;
    bool overflow;
    ui_rect hits[UI_MAX_HITS];
    ui_id hit_ids[UI_MAX_HITS];
    size_t nhits;
    ui_rect clip[UI_MAX_CLIP];
    int nclip;
    ui_wrap_line lines[UI_MAX_LINES];
};

ui *ui_new(const ui_text_metrics *tm, const ui_theme *theme)
{
    ui *u = calloc(1, sizeof *u);
    if (!u)
        return NULL;
    u->tm = *tm;
    u->theme = theme;
    return u;
}

void ui_free(ui *u) { free(u); }
void ui_set_theme(ui *u, const ui_theme *theme) { u->theme = theme; }
const ui_theme *ui_theme_of(const ui *u) { return u->theme; }
void ui_set_metrics(ui *u, const ui_text_metrics *tm) { u->tm = *tm; }

/* ---------------------------------------------------------------- input */

void ui_input_down(ui *u, int x, int y)
{
    u->mx = x, u->my = y, u->prev_my = y;
    u->press_x = x, u->press_y = y;
    u->down = true, u->pressed = true, u->moved_far = false;
}

void ui_input_move(ui *u, int x, int y)
{
    u->mx = x, u->my = y;
    if (u->down && (abs(x - u->press_x) > UI_DRAG_SLOP || abs(y - u->press_y) > UI_DRAG_SLOP))
        u->moved_far = true;
}

void ui_input_up(ui *u, int x, int y)
{
    ui_input_move(u, x, y);
    u->down = false, u->released = true;
}

void ui_input_cancel(ui *u)
{
    u->down = u->pressed = u->released = false;
    u->active = 0;
    u->drag_list = 0;
}

/* ---------------------------------------------------------------- frame */

void ui_begin(ui *u, int width, int height, uint64_t now_ms)
{
    u->w = width, u->h = height, u->now = now_ms;
    u->ncmd = 0, u->ntext = 0, u->overflow = false;
    u->nhits = 0, u->nclip = 0;
    u->animating = false;
    u->blocked = false;
    u->list = NULL;
    if (u->pressed)
        u->press_ms = now_ms;
}

void ui_end(ui *u)
{
    if (u->released) {
        u->active = 0;
        u->drag_list = 0;
    }
    u->pressed = u->released = false;
    u->prev_my = u->my;
}

int ui_width(const ui *u) { return u->w; }
int ui_height(const ui *u) { return u->h; }
void ui_block_input(ui *u, bool blocked) { u->blocked = blocked; }

const ui_cmd *ui_commands(const ui *u, size_t *n)
{
    *n = u->ncmd;
    return u->cmds;
}

const char *ui_text_arena(const ui *u) { return u->text; }
bool ui_overflowed(const ui *u) { return u->overflow; }
bool ui_animating(const ui *u) { return u->animating; }

const ui_rect *ui_hits(const ui *u, size_t *n)
{
    *n = u->nhits;
    return u->hits;
}

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++)
        h = (h ^ b[i]) * 0x100000001b3ULL;
    return h;
}

uint64_t ui_frame_hash(const ui *u)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    h = fnv(h, u->cmds, u->ncmd * sizeof u->cmds[0]); /* cmds are memset: no stray padding */
    h = fnv(h, u->text, u->ntext);
    h = fnv(h, &u->w, sizeof u->w);
    return fnv(h, &u->h, sizeof u->h);
}

bool ui_hit_rect(const ui *u, ui_id id, ui_rect *r)
{
    for (size_t i = 0; i < u->nhits; i++)
        if (u->hit_ids[i] == id) {
            *r = u->hits[i];
            return true;
        }
    return false;
}

ui_id ui_id_str(const char *s) { return ui_id_idx(s, 0); }

ui_id ui_id_child(ui_id parent, int i)
{
    uint64_t h = fnv(0xcbf29ce484222325ULL, &parent, sizeof parent);
    h = fnv(h, &i, sizeof i);
    return (ui_id)(h ^ (h >> 32)) | 1u;
}

ui_id ui_id_idx(const char *s, int i)
{
    uint64_t h = fnv(0xcbf29ce484222325ULL, s, strlen(s));
    h = fnv(h, &i, sizeof i);
    return (ui_id)(h ^ (h >> 32)) | 1u; /* never 0: 0 means "none" */
}

/* ---------------------------------------------------------------- drawing */

static ui_cmd *push(ui *u, ui_cmd_type type, ui_rect r, ui_color c)
{
    if (u->ncmd >= UI_MAX_CMDS) {
        u->overflow = true;
        return NULL;
    }
    ui_cmd *cmd = &u->cmds[u->ncmd++];
    memset(cmd, 0, sizeof *cmd);
    cmd->type = (uint8_t)type;
    cmd->r = r;
    cmd->color = c;
    return cmd;
}

static bool arena_put(ui *u, ui_cmd *cmd, const void *p, size_t n)
{
    if (u->ntext + n > UI_TEXT_ARENA) {
        u->overflow = true;
        u->ncmd--; /* drop the command that would point at nothing */
        return false;
    }
    memcpy(u->text + u->ntext, p, n);
    cmd->text_off = (uint32_t)u->ntext;
    cmd->text_len = (uint32_t)n;
    u->ntext += n;
    return true;
}

void ui_draw_rect(ui *u, ui_rect r, ui_color c, int radius)
{
    ui_cmd *cmd = push(u, UI_CMD_RECT, r, c);
    if (cmd)
        cmd->radius = (uint16_t)radius;
}

void ui_draw_border(ui *u, ui_rect r, ui_color c, int radius, int thick)
{
    ui_cmd *cmd = push(u, UI_CMD_BORDER, r, c);
    if (cmd)
        cmd->radius = (uint16_t)radius, cmd->thick = (uint16_t)thick;
}

void ui_draw_text(ui *u, int x, int y, ui_font font, ui_color c, const char *s, size_t len)
{
    if (len == 0)
        return;
    ui_cmd *cmd = push(u, UI_CMD_TEXT, (ui_rect){x, y, 0, 0}, c);
    if (!cmd)
        return;
    cmd->font = (uint8_t)font;
    arena_put(u, cmd, s, len);
}

void ui_draw_bitmap(ui *u, ui_rect r, const uint8_t *modules, int side, ui_color dark, ui_color light)
{
    ui_draw_rect(u, r, light, 0);
    ui_cmd *cmd = push(u, UI_CMD_BITMAP, r, dark);
    if (!cmd)
        return;
    cmd->thick = (uint16_t)side;
    arena_put(u, cmd, modules, (size_t)side * (size_t)side);
}

void ui_draw_image(ui *u, ui_rect r, const char *path, uint32_t version)
{
    ui_cmd *cmd = push(u, UI_CMD_IMAGE, r, (ui_color){0, 0, 0, 255});
    if (!cmd)
        return;
    cmd->aux = version;
    arena_put(u, cmd, path, strlen(path));
}

int ui_qr(ui *u, int x, int y, int max_px, const uint8_t *modules, int side)
{
    enum { QUIET = 4 };
    const ui_color white = UI_RGB(0xFFFFFF), black = UI_RGB(0x000000);
    int total = side + 2 * QUIET;
    int m = total > 0 ? max_px / total : 0;
    if (m < 1)
        m = 1;
    ui_draw_rect(u, (ui_rect){x, y, m * total, m * total}, white, 0);
    ui_draw_bitmap(u, (ui_rect){x + QUIET * m, y + QUIET * m, side * m, side * m}, modules, side, black, white);
    return m * total;
}

void ui_push_clip(ui *u, ui_rect r)
{
    if (u->nclip < UI_MAX_CLIP)
        u->clip[u->nclip++] = r;
    push(u, UI_CMD_CLIP, r, (ui_color){0, 0, 0, 0});
}

void ui_pop_clip(ui *u)
{
    if (u->nclip > 0)
        u->nclip--;
    ui_rect r = u->nclip > 0 ? u->clip[u->nclip - 1] : (ui_rect){0, 0, 0, 0};
    push(u, UI_CMD_CLIP, r, (ui_color){0, 0, 0, 0});
}

/* ---------------------------------------------------------------- text */

typedef struct adv_ctx {
    ui *u;
    ui_font font;
} adv_ctx;

static int adv_cb(void *user, uint32_t cp)
{
    adv_ctx *a = user;
    return a->u->tm.advance(a->u->tm.user, a->font, cp);
}

int ui_text_width(ui *u, ui_font font, const char *s, size_t len)
{
    int w = 0;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        i += utf8_next(s + i, len - i, &cp);
        w += u->tm.advance(u->tm.user, font, cp);
    }
    return w;
}

int ui_line_height(ui *u, ui_font font) { return u->tm.line_height(u->tm.user, font); }

static size_t wrap(ui *u, int w, ui_font font, const char *s)
{
    adv_ctx a = {u, font};
    size_t n = ui_wrap(s, strlen(s), w, adv_cb, &a, u->lines, UI_MAX_LINES);
    return n < UI_MAX_LINES ? n : UI_MAX_LINES;
}

/* One wrapped line of S at Y, aligned in R. */
static void draw_line(ui *u, ui_rect r, ui_font font, ui_color c, ui_align align, const char *s,
                      const ui_wrap_line *ln, int y)
{
    int x = r.x;
    if (align == UI_ALIGN_CENTER)
        x = r.x + (r.w - ln->width) / 2;
    else if (align == UI_ALIGN_RIGHT)
        x = r.x + r.w - ln->width;
    ui_draw_text(u, x, y, font, c, s + ln->off, ln->len);
}

static size_t wrap_n(ui *u, int w, ui_font font, const char *s, size_t len)
{
    adv_ctx a = {u, font};
    size_t n = ui_wrap(s, len, w, adv_cb, &a, u->lines, UI_MAX_LINES);
    return n < UI_MAX_LINES ? n : UI_MAX_LINES;
}

int ui_label_height_n(ui *u, int w, ui_font font, const char *s, size_t len)
{
    return (int)wrap_n(u, w, font, s, len) * ui_line_height(u, font);
}

int ui_label_n(ui *u, ui_rect r, ui_font font, ui_color c, ui_align align, const char *s, size_t len)
{
    size_t n = wrap_n(u, r.w, font, s, len);
    int lh = ui_line_height(u, font);
    /* Lines wholly outside the clip are measured, not drawn. */
    int top = INT_MIN, bottom = INT_MAX;
    if (u->nclip > 0 && u->clip[u->nclip - 1].w > 0)
        top = u->clip[u->nclip - 1].y, bottom = top + u->clip[u->nclip - 1].h;
    for (size_t i = 0; i < n; i++) {
        int y = r.y + (int)i * lh;
        if (y + lh <= top || y >= bottom)
            continue;
        draw_line(u, r, font, c, align, s, &u->lines[i], y);
    }
    return (int)n * lh;
}

int ui_label_height(ui *u, int w, ui_font font, const char *s)
{
    return (int)wrap(u, w, font, s) * ui_line_height(u, font);
}

int ui_label(ui *u, ui_rect r, ui_font font, ui_color c, ui_align align, const char *s)
{
    size_t n = wrap(u, r.w, font, s);
    int lh = ui_line_height(u, font);
    int y = r.y;
    for (size_t i = 0; i < n; i++) {
        if (r.h > 0 && y + lh > r.y + r.h)
            break;
        draw_line(u, r, font, c, align, s, &u->lines[i], y);
        y += lh;
    }
    return y - r.y;
}

/* ---------------------------------------------------------------- interaction */

static bool inside(ui_rect r, int x, int y)
{
    return x >= r.x && y >= r.y && x < r.x + r.w && y < r.y + r.h;
}

static bool in_clip(const ui *u, int x, int y)
{
    return u->nclip == 0 || inside(u->clip[u->nclip - 1], x, y);
}

bool ui_held_in(const ui *u, ui_rect r, uint64_t *held_ms)
{
    if (!u->down || !inside(r, u->press_x, u->press_y) || !inside(r, u->mx, u->my))
        return false;
    *held_ms = u->now >= u->press_ms ? u->now - u->press_ms : 0;
    return true;
}

uint64_t ui_press_ms(const ui *u) { return u->press_ms; }

static bool input_off(const ui *u) { return u->blocked || u->block_all; }

/* Registers a tappable widget; returns true when it was tapped this frame and
 * sets *held while a press on it is in progress. */
static bool interact(ui *u, ui_id id, ui_rect r, bool *held)
{
    *held = false;
    if (input_off(u))
        return false;
    if (u->nhits < UI_MAX_HITS) {
        u->hit_ids[u->nhits] = id;
        u->hits[u->nhits++] = r;
    }
    if (u->pressed && inside(r, u->press_x, u->press_y) && in_clip(u, u->press_x, u->press_y))
        u->active = id;
    if (u->active != id)
        return false;
    if (u->moved_far && u->drag_list) /* the press became a scroll */
        return false;
    *held = (u->down || u->released) && inside(r, u->mx, u->my);
    return u->released && inside(r, u->mx, u->my) && in_clip(u, u->mx, u->my);
}

static ui_color shade(ui_color c, int pct)
{
    c.r = (unsigned char)(c.r * (100 - pct) / 100);
    c.g = (unsigned char)(c.g * (100 - pct) / 100);
    c.b = (unsigned char)(c.b * (100 - pct) / 100);
    return c;
}

static void centered_text(ui *u, ui_rect r, ui_font font, ui_color c, const char *s)
{
    int h = ui_label_height(u, r.w, font, s);
    ui_label(u, (ui_rect){r.x, r.y + (r.h - h) / 2, r.w, 0}, font, c, UI_ALIGN_CENTER, s);
}

bool ui_hit_area(ui *u, ui_id id, ui_rect r, bool *held) { return interact(u, id, r, held); }

bool ui_button(ui *u, ui_id id, ui_rect r, ui_button_style style, const char *label)
{
    const ui_theme *t = u->theme;
    bool held;
    bool hit = interact(u, id, r, &held);
    ui_color bg, fg;
    bool outline = false;
    switch (style) {
    case UI_BTN_SECONDARY:
        bg = t->surface, fg = t->primary, outline = true;
        break;
    case UI_BTN_DANGER:
        bg = t->danger, fg = t->on_danger;
        break;
    case UI_BTN_QUIET:
        bg = t->bg, fg = t->text, outline = true;
        break;
    default:
        bg = t->primary, fg = t->on_primary;
        break;
    }
    if (held) /* pressed look: darker fill; the outline thickens too, so it is not colour alone */
        bg = outline ? shade(bg, 12) : shade(bg, 25);
    ui_draw_rect(u, r, bg, t->radius);
    if (outline || held)
        ui_draw_border(u, r, outline ? fg : t->focus, t->radius, held ? t->border * 2 : t->border);
    ui_rect in = {r.x + t->pad / 2, r.y, r.w - t->pad, r.h};
    centered_text(u, in, UI_FONT_LARGE | UI_FONT_BOLD, fg, label);
    return hit;
}

static size_t cp_utf8(uint32_t cp, char *buf)
{
    size_t n = utf8_put(cp, buf);
    buf[n] = '\0';
    return n;
}

/* The icon's disc, and the text column of a wide tile (icon left) W wide. */
static int tile_disc(ui *u) { return ui_line_height(u, UI_FONT_HUGE) + u->theme->pad; }
static int tile_text_w(ui *u, int w) { return w - tile_disc(u) - u->theme->pad * 7; }

int ui_tile_min_height(ui *u, int w, const char *title, const char *subtitle)
{
    const ui_theme *t = u->theme;
    int tw = tile_text_w(u, w);
    int h = ui_label_height(u, tw, UI_FONT_TITLE | UI_FONT_BOLD, title);
    if (subtitle && *subtitle)
        h += ui_label_height(u, tw, UI_FONT_BODY, subtitle);
    int disc = tile_disc(u);
    return (h > disc ? h : disc) + 2 * t->pad;
}

bool ui_tile(ui *u, ui_id id, ui_rect r, ui_color accent, uint32_t icon, const char *title,
             const char *subtitle)
{
    const ui_theme *t = u->theme;
    bool held;
    bool hit = interact(u, id, r, &held);
    ui_color bg = held ? shade(accent, 25) : accent;
    ui_color fg = t->on_primary;
    ui_draw_rect(u, r, bg, t->radius * 2);
    if (held)
        ui_draw_border(u, r, t->focus, t->radius * 2, t->border * 2);

    char ic[8];
    size_t icn = cp_utf8(icon, ic);
    int lh_icon = ui_line_height(u, UI_FONT_HUGE);
    int disc = tile_disc(u);
    bool wide = r.w > r.h * 3 / 2;
    ui_rect text_r;
    int dx, dy;
    if (wide) { /* icon left, text right */
        dx = r.x + t->pad * 2;
        dy = r.y + (r.h - disc) / 2;
        text_r = (ui_rect){dx + disc + t->pad * 2, r.y, tile_text_w(u, r.w), r.h};
    } else {    /* icon on top */
        dx = r.x + (r.w - disc) / 2;
        dy = r.y + t->pad * 2;
        text_r = (ui_rect){r.x + t->pad, dy + disc, r.w - t->pad * 2, r.y + r.h - (dy + disc)};
    }
    ui_draw_rect(u, (ui_rect){dx, dy, disc, disc}, shade(bg, 30), disc / 2);
    int iw = ui_text_width(u, UI_FONT_HUGE, ic, icn);
    ui_draw_text(u, dx + (disc - iw) / 2, dy + (disc - lh_icon) / 2, UI_FONT_HUGE, fg, ic, icn);

    ui_align al = wide ? UI_ALIGN_LEFT : UI_ALIGN_CENTER;
    int th = ui_label_height(u, text_r.w, UI_FONT_TITLE | UI_FONT_BOLD, title);
    int sh = subtitle && *subtitle ? ui_label_height(u, text_r.w, UI_FONT_BODY, subtitle) : 0;
    int y = text_r.y + (text_r.h - th - sh) / 2;
    y += ui_label(u, (ui_rect){text_r.x, y, text_r.w, 0}, UI_FONT_TITLE | UI_FONT_BOLD, fg, al, title);
    if (sh)
        ui_label(u, (ui_rect){text_r.x, y, text_r.w, 0}, UI_FONT_BODY, fg, al, subtitle);
    return hit;
}

bool ui_keypad(ui *u, ui_id id, ui_rect r, char *buf, size_t cap, size_t maxlen)
{
    static const char *keys[12] = {"1", "2", "3", "4", "5", "6", "7", "8", "9", NULL, "0", NULL};
    const ui_theme *t = u->theme;
    int g = t->gap;
    int kw = (r.w - 2 * g) / 3, kh = (r.h - 3 * g) / 4;
    bool changed = false;
    size_t len = strnlen(buf, cap);
    for (int i = 0; i < 12; i++) {
        ui_rect k = {r.x + (i % 3) * (kw + g), r.y + (i / 3) * (kh + g), kw, kh};
        const char *label = keys[i];
        ui_button_style st = UI_BTN_SECONDARY;
        if (i == 9)
            label = _("Clear"), st = UI_BTN_QUIET;
        else if (i == 11)
            label = _("Delete"), st = UI_BTN_QUIET;
        if (!ui_button(u, ui_id_child(id, i), k, st, label))
            continue;
        if (i == 9 && len > 0) {
            memset(buf, 0, cap); /* a PIN does not linger in memory */
            changed = true;
        } else if (i == 11 && len > 0) {
            buf[len - 1] = '\0';
            changed = true;
        } else if (keys[i] && len < maxlen && len + 1 < cap) {
            buf[len] = keys[i][0];
            buf[len + 1] = '\0';
            changed = true;
        }
    }
    return changed;
}

/* ---------------------------------------------------------------- scrolling */

static float max_offset(const ui_scroll *s)
{
    float m = (float)(s->content_h - s->view_h);
    return m > 0 ? m : 0;
}

static void clamp_scroll(ui_scroll *s)
{
    float m = max_offset(s);
    if (s->offset < 0)
        s->offset = 0, s->velocity = 0;
    if (s->offset > m)
        s->offset = m, s->velocity = 0;
}

void ui_scroll_by(ui_scroll *s, float dy)
{
    s->offset += dy;
    s->velocity = 0;
    clamp_scroll(s);
}

bool ui_scroll_at_top(const ui_scroll *s) { return s->offset <= 0.5f; }
bool ui_scroll_at_bottom(const ui_scroll *s) { return s->offset >= max_offset(s) - 0.5f; }

void ui_list_begin(ui *u, ui_id id, ui_rect r, ui_scroll *s, int content_h)
{
    s->content_h = content_h;
    s->view_h = r.h;
    uint64_t dt_ms = s->last_ms && u->now > s->last_ms ? u->now - s->last_ms : 0;
    if (dt_ms > 100)
        dt_ms = 100; /* after a pause, don't jump */
    s->last_ms = u->now;

    if (!input_off(u) && u->pressed && inside(r, u->press_x, u->press_y)) {
        u->drag_list = id;
        s->velocity = 0;
    }
    if (u->drag_list == id && u->moved_far) {
        float dy = (float)(u->my - u->prev_my);
        s->offset -= dy;
        if (dt_ms > 0) /* smoothed finger speed, for the fling */
            s->velocity = 0.6f * s->velocity + 0.4f * (-dy * 1000.0f / (float)dt_ms);
        if (u->released && s->velocity != 0)
            u->animating = true;
    } else if (s->velocity != 0 && u->drag_list != id) {
        /* inertia: exponential decay with a 325 ms time constant */
        s->offset += s->velocity * (float)dt_ms / 1000.0f;
        s->velocity *= expf(-(float)dt_ms / 325.0f);
        if (fabsf(s->velocity) < 20.0f)
            s->velocity = 0;
        else
            u->animating = true;
    }
    if (u->drag_list == id && !u->moved_far)
        s->velocity = 0;
    clamp_scroll(s);
    u->list = s;
    u->list_r = r;
    ui_push_clip(u, r);
}

int ui_list_y(const ui *u) { return u->list ? u->list_r.y - (int)lroundf(u->list->offset) : 0; }

void ui_list_end(ui *u)
{
    const ui_theme *t = u->theme;
    ui_scroll *s = u->list;
    ui_pop_clip(u);
    if (s && s->content_h > s->view_h) { /* scroll bar: shows there is more */
        ui_rect r = u->list_r;
        int bar_h = r.h * r.h / s->content_h;
        if (bar_h < t->pad * 2)
            bar_h = t->pad * 2;
        int y = r.y + (int)((float)(r.h - bar_h) * s->offset / max_offset(s));
        int bw = t->border * 3;
        ui_draw_rect(u, (ui_rect){r.x + r.w - bw - 2, y, bw, bar_h}, t->border_col, bw / 2);
    }
    u->list = NULL;
}

/* ---------------------------------------------------------------- overlays */

static ui_rect panel_rect(const ui *u)
{
    const ui_theme *t = u->theme;
    int w = u->w - 4 * t->pad;
    int max_w = (int)(180 * t->px_per_mm);
    if (w > max_w)
        w = max_w;
    return (ui_rect){(u->w - w) / 2, 0, w, 0};
}

int ui_modal(ui *u, ui_id id, const char *title, const char *text, const char *ok, const char *cancel)
{
    const ui_theme *t = u->theme;
    ui_draw_rect(u, (ui_rect){0, 0, u->w, u->h}, t->overlay, 0);
    ui_rect p = panel_rect(u);
    int inner = p.w - 4 * t->pad;
    int bh = t->target + t->pad;
    int th = ui_label_height(u, inner, UI_FONT_TITLE | UI_FONT_BOLD, title);
    int xh = text && *text ? ui_label_height(u, inner, UI_FONT_BODY, text) : 0;
    p.h = 2 * t->pad + th + t->pad + xh + 2 * t->pad + bh + 2 * t->pad;
    p.y = (u->h - p.h) / 2;
    ui_draw_rect(u, p, t->surface, t->radius * 2);
    int y = p.y + 2 * t->pad;
    int x = p.x + 2 * t->pad;
    y += ui_label(u, (ui_rect){x, y, inner, 0}, UI_FONT_TITLE | UI_FONT_BOLD, t->text, UI_ALIGN_LEFT, title);
    y += t->pad;
    if (xh)
        y += ui_label(u, (ui_rect){x, y, inner, 0}, UI_FONT_BODY, t->text, UI_ALIGN_LEFT, text);
    y += 2 * t->pad;
    int result = 0;
    if (cancel) {
        int bw = (inner - t->gap) / 2;
        if (ui_button(u, ui_id_child(id, 2), (ui_rect){x, y, bw, bh}, UI_BTN_SECONDARY, cancel))
            result = 2;
        if (ui_button(u, ui_id_child(id, 1), (ui_rect){x + bw + t->gap, y, bw, bh}, UI_BTN_PRIMARY, ok))
            result = 1;
    } else if (ui_button(u, ui_id_child(id, 1), (ui_rect){x, y, inner, bh}, UI_BTN_PRIMARY, ok)) {
        result = 1;
    }
    return result;
}

bool ui_countdown(ui *u, ui_id id, int seconds_left, const char *title, const char *text,
                  const char *button)
{
    const ui_theme *t = u->theme;
    bool saved = u->block_all;
    u->block_all = false; /* the overlay is the one thing that takes input */
    ui_draw_rect(u, (ui_rect){0, 0, u->w, u->h}, t->overlay, 0);
    ui_rect p = panel_rect(u);
    int inner = p.w - 4 * t->pad;
    int bh = t->target * 2;
    int th = ui_label_height(u, inner, UI_FONT_TITLE | UI_FONT_BOLD, title);
    int xh = ui_label_height(u, inner, UI_FONT_BODY, text);
    int nh = ui_line_height(u, UI_FONT_HUGE | UI_FONT_BOLD);
    p.h = 2 * t->pad + th + t->pad + nh + t->pad + xh + 2 * t->pad + bh + 2 * t->pad;
    p.y = (u->h - p.h) / 2;
    ui_draw_rect(u, p, t->surface, t->radius * 2);
    ui_draw_border(u, p, t->primary, t->radius * 2, t->border * 2);
    int x = p.x + 2 * t->pad, y = p.y + 2 * t->pad;
    y += ui_label(u, (ui_rect){x, y, inner, 0}, UI_FONT_TITLE | UI_FONT_BOLD, t->text, UI_ALIGN_CENTER, title);
    y += t->pad;
    char num[16];
    int n = snprintf(num, sizeof num, "%d", seconds_left < 0 ? 0 : seconds_left);
    int nw = ui_text_width(u, UI_FONT_HUGE | UI_FONT_BOLD, num, (size_t)n);
    ui_draw_text(u, p.x + (p.w - nw) / 2, y, UI_FONT_HUGE | UI_FONT_BOLD, t->primary, num, (size_t)n);
    y += nh + t->pad;
    y += ui_label(u, (ui_rect){x, y, inner, 0}, UI_FONT_BODY, t->text, UI_ALIGN_CENTER, text);
    y += 2 * t->pad;
    bool hit = ui_button(u, id, (ui_rect){x, y, inner, bh}, UI_BTN_PRIMARY, button);
    u->block_all = saved;
    return hit;
}

void ui_block_all(ui *u, bool blocked) { u->block_all = blocked; }
