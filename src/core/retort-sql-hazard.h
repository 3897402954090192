/* retort-sql-hazard.h — the statements of a script that destroy data */
#pragma once

#include <glib.h>

#include "retort-database-url.h"

G_BEGIN_DECLS

typedef enum {
  RETORT_SQL_HAZARD_DROP,        /* DROP TABLE, ALTER TABLE … DROP COLUMN, DROP SCHEMA, … */
  RETORT_SQL_HAZARD_TRUNCATE,
  RETORT_SQL_HAZARD_DELETE_ALL,  /* DELETE without a WHERE of its own */
  RETORT_SQL_HAZARD_UPDATE_ALL,  /* UPDATE without a WHERE of its own */
} RetortSqlHazardKind;

typedef struct {
  RetortSqlHazardKind kind;
  guint               offset;  /* bytes into the script: the statement's first token */
  guint               length;  /* bytes, up to (not including) its ';' */
  guint               line;    /* 1-based line of offset */
} RetortSqlHazard;

/* RetortSqlHazard in text order, one per statement that destroys data;
 * NULL + RETORT_REVISION_ERROR_SYNTAX when the script does not split
 * (an unterminated quote or comment) */
GArray     *retort_sql_find_hazards         (const char           *sql,
                                             RetortDialect         dialect,
                                             GError              **error);
/* "DROP", "TRUNCATE", "DELETE without WHERE", "UPDATE without WHERE":
 * English, for logs and the CLI; the app translates its own labels */
const char *retort_sql_hazard_kind_describe (RetortSqlHazardKind   kind);

G_END_DECLS
