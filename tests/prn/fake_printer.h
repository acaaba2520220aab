/* fake_printer.h - an ESC/POS network printer on 127.0.0.1 for tests.
 *
 * Listens on an ephemeral port, answers DLE EOT status queries (unless told
 * to stay silent), and keeps the bytes of every connection the client
 * closed normally. It can run out of paper, and it can vanish: after
 * VANISH_AFTER bytes of a job it resets the connection and stops listening,
 * until fake_printer_revive() brings it back on the same port.
 */
#ifndef FAKE_PRINTER_H
#define FAKE_PRINTER_H

#include <stddef.h>
#include <stdint.h>

typedef struct fake_printer fake_printer;

fake_printer *fake_printer_start(void);
int fake_printer_port(fake_printer *fp);
void fake_printer_set_paper_out(fake_printer *fp, int out);
void fake_printer_set_silent(fake_printer *fp, int silent);
/* Vanish once a connection has sent N job bytes (0 = never). */
void fake_printer_set_vanish_after(fake_printer *fp, size_t n);
int fake_printer_vanished(fake_printer *fp);
/* Listen again on the same port after vanishing. 0 on success. */
int fake_printer_revive(fake_printer *fp);
/* Waits (up to a hang guard, not a timing assertion) until N connections
 * completed; returns how many did. */
int fake_printer_wait_jobs(fake_printer *fp, int n);
/* Bytes of all completed connections, status queries removed. The
 * returned buffer belongs to the fake printer. */
const uint8_t *fake_printer_data(fake_printer *fp, size_t *len);
void fake_printer_stop(fake_printer *fp);

#endif
