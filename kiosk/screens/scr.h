/* scr.h - the screens: one file each (home, contact, notices, admin, oos), sharing
 * this frame work: the session, the environment, navigation, the common
 * header, the feature registry, the idle countdown and the hidden admin
 * gesture.
 *
 * A screen is a frame function over (ui, env, session). It draws through the
 * ui core only - no SDL here - so its logic runs in tests without a window.
 *
 * Session vs environment: everything a resident touched lives in
 * scr_session and nowhere else, so the idle wipe can prove it erased the
 * session by comparing it with a fresh one. The environment (config, admin
 * lockout, uptime) outlives sessions.
 */
#ifndef SCR_H
#define SCR_H

#include <stdbool.h>
#include <stdint.h>

#include "apin.h"
#include "cfg.h"
#include "i18n.h"
#include "notice.h"
#include "ui.h"

typedef enum scr_id {
    SCR_HOME = 0,
    SCR_CONTACT,
    SCR_ADMIN_PIN,
    SCR_ADMIN,
    SCR_OOS,     /* out of service: bad config or missing asset */
    SCR_NOTICES, /* the notice list, with category chips */
    SCR_NOTICE,  /* one notice, to read */
    SCR_ATTRACT, /* urgent and pinned notices full screen while nobody uses the kiosk */
    SCR_COUNT,
} scr_id;

/* Everything of one resident's visit. Wiped (zeroed, then defaults) when
 * the idle countdown runs out or the admin leaves. */
typedef struct scr_session {
    scr_id screen;
    i18n_lang lang;
    bool large_text;
    ui_scroll contact_scroll;
    char pin[APIN_MAX_DIGITS + 4];  /* digits typed on the admin PIN pad */
    int pin_result;                 /* apin_err of the last try, -1 none */
    bool confirm_exit;              /* admin: exit dialog open */
    int notice_filter;              /* notice list chip: 0 = all, else 1 + notice_cat */
    ui_scroll notices_scroll;       /* the notice list */
    ui_scroll notice_scroll;        /* the notice being read */
    char notice_id[NOTICE_ID_MAX];  /* which one (an id: the store may reload under it) */
    scr_id notice_back;             /* where its back button goes (list, or home from the banner) */
    uint64_t entered_ms;            /* when the current screen was entered */
} scr_session;

/* What outlives a session. */
typedef struct scr_env {
    const cfg *cfg;
    i18n_lang default_lang;
    const char *data_dir;
    const char *version;
    const char *renderer;           /* for the admin screen */
    uint64_t start_ms;              /* kclock_ms() at start, for uptime */
    uint64_t last_input_ms;         /* kclock_ms() of the last touch or key */
    apin_lock lock;
    apin_check *pin_check;          /* an admin PIN being verified off the UI thread */
    char oos_error[512];            /* out-of-service reason, file:line */
    uint64_t oos_retry_ms;          /* when the app retries */
    bool exit_requested;            /* admin chose "exit kiosk" */
    uint64_t wake_ms;               /* frame output: next time a frame is due (0 = none) */
    bool idle_showing;              /* frame output: the idle countdown is up; only its
                                       button counts as activity then */
    /* Providers that later features plug in; NULL = nothing to show. */
    const char *(*urgent_title)(void *user); /* newest urgent notice title */
    void *urgent_user;
    void (*stats)(void *user, char *buf, size_t len); /* extra admin health lines */
    void *stats_user;
    const notice_store *notices;    /* the community notices; NULL = the feature is off */
} scr_env;

typedef struct scr_ctx {
    ui *u;
    scr_env *env;
    scr_session *s;
    uint64_t now;
} scr_ctx;

/* A feature's home tile. Features add themselves to scr_features() in
 * registry.c as they land; only features that exist have a tile. */
typedef struct scr_feature {
    const char *id;
    const char *title;     /* msgid */
    const char *subtitle;  /* msgid */
    uint32_t icon;         /* code point drawn in the tile's disc */
    int accent;            /* index into the theme's tile colours */
    scr_id target;
    bool (*available)(const scr_env *env); /* NULL = always */
} scr_feature;

const scr_feature *scr_features(size_t *n);

void scr_session_init(scr_session *s, const scr_env *env);
/* Erases the session (sodium_memzero) and starts a fresh one at home. */
void scr_session_wipe(scr_session *s, const scr_env *env);
/* True when the session holds anything worth protecting by the idle timer:
 * another screen than home, another language, large text, typed digits. */
bool scr_session_active(const scr_session *s, const scr_env *env);

/* One frame of the whole UI: the current screen, the idle countdown over it,
 * the hidden admin gesture. Sets env->wake_ms. Call between ui_begin/ui_end. */
void scr_frame(scr_ctx *c);
void scr_go(scr_ctx *c, scr_id to);
/* Asks for a frame at time T (the main loop sleeps until the earliest). */
void scr_wake_at(scr_ctx *c, uint64_t t);

/* Common top bar: title (or community name on home), back button when
 * BACK, and the language and large-text toggles. Returns its height. */
int scr_header(scr_ctx *c, const char *title, bool back);
/* The same, with the back button (same place, same look) going to BACK;
 * SCR_COUNT = no back button. */
int scr_header_to(scr_ctx *c, const char *title, scr_id back);
/* Corner region of the hidden admin gesture. */
ui_rect scr_admin_corner(const scr_ctx *c);

/* Per-screen frames (one file each). */
void scr_home(scr_ctx *c);
void scr_contact(scr_ctx *c);
void scr_admin_pin(scr_ctx *c);
void scr_admin(scr_ctx *c);
void scr_oos(scr_ctx *c);
void scr_notices(scr_ctx *c);
void scr_notice(scr_ctx *c);
void scr_attract(scr_ctx *c);

/* Previous/next page buttons at Y under a scrolling list (ids ID/0, ID/1),
 * shown only when there is more than fits. Returns -1 or +1 when one was
 * tapped (the caller decides how far to go), else 0. */
int scr_pager(scr_ctx *c, const char *id, const ui_scroll *sc, int y);
/* Opens notice ID for reading; its back button returns to BACK. */
void scr_notice_open(scr_ctx *c, const char *id, scr_id back);
/* A notice as a card that opens it, with its badges, title, office and
 * date: the rows of the notice list and the latest notices on home. The
 * card is tappable where it lies inside VIEW and a full target there. */
int scr_notice_card_height(scr_ctx *c, const notice *n, int w);
void scr_notice_card(scr_ctx *c, const notice *n, ui_rect r, ui_rect view, ui_id id, scr_id back);
/* Notices the attract loop cycles through (urgent or pinned, shown now). */
size_t scr_attract_count(const scr_ctx *c);

/* Idle countdown seconds left, or -1 when no countdown is showing. */
int scr_idle_left(const scr_ctx *c);

#endif
