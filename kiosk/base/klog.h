/* klog.h - logging to stderr (journald picks it up under systemd) and to a
 * small ring of recent lines that the admin screen shows.
 * Messages are one line each: "2026-11-30T08:01:02 W ui: text". */
#ifndef KLOG_H
#define KLOG_H

#include <stddef.h>

typedef enum klog_level { KLOG_DEBUG = 0, KLOG_INFO = 1, KLOG_WARN = 2, KLOG_ERROR = 3 } klog_level;

void klog_set_level(klog_level min);
void klog_set_quiet(int quiet); /* 1: ring only, nothing on stderr (tests) */
void klog(klog_level lvl, const char *module, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Copies the i-th most recent line (0 = newest) into buf; returns 0 when there is none. */
int klog_recent(size_t i, char *buf, size_t len);

#define KLOG_RING 32
#define KLOG_LINE 256 /* stamp + level + module + a 200-byte message */

#endif
