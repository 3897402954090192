/* retort-migration-step.h — a planned upgrade, downgrade or stamp as a run step */
#pragma once

#include "retort-plan.h"
#include "retort-run-step.h"

G_BEGIN_DECLS

#define RETORT_TYPE_MIGRATION_STEP (retort_migration_step_get_type ())
G_DECLARE_FINAL_TYPE (RetortMigrationStep, retort_migration_step, RETORT, MIGRATION_STEP, RetortRunStep)

RetortRunStep  *retort_migration_step_new      (RetortPlan     *plan,
                                                guint           index,
                                                const char     *version_table);
RetortPlanStep *retort_migration_step_get_plan_step (RetortMigrationStep *self);

G_END_DECLS
