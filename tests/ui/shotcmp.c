/* shotcmp.c - compares a screenshot with its reference PNG.
 *
 *   shotcmp REF ACTUAL DIFF     exit 0 when they match, 1 when not, 2 on error
 *
 * A pixel differs when any channel differs by more than 24 of 255 (font
 * anti-aliasing may move by a level between FreeType builds); the images
 * match when at most 0.1% of pixels differ. On a mismatch DIFF shows the
 * differing pixels in red over a faded copy of the reference, as LVGL's
 * screenshot tests do with their _err.png. */
#include <SDL.h>
#include <SDL_image.h>

#include <stdio.h>
#include <stdlib.h>

static SDL_Surface *load(const char *path)
{
    SDL_Surface *s = IMG_Load(path);
    if (!s) {
        fprintf(stderr, "shotcmp: cannot load %s: %s\n", path, IMG_GetError());
        return NULL;
    }
    SDL_Surface *c = SDL_ConvertSurfaceFormat(s, SDL_PIXELFORMAT_ARGB8888, 0);
    SDL_FreeSurface(s);
    return c;
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: shotcmp REF ACTUAL DIFF\n");
        return 2;
    }
    SDL_Surface *ref = load(argv[1]), *act = load(argv[2]);
    if (!ref || !act)
        return 2;
    if (ref->w != act->w || ref->h != act->h) {
        fprintf(stderr, "shotcmp: %s is %dx%d, the reference %dx%d\n", argv[2], act->w, act->h, ref->w, ref->h);
        return 1;
    }
    SDL_Surface *diff = SDL_CreateRGBSurfaceWithFormat(0, ref->w, ref->h, 32, SDL_PIXELFORMAT_ARGB8888);
    long bad = 0;
    for (int y = 0; y < ref->h; y++) {
        const Uint32 *a = (const Uint32 *)((const Uint8 *)ref->pixels + y * ref->pitch);
        const Uint32 *b = (const Uint32 *)((const Uint8 *)act->pixels + y * act->pitch);
        Uint32 *d = (Uint32 *)((Uint8 *)diff->pixels + y * diff->pitch);
        for (int x = 0; x < ref->w; x++) {
            int worst = 0;
            for (int sh = 0; sh < 24; sh += 8) {
                int da = abs((int)((a[x] >> sh) & 255) - (int)((b[x] >> sh) & 255));
                if (da > worst)
                    worst = da;
            }
            if (worst > 24) {
                bad++;
                d[x] = 0xFFFF0000u;
            } else {
                Uint32 g = ((a[x] & 255) + ((a[x] >> 8) & 255) + ((a[x] >> 16) & 255)) / 3;
                g = 192 + g / 4;
                d[x] = 0xFF000000u | g << 16 | g << 8 | g;
            }
        }
    }
    long total = (long)ref->w * ref->h;
    int rc = bad * 1000 > total ? 1 : 0;
    if (rc) {
        fprintf(stderr, "shotcmp: %s differs from %s in %ld of %ld pixels; diff: %s\n", argv[2], argv[1], bad, total,
                argv[3]);
        IMG_SavePNG(diff, argv[3]);
    }
    SDL_FreeSurface(diff);
    SDL_FreeSurface(ref);
    SDL_FreeSurface(act);
    return rc;
}
