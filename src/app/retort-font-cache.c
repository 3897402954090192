/* retort-font-cache.c — what rows measure of a font, once per font
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "retort-font-cache.h"

gconstpointer
retort_font_cache_lookup (GHashTable                 **cache,
                          PangoContext                *context,
                          RetortFontMeasureFunc        measure,
                          const PangoFontDescription **font)
{
  const PangoFontDescription *description = pango_context_get_font_description (context);
  PangoFontDescription *key = NULL;
  gpointer value = NULL;

  if (*cache == NULL)
    *cache = g_hash_table_new_full ((GHashFunc) pango_font_description_hash,
                                    (GEqualFunc) pango_font_description_equal,
                                    (GDestroyNotify) pango_font_description_free, g_free);
  if (!g_hash_table_lookup_extended (*cache, description, (gpointer *) &key, &value))
    {
      value = measure (context, description);
      key = pango_font_description_copy (description);
      g_hash_table_insert (*cache, key, value);
    }
  if (font != NULL)
    *font = key;
  return value;
}

int
retort_font_char_width (PangoFontMetrics *metrics)
{
  return MAX (pango_font_metrics_get_approximate_char_width (metrics),
              pango_font_metrics_get_approximate_digit_width (metrics));
}
