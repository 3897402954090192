/* retort-font-cache.h — what rows measure of a font, once per font
 *
 * Pango works a font's metrics out again each time it is asked, and a list
 * asks at every measure of every row. Rows that draw their own text keep
 * what they need per PangoFontDescription, for good: there are a handful.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <pango/pango.h>

G_BEGIN_DECLS

/* measures a font; returns a g_malloc'd value the cache keeps */
typedef gpointer (*RetortFontMeasureFunc) (PangoContext               *context,
                                           const PangoFontDescription *description);

/* the value for context's font: from *cache (made on first use), or
 * measured now. *font gets the cache's own copy of the description, which
 * stays valid for good, so a row can tell when its font changed. */
gconstpointer retort_font_cache_lookup (GHashTable                 **cache,
                                        PangoContext                *context,
                                        RetortFontMeasureFunc        measure,
                                        const PangoFontDescription **font);

/* the widest of a font's average character and digit, in Pango units */
int           retort_font_char_width   (PangoFontMetrics            *metrics);

G_END_DECLS
