/* ctl_notice.c - kioskctl notice: the committee's notices from the command line.
 *
 *   kioskctl notice list [--dir DIR]
 *   kioskctl notice check DIR
 *   kioskctl notice add FILE [--dir DIR] [--replace]
 *   kioskctl notice add --title T --published DATE [--body-file F | --body TEXT] [options] [--dir DIR]
 *   kioskctl notice remove ID [--dir DIR]
 *
 * DIR defaults to the kiosk's notice folder ([notices] dir of the config).
 * Everything written is validated with the kiosk's own parser first, and
 * written beside the target under a hidden name, fsync'd and renamed, so
 * the kiosk (which ignores hidden files) never reads half a notice.
 */
#include "cfg.h"
#include "ctl.h"
#include "klog.h"
#include "notice.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static void usage(FILE *f)
{
    fprintf(f,
            "usage: kioskctl notice list [--dir DIR]\n"
            "       kioskctl notice check DIR\n"
            "       kioskctl notice add FILE [--dir DIR] [--replace]\n"
            "       kioskctl notice add --title TEXT --published YYYY-MM-DD[ HH:MM]\n"
            "                           (--body TEXT | --body-file FILE|-) [--title-en TEXT]\n"
            "                           [--body-en TEXT | --body-en-file FILE] [--valid-until DATE]\n"
            "                           [--category epidemic|supplies|volunteers|daily] [--pinned] [--urgent]\n"
            "                           [--office TEXT] [--office-en TEXT] [--image FILE.png] [--id ID]\n"
            "                           [--dir DIR] [--replace]\n"
            "       kioskctl notice remove ID [--dir DIR]\n"
            "The format of a notice file: docs/notices.md.\n");
}

/* The folder: --dir when given, else the one the kiosk reads, as the kiosk
 * resolves it. */
static int pick_dir(const ctl_ctx *cx, const char *dir_opt, char *out, size_t len)
{
    static cfg c;
    if (dir_opt) {
        snprintf(out, len, "%s", dir_opt);
        return 0;
    }
    char err[512];
    if (cfg_load(cx->config_path, &c, err, sizeof err) != CFG_OK) {
        fprintf(stderr, "kioskctl: %s\n(give the notice folder with --dir DIR)\n", err);
        return -1;
    }
    notice_resolve_dir(c.notices_dir, c.assets_dir, KIOSK_SOURCE_DIR, out, len);
    return 0;
}

/* Store problems are "name:line: ..." (the folder's own "DIR:0: ..."):
 * printed as paths, so an editor can jump to them. */
static size_t print_problems(const notice_store *s, FILE *f)
{
    const char *dir = notice_store_dir(s);
    size_t n = notice_store_problems(s);
    for (size_t i = 0; i < n; i++) {
        const char *p = notice_store_problem(s, i);
        if (strncmp(p, dir, strlen(dir)) == 0)
            fprintf(f, "%s\n", p);
        else
            fprintf(f, "%s/%s\n", dir, p);
    }
    return n;
}

static int cmd_check(const char *dir)
{
    notice_store *s;
    if (notice_store_open(dir, time(NULL), &s) != NOTICE_OK) {
        fprintf(stderr, "kioskctl: out of memory\n");
        return 1;
    }
    size_t bad = print_problems(s, stderr);
    printf("%s: %zu notices read, %zu shown now, %zu problem%s\n", dir, notice_store_total(s),
           notice_store_count(s), bad, bad == 1 ? "" : "s");
    notice_store_close(s);
    return bad ? 1 : 0;
}

static int cmd_list(const char *dir)
{
    notice_store *s;
    if (notice_store_open(dir, time(NULL), &s) != NOTICE_OK) {
        fprintf(stderr, "kioskctl: out of memory\n");
        return 1;
    }
    static const char *const state[] = {"shown", "scheduled", "expired"};
    printf("%-9s  %-16s  %-2s  %-10s  %-28s  %s\n", "STATE", "PUBLISHED", "PU", "CATEGORY", "ID", "TITLE");
    for (size_t i = 0; i < notice_store_total(s); i++) {
        const notice *n = notice_store_all(s, i);
        char when[32];
        struct tm tm;
        localtime_r(&n->published, &tm);
        strftime(when, sizeof when, "%Y-%m-%d %H:%M", &tm);
        printf("%-9s  %-16s  %c%c  %-10s  %-28s  %s\n", state[notice_state_at(n, time(NULL))], when,
               n->pinned ? 'P' : '-', n->urgent ? 'U' : '-', notice_cat_key(n->cat), n->id, n->title[I18N_ZH]);
    }
    size_t bad = print_problems(s, stdout);
    printf("%zu notices, %zu shown now, %zu problem%s (P = pinned, U = urgent)\n", notice_store_total(s),
           notice_store_count(s), bad, bad == 1 ? "" : "s");
    notice_store_close(s);
    return 0;
}

/* Writes LEN bytes to DIR/NAME through a hidden temporary file and a rename. */
static int write_into(const char *dir, const char *name, const char *data, size_t len, bool replace)
{
    char path[PATH_MAX], tmp[PATH_MAX];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    snprintf(tmp, sizeof tmp, "%s/.%s.XXXXXX", dir, name);
    if (!replace && access(path, F_OK) == 0) {
        fprintf(stderr, "kioskctl: %s exists; give --replace to overwrite it, or another --id\n", path);
        return 1;
    }
    int fd = mkstemp(tmp);
    if (fd < 0) {
        fprintf(stderr, "kioskctl: cannot write in %s: %s\n", dir, strerror(errno));
        return 1;
    }
    bool ok = fchmod(fd, 0644) == 0;
    for (size_t off = 0; ok && off < len;) {
        ssize_t w = write(fd, data + off, len - off);
        if (w < 0 && errno == EINTR)
            continue;
        ok = w > 0;
        off += ok ? (size_t)w : 0;
    }
    ok = ok && fsync(fd) == 0;
    ok = close(fd) == 0 && ok;
    ok = ok && rename(tmp, path) == 0;
    if (!ok) {
        fprintf(stderr, "kioskctl: cannot write %s: %s\n", path, strerror(errno));
        unlink(tmp);
        return 1;
    }
    return 0;
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = malloc(NOTICE_MAX_FILE + 2);
    size_t n = buf ? fread(buf, 1, NOTICE_MAX_FILE + 1, f) : 0;
    if (f != stdin)
        fclose(f);
    if (buf)
        buf[n] = '\0';
    *len = n;
    return buf;
}

/* Copies the notice's picture from SRC_DIR into DIR (when they differ). */
static int copy_image(const char *src, const char *dir, const char *name, bool replace)
{
    size_t len = 0;
    char *data = NULL;
    FILE *f = fopen(src, "rb");
    if (f) {
        data = malloc(8u << 20);
        len = data ? fread(data, 1, 8u << 20, f) : 0;
        fclose(f);
    }
    int w, h;
    if (!data || len < 24 || !notice_png_size((const unsigned char *)data, len, &w, &h)) {
        fprintf(stderr, "kioskctl: %s: not a readable PNG image (at most 8 MiB)\n", src);
        free(data);
        return 1;
    }
    int rc = write_into(dir, name, data, len, replace);
    free(data);
    return rc;
}

static const char *base_name(const char *p)
{
    const char *s = strrchr(p, '/');
    return s ? s + 1 : p;
}

static int dir_of(const char *path, char *out, size_t len)
{
    const char *s = strrchr(path, '/');
    return snprintf(out, len, "%.*s", s ? (int)(s - path) : 1, s ? path : ".");
}

/* The text of a notice file from flags; the parser checks it afterwards. */
typedef struct flags {
    const char *title, *title_en, *published, *valid_until, *category, *office, *office_en, *image, *id;
    const char *body, *body_file, *body_en, *body_en_file;
    bool pinned, urgent;
} flags;

static bool one_line(const char *v) { return !v || !strpbrk(v, "\r\n"); }

static char *compose(const flags *fl, const char *image_name, size_t *len)
{
    char *buf = NULL;
    FILE *m = open_memstream(&buf, len);
    if (!m)
        return NULL;
    fprintf(m, "title: %s\n", fl->title);
    if (fl->title_en)
        fprintf(m, "title_en: %s\n", fl->title_en);
    fprintf(m, "published: %s\n", fl->published);
    if (fl->valid_until)
        fprintf(m, "valid_until: %s\n", fl->valid_until);
    fprintf(m, "category: %s\n", fl->category ? fl->category : "daily");
    if (fl->pinned)
        fprintf(m, "pinned: yes\n");
    if (fl->urgent)
        fprintf(m, "urgent: yes\n");
    if (fl->office)
        fprintf(m, "office: %s\n", fl->office);
    if (fl->office_en)
        fprintf(m, "office_en: %s\n", fl->office_en);
    if (image_name)
        fprintf(m, "image: %s\n", image_name);
    fputs("\n", m);
    for (int lang = 0; lang < 2; lang++) {
        const char *text = lang ? fl->body_en : fl->body, *file = lang ? fl->body_en_file : fl->body_file;
        if (!text && !file)
            continue;
        if (lang)
            fputs("--- English ---\n", m);
        size_t n = 0;
        char *from_file = file ? slurp(file, &n) : NULL;
        if (file && !from_file) {
            fprintf(stderr, "kioskctl: cannot read %s: %s\n", file, strerror(errno));
            fclose(m);
            free(buf);
            return NULL;
        }
        fputs(from_file ? from_file : text, m);
        fputs("\n", m);
        free(from_file);
    }
    if (fclose(m) != 0) {
        free(buf);
        return NULL;
    }
    return buf;
}

static int cmd_add(const ctl_ctx *cx, int argc, char **argv)
{
    flags fl = {0};
    const char *file = NULL, *dir_opt = NULL;
    bool replace = false;
    /* Options that take a value, and where it goes. */
    const struct {
        const char *opt;
        const char **slot;
    } opts[] = {
        {"--title", &fl.title},         {"--title-en", &fl.title_en},   {"--published", &fl.published},
        {"--valid-until", &fl.valid_until}, {"--category", &fl.category}, {"--office", &fl.office},
        {"--office-en", &fl.office_en}, {"--image", &fl.image},         {"--id", &fl.id},
        {"--body", &fl.body},           {"--body-file", &fl.body_file}, {"--body-en", &fl.body_en},
        {"--body-en-file", &fl.body_en_file}, {"--dir", &dir_opt},
    };
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        const char **slot = NULL;
        for (size_t k = 0; k < sizeof opts / sizeof opts[0] && !slot; k++)
            if (!strcmp(a, opts[k].opt))
                slot = opts[k].slot;
        if (slot) {
            if (i + 1 >= argc) {
                fprintf(stderr, "kioskctl notice add: %s needs a value\n", a);
                return 2;
            }
            *slot = argv[++i];
        } else if (!strcmp(a, "--pinned")) {
            fl.pinned = true;
        } else if (!strcmp(a, "--urgent")) {
            fl.urgent = true;
        } else if (!strcmp(a, "--replace")) {
            replace = true;
        } else if (a[0] != '-' && !file) {
            file = a;
        } else {
            fprintf(stderr, "kioskctl notice add: unknown option '%s'\n", a);
            usage(stderr);
            return 2;
        }
    }
    bool by_flags = fl.title || fl.published || fl.body || fl.body_file;
    if (file ? by_flags : !(fl.title && fl.published && (fl.body || fl.body_file))) {
        fprintf(stderr, file ? "kioskctl notice add: give a FILE or the flags, not both\n"
                             : "kioskctl notice add: --title, --published and --body (or --body-file) are needed\n");
        usage(stderr);
        return 2;
    }
    if (!one_line(fl.title) || !one_line(fl.title_en) || !one_line(fl.office) || !one_line(fl.office_en)) {
        fprintf(stderr, "kioskctl notice add: titles and offices are one line each\n");
        return 2;
    }
    char dir[PATH_MAX];
    if (pick_dir(cx, dir_opt, dir, sizeof dir) != 0)
        return 1;

    char *text;
    size_t len;
    char name[NOTICE_ID_MAX + 8], src_dir[PATH_MAX];
    const char *image_src = NULL;
    char image_name[128] = "";
    if (file) {
        text = slurp(file, &len);
        if (!text) {
            fprintf(stderr, "kioskctl: cannot read %s: %s\n", file, strerror(errno));
            return 1;
        }
        const char *b = base_name(file);
        size_t bl = strlen(b);
        snprintf(name, sizeof name, "%s%s", b, bl > 4 && !strcmp(b + bl - 4, ".txt") ? "" : ".txt");
        dir_of(file, src_dir, sizeof src_dir);
    } else {
        if (fl.image) {
            image_src = fl.image;
            snprintf(image_name, sizeof image_name, "%s", base_name(fl.image));
        }
        char id[NOTICE_ID_MAX];
        if (fl.id)
            snprintf(id, sizeof id, "%s", fl.id);
        else /* the date and a number: sorts by date in a file listing, as a clerk would name it */
            for (int k = 1; k < 1000; k++) {
                char probe[PATH_MAX];
                snprintf(id, sizeof id, "%.10s-%d", fl.published, k);
                snprintf(probe, sizeof probe, "%s/%s.txt", dir, id);
                if (access(probe, F_OK) != 0)
                    break;
            }
        if (!id[0] || id[0] == '.' || strchr(id, '/')) {
            fprintf(stderr, "kioskctl notice add: --id must be a plain file name\n");
            return 2;
        }
        snprintf(name, sizeof name, "%s.txt", id);
        text = compose(&fl, image_name[0] ? image_name : NULL, &len);
        if (!text)
            return 1;
    }

    /* Validate exactly what will be written, with the kiosk's own parser. */
    notice *n = NULL;
    char err[512];
    if (notice_parse(name, text, len, &n, err, sizeof err) != NOTICE_OK) {
        fprintf(stderr, "%s%s%s\nnothing was written\n", file ? src_dir : "", file ? "/" : "", err);
        free(text);
        return 1;
    }
    int rc = 0;
    char img[PATH_MAX]; /* image_src may point here until the end */
    if (file && n->image[0]) { /* the picture travels with its notice */
        snprintf(img, sizeof img, "%s/%s", src_dir, n->image);
        char target[PATH_MAX];
        snprintf(target, sizeof target, "%s/%s", dir, n->image);
        if (strcmp(src_dir, dir) != 0 && access(img, R_OK) == 0)
            image_src = img, snprintf(image_name, sizeof image_name, "%s", n->image);
        else if (access(target, R_OK) != 0) {
            fprintf(stderr, "kioskctl: %s/%s:%d: image '%s' not found next to it nor in %s; nothing was written\n",
                    src_dir, name, n->image_line, n->image, dir);
            rc = 1;
        }
    }
    if (!rc && image_src)
        rc = copy_image(image_src, dir, image_name, replace);
    if (!rc)
        rc = write_into(dir, name, text, len, replace);
    if (!rc)
        printf("added %s/%s (%s)\n", dir, name, n->title[I18N_ZH]);
    notice_free(n);
    free(text);
    return rc;
}

static int cmd_remove(const char *dir, const char *id)
{
    if (!id[0] || strchr(id, '/') || id[0] == '.') {
        fprintf(stderr, "kioskctl notice remove: '%s' is not a notice id (see kioskctl notice list)\n", id);
        return 2;
    }
    char path[PATH_MAX];
    size_t n = strlen(id);
    snprintf(path, sizeof path, "%s/%s%s", dir, id, n > 4 && !strcmp(id + n - 4, ".txt") ? "" : ".txt");
    if (unlink(path) != 0) {
        fprintf(stderr, "kioskctl: cannot remove %s: %s\n", path, strerror(errno));
        return 1;
    }
    printf("removed %s (its picture, if any, stays: other notices may use it)\n", path);
    return 0;
}

int ctl_notice_main(const ctl_ctx *cx, int argc, char **argv)
{
    klog_set_quiet(1); /* the store's log lines are the kiosk's; here problems are printed as file:line */
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "help")) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    const char *sub = argv[1];
    if (!strcmp(sub, "add"))
        return cmd_add(cx, argc, argv);
    if (!strcmp(sub, "check")) {
        if (argc != 3) {
            usage(stderr);
            return 2;
        }
        return cmd_check(argv[2]);
    }
    /* list and remove: an optional --dir */
    const char *dir_opt = NULL, *arg = NULL;
    for (int i = 2; i < argc; i++) {
        if (!strcmp(argv[i], "--dir") && i + 1 < argc)
            dir_opt = argv[++i];
        else if (argv[i][0] != '-' && !arg)
            arg = argv[i];
        else {
            usage(stderr);
            return 2;
        }
    }
    char dir[PATH_MAX];
    if (pick_dir(cx, dir_opt, dir, sizeof dir) != 0)
        return 1;
    if (!strcmp(sub, "list") && !arg)
        return cmd_list(dir);
    if (!strcmp(sub, "remove") && arg)
        return cmd_remove(dir, arg);
    usage(stderr);
    return 2;
}
