/* cfg.c - see cfg.h.
 *
 * Parsing is inih's (ini_parse_stream over the file's bytes in memory), with
 * the rules tightened for a machine nobody watches: every key is known, every
 * value is checked, and the first problem stops the load with "PATH:LINE:".
 *
 * Why ini_parse_stream with our own reader rather than ini_parse_string or
 * ini_parse_file: Debian builds inih with INI_HANDLER_LINENO=0, so the handler
 * is never told which line it is on. Our reader hands inih one line per call
 * (exactly how inih counts lines), so the reader's count is inih's line number
 * inside the handler too. The reader is also where each raw line is checked
 * before inih sees it (UTF-8, length, section name), which keeps every error
 * in file order.
 *
 * Debian's inih also has its options as run-time globals (ini_max_line, ...);
 * they are set once (see inih_setup) to: lines up to 4 KiB instead of 200
 * bytes (a contact line with four Chinese fields does not fit in 200), no
 * Python-style continuation lines (an indented line is a line of its own), and
 * stop at the first error.
 */
#include "cfg.h"

#include "kbuf.h"
#include "utf8.h"

#include <errno.h>
#include <fcntl.h>
#include <ini.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

/* A kiosk config is a few KiB; anything past 1 MiB is the wrong file, and the
 * limit keeps a bad path (a disk image, /dev/zero) from eating memory. */
#define CFG_MAX_FILE (1024 * 1024)
/* Longest accepted line in bytes, without its newline. inih's own buffer
 * (INIH_LINE) is larger so that a line the reader accepted is never split. */
#define CFG_MAX_LINE 4000
#define INIH_LINE (CFG_MAX_LINE + 16)
#define MSG_LEN 512

/* ---- the schema: one row per key ------------------------------------- */

enum ktype { K_STR, K_INT, K_BOOL, K_REAL, K_ENUM, K_CONTACT };

struct enum_val {
    const char *name;
    int value;
};

struct keydef {
    const char *section, *name;
    enum ktype type;
    size_t off, size;      /* the field in struct cfg */
    double min, max;       /* K_INT, K_REAL */
    int zero_ok;           /* K_INT: 0 is accepted too (= automatic) */
    int nonempty;          /* K_STR: "" is rejected */
    const struct enum_val *enums; /* K_ENUM, NULL-terminated */
    /* K_STR: extra check; returns NULL when fine, else why not */
    const char *(*check)(const char *v);
    const char *unit;      /* for messages: "seconds", "inches" */
};

static const struct enum_val orient_vals[] = {
    {"auto", CFG_ORIENT_AUTO}, {"portrait", CFG_ORIENT_PORTRAIT}, {"landscape", CFG_ORIENT_LANDSCAPE}, {NULL, 0}};
static const struct enum_val renderer_vals[] = {
    {"software", CFG_RENDERER_SOFTWARE}, {"opengl", CFG_RENDERER_OPENGL}, {"auto", CFG_RENDERER_AUTO}, {NULL, 0}};

/* Enum fields are written as int: make sure that is their size. */
_Static_assert(sizeof(cfg_orient) == sizeof(int), "cfg_orient is int-sized");
_Static_assert(sizeof(cfg_renderer) == sizeof(int), "cfg_renderer is int-sized");

static const char *check_language(const char *v)
{
    if (strcmp(v, "zh_CN") == 0 || strcmp(v, "en") == 0)
        return NULL;
    return "accepted: zh_CN or en";
}

static const char *check_pin_hash(const char *v)
{
    /* The admin PIN is stored hashed; a bare PIN pasted here would be a
     * secret in clear text that also never matches, so refuse it early. */
    if (*v == '\0' || strncmp(v, "$argon2id$", 10) == 0)
        return NULL;
    return "accepted: empty (admin screen disabled) or an argon2id hash \"$argon2id$...\" "
           "as written by kioskctl set-admin-pin";
}

#define F(field) offsetof(cfg, field), sizeof(((cfg *)0)->field)
static const struct keydef keys[] = {
    {"kiosk", "community_name", K_STR, F(community_zh), 0, 0, 0, 1, NULL, NULL, NULL},
    {"kiosk", "community_name_en", K_STR, F(community_en), 0, 0, 0, 0, NULL, NULL, NULL},
    {"kiosk", "location", K_STR, F(location_zh), 0, 0, 0, 0, NULL, NULL, NULL},
    {"kiosk", "location_en", K_STR, F(location_en), 0, 0, 0, 0, NULL, NULL, NULL},
    {"kiosk", "data_dir", K_STR, F(data_dir), 0, 0, 0, 1, NULL, NULL, NULL},
    {"kiosk", "assets_dir", K_STR, F(assets_dir), 0, 0, 0, 0, NULL, NULL, NULL},
    {"kiosk", "language", K_STR, F(language), 0, 0, 0, 1, NULL, check_language, NULL},
    {"display", "fullscreen", K_BOOL, F(fullscreen), 0, 0, 0, 0, NULL, NULL, NULL},
    {"display", "width", K_INT, F(width), 320, 7680, 1, 0, NULL, NULL, "pixels"},
    {"display", "height", K_INT, F(height), 320, 7680, 1, 0, NULL, NULL, "pixels"},
    {"display", "orientation", K_ENUM, F(orientation), 0, 0, 0, 0, orient_vals, NULL, NULL},
    {"display", "renderer", K_ENUM, F(renderer), 0, 0, 0, 0, renderer_vals, NULL, NULL},
    {"display", "panel_diagonal_in", K_REAL, F(panel_diagonal_in), 5, 100, 0, 0, NULL, NULL, "inches"},
    {"display", "large_text", K_BOOL, F(large_text), 0, 0, 0, 0, NULL, NULL, NULL},
    {"session", "idle_timeout_s", K_INT, F(idle_timeout_s), 10, 3600, 0, 0, NULL, NULL, "seconds"},
    {"session", "idle_countdown_s", K_INT, F(idle_countdown_s), 20, 300, 0, 0, NULL, NULL, "seconds"},
    {"admin", "pin_hash", K_STR, F(pin_hash), 0, 0, 0, 0, NULL, check_pin_hash, NULL},
    {"admin", "hold_seconds", K_INT, F(hold_s), 2, 30, 0, 0, NULL, NULL, "seconds"},
    {"admin", "lockout_tries", K_INT, F(lockout_tries), 1, 20, 0, 0, NULL, NULL, "tries"},
    {"admin", "lockout_seconds", K_INT, F(lockout_s), 10, 86400, 0, 0, NULL, NULL, "seconds"},
    {"notices", "dir", K_STR, F(notices_dir), 0, 0, 0, 0, NULL, NULL, NULL},
    {"notices", "attract_after_s", K_INT, F(attract_after_s), 10, 3600, 1, 0, NULL, NULL, "seconds"},
    {"notices", "attract_each_s", K_INT, F(attract_each_s), 3, 120, 0, 0, NULL, NULL, "seconds"},
    {"contact", "line", K_CONTACT, 0, 0, 0, 0, 0, 0, NULL, NULL, NULL},
};
#undef F
#define NKEYS (sizeof keys / sizeof keys[0])

static const char *const sections[] = {"kiosk", "display", "session", "admin", "notices", "contact"};
#define NSECTIONS (sizeof sections / sizeof sections[0])
#define SECTION_LIST "[kiosk], [display], [session], [admin], [notices], [contact]"

void cfg_defaults(cfg *c)
{
    memset(c, 0, sizeof *c);
    /* The literals are far shorter than CFG_STR; snprintf keeps it honest. */
    snprintf(c->community_zh, sizeof c->community_zh, "%s", "祥和新城社区");
    snprintf(c->community_en, sizeof c->community_en, "%s", "Xianghe New Town Community");
    snprintf(c->data_dir, sizeof c->data_dir, "%s", "/var/lib/community-kiosk");
    snprintf(c->language, sizeof c->language, "%s", "zh_CN");
    c->fullscreen = true;
    c->width = 0;
    c->height = 0;
    c->orientation = CFG_ORIENT_AUTO;
    c->renderer = CFG_RENDERER_SOFTWARE;
    c->panel_diagonal_in = 21.5;
    c->large_text = false;
    c->idle_timeout_s = 90;
    c->idle_countdown_s = 20;
    c->hold_s = 5;
    c->lockout_tries = 5;
    c->lockout_s = 300;
    c->attract_after_s = 60;
    c->attract_each_s = 8;
    c->n_contacts = 0;
}

const char *cfg_strerror(cfg_err e)
{
    switch (e) {
    case CFG_OK: return "ok";
    case CFG_EIO: return "cannot read the config file";
    case CFG_ESYNTAX: return "syntax error in the config file";
    case CFG_EKEY: return "unknown section or key in the config file";
    case CFG_EVALUE: return "bad value in the config file";
    case CFG_ENOMEM: return "out of memory";
    }
    return "unknown cfg error";
}

/* ---- parse state ------------------------------------------------------ */

struct parse {
    cfg *c;
    cfg_err code;          /* first error, CFG_OK while none */
    int err_line;
    char msg[MSG_LEN];
    int seen[NKEYS];       /* line each key was set on, 0 = not yet */
    /* the reader */
    const char *p;
    size_t left;
    int line;
};

static void fail(struct parse *p, cfg_err code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void fail(struct parse *p, cfg_err code, const char *fmt, ...)
{
    if (p->code != CFG_OK)
        return; /* the first error is the one worth reading */
    p->code = code;
    p->err_line = p->line;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->msg, sizeof p->msg, fmt, ap);
    va_end(ap);
}

static void put_err(char *err, size_t errlen, const char *name, int line, const char *msg)
{
    if (err && errlen > 0)
        snprintf(err, errlen, "%s:%d: %s", name, line, msg);
}

/* Copies at most MAX bytes of S for quoting in a message, cut on a
 * character boundary so that the message itself stays valid UTF-8. */
static void excerpt(char *out, size_t outlen, const char *s, size_t len, size_t max)
{
    size_t n = 0;
    while (n < len && s[n] != '\n' && s[n] != '\r') {
        uint32_t cp;
        size_t k = utf8_next(s + n, len - n, &cp);
        if (n + k > max)
            break;
        n += k;
    }
    snprintf(out, outlen, "%.*s%s", (int)n, s, n < len && s[n] != '\n' && s[n] != '\r' ? "..." : "");
}

static int is_blank(char ch) { return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\v' || ch == '\f'; }

static int section_known(const char *s, size_t len)
{
    for (size_t i = 0; i < NSECTIONS; i++)
        if (strlen(sections[i]) == len && memcmp(sections[i], s, len) == 0)
            return 1;
    return 0;
}

/* Checks one raw line before inih parses it. Returns 0 (and records the
 * error) when the line must not reach inih. */
static int line_ok(struct parse *p, const char *s, size_t len)
{
    size_t body = len;
    if (body > 0 && s[body - 1] == '\n')
        body--;
    if (body > CFG_MAX_LINE) {
        fail(p, CFG_ESYNTAX, "line is %zu bytes long; at most %d bytes are accepted", body, CFG_MAX_LINE);
        return 0;
    }
    const char *nul = memchr(s, '\0', body);
    if (nul) {
        fail(p, CFG_ESYNTAX, "NUL byte at column %zu: this is not a text file", (size_t)(nul - s) + 1);
        return 0;
    }
    size_t bad;
    if (!utf8_valid(s, body, &bad)) {
        fail(p, CFG_EVALUE, "invalid UTF-8 (byte 0x%02X at column %zu): the file must be saved as UTF-8",
             (unsigned)(unsigned char)s[bad], bad + 1);
        return 0;
    }
    /* Unknown sections are caught here, not only at their first key, so
     * that a misspelt but empty section is still reported. */
    size_t i = 0;
    if (p->line == 1 && body >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
        i = 3; /* inih skips a UTF-8 BOM */
    while (i < body && is_blank(s[i]))
        i++;
    if (i < body && s[i] == '[') {
        const char *close = memchr(s + i + 1, ']', body - i - 1);
        if (close && !section_known(s + i + 1, (size_t)(close - s - i - 1))) {
            char name[80];
            excerpt(name, sizeof name, s + i + 1, (size_t)(close - s - i - 1), 60);
            fail(p, CFG_EKEY, "unknown section [%s]; known sections: " SECTION_LIST, name);
            return 0;
        }
    }
    return 1;
}

/* inih's reader: one line per call, so p->line is inih's line number. */
static char *read_line(char *buf, int size, void *stream)
{
    struct parse *p = stream;
    if (p->code != CFG_OK || p->left == 0)
        return NULL; /* an error stops the parse: nothing after it matters */
    const char *nl = memchr(p->p, '\n', p->left);
    size_t len = nl ? (size_t)(nl - p->p) + 1 : p->left;
    const char *s = p->p;
    p->p += len;
    p->left -= len;
    p->line++;
    if (!line_ok(p, s, len))
        return NULL;
    if (size < 1 || len >= (size_t)size) {
        /* Only if inih's buffer were smaller than inih_setup asked for. */
        fail(p, CFG_ESYNTAX, "line is too long for the INI parser (%zu bytes)", len);
        return NULL;
    }
    memcpy(buf, s, len);
    buf[len] = '\0';
    return buf;
}

/* ---- values ------------------------------------------------------------ */

static const char *no_control(const char *v)
{
    for (const unsigned char *u = (const unsigned char *)v; *u; u++)
        if (*u < 0x20 || *u == 0x7F)
            return (const char *)u;
    return NULL;
}

static int set_string(struct parse *p, const struct keydef *k, const char *v)
{
    size_t len = strlen(v);
    if (len >= k->size) {
        fail(p, CFG_EVALUE, "[%s] %s is %zu bytes long; at most %zu bytes (UTF-8) are accepted", k->section,
             k->name, len, k->size - 1);
        return 0;
    }
    const char *ctl = no_control(v);
    if (ctl) {
        fail(p, CFG_EVALUE, "[%s] %s contains a control character (0x%02X)", k->section, k->name,
             (unsigned)(unsigned char)*ctl);
        return 0;
    }
    if (k->nonempty && len == 0) {
        fail(p, CFG_EVALUE, "[%s] %s is empty; it needs a value", k->section, k->name);
        return 0;
    }
    if (k->check) {
        const char *why = k->check(v);
        if (why) {
            char ex[80];
            excerpt(ex, sizeof ex, v, len, 40);
            fail(p, CFG_EVALUE, "[%s] %s = \"%s\" is not accepted; %s", k->section, k->name, ex, why);
            return 0;
        }
    }
    memcpy((char *)p->c + k->off, v, len + 1);
    return 1;
}

static void range_text(const struct keydef *k, char *out, size_t len)
{
    if (k->type == K_INT && k->zero_ok)
        snprintf(out, len, "0 (automatic) or %.0f..%.0f %s", k->min, k->max, k->unit);
    else if (k->type == K_INT)
        snprintf(out, len, "a whole number %.0f..%.0f %s", k->min, k->max, k->unit);
    else
        snprintf(out, len, "a number %g..%g %s", k->min, k->max, k->unit);
}

/* K_INT and K_REAL. Parsed by hand: strtol would also take "0x10", " 12"
 * or "+5", none of which a person editing the file means, and strtod
 * follows the locale's decimal point, while "21.5" must mean the same under
 * every LANG. */
static int set_number(struct parse *p, const struct keydef *k, const char *v)
{
    char range[96], ex[80];
    range_text(k, range, sizeof range);
    excerpt(ex, sizeof ex, v, strlen(v), 40);
    const char *s = v;
    int neg = k->type == K_INT && *s == '-';
    s += neg;
    double n = 0, scale = 1;
    int digits = 0;
    for (; *s >= '0' && *s <= '9'; s++, digits++)
        if (n < 1e9) /* already far out of every range: stop growing */
            n = n * 10 + (*s - '0');
    if (k->type == K_REAL && *s == '.')
        for (s++; *s >= '0' && *s <= '9'; s++, digits++)
            if (scale > 1e-9) {
                scale /= 10;
                n += (*s - '0') * scale;
            }
    if (digits == 0 || *s != '\0') {
        fail(p, CFG_EVALUE, "[%s] %s = \"%s\" is not %s; accepted: %s", k->section, k->name, ex,
             k->type == K_INT ? "a whole number" : "a number like 21.5", range);
        return 0;
    }
    if (neg)
        n = -n;
    if (!(k->zero_ok && n == 0) && (n < k->min || n > k->max)) {
        fail(p, CFG_EVALUE, "[%s] %s = %s is out of range; accepted: %s", k->section, k->name, ex, range);
        return 0;
    }
    if (k->type == K_INT) {
        int iv = (int)n; /* whole and within min..max: exact */
        memcpy((char *)p->c + k->off, &iv, sizeof iv);
    } else {
        memcpy((char *)p->c + k->off, &n, sizeof n);
    }
    return 1;
}

static int set_bool(struct parse *p, const struct keydef *k, const char *v)
{
    static const char *const yes[] = {"true", "yes", "1", "on"};
    static const char *const no[] = {"false", "no", "0", "off"};
    for (size_t i = 0; i < 4; i++) {
        if (strcasecmp(v, yes[i]) == 0 || strcasecmp(v, no[i]) == 0) {
            bool b = strcasecmp(v, yes[i]) == 0;
            memcpy((char *)p->c + k->off, &b, sizeof b);
            return 1;
        }
    }
    char ex[80];
    excerpt(ex, sizeof ex, v, strlen(v), 40);
    fail(p, CFG_EVALUE, "[%s] %s = \"%s\" is not a yes/no value; accepted: true/false, yes/no, on/off, 1/0",
         k->section, k->name, ex);
    return 0;
}

static int set_enum(struct parse *p, const struct keydef *k, const char *v)
{
    for (const struct enum_val *e = k->enums; e->name; e++) {
        if (strcasecmp(v, e->name) == 0) {
            memcpy((char *)p->c + k->off, &e->value, sizeof e->value);
            return 1;
        }
    }
    char accepted[128] = "";
    size_t used = 0;
    for (const struct enum_val *e = k->enums; e->name; e++) {
        int n = snprintf(accepted + used, sizeof accepted - used, "%s%s", used ? ", " : "", e->name);
        if (n < 0 || (size_t)n >= sizeof accepted - used)
            break;
        used += (size_t)n;
    }
    char ex[80];
    excerpt(ex, sizeof ex, v, strlen(v), 40);
    fail(p, CFG_EVALUE, "[%s] %s = \"%s\" is not accepted; accepted: %s", k->section, k->name, ex, accepted);
    return 0;
}

/* Copies S[0..LEN) with blanks trimmed into OUT (SIZE bytes with the NUL).
 * Returns 0 when it does not fit. */
static int trim_copy(char *out, size_t size, const char *s, size_t len)
{
    while (len > 0 && is_blank(*s))
        s++, len--;
    while (len > 0 && is_blank(s[len - 1]))
        len--;
    if (len >= size)
        return 0;
    memcpy(out, s, len);
    out[len] = '\0';
    return 1;
}

static int set_contact(struct parse *p, const struct keydef *k, const char *v)
{
    static const char *const fname[5] = {"name_zh", "name_en", "phone", "hours_zh", "hours_en"};
    if (p->c->n_contacts >= CFG_MAX_CONTACTS) {
        fail(p, CFG_EVALUE, "[contact] more than %d line entries; at most %d contacts are shown", CFG_MAX_CONTACTS,
             CFG_MAX_CONTACTS);
        return 0;
    }
    const char *ctl = no_control(v);
    if (ctl) {
        fail(p, CFG_EVALUE, "[contact] line contains a control character (0x%02X)", (unsigned)(unsigned char)*ctl);
        return 0;
    }
    cfg_contact ct;
    memset(&ct, 0, sizeof ct);
    char *field[5] = {ct.name_zh, ct.name_en, ct.phone, ct.hours_zh, ct.hours_en};
    size_t fsize[5] = {sizeof ct.name_zh, sizeof ct.name_en, sizeof ct.phone, sizeof ct.hours_zh,
                       sizeof ct.hours_en};
    int n = 0;
    const char *s = v;
    for (;;) {
        const char *bar = strchr(s, '|');
        size_t len = bar ? (size_t)(bar - s) : strlen(s);
        if (n < 5 && !trim_copy(field[n], fsize[n], s, len)) {
            fail(p, CFG_EVALUE, "[contact] line: field %d (%s) is too long; at most %zu bytes (UTF-8)", n + 1,
                 fname[n], fsize[n] - 1);
            return 0;
        }
        n++;
        if (!bar)
            break;
        s = bar + 1;
    }
    if (n < 3 || n > 5) {
        fail(p, CFG_EVALUE,
             "[contact] line has %d field%s; expected 3 to 5 separated by '|': "
             "name_zh | name_en | phone [| hours_zh [| hours_en]]",
             n, n == 1 ? "" : "s");
        return 0;
    }
    if (ct.name_zh[0] == '\0') {
        fail(p, CFG_EVALUE, "[contact] line: the first field (name_zh) is empty");
        return 0;
    }
    if (strpbrk(ct.phone, "0123456789") == NULL) {
        fail(p, CFG_EVALUE, "[contact] line: the third field (phone) \"%s\" has no digits", ct.phone);
        return 0;
    }
    (void)k;
    p->c->contacts[p->c->n_contacts++] = ct;
    return 1;
}

static int on_key(void *user, const char *section, const char *name, const char *value)
{
    struct parse *p = user;
    if (p->code != CFG_OK)
        return 0;
    if (*section == '\0') {
        fail(p, CFG_EKEY, "'%s' is outside any section; keys belong under " SECTION_LIST, name);
        return 0;
    }
    if (!section_known(section, strlen(section))) {
        /* line_ok reports these at the header; this catches names inih
         * cut short (it keeps 49 bytes of a section name). */
        fail(p, CFG_EKEY, "unknown section [%s]; known sections: " SECTION_LIST, section);
        return 0;
    }
    const struct keydef *k = NULL;
    for (size_t i = 0; i < NKEYS; i++)
        if (strcmp(keys[i].section, section) == 0 && strcmp(keys[i].name, name) == 0)
            k = &keys[i];
    if (!k) {
        char known[256] = "";
        size_t used = 0;
        for (size_t i = 0; i < NKEYS; i++) {
            if (strcmp(keys[i].section, section) != 0)
                continue;
            int n = snprintf(known + used, sizeof known - used, "%s%s", used ? ", " : "", keys[i].name);
            if (n < 0 || (size_t)n >= sizeof known - used)
                break;
            used += (size_t)n;
        }
        char ex[80];
        excerpt(ex, sizeof ex, name, strlen(name), 60);
        fail(p, CFG_EKEY, "unknown key '%s' in [%s]; known keys there: %s", ex, section, known);
        return 0;
    }
    size_t ki = (size_t)(k - keys);
    if (k->type != K_CONTACT && p->seen[ki]) {
        /* Two values for one key is a mistake either way; saying which line
         * wins would hide it. */
        fail(p, CFG_EKEY, "[%s] %s is set twice (first on line %d)", section, name, p->seen[ki]);
        return 0;
    }
    p->seen[ki] = p->line;
    switch (k->type) {
    case K_STR: return set_string(p, k, value);
    case K_INT:
    case K_REAL: return set_number(p, k, value);
    case K_BOOL: return set_bool(p, k, value);
    case K_ENUM: return set_enum(p, k, value);
    case K_CONTACT: return set_contact(p, k, value);
    }
    return 0;
}

static void inih_setup(void)
{
    ini_max_line = INIH_LINE;
    ini_allow_multiline = false;
    ini_stop_on_first_error = true;
}
static pthread_once_t inih_once = PTHREAD_ONCE_INIT;

/* The text of line N (1-based) of TEXT, for a syntax-error message. */
static void line_text(const char *text, size_t len, int n, const char **s, size_t *slen)
{
    const char *cur = text;
    const char *end = text + len;
    for (int i = 1; i < n && cur < end; i++) {
        const char *nl = memchr(cur, '\n', (size_t)(end - cur));
        cur = nl ? nl + 1 : end;
    }
    const char *nl = memchr(cur, '\n', (size_t)(end - cur));
    *s = cur;
    *slen = (size_t)((nl ? nl : end) - cur);
}

static cfg_err parse_text(const char *name, const char *text, size_t len, cfg *c, char *err, size_t errlen)
{
    pthread_once(&inih_once, inih_setup);
    struct parse *p = calloc(1, sizeof *p);
    if (!p) {
        cfg_defaults(c);
        put_err(err, errlen, name, 0, "out of memory");
        return CFG_ENOMEM;
    }
    cfg_defaults(c);
    p->c = c;
    p->p = text;
    p->left = len;
    int rc = ini_parse_stream(read_line, p, on_key, p);
    if (rc > 0 && (p->code == CFG_OK || rc < p->err_line)) {
        /* inih's own complaint: a line that is neither [section], key = value
         * nor a comment. Say which of those it looks like it tried to be. */
        const char *s;
        size_t slen;
        line_text(text, len, rc, &s, &slen);
        while (slen > 0 && is_blank(*s))
            s++, slen--;
        char ex[96];
        excerpt(ex, sizeof ex, s, slen, 60);
        p->code = CFG_OK;
        p->line = rc;
        if (slen > 0 && *s == '[')
            fail(p, CFG_ESYNTAX, "section header \"%s\" has no closing ']'", ex);
        else
            fail(p, CFG_ESYNTAX, "\"%s\" is not a [section], a key = value line or a ; or # comment", ex);
    } else if (rc == -2 && p->code == CFG_OK) {
        p->line = 0;
        fail(p, CFG_ENOMEM, "out of memory");
    }
    cfg_err code = p->code;
    if (code != CFG_OK) {
        put_err(err, errlen, name, p->err_line, p->msg);
        cfg_defaults(c);
    } else if (err && errlen > 0) {
        err[0] = '\0';
    }
    free(p);
    return code;
}

cfg_err cfg_load_string(const char *name, const char *text, cfg *c, char *err, size_t errlen)
{
    return parse_text(name ? name : "(string)", text ? text : "", text ? strlen(text) : 0, c, err, errlen);
}

/* Reads PATH whole into OUT. A missing file with MISSING_OK gives an empty
 * buffer and *EXISTS = 0. */
static cfg_err read_file(const char *path, kbuf *out, int missing_ok, struct stat *st, int *exists, char *err,
                         size_t errlen)
{
    int rc = kbuf_read_file(path, CFG_MAX_FILE, out, st);
    if (exists)
        *exists = rc == 0;
    if (rc == ENOENT && missing_ok)
        rc = kbuf_add(out, "", 0) ? 0 : ENOMEM;
    if (rc == 0)
        return CFG_OK;
    char why[MSG_LEN];
    put_err(err, errlen, path, 0, kbuf_read_strerror(rc, CFG_MAX_FILE, why, sizeof why));
    return rc == ENOMEM ? CFG_ENOMEM : CFG_EIO;
}

cfg_err cfg_load(const char *path, cfg *c, char *err, size_t errlen)
{
    cfg_defaults(c);
    if (!path) {
        put_err(err, errlen, "(null)", 0, "no config file given");
        return CFG_EIO;
    }
    kbuf text = {0};
    cfg_err e = read_file(path, &text, 0, NULL, NULL, err, errlen);
    if (e != CFG_OK)
        return e;
    /* The whole length, not strlen: a NUL inside is reported by line_ok. */
    e = parse_text(path, text.p, text.len, c, err, errlen);
    kbuf_free(&text);
    return e;
}

/* ---- cfg_set_key ------------------------------------------------------- */

static int is_ident(const char *s)
{
    if (!s || !*s || strlen(s) > 48)
        return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || *s == '_' ||
              *s == '-' || *s == '.'))
            return 0;
    return 1;
}

/* Where a line's parts are, following inih's rules (see find_chars_or_comment
 * in inih): a ';' starts an inline comment only after white space. */
struct iniline {
    int kind;               /* 0 blank/comment, 1 section, 2 key */
    const char *name;       /* section or key name */
    size_t name_len;
    const char *comment;    /* inline comment of a key line, or NULL */
    size_t comment_len;
};

static void classify(const char *s, size_t len, int first, struct iniline *l)
{
    memset(l, 0, sizeof *l);
    size_t i = 0;
    if (first && len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
        i = 3;
    while (len > 0 && (s[len - 1] == '\n' || is_blank(s[len - 1])))
        len--;
    while (i < len && is_blank(s[i]))
        i++;
    if (i >= len || s[i] == ';' || s[i] == '#')
        return;
    if (s[i] == '[') {
        const char *close = memchr(s + i + 1, ']', len - i - 1);
        if (close) {
            l->kind = 1;
            l->name = s + i + 1;
            l->name_len = (size_t)(close - s - i - 1);
        }
        return;
    }
    size_t j = i;
    int was_space = 0;
    while (j < len && s[j] != '=' && s[j] != ':' && !(was_space && s[j] == ';')) {
        was_space = is_blank(s[j]);
        j++;
    }
    if (j >= len || s[j] == ';')
        return;
    size_t ne = j;
    while (ne > i && is_blank(s[ne - 1]))
        ne--;
    l->kind = 2;
    l->name = s + i;
    l->name_len = ne - i;
    was_space = 0;
    for (size_t k = j + 1; k < len; k++) {
        if (was_space && s[k] == ';') {
            l->comment = s + k;
            l->comment_len = len - k;
            break;
        }
        was_space = is_blank(s[k]);
    }
}

static int name_is(const struct iniline *l, const char *name)
{
    return l->name_len == strlen(name) && memcmp(l->name, name, l->name_len) == 0;
}

/* Builds the new text: TEXT with `key = value` replaced or added. */
static void rewrite(const char *text, size_t len, const char *section, const char *key, const char *value,
                    kbuf *out)
{
    const char *eol = "\n";
    const char *nl0 = memchr(text, '\n', len);
    if (nl0 && nl0 > text && nl0[-1] == '\r')
        eol = "\r\n"; /* keep a Windows-edited file consistent */

    /* Pass 1: find the key's line in the (first) matching section, or the
     * end of that section's last key line as the place to add it. */
    const char *hit = NULL, *hit_end = NULL, *insert_at = NULL;
    int in_target = 0, seen_target = 0, first = 1;
    struct iniline hl;
    memset(&hl, 0, sizeof hl);
    for (const char *s = text; s < text + len;) {
        const char *nl = memchr(s, '\n', (size_t)(text + len - s));
        const char *e = nl ? nl + 1 : text + len;
        struct iniline l;
        classify(s, (size_t)(e - s), first, &l);
        first = 0;
        if (l.kind == 1) {
            in_target = !seen_target && name_is(&l, section);
            if (in_target) {
                seen_target = 1;
                insert_at = e;
            }
        } else if (l.kind == 2 && in_target) {
            insert_at = e;
            if (!hit && name_is(&l, key)) {
                hit = s;
                hit_end = e;
                hl = l;
            }
        }
        s = e;
    }

    if (hit) {
        kbuf_add(out, text, (size_t)(hit - text));
        size_t indent = (size_t)(hl.name - hit);
        kbuf_add(out, hit, indent); /* the line's own indentation */
        kbuf_str(out, key);
        kbuf_str(out, " = ");
        kbuf_str(out, value);
        if (hl.comment) {
            kbuf_str(out, " ");
            kbuf_add(out, hl.comment, hl.comment_len);
        }
        if (hit_end > hit && hit_end[-1] == '\n')
            kbuf_str(out, eol);
        kbuf_add(out, hit_end, (size_t)(text + len - hit_end));
        return;
    }
    if (insert_at) {
        kbuf_add(out, text, (size_t)(insert_at - text));
        if (insert_at > text && insert_at[-1] != '\n')
            kbuf_str(out, eol); /* the section's last line ended the file */
        kbuf_str(out, key);
        kbuf_str(out, " = ");
        kbuf_str(out, value);
        kbuf_str(out, eol);
        kbuf_add(out, insert_at, (size_t)(text + len - insert_at));
        return;
    }
    kbuf_add(out, text, len);
    if (len > 0) {
        if (text[len - 1] != '\n')
            kbuf_str(out, eol);
        kbuf_str(out, eol);
    }
    kbuf_str(out, "[");
    kbuf_str(out, section);
    kbuf_str(out, "]");
    kbuf_str(out, eol);
    kbuf_str(out, key);
    kbuf_str(out, " = ");
    kbuf_str(out, value);
    kbuf_str(out, eol);
}

static cfg_err write_atomic(const char *path, const char *data, size_t len, mode_t mode, const struct stat *old,
                            char *err, size_t errlen)
{
    char tmp[PATH_MAX + 32];
    char msg[MSG_LEN];
    int n = snprintf(tmp, sizeof tmp, "%s.tmp.XXXXXX", path);
    if (n < 0 || (size_t)n >= sizeof tmp) {
        put_err(err, errlen, path, 0, "path is too long");
        return CFG_EIO;
    }
    /* The temp file sits next to the target so that rename() is atomic
     * (same file system). */
    int fd = mkstemp(tmp);
    if (fd < 0) {
        snprintf(msg, sizeof msg, "cannot create a temporary file next to it: %s", strerror(errno));
        put_err(err, errlen, path, 0, msg);
        return CFG_EIO;
    }
    const char *what = NULL;
    int saved = 0;
    if (fchmod(fd, mode) != 0) {
        what = "cannot set the mode of the temporary file";
        saved = errno;
    }
    if (!what && old && fchown(fd, old->st_uid, old->st_gid) != 0) {
        /* Not the owner (not root): the file becomes ours, as any editor
         * would leave it. */
    }
    for (size_t off = 0; !what && off < len;) {
        ssize_t w = write(fd, data + off, len - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            what = "cannot write";
            saved = errno;
            break;
        }
        off += (size_t)w;
    }
    if (!what && fsync(fd) != 0) {
        what = "cannot fsync";
        saved = errno;
    }
    if (close(fd) != 0 && !what) {
        what = "cannot close";
        saved = errno;
    }
    if (!what && rename(tmp, path) != 0) {
        what = "cannot rename the temporary file over it";
        saved = errno;
    }
    if (what) {
        unlink(tmp);
        snprintf(msg, sizeof msg, "%s: %s", what, strerror(saved));
        put_err(err, errlen, path, 0, msg);
        return CFG_EIO;
    }
    /* The rename is durable only once the directory is on disk too. */
    char dir[PATH_MAX];
    const char *slash = strrchr(path, '/');
    if (slash == path)
        snprintf(dir, sizeof dir, "/");
    else if (slash)
        snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), path);
    else
        snprintf(dir, sizeof dir, ".");
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        if (fsync(dfd) != 0) {
            /* Some file systems refuse fsync on a directory; the data is
             * written and renamed, which is the best they offer. */
        }
        close(dfd);
    }
    return CFG_OK;
}

cfg_err cfg_set_key(const char *path, const char *section, const char *key, const char *value, char *err,
                    size_t errlen)
{
    const char *name = path ? path : "(null)";
    if (!path || !*path) {
        put_err(err, errlen, name, 0, "no config file given");
        return CFG_EIO;
    }
    if (!is_ident(section) || !is_ident(key)) {
        put_err(err, errlen, name, 0, "section and key must be names of letters, digits, '_', '-' or '.'");
        return CFG_EKEY;
    }
    if (!value) {
        put_err(err, errlen, name, 0, "no value given");
        return CFG_EVALUE;
    }
    /* The value must read back exactly as given: inih trims it and cuts it
     * at " ;", and a newline would start another line. */
    size_t vlen = strlen(value);
    if (no_control(value) || (vlen > 0 && (is_blank(value[0]) || is_blank(value[vlen - 1]))) ||
        strstr(value, " ;") || strstr(value, "\t;")) {
        put_err(err, errlen, name, 0,
                "the value has a control character, leading or trailing blanks, or \" ;\" (which starts a comment)");
        return CFG_EVALUE;
    }
    if (!utf8_valid(value, vlen, NULL)) {
        put_err(err, errlen, name, 0, "the value is not valid UTF-8");
        return CFG_EVALUE;
    }

    /* Write through a symlink to its target rather than replacing the link
     * with a plain file. */
    char target[PATH_MAX];
    struct stat lst;
    if (lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode)) {
        if (!realpath(path, target)) {
            char msg[MSG_LEN];
            snprintf(msg, sizeof msg, "cannot resolve the symlink: %s", strerror(errno));
            put_err(err, errlen, path, 0, msg);
            return CFG_EIO;
        }
    } else {
        int n = snprintf(target, sizeof target, "%s", path);
        if (n < 0 || (size_t)n >= sizeof target) {
            put_err(err, errlen, path, 0, "path is too long");
            return CFG_EIO;
        }
    }

    kbuf text = {0};
    struct stat old;
    memset(&old, 0, sizeof old);
    int exists;
    cfg_err e = read_file(target, &text, 1, &old, &exists, err, errlen);
    if (e != CFG_OK)
        return e;
    kbuf out = {0};
    rewrite(text.p, text.len, section, key, value, &out);
    kbuf_free(&text);
    if (out.oom) {
        kbuf_free(&out);
        put_err(err, errlen, path, 0, "out of memory");
        return CFG_ENOMEM;
    }

    /* Never write a file the kiosk would refuse to start with: check the
     * result with the loader first (this also rejects unknown keys and
     * out-of-range values, so a typo in kioskctl cannot break the kiosk). */
    cfg *check = malloc(sizeof *check);
    if (!check) {
        kbuf_free(&out);
        put_err(err, errlen, path, 0, "out of memory");
        return CFG_ENOMEM;
    }
    char why[MSG_LEN];
    e = parse_text(path, out.p, out.len, check, why, sizeof why);
    free(check);
    if (e != CFG_OK) {
        if (err && errlen > 0)
            snprintf(err, errlen, "%s (file left unchanged)", why);
        kbuf_free(&out);
        return e;
    }
    /* A new file gets the usual mode; an existing one keeps its own. */
    mode_t mode = exists ? (old.st_mode & 07777) : 0644;
    e = write_atomic(target, out.p, out.len, mode, exists ? &old : NULL, err, errlen);
    kbuf_free(&out);
    if (e == CFG_OK && err && errlen > 0)
        err[0] = '\0';
    return e;
}
