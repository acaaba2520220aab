/* frames.h - synthetic camera frames for the scan benchmark. */
#ifndef BENCH_FRAMES_H
#define BENCH_FRAMES_H

#include <stddef.h>
#include <stdint.h>

enum { FRAME_W = 1280, FRAME_H = 720 };

typedef enum {
    K_CLEAN, K_ROTATION, K_BLUR, K_NOISE, K_LOW_CONTRAST, K_PERSPECTIVE, K_GLARE, K_COUNT
} frame_kind;

const char *frame_kind_name(frame_kind k);

/* Makes a FRAME_W x FRAME_H grey frame of kind K showing a QR code of TEXT
 * (seeded by SEED), into LUM (FRAME_W * FRAME_H bytes). 0 on success. */
int frame_make(frame_kind k, const char *text, uint32_t seed, uint8_t *lum);

#endif
