/* retort-py-lexer.h — a tokenizer for the subset of Python that revision files use
 *
 * Retort reads Alembic revision files without running Python, so it needs
 * Python's own rules for strings, comments, brackets and logical lines.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  RETORT_PY_TOKEN_NAME,
  RETORT_PY_TOKEN_NUMBER,
  RETORT_PY_TOKEN_STRING,
  RETORT_PY_TOKEN_OP,
  RETORT_PY_TOKEN_NEWLINE,
  RETORT_PY_TOKEN_END,
} RetortPyTokenKind;

typedef struct {
  RetortPyTokenKind kind;
  guint             line;        /* 1-based line of the token's first character */
  guint             column;      /* 0-based byte column */
  guint             indent;      /* column of the first token of its logical line */
  gboolean          line_start;  /* first token of a logical line */
  const char       *start;       /* the token's text in the source */
  gsize             length;
  const char       *body;        /* a STRING's text between its quotes, undecoded */
  gsize             body_length;
  gboolean          triple;      /* triple-quoted string */
  gboolean          raw;         /* r-prefixed string */
  gboolean          bytes;       /* b-prefixed string */
  gboolean          formatted;   /* f-prefixed string: not a literal */
} RetortPyToken;

/* an array of RetortPyToken, ending with a RETORT_PY_TOKEN_END token */
/* the text must be valid UTF-8 (retort_revision_check_utf8) */
GArray    *retort_py_tokenize       (const char  *source,
                                     gsize        length,
                                     GError     **error);
gboolean   retort_py_skim           (const char  *source,
                                     gsize        length,
                                     guint        first_line,
                                     GError     **error);
gboolean   retort_py_token_is_op    (const RetortPyToken *token,
                                     const char          *op);
gboolean   retort_py_token_is_name  (const RetortPyToken *token,
                                     const char          *name);
gboolean   retort_py_token_text_is  (const RetortPyToken *token,
                                     const char          *text);
char      *retort_py_token_decode   (const RetortPyToken *token);

G_END_DECLS
