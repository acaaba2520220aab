/* klog.c - see klog.h. The ring is fixed-size: logging never allocates, so a
 * kiosk that runs for weeks cannot grow its heap through its own logging. */
#include "klog.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static klog_level g_min = KLOG_INFO;
static int g_quiet;
static char g_ring[KLOG_RING][KLOG_LINE];
static size_t g_next, g_count;
static pthread_mutex_t g_mu = PTHREAD_MUTEX_INITIALIZER;

void klog_set_level(klog_level min) { g_min = min; }
void klog_set_quiet(int quiet) { g_quiet = quiet; }

void klog(klog_level lvl, const char *module, const char *fmt, ...)
{
    if (lvl < g_min)
        return;
    static const char tag[] = "DIWE";
    char stamp[32], msg[200];
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &tm);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);

    pthread_mutex_lock(&g_mu);
    snprintf(g_ring[g_next], KLOG_LINE, "%s %c %s: %s", stamp, tag[lvl & 3], module, msg);
    if (!g_quiet)
        fprintf(stderr, "%s\n", g_ring[g_next]);
    g_next = (g_next + 1) % KLOG_RING;
    if (g_count < KLOG_RING)
        g_count++;
    pthread_mutex_unlock(&g_mu);
}

int klog_recent(size_t i, char *buf, size_t len)
{
    int ok = 0;
    pthread_mutex_lock(&g_mu);
    if (i < g_count && len > 0) {
        size_t at = (g_next + KLOG_RING - 1 - i) % KLOG_RING;
        snprintf(buf, len, "%s", g_ring[at]);
        ok = 1;
    }
    pthread_mutex_unlock(&g_mu);
    return ok;
}
