/* retort-version-table.c — alembic_version: where a database stands
 *
 * The table is Alembic's: version_num VARCHAR(32) NOT NULL with the primary
 * key constraint <table>_pkc, read with Alembic's exact query (no ORDER BY:
 * row order is the database's, which `downgrade -1` from several heads uses).
 */
#define G_LOG_DOMAIN "retort-version-table"

#include "retort-version-table.h"

void
retort_version_state_free (RetortVersionState *state)
{
  if (state == NULL)
    return;
  g_strfreev (state->rows);
  g_free (state);
}

char *
retort_version_table_qualified_name (const char *schema,
                                     const char *table)
{
  return schema != NULL && *schema != '\0' ? g_strdup_printf ("%s.%s", schema, table) : g_strdup (table);
}

char *
retort_version_table_create_sql (const char *schema,
                                 const char *table,
                                 gboolean    if_not_exists)
{
  g_autofree char *name = retort_version_table_qualified_name (schema, table);

  /* byte for byte what Alembic renders, trailing space after the comma included */
  return g_strdup_printf ("CREATE TABLE %s%s (\n"
                          "    version_num VARCHAR(32) NOT NULL, \n"
                          "    CONSTRAINT %s_pkc PRIMARY KEY (version_num)\n"
                          ")", if_not_exists ? "IF NOT EXISTS " : "", name, table);
}

RetortVersionState *
retort_version_table_read (RetortBackend  *backend,
                           const char     *schema,
                           const char     *table,
                           GError        **error)
{
  g_autoptr(RetortVersionState) state = g_new0 (RetortVersionState, 1);
  gboolean exists = FALSE;
  guint tables = 0;

  if (!retort_backend_table_exists (backend, schema, table, &exists, error) ||
      !retort_backend_count_tables (backend, schema, &tables, error))
    return NULL;
  state->other_tables = exists ? tables - 1 : tables;
  if (!exists)
    {
      state->rows = g_new0 (char *, 1);
      state->kind = tables > 0 ? RETORT_VERSION_STATE_LEGACY : RETORT_VERSION_STATE_EMPTY;
      return g_steal_pointer (&state);
    }
  {
    g_autofree char *name = retort_version_table_qualified_name (schema, table);
    g_autofree char *sql = g_strdup_printf ("SELECT %s.version_num FROM %s", table, name);
    g_autoptr(GPtrArray) rows = retort_backend_query_column (backend, sql, error);

    if (rows == NULL)
      return NULL;
    g_ptr_array_add (rows, NULL);
    state->rows = (GStrv) g_ptr_array_steal (rows, NULL);
  }
  state->kind = state->rows[0] != NULL ? RETORT_VERSION_STATE_VERSIONED : RETORT_VERSION_STATE_BASE;
  return g_steal_pointer (&state);
}

gboolean
retort_version_rows_equal (const char * const *a,
                           const char * const *b)
{
  guint n_a = a != NULL ? g_strv_length ((char **) a) : 0;
  guint n_b = b != NULL ? g_strv_length ((char **) b) : 0;

  if (n_a != n_b)
    return FALSE;
  for (guint i = 0; i < n_a; i++)
    if (!g_strv_contains (b, a[i]))
      return FALSE;
  return TRUE;
}
