/* retort-revision-row.c — one line of the timeline
 *
 * Left to right: the graph, the short id, pins for the databases whose
 * version tables hold it (where git tools show refs), the message, what it
 * depends on, branch labels, the head marker and the date. With a database selected, the node shows
 * whether it has the revision, and rows it still lacks are dimmed.
 *
 * Rows are recycled by the GtkListView: a handful of them show thousands of
 * revisions, so making a row and binding it must be cheap, and bind must
 * reset everything it sets. Widgets most revisions do not need (pins, the
 * "+N" button and its popover, branch label chips) are made the first time
 * a revision bound to the row needs them, then kept. Tooltips are given on
 * query-tooltip: setting a tooltip's text makes GTK 4.8 ask the display
 * where the pointer is, a round trip to the X server on every bind.
 *
 * Nothing but the message may make the row wide: chips ellipsize and at
 * most two branch labels are shown, so a narrow window still fits it.
 *
 * A jump through the list rebinds every row it keeps (about two hundred),
 * and whatever changes size is measured again, up to the window. So the
 * id, the message and the date are RetortRowTexts: sized from the font
 * alone, their text laid out when first drawn (only the rows on screen
 * are), so binding one only redraws it. Texts are set only when they
 * changed, and a row whose revision the selected database lacks is faded
 * as it is drawn rather than by a style class: restyling two hundred rows
 * would cost a switch of database tens of milliseconds.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "retort-revision-row"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "retort-font-cache.h"
#include "retort-revision-row.h"

#define N_PIN_LABELS 3
/* branch labels shown before "+N": a revision inherits the labels of every
 * branch it is on, seven of them in the benchmark's project */
#define N_BRANCH_CHIPS 2
/* how wide a message is when there is room, in characters (its size must
 * not depend on its text, or every bind would resize the row) */
#define MESSAGE_NATURAL_CHARS 48
/* a pending row's text: half as opaque; dimmed text (id, date) down from
 * libadwaita's 0.55 to about 0.3 */
#define PENDING_OPACITY     0.5
#define PENDING_DIM_OPACITY 0.55

/* --- one line of text, laid out when drawn ------------------------------------ */

/* A label for recycled rows. Its size comes from the font's metrics and its
 * width in characters, never from its text, so setting the text only
 * redraws it; the PangoLayout is made when the row is first drawn on
 * screen, not for the rows the list keeps off screen. Its CSS name is
 * "label", so it is styled as one (monospace, dim-label, numeric). */
#define RETORT_TYPE_ROW_TEXT (retort_row_text_get_type ())
G_DECLARE_FINAL_TYPE (RetortRowText, retort_row_text, RETORT, ROW_TEXT, GtkWidget)

/* per font: GtkLabel's width of a character (the wider of an average
 * character and a digit), in Pango units, and a line's height in pixels */
typedef struct
{
  int char_width;
  int line_height;
} TextMetrics;

struct _RetortRowText
{
  GtkWidget                   parent_instance;

  char                       *text;
  PangoLayout                *layout;      /* made when first drawn */
  const PangoFontDescription *font;        /* the metrics' key, owned by the cache */
  const TextMetrics          *metrics;
  int                         width_chars; /* -1: the message's elastic width */
  float                       xalign;
  PangoEllipsizeMode          ellipsize;
};

G_DEFINE_FINAL_TYPE (RetortRowText, retort_row_text, GTK_TYPE_WIDGET)

enum {
  TEXT_PROP_0,
  TEXT_PROP_LABEL,
  TEXT_PROP_WIDTH_CHARS,
  TEXT_PROP_XALIGN,
  TEXT_PROP_ELLIPSIZE,
  N_TEXT_PROPS
};

static GParamSpec *text_properties[N_TEXT_PROPS];

static gpointer
measure_text (PangoContext               *context,
              const PangoFontDescription *description)
{
  PangoFontMetrics *font_metrics = pango_context_get_metrics (context, description, NULL);
  TextMetrics *metrics = g_new0 (TextMetrics, 1);

  metrics->char_width = retort_font_char_width (font_metrics);
  metrics->line_height = PANGO_PIXELS_CEIL (pango_font_metrics_get_ascent (font_metrics) +
                                            pango_font_metrics_get_descent (font_metrics));
  pango_font_metrics_unref (font_metrics);
  return metrics;
}

/* Fonts' metrics, shared by every row (GtkLabel would ask Pango at every
 * measure) */
static const TextMetrics *
lookup_metrics (PangoContext                *context,
                const PangoFontDescription **font)
{
  static GHashTable *cache;

  return retort_font_cache_lookup (&cache, context, measure_text, font);
}

static const TextMetrics *
retort_row_text_get_metrics (RetortRowText *self)
{
  if (self->metrics == NULL)
    self->metrics = lookup_metrics (gtk_widget_get_pango_context (GTK_WIDGET (self)), &self->font);
  return self->metrics;
}

static void
retort_row_text_measure (GtkWidget      *widget,
                         GtkOrientation  orientation,
                         int             for_size,
                         int            *minimum,
                         int            *natural,
                         int            *minimum_baseline,
                         int            *natural_baseline)
{
  RetortRowText *self = RETORT_ROW_TEXT (widget);
  const TextMetrics *metrics = retort_row_text_get_metrics (self);

  if (orientation == GTK_ORIENTATION_VERTICAL)
    *minimum = *natural = metrics->line_height;
  else if (self->width_chars >= 0)
    *minimum = *natural = PANGO_PIXELS_CEIL (metrics->char_width * self->width_chars);
  else
    {
      /* as narrow as an ellipsis, as GtkLabel's; wide enough for most messages */
      *minimum = PANGO_PIXELS_CEIL (metrics->char_width);
      *natural = PANGO_PIXELS_CEIL (metrics->char_width * MESSAGE_NATURAL_CHARS);
    }
}

static void
retort_row_text_snapshot (GtkWidget   *widget,
                          GtkSnapshot *snapshot)
{
  RetortRowText *self = RETORT_ROW_TEXT (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  float xalign = self->xalign;
  PangoRectangle logical;

  if (self->text == NULL || *self->text == '\0' || width <= 0)
    return;
  if (self->layout == NULL)
    {
      self->layout = gtk_widget_create_pango_layout (widget, self->text);
      pango_layout_set_ellipsize (self->layout, self->ellipsize);
      pango_layout_set_single_paragraph_mode (self->layout, TRUE);
    }
  pango_layout_set_width (self->layout, self->ellipsize != PANGO_ELLIPSIZE_NONE ? width * PANGO_SCALE : -1);
  pango_layout_get_pixel_extents (self->layout, NULL, &logical);
  if (gtk_widget_get_direction (widget) == GTK_TEXT_DIR_RTL)
    xalign = 1.0f - xalign;

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_snapshot_render_layout (snapshot, gtk_widget_get_style_context (widget),
                              floorf (xalign * (width - logical.width)) - logical.x,
                              floorf ((height - logical.height) / 2.0f) - logical.y,
                              self->layout);
  G_GNUC_END_IGNORE_DEPRECATIONS
}

/* Called for every state change of the row (hover, selection): only a new
 * font (a larger text, another stylesheet) resizes it. The layout is
 * made again when next drawn, with the style's attributes. */
static void
retort_row_text_css_changed (GtkWidget         *widget,
                             GtkCssStyleChange *change)
{
  RetortRowText *self = RETORT_ROW_TEXT (widget);

  GTK_WIDGET_CLASS (retort_row_text_parent_class)->css_changed (widget, change);

  g_clear_object (&self->layout);
  if (self->metrics != NULL &&
      !pango_font_description_equal (self->font,
                                     pango_context_get_font_description (gtk_widget_get_pango_context (widget))))
    {
      const TextMetrics *old = self->metrics;

      self->metrics = NULL;
      if (memcmp (old, retort_row_text_get_metrics (self), sizeof *old) != 0)
        gtk_widget_queue_resize (widget);
    }
}

static void
retort_row_text_direction_changed (GtkWidget        *widget,
                                   GtkTextDirection  previous)
{
  g_clear_object (&RETORT_ROW_TEXT (widget)->layout);
  gtk_widget_queue_draw (widget);
}

/* the text is set only when it changed: a bind rarely changes them all */
static void
retort_row_text_set_text (RetortRowText *self,
                          const char    *text)
{
  if (g_strcmp0 (self->text, text) == 0)
    return;
  g_free (self->text);
  self->text = g_strdup (text);
  /* laid out again when drawn; the layout keeps the style's attributes */
  if (self->layout != NULL)
    pango_layout_set_text (self->layout, text != NULL ? text : "", -1);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, text, -1);
  g_object_notify_by_pspec (G_OBJECT (self), text_properties[TEXT_PROP_LABEL]);
}

static void
retort_row_text_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  RetortRowText *self = RETORT_ROW_TEXT (object);

  switch (prop_id)
    {
    case TEXT_PROP_LABEL:
      g_value_set_string (value, self->text);
      break;

    case TEXT_PROP_WIDTH_CHARS:
      g_value_set_int (value, self->width_chars);
      break;

    case TEXT_PROP_XALIGN:
      g_value_set_float (value, self->xalign);
      break;

    case TEXT_PROP_ELLIPSIZE:
      g_value_set_enum (value, self->ellipsize);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
retort_row_text_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  RetortRowText *self = RETORT_ROW_TEXT (object);

  switch (prop_id)
    {
    case TEXT_PROP_LABEL:
      retort_row_text_set_text (self, g_value_get_string (value));
      break;

    case TEXT_PROP_WIDTH_CHARS:
      self->width_chars = g_value_get_int (value);
      gtk_widget_queue_resize (GTK_WIDGET (self));
      break;

    case TEXT_PROP_XALIGN:
      self->xalign = g_value_get_float (value);
      gtk_widget_queue_draw (GTK_WIDGET (self));
      break;

    case TEXT_PROP_ELLIPSIZE:
      self->ellipsize = g_value_get_enum (value);
      g_clear_object (&self->layout);
      gtk_widget_queue_draw (GTK_WIDGET (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
retort_row_text_finalize (GObject *object)
{
  RetortRowText *self = RETORT_ROW_TEXT (object);

  g_free (self->text);
  g_clear_object (&self->layout);

  G_OBJECT_CLASS (retort_row_text_parent_class)->finalize (object);
}

static void
retort_row_text_class_init (RetortRowTextClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = retort_row_text_finalize;
  object_class->get_property = retort_row_text_get_property;
  object_class->set_property = retort_row_text_set_property;
  widget_class->measure = retort_row_text_measure;
  widget_class->snapshot = retort_row_text_snapshot;
  widget_class->css_changed = retort_row_text_css_changed;
  widget_class->direction_changed = retort_row_text_direction_changed;

  /* "label", as GtkLabel's, so tests read either the same way */
  text_properties[TEXT_PROP_LABEL] =
    g_param_spec_string ("label", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  text_properties[TEXT_PROP_WIDTH_CHARS] =
    g_param_spec_int ("width-chars", NULL, NULL, -1, G_MAXINT, -1,
                      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  text_properties[TEXT_PROP_XALIGN] =
    g_param_spec_float ("xalign", NULL, NULL, 0.0f, 1.0f, 0.0f,
                        G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  text_properties[TEXT_PROP_ELLIPSIZE] =
    g_param_spec_enum ("ellipsize", NULL, NULL, PANGO_TYPE_ELLIPSIZE_MODE, PANGO_ELLIPSIZE_END,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_TEXT_PROPS, text_properties);

  gtk_widget_class_set_css_name (widget_class, "label");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_LABEL);
}

static void
retort_row_text_init (RetortRowText *self)
{
  self->width_chars = -1;
  self->ellipsize = PANGO_ELLIPSIZE_END;
}

struct _RetortRevisionRow
{
  GtkWidget        parent_instance;

  RetortProject   *project;
  RetortRevision  *revision;
  RetortProfile   *selected_profile;
  gulong           profiles_changed_id;
  RetortProfile   *pin_profiles[N_PIN_LABELS];
  GtkWidget       *pins[N_PIN_LABELS];      /* made with the first pin */
  GtkMenuButton   *more_pins_button;        /* made with the first "+N" */
  GtkLabel        *more_pins_label;
  GtkWidget       *branch_chips[N_BRANCH_CHIPS + 1];  /* the last one is "+N" */
  char            *depends_tooltip;
  gboolean         pending;                 /* faded: the selected database lacks it */

  /* template children */
  RetortGraphCell *graph_cell;
  RetortRowText   *id_label;
  RetortRowText   *message_label;
  GtkBox          *labels_box;
  GtkStack        *head_stack;
  GtkLabel        *head_label;
  GtkLabel        *depends_label;
  RetortRowText   *date_label;
  GtkBox          *pins_box;
};

G_DEFINE_FINAL_TYPE (RetortRevisionRow, retort_revision_row, GTK_TYPE_WIDGET)

static const char * const tier_classes[] = {
  "tier-development", "tier-staging", "tier-production", "tier-other",
};

/* Rows are rebound all the time, mostly to revisions that say the same:
 * screen readers are told a text again only when it changed. */
static void
update_accessible_text (GtkWidget             *widget,
                        GtkAccessibleProperty  property,
                        const char            *text)
{
  const char *key = property == GTK_ACCESSIBLE_PROPERTY_LABEL ? "retort-accessible-label"
                                                              : "retort-accessible-description";

  if (g_strcmp0 (g_object_get_data (G_OBJECT (widget), key), text) == 0)
    return;
  g_object_set_data_full (G_OBJECT (widget), key, g_strdup (text), g_free);
  gtk_accessible_update_property (GTK_ACCESSIBLE (widget), property, text, -1);
}

/* GtkLabel lays its text out again, and resizes, even when it is the same */
static void
set_label_text (GtkLabel   *label,
                const char *text)
{
  if (g_strcmp0 (gtk_label_get_label (label), text) != 0)
    gtk_label_set_label (label, text);
}

static GtkWidget *
chip_new (const char *kind)
{
  GtkWidget *chip = gtk_label_new (NULL);

  /* a long name is cut short rather than widen the row */
  gtk_label_set_ellipsize (GTK_LABEL (chip), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (chip, "chip");
  gtk_widget_add_css_class (chip, kind);
  return chip;
}

/* Two labels at most, then "+N". The chips are made when first needed
 * and kept: rows of one branch carry the same labels. */
static void
set_branch_labels (RetortRevisionRow  *self,
                   const char * const *labels)
{
  guint n = labels != NULL ? g_strv_length ((char **) labels) : 0;
  guint n_named = n <= N_BRANCH_CHIPS ? n : N_BRANCH_CHIPS;

  for (guint i = 0; i <= N_BRANCH_CHIPS; i++)
    {
      gboolean more = i == N_BRANCH_CHIPS;
      gboolean shown = more ? n > N_BRANCH_CHIPS : i < n_named;

      if (shown && self->branch_chips[i] == NULL)
        {
          self->branch_chips[i] = chip_new ("branch");
          /* "+N" is short, and says there is more: it keeps its text */
          if (more)
            gtk_label_set_ellipsize (GTK_LABEL (self->branch_chips[i]), PANGO_ELLIPSIZE_NONE);
          gtk_box_append (self->labels_box, self->branch_chips[i]);
        }
      if (shown && more)
        {
          g_autofree char *text = g_strdup_printf ("+%u", n - N_BRANCH_CHIPS);

          set_label_text (GTK_LABEL (self->branch_chips[i]), text);
        }
      else if (shown)
        set_label_text (GTK_LABEL (self->branch_chips[i]), labels[i]);
      if (self->branch_chips[i] != NULL)
        gtk_widget_set_visible (self->branch_chips[i], shown);
    }
  /* what the tooltip says, for screen readers */
  if (n > N_BRANCH_CHIPS)
    {
      g_autofree char *hidden = g_strjoinv (", ", (char **) labels + N_BRANCH_CHIPS);
      /* Translators: the "+N" chip after a revision's first branch labels; %s lists the others */
      g_autofree char *description = g_strdup_printf (ngettext ("%u more branch label: %s",
                                                                "%u more branch labels: %s",
                                                                n - N_BRANCH_CHIPS),
                                                      n - N_BRANCH_CHIPS, hidden);

      update_accessible_text (self->branch_chips[N_BRANCH_CHIPS], GTK_ACCESSIBLE_PROPERTY_LABEL, description);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->labels_box), n > 0);
}

/* --- pins ----------------------------------------------------------------- */

static void
style_pin (GtkWidget     *pin,
           RetortProfile *profile)
{
  const char *tier_class = retort_profile_get_tier_class (profile);

  for (guint i = 0; i < G_N_ELEMENTS (tier_classes); i++)
    if (g_strcmp0 (tier_classes[i], tier_class) != 0)
      gtk_widget_remove_css_class (pin, tier_classes[i]);
  gtk_widget_add_css_class (pin, tier_class);
}

static char *
pin_tooltip (RetortProfile *profile)
{
  /* Translators: a pin on a revision; the first %s is a database's name, the second its tier */
  return g_strdup_printf (_("%s (%s) is at this revision"),
                          retort_profile_get_name (profile),
                          retort_profile_get_tier_label (profile));
}

static void create_pins_popover (GtkMenuButton *button,
                                 gpointer       user_data);

static gboolean
pin_query_tooltip_cb (GtkWidget         *widget,
                      int                x,
                      int                y,
                      gboolean           keyboard_mode,
                      GtkTooltip        *tooltip,
                      RetortRevisionRow *self)
{
  for (guint i = 0; i < N_PIN_LABELS; i++)
    if (self->pins[i] == widget && self->pin_profiles[i] != NULL)
      {
        g_autofree char *text = pin_tooltip (self->pin_profiles[i]);

        gtk_tooltip_set_text (tooltip, text);
        return TRUE;
      }
  return FALSE;
}

static void
ensure_pins (RetortRevisionRow *self)
{
  if (self->pins[0] != NULL)
    return;
  for (guint i = 0; i < N_PIN_LABELS; i++)
    {
      GtkWidget *pin = gtk_label_new (NULL);

      gtk_label_set_max_width_chars (GTK_LABEL (pin), 12);
      gtk_label_set_ellipsize (GTK_LABEL (pin), PANGO_ELLIPSIZE_END);
      gtk_widget_add_css_class (pin, "chip");
      gtk_widget_add_css_class (pin, "pin");
      gtk_widget_set_has_tooltip (pin, TRUE);
      g_signal_connect (pin, "query-tooltip", G_CALLBACK (pin_query_tooltip_cb), self);
      gtk_widget_set_visible (pin, FALSE);
      gtk_box_append (self->pins_box, pin);
      self->pins[i] = pin;
    }
}

static void
ensure_more_pins_button (RetortRevisionRow *self)
{
  GtkWidget *button;
  GtkWidget *label;

  if (self->more_pins_button != NULL)
    return;
  button = gtk_menu_button_new ();
  label = gtk_label_new (NULL);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  /* a label child, not the label property: that one adds an arrow */
  gtk_menu_button_set_child (GTK_MENU_BUTTON (button), label);
  gtk_widget_set_tooltip_text (button, _("All databases at this revision"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("All databases at this revision"),
                                  -1);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_add_css_class (button, "more-pins");
  gtk_menu_button_set_create_popup_func (GTK_MENU_BUTTON (button), create_pins_popover, self, NULL);
  gtk_box_append (self->pins_box, button);
  self->more_pins_button = GTK_MENU_BUTTON (button);
  self->more_pins_label = GTK_LABEL (label);
}

static void
update_pins (RetortRevisionRow *self)
{
  GListModel *profiles = self->project != NULL ? retort_project_get_profiles (self->project) : NULL;
  guint n_profiles = profiles != NULL ? g_list_model_get_n_items (profiles) : 0;
  RetortProfile *shown[N_PIN_LABELS] = { NULL, };
  guint n_pinned = 0;
  guint n_labels;

  for (guint i = 0; i < n_profiles && self->revision != NULL; i++)
    {
      g_autoptr(RetortProfile) profile = g_list_model_get_item (profiles, i);

      if (!retort_profile_is_at (profile, self->revision))
        continue;
      if (n_pinned < N_PIN_LABELS)
        shown[n_pinned] = profile;  /* the model keeps it alive */
      n_pinned++;
    }

  gtk_widget_set_visible (GTK_WIDGET (self->pins_box), n_pinned > 0);
  if (n_pinned > 0)
    ensure_pins (self);
  else if (self->pins[0] == NULL)
    return;

  /* More than three pins: two and a "+N" button with the whole list. */
  n_labels = n_pinned <= N_PIN_LABELS ? n_pinned : N_PIN_LABELS - 1;
  for (guint i = 0; i < N_PIN_LABELS; i++)
    {
      GtkWidget *pin = self->pins[i];

      if (i < n_labels)
        {
          set_label_text (GTK_LABEL (pin), retort_profile_get_name (shown[i]));
          style_pin (pin, shown[i]);
          /* for its tooltip, made when asked for */
          g_set_object (&self->pin_profiles[i], shown[i]);
        }
      else
        g_clear_object (&self->pin_profiles[i]);
      gtk_widget_set_visible (pin, i < n_labels);
    }

  if (n_pinned > N_PIN_LABELS)
    {
      g_autofree char *more = g_strdup_printf ("+%u", n_pinned - n_labels);

      ensure_more_pins_button (self);
      set_label_text (self->more_pins_label, more);
    }
  if (self->more_pins_button != NULL)
    gtk_widget_set_visible (GTK_WIDGET (self->more_pins_button), n_pinned > N_PIN_LABELS);
}

/* The popover of the "+N" button: every database at this revision, filled
 * when it opens so rows that are only scrolled past pay nothing. */
static void
create_pins_popover (GtkMenuButton *button,
                     gpointer       user_data)
{
  RetortRevisionRow *self = RETORT_REVISION_ROW (user_data);
  GtkPopover *popover = gtk_menu_button_get_popover (button);
  GListModel *profiles;
  GtkWidget *box;

  if (popover == NULL)
    {
      popover = GTK_POPOVER (gtk_popover_new ());
      gtk_widget_add_css_class (GTK_WIDGET (popover), "pins-popover");
      gtk_menu_button_set_popover (button, GTK_WIDGET (popover));
    }
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_popover_set_child (popover, box);

  if (self->project == NULL || self->revision == NULL)
    return;
  profiles = retort_project_get_profiles (self->project);
  for (guint i = 0; i < g_list_model_get_n_items (profiles); i++)
    {
      g_autoptr(RetortProfile) profile = g_list_model_get_item (profiles, i);
      g_autofree char *tooltip = NULL;
      GtkWidget *pin;

      if (!retort_profile_is_at (profile, self->revision))
        continue;
      tooltip = pin_tooltip (profile);

      pin = gtk_label_new (retort_profile_get_name (profile));
      gtk_widget_set_halign (pin, GTK_ALIGN_START);
      gtk_widget_add_css_class (pin, "chip");
      gtk_widget_add_css_class (pin, "pin");
      style_pin (pin, profile);
      gtk_widget_set_tooltip_text (pin, tooltip);
      gtk_box_append (GTK_BOX (box), pin);
    }
}

/* --- tooltips ------------------------------------------------------------ */

static gboolean
id_query_tooltip_cb (GtkWidget         *widget,
                     int                x,
                     int                y,
                     gboolean           keyboard_mode,
                     GtkTooltip        *tooltip,
                     RetortRevisionRow *self)
{
  if (self->revision == NULL)
    return FALSE;
  gtk_tooltip_set_text (tooltip, retort_revision_get_id (self->revision));
  return TRUE;
}

static gboolean
date_query_tooltip_cb (GtkWidget         *widget,
                       int                x,
                       int                y,
                       gboolean           keyboard_mode,
                       GtkTooltip        *tooltip,
                       RetortRevisionRow *self)
{
  const char *date = self->revision != NULL ? retort_revision_get_create_date (self->revision) : NULL;

  if (date == NULL || *date == '\0')
    return FALSE;
  gtk_tooltip_set_text (tooltip, date);
  return TRUE;
}

static gboolean
depends_query_tooltip_cb (GtkWidget         *widget,
                          int                x,
                          int                y,
                          gboolean           keyboard_mode,
                          GtkTooltip        *tooltip,
                          RetortRevisionRow *self)
{
  if (self->depends_tooltip == NULL)
    return FALSE;
  gtk_tooltip_set_text (tooltip, self->depends_tooltip);
  return TRUE;
}

static gboolean
head_query_tooltip_cb (GtkWidget         *widget,
                       int                x,
                       int                y,
                       gboolean           keyboard_mode,
                       GtkTooltip        *tooltip,
                       RetortRevisionRow *self)
{
  gtk_tooltip_set_text (tooltip, _("No later revision builds on this one"));
  return TRUE;
}

static gboolean
labels_query_tooltip_cb (GtkWidget         *widget,
                         int                x,
                         int                y,
                         gboolean           keyboard_mode,
                         GtkTooltip        *tooltip,
                         RetortRevisionRow *self)
{
  const char * const *labels = NULL;
  g_autofree char *all = NULL;
  g_autofree char *text = NULL;
  guint n;

  if (self->project != NULL && self->revision != NULL)
    labels = retort_revision_map_get_branch_labels (retort_project_get_map (self->project), self->revision);
  n = labels != NULL ? g_strv_length ((char **) labels) : 0;
  if (n == 0)
    return FALSE;
  all = g_strjoinv (", ", (char **) labels);
  /* Translators: the tooltip of a revision's branch label chips; %s is one label or a list */
  text = g_strdup_printf (ngettext ("Branch label: %s", "Branch labels: %s", n), all);
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

/* --- the selected database ------------------------------------------------ */

static void
update_standing (RetortRevisionRow *self)
{
  RetortGraphNodeStyle style = RETORT_GRAPH_NODE_NONE;

  /* A database whose version table was never read says nothing yet. */
  if (self->selected_profile != NULL && self->revision != NULL &&
      retort_profile_get_rows (self->selected_profile) != NULL)
    {
      if (retort_profile_is_at (self->selected_profile, self->revision))
        style = RETORT_GRAPH_NODE_CURRENT;
      else if (retort_profile_has_applied (self->selected_profile, self->revision))
        style = RETORT_GRAPH_NODE_APPLIED;
      else
        style = RETORT_GRAPH_NODE_PENDING;
    }

  retort_graph_cell_set_node_style (self->graph_cell, style);
  /* drawn faded (see the snapshot): a style class would restyle the row */
  if (self->pending != (style == RETORT_GRAPH_NODE_PENDING))
    {
      self->pending = style == RETORT_GRAPH_NODE_PENDING;
      gtk_widget_queue_draw (GTK_WIDGET (self));
    }
}

static void
profiles_changed_cb (RetortProject     *project,
                     RetortRevisionRow *self)
{
  update_pins (self);
  update_standing (self);
}

/* --- the revision --------------------------------------------------------- */

static void
update_depends (RetortRevisionRow *self,
                RetortRevisionMap *map)
{
  const char * const *depends_on = retort_revision_get_depends_on (self->revision);
  g_autoptr(GPtrArray) resolved = NULL;
  g_autoptr(GPtrArray) ids = NULL;
  g_autofree char *short_id = NULL;
  g_autofree char *text = NULL;
  g_autofree char *all = NULL;

  /* Most revisions depend on nothing: no work for them (the tooltip of a
   * hidden label is never asked for). */
  if (depends_on == NULL || depends_on[0] == NULL)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->depends_label), FALSE);
      return;
    }

  /* The map's resolved ids, or the file's words if it resolved none (a
   * dependency that is also an ancestor is dropped by Alembic's rules). */
  ids = g_ptr_array_new ();
  resolved = retort_revision_map_get_dependencies (map, self->revision);
  for (guint i = 0; i < resolved->len; i++)
    g_ptr_array_add (ids, (gpointer) retort_revision_get_id (g_ptr_array_index (resolved, i)));
  if (ids->len == 0)
    for (guint i = 0; depends_on[i] != NULL; i++)
      g_ptr_array_add (ids, (gpointer) depends_on[i]);
  g_ptr_array_add (ids, NULL);

  short_id = retort_project_short_id (g_ptr_array_index (ids, 0));
  if (ids->len - 1 > 1)
    /* Translators: a chip on a revision that depends on others besides its parents, e.g. "needs 3c9e1f5a +2" */
    text = g_strdup_printf (_("needs %s +%u"), short_id, ids->len - 2);
  else
    /* Translators: a chip on a revision that depends on another besides its parents, e.g. "needs 3c9e1f5a" */
    text = g_strdup_printf (_("needs %s"), short_id);
  all = g_strjoinv (", ", (char **) ids->pdata);
  /* Translators: %s is one or more revision ids */
  g_free (self->depends_tooltip);
  self->depends_tooltip = g_strdup_printf (_("Depends on %s"), all);

  set_label_text (self->depends_label, text);
  update_accessible_text (GTK_WIDGET (self->depends_label), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                          self->depends_tooltip);
  gtk_widget_set_visible (GTK_WIDGET (self->depends_label), TRUE);
}

static void
update_graph (RetortRevisionRow *self,
              RetortRevisionMap *map,
              guint              position)
{
  const RetortTimelineRow *row = retort_project_get_timeline_row (self->project, position);
  guint n_children = 0;

  retort_graph_cell_set_row (self->graph_cell, row, retort_project_get_max_lanes (self->project));
  /* only branch points need the count, and they are few */
  if (retort_revision_map_is_branch_point (map, self->revision))
    {
      g_autoptr(GPtrArray) children = retort_revision_map_get_children (map, self->revision);

      n_children = children->len;
    }
  retort_graph_cell_set_n_children (self->graph_cell, n_children);
}

static void
update_text (RetortRevisionRow *self,
             RetortRevisionMap *map)
{
  const char *id;
  const char *date;
  const char * const *labels;
  g_autofree char *short_id = NULL;
  g_autofree char *message = NULL;

  id = retort_revision_get_id (self->revision);
  short_id = retort_project_short_id (id);
  retort_row_text_set_text (self->id_label, short_id);

  /* the docstring's first paragraph, wrapped over several lines: one here */
  message = retort_text_one_line (retort_revision_get_doc (self->revision));
  if (message != NULL && *message != '\0')
    {
      retort_row_text_set_text (self->message_label, message);
      gtk_widget_remove_css_class (GTK_WIDGET (self->message_label), "dim-label");
    }
  else
    {
      retort_row_text_set_text (self->message_label, _("No message"));
      gtk_widget_add_css_class (GTK_WIDGET (self->message_label), "dim-label");
    }

  /* Labels as Alembic's history shows them: a branch's label marks every
   * revision on it. */
  labels = retort_revision_map_get_branch_labels (map, self->revision);
  set_branch_labels (self, labels);

  {
    const char *head = retort_revision_map_is_head (map, self->revision) ? "head" : "none";

    if (g_strcmp0 (gtk_stack_get_visible_child_name (self->head_stack), head) != 0)
      gtk_stack_set_visible_child_name (self->head_stack, head);
  }

  /* Alembic writes "2024-03-01 10:00:00.000000"; the day is enough here,
   * the tooltip has the rest. */
  date = retort_revision_get_create_date (self->revision);
  if (date != NULL && strlen (date) >= 10)
    {
      g_autofree char *day = g_strndup (date, 10);

      retort_row_text_set_text (self->date_label, day);
    }
  else
    retort_row_text_set_text (self->date_label, date);
}

static void
disconnect_project (RetortRevisionRow *self)
{
  if (self->project != NULL)
    g_clear_signal_handler (&self->profiles_changed_id, self->project);
  g_clear_object (&self->project);
}

/* --- GtkWidget ------------------------------------------------------------ */

/* A pending row's text steps back; the graph, whose hollow node says the
 * same, and the pins, which name other databases, stay as they are. */
static void
retort_revision_row_snapshot (GtkWidget   *widget,
                              GtkSnapshot *snapshot)
{
  RetortRevisionRow *self = RETORT_REVISION_ROW (widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      gboolean faded = self->pending && child != GTK_WIDGET (self->graph_cell) && child != GTK_WIDGET (self->pins_box);

      if (faded)
        gtk_snapshot_push_opacity (snapshot, gtk_widget_has_css_class (child, "dim-label") ? PENDING_DIM_OPACITY
                                                                                          : PENDING_OPACITY);
      gtk_widget_snapshot_child (widget, child, snapshot);
      if (faded)
        gtk_snapshot_pop (snapshot);
    }
}

/* --- GObject -------------------------------------------------------------- */

static void
retort_revision_row_dispose (GObject *object)
{
  RetortRevisionRow *self = RETORT_REVISION_ROW (object);

  disconnect_project (self);
  g_clear_object (&self->revision);
  g_clear_object (&self->selected_profile);
  for (guint i = 0; i < N_PIN_LABELS; i++)
    g_clear_object (&self->pin_profiles[i]);
  g_clear_pointer (&self->depends_tooltip, g_free);
  gtk_widget_dispose_template (GTK_WIDGET (self), RETORT_TYPE_REVISION_ROW);
  /* children of the template's boxes, gone with them */
  memset (self->pins, 0, sizeof self->pins);
  memset (self->branch_chips, 0, sizeof self->branch_chips);
  self->more_pins_button = NULL;
  self->more_pins_label = NULL;

  G_OBJECT_CLASS (retort_revision_row_parent_class)->dispose (object);
}

static void
retort_revision_row_class_init (RetortRevisionRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = retort_revision_row_dispose;
  widget_class->snapshot = retort_revision_row_snapshot;

  g_type_ensure (RETORT_TYPE_GRAPH_CELL);
  g_type_ensure (RETORT_TYPE_ROW_TEXT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/ui/retort-revision-row.ui");
  gtk_widget_class_bind_template_child (widget_class, RetortRevisionRow, graph_cell);
  gtk_widget_class_bind_template_child (widget_class, RetortRevisionRow, id_label);
  gtk_widget_class_bind_template_child (widget_class, RetortRevisionRow, message_label);
  gtk_widget_class_bind_template_child (widget_class, RetortRevisionRow, labels_box);
  gtk_widget_class_bind_template_child (widget_class, RetortRevisionRow, head_stack);
  gtk_widget_class_bind_template_child (widget_class, RetortRevisionRow, head_label);
  gtk_widget_class_bind_template_child (widget_class, RetortRevisionRow, depends_label);
  gtk_widget_class_bind_template_child (widget_class, RetortRevisionRow, date_label);
  gtk_widget_class_bind_template_child (widget_class, RetortRevisionRow, pins_box);
  gtk_widget_class_bind_template_callback (widget_class, id_query_tooltip_cb);
  gtk_widget_class_bind_template_callback (widget_class, date_query_tooltip_cb);
  gtk_widget_class_bind_template_callback (widget_class, depends_query_tooltip_cb);
  gtk_widget_class_bind_template_callback (widget_class, head_query_tooltip_cb);
  gtk_widget_class_bind_template_callback (widget_class, labels_query_tooltip_cb);

  gtk_widget_class_set_css_name (widget_class, "revisionrow");
}

static void
retort_revision_row_init (RetortRevisionRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* --- public API ------------------------------------------------------------- */

GtkWidget *
retort_revision_row_new (void)
{
  return g_object_new (RETORT_TYPE_REVISION_ROW, NULL);
}

void
retort_revision_row_bind (RetortRevisionRow *self,
                          RetortProject     *project,
                          guint              position,
                          RetortProfile     *selected_profile)
{
  RetortRevisionMap *map;
  g_autoptr(RetortRevision) revision = NULL;

  g_return_if_fail (RETORT_IS_REVISION_ROW (self));
  g_return_if_fail (RETORT_IS_PROJECT (project));
  g_return_if_fail (selected_profile == NULL || RETORT_IS_PROFILE (selected_profile));

  map = retort_project_get_map (project);
  revision = g_list_model_get_item (retort_project_get_revisions (project), position);
  g_return_if_fail (RETORT_IS_REVISION_MAP (map));
  g_return_if_fail (RETORT_IS_REVISION (revision));

  if (self->project != project)
    {
      disconnect_project (self);
      self->project = g_object_ref (project);
    }
  if (self->profiles_changed_id == 0)
    self->profiles_changed_id = g_signal_connect (project, "profiles-changed",
                                                  G_CALLBACK (profiles_changed_cb), self);
  g_set_object (&self->revision, revision);
  g_set_object (&self->selected_profile, selected_profile);

  update_text (self, map);
  update_depends (self, map);
  update_graph (self, map, position);
  update_pins (self);
  update_standing (self);
}

void
retort_revision_row_unbind (RetortRevisionRow *self)
{
  g_return_if_fail (RETORT_IS_REVISION_ROW (self));

  disconnect_project (self);
  g_clear_object (&self->revision);
  g_clear_object (&self->selected_profile);
  for (guint i = 0; i < N_PIN_LABELS; i++)
    g_clear_object (&self->pin_profiles[i]);
  /* the width stays: the next bind is almost always the same project */
  retort_graph_cell_set_row (self->graph_cell, NULL, retort_graph_cell_get_n_lanes (self->graph_cell));
  update_standing (self);
  if (self->more_pins_button != NULL && gtk_menu_button_get_popover (self->more_pins_button) != NULL)
    gtk_menu_button_popdown (self->more_pins_button);
}

void
retort_revision_row_set_selected_profile (RetortRevisionRow *self,
                                          RetortProfile     *selected_profile)
{
  g_return_if_fail (RETORT_IS_REVISION_ROW (self));
  g_return_if_fail (selected_profile == NULL || RETORT_IS_PROFILE (selected_profile));

  if (g_set_object (&self->selected_profile, selected_profile))
    update_standing (self);
}

RetortRevision *
retort_revision_row_get_revision (RetortRevisionRow *self)
{
  g_return_val_if_fail (RETORT_IS_REVISION_ROW (self), NULL);
  return self->revision;
}

gboolean
retort_revision_row_get_pending (RetortRevisionRow *self)
{
  g_return_val_if_fail (RETORT_IS_REVISION_ROW (self), FALSE);
  return self->pending;
}

RetortGraphCell *
retort_revision_row_get_graph_cell (RetortRevisionRow *self)
{
  g_return_val_if_fail (RETORT_IS_REVISION_ROW (self), NULL);
  return self->graph_cell;
}

GStrv
retort_revision_row_get_pin_names (RetortRevisionRow *self)
{
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();
  GListModel *profiles;

  g_return_val_if_fail (RETORT_IS_REVISION_ROW (self), NULL);

  if (self->project != NULL && self->revision != NULL)
    {
      profiles = retort_project_get_profiles (self->project);
      for (guint i = 0; i < g_list_model_get_n_items (profiles); i++)
        {
          g_autoptr(RetortProfile) profile = g_list_model_get_item (profiles, i);

          if (retort_profile_is_at (profile, self->revision))
            g_strv_builder_add (names, retort_profile_get_name (profile));
        }
    }
  return g_strv_builder_end (names);
}
