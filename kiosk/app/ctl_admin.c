/* ctl_admin.c - kioskctl set-admin-pin: hashes the PIN (argon2id) and writes
 * it as [admin] pin_hash into the config file, keeping everything else. */
#include "apin.h"
#include "cfg.h"
#include "ctl.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

static int read_pin(const char *prompt, char *buf, size_t len)
{
    struct termios old, quiet;
    bool tty = isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &old) == 0;
    if (tty) {
        fprintf(stderr, "%s", prompt);
        quiet = old;
        quiet.c_lflag &= ~(tcflag_t)ECHO;
        tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
    }
    int ok = fgets(buf, (int)len, stdin) != NULL;
    if (tty) {
        tcsetattr(STDIN_FILENO, TCSANOW, &old);
        fprintf(stderr, "\n");
    }
    buf[strcspn(buf, "\r\n")] = '\0';
    return ok;
}

int ctl_admin_main(const ctl_ctx *cx, int argc, char **argv)
{
    char pin[64] = "", again[64] = "";
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--pin") && i + 1 < argc) {
            snprintf(pin, sizeof pin, "%s", argv[++i]);
        } else {
            fprintf(stderr, "usage: kioskctl set-admin-pin [--pin DIGITS]   (else read from stdin)\n");
            return 2;
        }
    }
    if (!pin[0]) {
        if (!read_pin("new admin PIN (4-12 digits): ", pin, sizeof pin))
            return 2;
        if (isatty(STDIN_FILENO)) {
            if (!read_pin("again: ", again, sizeof again) || strcmp(pin, again) != 0) {
                fprintf(stderr, "kioskctl: the two PINs differ; nothing changed\n");
                sodium_memzero(pin, sizeof pin);
                return 1;
            }
        }
    }
    char hash[APIN_HASH_MAX];
    apin_err e = apin_hash(pin, hash, sizeof hash);
    sodium_memzero(pin, sizeof pin);
    sodium_memzero(again, sizeof again);
    if (e != APIN_OK) {
        fprintf(stderr, "kioskctl: %s; nothing changed\n", apin_strerror(e));
        return e == APIN_EFORMAT ? 2 : 1;
    }
    char err[512];
    if (cfg_set_key(cx->config_path, "admin", "pin_hash", hash, err, sizeof err) != CFG_OK) {
        fprintf(stderr, "kioskctl: %s\n", err);
        return 1;
    }
    printf("admin PIN set in %s (restart the kiosk to use it)\n", cx->config_path);
    return 0;
}
