/* kqt.h - helpers shared by the kq tests: scratch directories and a clock
 * that only moves when told to. Header-only, so that each test program
 * stays one file plus this. */
#ifndef KQT_H
#define KQT_H

#include "kq.h"

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A fresh directory under $TMPDIR (or /tmp) for one test's store. */
static inline void kqt_mkdir(char *dir, size_t len)
{
    const char *base = getenv("TMPDIR");
    snprintf(dir, len, "%s/kqtest-XXXXXX", base && *base ? base : "/tmp");
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        abort();
    }
}

/* Removes the directory and the files in it (the store, -wal, -shm, logs). */
static inline void kqt_rmdir(const char *dir)
{
    DIR *d = opendir(dir);
    if (d) {
        struct dirent *e;
        while ((e = readdir(d)) != NULL) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
            char p[1200];
            snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
            unlink(p);
        }
        closedir(d);
    }
    rmdir(dir);
}

/* A clock for leases and delays: tests move it, never wait for it. */
typedef struct kqt_clock {
    int64_t now;
} kqt_clock;

static inline int64_t kqt_clock_fn(void *user)
{
    return ((kqt_clock *)user)->now;
}

#endif
