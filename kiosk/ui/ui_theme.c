/* ui_theme.c - see ui_theme.h. */
#include "ui_theme.h"

#include <math.h>

double ui_theme_px_per_mm(double dpi, double diagonal_in, int w, int h)
{
    /* X servers without a monitor (Xvfb, many HDMI panels with bad EDID)
     * report 96 or nonsense; a configured diagonal is then the truth. */
    if (dpi >= 50.0 && dpi <= 600.0)
        return dpi / 25.4;
    if (diagonal_in < 1.0 || w <= 0 || h <= 0)
        diagonal_in = 21.5, w = 1080, h = 1920;
    double diag_px = sqrt((double)w * w + (double)h * h);
    return diag_px / diagonal_in / 25.4;
}

static const double cap_mm[UI_FONT_NSIZES] = {
    [UI_FONT_SMALL] = UI_CAP_BODY_MM, /* nothing on screen is below the body floor */
    [UI_FONT_BODY] = 5.4,
    [UI_FONT_LARGE] = 6.4,
    [UI_FONT_TITLE] = 8.0,
    [UI_FONT_HUGE] = 13.0,
};

void ui_theme_init(ui_theme *t, double px_per_mm, bool large_text)
{
    double scale = large_text ? UI_LARGE_TEXT_SCALE : 1.0;
    t->px_per_mm = px_per_mm;
    t->large_text = large_text;
    for (int i = 0; i < UI_FONT_NSIZES; i++)
        t->font_px[i] = (int)ceil(cap_mm[i] * px_per_mm / UI_FONT_CAP_RATIO * scale);
    t->target = (int)ceil(UI_TARGET_MM * px_per_mm);
    t->gap = (int)lround(4.0 * px_per_mm);
    t->pad = (int)lround(5.0 * px_per_mm);
    t->radius = (int)lround(4.0 * px_per_mm);
    t->border = px_per_mm > 3.0 ? 3 : 2;

    /* Warm paper background and near-black text; dark accents carry white
     * text. Every pair is checked >= 7:1 by tests/ui (WCAG 1.4.6). */
    t->bg = UI_RGB(0xF6F3EC);
    t->surface = UI_RGB(0xFFFFFF);
    t->text = UI_RGB(0x1B1B1B);
    t->text_muted = UI_RGB(0x454545);
    t->primary = UI_RGB(0x154A8A);
    t->on_primary = UI_RGB(0xFFFFFF);
    t->danger = UI_RGB(0x8E1B1B);
    t->on_danger = UI_RGB(0xFFFFFF);
    t->border_col = UI_RGB(0x5C5C5C);
    t->header_bg = UI_RGB(0x8E1B1B);
    t->on_header = UI_RGB(0xFFFFFF);
    t->banner_bg = UI_RGB(0xFFF1C2);
    t->on_banner = UI_RGB(0x3D2A00);
    t->overlay = (ui_color){0, 0, 0, 170};
    t->focus = UI_RGB(0xE0A800);
    t->tiles[0] = UI_RGB(0x0B5D56); /* teal */
    t->tiles[1] = UI_RGB(0x154A8A); /* blue */
    t->tiles[2] = UI_RGB(0x22602F); /* green */
    t->tiles[3] = UI_RGB(0x7A3E00); /* brown */
    t->tiles[4] = UI_RGB(0x5A2D82); /* purple */
    t->tiles[5] = UI_RGB(0x8E1B1B); /* red */
}

double ui_theme_cap_mm(const ui_theme *t, ui_font f)
{
    return t->font_px[UI_FONT_SIZE(f)] * UI_FONT_CAP_RATIO / t->px_per_mm;
}

static double lin(unsigned char c)
{
    double s = c / 255.0;
    return s <= 0.04045 ? s / 12.92 : pow((s + 0.055) / 1.055, 2.4);
}

static double luminance(ui_color c)
{
    return 0.2126 * lin(c.r) + 0.7152 * lin(c.g) + 0.0722 * lin(c.b);
}

double ui_contrast(ui_color a, ui_color b)
{
    double la = luminance(a), lb = luminance(b);
    if (la < lb) {
        double t = la;
        la = lb, lb = t;
    }
    return (la + 0.05) / (lb + 0.05);
}

size_t ui_theme_pairs(const ui_theme *t, ui_color_pair *out, size_t cap)
{
    const ui_color_pair all[] = {
        {"text on background", t->text, t->bg},
        {"muted text on background", t->text_muted, t->bg},
        {"text on surface", t->text, t->surface},
        {"muted text on surface", t->text_muted, t->surface},
        {"primary button", t->on_primary, t->primary},
        {"secondary button (primary on surface)", t->primary, t->surface},
        {"danger button", t->on_danger, t->danger},
        {"header", t->on_header, t->header_bg},
        {"urgent banner", t->on_banner, t->banner_bg},
        {"tile 0", t->on_primary, t->tiles[0]},
        {"tile 1", t->on_primary, t->tiles[1]},
        {"tile 2", t->on_primary, t->tiles[2]},
        {"tile 3", t->on_primary, t->tiles[3]},
        {"tile 4", t->on_primary, t->tiles[4]},
        {"tile 5", t->on_primary, t->tiles[5]},
    };
    size_t n = sizeof all / sizeof all[0];
    for (size_t i = 0; i < n && i < cap; i++)
        out[i] = all[i];
    return n;
}
