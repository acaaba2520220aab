/* ui_sdl.h - the platform layer: the only part of the UI that talks to SDL.
 *
 * Opens the window (or, headless, an off-screen surface with SDL's software
 * renderer: no video driver needed, pixel-identical on every machine with the
 * same fonts), loads the fonts at the theme's sizes, measures text for the
 * core, executes the core's draw commands, turns SDL events into ui_sdl_event,
 * and saves screenshots.
 *
 * Text is rasterised once per (string, font, colour) into a texture and kept
 * in a fixed-size cache (least recently used goes first), so a redraw blits
 * textures and never shapes text again. Glyph advances are cached likewise.
 */
#ifndef UI_SDL_H
#define UI_SDL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ui.h"

typedef enum ui_sdl_err {
    UI_SDL_OK = 0,
    UI_SDL_EINIT = 1,   /* SDL or SDL_ttf could not start (no display?) */
    UI_SDL_EWINDOW = 2,
    UI_SDL_ERENDER = 3,
    UI_SDL_EFONT = 4,   /* a font file is missing or unreadable */
    UI_SDL_EIO = 5,     /* screenshot could not be written */
} ui_sdl_err;

typedef enum ui_sdl_renderer { UI_SDL_SOFTWARE = 0, UI_SDL_OPENGL = 1, UI_SDL_AUTO = 2 } ui_sdl_renderer;

typedef struct ui_sdl_opts {
    bool headless;         /* off-screen surface, no window, no events */
    bool fullscreen;       /* desktop fullscreen at the panel's native size */
    int width, height;     /* windowed/headless size; 0 = native (fullscreen) */
    ui_sdl_renderer renderer;
    double diagonal_in;    /* for the DPI when SDL knows none */
    const char *font_regular, *font_bold;
    const char *title;
} ui_sdl_opts;

typedef struct ui_sdl ui_sdl;

ui_sdl_err ui_sdl_open(const ui_sdl_opts *o, ui_sdl **out, char *err, size_t errlen);
void ui_sdl_close(ui_sdl *p); /* NULL is a no-op */

void ui_sdl_size(const ui_sdl *p, int *w, int *h);
double ui_sdl_px_per_mm(const ui_sdl *p);
const char *ui_sdl_renderer_name(const ui_sdl *p);
/* Text measurement for ui_new(). */
ui_text_metrics ui_sdl_metrics(ui_sdl *p);
/* (Re)opens the fonts at the sizes of THEME; drops the caches when sizes change. */
ui_sdl_err ui_sdl_set_theme(ui_sdl *p, const ui_theme *theme, char *err, size_t errlen);
/* 1 when every code point of S has a glyph in the regular face. */
bool ui_sdl_has_glyph(ui_sdl *p, uint32_t cp);
/* Cap height in px of FONT (measured on 'H'), for the accessibility tests. */
int ui_sdl_cap_px(ui_sdl *p, ui_font font);

/* Draws the frame's commands and presents it. Skips the work when the
 * frame is identical to the last one presented, unless FORCE. Returns true
 * when it drew. */
bool ui_sdl_render(ui_sdl *p, const ui *u, bool force);
ui_sdl_err ui_sdl_screenshot(ui_sdl *p, const char *png_path);

typedef enum ui_sdl_event_type {
    UI_EV_NONE = 0,  /* timeout */
    UI_EV_DOWN,
    UI_EV_MOVE,
    UI_EV_UP,
    UI_EV_KEY,       /* key: SDL keycode, mod: ctrl/alt bits */
    UI_EV_TEXT,      /* text: UTF-8 typed (keyboard-wedge scanners type) */
    UI_EV_REDRAW,    /* exposed or resized: present again */
    UI_EV_QUIT,      /* window close, Alt+F4: the app decides (a kiosk ignores it) */
    UI_EV_OTHER,
} ui_sdl_event_type;

#define UI_MOD_CTRL 1
#define UI_MOD_ALT 2

typedef struct ui_sdl_event {
    ui_sdl_event_type type;
    int x, y;
    int32_t key;
    int mod;
    char text[32];
} ui_sdl_event;

/* Waits up to TIMEOUT_MS (-1: forever) for one event. */
bool ui_sdl_wait(ui_sdl *p, int timeout_ms, ui_sdl_event *ev);
/* Ends a ui_sdl_wait early (it returns a UI_EV_OTHER event). Safe to call
 * from any thread: a watcher uses it to say "there is something new". */
void ui_sdl_wake(ui_sdl *p);

/* Drops every cached string: at the end of a visit, so that weeks of
 * visits leave the kiosk as small as it started. The next frame renders
 * what it shows again (~15 ms for the home screen). */
void ui_sdl_forget_text(ui_sdl *p);

/* Cache statistics, for the admin screen and the memory benchmark. */
void ui_sdl_cache_stats(const ui_sdl *p, size_t *entries, size_t *bytes);

const char *ui_sdl_strerror(ui_sdl_err e);

#endif
