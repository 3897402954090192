/* retort-run.h — an upgrade, downgrade or stamp of one database, as steps */
#pragma once

#include "retort-backend.h"
#include "retort-plan.h"
#include "retort-run-step.h"
#include "retort-version-table.h"

G_BEGIN_DECLS

typedef enum {
  RETORT_RUN_UPGRADE,
  RETORT_RUN_DOWNGRADE,
  RETORT_RUN_STAMP,
} RetortRunOperation;

typedef enum {
  RETORT_TRANSACTION_AUTO,          /* as Alembic: whole run on PostgreSQL, per revision on SQLite */
  RETORT_TRANSACTION_WHOLE_RUN,
  RETORT_TRANSACTION_PER_REVISION,
} RetortTransactionMode;

#define RETORT_TYPE_RUN (retort_run_get_type ())
G_DECLARE_FINAL_TYPE (RetortRun, retort_run, RETORT, RUN, GObject)

RetortRun          *retort_run_new                  (RetortRevisionMap     *map,
                                                     RetortRunOperation     operation,
                                                     const char * const    *targets);
void                retort_run_set_purge            (RetortRun             *self,
                                                     gboolean               purge);
void                retort_run_set_transaction_mode (RetortRun             *self,
                                                     RetortTransactionMode  mode);
void                retort_run_set_version_table    (RetortRun             *self,
                                                     const char            *schema,
                                                     const char            *table);
/* how long to wait for the migration lock (default 30 s; 0: one attempt,
 * no wait; G_MAXUINT, about 49 days: no limit in practice). While the run
 * waits it emits "lock-wait" (TRUE, holder) and then (FALSE, NULL). */
void                retort_run_set_lock_wait        (RetortRun             *self,
                                                     guint                  milliseconds);
void                retort_run_add_step             (RetortRun             *self,
                                                     RetortRunStep         *step);
/* refuse, changing nothing, unless alembic_version holds exactly these rows
 * (in any order) when the run starts: what a confirmed preview was made from */
void                retort_run_set_expected_rows    (RetortRun             *self,
                                                     const char * const    *rows);
void                retort_run_set_event_context    (RetortRun             *self,
                                                     GMainContext          *context);

gboolean            retort_run_execute              (RetortRun             *self,
                                                     RetortBackend         *backend,
                                                     GCancellable          *cancellable,
                                                     GError               **error);

RetortRunOperation  retort_run_get_operation        (RetortRun             *self);
const char * const *retort_run_get_targets          (RetortRun             *self);
gboolean            retort_run_get_purge            (RetortRun             *self);
RetortPlan         *retort_run_get_plan             (RetortRun             *self);
/* once started: the revision the step at index works on (a stamp: where it
 * goes), NULL for a step of the run's own such as a backup */
const char         *retort_run_get_step_revision    (RetortRun             *self,
                                                     guint                  index);
const char * const *retort_run_get_final_rows       (RetortRun             *self);
guint               retort_run_get_n_applied        (RetortRun             *self);
/* from any thread, while the run executes: the statement the database is
 * running now or ran last (BEGIN and COMMIT included; NULL before the first
 * and after the run), its line in its file and when it began (monotonic µs,
 * which also tells one statement from the next) */
char               *retort_run_dup_current_statement (RetortRun            *self,
                                                      guint                *line,
                                                      gint64               *since);

RetortPlan         *retort_run_make_plan            (RetortRun             *self,
                                                     const char * const    *rows,
                                                     GError               **error);

G_END_DECLS
