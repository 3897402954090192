/* retort-log-view.c — a run's live log: the lines, search, save and copy
 *
 * A GtkListView over a RetortRunLog, so only the visible rows exist however
 * long the log grows. While the view is at the bottom it follows new lines;
 * scrolling up (or jumping to a match) stops that, and a Jump to Bottom
 * button brings it back.
 *
 * Nothing here may hold the main loop long while a run streams hundreds of
 * lines a second: a row is one drawn widget (see RetortLogRow below), the
 * search entry scans a slice of the log per idle call, and Copy All's text
 * is written by a worker from a snapshot and handed to the clipboard
 * without another copy.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "retort-log-view"

#include "config.h"

#include <math.h>
#include <string.h>

#include <adwaita.h>
#include <glib/gi18n.h>

#include "retort-font-cache.h"
#include "retort-log-view.h"

#define SHORT_REVISION_CHARS 8
/* how close to the end still counts as at the bottom, in pixels */
#define BOTTOM_SLACK 2.0

struct _RetortLogView
{
  GtkWidget             parent_instance;

  GtkSearchEntry       *search_entry;
  AdwToastOverlay      *toast_overlay;
  GtkScrolledWindow    *scrolled_window;
  GtkListView          *list_view;
  GtkWidget            *jump_button;

  RetortRunLog         *log;
  GtkSingleSelection   *selection;
  GtkAdjustment        *vadjustment;
  GCancellable         *cancellable;      /* copy and save; cancelled at dispose */
  GCancellable         *search_cancellable;
  char                 *searched_text;     /* what the last search looked for */
  GtkFileChooserNative *chooser;

  guint                 copying_lines;
  guint                 warm_up_source;
  guint                 follow_source;
  guint                 warm_up_step;
  gboolean              following;
  double                last_value;
  double                last_upper;
  gint                  current_match;
};

G_DEFINE_FINAL_TYPE (RetortLogView, retort_log_view, GTK_TYPE_WIDGET)

/* ---- one row: a single drawn widget ------------------------------------------------ */

/* A followed log rebinds every row the list keeps (about two hundred) for
 * each batch of lines, 50 times a second, and the first batch makes them
 * all. So a row is one widget that draws its columns itself: binding it
 * keeps the entry and redraws; its size comes from the font alone (every
 * row is as tall as every other, so the list's height is exact and binding
 * never resizes); its texts are laid out only when it is drawn, which only
 * the rows on screen are; and its tooltip is made when asked for (setting
 * one makes GTK 4.8 ask the X server where the pointer is). The level is a
 * style class (colours come from the stylesheet); bold and italic are
 * Pango attributes, so that no row's font, and height, differs. */

#define RETORT_TYPE_LOG_ROW (retort_log_row_get_type ())
G_DECLARE_FINAL_TYPE (RetortLogRow, retort_log_row, RETORT, LOG_ROW, GtkWidget)

#define ROW_PADDING_X    6
#define ROW_PADDING_Y    3
#define COLUMN_SPACING   8
#define ICON_SIZE        16
/* SQL and ids in monospace; the text's least width, in characters */
#define MONOSPACE        "monospace"
#define TEXT_MIN_CHARS   12
#define TEXT_NATURAL_CHARS 72
/* a statement of a megabyte is not laid out to show its first line */
#define DISPLAY_MAX_CHARS 400
#define TOOLTIP_MAX_CHARS 2000
#define DIM_ALPHA        0.55f

typedef enum {
  LAYOUT_TIME,
  LAYOUT_REVISION,
  LAYOUT_TEXT,
  LAYOUT_DETAILS,
  N_LAYOUTS
} LayoutId;

/* per font, shared by every row (PangoFontDescription → RowMetrics) */
typedef struct
{
  int line_height;       /* pixels: the taller of the UI and monospace fonts */
  int time_width;        /* pixels: "00:00:00.000" */
  int revision_width;    /* pixels: SHORT_REVISION_CHARS in monospace */
  int char_width;        /* Pango units: the UI font's */
} RowMetrics;

struct _RetortLogRow
{
  GtkWidget         parent_instance;

  RetortLogEntry   *entry;
  RetortLogLevel    level;
  gboolean          marker;
  const RowMetrics *metrics;
  const PangoFontDescription *font;  /* the metrics' key, owned by the cache */
  PangoLayout      *layouts[N_LAYOUTS];
  gboolean          layouts_stale;
};

G_DEFINE_FINAL_TYPE (RetortLogRow, retort_log_row, GTK_TYPE_WIDGET)

static const char *
level_icon (RetortLogLevel level)
{
  switch (level)
    {
    case RETORT_LOG_LEVEL_NOTICE: return "dialog-information-symbolic";
    case RETORT_LOG_LEVEL_WARNING: return "dialog-warning-symbolic";
    case RETORT_LOG_LEVEL_ERROR: return "dialog-error-symbolic";
    case RETORT_LOG_LEVEL_REVISION: return "go-next-symbolic";
    case RETORT_LOG_LEVEL_STATEMENT:
    case RETORT_LOG_LEVEL_INFO:
    default: return NULL;
    }
}

static const char *
level_class (RetortLogLevel level)
{
  switch (level)
    {
    case RETORT_LOG_LEVEL_STATEMENT: return "statement";
    case RETORT_LOG_LEVEL_NOTICE: return "notice";
    case RETORT_LOG_LEVEL_WARNING: return "warning";
    case RETORT_LOG_LEVEL_ERROR: return "error";
    case RETORT_LOG_LEVEL_REVISION: return "revision";
    case RETORT_LOG_LEVEL_INFO:
    default: return "info";
    }
}

static PangoLayout *
measuring_layout (PangoContext *context,
                  const char   *family,
                  const char   *text)
{
  PangoLayout *layout = pango_layout_new (context);

  if (family != NULL)
    {
      PangoAttrList *attrs = pango_attr_list_new ();

      pango_attr_list_insert (attrs, pango_attr_family_new (family));
      pango_layout_set_attributes (layout, attrs);
      pango_attr_list_unref (attrs);
    }
  pango_layout_set_text (layout, text, -1);
  return layout;
}

static gpointer
measure_row (PangoContext               *context,
             const PangoFontDescription *description)
{
  g_autoptr(PangoLayout) time = measuring_layout (context, NULL, "00:00:00.000");
  g_autoptr(PangoLayout) revision = measuring_layout (context, MONOSPACE, "0123456789abcdef");
  PangoFontMetrics *font_metrics = pango_context_get_metrics (context, description, NULL);
  PangoRectangle time_extents, revision_extents;
  RowMetrics *metrics = g_new0 (RowMetrics, 1);

  metrics->char_width = retort_font_char_width (font_metrics);
  pango_font_metrics_unref (font_metrics);
  pango_layout_get_pixel_extents (time, NULL, &time_extents);
  pango_layout_get_pixel_extents (revision, NULL, &revision_extents);
  metrics->time_width = time_extents.width;
  metrics->revision_width = (revision_extents.width * SHORT_REVISION_CHARS + 15) / 16;
  metrics->line_height = MAX (time_extents.height, revision_extents.height);
  return metrics;
}

/* Loading a font the first time costs milliseconds (fontconfig, FreeType),
 * so this is also called when the view is mapped, before any line. */
static const RowMetrics *
lookup_row_metrics (PangoContext                *context,
                    const PangoFontDescription **font)
{
  static GHashTable *cache;

  return retort_font_cache_lookup (&cache, context, measure_row, font);
}

static const RowMetrics *
retort_log_row_get_metrics (RetortLogRow *self)
{
  if (self->metrics == NULL)
    self->metrics = lookup_row_metrics (gtk_widget_get_pango_context (GTK_WIDGET (self)), &self->font);
  return self->metrics;
}

static int
fixed_columns_width (const RowMetrics *metrics)
{
  return 2 * ROW_PADDING_X + metrics->time_width + COLUMN_SPACING + ICON_SIZE + COLUMN_SPACING +
         metrics->revision_width + COLUMN_SPACING;
}

static void
retort_log_row_measure (GtkWidget      *widget,
                        GtkOrientation  orientation,
                        int             for_size,
                        int            *minimum,
                        int            *natural,
                        int            *minimum_baseline,
                        int            *natural_baseline)
{
  const RowMetrics *metrics = retort_log_row_get_metrics (RETORT_LOG_ROW (widget));

  if (orientation == GTK_ORIENTATION_VERTICAL)
    *minimum = *natural = metrics->line_height + 2 * ROW_PADDING_Y;
  else
    {
      *minimum = fixed_columns_width (metrics) + PANGO_PIXELS_CEIL (metrics->char_width * TEXT_MIN_CHARS);
      *natural = fixed_columns_width (metrics) + PANGO_PIXELS_CEIL (metrics->char_width * TEXT_NATURAL_CHARS);
    }
}

/* "HH:MM:SS.mmm", local time; the same second for a run of lines is
 * formatted once (rows are drawn on the main thread only) */
static void
format_time (gint64  wall_us,
             char   *out,
             gsize   size)
{
  static gint64 cached_second = G_MININT64;
  static char cached[16];
  gint64 second = wall_us / G_USEC_PER_SEC;

  if (second != cached_second)
    {
      g_autoptr(GDateTime) when = g_date_time_new_from_unix_local (second);
      g_autofree char *text = when != NULL ? g_date_time_format (when, "%H:%M:%S") : NULL;

      g_strlcpy (cached, text != NULL ? text : "--:--:--", sizeof cached);
      cached_second = second;
    }
  g_snprintf (out, size, "%s.%03d", cached, (int) (wall_us % G_USEC_PER_SEC / 1000));
}

static char *
format_details (RetortLogEntry *entry)
{
  gint64 duration = retort_log_entry_get_duration (entry);
  gint64 rows = retort_log_entry_get_rows (entry);
  g_autofree char *time = NULL;

  if (duration < 0 && rows < 0)
    return NULL;
  if (duration >= 0)
    time = duration < 1000000 ? g_strdup_printf (_("%.1f ms"), duration / 1000.0)
                              : g_strdup_printf (_("%.2f s"), duration / 1e6);
  if (rows < 0)
    return g_steal_pointer (&time);
  g_autofree char *count = g_strdup_printf ("%" G_GINT64_FORMAT, rows);
  /* TRANSLATORS: rows a statement changed or returned; %s is the number */
  g_autofree char *rows_text = g_strdup_printf (ngettext ("%s row", "%s rows", (gulong) rows),
                                                count);
  if (time == NULL)
    return g_steal_pointer (&rows_text);
  return g_strdup_printf ("%s · %s", time, rows_text);
}

/* one line of at most max_chars characters: multi-line SQL is shown with
 * each line break and its indentation as one space */
static char *
one_line (const char *text,
          glong       max_chars)
{
  GString *out = g_string_sized_new (MIN (strlen (text), (gsize) max_chars * 2) + 4);
  gboolean in_break = FALSE;
  glong n = 0;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gboolean breaking = *p == '\n' || *p == '\r' || (in_break && (*p == ' ' || *p == '\t'));

      if (breaking && in_break)
        continue;
      if (n++ == max_chars)
        {
          g_string_append (out, "…");
          break;
        }
      if (breaking || *p == '\t')
        g_string_append_c (out, ' ');
      else
        g_string_append_len (out, p, g_utf8_next_char (p) - p);
      in_break = breaking;
    }
  return g_string_free (out, FALSE);
}

static char *
short_revision (const char *revision)
{
  if (revision == NULL)
    return NULL;
  return g_utf8_substring (revision, 0, MIN (g_utf8_strlen (revision, -1), SHORT_REVISION_CHARS));
}

static PangoLayout *
row_layout (RetortLogRow *self,
            LayoutId      id)
{
  if (self->layouts[id] == NULL)
    self->layouts[id] = gtk_widget_create_pango_layout (GTK_WIDGET (self), NULL);
  return self->layouts[id];
}

static void
set_layout (PangoLayout *layout,
            const char  *text,
            const char  *family,
            gboolean     bold,
            gboolean     italic)
{
  PangoAttrList *attrs = pango_attr_list_new ();

  if (family != NULL)
    pango_attr_list_insert (attrs, pango_attr_family_new (family));
  if (bold)
    pango_attr_list_insert (attrs, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
  if (italic)
    pango_attr_list_insert (attrs, pango_attr_style_new (PANGO_STYLE_ITALIC));
  pango_attr_list_insert (attrs, pango_attr_font_features_new ("tnum"));
  pango_layout_set_attributes (layout, attrs);
  pango_attr_list_unref (attrs);
  pango_layout_set_text (layout, text != NULL ? text : "", -1);
}

static void
update_layouts (RetortLogRow *self)
{
  RetortLogEntry *entry = self->entry;
  gboolean heading = self->level == RETORT_LOG_LEVEL_REVISION;
  char time[32];
  g_autofree char *revision = short_revision (retort_log_entry_get_revision (entry));
  g_autofree char *text = one_line (retort_log_entry_get_text (entry), DISPLAY_MAX_CHARS);
  g_autofree char *details = format_details (entry);

  format_time (retort_log_entry_get_wall_time (entry), time, sizeof time);
  set_layout (row_layout (self, LAYOUT_TIME), time, NULL, FALSE, FALSE);
  set_layout (row_layout (self, LAYOUT_REVISION), revision, MONOSPACE, heading, FALSE);
  set_layout (row_layout (self, LAYOUT_TEXT), text, self->level == RETORT_LOG_LEVEL_STATEMENT ? MONOSPACE : NULL,
              heading, self->marker);
  pango_layout_set_ellipsize (self->layouts[LAYOUT_TEXT], PANGO_ELLIPSIZE_END);
  pango_layout_set_single_paragraph_mode (self->layouts[LAYOUT_TEXT], TRUE);
  set_layout (row_layout (self, LAYOUT_DETAILS), details, NULL, FALSE, FALSE);
  self->layouts_stale = FALSE;
}

static void
lookup_color (GtkWidget     *widget,
              const char    *name,
              const GdkRGBA *fallback,
              GdkRGBA       *color)
{
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  if (!gtk_style_context_lookup_color (gtk_widget_get_style_context (widget), name, color))
    *color = *fallback;
  G_GNUC_END_IGNORE_DEPRECATIONS
}

static GdkRGBA
faded (const GdkRGBA *color,
       float          alpha)
{
  GdkRGBA result = *color;

  result.alpha *= alpha;
  return result;
}

/* x of a column in this row's direction */
static int
column_x (GtkWidget *widget,
          int        x,
          int        width)
{
  if (gtk_widget_get_direction (widget) == GTK_TEXT_DIR_RTL)
    return gtk_widget_get_width (widget) - x - width;
  return x;
}

static void
draw_layout (GtkSnapshot   *snapshot,
             PangoLayout   *layout,
             int            x,
             int            height,
             const GdkRGBA *color)
{
  PangoRectangle logical;

  pango_layout_get_pixel_extents (layout, NULL, &logical);
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x - logical.x,
                                                          floorf ((height - logical.height) / 2.0f) - logical.y));
  gtk_snapshot_append_layout (snapshot, layout, color);
  gtk_snapshot_restore (snapshot);
}

static void
draw_icon (RetortLogRow  *self,
           GtkSnapshot   *snapshot,
           const char    *name,
           int            x,
           int            height,
           const GdkRGBA *color)
{
  GtkWidget *widget = GTK_WIDGET (self);
  GtkIconTheme *theme = gtk_icon_theme_get_for_display (gtk_widget_get_display (widget));
  g_autoptr(GtkIconPaintable) icon = gtk_icon_theme_lookup_icon (theme, name, NULL, ICON_SIZE,
                                                                 gtk_widget_get_scale_factor (widget),
                                                                 gtk_widget_get_direction (widget), 0);
  GdkRGBA colors[4];

  colors[0] = *color;
  lookup_color (widget, "error_color", color, &colors[1]);
  lookup_color (widget, "warning_color", color, &colors[2]);
  lookup_color (widget, "success_color", color, &colors[3]);
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x, (height - ICON_SIZE) / 2));
  gtk_symbolic_paintable_snapshot_symbolic (GTK_SYMBOLIC_PAINTABLE (icon), snapshot, ICON_SIZE, ICON_SIZE,
                                            colors, G_N_ELEMENTS (colors));
  gtk_snapshot_restore (snapshot);
}

static void
retort_log_row_snapshot (GtkWidget   *widget,
                         GtkSnapshot *snapshot)
{
  RetortLogRow *self = RETORT_LOG_ROW (widget);
  const RowMetrics *metrics = retort_log_row_get_metrics (self);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  const char *icon = level_icon (self->level);
  GdkRGBA color, dim, accent;
  PangoRectangle details;
  int x, text_end;

  if (self->entry == NULL || width <= 0)
    return;
  if (self->layouts_stale)
    update_layouts (self);

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &color);
  G_GNUC_END_IGNORE_DEPRECATIONS
  dim = faded (&color, DIM_ALPHA);
  lookup_color (widget, "accent_color", &color, &accent);

  x = ROW_PADDING_X;
  draw_layout (snapshot, self->layouts[LAYOUT_TIME], column_x (widget, x, metrics->time_width), height, &dim);
  x += metrics->time_width + COLUMN_SPACING;

  if (icon != NULL)
    {
      const GdkRGBA *icon_color = &color;

      /* warning and error rows are coloured whole by the stylesheet */
      if (self->level == RETORT_LOG_LEVEL_NOTICE || self->level == RETORT_LOG_LEVEL_REVISION)
        icon_color = &accent;
      draw_icon (self, snapshot, icon, column_x (widget, x, ICON_SIZE), height, icon_color);
    }
  x += ICON_SIZE + COLUMN_SPACING;

  draw_layout (snapshot, self->layouts[LAYOUT_REVISION], column_x (widget, x, metrics->revision_width), height,
               self->level == RETORT_LOG_LEVEL_REVISION ? &accent : &dim);
  x += metrics->revision_width + COLUMN_SPACING;

  /* the details at the end; the text ellipsized in between */
  pango_layout_get_pixel_extents (self->layouts[LAYOUT_DETAILS], NULL, &details);
  text_end = width - ROW_PADDING_X;
  if (details.width > 0)
    {
      draw_layout (snapshot, self->layouts[LAYOUT_DETAILS],
                   column_x (widget, text_end - details.width, details.width), height, &dim);
      text_end -= details.width + COLUMN_SPACING;
    }
  if (text_end > x)
    {
      PangoRectangle text;

      pango_layout_set_width (self->layouts[LAYOUT_TEXT], (text_end - x) * PANGO_SCALE);
      pango_layout_get_pixel_extents (self->layouts[LAYOUT_TEXT], NULL, &text);
      draw_layout (snapshot, self->layouts[LAYOUT_TEXT], column_x (widget, x, MIN (text.width, text_end - x)),
                   height, self->marker ? &dim : &color);
    }
}

/* The row's state (hover, selection) changes its style, not its size;
 * only a new font does. */
static void
retort_log_row_css_changed (GtkWidget         *widget,
                            GtkCssStyleChange *change)
{
  RetortLogRow *self = RETORT_LOG_ROW (widget);

  GTK_WIDGET_CLASS (retort_log_row_parent_class)->css_changed (widget, change);

  if (self->metrics != NULL &&
      !pango_font_description_equal (self->font,
                                     pango_context_get_font_description (gtk_widget_get_pango_context (widget))))
    {
      for (guint i = 0; i < N_LAYOUTS; i++)
        g_clear_object (&self->layouts[i]);
      self->layouts_stale = TRUE;
      self->metrics = NULL;
      gtk_widget_queue_resize (widget);
    }
}

static void
retort_log_row_direction_changed (GtkWidget        *widget,
                                  GtkTextDirection  previous)
{
  gtk_widget_queue_draw (widget);
}

static gboolean
retort_log_row_query_tooltip (GtkWidget  *widget,
                              int         x,
                              int         y,
                              gboolean    keyboard_tooltip,
                              GtkTooltip *tooltip)
{
  RetortLogRow *self = RETORT_LOG_ROW (widget);
  const char *revision;
  gint64 wall;
  g_autoptr(GDateTime) when = NULL;
  g_autofree char *date = NULL;
  g_autofree char *text = NULL;
  GString *out;

  if (self->entry == NULL)
    return FALSE;
  revision = retort_log_entry_get_revision (self->entry);
  wall = retort_log_entry_get_wall_time (self->entry);
  when = g_date_time_new_from_unix_local (wall / G_USEC_PER_SEC);
  date = when != NULL ? g_date_time_format (when, "%x %H:%M:%S") : NULL;
  text = g_utf8_substring (retort_log_entry_get_text (self->entry), 0, TOOLTIP_MAX_CHARS);

  out = g_string_new (text);
  if (revision != NULL)
    {
      g_string_append_c (out, '\n');
      /* TRANSLATORS: in a run log line's tooltip; %s is the full revision id */
      g_string_append_printf (out, _("Revision %s"), revision);
    }
  if (date != NULL)
    g_string_append_printf (out, "\n%s.%03d", date, (int) (wall % G_USEC_PER_SEC / 1000));
  gtk_tooltip_set_text (tooltip, out->str);
  g_string_free (out, TRUE);
  return TRUE;
}

static void
retort_log_row_dispose (GObject *object)
{
  RetortLogRow *self = RETORT_LOG_ROW (object);

  g_clear_object (&self->entry);
  for (guint i = 0; i < N_LAYOUTS; i++)
    g_clear_object (&self->layouts[i]);
  G_OBJECT_CLASS (retort_log_row_parent_class)->dispose (object);
}

static void
retort_log_row_class_init (RetortLogRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = retort_log_row_dispose;
  widget_class->measure = retort_log_row_measure;
  widget_class->snapshot = retort_log_row_snapshot;
  widget_class->css_changed = retort_log_row_css_changed;
  widget_class->direction_changed = retort_log_row_direction_changed;
  widget_class->query_tooltip = retort_log_row_query_tooltip;

  gtk_widget_class_set_css_name (widget_class, "logrow");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_LABEL);
}

static void
retort_log_row_init (RetortLogRow *self)
{
  self->level = RETORT_LOG_LEVEL_INFO;
  gtk_widget_add_css_class (GTK_WIDGET (self), level_class (self->level));
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
}

/* what a screen reader says for the row: the time, for a heading the
 * word, the text and the details */
static char *
accessible_label (RetortLogEntry *entry)
{
  char time[32];
  g_autofree char *details = format_details (entry);
  const char *text = retort_log_entry_get_text (entry);
  g_autofree char *heading = NULL;

  format_time (retort_log_entry_get_wall_time (entry), time, sizeof time);
  if (retort_log_entry_get_level (entry) == RETORT_LOG_LEVEL_REVISION)
    {
      /* TRANSLATORS: a run log's revision heading, read by a screen reader;
       * %s is what the step does, e.g. "Running upgrade -> ae1027a6acf" */
      heading = g_strdup_printf (_("Revision: %s"), text);
      text = heading;
    }
  if (details != NULL)
    return g_strdup_printf ("%s %s (%s)", time, text, details);
  return g_strdup_printf ("%s %s", time, text);
}

static void
retort_log_row_bind (RetortLogRow   *self,
                     RetortLogEntry *entry)
{
  RetortLogLevel level = retort_log_entry_get_level (entry);
  gboolean marker = retort_log_entry_is_marker (entry);
  g_autofree char *label = accessible_label (entry);

  g_set_object (&self->entry, entry);
  /* restyled only when the level changes: most lines are statements */
  if (level != self->level || marker != self->marker)
    {
      const char *classes[] = { level_class (level), marker ? "marker" : NULL, NULL };

      gtk_widget_set_css_classes (GTK_WIDGET (self), classes);
      self->level = level;
      self->marker = marker;
    }
  self->layouts_stale = TRUE;
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
setup_row (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           gpointer                  user_data)
{
  gtk_list_item_set_child (item, g_object_new (RETORT_TYPE_LOG_ROW, NULL));
}

static void
bind_row (GtkSignalListItemFactory *factory,
          GtkListItem              *item,
          gpointer                  user_data)
{
  retort_log_row_bind (RETORT_LOG_ROW (gtk_list_item_get_child (item)), gtk_list_item_get_item (item));
}

static void
unbind_row (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            gpointer                  user_data)
{
  /* the entry goes with the item; the row is drawn again only when bound */
  g_clear_object (&RETORT_LOG_ROW (gtk_list_item_get_child (item))->entry);
}

/* ---- first use ------------------------------------------------------------------- */

/* The first rows drawn would load the monospace font and read the icons'
 * SVGs, several milliseconds each, in the frame with the run's first lines.
 * Once the view is shown, this does it beforehand, one thing per idle
 * call so that none of them is a stall of its own. */
static const RetortLogLevel warm_icon_levels[] = {
  RETORT_LOG_LEVEL_REVISION, RETORT_LOG_LEVEL_NOTICE, RETORT_LOG_LEVEL_WARNING, RETORT_LOG_LEVEL_ERROR,
};

static gboolean
warm_up_cb (gpointer data)
{
  RetortLogView *self = data;
  GtkWidget *list = GTK_WIDGET (self->list_view);
  guint step = self->warm_up_step++;

  if (step == 0)
    {
      const PangoFontDescription *font;

      lookup_row_metrics (gtk_widget_get_pango_context (list), &font);
      return G_SOURCE_CONTINUE;
    }
  if (step - 1 < G_N_ELEMENTS (warm_icon_levels))
    {
      GtkIconTheme *theme = gtk_icon_theme_get_for_display (gtk_widget_get_display (list));
      g_autoptr(GtkIconPaintable) icon = gtk_icon_theme_lookup_icon (theme, level_icon (warm_icon_levels[step - 1]),
                                                                     NULL, ICON_SIZE,
                                                                     gtk_widget_get_scale_factor (list),
                                                                     gtk_widget_get_direction (list), 0);
      g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
      GdkRGBA black = { 0, 0, 0, 1 };
      GdkRGBA colors[4] = { black, black, black, black };
      GskRenderNode *node;

      /* drawing it once loads it; the theme keeps the recent ones */
      gtk_symbolic_paintable_snapshot_symbolic (GTK_SYMBOLIC_PAINTABLE (icon), snapshot, ICON_SIZE, ICON_SIZE,
                                                colors, G_N_ELEMENTS (colors));
      node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
      g_clear_pointer (&node, gsk_render_node_unref);
      return G_SOURCE_CONTINUE;
    }
  self->warm_up_source = 0;
  return G_SOURCE_REMOVE;
}

static void
on_list_mapped (RetortLogView *self)
{
  if (self->warm_up_step > 0 || self->warm_up_source != 0)
    return;
  self->warm_up_source = g_idle_add_full (G_PRIORITY_LOW, warm_up_cb, self, NULL);
  g_source_set_static_name (g_main_context_find_source_by_id (NULL, self->warm_up_source), "[retort] log view warm-up");
}

/* ---- following the end ------------------------------------------------------------ */

static gboolean
is_at_bottom (RetortLogView *self)
{
  GtkAdjustment *adj = self->vadjustment;

  return gtk_adjustment_get_value (adj) + gtk_adjustment_get_page_size (adj) >=
         gtk_adjustment_get_upper (adj) - BOTTOM_SLACK;
}

static void
update_jump_button (RetortLogView *self)
{
  gtk_widget_set_visible (self->jump_button, !self->following && !is_at_bottom (self));
}

static void
scroll_to_bottom (RetortLogView *self)
{
  guint n = self->log != NULL ? g_list_model_get_n_items (G_LIST_MODEL (self->log)) : 0;

  if (n > 0)
    gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.scroll-to-item", "u", n - 1);
}

static void
on_value_changed (RetortLogView *self,
                  GtkAdjustment *adjustment)
{
  double value = gtk_adjustment_get_value (adjustment);
  double upper = gtk_adjustment_get_upper (adjustment);

  /* the list moves the value itself while its estimate of the height
   * settles; only a move up with the height unchanged is the user's */
  if (is_at_bottom (self))
    self->following = TRUE;
  else if (value < self->last_value && upper == self->last_upper)
    self->following = FALSE;
  self->last_value = value;
  self->last_upper = upper;
  update_jump_button (self);
}

static gboolean
follow_cb (gpointer data)
{
  RetortLogView *self = data;

  self->follow_source = 0;
  if (self->following)
    scroll_to_bottom (self);
  return G_SOURCE_REMOVE;
}

static void
on_adjustment_changed (RetortLogView *self,
                       GtkAdjustment *adjustment)
{
  /* The list's size changed (its first allocation, a resize): back to the
   * end, after this allocation. The list tells the adjustment from inside
   * its size_allocate, where a scroll of its own would be lost, and before
   * its first allocation it cannot scroll to an item at all. */
  if (self->following && !is_at_bottom (self) && self->follow_source == 0)
    {
      self->follow_source = g_idle_add_full (G_PRIORITY_HIGH_IDLE, follow_cb, self, NULL);
      g_source_set_static_name (g_main_context_find_source_by_id (NULL, self->follow_source),
                                "[retort] log view follow");
    }
  self->last_upper = gtk_adjustment_get_upper (adjustment);
  self->last_value = gtk_adjustment_get_value (adjustment);
  update_jump_button (self);
}

static void
on_items_changed (RetortLogView *self,
                  guint          position,
                  guint          removed,
                  guint          added,
                  GListModel    *model)
{
  if (self->following && added > 0)
    scroll_to_bottom (self);
  if (self->current_match >= 0 && (guint) self->current_match >= position && removed > 0)
    self->current_match = -1;
}

/* ---- search ------------------------------------------------------------------------ */

static void
show_match (RetortLogView *self,
            gint           position)
{
  gboolean found = position >= 0;

  if (found)
    gtk_widget_remove_css_class (GTK_WIDGET (self->search_entry), "error");
  else
    gtk_widget_add_css_class (GTK_WIDGET (self->search_entry), "error");
  if (!found)
    return;
  self->current_match = position;
  /* looking at a match: new lines must not scroll it away */
  self->following = FALSE;
  gtk_single_selection_set_selected (self->selection, position);
  gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.scroll-to-item", "u", (guint) position);
  update_jump_button (self);
}

static gint
find_wrapping (RetortLogView      *self,
               const char         *text,
               gint                from,
               RetortLogDirection  direction)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->log));
  gint found;

  if (n == 0)
    return -1;
  if (from < 0)
    from = direction == RETORT_LOG_FORWARD ? 0 : (gint) n - 1;
  if ((guint) from >= n)
    from = direction == RETORT_LOG_FORWARD ? 0 : (gint) n - 1;
  found = retort_run_log_find (self->log, text, from, direction);
  if (found < 0)
    found = retort_run_log_find (self->log, text, direction == RETORT_LOG_FORWARD ? 0 : n - 1, direction);
  return found;
}

static void
cancel_search (RetortLogView *self)
{
  g_cancellable_cancel (self->search_cancellable);
  g_clear_object (&self->search_cancellable);
}

static void
found_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(RetortLogView) self = user_data;
  g_autoptr(GError) error = NULL;
  gint found = retort_run_log_find_finish (RETORT_RUN_LOG (object), result, &error);

  /* a newer search, another log, or the view went away */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->search_cancellable);
  show_match (self, found);
}

/* Searches the whole log a slice at a time (a long log would block the
 * main loop for tens of milliseconds in one go), from `from` on, wrapping. */
static void
search (RetortLogView      *self,
        gint                from,
        RetortLogDirection  direction)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  guint n;

  cancel_search (self);
  g_free (self->searched_text);
  self->searched_text = g_strdup (text);
  if (self->log == NULL || text[0] == '\0')
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->search_entry), "error");
      return;
    }
  n = g_list_model_get_n_items (G_LIST_MODEL (self->log));
  if (from < 0)
    from = direction == RETORT_LOG_FORWARD ? 0 : (gint) n - 1;
  self->search_cancellable = g_cancellable_new ();
  retort_run_log_find_async (self->log, text, (guint) from, direction, self->search_cancellable, found_cb,
                             g_object_ref (self));
}

static void
on_search_changed (RetortLogView *self)
{
  /* the entry says so a moment after the text changed: by then Enter, or
   * retort_log_view_search, may have searched for it already */
  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->search_entry)), self->searched_text) == 0)
    return;
  /* refine in place: the current match stays if it still matches */
  search (self, MAX (self->current_match, 0), RETORT_LOG_FORWARD);
}

static void
on_search_next (RetortLogView *self)
{
  search (self, self->current_match + 1, RETORT_LOG_FORWARD);
}

static void
on_search_previous (RetortLogView *self)
{
  search (self, self->current_match - 1, RETORT_LOG_BACKWARD);
}

static void
on_stop_search (RetortLogView *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  gtk_widget_grab_focus (GTK_WIDGET (self->list_view));
}

/* ---- actions ------------------------------------------------------------------------ */

static void
show_toast (RetortLogView *self,
            const char    *title)
{
  AdwToast *toast = adw_toast_new (title);

  adw_toast_set_timeout (toast, 3);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
copied_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(RetortLogView) self = user_data;
  g_autoptr(GError) error = NULL;
  char *text = retort_run_log_get_text_finish (RETORT_RUN_LOG (object), result, &error);
  guint n = self->copying_lines;
  g_autofree char *title = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GdkContentProvider) provider = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "log.copy-all", TRUE);
  if (text == NULL)
    {
      title = g_strdup_printf (_("Could not copy the log: %s"), error->message);
      show_toast (self, title);
      return;
    }
  /* the text is handed over, not copied again (it can be megabytes) */
  /* handed over as UTF-8 bytes, not copied again: the text can be tens of
   * megabytes, and GdkClipboard copies a string it is given */
  bytes = g_bytes_new_take (text, strlen (text));
  provider = gdk_content_provider_new_for_bytes ("text/plain;charset=utf-8", bytes);
  gdk_clipboard_set_content (gtk_widget_get_clipboard (GTK_WIDGET (self)), provider);
  title = g_strdup_printf (ngettext ("Copied %u line", "Copied %u lines", n), n);
  show_toast (self, title);
}

/* The text of 100,000 lines takes a worker about 100 ms to write; the
 * main thread only takes a snapshot (a reference per 4,096 lines). */
static void
copy_all_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  RetortLogView *self = RETORT_LOG_VIEW (widget);

  if (self->log == NULL)
    return;
  /* one copy at a time: the action is off until this one is done */
  self->copying_lines = retort_run_log_get_n_lines (self->log);
  gtk_widget_action_set_enabled (widget, "log.copy-all", FALSE);
  retort_run_log_get_text_async (self->log, self->cancellable, copied_cb, g_object_ref (self));
}

static void
saved_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(RetortLogView) self = user_data;
  g_autoptr(GError) error = NULL;

  if (retort_run_log_save_finish (RETORT_RUN_LOG (object), result, &error))
    show_toast (self, _("Log saved"));
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_autofree char *title = g_strdup_printf (_("Could not save the log: %s"), error->message);
      show_toast (self, title);
    }
}

static void
chooser_response_cb (RetortLogView        *self,
                     int                   response,
                     GtkFileChooserNative *chooser)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT && self->log != NULL)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  if (file != NULL)
    retort_run_log_save_async (self->log, file, self->cancellable, saved_cb, g_object_ref (self));
  g_clear_object (&self->chooser);
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  RetortLogView *self = RETORT_LOG_VIEW (widget);
  GtkRoot *root = gtk_widget_get_root (widget);

  if (self->log == NULL || self->chooser != NULL)
    return;
  self->chooser = gtk_file_chooser_native_new (_("Save Log"),
                                               GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                               GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), "retort-run.log");
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (chooser_response_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
next_match_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  on_search_next (RETORT_LOG_VIEW (widget));
}

static void
previous_match_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  on_search_previous (RETORT_LOG_VIEW (widget));
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  RetortLogView *self = RETORT_LOG_VIEW (widget);

  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
  gtk_editable_select_region (GTK_EDITABLE (self->search_entry), 0, -1);
}

static void
jump_to_bottom_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  RetortLogView *self = RETORT_LOG_VIEW (widget);

  self->following = TRUE;
  scroll_to_bottom (self);
  update_jump_button (self);
}

/* ---- the object ------------------------------------------------------------------------ */

static void
retort_log_view_dispose (GObject *object)
{
  RetortLogView *self = RETORT_LOG_VIEW (object);
  GtkWidget *child;

  g_cancellable_cancel (self->cancellable);
  cancel_search (self);
  g_clear_handle_id (&self->warm_up_source, g_source_remove);
  g_clear_handle_id (&self->follow_source, g_source_remove);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  gtk_widget_dispose_template (GTK_WIDGET (self), RETORT_TYPE_LOG_VIEW);
  /* the toolbar is not a bound child: the template leaves it to us */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->selection);
  g_clear_object (&self->log);
  G_OBJECT_CLASS (retort_log_view_parent_class)->dispose (object);
}

static void
retort_log_view_finalize (GObject *object)
{
  RetortLogView *self = RETORT_LOG_VIEW (object);

  g_clear_object (&self->cancellable);
  g_free (self->searched_text);
  G_OBJECT_CLASS (retort_log_view_parent_class)->finalize (object);
}

static void
retort_log_view_class_init (RetortLogViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = retort_log_view_dispose;
  object_class->finalize = retort_log_view_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/org/retort/Retort/ui/retort-log-view.ui");
  gtk_widget_class_bind_template_child (widget_class, RetortLogView, search_entry);
  gtk_widget_class_bind_template_child (widget_class, RetortLogView, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, RetortLogView, scrolled_window);
  gtk_widget_class_bind_template_child (widget_class, RetortLogView, list_view);
  gtk_widget_class_bind_template_child (widget_class, RetortLogView, jump_button);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_search_next);
  gtk_widget_class_bind_template_callback (widget_class, on_search_previous);
  gtk_widget_class_bind_template_callback (widget_class, on_stop_search);

  gtk_widget_class_install_action (widget_class, "log.copy-all", NULL, copy_all_action);
  gtk_widget_class_install_action (widget_class, "log.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "log.next-match", NULL, next_match_action);
  gtk_widget_class_install_action (widget_class, "log.previous-match", NULL, previous_match_action);
  gtk_widget_class_install_action (widget_class, "log.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "log.jump-to-bottom", NULL, jump_to_bottom_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "log.search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_g, GDK_CONTROL_MASK, "log.next-match", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_g, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "log.previous-match", NULL);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "logview");
}

static void
retort_log_view_init (RetortLogView *self)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_orientable_set_orientation (GTK_ORIENTABLE (gtk_widget_get_layout_manager (GTK_WIDGET (self))),
                                  GTK_ORIENTATION_VERTICAL);
  self->cancellable = g_cancellable_new ();
  self->following = TRUE;
  self->current_match = -1;

  g_signal_connect (factory, "setup", G_CALLBACK (setup_row), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row), NULL);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_row), NULL);
  gtk_list_view_set_factory (self->list_view, factory);

  self->selection = gtk_single_selection_new (NULL);
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));

  g_signal_connect_object (self->list_view, "map", G_CALLBACK (on_list_mapped), self, G_CONNECT_SWAPPED);

  self->vadjustment = gtk_scrolled_window_get_vadjustment (self->scrolled_window);
  g_signal_connect_object (self->vadjustment, "value-changed", G_CALLBACK (on_value_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->vadjustment, "changed", G_CALLBACK (on_adjustment_changed), self,
                           G_CONNECT_SWAPPED);
}

GtkWidget *
retort_log_view_new (void)
{
  return g_object_new (RETORT_TYPE_LOG_VIEW, NULL);
}

void
retort_log_view_set_log (RetortLogView *self,
                         RetortRunLog  *log)
{
  g_return_if_fail (RETORT_IS_LOG_VIEW (self));
  g_return_if_fail (log == NULL || RETORT_IS_RUN_LOG (log));

  if (self->log == log)
    return;
  if (self->log != NULL)
    g_signal_handlers_disconnect_by_data (self->log, self);
  cancel_search (self);
  g_set_object (&self->log, log);
  self->current_match = -1;
  self->following = TRUE;
  /* the list hears of new lines first, then on_items_changed scrolls to them */
  gtk_single_selection_set_model (self->selection, G_LIST_MODEL (log));
  if (log != NULL)
    {
      g_signal_connect_object (log, "items-changed", G_CALLBACK (on_items_changed), self, G_CONNECT_SWAPPED);
      scroll_to_bottom (self);
    }
  update_jump_button (self);
}

RetortRunLog *
retort_log_view_get_log (RetortLogView *self)
{
  g_return_val_if_fail (RETORT_IS_LOG_VIEW (self), NULL);
  return self->log;
}

gboolean
retort_log_view_get_following (RetortLogView *self)
{
  g_return_val_if_fail (RETORT_IS_LOG_VIEW (self), FALSE);
  return self->following;
}

gint
retort_log_view_search (RetortLogView *self,
                        const char    *text)
{
  g_return_val_if_fail (RETORT_IS_LOG_VIEW (self), -1);

  cancel_search (self);
  self->current_match = -1;
  /* search-changed is delayed while typing; a caller wants the answer now */
  g_signal_handlers_block_by_func (self->search_entry, on_search_changed, self);
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text);
  g_signal_handlers_unblock_by_func (self->search_entry, on_search_changed, self);
  g_free (self->searched_text);
  self->searched_text = g_strdup (text);
  if (self->log == NULL || text[0] == '\0')
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->search_entry), "error");
      return -1;
    }
  show_match (self, find_wrapping (self, text, 0, RETORT_LOG_FORWARD));
  return self->current_match;
}
