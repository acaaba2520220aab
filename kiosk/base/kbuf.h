/* kbuf.h - a growable byte buffer and a bounded whole-file read, for every
 * module that reads a file whole: config, translations, print spool jobs,
 * scanned image files.
 *
 * Header-only (static inline): small enough that a call is the code.
 * The buffer's bytes are malloc'd, so a caller may take kbuf.p and free() it.
 */
#ifndef KBUF_H
#define KBUF_H

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct kbuf {
    char *p;          /* NUL-terminated once anything was added; NULL before */
    size_t len, cap;
    int oom;          /* an allocation failed: the contents are incomplete */
} kbuf;

/* Appends S[0..LEN) and keeps a NUL after it. Returns 0 when out of memory;
 * then oom is set and every later call does nothing, so a caller may check
 * once at the end. */
static inline int kbuf_add(kbuf *b, const char *s, size_t len)
{
    if (b->oom)
        return 0;
    if (b->len + len + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 128;
        while (cap < b->len + len + 1)
            cap *= 2;
        char *np = realloc(b->p, cap);
        if (!np) {
            b->oom = 1;
            return 0;
        }
        b->p = np;
        b->cap = cap;
    }
    if (len)
        memcpy(b->p + b->len, s, len);
    b->len += len;
    b->p[b->len] = '\0';
    return 1;
}

static inline int kbuf_str(kbuf *b, const char *s) { return kbuf_add(b, s, strlen(s)); }

static inline void kbuf_free(kbuf *b)
{
    free(b->p);
    memset(b, 0, sizeof *b);
}

#define KBUF_ENOTREG (-1) /* a directory, a device, a FIFO... */
#define KBUF_ETOOBIG (-2) /* larger than the caller's limit */

/* Reads the whole regular file PATH, at most MAX bytes, into OUT (emptied
 * first; NUL-terminated on success). The limit keeps a wrong path (a disk
 * image, a log) from eating memory. ST, if not NULL, receives its stat.
 * Returns 0, an errno value, KBUF_ENOTREG or KBUF_ETOOBIG. */
static inline int kbuf_read_file(const char *path, size_t max, kbuf *out, struct stat *st)
{
    kbuf_free(out);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return errno;
    struct stat sb;
    int rc = 0;
    if (fstat(fd, &sb) != 0)
        rc = errno;
    else if (!S_ISREG(sb.st_mode))
        rc = KBUF_ENOTREG;
    else if ((unsigned long long)sb.st_size > max)
        rc = KBUF_ETOOBIG;
    else if (!kbuf_add(out, "", 0))
        rc = ENOMEM;
    /* Read to the end rather than st_size bytes: the size may change
     * between fstat and read, and the limit must hold either way. */
    char chunk[16384];
    while (rc == 0) {
        ssize_t n = read(fd, chunk, sizeof chunk);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            rc = errno;
        else if (n == 0)
            break;
        else if (out->len + (size_t)n > max)
            rc = KBUF_ETOOBIG;
        else if (!kbuf_add(out, chunk, (size_t)n))
            rc = ENOMEM;
    }
    close(fd);
    if (rc != 0)
        kbuf_free(out);
    else if (st)
        *st = sb;
    return rc;
}

/* Says what a kbuf_read_file result means, for "PATH:0: ..." messages. */
static inline const char *kbuf_read_strerror(int rc, size_t max, char *out, size_t len)
{
    if (rc == KBUF_ENOTREG)
        snprintf(out, len, "not a regular file");
    else if (rc == KBUF_ETOOBIG)
        snprintf(out, len, "file is larger than %zu bytes, the most accepted (is this the right file?)", max);
    else if (rc == ENOMEM)
        snprintf(out, len, "out of memory");
    else
        snprintf(out, len, "cannot open: %s", strerror(rc));
    return out;
}

#endif
