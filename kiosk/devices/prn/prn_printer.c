/* prn_printer.c - printer URLs, backends, flushing the spool.
 *
 * An ESC/POS job is sent over one connection: status first (when the
 * printer answers DLE EOT), the job, then status again. The second answer
 * is our receipt: a printer that answered before the job but not after it
 * lost the link mid-job, so the job stays spooled and is sent again whole
 * (at-least-once: a torn ticket may be followed by a complete one, but no
 * ticket is ever silently missing). Printers that never answer status are
 * trusted once the bytes are written.
 */
#include "prn_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#ifdef KIOSK_HAVE_CUPS
#include <cups/cups.h>
#endif

typedef enum { BK_ESCPOS_DEV, BK_ESCPOS_FILE, BK_ESCPOS_TCP, BK_PNG, BK_CUPS } backend;

struct prn_printer {
    backend kind;
    char target[1024]; /* device / file path, host, or queue */
    char port[16];
    char spool[1024];
    prn_opts o;
    uint64_t printed;
    char detail[256];
};

typedef struct conn {
    int fd;
    int readable; /* can carry status answers */
    int socket;
} conn;

/* ---- URL --------------------------------------------------------------- */

static int copy_str(char *dst, size_t cap, const char *src, size_t len)
{
    if (len == 0 || len >= cap)
        return 0;
    memcpy(dst, src, len);
    dst[len] = '\0';
    return 1;
}

static prn_err parse_url(prn_printer *p, const char *url)
{
    static const struct {
        const char *scheme;
        backend kind;
    } schemes[] = {{"escpos-file:", BK_ESCPOS_FILE}, {"escpos-tcp:", BK_ESCPOS_TCP},
                   {"escpos:", BK_ESCPOS_DEV},       {"png:", BK_PNG},
                   {"cups:", BK_CUPS}};
    for (size_t i = 0; i < sizeof schemes / sizeof schemes[0]; i++) {
        size_t sl = strlen(schemes[i].scheme);
        if (strncmp(url, schemes[i].scheme, sl) != 0)
            continue;
        const char *rest = url + sl;
        p->kind = schemes[i].kind;
        if (p->kind != BK_ESCPOS_TCP)
            return copy_str(p->target, sizeof p->target, rest, strlen(rest)) ? PRN_OK : PRN_ERR_URL;
        /* HOST[:PORT], or [V6ADDR][:PORT] */
        const char *host = rest, *port = NULL;
        size_t hl;
        if (*rest == '[') {
            const char *close = strchr(rest, ']');
            if (!close)
                return PRN_ERR_URL;
            host = rest + 1;
            hl = (size_t)(close - host);
            if (close[1] == ':')
                port = close + 2;
            else if (close[1] != '\0')
                return PRN_ERR_URL;
        } else {
            const char *colon = strrchr(rest, ':');
            hl = colon ? (size_t)(colon - rest) : strlen(rest);
            if (colon)
                port = colon + 1;
        }
        if (!copy_str(p->target, sizeof p->target, host, hl))
            return PRN_ERR_URL;
        if (!port)
            port = "9100";
        size_t pl = strlen(port);
        if (pl == 0 || pl > 5 || strspn(port, "0123456789") != pl || atoi(port) < 1 ||
            atoi(port) > 65535)
            return PRN_ERR_URL;
        return copy_str(p->port, sizeof p->port, port, pl) ? PRN_OK : PRN_ERR_URL;
    }
    return PRN_ERR_URL;
}

prn_err prn_open(const char *url, const char *spool_dir, const prn_opts *opts, prn_printer **out)
{
    if (!out)
        return PRN_ERR_ARG;
    *out = NULL;
    if (!url || !spool_dir || !*spool_dir || strlen(spool_dir) >= 900)
        return PRN_ERR_ARG;
    prn_printer *p = calloc(1, sizeof *p);
    if (!p)
        return PRN_ERR_NOMEM;
    prn_err err = parse_url(p, url);
    if (err != PRN_OK) {
        free(p);
        return err;
    }
#ifndef KIOSK_HAVE_CUPS
    if (p->kind == BK_CUPS) {
        free(p);
        return PRN_ERR_UNSUPPORTED;
    }
#endif
    memcpy(p->spool, spool_dir, strlen(spool_dir) + 1);
    p->o.connect_timeout_ms = 3000;
    p->o.io_timeout_ms = 10000;
    p->o.status_timeout_ms = 400;
    p->o.band_rows = 64;
    if (opts) {
        if (opts->connect_timeout_ms > 0)
            p->o.connect_timeout_ms = opts->connect_timeout_ms;
        if (opts->io_timeout_ms > 0)
            p->o.io_timeout_ms = opts->io_timeout_ms;
        if (opts->status_timeout_ms > 0)
            p->o.status_timeout_ms = opts->status_timeout_ms;
        if (opts->band_rows > 0)
            p->o.band_rows = opts->band_rows;
    }
    err = spool_prepare(p->spool, p->detail, sizeof p->detail);
    if (err != PRN_OK) {
        free(p);
        return err;
    }
    *out = p;
    return PRN_OK;
}

void prn_close(prn_printer *p) { free(p); }

const char *prn_detail(const prn_printer *p) { return p ? p->detail : ""; }
const char *prn_spool_dir(const prn_printer *p) { return p->spool; }
uint64_t prn_printed_count(const prn_printer *p) { return p->printed; }

/* ---- connections ------------------------------------------------------- */

static prn_err fail(prn_printer *p, prn_err err, const char *what, int errnum)
{
    if (errnum)
        prn_fmt(p->detail, sizeof p->detail, "%s: %s", what, strerror(errnum));
    else
        prn_fmt(p->detail, sizeof p->detail, "%s", what);
    return err;
}

static prn_err tcp_connect(prn_printer *p, conn *c)
{
    struct addrinfo hints, *res = NULL;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    int gai = getaddrinfo(p->target, p->port, &hints, &res);
    if (gai != 0) {
        prn_fmt(p->detail, sizeof p->detail, "resolve %s: %s", p->target, gai_strerror(gai));
        return PRN_ERR_OFFLINE;
    }
    int last = ECONNREFUSED;
    for (struct addrinfo *ai = res; ai; ai = ai->ai_next) {
        int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, ai->ai_protocol);
        if (fd < 0) {
            last = errno;
            continue;
        }
        int rc = connect(fd, ai->ai_addr, ai->ai_addrlen);
        if (rc != 0 && errno == EINPROGRESS) {
            struct pollfd pf = {fd, POLLOUT, 0};
            int pr;
            do
                pr = poll(&pf, 1, p->o.connect_timeout_ms);
            while (pr < 0 && errno == EINTR);
            int soerr = 0;
            socklen_t sl = sizeof soerr;
            if (pr == 1 && getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) == 0 && soerr == 0)
                rc = 0;
            else
                errno = pr == 0 ? ETIMEDOUT : (soerr ? soerr : errno);
        }
        if (rc == 0) {
            freeaddrinfo(res);
            c->fd = fd;
            c->readable = 1;
            c->socket = 1;
            return PRN_OK;
        }
        last = errno;
        close(fd);
    }
    freeaddrinfo(res);
    char what[1100];
    snprintf(what, sizeof what, "connect %s:%s", p->target, p->port);
    return fail(p, PRN_ERR_OFFLINE, what, last);
}

static prn_err conn_open(prn_printer *p, conn *c)
{
    c->fd = -1;
    c->readable = 0;
    c->socket = 0;
    if (p->kind == BK_ESCPOS_TCP)
        return tcp_connect(p, c);
    char what[1100];
    snprintf(what, sizeof what, "open %s", p->target);
    if (p->kind == BK_ESCPOS_FILE) {
        c->fd = open(p->target, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
        return c->fd < 0 ? fail(p, PRN_ERR_OFFLINE, what, errno) : PRN_OK;
    }
    /* Device: must exist (never create /dev/usb/lp0 as a file when the
     * printer is unplugged). Character devices are opened read-write to
     * hear status answers; anything else (a FIFO) write-only. */
    struct stat st;
    if (stat(p->target, &st) != 0)
        return fail(p, PRN_ERR_OFFLINE, what, errno);
    if (S_ISCHR(st.st_mode)) {
        c->fd = open(p->target, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
        if (c->fd >= 0) {
            c->readable = 1;
            return PRN_OK;
        }
    }
    c->fd = open(p->target, O_WRONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
    if (c->fd < 0)
        return fail(p, PRN_ERR_OFFLINE, what, errno);
    return PRN_OK;
}

static void conn_close(conn *c)
{
    if (c->fd >= 0)
        close(c->fd);
    c->fd = -1;
}

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* 0 written; else errno (ETIMEDOUT when the printer stopped taking data). */
static int conn_write(conn *c, const uint8_t *buf, size_t len, int timeout_ms)
{
    long long deadline = now_ms() + timeout_ms;
    while (len) {
        ssize_t k = c->socket ? send(c->fd, buf, len, MSG_NOSIGNAL) : write(c->fd, buf, len);
        if (k > 0) {
            buf += k;
            len -= (size_t)k;
            deadline = now_ms() + timeout_ms; /* timeout is per stall, not per job */
            continue;
        }
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            long long left = deadline - now_ms();
            if (left <= 0)
                return ETIMEDOUT;
            struct pollfd pf = {c->fd, POLLOUT, 0};
            int pr = poll(&pf, 1, (int)left);
            if (pr < 0 && errno != EINTR)
                return errno;
            if (pr > 0 && (pf.revents & (POLLERR | POLLHUP)) && !(pf.revents & POLLOUT))
                return EPIPE;
            continue;
        }
        return k < 0 ? errno : EIO;
    }
    return 0;
}

/* Asks DLE EOT 2 (offline cause) and DLE EOT 4 (paper). Returns 1 with
 * *st set when the printer answered, 0 when it stayed silent, -1 when the
 * link is gone. */
static int query_status(conn *c, int timeout_ms, prn_err *st)
{
    uint8_t junk[64];
    for (;;) { /* drop answers that arrived late for an earlier question */
        ssize_t k = c->socket ? recv(c->fd, junk, sizeof junk, MSG_DONTWAIT) : read(c->fd, junk, sizeof junk);
        if (k > 0)
            continue;
        if (k == 0)
            return -1;
        if (errno == EINTR)
            continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK)
            break;
        return -1;
    }
    static const uint8_t ask[] = {0x10, 0x04, 0x02, 0x10, 0x04, 0x04};
    if (conn_write(c, ask, sizeof ask, timeout_ms) != 0)
        return -1;
    uint8_t ans[2];
    size_t got = 0;
    long long deadline = now_ms() + timeout_ms;
    while (got < 2) {
        long long left = deadline - now_ms();
        if (left <= 0)
            break;
        struct pollfd pf = {c->fd, POLLIN, 0};
        int pr = poll(&pf, 1, (int)left);
        if (pr < 0 && errno == EINTR)
            continue;
        if (pr <= 0)
            break;
        ssize_t k = c->socket ? recv(c->fd, ans + got, 2 - got, MSG_DONTWAIT) : read(c->fd, ans + got, 2 - got);
        if (k == 0)
            return -1;
        if (k < 0) {
            if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK)
                continue;
            return -1;
        }
        got += (size_t)k;
    }
    if (got == 0)
        return 0;
    prn_err s2 = prn_escpos_status(2, ans[0]);
    prn_err s4 = got > 1 ? prn_escpos_status(4, ans[1]) : PRN_OK;
    if (s2 == PRN_ERR_ARG && s4 == PRN_ERR_ARG)
        return 0; /* not a status answer: treat the printer as silent */
    *st = s2 != PRN_OK && s2 != PRN_ERR_ARG ? s2 : (s4 == PRN_ERR_ARG ? PRN_OK : s4);
    return 1;
}

/* ---- backends ---------------------------------------------------------- */

static prn_err print_escpos(prn_printer *p, const prn_raster *r)
{
    uint8_t *job = NULL;
    size_t len = 0;
    prn_err err = prn_escpos_encode(r, p->o.band_rows, &job, &len);
    if (err != PRN_OK)
        return err;
    conn c;
    err = conn_open(p, &c);
    if (err != PRN_OK) {
        free(job);
        return err;
    }
    int answers = 0;
    prn_err st = PRN_OK;
    if (c.readable) {
        int q = query_status(&c, p->o.status_timeout_ms, &st);
        if (q < 0)
            err = fail(p, PRN_ERR_OFFLINE, "the printer closed the connection", 0);
        else if (q == 1 && st != PRN_OK)
            err = fail(p, st, "the printer reported its state before the job", 0);
        answers = q == 1;
    }
    if (err == PRN_OK) {
        int werr = conn_write(&c, job, len, p->o.io_timeout_ms);
        if (werr) {
            err = fail(p, PRN_ERR_WRITE, "sending the job", werr);
            /* A printer that stops taking data may say why. */
            if (c.readable && query_status(&c, p->o.status_timeout_ms, &st) == 1 && st != PRN_OK)
                err = fail(p, st, "the printer stopped taking the job", 0);
        } else if (answers) {
            int q = query_status(&c, p->o.io_timeout_ms, &st);
            if (q != 1)
                err = fail(p, PRN_ERR_WRITE, "no answer from the printer after the job", 0);
            else if (st != PRN_OK)
                err = fail(p, st, "the printer reported a problem during the job", 0);
        }
    }
    conn_close(&c);
    free(job);
    return err;
}

static prn_err print_png(prn_printer *p, const prn_raster *r)
{
    char tmp[1100];
    snprintf(tmp, sizeof tmp, "%s.tmp-%ld", p->target, (long)getpid());
    prn_err err = prn_raster_write_png(r, tmp);
    if (err == PRN_OK && rename(tmp, p->target) != 0)
        err = fail(p, PRN_ERR_IO, "rename the PNG", errno);
    else if (err != PRN_OK)
        fail(p, err, "could not write the PNG", 0);
    if (err != PRN_OK)
        unlink(tmp);
    return err;
}

#ifdef KIOSK_HAVE_CUPS
static prn_err cups_state(prn_printer *p)
{
    cups_dest_t *dest = cupsGetNamedDest(CUPS_HTTP_DEFAULT, p->target, NULL);
    if (!dest) {
        prn_fmt(p->detail, sizeof p->detail, "CUPS queue %s: %s", p->target, cupsLastErrorString());
        return PRN_ERR_OFFLINE;
    }
    prn_err err = PRN_OK;
    const char *reasons = cupsGetOption("printer-state-reasons", dest->num_options, dest->options);
    const char *state = cupsGetOption("printer-state", dest->num_options, dest->options);
    if (reasons && (strstr(reasons, "media-empty") || strstr(reasons, "media-needed")))
        err = PRN_ERR_PAPER_OUT;
    else if (reasons && (strstr(reasons, "cover-open") || strstr(reasons, "door-open")))
        err = PRN_ERR_COVER_OPEN;
    else if (reasons && strstr(reasons, "offline-report"))
        err = PRN_ERR_OFFLINE;
    else if (state && strcmp(state, "5") == 0) /* IPP_PSTATE_STOPPED */
        err = PRN_ERR_OFFLINE;
    if (err != PRN_OK)
        prn_fmt(p->detail, sizeof p->detail, "CUPS queue %s: state %s, %s", p->target,
                 state ? state : "?", reasons ? reasons : "");
    cupsFreeDests(1, dest);
    return err;
}

static prn_err print_cups(prn_printer *p, const prn_raster *r)
{
    prn_err err = cups_state(p);
    if (err != PRN_OK)
        return err;
    char tmp[1100];
    snprintf(tmp, sizeof tmp, "%s/.cups-%ld.png", p->spool, (long)getpid());
    err = prn_raster_write_png(r, tmp);
    if (err != PRN_OK) {
        unlink(tmp);
        return fail(p, PRN_ERR_SPOOL, "could not write the image for CUPS", 0);
    }
    cups_option_t *opts = NULL;
    int nopt = cupsAddOption("ppi", "203", 0, &opts);
    int id = cupsPrintFile(p->target, tmp, "kiosk ticket", nopt, opts);
    cupsFreeOptions(nopt, opts);
    unlink(tmp);
    if (id == 0) {
        ipp_status_t s = cupsLastError();
        prn_fmt(p->detail, sizeof p->detail, "CUPS: %s", cupsLastErrorString());
        return s == IPP_STATUS_ERROR_NOT_FOUND || s == IPP_STATUS_ERROR_SERVICE_UNAVAILABLE ||
                       s == IPP_STATUS_ERROR_NOT_ACCEPTING_JOBS || s == IPP_STATUS_ERROR_INTERNAL
                   ? PRN_ERR_OFFLINE
                   : PRN_ERR_WRITE;
    }
    return PRN_OK;
}
#endif

static prn_err print_one(prn_printer *p, const prn_raster *r)
{
    switch (p->kind) {
    case BK_ESCPOS_DEV:
    case BK_ESCPOS_FILE:
    case BK_ESCPOS_TCP: return print_escpos(p, r);
    case BK_PNG: return print_png(p, r);
    case BK_CUPS:
#ifdef KIOSK_HAVE_CUPS
        return print_cups(p, r);
#else
        return PRN_ERR_UNSUPPORTED;
#endif
    }
    return PRN_ERR_ARG;
}

/* ---- spool-facing API -------------------------------------------------- */

prn_err prn_enqueue(prn_printer *p, const prn_raster *r)
{
    if (!p || !r)
        return PRN_ERR_ARG;
    p->detail[0] = '\0';
    return spool_write(p->spool, r, p->detail, sizeof p->detail);
}

/* Holds the spool's lock file for the duration of a flush, so that two
 * processes (the kiosk and kioskctl) never print the same job twice. */
static int lock_spool(prn_printer *p)
{
    char path[1100];
    snprintf(path, sizeof path, "%s/.lock", p->spool);
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0)
        return -1;
    while (flock(fd, LOCK_EX) != 0) {
        if (errno != EINTR) {
            close(fd);
            return -1;
        }
    }
    return fd;
}

prn_err prn_flush(prn_printer *p)
{
    if (!p)
        return PRN_ERR_ARG;
    p->detail[0] = '\0';
    int lock = lock_spool(p);
    if (lock < 0)
        return fail(p, PRN_ERR_SPOOL, "lock the spool directory", errno);
    char **names = NULL;
    size_t n = 0;
    prn_err err = spool_list(p->spool, &names, &n);
    if (err != PRN_OK)
        fail(p, err, "list the spool directory", errno);
    int corrupt = 0;
    for (size_t i = 0; i < n && err == PRN_OK; i++) {
        char path[1400];
        snprintf(path, sizeof path, "%s/%s", p->spool, names[i]);
        prn_raster *r = NULL;
        err = spool_read(path, &r, p->detail, sizeof p->detail);
        if (err == PRN_ERR_CORRUPT) {
            /* Keep it for staff, out of the print order. */
            char bad[1410];
            snprintf(bad, sizeof bad, "%s.bad", path);
            if (rename(path, bad) != 0)
                break;
            corrupt = 1;
            err = PRN_OK;
            continue;
        }
        if (err != PRN_OK)
            break;
        err = print_one(p, r);
        prn_raster_free(r);
        if (err == PRN_OK) {
            if (unlink(path) != 0) {
                err = fail(p, PRN_ERR_SPOOL, "remove a printed job", errno);
                break;
            }
            spool_sync_dir(p->spool);
            p->printed++;
        }
    }
    spool_list_free(names, n);
    close(lock); /* releases the flock */
    if (err == PRN_OK && corrupt)
        return PRN_ERR_CORRUPT;
    return err;
}

prn_err prn_submit(prn_printer *p, const prn_raster *r)
{
    prn_err err = prn_enqueue(p, r);
    return err != PRN_OK ? err : prn_flush(p);
}

prn_err prn_check(prn_printer *p)
{
    if (!p)
        return PRN_ERR_ARG;
    p->detail[0] = '\0';
    switch (p->kind) {
    case BK_ESCPOS_DEV:
    case BK_ESCPOS_FILE:
    case BK_ESCPOS_TCP: {
        conn c;
        prn_err err = conn_open(p, &c);
        if (err != PRN_OK)
            return err;
        prn_err st = PRN_OK;
        if (c.readable) {
            int q = query_status(&c, p->o.status_timeout_ms, &st);
            if (q < 0)
                err = fail(p, PRN_ERR_OFFLINE, "the printer closed the connection", 0);
            else if (q == 1)
                err = st;
        }
        conn_close(&c);
        return err;
    }
    case BK_PNG: return PRN_OK;
    case BK_CUPS:
#ifdef KIOSK_HAVE_CUPS
        return cups_state(p);
#else
        return PRN_ERR_UNSUPPORTED;
#endif
    }
    return PRN_ERR_ARG;
}

size_t prn_pending(prn_printer *p)
{
    if (!p)
        return 0;
    char **names = NULL;
    size_t n = 0;
    if (spool_list(p->spool, &names, &n) != PRN_OK)
        return 0;
    spool_list_free(names, n);
    return n;
}
