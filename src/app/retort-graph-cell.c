/* retort-graph-cell.c — one row's slice of the revision graph
 *
 * The timeline (src/core/retort-timeline.c) gives each row the lane of its
 * node and the lines crossing it: "passing" lanes run from the top edge to
 * the bottom edge, "incoming" lanes come from the top edge into the node
 * (lines from its children), "outgoing" lanes leave the node for the bottom
 * edge (lines to its parents). A line that changes lane does so inside the
 * row of the node it touches, with a rounded corner, so the lines of
 * neighbouring rows meet edge to edge and the list shows one picture.
 *
 * Lanes keep their colour from row to row: the colour is the column's, taken
 * from named colours in the stylesheet so the dark style gets its own.
 *
 * Cells are recycled by the list: set_row copies a few integers into arrays
 * the cell keeps, and the picture is one cairo node per row.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "retort-graph-cell"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "retort-graph-cell.h"

#define LANE_WIDTH   16.0
#define LINE_WIDTH    2.0
#define NODE_RADIUS   5.0   /* a 10 px node */
#define CORE_RADIUS   3.5   /* the filled centre of a ringed node */
#define RING_RADIUS   7.0   /* the ring's centre line: 16 px across outside */
#define CORNER_RADIUS 8.0   /* where a line turns from vertical to horizontal */
#define MIN_HEIGHT   24

/* Named colours from style.css, cycled by lane; they are defined there in
 * terms of libadwaita's colours, so they follow the light and dark styles. */
static const char * const lane_color_names[] = {
  "retort_graph_lane_1",
  "retort_graph_lane_2",
  "retort_graph_lane_3",
  "retort_graph_lane_4",
  "retort_graph_lane_5",
};
#define N_LANE_COLORS G_N_ELEMENTS (lane_color_names)

/* Used only if the stylesheet lacks the names (a test without style.css). */
static const GdkRGBA fallback_colors[N_LANE_COLORS] = {
  { 0.110f, 0.443f, 0.847f, 1.0f },  /* blue */
  { 0.569f, 0.255f, 0.675f, 1.0f },  /* purple */
  { 0.106f, 0.522f, 0.325f, 1.0f },  /* green */
  { 0.776f, 0.275f, 0.000f, 1.0f },  /* orange */
  { 0.106f, 0.510f, 0.545f, 1.0f },  /* teal */
};

struct _RetortGraphCell
{
  GtkWidget             parent_instance;

  gboolean              has_row;
  guint                 lane;
  guint                 n_lanes;
  guint                 n_parents;
  guint                 n_children;
  GArray               *incoming;  /* guint */
  GArray               *outgoing;  /* guint */
  GArray               *passing;   /* guint */
  RetortGraphNodeStyle  node_style;

  GdkRGBA               colors[N_LANE_COLORS];
  char                 *description;
};

G_DEFINE_FINAL_TYPE (RetortGraphCell, retort_graph_cell, GTK_TYPE_WIDGET)

static void
copy_lanes (GArray       *to,
            const GArray *from)
{
  g_array_set_size (to, 0);
  if (from != NULL && from->len > 0)
    g_array_append_vals (to, from->data, from->len);
}

static gboolean
read_colors (RetortGraphCell *self)
{
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  GtkStyleContext *context = gtk_widget_get_style_context (GTK_WIDGET (self));
  gboolean changed = FALSE;

  for (guint i = 0; i < N_LANE_COLORS; i++)
    {
      GdkRGBA color;

      if (!gtk_style_context_lookup_color (context, lane_color_names[i], &color))
        color = fallback_colors[i];
      if (!gdk_rgba_equal (&color, &self->colors[i]))
        {
          self->colors[i] = color;
          changed = TRUE;
        }
    }
  G_GNUC_END_IGNORE_DEPRECATIONS
  return changed;
}

static const GdkRGBA *
lane_color (RetortGraphCell *self,
            guint            lane)
{
  return &self->colors[lane % N_LANE_COLORS];
}

/* The centre of a lane, mirrored for right-to-left languages. */
static double
lane_x (RetortGraphCell *self,
        guint            lane,
        double           width)
{
  double x = lane * LANE_WIDTH + LANE_WIDTH / 2;

  return gtk_widget_get_direction (GTK_WIDGET (self)) == GTK_TEXT_DIR_RTL ? width - x : x;
}

static void
update_description (RetortGraphCell *self)
{
  g_autoptr(GString) text = g_string_new (NULL);

  if (self->has_row)
    {
      if (self->n_parents > 1)
        g_string_append_printf (text,
                                g_dngettext (GETTEXT_PACKAGE, "Merge of %u branch",
                                             "Merge of %u branches", self->n_parents),
                                self->n_parents);
      else if (self->n_parents == 0)
        g_string_append (text, _("Base revision"));
      else
        g_string_append (text, _("Revision"));

      if (self->n_children > 1)
        {
          g_string_append (text, ", ");
          g_string_append_printf (text,
                                  g_dngettext (GETTEXT_PACKAGE, "branch point of %u branch",
                                               "branch point of %u branches", self->n_children),
                                  self->n_children);
        }
      if (self->incoming->len == 0)
        {
          g_string_append (text, ", ");
          g_string_append (text, _("head"));
        }

      switch (self->node_style)
        {
        case RETORT_GRAPH_NODE_APPLIED:
          g_string_append (text, ", ");
          g_string_append (text, _("applied"));
          break;
        case RETORT_GRAPH_NODE_PENDING:
          g_string_append (text, ", ");
          g_string_append (text, _("pending"));
          break;
        case RETORT_GRAPH_NODE_CURRENT:
          g_string_append (text, ", ");
          g_string_append (text, _("the database's current version"));
          break;
        case RETORT_GRAPH_NODE_NONE:
        default:
          break;
        }
    }

  if (g_strcmp0 (text->str, self->description) == 0)
    return;
  g_free (self->description);
  self->description = g_string_free (g_steal_pointer (&text), FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, self->description,
                                  -1);
}

/* --- drawing -------------------------------------------------------------- */

/* A quarter circle from (x0, y0) to (x1, y1), leaving the start vertically
 * and arriving horizontally, or the other way round. */
#define KAPPA 0.5523

static void
draw_incoming (RetortGraphCell *self,
               cairo_t         *cr,
               guint            lane,
               double           width,
               double           mid)
{
  double from = lane_x (self, lane, width);
  double node = lane_x (self, self->lane, width);

  gdk_cairo_set_source_rgba (cr, lane_color (self, lane));
  cairo_move_to (cr, from, 0);
  if (lane != self->lane)
    {
      double side = from > node ? -1 : 1;
      double r = MIN (CORNER_RADIUS, mid);

      cairo_line_to (cr, from, mid - r);
      cairo_curve_to (cr,
                      from, mid - r + r * KAPPA,
                      from + side * (r - r * KAPPA), mid,
                      from + side * r, mid);
    }
  cairo_line_to (cr, node, mid);
  cairo_stroke (cr);
}

static gboolean
has_lane (GArray *lanes,
          guint   lane)
{
  for (guint i = 0; i < lanes->len; i++)
    if (g_array_index (lanes, guint, i) == lane)
      return TRUE;
  return FALSE;
}

static void
draw_outgoing (RetortGraphCell *self,
               cairo_t         *cr,
               guint            lane,
               double           width,
               double           mid,
               double           height)
{
  double to = lane_x (self, lane, width);
  double node = lane_x (self, self->lane, width);

  /* A line that joins a lane already running down (its parent is awaited
   * there) keeps its own branch's colour up to the join; one that starts a
   * lane (a merge's other parent) takes that lane's colour. */
  gdk_cairo_set_source_rgba (cr, lane_color (self, has_lane (self->passing, lane) ? self->lane : lane));
  cairo_move_to (cr, node, mid);
  if (lane != self->lane)
    {
      double side = to > node ? 1 : -1;
      double r = MIN (CORNER_RADIUS, height - mid);

      cairo_line_to (cr, to - side * r, mid);
      cairo_curve_to (cr,
                      to - side * (r - r * KAPPA), mid,
                      to, mid + r - r * KAPPA,
                      to, mid + r);
    }
  cairo_line_to (cr, to, height);
  cairo_stroke (cr);
}

static void
draw_node (RetortGraphCell *self,
           cairo_t         *cr,
           double           x,
           double           y)
{
  const GdkRGBA *color = lane_color (self, self->lane);

  gdk_cairo_set_source_rgba (cr, color);
  switch (self->node_style)
    {
    case RETORT_GRAPH_NODE_PENDING:
      cairo_arc (cr, x, y, NODE_RADIUS - LINE_WIDTH / 2, 0, 2 * G_PI);
      cairo_stroke (cr);
      break;
    case RETORT_GRAPH_NODE_CURRENT:
      cairo_arc (cr, x, y, CORE_RADIUS, 0, 2 * G_PI);
      cairo_fill (cr);
      cairo_arc (cr, x, y, RING_RADIUS, 0, 2 * G_PI);
      cairo_stroke (cr);
      break;
    case RETORT_GRAPH_NODE_NONE:
    case RETORT_GRAPH_NODE_APPLIED:
    default:
      cairo_arc (cr, x, y, NODE_RADIUS, 0, 2 * G_PI);
      cairo_fill (cr);
      break;
    }
}

static void
retort_graph_cell_snapshot (GtkWidget   *widget,
                            GtkSnapshot *snapshot)
{
  RetortGraphCell *self = RETORT_GRAPH_CELL (widget);
  double width = gtk_widget_get_width (widget);
  double height = gtk_widget_get_height (widget);
  double mid = floor (height / 2);
  double node_x;
  double clear_radius;
  cairo_t *cr;

  if (!self->has_row || width <= 0 || height <= 0)
    return;

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  cairo_set_line_width (cr, LINE_WIDTH);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_BUTT);
  node_x = lane_x (self, self->lane, width);

  /* Lines stop at the node's edge so a hollow node stays empty inside and a
   * ring stands apart from them. */
  clear_radius = self->node_style == RETORT_GRAPH_NODE_CURRENT
                 ? RING_RADIUS + LINE_WIDTH / 2
                 : NODE_RADIUS;
  cairo_save (cr);
  cairo_set_fill_rule (cr, CAIRO_FILL_RULE_EVEN_ODD);
  cairo_rectangle (cr, 0, 0, width, height);
  cairo_arc (cr, node_x, mid, clear_radius, 0, 2 * G_PI);
  cairo_clip (cr);

  /* Joins first: the lane they join is drawn over their last stretch, so
   * the join reads as one line flowing into another. */
  for (guint i = 0; i < self->outgoing->len; i++)
    draw_outgoing (self, cr, g_array_index (self->outgoing, guint, i), width, mid, height);
  for (guint i = 0; i < self->passing->len; i++)
    {
      guint lane = g_array_index (self->passing, guint, i);
      double x = lane_x (self, lane, width);

      gdk_cairo_set_source_rgba (cr, lane_color (self, lane));
      cairo_move_to (cr, x, 0);
      cairo_line_to (cr, x, height);
      cairo_stroke (cr);
    }
  for (guint i = 0; i < self->incoming->len; i++)
    draw_incoming (self, cr, g_array_index (self->incoming, guint, i), width, mid);
  cairo_restore (cr);

  draw_node (self, cr, node_x, mid);
  cairo_destroy (cr);
}

static void
retort_graph_cell_measure (GtkWidget      *widget,
                           GtkOrientation  orientation,
                           int             for_size,
                           int            *minimum,
                           int            *natural,
                           int            *minimum_baseline,
                           int            *natural_baseline)
{
  RetortGraphCell *self = RETORT_GRAPH_CELL (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    *minimum = *natural = (int) (MAX (self->n_lanes, 1) * LANE_WIDTH);
  else
    *minimum = *natural = MIN_HEIGHT;
}

static void
retort_graph_cell_css_changed (GtkWidget         *widget,
                               GtkCssStyleChange *change)
{
  RetortGraphCell *self = RETORT_GRAPH_CELL (widget);

  GTK_WIDGET_CLASS (retort_graph_cell_parent_class)->css_changed (widget, change);

  /* Called for every state change of the row too (hover, selection); only a
   * new stylesheet (dark mode) changes the colours. */
  if (read_colors (self))
    gtk_widget_queue_draw (widget);
}

static void
retort_graph_cell_direction_changed (GtkWidget        *widget,
                                     GtkTextDirection  previous)
{
  gtk_widget_queue_draw (widget);
}

static void
retort_graph_cell_finalize (GObject *object)
{
  RetortGraphCell *self = RETORT_GRAPH_CELL (object);

  g_array_unref (self->incoming);
  g_array_unref (self->outgoing);
  g_array_unref (self->passing);
  g_free (self->description);

  G_OBJECT_CLASS (retort_graph_cell_parent_class)->finalize (object);
}

static void
retort_graph_cell_class_init (RetortGraphCellClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = retort_graph_cell_finalize;

  widget_class->snapshot = retort_graph_cell_snapshot;
  widget_class->measure = retort_graph_cell_measure;
  widget_class->css_changed = retort_graph_cell_css_changed;
  widget_class->direction_changed = retort_graph_cell_direction_changed;

  gtk_widget_class_set_css_name (widget_class, "graphcell");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
retort_graph_cell_init (RetortGraphCell *self)
{
  self->incoming = g_array_sized_new (FALSE, FALSE, sizeof (guint), 2);
  self->outgoing = g_array_sized_new (FALSE, FALSE, sizeof (guint), 2);
  self->passing = g_array_sized_new (FALSE, FALSE, sizeof (guint), 4);
  self->n_lanes = 1;
  memcpy (self->colors, fallback_colors, sizeof self->colors);
  gtk_widget_set_can_target (GTK_WIDGET (self), FALSE);
}

GtkWidget *
retort_graph_cell_new (void)
{
  return g_object_new (RETORT_TYPE_GRAPH_CELL, NULL);
}

void
retort_graph_cell_set_row (RetortGraphCell         *self,
                           const RetortTimelineRow *row,
                           guint                    n_lanes)
{
  guint old_n_lanes;

  g_return_if_fail (RETORT_IS_GRAPH_CELL (self));

  old_n_lanes = self->n_lanes;
  self->has_row = row != NULL;
  self->lane = row != NULL ? row->lane : 0;
  self->n_parents = row != NULL ? retort_revision_get_n_down_revisions (row->revision) : 0;
  self->n_children = 0;
  copy_lanes (self->incoming, row != NULL ? row->incoming : NULL);
  copy_lanes (self->outgoing, row != NULL ? row->outgoing : NULL);
  copy_lanes (self->passing, row != NULL ? row->passing : NULL);
  /* a row is never wider than the graph, but the caller's n_lanes may be stale */
  self->n_lanes = MAX (MAX (n_lanes, 1), row != NULL ? row->width : 1);

  if (self->n_lanes != old_n_lanes)
    gtk_widget_queue_resize (GTK_WIDGET (self));
  gtk_widget_queue_draw (GTK_WIDGET (self));
  update_description (self);
}

void
retort_graph_cell_set_n_children (RetortGraphCell *self,
                                  guint            n_children)
{
  g_return_if_fail (RETORT_IS_GRAPH_CELL (self));

  if (self->n_children == n_children)
    return;
  self->n_children = n_children;
  update_description (self);
}

void
retort_graph_cell_set_node_style (RetortGraphCell      *self,
                                  RetortGraphNodeStyle  style)
{
  g_return_if_fail (RETORT_IS_GRAPH_CELL (self));

  if (self->node_style == style)
    return;
  self->node_style = style;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  update_description (self);
}

RetortGraphNodeStyle
retort_graph_cell_get_node_style (RetortGraphCell *self)
{
  g_return_val_if_fail (RETORT_IS_GRAPH_CELL (self), RETORT_GRAPH_NODE_NONE);
  return self->node_style;
}

guint
retort_graph_cell_get_lane (RetortGraphCell *self)
{
  g_return_val_if_fail (RETORT_IS_GRAPH_CELL (self), 0);
  return self->lane;
}

guint
retort_graph_cell_get_n_lanes (RetortGraphCell *self)
{
  g_return_val_if_fail (RETORT_IS_GRAPH_CELL (self), 0);
  return self->n_lanes;
}

static const guint *
lanes_of (GArray *lanes,
          guint  *n_lanes)
{
  if (n_lanes != NULL)
    *n_lanes = lanes->len;
  return (const guint *) (gpointer) lanes->data;
}

const guint *
retort_graph_cell_get_incoming (RetortGraphCell *self,
                                guint           *n_lanes)
{
  g_return_val_if_fail (RETORT_IS_GRAPH_CELL (self), NULL);
  return lanes_of (self->incoming, n_lanes);
}

const guint *
retort_graph_cell_get_outgoing (RetortGraphCell *self,
                                guint           *n_lanes)
{
  g_return_val_if_fail (RETORT_IS_GRAPH_CELL (self), NULL);
  return lanes_of (self->outgoing, n_lanes);
}

const guint *
retort_graph_cell_get_passing (RetortGraphCell *self,
                               guint           *n_lanes)
{
  g_return_val_if_fail (RETORT_IS_GRAPH_CELL (self), NULL);
  return lanes_of (self->passing, n_lanes);
}

const char *
retort_graph_cell_get_description (RetortGraphCell *self)
{
  g_return_val_if_fail (RETORT_IS_GRAPH_CELL (self), NULL);
  return self->description;
}

void
retort_graph_cell_get_lane_color (RetortGraphCell *self,
                                  guint            lane,
                                  GdkRGBA         *color)
{
  g_return_if_fail (RETORT_IS_GRAPH_CELL (self));
  g_return_if_fail (color != NULL);
  *color = *lane_color (self, lane);
}
