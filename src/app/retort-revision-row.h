/* retort-revision-row.h — one line of the timeline
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "retort-core.h"
#include "retort-graph-cell.h"
#include "retort-profile.h"
#include "retort-project.h"

G_BEGIN_DECLS

#define RETORT_TYPE_REVISION_ROW (retort_revision_row_get_type ())
G_DECLARE_FINAL_TYPE (RetortRevisionRow, retort_revision_row, RETORT, REVISION_ROW, GtkWidget)

GtkWidget       *retort_revision_row_new                  (void);
/* position is in retort_project_get_revisions() (and the timeline): map a
 * filtered view's position back before calling. selected_profile (nullable)
 * is the database whose standing the row shades. */
void             retort_revision_row_bind                 (RetortRevisionRow *self,
                                                           RetortProject     *project,
                                                           guint              position,
                                                           RetortProfile     *selected_profile);
void             retort_revision_row_unbind               (RetortRevisionRow *self);
void             retort_revision_row_set_selected_profile (RetortRevisionRow *self,
                                                           RetortProfile     *selected_profile);
RetortRevision  *retort_revision_row_get_revision         (RetortRevisionRow *self);
/* whether the row is drawn faded: the selected database lacks its revision */
gboolean         retort_revision_row_get_pending          (RetortRevisionRow *self);
RetortGraphCell *retort_revision_row_get_graph_cell       (RetortRevisionRow *self);
/* the names of every database pinned to the row, in the project's order,
 * shown or behind "+N" (for tests and accessibility) */
GStrv            retort_revision_row_get_pin_names        (RetortRevisionRow *self);

G_END_DECLS
