/* retort-sql-reader.c — reads Retort's native .sql revisions
 *
 * A header of `--` comment lines carries the same fields as an Alembic
 * docstring, and here they are authoritative. Then `-- retort:upgrade` and
 * `-- retort:downgrade` markers open sections, optionally for one dialect
 * and optionally outside a transaction. docs/revision-format.md has the rules.
 */
#define G_LOG_DOMAIN "retort-sql-reader"

#include "retort-revision-private.h"

#include <string.h>

#define MARKER "-- retort:"

typedef struct {
  char  *value;
  guint  line;
  gboolean present;
} HeaderField;

static gboolean
line_is_blank (const char *line)
{
  for (; *line != '\0'; line++)
    if (!g_ascii_isspace (*line))
      return FALSE;
  return TRUE;
}

static GStrv
split_list (const char *value)
{
  g_auto(GStrv) parts = g_strsplit (value, ",", -1);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_strstrip (parts[i]);
      if (*parts[i] != '\0')
        g_strv_builder_add (builder, parts[i]);
    }
  return g_strv_builder_end (builder);
}

static gboolean
parse_marker (const char  *line,
              guint        line_no,
              GPtrArray   *sections,
              GError     **error)
{
  g_auto(GStrv) words = g_strsplit_set (line + strlen (MARKER), " \t", -1);
  RetortDirection direction;
  const char *dialect = NULL;
  gboolean transactional = TRUE;
  guint w = 0;

  if (g_strcmp0 (words[0], "upgrade") == 0)
    direction = RETORT_DIRECTION_UPGRADE;
  else if (g_strcmp0 (words[0], "downgrade") == 0)
    direction = RETORT_DIRECTION_DOWNGRADE;
  else
    {
      g_set_error (error, RETORT_REVISION_ERROR, RETORT_REVISION_ERROR_SYNTAX,
                   "%u: unknown section marker 'retort:%s'; expected 'retort:upgrade' or "
                   "'retort:downgrade'", line_no, words[0]);
      return FALSE;
    }
  for (w = 1; words[w] != NULL; w++)
    {
      if (*words[w] == '\0')
        continue;
      if (strcmp (words[w], "postgresql") == 0 || strcmp (words[w], "sqlite") == 0)
        {
          if (dialect != NULL)
            {
              g_set_error (error, RETORT_REVISION_ERROR, RETORT_REVISION_ERROR_SYNTAX,
                           "%u: a section names one dialect at most", line_no);
              return FALSE;
            }
          dialect = words[w];
        }
      else if (strcmp (words[w], "no-transaction") == 0)
        transactional = FALSE;
      else
        {
          g_set_error (error, RETORT_REVISION_ERROR, RETORT_REVISION_ERROR_SYNTAX,
                       "%u: unknown word '%s' in section marker; expected 'postgresql', "
                       "'sqlite' or 'no-transaction'", line_no, words[w]);
          return FALSE;
        }
    }
  g_ptr_array_add (sections, retort_sql_section_new (direction, dialect, transactional, "", line_no + 1));
  return TRUE;
}

RetortRevision *
retort_sql_reader_parse (const char  *path,
                         const char  *contents,
                         gsize        length,
                         GError     **error)
{
  static const char *keys[] = { "Revision ID", "Revises", "Branch Labels", "Depends On", "Create Date" };
  enum { KEY_ID, KEY_REVISES, KEY_LABELS, KEY_DEPENDS, KEY_DATE, N_KEYS };
  HeaderField fields[N_KEYS] = { { 0 } };
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GString) header = g_string_new (NULL);
  g_autoptr(GPtrArray) sections = g_ptr_array_new_with_free_func ((GDestroyNotify) retort_sql_section_free);
  g_autoptr(GString) body = g_string_new (NULL);
  g_autoptr(RetortRevision) revision = NULL;
  g_auto(GStrv) down = NULL;
  g_auto(GStrv) labels = NULL;
  g_auto(GStrv) depends = NULL;
  RetortRevision *result = NULL;

  if (!retort_revision_check_utf8 (contents, length, error))
    {
      g_prefix_error (error, "%s:", path);
      return NULL;
    }

  text = g_strndup (contents, length);
  if (g_str_has_prefix (text, "\xef\xbb\xbf"))
    memmove (text, text + 3, strlen (text + 3) + 1);
  {
    g_autofree char *stripped = g_strdup (text);
    if (*g_strstrip (stripped) == '\0')
      {
        g_set_error (error, RETORT_REVISION_ERROR, RETORT_REVISION_ERROR_EMPTY,
                     "%s:1: the file is empty; a revision needs at least a '-- Revision ID:' "
                     "and a '-- Revises:' header line", path);
        return NULL;
      }
  }

  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = lines[i];
      guint line_no = i + 1;
      gsize len = strlen (line);

      if (len > 0 && line[len - 1] == '\r')
        line[len - 1] = '\0';

      if (g_str_has_prefix (line, MARKER))
        {
          if (sections->len > 0)
            {
              RetortSqlSection *previous = g_ptr_array_index (sections, sections->len - 1);
              g_free (previous->sql);
              previous->sql = g_strdup (g_strchomp (body->str));
              g_string_truncate (body, 0);
            }
          if (!parse_marker (line, line_no, sections, error))
            {
              g_prefix_error (error, "%s:", path);
              goto out;
            }
          continue;
        }

      if (sections->len > 0)
        {
          g_string_append (body, line);
          g_string_append_c (body, '\n');
          continue;
        }

      /* the header */
      if (g_str_has_prefix (line, "--"))
        {
          const char *content = line + 2;
          if (*content == ' ')
            content++;
          g_string_append (header, content);
          g_string_append_c (header, '\n');
          for (int k = 0; k < N_KEYS; k++)
            {
              gsize klen = strlen (keys[k]);
              if (g_ascii_strncasecmp (content, keys[k], klen) == 0 && content[klen] == ':')
                {
                  if (fields[k].present)
                    {
                      g_set_error (error, RETORT_REVISION_ERROR, RETORT_REVISION_ERROR_SYNTAX,
                                   "%s:%u: '%s:' appears twice in the header (first on line %u)",
                                   path, line_no, keys[k], fields[k].line);
                      goto out;
                    }
                  fields[k].present = TRUE;
                  fields[k].line = line_no;
                  fields[k].value = g_strstrip (g_strdup (content + klen + 1));
                }
            }
          continue;
        }
      if (!line_is_blank (line))
        {
          g_set_error (error, RETORT_REVISION_ERROR, RETORT_REVISION_ERROR_SYNTAX,
                       "%s:%u: SQL before the first section; start it with '-- retort:upgrade' "
                       "or '-- retort:downgrade'", path, line_no);
          goto out;
        }
      g_string_append_c (header, '\n');
    }
  if (sections->len > 0)
    {
      RetortSqlSection *previous = g_ptr_array_index (sections, sections->len - 1);
      g_free (previous->sql);
      previous->sql = g_strdup (g_strchomp (body->str));
    }

  if (!fields[KEY_ID].present || *fields[KEY_ID].value == '\0')
    {
      g_set_error (error, RETORT_REVISION_ERROR, RETORT_REVISION_ERROR_MISSING_FIELD,
                   "%s:1: no revision id: the header has no '-- Revision ID: <id>' line", path);
      goto out;
    }
  if (!fields[KEY_REVISES].present)
    {
      g_set_error (error, RETORT_REVISION_ERROR, RETORT_REVISION_ERROR_MISSING_FIELD,
                   "%s:%u: revision '%s' has no '-- Revises:' line (leave it empty for a first "
                   "revision)", path, fields[KEY_ID].line, fields[KEY_ID].value);
      goto out;
    }

  down = split_list (fields[KEY_REVISES].value);
  labels = fields[KEY_LABELS].present ? split_list (fields[KEY_LABELS].value) : NULL;
  depends = fields[KEY_DEPENDS].present ? split_list (fields[KEY_DEPENDS].value) : NULL;
  revision = retort_revision_new (fields[KEY_ID].value,
                                  (const char * const *) down,
                                  (const char * const *) labels,
                                  (const char * const *) depends,
                                  error);
  if (revision == NULL)
    {
      g_prefix_error (error, "%s:%u: ", path, fields[KEY_ID].line);
      goto out;
    }
  retort_revision_set_source (revision, path, RETORT_REVISION_FORMAT_SQL);
  retort_revision_set_longdoc (revision, header->str);
  retort_revision_set_create_date (revision, fields[KEY_DATE].value);
  retort_revision_set_field_line (revision, RETORT_REVISION_FIELD_REVISION, fields[KEY_ID].line);
  retort_revision_set_field_line (revision, RETORT_REVISION_FIELD_DOWN_REVISION, fields[KEY_REVISES].line);
  retort_revision_set_field_line (revision, RETORT_REVISION_FIELD_BRANCH_LABELS, fields[KEY_LABELS].line);
  retort_revision_set_field_line (revision, RETORT_REVISION_FIELD_DEPENDS_ON, fields[KEY_DEPENDS].line);
  for (guint i = 0; i < sections->len; i++)
    retort_revision_add_section (revision, g_ptr_array_steal_index (sections, i--));
  result = g_steal_pointer (&revision);

out:
  for (int k = 0; k < N_KEYS; k++)
    g_free (fields[k].value);
  return result;
}
