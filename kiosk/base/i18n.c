/* i18n.c - see i18n.h.
 *
 * The .po file is read once at start-up into one string arena and an
 * open-addressing hash table, so that i18n_tr(), called for every label of
 * every frame, costs one hash of the msgid and one string compare, and never
 * allocates.
 *
 * The reader is strict in the way msgfmt is: a file it accepts is one that
 * translators' tools wrote or would write; anything else stops with
 * "PATH:LINE: message" so that a broken translation shows up on the
 * out-of-service screen and in the tests, not as garbage on the kiosk.
 */
#include "i18n.h"

#include "kbuf.h"
#include "utf8.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Offsets into the arena are 32-bit; a real catalog is a few hundred KiB. */
#define PO_MAX_FILE (16 * 1024 * 1024)
#define NONE UINT32_MAX
#define MSG_LEN 512

struct entry {
    uint32_t key;   /* arena offset of the NUL-terminated key (msgctxt "\004" msgid) */
    uint32_t klen;
    uint32_t val;   /* arena offset of msgstr, NONE when untranslated or fuzzy */
    uint32_t hash;
    int line;       /* of its msgid, for "duplicate" messages */
};

struct i18n_catalog {
    char *arena;
    size_t alen, acap;
    struct entry *ent; /* in file order */
    size_t n, ecap;
    uint32_t *slot;    /* index + 1 into ent, 0 = empty; nslot is a power of 2 */
    size_t nslot;
    size_t translated;
};

const char *i18n_strerror(i18n_err e)
{
    switch (e) {
    case I18N_OK: return "ok";
    case I18N_EIO: return "cannot read the translation file";
    case I18N_ESYNTAX: return "syntax error in the translation file";
    case I18N_ENOMEM: return "out of memory";
    case I18N_EENCODING: return "translation file is not UTF-8";
    }
    return "unknown i18n error";
}

/* FNV-1a: short keys, few of them; simple and good enough. */
static uint32_t hash_bytes(const char *s, size_t len)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)s[i];
        h *= 16777619u;
    }
    return h;
}

static const struct entry *find(const i18n_catalog *cat, const char *key, size_t len, uint32_t h)
{
    if (!cat || cat->nslot == 0)
        return NULL;
    size_t mask = cat->nslot - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        uint32_t s = cat->slot[i];
        if (s == 0)
            return NULL;
        const struct entry *e = &cat->ent[s - 1];
        if (e->hash == h && e->klen == len && memcmp(cat->arena + e->key, key, len) == 0)
            return e;
    }
}

static int grow_table(i18n_catalog *cat)
{
    size_t nslot = cat->nslot ? cat->nslot * 2 : 64;
    uint32_t *slot = calloc(nslot, sizeof *slot);
    if (!slot)
        return 0;
    for (size_t k = 0; k < cat->n; k++) {
        size_t i = cat->ent[k].hash & (nslot - 1);
        while (slot[i])
            i = (i + 1) & (nslot - 1);
        slot[i] = (uint32_t)k + 1;
    }
    free(cat->slot);
    cat->slot = slot;
    cat->nslot = nslot;
    return 1;
}

/* Appends LEN bytes and a NUL; returns the offset or NONE when out of memory. */
static uint32_t arena_add(i18n_catalog *cat, const char *s, size_t len)
{
    if (cat->alen + len + 1 > cat->acap) {
        size_t cap = cat->acap ? cat->acap : 4096;
        while (cap < cat->alen + len + 1)
            cap *= 2;
        if (cap >= NONE)
            return NONE;
        char *a = realloc(cat->arena, cap);
        if (!a)
            return NONE;
        cat->arena = a;
        cat->acap = cap;
    }
    uint32_t off = (uint32_t)cat->alen;
    memcpy(cat->arena + off, s, len);
    cat->arena[off + len] = '\0';
    cat->alen += len + 1;
    return off;
}

void i18n_catalog_free(i18n_catalog *cat)
{
    if (!cat)
        return;
    free(cat->arena);
    free(cat->ent);
    free(cat->slot);
    free(cat);
}

const char *i18n_catalog_lookup(const i18n_catalog *cat, const char *msgid)
{
    if (!cat || !msgid)
        return NULL;
    size_t len = strlen(msgid);
    const struct entry *e = find(cat, msgid, len, hash_bytes(msgid, len));
    return e && e->val != NONE ? cat->arena + e->val : NULL;
}

size_t i18n_catalog_count(const i18n_catalog *cat) { return cat ? cat->translated : 0; }
size_t i18n_catalog_size(const i18n_catalog *cat) { return cat ? cat->n : 0; }

const char *i18n_catalog_msgid(const i18n_catalog *cat, size_t i)
{
    return cat && i < cat->n ? cat->arena + cat->ent[i].key : NULL;
}

/* ---- the .po reader ----------------------------------------------------- */

/* Which string the next "..." continuation line belongs to. */
enum field { F_NONE, F_CTXT, F_ID, F_PLURAL, F_STR, F_EXTRA };

struct po {
    const char *name;
    i18n_catalog *cat;
    i18n_err code;
    char msg[MSG_LEN];
    int err_line;
    int line;
    bool oom;
    /* the entry being read */
    bool has_ctxt, has_id, has_plural, has_str, fuzzy, seen_header;
    int entry_line;   /* first keyword line of the entry */
    int id_line;
    int nstr;         /* msgstr forms seen */
    enum field cur;
    int cur_line;     /* where the current field started, for UTF-8 errors */
    kbuf ctxt, id, plural, str, extra;
};

static void po_fail(struct po *p, i18n_err code, int line, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void po_fail(struct po *p, i18n_err code, int line, const char *fmt, ...)
{
    if (p->code != I18N_OK)
        return;
    p->code = code;
    p->err_line = line;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->msg, sizeof p->msg, fmt, ap);
    va_end(ap);
}

static void buf_add(struct po *p, kbuf *b, const char *s, size_t len)
{
    if (!kbuf_add(b, s, len)) {
        p->oom = true;
        po_fail(p, I18N_ENOMEM, 0, "out of memory");
    }
}

static kbuf *field_buf(struct po *p, enum field f)
{
    switch (f) {
    case F_CTXT: return &p->ctxt;
    case F_ID: return &p->id;
    case F_PLURAL: return &p->plural;
    case F_STR: return &p->str;
    case F_EXTRA: return &p->extra;
    case F_NONE: break;
    }
    return NULL;
}

static const char *field_name(enum field f)
{
    switch (f) {
    case F_CTXT: return "msgctxt";
    case F_ID: return "msgid";
    case F_PLURAL: return "msgid_plural";
    case F_STR: return "msgstr";
    case F_EXTRA: return "msgstr[n]";
    case F_NONE: break;
    }
    return "string";
}

/* A field is complete when the next keyword starts: only then can its
 * unescaped bytes be checked, since "\xe4" "\xb8\xad" may split a character
 * across two quoted pieces. */
static void close_field(struct po *p)
{
    kbuf *b = field_buf(p, p->cur);
    size_t bad;
    if (b && !utf8_valid(b->p ? b->p : "", b->len, &bad))
        po_fail(p, I18N_EENCODING, p->cur_line,
                "%s is not valid UTF-8 after its escapes are decoded (byte 0x%02X at offset %zu)",
                field_name(p->cur), (unsigned)(unsigned char)b->p[bad], bad);
    p->cur = F_NONE;
}

static void open_field(struct po *p, enum field f)
{
    close_field(p);
    kbuf *b = field_buf(p, f);
    b->len = 0;
    p->cur = f;
    p->cur_line = p->line;
}

static void reset_entry(struct po *p)
{
    p->has_ctxt = p->has_id = p->has_plural = p->has_str = p->fuzzy = false;
    p->entry_line = p->id_line = 0;
    p->nstr = 0;
    p->cur = F_NONE;
    p->ctxt.len = p->id.len = p->plural.len = p->str.len = p->extra.len = 0;
}

static const char *bufs(const kbuf *b) { return b->p ? b->p : ""; }

/* Header: only the charset matters; everything else is for the tools. */
static void check_header(struct po *p)
{
    const char *h = bufs(&p->str);
    for (const char *l = h; *l;) {
        const char *nl = strchr(l, '\n');
        size_t len = nl ? (size_t)(nl - l) : strlen(l);
        if (len > 13 && strncasecmp(l, "Content-Type:", 13) == 0) {
            for (size_t i = 13; i + 8 <= len; i++) {
                if (strncasecmp(l + i, "charset=", 8) == 0) {
                    const char *cs = l + i + 8;
                    size_t cl = 0;
                    while (i + 8 + cl < len && cs[cl] != ';' && cs[cl] != ' ' && cs[cl] != '\t')
                        cl++;
                    if (!((cl == 5 && strncasecmp(cs, "UTF-8", 5) == 0) || (cl == 4 && strncasecmp(cs, "UTF8", 4) == 0)))
                        po_fail(p, I18N_EENCODING, p->id_line,
                                "the header says charset=%.*s; only UTF-8 is accepted "
                                "(convert with: msgconv --to-code=UTF-8)",
                                (int)(cl > 40 ? 40 : cl), cs);
                    return;
                }
            }
        }
        l = nl ? nl + 1 : l + len;
    }
}

static void finish_entry(struct po *p)
{
    if (!p->has_ctxt && !p->has_id)
        return;
    close_field(p);
    if (p->code != I18N_OK)
        return;
    if (!p->has_id) {
        po_fail(p, I18N_ESYNTAX, p->entry_line, "msgctxt without a msgid after it");
        return;
    }
    if (!p->has_str) {
        po_fail(p, I18N_ESYNTAX, p->id_line, p->has_plural ? "msgid_plural without msgstr[0] after it"
                                                            : "msgid without a msgstr after it");
        return;
    }
    if (!p->has_ctxt && p->id.len == 0) {
        /* The header entry: not a UI string. */
        if (p->seen_header) {
            po_fail(p, I18N_ESYNTAX, p->id_line, "a second header entry (msgid \"\")");
            return;
        }
        p->seen_header = true;
        check_header(p);
        reset_entry(p);
        return;
    }
    /* gettext's own convention for context: "CTXT\004MSGID". */
    kbuf key = {0};
    if (p->has_ctxt) {
        buf_add(p, &key, bufs(&p->ctxt), p->ctxt.len);
        buf_add(p, &key, "\004", 1);
    }
    buf_add(p, &key, bufs(&p->id), p->id.len);
    if (p->oom) {
        kbuf_free(&key);
        return;
    }
    i18n_catalog *cat = p->cat;
    uint32_t h = hash_bytes(key.p, key.len);
    const struct entry *dup = find(cat, key.p, key.len, h);
    if (dup) {
        po_fail(p, I18N_ESYNTAX, p->id_line, "duplicate message definition (first defined on line %d)", dup->line);
        kbuf_free(&key);
        return;
    }
    if (cat->n == cat->ecap) {
        size_t cap = cat->ecap ? cat->ecap * 2 : 64;
        struct entry *ne = realloc(cat->ent, cap * sizeof *ne);
        if (!ne) {
            kbuf_free(&key);
            po_fail(p, I18N_ENOMEM, 0, "out of memory");
            return;
        }
        cat->ent = ne;
        cat->ecap = cap;
    }
    if ((cat->n + 1) * 2 > cat->nslot && !grow_table(cat)) {
        kbuf_free(&key);
        po_fail(p, I18N_ENOMEM, 0, "out of memory");
        return;
    }
    struct entry e = {0};
    e.key = arena_add(cat, key.p, key.len);
    e.klen = (uint32_t)key.len;
    e.hash = h;
    e.line = p->id_line;
    e.val = NONE;
    kbuf_free(&key);
    bool translated = !p->fuzzy && p->str.len > 0;
    if (translated)
        e.val = arena_add(cat, bufs(&p->str), p->str.len);
    if (e.key == NONE || (translated && e.val == NONE)) {
        po_fail(p, I18N_ENOMEM, 0, "out of memory");
        return;
    }
    cat->ent[cat->n] = e;
    size_t i = h & (cat->nslot - 1);
    while (cat->slot[i])
        i = (i + 1) & (cat->nslot - 1);
    cat->slot[i] = (uint32_t)cat->n + 1;
    cat->n++;
    if (translated)
        cat->translated++;
    reset_entry(p);
}

static int is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f'; }

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Parses the quoted string at S (which points at '"') up to END, appending
 * its unescaped bytes to the current field. Only blanks may follow it. */
static void parse_string(struct po *p, const char *s, const char *end)
{
    kbuf *b = field_buf(p, p->cur);
    s++; /* the opening quote */
    for (;;) {
        /* Copy runs of plain bytes at once. */
        const char *run = s;
        while (s < end && *s != '"' && *s != '\\')
            s++;
        if (s > run)
            buf_add(p, b, run, (size_t)(s - run));
        if (s >= end) {
            po_fail(p, I18N_ESYNTAX, p->line, "unterminated string (no closing \")");
            return;
        }
        if (*s == '"')
            break;
        /* a backslash */
        if (++s >= end) {
            po_fail(p, I18N_ESYNTAX, p->line, "unterminated string (backslash at the end of the line)");
            return;
        }
        char c = *s++;
        char out;
        switch (c) {
        case 'n': out = '\n'; break;
        case 't': out = '\t'; break;
        case 'r': out = '\r'; break;
        case 'a': out = '\a'; break;
        case 'b': out = '\b'; break;
        case 'f': out = '\f'; break;
        case 'v': out = '\v'; break;
        case '"': out = '"'; break;
        case '\'': out = '\''; break;
        case '?': out = '?'; break;
        case '\\': out = '\\'; break;
        case 'x': {
            int v = 0, nd = 0;
            while (nd < 2 && s < end && hexval(*s) >= 0)
                v = v * 16 + hexval(*s++), nd++;
            if (nd == 0) {
                po_fail(p, I18N_ESYNTAX, p->line, "\\x escape without hex digits");
                return;
            }
            if (v == 0) {
                po_fail(p, I18N_ESYNTAX, p->line, "\\x00 escape: a NUL byte cannot be in a message");
                return;
            }
            out = (char)v;
            break;
        }
        default:
            if (c >= '0' && c <= '7') {
                int v = c - '0', nd = 1;
                while (nd < 3 && s < end && *s >= '0' && *s <= '7')
                    v = v * 8 + (*s++ - '0'), nd++;
                if (v > 255) {
                    po_fail(p, I18N_ESYNTAX, p->line, "octal escape \\%o is larger than a byte", (unsigned)v);
                    return;
                }
                if (v == 0) {
                    po_fail(p, I18N_ESYNTAX, p->line, "\\0 escape: a NUL byte cannot be in a message");
                    return;
                }
                out = (char)v;
                break;
            }
            if ((unsigned char)c >= 0x21 && (unsigned char)c < 0x7F)
                po_fail(p, I18N_ESYNTAX, p->line, "invalid escape \\%c", c);
            else
                po_fail(p, I18N_ESYNTAX, p->line, "invalid escape: backslash before byte 0x%02X",
                        (unsigned)(unsigned char)c);
            return;
        }
        buf_add(p, b, &out, 1);
    }
    s++; /* the closing quote */
    while (s < end && is_space(*s))
        s++;
    if (s < end)
        po_fail(p, I18N_ESYNTAX, p->line, "text after the closing quote");
}

/* "#, fuzzy, c-format": is "fuzzy" one of the comma-separated flags? */
static bool has_fuzzy(const char *s, const char *end)
{
    while (s < end) {
        while (s < end && (*s == ',' || is_space(*s)))
            s++;
        const char *w = s;
        while (s < end && *s != ',' && !is_space(*s))
            s++;
        if (s - w == 5 && memcmp(w, "fuzzy", 5) == 0)
            return true;
    }
    return false;
}

static void keyword(struct po *p, const char *s, const char *end)
{
    const char *w = s;
    while (s < end && ((*s >= 'a' && *s <= 'z') || *s == '_'))
        s++;
    size_t wl = (size_t)(s - w);
    int index = -1;
    if (wl == 6 && memcmp(w, "msgstr", 6) == 0 && s < end && *s == '[') {
        s++;
        index = 0;
        const char *d = s;
        while (s < end && *s >= '0' && *s <= '9' && index < 1000)
            index = index * 10 + (*s++ - '0');
        if (s == d || s >= end || *s != ']') {
            po_fail(p, I18N_ESYNTAX, p->line, "msgstr[ needs an index and a closing ], as in msgstr[0]");
            return;
        }
        s++;
    }
#define IS(k) (wl == sizeof(k) - 1 && memcmp(w, k, wl) == 0)
    if (IS("msgctxt")) {
        if (p->has_ctxt || p->has_id)
            finish_entry(p); /* stores it, or reports what it lacks */
        if (p->code)
            return;
        p->has_ctxt = true;
        p->entry_line = p->line;
        open_field(p, F_CTXT);
    } else if (IS("msgid")) {
        if (p->has_id)
            finish_entry(p); /* complete: stored; incomplete: an error */
        if (p->code)
            return;
        p->has_id = true;
        p->id_line = p->line;
        if (!p->entry_line)
            p->entry_line = p->line;
        open_field(p, F_ID);
    } else if (IS("msgid_plural")) {
        if (!p->has_id || p->has_str) {
            po_fail(p, I18N_ESYNTAX, p->line, "msgid_plural without a msgid before it");
            return;
        }
        if (p->has_plural) {
            po_fail(p, I18N_ESYNTAX, p->line, "a second msgid_plural for one msgid");
            return;
        }
        p->has_plural = true;
        open_field(p, F_PLURAL);
    } else if (IS("msgstr") && index < 0) {
        if (!p->has_id) {
            po_fail(p, I18N_ESYNTAX, p->line, "msgstr without a msgid before it");
            return;
        }
        if (p->has_str) {
            po_fail(p, I18N_ESYNTAX, p->line, "a second msgstr for one msgid");
            return;
        }
        if (p->has_plural) {
            po_fail(p, I18N_ESYNTAX, p->line, "msgid_plural needs msgstr[0], msgstr[1], ... instead of msgstr");
            return;
        }
        p->has_str = true;
        p->nstr = 1;
        open_field(p, F_STR);
    } else if (IS("msgstr")) {
        if (!p->has_id) {
            po_fail(p, I18N_ESYNTAX, p->line, "msgstr[%d] without a msgid before it", index);
            return;
        }
        if (!p->has_plural) {
            po_fail(p, I18N_ESYNTAX, p->line, "msgstr[%d] without msgid_plural; use plain msgstr", index);
            return;
        }
        if (index != p->nstr) {
            po_fail(p, I18N_ESYNTAX, p->line, "msgstr[%d] out of order; expected msgstr[%d]", index, p->nstr);
            return;
        }
        p->has_str = true;
        p->nstr++;
        /* Chinese has one plural form: msgstr[0] is the translation. */
        open_field(p, index == 0 ? F_STR : F_EXTRA);
    } else {
        char ex[48];
        size_t n = wl ? wl : (size_t)(end - w);
        /* Quote only whole printable ASCII, to keep the message valid UTF-8. */
        size_t k = 0;
        while (k < n && k < sizeof ex - 1 && (unsigned char)w[k] >= 0x21 && (unsigned char)w[k] < 0x7F)
            k++;
        snprintf(ex, sizeof ex, "%.*s", (int)k, w);
        po_fail(p, I18N_ESYNTAX, p->line,
                "unknown keyword '%s'; expected msgctxt, msgid, msgid_plural, msgstr, a \"string\" or a # comment",
                ex);
        return;
    }
#undef IS
    if (p->code)
        return;
    while (s < end && is_space(*s))
        s++;
    if (s >= end || *s != '"') {
        po_fail(p, I18N_ESYNTAX, p->line, "expected a \"string\" after %s", field_name(p->cur));
        return;
    }
    parse_string(p, s, end);
}

static void parse_line(struct po *p, const char *s, size_t len)
{
    const char *end = s + len;
    if (memchr(s, '\0', len)) {
        po_fail(p, I18N_ESYNTAX, p->line, "NUL byte: this is not a text .po file");
        return;
    }
    size_t bad;
    if (!utf8_valid(s, len, &bad)) {
        po_fail(p, I18N_EENCODING, p->line, "invalid UTF-8 (byte 0x%02X at column %zu): the file must be UTF-8",
                (unsigned)(unsigned char)s[bad], bad + 1);
        return;
    }
    if (p->line == 1 && len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
        s += 3; /* a BOM some editors add */
    while (s < end && is_space(*s))
        s++;
    if (s >= end)
        return; /* blank lines separate entries but mean nothing */
    if (*s == '#') {
        /* A comment after a complete entry belongs to the next one. */
        if (p->has_str)
            finish_entry(p);
        if (s + 1 < end && s[1] == ',' && has_fuzzy(s + 2, end))
            p->fuzzy = true;
        return; /* #. #: #| and #~ (obsolete) carry nothing we use */
    }
    if (*s == '"') {
        if (p->cur == F_NONE) {
            po_fail(p, I18N_ESYNTAX, p->line, "a \"string\" without msgid or msgstr before it");
            return;
        }
        parse_string(p, s, end);
        return;
    }
    keyword(p, s, end);
}

i18n_err i18n_catalog_parse(const char *name, const char *text, size_t len, i18n_catalog **out, char *err,
                            size_t errlen)
{
    if (!name)
        name = "(string)";
    *out = NULL;
    if (err && errlen > 0)
        err[0] = '\0';
    if (len > PO_MAX_FILE) {
        if (err && errlen > 0)
            snprintf(err, errlen, "%s:0: file is larger than %d bytes", name, PO_MAX_FILE);
        return I18N_EIO;
    }
    struct po p;
    memset(&p, 0, sizeof p);
    p.name = name;
    p.cat = calloc(1, sizeof *p.cat);
    if (!p.cat) {
        if (err && errlen > 0)
            snprintf(err, errlen, "%s:0: out of memory", name);
        return I18N_ENOMEM;
    }
    const char *s = text ? text : "";
    const char *end = s + (text ? len : 0);
    while (s < end && p.code == I18N_OK) {
        const char *nl = memchr(s, '\n', (size_t)(end - s));
        const char *e = nl ? nl : end;
        p.line++;
        parse_line(&p, s, (size_t)(e - s));
        s = nl ? nl + 1 : end;
    }
    if (p.code == I18N_OK)
        finish_entry(&p); /* a truncated file ends mid-entry: reported here */
    kbuf_free(&p.ctxt);
    kbuf_free(&p.id);
    kbuf_free(&p.plural);
    kbuf_free(&p.str);
    kbuf_free(&p.extra);
    if (p.code != I18N_OK) {
        if (err && errlen > 0)
            snprintf(err, errlen, "%s:%d: %s", name, p.err_line, p.msg);
        i18n_catalog_free(p.cat);
        return p.code;
    }
    *out = p.cat;
    return I18N_OK;
}

i18n_err i18n_catalog_load(const char *path, i18n_catalog **out, char *err, size_t errlen)
{
    *out = NULL;
    if (!path) {
        if (err && errlen > 0)
            snprintf(err, errlen, "(null):0: no file given");
        return I18N_EIO;
    }
    kbuf text = {0};
    int rc = kbuf_read_file(path, PO_MAX_FILE, &text, NULL);
    if (rc != 0) {
        char why[MSG_LEN];
        if (err && errlen > 0)
            snprintf(err, errlen, "%s:0: %s", path, kbuf_read_strerror(rc, PO_MAX_FILE, why, sizeof why));
        return rc == ENOMEM ? I18N_ENOMEM : I18N_EIO;
    }
    i18n_err e = i18n_catalog_parse(path, text.p, text.len, out, err, errlen);
    kbuf_free(&text);
    return e;
}

/* ---- process-wide language ---------------------------------------------
 * Used from the UI thread only (the language toggles on a tap and every
 * label is looked up while drawing), so no locking. */

static i18n_catalog *g_cat[I18N_NLANG];
static i18n_lang g_lang = I18N_ZH;

i18n_err i18n_init(const char *podir, char *err, size_t errlen)
{
    char path[4096];
    int n = snprintf(path, sizeof path, "%s/zh_CN.po", podir ? podir : ".");
    if (n < 0 || (size_t)n >= sizeof path) {
        if (err && errlen > 0)
            snprintf(err, errlen, "%s:0: directory name is too long", podir ? podir : "");
        return I18N_EIO;
    }
    i18n_catalog *cat;
    i18n_err e = i18n_catalog_load(path, &cat, err, errlen);
    if (e != I18N_OK)
        return e; /* a failed reload keeps the catalog that works */
    i18n_catalog_free(g_cat[I18N_ZH]);
    g_cat[I18N_ZH] = cat;
    return I18N_OK;
}

void i18n_shutdown(void)
{
    for (int i = 0; i < I18N_NLANG; i++) {
        i18n_catalog_free(g_cat[i]);
        g_cat[i] = NULL;
    }
    g_lang = I18N_ZH;
}

void i18n_set_lang(i18n_lang lang) { g_lang = (lang == I18N_EN) ? I18N_EN : I18N_ZH; }
i18n_lang i18n_lang_get(void) { return g_lang; }

i18n_lang i18n_lang_from_name(const char *name)
{
    /* "en", "en_US", "en_GB.UTF-8", "en-GB": English; everything else is
     * the kiosk's first language. */
    if (name && (name[0] == 'e' || name[0] == 'E') && (name[1] == 'n' || name[1] == 'N') &&
        (name[2] == '\0' || name[2] == '_' || name[2] == '-' || name[2] == '.'))
        return I18N_EN;
    return I18N_ZH;
}

const char *i18n_tr_lang(i18n_lang lang, const char *msgid)
{
    if (!msgid)
        return "";
    if ((unsigned)lang >= I18N_NLANG || !g_cat[lang])
        return msgid;
    const char *t = i18n_catalog_lookup(g_cat[lang], msgid);
    return t ? t : msgid;
}

const char *i18n_tr(const char *msgid) { return i18n_tr_lang(g_lang, msgid); }
