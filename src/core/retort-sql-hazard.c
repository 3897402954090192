/* retort-sql-hazard.c — the statements of a script that destroy data
 *
 * The script is split with retort_sql_split(); each statement is then read
 * token by token, skipping comments, strings, quoted identifiers and
 * dollar-quoted bodies, so only its own keywords count. A statement
 * destroys data when it
 *  - has DROP among its keywords (DROP TABLE, ALTER TABLE … DROP COLUMN,
 *    DROP CONSTRAINT, …), except the column attributes that keep every
 *    value: DROP NOT NULL, DROP DEFAULT, DROP IDENTITY, DROP EXPRESSION;
 *  - is a TRUNCATE;
 *  - is a DELETE or UPDATE without a WHERE at its own level: a WHERE inside
 *    a subquery filters the subquery, not the rows changed. The DELETE or
 *    UPDATE of a data-modifying WITH query (`WITH d AS (DELETE FROM t) …`)
 *    counts as well; the ones in trigger and function bodies, rules and
 *    privileges (ON DELETE, FOR UPDATE, GRANT UPDATE) do not run now and
 *    do not count.
 */
#define G_LOG_DOMAIN "retort-sql-hazard"

#include "retort-sql-hazard.h"
#include "retort-sql-splitter.h"

#include <string.h>

typedef enum {
  TOKEN_WORD,   /* a keyword or a bare identifier */
  TOKEN_OPEN,
  TOKEN_CLOSE,
  TOKEN_OTHER,  /* a quoted name, a literal, an operator */
} TokenKind;

typedef struct {
  TokenKind   kind;
  const char *start;
  gsize       length;
  int         depth;  /* parentheses around it; an OPEN or CLOSE has the outer depth */
} Token;

static gboolean
is_word_char (char c)
{
  return g_ascii_isalnum (c) || c == '_' || (guchar) c >= 0x80;
}

static gboolean
token_is (const Token *token,
          const char  *word)
{
  return token->kind == TOKEN_WORD && strlen (word) == token->length &&
         g_ascii_strncasecmp (token->start, word, token->length) == 0;
}

/* p just past the quote that opened a string or quoted name */
static const char *
skip_quoted (const char *p,
             char        close,
             gboolean    backslashes)
{
  while (*p != '\0')
    {
      if (backslashes && *p == '\\' && p[1] != '\0')
        p += 2;
      else if (*p == close && p[1] == close && close != ']')
        p += 2;  /* a doubled quote */
      else if (*p == close)
        return p + 1;
      else
        p++;
    }
  return p;
}

/* The statement's tokens. The splitter has already refused what does not
 * terminate, so an unclosed quote here just ends the statement. */
static GArray *
tokenize (const char    *sql,
          RetortDialect  dialect)
{
  GArray *tokens = g_array_new (FALSE, FALSE, sizeof (Token));
  const char *p = sql;
  int depth = 0;

  while (*p != '\0')
    {
      Token token = { TOKEN_OTHER, p, 1, depth };
      char c = *p;

      if (g_ascii_isspace (c))
        {
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
          int comments = 1;
          p += 2;
          while (*p != '\0' && comments > 0)
            {
              if (p[0] == '/' && p[1] == '*' && dialect == RETORT_DIALECT_POSTGRESQL)
                comments++, p += 2;
              else if (p[0] == '*' && p[1] == '/')
                comments--, p += 2;
              else
                p++;
            }
          continue;
        }

      if (c == '\'' || c == '"' || c == '`' || (c == '[' && dialect == RETORT_DIALECT_SQLITE))
        {
          /* E'…' (PostgreSQL escape strings) take backslash escapes; the E
           * was read as a word of its own, which is harmless */
          gboolean backslashes = c == '\'' && p > sql && (p[-1] == 'E' || p[-1] == 'e') &&
                                 (p - 1 == sql || !is_word_char (p[-2]));
          p = skip_quoted (p + 1, c == '[' ? ']' : c, backslashes);
        }
      else if (c == '$' && dialect == RETORT_DIALECT_POSTGRESQL && (p == sql || !is_word_char (p[-1])))
        {
          /* $$ or $tag$ dollar quoting; $1 is a parameter, not a quote */
          const char *q = p + 1;
          while (*q != '\0' && (g_ascii_isalnum (*q) || *q == '_') && !(q == p + 1 && g_ascii_isdigit (*q)))
            q++;
          if (*q == '$')
            {
              g_autofree char *tag = g_strndup (p, q - p + 1);
              const char *close = strstr (q + 1, tag);
              p = close != NULL ? close + strlen (tag) : q + strlen (q);
            }
          else
            p++;
        }
      else if (is_word_char (c))
        {
          token.kind = TOKEN_WORD;
          while (is_word_char (*p))
            p++;
        }
      else if (c == '(')
        {
          token.kind = TOKEN_OPEN;
          depth++;
          p++;
        }
      else if (c == ')')
        {
          token.kind = TOKEN_CLOSE;
          depth = MAX (depth - 1, 0);
          token.depth = depth;
          p++;
        }
      else
        p++;
      token.length = p - token.start;
      g_array_append_val (tokens, token);
    }
  return tokens;
}

/* DELETE or UPDATE at i runs now: it begins the statement, follows a WITH
 * clause, or is the body of a data-modifying WITH query (`name AS (`,
 * `AS MATERIALIZED (`). Anywhere else it is a trigger's or a rule's event,
 * a privilege or a row lock. */
static gboolean
is_verb (const Token *tokens,
         guint        i)
{
  gboolean with = token_is (&tokens[0], "WITH");

  if (i == 0)
    return TRUE;
  if (!with)
    return FALSE;
  if (tokens[i - 1].kind == TOKEN_CLOSE && tokens[i].depth == 0)
    return TRUE;
  return tokens[i - 1].kind == TOKEN_OPEN && i >= 2 &&
         (token_is (&tokens[i - 2], "AS") || token_is (&tokens[i - 2], "MATERIALIZED"));
}

/* a WHERE at the verb's own level before its level ends */
static gboolean
has_own_where (const Token *tokens,
               guint        n_tokens,
               guint        verb)
{
  int depth = tokens[verb].depth;

  for (guint j = verb + 1; j < n_tokens && tokens[j].depth >= depth; j++)
    if (tokens[j].depth == depth && token_is (&tokens[j], "WHERE"))
      return TRUE;
  return FALSE;
}

/* DROP NOT NULL, DROP DEFAULT, …: a column loses an attribute, not its values */
static gboolean
drops_data (const Token *tokens,
            guint        n_tokens,
            guint        drop)
{
  const char *keeps[] = { "NOT", "DEFAULT", "IDENTITY", "EXPRESSION" };

  if (drop + 1 >= n_tokens)
    return TRUE;
  for (gsize k = 0; k < G_N_ELEMENTS (keeps); k++)
    if (token_is (&tokens[drop + 1], keeps[k]))
      return FALSE;
  return TRUE;
}

/* the first token that makes the statement destroy data, or -1 */
static int
find_hazard_token (const Token         *tokens,
                   guint                n_tokens,
                   RetortSqlHazardKind *kind)
{
  for (guint i = 0; i < n_tokens; i++)
    {
      if (token_is (&tokens[i], "DROP") && drops_data (tokens, n_tokens, i))
        {
          *kind = RETORT_SQL_HAZARD_DROP;
          return i;
        }
      if (i == 0 && token_is (&tokens[i], "TRUNCATE"))
        {
          *kind = RETORT_SQL_HAZARD_TRUNCATE;
          return i;
        }
      if ((token_is (&tokens[i], "DELETE") || token_is (&tokens[i], "UPDATE")) &&
          is_verb (tokens, i) && !has_own_where (tokens, n_tokens, i))
        {
          *kind = token_is (&tokens[i], "DELETE") ? RETORT_SQL_HAZARD_DELETE_ALL : RETORT_SQL_HAZARD_UPDATE_ALL;
          return i;
        }
    }
  return -1;
}

GArray *
retort_sql_find_hazards (const char     *sql,
                         RetortDialect   dialect,
                         GError        **error)
{
  g_autoptr(GArray) hazards = NULL;
  g_autoptr(GPtrArray) statements = NULL;

  g_return_val_if_fail (sql != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  statements = retort_sql_split (sql, dialect, error);
  if (statements == NULL)
    return NULL;

  hazards = g_array_new (FALSE, TRUE, sizeof (RetortSqlHazard));
  for (guint i = 0; i < statements->len; i++)
    {
      RetortStatement *statement = g_ptr_array_index (statements, i);
      g_autoptr(GArray) tokens = tokenize (statement->sql, dialect);
      RetortSqlHazard hazard = { 0 };
      const Token *first;
      gsize skipped;

      if (tokens->len == 0 || find_hazard_token ((Token *) tokens->data, tokens->len, &hazard.kind) < 0)
        continue;
      /* the statement starts at its first token: comments before it are
       * the statement's, but they are not what destroys data */
      first = &g_array_index (tokens, Token, 0);
      skipped = first->start - statement->sql;
      hazard.offset = statement->offset + skipped;
      hazard.length = strlen (statement->sql) - skipped;
      hazard.line = statement->line;
      for (gsize k = 0; k < skipped; k++)
        hazard.line += statement->sql[k] == '\n';
      g_array_append_val (hazards, hazard);
    }
  return g_steal_pointer (&hazards);
}

const char *
retort_sql_hazard_kind_describe (RetortSqlHazardKind kind)
{
  switch (kind)
    {
    case RETORT_SQL_HAZARD_DROP:
      return "DROP";
    case RETORT_SQL_HAZARD_TRUNCATE:
      return "TRUNCATE";
    case RETORT_SQL_HAZARD_DELETE_ALL:
      return "DELETE without WHERE";
    case RETORT_SQL_HAZARD_UPDATE_ALL:
      return "UPDATE without WHERE";
    default:
      g_return_val_if_reached (NULL);
    }
}
