/* ui_sdl.c - see ui_sdl.h. */
#include "ui_sdl.h"

#include <SDL.h>
#include <SDL_image.h>
#include <SDL_ttf.h>

#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>

#define TEXT_CACHE 1024 /* distinct strings on screen at once is ~100; room for a few screens */
/* ...and a byte budget: a page of a notice in large type is ~4 MB of line
 * textures, and the attract loop shows every notice in both languages, so
 * counting entries alone let the cache reach ~50 MB in a simulated day. */
#define TEXT_CACHE_BYTES (8u << 20)
#define ADV_CACHE 4096  /* per font; a screen of Chinese uses a few hundred glyphs */
#define IMG_CACHE 8     /* pictures (notice images): a screen shows one, the attract loop a few */

typedef struct text_entry {
    uint64_t key;      /* 0 = empty */
    uint64_t last_use; /* frame counter, for LRU eviction */
    SDL_Texture *tex;
    int w, h;
} text_entry;

/* A decoded picture. A file that fails to load is remembered as failed (tex
 * NULL), so a broken PNG costs one attempt, not one per frame. */
typedef struct img_entry {
    uint64_t key;      /* 0 = empty; hash of path and version */
    uint64_t last_use;
    SDL_Texture *tex;
} img_entry;

typedef struct adv_entry {
    uint32_t cp; /* 0 = empty (NUL is never measured) */
    int adv;
} adv_entry;

struct ui_sdl {
    SDL_Window *win;
    SDL_Surface *surface; /* headless target */
    SDL_Renderer *ren;
    char ren_name[32];
    int w, h;
    double px_per_mm;
    bool headless;
    char font_path[2][512];
    void *font_map[2];      /* the font files, mmap'd once: FreeType reads them */
    size_t font_len[2];     /* as memory, not as thousands of seek+read calls */
    TTF_Font *fonts[UI_FONT_COUNT];
    int font_px[UI_FONT_NSIZES];
    int line_h[UI_FONT_COUNT];
    adv_entry *adv[UI_FONT_COUNT];
    text_entry text[TEXT_CACHE];
    size_t text_n, text_bytes;
    img_entry img[IMG_CACHE];
    uint64_t frame;
    uint64_t last_hash;
    bool have_last;
};

const char *ui_sdl_strerror(ui_sdl_err e)
{
    switch (e) {
    case UI_SDL_OK: return "ok";
    case UI_SDL_EINIT: return "the display system could not start";
    case UI_SDL_EWINDOW: return "the window could not be created";
    case UI_SDL_ERENDER: return "the renderer could not be created";
    case UI_SDL_EFONT: return "a font could not be loaded";
    case UI_SDL_EIO: return "a screenshot could not be written";
    }
    return "unknown error";
}

static ui_sdl_err fail(ui_sdl_err e, char *err, size_t errlen, const char *what)
{
    if (err && errlen)
        snprintf(err, errlen, "%s: %s (%s)", ui_sdl_strerror(e), what, SDL_GetError());
    return e;
}

static void close_fonts(ui_sdl *p)
{
    for (int i = 0; i < UI_FONT_COUNT; i++) {
        if (p->fonts[i])
            TTF_CloseFont(p->fonts[i]);
        p->fonts[i] = NULL;
        free(p->adv[i]);
        p->adv[i] = NULL;
    }
}

static void unmap_fonts(ui_sdl *p)
{
    for (int i = 0; i < 2; i++) {
        if (p->font_map[i])
            munmap(p->font_map[i], p->font_len[i]);
        p->font_map[i] = NULL;
    }
}

static bool map_fonts(ui_sdl *p)
{
    for (int i = 0; i < 2; i++) {
        if (p->font_map[i])
            continue;
        int fd = open(p->font_path[i], O_RDONLY | O_CLOEXEC);
        struct stat st;
        if (fd < 0 || fstat(fd, &st) != 0 || st.st_size <= 0) {
            if (fd >= 0)
                close(fd);
            SDL_SetError("cannot read %s", p->font_path[i]);
            return false;
        }
        void *m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
        close(fd);
        if (m == MAP_FAILED) {
            SDL_SetError("cannot map %s", p->font_path[i]);
            return false;
        }
        p->font_map[i] = m;
        p->font_len[i] = (size_t)st.st_size;
    }
    return true;
}

static void clear_text_cache(ui_sdl *p)
{
    for (size_t i = 0; i < TEXT_CACHE; i++) {
        if (p->text[i].tex)
            SDL_DestroyTexture(p->text[i].tex);
        memset(&p->text[i], 0, sizeof p->text[i]);
    }
    p->text_n = p->text_bytes = 0;
    p->have_last = false;
}

ui_sdl_err ui_sdl_open(const ui_sdl_opts *o, ui_sdl **out, char *err, size_t errlen)
{
    *out = NULL;
    ui_sdl *p = calloc(1, sizeof *p);
    if (!p)
        return fail(UI_SDL_EINIT, err, errlen, "out of memory");
    p->headless = o->headless;
    snprintf(p->font_path[0], sizeof p->font_path[0], "%s", o->font_regular);
    snprintf(p->font_path[1], sizeof p->font_path[1], "%s", o->font_bold);
    ui_sdl_err e = UI_SDL_OK;

    /* Kiosk: never let the screen blank, never show a cursor over the UI. */
    SDL_SetHint(SDL_HINT_VIDEO_ALLOW_SCREENSAVER, "0");
    SDL_SetHint(SDL_HINT_RENDER_SCALE_QUALITY, "0");
    if (TTF_Init() != 0) {
        e = fail(UI_SDL_EINIT, err, errlen, "SDL_ttf");
        goto out;
    }
    if (o->headless) {
        p->w = o->width > 0 ? o->width : 1080;
        p->h = o->height > 0 ? o->height : 1920;
        p->surface = SDL_CreateRGBSurfaceWithFormat(0, p->w, p->h, 32, SDL_PIXELFORMAT_ARGB8888);
        if (!p->surface) {
            e = fail(UI_SDL_EWINDOW, err, errlen, "off-screen surface");
            goto out;
        }
        p->ren = SDL_CreateSoftwareRenderer(p->surface);
        if (!p->ren) {
            e = fail(UI_SDL_ERENDER, err, errlen, "software renderer");
            goto out;
        }
        p->px_per_mm = ui_theme_px_per_mm(0, o->diagonal_in, p->w, p->h);
    } else {
        /* With the software renderer, SDL would still back the window with
         * an OpenGL texture by default, loading Mesa (and LLVM) for nothing:
         * ~60 MB. Plain XShm blits are what a kiosk needs. */
        if (o->renderer == UI_SDL_SOFTWARE)
            SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
        if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_EVENTS) != 0) {
            e = fail(UI_SDL_EINIT, err, errlen, "SDL_Init");
            goto out;
        }
        Uint32 flags = SDL_WINDOW_SHOWN | SDL_WINDOW_ALLOW_HIGHDPI;
        int w = o->width, h = o->height;
        if (o->fullscreen || w <= 0 || h <= 0) {
            SDL_DisplayMode dm;
            if (SDL_GetDesktopDisplayMode(0, &dm) == 0 && (w <= 0 || h <= 0))
                w = dm.w, h = dm.h;
            if (o->fullscreen)
                flags |= SDL_WINDOW_FULLSCREEN_DESKTOP | SDL_WINDOW_BORDERLESS;
        }
        if (w <= 0 || h <= 0)
            w = 1080, h = 1920;
        p->win = SDL_CreateWindow(o->title ? o->title : "kiosk", SDL_WINDOWPOS_UNDEFINED_DISPLAY(0),
                                  SDL_WINDOWPOS_UNDEFINED_DISPLAY(0), w, h, flags);
        if (!p->win) {
            e = fail(UI_SDL_EWINDOW, err, errlen, "SDL_CreateWindow");
            goto out;
        }
        Uint32 rflags = 0;
        if (o->renderer == UI_SDL_SOFTWARE) {
            SDL_SetHint(SDL_HINT_RENDER_DRIVER, "software");
            rflags = SDL_RENDERER_SOFTWARE;
        } else if (o->renderer == UI_SDL_OPENGL) {
            SDL_SetHint(SDL_HINT_RENDER_DRIVER, "opengl");
            rflags = SDL_RENDERER_ACCELERATED;
        }
        p->ren = SDL_CreateRenderer(p->win, -1, rflags);
        if (!p->ren) {
            e = fail(UI_SDL_ERENDER, err, errlen, "SDL_CreateRenderer");
            goto out;
        }
        SDL_GetRendererOutputSize(p->ren, &p->w, &p->h);
        SDL_ShowCursor(SDL_DISABLE);
        SDL_DisableScreenSaver();
        float ddpi = 0;
        if (SDL_GetDisplayDPI(0, &ddpi, NULL, NULL) != 0)
            ddpi = 0;
        /* X11 reports 96 dpi for every panel without a real EDID; trust it
         * only when it is not that default. */
        if (fabsf(ddpi - 96.0f) < 0.5f)
            ddpi = 0;
        p->px_per_mm = ui_theme_px_per_mm(ddpi, o->diagonal_in, p->w, p->h);
    }
    SDL_RendererInfo info;
    if (SDL_GetRendererInfo(p->ren, &info) == 0)
        snprintf(p->ren_name, sizeof p->ren_name, "%s", info.name);
    SDL_SetRenderDrawBlendMode(p->ren, SDL_BLENDMODE_BLEND);
out:
    if (e != UI_SDL_OK) {
        ui_sdl_close(p);
        return e;
    }
    *out = p;
    return UI_SDL_OK;
}

static void clear_images(ui_sdl *p)
{
    for (size_t i = 0; i < IMG_CACHE; i++) {
        if (p->img[i].tex)
            SDL_DestroyTexture(p->img[i].tex);
        memset(&p->img[i], 0, sizeof p->img[i]);
    }
}

void ui_sdl_close(ui_sdl *p)
{
    if (!p)
        return;
    clear_images(p);
    clear_text_cache(p);
    close_fonts(p);
    unmap_fonts(p);
    if (p->ren)
        SDL_DestroyRenderer(p->ren);
    if (p->surface)
        SDL_FreeSurface(p->surface);
    if (p->win)
        SDL_DestroyWindow(p->win);
    TTF_Quit();
    if (!p->headless)
        SDL_Quit();
    free(p);
}

void ui_sdl_size(const ui_sdl *p, int *w, int *h)
{
    *w = p->w;
    *h = p->h;
}

double ui_sdl_px_per_mm(const ui_sdl *p) { return p->px_per_mm; }
const char *ui_sdl_renderer_name(const ui_sdl *p) { return p->ren_name; }

ui_sdl_err ui_sdl_set_theme(ui_sdl *p, const ui_theme *theme, char *err, size_t errlen)
{
    if (p->fonts[0] && memcmp(p->font_px, theme->font_px, sizeof p->font_px) == 0)
        return UI_SDL_OK;
    clear_text_cache(p);
    close_fonts(p);
    if (!map_fonts(p))
        return fail(UI_SDL_EFONT, err, errlen, "font file");
    for (int i = 0; i < UI_FONT_COUNT; i++) {
        int size = i & 7;
        if (size >= UI_FONT_NSIZES)
            continue;
        int face = (i & UI_FONT_BOLD) ? 1 : 0;
        SDL_RWops *rw = SDL_RWFromConstMem(p->font_map[face], (int)p->font_len[face]);
        p->fonts[i] = rw ? TTF_OpenFontRW(rw, 1, theme->font_px[size]) : NULL;
        if (!p->fonts[i])
            return fail(UI_SDL_EFONT, err, errlen, p->font_path[face]);
        TTF_SetFontHinting(p->fonts[i], TTF_HINTING_LIGHT);
        p->line_h[i] = TTF_FontLineSkip(p->fonts[i]);
        p->adv[i] = calloc(ADV_CACHE, sizeof(adv_entry));
        if (!p->adv[i])
            return fail(UI_SDL_EFONT, err, errlen, "out of memory");
    }
    memcpy(p->font_px, theme->font_px, sizeof p->font_px);
    return UI_SDL_OK;
}

static TTF_Font *font_of(ui_sdl *p, ui_font f)
{
    int i = (int)f & (UI_FONT_COUNT - 1);
    if ((i & 7) >= UI_FONT_NSIZES)
        i = UI_FONT_BODY;
    return p->fonts[i];
}

static int sdl_advance(void *user, ui_font f, uint32_t cp)
{
    ui_sdl *p = user;
    int i = (int)f & (UI_FONT_COUNT - 1);
    adv_entry *tab = p->adv[i];
    TTF_Font *font = font_of(p, f);
    if (!font || cp == 0)
        return 0;
    if (tab) {
        uint32_t h = (cp * 2654435761u) & (ADV_CACHE - 1);
        for (int probe = 0; probe < 8; probe++) {
            adv_entry *e = &tab[(h + (uint32_t)probe) & (ADV_CACHE - 1)];
            if (e->cp == cp)
                return e->adv;
            if (e->cp == 0) {
                int minx, maxx, miny, maxy, adv = 0;
                if (TTF_GlyphMetrics32(font, cp, &minx, &maxx, &miny, &maxy, &adv) != 0)
                    adv = 0;
                e->cp = cp;
                e->adv = adv;
                return adv;
            }
        }
    }
    int minx, maxx, miny, maxy, adv = 0; /* table crowded: measure without caching */
    if (TTF_GlyphMetrics32(font, cp, &minx, &maxx, &miny, &maxy, &adv) != 0)
        adv = 0;
    return adv;
}

static int sdl_line_height(void *user, ui_font f)
{
    ui_sdl *p = user;
    int i = (int)f & (UI_FONT_COUNT - 1);
    return p->line_h[i];
}

ui_text_metrics ui_sdl_metrics(ui_sdl *p)
{
    return (ui_text_metrics){sdl_advance, sdl_line_height, p};
}

bool ui_sdl_has_glyph(ui_sdl *p, uint32_t cp)
{
    return p->fonts[UI_FONT_BODY] && TTF_GlyphIsProvided32(p->fonts[UI_FONT_BODY], cp);
}

int ui_sdl_cap_px(ui_sdl *p, ui_font font)
{
    int minx, maxx, miny, maxy, adv;
    TTF_Font *f = font_of(p, font);
    if (!f || TTF_GlyphMetrics32(f, 'H', &minx, &maxx, &miny, &maxy, &adv) != 0)
        return 0;
    return maxy;
}

/* ---------------------------------------------------------------- text cache */

static uint64_t text_key(ui_font f, ui_color c, const char *s, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    unsigned char pre[5] = {(unsigned char)f, c.r, c.g, c.b, c.a};
    for (size_t i = 0; i < sizeof pre; i++)
        h = (h ^ pre[i]) * 0x100000001b3ULL;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 0x100000001b3ULL;
    return h ? h : 1;
}

static void text_evict(ui_sdl *p, text_entry *e)
{
    if (e->tex) {
        p->text_bytes -= (size_t)e->w * (size_t)e->h * 4;
        SDL_DestroyTexture(e->tex);
        p->text_n--;
    }
    memset(e, 0, sizeof *e);
}

/* Drops the least recently used strings until the cache is within its
 * budget; what this frame drew stays (the budget may be passed by one
 * screenful, never more). */
static void text_trim(ui_sdl *p)
{
    while (p->text_bytes > TEXT_CACHE_BYTES) {
        text_entry *old = NULL;
        for (size_t i = 0; i < TEXT_CACHE; i++) {
            text_entry *e = &p->text[i];
            if (e->key && e->last_use < p->frame && (!old || e->last_use < old->last_use))
                old = e;
        }
        if (!old)
            return;
        text_evict(p, old);
    }
}

static text_entry *text_get(ui_sdl *p, ui_font f, ui_color c, const char *s, size_t n)
{
    uint64_t key = text_key(f, c, s, n);
    size_t at = (size_t)(key % TEXT_CACHE);
    text_entry *victim = NULL, *empty = NULL;
    /* The whole probe window is searched: entries trimmed for the budget
     * leave holes, and a hole must not hide the key behind it. */
    for (size_t probe = 0; probe < 16; probe++) {
        text_entry *e = &p->text[(at + probe) % TEXT_CACHE];
        if (e->key == key) {
            e->last_use = p->frame;
            return e;
        }
        if (!e->key) {
            if (!empty)
                empty = e;
        } else if (!victim || e->last_use < victim->last_use) {
            victim = e;
        }
    }
    if (empty)
        victim = empty;
    text_evict(p, victim); /* the least recently used of the probe window, if no hole */
    char buf[1024];
    char *str = n < sizeof buf ? buf : malloc(n + 1);
    if (!str)
        return NULL;
    memcpy(str, s, n);
    str[n] = '\0';
    SDL_Surface *surf = TTF_RenderUTF8_Blended(font_of(p, f), str, (SDL_Color){c.r, c.g, c.b, c.a});
    if (str != buf)
        free(str);
    if (!surf)
        return NULL;
    victim->tex = SDL_CreateTextureFromSurface(p->ren, surf);
    victim->w = surf->w;
    victim->h = surf->h;
    SDL_FreeSurface(surf);
    if (!victim->tex)
        return NULL;
    victim->key = key;
    victim->last_use = p->frame;
    p->text_n++;
    p->text_bytes += (size_t)victim->w * (size_t)victim->h * 4;
    text_trim(p);
    return victim;
}

void ui_sdl_forget_text(ui_sdl *p) { clear_text_cache(p); }

void ui_sdl_cache_stats(const ui_sdl *p, size_t *entries, size_t *bytes)
{
    *entries = p->text_n;
    *bytes = p->text_bytes;
}

/* ---------------------------------------------------------------- shapes */

#define ARC_SEG 8
#define PATH_MAX_PTS (4 * (ARC_SEG + 1))

/* Outline of a rounded rectangle, clockwise, 4 arcs of ARC_SEG segments. */
static int round_path(SDL_FPoint *pts, float x, float y, float w, float h, float r)
{
    if (r > w / 2)
        r = w / 2;
    if (r > h / 2)
        r = h / 2;
    const float cx[4] = {x + w - r, x + w - r, x + r, x + r};
    const float cy[4] = {y + r, y + h - r, y + h - r, y + r};
    int n = 0;
    for (int c = 0; c < 4; c++) {
        float a0 = (float)(-M_PI / 2 + c * M_PI / 2);
        for (int s = 0; s <= ARC_SEG; s++) {
            float a = a0 + (float)(M_PI / 2) * (float)s / ARC_SEG;
            pts[n].x = cx[c] + r * cosf(a);
            pts[n].y = cy[c] + r * sinf(a);
            n++;
        }
    }
    return n;
}

/* Opaque colours are written, not blended: SDL's software renderer then
 * takes its memset-speed path, which is most of a full redraw. */
static void set_color(ui_sdl *p, ui_color c)
{
    SDL_SetRenderDrawBlendMode(p->ren, c.a == 255 ? SDL_BLENDMODE_NONE : SDL_BLENDMODE_BLEND);
    SDL_SetRenderDrawColor(p->ren, c.r, c.g, c.b, c.a);
}

/* A rounded rectangle is three rectangles and four small corner fans: the
 * software renderer fills rectangles fast and triangles slowly, so only the
 * corners are triangles. */
static void fill_round(ui_sdl *p, ui_rect r, ui_color c, int radius)
{
    set_color(p, c);
    if (radius > r.w / 2)
        radius = r.w / 2;
    if (radius > r.h / 2)
        radius = r.h / 2;
    if (radius <= 1) {
        SDL_RenderFillRect(p->ren, &(SDL_Rect){r.x, r.y, r.w, r.h});
        return;
    }
    SDL_Rect rects[3] = {
        {r.x + radius, r.y, r.w - 2 * radius, r.h},
        {r.x, r.y + radius, radius, r.h - 2 * radius},
        {r.x + r.w - radius, r.y + radius, radius, r.h - 2 * radius},
    };
    SDL_RenderFillRects(p->ren, rects, 3);
    SDL_Vertex v[4 * (ARC_SEG + 2)];
    int idx[4 * ARC_SEG * 3];
    SDL_Color col = {c.r, c.g, c.b, c.a};
    const float cx[4] = {(float)(r.x + r.w - radius), (float)(r.x + r.w - radius), (float)(r.x + radius),
                         (float)(r.x + radius)};
    const float cy[4] = {(float)(r.y + radius), (float)(r.y + r.h - radius), (float)(r.y + r.h - radius),
                         (float)(r.y + radius)};
    int nv = 0, ni = 0;
    for (int k = 0; k < 4; k++) {
        int centre = nv;
        v[nv++] = (SDL_Vertex){{cx[k], cy[k]}, col, {0, 0}};
        float a0 = (float)(-M_PI / 2 + k * M_PI / 2);
        for (int s = 0; s <= ARC_SEG; s++) {
            float a = a0 + (float)(M_PI / 2) * (float)s / ARC_SEG;
            v[nv++] = (SDL_Vertex){{cx[k] + radius * cosf(a), cy[k] + radius * sinf(a)}, col, {0, 0}};
            if (s > 0) {
                idx[ni++] = centre;
                idx[ni++] = nv - 2;
                idx[ni++] = nv - 1;
            }
        }
    }
    SDL_RenderGeometry(p->ren, NULL, v, nv, idx, ni);
}

static void stroke_round(ui_sdl *p, ui_rect r, ui_color c, int radius, int thick)
{
    set_color(p, c);
    SDL_FPoint outer[PATH_MAX_PTS], inner[PATH_MAX_PTS];
    float t = (float)thick;
    int n = round_path(outer, (float)r.x, (float)r.y, (float)r.w, (float)r.h, (float)radius);
    float ir = (float)radius - t;
    round_path(inner, r.x + t, r.y + t, r.w - 2 * t, r.h - 2 * t, ir > 0 ? ir : 0);
    SDL_Vertex v[PATH_MAX_PTS * 2];
    int idx[PATH_MAX_PTS * 6];
    SDL_Color col = {c.r, c.g, c.b, c.a};
    for (int i = 0; i < n; i++) {
        v[2 * i] = (SDL_Vertex){outer[i], col, {0, 0}};
        v[2 * i + 1] = (SDL_Vertex){inner[i], col, {0, 0}};
        int a = 2 * i, b = 2 * i + 1, c2 = (2 * i + 2) % (2 * n), d = (2 * i + 3) % (2 * n);
        int *q = &idx[i * 6];
        q[0] = a, q[1] = c2, q[2] = b;
        q[3] = b, q[4] = c2, q[5] = d;
    }
    SDL_RenderGeometry(p->ren, NULL, v, 2 * n, idx, n * 6);
}

static void draw_bitmap(ui_sdl *p, const ui_cmd *c, const uint8_t *m)
{
    int side = c->thick;
    if (side <= 0)
        return;
    int mod = c->r.w / side;
    if (mod < 1)
        mod = 1;
    int ox = c->r.x + (c->r.w - mod * side) / 2, oy = c->r.y + (c->r.h - mod * side) / 2;
    set_color(p, c->color);
    for (int y = 0; y < side; y++) {
        for (int x = 0; x < side;) { /* runs of dark modules as one rect */
            if (!m[y * side + x]) {
                x++;
                continue;
            }
            int x0 = x;
            while (x < side && m[y * side + x])
                x++;
            SDL_RenderFillRect(p->ren, &(SDL_Rect){ox + x0 * mod, oy + y * mod, (x - x0) * mod, mod});
        }
    }
}

/* The picture at PATH (not NUL-terminated in the arena) in VERSION, loaded
 * with SDL_image on first use; least recently used goes first. */
static SDL_Texture *img_get(ui_sdl *p, const char *path, size_t n, uint32_t version)
{
    uint64_t key = text_key(UI_FONT_COUNT, (ui_color){0, 0, 0, 0}, path, n) ^ ((uint64_t)version * 0x9E3779B97F4A7C15ULL);
    if (!key)
        key = 1;
    img_entry *victim = &p->img[0];
    for (size_t i = 0; i < IMG_CACHE; i++) {
        if (p->img[i].key == key) {
            p->img[i].last_use = p->frame;
            return p->img[i].tex;
        }
        if (p->img[i].last_use < victim->last_use || (victim->key && !p->img[i].key))
            victim = &p->img[i];
    }
    if (victim->tex)
        SDL_DestroyTexture(victim->tex);
    memset(victim, 0, sizeof *victim);
    victim->key = key;
    victim->last_use = p->frame;
    char buf[1024];
    if (n >= sizeof buf)
        return NULL;
    memcpy(buf, path, n);
    buf[n] = '\0';
    SDL_Surface *surf = IMG_Load(buf);
    if (!surf)
        return NULL;
    victim->tex = SDL_CreateTextureFromSurface(p->ren, surf);
    SDL_FreeSurface(surf);
    if (victim->tex) /* pictures are scaled to the width: smooth, not blocky */
        SDL_SetTextureScaleMode(victim->tex, SDL_ScaleModeLinear);
    return victim->tex;
}

static void draw_image(ui_sdl *p, const ui_cmd *c, const char *path)
{
    SDL_Texture *tex = img_get(p, path, c->text_len, c->aux);
    SDL_Rect dst = {c->r.x, c->r.y, c->r.w, c->r.h};
    if (tex) {
        SDL_RenderCopy(p->ren, tex, NULL, &dst);
        return;
    }
    /* Unreadable picture: an empty frame where it would be, not a hole. */
    set_color(p, (ui_color){0x5C, 0x5C, 0x5C, 255});
    SDL_RenderDrawRect(p->ren, &dst);
}

bool ui_sdl_render(ui_sdl *p, const ui *u, bool force)
{
    uint64_t h = ui_frame_hash(u);
    if (!force && p->have_last && h == p->last_hash)
        return false;
    p->frame++;
    size_t n;
    const ui_cmd *cmds = ui_commands(u, &n);
    const char *arena = ui_text_arena(u);
    SDL_RenderSetClipRect(p->ren, NULL);
    for (size_t i = 0; i < n; i++) {
        const ui_cmd *c = &cmds[i];
        switch ((ui_cmd_type)c->type) {
        case UI_CMD_RECT:
            fill_round(p, c->r, c->color, c->radius);
            break;
        case UI_CMD_BORDER:
            stroke_round(p, c->r, c->color, c->radius, c->thick);
            break;
        case UI_CMD_TEXT: {
            text_entry *e = text_get(p, (ui_font)c->font, c->color, arena + c->text_off, c->text_len);
            if (e)
                SDL_RenderCopy(p->ren, e->tex, NULL, &(SDL_Rect){c->r.x, c->r.y, e->w, e->h});
            break;
        }
        case UI_CMD_CLIP:
            if (c->r.w > 0)
                SDL_RenderSetClipRect(p->ren, &(SDL_Rect){c->r.x, c->r.y, c->r.w, c->r.h});
            else
                SDL_RenderSetClipRect(p->ren, NULL);
            break;
        case UI_CMD_BITMAP:
            draw_bitmap(p, c, (const uint8_t *)arena + c->text_off);
            break;
        case UI_CMD_IMAGE:
            draw_image(p, c, arena + c->text_off);
            break;
        }
    }
    SDL_RenderPresent(p->ren);
    p->last_hash = h;
    p->have_last = true;
    return true;
}

ui_sdl_err ui_sdl_screenshot(ui_sdl *p, const char *png_path)
{
    SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, p->w, p->h, 32, SDL_PIXELFORMAT_ARGB8888);
    if (!s)
        return UI_SDL_EIO;
    ui_sdl_err e = UI_SDL_OK;
    if (SDL_RenderReadPixels(p->ren, NULL, SDL_PIXELFORMAT_ARGB8888, s->pixels, s->pitch) != 0 ||
        IMG_SavePNG(s, png_path) != 0)
        e = UI_SDL_EIO;
    SDL_FreeSurface(s);
    return e;
}

/* ---------------------------------------------------------------- events */

void ui_sdl_wake(ui_sdl *p)
{
    if (p->headless)
        return; /* no event loop: the harness runs frames itself */
    SDL_Event e;
    memset(&e, 0, sizeof e);
    e.type = SDL_USEREVENT; /* SDL_PushEvent is thread-safe */
    SDL_PushEvent(&e);
}

bool ui_sdl_wait(ui_sdl *p, int timeout_ms, ui_sdl_event *ev)
{
    memset(ev, 0, sizeof *ev);
    if (p->headless)
        return false;
    SDL_Event e;
    int got = timeout_ms < 0 ? SDL_WaitEvent(&e) : SDL_WaitEventTimeout(&e, timeout_ms);
    if (!got)
        return false;
    switch (e.type) {
    case SDL_MOUSEBUTTONDOWN:
        if (e.button.button != SDL_BUTTON_LEFT)
            break;
        ev->type = UI_EV_DOWN, ev->x = e.button.x, ev->y = e.button.y;
        break;
    case SDL_MOUSEBUTTONUP:
        if (e.button.button != SDL_BUTTON_LEFT)
            break;
        ev->type = UI_EV_UP, ev->x = e.button.x, ev->y = e.button.y;
        break;
    case SDL_MOUSEMOTION:
        if (!(e.motion.state & SDL_BUTTON_LMASK))
            break; /* hover means nothing on a touch panel */
        ev->type = UI_EV_MOVE, ev->x = e.motion.x, ev->y = e.motion.y;
        break;
    case SDL_KEYDOWN:
        ev->type = UI_EV_KEY;
        ev->key = e.key.keysym.sym;
        ev->mod = ((e.key.keysym.mod & KMOD_CTRL) ? UI_MOD_CTRL : 0) |
                  ((e.key.keysym.mod & KMOD_ALT) ? UI_MOD_ALT : 0);
        break;
    case SDL_TEXTINPUT:
        ev->type = UI_EV_TEXT;
        snprintf(ev->text, sizeof ev->text, "%s", e.text.text);
        break;
    case SDL_QUIT:
        ev->type = UI_EV_QUIT;
        break;
    case SDL_WINDOWEVENT:
        if (e.window.event == SDL_WINDOWEVENT_CLOSE) {
            ev->type = UI_EV_QUIT;
        } else if (e.window.event == SDL_WINDOWEVENT_EXPOSED ||
                   e.window.event == SDL_WINDOWEVENT_SIZE_CHANGED) {
            SDL_GetRendererOutputSize(p->ren, &p->w, &p->h);
            ev->type = UI_EV_REDRAW;
        }
        break;
    default:
        break;
    }
    if (ev->type == UI_EV_NONE)
        ev->type = UI_EV_OTHER;
    return true;
}
