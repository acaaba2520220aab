/* ctl.h - kioskctl subcommands.
 *
 * kioskctl [--config FILE] [--data-dir DIR] <command> [args...]
 * The main program parses the global options and hands the rest of argv
 * (argv[0] = the command name) to one of these. Each returns the process exit
 * code: 0 done, 1 the operation failed (message on stderr), 2 usage error.
 * Readable output by default; commands that scripts use take --json.
 */
#ifndef CTL_H
#define CTL_H

typedef struct ctl_ctx {
    const char *config_path; /* --config, or the default (see kioskctl.c) */
    const char *data_dir;    /* --data-dir, else [kiosk] data_dir from config */
} ctl_ctx;

int ctl_admin_main(const ctl_ctx *cx, int argc, char **argv);   /* set-admin-pin */
int ctl_queue_main(const ctl_ctx *cx, int argc, char **argv);   /* queue ... */
int ctl_qr_main(const ctl_ctx *cx, int argc, char **argv);      /* qr TEXT -o out.png */
int ctl_scan_main(const ctl_ctx *cx, int argc, char **argv);    /* scan FILE... */
int ctl_print_test_main(const ctl_ctx *cx, int argc, char **argv); /* print-test */
int ctl_notice_main(const ctl_ctx *cx, int argc, char **argv);  /* notice add|list|remove|check */

#endif
