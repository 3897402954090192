/* retort-environments-view.h — revisions down, the project's databases across
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "retort-project.h"

G_BEGIN_DECLS

#define RETORT_TYPE_ENVIRONMENTS_VIEW (retort_environments_view_get_type ())
G_DECLARE_FINAL_TYPE (RetortEnvironmentsView, retort_environments_view, RETORT, ENVIRONMENTS_VIEW, GtkWidget)

GtkWidget     *retort_environments_view_new         (void);
void           retort_environments_view_set_project (RetortEnvironmentsView *self,
                                                     RetortProject          *project);
RetortProject *retort_environments_view_get_project (RetortEnvironmentsView *self);

G_END_DECLS
