/* fuzz_cfg: any bytes into cfg_load_string. The loader must never crash,
 * must either accept or give "NAME:LINE: ..." (LINE > 0, since nothing here
 * is about opening a file), and on error leave exactly the defaults. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 256 * 1024)
        return 0; /* bigger inputs only slow the search down */
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0'; /* the API takes a C string: stops at a NUL */
    static cfg c, d;
    char err[512];
    cfg_err e = cfg_load_string("f.ini", text, &c, err, sizeof err);
    if (e != CFG_OK) {
        cfg_defaults(&d);
        if (memcmp(&c, &d, sizeof c) != 0)
            abort();
        if (strncmp(err, "f.ini:", 6) != 0 || strncmp(err, "f.ini:0:", 8) == 0)
            abort();
    } else {
        /* Every string it accepted is terminated inside its field. */
        if (!memchr(c.community_zh, 0, sizeof c.community_zh) || !memchr(c.pin_hash, 0, sizeof c.pin_hash))
            abort();
        if (c.n_contacts < 0 || c.n_contacts > CFG_MAX_CONTACTS)
            abort();
    }
    free(text);
    return 0;
}
