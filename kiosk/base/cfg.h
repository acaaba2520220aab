/* cfg.h - the kiosk's configuration: one INI file (parsed with inih).
 *
 * Every key, its type, range and default is listed in docs/config.md; the
 * demo file is assets/demo/kiosk.ini. cfg_load() starts from the defaults
 * (cfg_defaults) and applies the file on top. A file that is unreadable, has
 * a syntax error, an unknown section or key, or a value out of range is
 * rejected as a whole: the caller gets CFG_E* and a message of the form
 * "PATH:LINE: what is wrong" (LINE is 0 when the problem is not on one line,
 * e.g. the file cannot be opened), and the kiosk shows it on its
 * out-of-service screen instead of starting half-configured.
 *
 * cfg is a plain value struct (no handle): strings are fixed-size arrays so
 * that a config can be copied, compared and reset without allocation.
 */
#ifndef CFG_H
#define CFG_H

#include <stdbool.h>
#include <stddef.h>

typedef enum cfg_err {
    CFG_OK = 0,
    CFG_EIO = 1,      /* cannot open or read the file */
    CFG_ESYNTAX = 2,  /* not INI: a line that is neither section, key=value nor comment */
    CFG_EKEY = 3,     /* unknown section or key (catches typos) */
    CFG_EVALUE = 4,   /* a value of the wrong type, out of range, or too long */
    CFG_ENOMEM = 5,
} cfg_err;

#define CFG_STR 256        /* bytes, including the NUL, of every string value */
#define CFG_MAX_CONTACTS 8 /* [contact] line entries */

typedef enum cfg_renderer { CFG_RENDERER_SOFTWARE = 0, CFG_RENDERER_OPENGL = 1, CFG_RENDERER_AUTO = 2 } cfg_renderer;
typedef enum cfg_orient { CFG_ORIENT_AUTO = 0, CFG_ORIENT_PORTRAIT = 1, CFG_ORIENT_LANDSCAPE = 2 } cfg_orient;

/* One line of the contact screen: "名称 | Name | phone | 时间 | hours". */
typedef struct cfg_contact {
    char name_zh[CFG_STR];
    char name_en[CFG_STR];
    char phone[64];
    char hours_zh[CFG_STR];
    char hours_en[CFG_STR];
} cfg_contact;

typedef struct cfg {
    /* [kiosk] */
    char community_zh[CFG_STR];   /* community_name     default "祥和新城社区" */
    char community_en[CFG_STR];   /* community_name_en  default "Xianghe New Town Community" */
    char location_zh[CFG_STR];    /* location           default "" */
    char location_en[CFG_STR];    /* location_en        default "" */
    char data_dir[CFG_STR];       /* data_dir           default "/var/lib/community-kiosk" */
    char assets_dir[CFG_STR];     /* assets_dir         default "" = the assets/ next to the source */
    char language[16];            /* language           default "zh_CN"; "zh_CN" or "en" */
    /* [display] */
    bool fullscreen;              /* fullscreen         default true */
    int width, height;            /* width, height      default 0 = the panel's native size; 320..7680 */
    cfg_orient orientation;       /* orientation        default auto (from width vs height) */
    cfg_renderer renderer;        /* renderer           default software (measures best, see README) */
    double panel_diagonal_in;     /* panel_diagonal_in  default 21.5; 5..100; used when SDL knows no DPI */
    bool large_text;              /* large_text         default false; the mode every session starts in */
    /* [session] */
    int idle_timeout_s;           /* idle_timeout_s     default 90; 10..3600 */
    int idle_countdown_s;         /* idle_countdown_s   default 20; 20..300 (WCAG 2.2.1: >= 20 s) */
    /* [admin] */
    char pin_hash[CFG_STR];       /* pin_hash           default "" = admin screen cannot be opened */
    int hold_s;                   /* hold_seconds       default 5; 2..30: press time on the corner */
    int lockout_tries;            /* lockout_tries      default 5; 1..20 */
    int lockout_s;                /* lockout_seconds    default 300; 10..86400 */
    /* [notices] */
    char notices_dir[CFG_STR];    /* dir                default "" = <assets>/demo/notices; relative = from the root */
    int attract_after_s;          /* attract_after_s    default 60; 0 = never, else 10..3600 */
    int attract_each_s;           /* attract_each_s     default 8; 3..120: seconds per notice */
    /* [contact] line = name_zh | name_en | phone | hours_zh | hours_en   (repeatable, up to 8) */
    int n_contacts;
    cfg_contact contacts[CFG_MAX_CONTACTS];
} cfg;

/* Fills *c with the documented defaults. */
void cfg_defaults(cfg *c);

/* Loads PATH over the defaults into *c. On error *c holds the defaults and
 * err (if not NULL, errlen > 0) receives "PATH:LINE: message". */
cfg_err cfg_load(const char *path, cfg *c, char *err, size_t errlen);

/* Same, from a NUL-terminated buffer; NAME is used in messages (fuzzing, tests). */
cfg_err cfg_load_string(const char *name, const char *text, cfg *c, char *err, size_t errlen);

/* Rewrites (or adds) `key = value` in [section] of the file at PATH, keeping
 * every other line, comment and the order as they were; written to a temp
 * file, fsync'd and renamed so a power cut leaves the old or the new file.
 * Used by `kioskctl set-admin-pin`.
 * The new text is checked with the loader first and written only if it loads
 * (else the file is left as it was and err says why, "(file left unchanged)").
 * A missing key goes after the last key of its section, a missing section at
 * the end, a missing file is created; for the repeatable [contact] line the
 * first one is replaced. VALUE must read back as given: no control
 * characters, no leading/trailing blanks, no " ;" (CFG_EVALUE). */
cfg_err cfg_set_key(const char *path, const char *section, const char *key, const char *value,
                    char *err, size_t errlen);

const char *cfg_strerror(cfg_err e);

#endif
