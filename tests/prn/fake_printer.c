/* fake_printer.c - see fake_printer.h. One thread, poll() over the listen
 * socket, one client and a wake-up pipe. */
#include "fake_printer.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

struct fake_printer {
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int port;
    int lfd, cfd;
    int wake[2];
    int stop, paper_out, silent, vanished, relisten;
    size_t vanish_after;
    /* current connection */
    uint8_t *cur;
    size_t cur_len, cur_cap;
    int dle_state; /* 0 none, 1 saw DLE, 2 saw DLE EOT */
    /* completed connections */
    uint8_t *done;
    size_t done_len, done_cap;
    int jobs;
};

static int append(uint8_t **buf, size_t *len, size_t *cap, const uint8_t *src, size_t n)
{
    if (n == 0)
        return 0;
    if (*len + n > *cap) {
        size_t nc = (*cap ? *cap * 2 : 4096);
        while (nc < *len + n)
            nc *= 2;
        uint8_t *b = realloc(*buf, nc);
        if (!b)
            return -1;
        *buf = b;
        *cap = nc;
    }
    memcpy(*buf + *len, src, n);
    *len += n;
    return 0;
}

static int listen_on(int port)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons((uint16_t)port);
    if (bind(fd, (struct sockaddr *)&a, sizeof a) != 0 || listen(fd, 4) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

static void reset_close(int fd)
{
    /* SO_LINGER 0: close sends RST, like a printer that lost power. */
    struct linger lg = {1, 0};
    setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
    close(fd);
}

/* Feeds received bytes through the real-time command filter. Called with
 * the mutex held. */
static void consume(fake_printer *fp, const uint8_t *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        uint8_t c = b[i];
        if (fp->dle_state == 2) {
            fp->dle_state = 0;
            if (c >= 1 && c <= 4) {
                if (!fp->silent) {
                    uint8_t ans = 0x12;
                    if (fp->paper_out && c == 2)
                        ans |= 0x20;
                    if (fp->paper_out && c == 4)
                        ans |= 0x60;
                    if (send(fp->cfd, &ans, 1, MSG_NOSIGNAL) != 1) {
                        /* the client went away; the read side will notice */
                    }
                }
                continue;
            }
            static const uint8_t de[2] = {0x10, 0x04};
            append(&fp->cur, &fp->cur_len, &fp->cur_cap, de, 2);
        } else if (fp->dle_state == 1) {
            fp->dle_state = 0;
            if (c == 0x04) {
                fp->dle_state = 2;
                continue;
            }
            static const uint8_t dl = 0x10;
            append(&fp->cur, &fp->cur_len, &fp->cur_cap, &dl, 1);
        }
        if (c == 0x10) {
            fp->dle_state = 1;
            continue;
        }
        append(&fp->cur, &fp->cur_len, &fp->cur_cap, &c, 1);
    }
}

static void *serve(void *arg)
{
    fake_printer *fp = arg;
    uint8_t buf[4096];
    pthread_mutex_lock(&fp->mu);
    while (!fp->stop) {
        if (fp->relisten && fp->lfd < 0) {
            fp->lfd = listen_on(fp->port);
            fp->relisten = 0;
            fp->vanished = 0;
            pthread_cond_broadcast(&fp->cv);
        }
        struct pollfd pf[3];
        int np = 0;
        pf[np++] = (struct pollfd){fp->wake[0], POLLIN, 0};
        int li = -1, ci = -1;
        if (fp->lfd >= 0 && fp->cfd < 0) {
            li = np;
            pf[np++] = (struct pollfd){fp->lfd, POLLIN, 0};
        }
        if (fp->cfd >= 0) {
            ci = np;
            pf[np++] = (struct pollfd){fp->cfd, POLLIN, 0};
        }
        pthread_mutex_unlock(&fp->mu);
        int pr = poll(pf, (nfds_t)np, 1000);
        pthread_mutex_lock(&fp->mu);
        if (pr <= 0)
            continue;
        if (pf[0].revents) {
            uint8_t x;
            if (read(fp->wake[0], &x, 1) < 0) {
                /* nothing to do: the pipe only wakes us */
            }
        }
        if (li >= 0 && (pf[li].revents & POLLIN)) {
            fp->cfd = accept4(fp->lfd, NULL, NULL, SOCK_CLOEXEC);
            fp->cur_len = 0;
            fp->dle_state = 0;
        }
        if (ci >= 0 && pf[ci].revents) {
            ssize_t k = recv(fp->cfd, buf, sizeof buf, 0);
            if (k > 0) {
                consume(fp, buf, (size_t)k);
                if (fp->vanish_after && fp->cur_len >= fp->vanish_after) {
                    reset_close(fp->cfd);
                    fp->cfd = -1;
                    close(fp->lfd);
                    fp->lfd = -1;
                    fp->vanished = 1;
                    fp->vanish_after = 0;
                    fp->cur_len = 0;
                    pthread_cond_broadcast(&fp->cv);
                }
            } else if (k == 0 || (errno != EINTR && errno != EAGAIN)) {
                close(fp->cfd);
                fp->cfd = -1;
                append(&fp->done, &fp->done_len, &fp->done_cap, fp->cur, fp->cur_len);
                fp->cur_len = 0;
                fp->jobs++;
                pthread_cond_broadcast(&fp->cv);
            }
        }
    }
    pthread_mutex_unlock(&fp->mu);
    return NULL;
}

fake_printer *fake_printer_start(void)
{
    fake_printer *fp = calloc(1, sizeof *fp);
    if (!fp)
        return NULL;
    fp->cfd = -1;
    fp->lfd = listen_on(0);
    if (fp->lfd < 0 || pipe2(fp->wake, O_CLOEXEC) != 0) {
        free(fp);
        return NULL;
    }
    struct sockaddr_in a;
    socklen_t al = sizeof a;
    getsockname(fp->lfd, (struct sockaddr *)&a, &al);
    fp->port = ntohs(a.sin_port);
    pthread_mutex_init(&fp->mu, NULL);
    pthread_cond_init(&fp->cv, NULL);
    pthread_create(&fp->thread, NULL, serve, fp);
    return fp;
}

static void poke(fake_printer *fp)
{
    uint8_t x = 1;
    if (write(fp->wake[1], &x, 1) < 0) {
        /* the pipe is only a wake-up */
    }
}

int fake_printer_port(fake_printer *fp) { return fp->port; }

#define SETTER(name, field, type)                                                                  \
    void fake_printer_set_##name(fake_printer *fp, type v)                                         \
    {                                                                                              \
        pthread_mutex_lock(&fp->mu);                                                               \
        fp->field = v;                                                                             \
        pthread_mutex_unlock(&fp->mu);                                                             \
    }
SETTER(paper_out, paper_out, int)
SETTER(silent, silent, int)
SETTER(vanish_after, vanish_after, size_t)

int fake_printer_vanished(fake_printer *fp)
{
    pthread_mutex_lock(&fp->mu);
    int v = fp->vanished;
    pthread_mutex_unlock(&fp->mu);
    return v;
}

static void deadline(struct timespec *ts, int s)
{
    clock_gettime(CLOCK_REALTIME, ts);
    ts->tv_sec += s;
}

int fake_printer_revive(fake_printer *fp)
{
    struct timespec ts;
    deadline(&ts, 30);
    pthread_mutex_lock(&fp->mu);
    fp->relisten = 1;
    poke(fp);
    while (fp->lfd < 0 && pthread_cond_timedwait(&fp->cv, &fp->mu, &ts) == 0) {
    }
    int ok = fp->lfd >= 0 ? 0 : -1;
    pthread_mutex_unlock(&fp->mu);
    return ok;
}

int fake_printer_wait_jobs(fake_printer *fp, int n)
{
    struct timespec ts;
    deadline(&ts, 60);
    pthread_mutex_lock(&fp->mu);
    while (fp->jobs < n && pthread_cond_timedwait(&fp->cv, &fp->mu, &ts) == 0) {
    }
    int jobs = fp->jobs;
    pthread_mutex_unlock(&fp->mu);
    return jobs;
}

const uint8_t *fake_printer_data(fake_printer *fp, size_t *len)
{
    pthread_mutex_lock(&fp->mu);
    *len = fp->done_len;
    const uint8_t *d = fp->done;
    pthread_mutex_unlock(&fp->mu);
    return d;
}

void fake_printer_stop(fake_printer *fp)
{
    if (!fp)
        return;
    pthread_mutex_lock(&fp->mu);
    fp->stop = 1;
    poke(fp);
    pthread_mutex_unlock(&fp->mu);
    pthread_join(fp->thread, NULL);
    if (fp->cfd >= 0)
        close(fp->cfd);
    if (fp->lfd >= 0)
        close(fp->lfd);
    close(fp->wake[0]);
    close(fp->wake[1]);
    pthread_cond_destroy(&fp->cv);
    pthread_mutex_destroy(&fp->mu);
    free(fp->cur);
    free(fp->done);
    free(fp);
}
