/* retort-revision-row.h — one line of the revision list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "retort-core.h"

G_BEGIN_DECLS

#define RETORT_TYPE_REVISION_ROW (retort_revision_row_get_type ())
G_DECLARE_FINAL_TYPE (RetortRevisionRow, retort_revision_row, RETORT, REVISION_ROW, GtkWidget)

GtkWidget      *retort_revision_row_new          (void);
void            retort_revision_row_bind         (RetortRevisionRow *self,
                                                  RetortRevisionMap *map,
                                                  RetortRevision    *revision);
void            retort_revision_row_unbind       (RetortRevisionRow *self);
RetortRevision *retort_revision_row_get_revision (RetortRevisionRow *self);

G_END_DECLS
