/* bench_ui.c - how long the kiosk takes to draw its home screen.
 *
 * Headless at 1080x1920 with SDL's software renderer (the default): the
 * first (cold) draw rasterises every string once; then N full redraws
 * (forced, every command executed, text from the cache) and N frame
 * computations (the screen's logic and layout, no drawing). Prints median
 * and p99 in ms. Not a test: numbers go to the README, nothing asserts. */
#include "bench.h"
#include "app.h"
#include "kclock.h"
#include "klog.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 300;
    if (n < 10)
        n = 10;
    klog_set_quiet(1);
    kclock_simulate(1796027400);
    char dir[] = "/tmp/bench-ui-XXXXXX";
    if (!mkdtemp(dir))
        return 1;
    const char *sizes[2][2] = {{"1080", "1920"}, {"1920", "1080"}};
    double *v = calloc((size_t)n, sizeof *v);
    for (int s = 0; s < 2; s++) {
        app_opts o = {.headless = true, .width = atoi(sizes[s][0]), .height = atoi(sizes[s][1]),
                      .renderer = -1, .data_dir = dir, .no_lock = true};
        app *a;
        char err[512];
        double t0 = bench_now_ms();
        if (app_open(&o, &a, err, sizeof err) != APP_OK) {
            fprintf(stderr, "bench_ui: %s\n", err);
            return 1;
        }
        double t1 = bench_now_ms();
        app_render(a, true);
        double t2 = bench_now_ms();
        printf("home %sx%s, software renderer:\n", sizes[s][0], sizes[s][1]);
        printf("%-34s %.1f ms\n", "  open (config, fonts, first frame)", t1 - t0);
        printf("%-34s %.1f ms\n", "  first draw (cold text cache)", t2 - t1);
        for (int i = 0; i < n; i++) {
            double a0 = bench_now_ms();
            app_render(a, true);
            v[i] = bench_now_ms() - a0;
        }
        bench_report("full redraw (warm cache)", v, n);
        for (int i = 0; i < n; i++) {
            double a0 = bench_now_ms();
            app_frame(a);
            v[i] = bench_now_ms() - a0;
        }
        bench_report("frame logic + layout (no draw)", v, n);
        int redrawn = 0;
        for (int i = 0; i < n; i++)
            redrawn += app_render(a, false);
        printf("%-34s %d of %d\n", "  redraws when nothing changed", redrawn, n);
        size_t entries, bytes;
        ui_sdl_cache_stats(app_platform(a), &entries, &bytes);
        printf("%-34s %zu strings, %.1f MB\n", "  text cache", entries, bytes / 1e6);
        app_close(a);
    }
    free(v);
    char cmd[64];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd) == 0 ? 0 : 1;
}
