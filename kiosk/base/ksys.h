/* ksys.h - what the process and its machine look like from inside: the
 * figures the admin screen and the soak benchmark report. */
#ifndef KSYS_H
#define KSYS_H

/* Resident memory of this process in KiB (0 when /proc is unreadable). */
long ksys_rss_kb(void);
/* Bytes free for unprivileged users on the file system holding PATH, -1 on error. */
double ksys_free_bytes(const char *path);

#endif
