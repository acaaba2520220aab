/* app.h - the kiosk program as an object: config, fonts, window, screens,
 * the main loop. kiosk.c wraps it in main(); the headless harness, the
 * screenshot tests and the benchmarks drive the same object, so what they
 * measure and picture is what runs on the panel.
 *
 * A bad config or a missing asset does not stop it: the kiosk shows the
 * out-of-service screen with the exact error and retries every
 * APP_RETRY_S seconds. Only when no font at all can be loaded (nothing can
 * be shown) does app_open fail.
 */
#ifndef APP_H
#define APP_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

#include "scr.h"
#include "ui_sdl.h"

#define APP_RETRY_S 10

typedef enum app_err {
    APP_OK = 0,
    APP_EDISPLAY = 1, /* no window / renderer / font: nothing can be shown */
    APP_ELOCKED = 2,  /* another kiosk runs on this data directory */
    APP_EUSAGE = 3,
    APP_ESCRIPT = 4,  /* a harness script failed (parse error or failed expectation) */
    APP_EIO = 5,
} app_err;

typedef struct app_opts {
    const char *config_path;  /* NULL: <root>/assets/demo/kiosk.ini */
    const char *data_dir;     /* overrides [kiosk] data_dir */
    const char *root;         /* where assets/ and fonts/ are; NULL: the source tree */
    bool headless;            /* off-screen software rendering, no window */
    bool windowed;            /* not fullscreen */
    int width, height;        /* 0 = native */
    int renderer;             /* -1: from config, else ui_sdl_renderer */
    bool no_lock;             /* skip the single-instance lock (benchmarks) */
} app_opts;

typedef struct app app;

app_err app_open(const app_opts *o, app **out, char *err, size_t errlen);
void app_close(app *a); /* NULL is a no-op */

/* Runs the main loop until the admin exits. Returns the exit code. */
int app_run(app *a);

/* Feeds one input event and runs the frame(s) it causes (no rendering). */
void app_event(app *a, const ui_sdl_event *ev);
/* Runs frames until the screen is stable (navigation, theme change). */
void app_frame(app *a);
/* Draws the last frame if it changed (or FORCE). Returns true if it drew. */
bool app_render(app *a, bool force);
app_err app_screenshot(app *a, const char *png_path);
/* Simulated time only (harness, tests, benchmarks): lets MS pass, running a
 * frame at every time the UI asked for one (timers, countdown ticks,
 * inertia), and drawing each when RENDER. */
void app_advance(app *a, unsigned long long ms, bool render);
/* Monotonic ms at which the UI next needs a frame without input; 0 = never. */
unsigned long long app_next_wake(const app *a);
bool app_exit_requested(const app *a);

/* Set by the program's SIGTERM/SIGINT handler (kiosk.c): the quit event
 * that SDL makes of the signal then stops the kiosk, while a quit from the
 * window (Alt+F4, a close button) is still ignored. */
extern volatile sig_atomic_t app_terminating;

/* Inspection, for the harness and tests. */
scr_session *app_session(app *a);
scr_env *app_env(app *a);
ui *app_ui(app *a);
ui_sdl *app_platform(app *a);

#endif
