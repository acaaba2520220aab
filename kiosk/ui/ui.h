/* ui.h - the kiosk's widget core (immediate mode, in the manner of microui).
 *
 * Input goes in as calls (ui_input_*), a frame is a pass of widget calls made
 * by the current screen, and draw commands come out (ui_commands). The core
 * knows nothing of SDL: text is measured through a callback the platform
 * layer (ui_sdl.h) supplies, and the platform executes the commands. So a
 * screen's logic - what a tap does - runs in a unit test without a window.
 *
 * Fixed capacities, no heap in the frame loop: commands and their strings go
 * into arrays sized at compile time; overflowing one drops the rest of the
 * frame's drawing and sets a flag (ui_overflowed) that tests check.
 *
 * A tap is press and release on the same widget without dragging past
 * UI_DRAG_SLOP pixels; a press that drags scrolls the list under it instead.
 * Every widget that can be tapped records its rectangle (ui_hits) so tests can
 * hold every screen to the touch-target floor of the theme.
 *
 * Lifecycle: ui_new() / ui_free(); per frame ui_begin() ... widgets ... ui_end().
 */
#ifndef UI_H
#define UI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ui_theme.h"

#define UI_MAX_CMDS 4096
#define UI_TEXT_ARENA (128 * 1024)
#define UI_MAX_HITS 256
#define UI_MAX_CLIP 8
#define UI_DRAG_SLOP 24 /* px a finger may wander and still tap */
#define UI_MAX_LINES 512 /* lines one label may wrap into */

typedef struct ui_rect {
    int x, y, w, h;
} ui_rect;

typedef uint32_t ui_id;

typedef enum ui_cmd_type {
    UI_CMD_RECT = 1,   /* filled rounded rectangle: r, color, radius */
    UI_CMD_BORDER,     /* rounded outline: r, color, radius, thick */
    UI_CMD_TEXT,       /* one line of text: r.x,r.y = top left; font; color; text */
    UI_CMD_CLIP,       /* set clip to r (r.w == 0: no clip) */
    UI_CMD_BITMAP,     /* 1-bit bitmap (QR): text holds bytes row-major, one per module;
                          thick = modules per side; r = destination */
    UI_CMD_IMAGE,      /* an image file (PNG) scaled into r: text holds its path, aux its
                          version (changes when the file does); radius rounds nothing, the
                          platform loads and caches the picture */
} ui_cmd_type;

typedef struct ui_cmd {
    uint8_t type;
    uint8_t font;   /* ui_font */
    uint16_t radius;
    uint16_t thick;
    ui_rect r;
    ui_color color;
    uint32_t text_off, text_len; /* into the frame's text arena */
    uint32_t aux;                /* UI_CMD_IMAGE: the image's version */
} ui_cmd;

/* Text measurement supplied by the platform: advance in px of code point CP
 * in FONT, and the font's line height (baseline to baseline). */
typedef struct ui_text_metrics {
    int (*advance)(void *user, ui_font font, uint32_t cp);
    int (*line_height)(void *user, ui_font font);
    void *user;
} ui_text_metrics;

typedef enum ui_align { UI_ALIGN_LEFT = 0, UI_ALIGN_CENTER = 1, UI_ALIGN_RIGHT = 2 } ui_align;

typedef struct ui ui;

ui *ui_new(const ui_text_metrics *tm, const ui_theme *theme);
void ui_free(ui *u); /* NULL is a no-op */
void ui_set_theme(ui *u, const ui_theme *theme);
const ui_theme *ui_theme_of(const ui *u);
void ui_set_metrics(ui *u, const ui_text_metrics *tm);

/* ---- input (call between frames; each call should be followed by a frame) */
void ui_input_down(ui *u, int x, int y);
void ui_input_move(ui *u, int x, int y);
void ui_input_up(ui *u, int x, int y);
/* Forget a press in progress (screen change, idle wipe): no click fires. */
void ui_input_cancel(ui *u);

/* ---- frame */
void ui_begin(ui *u, int width, int height, uint64_t now_ms);
void ui_end(ui *u);
int ui_width(const ui *u);
int ui_height(const ui *u);

/* While blocked, widgets draw but ignore input (used by a screen under its
 * modal). Reset by ui_begin. */
void ui_block_input(ui *u, bool blocked);
/* The app's block, over whole screens (under the idle countdown); only
 * ui_countdown takes input while it is set. Persists across frames. */
void ui_block_all(ui *u, bool blocked);

/* True while a press that began inside R is held and still inside R;
 * *held_ms gets how long (hidden gestures such as the admin corner). */
bool ui_held_in(const ui *u, ui_rect r, uint64_t *held_ms);
/* Time of the last press (ms, the frame clock). */
uint64_t ui_press_ms(const ui *u);

/* ---- results of the last frame */
const ui_cmd *ui_commands(const ui *u, size_t *n);
const char *ui_text_arena(const ui *u);
/* Hash of the frame's commands and strings: equal hashes = identical picture,
 * so the platform can skip presenting (an idle kiosk draws nothing). */
uint64_t ui_frame_hash(const ui *u);
bool ui_overflowed(const ui *u);
/* True while the core needs frames over time (inertial scrolling). */
bool ui_animating(const ui *u);
/* Rectangles of the tappable widgets of the last frame. */
const ui_rect *ui_hits(const ui *u, size_t *n);
/* Rectangle of the tappable widget ID in the last frame (scripts tap by id). */
bool ui_hit_rect(const ui *u, ui_id id, ui_rect *r);

/* ---- ids */
ui_id ui_id_str(const char *s);
ui_id ui_id_idx(const char *s, int i);
/* Id of the I-th part of a compound widget (keypad keys, dialog buttons). */
ui_id ui_id_child(ui_id parent, int i);

/* ---- drawing primitives */
void ui_draw_rect(ui *u, ui_rect r, ui_color c, int radius);
void ui_draw_border(ui *u, ui_rect r, ui_color c, int radius, int thick);
void ui_draw_text(ui *u, int x, int y, ui_font font, ui_color c, const char *s, size_t len);
void ui_draw_bitmap(ui *u, ui_rect r, const uint8_t *modules, int side, ui_color dark, ui_color light);
/* An image file scaled into R (the caller keeps its aspect ratio). The core
 * never reads the file: the platform layer loads and caches it by PATH and
 * VERSION, so screens stay free of SDL. */
void ui_draw_image(ui *u, ui_rect r, const char *path, uint32_t version);
/* A QR code as scanners want it whatever the theme: dark modules on white,
 * a whole number of pixels per module (no blur from scaling) and a white
 * quiet zone of 4 modules around it. MODULES holds SIDE x SIDE bytes, row by
 * row, non-zero = dark (qr_module() of devices/barcode). Draws the largest
 * such square that fits MAX_PX at (X, Y) and returns its side in px. */
int ui_qr(ui *u, int x, int y, int max_px, const uint8_t *modules, int side);
void ui_push_clip(ui *u, ui_rect r);
void ui_pop_clip(ui *u);

/* ---- text */
int ui_text_width(ui *u, ui_font font, const char *s, size_t len);
int ui_line_height(ui *u, ui_font font);
/* Draws S wrapped into R (R.h == 0: unbounded), returns the height used.
 * Line breaking follows Chinese rules (see ui_wrap.h). */
int ui_label(ui *u, ui_rect r, ui_font font, ui_color c, ui_align align, const char *s);
/* Height S would take wrapped to width W, without drawing. */
int ui_label_height(ui *u, int w, ui_font font, const char *s);
/* The same over S[0..LEN) (a paragraph of a longer text). ui_label_n draws
 * only the lines that fall inside the current clip rectangle, so a long text
 * in a scrolling list costs commands (and rasterised lines) only for what is
 * in view; it returns the full height all the same. */
int ui_label_n(ui *u, ui_rect r, ui_font font, ui_color c, ui_align align, const char *s, size_t len);
int ui_label_height_n(ui *u, int w, ui_font font, const char *s, size_t len);

/* ---- widgets (return true when tapped this frame) */
typedef enum ui_button_style {
    UI_BTN_PRIMARY = 0, /* filled with the theme's primary colour */
    UI_BTN_SECONDARY,   /* outlined */
    UI_BTN_DANGER,
    UI_BTN_QUIET,       /* text-like, still a full-size target */
} ui_button_style;

bool ui_button(ui *u, ui_id id, ui_rect r, ui_button_style style, const char *label);
/* A tappable region that draws nothing (cards the caller draws itself, such
 * as a row of a list). Registers R as a target like every widget; *HELD is
 * true while a press on it is in progress (for a pressed look). */
bool ui_hit_area(ui *u, ui_id id, ui_rect r, bool *held);
/* Big home-screen tile: an icon (a code point drawn large), a title and a
 * subtitle, on the tile colour ACCENT. */
bool ui_tile(ui *u, ui_id id, ui_rect r, ui_color accent, uint32_t icon, const char *title,
             const char *subtitle);
/* Least height a wide tile (icon left) W px wide needs for its texts. */
int ui_tile_min_height(ui *u, int w, const char *title, const char *subtitle);

/* Numeric keypad: 1-9, then "clear", 0, "delete". Appends digits to BUF (a
 * NUL-terminated string of capacity CAP, at most MAXLEN digits).
 * Returns true when BUF changed. */
bool ui_keypad(ui *u, ui_id id, ui_rect r, char *buf, size_t cap, size_t maxlen);

/* A list that scrolls by drag (with inertia) and keeps its state in the
 * caller's ui_scroll. Between begin and end, draw rows with y offset by
 * ui_list_y(); rows outside are clipped. CONTENT_H is the total height. */
typedef struct ui_scroll {
    float offset;   /* px scrolled from the top */
    float velocity; /* px/s, for inertia after a fling */
    int content_h, view_h;
    uint64_t last_ms;
} ui_scroll;

void ui_list_begin(ui *u, ui_id id, ui_rect r, ui_scroll *s, int content_h);
int ui_list_y(const ui *u);            /* top of the content in screen coordinates */
void ui_list_end(ui *u);
void ui_scroll_by(ui_scroll *s, float dy); /* page buttons: clamps */
bool ui_scroll_at_top(const ui_scroll *s);
bool ui_scroll_at_bottom(const ui_scroll *s);

/* Modal dialog: dims everything drawn so far and draws a centred panel with
 * TITLE and TEXT and up to two buttons. Returns 0 while open, 1 for the
 * first (confirm) button, 2 for the second (cancel). Draw the screen under it
 * with ui_block_input(u, true). */
int ui_modal(ui *u, ui_id id, const char *title, const char *text, const char *ok, const char *cancel);

/* Idle countdown overlay: a big number of seconds left and one big
 * "continue" button. Returns true when the button is tapped. */
bool ui_countdown(ui *u, ui_id id, int seconds_left, const char *title, const char *text,
                  const char *button);

#endif
