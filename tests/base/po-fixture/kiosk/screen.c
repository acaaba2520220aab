/* Fixture for the po_complete_selftest test: never compiled, only read by
 * xgettext. One string is translated, one is missing from the .po, one has
 * only a fuzzy translation. */
#define _(s) (s)
#define N_(s) (s)
const char *translated(void) { return _("Notices"); }
const char *missing(void) { return _("Order groceries"); }
static const char *const fuzzy[] = {N_("Continue")};
