/* notice_store.c - the notices of a directory, kept current; see notice.h.
 *
 * Why a periodic scan rather than inotify: the notice folder may be a USB
 * stick, a network share or not exist yet when the kiosk starts, where
 * inotify sees nothing or cannot watch; and the kiosk's main loop waits in
 * SDL, which cannot wait on a file descriptor. One readdir and one stat per
 * file every two seconds costs microseconds for the dozens of files a
 * committee keeps, and a file is re-read only when its size, mtime, ctime or
 * inode changed (an editor that saves by rename changes the inode).
 * A file read within two seconds of its mtime is read again at the next
 * scan whatever its stat says ("racy" as git calls it): file times tick in
 * milliseconds, so a second save of the same length in the same tick would
 * otherwise look unchanged forever.
 *
 * A scan that finds nothing changed allocates nothing: the name and stat
 * scratch arrays are kept, and the entries are rebuilt only on a change, so
 * memory stays flat over months of polling.
 */
#include "notice.h"
#include "notice_int.h"

#include "klog.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define NAME_CAP 256
#define PROBLEM_LEN 512

typedef struct fsig {
    bool exists;
    dev_t dev;
    ino_t ino;
    off_t size;
    struct timespec mtim, ctim;
} fsig;

typedef struct entry {
    char name[NAME_CAP];
    fsig file, img;
    bool racy;     /* read within a moment of its last change: read it again next scan */
    uint64_t hash; /* of the bytes read, so a racy re-read that finds them equal changes nothing */
    notice *n;     /* NULL when the file is broken */
    char *problem; /* "name:line: message", or NULL */
} entry;

struct notice_store {
    char dir[PATH_MAX];
    entry *e;
    size_t n;
    notice **all;         /* parsed notices in display order, n_all of them */
    size_t n_all;
    const notice **shown; /* those valid at the last poll; capacity n */
    size_t n_shown;
    const char **problems;
    size_t n_problems;
    char dir_problem[PROBLEM_LEN];
    uint64_t next_poll, version;
    /* scan scratch, reused */
    char (*names)[NAME_CAP];
    fsig *sigs;
    size_t names_cap;
};

static bool sig_eq(const fsig *a, const fsig *b)
{
    if (a->exists != b->exists)
        return false;
    if (!a->exists)
        return true;
    return a->dev == b->dev && a->ino == b->ino && a->size == b->size && a->mtim.tv_sec == b->mtim.tv_sec &&
           a->mtim.tv_nsec == b->mtim.tv_nsec && a->ctim.tv_sec == b->ctim.tv_sec &&
           a->ctim.tv_nsec == b->ctim.tv_nsec;
}

static fsig sig_of(const char *path)
{
    fsig s;
    memset(&s, 0, sizeof s);
    struct stat st;
    if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
        s.exists = true;
        s.dev = st.st_dev, s.ino = st.st_ino, s.size = st.st_size;
        s.mtim = st.st_mtim, s.ctim = st.st_ctim;
    }
    return s;
}

static bool wants(const char *name)
{
    size_t n = strlen(name);
    /* Hidden files are editors' swap and lock files (.x.txt.swp, .#x.txt). */
    return name[0] != '.' && n > 4 && n < NAME_CAP && strcasecmp(name + n - 4, ".txt") == 0;
}

static int cmp_name(const void *a, const void *b) { return strcmp((const char *)a, (const char *)b); }

static int cmp_display(const void *a, const void *b)
{
    const notice *x = *(notice *const *)a, *y = *(notice *const *)b;
    if (x->pinned != y->pinned)
        return x->pinned ? -1 : 1;
    if (x->published != y->published)
        return x->published > y->published ? -1 : 1;
    return strcmp(x->id, y->id);
}

static void image_path(const notice_store *s, const notice *n, char *buf, size_t len)
{
    snprintf(buf, len, "%s/%s", s->dir, n->image);
}

/* Reads the PNG header of N's image: size for the layout, and a version
 * that changes with the file so the screen's texture cache reloads it. */
static void check_image(notice_store *s, entry *e)
{
    notice *n = e->n;
    char path[PATH_MAX + NAME_CAP];
    image_path(s, n, path, sizeof path);
    e->img = sig_of(path);
    unsigned char head[24];
    const char *why = NULL;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        why = errno == ENOENT ? "was not found in the notice folder" : strerror(errno);
    else if (read(fd, head, sizeof head) != (ssize_t)sizeof head || !notice_png_size(head, sizeof head, &n->image_w, &n->image_h))
        why = "is not a PNG image";
    if (fd >= 0)
        close(fd);
    if (why) {
        n->image_w = n->image_h = 0;
        char msg[PROBLEM_LEN];
        snprintf(msg, sizeof msg, "%s:%d: image '%s' %s; the notice is shown without it", e->name, n->image_line,
                 n->image, why);
        e->problem = strdup(msg);
        return;
    }
    uint64_t v = (uint64_t)e->img.mtim.tv_sec * 1000000007u + (uint64_t)e->img.mtim.tv_nsec +
                 (uint64_t)e->img.size * 31u + (uint64_t)e->img.ino;
    n->image_version = (uint32_t)(v ^ (v >> 32));
}

/* The picture of OLD's notice (if it has one) is as it was when checked. */
static bool image_unchanged(notice_store *s, const entry *old)
{
    if (!old->n || !old->n->image[0])
        return true;
    char path[PATH_MAX + NAME_CAP];
    image_path(s, old->n, path, sizeof path);
    fsig img = sig_of(path);
    return sig_eq(&old->img, &img);
}

static uint64_t fnv64(const char *p, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)p[i]) * 0x100000001b3ULL;
    return h;
}

/* (Re)reads E's file. OLD (may be NULL) is the entry as it was: when the
 * bytes are the same, its notice is kept and nothing changes. Returns true
 * when it kept OLD's contents. */
static bool load_entry(notice_store *s, entry *e, entry *old, const fsig *sig)
{
    char path[PATH_MAX + NAME_CAP];
    snprintf(path, sizeof path, "%s/%s", s->dir, e->name);
    e->file = *sig;
    /* The file system's clock, not the kiosk's (which tests simulate). */
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    e->racy = sig->exists && now.tv_sec - sig->mtim.tv_sec <= 2;
    char err[PROBLEM_LEN], *buf;
    size_t len;
    notice_err rc = notice_read_file(path, e->name, &buf, &len, err, sizeof err);
    if (rc == NOTICE_OK) {
        e->hash = fnv64(buf, len);
        if (old && old->hash == e->hash && (old->n || old->problem) && image_unchanged(s, old)) {
            bool racy = e->racy;
            fsig file = e->file;
            free(buf);
            *e = *old;
            e->racy = racy, e->file = file;
            old->n = NULL, old->problem = NULL; /* moved */
            return true;
        }
        rc = notice_parse(e->name, buf, len, &e->n, err, sizeof err);
        free(buf);
    }
    if (rc != NOTICE_OK) {
        e->problem = strdup(err);
        klog(KLOG_WARN, "notice", "%s (in %s; the other notices are still shown)", err, s->dir);
        return false;
    }
    if (e->n->image[0]) {
        check_image(s, e);
        if (e->problem)
            klog(KLOG_WARN, "notice", "%s", e->problem);
    }
    return false;
}

static void clear_entry(entry *e)
{
    notice_free(e->n);
    free(e->problem);
    e->n = NULL;
    e->problem = NULL;
}

static bool grow_scratch(notice_store *s, size_t need)
{
    if (need <= s->names_cap)
        return true;
    size_t cap = s->names_cap ? s->names_cap * 2 : 64;
    while (cap < need)
        cap *= 2;
    char(*nn)[NAME_CAP] = realloc(s->names, cap * sizeof *nn);
    if (!nn)
        return false;
    s->names = nn;
    fsig *ns = realloc(s->sigs, cap * sizeof *ns);
    if (!ns)
        return false;
    s->sigs = ns;
    s->names_cap = cap;
    return true;
}

static entry *find_entry(notice_store *s, const char *name)
{
    size_t lo = 0, hi = s->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(s->e[mid].name, name);
        if (c == 0)
            return &s->e[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

static bool entry_unchanged(notice_store *s, const entry *old, const fsig *sig)
{
    return old && !old->racy && sig_eq(&old->file, sig) && image_unchanged(s, old);
}

/* After the entries changed: the display order and the problem list. */
static void index_entries(notice_store *s)
{
    s->n_all = 0;
    s->n_problems = 0;
    if (s->dir_problem[0])
        s->problems[s->n_problems++] = s->dir_problem;
    for (size_t i = 0; i < s->n; i++) {
        if (s->e[i].n)
            s->all[s->n_all++] = s->e[i].n;
        if (s->e[i].problem)
            s->problems[s->n_problems++] = s->e[i].problem;
    }
    qsort(s->all, s->n_all, sizeof *s->all, cmp_display);
}

/* Rebuilds the entries from the scratch names and stats: unchanged entries
 * move over, changed and new files are parsed, the rest are freed. Returns
 * true when any notice or problem changed (a racy file read again with the
 * same bytes is no change). */
static bool rebuild(notice_store *s, size_t count)
{
    entry *ne = calloc(count ? count : 1, sizeof *ne);
    notice **all = calloc(count ? count : 1, sizeof *all);
    const notice **shown = calloc(count ? count : 1, sizeof *shown);
    const char **probs = calloc(count + 1, sizeof *probs);
    if (!ne || !all || !shown || !probs) {
        free(ne), free(all), free(shown), free(probs);
        klog(KLOG_ERROR, "notice", "out of memory while loading %s; keeping what was loaded", s->dir);
        return false;
    }
    bool changed = count != s->n;
    for (size_t i = 0; i < count; i++) {
        entry *old = find_entry(s, s->names[i]);
        if (entry_unchanged(s, old, &s->sigs[i])) {
            ne[i] = *old;
            old->n = NULL, old->problem = NULL; /* moved, not freed below */
            continue;
        }
        snprintf(ne[i].name, sizeof ne[i].name, "%s", s->names[i]);
        bool had_problem = old && old->problem;
        if (load_entry(s, &ne[i], old, &s->sigs[i]))
            continue; /* same bytes: the old notice, moved over */
        changed = true;
        if (had_problem && !ne[i].problem)
            klog(KLOG_INFO, "notice", "%s/%s is fine again", s->dir, ne[i].name);
    }
    for (size_t i = 0; i < s->n; i++)
        clear_entry(&s->e[i]);
    /* The shown list carries over, so select_shown compares against what
     * was on screen (when a notice was replaced, CHANGED says so anyway). */
    size_t keep = s->n_shown < count ? s->n_shown : count;
    if (keep)
        memcpy(shown, s->shown, keep * sizeof *shown);
    free(s->e), free(s->all), free(s->shown), free(s->problems);
    s->e = ne, s->n = count;
    s->all = all, s->shown = shown, s->problems = probs;
    s->n_shown = keep;
    index_entries(s);
    return changed;
}

/* Which notices are valid at WALL; true when that differs from before. */
static bool select_shown(notice_store *s, time_t wall)
{
    size_t k = 0;
    bool changed = false;
    for (size_t i = 0; i < s->n_all; i++) {
        if (notice_state_at(s->all[i], wall) != NOTICE_SHOWN)
            continue;
        if (k >= s->n_shown || s->shown[k] != s->all[i])
            changed = true;
        s->shown[k++] = s->all[i];
    }
    changed |= k != s->n_shown;
    s->n_shown = k;
    return changed;
}

static bool scan(notice_store *s, time_t wall)
{
    bool changed = false;
    char prev_problem[PROBLEM_LEN];
    snprintf(prev_problem, sizeof prev_problem, "%s", s->dir_problem);
    size_t count = 0, skipped = 0;
    DIR *d = opendir(s->dir);
    if (!d) {
        snprintf(s->dir_problem, sizeof s->dir_problem, "%s:0: cannot open the notice folder: %s", s->dir,
                 strerror(errno));
    } else {
        s->dir_problem[0] = '\0';
        struct dirent *de;
        while ((de = readdir(d))) {
            if (!wants(de->d_name))
                continue;
            if (count >= NOTICE_MAX_FILES) {
                skipped++;
                continue;
            }
            if (!grow_scratch(s, count + 1))
                break;
            snprintf(s->names[count++], NAME_CAP, "%s", de->d_name);
        }
        closedir(d);
        if (skipped)
            snprintf(s->dir_problem, sizeof s->dir_problem,
                     "%s:0: %zu notice files more than %d; some are not shown (remove old ones)", s->dir,
                     skipped, NOTICE_MAX_FILES);
    }
    if (count)
        qsort(s->names, count, NAME_CAP, cmp_name);
    /* Readdir order is arbitrary; with the names sorted, an unchanged
     * folder is the same list of names with the same stats. */
    bool same = count == s->n && strcmp(prev_problem, s->dir_problem) == 0;
    for (size_t i = 0; i < count; i++) {
        char path[PATH_MAX + NAME_CAP];
        snprintf(path, sizeof path, "%s/%s", s->dir, s->names[i]);
        s->sigs[i] = sig_of(path);
        if (same && (strcmp(s->e[i].name, s->names[i]) != 0 || !entry_unchanged(s, &s->e[i], &s->sigs[i])))
            same = false;
    }
    if (strcmp(prev_problem, s->dir_problem) != 0 && s->dir_problem[0])
        klog(KLOG_WARN, "notice", "%s", s->dir_problem);
    if (!same && (rebuild(s, count) || strcmp(prev_problem, s->dir_problem) != 0)) {
        changed = true;
        klog(KLOG_INFO, "notice", "%s: %zu notices, %zu with problems", s->dir, s->n_all, s->n_problems);
    }
    changed |= select_shown(s, wall);
    if (changed)
        s->version++;
    return changed;
}

/* ---------------------------------------------------------------- API */

notice_err notice_store_open(const char *dir, time_t wall, notice_store **out)
{
    *out = NULL;
    notice_store *s = calloc(1, sizeof *s);
    if (!s)
        return NOTICE_ENOMEM;
    snprintf(s->dir, sizeof s->dir, "%s", dir);
    s->problems = calloc(1, sizeof *s->problems); /* room for the folder's own problem */
    if (!s->problems) {
        free(s);
        return NOTICE_ENOMEM;
    }
    scan(s, wall);
    *out = s;
    return NOTICE_OK;
}

void notice_store_close(notice_store *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->n; i++)
        clear_entry(&s->e[i]);
    free(s->e), free(s->all), free(s->shown), free(s->problems);
    free(s->names), free(s->sigs);
    free(s);
}

const char *notice_store_dir(const notice_store *s) { return s->dir; }

bool notice_store_poll(notice_store *s, uint64_t now_ms, time_t wall)
{
    bool changed;
    if (now_ms >= s->next_poll) {
        s->next_poll = now_ms + NOTICE_POLL_MS;
        changed = scan(s, wall);
    } else if ((changed = select_shown(s, wall))) {
        s->version++;
    }
    return changed;
}

bool notice_store_rescan(notice_store *s, time_t wall) { return scan(s, wall); }
uint64_t notice_store_next_poll(const notice_store *s) { return s->next_poll; }
uint64_t notice_store_version(const notice_store *s) { return s->version; }
size_t notice_store_count(const notice_store *s) { return s->n_shown; }

const notice *notice_store_get(const notice_store *s, size_t i) { return i < s->n_shown ? s->shown[i] : NULL; }

const notice *notice_store_find(const notice_store *s, const char *id)
{
    for (size_t i = 0; i < s->n_shown; i++)
        if (strcmp(s->shown[i]->id, id) == 0)
            return s->shown[i];
    return NULL;
}

size_t notice_store_list(const notice_store *s, int cat, const notice **out, size_t cap)
{
    size_t k = 0;
    for (size_t i = 0; i < s->n_shown; i++) {
        if (cat != NOTICE_CAT_ALL && (int)s->shown[i]->cat != cat)
            continue;
        if (k < cap)
            out[k] = s->shown[i];
        k++;
    }
    return k;
}

const notice *notice_store_urgent(const notice_store *s)
{
    const notice *best = NULL;
    for (size_t i = 0; i < s->n_shown; i++) {
        const notice *n = s->shown[i];
        if (n->urgent && (!best || n->published > best->published))
            best = n;
    }
    return best;
}

size_t notice_store_total(const notice_store *s) { return s->n_all; }
const notice *notice_store_all(const notice_store *s, size_t i) { return i < s->n_all ? s->all[i] : NULL; }
size_t notice_store_problems(const notice_store *s) { return s->n_problems; }

const char *notice_store_problem(const notice_store *s, size_t i)
{
    return i < s->n_problems ? s->problems[i] : NULL;
}

bool notice_store_image_path(const notice_store *s, const notice *n, char *buf, size_t len)
{
    if (!n->image[0] || n->image_w <= 0)
        return false;
    image_path(s, n, buf, len);
    return true;
}

time_t notice_store_next_change(const notice_store *s, time_t wall)
{
    time_t next = 0;
    for (size_t i = 0; i < s->n_all; i++) {
        time_t t[2] = {s->all[i]->published, s->all[i]->valid_until};
        for (int k = 0; k < 2; k++)
            if (t[k] > wall && (!next || t[k] < next))
                next = t[k];
    }
    return next;
}

uint64_t notice_dir_signature(const char *dir, bool *fresh)
{
    if (fresh)
        *fresh = false;
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    /* Order-independent (a sum of per-entry hashes): readdir order may vary. */
    uint64_t sum = 1;
    struct dirent *de;
    while ((de = readdir(d))) {
        if (de->d_name[0] == '.')
            continue;
        struct stat st;
        if (fstatat(dirfd(d), de->d_name, &st, 0) != 0)
            continue;
        uint64_t h = fnv64(de->d_name, strlen(de->d_name));
        int64_t v[6] = {(int64_t)st.st_size, (int64_t)st.st_ino, (int64_t)st.st_mtim.tv_sec, st.st_mtim.tv_nsec,
                        (int64_t)st.st_ctim.tv_sec, st.st_ctim.tv_nsec};
        h ^= fnv64((const char *)v, sizeof v);
        sum += h * 0x9E3779B97F4A7C15ULL;
        if (fresh && now.tv_sec - st.st_mtim.tv_sec <= 2)
            *fresh = true;
    }
    closedir(d);
    return sum;
}
