/* retort-run-dialog.h — what an upgrade, downgrade or stamp will do, before it runs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "retort-profile.h"
#include "retort-project.h"

G_BEGIN_DECLS

#define RETORT_TYPE_RUN_DIALOG (retort_run_dialog_get_type ())
G_DECLARE_FINAL_TYPE (RetortRunDialog, retort_run_dialog, RETORT, RUN_DIALOG, AdwWindow)

/* Plans run (its operation, targets and purge already set) from the
 * profile's version rows as last read and shows the plan, its SQL and the
 * statements in it that destroy data. When the user presses the run button
 * the dialog gives run those rows as its expected rows
 * (retort_run_set_expected_rows), emits "confirmed" and closes; the caller
 * starts the run. Set transient-for and present it yourself. */
RetortRunDialog *retort_run_dialog_new            (RetortProfile   *profile,
                                                   RetortProject   *project,
                                                   RetortRun       *run);

/* the SQL shown (retort_offline_render of the plan); NULL when there is none */
const char      *retort_run_dialog_get_sql        (RetortRunDialog *self);
guint            retort_run_dialog_get_n_hazards  (RetortRunDialog *self);
/* NULL when the run may go ahead, else why not, as shown */
const char      *retort_run_dialog_get_refusal    (RetortRunDialog *self);
/* the run button is sensitive: no refusal, and the typed name matches where one is asked for */
gboolean         retort_run_dialog_get_can_confirm (RetortRunDialog *self);
/* as if typed into "Type <name> to confirm" */
void             retort_run_dialog_set_typed_name (RetortRunDialog *self,
                                                   const char      *text);
/* presses the run button if it is sensitive; TRUE if "confirmed" was emitted */
gboolean         retort_run_dialog_confirm        (RetortRunDialog *self);

G_END_DECLS
