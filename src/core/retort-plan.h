/* retort-plan.h — the ordered steps of an upgrade, downgrade or stamp, and
 * the exact alembic_version row changes Alembic would make for each */
#pragma once

#include "retort-revision-map.h"

G_BEGIN_DECLS

#define RETORT_PLAN_ERROR (retort_plan_error_quark ())

typedef enum {
  RETORT_PLAN_ERROR_VERSION_TABLE,  /* the version rows cannot take this step */
  RETORT_PLAN_ERROR_UNKNOWN_ROW,    /* alembic_version names a revision the directory lacks */
} RetortPlanError;

GQuark retort_plan_error_quark (void);

typedef enum {
  RETORT_STEP_UPGRADE,
  RETORT_STEP_DOWNGRADE,
  RETORT_STEP_STAMP,
} RetortStepKind;

typedef enum {
  RETORT_VERSION_INSERT,
  RETORT_VERSION_UPDATE,
  RETORT_VERSION_DELETE,
} RetortVersionOpKind;

typedef struct {
  RetortVersionOpKind  kind;
  char                *from;  /* UPDATE, DELETE */
  char                *to;    /* INSERT, UPDATE */
} RetortVersionOp;

typedef struct {
  RetortStepKind  kind;
  RetortRevision *revision;        /* NULL for a stamp */
  gboolean        is_upgrade;      /* a stamp's direction, too */
  GStrv           from_revisions;  /* as Alembic logs them (no dependencies) */
  GStrv           to_revisions;
  GPtrArray      *version_ops;     /* RetortVersionOp, in execution order */
} RetortPlanStep;

#define RETORT_TYPE_PLAN (retort_plan_get_type ())
G_DECLARE_FINAL_TYPE (RetortPlan, retort_plan, RETORT, PLAN, GObject)

RetortPlan     *retort_plan_new_upgrade   (RetortRevisionMap  *map,
                                           const char         *target,
                                           const char * const *rows,
                                           GError            **error);
RetortPlan     *retort_plan_new_downgrade (RetortRevisionMap  *map,
                                           const char         *target,
                                           const char * const *rows,
                                           GError            **error);
RetortPlan     *retort_plan_new_stamp     (RetortRevisionMap  *map,
                                           const char * const *targets,
                                           const char * const *rows,
                                           gboolean            purge,
                                           GError            **error);

guint           retort_plan_get_n_steps   (RetortPlan *self);
RetortPlanStep *retort_plan_get_step      (RetortPlan *self,
                                           guint       index);
gboolean        retort_plan_get_purge     (RetortPlan *self);
const char * const *retort_plan_get_initial_rows (RetortPlan *self);
const char * const *retort_plan_get_final_rows   (RetortPlan *self);

const char     *retort_plan_step_get_name     (RetortPlanStep *step);
GPtrArray      *retort_plan_step_dup_sections (RetortPlanStep *step,
                                               const char     *dialect);
char           *retort_plan_step_describe     (RetortPlanStep *step);
char           *retort_version_op_to_sql      (RetortVersionOp *op,
                                               const char      *table);

G_END_DECLS
