/* ctl_queue.c - `kioskctl queue`: look into the order queue and repair it.
 *
 *   kioskctl queue [--url URL] [--json] stats [--topic T]
 *   kioskctl queue list [--state S] [--topic T] [--limit N] [--offset N]
 *   kioskctl queue show ID
 *   kioskctl queue requeue ID
 *   kioskctl queue cancel ID [--reason TEXT]
 *   kioskctl queue purge --state done|cancelled --older-than DAYS
 *   kioskctl queue check
 *
 * Options may stand anywhere after "queue". The store is --url, else
 * sqlite:<data dir>/queue.db; it is never created here, so that a mistyped
 * path reports an error instead of an empty queue. Exit codes as in ctl.h:
 * 0 done, 1 the operation failed, 2 usage error.
 */
#include "ctl.h"
#include "kq.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <inttypes.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define EXIT_FAILED 1
#define EXIT_USAGE 2
#define DAY_MS (86400LL * 1000)

/* Which options a subcommand takes. */
enum {
    O_STATE = 1 << 0,
    O_TOPIC = 1 << 1,
    O_LIMIT = 1 << 2,
    O_OFFSET = 1 << 3,
    O_REASON = 1 << 4,
    O_OLDER = 1 << 5,
};

typedef struct qargs {
    const char *url;
    int json;
    int given; /* O_* seen */
    const char *state, *topic, *reason;
    long long limit, offset, older_days;
    const char *pos[4];
    int npos;
    char url_buf[1100];
} qargs;

static const char usage_text[] =
    "usage: kioskctl queue [--url URL] [--json] COMMAND [ARGS]\n"
    "\n"
    "  stats [--topic T]                  messages per state\n"
    "  list [--state S] [--topic T] [--limit N] [--offset N]\n"
    "                                     messages, oldest first (default 50 at offset 0)\n"
    "  show ID                            one message with its history\n"
    "  requeue ID                         a dead or cancelled message back to ready\n"
    "  cancel ID [--reason TEXT]          withdraw a ready or dead message\n"
    "  purge --state done|cancelled --older-than DAYS\n"
    "                                     delete finished messages and their history\n"
    "  check                              integrity check of the store\n"
    "\n"
    "The queue is --url URL, else sqlite:<data dir>/queue.db.\n"
    "States: ready, claimed, done, dead, cancelled. --json prints JSON for scripts.\n"
    "Exit: 0 done, 1 failed, 2 usage error.\n";

static int usage_error(const char *fmt, const char *arg)
{
    fputs("kioskctl queue: ", stderr);
    fprintf(stderr, fmt, arg);
    fputs("\n(kioskctl queue --help for usage)\n", stderr);
    return EXIT_USAGE;
}

static int parse_count(const char *opt, const char *s, long long max, long long *out)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || end == s || *end || v < 0 || v > max) {
        fprintf(stderr, "kioskctl queue: %s wants a whole number from 0 to %lld, not '%s'\n", opt, max, s);
        return -1;
    }
    *out = v;
    return 0;
}

/* Parses options anywhere among the words; the rest are positional. Returns
 * 0 to go on, -1 when help was printed (exit 0), or a usage exit code. */
static int parse_args(int argc, char **argv, qargs *a)
{
    static const struct {
        const char *name;
        int flag; /* 0: takes no value */
    } opts[] = {{"--url", -1},        {"--json", 0},        {"--state", O_STATE}, {"--topic", O_TOPIC},
                {"--limit", O_LIMIT}, {"--offset", O_OFFSET}, {"--reason", O_REASON}, {"--older-than", O_OLDER}};
    int only_pos = 0;
    for (int i = 1; i < argc; i++) {
        const char *w = argv[i];
        if (only_pos || w[0] != '-' || w[1] == '\0') {
            if (a->npos == (int)(sizeof a->pos / sizeof a->pos[0])) return usage_error("too many arguments at '%s'", w);
            a->pos[a->npos++] = w;
            continue;
        }
        if (strcmp(w, "--") == 0) {
            only_pos = 1;
            continue;
        }
        if (strcmp(w, "-h") == 0 || strcmp(w, "--help") == 0) {
            fputs(usage_text, stdout);
            return -1;
        }
        const char *eq = strchr(w, '=');
        size_t nlen = eq ? (size_t)(eq - w) : strlen(w);
        int k = -1;
        for (int j = 0; j < (int)(sizeof opts / sizeof opts[0]); j++) {
            if (strlen(opts[j].name) == nlen && strncmp(opts[j].name, w, nlen) == 0) k = j;
        }
        if (k < 0) return usage_error("unknown option '%s'", w);
        if (opts[k].flag == 0) {
            if (eq) return usage_error("%s takes no value", opts[k].name);
            a->json = 1;
            continue;
        }
        const char *v = eq ? eq + 1 : (i + 1 < argc ? argv[++i] : NULL);
        if (!v) return usage_error("%s needs a value", opts[k].name);
        int rc = 0;
        switch (opts[k].flag) {
        case -1: a->url = v; break;
        case O_STATE: a->state = v; break;
        case O_TOPIC: a->topic = v; break;
        case O_REASON: a->reason = v; break;
        case O_LIMIT: rc = parse_count("--limit", v, KQ_LIST_MAX, &a->limit); break;
        case O_OFFSET: rc = parse_count("--offset", v, INT64_MAX / 2, &a->offset); break;
        case O_OLDER: rc = parse_count("--older-than", v, 100000, &a->older_days); break;
        default: break;
        }
        if (rc) return EXIT_USAGE;
        if (opts[k].flag > 0) a->given |= opts[k].flag;
    }
    return 0;
}

/* ---- output helpers ----------------------------------------------------- */

static void fmt_local(int64_t ms, char *buf, size_t len)
{
    if (ms <= 0) {
        snprintf(buf, len, "-");
        return;
    }
    time_t t = (time_t)(ms / 1000);
    struct tm tm;
    if (!localtime_r(&t, &tm) || strftime(buf, len, "%Y-%m-%d %H:%M:%S", &tm) == 0) snprintf(buf, len, "?");
}

/* ISO 8601 in UTC with milliseconds, for JSON: unambiguous for scripts. */
static void fmt_iso(int64_t ms, char *buf, size_t len)
{
    time_t t = (time_t)(ms / 1000);
    struct tm tm;
    char day[32];
    if (!gmtime_r(&t, &tm) || strftime(day, sizeof day, "%Y-%m-%dT%H:%M:%S", &tm) == 0) {
        snprintf(buf, len, "?");
        return;
    }
    snprintf(buf, len, "%s.%03dZ", day, (int)(ms % 1000));
}

static void json_time(cJSON *o, const char *key, int64_t ms)
{
    char k[48], iso[48];
    snprintf(k, sizeof k, "%s_ms", key);
    cJSON_AddNumberToObject(o, k, (double)ms);
    if (ms > 0) {
        fmt_iso(ms, iso, sizeof iso);
        cJSON_AddStringToObject(o, key, iso);
    } else {
        cJSON_AddNullToObject(o, key);
    }
}

static void json_opt_string(cJSON *o, const char *key, const char *v)
{
    if (v) cJSON_AddStringToObject(o, key, v);
    else cJSON_AddNullToObject(o, key);
}

/* Prints and frees a JSON document; 1 if it could not be built. */
static int json_out(cJSON *doc)
{
    char *text = doc ? cJSON_Print(doc) : NULL;
    cJSON_Delete(doc);
    if (!text) {
        fputs("kioskctl queue: out of memory\n", stderr);
        return EXIT_FAILED;
    }
    puts(text);
    cJSON_free(text);
    return 0;
}

/* Valid UTF-8 without control characters other than newline and tab: safe
 * to show as text on a terminal and in JSON. */
static int is_text(const unsigned char *p, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned char c = p[i];
        int more;
        uint32_t cp;
        if (c < 0x80) {
            if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f) return 0;
            i++;
            continue;
        } else if ((c & 0xe0) == 0xc0) {
            more = 1;
            cp = c & 0x1f;
        } else if ((c & 0xf0) == 0xe0) {
            more = 2;
            cp = c & 0x0f;
        } else if ((c & 0xf8) == 0xf0) {
            more = 3;
            cp = c & 0x07;
        } else {
            return 0;
        }
        if (i + (size_t)more >= n) return 0; /* truncated sequence */
        for (int k = 1; k <= more; k++) {
            if ((p[i + (size_t)k] & 0xc0) != 0x80) return 0;
            cp = (cp << 6) | (p[i + (size_t)k] & 0x3f);
        }
        static const uint32_t min_cp[4] = {0, 0x80, 0x800, 0x10000};
        if (cp < min_cp[more] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return 0;
        i += (size_t)more + 1;
    }
    return 1;
}

static char *hex_of(const unsigned char *p, size_t n)
{
    char *s = malloc(n * 2 + 1);
    if (!s) return NULL;
    for (size_t i = 0; i < n; i++) snprintf(s + i * 2, 3, "%02x", p[i]);
    s[n * 2] = '\0';
    return s;
}

static cJSON *msg_json(const kq_msg *m, int with_payload)
{
    cJSON *o = cJSON_CreateObject();
    if (!o) return NULL;
    cJSON_AddStringToObject(o, "id", m->id);
    cJSON_AddStringToObject(o, "topic", m->topic);
    cJSON_AddStringToObject(o, "state", kq_state_name(m->state));
    cJSON_AddNumberToObject(o, "priority", m->priority);
    cJSON_AddNumberToObject(o, "attempts", m->attempts);
    cJSON_AddNumberToObject(o, "max_attempts", m->max_attempts);
    cJSON_AddNumberToObject(o, "claims", (double)m->generation);
    json_opt_string(o, "worker", m->worker);
    json_opt_string(o, "last_reason", m->last_reason);
    json_time(o, "created", m->created_ms);
    json_time(o, "updated", m->updated_ms);
    json_time(o, "not_before", m->not_before_ms);
    json_time(o, "lease_until", m->lease_until_ms);
    cJSON_AddNumberToObject(o, "payload_bytes", (double)m->payload_len);
    if (with_payload) {
        if (is_text(m->payload, m->payload_len)) {
            cJSON_AddStringToObject(o, "payload", (const char *)m->payload);
        } else {
            char *hex = hex_of(m->payload, m->payload_len);
            json_opt_string(o, "payload_hex", hex);
            free(hex);
        }
    }
    return o;
}

/* ---- commands ----------------------------------------------------------- */

static int failed(kq *q, const char *what, kq_rc rc)
{
    const char *detail = kq_errmsg(q);
    fprintf(stderr, "kioskctl queue: %s: %s\n", what, detail && *detail ? detail : kq_strerror(rc));
    return EXIT_FAILED;
}

static int cmd_stats(kq *q, const qargs *a)
{
    kq_counts c;
    kq_rc rc = kq_count(q, a->topic, &c);
    if (rc != KQ_OK) return failed(q, "stats", rc);
    if (a->json) {
        cJSON *o = cJSON_CreateObject();
        if (!o) return json_out(NULL);
        cJSON_AddStringToObject(o, "url", a->url);
        json_opt_string(o, "topic", a->topic);
        const struct {
            const char *k;
            int64_t v;
        } f[] = {{"ready", c.ready},         {"delayed", c.delayed}, {"claimed", c.claimed}, {"expired", c.expired},
                 {"done", c.done},           {"dead", c.dead},       {"cancelled", c.cancelled},
                 {"total", c.total}};
        for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) cJSON_AddNumberToObject(o, f[i].k, (double)f[i].v);
        return json_out(o);
    }
    printf("queue      %s%s%s\n", a->url, a->topic ? "  topic " : "", a->topic ? a->topic : "");
    printf("ready      %8" PRId64, c.ready);
    if (c.delayed) printf("   (%" PRId64 " waiting for a later time)", c.delayed);
    printf("\nclaimed    %8" PRId64, c.claimed);
    if (c.expired) printf("   (%" PRId64 " with the lease run out)", c.expired);
    printf("\ndone       %8" PRId64 "\n", c.done);
    printf("dead       %8" PRId64 "%s\n", c.dead, c.dead ? "   needs staff: kioskctl queue list --state dead" : "");
    printf("cancelled  %8" PRId64 "\n", c.cancelled);
    printf("total      %8" PRId64 "\n", c.total);
    return 0;
}

static int cmd_list(kq *q, const qargs *a)
{
    kq_state st = KQ_STATE_ANY;
    if (a->state && kq_state_from_name(a->state, &st) != KQ_OK)
        return usage_error("unknown state '%s' (ready, claimed, done, dead, cancelled, any)", a->state);
    int limit = (a->given & O_LIMIT) ? (int)a->limit : 50;
    if (limit < 1) return usage_error("--limit must be at least 1, not %s", "0");
    kq_msg **v;
    int n;
    kq_rc rc = kq_list(q, st, a->topic, a->offset, limit, &v, &n);
    if (rc != KQ_OK) return failed(q, "list", rc);
    if (a->json) {
        cJSON *o = cJSON_CreateObject();
        cJSON *items = cJSON_AddArrayToObject(o, "items");
        for (int i = 0; o && items && i < n; i++) cJSON_AddItemToArray(items, msg_json(v[i], 0));
        cJSON_AddNumberToObject(o, "offset", (double)a->offset);
        cJSON_AddNumberToObject(o, "limit", limit);
        cJSON_AddNumberToObject(o, "count", n);
        kq_list_free(v, n);
        return json_out(o);
    }
    int wid = 2, wtop = 5, wwork = 6;
    for (int i = 0; i < n; i++) {
        int l = (int)strlen(v[i]->id);
        if (l > wid) wid = l < 40 ? l : 40;
        l = (int)strlen(v[i]->topic);
        if (l > wtop) wtop = l < 20 ? l : 20;
        l = v[i]->worker ? (int)strlen(v[i]->worker) : 1;
        if (l > wwork) wwork = l < 20 ? l : 20;
    }
    if (n == 0) {
        printf("no %s messages%s%s%s\n", st == KQ_STATE_ANY ? "" : kq_state_name(st), a->topic ? " in topic " : "",
               a->topic ? a->topic : "", a->offset ? " at this offset" : "");
    } else {
        printf("%-*s  %-*s  %-9s  %4s  %5s  %-*s  %s\n", wid, "ID", wtop, "TOPIC", "STATE", "PRI", "TRIES", wwork,
               "WORKER", "UPDATED");
    }
    for (int i = 0; i < n; i++) {
        char when[32], tries[24];
        fmt_local(v[i]->updated_ms, when, sizeof when);
        snprintf(tries, sizeof tries, "%d/%d", v[i]->attempts, v[i]->max_attempts);
        printf("%-*s  %-*s  %-9s  %4d  %5s  %-*s  %s\n", wid, v[i]->id, wtop, v[i]->topic,
               kq_state_name(v[i]->state), v[i]->priority, tries, wwork, v[i]->worker ? v[i]->worker : "-",
               when);
    }
    if (n == limit) printf("(more may follow: --offset %lld)\n", a->offset + limit);
    kq_list_free(v, n);
    return 0;
}

static void print_payload(const kq_msg *m)
{
    const unsigned char *p = m->payload;
    printf("payload      %zu bytes\n", m->payload_len);
    if (m->payload_len == 0) return;
    if (is_text(p, m->payload_len)) {
        /* Indented line by line, so it cannot pass for our own fields. */
        const char *s = (const char *)p;
        while (*s) {
            const char *nl = strchr(s, '\n');
            int len = nl ? (int)(nl - s) : (int)strlen(s);
            printf("  | %.*s\n", len, s);
            s += len + (nl ? 1 : 0);
        }
        return;
    }
    size_t shown = m->payload_len < 256 ? m->payload_len : 256;
    for (size_t i = 0; i < shown; i += 16) {
        printf("  %04zx ", i);
        for (size_t j = i; j < i + 16 && j < shown; j++) printf(" %02x", p[j]);
        putchar('\n');
    }
    if (shown < m->payload_len) printf("  ... (%zu more bytes; --json has them all)\n", m->payload_len - shown);
}

static int cmd_show(kq *q, const qargs *a)
{
    const char *id = a->pos[1];
    kq_msg *m;
    kq_rc rc = kq_get(q, id, &m);
    if (rc != KQ_OK) return failed(q, "show", rc);
    kq_event *ev;
    int n;
    rc = kq_history(q, id, &ev, &n);
    if (rc != KQ_OK) {
        kq_msg_free(m);
        return failed(q, "show", rc);
    }
    if (a->json) {
        cJSON *o = msg_json(m, 1);
        cJSON *h = o ? cJSON_AddArrayToObject(o, "history") : NULL;
        for (int i = 0; h && i < n; i++) {
            cJSON *e = cJSON_CreateObject();
            if (!e) break;
            cJSON_AddNumberToObject(e, "seq", (double)ev[i].seq);
            json_time(e, "at", ev[i].at_ms);
            cJSON_AddStringToObject(e, "who", ev[i].who);
            cJSON_AddStringToObject(e, "what", ev[i].what);
            if (ev[i].from == KQ_STATE_ANY) cJSON_AddNullToObject(e, "from");
            else cJSON_AddStringToObject(e, "from", kq_state_name(ev[i].from));
            cJSON_AddStringToObject(e, "to", kq_state_name(ev[i].to));
            cJSON_AddNumberToObject(e, "attempt", ev[i].attempt);
            json_opt_string(e, "detail", ev[i].detail);
            cJSON_AddItemToArray(h, e);
        }
        kq_history_free(ev, n);
        kq_msg_free(m);
        return json_out(o);
    }
    char t[32];
    printf("id           %s\n", m->id);
    printf("topic        %s\n", m->topic);
    printf("state        %s", kq_state_name(m->state));
    if (m->state == KQ_CLAIMED) {
        fmt_local(m->lease_until_ms, t, sizeof t);
        printf(" by %s, lease until %s%s", m->worker, t, m->lease_until_ms <= kq_now(q) ? " (run out)" : "");
    } else if (m->state == KQ_DEAD) {
        printf("   needs staff: requeue or cancel");
    }
    printf("\npriority     %d\n", m->priority);
    printf("attempts     %d of %d (%" PRIu64 " claim%s in all)\n", m->attempts, m->max_attempts, m->generation,
           m->generation == 1 ? "" : "s");
    if (m->worker && m->state != KQ_CLAIMED) printf("last worker  %s\n", m->worker);
    fmt_local(m->created_ms, t, sizeof t);
    printf("created      %s\n", t);
    fmt_local(m->updated_ms, t, sizeof t);
    printf("updated      %s\n", t);
    if (m->state == KQ_READY && m->not_before_ms > kq_now(q)) {
        fmt_local(m->not_before_ms, t, sizeof t);
        printf("not before   %s\n", t);
    }
    if (m->last_reason) printf("last reason  %s\n", m->last_reason);
    print_payload(m);
    printf("history\n");
    for (int i = 0; i < n; i++) {
        char arrow[40];
        fmt_local(ev[i].at_ms, t, sizeof t);
        if (ev[i].from == KQ_STATE_ANY) snprintf(arrow, sizeof arrow, "-> %s", kq_state_name(ev[i].to));
        else snprintf(arrow, sizeof arrow, "%s -> %s", kq_state_name(ev[i].from), kq_state_name(ev[i].to));
        printf("  %s  %-8s %-22s by %s", t, ev[i].what, arrow, ev[i].who);
        if (ev[i].detail) printf(": %s", ev[i].detail);
        putchar('\n');
    }
    kq_history_free(ev, n);
    kq_msg_free(m);
    return 0;
}

/* Who did it, for the history: the tool and the login behind it. */
static void who_am_i(char *buf, size_t len)
{
    const char *user = getenv("SUDO_USER");
    if (!user || !*user) {
        struct passwd *pw = getpwuid(getuid());
        user = pw ? pw->pw_name : NULL;
    }
    if (user && *user) snprintf(buf, len, "kioskctl (%s)", user);
    else snprintf(buf, len, "kioskctl (uid %ld)", (long)getuid());
    /* kq refuses control characters in names; a strange login name must
     * not make the command fail. */
    for (char *p = buf; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f) *p = '?';
}

static int cmd_change(kq *q, const qargs *a, int cancel)
{
    const char *id = a->pos[1];
    char who[KQ_NAME_MAX + 1];
    who_am_i(who, sizeof who);
    kq_rc rc = cancel ? kq_cancel(q, id, who, a->reason) : kq_requeue(q, id, who);
    if (rc != KQ_OK) return failed(q, cancel ? "cancel" : "requeue", rc);
    if (a->json) {
        cJSON *o = cJSON_CreateObject();
        if (!o) return json_out(NULL);
        cJSON_AddStringToObject(o, "id", id);
        cJSON_AddStringToObject(o, "state", cancel ? "cancelled" : "ready");
        return json_out(o);
    }
    printf(cancel ? "cancelled %s\n" : "requeued %s: ready, attempts reset\n", id);
    return 0;
}

static int cmd_purge(kq *q, const qargs *a)
{
    if (!(a->given & O_STATE) || !(a->given & O_OLDER))
        return usage_error("%s", "purge needs --state done|cancelled and --older-than DAYS");
    kq_state st;
    if (kq_state_from_name(a->state, &st) != KQ_OK || (st != KQ_DONE && st != KQ_CANCELLED))
        return usage_error("purge takes --state done or cancelled, not '%s'", a->state);
    int64_t n = 0;
    kq_rc rc = kq_purge(q, st, a->older_days * DAY_MS, &n);
    if (rc != KQ_OK) return failed(q, "purge", rc);
    if (a->json) {
        cJSON *o = cJSON_CreateObject();
        if (!o) return json_out(NULL);
        cJSON_AddStringToObject(o, "state", kq_state_name(st));
        cJSON_AddNumberToObject(o, "older_than_days", (double)a->older_days);
        cJSON_AddNumberToObject(o, "purged", (double)n);
        return json_out(o);
    }
    printf("purged %" PRId64 " %s message%s older than %lld day%s\n", n, kq_state_name(st), n == 1 ? "" : "s",
           a->older_days, a->older_days == 1 ? "" : "s");
    return 0;
}

static int cmd_check(kq *q, const qargs *a)
{
    kq_rc rc = kq_check(q);
    if (a->json) {
        cJSON *o = cJSON_CreateObject();
        if (!o) return json_out(NULL);
        cJSON_AddStringToObject(o, "url", a->url);
        cJSON_AddBoolToObject(o, "ok", rc == KQ_OK);
        if (rc != KQ_OK) cJSON_AddStringToObject(o, "problem", kq_errmsg(q));
        int jrc = json_out(o);
        return rc == KQ_OK ? jrc : EXIT_FAILED;
    }
    if (rc != KQ_OK) return failed(q, "check", rc);
    printf("ok: %s passed the integrity check\n", a->url);
    return 0;
}

/* ---- dispatch ----------------------------------------------------------- */

static const struct {
    const char *name;
    int npos;    /* positional words after the command */
    int allowed; /* O_* */
} cmds[] = {
    {"stats", 0, O_TOPIC},
    {"list", 0, O_STATE | O_TOPIC | O_LIMIT | O_OFFSET},
    {"show", 1, 0},
    {"requeue", 1, 0},
    {"cancel", 1, O_REASON},
    {"purge", 0, O_STATE | O_OLDER},
    {"check", 0, 0},
};

int ctl_queue_main(const ctl_ctx *cx, int argc, char **argv)
{
    qargs a;
    memset(&a, 0, sizeof a);
    int prc = parse_args(argc, argv, &a);
    if (prc == -1) return 0;
    if (prc) return prc;
    if (a.npos == 0) {
        fputs(usage_text, stderr);
        return EXIT_USAGE;
    }
    int c = -1;
    for (int i = 0; i < (int)(sizeof cmds / sizeof cmds[0]); i++)
        if (strcmp(a.pos[0], cmds[i].name) == 0) c = i;
    if (c < 0) return usage_error("unknown command '%s'", a.pos[0]);
    if (a.npos - 1 < cmds[c].npos) return usage_error("%s needs a message id", cmds[c].name);
    if (a.npos - 1 > cmds[c].npos) return usage_error("unexpected argument '%s'", a.pos[cmds[c].npos + 1]);
    if (a.given & ~cmds[c].allowed) {
        static const char *const names[] = {"--state", "--topic", "--limit", "--offset", "--reason", "--older-than"};
        for (int b = 0; b < 6; b++)
            if ((a.given & ~cmds[c].allowed) & (1 << b)) {
                fprintf(stderr, "kioskctl queue: %s does not take %s\n", cmds[c].name, names[b]);
                return EXIT_USAGE;
            }
    }
    if (!a.url) {
        if (!cx || !cx->data_dir || !*cx->data_dir)
            return usage_error("%s", "no queue given: pass --url URL, or set the data directory (--data-dir)");
        snprintf(a.url_buf, sizeof a.url_buf, "sqlite:%s/queue.db", cx->data_dir);
        a.url = a.url_buf;
    }

    kq *q = NULL;
    kq_rc rc = kq_open(a.url, KQ_OPEN_EXISTING, &q);
    if (rc != KQ_OK) {
        fprintf(stderr, "kioskctl queue: cannot open %s: %s\n", a.url, kq_errmsg(q));
        kq_close(q);
        return rc == KQ_EINVAL || rc == KQ_ENOTSUP ? EXIT_USAGE : EXIT_FAILED;
    }
    int ret;
    switch (c) {
    case 0: ret = cmd_stats(q, &a); break;
    case 1: ret = cmd_list(q, &a); break;
    case 2: ret = cmd_show(q, &a); break;
    case 3: ret = cmd_change(q, &a, 0); break;
    case 4: ret = cmd_change(q, &a, 1); break;
    case 5: ret = cmd_purge(q, &a); break;
    default: ret = cmd_check(q, &a); break;
    }
    kq_close(q);
    if (fflush(stdout) != 0 && ret == 0) {
        fprintf(stderr, "kioskctl queue: writing the output failed: %s\n", strerror(errno));
        ret = EXIT_FAILED;
    }
    return ret;
}
