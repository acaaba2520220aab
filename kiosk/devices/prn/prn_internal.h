/* prn_internal.h - pieces shared by the prn_ source files (not public). */
#ifndef KIOSK_PRN_INTERNAL_H
#define KIOSK_PRN_INTERNAL_H

#include "prn.h"

/* snprintf into a detail buffer; truncation is expected and harmless. */
void prn_fmt(char *dst, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

prn_err spool_prepare(const char *dir, char *detail, size_t dlen);
prn_err spool_write(const char *dir, const prn_raster *r, char *detail, size_t dlen);
prn_err spool_list(const char *dir, char ***names, size_t *count);
void spool_list_free(char **names, size_t n);
prn_err spool_read(const char *path, prn_raster **out, char *detail, size_t dlen);
int spool_sync_dir(const char *dir);

/* Spool directory of a printer (immutable after prn_open). */
const char *prn_spool_dir(const prn_printer *p);
/* Jobs printed by this handle since it was opened. */
uint64_t prn_printed_count(const prn_printer *p);

#endif
