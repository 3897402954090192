/* retort-offline.c — the SQL a plan would run, as text (`--sql`)
 *
 * In the spirit of Alembic's offline mode: BEGIN/COMMIT on PostgreSQL
 * (transactional DDL) and none on SQLite, the version table created while
 * no row is tracked, "-- Running ..." before each step, each statement
 * followed by ";" and a blank line. No DROP TABLE at base (Alembic ≥1.19).
 */
#define G_LOG_DOMAIN "retort-offline"

#include "retort-offline.h"
#include "retort-sql-splitter.h"
#include "retort-version-table.h"

static void
emit_statement (GString    *out,
                const char *sql)
{
  g_string_append_printf (out, "%s;\n\n", sql);
}

char *
retort_offline_render (RetortPlan     *plan,
                       RetortDialect   dialect,
                       const char     *schema,
                       const char     *table,
                       GError        **error)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autofree char *qualified = retort_version_table_qualified_name (schema, table);
  gboolean transactional = dialect == RETORT_DIALECT_POSTGRESQL;
  guint tracked = g_strv_length ((char **) retort_plan_get_initial_rows (plan));

  if (transactional)
    emit_statement (out, "BEGIN");
  for (guint i = 0; i < retort_plan_get_n_steps (plan); i++)
    {
      RetortPlanStep *step = retort_plan_get_step (plan, i);
      g_autoptr(GPtrArray) sections = retort_plan_step_dup_sections (step, retort_dialect_get_name (dialect));
      g_autofree char *from = g_strjoinv (", ", step->from_revisions);
      g_autofree char *to = g_strjoinv (", ", step->to_revisions);

      if (tracked == 0)
        {
          g_autofree char *create = retort_version_table_create_sql (schema, table, FALSE);
          emit_statement (out, create);
        }
      if (step->revision != NULL)
        {
          const char *problem = retort_revision_get_native_problem (
            step->revision, step->is_upgrade ? RETORT_DIRECTION_UPGRADE : RETORT_DIRECTION_DOWNGRADE);
          if (problem != NULL)
            {
              g_set_error (error, RETORT_PLAN_ERROR, RETORT_PLAN_ERROR_VERSION_TABLE,
                           "Revision %s (%s) cannot be rendered without Python: %s",
                           retort_revision_get_id (step->revision), retort_revision_get_path (step->revision),
                           problem);
              return NULL;
            }
        }
      g_string_append_printf (out, "-- Running %s %s -> %s\n\n", retort_plan_step_get_name (step), from, to);
      for (guint s = 0; s < sections->len; s++)
        {
          RetortSqlSection *section = g_ptr_array_index (sections, s);
          g_autoptr(GPtrArray) statements = retort_sql_split (section->sql, dialect, error);
          if (statements == NULL)
            {
              g_prefix_error (error, "%s: ", retort_revision_get_path (step->revision));
              return NULL;
            }
          if (!section->transactional && transactional)
            emit_statement (out, "COMMIT");
          for (guint k = 0; k < statements->len; k++)
            emit_statement (out, ((RetortStatement *) g_ptr_array_index (statements, k))->sql);
          if (!section->transactional && transactional)
            emit_statement (out, "BEGIN");
        }
      for (guint k = 0; k < step->version_ops->len; k++)
        {
          RetortVersionOp *op = g_ptr_array_index (step->version_ops, k);
          g_autofree char *sql = retort_version_op_to_sql (op, qualified);
          emit_statement (out, sql);
          tracked += op->kind == RETORT_VERSION_INSERT ? 1 : op->kind == RETORT_VERSION_DELETE ? -1 : 0;
        }
    }
  if (transactional)
    emit_statement (out, "COMMIT");
  return g_string_free (g_steal_pointer (&out), FALSE);
}
