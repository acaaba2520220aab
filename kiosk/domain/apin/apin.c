/* apin.c - see apin.h. */
#include "apin.h"

#include <sodium.h>

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *apin_strerror(apin_err e)
{
    switch (e) {
    case APIN_OK: return "ok";
    case APIN_EWRONG: return "wrong PIN";
    case APIN_ELOCKED: return "locked after too many wrong PINs";
    case APIN_ENOPIN: return "no admin PIN is set (kioskctl set-admin-pin)";
    case APIN_EFORMAT: return "a PIN is 4 to 12 digits";
    case APIN_EIO: return "the lockout file cannot be read or written";
    case APIN_ECRYPTO: return "hashing failed (out of memory?)";
    }
    return "unknown error";
}

bool apin_valid(const char *pin)
{
    size_t n = strlen(pin);
    if (n < APIN_MIN_DIGITS || n > APIN_MAX_DIGITS)
        return false;
    for (size_t i = 0; i < n; i++)
        if (pin[i] < '0' || pin[i] > '9')
            return false;
    return true;
}

apin_err apin_hash(const char *pin, char *out, size_t outlen)
{
    if (!apin_valid(pin))
        return APIN_EFORMAT;
    if (outlen < crypto_pwhash_STRBYTES || sodium_init() < 0)
        return APIN_ECRYPTO;
    if (crypto_pwhash_str_alg(out, pin, strlen(pin), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                              crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13) != 0)
        return APIN_ECRYPTO;
    return APIN_OK;
}

static apin_err lock_save(const apin_lock *l)
{
    if (!l->path[0])
        return APIN_OK;
    char tmp[600];
    snprintf(tmp, sizeof tmp, "%s.tmp", l->path);
    FILE *f = fopen(tmp, "w");
    if (!f)
        return APIN_EIO;
    int ok = fprintf(f, "%d %lld\n", l->failures, (long long)l->locked_until) > 0;
    ok &= fflush(f) == 0 && fsync(fileno(f)) == 0;
    ok &= fclose(f) == 0;
    if (!ok || rename(tmp, l->path) != 0) {
        unlink(tmp);
        return APIN_EIO;
    }
    return APIN_OK;
}

apin_err apin_lock_load(apin_lock *l, const char *data_dir)
{
    memset(l, 0, sizeof *l);
    if (!data_dir || !*data_dir)
        return APIN_OK;
    snprintf(l->path, sizeof l->path, "%s/admin-lockout", data_dir);
    FILE *f = fopen(l->path, "r");
    if (!f)
        return APIN_OK; /* never failed yet */
    int fails = 0;
    long long until = 0;
    /* A damaged file is reported (the caller logs it) and the count restarts:
     * changing the file needs the data directory, which is already admin power. */
    if (fscanf(f, "%d %lld", &fails, &until) != 2 || fails < 0 || until < 0) {
        fails = 0;
        until = -1;
    }
    fclose(f);
    l->failures = fails;
    l->locked_until = until < 0 ? 0 : (time_t)until;
    return until < 0 ? APIN_EIO : APIN_OK;
}

long apin_lock_remaining(const apin_lock *l, time_t now)
{
    return l->locked_until > now ? (long)(l->locked_until - now) : 0;
}

apin_err apin_begin(const apin_lock *l, const char *hash, time_t now)
{
    if (apin_lock_remaining(l, now) > 0)
        return APIN_ELOCKED;
    if (!hash || !*hash)
        return APIN_ENOPIN;
    if (strncmp(hash, "$argon2id$", 10) != 0)
        return APIN_EFORMAT;
    if (sodium_init() < 0)
        return APIN_ECRYPTO;
    return APIN_OK;
}

static bool verify(const char *hash, const char *pin)
{
    return apin_valid(pin) && crypto_pwhash_str_verify(hash, pin, strlen(pin)) == 0;
}

apin_err apin_record(apin_lock *l, bool match, int max_tries, int lock_s, time_t now)
{
    if (match) {
        l->failures = 0;
        l->locked_until = 0;
        lock_save(l);
        return APIN_OK;
    }
    if (++l->failures >= max_tries) {
        l->failures = 0;
        l->locked_until = now + lock_s;
    }
    if (lock_save(l) != APIN_OK)
        return APIN_EIO;
    return l->locked_until > now ? APIN_ELOCKED : APIN_EWRONG;
}

apin_err apin_try(apin_lock *l, const char *hash, const char *pin, int max_tries, int lock_s, time_t now)
{
    apin_err e = apin_begin(l, hash, now);
    if (e != APIN_OK)
        return e;
    return apin_record(l, verify(hash, pin), max_tries, lock_s, now);
}

struct apin_check {
    char hash[APIN_HASH_MAX];
    char pin[APIN_MAX_DIGITS + 1];
    pthread_t thread;
    bool threaded;
    atomic_int result; /* -1 running, 0 no match, 1 match */
};

static void *check_thread(void *arg)
{
    apin_check *c = arg;
    atomic_store(&c->result, verify(c->hash, c->pin) ? 1 : 0);
    return NULL;
}

apin_check *apin_check_start(const char *hash, const char *pin, bool sync)
{
    apin_check *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    snprintf(c->hash, sizeof c->hash, "%s", hash ? hash : "");
    snprintf(c->pin, sizeof c->pin, "%s", pin ? pin : "");
    atomic_store(&c->result, -1);
    if (!sync && pthread_create(&c->thread, NULL, check_thread, c) == 0) {
        c->threaded = true;
        return c;
    }
    check_thread(c); /* sync, or no thread to be had: verify here */
    return c;
}

int apin_check_poll(apin_check *c) { return c ? atomic_load(&c->result) : 0; }

void apin_check_free(apin_check *c)
{
    if (!c)
        return;
    if (c->threaded)
        pthread_join(c->thread, NULL);
    sodium_memzero(c, sizeof *c);
    free(c);
}
