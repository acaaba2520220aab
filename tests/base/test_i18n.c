/* Tests of kiosk/base/i18n: the .po reader (what translators' tools write,
 * and what they must not), lookups, and the process-wide language. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "i18n.h"

static char errbuf[1024];

#define assert_contains(hay, needle)                                                                               \
    do {                                                                                                           \
        if (!strstr((hay), (needle)))                                                                              \
            fail_msg("expected \"%s\" in \"%s\"", (needle), (hay));                                               \
    } while (0)

static i18n_catalog *parse_ok(const char *text)
{
    i18n_catalog *cat = NULL;
    i18n_err e = i18n_catalog_parse("t.po", text, strlen(text), &cat, errbuf, sizeof errbuf);
    if (e != I18N_OK)
        fail_msg("parse failed (%d): %s", e, errbuf);
    assert_non_null(cat);
    return cat;
}

/* TEXT[0..LEN) must fail with CODE at LINE, the message containing HINT. */
static void expect_bad_n(const char *text, size_t len, i18n_err code, int line, const char *hint)
{
    i18n_catalog *cat = (i18n_catalog *)&cat; /* must be reset to NULL */
    i18n_err e = i18n_catalog_parse("t.po", text, len, &cat, errbuf, sizeof errbuf);
    if (e != code)
        fail_msg("for <<%s>>: got %d (%s), expected %d", text, e, errbuf, code);
    assert_null(cat);
    char prefix[32];
    snprintf(prefix, sizeof prefix, "t.po:%d: ", line);
    if (strncmp(errbuf, prefix, strlen(prefix)) != 0)
        fail_msg("for <<%s>>: message \"%s\" does not start with \"%s\"", text, errbuf, prefix);
    if (hint)
        assert_contains(errbuf, hint);
}
static void expect_bad(const char *text, i18n_err code, int line, const char *hint)
{
    expect_bad_n(text, strlen(text), code, line, hint);
}

static const char good[] =
    "# Translator comment\n"
    "msgid \"\"\n"
    "msgstr \"\"\n"
    "\"Project-Id-Version: test\\n\"\n"
    "\"Language: zh_CN\\n\"\n"
    "\"Content-Type: text/plain; charset=UTF-8\\n\"\n"
    "\"Plural-Forms: nplurals=1; plural=0;\\n\"\n"
    "\n"
    "#. extracted comment\n"
    "#: kiosk/screens/home.c:12\n"
    "msgid \"Notices\"\n"
    "msgstr \"通知公告\"\n"
    "\n"
    "#: kiosk/screens/home.c:20\n"
    "msgid \"\"\n"
    "\"Hello! Tap a button below \"\n"
    "\"to choose a service.\"\n"
    "msgstr \"\"\n"
    "\"您好！\"\n"
    "\"请点击下方按钮选择服务。\"\n"
    "\n"
    "msgid \"Tab\\there \\\"quoted\\\" back\\\\slash\\nnew line\"\n"
    "msgstr \"制表\\t这里 \\\"引号\\\" 反\\\\斜杠\\n换行\"\n"
    "\n"
    "msgid \"Octal \\101 and hex \\x42\"\n"
    "msgstr \"\\344\\270\\255 \\xe6\\x96\\x87\"\n"
    "\n"
    "msgctxt \"button\"\n"
    "msgid \"Open\"\n"
    "msgstr \"打开\"\n"
    "\n"
    "msgctxt \"door\"\n"
    "msgid \"Open\"\n"
    "msgstr \"开门\"\n"
    "\n"
    "msgid \"%d order\"\n"
    "msgid_plural \"%d orders\"\n"
    "msgstr[0] \"%d 个订单\"\n"
    "\n"
    "#, fuzzy, c-format\n"
    "msgid \"Fuzzy one\"\n"
    "msgstr \"模糊的\"\n"
    "\n"
    "#, c-format\n"
    "msgid \"Not fuzzy %s\"\n"
    "msgstr \"不模糊 %s\"\n"
    "\n"
    "msgid \"Untranslated\"\n"
    "msgstr \"\"\n"
    "\n"
    "#| msgid \"Old text\"\n"
    "msgid \"Plural for English\"\n"
    "msgid_plural \"Plurals for English\"\n"
    "msgstr[0] \"一\"\n"
    "msgstr[1] \"二\"\n"
    "\n"
    "#~ msgid \"Obsolete\"\n"
    "#~ msgstr \"废弃\"\n"
    "msgid \"Last, no newline at the end\"\n"
    "msgstr \"最后\"";

static void test_valid(void **state)
{
    (void)state;
    i18n_catalog *cat = parse_ok(good);
    assert_string_equal(i18n_catalog_lookup(cat, "Notices"), "通知公告");
    assert_string_equal(i18n_catalog_lookup(cat, "Hello! Tap a button below to choose a service."),
                        "您好！请点击下方按钮选择服务。");
    assert_string_equal(i18n_catalog_lookup(cat, "Tab\there \"quoted\" back\\slash\nnew line"),
                        "制表\t这里 \"引号\" 反\\斜杠\n换行");
    assert_string_equal(i18n_catalog_lookup(cat, "Octal A and hex B"), "中 文");
    /* Context entries use gettext's key, "CTXT\004MSGID". */
    assert_string_equal(i18n_catalog_lookup(cat, "button\004Open"), "打开");
    assert_string_equal(i18n_catalog_lookup(cat, "door\004Open"), "开门");
    assert_null(i18n_catalog_lookup(cat, "Open"));
    assert_string_equal(i18n_catalog_lookup(cat, "%d order"), "%d 个订单");
    assert_null(i18n_catalog_lookup(cat, "%d orders"));
    assert_null(i18n_catalog_lookup(cat, "Fuzzy one"));
    assert_string_equal(i18n_catalog_lookup(cat, "Not fuzzy %s"), "不模糊 %s");
    assert_null(i18n_catalog_lookup(cat, "Untranslated"));
    assert_string_equal(i18n_catalog_lookup(cat, "Plural for English"), "一");
    assert_null(i18n_catalog_lookup(cat, "Obsolete"));
    assert_string_equal(i18n_catalog_lookup(cat, "Last, no newline at the end"), "最后");
    assert_null(i18n_catalog_lookup(cat, ""));
    assert_null(i18n_catalog_lookup(cat, NULL));
    assert_null(i18n_catalog_lookup(cat, "Notices "));
    /* The header is not a message; fuzzy and empty ones are, untranslated. */
    assert_int_equal(i18n_catalog_size(cat), 12);
    assert_int_equal(i18n_catalog_count(cat), 10);
    assert_string_equal(i18n_catalog_msgid(cat, 0), "Notices");
    assert_string_equal(i18n_catalog_msgid(cat, 4), "button\004Open");
    assert_string_equal(i18n_catalog_msgid(cat, 5), "door\004Open");
    assert_string_equal(i18n_catalog_msgid(cat, 11), "Last, no newline at the end");
    assert_null(i18n_catalog_msgid(cat, 12));
    i18n_catalog_free(cat);
    i18n_catalog_free(NULL);
    assert_null(i18n_catalog_lookup(NULL, "x"));
    assert_int_equal(i18n_catalog_size(NULL), 0);
    assert_int_equal(i18n_catalog_count(NULL), 0);
}

static void test_variants(void **state)
{
    (void)state;
    /* CRLF, a BOM, blank lines with blanks, indentation, no header at all. */
    i18n_catalog *cat = parse_ok("\xEF\xBB\xBFmsgid \"A\"\r\n  msgstr \"甲\"  \r\n \t \r\nmsgid \"B\"\r\nmsgstr \"乙\"\r\n");
    assert_string_equal(i18n_catalog_lookup(cat, "A"), "甲");
    assert_string_equal(i18n_catalog_lookup(cat, "B"), "乙");
    i18n_catalog_free(cat);
    /* Empty and comment-only files are empty catalogs. */
    cat = parse_ok("");
    assert_int_equal(i18n_catalog_size(cat), 0);
    assert_null(i18n_catalog_lookup(cat, "A"));
    i18n_catalog_free(cat);
    cat = parse_ok("# nothing yet\n\n#, fuzzy\n");
    assert_int_equal(i18n_catalog_size(cat), 0);
    i18n_catalog_free(cat);
    /* Header charset spellings that mean UTF-8; a fuzzy header is normal. */
    cat = parse_ok("#, fuzzy\nmsgid \"\"\nmsgstr \"content-type: text/plain; CHARSET=utf-8\\n\"\n");
    i18n_catalog_free(cat);
    cat = parse_ok("msgid \"\"\nmsgstr \"Content-Type: text/plain; charset=UTF8\\n\"\n");
    i18n_catalog_free(cat);
    /* A comment right after an entry ends it; its fuzzy flag is the next one's. */
    cat = parse_ok("msgid \"a\"\nmsgstr \"甲\"\n#, fuzzy\nmsgid \"b\"\nmsgstr \"乙\"\nmsgid \"c\"\nmsgstr \"丙\"\n");
    assert_string_equal(i18n_catalog_lookup(cat, "a"), "甲");
    assert_null(i18n_catalog_lookup(cat, "b"));
    assert_string_equal(i18n_catalog_lookup(cat, "c"), "丙");
    i18n_catalog_free(cat);
    /* A flag that only contains "fuzzy" is not fuzzy. */
    cat = parse_ok("#, no-fuzzy-thing\nmsgid \"a\"\nmsgstr \"甲\"\n");
    assert_string_equal(i18n_catalog_lookup(cat, "a"), "甲");
    i18n_catalog_free(cat);
    /* A character split across escapes of two pieces is fine. */
    cat = parse_ok("msgid \"a\"\nmsgstr \"\\xe4\"\n\"\\xb8\\xad\"\n");
    assert_string_equal(i18n_catalog_lookup(cat, "a"), "中");
    i18n_catalog_free(cat);
}

static void test_charset(void **state)
{
    (void)state;
    expect_bad("# c\nmsgid \"\"\nmsgstr \"\"\n\"Content-Type: text/plain; charset=GBK\\n\"\n", I18N_EENCODING, 2,
               "charset=GBK");
    expect_bad("msgid \"\"\nmsgstr \"Content-Type: text/plain; charset=CHARSET\\n\"\n", I18N_EENCODING, 1,
               "only UTF-8");
    expect_bad("msgid \"\"\nmsgstr \"Content-Type: text/plain; charset=ISO-8859-1\\n\"\nmsgid \"a\"\nmsgstr \"b\"\n",
               I18N_EENCODING, 1, "ISO-8859-1");
    expect_bad("msgid \"\"\nmsgstr \"\"\nmsgid \"\"\nmsgstr \"\"\n", I18N_ESYNTAX, 3, "second header");
}

static void test_bad(void **state)
{
    (void)state;
    /* unterminated strings */
    expect_bad("msgid \"abc\nmsgstr \"\"\n", I18N_ESYNTAX, 1, "unterminated");
    expect_bad("msgid \"a\"\nmsgstr \"b\\\n", I18N_ESYNTAX, 2, "unterminated");
    expect_bad("msgid \"a\"\nmsgstr \"b\"\n\"more\n", I18N_ESYNTAX, 3, "unterminated");
    /* out of order or missing keywords */
    expect_bad("# c\n\nmsgstr \"x\"\n", I18N_ESYNTAX, 3, "msgstr without a msgid");
    expect_bad("msgid \"a\"\nmsgid \"b\"\nmsgstr \"\"\n", I18N_ESYNTAX, 1, "msgid without a msgstr");
    expect_bad("msgid \"a\"\nmsgstr \"b\"\nmsgstr \"c\"\n", I18N_ESYNTAX, 3, "second msgstr");
    expect_bad("\"floating\"\n", I18N_ESYNTAX, 1, "without msgid or msgstr");
    expect_bad("msgid_plural \"x\"\n", I18N_ESYNTAX, 1, "msgid_plural without a msgid");
    expect_bad("msgid \"a\"\nmsgid_plural \"as\"\nmsgstr \"x\"\n", I18N_ESYNTAX, 3, "msgstr[0]");
    expect_bad("msgid \"a\"\nmsgid_plural \"as\"\nmsgstr[1] \"x\"\n", I18N_ESYNTAX, 3, "expected msgstr[0]");
    expect_bad("msgid \"a\"\nmsgstr[0] \"x\"\n", I18N_ESYNTAX, 2, "without msgid_plural");
    expect_bad("msgid \"a\"\nmsgid_plural \"as\"\nmsgstr[x] \"x\"\n", I18N_ESYNTAX, 3, "index");
    expect_bad("msgid \"a\"\nmsgid_plural \"as\"\nmsgid_plural \"as\"\n", I18N_ESYNTAX, 3, "second msgid_plural");
    expect_bad("msgid \"a\"\nmsgid_plural \"as\"\n\n", I18N_ESYNTAX, 1, "msgid_plural without msgstr[0]");
    expect_bad("msgctxt \"c\"\nmsgstr \"x\"\n", I18N_ESYNTAX, 2, "msgstr without a msgid");
    expect_bad("msgid \"a\"\nmsgstr \"b\"\nmsgfoo \"c\"\n", I18N_ESYNTAX, 3, "unknown keyword 'msgfoo'");
    expect_bad("msgid\n", I18N_ESYNTAX, 1, "expected a \"string\" after msgid");
    expect_bad("msgid \"a\" junk\nmsgstr \"b\"\n", I18N_ESYNTAX, 1, "after the closing quote");
    expect_bad("msgid \"a\"\nmsgstr \"b\"\n\nmsgid \"a\"\nmsgstr \"c\"\n", I18N_ESYNTAX, 4,
               "duplicate message definition (first defined on line 1)");
    expect_bad("msgctxt \"k\"\nmsgid \"a\"\nmsgstr \"b\"\nmsgctxt \"k\"\nmsgid \"a\"\nmsgstr \"c\"\n", I18N_ESYNTAX, 5,
               "duplicate");
    /* bad escapes */
    expect_bad("msgid \"a\"\nmsgstr \"\\q\"\n", I18N_ESYNTAX, 2, "invalid escape \\q");
    expect_bad("msgid \"a\"\nmsgstr \"\\xZZ\"\n", I18N_ESYNTAX, 2, "without hex digits");
    expect_bad("msgid \"a\"\nmsgstr \"\\0\"\n", I18N_ESYNTAX, 2, "NUL");
    expect_bad("msgid \"a\"\nmsgstr \"\\x00\"\n", I18N_ESYNTAX, 2, "NUL");
    expect_bad("msgid \"a\"\nmsgstr \"\\400\"\n", I18N_ESYNTAX, 2, "larger than a byte");
    expect_bad("msgid \"a\"\nmsgstr \"\\\xE4\xB8\xAD\"\n", I18N_ESYNTAX, 2, "0xE4");
}

static void test_bad_encoding(void **state)
{
    (void)state;
    expect_bad("msgid \"a\"\nmsgstr \"\xE4\xB8\"\n", I18N_EENCODING, 2, "invalid UTF-8");       /* truncated */
    expect_bad("msgid \"a\"\nmsgstr \"\xC0\xAF\"\n", I18N_EENCODING, 2, "column 9");            /* overlong */
    expect_bad("msgid \"a\"\nmsgstr \"\xED\xA0\x80\"\n", I18N_EENCODING, 2, "0xED");             /* surrogate */
    expect_bad("# \xFF comment\nmsgid \"a\"\nmsgstr \"b\"\n", I18N_EENCODING, 1, "invalid UTF-8"); /* anywhere */
    /* Escapes that decode to something that is not UTF-8: the field's line. */
    expect_bad("msgid \"a\"\nmsgstr \"\"\n\"\\xff\"\n\nmsgid \"b\"\nmsgstr \"c\"\n", I18N_EENCODING, 2,
               "msgstr is not valid UTF-8");
    expect_bad("msgid \"\\300\\257\"\nmsgstr \"c\"\n", I18N_EENCODING, 1, "msgid is not valid UTF-8");
    expect_bad("msgid \"a\"\nmsgstr \"\\xe4\\xb8\"", I18N_EENCODING, 2, "msgstr");
}

static void test_junk_and_truncation(void **state)
{
    (void)state;
    /* Binary junk: a NUL on the first line. */
    static const char bin[] = "\x7F" "ELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x03\0>\0\x01\0\0\0";
    expect_bad_n(bin, sizeof bin - 1, I18N_ESYNTAX, 1, "NUL byte");
    /* A NUL inside an otherwise fine file, at its line. */
    static const char nul[] = "msgid \"a\"\nmsgstr \"b\"\nmsgid \"c\0\"\nmsgstr \"d\"\n";
    expect_bad_n(nul, sizeof nul - 1, I18N_ESYNTAX, 3, "NUL byte");
    /* Random bytes: whatever the error, it is an error, with a line. */
    unsigned char junk[4096];
    uint32_t x = 12345;
    for (size_t i = 0; i < sizeof junk; i++) {
        x = x * 1103515245u + 12345u;
        junk[i] = (unsigned char)(x >> 16);
    }
    i18n_catalog *cat = NULL;
    assert_int_not_equal(i18n_catalog_parse("t.po", (const char *)junk, sizeof junk, &cat, errbuf, sizeof errbuf),
                         I18N_OK);
    assert_null(cat);
    assert_contains(errbuf, "t.po:");
    /* Truncated files: every cut of a good file either parses or says where. */
    for (size_t cut = 0; cut < strlen(good); cut++) {
        cat = NULL;
        i18n_err e = i18n_catalog_parse("t.po", good, cut, &cat, errbuf, sizeof errbuf);
        if (e == I18N_OK) {
            assert_non_null(cat);
            i18n_catalog_free(cat);
        } else {
            assert_null(cat);
            assert_int_equal(strncmp(errbuf, "t.po:", 5), 0);
            assert_true(strncmp(errbuf, "t.po:0:", 7) != 0);
        }
    }
    /* Specific truncations. */
    expect_bad("msgid \"a\"\nmsgstr \"b\"\n\nmsgid \"c\"", I18N_ESYNTAX, 4, "msgid without a msgstr");
    expect_bad("msgid \"a\"\nmsgstr \"b\"\n\nmsgid \"c\"\nmsgstr \"d", I18N_ESYNTAX, 5, "unterminated");
    expect_bad("msgid \"a\"\nmsgstr \"b\"\nmsgctxt \"c\"\n", I18N_ESYNTAX, 3, "msgctxt without a msgid");
    expect_bad("msgid \"a\"\nmsgstr \"b\"\nmsgstr", I18N_ESYNTAX, 3, NULL);
    expect_bad("msgid \"a\"\nmsgstr ", I18N_ESYNTAX, 2, "expected a \"string\" after msgstr");
    /* Errors go nowhere when there is no buffer, without crashing. */
    cat = NULL;
    assert_int_equal(i18n_catalog_parse("t.po", "msgstr \"x\"", 10, &cat, NULL, 0), I18N_ESYNTAX);
    assert_int_equal(i18n_catalog_parse(NULL, "msgstr \"x\"", 10, &cat, errbuf, sizeof errbuf), I18N_ESYNTAX);
    assert_contains(errbuf, ":1: ");
}

static void test_many(void **state)
{
    (void)state;
    /* 20000 entries: the table grows many times and every lookup still
     * finds its own entry. */
    enum { N = 20000 };
    size_t cap = (size_t)N * 64;
    char *text = malloc(cap);
    assert_non_null(text);
    size_t used = 0;
    for (int i = 0; i < N; i++)
        used += (size_t)snprintf(text + used, cap - used, "msgid \"message %d\"\nmsgstr \"消息 %d\"\n\n", i, i);
    i18n_catalog *cat = parse_ok(text);
    assert_int_equal(i18n_catalog_size(cat), N);
    assert_int_equal(i18n_catalog_count(cat), N);
    char id[32], want[32];
    for (int i = 0; i < N; i++) {
        snprintf(id, sizeof id, "message %d", i);
        snprintf(want, sizeof want, "消息 %d", i);
        assert_string_equal(i18n_catalog_lookup(cat, id), want);
    }
    assert_null(i18n_catalog_lookup(cat, "message 20000"));
    i18n_catalog_free(cat);
    free(text);
}

static char tmpdir[64];

static int setup_dir(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/base_i18n.XXXXXX");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown_dir(void **state)
{
    (void)state;
    char p[128];
    snprintf(p, sizeof p, "%s/zh_CN.po", tmpdir);
    unlink(p);
    rmdir(tmpdir);
    i18n_shutdown();
    return 0;
}

static void write_po(const char *text)
{
    char p[128];
    snprintf(p, sizeof p, "%s/zh_CN.po", tmpdir);
    FILE *f = fopen(p, "wb");
    assert_non_null(f);
    assert_int_equal(fputs(text, f) >= 0, 1);
    assert_int_equal(fclose(f), 0);
}

static void test_languages(void **state)
{
    (void)state;
    /* Before any catalog: English everywhere. */
    assert_int_equal(i18n_lang_get(), I18N_ZH);
    assert_string_equal(i18n_tr("Notices"), "Notices");
    assert_string_equal(i18n_tr(NULL), "");

    write_po("msgid \"\"\nmsgstr \"Content-Type: text/plain; charset=UTF-8\\n\"\n\n"
             "msgid \"Notices\"\nmsgstr \"通知公告\"\n\nmsgid \"Continue\"\nmsgstr \"继续\"\n");
    assert_int_equal(i18n_init(tmpdir, errbuf, sizeof errbuf), I18N_OK);
    i18n_set_lang(I18N_ZH);
    assert_string_equal(_("Notices"), "通知公告");
    assert_string_equal(_("Continue"), "继续");
    assert_string_equal(_("Not in the catalog"), "Not in the catalog");
    /* The same pointer is returned for an untranslated msgid (no copy). */
    const char *lit = "Also not there";
    assert_ptr_equal(i18n_tr(lit), lit);
    i18n_set_lang(I18N_EN);
    assert_int_equal(i18n_lang_get(), I18N_EN);
    assert_string_equal(_("Notices"), "Notices");
    assert_string_equal(i18n_tr_lang(I18N_ZH, "Notices"), "通知公告");
    assert_string_equal(i18n_tr_lang(I18N_EN, "Notices"), "Notices");
    assert_string_equal(i18n_tr_lang((i18n_lang)7, "Notices"), "Notices");
    i18n_set_lang(I18N_ZH);
    assert_string_equal(_("Notices"), "通知公告");
    i18n_set_lang((i18n_lang)42); /* out of range: the first language */
    assert_int_equal(i18n_lang_get(), I18N_ZH);
    static const char *n_ = N_("Marked only");
    assert_string_equal(n_, "Marked only");

    /* A broken reload reports and keeps the catalog that works. */
    write_po("msgid \"Notices\"\nmsgstr \"坏\n");
    assert_int_equal(i18n_init(tmpdir, errbuf, sizeof errbuf), I18N_ESYNTAX);
    assert_contains(errbuf, "/zh_CN.po:2: unterminated");
    assert_string_equal(_("Notices"), "通知公告");
    /* A good reload replaces it. */
    write_po("msgid \"Notices\"\nmsgstr \"公告\"\n");
    assert_int_equal(i18n_init(tmpdir, errbuf, sizeof errbuf), I18N_OK);
    assert_string_equal(_("Notices"), "公告");
    /* A missing directory. */
    assert_int_equal(i18n_init("/nonexistent-po-dir", errbuf, sizeof errbuf), I18N_EIO);
    assert_string_equal(errbuf, "/nonexistent-po-dir/zh_CN.po:0: cannot open: No such file or directory");
    i18n_shutdown();
    assert_string_equal(_("Notices"), "Notices");
    assert_int_equal(i18n_lang_get(), I18N_ZH);
}

static void test_lang_names(void **state)
{
    (void)state;
    assert_int_equal(i18n_lang_from_name("zh_CN"), I18N_ZH);
    assert_int_equal(i18n_lang_from_name("zh"), I18N_ZH);
    assert_int_equal(i18n_lang_from_name("en"), I18N_EN);
    assert_int_equal(i18n_lang_from_name("en_US.UTF-8"), I18N_EN);
    assert_int_equal(i18n_lang_from_name("EN-gb"), I18N_EN);
    assert_int_equal(i18n_lang_from_name("eng"), I18N_ZH);
    assert_int_equal(i18n_lang_from_name("fr"), I18N_ZH);
    assert_int_equal(i18n_lang_from_name(""), I18N_ZH);
    assert_int_equal(i18n_lang_from_name(NULL), I18N_ZH);
    for (int e = I18N_OK; e <= I18N_EENCODING; e++)
        assert_true(strlen(i18n_strerror((i18n_err)e)) > 0);
    assert_non_null(i18n_strerror((i18n_err)99));
}

static void test_load_files(void **state)
{
    (void)state;
    i18n_catalog *cat = (i18n_catalog *)&cat;
    assert_int_equal(i18n_catalog_load("/nonexistent.po", &cat, errbuf, sizeof errbuf), I18N_EIO);
    assert_null(cat);
    assert_string_equal(errbuf, "/nonexistent.po:0: cannot open: No such file or directory");
    assert_int_equal(i18n_catalog_load("/", &cat, errbuf, sizeof errbuf), I18N_EIO);
    assert_string_equal(errbuf, "/:0: not a regular file");
    /* The project's own catalog must load with this reader. */
    const char *src = getenv("KIOSK_SOURCE_DIR");
    char p[1024];
    snprintf(p, sizeof p, "%s/assets/po/zh_CN.po", src ? src : KIOSK_SOURCE_DIR);
    assert_int_equal(i18n_catalog_load(p, &cat, errbuf, sizeof errbuf), I18N_OK);
    assert_non_null(cat);
    i18n_catalog_free(cat);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid),
        cmocka_unit_test(test_variants),
        cmocka_unit_test(test_charset),
        cmocka_unit_test(test_bad),
        cmocka_unit_test(test_bad_encoding),
        cmocka_unit_test(test_junk_and_truncation),
        cmocka_unit_test(test_many),
        cmocka_unit_test_setup_teardown(test_languages, setup_dir, teardown_dir),
        cmocka_unit_test(test_lang_names),
        cmocka_unit_test(test_load_files),
    };
    return cmocka_run_group_tests_name("base_i18n", tests, NULL, NULL);
}
