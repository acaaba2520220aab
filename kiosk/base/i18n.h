/* i18n.h - translations from standard gettext .po files.
 *
 * Source strings (msgid) are English and marked with _() or N_() so that
 * xgettext finds them; assets/po/zh_CN.po holds the Chinese. The kiosk is
 * Chinese first: i18n_set_lang(I18N_ZH) is the default and the language every
 * session returns to. English needs no catalog (msgid is the English text).
 *
 * The .po reader handles what translators' tools write: comments (#, #., #:,
 * #, fuzzy), msgctxt, multi-line strings ("..." continuation lines), C escapes
 * (\n \t \" \\ \ooo \xhh), and plural forms (msgid_plural / msgstr[n], of
 * which msgstr[0] is used since Chinese has one form). Fuzzy entries and empty
 * msgstr are treated as untranslated. Bad input gives I18N_ESYNTAX and
 * "PATH:LINE: message".
 */
#ifndef I18N_H
#define I18N_H

#include <stddef.h>

typedef enum i18n_err {
    I18N_OK = 0,
    I18N_EIO = 1,
    I18N_ESYNTAX = 2,
    I18N_ENOMEM = 3,
    I18N_EENCODING = 4, /* not UTF-8, or a charset other than UTF-8 in the header */
} i18n_err;

typedef enum i18n_lang { I18N_ZH = 0, I18N_EN = 1, I18N_NLANG = 2 } i18n_lang;

typedef struct i18n_catalog i18n_catalog; /* opaque: msgid -> msgstr */

i18n_err i18n_catalog_load(const char *path, i18n_catalog **out, char *err, size_t errlen);
i18n_err i18n_catalog_parse(const char *name, const char *text, size_t len, i18n_catalog **out,
                            char *err, size_t errlen);
void i18n_catalog_free(i18n_catalog *cat);                 /* NULL is a no-op */
/* The translation, or NULL when the catalog has none (or only a fuzzy/empty one).
 * An entry with msgctxt is keyed as gettext keys it, CTXT "\004" MSGID; look it
 * up with that key (i18n_catalog_msgid returns it in that form too). */
const char *i18n_catalog_lookup(const i18n_catalog *cat, const char *msgid);
size_t i18n_catalog_count(const i18n_catalog *cat);        /* translated entries */
/* Iterate msgids (including untranslated ones), i < i18n_catalog_size(); for tests and tools. */
size_t i18n_catalog_size(const i18n_catalog *cat);
const char *i18n_catalog_msgid(const i18n_catalog *cat, size_t i);

/* Process-wide current language. i18n_init loads PODIR/zh_CN.po. */
i18n_err i18n_init(const char *podir, char *err, size_t errlen);
void i18n_shutdown(void);
void i18n_set_lang(i18n_lang lang);
i18n_lang i18n_lang_get(void);
i18n_lang i18n_lang_from_name(const char *name);           /* "zh_CN"/"zh" -> ZH, "en" -> EN, else ZH */
/* msgid in the current language; msgid itself when English or untranslated. */
const char *i18n_tr(const char *msgid);
/* msgid in a given language, whatever the current one is. */
const char *i18n_tr_lang(i18n_lang lang, const char *msgid);

const char *i18n_strerror(i18n_err e);

#define _(s) i18n_tr(s)
#define N_(s) (s)

#endif
