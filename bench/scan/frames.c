/* frames.c - synthetic camera frames: a QR code (as the resident holds a
 * phone or a printed pass to the camera) on a textured background, then one
 * degradation. Deterministic for a seed. */
#include "frames.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "qr.h"

const char *frame_kind_name(frame_kind k)
{
    static const char *names[K_COUNT] = {"clean", "rotation", "blur", "noise",
                                         "low-contrast", "perspective", "glare"};
    return k < K_COUNT ? names[k] : "?";
}

static uint32_t rng(uint32_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 17;
    *s ^= *s << 5;
    return *s;
}

static double urand(uint32_t *s) { return (rng(s) & 0xFFFFFF) / 16777216.0; }

static double gauss(uint32_t *s)
{
    double u = urand(s) + 1e-9, v = urand(s);
    return sqrt(-2.0 * log(u)) * cos(2.0 * 3.14159265358979 * v);
}

/* Homography mapping the unit square corners to quad Q (x0,y0..x3,y3:
 * top-left, top-right, bottom-right, bottom-left), after Heckbert. */
static void square_to_quad(const double *q, double *m)
{
    double x0 = q[0], y0 = q[1], x1 = q[2], y1 = q[3], x2 = q[4], y2 = q[5], x3 = q[6], y3 = q[7];
    double sx = x0 - x1 + x2 - x3, sy = y0 - y1 + y2 - y3;
    double dx1 = x1 - x2, dx2 = x3 - x2, dy1 = y1 - y2, dy2 = y3 - y2;
    double den = dx1 * dy2 - dx2 * dy1;
    double g = (sx * dy2 - dx2 * sy) / den, h = (dx1 * sy - sx * dy1) / den;
    m[0] = x1 - x0 + g * x1; m[1] = x3 - x0 + h * x3; m[2] = x0;
    m[3] = y1 - y0 + g * y1; m[4] = y3 - y0 + h * y3; m[5] = y0;
    m[6] = g; m[7] = h; m[8] = 1.0;
}

static void invert3(const double *a, double *o)
{
    double det = a[0] * (a[4] * a[8] - a[5] * a[7]) - a[1] * (a[3] * a[8] - a[5] * a[6]) +
                 a[2] * (a[3] * a[7] - a[4] * a[6]);
    o[0] = (a[4] * a[8] - a[5] * a[7]) / det;
    o[1] = (a[2] * a[7] - a[1] * a[8]) / det;
    o[2] = (a[1] * a[5] - a[2] * a[4]) / det;
    o[3] = (a[5] * a[6] - a[3] * a[8]) / det;
    o[4] = (a[0] * a[8] - a[2] * a[6]) / det;
    o[5] = (a[2] * a[3] - a[0] * a[5]) / det;
    o[6] = (a[3] * a[7] - a[4] * a[6]) / det;
    o[7] = (a[1] * a[6] - a[0] * a[7]) / det;
    o[8] = (a[0] * a[4] - a[1] * a[3]) / det;
}

static void box_blur(uint8_t *img, int w, int h, int r)
{
    uint8_t *tmp = malloc((size_t)w * (size_t)h);
    for (int pass = 0; pass < 2; pass++) {
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) {
                int sum = 0, n = 0;
                for (int d = -r; d <= r; d++) {
                    int xx = pass == 0 ? x + d : x, yy = pass == 0 ? y : y + d;
                    if (xx >= 0 && xx < w && yy >= 0 && yy < h) {
                        sum += img[(size_t)yy * (size_t)w + (size_t)xx];
                        n++;
                    }
                }
                tmp[(size_t)y * (size_t)w + (size_t)x] = (uint8_t)(sum / n);
            }
        memcpy(img, tmp, (size_t)w * (size_t)h);
    }
    free(tmp);
}

static uint8_t clamp8(double v) { return (uint8_t)(v < 0 ? 0 : v > 255 ? 255 : v + 0.5); }

int frame_make(frame_kind k, const char *text, uint32_t seed, uint8_t *lum)
{
    uint32_t s = seed * 2654435761u + 12345u;
    qr_code *qr = NULL;
    if (qr_encode_text(text, QR_EC_Q, &qr) != QR_OK)
        return -1;
    int n = qr_size(qr) + 2 * QR_QUIET_MIN;
    double module = 4.0 + urand(&s) * 3.0; /* 4..7 px: a phone held at 20-40 cm */
    double side = n * module;
    double cx = FRAME_W / 2.0 + (urand(&s) - 0.5) * (FRAME_W - side - 40);
    double cy = FRAME_H / 2.0 + (urand(&s) - 0.5) * (FRAME_H - side - 40);

    /* Quad of the code in the frame. */
    double q[8] = {cx - side / 2, cy - side / 2, cx + side / 2, cy - side / 2,
                   cx + side / 2, cy + side / 2, cx - side / 2, cy + side / 2};
    double angle = (urand(&s) - 0.5) * 0.1; /* hand-held: a few degrees */
    if (k == K_ROTATION)
        angle = (15.0 + urand(&s) * 60.0) * 3.14159265358979 / 180.0;
    for (int i = 0; i < 4; i++) {
        double dx = q[2 * i] - cx, dy = q[2 * i + 1] - cy;
        q[2 * i] = cx + dx * cos(angle) - dy * sin(angle);
        q[2 * i + 1] = cy + dx * sin(angle) + dy * cos(angle);
    }
    if (k == K_PERSPECTIVE) {
        /* Tilted away at the top (or a side): the far edge is shorter. */
        double t = 0.2 + urand(&s) * 0.2;
        int side_i = (int)(rng(&s) % 2);
        int a = side_i ? 0 : 1, b = side_i ? 1 : 2; /* top edge or right edge */
        double mx = (q[2 * a] + q[2 * b]) / 2, my = (q[2 * a + 1] + q[2 * b + 1]) / 2;
        q[2 * a] += (mx - q[2 * a]) * t;
        q[2 * a + 1] += (my - q[2 * a + 1]) * t;
        q[2 * b] += (mx - q[2 * b]) * t;
        q[2 * b + 1] += (my - q[2 * b + 1]) * t;
    }
    double hm[9], inv[9];
    square_to_quad(q, hm);
    invert3(hm, inv);

    double dark = 20, light = 235;
    if (k == K_LOW_CONTRAST) {
        dark = 105 + urand(&s) * 10;
        light = dark + 35 + urand(&s) * 10;
    }
    for (int y = 0; y < FRAME_H; y++)
        for (int x = 0; x < FRAME_W; x++) {
            double w = inv[6] * x + inv[7] * y + inv[8];
            double u = (inv[0] * x + inv[1] * y + inv[2]) / w;
            double v = (inv[3] * x + inv[4] * y + inv[5]) / w;
            double val;
            if (u >= 0 && u < 1 && v >= 0 && v < 1) {
                int mx = (int)(u * n) - QR_QUIET_MIN, my = (int)(v * n) - QR_QUIET_MIN;
                val = qr_module(qr, mx, my) ? dark : light;
            } else {
                /* A soft background: a wall, the kiosk's bezel. */
                val = 90 + 40 * sin(x * 0.013) * cos(y * 0.021);
                if (k == K_LOW_CONTRAST)
                    val = 120 + 10 * sin(x * 0.013);
            }
            lum[(size_t)y * FRAME_W + (size_t)x] = clamp8(val);
        }
    qr_free(qr);

    switch (k) {
    case K_BLUR: box_blur(lum, FRAME_W, FRAME_H, 2 + (int)(rng(&s) % 2)); break;
    case K_NOISE:
        for (size_t i = 0; i < (size_t)FRAME_W * FRAME_H; i++)
            lum[i] = clamp8(lum[i] + gauss(&s) * 40.0);
        break;
    case K_LOW_CONTRAST:
        for (size_t i = 0; i < (size_t)FRAME_W * FRAME_H; i++)
            lum[i] = clamp8(lum[i] + gauss(&s) * 3.0);
        break;
    case K_GLARE: {
        /* A reflection of the ceiling light on the phone's glass. */
        double gx = cx + (urand(&s) - 0.5) * side * 0.6, gy = cy + (urand(&s) - 0.5) * side * 0.6;
        double r = side * (0.15 + urand(&s) * 0.1);
        for (int y = 0; y < FRAME_H; y++)
            for (int x = 0; x < FRAME_W; x++) {
                double d2 = ((x - gx) * (x - gx) + (y - gy) * (y - gy)) / (2 * r * r);
                if (d2 < 12) {
                    size_t i = (size_t)y * FRAME_W + (size_t)x;
                    lum[i] = clamp8(lum[i] + 230.0 * exp(-d2));
                }
            }
        break;
    }
    default: break;
    }
    return 0;
}
