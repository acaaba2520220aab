/* ctl_devices.c - kioskctl commands for QR codes, scanning and printing.
 *
 *   kioskctl qr TEXT -o OUT.png [--ec L|M|Q|H] [--module PX]
 *   kioskctl scan FILE...            (one payload per line)
 *   kioskctl print-test --printer URL [--width 384|576] [--spool DIR]
 *                       [--payload TEXT]
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ctl.h"
#include "prn.h"
#include "qr.h"
#include "scan.h"
#include "utf8.h"

static int usage(const char *cmd, const char *text)
{
    fprintf(stderr, "usage: kioskctl %s %s\n", cmd, text);
    return 2;
}

static int parse_int(const char *s, int lo, int hi, int *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < lo || v > hi)
        return 0;
    *out = (int)v;
    return 1;
}

int ctl_qr_main(const ctl_ctx *cx, int argc, char **argv)
{
    (void)cx;
    static const char use[] = "TEXT -o OUT.png [--ec L|M|Q|H] [--module PX]";
    const char *text = NULL, *out = NULL;
    qr_ec ec = QR_EC_M;
    int module = 8;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-o") && i + 1 < argc) {
            out = argv[++i];
        } else if (!strcmp(argv[i], "--ec") && i + 1 < argc) {
            const char *l = argv[++i];
            static const char levels[] = "LMQH";
            const char *p = strlen(l) == 1 ? strchr(levels, l[0]) : NULL;
            if (!p || !*p)
                return usage(argv[0], use);
            ec = (qr_ec)(p - levels);
        } else if (!strcmp(argv[i], "--module") && i + 1 < argc) {
            if (!parse_int(argv[++i], 1, 64, &module))
                return usage(argv[0], use);
        } else if (argv[i][0] == '-' && argv[i][1]) {
            return usage(argv[0], use);
        } else if (!text) {
            text = argv[i];
        } else {
            return usage(argv[0], use);
        }
    }
    if (!text || !out)
        return usage(argv[0], use);
    qr_code *qr = NULL;
    qr_err e = qr_encode_text(text, ec, &qr);
    if (e == QR_OK)
        e = qr_write_png(qr, module, QR_QUIET_MIN, out);
    if (e != QR_OK) {
        fprintf(stderr, "kioskctl qr: %s%s%s\n", qr_strerror(e), e == QR_ERR_IO ? ": " : "",
                e == QR_ERR_IO ? out : "");
        qr_free(qr);
        return 1;
    }
    printf("%s: QR version %d, %d modules, %d px\n", out, qr_version(qr), qr_size(qr),
           qr_render_side(qr, module, QR_QUIET_MIN));
    qr_free(qr);
    return 0;
}

/* Text payloads print as they are; anything else (binary, control
 * characters, bad UTF-8) as "hex:" and two hex digits a byte. */
static void print_payload(const uint8_t *p, size_t len)
{
    int text = utf8_valid((const char *)p, len, NULL);
    for (size_t i = 0; text && i < len; i++)
        if (p[i] < 0x20 || p[i] == 0x7F)
            text = 0;
    if (text) {
        fwrite(p, 1, len, stdout);
    } else {
        fputs("hex:", stdout);
        for (size_t i = 0; i < len; i++)
            printf("%02x", p[i]);
    }
    putchar('\n');
}

int ctl_scan_main(const ctl_ctx *cx, int argc, char **argv)
{
    (void)cx;
    if (argc < 2)
        return usage(argv[0], "FILE...");
    static zxc_result res;
    int failed = 0;
    for (int i = 1; i < argc; i++) {
        scan_err e = scan_file(argv[i], &res);
        if (e != SCAN_OK) {
            fprintf(stderr, "kioskctl scan: %s: %s\n", argv[i], scan_strerror(e));
            failed = 1;
            continue;
        }
        print_payload(res.bytes, res.len);
    }
    fflush(stdout);
    return failed;
}

int ctl_print_test_main(const ctl_ctx *cx, int argc, char **argv)
{
    static const char use[] =
        "--printer URL [--width 384|576] [--spool DIR] [--payload TEXT]\n"
        "  URL: escpos:/dev/usb/lp0 | escpos-tcp:HOST[:PORT] | escpos-file:PATH | png:PATH | cups:QUEUE";
    const char *url = NULL, *spool = NULL, *payload = "KIOSK-PRINT-TEST";
    int width = PRN_WIDTH_58MM;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--printer") && i + 1 < argc)
            url = argv[++i];
        else if (!strcmp(argv[i], "--spool") && i + 1 < argc)
            spool = argv[++i];
        else if (!strcmp(argv[i], "--payload") && i + 1 < argc)
            payload = argv[++i];
        else if (!strcmp(argv[i], "--width") && i + 1 < argc) {
            if (!parse_int(argv[++i], 8, 2048, &width))
                return usage(argv[0], use);
        } else
            return usage(argv[0], use);
    }
    if (!url || !*payload)
        return usage(argv[0], use);
    char spool_buf[1024];
    if (!spool) {
        /* Jobs survive a failed test print: keep them with the kiosk's data. */
        const char *base = cx && cx->data_dir ? cx->data_dir : NULL;
        if (base) {
            int n = snprintf(spool_buf, sizeof spool_buf, "%s/print-spool", base);
            if (n < 0 || (size_t)n >= sizeof spool_buf) {
                fprintf(stderr, "kioskctl print-test: data directory path too long\n");
                return 1;
            }
            spool = spool_buf;
        } else {
            spool = "print-spool";
        }
    }

    char err[256];
    prn_fonts *fonts = NULL;
    prn_err e = prn_fonts_open(NULL, NULL, &fonts, err, sizeof err);
    if (e != PRN_OK) {
        fprintf(stderr, "kioskctl print-test: %s (%s)\n", prn_strerror(e), err);
        return 1;
    }
    prn_doc *doc = prn_doc_sample_ticket(payload, strlen(payload));
    prn_raster *r = NULL;
    e = doc ? prn_layout(fonts, doc, width, &r) : PRN_ERR_LAYOUT;
    prn_doc_free(doc);
    prn_fonts_close(fonts);
    if (e != PRN_OK) {
        fprintf(stderr, "kioskctl print-test: %s\n", prn_strerror(e));
        return 1;
    }
    prn_printer *p = NULL;
    e = prn_open(url, spool, NULL, &p);
    if (e == PRN_OK)
        e = prn_submit(p, r);
    int rc = 0;
    if (e == PRN_OK) {
        printf("printed a test ticket (%dx%d dots) on %s\n", r->width, r->height, url);
    } else {
        fprintf(stderr, "kioskctl print-test: %s\n", prn_strerror(e));
        if (p && *prn_detail(p))
            fprintf(stderr, "  detail: %s\n", prn_detail(p));
        if (p && prn_err_retryable(e))
            fprintf(stderr, "  %zu job(s) wait in %s and print when the printer is back\n",
                    prn_pending(p), spool);
        rc = 1;
    }
    prn_close(p);
    prn_raster_free(r);
    return rc;
}
