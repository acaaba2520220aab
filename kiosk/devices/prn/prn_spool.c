/* prn_spool.c - jobs kept on disk until a printer took them.
 *
 * One file per job, named by creation time so that a plain sort is the
 * print order: <20-digit ns>-<pid>-<counter>.job. A job is written to a
 * dot-file, fsync'd, renamed into place and the directory fsync'd, so after
 * a crash or power cut a job either exists whole or not at all. File:
 *   "KPRNJOB1" | u32 width | u32 height | u32 FNV-1a of the bits | bits
 * (little endian; bits as prn_raster, stride (width+7)/8).
 */
#include "prn_internal.h"

#include "kbuf.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define SPOOL_MAGIC "KPRNJOB1"
enum { HEADER_LEN = 20, MAX_JOB_BYTES = 64 * 1024 * 1024 };

void prn_fmt(char *dst, size_t cap, const char *fmt, ...)
{
    if (!cap)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(dst, cap, fmt, ap);
    va_end(ap);
}

static uint32_t fnv1a(const uint8_t *p, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= 16777619u;
    }
    return h;
}

static void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

static uint32_t get32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

prn_err prn_spool_parse(const uint8_t *data, size_t len, prn_raster **out)
{
    if (!out)
        return PRN_ERR_ARG;
    *out = NULL;
    if (!data || len < HEADER_LEN || memcmp(data, SPOOL_MAGIC, 8) != 0)
        return PRN_ERR_CORRUPT;
    uint32_t w = get32(data + 8), h = get32(data + 12), sum = get32(data + 16);
    if (w < 1 || w > 4096 || h > 1000000)
        return PRN_ERR_CORRUPT;
    size_t stride = ((size_t)w + 7) / 8;
    if (len - HEADER_LEN != stride * (size_t)h)
        return PRN_ERR_CORRUPT;
    if (fnv1a(data + HEADER_LEN, len - HEADER_LEN) != sum)
        return PRN_ERR_CORRUPT;
    prn_raster *r = prn_raster_new((int)w, (int)h);
    if (!r)
        return PRN_ERR_NOMEM;
    memcpy(r->bits, data + HEADER_LEN, len - HEADER_LEN);
    *out = r;
    return PRN_OK;
}

static int write_all_fd(int fd, const uint8_t *p, size_t n)
{
    while (n) {
        ssize_t k = write(fd, p, n);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return -1;
        p += k;
        n -= (size_t)k;
    }
    return 0;
}

int spool_sync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    int rc = fsync(fd);
    close(fd);
    return rc;
}

prn_err spool_prepare(const char *dir, char *detail, size_t dlen)
{
    if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
        prn_fmt(detail, dlen, "create spool directory %s: %s", dir, strerror(errno));
        return PRN_ERR_SPOOL;
    }
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        prn_fmt(detail, dlen, "spool %s is not a directory", dir);
        return PRN_ERR_SPOOL;
    }
    return PRN_OK;
}

prn_err spool_write(const char *dir, const prn_raster *r, char *detail, size_t dlen)
{
    static atomic_ullong last_ns;
    static atomic_uint counter;
    if (!r || !r->bits || r->width < 1 || r->height < 1)
        return PRN_ERR_ARG;
    size_t body = r->stride * (size_t)r->height;
    if (body > MAX_JOB_BYTES)
        return PRN_ERR_ARG;

    /* Strictly increasing names within a process even if the clock stalls. */
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    unsigned long long ns = (unsigned long long)ts.tv_sec * 1000000000ull + (unsigned long long)ts.tv_nsec;
    unsigned long long prev = atomic_load(&last_ns);
    do {
        if (ns <= prev)
            ns = prev + 1;
    } while (!atomic_compare_exchange_weak(&last_ns, &prev, ns));
    unsigned seq = atomic_fetch_add(&counter, 1u) & 0xFFFFu;

    char name[96], tmp[1200], final[1200];
    snprintf(name, sizeof name, "%020llu-%08x-%04x.job", ns, (unsigned)getpid(), seq);
    int n1 = snprintf(tmp, sizeof tmp, "%s/.%s.tmp", dir, name);
    int n2 = snprintf(final, sizeof final, "%s/%s", dir, name);
    if (n1 < 0 || (size_t)n1 >= sizeof tmp || n2 < 0 || (size_t)n2 >= sizeof final) {
        prn_fmt(detail, dlen, "spool path too long");
        return PRN_ERR_SPOOL;
    }
    uint8_t hdr[HEADER_LEN];
    memcpy(hdr, SPOOL_MAGIC, 8);
    put32(hdr + 8, (uint32_t)r->width);
    put32(hdr + 12, (uint32_t)r->height);
    put32(hdr + 16, fnv1a(r->bits, body));

    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        prn_fmt(detail, dlen, "create %s: %s", tmp, strerror(errno));
        return PRN_ERR_SPOOL;
    }
    if (write_all_fd(fd, hdr, sizeof hdr) != 0 || write_all_fd(fd, r->bits, body) != 0 ||
        fsync(fd) != 0) {
        prn_fmt(detail, dlen, "write %s: %s", tmp, strerror(errno));
        close(fd);
        unlink(tmp);
        return PRN_ERR_SPOOL;
    }
    if (close(fd) != 0 || rename(tmp, final) != 0) {
        prn_fmt(detail, dlen, "store %s: %s", final, strerror(errno));
        unlink(tmp);
        return PRN_ERR_SPOOL;
    }
    if (spool_sync_dir(dir) != 0) {
        /* The file is complete and named; only its directory entry may not
         * survive a power cut. Report it: the caller keeps the ticket on
         * screen rather than promise paper. */
        prn_fmt(detail, dlen, "sync spool directory %s: %s", dir, strerror(errno));
        return PRN_ERR_SPOOL;
    }
    return PRN_OK;
}

static int is_job_name(const char *n)
{
    size_t len = strlen(n);
    return n[0] != '.' && len > 4 && strcmp(n + len - 4, ".job") == 0;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

void spool_list_free(char **names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
}

prn_err spool_list(const char *dir, char ***names, size_t *count)
{
    *names = NULL;
    *count = 0;
    DIR *d = opendir(dir);
    if (!d)
        return PRN_ERR_SPOOL;
    char **v = NULL;
    size_t n = 0, cap = 0;
    prn_err err = PRN_OK;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (!is_job_name(de->d_name))
            continue;
        if (n == cap) {
            size_t nc = cap ? cap * 2 : 16;
            char **nv = realloc(v, nc * sizeof *nv);
            if (!nv) {
                err = PRN_ERR_NOMEM;
                break;
            }
            v = nv;
            cap = nc;
        }
        v[n] = strdup(de->d_name);
        if (!v[n]) {
            err = PRN_ERR_NOMEM;
            break;
        }
        n++;
    }
    closedir(d);
    if (err != PRN_OK) {
        spool_list_free(v, n);
        return err;
    }
    if (n > 1)
        qsort(v, n, sizeof *v, cmp_names);
    *names = v;
    *count = n;
    return PRN_OK;
}

prn_err spool_read(const char *path, prn_raster **out, char *detail, size_t dlen)
{
    *out = NULL;
    kbuf b = {0};
    int rc = kbuf_read_file(path, MAX_JOB_BYTES + HEADER_LEN, &b, NULL);
    if (rc == KBUF_ETOOBIG || rc == KBUF_ENOTREG) {
        prn_fmt(detail, dlen, "%s: bad size", path);
        return PRN_ERR_CORRUPT;
    }
    if (rc != 0) {
        prn_fmt(detail, dlen, "open %s: %s", path, rc == ENOMEM ? "out of memory" : strerror(rc));
        return rc == ENOMEM ? PRN_ERR_NOMEM : PRN_ERR_SPOOL;
    }
    prn_err err = prn_spool_parse((const uint8_t *)b.p, b.len, out);
    if (err == PRN_ERR_CORRUPT)
        prn_fmt(detail, dlen, "%s: damaged job file", path);
    kbuf_free(&b);
    return err;
}
