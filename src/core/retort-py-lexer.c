/* retort-py-lexer.c — a tokenizer for the subset of Python that revision files use */
#define G_LOG_DOMAIN "retort-py-lexer"

#include "retort-py-lexer.h"
#include "retort-revision.h"

#include <string.h>

typedef struct {
  const char *source;
  const char *end;
  const char *p;
  guint       line;
  const char *line_begin;
  int         depth;          /* open brackets */
  gboolean    at_line_start;  /* no token yet on this logical line */
  guint       indent;
  GArray     *tokens;
} Lexer;


static RetortPyToken *
push_token (Lexer             *lx,
            RetortPyTokenKind  kind,
            const char        *start,
            guint              line,
            guint              column)
{
  RetortPyToken *token;

  g_array_set_size (lx->tokens, lx->tokens->len + 1);
  token = &g_array_index (lx->tokens, RetortPyToken, lx->tokens->len - 1);
  token->kind = kind;
  token->start = start;
  token->line = line;
  token->column = column;
  if (kind != RETORT_PY_TOKEN_NEWLINE && kind != RETORT_PY_TOKEN_END && lx->at_line_start)
    {
      token->line_start = TRUE;
      lx->indent = column;
      lx->at_line_start = FALSE;
    }
  token->indent = lx->indent;
  return token;
}

static void
advance_newline (Lexer *lx)
{
  /* p points at '\n' or '\r' */
  if (lx->p[0] == '\r' && lx->p + 1 < lx->end && lx->p[1] == '\n')
    lx->p++;
  lx->p++;
  lx->line++;
  lx->line_begin = lx->p;
}

static gboolean
is_name_start (guchar c)
{
  return g_ascii_isalpha (c) || c == '_' || c >= 0x80;
}

static gboolean
is_name_char (guchar c)
{
  return g_ascii_isalnum (c) || c == '_' || c >= 0x80;
}

static void
append_escape (GString     *out,
               const char **pp,
               const char  *end,
               gboolean     bytes)
{
  /* *pp points just after the backslash */
  const char *p = *pp;
  char c = *p++;

  switch (c)
    {
    case '\n': break;
    case '\r': if (p < end && *p == '\n') p++; break;
    case '\\': g_string_append_c (out, '\\'); break;
    case '\'': g_string_append_c (out, '\''); break;
    case '"': g_string_append_c (out, '"'); break;
    case 'a': g_string_append_c (out, '\a'); break;
    case 'b': g_string_append_c (out, '\b'); break;
    case 'f': g_string_append_c (out, '\f'); break;
    case 'n': g_string_append_c (out, '\n'); break;
    case 'r': g_string_append_c (out, '\r'); break;
    case 't': g_string_append_c (out, '\t'); break;
    case 'v': g_string_append_c (out, '\v'); break;
    case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7':
      {
        guint value = c - '0';
        for (int i = 0; i < 2 && p < end && *p >= '0' && *p <= '7'; i++)
          value = value * 8 + (*p++ - '0');
        if (bytes)
          g_string_append_c (out, (char) value);
        else
          g_string_append_unichar (out, value);
        break;
      }
    case 'x': case 'u': case 'U':
      {
        int digits = c == 'x' ? 2 : c == 'u' ? 4 : 8;
        guint value = 0;
        int i;
        if (bytes && c != 'x')
          {
            g_string_append_c (out, '\\');
            g_string_append_c (out, c);
            break;
          }
        for (i = 0; i < digits && p < end && g_ascii_isxdigit (*p); i++)
          value = value * 16 + g_ascii_xdigit_value (*p++);
        if (i < digits || !g_unichar_validate (value))
          {
            /* Python rejects this; keep the text so nothing is lost */
            g_string_append_c (out, '\\');
            g_string_append_c (out, c);
            p -= i;
          }
        else if (bytes)
          g_string_append_c (out, (char) value);
        else
          g_string_append_unichar (out, value);
        break;
      }
    default:
      /* unknown escapes (and \N{...}) stay as written */
      g_string_append_c (out, '\\');
      g_string_append_c (out, c);
      break;
    }
  *pp = p;
}

/* Finds the end of a string literal; its value is decoded only on demand
 * (retort_py_token_decode), since most strings in a revision are SQL in
 * function bodies that nobody asks for. */
static gboolean
lex_string (Lexer       *lx,
            const char  *token_start,
            const char  *prefix_end,
            GError     **error)
{
  guint line = lx->line;
  guint column = token_start - lx->line_begin;
  gboolean raw = FALSE, bytes = FALSE, formatted = FALSE;
  const char *p = prefix_end;
  char quote = *p;
  gboolean triple = p + 2 < lx->end && p[1] == quote && p[2] == quote;
  const char *body;
  const char *body_end;
  RetortPyToken *token;

  for (const char *q = token_start; q < prefix_end; q++)
    {
      char c = g_ascii_tolower (*q);
      raw |= c == 'r';
      bytes |= c == 'b';
      formatted |= c == 'f';
    }

  p += triple ? 3 : 1;
  body = p;
  for (;;)
    {
      /* skip the characters that cannot end or escape the string */
      while (p < lx->end && *p != quote && *p != '\\' && *p != '\n' && *p != '\r')
        p++;
      if (p >= lx->end)
        {
          g_set_error (error, RETORT_REVISION_ERROR, RETORT_REVISION_ERROR_SYNTAX,
                       "%u: unterminated %sstring literal", line, triple ? "triple-quoted " : "");
          return FALSE;
        }
      if (*p == quote && (!triple || (p + 2 < lx->end && p[1] == quote && p[2] == quote)))
        {
          body_end = p;
          p += triple ? 3 : 1;
          break;
        }
      if (*p == '\\' && p + 1 < lx->end)
        {
          /* an escaped character, raw or not, never ends the string */
          p++;
          if (*p == '\r' && p + 1 < lx->end && p[1] == '\n')
            p++;
          if (*p == '\n' || *p == '\r')
            {
              lx->line++;
              lx->line_begin = p + 1;
            }
          p++;
          continue;
        }
      if (*p == '\n' || *p == '\r')
        {
          if (!triple)
            {
              g_set_error (error, RETORT_REVISION_ERROR, RETORT_REVISION_ERROR_SYNTAX,
                           "%u: unterminated string literal", line);
              return FALSE;
            }
          if (*p == '\r' && p + 1 < lx->end && p[1] == '\n')
            p++;
          p++;
          lx->line++;
          lx->line_begin = p;
          continue;
        }
      p++;
    }

  token = push_token (lx, RETORT_PY_TOKEN_STRING, token_start, line, column);
  token->length = p - token_start;
  token->body = body;
  token->body_length = body_end - body;
  token->triple = triple;
  token->raw = raw;
  token->bytes = bytes;
  token->formatted = formatted;
  lx->p = p;
  return TRUE;
}

char *
retort_py_token_decode (const RetortPyToken *token)
{
  const char *p = token->body;
  const char *end = token->body + token->body_length;
  GString *value;

  g_return_val_if_fail (token->kind == RETORT_PY_TOKEN_STRING, NULL);

  /* most strings have nothing to decode */
  if (memchr (p, '\\', token->body_length) == NULL && memchr (p, '\r', token->body_length) == NULL)
    return g_strndup (p, token->body_length);

  value = g_string_sized_new (token->body_length);
  while (p < end)
    {
      if (*p == '\\' && p + 1 < end)
        {
          if (token->raw)
            {
              /* a raw string keeps the backslash and the next character */
              g_string_append_c (value, p[0]);
              g_string_append_c (value, p[1] == '\r' ? '\n' : p[1]);
              p += p[1] == '\r' && p + 2 < end && p[2] == '\n' ? 3 : 2;
            }
          else
            {
              p++;
              append_escape (value, &p, end, token->bytes);
            }
          continue;
        }
      if (*p == '\r')
        {
          /* Python reads source with universal newlines */
          g_string_append_c (value, '\n');
          p += p + 1 < end && p[1] == '\n' ? 2 : 1;
          continue;
        }
      g_string_append_c (value, *p++);
    }
  return g_string_free (value, FALSE);
}

/* Length of the operator at p: Python's three-, two- and one-character ops */
static gsize
op_length (const char *p,
           const char *end)
{
  char a = p[0];
  char b = end - p >= 2 ? p[1] : '\0';
  char c = end - p >= 3 ? p[2] : '\0';

  if ((a == '*' && b == '*' && c == '=') || (a == '/' && b == '/' && c == '=') ||
      (a == '>' && b == '>' && c == '=') || (a == '<' && b == '<' && c == '=') ||
      (a == '.' && b == '.' && c == '.'))
    return 3;
  if (b == '=' && strchr ("<>=!:+-*/%&|^@", a) != NULL)
    return 2;
  if ((a == '-' && b == '>') || (a == '*' && b == '*') || (a == '/' && b == '/') ||
      (a == '<' && b == '<') || (a == '>' && b == '>'))
    return 2;
  return 1;
}

static gboolean lex (Lexer *lx, GError **error);

GArray *
retort_py_tokenize (const char  *source,
                    gsize        length,
                    GError     **error)
{
  Lexer lx = { 0 };
  g_autoptr(GArray) tokens = g_array_sized_new (FALSE, TRUE, sizeof (RetortPyToken), length / 6 + 16);

  lx.source = source;
  lx.end = source + length;
  lx.p = source;
  lx.line = 1;
  lx.line_begin = source;
  lx.at_line_start = TRUE;
  lx.tokens = tokens;

  /* a UTF-8 byte order mark is allowed at the very start */
  if (length >= 3 && memcmp (source, "\xef\xbb\xbf", 3) == 0)
    lx.p += 3, lx.line_begin += 3;
  if (!lex (&lx, error))
    return NULL;
  return g_steal_pointer (&tokens);
}

/* Checks [source, source + length) the way tokenizing would — strings,
 * brackets, comments, line continuations — in one tight loop that keeps
 * nothing: the functions of a revision are well formed or reported, at the
 * cost of a scan. String prefixes do not matter here: a backslash keeps the
 * next character from ending a string in raw strings too. */
gboolean
retort_py_skim (const char  *source,
                gsize        length,
                guint        first_line,
                GError     **error)
{
  const char *p = source;
  const char *end = source + length;
  guint line = first_line;
  int depth = 0;

  static gboolean special[256];
  static gsize special_ready = 0;

  if (g_once_init_enter (&special_ready))
    {
      for (const char *q = "\n\r#\\([{)]}'\""; *q != '\0'; q++)
        special[(guchar) *q] = TRUE;
      g_once_init_leave (&special_ready, 1);
    }

  while (p < end)
    {
      char c;

      while (p < end && !special[(guchar) *p])
        p++;
      if (p >= end)
        break;
      c = *p;
      switch (c)
        {
        case '\n':
          line++;
          p++;
          break;
        case '\r':
          if (p + 1 < end && p[1] == '\n')
            p++;
          line++;
          p++;
          break;
        case '#':
          while (p < end && *p != '\n' && *p != '\r')
            p++;
          break;
        case '\\':
          p++;
          if (p < end && (*p == '\n' || *p == '\r'))
            {
              if (*p == '\r' && p + 1 < end && p[1] == '\n')
                p++;
              line++;
              p++;
            }
          break;
        case '(': case '[': case '{':
          depth++;
          p++;
          break;
        case ')': case ']': case '}':
          if (depth == 0)
            {
              g_set_error (error, RETORT_REVISION_ERROR, RETORT_REVISION_ERROR_SYNTAX,
                           "%u: unmatched '%c'", line, c);
              return FALSE;
            }
          depth--;
          p++;
          break;
        case '\'': case '"':
          {
            gboolean triple = p + 2 < end && p[1] == c && p[2] == c;
            guint opened = line;

            p += triple ? 3 : 1;
            for (;;)
              {
                while (p < end && *p != c && *p != '\\' && *p != '\n' && *p != '\r')
                  p++;
                if (p >= end)
                  {
                    g_set_error (error, RETORT_REVISION_ERROR, RETORT_REVISION_ERROR_SYNTAX,
                                 "%u: unterminated %sstring literal", opened, triple ? "triple-quoted " : "");
                    return FALSE;
                  }
                if (*p == c)
                  {
                    if (!triple)
                      {
                        p++;
                        break;
                      }
                    if (p + 2 < end && p[1] == c && p[2] == c)
                      {
                        p += 3;
                        break;
                      }
                    p++;
                    continue;
                  }
                if (*p == '\\')
                  {
                    p++;
                    if (p < end && *p == '\r' && p + 1 < end && p[1] == '\n')
                      p++;
                    if (p < end && (*p == '\n' || *p == '\r'))
                      line++;
                    if (p < end)
                      p++;
                    continue;
                  }
                /* a line break */
                if (!triple)
                  {
                    g_set_error (error, RETORT_REVISION_ERROR, RETORT_REVISION_ERROR_SYNTAX,
                                 "%u: unterminated string literal", opened);
                    return FALSE;
                  }
                if (*p == '\r' && p + 1 < end && p[1] == '\n')
                  p++;
                line++;
                p++;
              }
            break;
          }
        default:
          p++;
          break;
        }
    }
  if (depth > 0)
    {
      g_set_error (error, RETORT_REVISION_ERROR, RETORT_REVISION_ERROR_SYNTAX,
                   "%u: unexpected end of file inside brackets", line);
      return FALSE;
    }
  return TRUE;
}

static gboolean
lex (Lexer   *lx_,
     GError **error)
{
  Lexer lx = *lx_;
  gboolean ok = FALSE;

  while (lx.p < lx.end)
    {
      guchar c = *lx.p;
      const char *start = lx.p;
      guint column = start - lx.line_begin;

      if (c == ' ' || c == '\t' || c == '\f')
        {
          lx.p++;
          continue;
        }
      if (c == '#')
        {
          while (lx.p < lx.end && *lx.p != '\n' && *lx.p != '\r')
            lx.p++;
          continue;
        }
      if (c == '\\' && lx.p + 1 < lx.end && (lx.p[1] == '\n' || lx.p[1] == '\r'))
        {
          lx.p++;
          advance_newline (&lx);
          continue;
        }
      if (c == '\n' || c == '\r')
        {
          if (lx.depth == 0 && !lx.at_line_start)
            {
              push_token (&lx, RETORT_PY_TOKEN_NEWLINE, start, lx.line, column)->length = 0;
              lx.at_line_start = TRUE;
            }
          advance_newline (&lx);
          continue;
        }
      if (c == '\'' || c == '"')
        {
          if (!lex_string (&lx, start, start, error))
            goto out;
          continue;
        }
      if (is_name_start (c))
        {
          const char *q = lx.p;
          RetortPyToken *token;

          while (q < lx.end && is_name_char (*q))
            q++;
          /* string prefixes: r, u, b, f and their two-letter combinations */
          if (q < lx.end && (*q == '\'' || *q == '"') && q - start <= 2)
            {
              gboolean prefix = TRUE;
              for (const char *r = start; r < q; r++)
                prefix &= strchr ("rRuUbBfF", *r) != NULL;
              if (prefix)
                {
                  if (!lex_string (&lx, start, q, error))
                    goto out;
                  continue;
                }
            }
          token = push_token (&lx, RETORT_PY_TOKEN_NAME, start, lx.line, column);
          token->length = q - start;
          lx.p = q;
          continue;
        }
      if (g_ascii_isdigit (c) || (c == '.' && lx.p + 1 < lx.end && g_ascii_isdigit (lx.p[1])))
        {
          const char *q = lx.p;
          RetortPyToken *token;

          while (q < lx.end && (g_ascii_isalnum (*q) || *q == '.' || *q == '_'))
            q++;
          token = push_token (&lx, RETORT_PY_TOKEN_NUMBER, start, lx.line, column);
          token->length = q - start;
          lx.p = q;
          continue;
        }

      {
        gsize len = op_length (lx.p, lx.end);
        RetortPyToken *token;

        if (c == '(' || c == '[' || c == '{')
          lx.depth++;
        else if (c == ')' || c == ']' || c == '}')
          {
            if (lx.depth == 0)
              {
                g_set_error (error, RETORT_REVISION_ERROR, RETORT_REVISION_ERROR_SYNTAX,
                             "%u: unmatched '%c'", lx.line, c);
                goto out;
              }
            lx.depth--;
          }
        token = push_token (&lx, RETORT_PY_TOKEN_OP, start, lx.line, column);
        token->length = len;
        lx.p += len;
      }
    }

  if (lx.depth > 0)
    {
      g_set_error (error, RETORT_REVISION_ERROR, RETORT_REVISION_ERROR_SYNTAX,
                   "%u: unexpected end of file inside brackets", lx.line);
      goto out;
    }
  if (!lx.at_line_start)
    push_token (&lx, RETORT_PY_TOKEN_NEWLINE, lx.p, lx.line, lx.p - lx.line_begin);
  lx.at_line_start = FALSE;
  push_token (&lx, RETORT_PY_TOKEN_END, lx.p, lx.line, lx.p - lx.line_begin);

  ok = TRUE;

out:
  *lx_ = lx;
  return ok;
}

gboolean
retort_py_token_text_is (const RetortPyToken *token,
                         const char          *text)
{
  gsize len = strlen (text);
  return token->length == len && memcmp (token->start, text, len) == 0;
}

gboolean
retort_py_token_is_op (const RetortPyToken *token,
                       const char          *op)
{
  return token->kind == RETORT_PY_TOKEN_OP && retort_py_token_text_is (token, op);
}

gboolean
retort_py_token_is_name (const RetortPyToken *token,
                         const char          *name)
{
  return token->kind == RETORT_PY_TOKEN_NAME && retort_py_token_text_is (token, name);
}
