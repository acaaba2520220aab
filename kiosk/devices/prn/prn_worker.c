/* prn_worker.c - printing off the UI thread.
 *
 * The UI spools a job (a few ms of disk I/O) and returns; this thread
 * flushes the spool, and while jobs wait it tries again every retry_ms or
 * when kicked. The UI reads the outcome with prn_worker_status_get() when
 * NOTIFY wakes it.
 */
#include "prn_internal.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct prn_worker {
    prn_printer *p;
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int stop, kick, retry_ms;
    prn_worker_status st;
    void (*notify)(void *);
    void *user;
};

static void deadline_in(struct timespec *ts, int ms)
{
    clock_gettime(CLOCK_MONOTONIC, ts);
    ts->tv_sec += ms / 1000;
    ts->tv_nsec += (long)(ms % 1000) * 1000000L;
    if (ts->tv_nsec >= 1000000000L) {
        ts->tv_sec++;
        ts->tv_nsec -= 1000000000L;
    }
}

static void *worker_main(void *arg)
{
    prn_worker *w = arg;
    pthread_mutex_lock(&w->mu);
    while (!w->stop) {
        w->kick = 0;
        pthread_mutex_unlock(&w->mu);

        size_t before = prn_pending(w->p);
        prn_err err = before ? prn_flush(w->p) : PRN_OK;
        size_t after = prn_pending(w->p);

        pthread_mutex_lock(&w->mu);
        if (before || w->st.pending != after) {
            w->st.last = err;
            w->st.pending = after;
            w->st.printed = prn_printed_count(w->p);
            memcpy(w->st.detail, prn_detail(w->p), sizeof w->st.detail - 1);
            w->st.detail[sizeof w->st.detail - 1] = '\0';
            if (w->notify) {
                pthread_mutex_unlock(&w->mu);
                w->notify(w->user);
                pthread_mutex_lock(&w->mu);
            }
        }
        if (w->stop || w->kick)
            continue;
        if (after) {
            struct timespec ts;
            deadline_in(&ts, w->retry_ms);
            while (!w->stop && !w->kick &&
                   pthread_cond_timedwait(&w->cv, &w->mu, &ts) != ETIMEDOUT) {
            }
        } else {
            while (!w->stop && !w->kick)
                pthread_cond_wait(&w->cv, &w->mu);
        }
    }
    pthread_mutex_unlock(&w->mu);
    return NULL;
}

prn_err prn_worker_start(prn_printer *p, int retry_ms, void (*notify)(void *), void *user,
                         prn_worker **out)
{
    if (!out)
        return PRN_ERR_ARG;
    *out = NULL;
    if (!p || retry_ms < 0)
        return PRN_ERR_ARG;
    prn_worker *w = calloc(1, sizeof *w);
    if (!w)
        return PRN_ERR_NOMEM;
    w->p = p;
    w->retry_ms = retry_ms ? retry_ms : 5000;
    w->notify = notify;
    w->user = user;
    w->kick = 1; /* flush what an earlier run left behind */
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    int ok = pthread_mutex_init(&w->mu, NULL) == 0;
    if (ok && pthread_cond_init(&w->cv, &ca) != 0) {
        pthread_mutex_destroy(&w->mu);
        ok = 0;
    }
    pthread_condattr_destroy(&ca);
    if (!ok) {
        free(w);
        return PRN_ERR_NOMEM;
    }
    if (pthread_create(&w->thread, NULL, worker_main, w) != 0) {
        pthread_cond_destroy(&w->cv);
        pthread_mutex_destroy(&w->mu);
        free(w);
        return PRN_ERR_NOMEM;
    }
    *out = w;
    return PRN_OK;
}

prn_err prn_worker_submit(prn_worker *w, const prn_raster *r)
{
    if (!w || !r)
        return PRN_ERR_ARG;
    char detail[160] = "";
    /* Spooling only needs the directory, which never changes, so it runs
     * here while the worker may be printing. */
    prn_err err = spool_write(prn_spool_dir(w->p), r, detail, sizeof detail);
    pthread_mutex_lock(&w->mu);
    if (err == PRN_OK) {
        w->st.pending++;
        w->kick = 1;
        pthread_cond_signal(&w->cv);
    } else {
        w->st.last = err;
        memcpy(w->st.detail, detail, sizeof detail);
    }
    pthread_mutex_unlock(&w->mu);
    return err;
}

void prn_worker_kick(prn_worker *w)
{
    if (!w)
        return;
    pthread_mutex_lock(&w->mu);
    w->kick = 1;
    pthread_cond_signal(&w->cv);
    pthread_mutex_unlock(&w->mu);
}

void prn_worker_status_get(prn_worker *w, prn_worker_status *st)
{
    if (!w || !st)
        return;
    pthread_mutex_lock(&w->mu);
    *st = w->st;
    pthread_mutex_unlock(&w->mu);
}

void prn_worker_stop(prn_worker *w)
{
    if (!w)
        return;
    pthread_mutex_lock(&w->mu);
    w->stop = 1;
    pthread_cond_signal(&w->cv);
    pthread_mutex_unlock(&w->mu);
    pthread_join(w->thread, NULL);
    pthread_cond_destroy(&w->cv);
    pthread_mutex_destroy(&w->mu);
    prn_close(w->p);
    free(w);
}
