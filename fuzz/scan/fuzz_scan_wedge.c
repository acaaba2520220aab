/* fuzz_scan_wedge.c - key streams for the wedge detector: each input byte
 * pair is (key, gap in ms); 0xFF as key means a timer tick. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "scan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    scan_hub *hub = scan_hub_new(4, NULL, NULL);
    scan_wedge *w = scan_wedge_new(hub, NULL);
    uint64_t t = 1000;
    uint32_t typed[64];
    char payload[SCAN_PAYLOAD_MAX * 4 + 1];
    scan_event ev;
    for (size_t i = 0; i + 1 < size; i += 2) {
        t += data[i + 1];
        if (data[i] == 0xFF)
            scan_wedge_tick(w, t);
        else
            scan_wedge_key(w, data[i] == 0xFE ? 0x9633u : data[i], t);
        if (data[i + 1] & 1)
            scan_wedge_take_typed(w, typed, 64);
        while (scan_poll(hub, &ev)) {
            /* drain: the UI would */
        }
    }
    size_t n = scan_wedge_payload(w, payload, sizeof payload);
    if (n && strlen(payload) != n)
        __builtin_trap();
    scan_wedge_free(w);
    scan_hub_free(hub);
    return 0;
}
