/* retort-sidebar.h — every project with its databases and their live status
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "retort-workspace.h"

G_BEGIN_DECLS

#define RETORT_TYPE_SIDEBAR (retort_sidebar_get_type ())
G_DECLARE_FINAL_TYPE (RetortSidebar, retort_sidebar, RETORT, SIDEBAR, GtkWidget)

GtkWidget     *retort_sidebar_new                  (void);
void           retort_sidebar_set_workspace        (RetortSidebar   *self,
                                                    RetortWorkspace *workspace);
/* selects the profile's row, or the project's when profile is NULL */
void           retort_sidebar_select               (RetortSidebar   *self,
                                                    RetortProject   *project,
                                                    RetortProfile   *profile);
RetortProject *retort_sidebar_get_selected_project (RetortSidebar   *self);
RetortProfile *retort_sidebar_get_selected_profile (RetortSidebar   *self);
GtkWidget     *retort_sidebar_get_row_for_profile  (RetortSidebar   *self,
                                                    RetortProfile   *profile);
void           retort_sidebar_focus_filter         (RetortSidebar   *self);

G_END_DECLS
