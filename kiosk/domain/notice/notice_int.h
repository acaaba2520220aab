/* notice_int.h - private to kiosk/domain/notice: shared by the parser and the store. */
#ifndef NOTICE_INT_H
#define NOTICE_INT_H

#include "notice.h"

/* notice_load, with NAME instead of PATH in messages (the store reports
 * "file.txt:12: ...", the directory being shown once beside the list). */
notice_err notice_load_named(const char *path, const char *name, notice **out, char *err, size_t errlen);

/* Reads the whole regular file PATH (at most NOTICE_MAX_FILE bytes; more
 * is NOTICE_ETOOBIG) into *BUF (malloc'd; free it), messages as notice_load. */
notice_err notice_read_file(const char *path, const char *name, char **buf, size_t *len, char *err, size_t errlen);

#endif
