/* harness.c - see harness.h. */
#include "harness.h"

#include "kclock.h"
#include "klog.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define HS_MAX_STEPS 4096
#define HS_NAME 64

typedef enum step_kind {
    ST_TAP, ST_PRESS, ST_DRAG, ST_DOWN, ST_MOVE, ST_UP, ST_KEY, ST_WAIT, ST_SHOT, ST_EXPECT,
} step_kind;

typedef struct step {
    step_kind kind;
    int line;
    int x, y, x2, y2;
    long ms;
    int mod;
    char name[HS_NAME]; /* widget id, key, shot name, or expectation subject */
    char arg[HS_NAME];  /* expectation value */
} step;

struct hs_script {
    char name[256];
    long long clock;
    size_t n;
    step steps[];
};

const char *hs_strerror(hs_err e)
{
    switch (e) {
    case HS_OK: return "ok";
    case HS_ESYNTAX: return "script syntax error";
    case HS_EEXPECT: return "expectation failed";
    case HS_EIO: return "i/o error";
    case HS_ENOMEM: return "out of memory";
    }
    return "unknown error";
}

void hs_free(hs_script *s) { free(s); }
size_t hs_steps(const hs_script *s) { return s->n; }
long long hs_clock(const hs_script *s) { return s->clock; }

/* ---------------------------------------------------------------- parsing */

static int split(char *line, char **tok, int max)
{
    int n = 0;
    char *save = NULL;
    for (char *t = strtok_r(line, " \t", &save); t && n < max; t = strtok_r(NULL, " \t", &save))
        tok[n++] = t;
    return n;
}

static bool parse_int(const char *s, long lo, long hi, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (end == s || *end || v < lo || v > hi)
        return false;
    *out = v;
    return true;
}

static bool copy_name(char *dst, const char *src)
{
    size_t n = strlen(src);
    if (n == 0 || n >= HS_NAME)
        return false;
    memcpy(dst, src, n + 1);
    return true;
}

/* Parses "X Y" or "@ID" at tok[0..]; returns the number of tokens used, 0 on error. */
static int parse_target(step *st, char **tok, int n)
{
    long x, y;
    if (n >= 1 && tok[0][0] == '@')
        return copy_name(st->name, tok[0] + 1) ? 1 : 0;
    if (n >= 2 && parse_int(tok[0], 0, 100000, &x) && parse_int(tok[1], 0, 100000, &y)) {
        st->x = (int)x, st->y = (int)y;
        return 2;
    }
    return 0;
}

static hs_err perr(char *err, size_t errlen, const char *name, int line, const char *what, const char *tok)
{
    snprintf(err, errlen, "%s:%d: %s%s%s%s", name, line, what, tok ? " '" : "", tok ? tok : "", tok ? "'" : "");
    return HS_ESYNTAX;
}

static hs_err parse_step(hs_script *sc, step *st, char **tok, int n, char *err, size_t errlen)
{
    const char *nm = sc->name;
    const char *cmd = tok[0];
    long v;
    int used;
    if (!strcmp(cmd, "tap") || !strcmp(cmd, "down") || !strcmp(cmd, "move") || !strcmp(cmd, "up")) {
        st->kind = !strcmp(cmd, "tap") ? ST_TAP : !strcmp(cmd, "down") ? ST_DOWN : !strcmp(cmd, "move") ? ST_MOVE : ST_UP;
        used = parse_target(st, tok + 1, n - 1);
        if (!used || used != n - 1 || (st->kind != ST_TAP && st->name[0]))
            return perr(err, errlen, nm, st->line, "expected X Y (or @ID for tap) after", cmd);
    } else if (!strcmp(cmd, "press")) {
        st->kind = ST_PRESS;
        used = parse_target(st, tok + 1, n - 1);
        if (!used || n != used + 2 || !parse_int(tok[used + 1], 1, 3600000, &v))
            return perr(err, errlen, nm, st->line, "expected X Y MS or @ID MS after", cmd);
        st->ms = v;
    } else if (!strcmp(cmd, "drag")) {
        long c[5];
        if (n != 6)
            return perr(err, errlen, nm, st->line, "expected X1 Y1 X2 Y2 MS after", cmd);
        for (int i = 0; i < 5; i++)
            if (!parse_int(tok[i + 1], 0, i == 4 ? 3600000 : 100000, &c[i]))
                return perr(err, errlen, nm, st->line, "not a number:", tok[i + 1]);
        st->kind = ST_DRAG;
        st->x = (int)c[0], st->y = (int)c[1], st->x2 = (int)c[2], st->y2 = (int)c[3], st->ms = c[4];
    } else if (!strcmp(cmd, "key")) {
        if (n != 2)
            return perr(err, errlen, nm, st->line, "expected a key name after", cmd);
        st->kind = ST_KEY;
        const char *k = tok[1];
        for (;;) {
            if (!strncmp(k, "ctrl+", 5))
                st->mod |= UI_MOD_CTRL, k += 5;
            else if (!strncmp(k, "alt+", 4))
                st->mod |= UI_MOD_ALT, k += 4;
            else
                break;
        }
        if (!copy_name(st->name, k))
            return perr(err, errlen, nm, st->line, "bad key name", tok[1]);
    } else if (!strcmp(cmd, "wait")) {
        if (n != 2 || !parse_int(tok[1], 0, 30L * 24 * 3600 * 1000, &v))
            return perr(err, errlen, nm, st->line, "expected milliseconds after", cmd);
        st->kind = ST_WAIT;
        st->ms = v;
    } else if (!strcmp(cmd, "shot")) {
        if (n != 2 || !copy_name(st->name, tok[1]) || strchr(tok[1], '/'))
            return perr(err, errlen, nm, st->line, "expected a file name (no '/') after", cmd);
        st->kind = ST_SHOT;
    } else if (!strcmp(cmd, "expect")) {
        static const char *subjects[] = {"screen", "lang", "large", "idle", "running", "exited"};
        bool known = false;
        for (size_t i = 0; n >= 2 && i < sizeof subjects / sizeof subjects[0]; i++)
            known |= !strcmp(tok[1], subjects[i]);
        bool unary = n >= 2 && (!strcmp(tok[1], "running") || !strcmp(tok[1], "exited"));
        if (!known || n != (unary ? 2 : 3))
            return perr(err, errlen, nm, st->line, "expected screen|lang|large|idle VALUE or running|exited after",
                        cmd);
        st->kind = ST_EXPECT;
        copy_name(st->name, tok[1]);
        if (!unary && !copy_name(st->arg, tok[2]))
            return perr(err, errlen, nm, st->line, "value too long", tok[2]);
    } else {
        return perr(err, errlen, nm, st->line, "unknown step", cmd);
    }
    return HS_OK;
}

hs_err hs_parse(const char *name, const char *text, size_t len, hs_script **out, char *err, size_t errlen)
{
    *out = NULL;
    size_t lines = 1;
    for (size_t i = 0; i < len; i++)
        lines += text[i] == '\n';
    if (lines > HS_MAX_STEPS) {
        snprintf(err, errlen, "%s: more than %d lines", name, HS_MAX_STEPS);
        return HS_ESYNTAX;
    }
    hs_script *sc = calloc(1, sizeof *sc + lines * sizeof(step));
    if (!sc)
        return HS_ENOMEM;
    snprintf(sc->name, sizeof sc->name, "%s", name);
    size_t pos = 0;
    int lineno = 0;
    hs_err e = HS_OK;
    while (pos < len && e == HS_OK) {
        size_t end = pos;
        while (end < len && text[end] != '\n')
            end++;
        lineno++;
        char line[512];
        size_t ll = end - pos;
        if (ll >= sizeof line) {
            e = perr(err, errlen, name, lineno, "line too long", NULL);
            break;
        }
        memcpy(line, text + pos, ll);
        line[ll] = '\0';
        pos = end + 1;
        if (memchr(line, '\0', ll)) {
            e = perr(err, errlen, name, lineno, "NUL byte in line", NULL);
            break;
        }
        char *hash = strchr(line, '#');
        if (hash)
            *hash = '\0';
        for (char *q = line; *q; q++)
            if (*q == '\r')
                *q = ' ';
        char *tok[8];
        int n = split(line, tok, 8);
        if (n == 0)
            continue;
        if (!strcmp(tok[0], "clock")) {
            struct tm tm = {0};
            char both[64];
            snprintf(both, sizeof both, "%s %s", tok[1 % n], n > 2 ? tok[2] : "");
            char *rest = n == 3 ? strptime(both, "%Y-%m-%d %H:%M", &tm) : NULL;
            if (!rest || *rest || sc->n > 0) {
                e = perr(err, errlen, name, lineno, "expected 'clock YYYY-MM-DD HH:MM' before any step", NULL);
                break;
            }
            tm.tm_isdst = -1;
            sc->clock = (long long)mktime(&tm);
            continue;
        }
        step *st = &sc->steps[sc->n];
        memset(st, 0, sizeof *st);
        st->line = lineno;
        e = parse_step(sc, st, tok, n, err, errlen);
        if (e == HS_OK)
            sc->n++;
    }
    if (e != HS_OK) {
        free(sc);
        return e;
    }
    *out = sc;
    return HS_OK;
}

hs_err hs_load(const char *path, hs_script **out, char *err, size_t errlen)
{
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
        return HS_EIO;
    }
    char *buf = malloc(1 << 20);
    size_t n = buf ? fread(buf, 1, (1 << 20) - 1, f) : 0;
    bool big = buf && !feof(f);
    fclose(f);
    if (!buf)
        return HS_ENOMEM;
    if (big) {
        free(buf);
        snprintf(err, errlen, "%s: larger than 1 MiB", path);
        return HS_ESYNTAX;
    }
    hs_err e = hs_parse(path, buf, n, out, err, errlen);
    free(buf);
    return e;
}

/* ---------------------------------------------------------------- running */

static void pointer(app *a, ui_sdl_event_type type, int x, int y)
{
    ui_sdl_event ev = {.type = type, .x = x, .y = y};
    app_event(a, &ev);
}

static void advance_to(app *a, uint64_t end)
{
    if (end > kclock_ms())
        app_advance(a, end - kclock_ms(), false);
}

static const char *screen_names[SCR_COUNT] = {
    [SCR_HOME] = "home", [SCR_CONTACT] = "contact", [SCR_ADMIN_PIN] = "admin_pin",
    [SCR_ADMIN] = "admin", [SCR_OOS] = "oos", [SCR_NOTICES] = "notices", [SCR_NOTICE] = "notice",
    [SCR_ATTRACT] = "attract",
};

static bool resolve(app *a, const step *st, int *x, int *y, char *err, size_t errlen, const char *nm)
{
    if (!st->name[0]) {
        *x = st->x, *y = st->y;
        return true;
    }
    char base[HS_NAME];
    snprintf(base, sizeof base, "%s", st->name);
    char *slash = strchr(base, '/');
    ui_id id;
    if (slash) {
        *slash = '\0';
        id = ui_id_child(ui_id_str(base), atoi(slash + 1));
    } else {
        id = ui_id_str(base);
    }
    ui_rect r;
    if (!ui_hit_rect(app_ui(a), id, &r)) {
        snprintf(err, errlen, "%s:%d: no widget '%s' on screen '%s'", nm, st->line, st->name,
                 screen_names[app_session(a)->screen]);
        return false;
    }
    *x = r.x + r.w / 2, *y = r.y + r.h / 2;
    return true;
}

static hs_err check(app *a, const step *st, char *err, size_t errlen, const char *nm)
{
    scr_session *s = app_session(a);
    char got[HS_NAME];
    if (!strcmp(st->name, "screen"))
        snprintf(got, sizeof got, "%s", screen_names[s->screen]);
    else if (!strcmp(st->name, "lang"))
        snprintf(got, sizeof got, "%s", s->lang == I18N_ZH ? "zh" : "en");
    else if (!strcmp(st->name, "large"))
        snprintf(got, sizeof got, "%s", s->large_text ? "on" : "off");
    else if (!strcmp(st->name, "idle")) {
        scr_ctx c = {app_ui(a), app_env(a), s, kclock_ms()};
        snprintf(got, sizeof got, "%d", scr_idle_left(&c));
    } else {
        const char *want = st->name;
        const char *state = app_exit_requested(a) ? "exited" : "running";
        if (strcmp(want, state) != 0) {
            snprintf(err, errlen, "%s:%d: expected the kiosk %s, it is %s", nm, st->line, want, state);
            return HS_EEXPECT;
        }
        return HS_OK;
    }
    if (strcmp(got, st->arg) != 0) {
        snprintf(err, errlen, "%s:%d: expected %s %s, got %s", nm, st->line, st->name, st->arg, got);
        return HS_EEXPECT;
    }
    return HS_OK;
}

static int32_t key_code(const char *name)
{
    if (!strcmp(name, "escape"))
        return 27;
    if (!strcmp(name, "return"))
        return 13;
    if (!strcmp(name, "f4"))
        return 0x4000003D; /* SDLK_F4 */
    return (unsigned char)tolower((unsigned char)name[0]);
}

hs_err hs_run(const hs_script *sc, app *a, const char *shots_dir, char *err, size_t errlen)
{
    const char *nm = sc->name;
    for (size_t i = 0; i < sc->n; i++) {
        const step *st = &sc->steps[i];
        int x, y;
        switch (st->kind) {
        case ST_TAP:
        case ST_PRESS:
            if (!resolve(a, st, &x, &y, err, errlen, nm))
                return HS_EEXPECT;
            pointer(a, UI_EV_DOWN, x, y);
            advance_to(a, kclock_ms() + (st->kind == ST_PRESS ? (uint64_t)st->ms : 80u));
            pointer(a, UI_EV_UP, x, y);
            break;
        case ST_DRAG: {
            pointer(a, UI_EV_DOWN, st->x, st->y);
            uint64_t t0 = kclock_ms();
            for (int k = 1; k <= 10; k++) {
                advance_to(a, t0 + (uint64_t)st->ms * (uint64_t)k / 10u);
                pointer(a, UI_EV_MOVE, st->x + (st->x2 - st->x) * k / 10, st->y + (st->y2 - st->y) * k / 10);
            }
            pointer(a, UI_EV_UP, st->x2, st->y2);
            break;
        }
        case ST_DOWN:
            pointer(a, UI_EV_DOWN, st->x, st->y);
            break;
        case ST_MOVE:
            pointer(a, UI_EV_MOVE, st->x, st->y);
            break;
        case ST_UP:
            pointer(a, UI_EV_UP, st->x, st->y);
            break;
        case ST_KEY: {
            ui_sdl_event ev = {.type = UI_EV_KEY, .key = key_code(st->name), .mod = st->mod};
            app_event(a, &ev);
            break;
        }
        case ST_WAIT:
            advance_to(a, kclock_ms() + (uint64_t)st->ms);
            break;
        case ST_SHOT: {
            char path[1024];
            snprintf(path, sizeof path, "%s/%s.png", shots_dir ? shots_dir : ".", st->name);
            app_frame(a);
            if (app_screenshot(a, path) != APP_OK) {
                snprintf(err, errlen, "%s:%d: cannot write %s", nm, st->line, path);
                return HS_EIO;
            }
            break;
        }
        case ST_EXPECT: {
            hs_err e = check(a, st, err, errlen, nm);
            if (e != HS_OK)
                return e;
            break;
        }
        }
        app_frame(a); /* as the main loop does after each batch of events */
    }
    return HS_OK;
}
