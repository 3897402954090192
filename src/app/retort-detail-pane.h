/* retort-detail-pane.h — everything about the selected revision
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "retort-project.h"

G_BEGIN_DECLS

#define RETORT_TYPE_DETAIL_PANE (retort_detail_pane_get_type ())
G_DECLARE_FINAL_TYPE (RetortDetailPane, retort_detail_pane, RETORT, DETAIL_PANE, GtkWidget)

GtkWidget      *retort_detail_pane_new          (void);
/* revision NULL shows the empty state; project NULL clears the pane */
void            retort_detail_pane_set_revision (RetortDetailPane *self,
                                                 RetortProject    *project,
                                                 RetortRevision   *revision);
RetortRevision *retort_detail_pane_get_revision (RetortDetailPane *self);
/* TRUE while the revision's file is read in the background */
gboolean        retort_detail_pane_get_loading  (RetortDetailPane *self);

G_END_DECLS
