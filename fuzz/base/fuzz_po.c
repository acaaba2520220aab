/* fuzz_po: any bytes into i18n_catalog_parse. No crash, no leak; on success
 * every msgid it lists must be found again by lookup (the hash table and the
 * entry list agree), and translations must be valid UTF-8. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    i18n_catalog *cat = NULL;
    char err[512];
    i18n_err e = i18n_catalog_parse("f.po", (const char *)data, size, &cat, err, sizeof err);
    if (e != I18N_OK) {
        if (cat || strncmp(err, "f.po:", 5) != 0)
            abort();
        return 0;
    }
    size_t n = i18n_catalog_size(cat), translated = 0;
    for (size_t i = 0; i < n; i++) {
        const char *id = i18n_catalog_msgid(cat, i);
        if (!id)
            abort();
        const char *tr = i18n_catalog_lookup(cat, id);
        if (tr) {
            translated++;
            if (!*tr || !utf8_valid(tr, strlen(tr), NULL))
                abort();
        }
    }
    if (translated != i18n_catalog_count(cat) || i18n_catalog_msgid(cat, n) != NULL)
        abort();
    i18n_catalog_free(cat);
    return 0;
}
