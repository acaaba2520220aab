/* bench_soak.c - simulated days of use (1, or argv[1]): does memory stay flat?
 *
 * Headless kiosk on the simulated clock; every 2 minutes a resident comes,
 * switches language and text size, opens the useful numbers, scrolls, goes
 * back or walks away (then the idle countdown wipes the session); the admin
 * looks in once a day. Prints heap in use (mallinfo2) and RSS once a
 * simulated day. Chromium kiosks are known to grow for hours; this should
 * not grow at all after warm-up. Not a test: figures for the README. */
#include "app.h"
#include "kclock.h"
#include "klog.h"
#include "ksys.h"

#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static void tap(app *a, const char *id)
{
    ui_rect r;
    if (!ui_hit_rect(app_ui(a), ui_id_str(id), &r))
        return;
    ui_sdl_event e = {.type = UI_EV_DOWN, .x = r.x + r.w / 2, .y = r.y + r.h / 2};
    app_event(a, &e);
    kclock_advance(80);
    e.type = UI_EV_UP;
    app_event(a, &e);
    app_frame(a);
    app_render(a, false);
}

int main(int argc, char **argv)
{
    int days = argc > 1 ? atoi(argv[1]) : 1;
    klog_set_quiet(1);
    kclock_simulate(1796027400);
    char dir[] = "/tmp/bench-soak-XXXXXX";
    if (!mkdtemp(dir))
        return 1;
    app_opts o = {.headless = true, .renderer = -1, .data_dir = dir, .no_lock = true};
    app *a;
    char err[512];
    if (app_open(&o, &a, err, sizeof err) != APP_OK) {
        fprintf(stderr, "bench_soak: %s\n", err);
        return 1;
    }
    app_render(a, true);
    clock_t c0 = clock();
    printf("%-5s %-10s %-12s %-10s %s\n", "day", "visits", "heap in use", "RSS", "text cache");
    long visits = 0;
    for (int day = 0; day <= days; day++) {
        if (day > 0) {
            for (int slot = 0; slot < 24 * 30; slot++) { /* a visit every 2 minutes */
                visits++;
                if (visits % 3 == 0)
                    tap(a, "hdr.lang");
                if (visits % 5 == 0)
                    tap(a, "hdr.size");
                tap(a, "contact");
                ui_sdl_event e = {.type = UI_EV_DOWN, .x = 500, .y = 1500};
                app_event(a, &e);
                for (int k = 1; k <= 8; k++) {
                    kclock_advance(16);
                    e = (ui_sdl_event){.type = UI_EV_MOVE, .x = 500, .y = 1500 - 80 * k};
                    app_event(a, &e);
                }
                e.type = UI_EV_UP;
                app_event(a, &e);
                app_advance(a, 2000, true);
                if (visits % 2 == 0)
                    tap(a, "hdr.back");
                app_advance(a, 118000 - 2000, true); /* the rest of the 2 minutes: walk-aways hit the countdown */
            }
        }
        struct mallinfo2 mi = mallinfo2();
        size_t entries, bytes;
        ui_sdl_cache_stats(app_platform(a), &entries, &bytes);
        printf("%-5d %-10ld %-12.2f %-10.1f %zu strings, %.1f MB\n", day, visits, mi.uordblks / 1048576.0,
               ksys_rss_kb() / 1024.0, entries, bytes / 1e6);
        fflush(stdout);
    }
    printf("CPU for %d simulated days: %.1f s\n", days, (double)(clock() - c0) / CLOCKS_PER_SEC);
    app_close(a);
    char cmd[64];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd) == 0 ? 0 : 1;
}
