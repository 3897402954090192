/* retort-text.c — text helpers that behave like Python's str methods */
#define G_LOG_DOMAIN "retort-text"

#include "retort-text.h"

#include <string.h>

gboolean
retort_text_py_isspace (gunichar c)
{
  /* str.isspace(): bidi class WS/B/S or category Zs, which adds the ASCII
   * separators 0x1c-0x1f and NEL to what GLib calls space. */
  if (c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1c && c <= 0x1f) || c == 0x85)
    return TRUE;
  switch (g_unichar_type (c))
    {
    case G_UNICODE_SPACE_SEPARATOR:
    case G_UNICODE_LINE_SEPARATOR:
    case G_UNICODE_PARAGRAPH_SEPARATOR:
      return TRUE;
    default:
      return FALSE;
    }
}

char *
retort_text_py_strip (const char *text)
{
  const char *start = text;
  const char *end = text + strlen (text);

  while (*start != '\0' && retort_text_py_isspace (g_utf8_get_char (start)))
    start = g_utf8_next_char (start);
  while (end > start)
    {
      const char *prev = g_utf8_find_prev_char (start, end);
      if (prev == NULL || !retort_text_py_isspace (g_utf8_get_char (prev)))
        break;
      end = prev;
    }
  return g_strndup (start, end - start);
}

/* Length of the line break starting at p, or 0; the set str.splitlines() uses. */
static gsize
line_break_length (const char *p)
{
  const guchar c = (guchar) p[0];

  if (c == '\r')
    return p[1] == '\n' ? 2 : 1;
  if (c == '\n' || c == '\v' || c == '\f' || c == 0x1c || c == 0x1d || c == 0x1e)
    return 1;
  if (c == 0xc2 && (guchar) p[1] == 0x85)
    return 2;
  if (c == 0xe2 && (guchar) p[1] == 0x80 && ((guchar) p[2] == 0xa8 || (guchar) p[2] == 0xa9))
    return 3;
  return 0;
}

GPtrArray *
retort_text_py_splitlines (const char *text)
{
  GPtrArray *lines = g_ptr_array_new_with_free_func (g_free);
  const char *line_start = text;
  const char *p = text;

  while (*p != '\0')
    {
      gsize len = line_break_length (p);
      if (len > 0)
        {
          g_ptr_array_add (lines, g_strndup (line_start, p - line_start));
          p += len;
          line_start = p;
        }
      else
        p++;
    }
  if (p > line_start)
    g_ptr_array_add (lines, g_strndup (line_start, p - line_start));
  return lines;
}

char *
retort_text_first_paragraph (const char *text)
{
  const char *sep = strstr (text, "\n\n");
  return sep != NULL ? g_strndup (text, sep - text) : g_strdup (text);
}

char *
retort_text_join_ids (const char * const *ids,
                      gssize              n_ids)
{
  GString *out = g_string_new (NULL);

  for (gssize i = 0; n_ids < 0 ? ids[i] != NULL : i < n_ids; i++)
    {
      if (i > 0)
        g_string_append (out, ", ");
      g_string_append (out, ids[i]);
    }
  return g_string_free (out, FALSE);
}

/* g_utf8_validate_len with an ASCII fast path: revision files are almost
 * all ASCII, and this runs over every byte of every file. */
gboolean
retort_text_validate_utf8 (const char  *text,
                           gsize        length,
                           const char **invalid)
{
  gsize i = 0;

  while (i < length)
    {
      if (i + 8 <= length)
        {
          guint64 word;
          memcpy (&word, text + i, 8);
          if ((word & G_GUINT64_CONSTANT (0x8080808080808080)) == 0)
            {
              i += 8;
              continue;
            }
        }
      if ((guchar) text[i] < 0x80)
        {
          i++;
          continue;
        }
      {
        /* validate from here to the end of this line the slow way */
        const char *end = memchr (text + i, '\n', length - i);
        gsize chunk = end != NULL ? (gsize) (end - (text + i)) : length - i;
        if (!g_utf8_validate_len (text + i, chunk, invalid))
          return FALSE;
        i += chunk;
      }
    }
  return TRUE;
}

/* A message wrapped over several lines in a docstring, as one line: runs of
 * whitespace become one space, none at either end. NULL reads as "". */
char *
retort_text_one_line (const char *text)
{
  g_autoptr(GString) line = g_string_new (NULL);
  gboolean space = FALSE;

  for (const char *p = text != NULL ? text : ""; *p != '\0'; p++)
    {
      if (g_ascii_isspace (*p))
        space = TRUE;
      else
        {
          if (space && line->len > 0)
            g_string_append_c (line, ' ');
          space = FALSE;
          g_string_append_c (line, *p);
        }
    }
  return g_string_free (g_steal_pointer (&line), FALSE);
}
