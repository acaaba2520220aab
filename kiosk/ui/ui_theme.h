/* ui_theme.h - colours, type sizes and target sizes, from physical units.
 *
 * Sizes are specified in millimetres on the panel and converted with the
 * panel's pixels per millimetre, so the kiosk keeps its physical sizes on any
 * panel: touch targets at least UI_TARGET_MM (24 mm: 96 px on the 21.5"
 * 1080p reference panel at ~102 dpi, well above the 9 mm floor), body text
 * cap height at least 4.8 mm (ADA 707.7.2). Large-text mode multiplies type
 * and targets by 1.4.
 *
 * Every text/background pair the screens use is listed in ui_theme_pairs()
 * and a unit test holds each to a WCAG contrast ratio of at least 7:1.
 */
#ifndef UI_THEME_H
#define UI_THEME_H

#include <stdbool.h>
#include <stddef.h>

typedef struct ui_color {
    unsigned char r, g, b, a;
} ui_color;

#define UI_RGB(hex) ((ui_color){(unsigned char)((hex) >> 16), (unsigned char)((hex) >> 8), (unsigned char)(hex), 255})

typedef enum ui_font {
    UI_FONT_SMALL = 0, /* secondary text; still at the 4.8 mm floor */
    UI_FONT_BODY,
    UI_FONT_LARGE,     /* buttons, emphasised lines */
    UI_FONT_TITLE,     /* screen titles, tile titles */
    UI_FONT_HUGE,      /* clock, countdown, icons */
    UI_FONT_NSIZES,
    UI_FONT_BOLD = 8,  /* or-ed in: the bold face of the size */
} ui_font;

#define UI_FONT_SIZE(f) ((ui_font)((f) & 7))
#define UI_FONT_IS_BOLD(f) (((f) & UI_FONT_BOLD) != 0)
#define UI_FONT_COUNT 16 /* index space of size | bold */

#define UI_TARGET_MM 24.0
#define UI_CAP_BODY_MM 4.8
#define UI_LARGE_TEXT_SCALE 1.4
/* Cap height of the kiosk's font (Noto Sans CJK SC) as a fraction of its em. */
#define UI_FONT_CAP_RATIO 0.733

typedef struct ui_theme {
    double px_per_mm;
    bool large_text;
    int font_px[UI_FONT_NSIZES]; /* em size in px per size */
    int target;                  /* minimum touch target, px */
    int gap;                     /* spacing between targets, px */
    int pad;                     /* inner padding, px */
    int radius;                  /* corner radius, px */
    int border;                  /* outline thickness, px */
    ui_color bg, surface, text, text_muted, primary, on_primary, danger, on_danger,
        border_col, header_bg, on_header, banner_bg, on_banner, overlay, focus;
    ui_color tiles[6];           /* tile accents, each with white text */
} ui_theme;

/* Pixels per mm from a DPI SDL reports (when plausible: 50..600) or else from
 * the panel diagonal in inches and the resolution. */
double ui_theme_px_per_mm(double dpi, double diagonal_in, int w, int h);
void ui_theme_init(ui_theme *t, double px_per_mm, bool large_text);
/* Cap height in mm that font size F has under theme T. */
double ui_theme_cap_mm(const ui_theme *t, ui_font f);

/* WCAG 2.x contrast ratio of two opaque colours (1..21). */
double ui_contrast(ui_color a, ui_color b);

typedef struct ui_color_pair {
    const char *what;
    ui_color fg, bg;
} ui_color_pair;
/* Every text-on-background pair the screens draw. */
size_t ui_theme_pairs(const ui_theme *t, ui_color_pair *out, size_t cap);

#endif
