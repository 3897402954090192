/* retort-version-table.h — alembic_version: where a database stands */
#pragma once

#include "retort-backend.h"

G_BEGIN_DECLS

typedef enum {
  RETORT_VERSION_STATE_EMPTY,      /* no version table and no other tables */
  RETORT_VERSION_STATE_LEGACY,     /* tables, but no version table: predates migrations */
  RETORT_VERSION_STATE_BASE,       /* a version table with no rows */
  RETORT_VERSION_STATE_VERSIONED,  /* one or more rows */
} RetortVersionStateKind;

typedef struct {
  RetortVersionStateKind  kind;
  GStrv                   rows;          /* as the database returns them */
  guint                   other_tables;  /* tables besides the version table */
} RetortVersionState;

void   retort_version_state_free (RetortVersionState *state);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RetortVersionState, retort_version_state_free)

/* the same revisions, in any order (alembic_version has no order) */
gboolean            retort_version_rows_equal           (const char * const *a,
                                                         const char * const *b);
char               *retort_version_table_qualified_name (const char    *schema,
                                                         const char    *table);
char               *retort_version_table_create_sql     (const char    *schema,
                                                         const char    *table,
                                                         gboolean       if_not_exists);
RetortVersionState *retort_version_table_read           (RetortBackend *backend,
                                                         const char    *schema,
                                                         const char    *table,
                                                         GError       **error);

G_END_DECLS
