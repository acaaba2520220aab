/* kclock.h - the kiosk's sense of time, real or simulated.
 *
 * Everything that waits (idle timeout, countdown, long-press, admin lockout,
 * the clock on the home screen) asks this module, never the OS directly, so
 * that the headless harness can run a 90 s idle test in milliseconds: in
 * simulated mode time only moves when kclock_advance() is called.
 */
#ifndef KCLOCK_H
#define KCLOCK_H

#include <stdint.h>
#include <time.h>

/* Monotonic milliseconds since an arbitrary start. */
uint64_t kclock_ms(void);
/* Wall-clock seconds since the epoch (for display and persisted deadlines). */
time_t kclock_wall(void);

/* Switch to simulated time starting at wall time WALL (monotonic starts at 0). */
void kclock_simulate(time_t wall);
int kclock_simulated(void);
/* Moves simulated time forward by MS; no effect in real mode. */
void kclock_advance(uint64_t ms);

/* Formats kclock_wall() in local time, strftime-style. */
void kclock_format(char *buf, size_t len, const char *fmt);

#endif
