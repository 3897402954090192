/* retort-graph-cell.h — one row's slice of the revision graph
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "retort-core.h"

G_BEGIN_DECLS

/* How the node shows the selected database's standing at this revision. */
typedef enum {
  RETORT_GRAPH_NODE_NONE,     /* no database selected: a plain filled node */
  RETORT_GRAPH_NODE_APPLIED,  /* the database has it: filled */
  RETORT_GRAPH_NODE_PENDING,  /* the database lacks it: hollow */
  RETORT_GRAPH_NODE_CURRENT,  /* its version table holds it: filled and ringed */
} RetortGraphNodeStyle;

#define RETORT_TYPE_GRAPH_CELL (retort_graph_cell_get_type ())
G_DECLARE_FINAL_TYPE (RetortGraphCell, retort_graph_cell, RETORT, GRAPH_CELL, GtkWidget)

GtkWidget            *retort_graph_cell_new            (void);

/* row NULL clears the cell. n_lanes is the widest row of the whole graph, so
 * every cell of a list is as wide as the others. The lanes are copied. */
void                  retort_graph_cell_set_row        (RetortGraphCell         *self,
                                                        const RetortTimelineRow *row,
                                                        guint                    n_lanes);
/* How many revisions build on this one, for the accessible description
 * (the lanes alone do not tell: children join their parent's lane early). */
void                  retort_graph_cell_set_n_children (RetortGraphCell         *self,
                                                        guint                    n_children);
void                  retort_graph_cell_set_node_style (RetortGraphCell         *self,
                                                        RetortGraphNodeStyle     style);
RetortGraphNodeStyle  retort_graph_cell_get_node_style (RetortGraphCell         *self);

/* What the cell draws, for tests and the accessible description. */
guint                 retort_graph_cell_get_lane       (RetortGraphCell         *self);
guint                 retort_graph_cell_get_n_lanes    (RetortGraphCell         *self);
const guint          *retort_graph_cell_get_incoming   (RetortGraphCell         *self,
                                                        guint                   *n_lanes);
const guint          *retort_graph_cell_get_outgoing   (RetortGraphCell         *self,
                                                        guint                   *n_lanes);
const guint          *retort_graph_cell_get_passing    (RetortGraphCell         *self,
                                                        guint                   *n_lanes);
const char           *retort_graph_cell_get_description (RetortGraphCell        *self);
/* the colour lane is drawn in (after the widget's style is known) */
void                  retort_graph_cell_get_lane_color (RetortGraphCell         *self,
                                                        guint                    lane,
                                                        GdkRGBA                 *color);

G_END_DECLS
