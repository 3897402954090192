/* retort-migration-step.c — a planned upgrade, downgrade or stamp as a run step
 *
 * Runs the revision's SQL sections for the connection's dialect, then
 * changes alembic_version exactly as the plan says, inside the same
 * transaction, so the version table is never ahead of or behind the schema.
 */
#define G_LOG_DOMAIN "retort-migration-step"

#include "retort-migration-step.h"

struct _RetortMigrationStep
{
  RetortRunStep  parent_instance;
  RetortPlan    *plan;
  guint          index;
  char          *version_table;
};

G_DEFINE_FINAL_TYPE (RetortMigrationStep, retort_migration_step, RETORT_TYPE_RUN_STEP)

static RetortPlanStep *
plan_step (RetortMigrationStep *self)
{
  return retort_plan_get_step (self->plan, self->index);
}

static gboolean
retort_migration_step_execute (RetortRunStep     *step,
                               RetortRunContext  *context,
                               GError           **error)
{
  RetortMigrationStep *self = RETORT_MIGRATION_STEP (step);
  RetortPlanStep *ps = plan_step (self);
  RetortBackend *backend = retort_run_context_get_backend (context);
  const char *dialect = retort_dialect_get_name (retort_backend_get_dialect (backend));

  if (ps->revision != NULL)
    {
      RetortDirection direction = ps->is_upgrade ? RETORT_DIRECTION_UPGRADE : RETORT_DIRECTION_DOWNGRADE;
      const char *problem = retort_revision_get_native_problem (ps->revision, direction);
      g_autoptr(GPtrArray) sections = NULL;

      if (problem != NULL)
        {
          g_set_error (error, RETORT_DATABASE_ERROR, RETORT_DATABASE_ERROR_STATEMENT,
                       "Revision %s (%s) cannot run in-process: %s",
                       retort_revision_get_id (ps->revision), retort_revision_get_path (ps->revision),
                       problem);
          return FALSE;
        }
      sections = retort_plan_step_dup_sections (ps, dialect);
      for (guint i = 0; i < sections->len; i++)
        {
          RetortSqlSection *section = g_ptr_array_index (sections, i);
          if (!retort_run_context_run_sql (context, section->sql, section->transactional,
                                           section->first_line, error))
            return FALSE;
        }
    }

  for (guint i = 0; i < ps->version_ops->len; i++)
    {
      g_autofree char *sql = retort_version_op_to_sql (g_ptr_array_index (ps->version_ops, i),
                                                       self->version_table);
      if (!retort_run_context_change_version (context, sql, error))
        return FALSE;
    }
  return TRUE;
}

static char *
retort_migration_step_describe (RetortRunStep *step)
{
  return retort_plan_step_describe (plan_step (RETORT_MIGRATION_STEP (step)));
}

static gboolean
retort_migration_step_is_migration (RetortRunStep *step)
{
  return TRUE;
}

static void
retort_migration_step_finalize (GObject *object)
{
  RetortMigrationStep *self = RETORT_MIGRATION_STEP (object);

  g_clear_object (&self->plan);
  g_free (self->version_table);
  G_OBJECT_CLASS (retort_migration_step_parent_class)->finalize (object);
}

static void
retort_migration_step_class_init (RetortMigrationStepClass *klass)
{
  RetortRunStepClass *step_class = RETORT_RUN_STEP_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = retort_migration_step_finalize;
  step_class->execute = retort_migration_step_execute;
  step_class->describe = retort_migration_step_describe;
  step_class->is_migration = retort_migration_step_is_migration;
}

static void
retort_migration_step_init (RetortMigrationStep *self)
{
}

RetortRunStep *
retort_migration_step_new (RetortPlan *plan,
                           guint       index,
                           const char *version_table)
{
  RetortMigrationStep *self = g_object_new (RETORT_TYPE_MIGRATION_STEP, NULL);

  self->plan = g_object_ref (plan);
  self->index = index;
  self->version_table = g_strdup (version_table);
  return RETORT_RUN_STEP (self);
}

RetortPlanStep *
retort_migration_step_get_plan_step (RetortMigrationStep *self)
{
  g_return_val_if_fail (RETORT_IS_MIGRATION_STEP (self), NULL);
  return plan_step (self);
}
