/* retort-run-step.h — one thing a run does: a revision, a stamp, a backup,
 * a subprocess. The runner treats them all alike. */
#pragma once

#include <gio/gio.h>

#include "retort-backend.h"

G_BEGIN_DECLS

typedef struct _RetortRunContext RetortRunContext;

#define RETORT_TYPE_RUN_STEP (retort_run_step_get_type ())
G_DECLARE_DERIVABLE_TYPE (RetortRunStep, retort_run_step, RETORT, RUN_STEP, GObject)

struct _RetortRunStepClass
{
  GObjectClass parent_class;

  /* Does the work on the run's worker thread; SQL goes through the context
   * so transactions, events and cancellation are handled in one place. */
  gboolean (*execute)  (RetortRunStep     *self,
                        RetortRunContext  *context,
                        GError           **error);
  char    *(*describe) (RetortRunStep     *self);
  /* A migration step moves alembic_version; others (a backup) do not. */
  gboolean (*is_migration) (RetortRunStep *self);
};

gboolean retort_run_step_execute      (RetortRunStep     *self,
                                       RetortRunContext  *context,
                                       GError           **error);
char    *retort_run_step_describe     (RetortRunStep     *self);
gboolean retort_run_step_is_migration (RetortRunStep     *self);

/* what a step may use while it runs */
RetortBackend *retort_run_context_get_backend       (RetortRunContext  *context);
GCancellable  *retort_run_context_get_cancellable   (RetortRunContext  *context);
gboolean       retort_run_context_run_sql           (RetortRunContext  *context,
                                                     const char        *sql,
                                                     gboolean           transactional,
                                                     guint              first_line,
                                                     GError           **error);
gboolean       retort_run_context_change_version    (RetortRunContext  *context,
                                                     const char        *sql,
                                                     GError           **error);
void           retort_run_context_log               (RetortRunContext  *context,
                                                     const char        *message);

G_END_DECLS
