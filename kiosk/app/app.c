/* app.c - see app.h. */
#include "app.h"

#include "i18n.h"
#include "kclock.h"
#include "klog.h"

#include <errno.h>
#include <signal.h>
#include <fcntl.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

volatile sig_atomic_t app_terminating;

struct app {
    app_opts opts;
    char root[512], config_path[512], data_dir[512], po_dir[600];
    cfg cfg;
    bool cfg_ok;
    ui_sdl *p;
    ui *u;
    ui_theme theme;
    scr_env env;
    scr_session s;
    int lock_fd;
    bool was_active; /* a visit was under way at the last frame */
    notice_store *notices;     /* the community notices, polled between frames */
    /* The notice watcher: a thread that looks at the folder every
     * NOTICE_POLL_MS and wakes the main loop only when it changed, so an
     * idle kiosk still sleeps until the clock's next minute. */
    pthread_t watcher;
    bool watching;
    pthread_mutex_t watch_mu;
    pthread_cond_t watch_cv;
    bool watch_stop;            /* under watch_mu */
    char watch_dir[PATH_MAX];   /* under watch_mu */
    atomic_bool notices_dirty;  /* the watcher saw a change: rescan at the next frame */
};

/* ---------------------------------------------------------------- helpers */

static int mkdir_p(const char *path)
{
    char buf[512];
    snprintf(buf, sizeof buf, "%s", path);
    for (char *q = buf + 1; *q; q++) {
        if (*q != '/')
            continue;
        *q = '\0';
        if (mkdir(buf, 0755) != 0 && errno != EEXIST)
            return -1;
        *q = '/';
    }
    return mkdir(buf, 0755) != 0 && errno != EEXIST ? -1 : 0;
}

static app_err take_lock(app *a, char *err, size_t errlen)
{
    char path[600];
    snprintf(path, sizeof path, "%s/kiosk.lock", a->data_dir);
    a->lock_fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (a->lock_fd < 0) {
        snprintf(err, errlen, "cannot create the lock file %s: %s", path, strerror(errno));
        return APP_EIO;
    }
    if (flock(a->lock_fd, LOCK_EX | LOCK_NB) != 0) {
        char pid[32] = "?";
        ssize_t n = pread(a->lock_fd, pid, sizeof pid - 1, 0);
        if (n > 0) {
            pid[n] = '\0';
            pid[strcspn(pid, "\n")] = '\0';
        }
        snprintf(err, errlen,
                 "another kiosk (pid %s) is already running with the data directory %s; "
                 "stop it first, or give this one another --data-dir",
                 pid, a->data_dir);
        close(a->lock_fd);
        a->lock_fd = -1;
        return APP_ELOCKED;
    }
    char pid[32];
    int n = snprintf(pid, sizeof pid, "%ld\n", (long)getpid());
    if (ftruncate(a->lock_fd, 0) != 0 || pwrite(a->lock_fd, pid, (size_t)n, 0) != n)
        klog(KLOG_WARN, "app", "cannot write pid to %s", path);
    return APP_OK;
}

static void retheme(app *a)
{
    char err[256];
    ui_theme_init(&a->theme, ui_sdl_px_per_mm(a->p), a->s.large_text);
    if (ui_sdl_set_theme(a->p, &a->theme, err, sizeof err) != UI_SDL_OK)
        klog(KLOG_ERROR, "app", "%s", err);
}

/* ---------------------------------------------------------------- notices */

static const char *urgent_title(void *user)
{
    app *a = user;
    const notice *n = a->notices ? notice_store_urgent(a->notices) : NULL;
    return n ? notice_title(n, i18n_lang_get()) : NULL;
}

/* Admin health lines: how many notices are shown, and every broken notice
 * file with its line, so the committee sees what to fix. */
static void app_stats(void *user, char *buf, size_t len)
{
    app *a = user;
    buf[0] = '\0';
    if (!a->notices)
        return;
    size_t used = 0;
    int n = snprintf(buf, len, _("Notices: %zu shown, %zu files with problems (folder %s)"),
                     notice_store_count(a->notices), notice_store_problems(a->notices),
                     notice_store_dir(a->notices));
    for (size_t i = 0; n > 0 && (used += (size_t)n) < len && i < notice_store_problems(a->notices); i++)
        n = snprintf(buf + used, len - used, "\n%s", notice_store_problem(a->notices, i));
}

static void *watch_notices(void *arg)
{
    app *a = arg;
    char dir[PATH_MAX] = "";
    uint64_t last = 0;
    bool fresh = false;
    pthread_mutex_lock(&a->watch_mu);
    while (!a->watch_stop) {
        if (strcmp(dir, a->watch_dir) != 0) { /* the config named another folder */
            snprintf(dir, sizeof dir, "%s", a->watch_dir);
            last = notice_dir_signature(dir, &fresh);
        }
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += NOTICE_POLL_MS / 1000;
        pthread_cond_timedwait(&a->watch_cv, &a->watch_mu, &until);
        if (a->watch_stop)
            break;
        pthread_mutex_unlock(&a->watch_mu);
        bool was_fresh = fresh;
        uint64_t sig = notice_dir_signature(dir, &fresh);
        /* A file saved moments ago may be saved again within the same
         * clock tick, unseen by the signature: one more look to be sure. */
        if (sig != last || was_fresh) {
            last = sig;
            atomic_store(&a->notices_dirty, true);
            ui_sdl_wake(a->p);
        }
        pthread_mutex_lock(&a->watch_mu);
    }
    pthread_mutex_unlock(&a->watch_mu);
    return NULL;
}

/* Starts the watcher (on a real display: headless runs, the harness and
 * the tests run frames on the simulated clock and poll in them). */
static void watch_start(app *a)
{
    if (a->opts.headless || !a->notices)
        return;
    pthread_mutex_lock(&a->watch_mu); /* a running watcher follows a new folder */
    snprintf(a->watch_dir, sizeof a->watch_dir, "%s", notice_store_dir(a->notices));
    a->watch_stop = false;
    pthread_mutex_unlock(&a->watch_mu);
    if (a->watching)
        return;
    a->watching = pthread_create(&a->watcher, NULL, watch_notices, a) == 0;
    if (!a->watching)
        klog(KLOG_WARN, "notice", "no watcher thread: notice changes show at the next touch or minute");
}

static void watch_stop(app *a)
{
    if (!a->watching)
        return;
    pthread_mutex_lock(&a->watch_mu);
    a->watch_stop = true;
    pthread_cond_signal(&a->watch_cv);
    pthread_mutex_unlock(&a->watch_mu);
    pthread_join(a->watcher, NULL);
    a->watching = false;
}

/* (Re)opens the notice store on the folder the config names; kept when the
 * folder is the same, so a config retry does not re-read every notice. */
static void open_notices(app *a)
{
    char dir[PATH_MAX];
    notice_resolve_dir(a->cfg.notices_dir, a->cfg.assets_dir, a->root, dir, sizeof dir);
    if (a->notices && strcmp(notice_store_dir(a->notices), dir) == 0)
        return;
    notice_store_close(a->notices);
    a->notices = NULL;
    if (notice_store_open(dir, kclock_wall(), &a->notices) != NOTICE_OK)
        klog(KLOG_ERROR, "notice", "out of memory opening the notice store; notices are off");
    a->env.notices = a->notices;
    if (a->p)
        watch_start(a);
    a->env.urgent_title = urgent_title;
    a->env.urgent_user = a;
    a->env.stats = app_stats;
    a->env.stats_user = a;
}

/* Loads config and translations; on failure the kiosk goes out of service
 * with the message and retries later. */
static bool load_services(app *a)
{
    char err[512];
    /* Translations first, from the default place: even the out-of-service
     * screen for a broken config speaks Chinese. */
    snprintf(a->po_dir, sizeof a->po_dir, "%s/assets/po", a->root);
    i18n_shutdown();
    bool po_loaded = i18n_init(a->po_dir, err, sizeof err) == I18N_OK;
    if (!po_loaded)
        klog(KLOG_WARN, "i18n", "%s", err);
    cfg_err ce = cfg_load(a->config_path, &a->cfg, err, sizeof err);
    if (ce != CFG_OK) {
        snprintf(a->env.oos_error, sizeof a->env.oos_error, "%s", err);
        klog(KLOG_ERROR, "config", "%s", err);
        return false;
    }
    if (a->cfg.assets_dir[0]) /* the config moves the assets: load from there */
        snprintf(a->po_dir, sizeof a->po_dir, "%s/po", a->cfg.assets_dir);
    if (a->cfg.assets_dir[0] || !po_loaded) {
        i18n_shutdown();
        if (i18n_init(a->po_dir, err, sizeof err) != I18N_OK) {
            snprintf(a->env.oos_error, sizeof a->env.oos_error, "%s", err);
            klog(KLOG_ERROR, "i18n", "%s", err);
            return false;
        }
    }
    if (!a->opts.data_dir && a->cfg.data_dir[0])
        snprintf(a->data_dir, sizeof a->data_dir, "%s", a->cfg.data_dir);
    if (mkdir_p(a->data_dir) != 0) {
        snprintf(a->env.oos_error, sizeof a->env.oos_error, "data directory %s: %s", a->data_dir,
                 strerror(errno));
        klog(KLOG_ERROR, "app", "%s", a->env.oos_error);
        return false;
    }
    if (apin_lock_load(&a->env.lock, a->data_dir) != APIN_OK)
        klog(KLOG_WARN, "admin", "the admin lockout file was damaged; the count restarts");
    a->env.default_lang = i18n_lang_from_name(a->cfg.language);
    a->env.oos_error[0] = '\0';
    open_notices(a);
    return true;
}

static void go_out_of_service(app *a)
{
    a->cfg_ok = false;
    a->env.cfg = NULL;
    scr_session_init(&a->s, &a->env);
    a->s.screen = SCR_OOS;
    a->env.oos_retry_ms = kclock_ms() + APP_RETRY_S * 1000u;
}

static void start_session(app *a)
{
    a->cfg_ok = true;
    a->env.cfg = &a->cfg;
    scr_session_wipe(&a->s, &a->env);
    a->env.last_input_ms = kclock_ms();
    retheme(a);
}

static const char *font_fallback[] = {
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
};

/* ---------------------------------------------------------------- lifecycle */

app_err app_open(const app_opts *o, app **out, char *err, size_t errlen)
{
    *out = NULL;
    app *a = calloc(1, sizeof *a);
    if (!a) {
        snprintf(err, errlen, "out of memory");
        return APP_EIO;
    }
    a->opts = *o;
    a->lock_fd = -1;
    pthread_mutex_init(&a->watch_mu, NULL);
    pthread_cond_init(&a->watch_cv, NULL);
    snprintf(a->root, sizeof a->root, "%s", o->root ? o->root : KIOSK_SOURCE_DIR);
    if (o->config_path)
        snprintf(a->config_path, sizeof a->config_path, "%s", o->config_path);
    else
        snprintf(a->config_path, sizeof a->config_path, "%s/assets/demo/kiosk.ini", a->root);
    cfg_defaults(&a->cfg);
    snprintf(a->data_dir, sizeof a->data_dir, "%s", o->data_dir ? o->data_dir : a->cfg.data_dir);
    a->env.version = KIOSK_VERSION;
    a->env.start_ms = kclock_ms();
    a->env.data_dir = a->data_dir;

    bool ok = load_services(a);
    if (!o->no_lock) {
        app_err le = take_lock(a, err, errlen);
        if (le != APP_OK) {
            app_close(a);
            return le;
        }
    }

    /* The window comes up even with a bad config: it is how the error is seen. */
    char reg[600], bold[600];
    snprintf(reg, sizeof reg, "%s/fonts/NotoSansSC-Regular.otf", a->root);
    snprintf(bold, sizeof bold, "%s/fonts/NotoSansSC-Bold.otf", a->root);
    if (access(reg, R_OK) != 0 || access(bold, R_OK) != 0) {
        char msg[700];
        snprintf(msg, sizeof msg, "font missing: %s (run fonts/make-subset.sh or reinstall)", reg);
        klog(KLOG_ERROR, "app", "%s", msg);
        snprintf(a->env.oos_error, sizeof a->env.oos_error, "%s", msg);
        ok = false;
        for (size_t i = 0; i < sizeof font_fallback / sizeof font_fallback[0]; i++)
            if (access(font_fallback[i], R_OK) == 0) {
                snprintf(reg, sizeof reg, "%s", font_fallback[i]);
                snprintf(bold, sizeof bold, "%s", font_fallback[i]);
                break;
            }
    }
    const cfg *cf = &a->cfg;
    ui_sdl_opts so = {
        .headless = o->headless,
        .fullscreen = !o->windowed && !o->headless && cf->fullscreen,
        .width = o->width ? o->width : cf->width,
        .height = o->height ? o->height : cf->height,
        .renderer = o->renderer >= 0 ? (ui_sdl_renderer)o->renderer : (ui_sdl_renderer)cf->renderer,
        .diagonal_in = cf->panel_diagonal_in,
        .font_regular = reg,
        .font_bold = bold,
        .title = "community kiosk",
    };
    ui_sdl_err se = ui_sdl_open(&so, &a->p, err, errlen);
    if (se != UI_SDL_OK) {
        app_close(a);
        return APP_EDISPLAY;
    }
    a->env.renderer = ui_sdl_renderer_name(a->p);
    ui_theme_init(&a->theme, ui_sdl_px_per_mm(a->p), cf->large_text);
    if (ui_sdl_set_theme(a->p, &a->theme, err, errlen) != UI_SDL_OK) {
        app_close(a);
        return APP_EDISPLAY;
    }
    ui_text_metrics tm = ui_sdl_metrics(a->p);
    a->u = ui_new(&tm, &a->theme);
    if (!a->u) {
        snprintf(err, errlen, "out of memory");
        app_close(a);
        return APP_EIO;
    }
    if (ok)
        start_session(a);
    else
        go_out_of_service(a);
    watch_start(a);
    int w, h;
    ui_sdl_size(a->p, &w, &h);
    klog(KLOG_INFO, "app", "kiosk %s up: %dx%d, %.2f px/mm, renderer %s, %s", KIOSK_VERSION, w, h,
         ui_sdl_px_per_mm(a->p), a->env.renderer, ok ? "in service" : "OUT OF SERVICE");
    app_frame(a);
    *out = a;
    return APP_OK;
}

void app_close(app *a)
{
    if (!a)
        return;
    watch_stop(a);
    pthread_mutex_destroy(&a->watch_mu);
    pthread_cond_destroy(&a->watch_cv);
    notice_store_close(a->notices);
    apin_check_free(a->env.pin_check);
    ui_free(a->u);
    ui_sdl_close(a->p);
    i18n_shutdown();
    if (a->lock_fd >= 0)
        close(a->lock_fd); /* releases the flock */
    free(a);
}

/* ---------------------------------------------------------------- frames */

void app_frame(app *a)
{
    if (a->s.screen == SCR_OOS && kclock_ms() >= a->env.oos_retry_ms) {
        if (load_services(a)) {
            klog(KLOG_INFO, "app", "back in service");
            start_session(a);
        } else {
            a->env.oos_retry_ms = kclock_ms() + APP_RETRY_S * 1000u;
        }
    }
    /* Files added, edited or removed, notices expired: the frame below shows it. */
    if (a->notices && atomic_exchange(&a->notices_dirty, false))
        notice_store_rescan(a->notices, kclock_wall());
    else if (a->notices)
        notice_store_poll(a->notices, kclock_ms(), kclock_wall());
    /* A frame that navigates or changes the theme is followed by one more,
     * so the new screen is what gets presented. */
    for (int pass = 0; pass < 4; pass++) {
        scr_id before = a->s.screen;
        i18n_lang lang = a->s.lang;
        bool large = a->s.large_text;
        int w, h;
        ui_sdl_size(a->p, &w, &h);
        scr_ctx c = {a->u, &a->env, &a->s, kclock_ms()};
        ui_begin(a->u, w, h, c.now);
        scr_frame(&c);
        ui_end(a->u);
        if (a->s.large_text != a->theme.large_text)
            retheme(a);
        if (before == a->s.screen && lang == a->s.lang && large == a->s.large_text)
            break;
    }
    if (ui_overflowed(a->u))
        klog(KLOG_WARN, "ui", "frame overflowed the command buffer (screen %d)", (int)a->s.screen);
    /* When a visit ends, hand the memory its screens used back to the
     * system: weeks of visits must leave the kiosk as small as it started. */
    bool active = a->s.screen != SCR_HOME || scr_session_active(&a->s, &a->env);
    if (a->was_active && !active) {
        ui_sdl_forget_text(a->p);
#ifdef __GLIBC__
        malloc_trim(0);
#endif
    }
    a->was_active = active;
}

void app_event(app *a, const ui_sdl_event *ev)
{
    switch (ev->type) {
    case UI_EV_DOWN:
    case UI_EV_MOVE:
    case UI_EV_UP:
        if (ev->type == UI_EV_DOWN)
            ui_input_down(a->u, ev->x, ev->y);
        else if (ev->type == UI_EV_MOVE)
            ui_input_move(a->u, ev->x, ev->y);
        else
            ui_input_up(a->u, ev->x, ev->y);
        /* Under the idle countdown only its button counts as "still here". */
        if (!a->env.idle_showing)
            a->env.last_input_ms = kclock_ms();
        app_frame(a);
        break;
    case UI_EV_KEY:
        if (((ev->mod & UI_MOD_CTRL) && (ev->key == 'q' || ev->key == 'w')) || (ev->mod & UI_MOD_ALT))
            klog(KLOG_INFO, "app", "ignored a quit key: the kiosk is left through the admin screen");
        break;
    case UI_EV_QUIT:
        /* SDL turns both a window close and SIGTERM/SIGINT into a quit event;
         * only the signal (the service manager stopping us) may end the kiosk. */
        if (app_terminating) {
            klog(KLOG_INFO, "app", "stopping: terminated by signal");
            a->env.exit_requested = true;
        } else {
            klog(KLOG_INFO, "app", "ignored a close request: the kiosk is left through the admin screen");
        }
        break;
    default:
        break;
    }
}

bool app_render(app *a, bool force) { return ui_sdl_render(a->p, a->u, force); }

app_err app_screenshot(app *a, const char *png_path)
{
    app_render(a, true);
    return ui_sdl_screenshot(a->p, png_path) == UI_SDL_OK ? APP_OK : APP_EIO;
}

unsigned long long app_next_wake(const app *a)
{
    unsigned long long w = a->env.wake_ms;
    if (ui_animating(a->u)) {
        unsigned long long soon = kclock_ms() + 16;
        if (!w || soon < w)
            w = soon;
    }
    if (a->s.screen == SCR_OOS && (!w || a->env.oos_retry_ms < w))
        w = a->env.oos_retry_ms;
    /* Not the folder's poll time: the watcher wakes the loop for that. But
     * a notice that comes due or expires changes the screen by itself. */
    time_t change = a->notices ? notice_store_next_change(a->notices, kclock_wall()) : 0;
    if (change) {
        unsigned long long at = kclock_ms() + (unsigned long long)(change - kclock_wall()) * 1000u;
        if (!w || at < w)
            w = at;
    }
    return w;
}

void app_advance(app *a, unsigned long long ms, bool render)
{
    uint64_t end = kclock_ms() + ms;
    while (kclock_ms() < end && !a->env.exit_requested) {
        uint64_t wake = app_next_wake(a);
        uint64_t next = wake && wake > kclock_ms() && wake < end ? wake : end;
        kclock_advance(next - kclock_ms());
        app_frame(a);
        if (render)
            app_render(a, false);
    }
}

bool app_exit_requested(const app *a) { return a->env.exit_requested; }
scr_session *app_session(app *a) { return &a->s; }
scr_env *app_env(app *a) { return &a->env; }
ui *app_ui(app *a) { return a->u; }
ui_sdl *app_platform(app *a) { return a->p; }

int app_run(app *a)
{
    app_render(a, true);
    while (!a->env.exit_requested) {
        /* Sleep until input or the next timer: an idle kiosk uses no CPU. */
        unsigned long long wake = app_next_wake(a), now = kclock_ms();
        int timeout = -1;
        if (wake)
            timeout = wake > now ? (int)(wake - now > 60000 ? 60000 : wake - now) : 0;
        ui_sdl_event ev;
        bool force = false;
        if (ui_sdl_wait(a->p, timeout, &ev)) {
            do {
                force |= ev.type == UI_EV_REDRAW;
                app_event(a, &ev);
            } while (!a->env.exit_requested && ui_sdl_wait(a->p, 0, &ev));
        }
        app_frame(a);
        app_render(a, force);
    }
    klog(KLOG_INFO, "app", "kiosk exits");
    return 0;
}
