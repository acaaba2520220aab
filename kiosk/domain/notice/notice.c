/* notice.c - the notice file parser; see notice.h and docs/notices.md.
 *
 * One pass over the lines. Every string the notice keeps is copied into one
 * block allocated up front: the strings are never longer than the file, so
 * sizeof(notice) + len + a few NULs is enough, and a notice is one malloc and
 * one free however many paragraphs it has.
 *
 * The rules are strict for the same reason the config's are: a kiosk nobody
 * watches must not guess. A misspelt key, an impossible date or a file saved
 * in GBK is an error with its line, which the admin screen and
 * `kioskctl notice check` show, rather than a notice shown wrong.
 */
#include "notice.h"
#include "notice_int.h"

#include "utf8.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#define MSG_LEN 400

enum key {
    K_TITLE, K_TITLE_EN, K_PUBLISHED, K_VALID_UNTIL, K_CATEGORY,
    K_PINNED, K_URGENT, K_OFFICE, K_OFFICE_EN, K_IMAGE, NKEYS,
};

/* Each key has an English name and a Chinese one; a clerk may use either. */
static const struct {
    const char *en, *zh;
} keynames[NKEYS] = {
    [K_TITLE] = {"title", "标题"},
    [K_TITLE_EN] = {"title_en", "英文标题"},
    [K_PUBLISHED] = {"published", "发布日期"},
    [K_VALID_UNTIL] = {"valid_until", "有效期至"},
    [K_CATEGORY] = {"category", "类别"},
    [K_PINNED] = {"pinned", "置顶"},
    [K_URGENT] = {"urgent", "紧急"},
    [K_OFFICE] = {"office", "发布单位"},
    [K_OFFICE_EN] = {"office_en", "英文发布单位"},
    [K_IMAGE] = {"image", "图片"},
};

static const struct {
    const char *key, *zh, *label;
} cats[NOTICE_CAT_COUNT] = {
    [NOTICE_CAT_EPIDEMIC] = {"epidemic", "防疫", N_("Epidemic control")},
    [NOTICE_CAT_SUPPLIES] = {"supplies", "物资", N_("Supplies")},
    [NOTICE_CAT_VOLUNTEERS] = {"volunteers", "志愿者", N_("Volunteers")},
    [NOTICE_CAT_DAILY] = {"daily", "生活", N_("Daily life")},
};

const char *notice_cat_key(notice_cat c) { return (unsigned)c < NOTICE_CAT_COUNT ? cats[c].key : NULL; }
const char *notice_cat_label(notice_cat c) { return (unsigned)c < NOTICE_CAT_COUNT ? cats[c].label : NULL; }

const char *notice_strerror(notice_err e)
{
    switch (e) {
    case NOTICE_OK: return "ok";
    case NOTICE_EIO: return "cannot read the notice file";
    case NOTICE_ESYNTAX: return "the notice file is not laid out as a notice";
    case NOTICE_EKEY: return "unknown, repeated or missing key in the notice header";
    case NOTICE_EVALUE: return "bad value in the notice header";
    case NOTICE_EENCODING: return "the notice file is not UTF-8 text";
    case NOTICE_ETOOBIG: return "the notice file is too large";
    case NOTICE_ENOMEM: return "out of memory";
    }
    return "unknown notice error";
}

/* ---------------------------------------------------------------- helpers */

static bool is_blank(char c) { return c == ' ' || c == '\t'; }

static void trim(const char **s, size_t *n)
{
    while (*n > 0 && is_blank(**s))
        (*s)++, (*n)--;
    while (*n > 0 && is_blank((*s)[*n - 1]))
        (*n)--;
}

/* At most MAX bytes of S for quoting in a message, cut on a character
 * boundary so that the message stays valid UTF-8. */
static void excerpt(char *out, size_t outlen, const char *s, size_t len, size_t max)
{
    size_t n = 0;
    while (n < len) {
        uint32_t cp;
        size_t k = utf8_next(s + n, len - n, &cp);
        if (n + k > max)
            break;
        n += k;
    }
    snprintf(out, outlen, "%.*s%s", (int)n, s, n < len ? "..." : "");
}

static bool word_is(const char *s, size_t n, const char *w)
{
    return strlen(w) == n && strncasecmp(s, w, n) == 0;
}

bool notice_png_size(const unsigned char *h, size_t len, int *w, int *hh)
{
    static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    if (len < 24 || memcmp(h, sig, 8) != 0 || memcmp(h + 12, "IHDR", 4) != 0)
        return false;
    uint32_t W = (uint32_t)h[16] << 24 | (uint32_t)h[17] << 16 | (uint32_t)h[18] << 8 | h[19];
    uint32_t H = (uint32_t)h[20] << 24 | (uint32_t)h[21] << 16 | (uint32_t)h[22] << 8 | h[23];
    if (W == 0 || H == 0 || W > 16384 || H > 16384) /* beyond any panel: a broken file */
        return false;
    *w = (int)W, *hh = (int)H;
    return true;
}

static int days_in(int y, int m)
{
    static const int d[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : d[m - 1];
}

/* N digits at *p into *v; advances *p. */
static bool digits(const char **p, int n, int *v)
{
    *v = 0;
    for (int i = 0; i < n; i++, (*p)++) {
        if (**p < '0' || **p > '9')
            return false;
        *v = *v * 10 + (**p - '0');
    }
    return true;
}

bool notice_parse_date(const char *s, bool end_of_day, time_t *out)
{
    int y, mo, d, hh = 0, mi = 0;
    const char *p = s;
    if (!digits(&p, 4, &y) || *p++ != '-' || !digits(&p, 2, &mo) || *p++ != '-' || !digits(&p, 2, &d))
        return false;
    bool has_time = false;
    if (*p == ' ' || *p == 'T') {
        while (*p == ' ')
            p++;
        if (*p == 'T')
            p++;
        if (!digits(&p, 2, &hh) || *p++ != ':' || !digits(&p, 2, &mi))
            return false;
        has_time = true;
    }
    /* 2000..2099: a typo like 2062 for 2026 is still accepted, 206 or 20266 are not. */
    if (*p || y < 2000 || y > 2099 || mo < 1 || mo > 12 || d < 1 || d > days_in(y, mo) || hh > 23 || mi > 59)
        return false;
    struct tm tm = {.tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d, .tm_hour = hh, .tm_min = mi,
                    .tm_isdst = -1};
    if (end_of_day && !has_time)
        tm.tm_mday++; /* "valid until 12-31" means through the whole of that day */
    time_t t = mktime(&tm);
    if (t == (time_t)-1)
        return false;
    *out = t;
    return true;
}

static bool parse_bool(const char *s, size_t n, bool *out)
{
    static const char *const yes[] = {"yes", "true", "on", "1", "是"};
    static const char *const no[] = {"no", "false", "off", "0", "否"};
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++) {
        if (word_is(s, n, yes[i]))
            return *out = true, true;
        if (word_is(s, n, no[i]))
            return *out = false, true;
    }
    return false;
}

static bool image_name_ok(const char *s, size_t n)
{
    if (n < 5 || n > 100 || s[0] == '.' || strncasecmp(s + n - 4, ".png", 4) != 0)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
              c == '.'))
            return false;
    }
    return true;
}

/* ---------------------------------------------------------------- parser */

typedef struct parse {
    const char *name;
    int line;
    notice_err code;
    char msg[MSG_LEN];
    notice *n;
    char *w, *end;          /* write position in the notice's block */
    int seen[NKEYS];        /* line each key was set on */
    const char *val[NKEYS]; /* raw values (trimmed), in the input */
    size_t vlen[NKEYS];
} parse;

static notice_err fail(parse *p, notice_err code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static notice_err fail(parse *p, notice_err code, const char *fmt, ...)
{
    if (p->code != NOTICE_OK)
        return p->code;
    p->code = code;
    char m[MSG_LEN];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(m, sizeof m, fmt, ap);
    va_end(ap);
    snprintf(p->msg, sizeof p->msg, "%s:%d: %s", p->name, p->line, m);
    return code;
}

/* Copies S[0..N) into the block, NUL-terminated. The block was sized for
 * the whole file plus every NUL, so this cannot run out. */
static const char *put(parse *p, const char *s, size_t n)
{
    char *at = p->w;
    if (n > (size_t)(p->end - p->w) - 1)
        n = (size_t)(p->end - p->w) - 1; /* unreachable by construction; stays in bounds anyway */
    memcpy(at, s, n);
    at[n] = '\0';
    p->w += n + 1;
    return at;
}

/* A raw line must be UTF-8 text: no NUL, no control characters but tab. */
static notice_err check_line(parse *p, const char *s, size_t n)
{
    const char *nul = memchr(s, '\0', n);
    if (nul)
        return fail(p, NOTICE_EENCODING, "NUL byte at column %zu: this is not a text file", (size_t)(nul - s) + 1);
    size_t bad;
    if (!utf8_valid(s, n, &bad))
        return fail(p, NOTICE_EENCODING,
                    "invalid UTF-8 (byte 0x%02X at column %zu): save the file as UTF-8 (not GBK)",
                    (unsigned)(unsigned char)s[bad], bad + 1);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c < 0x20 && c != '\t') || c == 0x7F)
            return fail(p, NOTICE_EENCODING, "control character 0x%02X at column %zu: this is not a text file",
                        c, i + 1);
    }
    return NOTICE_OK;
}

/* Splits "key: value" (ASCII ':' or full-width '：', which a Chinese input
 * method types) and records the value. */
static notice_err header_line(parse *p, const char *s, size_t n)
{
    const char *colon = memchr(s, ':', n);
    const char *wide = NULL;
    for (size_t i = 0; i + 3 <= n; i++)
        if (memcmp(s + i, "\xEF\xBC\x9A", 3) == 0) {
            wide = s + i;
            break;
        }
    size_t seplen = 1;
    if (wide && (!colon || wide < colon))
        colon = wide, seplen = 3;
    char ex[96];
    if (!colon) {
        excerpt(ex, sizeof ex, s, n, 60);
        return fail(p, NOTICE_ESYNTAX,
                    "\"%s\" is not a \"key: value\" line; the header ends at the first empty line, "
                    "and the text comes after it",
                    ex);
    }
    const char *k = s;
    size_t kn = (size_t)(colon - s);
    const char *v = colon + seplen;
    size_t vn = n - kn - seplen;
    trim(&k, &kn);
    trim(&v, &vn);
    int key = -1;
    for (int i = 0; i < NKEYS && key < 0; i++)
        if (word_is(k, kn, keynames[i].en) || (kn == strlen(keynames[i].zh) && !memcmp(k, keynames[i].zh, kn)))
            key = i;
    if (key < 0) {
        excerpt(ex, sizeof ex, k, kn, 40);
        return fail(p, NOTICE_EKEY,
                    "unknown key '%s'; known keys: title, title_en, published, valid_until, category, pinned, "
                    "urgent, office, office_en, image (or 标题, 英文标题, 发布日期, 有效期至, 类别, 置顶, 紧急, "
                    "发布单位, 英文发布单位, 图片)",
                    ex);
    }
    if (p->seen[key])
        return fail(p, NOTICE_EKEY, "%s is set twice (first on line %d)", keynames[key].en, p->seen[key]);
    p->seen[key] = p->line;
    p->val[key] = v;
    p->vlen[key] = vn;

    excerpt(ex, sizeof ex, v, vn, 40);
    size_t max = key == K_TITLE || key == K_TITLE_EN ? NOTICE_MAX_TITLE : NOTICE_MAX_OFFICE;
    switch (key) {
    case K_TITLE:
    case K_TITLE_EN:
    case K_OFFICE:
    case K_OFFICE_EN:
        if (vn == 0 && key == K_TITLE)
            return fail(p, NOTICE_EVALUE, "the title is empty");
        if (vn > max)
            return fail(p, NOTICE_EVALUE, "%s is %zu bytes long; at most %zu bytes are accepted", keynames[key].en,
                        vn, max);
        break;
    case K_PUBLISHED:
    case K_VALID_UNTIL: {
        char buf[40];
        time_t t;
        bool ok = vn < sizeof buf;
        if (ok) {
            memcpy(buf, v, vn);
            buf[vn] = '\0';
            ok = notice_parse_date(buf, key == K_VALID_UNTIL, &t);
        }
        if (!ok)
            return fail(p, NOTICE_EVALUE,
                        "%s = \"%s\" is not a date; write YYYY-MM-DD or YYYY-MM-DD HH:MM, "
                        "e.g. 2026-11-28 or 2026-11-28 08:00",
                        keynames[key].en, ex);
        if (key == K_PUBLISHED)
            p->n->published = t;
        else
            p->n->valid_until = t;
        break;
    }
    case K_CATEGORY: {
        int c = -1;
        for (int i = 0; i < NOTICE_CAT_COUNT && c < 0; i++)
            if (word_is(v, vn, cats[i].key) || (vn == strlen(cats[i].zh) && !memcmp(v, cats[i].zh, vn)))
                c = i;
        if (c < 0)
            return fail(p, NOTICE_EVALUE,
                        "category = \"%s\" is not known; accepted: epidemic (防疫), supplies (物资), "
                        "volunteers (志愿者), daily (生活)",
                        ex);
        p->n->cat = (notice_cat)c;
        break;
    }
    case K_PINNED:
    case K_URGENT: {
        bool b;
        if (!parse_bool(v, vn, &b))
            return fail(p, NOTICE_EVALUE, "%s = \"%s\" is not a yes/no value; accepted: yes/no (是/否), true/false",
                        keynames[key].en, ex);
        if (key == K_PINNED)
            p->n->pinned = b;
        else
            p->n->urgent = b;
        break;
    }
    case K_IMAGE:
        if (vn > 0 && !image_name_ok(v, vn))
            return fail(p, NOTICE_EVALUE,
                        "image = \"%s\" must be the name of a .png file in the same folder "
                        "(letters, digits, '-', '_' and '.', no folders)",
                        ex);
        p->n->image_line = p->line;
        break;
    }
    return NOTICE_OK;
}

/* "--- English ---" (or "--- 英文 ---"): where the English text starts. */
static bool english_marker(const char *s, size_t n)
{
    trim(&s, &n);
    if (n < 7 || strncmp(s, "---", 3) != 0 || strncmp(s + n - 3, "---", 3) != 0)
        return false;
    const char *m = s + 3;
    size_t mn = n - 6;
    while (mn > 0 && *m == '-')
        m++, mn--;
    while (mn > 0 && m[mn - 1] == '-')
        mn--;
    trim(&m, &mn);
    return word_is(m, mn, "english") || (mn == strlen("英文") && !memcmp(m, "英文", mn));
}

static void set_id(notice *n, const char *name)
{
    const char *base = strrchr(name, '/');
    base = base ? base + 1 : name;
    size_t len = strlen(base);
    if (len > 4 && strcasecmp(base + len - 4, ".txt") == 0)
        len -= 4;
    size_t k = 0; /* cut on a character boundary */
    while (k < len) {
        uint32_t cp;
        size_t step = utf8_next(base + k, len - k, &cp);
        if (k + step >= sizeof n->id)
            break;
        k += step;
    }
    memcpy(n->id, base, k);
    n->id[k] = '\0';
}

notice_err notice_parse(const char *name, const char *text, size_t len, notice **out, char *err, size_t errlen)
{
    *out = NULL;
    if (!name)
        name = "(notice)";
    if (err && errlen)
        err[0] = '\0';
    parse p = {.name = name};
    if (len > NOTICE_MAX_FILE) {
        fail(&p, NOTICE_ETOOBIG, "the file is %zu bytes; a notice may have at most %d bytes", len, NOTICE_MAX_FILE);
        goto done;
    }
    /* Every kept string is a copy of part of one line, each with one NUL or
     * '\n' after it: the file's length plus one NUL per string bounds it. */
    size_t cap = len + 16;
    p.n = calloc(1, sizeof *p.n + cap);
    if (!p.n) {
        fail(&p, NOTICE_ENOMEM, "out of memory");
        goto done;
    }
    p.w = (char *)(p.n + 1);
    p.end = p.w + cap;
    p.n->cat = NOTICE_CAT_DAILY;
    set_id(p.n, name);

    const char *s = text, *e = text + len;
    if (len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
        s += 3; /* Windows Notepad's byte-order mark */
    bool in_header = true, any_key = false;
    int lang = I18N_ZH, marker_line = 0, header_end = 0;
    char *body_start[I18N_NLANG] = {NULL, NULL};
    while (s < e && p.code == NOTICE_OK) {
        const char *nl = memchr(s, '\n', (size_t)(e - s));
        size_t n = (size_t)((nl ? nl : e) - s);
        const char *line = s;
        s = nl ? nl + 1 : e;
        p.line++;
        if (n > 0 && line[n - 1] == '\r')
            n--; /* CRLF */
        if (check_line(&p, line, n) != NOTICE_OK)
            break;
        const char *t = line;
        size_t tn = n;
        trim(&t, &tn);
        if (in_header) {
            if (tn == 0) {
                if (any_key) { /* the empty line after the header */
                    in_header = false;
                    header_end = p.line;
                }
                continue;
            }
            if (t[0] == '#')
                continue;
            header_line(&p, t, tn);
            any_key = true;
            continue;
        }
        if (english_marker(t, tn)) {
            if (lang == I18N_EN)
                fail(&p, NOTICE_ESYNTAX, "a second \"--- English ---\" line (the first is on line %d)", marker_line);
            lang = I18N_EN;
            marker_line = p.line;
            continue;
        }
        if (tn == 0)
            continue; /* blank lines only separate paragraphs; the screen spaces them */
        if (tn > NOTICE_MAX_PARA) {
            fail(&p, NOTICE_ETOOBIG, "this paragraph is %zu bytes long; at most %d bytes are accepted "
                 "(start a new line now and then)", tn, NOTICE_MAX_PARA);
            break;
        }
        /* Paragraphs of one language are contiguous: "para\npara\n...". */
        if (!body_start[lang])
            body_start[lang] = p.w;
        else
            p.w[-1] = '\n'; /* the previous paragraph's NUL becomes the separator */
        put(&p, t, tn);
    }
    if (p.code != NOTICE_OK)
        goto done;
    if (!header_end)
        header_end = p.line > 0 ? p.line : 1;
    p.line = header_end;
    if (!any_key) {
        fail(&p, NOTICE_ESYNTAX, "the file is empty: a notice needs a header (title, published) and its text");
        goto done;
    }
    if (!p.seen[K_TITLE]) {
        fail(&p, NOTICE_EKEY, "no title: add a line \"title: ...\" (or \"标题：...\") to the header");
        goto done;
    }
    if (!p.seen[K_PUBLISHED]) {
        fail(&p, NOTICE_EKEY, "no publication date: add a line \"published: YYYY-MM-DD\" (or \"发布日期：...\")");
        goto done;
    }
    if (p.seen[K_VALID_UNTIL] && p.n->valid_until <= p.n->published) {
        p.line = p.seen[K_VALID_UNTIL];
        fail(&p, NOTICE_EVALUE, "valid_until is not after published: the notice would never be shown");
        goto done;
    }
    if (!body_start[I18N_ZH]) {
        p.line = marker_line ? marker_line : header_end;
        fail(&p, NOTICE_ESYNTAX,
             in_header ? "the notice has no text: leave one empty line after the header, then write the text"
                       : "the notice has no Chinese text: write it after the header and before \"--- English ---\"");
        goto done;
    }
    if (marker_line && !body_start[I18N_EN]) {
        p.line = marker_line;
        fail(&p, NOTICE_ESYNTAX, "\"--- English ---\" is not followed by any English text");
        goto done;
    }

    notice *nt = p.n;
    static const int str_keys[] = {K_TITLE, K_TITLE_EN, K_OFFICE, K_OFFICE_EN, K_IMAGE};
    const char **dst[] = {&nt->title[I18N_ZH], &nt->title[I18N_EN], &nt->office[I18N_ZH], &nt->office[I18N_EN],
                          &nt->image};
    for (size_t i = 0; i < sizeof str_keys / sizeof str_keys[0]; i++) {
        int k = str_keys[i];
        *dst[i] = put(&p, p.seen[k] ? p.val[k] : "", p.seen[k] ? p.vlen[k] : 0);
    }
    for (int l = 0; l < I18N_NLANG; l++)
        nt->body[l] = body_start[l] ? body_start[l] : put(&p, "", 0);

done:
    if (p.code != NOTICE_OK) {
        free(p.n);
        if (err && errlen)
            snprintf(err, errlen, "%s", p.msg);
        return p.code;
    }
    *out = p.n;
    return NOTICE_OK;
}

notice_err notice_load(const char *path, notice **out, char *err, size_t errlen)
{
    return notice_load_named(path, path, out, err, errlen);
}

notice_err notice_read_file(const char *path, const char *name, char **buf, size_t *len, char *err, size_t errlen)
{
    *buf = NULL;
    *len = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    const char *why = NULL;
    notice_err code = NOTICE_EIO;
    if (fd < 0)
        why = strerror(errno);
    else if (fstat(fd, &st) != 0)
        why = strerror(errno);
    else if (!S_ISREG(st.st_mode))
        why = "not a regular file";
    else if (st.st_size > NOTICE_MAX_FILE)
        why = "larger than 64 KiB, the most a notice may have", code = NOTICE_ETOOBIG;
    if (why) {
        if (fd >= 0)
            close(fd);
        if (err && errlen)
            snprintf(err, errlen, "%s:0: %s", name, why);
        return code;
    }
    /* Read to the end rather than st_size bytes: the file may grow while a
     * clerk saves it, and the limit must hold either way. */
    char *b = malloc(NOTICE_MAX_FILE + 1);
    size_t n = 0;
    bool bad = b == NULL;
    while (!bad) {
        ssize_t r = read(fd, b + n, NOTICE_MAX_FILE + 1 - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0) {
            bad = r < 0;
            break;
        }
        n += (size_t)r;
        if (n > NOTICE_MAX_FILE)
            break;
    }
    int saved = errno;
    close(fd);
    if (bad) {
        if (err && errlen)
            snprintf(err, errlen, "%s:0: %s", name, b ? strerror(saved) : "out of memory");
        free(b);
        return b ? NOTICE_EIO : NOTICE_ENOMEM;
    }
    *buf = b;
    *len = n;
    return NOTICE_OK;
}

notice_err notice_load_named(const char *path, const char *name, notice **out, char *err, size_t errlen)
{
    *out = NULL;
    char *buf;
    size_t n;
    notice_err e = notice_read_file(path, name, &buf, &n, err, errlen);
    if (e != NOTICE_OK)
        return e;
    e = notice_parse(name, buf, n, out, err, errlen);
    free(buf);
    return e;
}

void notice_free(notice *n) { free(n); }

static const char *pick(const char *const *v, i18n_lang lang)
{
    if ((unsigned)lang < I18N_NLANG && v[lang] && v[lang][0])
        return v[lang];
    return v[I18N_ZH] ? v[I18N_ZH] : "";
}

const char *notice_title(const notice *n, i18n_lang lang) { return pick(n->title, lang); }
const char *notice_body(const notice *n, i18n_lang lang) { return pick(n->body, lang); }
const char *notice_office(const notice *n, i18n_lang lang) { return pick(n->office, lang); }

notice_state notice_state_at(const notice *n, time_t wall)
{
    if (wall < n->published)
        return NOTICE_SCHEDULED;
    if (n->valid_until && wall >= n->valid_until)
        return NOTICE_EXPIRED;
    return NOTICE_SHOWN;
}

void notice_resolve_dir(const char *cfg_dir, const char *assets, const char *root, char *out, size_t len)
{
    if (cfg_dir && cfg_dir[0] == '/')
        snprintf(out, len, "%s", cfg_dir);
    else if (cfg_dir && cfg_dir[0])
        snprintf(out, len, "%s/%s", root, cfg_dir);
    else if (assets && assets[0])
        snprintf(out, len, "%s/demo/notices", assets);
    else
        snprintf(out, len, "%s/assets/demo/notices", root);
}
