/* retort-text.h — text helpers that behave like Python's str methods
 *
 * Alembic shows docstrings after str.strip(), str.splitlines() and
 * re.split("\n\n"); matching its output byte for byte needs the same rules.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean   retort_text_py_isspace    (gunichar    c);
char      *retort_text_py_strip      (const char *text);
GPtrArray *retort_text_py_splitlines (const char *text);
char      *retort_text_first_paragraph (const char *text);
char      *retort_text_one_line     (const char *text);
char      *retort_text_join_ids      (const char * const *ids,
                                      gssize             n_ids);
gboolean   retort_text_validate_utf8 (const char         *text,
                                      gsize               length,
                                      const char        **invalid);

G_END_DECLS
