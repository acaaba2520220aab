/* fuzz_script.c - the harness script parser takes any bytes without
 * crashing, and a script it accepts has as many steps as it says. */
#include "harness.h"

#include <stdint.h>
#include <stdio.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    hs_script *s = NULL;
    char err[512];
    if (hs_parse("fuzz", (const char *)data, size, &s, err, sizeof err) == HS_OK) {
        if (hs_steps(s) > size)
            __builtin_trap(); /* every step needs at least a byte */
        hs_free(s);
    } else if (s) {
        __builtin_trap(); /* no script on error */
    }
    return 0;
}
