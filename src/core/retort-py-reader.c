/* retort-py-reader.c — reads an Alembic .py revision without running Python
 *
 * Alembic imports the module and reads four module variables and the module
 * docstring. Retort reads the same names from the token stream, accepting the
 * literal forms Alembic's templates write (classic and annotated) and refusing
 * anything computed with an error that says where.
 */
#define G_LOG_DOMAIN "retort-py-reader"

#include "retort-py-lexer.h"
#include "retort-revision-private.h"
#include "retort-text.h"

#include <string.h>

typedef struct {
  gboolean  assigned;
  gboolean  is_none;
  GStrv     values;   /* NULL when is_none */
  guint     line;
} FieldValue;

static const char *field_names[RETORT_REVISION_N_FIELDS] = {
  "revision", "down_revision", "branch_labels", "depends_on",
};

static void
field_value_clear (FieldValue *field)
{
  g_clear_pointer (&field->values, g_strfreev);
}

#define TOKEN(tokens, i) (&g_array_index ((tokens), RetortPyToken, (i)))

static gboolean
is_literal_string (const RetortPyToken *token)
{
  return token->kind == RETORT_PY_TOKEN_STRING && !token->bytes && !token->formatted;
}

/* STRING+ (implicit concatenation) starting at *i; */
static char *
read_concatenated_string (GArray    *tokens,
                          guint     *i)
{
  GString *out = g_string_new (NULL);

  while (is_literal_string (TOKEN (tokens, *i)))
    {
      g_autofree char *part = retort_py_token_decode (TOKEN (tokens, *i));
      g_string_append (out, part);
      (*i)++;
    }
  return g_string_free (out, FALSE);
}

/* Parses the value of `name = <value>` from tokens[start] to the NEWLINE. */
static gboolean
parse_value (GArray      *tokens,
             guint        start,
             const char  *name,
             FieldValue  *field,
             GError     **error)
{
  guint i = start;
  RetortPyToken *first = TOKEN (tokens, i);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  const char *closer = NULL;
  guint n_items = 0;
  gboolean trailing_comma = FALSE;

  field_value_clear (field);
  field->assigned = TRUE;
  field->is_none = FALSE;
  field->line = first->line;

  if (retort_py_token_is_name (first, "None") && TOKEN (tokens, i + 1)->kind == RETORT_PY_TOKEN_NEWLINE)
    {
      field->is_none = TRUE;
      return TRUE;
    }

  if (retort_py_token_is_op (first, "("))
    closer = ")", i++;
  else if (retort_py_token_is_op (first, "["))
    closer = "]", i++;

  for (;;)
    {
      RetortPyToken *token = TOKEN (tokens, i);

      if (closer != NULL && retort_py_token_is_op (token, closer))
        {
          i++;
          break;
        }
      if (closer == NULL && token->kind == RETORT_PY_TOKEN_NEWLINE)
        break;
      if (!is_literal_string (token))
        goto not_literal;
      {
        g_autofree char *value = read_concatenated_string (tokens, &i);
        g_strv_builder_add (builder, value);
        n_items++;
        trailing_comma = FALSE;
      }
      token = TOKEN (tokens, i);
      if (retort_py_token_is_op (token, ","))
        {
          trailing_comma = TRUE;
          i++;
        }
      else if (!(closer != NULL ? retort_py_token_is_op (token, closer)
                                : token->kind == RETORT_PY_TOKEN_NEWLINE))
        goto not_literal;
    }
  if (TOKEN (tokens, i)->kind != RETORT_PY_TOKEN_NEWLINE)
    goto not_literal;

  /* ('x') is a string, ('x',) a tuple; both mean one revision to Alembic */
  (void) trailing_comma;
  field->values = g_strv_builder_end (builder);
  if (n_items == 0)
    {
      /* an empty tuple or list is the same as None */
      g_clear_pointer (&field->values, g_strfreev);
      field->is_none = TRUE;
    }
  return TRUE;

not_literal:
  {
    RetortPyToken *bad = TOKEN (tokens, i);
    g_set_error (error, RETORT_REVISION_ERROR, RETORT_REVISION_ERROR_NOT_LITERAL,
                 "%u: %s is not a literal (found '%.*s'); Retort reads None, a string, "
                 "or a tuple or list of strings",
                 bad->line, name, (int) MIN (bad->length, 40), bad->start);
    return FALSE;
  }
}

/* The value of a "Key: value" line of the docstring, or NULL */
static char *
find_doc_field (const char *longdoc,
                const char *key)
{
  gsize key_len = strlen (key);

  for (const char *line = longdoc; line != NULL && *line != '\0';)
    {
      const char *next = strchr (line, '\n');
      if (strncmp (line, key, key_len) == 0 && line[key_len] == ':')
        {
          const char *value = line + key_len + 1;
          g_autofree char *text = next ? g_strndup (value, next - value) : g_strdup (value);
          return g_strdup (g_strstrip (text));
        }
      line = next ? next + 1 : NULL;
    }
  return NULL;
}

static gboolean
legacy_id_from_filename (const char  *path,
                         char       **id)
{
  g_autofree char *base = g_path_get_basename (path);
  gsize len = strlen (base);

  /* Alembic 0.1 files: the name is the hex id, e.g. 1975ea83b712.py */
  if (len <= 3 || !g_str_has_suffix (base, ".py"))
    return FALSE;
  for (gsize i = 0; i < len - 3; i++)
    if (!((base[i] >= '0' && base[i] <= '9') || (base[i] >= 'a' && base[i] <= 'f')))
      return FALSE;
  *id = g_strndup (base, len - 3);
  return TRUE;
}

/* Text of the tokens [from, to) for messages, shortened */
static char *
tokens_text (GArray *tokens,
             guint   from,
             guint   to)
{
  RetortPyToken *first = TOKEN (tokens, from);
  RetortPyToken *last = TOKEN (tokens, to - 1);
  gsize length = (last->start + last->length) - first->start;
  g_autofree char *text = g_strndup (first->start, MIN (length, 60));

  return length > 60 ? g_strconcat (text, "…", NULL) : g_steal_pointer (&text);
}

/* op.execute("..."), op.execute(sa.text("...")): the string literal's
 * position, or 0 if the statement [from, to) is something else. */
static guint
match_execute (GArray *tokens,
               guint   from,
               guint   to)
{
  guint i = from;
  guint string_at;

  if (to - from < 6 || !retort_py_token_is_name (TOKEN (tokens, i), "op") ||
      !retort_py_token_is_op (TOKEN (tokens, i + 1), ".") ||
      !retort_py_token_is_name (TOKEN (tokens, i + 2), "execute") ||
      !retort_py_token_is_op (TOKEN (tokens, i + 3), "("))
    return 0;
  i += 4;
  /* an optional text() wrapper: sa.text, sqlalchemy.text or text */
  if (TOKEN (tokens, i)->kind == RETORT_PY_TOKEN_NAME)
    {
      if ((retort_py_token_is_name (TOKEN (tokens, i), "sa") ||
           retort_py_token_is_name (TOKEN (tokens, i), "sqlalchemy")) &&
          retort_py_token_is_op (TOKEN (tokens, i + 1), "."))
        i += 2;
      if (!retort_py_token_is_name (TOKEN (tokens, i), "text") ||
          !retort_py_token_is_op (TOKEN (tokens, i + 1), "("))
        return 0;
      string_at = i + 2;
      i = string_at;
      while (i < to && is_literal_string (TOKEN (tokens, i)))
        i++;
      if (i == string_at || !retort_py_token_is_op (TOKEN (tokens, i), ")"))
        return 0;
      i++;
    }
  else
    {
      string_at = i;
      while (i < to && is_literal_string (TOKEN (tokens, i)))
        i++;
      if (i == string_at)
        return 0;
    }
  if (retort_py_token_is_op (TOKEN (tokens, i), ","))
    i++;
  if (!retort_py_token_is_op (TOKEN (tokens, i), ")") || i + 1 != to)
    return 0;
  return string_at;
}

/* Reads `def upgrade():` / `def downgrade():` bodies: each op.execute() of
 * literal SQL becomes a section; anything else means the direction needs
 * Python, and the first such statement is named. */
static void
read_function_body (RetortRevision  *revision,
                    GArray          *tokens,
                    RetortDirection  direction,
                    guint            def_at)  /* the `def` token, or 0 if none */
{
  const char *name = direction == RETORT_DIRECTION_UPGRADE ? "upgrade" : "downgrade";
  guint i, n = tokens->len;
  gboolean found = def_at > 0 || (n > 1 && retort_py_token_is_name (TOKEN (tokens, 0), "def") &&
                                  retort_py_token_is_name (TOKEN (tokens, 1), name));
  gboolean first_statement = TRUE;

  for (i = def_at; found && i + 2 < n; i++)
    {
      /* skip the signature to the ':' that ends it */
      {
        int depth = 0;
        for (i += 2; i < n && TOKEN (tokens, i)->kind != RETORT_PY_TOKEN_END; i++)
          {
            RetortPyToken *s = TOKEN (tokens, i);
            if (s->kind == RETORT_PY_TOKEN_OP && s->length == 1 && strchr ("([{", s->start[0]))
              depth++;
            else if (s->kind == RETORT_PY_TOKEN_OP && s->length == 1 && strchr (")]}", s->start[0]))
              depth--;
            else if (depth == 0 && retort_py_token_is_op (s, ":"))
              break;
          }
        i++;
        if (TOKEN (tokens, i)->kind == RETORT_PY_TOKEN_NEWLINE)
          i++;
      }
      break;
    }
  if (!found)
    {
      g_autofree char *problem = g_strdup_printf ("there is no %s() function", name);
      retort_revision_set_native_problem (revision, direction, problem);
      return;
    }

  /* statements until the next line at indent 0 */
  while (i < n && TOKEN (tokens, i)->kind != RETORT_PY_TOKEN_END)
    {
      guint from = i, to, string_at;
      RetortPyToken *first = TOKEN (tokens, from);

      if (first->line_start && first->indent == 0 && from > 0 &&
          TOKEN (tokens, from - 1)->kind == RETORT_PY_TOKEN_NEWLINE)
        break;
      for (to = from; to < n && TOKEN (tokens, to)->kind != RETORT_PY_TOKEN_NEWLINE &&
                      TOKEN (tokens, to)->kind != RETORT_PY_TOKEN_END; to++)
        ;
      i = to < n && TOKEN (tokens, to)->kind == RETORT_PY_TOKEN_NEWLINE ? to + 1 : to;
      if (to == from)
        continue;

      if ((to - from == 1 && retort_py_token_is_name (first, "pass")) ||
          (first_statement && is_literal_string (first) && to - from == 1))
        {
          first_statement = FALSE;
          continue;  /* pass, or the function's docstring */
        }
      first_statement = FALSE;
      string_at = match_execute (tokens, from, to);
      if (string_at == 0)
        {
          g_autofree char *what = tokens_text (tokens, from, to);
          g_autofree char *problem = g_strdup_printf ("line %u: '%s' needs Python (only op.execute() "
                                                      "of literal SQL runs in-process)",
                                                      first->line, what);
          retort_revision_set_native_problem (revision, direction, problem);
          /* keep no partial sections for this direction */
          retort_revision_drop_sections (revision, direction);
          return;
        }
      {
        guint at = string_at;
        g_autofree char *sql = read_concatenated_string (tokens, &at);
        retort_revision_add_section (revision,
                                     retort_sql_section_new (direction, NULL, TRUE, sql,
                                                             TOKEN (tokens, string_at)->line));
      }
    }
}

static RetortRevision *
parse_tokens (const char  *path,
              GArray      *tokens,
              GError     **error)
{
  FieldValue fields[RETORT_REVISION_N_FIELDS] = { 0 };
  g_autofree char *docstring = NULL;
  g_autofree char *id = NULL;
  g_autoptr(RetortRevision) revision = NULL;
  g_autofree char *create_date = NULL;
  g_autofree char *doc_id = NULL;
  g_autofree char *doc_revises = NULL;
  guint i = 0;
  gboolean ok = FALSE;

  if (TOKEN (tokens, 0)->kind == RETORT_PY_TOKEN_END)
    {
      g_set_error (error, RETORT_REVISION_ERROR, RETORT_REVISION_ERROR_EMPTY,
                   "1: the file is empty; a revision needs at least 'revision' and 'down_revision'");
      return NULL;
    }

  /* the module docstring: a string literal as the very first statement */
  if (is_literal_string (TOKEN (tokens, 0)))
    {
      guint j = 0;
      g_autofree char *text = read_concatenated_string (tokens, &j);
      if (TOKEN (tokens, j)->kind == RETORT_PY_TOKEN_NEWLINE)
        {
          docstring = g_steal_pointer (&text);
          i = j;
        }
    }

  for (; TOKEN (tokens, i)->kind != RETORT_PY_TOKEN_END; i++)
    {
      RetortPyToken *token = TOKEN (tokens, i);
      int field = -1;
      guint j;

      if (!token->line_start || token->indent != 0 || token->kind != RETORT_PY_TOKEN_NAME)
        continue;

      for (int f = 0; f < RETORT_REVISION_N_FIELDS; f++)
        if (retort_py_token_text_is (token, field_names[f]))
          field = f;
      if (field < 0)
        continue;

      j = i + 1;
      if (retort_py_token_is_op (TOKEN (tokens, j), ":"))
        {
          /* `revision: str = "..."` — skip the annotation up to the top-level '=' */
          int depth = 0;
          for (j++; TOKEN (tokens, j)->kind != RETORT_PY_TOKEN_NEWLINE; j++)
            {
              RetortPyToken *t = TOKEN (tokens, j);
              if (t->kind == RETORT_PY_TOKEN_OP && t->length == 1 && strchr ("([{", t->start[0]))
                depth++;
              else if (t->kind == RETORT_PY_TOKEN_OP && t->length == 1 && strchr (")]}", t->start[0]))
                depth--;
              else if (depth == 0 && retort_py_token_is_op (t, "="))
                break;
            }
          if (TOKEN (tokens, j)->kind == RETORT_PY_TOKEN_NEWLINE)
            continue;  /* a bare annotation assigns nothing */
        }
      if (!retort_py_token_is_op (TOKEN (tokens, j), "="))
        continue;  /* `revision += ...`, `revision.x`, a call: not an assignment of ours */
      if (!parse_value (tokens, j + 1, field_names[field], &fields[field], error))
        goto out;
    }

  if (fields[RETORT_REVISION_FIELD_REVISION].assigned)
    {
      FieldValue *rev = &fields[RETORT_REVISION_FIELD_REVISION];
      if (rev->is_none || g_strv_length (rev->values) != 1 ||
          TOKEN (tokens, 0) == NULL)
        {
          g_set_error (error, RETORT_REVISION_ERROR, RETORT_REVISION_ERROR_MISSING_FIELD,
                       "%u: 'revision' must be a single string", rev->line);
          goto out;
        }
      id = g_strdup (rev->values[0]);
    }
  else if (!legacy_id_from_filename (path, &id))
    {
      g_set_error (error, RETORT_REVISION_ERROR, RETORT_REVISION_ERROR_MISSING_FIELD,
                   "1: no revision id: the file assigns no 'revision' variable and its name "
                   "is not a hexadecimal id");
      goto out;
    }

  if (!fields[RETORT_REVISION_FIELD_DOWN_REVISION].assigned)
    {
      g_set_error (error, RETORT_REVISION_ERROR, RETORT_REVISION_ERROR_MISSING_FIELD,
                   "%u: revision '%s' assigns no 'down_revision' (use None for a first revision)",
                   MAX (fields[RETORT_REVISION_FIELD_REVISION].line, 1), id);
      goto out;
    }

  revision = retort_revision_new (id,
                                  (const char * const *) fields[RETORT_REVISION_FIELD_DOWN_REVISION].values,
                                  (const char * const *) fields[RETORT_REVISION_FIELD_BRANCH_LABELS].values,
                                  (const char * const *) fields[RETORT_REVISION_FIELD_DEPENDS_ON].values,
                                  error);
  if (revision == NULL)
    {
      g_prefix_error (error, "%u: ", MAX (fields[RETORT_REVISION_FIELD_REVISION].line, 1));
      goto out;
    }
  retort_revision_set_source (revision, path, RETORT_REVISION_FORMAT_PYTHON);
  retort_revision_set_longdoc (revision, docstring);
  create_date = find_doc_field (retort_revision_get_longdoc (revision), "Create Date");
  retort_revision_set_create_date (revision, create_date);
  doc_id = find_doc_field (retort_revision_get_longdoc (revision), "Revision ID");
  doc_revises = find_doc_field (retort_revision_get_longdoc (revision), "Revises");
  retort_revision_set_doc_fields (revision, doc_id, doc_revises);
  for (int f = 0; f < RETORT_REVISION_N_FIELDS; f++)
    retort_revision_set_field_line (revision, f, fields[f].line);
  ok = TRUE;

out:
  for (int f = 0; f < RETORT_REVISION_N_FIELDS; f++)
    field_value_clear (&fields[f]);
  return ok ? g_steal_pointer (&revision) : NULL;
}

/* Where the module's functions begin: the first line at column 0 that
 * starts a def, class or decorator — provided no line after it assigns one
 * of the variables Alembic reads (then everything is read). */
static gsize
find_bodies (const char *contents,
             gsize       length)
{
  static const char *fields[] = { "revision", "down_revision", "branch_labels", "depends_on" };
  gsize cut = length;

  for (gsize at = 0; at < length;)
    {
      const char *line = contents + at;
      gsize rest = length - at;
      const char *newline = memchr (line, '\n', rest);

      if (cut == length)
        {
          if ((rest > 4 && memcmp (line, "def ", 4) == 0) || (rest > 6 && memcmp (line, "class ", 6) == 0) ||
              (rest > 6 && memcmp (line, "async ", 6) == 0) || line[0] == '@')
            cut = at;
        }
      else if (line[0] == 'r' || line[0] == 'd' || line[0] == 'b')
        for (guint f = 0; f < G_N_ELEMENTS (fields); f++)
          {
            gsize n = strlen (fields[f]);
            if (rest > n && memcmp (line, fields[f], n) == 0 && strchr (" \t:=", line[n]) != NULL)
              return length;
          }
      if (newline == NULL)
        break;
      at = newline + 1 - contents;
    }
  return cut;
}

void
retort_py_reader_read_bodies (RetortRevision *revision,
                              const char     *contents,
                              gsize           length)
{
  g_autoptr(GArray) tokens = retort_py_tokenize (contents, length, NULL);
  guint def_upgrade = 0, def_downgrade = 0;

  if (tokens == NULL)
    return;  /* cannot happen: the whole file was checked when it was loaded */
  for (guint i = 0; i + 1 < tokens->len; i++)
    {
      RetortPyToken *token = TOKEN (tokens, i);
      if (token->line_start && token->indent == 0 && retort_py_token_is_name (token, "def"))
        {
          RetortPyToken *fn = TOKEN (tokens, i + 1);
          if (retort_py_token_is_name (fn, "upgrade") && def_upgrade == 0)
            def_upgrade = i;
          else if (retort_py_token_is_name (fn, "downgrade") && def_downgrade == 0)
            def_downgrade = i;
        }
    }
  read_function_body (revision, tokens, RETORT_DIRECTION_UPGRADE, def_upgrade);
  read_function_body (revision, tokens, RETORT_DIRECTION_DOWNGRADE, def_downgrade);
}

RetortRevision *
retort_py_reader_parse (const char  *path,
                        const char  *contents,
                        gsize        length,
                        GError     **error)
{
  g_autoptr(GArray) tokens = NULL;
  g_autoptr(GError) prefix_error = NULL;
  RetortRevision *revision;
  gsize cut;

  /* the whole file, functions included: Python would refuse it too */
  if (!retort_revision_check_utf8 (contents, length, error))
    {
      g_prefix_error (error, "%s:", path);
      return NULL;
    }
  cut = find_bodies (contents, length);

  /* the variables come from the part before the functions; the functions
   * are only checked to be well formed, and read when first needed */
  if (cut < length)
    {
      tokens = retort_py_tokenize (contents, cut, &prefix_error);
      if (tokens != NULL)
        {
          guint line = 1;
          for (gsize i = 0; i < cut; i++)
            line += contents[i] == '\n';
          if (!retort_py_skim (contents + cut, length - cut, line, error))
            {
              g_prefix_error (error, "%s:", path);
              return NULL;
            }
        }
    }
  if (tokens == NULL)
    tokens = retort_py_tokenize (contents, length, error);
  if (tokens == NULL)
    {
      g_prefix_error (error, "%s:", path);
      return NULL;
    }
  revision = parse_tokens (path, tokens, error);
  if (revision == NULL)
    {
      g_prefix_error (error, "%s:", path);
      return NULL;
    }
  {
    g_autoptr(GBytes) source = g_bytes_new (contents, length);
    retort_revision_set_lazy_source (revision, source);
  }
  return revision;
}
