/* retort-run-step.c — one thing a run does */
#define G_LOG_DOMAIN "retort-run-step"

#include "retort-run-step.h"

G_DEFINE_ABSTRACT_TYPE (RetortRunStep, retort_run_step, G_TYPE_OBJECT)

static gboolean
retort_run_step_real_is_migration (RetortRunStep *self)
{
  return FALSE;
}

static void
retort_run_step_class_init (RetortRunStepClass *klass)
{
  klass->is_migration = retort_run_step_real_is_migration;
}

static void
retort_run_step_init (RetortRunStep *self)
{
}

gboolean
retort_run_step_execute (RetortRunStep     *self,
                         RetortRunContext  *context,
                         GError           **error)
{
  g_return_val_if_fail (RETORT_IS_RUN_STEP (self), FALSE);
  return RETORT_RUN_STEP_GET_CLASS (self)->execute (self, context, error);
}

char *
retort_run_step_describe (RetortRunStep *self)
{
  g_return_val_if_fail (RETORT_IS_RUN_STEP (self), NULL);
  return RETORT_RUN_STEP_GET_CLASS (self)->describe (self);
}

gboolean
retort_run_step_is_migration (RetortRunStep *self)
{
  g_return_val_if_fail (RETORT_IS_RUN_STEP (self), FALSE);
  return RETORT_RUN_STEP_GET_CLASS (self)->is_migration (self);
}
