/* fuzz_notice: any bytes into notice_parse. It must never crash or leak;
 * it either accepts, giving a notice whose every string is terminated and
 * whose body respects the limits, or refuses with "NAME:LINE: ..." where
 * LINE is 0 only for a file that is too large. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "notice.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    notice *n = NULL;
    char err[512];
    notice_err e = notice_parse("f.txt", (const char *)data, size, &n, err, sizeof err);
    if (e != NOTICE_OK) {
        if (n || strncmp(err, "f.txt:", 6) != 0)
            abort();
        if (strncmp(err, "f.txt:0:", 8) == 0 && e != NOTICE_ETOOBIG)
            abort();
        return 0;
    }
    if (!n || !n->title[I18N_ZH][0] || !n->body[I18N_ZH][0] || n->published <= 0)
        abort();
    if (n->valid_until && n->valid_until <= n->published)
        abort();
    if ((unsigned)n->cat >= NOTICE_CAT_COUNT)
        abort();
    /* every string lies inside the input's size (they are copies of parts of it) */
    size_t total = 0;
    for (int l = 0; l < I18N_NLANG; l++)
        total += strlen(n->title[l]) + strlen(n->body[l]) + strlen(n->office[l]);
    total += strlen(n->image);
    if (total > size || strlen(n->title[I18N_ZH]) > NOTICE_MAX_TITLE)
        abort();
    /* the accessors fall back to Chinese and never return NULL */
    if (!notice_title(n, I18N_EN) || !notice_body(n, I18N_EN) || !notice_office(n, I18N_EN))
        abort();
    notice_free(n);
    return 0;
}
