/* prn_layout.c - the document model and its layout into a 1-bit raster.
 *
 * Glyphs are rendered by FreeType in 8-bit coverage and thresholded at half
 * coverage: thermal heads have no grey, and half coverage keeps the strokes
 * of small hanzi from vanishing (monochrome hinting of CFF fonts is thin).
 */
#include "prn.h"

#include <ft2build.h>
#include FT_FREETYPE_H

#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"

enum { MARGIN = 4, QR_MODULE_AUTO_MAX = 8, QR_MODULE_MIN = 3 };

typedef enum { EL_TEXT, EL_QR, EL_RULE, EL_SPACE } el_kind;

typedef struct element {
    el_kind kind;
    prn_align align;
    prn_weight weight;
    int size;       /* text size, rule thickness, space height, QR module */
    bool dashed;
    char *text;
    qr_code *qr;
} element;

struct prn_doc {
    element *els;
    size_t n, cap;
};

struct prn_fonts {
    FT_Library lib;
    FT_Face face[2]; /* [PRN_REGULAR], [PRN_BOLD] */
};

/* ---- document ---------------------------------------------------------- */

prn_doc *prn_doc_new(void) { return calloc(1, sizeof(prn_doc)); }

void prn_doc_free(prn_doc *doc)
{
    if (!doc)
        return;
    for (size_t i = 0; i < doc->n; i++) {
        free(doc->els[i].text);
        qr_free(doc->els[i].qr);
    }
    free(doc->els);
    free(doc);
}

size_t prn_doc_count(const prn_doc *doc) { return doc ? doc->n : 0; }

static element *push(prn_doc *doc)
{
    if (doc->n == doc->cap) {
        size_t cap = doc->cap ? doc->cap * 2 : 16;
        element *els = realloc(doc->els, cap * sizeof *els);
        if (!els)
            return NULL;
        doc->els = els;
        doc->cap = cap;
    }
    element *e = &doc->els[doc->n];
    memset(e, 0, sizeof *e);
    return e;
}

static int valid_align(prn_align a) { return a == PRN_LEFT || a == PRN_CENTER || a == PRN_RIGHT; }

prn_err prn_doc_text(prn_doc *doc, const char *utf8, int size, prn_weight weight, prn_align align)
{
    if (!doc || !utf8 || size < 8 || size > 200 || !valid_align(align) ||
        (weight != PRN_REGULAR && weight != PRN_BOLD))
        return PRN_ERR_ARG;
    size_t len = strlen(utf8);
    char *copy = malloc(len + 1);
    if (!copy)
        return PRN_ERR_NOMEM;
    memcpy(copy, utf8, len + 1);
    element *e = push(doc);
    if (!e) {
        free(copy);
        return PRN_ERR_NOMEM;
    }
    e->kind = EL_TEXT;
    e->text = copy;
    e->size = size;
    e->weight = weight;
    e->align = align;
    doc->n++;
    return PRN_OK;
}

prn_err prn_doc_qr(prn_doc *doc, const void *data, size_t len, qr_ec ec, int module,
                   prn_align align)
{
    if (!doc || !data || len == 0 || module < 0 || module > 64 || !valid_align(align))
        return PRN_ERR_ARG;
    qr_code *qr = NULL;
    qr_err qe = qr_encode_bytes(data, len, ec, &qr);
    if (qe == QR_ERR_NOMEM)
        return PRN_ERR_NOMEM;
    if (qe == QR_ERR_TOO_LONG)
        return PRN_ERR_LAYOUT;
    if (qe != QR_OK)
        return PRN_ERR_ARG;
    element *e = push(doc);
    if (!e) {
        qr_free(qr);
        return PRN_ERR_NOMEM;
    }
    e->kind = EL_QR;
    e->qr = qr;
    e->size = module;
    e->align = align;
    doc->n++;
    return PRN_OK;
}

prn_err prn_doc_rule(prn_doc *doc, int thickness, bool dashed)
{
    if (!doc || thickness < 1 || thickness > 64)
        return PRN_ERR_ARG;
    element *e = push(doc);
    if (!e)
        return PRN_ERR_NOMEM;
    e->kind = EL_RULE;
    e->size = thickness;
    e->dashed = dashed;
    doc->n++;
    return PRN_OK;
}

prn_err prn_doc_space(prn_doc *doc, int dots)
{
    if (!doc || dots < 1 || dots > 2000)
        return PRN_ERR_ARG;
    element *e = push(doc);
    if (!e)
        return PRN_ERR_NOMEM;
    e->kind = EL_SPACE;
    e->size = dots;
    doc->n++;
    return PRN_OK;
}

/* ---- fonts ------------------------------------------------------------- */

static int font_path(char *dst, size_t cap, const char *file)
{
    const char *dir = getenv("KIOSK_FONT_DIR");
    int n;
    if (dir && *dir)
        n = snprintf(dst, cap, "%s/%s", dir, file);
    else
        n = snprintf(dst, cap, "%s/fonts/%s", KIOSK_SOURCE_DIR, file);
    return n > 0 && (size_t)n < cap;
}

prn_err prn_fonts_open(const char *regular, const char *bold, prn_fonts **out, char *err,
                       size_t errlen)
{
    char reg_buf[1024], bold_buf[1024];
    if (!out)
        return PRN_ERR_ARG;
    *out = NULL;
    if (err && errlen)
        err[0] = '\0';
    if (!regular) {
        if (!font_path(reg_buf, sizeof reg_buf, "NotoSansSC-Regular.otf"))
            return PRN_ERR_ARG;
        regular = reg_buf;
    }
    if (!bold) {
        if (!font_path(bold_buf, sizeof bold_buf, "NotoSansSC-Bold.otf"))
            return PRN_ERR_ARG;
        bold = bold_buf;
    }
    prn_fonts *f = calloc(1, sizeof *f);
    if (!f)
        return PRN_ERR_NOMEM;
    if (FT_Init_FreeType(&f->lib)) {
        free(f);
        return PRN_ERR_NOMEM;
    }
    const char *paths[2] = {regular, bold};
    for (int i = 0; i < 2; i++) {
        FT_Error fe = FT_New_Face(f->lib, paths[i], 0, &f->face[i]);
        if (fe) {
            if (err && errlen)
                snprintf(err, errlen, "cannot load font %s (FreeType error %d)", paths[i], fe);
            prn_fonts_close(f);
            return PRN_ERR_FONT;
        }
    }
    *out = f;
    return PRN_OK;
}

void prn_fonts_close(prn_fonts *fonts)
{
    if (!fonts)
        return;
    for (int i = 0; i < 2; i++)
        if (fonts->face[i])
            FT_Done_Face(fonts->face[i]);
    FT_Done_FreeType(fonts->lib);
    free(fonts);
}

/* ---- raster ------------------------------------------------------------ */

prn_raster *prn_raster_new(int width, int height)
{
    if (width < 1 || width > 4096 || height < 0 || height > 1000000)
        return NULL;
    prn_raster *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->width = width;
    r->height = height;
    r->stride = ((size_t)width + 7) / 8;
    r->bits = calloc(r->stride * (size_t)(height ? height : 1), 1);
    if (!r->bits) {
        free(r);
        return NULL;
    }
    return r;
}

void prn_raster_free(prn_raster *r)
{
    if (!r)
        return;
    free(r->bits);
    free(r);
}

int prn_raster_get(const prn_raster *r, int x, int y)
{
    if (!r || x < 0 || y < 0 || x >= r->width || y >= r->height)
        return 0;
    return (r->bits[(size_t)y * r->stride + (size_t)(x >> 3)] >> (7 - (x & 7))) & 1;
}

static void raster_set(prn_raster *r, int x, int y)
{
    if (x < 0 || y < 0 || x >= r->width || y >= r->height)
        return;
    r->bits[(size_t)y * r->stride + (size_t)(x >> 3)] |= (uint8_t)(0x80u >> (x & 7));
}

prn_err prn_raster_write_png(const prn_raster *r, const char *path)
{
    if (!r || !path || r->height < 1)
        return PRN_ERR_ARG;
    uint8_t *pix = malloc((size_t)r->width * (size_t)r->height);
    if (!pix)
        return PRN_ERR_NOMEM;
    for (int y = 0; y < r->height; y++)
        for (int x = 0; x < r->width; x++)
            pix[(size_t)y * (size_t)r->width + (size_t)x] = prn_raster_get(r, x, y) ? 0 : 255;
    png_image img;
    memset(&img, 0, sizeof img);
    img.version = PNG_IMAGE_VERSION;
    img.width = (png_uint_32)r->width;
    img.height = (png_uint_32)r->height;
    img.format = PNG_FORMAT_GRAY;
    int ok = png_image_write_to_file(&img, path, 0, pix, r->width, NULL);
    png_image_free(&img);
    free(pix);
    return ok ? PRN_OK : PRN_ERR_IO;
}

/* ---- layout ------------------------------------------------------------ */

/* The page grows as elements are added; rows beyond the height are white. */
typedef struct page {
    prn_raster *r;
    int cap_rows;
    int y; /* next free row */
} page;

static prn_err page_grow(page *pg, int rows)
{
    int need = pg->y + rows;
    if (need > 200000)
        return PRN_ERR_LAYOUT;
    if (need > pg->cap_rows) {
        int cap = pg->cap_rows * 2 > need ? pg->cap_rows * 2 : need;
        uint8_t *bits = realloc(pg->r->bits, pg->r->stride * (size_t)cap);
        if (!bits)
            return PRN_ERR_NOMEM;
        memset(bits + pg->r->stride * (size_t)pg->cap_rows, 0,
               pg->r->stride * (size_t)(cap - pg->cap_rows));
        pg->r->bits = bits;
        pg->cap_rows = cap;
    }
    if (need > pg->r->height)
        pg->r->height = need;
    return PRN_OK;
}

typedef struct glyph_slot {
    uint32_t cp;
    int adv; /* pixels */
} glyph_slot;

/* Where a line may break: before a CJK character (ideographs, kana, full
 * width forms, CJK punctuation) or after a space; never before closing
 * punctuation such as "，" "。" "）" (a simplified kinsoku rule). */
static int is_cjk(uint32_t cp)
{
    return (cp >= 0x2E80 && cp <= 0x9FFF) || (cp >= 0xAC00 && cp <= 0xD7AF) ||
           (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFF00 && cp <= 0xFFEF);
}

static int no_break_before(uint32_t cp)
{
    static const uint32_t closers[] = {0x3001, 0x3002, 0xFF0C, 0xFF0E, 0xFF1A, 0xFF1B, 0xFF01,
                                       0xFF1F, 0xFF09, 0x300B, 0x300D, 0x300F, 0x3011, 0xFF3D,
                                       0x201D, 0x2019, 0x2026, ',', '.', ';', ':', '!', '?', ')'};
    for (size_t i = 0; i < sizeof closers / sizeof closers[0]; i++)
        if (closers[i] == cp)
            return 1;
    return 0;
}

static int can_break_before(const glyph_slot *g, size_t i)
{
    if (i == 0)
        return 0;
    if (no_break_before(g[i].cp))
        return 0;
    return g[i - 1].cp == ' ' || is_cjk(g[i].cp) || is_cjk(g[i - 1].cp);
}

static prn_err draw_line(page *pg, FT_Face face, const glyph_slot *g, size_t from, size_t to,
                         int x, int baseline)
{
    for (size_t i = from; i < to; i++) {
        if (g[i].cp != ' ') {
            if (FT_Load_Char(face, g[i].cp, FT_LOAD_RENDER | FT_LOAD_NO_BITMAP))
                return PRN_ERR_FONT;
            FT_GlyphSlot s = face->glyph;
            const FT_Bitmap *bm = &s->bitmap;
            if (bm->pixel_mode == FT_PIXEL_MODE_GRAY) {
                for (unsigned row = 0; row < bm->rows; row++) {
                    const unsigned char *src = bm->buffer + (long)row * bm->pitch;
                    for (unsigned col = 0; col < bm->width; col++)
                        if (src[col] >= 128)
                            raster_set(pg->r, x + s->bitmap_left + (int)col,
                                       baseline - s->bitmap_top + (int)row);
                }
            }
        }
        x += g[i].adv;
    }
    return PRN_OK;
}

static prn_err layout_text(page *pg, prn_fonts *fonts, const element *e, int width)
{
    FT_Face face = fonts->face[e->weight == PRN_BOLD ? 1 : 0];
    if (FT_Set_Pixel_Sizes(face, 0, (FT_UInt)e->size))
        return PRN_ERR_FONT;
    int ascent = (int)((face->size->metrics.ascender + 63) >> 6);
    int descent = (int)((-face->size->metrics.descender + 63) >> 6);
    /* Line pitch: 1.3 x size at least (DESIGN: line spacing >= 1.3x). */
    int pitch = ascent + descent;
    if (pitch * 10 < e->size * 13)
        pitch = (e->size * 13 + 9) / 10;
    int avail = width - 2 * MARGIN;

    size_t len = strlen(e->text);
    glyph_slot *g = malloc((len + 1) * sizeof *g);
    if (!g)
        return PRN_ERR_NOMEM;
    size_t n = 0;
    for (size_t off = 0; off < len;) {
        uint32_t cp;
        off += utf8_next(e->text + off, len - off, &cp);
        if (cp == '\t')
            cp = ' ';
        if (cp == '\r' || (cp < 0x20 && cp != '\n'))
            continue;
        g[n].cp = cp;
        g[n].adv = 0;
        if (cp != '\n') {
            if (FT_Load_Char(face, cp, FT_LOAD_DEFAULT | FT_LOAD_NO_BITMAP)) {
                free(g);
                return PRN_ERR_FONT;
            }
            g[n].adv = (int)((face->glyph->advance.x + 32) >> 6);
        }
        n++;
    }

    prn_err err = PRN_OK;
    size_t start = 0;
    while (start < n && err == PRN_OK) {
        /* Greedy: take glyphs while they fit, remember the last break. */
        size_t i = start, brk = 0;
        int w = 0, w_at_brk = 0;
        while (i < n && g[i].cp != '\n') {
            if (i > start && can_break_before(g, i)) {
                brk = i;
                w_at_brk = w;
            }
            if (w + g[i].adv > avail && i > start)
                break;
            w += g[i].adv;
            i++;
        }
        size_t end = i;
        if (i < n && g[i].cp != '\n' && brk > start) {
            end = brk;
            w = w_at_brk;
        }
        /* Trailing spaces do not count for alignment. */
        size_t vis_end = end;
        while (vis_end > start && g[vis_end - 1].cp == ' ') {
            vis_end--;
            w -= g[vis_end].adv;
        }
        int x = MARGIN;
        if (e->align == PRN_CENTER)
            x = MARGIN + (avail - w) / 2;
        else if (e->align == PRN_RIGHT)
            x = MARGIN + avail - w;
        if (x < MARGIN)
            x = MARGIN;
        err = page_grow(pg, pitch);
        if (err == PRN_OK)
            err = draw_line(pg, face, g, start, vis_end, x, pg->y + ascent + (pitch - ascent - descent) / 2);
        pg->y += pitch;
        int wrapped = end < n && g[end].cp != '\n';
        start = end;
        if (start < n && g[start].cp == '\n')
            start++;
        else if (wrapped)
            while (start < n && g[start].cp == ' ')
                start++;
    }
    free(g);
    return err;
}

static prn_err layout_qr(page *pg, const element *e, int width)
{
    int avail = width - 2 * MARGIN;
    int module = e->size;
    if (module == 0) {
        module = qr_fit_module_px(e->qr, avail, QR_QUIET_MIN);
        if (module > QR_MODULE_AUTO_MAX)
            module = QR_MODULE_AUTO_MAX;
        if (module < QR_MODULE_MIN)
            return PRN_ERR_LAYOUT;
    }
    int side = qr_render_side(e->qr, module, QR_QUIET_MIN);
    if (side == 0 || side > width)
        return PRN_ERR_LAYOUT;
    int x = MARGIN;
    if (e->align == PRN_CENTER)
        x = (width - side) / 2;
    else if (e->align == PRN_RIGHT)
        x = width - MARGIN - side;
    if (x < 0)
        x = 0;
    prn_err err = page_grow(pg, side);
    if (err != PRN_OK)
        return err;
    qr_render_mono(e->qr, module, QR_QUIET_MIN, pg->r->bits + (size_t)pg->y * pg->r->stride,
                   pg->r->stride, x);
    pg->y += side;
    return PRN_OK;
}

static prn_err layout_rule(page *pg, const element *e, int width)
{
    /* A little air above and below so the rule does not touch the text. */
    int pad = 6;
    prn_err err = page_grow(pg, e->size + 2 * pad);
    if (err != PRN_OK)
        return err;
    for (int y = pg->y + pad; y < pg->y + pad + e->size; y++)
        for (int x = MARGIN; x < width - MARGIN; x++)
            if (!e->dashed || (x - MARGIN) % 16 < 10)
                raster_set(pg->r, x, y);
    pg->y += e->size + 2 * pad;
    return PRN_OK;
}

prn_err prn_layout(prn_fonts *fonts, const prn_doc *doc, int width, prn_raster **out)
{
    if (!out)
        return PRN_ERR_ARG;
    *out = NULL;
    if (!fonts || !doc || width < 8 || width > 2048)
        return PRN_ERR_ARG;
    page pg = {prn_raster_new(width, 0), 1, 0};
    if (!pg.r)
        return PRN_ERR_NOMEM;
    prn_err err = PRN_OK;
    for (size_t i = 0; i < doc->n && err == PRN_OK; i++) {
        const element *e = &doc->els[i];
        switch (e->kind) {
        case EL_TEXT: err = layout_text(&pg, fonts, e, width); break;
        case EL_QR: err = layout_qr(&pg, e, width); break;
        case EL_RULE: err = layout_rule(&pg, e, width); break;
        case EL_SPACE:
            err = page_grow(&pg, e->size);
            pg.y += e->size;
            break;
        }
    }
    if (err != PRN_OK) {
        prn_raster_free(pg.r);
        return err;
    }
    pg.r->height = pg.y;
    *out = pg.r;
    return PRN_OK;
}
