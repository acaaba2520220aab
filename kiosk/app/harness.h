/* harness.h - scripted runs of the kiosk: taps, drags, keys and waits on a
 * simulated clock (a 90 s idle test takes milliseconds), screenshots, and
 * expectations about where the kiosk ended up.
 *
 * Script language, one step per line, '#' starts a comment:
 *   clock 2026-11-30 09:30        simulated wall time (before any other step)
 *   tap X Y | tap @ID             press and release (ID: a widget id such as
 *                                 hdr.lang, contact, pin.pad/3 = 3rd part)
 *   press X Y MS | press @ID MS   hold for MS milliseconds, then release
 *   drag X1 Y1 X2 Y2 MS           drag in 10 moves over MS milliseconds
 *   down X Y | move X Y | up X Y  raw pointer events
 *   key [ctrl+|alt+]NAME          a key press (q, w, f4, escape, return)
 *   wait MS                       let simulated time pass (frames run at the
 *                                 times the UI asks for)
 *   shot NAME                     save SHOTS_DIR/NAME.png
 *   expect screen NAME            home | contact | admin_pin | admin | oos |
 *                                 notices | notice | attract
 *   expect lang zh|en
 *   expect large on|off
 *   expect idle N                 the countdown shows N seconds (-1: none)
 *   expect running | expect exited
 * Errors name the line: "script.txt:12: unknown step 'tpa'".
 */
#ifndef HARNESS_H
#define HARNESS_H

#include <stddef.h>

#include "app.h"

typedef enum hs_err {
    HS_OK = 0,
    HS_ESYNTAX = 1,  /* the script does not parse */
    HS_EEXPECT = 2,  /* an expectation failed */
    HS_EIO = 3,      /* script unreadable or screenshot unwritable */
    HS_ENOMEM = 4,
} hs_err;

typedef struct hs_script hs_script;

hs_err hs_parse(const char *name, const char *text, size_t len, hs_script **out, char *err, size_t errlen);
hs_err hs_load(const char *path, hs_script **out, char *err, size_t errlen);
void hs_free(hs_script *s); /* NULL is a no-op */
size_t hs_steps(const hs_script *s);
/* Simulated wall time the script asks for (clock step), or 0. */
long long hs_clock(const hs_script *s);

/* Runs the script against A (opened headless after kclock_simulate). */
hs_err hs_run(const hs_script *s, app *a, const char *shots_dir, char *err, size_t errlen);

const char *hs_strerror(hs_err e);

#endif
