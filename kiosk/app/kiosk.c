/* kiosk.c - the kiosk program: options, then app_run (or a headless script).
 *
 *   kiosk [--config FILE] [--data-dir DIR] [--windowed WxH] [--renderer R]
 *   kiosk --headless [--size WxH] --script FILE [--shots DIR]
 */
#include "app.h"
#include "harness.h"
#include "kclock.h"
#include "klog.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static void usage(FILE *f)
{
    fputs("usage: kiosk [options]\n"
          "  --config FILE       configuration (default: assets/demo/kiosk.ini)\n"
          "  --data-dir DIR      data directory (overrides [kiosk] data_dir)\n"
          "  --root DIR          where assets/ and fonts/ are (default: the source tree)\n"
          "  --windowed WxH      a window instead of fullscreen (development)\n"
          "  --renderer R        software | opengl | auto (overrides [display] renderer)\n"
          "  --headless          no window: render off-screen (SDL software renderer)\n"
          "  --size WxH          headless size (default 1080x1920)\n"
          "  --script FILE       run a harness script on a simulated clock, then exit\n"
          "  --shots DIR         where the script's screenshots go (default .)\n"
          "  --first-frame       print ms from start to the first frame presented, then exit\n"
          "  --version\n",
          f);
}

/* SDL's own handler (installed by SDL_Init) queues the quit event that
 * wakes the main loop; ours only marks it as a real stop and passes on. */
static struct sigaction sdl_term, sdl_int;

static void on_signal(int sig)
{
    app_terminating = 1;
    const struct sigaction *prev = sig == SIGTERM ? &sdl_term : &sdl_int;
    if (prev->sa_handler != SIG_DFL && prev->sa_handler != SIG_IGN && prev->sa_handler)
        prev->sa_handler(sig);
    else
        _exit(0); /* no SDL handler (headless): nothing to clean that the OS won't */
}

static void catch_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, &sdl_term);
    sigaction(SIGINT, &sa, &sdl_int);
}

static int parse_size(const char *s, int *w, int *h)
{
    return sscanf(s, "%dx%d", w, h) == 2 && *w >= 320 && *h >= 320 && *w <= 7680 && *h <= 7680;
}

int main(int argc, char **argv)
{
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    app_opts o = {.renderer = -1};
    const char *script = NULL, *shots = NULL;
    int first_frame = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            return 0;
        } else if (!strcmp(a, "--version")) {
            printf("kiosk %s\n", KIOSK_VERSION);
            return 0;
        } else if (!strcmp(a, "--headless")) {
            o.headless = true;
        } else if (!strcmp(a, "--first-frame")) {
            first_frame = 1;
        } else if (v && !strcmp(a, "--config")) {
            o.config_path = v, i++;
        } else if (v && !strcmp(a, "--data-dir")) {
            o.data_dir = v, i++;
        } else if (v && !strcmp(a, "--root")) {
            o.root = v, i++;
        } else if (v && !strcmp(a, "--script")) {
            script = v, i++;
        } else if (v && !strcmp(a, "--shots")) {
            shots = v, i++;
        } else if (v && (!strcmp(a, "--windowed") || !strcmp(a, "--size"))) {
            if (!parse_size(v, &o.width, &o.height)) {
                fprintf(stderr, "kiosk: %s wants WxH, e.g. 1080x1920 (got '%s')\n", a, v);
                return 2;
            }
            o.windowed = true;
            i++;
        } else if (v && !strcmp(a, "--renderer")) {
            o.renderer = !strcmp(v, "software") ? UI_SDL_SOFTWARE : !strcmp(v, "opengl") ? UI_SDL_OPENGL
                         : !strcmp(v, "auto")   ? UI_SDL_AUTO : -2;
            if (o.renderer == -2) {
                fprintf(stderr, "kiosk: --renderer is software, opengl or auto (got '%s')\n", v);
                return 2;
            }
            i++;
        } else {
            fprintf(stderr, "kiosk: unknown option '%s'\n", a);
            usage(stderr);
            return 2;
        }
    }

    hs_script *sc = NULL;
    char err[1024];
    if (script) {
        if (hs_load(script, &sc, err, sizeof err) != HS_OK) {
            fprintf(stderr, "kiosk: %s\n", err);
            return 2;
        }
        o.headless = true;
        /* Simulated time: deterministic screenshots, 90 s idle in milliseconds. */
        kclock_simulate(hs_clock(sc) ? (time_t)hs_clock(sc) : (time_t)1796027400 /* 2026-12-01 09:10 UTC */);
    }
    app *a;
    app_err e = app_open(&o, &a, err, sizeof err);
    if (e != APP_OK) {
        fprintf(stderr, "kiosk: %s\n", err);
        if (e == APP_EDISPLAY && !getenv("DISPLAY") && !getenv("WAYLAND_DISPLAY"))
            fprintf(stderr, "kiosk: no display here. Run it under Xvfb (xvfb-run -s '-screen 0 1080x1920x24' "
                            "kiosk ...), or headless with --headless --script FILE --shots DIR\n");
        hs_free(sc);
        return e == APP_ELOCKED ? 3 : 1;
    }
    int rc = 0;
    if (sc) {
        if (shots && mkdir(shots, 0755) != 0 && errno != EEXIST)
            fprintf(stderr, "kiosk: cannot create %s: %s\n", shots, strerror(errno));
        hs_err he = hs_run(sc, a, shots, err, sizeof err);
        if (he != HS_OK) {
            fprintf(stderr, "kiosk: %s\n", err);
            rc = 1;
        }
        hs_free(sc);
    } else if (first_frame) {
        app_render(a, true);
        struct timespec t1;
        clock_gettime(CLOCK_MONOTONIC, &t1);
        printf("first_frame_ms=%.1f\n", (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6);
    } else {
        catch_signals();
        rc = app_run(a);
    }
    app_close(a);
    return rc;
}
