/* bench_notice.c - how long a 5,000-character notice takes to lay out, and
 * how much memory 200 notices take.
 *
 * Layout: the kiosk headless (software renderer, the real fonts) reading a
 * 5,000-character Chinese notice at 1080x1920 and 1920x1080, normal and
 * large text. Measured: wrapping the whole text to the page width (what the
 * detail screen does per frame), the whole frame (measure + the lines in
 * view + page breaks), the first draw (rasterising the lines in view) and a
 * warm redraw. Memory: the heap the notice store holds for 200 notices of
 * ~1,000 characters (mallinfo2), next to the bytes of the files.
 * Not a test: nothing asserts; the figures go to the notes. */
#include "bench.h"
#include "app.h"
#include "kclock.h"
#include "klog.h"
#include "notice.h"

#include <fcntl.h>
#include <malloc.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Chinese text in the tone of the demo notices, NCHARS characters in
 * paragraphs of about 120. */
static size_t make_body(char *out, size_t cap, int nchars)
{
    static const char *const src = "同住一个小区，齐保平安社区。社区实施封闭管理后，只保留东门、南门两个出入口，"
                                   "进出请主动出示出入证，配合测量体温、登记信息。志愿者为居家隔离的居民和独居老人送菜送药上门，"
                                   "请大家理解、支持与配合。如有发热、干咳、乏力等症状，请立即拨打社区卫生服务站电话。";
    size_t used = 0, slen = strlen(src), at = 0;
    int chars = 0, in_para = 0;
    while (chars < nchars && used + 8 < cap) {
        size_t k = ((unsigned char)src[at] < 0x80) ? 1 : 3;
        memcpy(out + used, src + at, k);
        used += k, at = (at + k) % slen, chars++;
        if (++in_para >= 120 && chars < nchars) {
            out[used++] = '\n';
            in_para = 0;
        }
    }
    out[used] = '\0';
    return used;
}

static int write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    fputs(text, f);
    return fclose(f);
}

static void bench_layout(const char *dir, int n)
{
    char ini[600], notes[600], path[700];
    snprintf(notes, sizeof notes, "%s/notes", dir);
    snprintf(path, sizeof path, "mkdir -p '%s'", notes);
    if (system(path) != 0)
        return;
    static char text[64 * 1024];
    int k = snprintf(text, sizeof text, "title: 五千字长通知\npublished: 2026-11-20\ncategory: epidemic\n\n");
    size_t body = make_body(text + k, sizeof text - (size_t)k, 5000);
    snprintf(path, sizeof path, "%s/long.txt", notes);
    write_file(path, text);
    snprintf(ini, sizeof ini, "%s/kiosk.ini", dir);
    snprintf(text, sizeof text, "[kiosk]\ncommunity_name = 祥和新城社区\n[notices]\ndir = %s\nattract_after_s = 0\n", notes);
    write_file(ini, text);
    printf("5,000-character notice (%zu bytes of text), software renderer, real fonts:\n", body);

    double *v = calloc((size_t)n, sizeof *v);
    static const int sizes[2][2] = {{1080, 1920}, {1920, 1080}};
    for (int s = 0; s < 2; s++)
        for (int large = 0; large < 2; large++) {
            app_opts o = {.headless = true, .width = sizes[s][0], .height = sizes[s][1], .renderer = -1,
                          .data_dir = dir, .config_path = ini, .no_lock = true};
            app *a;
            char err[512];
            if (app_open(&o, &a, err, sizeof err) != APP_OK) {
                fprintf(stderr, "bench_notice: %s\n", err);
                exit(1);
            }
            app_session(a)->large_text = large;
            app_frame(a);
            scr_ctx c = {app_ui(a), app_env(a), app_session(a), kclock_ms()};
            scr_notice_open(&c, "long", SCR_HOME);
            app_frame(a);
            printf(" %dx%d, %s text: %d px of text, %d px per view\n", sizes[s][0], sizes[s][1],
                   large ? "large" : "normal", app_session(a)->notice_scroll.content_h,
                   app_session(a)->notice_scroll.view_h);
            /* the wrap alone: the whole body to the page width, line breaking with the fonts */
            const notice *nt = notice_store_find(app_env(a)->notices, "long");
            ui *u = app_ui(a);
            int w = app_session(a)->notice_scroll.view_h > 0 ? sizes[s][0] - 4 * ui_theme_of(u)->pad - 18 : 0;
            for (int i = 0; i < n; i++) {
                double t0 = bench_now_ms();
                int h = 0;
                for (const char *p = nt->body[I18N_ZH]; *p;) {
                    const char *e = strchr(p, '\n');
                    size_t len = e ? (size_t)(e - p) : strlen(p);
                    h += ui_label_height_n(u, w, UI_FONT_LARGE, p, len);
                    p += len + (e ? 1 : 0);
                }
                v[i] = bench_now_ms() - t0;
                if (h <= 0)
                    exit(1);
            }
            bench_report("wrap the whole text (layout)", v, n);
            for (int i = 0; i < n; i++) {
                double t0 = bench_now_ms();
                app_frame(a);
                v[i] = bench_now_ms() - t0;
            }
            bench_report("frame: layout + lines in view (no draw)", v, n);
            /* cold: a fresh page, its lines rasterised for the first time */
            for (int i = 0; i < n && i < 20; i++) {
                ui_scroll_by(&app_session(a)->notice_scroll, (float)app_session(a)->notice_scroll.view_h);
                if (ui_scroll_at_bottom(&app_session(a)->notice_scroll))
                    app_session(a)->notice_scroll.offset = 0;
                app_frame(a);
                double t0 = bench_now_ms();
                app_render(a, true);
                v[i] = bench_now_ms() - t0;
            }
            bench_report("draw a new page (cold text cache)", v, n < 20 ? n : 20);
            for (int i = 0; i < n; i++) {
                double t0 = bench_now_ms();
                app_render(a, true);
                v[i] = bench_now_ms() - t0;
            }
            bench_report("redraw the page (warm cache)", v, n);
            app_close(a);
        }
    free(v);
}

static void bench_memory(const char *dir)
{
    char notes[600], path[700];
    snprintf(notes, sizeof notes, "%s/many", dir);
    snprintf(path, sizeof path, "mkdir -p '%s'", notes);
    if (system(path) != 0)
        return;
    static char text[16 * 1024], body[12 * 1024];
    size_t file_bytes = 0;
    for (int i = 0; i < 200; i++) {
        make_body(body, sizeof body, 800 + (i * 37) % 400); /* 800..1,200 characters */
        int k = snprintf(text, sizeof text,
                         "title: 第%d号通知：关于小区出入口临时封闭的安排\ntitle_en: Notice %d: closure of entrances\n"
                         "published: 2026-11-%02d 08:00\nvalid_until: 2027-12-31\ncategory: epidemic\n"
                         "office: 祥和新城社区居委会\noffice_en: Xianghe New Town Residents' Committee\n\n%s\n"
                         "--- English ---\nOnly the east and south gates stay open, daily from 6:00 to 22:00. "
                         "Please show your entry pass and have your temperature taken.\n",
                         i, i, 1 + i % 28, body);
        snprintf(path, sizeof path, "%s/n%03d.txt", notes, i);
        write_file(path, text);
        file_bytes += (size_t)k;
        /* files saved an hour ago: a scan then stats them and reads none
         * (a file changed in the last seconds is read again to be sure) */
        struct timespec old[2] = {{time(NULL) - 3600, 0}, {time(NULL) - 3600, 0}};
        utimensat(AT_FDCWD, path, old, 0);
    }
    struct mallinfo2 m0 = mallinfo2();
    notice_store *s;
    double t0 = bench_now_ms();
    if (notice_store_open(notes, kclock_wall(), &s) != NOTICE_OK)
        exit(1);
    double t1 = bench_now_ms();
    struct mallinfo2 m1 = mallinfo2();
    size_t heap = m1.uordblks - m0.uordblks;
    printf("200 notices of 800-1,200 characters (%zu shown):\n", notice_store_count(s));
    printf("  %-44s %zu bytes (%.1f KiB)\n", "files on disk", file_bytes, file_bytes / 1024.0);
    printf("  %-44s %zu bytes (%.1f KiB, %.0f bytes per notice)\n", "heap held by the store", heap, heap / 1024.0,
           heap / 200.0);
    printf("  %-44s %.1f ms\n", "load (read + parse 200 files)", t1 - t0);
    double t2 = bench_now_ms();
    for (int i = 0; i < 100; i++)
        notice_store_rescan(s, kclock_wall());
    printf("  %-44s %.3f ms\n", "scan for changes (nothing changed)", (bench_now_ms() - t2) / 100);
    struct mallinfo2 m2 = mallinfo2();
    printf("  %-44s %zd bytes\n", "heap change over 100 scans", (ssize_t)(m2.uordblks - m1.uordblks));
    notice_store_close(s);
}

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 200;
    if (n < 20)
        n = 20;
    klog_set_quiet(1);
    kclock_simulate(1796027400);
    char dir[] = "/tmp/bench-notice-XXXXXX";
    if (!mkdtemp(dir))
        return 1;
    bench_layout(dir, n);
    bench_memory(dir);
    char cmd[100];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : 1;
}
