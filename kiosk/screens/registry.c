/* registry.c - the features that have a tile on the home screen.
 *
 * A feature adds its line here when it lands (with its screen); nothing is
 * listed before it exists, so no tile ever leads to a placeholder. The order
 * is the order on the home screen: what residents need most comes first.
 */
#include "scr.h"

static bool have_contacts(const scr_env *env) { return env->cfg && env->cfg->n_contacts > 0; }
static bool have_notices(const scr_env *env) { return env->notices != NULL; }

static const scr_feature features[] = {
    {"notices", N_("Community notices"), N_("Epidemic control, supplies, volunteers, daily life"),
     0x25A4 /* ▤ a notice board */, 1, SCR_NOTICES, have_notices},
    {"contact", N_("Useful numbers"), N_("Committee, clinic, volunteers, property: who to call"),
     0x260E /* ☎ */, 0, SCR_CONTACT, have_contacts},
};

const scr_feature *scr_features(size_t *n)
{
    *n = sizeof features / sizeof features[0];
    return features;
}
