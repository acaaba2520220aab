/* kclock.c - see kclock.h. */
#include "kclock.h"

#include <stdatomic.h>

static atomic_int g_sim;
static _Atomic uint64_t g_sim_ms;
static _Atomic int64_t g_sim_wall0;

uint64_t kclock_ms(void)
{
    if (atomic_load(&g_sim))
        return atomic_load(&g_sim_ms);
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

time_t kclock_wall(void)
{
    if (atomic_load(&g_sim))
        return (time_t)(atomic_load(&g_sim_wall0) + (int64_t)(atomic_load(&g_sim_ms) / 1000u));
    return time(NULL);
}

void kclock_simulate(time_t wall)
{
    atomic_store(&g_sim_wall0, (int64_t)wall);
    atomic_store(&g_sim_ms, 0);
    atomic_store(&g_sim, 1);
}

int kclock_simulated(void) { return atomic_load(&g_sim); }

void kclock_advance(uint64_t ms)
{
    if (atomic_load(&g_sim))
        atomic_fetch_add(&g_sim_ms, ms);
}

void kclock_format(char *buf, size_t len, const char *fmt)
{
    time_t t = kclock_wall();
    struct tm tm;
    localtime_r(&t, &tm);
    if (strftime(buf, len, fmt, &tm) == 0 && len > 0)
        buf[0] = '\0';
}
