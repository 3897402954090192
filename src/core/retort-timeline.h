/* retort-timeline.h — the revision graph laid out in lanes, newest first */
#pragma once

#include "retort-revision-map.h"

G_BEGIN_DECLS

/* One row of the timeline: where its node sits and which lines cross it.
 * Lanes are columns, 0 on the left. "incoming" lanes meet the node from the
 * row above (its children), "outgoing" lanes leave it towards its parents,
 * "passing" lanes run straight through the row. */
typedef struct {
  RetortRevision *revision;
  guint           lane;
  guint           width;      /* lanes in use in this row */
  GArray         *passing;    /* guint */
  GArray         *incoming;   /* guint */
  GArray         *outgoing;   /* guint */
} RetortTimelineRow;

void       retort_timeline_row_free (RetortTimelineRow *row);
GPtrArray *retort_timeline_compute  (RetortRevisionMap  *map,
                                     GError            **error);

G_END_DECLS
