/* ksys.c - see ksys.h. */
#include "ksys.h"

#include <stdio.h>
#include <sys/statvfs.h>
#include <unistd.h>

long ksys_rss_kb(void)
{
    FILE *f = fopen("/proc/self/statm", "r");
    long pages = 0, res = 0;
    if (f) {
        if (fscanf(f, "%ld %ld", &pages, &res) != 2)
            res = 0;
        fclose(f);
    }
    return res * (sysconf(_SC_PAGESIZE) / 1024);
}

double ksys_free_bytes(const char *path)
{
    struct statvfs vs;
    if (!path || statvfs(path, &vs) != 0)
        return -1;
    return (double)vs.f_bavail * (double)vs.f_frsize;
}
