/* retort-environments-view.c — revisions down, the project's databases across
 *
 * Each cell says whether one database has one revision: ★ it is at it,
 * ✓ it has it, · it does not yet. Above the table, one line per step of
 * promotion answers "what does production lack that staging has?".
 *
 * The table is built for thousands of revisions and dozens of databases.
 * A GtkListView recycles its rows (about two hundred exist, whatever the
 * project's size), and each row is one drawn widget, RetortEnvironmentsRow:
 * a GtkColumnView would make a widget per cell, thousands of them, on the
 * first show. A row's size comes from the fonts alone and its text is laid
 * out when it is first drawn, so the rows kept off screen cost little; its
 * cells ask each profile with an O(1) lookup as they are drawn.
 * RetortEnvironmentsTable puts the header over the list and scrolls it
 * sideways with it, as GtkColumnView does. Tooltips are made when asked
 * for; each row tells screen readers its revision and all of its cells.
 *
 * Nothing is built or refreshed while the view is hidden (the timeline is
 * the window's first view): the rows are made on the first show, and what
 * changed meanwhile is redone once when it is shown again. The first show
 * is spread over a few frames, so it stays well under a frame budget of
 * 50 ms with 5,000 revisions and 20 databases: the first frame has the
 * rows and summary lines that fit on screen, the frames after it the rest
 * (the list's rows until it has made all it keeps, then every revision;
 * the summary's lines below its fold).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "retort-environments-view"

#include "config.h"

#include <string.h>

#include <adwaita.h>
#include <glib/gi18n.h>

#include "retort-environments-view.h"
#include "retort-profile.h"

/* ids named in a "lacks" line before it says "and N more" */
#define MAX_LISTED_IDS 5
/* GTK 4.8's list view makes and binds about two hundred rows as soon as it
 * has a model; given FILL_STEP more revisions per frame, it makes them a
 * screenful at a time, then it is given all of them */
#define FILL_STEP  60
#define FILL_LIMIT 240
/* summary lines made in the first frame (its scroller shows at most
 * 220 px, eight or nine lines: enough to fill it, so the table below does
 * not move when the rest come), then per frame once they are compared */
#define SUMMARY_FIRST_LINES 10
#define SUMMARY_STEP        5
/* a column is as wide as its title, within these bounds */
#define COLUMN_PADDING   12
#define COLUMN_MIN_WIDTH 40
#define COLUMN_MAX_WIDTH 160
/* the tier's colour under a column's title */
#define TIER_BAR_HEIGHT  3
/* a row: the space before the id, between its parts, above and below */
#define ROW_INDENT       12
#define ROW_SPACING      12
#define ROW_PADDING      2
#define HEADER_PADDING   6

/* --- cells ----------------------------------------------------------------- */

typedef enum {
  CELL_UNKNOWN,
  CELL_PENDING,
  CELL_APPLIED,
  CELL_CURRENT,
  N_CELL_STATES
} CellState;

static const char * const cell_glyphs[N_CELL_STATES] = { "?", "·", "✓", "★" };

static CellState
cell_state (RetortProfile  *profile,
            RetortRevision *revision)
{
  if (retort_profile_get_rows (profile) == NULL)
    return CELL_UNKNOWN;
  if (retort_profile_is_at (profile, revision))
    return CELL_CURRENT;
  if (retort_profile_has_applied (profile, revision))
    return CELL_APPLIED;
  return CELL_PENDING;
}

/* what a cell says in its tooltip and to screen readers */
static char *
describe_cell (RetortProfile *profile,
               CellState      state)
{
  const char *name = retort_profile_get_name (profile);

  switch (state)
    {
    case CELL_CURRENT:
      /* Translators: %s is a database profile's name */
      return g_strdup_printf (_("%s is at this revision"), name);

    case CELL_APPLIED:
      /* Translators: %s is a database profile's name */
      return g_strdup_printf (_("%s has this revision"), name);

    case CELL_PENDING:
      /* Translators: %s is a database profile's name */
      return g_strdup_printf (_("%s does not have this revision yet"), name);

    case CELL_UNKNOWN:
    case N_CELL_STATES:
    default:
      /* Translators: a database profile's name, then why its version is unknown */
      return g_strdup_printf (_("%s: %s"), name, retort_profile_get_status_message (profile));
    }
}

/* --- the columns ------------------------------------------------------------ */

/* The table's geometry and what it is drawn with, shared by its header and
 * every row: the databases as columns (who, how wide, their titles), the
 * fonts' sizes, the glyphs and the colours. The view owns it and updates
 * it when the databases or the style change; the rows hold a reference. */
typedef struct
{
  GPtrArray   *profiles;                /* RetortProfile, in the sidebar's order */
  GPtrArray   *titles;                  /* PangoLayout, one per profile */
  GArray      *widths;                  /* int, one per profile */
  GPtrArray   *descriptions;            /* char *, N_CELL_STATES per profile: describe_cell () */
  int          width;                   /* of all the profile columns */
  int          title_height;
  PangoLayout *revision_title;
  PangoLayout *glyphs[N_CELL_STATES];
  int          id_width;                /* eight characters of the monospace font */
  int          char_width;              /* an average one of the text font */
  int          line_height;
  GdkRGBA      text_colour;
  GdkRGBA      dim_colour;
  GdkRGBA      glyph_colours[N_CELL_STATES];
  GdkRGBA      tier_colours[RETORT_TIER_OTHER + 1];
  GdkRGBA      separator_colour;
} Columns;

static void
columns_clear (Columns *columns)
{
  g_clear_pointer (&columns->profiles, g_ptr_array_unref);
  g_clear_pointer (&columns->titles, g_ptr_array_unref);
  g_clear_pointer (&columns->widths, g_array_unref);
  g_clear_pointer (&columns->descriptions, g_ptr_array_unref);
  g_clear_object (&columns->revision_title);
  for (guint i = 0; i < N_CELL_STATES; i++)
    g_clear_object (&columns->glyphs[i]);
}

static Columns *
columns_new (void)
{
  Columns *columns = g_rc_box_new0 (Columns);

  columns->profiles = g_ptr_array_new_with_free_func (g_object_unref);
  columns->titles = g_ptr_array_new_with_free_func (g_object_unref);
  columns->widths = g_array_new (FALSE, TRUE, sizeof (int));
  columns->descriptions = g_ptr_array_new_with_free_func (g_free);
  return columns;
}

static Columns *
columns_ref (Columns *columns)
{
  return g_rc_box_acquire (columns);
}

static void
columns_unref (Columns *columns)
{
  g_rc_box_release_full (columns, (GDestroyNotify) columns_clear);
}

static int
column_width (Columns *columns,
              guint    index)
{
  return g_array_index (columns->widths, int, index);
}

static RetortProfile *
column_profile (Columns *columns,
                guint    index)
{
  return g_ptr_array_index (columns->profiles, index);
}

/* made once per refresh rather than once per row bound */
static const char *
column_description (Columns   *columns,
                    guint      index,
                    CellState  state)
{
  return g_ptr_array_index (columns->descriptions, index * N_CELL_STATES + state);
}

/* which profile column x (from the columns' start) is in, or -1 */
static int
column_at (Columns *columns,
           int      x,
           int     *start)
{
  *start = 0;
  for (guint i = 0; i < columns->widths->len && x >= 0; i++)
    {
      if (x < *start + column_width (columns, i))
        return (int) i;
      *start += column_width (columns, i);
    }
  return -1;
}

static PangoLayout *
styled_layout (GtkWidget   *widget,
               const char  *text,
               PangoWeight  weight,
               const char  *family)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (widget, text);
  PangoAttrList *attrs = pango_attr_list_new ();

  if (weight != PANGO_WEIGHT_NORMAL)
    pango_attr_list_insert (attrs, pango_attr_weight_new (weight));
  if (family != NULL)
    pango_attr_list_insert (attrs, pango_attr_family_new (family));
  pango_layout_set_attributes (layout, attrs);
  pango_attr_list_unref (attrs);
  return layout;
}

static void
lookup_colour (GtkStyleContext *context,
               const char      *name,
               const GdkRGBA   *fallback,
               GdkRGBA         *colour)
{
  if (!gtk_style_context_lookup_color (context, name, colour))
    *colour = *fallback;
}

static GdkRGBA
faded (const GdkRGBA *colour,
       float          alpha)
{
  GdkRGBA result = *colour;

  result.alpha *= alpha;
  return result;
}

/* Reads the profiles, and the fonts and colours of widget (the view).
 * TRUE if anything that sizes the rows changed. */
static gboolean
columns_update (Columns       *columns,
                GtkWidget     *widget,
                RetortProject *project)
{
  GListModel *profiles = project != NULL ? retort_project_get_profiles (project) : NULL;
  guint n = profiles != NULL ? g_list_model_get_n_items (profiles) : 0;
  GtkStyleContext *context = gtk_widget_get_style_context (widget);
  g_autoptr(GArray) old_widths = g_array_copy (columns->widths);
  int old_sizes[] = { columns->id_width, columns->char_width, columns->line_height, columns->title_height };
  g_autoptr(PangoLayout) id_sample = styled_layout (widget, "00000000", PANGO_WEIGHT_NORMAL, "monospace");
  g_autoptr(PangoLayout) text_sample = gtk_widget_create_pango_layout (widget, "abcdefghijklmnopqrstuvwxyz");
  int text_width;

  g_ptr_array_set_size (columns->profiles, 0);
  g_ptr_array_set_size (columns->titles, 0);
  g_array_set_size (columns->widths, 0);
  g_ptr_array_set_size (columns->descriptions, 0);
  columns->width = 0;

  pango_layout_get_pixel_size (id_sample, &columns->id_width, NULL);
  pango_layout_get_pixel_size (text_sample, &text_width, &columns->line_height);
  columns->char_width = (text_width + 25) / 26;
  for (guint i = 0; i < N_CELL_STATES; i++)
    {
      g_clear_object (&columns->glyphs[i]);
      columns->glyphs[i] = styled_layout (widget, cell_glyphs[i], PANGO_WEIGHT_BOLD, NULL);
    }
  g_clear_object (&columns->revision_title);
  columns->revision_title = styled_layout (widget, _("Revision"), PANGO_WEIGHT_BOLD, NULL);
  pango_layout_get_pixel_size (columns->revision_title, NULL, &columns->title_height);

  for (guint i = 0; i < n; i++)
    {
      RetortProfile *profile = g_list_model_get_item (profiles, i);
      PangoLayout *title = styled_layout (widget, retort_profile_get_name (profile), PANGO_WEIGHT_BOLD, NULL);
      int title_width, width;

      pango_layout_get_pixel_size (title, &title_width, NULL);
      width = CLAMP (title_width + 2 * COLUMN_PADDING, COLUMN_MIN_WIDTH, COLUMN_MAX_WIDTH);
      if (title_width + 2 * COLUMN_PADDING > width)
        {
          pango_layout_set_width (title, (width - 2 * COLUMN_PADDING) * PANGO_SCALE);
          pango_layout_set_ellipsize (title, PANGO_ELLIPSIZE_END);
        }
      for (CellState state = 0; state < N_CELL_STATES; state++)
        g_ptr_array_add (columns->descriptions, describe_cell (profile, state));
      g_ptr_array_add (columns->profiles, profile);
      g_ptr_array_add (columns->titles, title);
      g_array_append_val (columns->widths, width);
      columns->width += width;
    }

  /* libadwaita's named colours, so the dark style brings its own */
  gtk_style_context_get_color (context, &columns->text_colour);
  columns->dim_colour = faded (&columns->text_colour, 0.55f);
  lookup_colour (context, "accent_color", &columns->text_colour, &columns->glyph_colours[CELL_CURRENT]);
  lookup_colour (context, "success_color", &columns->text_colour, &columns->glyph_colours[CELL_APPLIED]);
  columns->glyph_colours[CELL_PENDING] = columns->dim_colour;
  columns->glyph_colours[CELL_UNKNOWN] = columns->dim_colour;
  lookup_colour (context, "success_color", &columns->text_colour, &columns->tier_colours[RETORT_TIER_DEVELOPMENT]);
  lookup_colour (context, "warning_color", &columns->text_colour, &columns->tier_colours[RETORT_TIER_STAGING]);
  lookup_colour (context, "error_color", &columns->text_colour, &columns->tier_colours[RETORT_TIER_PRODUCTION]);
  columns->tier_colours[RETORT_TIER_OTHER] = faded (&columns->text_colour, 0.35f);
  columns->separator_colour = faded (&columns->text_colour, 0.15f);

  return old_widths->len != columns->widths->len ||
         (columns->widths->len > 0 &&
          memcmp (old_widths->data, columns->widths->data, columns->widths->len * sizeof (int)) != 0) ||
         old_sizes[0] != columns->id_width || old_sizes[1] != columns->char_width ||
         old_sizes[2] != columns->line_height || old_sizes[3] != columns->title_height;
}

/* --- one row, drawn -------------------------------------------------------------- */

#define RETORT_TYPE_ENVIRONMENTS_ROW (retort_environments_row_get_type ())
G_DECLARE_FINAL_TYPE (RetortEnvironmentsRow, retort_environments_row, RETORT, ENVIRONMENTS_ROW, GtkWidget)

/* A revision's short id and message, then its cells; or, as the header,
 * "Revision" and the databases' titles over their tiers' colours. */
struct _RetortEnvironmentsRow
{
  GtkWidget       parent_instance;

  Columns        *columns;
  gboolean        header;
  RetortRevision *revision;
  /* made when first drawn: rows that are only bound cost no text layout */
  PangoLayout    *id_layout;
  PangoLayout    *message_layout;
  char           *accessible_label;  /* as last told, to tell only changes */
};

G_DEFINE_FINAL_TYPE (RetortEnvironmentsRow, retort_environments_row, GTK_TYPE_WIDGET)

enum {
  ROW_PROP_0,
  ROW_PROP_TEXT,
  N_ROW_PROPS
};

static GParamSpec *row_properties[N_ROW_PROPS];

/* where the profile columns start */
static int
row_columns_x (RetortEnvironmentsRow *self)
{
  return gtk_widget_get_width (GTK_WIDGET (self)) - self->columns->width;
}

/* x from the left edge, mirrored for right-to-left text */
static int
row_mirror (RetortEnvironmentsRow *self,
            int                    x,
            int                    width)
{
  if (gtk_widget_get_direction (GTK_WIDGET (self)) == GTK_TEXT_DIR_RTL)
    return gtk_widget_get_width (GTK_WIDGET (self)) - x - width;
  return x;
}

/* what a row says, as text, for tests: "3c4d5e6f ★✓·"; the header's
 * titles joined by ", " */
static char *
retort_environments_row_get_text (RetortEnvironmentsRow *self)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *short_id = NULL;

  if (!self->header && self->revision == NULL)
    return NULL;
  if (!self->header)
    {
      short_id = retort_project_short_id (retort_revision_get_id (self->revision));
      g_string_append_printf (text, "%s ", short_id);
    }
  for (guint i = 0; i < self->columns->profiles->len; i++)
    {
      RetortProfile *profile = column_profile (self->columns, i);

      if (self->header)
        g_string_append_printf (text, "%s%s", i > 0 ? ", " : "", retort_profile_get_name (profile));
      else
        g_string_append (text, cell_glyphs[cell_state (profile, self->revision)]);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* A row tells screen readers its revision and a sentence per database; the
 * header, the databases and their tiers. Told again only when it changed. */
static void
retort_environments_row_update_accessible (RetortEnvironmentsRow *self)
{
  g_autoptr(GString) label = g_string_new (NULL);

  if (!self->header && self->revision == NULL)
    return;
  if (!self->header)
    {
      g_autofree char *short_id = retort_project_short_id (retort_revision_get_id (self->revision));
      g_autofree char *message = retort_text_one_line (retort_revision_get_doc (self->revision));

      g_string_append_printf (label, "%s %s:", short_id, message);
    }
  for (guint i = 0; i < self->columns->profiles->len; i++)
    {
      RetortProfile *profile = column_profile (self->columns, i);
      if (i > 0)
        g_string_append (label, self->header ? ", " : "; ");
      else if (label->len > 0)
        g_string_append_c (label, ' ');
      if (self->header)
        /* Translators: a column of the environments table: a database's name, then its tier */
        g_string_append_printf (label, C_("environments column", "%s (%s)"),
                                retort_profile_get_name (profile), retort_profile_get_tier_label (profile));
      else
        g_string_append (label, column_description (self->columns, i, cell_state (profile, self->revision)));
    }
  if (g_strcmp0 (label->str, self->accessible_label) == 0)
    return;
  g_free (self->accessible_label);
  self->accessible_label = g_strdup (label->str);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, label->str, -1);
}

/* Sizes come from the columns alone, never from the revision's text: a
 * list measures every row it keeps, not only the ones on screen. */
static void
retort_environments_row_measure (GtkWidget      *widget,
                                 GtkOrientation  orientation,
                                 int             for_size,
                                 int            *minimum,
                                 int            *natural,
                                 int            *minimum_baseline,
                                 int            *natural_baseline)
{
  RetortEnvironmentsRow *self = RETORT_ENVIRONMENTS_ROW (widget);
  Columns *columns = self->columns;

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      /* the message: 16 characters at least, 48 at most */
      *minimum = ROW_INDENT + columns->id_width + ROW_SPACING + 16 * columns->char_width + ROW_SPACING + columns->width;
      *natural = *minimum + 32 * columns->char_width;
    }
  else if (self->header)
    *minimum = *natural = columns->title_height + 2 * HEADER_PADDING + TIER_BAR_HEIGHT;
  else
    *minimum = *natural = columns->line_height + 2 * ROW_PADDING;
}

static void
append_layout (GtkSnapshot   *snapshot,
               PangoLayout   *layout,
               const GdkRGBA *colour,
               int            x,
               int            y)
{
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x, y));
  gtk_snapshot_append_layout (snapshot, layout, colour);
  gtk_snapshot_restore (snapshot);
}

/* layout centred in the column [x, x + width) of a band height high */
static void
append_centred (GtkSnapshot   *snapshot,
                PangoLayout   *layout,
                const GdkRGBA *colour,
                int            x,
                int            width,
                int            height)
{
  int layout_width, layout_height;

  pango_layout_get_pixel_size (layout, &layout_width, &layout_height);
  append_layout (snapshot, layout, colour, x + (width - layout_width) / 2, (height - layout_height) / 2);
}

/* left-aligned in [x, x + width), cut short with an ellipsis */
static void
append_text (RetortEnvironmentsRow *self,
             GtkSnapshot           *snapshot,
             PangoLayout           *layout,
             const GdkRGBA         *colour,
             int                    x,
             int                    width,
             int                    height)
{
  int layout_width, layout_height;

  if (width <= 0)
    return;
  pango_layout_set_width (layout, width * PANGO_SCALE);
  pango_layout_get_pixel_size (layout, &layout_width, &layout_height);
  append_layout (snapshot, layout, colour, row_mirror (self, x, layout_width), (height - layout_height) / 2);
}

static void
retort_environments_row_snapshot (GtkWidget   *widget,
                                  GtkSnapshot *snapshot)
{
  RetortEnvironmentsRow *self = RETORT_ENVIRONMENTS_ROW (widget);
  Columns *columns = self->columns;
  int height = gtk_widget_get_height (widget);
  int text_height = self->header ? height - TIER_BAR_HEIGHT : height;
  int columns_x = row_columns_x (self);
  int x = columns_x;

  if (self->header)
    append_text (self, snapshot, columns->revision_title, &columns->dim_colour,
                 ROW_INDENT, columns_x - ROW_INDENT - ROW_SPACING, text_height);
  else if (self->revision != NULL)
    {
      int message_x = ROW_INDENT + columns->id_width + ROW_SPACING;

      if (self->id_layout == NULL)
        {
          g_autofree char *short_id = retort_project_short_id (retort_revision_get_id (self->revision));

          self->id_layout = styled_layout (widget, short_id, PANGO_WEIGHT_NORMAL, "monospace");
          pango_layout_set_ellipsize (self->id_layout, PANGO_ELLIPSIZE_MIDDLE);
        }
      if (self->message_layout == NULL)
        {
          g_autofree char *message = retort_text_one_line (retort_revision_get_doc (self->revision));

          self->message_layout = gtk_widget_create_pango_layout (widget, message);
          pango_layout_set_ellipsize (self->message_layout, PANGO_ELLIPSIZE_END);
          pango_layout_set_single_paragraph_mode (self->message_layout, TRUE);
        }
      append_text (self, snapshot, self->id_layout, &columns->dim_colour,
                   ROW_INDENT, columns->id_width, text_height);
      append_text (self, snapshot, self->message_layout, &columns->text_colour,
                   message_x, MIN (columns_x - ROW_SPACING - message_x, 48 * columns->char_width), text_height);
    }
  else
    return;

  for (guint i = 0; i < columns->profiles->len; i++)
    {
      RetortProfile *profile = column_profile (columns, i);
      int width = column_width (columns, i);
      int left = row_mirror (self, x, width);

      /* a rule before each column, as GtkColumnView's separators */
      gtk_snapshot_append_color (snapshot, &columns->separator_colour,
                                 &GRAPHENE_RECT_INIT (row_mirror (self, x, 1), 0, 1, height));
      if (self->header)
        {
          RetortTier tier = MIN ((guint) retort_profile_get_tier (profile), (guint) RETORT_TIER_OTHER);

          append_centred (snapshot, g_ptr_array_index (columns->titles, i), &columns->dim_colour,
                          left, width, text_height);
          gtk_snapshot_append_color (snapshot, &columns->tier_colours[tier],
                                     &GRAPHENE_RECT_INIT (left, height - TIER_BAR_HEIGHT, width, TIER_BAR_HEIGHT));
        }
      else
        {
          CellState state = cell_state (profile, self->revision);

          append_centred (snapshot, columns->glyphs[state], &columns->glyph_colours[state], left, width, height);
        }
      x += width;
    }
}

/* The tooltip of what is under the pointer: the full id, the whole message
 * when it is cut short, a cell's standing. The area makes GTK ask again
 * when the pointer moves on to another part. */
static gboolean
retort_environments_row_query_tooltip (GtkWidget  *widget,
                                       int         x,
                                       int         y,
                                       gboolean    keyboard_mode,
                                       GtkTooltip *tooltip)
{
  RetortEnvironmentsRow *self = RETORT_ENVIRONMENTS_ROW (widget);
  Columns *columns = self->columns;
  int columns_x = row_columns_x (self);
  int height = gtk_widget_get_height (widget);
  int message_x = ROW_INDENT + columns->id_width + ROW_SPACING;
  g_autofree char *text = NULL;
  int column, start;

  if (keyboard_mode || (!self->header && self->revision == NULL))
    return FALSE;
  x = row_mirror (self, x, 0);

  column = column_at (columns, x - columns_x, &start);
  if (column >= 0)
    {
      RetortProfile *profile = column_profile (columns, (guint) column);
      int width = column_width (columns, (guint) column);

      if (self->header)
        /* Translators: a database profile's name, then its standing */
        text = g_strdup_printf (_("%s: %s"), retort_profile_get_name (profile),
                                retort_profile_get_status_message (profile));
      else
        text = g_strdup (column_description (columns, (guint) column, cell_state (profile, self->revision)));
      gtk_tooltip_set_tip_area (tooltip, &(GdkRectangle) { row_mirror (self, columns_x + start, width), 0, width, height });
    }
  else if (self->header)
    return FALSE;
  else if (x >= ROW_INDENT && x < ROW_INDENT + columns->id_width)
    {
      text = g_strdup (retort_revision_get_id (self->revision));
      gtk_tooltip_set_tip_area (tooltip, &(GdkRectangle) { row_mirror (self, ROW_INDENT, columns->id_width), 0,
                                                           columns->id_width, height });
    }
  else if (x >= message_x && x < columns_x && self->message_layout != NULL &&
           pango_layout_is_ellipsized (self->message_layout))
    {
      text = g_strdup (pango_layout_get_text (self->message_layout));
      gtk_tooltip_set_tip_area (tooltip, &(GdkRectangle) { row_mirror (self, message_x, columns_x - message_x), 0,
                                                           columns_x - message_x, height });
    }
  else
    return FALSE;
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

static void
retort_environments_row_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  RetortEnvironmentsRow *self = RETORT_ENVIRONMENTS_ROW (object);

  switch (prop_id)
    {
    case ROW_PROP_TEXT:
      g_value_take_string (value, retort_environments_row_get_text (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
retort_environments_row_finalize (GObject *object)
{
  RetortEnvironmentsRow *self = RETORT_ENVIRONMENTS_ROW (object);

  g_clear_object (&self->revision);
  g_clear_object (&self->id_layout);
  g_clear_object (&self->message_layout);
  g_clear_pointer (&self->columns, columns_unref);
  g_clear_pointer (&self->accessible_label, g_free);

  G_OBJECT_CLASS (retort_environments_row_parent_class)->finalize (object);
}

static void
retort_environments_row_class_init (RetortEnvironmentsRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = retort_environments_row_finalize;
  object_class->get_property = retort_environments_row_get_property;
  widget_class->measure = retort_environments_row_measure;
  widget_class->snapshot = retort_environments_row_snapshot;
  widget_class->query_tooltip = retort_environments_row_query_tooltip;

  row_properties[ROW_PROP_TEXT] =
    g_param_spec_string ("text", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_ROW_PROPS, row_properties);

  gtk_widget_class_set_css_name (widget_class, "environmentsrow");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
retort_environments_row_init (RetortEnvironmentsRow *self)
{
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
}

static GtkWidget *
retort_environments_row_new (Columns  *columns,
                             gboolean  header)
{
  RetortEnvironmentsRow *self = g_object_new (RETORT_TYPE_ENVIRONMENTS_ROW, NULL);

  self->columns = columns_ref (columns);
  self->header = header;
  if (header)
    gtk_widget_add_css_class (GTK_WIDGET (self), "header");
  return GTK_WIDGET (self);
}

static void
retort_environments_row_set_revision (RetortEnvironmentsRow *self,
                                      RetortRevision        *revision)
{
  if (g_set_object (&self->revision, revision))
    {
      g_clear_object (&self->id_layout);
      g_clear_object (&self->message_layout);
      gtk_widget_queue_draw (GTK_WIDGET (self));
    }
  retort_environments_row_update_accessible (self);
}

/* The statuses changed, or the columns or the style: resized if the sizes
 * did. */
static void
retort_environments_row_refresh (RetortEnvironmentsRow *self,
                                 gboolean               resized)
{
  if (resized)
    {
      g_clear_object (&self->id_layout);
      g_clear_object (&self->message_layout);
      gtk_widget_queue_resize (GTK_WIDGET (self));
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
  retort_environments_row_update_accessible (self);
}

/* --- the table: titles over the rows ---------------------------------------- */

#define RETORT_TYPE_ENVIRONMENTS_TABLE (retort_environments_table_get_type ())
G_DECLARE_FINAL_TYPE (RetortEnvironmentsTable, retort_environments_table, RETORT, ENVIRONMENTS_TABLE, GtkWidget)

/* A header over a GtkListView, in a GtkScrolledWindow: the list scrolls
 * up and down under the header; both scroll sideways together. */
struct _RetortEnvironmentsTable
{
  GtkWidget            parent_instance;

  GtkWidget           *header;
  GtkListView         *list;
  GtkAdjustment       *hadjustment;
  GtkScrollablePolicy  hscroll_policy;
};

enum {
  TABLE_PROP_0,
  TABLE_PROP_HADJUSTMENT,
  TABLE_PROP_VADJUSTMENT,
  TABLE_PROP_HSCROLL_POLICY,
  TABLE_PROP_VSCROLL_POLICY,
  N_TABLE_PROPS
};

G_DEFINE_FINAL_TYPE_WITH_CODE (RetortEnvironmentsTable, retort_environments_table, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (GTK_TYPE_SCROLLABLE, NULL))

static void
retort_environments_table_measure (GtkWidget      *widget,
                                   GtkOrientation  orientation,
                                   int             for_size,
                                   int            *minimum,
                                   int            *natural,
                                   int            *minimum_baseline,
                                   int            *natural_baseline)
{
  RetortEnvironmentsTable *self = RETORT_ENVIRONMENTS_TABLE (widget);
  int header_minimum, header_natural, list_minimum, list_natural;

  header_minimum = header_natural = 0;
  if (self->header != NULL)
    gtk_widget_measure (self->header, orientation, -1, &header_minimum, &header_natural, NULL, NULL);
  gtk_widget_measure (GTK_WIDGET (self->list), orientation, -1, &list_minimum, &list_natural, NULL, NULL);
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = MAX (header_minimum, list_minimum);
      *natural = MAX (header_natural, list_natural);
    }
  else
    {
      *minimum = header_minimum + list_minimum;
      *natural = header_natural + list_natural;
    }
}

static void
retort_environments_table_size_allocate (GtkWidget *widget,
                                         int        width,
                                         int        height,
                                         int        baseline)
{
  RetortEnvironmentsTable *self = RETORT_ENVIRONMENTS_TABLE (widget);
  int minimum, natural, full_width, header_height, x;

  /* as wide as the widest of header and rows, or the view if wider */
  retort_environments_table_measure (widget, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, &natural, NULL, NULL);
  full_width = MAX (width, self->hscroll_policy == GTK_SCROLL_MINIMUM ? minimum : natural);
  g_signal_handlers_block_matched (self->hadjustment, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, self);
  gtk_adjustment_configure (self->hadjustment,
                            CLAMP (gtk_adjustment_get_value (self->hadjustment), 0, full_width - width),
                            0, full_width, width * 0.1, width * 0.9, width);
  g_signal_handlers_unblock_matched (self->hadjustment, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, self);
  x = (int) gtk_adjustment_get_value (self->hadjustment);
  if (gtk_widget_get_direction (widget) == GTK_TEXT_DIR_RTL)
    x = full_width - width - x;

  header_height = 0;
  if (self->header != NULL)
    {
      gtk_widget_measure (self->header, GTK_ORIENTATION_VERTICAL, full_width, &header_height, NULL, NULL, NULL);
      header_height = MIN (header_height, height);
      gtk_widget_allocate (self->header, full_width, header_height, -1,
                           gsk_transform_translate (NULL, &GRAPHENE_POINT_INIT (-x, 0)));
    }
  gtk_widget_allocate (GTK_WIDGET (self->list), full_width, height - header_height, -1,
                       gsk_transform_translate (NULL, &GRAPHENE_POINT_INIT (-x, header_height)));
}

static void
hadjustment_value_changed_cb (RetortEnvironmentsTable *self)
{
  gtk_widget_queue_allocate (GTK_WIDGET (self));
}

static void
retort_environments_table_set_hadjustment (RetortEnvironmentsTable *self,
                                           GtkAdjustment           *adjustment)
{
  if (adjustment == NULL)
    adjustment = gtk_adjustment_new (0, 0, 0, 0, 0, 0);
  if (self->hadjustment == adjustment)
    return;
  if (self->hadjustment != NULL)
    g_signal_handlers_disconnect_by_data (self->hadjustment, self);
  g_set_object (&self->hadjustment, g_object_ref_sink (adjustment));
  g_object_unref (adjustment);
  g_signal_connect_swapped (adjustment, "value-changed", G_CALLBACK (hadjustment_value_changed_cb), self);
  gtk_widget_queue_allocate (GTK_WIDGET (self));
}

static void
retort_environments_table_get_property (GObject    *object,
                                        guint       prop_id,
                                        GValue     *value,
                                        GParamSpec *pspec)
{
  RetortEnvironmentsTable *self = RETORT_ENVIRONMENTS_TABLE (object);

  switch (prop_id)
    {
    case TABLE_PROP_HADJUSTMENT:
      g_value_set_object (value, self->hadjustment);
      break;

    case TABLE_PROP_VADJUSTMENT:
      g_value_set_object (value, self->list != NULL ? gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (self->list)) : NULL);
      break;

    case TABLE_PROP_HSCROLL_POLICY:
      g_value_set_enum (value, self->hscroll_policy);
      break;

    case TABLE_PROP_VSCROLL_POLICY:
      g_value_set_enum (value, self->list != NULL ? gtk_scrollable_get_vscroll_policy (GTK_SCROLLABLE (self->list))
                                                  : GTK_SCROLL_MINIMUM);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* up and down is the list's own scrolling (a scrolled window lets go of
 * its adjustments as it is disposed, after the list may be gone) */
static void
retort_environments_table_set_property (GObject      *object,
                                        guint         prop_id,
                                        const GValue *value,
                                        GParamSpec   *pspec)
{
  RetortEnvironmentsTable *self = RETORT_ENVIRONMENTS_TABLE (object);

  switch (prop_id)
    {
    case TABLE_PROP_HADJUSTMENT:
      retort_environments_table_set_hadjustment (self, g_value_get_object (value));
      break;

    case TABLE_PROP_VADJUSTMENT:
      if (self->list != NULL)
        gtk_scrollable_set_vadjustment (GTK_SCROLLABLE (self->list), g_value_get_object (value));
      break;

    case TABLE_PROP_HSCROLL_POLICY:
      if (self->hscroll_policy != (GtkScrollablePolicy) g_value_get_enum (value))
        {
          self->hscroll_policy = g_value_get_enum (value);
          gtk_widget_queue_resize (GTK_WIDGET (self));
          g_object_notify_by_pspec (object, pspec);
        }
      break;

    case TABLE_PROP_VSCROLL_POLICY:
      if (self->list != NULL)
        gtk_scrollable_set_vscroll_policy (GTK_SCROLLABLE (self->list), g_value_get_enum (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
retort_environments_table_dispose (GObject *object)
{
  RetortEnvironmentsTable *self = RETORT_ENVIRONMENTS_TABLE (object);

  g_clear_pointer (&self->header, gtk_widget_unparent);
  if (self->list != NULL)
    {
      gtk_widget_unparent (GTK_WIDGET (self->list));
      self->list = NULL;
    }
  if (self->hadjustment != NULL)
    g_signal_handlers_disconnect_by_data (self->hadjustment, self);
  g_clear_object (&self->hadjustment);

  G_OBJECT_CLASS (retort_environments_table_parent_class)->dispose (object);
}

static void
retort_environments_table_class_init (RetortEnvironmentsTableClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = retort_environments_table_dispose;
  object_class->get_property = retort_environments_table_get_property;
  object_class->set_property = retort_environments_table_set_property;
  widget_class->measure = retort_environments_table_measure;
  widget_class->size_allocate = retort_environments_table_size_allocate;

  g_object_class_override_property (object_class, TABLE_PROP_HADJUSTMENT, "hadjustment");
  g_object_class_override_property (object_class, TABLE_PROP_VADJUSTMENT, "vadjustment");
  g_object_class_override_property (object_class, TABLE_PROP_HSCROLL_POLICY, "hscroll-policy");
  g_object_class_override_property (object_class, TABLE_PROP_VSCROLL_POLICY, "vscroll-policy");

  gtk_widget_class_set_css_name (widget_class, "environmentstable");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
retort_environments_table_init (RetortEnvironmentsTable *self)
{
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);

  self->list = GTK_LIST_VIEW (gtk_list_view_new (NULL, NULL));
  gtk_widget_add_css_class (GTK_WIDGET (self->list), "environments");
  gtk_widget_set_parent (GTK_WIDGET (self->list), GTK_WIDGET (self));

  retort_environments_table_set_hadjustment (self, NULL);
}

static void
retort_environments_table_set_header (RetortEnvironmentsTable *self,
                                      GtkWidget               *header)
{
  g_clear_pointer (&self->header, gtk_widget_unparent);
  self->header = header;
  gtk_widget_insert_after (header, GTK_WIDGET (self), NULL);
}

/* --- the view ---------------------------------------------------------------- */

/* One line of the summary: a database, and how it compares with the one
 * before it in promotion order. Kept and relabelled from one update to
 * the next. */
typedef struct
{
  GtkWidget *row;
  GtkWidget *tier;
  GtkWidget *name;
  GtkWidget *status;
  GtkWidget *comparison;
} SummaryRow;

/* What a summary line says of its database and the one before it, kept
 * while the statuses stay the same: the lines made in later frames of a
 * first show need not walk the revisions again. */
typedef struct
{
  RetortProfile *profile;
  RetortProfile *previous;
  char          *markup;
  const char    *kind;
} ComparedLine;

static void
compared_line_clear (ComparedLine *line)
{
  g_clear_object (&line->profile);
  g_clear_object (&line->previous);
  g_clear_pointer (&line->markup, g_free);
}

struct _RetortEnvironmentsView
{
  GtkWidget                parent_instance;

  RetortProject           *project;
  Columns                 *columns;
  RetortEnvironmentsRow   *header_row;
  GHashTable              *bound_rows;      /* RetortEnvironmentsRow, bound now */
  GPtrArray               *summary_rows;    /* SummaryRow */

  GArray                  *compared;        /* ComparedLine, NULL until compared again */

  /* a first show, spread over its first frames (fill_tick_cb) */
  GtkSliceListModel       *filling;         /* the revisions the table has been given */
  guint                    fill_tick_id;
  gboolean                 fill_ticked;     /* the first of those frames was drawn */
  guint                    summary_limit;   /* lines the summary may have by now */
  gboolean                 summary_deferred; /* its lines are compared in the next frame */

  /* what changed while the view was hidden, redone when it is shown */
  gboolean                 model_pending;   /* the table has not been given its rows yet */
  gboolean                 cells_stale;
  gboolean                 summary_stale;
  guint                    summary_idle_id;

  /* template children */
  GtkStack                *stack;
  AdwStatusPage           *empty_page;
  GtkWidget               *add_button;
  GtkBox                  *summary_box;
  RetortEnvironmentsTable *table;
};

G_DEFINE_FINAL_TYPE (RetortEnvironmentsView, retort_environments_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_PROJECT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_ADD_PROFILE_REQUESTED,
  SIGNAL_REVISION_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static gboolean
is_shown (RetortEnvironmentsView *self)
{
  return gtk_widget_get_mapped (GTK_WIDGET (self));
}

/* --- the rows --------------------------------------------------------------- */

/* the whole text, when the label had to cut it short */
static gboolean
ellipsized_tooltip_cb (GtkWidget  *label,
                       int         x,
                       int         y,
                       gboolean    keyboard_mode,
                       GtkTooltip *tooltip,
                       gpointer    user_data)
{
  if (!pango_layout_is_ellipsized (gtk_label_get_layout (GTK_LABEL (label))))
    return FALSE;
  gtk_tooltip_set_text (tooltip, gtk_label_get_text (GTK_LABEL (label)));
  return TRUE;
}

static void
row_setup_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              RetortEnvironmentsView   *self)
{
  gtk_list_item_set_child (item, retort_environments_row_new (self->columns, FALSE));
}

static void
row_bind_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             RetortEnvironmentsView   *self)
{
  RetortEnvironmentsRow *row = RETORT_ENVIRONMENTS_ROW (gtk_list_item_get_child (item));

  retort_environments_row_set_revision (row, gtk_list_item_get_item (item));
  g_hash_table_add (self->bound_rows, row);
}

static void
row_unbind_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               RetortEnvironmentsView   *self)
{
  RetortEnvironmentsRow *row = RETORT_ENVIRONMENTS_ROW (gtk_list_item_get_child (item));

  g_hash_table_remove (self->bound_rows, row);
  retort_environments_row_set_revision (row, NULL);
}

static void
row_teardown_cb (GtkSignalListItemFactory *factory,
                 GtkListItem              *item,
                 RetortEnvironmentsView   *self)
{
  g_hash_table_remove (self->bound_rows, gtk_list_item_get_child (item));
}

/* The databases, their statuses, names, fonts or colours changed: the
 * header and the rows on screen draw again, and measure again if a
 * column's width changed. */
static void
refresh_cells (RetortEnvironmentsView *self)
{
  gboolean resized = columns_update (self->columns, GTK_WIDGET (self), self->project);
  GHashTableIter iter;
  gpointer row;

  self->cells_stale = FALSE;
  retort_environments_row_refresh (self->header_row, resized);
  g_hash_table_iter_init (&iter, self->bound_rows);
  while (g_hash_table_iter_next (&iter, &row, NULL))
    retort_environments_row_refresh (row, resized);
}

static void update_summary (RetortEnvironmentsView *self);

/* A hidden view does not fill: the frames are the timeline's. */
static void
pause_fill (RetortEnvironmentsView *self)
{
  if (self->fill_tick_id != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self->table->list), self->fill_tick_id);
      self->fill_tick_id = 0;
    }
}

static void
finish_fill (RetortEnvironmentsView *self)
{
  pause_fill (self);
  if (self->filling != NULL && gtk_slice_list_model_get_size (self->filling) != G_MAXUINT)
    gtk_slice_list_model_set_size (self->filling, G_MAXUINT);
  self->summary_limit = G_MAXUINT;
  self->summary_deferred = FALSE;
}

/* Once a frame, after the first one: the summary compared (a walk over
 * every revision), then SUMMARY_STEP more of its lines a frame; FILL_STEP
 * more revisions for the table until it has made its rows, then all. */
static gboolean
fill_tick_cb (GtkWidget     *widget,
              GdkFrameClock *clock,
              gpointer       user_data)
{
  RetortEnvironmentsView *self = user_data;
  guint size = gtk_slice_list_model_get_size (self->filling);
  guint n_revisions = g_list_model_get_n_items (gtk_slice_list_model_get_model (self->filling));

  /* the first frame's tick comes before that frame's layout */
  if (!self->fill_ticked)
    {
      self->fill_ticked = TRUE;
      return G_SOURCE_CONTINUE;
    }
  if (self->summary_deferred)
    {
      self->summary_deferred = FALSE;
      update_summary (self);
    }
  else if (self->summary_limit != G_MAXUINT)
    {
      guint n_profiles = self->project != NULL ? g_list_model_get_n_items (retort_project_get_profiles (self->project)) : 0;

      self->summary_limit += SUMMARY_STEP;
      if (self->summary_limit >= n_profiles)
        self->summary_limit = G_MAXUINT;
      update_summary (self);
    }
  if (size < FILL_LIMIT && size < n_revisions)
    {
      gtk_slice_list_model_set_size (self->filling, size + FILL_STEP);
      return G_SOURCE_CONTINUE;
    }
  self->fill_tick_id = 0;
  gtk_slice_list_model_set_size (self->filling, G_MAXUINT);
  return G_SOURCE_REMOVE;
}

static void
resume_fill (RetortEnvironmentsView *self)
{
  if (self->fill_tick_id != 0 || self->filling == NULL ||
      (gtk_slice_list_model_get_size (self->filling) == G_MAXUINT && self->summary_limit == G_MAXUINT &&
       !self->summary_deferred))
    return;
  self->fill_ticked = FALSE;
  self->fill_tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self->table->list), fill_tick_cb, self, NULL);
}

/* The rows are made when the table is first shown: a list view makes its
 * rows as soon as it has a model, shown or not. */
static void
attach_model (RetortEnvironmentsView *self)
{
  GtkNoSelection *selection;

  if (!self->model_pending)
    return;
  self->model_pending = FALSE;
  /* the slice starts at 0: its positions are the project's */
  g_clear_object (&self->filling);
  self->filling = gtk_slice_list_model_new (g_object_ref (retort_project_get_revisions (self->project)), 0, FILL_STEP);
  /* rows are activated, not chosen: the timeline owns the selection */
  selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->filling)));
  gtk_list_view_set_model (self->table->list, GTK_SELECTION_MODEL (selection));
  g_object_unref (selection);
  self->summary_limit = MAX (self->summary_rows->len, SUMMARY_FIRST_LINES);
  self->summary_deferred = TRUE;
  resume_fill (self);
}

/* --- the summary ---------------------------------------------------------------- */

static int
tier_rank (RetortTier tier)
{
  switch (tier)
    {
    case RETORT_TIER_DEVELOPMENT:
      return 0;
    case RETORT_TIER_STAGING:
      return 1;
    case RETORT_TIER_PRODUCTION:
      return 2;
    case RETORT_TIER_OTHER:
    default:
      return 3;
    }
}

static int
compare_by_tier (gconstpointer a,
                 gconstpointer b)
{
  RetortProfile *first = *(RetortProfile **) a;
  RetortProfile *second = *(RetortProfile **) b;

  return tier_rank (retort_profile_get_tier (first)) - tier_rank (retort_profile_get_tier (second));
}

/* Widths in characters that line the columns of the summary up. */
typedef struct
{
  int tier;
  int name;
  int status;
} SummaryWidths;

/* What one database lacks of the one before it, and has beyond it: how
 * many, and the first few, newest first as the table lists them. */
typedef struct
{
  guint           n_lacking;
  guint           n_extra;
  RetortRevision *lacking[MAX_LISTED_IDS];
  RetortRevision *extra[MAX_LISTED_IDS];
} Comparison;

static gboolean
summary_link_cb (GtkLabel               *label,
                 const char             *uri,
                 RetortEnvironmentsView *self)
{
  RetortRevisionMap *map = self->project != NULL ? retort_project_get_map (self->project) : NULL;
  RetortRevision *revision = map != NULL ? retort_revision_map_lookup (map, uri) : NULL;

  if (revision != NULL)
    g_signal_emit (self, signals[SIGNAL_REVISION_ACTIVATED], 0, revision);
  return TRUE;
}

static gboolean
status_tooltip_cb (GtkWidget  *label,
                   int         x,
                   int         y,
                   gboolean    keyboard_mode,
                   GtkTooltip *tooltip,
                   gpointer    user_data)
{
  RetortProfile *profile = g_object_get_data (G_OBJECT (label), "profile");

  if (profile == NULL)
    return FALSE;
  gtk_tooltip_set_text (tooltip, retort_profile_get_status_message (profile));
  return TRUE;
}

/* "a, b, c and 4 more" as links to the revisions */
static char *
list_ids_markup (RetortRevision * const *revisions,
                 guint                   total)
{
  g_autoptr(GString) text = g_string_new (NULL);
  guint shown = MIN (total, MAX_LISTED_IDS);

  for (guint i = 0; i < shown; i++)
    {
      const char *id = retort_revision_get_id (revisions[i]);
      g_autofree char *short_id = retort_project_short_id (id);
      g_autofree char *link = g_markup_printf_escaped ("<a href=\"%s\"><tt>%s</tt></a>", id, short_id);

      if (i > 0)
        g_string_append (text, ", ");
      g_string_append (text, link);
    }
  if (total > shown)
    {
      guint more = total - shown;
      /* Translators: after a list of revision ids, how many were left out */
      g_autofree char *rest = g_strdup_printf (ngettext (" and %u more", " and %u more", more), more);
      g_autofree char *escaped = g_markup_escape_text (rest, -1);

      g_string_append (text, escaped);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* Compares each database with the one before it, in one walk over the
 * revisions, newest first. */
static Comparison *
compare_neighbours (RetortEnvironmentsView *self,
                    GPtrArray              *ordered)
{
  GListModel *revisions = retort_project_get_revisions (self->project);
  guint n = g_list_model_get_n_items (revisions);
  Comparison *comparisons = g_new0 (Comparison, ordered->len);
  g_autofree gboolean *applied = g_new0 (gboolean, ordered->len);
  g_autofree gboolean *checked = g_new0 (gboolean, ordered->len);
  gboolean any = FALSE;

  for (guint p = 0; p < ordered->len; p++)
    checked[p] = retort_profile_get_rows (g_ptr_array_index (ordered, p)) != NULL;
  for (guint p = 1; p < ordered->len; p++)
    any = any || (checked[p - 1] && checked[p]);

  for (guint i = 0; i < n && any; i++)
    {
      g_autoptr(RetortRevision) revision = g_list_model_get_item (revisions, i);

      for (guint p = 0; p < ordered->len; p++)
        applied[p] = checked[p] && retort_profile_has_applied (g_ptr_array_index (ordered, p), revision);
      for (guint p = 1; p < ordered->len; p++)
        {
          Comparison *comparison = &comparisons[p];

          if (!checked[p - 1] || !checked[p] || applied[p - 1] == applied[p])
            continue;
          if (applied[p - 1])
            {
              if (comparison->n_lacking < MAX_LISTED_IDS)
                comparison->lacking[comparison->n_lacking] = revision;  /* the model keeps it */
              comparison->n_lacking++;
            }
          else
            {
              if (comparison->n_extra < MAX_LISTED_IDS)
                comparison->extra[comparison->n_extra] = revision;
              comparison->n_extra++;
            }
        }
    }
  return comparisons;
}

/* What `behind` lacks of `ahead` (and has that `ahead` lacks), as markup
 * whose subject is `behind`. */
static char *
comparison_markup (RetortProfile     *ahead,
                   RetortProfile     *behind,
                   const Comparison  *comparison,
                   const char       **kind)
{
  g_autofree char *ahead_name = g_markup_escape_text (retort_profile_get_name (ahead), -1);
  g_autoptr(GString) markup = g_string_new (NULL);

  if (retort_profile_get_rows (ahead) == NULL || retort_profile_get_rows (behind) == NULL)
    {
      *kind = "unknown";
      /* Translators: the subject is the database of this line; %s is another one */
      return g_strdup_printf (_("cannot be compared with <b>%s</b> until both are checked"), ahead_name);
    }

  /* with no version table there is nothing to compare: what it needs is a baseline */
  if (retort_profile_get_state (behind) == RETORT_PROFILE_STATE_LEGACY)
    {
      *kind = "unknown";
      /* Translators: the subject is a database with tables but no version table */
      return g_strdup (_("has no version table: stamp the revision it matches first"));
    }

  if (comparison->n_lacking == 0 && comparison->n_extra == 0)
    {
      *kind = "same";
      /* Translators: the subject is the database of this line; %s is another one */
      return g_strdup_printf (_("has everything <b>%s</b> has"), ahead_name);
    }
  *kind = "lacks";
  if (comparison->n_lacking > 0)
    {
      g_autofree char *ids = list_ids_markup (comparison->lacking, comparison->n_lacking);

      /* Translators: the subject is the database of this line, as in
       * "production: lacks 3 revisions staging has: 7c1d2a9b, …" */
      g_string_append_printf (markup,
                              ngettext ("lacks %u revision <b>%s</b> has: %s",
                                        "lacks %u revisions <b>%s</b> has: %s",
                                        comparison->n_lacking),
                              comparison->n_lacking, ahead_name, ids);
    }
  if (comparison->n_extra > 0)
    {
      g_autofree char *ids = list_ids_markup (comparison->extra, comparison->n_extra);

      if (markup->len > 0)
        g_string_append (markup, "; ");
      /* Translators: the subject is the database of this line, as in
       * "production: has 1 revision staging lacks: 7c1d2a9b" */
      g_string_append_printf (markup,
                              ngettext ("has %u revision <b>%s</b> lacks: %s",
                                        "has %u revisions <b>%s</b> lacks: %s",
                                        comparison->n_extra),
                              comparison->n_extra, ahead_name, ids);
    }
  return g_string_free (g_steal_pointer (&markup), FALSE);
}

static SummaryRow *
summary_row_new (RetortEnvironmentsView *self)
{
  SummaryRow *line = g_new0 (SummaryRow, 1);

  line->row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  line->tier = gtk_label_new (NULL);
  line->name = gtk_label_new (NULL);
  line->status = gtk_label_new (NULL);
  line->comparison = gtk_label_new (NULL);

  gtk_widget_set_valign (line->tier, GTK_ALIGN_CENTER);
  gtk_label_set_ellipsize (GTK_LABEL (line->name), PANGO_ELLIPSIZE_END);
  gtk_label_set_xalign (GTK_LABEL (line->name), 0);
  gtk_widget_add_css_class (line->name, "heading");
  gtk_label_set_ellipsize (GTK_LABEL (line->status), PANGO_ELLIPSIZE_END);
  gtk_label_set_xalign (GTK_LABEL (line->status), 0);
  gtk_widget_add_css_class (line->status, "dim-label");
  gtk_widget_set_has_tooltip (line->status, TRUE);
  g_signal_connect (line->status, "query-tooltip", G_CALLBACK (status_tooltip_cb), NULL);

  /* one line each, so the scroller around the summary knows its height
   * (it measures its child without a width); the tooltip has it all */
  gtk_label_set_xalign (GTK_LABEL (line->comparison), 0);
  gtk_label_set_ellipsize (GTK_LABEL (line->comparison), PANGO_ELLIPSIZE_END);
  gtk_label_set_single_line_mode (GTK_LABEL (line->comparison), TRUE);
  gtk_widget_set_hexpand (line->comparison, TRUE);
  gtk_widget_set_has_tooltip (line->comparison, TRUE);
  g_signal_connect (line->comparison, "query-tooltip", G_CALLBACK (ellipsized_tooltip_cb), NULL);
  g_signal_connect (line->comparison, "activate-link", G_CALLBACK (summary_link_cb), self);

  gtk_box_append (GTK_BOX (line->row), line->tier);
  gtk_box_append (GTK_BOX (line->row), line->name);
  gtk_box_append (GTK_BOX (line->row), line->status);
  gtk_box_append (GTK_BOX (line->row), line->comparison);
  gtk_box_append (self->summary_box, line->row);
  return line;
}

static void
set_text (GtkWidget  *label,
          const char *text)
{
  if (g_strcmp0 (gtk_label_get_label (GTK_LABEL (label)), text) != 0)
    gtk_label_set_label (GTK_LABEL (label), text);
}

/* as wide as the widest of the column, whatever their own text: bold
 * names need a little room over the average character width */
static void
set_width_chars (GtkWidget *label,
                 int        n_chars)
{
  gtk_label_set_width_chars (GTK_LABEL (label), n_chars);
  gtk_label_set_max_width_chars (GTK_LABEL (label), n_chars);
}

static void
update_summary_row (SummaryRow          *line,
                    RetortProfile       *profile,
                    RetortProfile       *previous,
                    const ComparedLine  *compared,
                    const SummaryWidths *widths)
{
  const char *status_message = retort_profile_get_status_message (profile);

  set_text (line->tier, retort_profile_get_tier_label (profile));
  if (!gtk_widget_has_css_class (line->tier, retort_profile_get_tier_class (profile)))
    gtk_widget_set_css_classes (line->tier,
                                (const char *[]) { "chip", "tier", retort_profile_get_tier_class (profile), NULL });
  set_width_chars (line->tier, widths->tier);
  set_text (line->name, retort_profile_get_name (profile));
  set_width_chars (line->name, widths->name + 2);
  set_text (line->status, retort_profile_get_status_label (profile));
  set_width_chars (line->status, widths->status + 1);
  if (g_strcmp0 (g_object_get_data (G_OBJECT (line->status), "message"), status_message) != 0)
    {
      g_object_set_data_full (G_OBJECT (line->status), "message", g_strdup (status_message), g_free);
      gtk_accessible_update_property (GTK_ACCESSIBLE (line->status),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, status_message,
                                      -1);
    }
  g_object_set_data_full (G_OBJECT (line->status), "profile", g_object_ref (profile), g_object_unref);

  gtk_widget_set_visible (line->comparison, previous != NULL);
  /* none yet: compared in the next frame */
  if (previous != NULL && compared != NULL)
    {
      if (g_strcmp0 (g_object_get_data (G_OBJECT (line->comparison), "markup"), compared->markup) != 0)
        {
          gtk_label_set_markup (GTK_LABEL (line->comparison), compared->markup);
          g_object_set_data_full (G_OBJECT (line->comparison), "markup", g_strdup (compared->markup), g_free);
        }
      if (!gtk_widget_has_css_class (line->comparison, compared->kind))
        gtk_widget_set_css_classes (line->comparison, (const char *[]) { "comparison", compared->kind, NULL });
    }
}

/* The comparisons of ordered, made again unless those kept are of the
 * same databases in the same order. */
static void
ensure_compared (RetortEnvironmentsView *self,
                 GPtrArray              *ordered)
{
  g_autofree Comparison *comparisons = NULL;

  if (self->compared != NULL && self->compared->len == ordered->len)
    {
      gboolean same = TRUE;

      for (guint i = 0; i < ordered->len && same; i++)
        {
          ComparedLine *line = &g_array_index (self->compared, ComparedLine, i);

          same = line->profile == g_ptr_array_index (ordered, i) &&
                 line->previous == (i > 0 ? g_ptr_array_index (ordered, i - 1) : NULL);
        }
      if (same)
        return;
    }

  g_clear_pointer (&self->compared, g_array_unref);
  self->compared = g_array_sized_new (FALSE, TRUE, sizeof (ComparedLine), ordered->len);
  g_array_set_clear_func (self->compared, (GDestroyNotify) compared_line_clear);
  if (ordered->len > 0)
    comparisons = compare_neighbours (self, ordered);
  for (guint i = 0; i < ordered->len; i++)
    {
      ComparedLine line = { g_object_ref (g_ptr_array_index (ordered, i)), NULL, NULL, NULL };

      if (i > 0)
        {
          line.previous = g_object_ref (g_ptr_array_index (ordered, i - 1));
          line.markup = comparison_markup (line.previous, line.profile, &comparisons[i], &line.kind);
        }
      g_array_append_val (self->compared, line);
    }
}

/* Databases in promotion order (development, staging, production, other),
 * each compared with the one before it. The lines are relabelled in place.
 * In the first frame of a first show, only the lines on screen are made
 * (summary_limit), and compared in the next one (summary_deferred). */
static void
update_summary (RetortEnvironmentsView *self)
{
  g_autoptr(GPtrArray) ordered = g_ptr_array_new_with_free_func (g_object_unref);
  gboolean partial = self->summary_limit != G_MAXUINT || self->summary_deferred;
  SummaryWidths widths = { 0 };
  GListModel *profiles;
  guint n = 0;

  self->summary_stale = partial;
  g_clear_handle_id (&self->summary_idle_id, g_source_remove);

  if (self->project != NULL)
    {
      profiles = retort_project_get_profiles (self->project);
      n = g_list_model_get_n_items (profiles);
      for (guint i = 0; i < n; i++)
        g_ptr_array_add (ordered, g_list_model_get_item (profiles, i));
    }
  /* g_ptr_array_sort is not stable; the sidebar's order breaks ties */
  for (guint i = 1; i < ordered->len; i++)
    for (guint j = i; j > 0 && compare_by_tier (&ordered->pdata[j - 1], &ordered->pdata[j]) > 0; j--)
      {
        gpointer swap = ordered->pdata[j];
        ordered->pdata[j] = ordered->pdata[j - 1];
        ordered->pdata[j - 1] = swap;
      }

  for (guint i = 0; i < ordered->len; i++)
    {
      RetortProfile *profile = g_ptr_array_index (ordered, i);

      widths.tier = MAX (widths.tier, (int) g_utf8_strlen (retort_profile_get_tier_label (profile), -1));
      widths.name = MAX (widths.name, (int) g_utf8_strlen (retort_profile_get_name (profile), -1));
      widths.status = MAX (widths.status, (int) g_utf8_strlen (retort_profile_get_status_label (profile), -1));
    }
  if (!self->summary_deferred)
    ensure_compared (self, ordered);

  for (guint i = 0; i < ordered->len; i++)
    {
      /* lines below the fold are made in the frames after (fill_tick_cb) */
      if (i == self->summary_rows->len && i >= self->summary_limit)
        break;
      if (i == self->summary_rows->len)
        g_ptr_array_add (self->summary_rows, summary_row_new (self));
      update_summary_row (g_ptr_array_index (self->summary_rows, i), g_ptr_array_index (ordered, i),
                          i > 0 ? g_ptr_array_index (ordered, i - 1) : NULL,
                          self->summary_deferred ? NULL : &g_array_index (self->compared, ComparedLine, i),
                          &widths);
    }
  while (self->summary_rows->len > ordered->len)
    {
      SummaryRow *line = g_ptr_array_index (self->summary_rows, self->summary_rows->len - 1);

      /* focus on one of its links moves to the table rather than falling
       * out of the window with the removed line */
      if (gtk_widget_get_focus_child (GTK_WIDGET (self->summary_box)) == line->row)
        gtk_widget_grab_focus (GTK_WIDGET (self->table->list));
      gtk_box_remove (self->summary_box, line->row);
      g_ptr_array_remove_index (self->summary_rows, self->summary_rows->len - 1);
    }
}

static gboolean
summary_idle_cb (gpointer user_data)
{
  RetortEnvironmentsView *self = user_data;

  self->summary_idle_id = 0;
  update_summary (self);
  return G_SOURCE_REMOVE;
}

/* Statuses come in one database at a time, twenty of them when a project
 * opens: the summary is redone once they have, after what the window has
 * to draw, and only while it can be seen. */
static void
queue_summary_update (RetortEnvironmentsView *self)
{
  self->summary_stale = TRUE;
  g_clear_pointer (&self->compared, g_array_unref);
  if (is_shown (self) && self->summary_idle_id == 0)
    self->summary_idle_id = g_idle_add_full (G_PRIORITY_LOW, summary_idle_cb, self, NULL);
}

/* --- state -------------------------------------------------------------------- */

static void
update_page (RetortEnvironmentsView *self)
{
  guint n = self->project != NULL
              ? g_list_model_get_n_items (retort_project_get_profiles (self->project))
              : 0;

  gtk_widget_set_visible (self->add_button, self->project != NULL);
  gtk_stack_set_visible_child_name (self->stack, n > 0 ? "table" : "empty");
}

/* a status read, a database renamed, added or removed */
static void
profiles_changed_cb (RetortEnvironmentsView *self)
{
  if (is_shown (self))
    refresh_cells (self);
  else
    self->cells_stale = TRUE;
  queue_summary_update (self);
}

static void
profiles_items_changed_cb (RetortEnvironmentsView *self,
                           guint                   position,
                           guint                   removed,
                           guint                   added,
                           GListModel             *model)
{
  profiles_changed_cb (self);
  update_page (self);
}

/* set before its revisions were read: the comparisons count them */
static void
project_loaded_cb (RetortEnvironmentsView *self)
{
  queue_summary_update (self);
}

static void
add_clicked_cb (RetortEnvironmentsView *self)
{
  g_signal_emit (self, signals[SIGNAL_ADD_PROFILE_REQUESTED], 0);
}

static void
row_activated_cb (RetortEnvironmentsView *self,
                  guint                   position)
{
  GListModel *model = G_LIST_MODEL (gtk_list_view_get_model (self->table->list));
  g_autoptr(RetortRevision) revision = model != NULL ? g_list_model_get_item (model, position) : NULL;

  if (revision != NULL)
    g_signal_emit (self, signals[SIGNAL_REVISION_ACTIVATED], 0, revision);
}

/* --- GtkWidget ------------------------------------------------------------------ */

static void
retort_environments_view_map (GtkWidget *widget)
{
  RetortEnvironmentsView *self = RETORT_ENVIRONMENTS_VIEW (widget);

  /* before the children are mapped, so this frame shows it all; the
   * columns before the rows, which are measured and bound with them */
  if (self->cells_stale)
    refresh_cells (self);
  if (self->project != NULL)
    {
      attach_model (self);
      if (self->summary_stale)
        update_summary (self);
      resume_fill (self);
    }

  GTK_WIDGET_CLASS (retort_environments_view_parent_class)->map (widget);
}

static void
retort_environments_view_unmap (GtkWidget *widget)
{
  RetortEnvironmentsView *self = RETORT_ENVIRONMENTS_VIEW (widget);

  /* summary_stale stays set: the next map redoes it */
  g_clear_handle_id (&self->summary_idle_id, g_source_remove);
  pause_fill (self);

  GTK_WIDGET_CLASS (retort_environments_view_parent_class)->unmap (widget);
}

/* fonts and colours: dark style, a larger text */
static void
retort_environments_view_css_changed (GtkWidget         *widget,
                                      GtkCssStyleChange *change)
{
  RetortEnvironmentsView *self = RETORT_ENVIRONMENTS_VIEW (widget);

  GTK_WIDGET_CLASS (retort_environments_view_parent_class)->css_changed (widget, change);

  if (is_shown (self))
    refresh_cells (self);
  else
    self->cells_stale = TRUE;
}

/* --- GObject -------------------------------------------------------------------- */

static void
retort_environments_view_dispose (GObject *object)
{
  RetortEnvironmentsView *self = RETORT_ENVIRONMENTS_VIEW (object);

  retort_environments_view_set_project (self, NULL);
  g_clear_handle_id (&self->summary_idle_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), RETORT_TYPE_ENVIRONMENTS_VIEW);
  self->header_row = NULL;

  G_OBJECT_CLASS (retort_environments_view_parent_class)->dispose (object);
}

static void
retort_environments_view_finalize (GObject *object)
{
  RetortEnvironmentsView *self = RETORT_ENVIRONMENTS_VIEW (object);

  g_clear_object (&self->filling);
  g_clear_pointer (&self->compared, g_array_unref);
  g_clear_pointer (&self->bound_rows, g_hash_table_unref);
  g_clear_pointer (&self->summary_rows, g_ptr_array_unref);
  g_clear_pointer (&self->columns, columns_unref);

  G_OBJECT_CLASS (retort_environments_view_parent_class)->finalize (object);
}

static void
retort_environments_view_get_property (GObject    *object,
                                       guint       prop_id,
                                       GValue     *value,
                                       GParamSpec *pspec)
{
  RetortEnvironmentsView *self = RETORT_ENVIRONMENTS_VIEW (object);

  switch (prop_id)
    {
    case PROP_PROJECT:
      g_value_set_object (value, self->project);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
retort_environments_view_set_property (GObject      *object,
                                       guint         prop_id,
                                       const GValue *value,
                                       GParamSpec   *pspec)
{
  RetortEnvironmentsView *self = RETORT_ENVIRONMENTS_VIEW (object);

  switch (prop_id)
    {
    case PROP_PROJECT:
      retort_environments_view_set_project (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
retort_environments_view_class_init (RetortEnvironmentsViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = retort_environments_view_dispose;
  object_class->finalize = retort_environments_view_finalize;
  object_class->get_property = retort_environments_view_get_property;
  object_class->set_property = retort_environments_view_set_property;
  widget_class->map = retort_environments_view_map;
  widget_class->unmap = retort_environments_view_unmap;
  widget_class->css_changed = retort_environments_view_css_changed;

  properties[PROP_PROJECT] =
    g_param_spec_object ("project", NULL, NULL,
                         RETORT_TYPE_PROJECT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* the empty state's button: the window opens the new-database dialog */
  signals[SIGNAL_ADD_PROFILE_REQUESTED] =
    g_signal_new ("add-profile-requested",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  /* a row was activated or an id in the summary clicked: show it in the timeline */
  signals[SIGNAL_REVISION_ACTIVATED] =
    g_signal_new ("revision-activated",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, RETORT_TYPE_REVISION);

  g_type_ensure (RETORT_TYPE_ENVIRONMENTS_TABLE);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/ui/retort-environments-view.ui");
  gtk_widget_class_bind_template_child (widget_class, RetortEnvironmentsView, stack);
  gtk_widget_class_bind_template_child (widget_class, RetortEnvironmentsView, empty_page);
  gtk_widget_class_bind_template_child (widget_class, RetortEnvironmentsView, add_button);
  gtk_widget_class_bind_template_child (widget_class, RetortEnvironmentsView, summary_box);
  gtk_widget_class_bind_template_child (widget_class, RetortEnvironmentsView, table);
  gtk_widget_class_bind_template_callback (widget_class, add_clicked_cb);

  gtk_widget_class_set_css_name (widget_class, "environmentsview");
}

static void
retort_environments_view_init (RetortEnvironmentsView *self)
{
  GtkListItemFactory *factory;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->bound_rows = g_hash_table_new (g_direct_hash, g_direct_equal);
  self->summary_rows = g_ptr_array_new_with_free_func (g_free);
  self->summary_limit = G_MAXUINT;
  self->columns = columns_new ();

  self->header_row = RETORT_ENVIRONMENTS_ROW (retort_environments_row_new (self->columns, TRUE));
  retort_environments_table_set_header (self->table, GTK_WIDGET (self->header_row));

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (row_setup_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (row_bind_cb), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (row_unbind_cb), self);
  g_signal_connect (factory, "teardown", G_CALLBACK (row_teardown_cb), self);
  gtk_list_view_set_factory (self->table->list, factory);
  g_object_unref (factory);
  g_signal_connect_swapped (self->table->list, "activate", G_CALLBACK (row_activated_cb), self);

  update_page (self);
}

GtkWidget *
retort_environments_view_new (void)
{
  return g_object_new (RETORT_TYPE_ENVIRONMENTS_VIEW, NULL);
}

void
retort_environments_view_set_project (RetortEnvironmentsView *self,
                                      RetortProject          *project)
{
  g_return_if_fail (RETORT_IS_ENVIRONMENTS_VIEW (self));
  g_return_if_fail (project == NULL || RETORT_IS_PROJECT (project));

  if (self->project == project)
    return;

  if (self->project != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->project, self);
      g_signal_handlers_disconnect_by_data (retort_project_get_profiles (self->project), self);
    }
  g_set_object (&self->project, project);
  g_clear_handle_id (&self->summary_idle_id, g_source_remove);
  self->model_pending = project != NULL;
  if (self->table == NULL)
    return;  /* disposed */
  finish_fill (self);
  gtk_list_view_set_model (self->table->list, NULL);
  g_clear_object (&self->filling);

  if (project != NULL)
    {
      g_signal_connect_swapped (project, "profiles-changed",
                                G_CALLBACK (profiles_changed_cb), self);
      g_signal_connect_swapped (project, "notify::loaded",
                                G_CALLBACK (project_loaded_cb), self);
      g_signal_connect_swapped (retort_project_get_profiles (project), "items-changed",
                                G_CALLBACK (profiles_items_changed_cb), self);
    }

  profiles_changed_cb (self);
  if (is_shown (self))
    {
      attach_model (self);
      /* the lines of the project before would stay up until the idle */
      update_summary (self);
    }
  update_page (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROJECT]);
}

RetortProject *
retort_environments_view_get_project (RetortEnvironmentsView *self)
{
  g_return_val_if_fail (RETORT_IS_ENVIRONMENTS_VIEW (self), NULL);
  return self->project;
}
