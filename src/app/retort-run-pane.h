/* retort-run-pane.h — a run as it happens: progress, lock waits, the log,
 * and its outcome
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "retort-run-session.h"

G_BEGIN_DECLS

#define RETORT_TYPE_RUN_PANE (retort_run_pane_get_type ())
G_DECLARE_FINAL_TYPE (RetortRunPane, retort_run_pane, RETORT, RUN_PANE, GtkWidget)

GtkWidget        *retort_run_pane_new               (void);
/* session NULL empties the pane */
void              retort_run_pane_set_session       (RetortRunPane    *self,
                                                     RetortRunSession *session);
RetortRunSession *retort_run_pane_get_session       (RetortRunPane    *self);
/* what went wrong in a failed (or cancelled) session, as a dialog over
 * parent: revision, file and line, statement, SQLSTATE, the server's
 * message, and where the database stands now */
AdwMessageDialog *retort_run_failure_dialog_present (RetortRunSession *session,
                                                     GtkWindow        *parent);

/* what the pane shows, for tests */
const char       *retort_run_pane_get_progress_text (RetortRunPane    *self);
double            retort_run_pane_get_fraction      (RetortRunPane    *self);
const char       *retort_run_pane_get_lock_text     (RetortRunPane    *self);
gboolean          retort_run_pane_get_lock_shown    (RetortRunPane    *self);
GtkWidget        *retort_run_pane_get_log_view      (RetortRunPane    *self);
GtkWidget        *retort_run_pane_get_cancel_button (RetortRunPane    *self);
GtkWidget        *retort_run_pane_get_keep_waiting_button (RetortRunPane *self);

G_END_DECLS
