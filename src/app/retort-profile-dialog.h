/* retort-profile-dialog.h — add or edit a database profile, with Test Connection
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "retort-profile.h"
#include "retort-project.h"
#include "retort-workspace.h"

G_BEGIN_DECLS

#define RETORT_TYPE_PROFILE_DIALOG (retort_profile_dialog_get_type ())
G_DECLARE_FINAL_TYPE (RetortProfileDialog, retort_profile_dialog, RETORT, PROFILE_DIALOG, AdwWindow)

/* profile NULL: a new profile of project. The dialog saves through the
 * workspace itself, then emits "saved" (RetortProfile *) and closes. */
RetortProfileDialog *retort_profile_dialog_new (GtkWindow       *parent,
                                                RetortWorkspace *workspace,
                                                RetortProject   *project,
                                                RetortProfile   *profile);

/* Presses Test Connection: the same as the button. */
void                 retort_profile_dialog_test_connection (RetortProfileDialog *self);
/* How long a test may take before it is given up (10 s unless set) */
void                 retort_profile_dialog_set_test_timeout (RetortProfileDialog *self,
                                                             guint                seconds);
/* TRUE while a test is under way */
gboolean             retort_profile_dialog_get_testing     (RetortProfileDialog *self);

G_END_DECLS
