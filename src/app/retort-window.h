/* retort-window.h — every project and database, and the selected one's timeline
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "retort-sidebar.h"
#include "retort-workspace.h"

G_BEGIN_DECLS

#define RETORT_TYPE_WINDOW (retort_window_get_type ())
G_DECLARE_FINAL_TYPE (RetortWindow, retort_window, RETORT, WINDOW, AdwApplicationWindow)

RetortWindow    *retort_window_new               (GtkApplication  *application,
                                                  RetortWorkspace *workspace);
RetortWorkspace *retort_window_get_workspace     (RetortWindow    *self);
void             retort_window_open              (RetortWindow    *self,
                                                  GFile           *location);
void             retort_window_select            (RetortWindow    *self,
                                                  RetortProject   *project,
                                                  RetortProfile   *profile);
void             retort_window_restore_selection (RetortWindow    *self);
RetortProject   *retort_window_get_project       (RetortWindow    *self);
RetortProfile   *retort_window_get_profile       (RetortWindow    *self);
gboolean         retort_window_get_loading       (RetortWindow    *self);

/* for tests: what the window shows */
const char      *retort_window_get_page          (RetortWindow    *self);
RetortSidebar   *retort_window_get_sidebar       (RetortWindow    *self);
GtkListView     *retort_window_get_timeline      (RetortWindow    *self);
const char      *retort_window_get_status_text   (RetortWindow    *self);

/* the pane showing the selected database's run, for tests */
GtkWidget       *retort_window_get_run_pane       (RetortWindow    *self);

G_END_DECLS
