/* apin.h - the administrator PIN: argon2id hashing (libsodium) and the
 * lockout after too many wrong tries, persisted so that restarting the kiosk
 * (pulling the plug) does not reset the count.
 *
 * The lockout state lives in one small text file in the data directory
 * ("admin-lockout": "<failures> <locked-until-epoch>\n"), written to a temp
 * file and renamed, so it is either the old or the new state.
 */
#ifndef APIN_H
#define APIN_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

typedef enum apin_err {
    APIN_OK = 0,
    APIN_EWRONG = 1,   /* the PIN does not match */
    APIN_ELOCKED = 2,  /* too many wrong tries: wait until the lock expires */
    APIN_ENOPIN = 3,   /* no PIN hash configured */
    APIN_EFORMAT = 4,  /* PIN not 4..12 digits, or a hash that is not argon2id */
    APIN_EIO = 5,      /* lockout file unreadable/unwritable */
    APIN_ECRYPTO = 6,  /* libsodium failed (out of memory) */
} apin_err;

#define APIN_MIN_DIGITS 4
#define APIN_MAX_DIGITS 12
#define APIN_HASH_MAX 128

typedef struct apin_lock {
    int failures;          /* wrong tries since the last success or lock */
    time_t locked_until;   /* wall time; 0 = not locked */
    char path[512];        /* the persisted file, "" = in memory only */
} apin_lock;

/* argon2id hash of PIN (interactive limits) into out[APIN_HASH_MAX]. */
apin_err apin_hash(const char *pin, char *out, size_t outlen);
/* Checks that PIN is 4..12 digits. */
bool apin_valid(const char *pin);

/* Loads the lockout state from DATA_DIR/admin-lockout (missing file = clean). */
apin_err apin_lock_load(apin_lock *l, const char *data_dir);
/* Seconds left on the lock at NOW, 0 when unlocked. */
long apin_lock_remaining(const apin_lock *l, time_t now);

/* Verifies PIN against HASH, honouring and updating the lock: after
 * MAX_TRIES wrong PINs in a row the lock holds for LOCK_S seconds.
 * Takes as long as argon2id takes (~0.1 s): the kiosk's screen uses the
 * three steps below instead, so that its UI thread never waits. */
apin_err apin_try(apin_lock *l, const char *hash, const char *pin, int max_tries, int lock_s, time_t now);

/* The same in three steps. apin_begin says whether a try may start at all
 * (APIN_OK) or why not (locked, no PIN set, bad hash). apin_check_start
 * copies HASH and PIN and verifies them on a thread of its own (or at once
 * when SYNC: the simulated clock of tests has no real time to wait in);
 * apin_check_poll returns -1 while it runs, then 1 for a match and 0 for
 * none. apin_record counts the outcome into the lock. apin_check_free
 * waits for the thread if it still runs, and wipes the copies. */
typedef struct apin_check apin_check;
apin_err apin_begin(const apin_lock *l, const char *hash, time_t now);
apin_check *apin_check_start(const char *hash, const char *pin, bool sync);
int apin_check_poll(apin_check *c);
void apin_check_free(apin_check *c); /* NULL is a no-op */
apin_err apin_record(apin_lock *l, bool match, int max_tries, int lock_s, time_t now);

const char *apin_strerror(apin_err e);

#endif
