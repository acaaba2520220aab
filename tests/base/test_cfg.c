/* Tests of kiosk/base/cfg: defaults, a full file, every key's bad values,
 * messages that name file and line, files that are missing, empty, huge or
 * not text, and cfg_set_key's in-place rewrite. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cfg.h"

static char errbuf[1024];

static cfg_err load(const char *text, cfg *c) { return cfg_load_string("t.ini", text, c, errbuf, sizeof errbuf); }

#define assert_contains(hay, needle)                                                                               \
    do {                                                                                                           \
        if (!strstr((hay), (needle)))                                                                              \
            fail_msg("expected \"%s\" in \"%s\"", (needle), (hay));                                               \
    } while (0)

/* The text must be rejected with CODE at LINE, and the message must contain
 * each of the NULL-terminated hints (the key, the accepted values...). */
static void expect_bad(const char *text, cfg_err code, int line, ...)
{
    cfg c;
    cfg_err e = load(text, &c);
    if (e != code)
        fail_msg("for %s: got %d (%s), expected %d", text, e, errbuf, code);
    char prefix[32];
    snprintf(prefix, sizeof prefix, "t.ini:%d: ", line);
    if (strncmp(errbuf, prefix, strlen(prefix)) != 0)
        fail_msg("for %s: message \"%s\" does not start with \"%s\"", text, errbuf, prefix);
    va_list ap;
    va_start(ap, line);
    for (const char *h; (h = va_arg(ap, const char *));)
        assert_contains(errbuf, h);
    va_end(ap);
    /* On error the caller gets the defaults, never half a config. */
    cfg d;
    cfg_defaults(&d);
    assert_memory_equal(&c, &d, sizeof c);
}

static void test_defaults(void **state)
{
    (void)state;
    cfg c;
    memset(&c, 0x5A, sizeof c);
    cfg_defaults(&c);
    assert_string_equal(c.community_zh, "祥和新城社区");
    assert_string_equal(c.community_en, "Xianghe New Town Community");
    assert_string_equal(c.location_zh, "");
    assert_string_equal(c.location_en, "");
    assert_string_equal(c.data_dir, "/var/lib/community-kiosk");
    assert_string_equal(c.assets_dir, "");
    assert_string_equal(c.language, "zh_CN");
    assert_true(c.fullscreen);
    assert_int_equal(c.width, 0);
    assert_int_equal(c.height, 0);
    assert_int_equal(c.orientation, CFG_ORIENT_AUTO);
    assert_int_equal(c.renderer, CFG_RENDERER_SOFTWARE);
    assert_true(c.panel_diagonal_in == 21.5);
    assert_false(c.large_text);
    assert_int_equal(c.idle_timeout_s, 90);
    assert_int_equal(c.idle_countdown_s, 20);
    assert_string_equal(c.pin_hash, "");
    assert_int_equal(c.hold_s, 5);
    assert_int_equal(c.lockout_tries, 5);
    assert_int_equal(c.lockout_s, 300);
    assert_int_equal(c.n_contacts, 0);
}

static void test_empty(void **state)
{
    (void)state;
    cfg c, d;
    cfg_defaults(&d);
    const char *texts[] = {"", "\n\n\n", "; only a comment\n# and another\n", "\xEF\xBB\xBF", "[kiosk]\n[display]\n"};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        assert_int_equal(load(texts[i], &c), CFG_OK);
        assert_string_equal(errbuf, "");
        assert_memory_equal(&c, &d, sizeof c);
    }
}

static const char full[] =
    "; a complete file\n"
    "[kiosk]\n"
    "community_name = 阳光花园社区\n"
    "community_name_en = Sunshine Garden\n"
    "location = 南门岗亭 ; inline comment after a blank\n"
    "location_en = South Gate#1\n"
    "data_dir = /srv/kiosk\n"
    "assets_dir = /usr/share/kiosk\n"
    "language = en\n"
    "\n"
    "[display]\n"
    "fullscreen = no\n"
    "width = 1920\n"
    "height = 1080\n"
    "orientation = Landscape\n"
    "renderer = OPENGL\n"
    "panel_diagonal_in = 15.6\n"
    "large_text = on\n"
    "[session]\n"
    "idle_timeout_s = 3600\n"
    "idle_countdown_s = 300\n"
    "[admin]\n"
    "pin_hash = $argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA\n"
    "hold_seconds = 2\n"
    "lockout_tries = 20\n"
    "lockout_seconds = 86400\n"
    "[contact]\n"
    "line = 居委会 | Committee | 0571-8601 2345 | 每天 8:00-20:00 | Daily 8:00-20:00\n"
    "line =  卫生站|Clinic|0571-86023456  \n"
    "line = 物业 | | 0571-8604 5678 | 24小时\n";

static void test_full(void **state)
{
    (void)state;
    cfg c;
    assert_int_equal(load(full, &c), CFG_OK);
    assert_string_equal(c.community_zh, "阳光花园社区");
    assert_string_equal(c.community_en, "Sunshine Garden");
    assert_string_equal(c.location_zh, "南门岗亭");
    assert_string_equal(c.location_en, "South Gate#1");
    assert_string_equal(c.data_dir, "/srv/kiosk");
    assert_string_equal(c.assets_dir, "/usr/share/kiosk");
    assert_string_equal(c.language, "en");
    assert_false(c.fullscreen);
    assert_int_equal(c.width, 1920);
    assert_int_equal(c.height, 1080);
    assert_int_equal(c.orientation, CFG_ORIENT_LANDSCAPE);
    assert_int_equal(c.renderer, CFG_RENDERER_OPENGL);
    assert_true(c.panel_diagonal_in > 15.599 && c.panel_diagonal_in < 15.601);
    assert_true(c.large_text);
    assert_int_equal(c.idle_timeout_s, 3600);
    assert_int_equal(c.idle_countdown_s, 300);
    assert_string_equal(c.pin_hash, "$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA");
    assert_int_equal(c.hold_s, 2);
    assert_int_equal(c.lockout_tries, 20);
    assert_int_equal(c.lockout_s, 86400);
    assert_int_equal(c.n_contacts, 3);
    assert_string_equal(c.contacts[0].name_zh, "居委会");
    assert_string_equal(c.contacts[0].name_en, "Committee");
    assert_string_equal(c.contacts[0].phone, "0571-8601 2345");
    assert_string_equal(c.contacts[0].hours_zh, "每天 8:00-20:00");
    assert_string_equal(c.contacts[0].hours_en, "Daily 8:00-20:00");
    assert_string_equal(c.contacts[1].name_zh, "卫生站");
    assert_string_equal(c.contacts[1].name_en, "Clinic");
    assert_string_equal(c.contacts[1].phone, "0571-86023456");
    assert_string_equal(c.contacts[1].hours_zh, "");
    assert_string_equal(c.contacts[2].name_en, "");
    assert_string_equal(c.contacts[2].hours_zh, "24小时");
    assert_string_equal(c.contacts[2].hours_en, "");
}

static void test_crlf_bom_indent(void **state)
{
    (void)state;
    cfg c;
    assert_int_equal(load("\xEF\xBB\xBF[kiosk]\r\n  location = 东门\r\n\t[session]\r\nidle_timeout_s=60\r\n", &c), CFG_OK);
    assert_string_equal(c.location_zh, "东门");
    assert_int_equal(c.idle_timeout_s, 60);
    /* Extreme in-range values and the "automatic" zero. */
    assert_int_equal(load("[display]\nwidth = 320\nheight = 7680\npanel_diagonal_in = 5\n", &c), CFG_OK);
    assert_int_equal(c.width, 320);
    assert_int_equal(c.height, 7680);
    assert_true(c.panel_diagonal_in == 5.0);
    assert_int_equal(load("[display]\nwidth = 0\npanel_diagonal_in = 100.0\n", &c), CFG_OK);
    assert_int_equal(c.width, 0);
    assert_true(c.panel_diagonal_in == 100.0);
}

static void test_booleans(void **state)
{
    (void)state;
    const char *yes[] = {"true", "yes", "1", "on", "TRUE", "Yes", "ON"};
    const char *no[] = {"false", "no", "0", "off", "False", "NO", "Off"};
    char text[128];
    cfg c;
    for (size_t i = 0; i < 7; i++) {
        snprintf(text, sizeof text, "[display]\nlarge_text = %s\nfullscreen = %s\n", yes[i], no[i]);
        assert_int_equal(load(text, &c), CFG_OK);
        assert_true(c.large_text);
        assert_false(c.fullscreen);
    }
}

static void test_bad_values(void **state)
{
    (void)state;
    /* wrong type */
    expect_bad("[display]\nwidth = abc\n", CFG_EVALUE, 2, "width", "not a whole number", "320..7680", NULL);
    expect_bad("[display]\nwidth = 12.5\n", CFG_EVALUE, 2, "width", "not a whole number", NULL);
    expect_bad("[display]\nwidth = 0x400\n", CFG_EVALUE, 2, "width", NULL);
    expect_bad("[display]\nwidth =\n", CFG_EVALUE, 2, "width", NULL);
    expect_bad("[display]\nfullscreen = maybe\n", CFG_EVALUE, 2, "fullscreen", "true/false", "yes/no", "on/off",
               "1/0", NULL);
    expect_bad("[display]\nlarge_text = 2\n", CFG_EVALUE, 2, "large_text", NULL);
    expect_bad("[display]\norientation = sideways\n", CFG_EVALUE, 2, "orientation", "auto, portrait, landscape",
               NULL);
    expect_bad("[display]\nrenderer = vulkan\n", CFG_EVALUE, 2, "renderer", "software, opengl, auto", NULL);
    expect_bad("[display]\npanel_diagonal_in = big\n", CFG_EVALUE, 2, "panel_diagonal_in", "5..100", NULL);
    expect_bad("[display]\npanel_diagonal_in = 21,5\n", CFG_EVALUE, 2, "panel_diagonal_in", NULL);
    expect_bad("[display]\npanel_diagonal_in = .\n", CFG_EVALUE, 2, "panel_diagonal_in", NULL);
    expect_bad("[kiosk]\nlanguage = fr\n", CFG_EVALUE, 2, "language", "zh_CN or en", NULL);
    expect_bad("[admin]\npin_hash = 246810\n", CFG_EVALUE, 2, "pin_hash", "argon2id", NULL);
    /* out of range, both ends of every numeric key */
    struct {
        const char *section, *key, *low, *high, *range;
    } r[] = {
        {"display", "width", "319", "7681", "320..7680"},
        {"display", "height", "-1", "99999999999999999999", "320..7680"},
        {"display", "panel_diagonal_in", "4.99", "100.5", "5..100"},
        {"session", "idle_timeout_s", "9", "3601", "10..3600"},
        {"session", "idle_countdown_s", "19", "301", "20..300"},
        {"admin", "hold_seconds", "1", "31", "2..30"},
        {"admin", "lockout_tries", "0", "21", "1..20"},
        {"admin", "lockout_seconds", "9", "86401", "10..86400"},
    };
    char text[256];
    for (size_t i = 0; i < sizeof r / sizeof r[0]; i++) {
        snprintf(text, sizeof text, "; comment\n[%s]\n%s = %s\n", r[i].section, r[i].key, r[i].low);
        expect_bad(text, CFG_EVALUE, 3, r[i].key, "out of range", r[i].range, NULL);
        snprintf(text, sizeof text, "; comment\n[%s]\n%s = %s\n", r[i].section, r[i].key, r[i].high);
        expect_bad(text, CFG_EVALUE, 3, r[i].key, "out of range", r[i].range, NULL);
    }
    /* empty where a value is needed */
    expect_bad("[kiosk]\ncommunity_name =\n", CFG_EVALUE, 2, "community_name", "empty", NULL);
    expect_bad("[kiosk]\ndata_dir = \n", CFG_EVALUE, 2, "data_dir", "empty", NULL);
    /* control characters (a tab inside a value) */
    expect_bad("[kiosk]\nlocation = a\tb\n", CFG_EVALUE, 2, "location", "control character", NULL);
}

static void test_too_long(void **state)
{
    (void)state;
    /* Strings that do not fit are errors, never cut: one byte over each
     * field's size, for every string key. */
    const char *str_keys[] = {"community_name", "community_name_en", "location", "location_en", "data_dir",
                              "assets_dir"};
    char value[CFG_STR + 1];
    memset(value, 'a', CFG_STR);
    value[CFG_STR] = '\0';
    char text[CFG_STR + 64];
    cfg c;
    for (size_t i = 0; i < sizeof str_keys / sizeof str_keys[0]; i++) {
        value[CFG_STR - 1] = '\0'; /* 255 bytes: fits */
        snprintf(text, sizeof text, "[kiosk]\n%s = %s\n", str_keys[i], value);
        assert_int_equal(load(text, &c), CFG_OK);
        value[CFG_STR - 1] = 'a'; /* 256 bytes: does not */
        snprintf(text, sizeof text, "[kiosk]\n%s = %s\n", str_keys[i], value);
        expect_bad(text, CFG_EVALUE, 2, str_keys[i], "256 bytes", "at most 255", NULL);
    }
    expect_bad("[kiosk]\nlanguage = zh_CN_and_much_more\n", CFG_EVALUE, 2, "language", "at most 15", NULL);
    /* Counted in bytes: 86 hanzi are 258 bytes. */
    char han[400];
    size_t hl = (size_t)snprintf(han, sizeof han, "[kiosk]\ncommunity_name = ");
    for (int i = 0; i < 86; i++)
        hl += (size_t)snprintf(han + hl, sizeof han - hl, "社");
    snprintf(han + hl, sizeof han - hl, "\n");
    expect_bad(han, CFG_EVALUE, 2, "community_name", "258 bytes", NULL);
    /* pin_hash */
    char ph[400];
    snprintf(ph, sizeof ph, "[admin]\npin_hash = $argon2id$%s\n", value);
    expect_bad(ph, CFG_EVALUE, 2, "pin_hash", "at most 255", NULL);
    /* A line longer than the parser takes. */
    char *big = malloc(6000);
    assert_non_null(big);
    size_t bl = (size_t)snprintf(big, 6000, "[kiosk]\n; ok\nlocation = ");
    memset(big + bl, 'x', 5000);
    memcpy(big + bl + 5000, "\n", 2);
    expect_bad(big, CFG_ESYNTAX, 3, "at most 4000 bytes", NULL);
    free(big);
}

static void test_contacts(void **state)
{
    (void)state;
    expect_bad("[contact]\nline = 居委会 | Committee\n", CFG_EVALUE, 2, "2 fields", "3 to 5", NULL);
    expect_bad("[contact]\nline = a|b|1|d|e|f\n", CFG_EVALUE, 2, "6 fields", "3 to 5", NULL);
    expect_bad("[contact]\nline = 居委会\n", CFG_EVALUE, 2, "1 field;", NULL);
    expect_bad("[contact]\nline =  | Committee | 123\n", CFG_EVALUE, 2, "name_zh", "empty", NULL);
    expect_bad("[contact]\nline = 居委会 | Committee | none\n", CFG_EVALUE, 2, "phone", "no digits", NULL);
    char text[1200];
    char longf[300];
    memset(longf, 'n', 256);
    longf[256] = '\0';
    snprintf(text, sizeof text, "[contact]\nline = a | %s | 1\n", longf);
    expect_bad(text, CFG_EVALUE, 2, "field 2", "name_en", "at most 255", NULL);
    longf[64] = '\0';
    snprintf(text, sizeof text, "[contact]\nline = a | b | 1%s\n", longf);
    expect_bad(text, CFG_EVALUE, 2, "field 3", "phone", "at most 63", NULL);
    /* Exactly CFG_MAX_CONTACTS is fine; one more is an error on its line. */
    size_t used = (size_t)snprintf(text, sizeof text, "[contact]\n");
    for (int i = 0; i < CFG_MAX_CONTACTS; i++)
        used += (size_t)snprintf(text + used, sizeof text - used, "line = 第%d | No %d | 0571-8600 000%d\n", i, i, i);
    cfg c;
    assert_int_equal(load(text, &c), CFG_OK);
    assert_int_equal(c.n_contacts, CFG_MAX_CONTACTS);
    assert_string_equal(c.contacts[7].phone, "0571-8600 0007");
    snprintf(text + used, sizeof text - used, "line = 多 | More | 1\n");
    expect_bad(text, CFG_EVALUE, CFG_MAX_CONTACTS + 2, "more than 8", NULL);
}

static void test_unknown(void **state)
{
    (void)state;
    expect_bad("[kiosk]\ncommunity = 祥和\n", CFG_EKEY, 2, "unknown key 'community'", "[kiosk]", "community_name",
               "language", NULL);
    expect_bad("[kiosk]\n\n[kiosks]\n", CFG_EKEY, 3, "unknown section [kiosks]", "[display]", NULL);
    expect_bad("[Kiosk]\nlocation = a\n", CFG_EKEY, 1, "unknown section [Kiosk]", NULL);
    expect_bad("width = 1080\n", CFG_EKEY, 1, "'width' is outside any section", NULL);
    expect_bad("[display]\nidle_timeout_s = 90\n", CFG_EKEY, 2, "unknown key 'idle_timeout_s' in [display]", NULL);
    /* A section name longer than inih keeps (49 bytes). */
    expect_bad("[kiosk_with_a_very_long_name_that_inih_would_cut_short_anyway]\n", CFG_EKEY, 1, "unknown section",
               NULL);
    expect_bad("[kiosk]\nlocation = a\n\nlocation = b\n", CFG_EKEY, 4, "set twice", "first on line 2", NULL);
}

/* [notices]: defaults, every key set, 0 = no attract loop, bad values. */
static void test_notices(void **state)
{
    (void)state;
    cfg c;
    assert_int_equal(load("", &c), CFG_OK);
    assert_string_equal(c.notices_dir, "");
    assert_int_equal(c.attract_after_s, 60);
    assert_int_equal(c.attract_each_s, 8);
    assert_int_equal(load("[notices]\ndir = /srv/notices\nattract_after_s = 120\nattract_each_s = 5\n", &c), CFG_OK);
    assert_string_equal(c.notices_dir, "/srv/notices");
    assert_int_equal(c.attract_after_s, 120);
    assert_int_equal(c.attract_each_s, 5);
    assert_int_equal(load("[notices]\ndir = 通知\nattract_after_s = 0\n", &c), CFG_OK);
    assert_string_equal(c.notices_dir, "通知");
    assert_int_equal(c.attract_after_s, 0);
    expect_bad("[notices]\nattract_after_s = 9\n", CFG_EVALUE, 2, "attract_after_s", "out of range", "10..3600", NULL);
    expect_bad("[notices]\nattract_after_s = 3601\n", CFG_EVALUE, 2, "attract_after_s", "10..3600", NULL);
    expect_bad("[notices]\nattract_each_s = 2\n", CFG_EVALUE, 2, "attract_each_s", "3..120", NULL);
    expect_bad("[notices]\nattract_each_s = 121\n", CFG_EVALUE, 2, "attract_each_s", "3..120", NULL);
    expect_bad("[notices]\nattract_each_s = 8s\n", CFG_EVALUE, 2, "attract_each_s", "not a whole number", NULL);
    expect_bad("[notices]\nfolder = x\n", CFG_EKEY, 2, "unknown key 'folder' in [notices]", "dir",
               "attract_after_s", "attract_each_s", NULL);
    expect_bad("[notice]\n", CFG_EKEY, 1, "unknown section [notice]", "[notices]", NULL);
}

static void test_syntax(void **state)
{
    (void)state;
    expect_bad("[kiosk]\nlocation = a\njust some words\n", CFG_ESYNTAX, 3, "\"just some words\"",
               "not a [section], a key = value line", NULL);
    expect_bad("; c\n[kiosk\nlocation = a\n", CFG_ESYNTAX, 2, "no closing ']'", NULL);
    /* No Python-style continuation lines: an indented line is its own line. */
    expect_bad("[kiosk]\nlocation = a\n   b\n", CFG_ESYNTAX, 3, NULL);
    /* The first problem is the one reported, whatever kind it is. */
    expect_bad("[kiosk]\nbroken\nwidth = x\n", CFG_ESYNTAX, 2, NULL);
    expect_bad("[display]\nwidth = x\nbroken\n", CFG_EVALUE, 2, NULL);
    expect_bad("[kiosk]\nlocation = \xFF\n[nope]\n", CFG_EVALUE, 2, NULL);
}

static void test_utf8(void **state)
{
    (void)state;
    expect_bad("[kiosk]\nlocation = 东\xFF门\n", CFG_EVALUE, 2, "invalid UTF-8", "0xFF", "column 15", NULL);
    expect_bad("[kiosk]\nlocation = \xC0\xAF\n", CFG_EVALUE, 2, "invalid UTF-8", NULL);            /* overlong */
    expect_bad("[kiosk]\nlocation = \xED\xA0\x80\n", CFG_EVALUE, 2, "invalid UTF-8", NULL);        /* surrogate */
    expect_bad("[kiosk]\nlocation = \xE4\xB8\n", CFG_EVALUE, 2, "invalid UTF-8", NULL);            /* truncated */
    expect_bad("; GBK: \xC9\xE7\xC7\xF8\n[kiosk]\n", CFG_EVALUE, 1, "invalid UTF-8", NULL); /* also in comments */
    expect_bad("[contact]\nline = \xE5\xB1\x85 | a | 1 | \xF4\x90\x80\x80\n", CFG_EVALUE, 2, "invalid UTF-8", NULL);
}

static void test_line_numbers(void **state)
{
    (void)state;
    /* Comments, blank lines, CRLF and a BOM must not shift the count. */
    char text[4096] = "\xEF\xBB\xBF; header\r\n";
    size_t used = strlen(text);
    for (int i = 2; i < 40; i++)
        used += (size_t)snprintf(text + used, sizeof text - used, i % 3 ? "; comment %d\r\n" : "\r\n", i);
    snprintf(text + used, sizeof text - used, "[session]\r\n\r\nidle_countdown_s = 5\r\n");
    expect_bad(text, CFG_EVALUE, 42, "idle_countdown_s", "20..300", NULL);
}

static char tmpdir[64];

static int setup_dir(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/base_cfg.XXXXXX");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown_dir(void **state)
{
    (void)state;
    DIR *d = opendir(tmpdir);
    if (d) {
        struct dirent *de;
        char p[512];
        while ((de = readdir(d))) {
            if (de->d_name[0] == '.')
                continue;
            snprintf(p, sizeof p, "%s/%s", tmpdir, de->d_name);
            unlink(p);
        }
        closedir(d);
    }
    rmdir(tmpdir);
    return 0;
}

static void path_of(char *out, size_t len, const char *name) { snprintf(out, len, "%s/%s", tmpdir, name); }

static void write_file(const char *path, const char *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

static void write_str(const char *path, const char *s) { write_file(path, s, strlen(s)); }

static char *read_all(const char *path)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    static char buf[1 << 16];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    return buf;
}

static int count_files(void)
{
    DIR *d = opendir(tmpdir);
    assert_non_null(d);
    int n = 0;
    struct dirent *de;
    while ((de = readdir(d)))
        if (de->d_name[0] != '.')
            n++;
    closedir(d);
    return n;
}

static void test_files(void **state)
{
    (void)state;
    cfg c;
    char p[256];
    /* missing */
    path_of(p, sizeof p, "missing.ini");
    assert_int_equal(cfg_load(p, &c, errbuf, sizeof errbuf), CFG_EIO);
    char want[300];
    snprintf(want, sizeof want, "%s:0: cannot open: No such file or directory", p);
    assert_string_equal(errbuf, want);
    /* a directory */
    assert_int_equal(cfg_load(tmpdir, &c, errbuf, sizeof errbuf), CFG_EIO);
    assert_contains(errbuf, ":0: not a regular file");
    /* empty */
    path_of(p, sizeof p, "empty.ini");
    write_str(p, "");
    assert_int_equal(cfg_load(p, &c, errbuf, sizeof errbuf), CFG_OK);
    /* a valid file, and its errors carry the path */
    path_of(p, sizeof p, "full.ini");
    write_file(p, full, strlen(full));
    assert_int_equal(cfg_load(p, &c, errbuf, sizeof errbuf), CFG_OK);
    assert_int_equal(c.n_contacts, 3);
    write_str(p, "[display]\n\nwidth = 5\n");
    assert_int_equal(cfg_load(p, &c, errbuf, sizeof errbuf), CFG_EVALUE);
    snprintf(want, sizeof want, "%s:3: [display] width", p);
    assert_memory_equal(errbuf, want, strlen(want));
    /* a NUL byte (a binary file, or a truncated write) */
    write_file(p, "[kiosk]\nlocation = a\0b\n", 23);
    assert_int_equal(cfg_load(p, &c, errbuf, sizeof errbuf), CFG_ESYNTAX);
    snprintf(want, sizeof want, "%s:2: NUL byte at column 13", p);
    assert_memory_equal(errbuf, want, strlen(want));
    /* binary junk */
    unsigned char junk[512];
    for (size_t i = 0; i < sizeof junk; i++)
        junk[i] = (unsigned char)(i * 37 + 11);
    write_file(p, (const char *)junk, sizeof junk);
    assert_int_not_equal(cfg_load(p, &c, errbuf, sizeof errbuf), CFG_OK);
    assert_contains(errbuf, ":1: ");
    /* No error buffer at all is fine. */
    assert_int_not_equal(cfg_load(p, &c, NULL, 0), CFG_OK);
    assert_int_equal(cfg_load_string("x", "[x]\n", &c, errbuf, 0), CFG_EKEY);
}

static void test_huge(void **state)
{
    (void)state;
    /* A long but legitimate file (comments up to ~900 KiB) loads; one past
     * 1 MiB is refused before it is parsed. */
    size_t cap = 2u * 1024 * 1024 + 100;
    char *big = malloc(cap);
    assert_non_null(big);
    size_t n = 0;
    n += (size_t)snprintf(big + n, cap - n, "[kiosk]\n");
    int lines = 1;
    while (n < 900u * 1024) {
        n += (size_t)snprintf(big + n, cap - n, "; %d 这是一行很长的注释 a long comment line to fill the file\n", lines);
        lines++;
    }
    n += (size_t)snprintf(big + n, cap - n, "location = 东门\n");
    lines++;
    cfg c;
    char p[256];
    path_of(p, sizeof p, "huge.ini");
    write_file(p, big, n);
    assert_int_equal(cfg_load(p, &c, errbuf, sizeof errbuf), CFG_OK);
    assert_string_equal(c.location_zh, "东门");
    /* the same with an error on the last line: the count is still right */
    n += (size_t)snprintf(big + n, cap - n, "width = 1\n");
    lines++;
    write_file(p, big, n);
    assert_int_equal(cfg_load(p, &c, errbuf, sizeof errbuf), CFG_EKEY);
    char want[300];
    snprintf(want, sizeof want, "%s:%d: unknown key 'width'", p, lines);
    assert_memory_equal(errbuf, want, strlen(want));
    while (n < 2u * 1024 * 1024)
        n += (size_t)snprintf(big + n, cap - n, "; padding padding padding padding padding padding\n");
    write_file(p, big, n);
    assert_int_equal(cfg_load(p, &c, errbuf, sizeof errbuf), CFG_EIO);
    assert_contains(errbuf, ":0: file is larger than 1048576 bytes");
    free(big);
}

static const char orig[] =
    "; Demo config\n"
    "# keep this comment\n"
    "[kiosk]\n"
    "community_name = 祥和新城社区 ; the name\n"
    "location = 东门\n"
    "\n"
    "; --- admin settings below ---\n"
    "[admin]\n"
    "  pin_hash = $argon2id$old ; set by kioskctl\n"
    "hold_seconds = 5\n"
    "\n"
    "; trailing comment about [session]\n"
    "[session]\n"
    "idle_timeout_s = 90\n";

static void test_set_key(void **state)
{
    (void)state;
    char p[256];
    path_of(p, sizeof p, "set.ini");
    write_file(p, orig, strlen(orig));
    chmod(p, 0640);
    int before = count_files();

    /* Replace: only that line changes; indentation and its comment stay. */
    assert_int_equal(cfg_set_key(p, "admin", "pin_hash", "$argon2id$v=19$m=65536,t=2,p=1$abc$def", errbuf,
                                 sizeof errbuf),
                     CFG_OK);
    assert_string_equal(errbuf, "");
    char want[2048];
    snprintf(want, sizeof want, "%.*s%s%s", (int)(strstr(orig, "  pin_hash") - orig), orig,
             "  pin_hash = $argon2id$v=19$m=65536,t=2,p=1$abc$def ; set by kioskctl\n",
             strstr(orig, "hold_seconds"));
    assert_string_equal(read_all(p), want);
    cfg c;
    assert_int_equal(cfg_load(p, &c, errbuf, sizeof errbuf), CFG_OK);
    assert_string_equal(c.pin_hash, "$argon2id$v=19$m=65536,t=2,p=1$abc$def");
    assert_string_equal(c.community_zh, "祥和新城社区");
    struct stat st;
    assert_int_equal(stat(p, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0640);
    assert_int_equal(count_files(), before); /* no temp file left */

    /* Add a key to an existing section: after its last key, before the
     * comment that introduces the next section. */
    assert_int_equal(cfg_set_key(p, "admin", "lockout_tries", "3", errbuf, sizeof errbuf), CFG_OK);
    const char *now = read_all(p);
    assert_contains(now, "hold_seconds = 5\nlockout_tries = 3\n\n; trailing comment about [session]\n");
    assert_int_equal(cfg_load(p, &c, errbuf, sizeof errbuf), CFG_OK);
    assert_int_equal(c.lockout_tries, 3);

    /* Add a missing section at the end. */
    assert_int_equal(cfg_set_key(p, "display", "large_text", "yes", errbuf, sizeof errbuf), CFG_OK);
    now = read_all(p);
    assert_contains(now, "idle_timeout_s = 90\n\n[display]\nlarge_text = yes\n");
    assert_int_equal(strncmp(now, "; Demo config\n# keep this comment\n[kiosk]\n", 42), 0);
    assert_int_equal(cfg_load(p, &c, errbuf, sizeof errbuf), CFG_OK);
    assert_true(c.large_text);
    assert_int_equal(c.lockout_tries, 3);
    assert_int_equal(c.idle_timeout_s, 90);

    /* Refused changes leave the file exactly as it was. */
    char saved[4096];
    snprintf(saved, sizeof saved, "%s", read_all(p));
    assert_int_equal(cfg_set_key(p, "display", "width", "abc", errbuf, sizeof errbuf), CFG_EVALUE);
    assert_contains(errbuf, "width");
    assert_contains(errbuf, "file left unchanged");
    assert_int_equal(cfg_set_key(p, "admin", "pin", "x", errbuf, sizeof errbuf), CFG_EKEY);
    assert_int_equal(cfg_set_key(p, "nosuch", "key", "x", errbuf, sizeof errbuf), CFG_EKEY);
    assert_int_equal(cfg_set_key(p, "kiosk", "location", "a\nwidth = 5", errbuf, sizeof errbuf), CFG_EVALUE);
    assert_int_equal(cfg_set_key(p, "kiosk", "location", "a ; b", errbuf, sizeof errbuf), CFG_EVALUE);
    assert_int_equal(cfg_set_key(p, "kiosk", "location", " padded", errbuf, sizeof errbuf), CFG_EVALUE);
    assert_int_equal(cfg_set_key(p, "kiosk", "location", "\xFF", errbuf, sizeof errbuf), CFG_EVALUE);
    assert_int_equal(cfg_set_key(p, "kiosk]\n[x", "location", "a", errbuf, sizeof errbuf), CFG_EKEY);
    assert_int_equal(cfg_set_key(p, "kiosk", "location=", "a", errbuf, sizeof errbuf), CFG_EKEY);
    assert_string_equal(read_all(p), saved);
    assert_int_equal(count_files(), before);

    /* An empty value is a value. */
    assert_int_equal(cfg_set_key(p, "admin", "pin_hash", "", errbuf, sizeof errbuf), CFG_OK);
    assert_int_equal(cfg_load(p, &c, errbuf, sizeof errbuf), CFG_OK);
    assert_string_equal(c.pin_hash, "");
}

static void test_set_key_new_and_odd_files(void **state)
{
    (void)state;
    char p[256], link[256];
    cfg c;
    /* A file that does not exist yet is created. */
    path_of(p, sizeof p, "new.ini");
    assert_int_equal(cfg_set_key(p, "admin", "pin_hash", "$argon2id$x", errbuf, sizeof errbuf), CFG_OK);
    assert_string_equal(read_all(p), "[admin]\npin_hash = $argon2id$x\n");
    /* A file without a final newline, with CRLF line ends. */
    write_str(p, "[kiosk]\r\nlocation = a");
    assert_int_equal(cfg_set_key(p, "kiosk", "language", "en", errbuf, sizeof errbuf), CFG_OK);
    assert_string_equal(read_all(p), "[kiosk]\r\nlocation = a\r\nlanguage = en\r\n");
    assert_int_equal(cfg_set_key(p, "kiosk", "location", "b", errbuf, sizeof errbuf), CFG_OK);
    assert_string_equal(read_all(p), "[kiosk]\r\nlocation = b\r\nlanguage = en\r\n");
    write_str(p, "[kiosk]\nlocation = a");
    assert_int_equal(cfg_set_key(p, "admin", "hold_seconds", "7", errbuf, sizeof errbuf), CFG_OK);
    assert_string_equal(read_all(p), "[kiosk]\nlocation = a\n\n[admin]\nhold_seconds = 7\n");
    assert_int_equal(cfg_load(p, &c, errbuf, sizeof errbuf), CFG_OK);
    assert_int_equal(c.hold_s, 7);
    /* Through a symlink: the target changes, the link stays a link. */
    path_of(link, sizeof link, "link.ini");
    assert_int_equal(symlink(p, link), 0);
    assert_int_equal(cfg_set_key(link, "admin", "hold_seconds", "8", errbuf, sizeof errbuf), CFG_OK);
    struct stat st;
    assert_int_equal(lstat(link, &st), 0);
    assert_true(S_ISLNK(st.st_mode));
    assert_int_equal(cfg_load(p, &c, errbuf, sizeof errbuf), CFG_OK);
    assert_int_equal(c.hold_s, 8);
    /* The repeatable contact line: the first one is replaced. */
    write_str(p, "[contact]\nline = a | b | 1\nline = c | d | 2\n");
    assert_int_equal(cfg_set_key(p, "contact", "line", "e | f | 3", errbuf, sizeof errbuf), CFG_OK);
    assert_int_equal(cfg_load(p, &c, errbuf, sizeof errbuf), CFG_OK);
    assert_int_equal(c.n_contacts, 2);
    assert_string_equal(c.contacts[0].name_zh, "e");
    assert_string_equal(c.contacts[1].name_zh, "c");
    /* A file that is already broken is not made worse, nor touched. */
    write_str(p, "[kiosk]\nbroken line\n");
    assert_int_equal(cfg_set_key(p, "kiosk", "location", "x", errbuf, sizeof errbuf), CFG_ESYNTAX);
    assert_string_equal(read_all(p), "[kiosk]\nbroken line\n");
    /* In a directory that does not exist. */
    assert_int_equal(cfg_set_key("/nonexistent-dir/k.ini", "kiosk", "location", "x", errbuf, sizeof errbuf), CFG_EIO);
    assert_contains(errbuf, "/nonexistent-dir/k.ini:0: ");
}

static void test_strerror(void **state)
{
    (void)state;
    for (int e = CFG_OK; e <= CFG_ENOMEM; e++)
        assert_true(strlen(cfg_strerror((cfg_err)e)) > 0);
    assert_string_equal(cfg_strerror(CFG_OK), "ok");
    assert_non_null(cfg_strerror((cfg_err)99));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_full),
        cmocka_unit_test(test_crlf_bom_indent),
        cmocka_unit_test(test_booleans),
        cmocka_unit_test(test_bad_values),
        cmocka_unit_test(test_too_long),
        cmocka_unit_test(test_contacts),
        cmocka_unit_test(test_unknown),
        cmocka_unit_test(test_notices),
        cmocka_unit_test(test_syntax),
        cmocka_unit_test(test_utf8),
        cmocka_unit_test(test_line_numbers),
        cmocka_unit_test_setup_teardown(test_files, setup_dir, teardown_dir),
        cmocka_unit_test_setup_teardown(test_huge, setup_dir, teardown_dir),
        cmocka_unit_test_setup_teardown(test_set_key, setup_dir, teardown_dir),
        cmocka_unit_test_setup_teardown(test_set_key_new_and_odd_files, setup_dir, teardown_dir),
        cmocka_unit_test(test_strerror),
    };
    return cmocka_run_group_tests_name("base_cfg", tests, NULL, NULL);
}
