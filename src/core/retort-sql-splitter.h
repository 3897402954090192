/* retort-sql-splitter.h — a script of SQL into its statements */
#pragma once

#include <glib.h>

#include "retort-database-url.h"

G_BEGIN_DECLS

typedef struct {
  char  *sql;     /* the statement, without its ';' and surrounding blanks */
  guint  line;    /* 1-based line of its first character in the script */
  gsize  offset;  /* byte offset of its first character in the script */
} RetortStatement;

void       retort_statement_free (RetortStatement *statement);
GPtrArray *retort_sql_split      (const char     *script,
                                  RetortDialect   dialect,
                                  GError        **error);

G_END_DECLS
