/* notice.h - community notices: the file format and a store over a directory.
 *
 * The residents' committee publishes a notice by dropping a text file into
 * the notice directory; docs/notices.md describes the format for the clerk
 * who writes it. In short: a header of "key: value" lines (English or
 * Chinese key names, ':' or '：'), one empty line, the Chinese text, and
 * optionally a line "--- English ---" followed by the English text.
 *
 *   title: 关于小区出入口临时封闭的通知
 *   title_en: Temporary closure of entrances
 *   published: 2026-11-28 08:00
 *   valid_until: 2026-12-31
 *   category: epidemic
 *   urgent: yes
 *
 *   即日起，小区只保留东门、南门两个出入口……
 *   --- English ---
 *   From today only the east and south gates are open...
 *
 * Parser (notice_parse / notice_load): strict, like the config. Any problem
 * rejects the file with "NAME:LINE: what is wrong" (LINE 0 = the whole file,
 * e.g. unreadable or too large). A parsed notice is one allocation: a
 * read-only struct whose strings point into the same block; notice_free().
 *
 * Store (notice_store_*): loads every "*.txt" of a directory, keeps them
 * sorted (pinned first, then newest first), shows only those valid at the
 * wall time of the last poll (not yet published: hidden; expired: gone), and
 * notices edits by a cheap scan every NOTICE_POLL_MS: one readdir and one
 * stat per file, re-parsing only files whose size, mtime or inode changed.
 * A broken file becomes a "name:line: message" problem and is logged once;
 * the other notices are still shown. No SDL: kioskctl, the tests and the
 * kiosk share it.
 */
#ifndef NOTICE_H
#define NOTICE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "i18n.h"

typedef enum notice_err {
    NOTICE_OK = 0,
    NOTICE_EIO = 1,       /* cannot open or read */
    NOTICE_ESYNTAX = 2,   /* a line that is not "key: value", no text, two English markers */
    NOTICE_EKEY = 3,      /* unknown or repeated key, or a required key missing */
    NOTICE_EVALUE = 4,    /* bad date, category, yes/no, image name; a value too long */
    NOTICE_EENCODING = 5, /* not UTF-8, NUL bytes or control characters: not a text file */
    NOTICE_ETOOBIG = 6,   /* larger than NOTICE_MAX_FILE, or a paragraph over NOTICE_MAX_PARA */
    NOTICE_ENOMEM = 7,
} notice_err;

#define NOTICE_MAX_FILE (64 * 1024) /* bytes; ~20,000 hanzi: far beyond any notice */
#define NOTICE_MAX_PARA (16 * 1024) /* bytes of one paragraph (one line of text) */
#define NOTICE_MAX_TITLE 400        /* bytes; ~130 hanzi */
#define NOTICE_MAX_OFFICE 200
#define NOTICE_ID_MAX 96            /* file name without ".txt", bytes incl. NUL */
#define NOTICE_MAX_FILES 500        /* files per directory the store loads */
#define NOTICE_POLL_MS 2000         /* how often the store looks for changes */

typedef enum notice_cat {
    NOTICE_CAT_EPIDEMIC = 0, /* 防疫: epidemic control */
    NOTICE_CAT_SUPPLIES,     /* 物资: supplies */
    NOTICE_CAT_VOLUNTEERS,   /* 志愿者: volunteers */
    NOTICE_CAT_DAILY,        /* 生活: daily life (the default) */
    NOTICE_CAT_COUNT,
} notice_cat;
#define NOTICE_CAT_ALL (-1)

/* A parsed notice. Read-only; strings are never NULL ("" when absent).
 * Lines of a body are its paragraphs, separated by single '\n'. */
typedef struct notice {
    char id[NOTICE_ID_MAX];         /* file name without ".txt" */
    const char *title[I18N_NLANG];  /* [I18N_ZH] required; [I18N_EN] may be "" */
    const char *body[I18N_NLANG];
    const char *office[I18N_NLANG]; /* issuing office, may be "" */
    const char *image;              /* PNG file name in the same directory, or "" */
    int image_line;                 /* line of the image key, for messages */
    int image_w, image_h;           /* set by the store when the PNG was found; else 0 */
    uint32_t image_version;         /* changes when the PNG file changes (cache key) */
    time_t published;               /* shown from this moment */
    time_t valid_until;             /* shown until before this moment; 0 = no end */
    notice_cat cat;
    bool pinned, urgent;
} notice;

notice_err notice_parse(const char *name, const char *text, size_t len, notice **out, char *err,
                        size_t errlen);
notice_err notice_load(const char *path, notice **out, char *err, size_t errlen);
void notice_free(notice *n); /* NULL is a no-op */

/* Title, body, office in LANG, falling back to Chinese when there is no English. */
const char *notice_title(const notice *n, i18n_lang lang);
const char *notice_body(const notice *n, i18n_lang lang);
const char *notice_office(const notice *n, i18n_lang lang);

typedef enum notice_state { NOTICE_SHOWN = 0, NOTICE_SCHEDULED, NOTICE_EXPIRED } notice_state;
notice_state notice_state_at(const notice *n, time_t wall);

/* Category names: the file's word ("epidemic"), and the English msgid for
 * the screens ("Epidemic control"; translate with _()). NULL if out of range. */
const char *notice_cat_key(notice_cat c);
const char *notice_cat_label(notice_cat c);

/* "YYYY-MM-DD" or "YYYY-MM-DD HH:MM" (local time) into *out. END_OF_DAY: a
 * bare date means the end of that day (the moment the next one starts). */
bool notice_parse_date(const char *s, bool end_of_day, time_t *out);

/* Width and height from a PNG's signature and IHDR (the first 24 bytes). */
bool notice_png_size(const unsigned char *head, size_t len, int *w, int *h);

/* The notice directory for config value CFG_DIR: "" = ASSETS/demo/notices,
 * a relative path is taken from ROOT (the source tree or install root, as
 * for the translations), an absolute one as it is. ASSETS "" = ROOT/assets. */
void notice_resolve_dir(const char *cfg_dir, const char *assets, const char *root, char *out, size_t len);

const char *notice_strerror(notice_err e);

/* ---------------------------------------------------------------- store */

typedef struct notice_store notice_store;

/* Opens a store over DIR and loads it (as of WALL). A missing or unreadable
 * directory is not an error: it is a problem the admin sees, and the store
 * keeps looking. Fails only when out of memory. */
notice_err notice_store_open(const char *dir, time_t wall, notice_store **out);
void notice_store_close(notice_store *s); /* NULL is a no-op */
const char *notice_store_dir(const notice_store *s);

/* Scans the directory when NOW_MS has reached the next poll time (and then
 * schedules the next one NOTICE_POLL_MS later), and re-evaluates which
 * notices are valid at WALL every call. Returns true when what is shown
 * changed (a file added, edited or removed, a notice expired or came due). */
bool notice_store_poll(notice_store *s, uint64_t now_ms, time_t wall);
/* Scans now, whatever the time. Returns true when what is shown changed. */
bool notice_store_rescan(notice_store *s, time_t wall);
uint64_t notice_store_next_poll(const notice_store *s); /* ms, on kclock_ms()'s scale */
/* Bumped whenever what is shown changes. */
uint64_t notice_store_version(const notice_store *s);

/* Shown notices (valid at the last poll), pinned first, then newest first. */
size_t notice_store_count(const notice_store *s);
const notice *notice_store_get(const notice_store *s, size_t i);
const notice *notice_store_find(const notice_store *s, const char *id);
/* Shown notices of category CAT (NOTICE_CAT_ALL: all) into OUT, in order;
 * returns how many there are (may exceed CAP; only CAP are written). */
size_t notice_store_list(const notice_store *s, int cat, const notice **out, size_t cap);
/* The newest shown urgent notice, or NULL. */
const notice *notice_store_urgent(const notice_store *s);

/* Every parsed notice, shown or not (same order), for kioskctl. */
size_t notice_store_total(const notice_store *s);
const notice *notice_store_all(const notice_store *s, size_t i);

/* Problems: "name:line: message" per broken file (and the directory's own,
 * "DIR:0: ..."), in file-name order. */
size_t notice_store_problems(const notice_store *s);
const char *notice_store_problem(const notice_store *s, size_t i);

/* The next moment after WALL at which a notice comes due or expires (what
 * is shown changes with no file touched); 0 = none. */
time_t notice_store_next_change(const notice_store *s, time_t wall);

/* A hash of DIR's entries (names, sizes, times, inodes): different when any
 * file was added, removed or saved. Cheap (one readdir, one stat per file),
 * stateless and safe to call from another thread, for a watcher that wakes
 * the UI only when there is something to read. *FRESH (may be NULL) is set
 * when a file changed within the last two seconds (a second save in the
 * same clock tick would not change the hash: look again). */
uint64_t notice_dir_signature(const char *dir, bool *fresh);

/* Full path of N's image into BUF; false if it has none (or it was not found). */
bool notice_store_image_path(const notice_store *s, const notice *n, char *buf, size_t len);

#endif
