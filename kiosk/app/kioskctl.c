/* kioskctl.c - the administrators' command-line tool.
 *
 *   kioskctl [--config FILE] [--data-dir DIR] COMMAND [ARGS...]
 * Commands are listed by `kioskctl help`; each lives in a ctl_*.c file.
 */
#include "cfg.h"
#include "ctl.h"

#include <stdio.h>
#include <string.h>

typedef struct ctl_cmd {
    const char *name;
    int (*fn)(const ctl_ctx *cx, int argc, char **argv);
    const char *help;
} ctl_cmd;

static const ctl_cmd cmds[] = {
    {"set-admin-pin", ctl_admin_main, "set-admin-pin [--pin DIGITS]   write the admin PIN hash into the config"},
#ifdef KIOSK_HAVE_NOTICES
    {"notice", ctl_notice_main, "notice add|list|remove|check DIR  the community notices"},
#endif
#ifdef KIOSK_HAVE_QUEUE
    {"queue", ctl_queue_main, "queue stats|list|show|requeue|cancel|purge|check   the order queue"},
#endif
#ifdef KIOSK_HAVE_DEVICES
    {"qr", ctl_qr_main, "qr TEXT -o out.png              draw a QR code"},
    {"scan", ctl_scan_main, "scan FILE...                    decode QR codes in image files"},
    {"print-test", ctl_print_test_main, "print-test [--printer URL]      print a test ticket"},
#endif
};

static void usage(FILE *f)
{
    fprintf(f, "usage: kioskctl [--config FILE] [--data-dir DIR] COMMAND [ARGS...]\ncommands:\n");
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++)
        fprintf(f, "  %s\n", cmds[i].help);
}

int main(int argc, char **argv)
{
    ctl_ctx cx = {.config_path = KIOSK_SOURCE_DIR "/assets/demo/kiosk.ini", .data_dir = NULL};
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (!strcmp(argv[i], "--config") && i + 1 < argc)
            cx.config_path = argv[++i];
        else if (!strcmp(argv[i], "--data-dir") && i + 1 < argc)
            cx.data_dir = argv[++i];
        else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            usage(stdout);
            return 0;
        } else {
            fprintf(stderr, "kioskctl: unknown option '%s'\n", argv[i]);
            usage(stderr);
            return 2;
        }
    }
    if (i >= argc || !strcmp(argv[i], "help")) {
        usage(i >= argc ? stderr : stdout);
        return i >= argc ? 2 : 0;
    }
    /* data_dir falls back to the config's, when the config reads. */
    static cfg c;
    if (!cx.data_dir && cfg_load(cx.config_path, &c, NULL, 0) == CFG_OK && c.data_dir[0])
        cx.data_dir = c.data_dir;
    for (size_t k = 0; k < sizeof cmds / sizeof cmds[0]; k++)
        if (!strcmp(argv[i], cmds[k].name))
            return cmds[k].fn(&cx, argc - i, argv + i);
    fprintf(stderr, "kioskctl: unknown command '%s'\n", argv[i]);
    usage(stderr);
    return 2;
}
