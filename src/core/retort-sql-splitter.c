/* retort-sql-splitter.c — a script of SQL into its statements
 *
 * A ';' ends a statement only outside quotes ('', E'' with backslashes,
 * "identifiers"), dollar quoting ($$, $tag$), comments (-- and nested block comments),
 * SQL-standard function bodies (BEGIN ATOMIC ... END) and SQLite trigger
 * bodies (CREATE TRIGGER ... BEGIN ... END). SQLite scripts are executed
 * through sqlite3_prepare_v2's tail, which is authoritative; this splitter
 * serves PostgreSQL, previews and offline output.
 */
#define G_LOG_DOMAIN "retort-sql-splitter"

#include "retort-sql-splitter.h"
#include "retort-revision.h"

#include <string.h>

void
retort_statement_free (RetortStatement *statement)
{
  if (statement == NULL)
    return;
  g_free (statement->sql);
  g_free (statement);
}

static gboolean
is_word_char (char c)
{
  return g_ascii_isalnum (c) || c == '_' || (guchar) c >= 0x80;
}

static gboolean
word_is (const char *start,
         gsize       length,
         const char *word)
{
  return strlen (word) == length && g_ascii_strncasecmp (start, word, length) == 0;
}

static void
add_statement (GPtrArray  *out,
               const char *start,
               const char *end,
               const char *script)
{
  RetortStatement *statement;
  guint line = 1;
  const char *first = NULL;
  gboolean has_code = FALSE;

  /* skip leading blanks and comments for the line number, but keep comments */
  for (const char *p = start; p < end; p++)
    if (!g_ascii_isspace (*p))
      {
        first = p;
        break;
      }
  if (first == NULL)
    return;
  /* a statement of only comments is not a statement */
  for (const char *p = first; p < end; p++)
    {
      if (p[0] == '-' && p + 1 < end && p[1] == '-')
        {
          while (p < end && *p != '\n')
            p++;
          continue;
        }
      if (p[0] == '/' && p + 1 < end && p[1] == '*')
        {
          const char *close = g_strstr_len (p + 2, end - p - 2, "*/");
          p = close != NULL ? close + 1 : end;
          continue;
        }
      if (!g_ascii_isspace (*p))
        {
          has_code = TRUE;
          break;
        }
    }
  if (!has_code)
    return;
  for (const char *p = script; p < first; p++)
    line += *p == '\n';
  while (end > first && g_ascii_isspace (end[-1]))
    end--;
  statement = g_new0 (RetortStatement, 1);
  statement->sql = g_strndup (first, end - first);
  statement->line = line;
  statement->offset = first - script;
  g_ptr_array_add (out, statement);
}

GPtrArray *
retort_sql_split (const char     *script,
                  RetortDialect   dialect,
                  GError        **error)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) retort_statement_free);
  const char *p = script;
  const char *start = script;
  guint line = 1;
  int block_depth = 0;        /* BEGIN ATOMIC / trigger BEGIN ... END nesting */
  gboolean in_trigger = FALSE;
  guint words_in_statement = 0;
  const char *previous_word = NULL;
  gsize previous_length = 0;

  while (*p != '\0')
    {
      char c = *p;

      if (c == '\n')
        {
          line++;
          p++;
          continue;
        }
      if (c == '-' && p[1] == '-')
        {
          while (*p != '\0' && *p != '\n')
            p++;
          continue;
        }
      if (c == '/' && p[1] == '*')
        {
          int depth = 1;
          guint opened = line;
          p += 2;
          while (*p != '\0' && depth > 0)
            {
              if (p[0] == '/' && p[1] == '*' && dialect == RETORT_DIALECT_POSTGRESQL)
                depth++, p += 2;
              else if (p[0] == '*' && p[1] == '/')
                depth--, p += 2;
              else
                line += *p++ == '\n';
            }
          if (depth > 0)
            {
              g_set_error (error, RETORT_REVISION_ERROR, RETORT_REVISION_ERROR_SYNTAX,
                           "%u: unterminated /* comment", opened);
              return NULL;
            }
          continue;
        }
      if (c == '\'' || c == '"' || c == '`' || (c == '[' && dialect == RETORT_DIALECT_SQLITE))
        {
          char close = c == '[' ? ']' : c;
          gboolean backslashes = FALSE;
          guint opened = line;

          /* E'...' (PostgreSQL escape strings) take backslash escapes */
          if (c == '\'' && p > script && (p[-1] == 'E' || p[-1] == 'e') &&
              (p - 1 == script || !is_word_char (p[-2])))
            backslashes = TRUE;
          p++;
          for (;;)
            {
              if (*p == '\0')
                {
                  g_set_error (error, RETORT_REVISION_ERROR, RETORT_REVISION_ERROR_SYNTAX,
                               "%u: unterminated %s", opened, c == '\'' ? "string literal" : "quoted identifier");
                  return NULL;
                }
              if (backslashes && *p == '\\' && p[1] != '\0')
                {
                  line += p[1] == '\n';
                  p += 2;
                  continue;
                }
              if (*p == close)
                {
                  if (p[1] == close && close != ']')
                    {
                      p += 2;  /* a doubled quote */
                      continue;
                    }
                  p++;
                  break;
                }
              line += *p++ == '\n';
            }
          continue;
        }
      if (c == '$' && dialect == RETORT_DIALECT_POSTGRESQL && (p == script || !is_word_char (p[-1])))
        {
          /* $$ or $tag$ dollar quoting; $1 is a parameter, not a quote */
          const char *q = p + 1;
          while (*q != '\0' && (g_ascii_isalnum (*q) || *q == '_') && !(q == p + 1 && g_ascii_isdigit (*q)))
            q++;
          if (*q == '$')
            {
              g_autofree char *tag = g_strndup (p, q - p + 1);
              const char *close = strstr (q + 1, tag);
              if (close == NULL)
                {
                  g_set_error (error, RETORT_REVISION_ERROR, RETORT_REVISION_ERROR_SYNTAX,
                               "%u: unterminated dollar-quoted string %s", line, tag);
                  return NULL;
                }
              for (const char *r = p; r < close; r++)
                line += *r == '\n';
              p = close + strlen (tag);
              continue;
            }
        }
      if (is_word_char (c) && (p == script || !is_word_char (p[-1])))
        {
          const char *word = p;
          gsize length;
          while (is_word_char (*p))
            p++;
          length = p - word;
          words_in_statement++;
          if (words_in_statement == 1)
            in_trigger = FALSE;
          if (dialect == RETORT_DIALECT_SQLITE && word_is (word, length, "TRIGGER") && words_in_statement <= 4)
            in_trigger = TRUE;
          if (word_is (word, length, "ATOMIC") && previous_word != NULL &&
              word_is (previous_word, previous_length, "BEGIN"))
            block_depth++;
          else if (in_trigger && word_is (word, length, "BEGIN"))
            block_depth++;
          else if (block_depth > 0 && word_is (word, length, "CASE"))
            block_depth++;
          else if (block_depth > 0 && word_is (word, length, "END"))
            block_depth--;
          previous_word = word;
          previous_length = length;
          continue;
        }
      if (c == ';' && block_depth == 0)
        {
          add_statement (out, start, p, script);
          p++;
          start = p;
          words_in_statement = 0;
          in_trigger = FALSE;
          continue;
        }
      p++;
    }
  add_statement (out, start, p, script);
  return g_steal_pointer (&out);
}
