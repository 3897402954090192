/* retort-log-view.h — a run's live log: the lines, search, save and copy
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "retort-run-log.h"

G_BEGIN_DECLS

#define RETORT_TYPE_LOG_VIEW (retort_log_view_get_type ())
G_DECLARE_FINAL_TYPE (RetortLogView, retort_log_view, RETORT, LOG_VIEW, GtkWidget)

GtkWidget    *retort_log_view_new           (void);
/* log NULL empties the view */
void          retort_log_view_set_log       (RetortLogView *self,
                                             RetortRunLog  *log);
RetortRunLog *retort_log_view_get_log       (RetortLogView *self);
/* TRUE while new lines scroll the view to the bottom: until the user
 * scrolls up or jumps to a match, again once back at the bottom */
gboolean      retort_log_view_get_following (RetortLogView *self);
/* searches as typing in the search entry does, but at once and in one go
 * (the entry's own searches run a slice at a time); the match's position
 * or -1 */
gint          retort_log_view_search        (RetortLogView *self,
                                             const char    *text);

G_END_DECLS
