/* bench.h - what every benchmark times with: a monotonic clock in ms and a
 * median / p99 line. Header-only; benchmarks are programs, not a library. */
#ifndef BENCH_H
#define BENCH_H

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static inline double bench_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static inline int bench_cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Sorts V[0..N) and prints WHAT with its median and 99th percentile. */
static inline void bench_report(const char *what, double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, bench_cmp);
    printf("  %-44s median %7.3f ms  p99 %7.3f ms  (n=%d)\n", what, v[n / 2], v[(n * 99) / 100], n);
}

#endif
