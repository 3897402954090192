/* retort-environments-view.c — revisions down, the project's databases across
 *
 * Each cell says whether one database has one revision: ★ it is at it,
 * ✓ it has it, · it does not yet. The column view recycles rows, so only the
 * cells on screen exist; each asks its profile with an O(1) lookup, and a
 * change of status re-reads the bound cells only. Above the table, one line
 * per step of promotion answers "what does production lack that staging has?".
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "retort-environments-view"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "retort-environments-view.h"
#include "retort-profile.h"

/* ids named in a "lacks" line before it says "and N more" */
#define MAX_LISTED_IDS 5

struct _RetortEnvironmentsView
{
  GtkWidget            parent_instance;

  RetortProject       *project;
  GHashTable          *bound_cells;    /* GtkLabel of profile columns on screen */
  GtkCssProvider      *header_css;     /* tier colours under the column titles */
  char                *widget_name;    /* scopes header_css to this view */
  char                *header_rules;   /* what header_css holds now */

  /* Nothing is built or refreshed while the view is hidden (it usually is:
   * the timeline is the window's first view); what changed meanwhile is
   * noted here and redone once when it is shown. */
  gboolean             model_pending;  /* the table has not been given its rows yet */
  gboolean             cells_stale;
  gboolean             summary_stale;
  guint                summary_idle_id;

  /* template children */
  GtkStack            *stack;
  AdwStatusPage       *empty_page;
  GtkWidget           *add_button;
  GtkBox              *summary_box;
  GtkColumnView       *column_view;
  GtkColumnViewColumn *revision_column;
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

/* --- the revision column --------------------------------------------------- */

static char *
one_line (const char *text)
{
  g_autoptr(GString) line = g_string_new (NULL);
  gboolean space = FALSE;

  for (const char *p = text != NULL ? text : ""; *p != '\0'; p++)
    {
      if (g_ascii_isspace (*p))
        space = TRUE;
      else
        {
          if (space && line->len > 0)
            g_string_append_c (line, ' ');
          space = FALSE;
          g_string_append_c (line, *p);
        }
    }
  return g_string_free (g_steal_pointer (&line), FALSE);
}

/* Tooltips are given when asked for: setting a tooltip's text makes GTK 4.8
 * ask the display where the pointer is, a round trip to the X server for
 * every cell bound. */
static gboolean
revision_id_tooltip_cb (GtkWidget   *label,
                        int          x,
                        int          y,
                        gboolean     keyboard_mode,
                        GtkTooltip  *tooltip,
                        GtkListItem *item)
{
  RetortRevision *revision = gtk_list_item_get_item (item);

  if (revision == NULL)
    return FALSE;
  gtk_tooltip_set_text (tooltip, retort_revision_get_id (revision));
  return TRUE;
}

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
revision_cell_setup_cb (GtkSignalListItemFactory *factory,
                        GtkListItem              *item,
                        gpointer                  user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *id = gtk_label_new (NULL);
  GtkWidget *message = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (id), 0);
  gtk_label_set_width_chars (GTK_LABEL (id), 8);
  gtk_widget_add_css_class (id, "monospace");
  gtk_widget_add_css_class (id, "dim-label");
  gtk_label_set_xalign (GTK_LABEL (message), 0);
  gtk_label_set_ellipsize (GTK_LABEL (message), PANGO_ELLIPSIZE_END);
  gtk_label_set_width_chars (GTK_LABEL (message), 16);
  gtk_label_set_max_width_chars (GTK_LABEL (message), 48);
  gtk_widget_set_hexpand (message, TRUE);
  /* the item outlives its child */
  gtk_widget_set_has_tooltip (id, TRUE);
  g_signal_connect (id, "query-tooltip", G_CALLBACK (revision_id_tooltip_cb), item);
  gtk_widget_set_has_tooltip (message, TRUE);
  g_signal_connect (message, "query-tooltip", G_CALLBACK (ellipsized_tooltip_cb), NULL);
  gtk_box_append (GTK_BOX (box), id);
  gtk_box_append (GTK_BOX (box), message);
  gtk_list_item_set_child (item, box);
}

static void
revision_cell_bind_cb (GtkSignalListItemFactory *factory,
                       GtkListItem              *item,
                       gpointer                  user_data)
{
  RetortRevision *revision = gtk_list_item_get_item (item);
  GtkWidget *id = gtk_widget_get_first_child (gtk_list_item_get_child (item));
  GtkWidget *message = gtk_widget_get_next_sibling (id);
  g_autofree char *short_id = retort_project_short_id (retort_revision_get_id (revision));
  g_autofree char *text = one_line (retort_revision_get_doc (revision));

  gtk_label_set_label (GTK_LABEL (id), short_id);
  gtk_label_set_label (GTK_LABEL (message), text);
}

/* --- the profile columns ------------------------------------------------- */

typedef enum {
  CELL_UNKNOWN,
  CELL_PENDING,
  CELL_APPLIED,
  CELL_CURRENT,
} CellState;

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

static char *
cell_tooltip (RetortProfile  *profile,
              RetortRevision *revision)
{
  const char *name = retort_profile_get_name (profile);

  switch (cell_state (profile, revision))
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
    default:
      /* Translators: a database profile's name, then why its version is unknown */
      return g_strdup_printf (_("%s: %s"), name, retort_profile_get_status_message (profile));
    }
}

/* force: the cell shows another revision, not only new rows */
static void
update_cell (GtkLabel *label,
             gboolean  force)
{
  GtkListItem *item = g_object_get_data (G_OBJECT (label), "list-item");
  RetortProfile *profile = g_object_get_data (G_OBJECT (label), "profile");
  RetortRevision *revision = gtk_list_item_get_item (item);
  CellState state;

  if (revision == NULL)
    return;

  /* a status refresh touches only the cells whose state moved */
  state = cell_state (profile, revision);
  if (!force && GPOINTER_TO_INT (g_object_get_data (G_OBJECT (label), "state")) == (int) state + 1)
    return;
  g_object_set_data (G_OBJECT (label), "state", GINT_TO_POINTER ((int) state + 1));

  switch (state)
    {
    case CELL_CURRENT:
      gtk_label_set_label (label, "★");
      gtk_widget_set_css_classes (GTK_WIDGET (label),
                                  (const char *[]) { "environment-cell", "current", NULL });
      break;

    case CELL_APPLIED:
      gtk_label_set_label (label, "✓");
      gtk_widget_set_css_classes (GTK_WIDGET (label),
                                  (const char *[]) { "environment-cell", "applied", NULL });
      break;

    case CELL_PENDING:
      gtk_label_set_label (label, "·");
      gtk_widget_set_css_classes (GTK_WIDGET (label),
                                  (const char *[]) { "environment-cell", "pending", "dim-label", NULL });
      break;

    case CELL_UNKNOWN:
    default:
      gtk_label_set_label (label, "?");
      gtk_widget_set_css_classes (GTK_WIDGET (label),
                                  (const char *[]) { "environment-cell", "unknown", "dim-label", NULL });
      break;
    }
}

static gboolean
profile_cell_tooltip_cb (GtkWidget   *label,
                         int          x,
                         int          y,
                         gboolean     keyboard_mode,
                         GtkTooltip  *tooltip,
                         GtkListItem *item)
{
  RetortProfile *profile = g_object_get_data (G_OBJECT (label), "profile");
  RetortRevision *revision = gtk_list_item_get_item (item);
  g_autofree char *text = NULL;

  if (revision == NULL)
    return FALSE;
  text = cell_tooltip (profile, revision);
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

static void
profile_cell_setup_cb (GtkSignalListItemFactory *factory,
                       GtkListItem              *item,
                       RetortEnvironmentsView   *self)
{
  GtkWidget *label = gtk_label_new (NULL);
  RetortProfile *profile = g_object_get_data (G_OBJECT (factory), "profile");

  /* the item outlives its child; the cell keeps its own profile reference in
   * case the column goes away before the cell does */
  g_object_set_data (G_OBJECT (label), "list-item", item);
  g_object_set_data_full (G_OBJECT (label), "profile", g_object_ref (profile), g_object_unref);
  gtk_widget_set_has_tooltip (label, TRUE);
  g_signal_connect (label, "query-tooltip", G_CALLBACK (profile_cell_tooltip_cb), item);
  gtk_list_item_set_child (item, label);
}

static void
profile_cell_bind_cb (GtkSignalListItemFactory *factory,
                      GtkListItem              *item,
                      RetortEnvironmentsView   *self)
{
  GtkLabel *label = GTK_LABEL (gtk_list_item_get_child (item));

  g_hash_table_add (self->bound_cells, label);
  update_cell (label, TRUE);
}

static void
profile_cell_unbind_cb (GtkSignalListItemFactory *factory,
                        GtkListItem              *item,
                        RetortEnvironmentsView   *self)
{
  g_hash_table_remove (self->bound_cells, gtk_list_item_get_child (item));
}

static void
profile_cell_teardown_cb (GtkSignalListItemFactory *factory,
                          GtkListItem              *item,
                          RetortEnvironmentsView   *self)
{
  g_hash_table_remove (self->bound_cells, gtk_list_item_get_child (item));
}

static GtkColumnViewColumn *
profile_column_new (RetortEnvironmentsView *self,
                    RetortProfile          *profile)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkColumnViewColumn *column;

  g_object_set_data_full (G_OBJECT (factory), "profile", g_object_ref (profile), g_object_unref);
  g_signal_connect (factory, "setup", G_CALLBACK (profile_cell_setup_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (profile_cell_bind_cb), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (profile_cell_unbind_cb), self);
  g_signal_connect (factory, "teardown", G_CALLBACK (profile_cell_teardown_cb), self);

  column = gtk_column_view_column_new (retort_profile_get_name (profile), factory);
  gtk_column_view_column_set_resizable (column, TRUE);
  g_object_set_data_full (G_OBJECT (column), "profile", g_object_ref (profile), g_object_unref);
  return column;
}

static const char *
tier_colour (RetortTier tier)
{
  switch (tier)
    {
    case RETORT_TIER_DEVELOPMENT:
      return "@success_color";
    case RETORT_TIER_STAGING:
      return "@warning_color";
    case RETORT_TIER_PRODUCTION:
      return "@error_color";
    case RETORT_TIER_OTHER:
    default:
      return "alpha(currentColor, 0.35)";
    }
}

/* GtkColumnViewColumn has a title string only (GTK 4.8): the tier's colour
 * goes under each title with a rule naming its position. The tier itself is
 * written out in the summary above, so the colour is never the only sign. */
static void
update_header_css (RetortEnvironmentsView *self)
{
  GListModel *columns = gtk_column_view_get_columns (self->column_view);
  g_autoptr(GString) css = g_string_new (NULL);
  guint n = g_list_model_get_n_items (columns);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, i);
      RetortProfile *profile = g_object_get_data (G_OBJECT (column), "profile");

      if (profile == NULL)
        continue;
      g_string_append_printf (css,
                              "#%s columnview > header > button:nth-child(%u) "
                              "{ box-shadow: inset 0 -3px %s; }\n",
                              self->widget_name, i + 1,
                              tier_colour (retort_profile_get_tier (profile)));
    }
  /* loading CSS restyles the whole display: only when a tier or a column moved */
  if (g_strcmp0 (css->str, self->header_rules) == 0)
    return;
  g_free (self->header_rules);
  self->header_rules = g_strdup (css->str);
  gtk_css_provider_load_from_data (self->header_css, css->str, (gssize) css->len);
}

static void
rebuild_columns (RetortEnvironmentsView *self)
{
  GListModel *columns = gtk_column_view_get_columns (self->column_view);
  GListModel *profiles;
  guint n;

  /* everything but the revision column */
  while (g_list_model_get_n_items (columns) > 1)
    {
      g_autoptr(GtkColumnViewColumn) column =
        g_list_model_get_item (columns, g_list_model_get_n_items (columns) - 1);
      gtk_column_view_remove_column (self->column_view, column);
    }

  if (self->project == NULL)
    return;
  profiles = retort_project_get_profiles (self->project);
  n = g_list_model_get_n_items (profiles);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(RetortProfile) profile = g_list_model_get_item (profiles, i);
      g_autoptr(GtkColumnViewColumn) column = profile_column_new (self, profile);

      gtk_column_view_append_column (self->column_view, column);
    }
  update_header_css (self);
}

/* Profiles are renamed in place: the titles follow. */
static void
update_column_titles (RetortEnvironmentsView *self)
{
  GListModel *columns = gtk_column_view_get_columns (self->column_view);
  guint n = g_list_model_get_n_items (columns);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, i);
      RetortProfile *profile = g_object_get_data (G_OBJECT (column), "profile");

      if (profile != NULL &&
          g_strcmp0 (gtk_column_view_column_get_title (column), retort_profile_get_name (profile)) != 0)
        gtk_column_view_column_set_title (column, retort_profile_get_name (profile));
    }
  update_header_css (self);
}

/* --- the summary --------------------------------------------------------- */

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

static void
clear_summary (RetortEnvironmentsView *self)
{
  GtkWidget *row;

  while ((row = gtk_widget_get_first_child (GTK_WIDGET (self->summary_box))) != NULL)
    gtk_box_remove (self->summary_box, row);
}

/* Widths in characters that line the columns of the summary up. */
typedef struct
{
  int tier;
  int name;
  int status;
} SummaryWidths;

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

/* "a, b, c and 4 more" as links to the revisions */
static char *
list_ids_markup (GPtrArray *revisions)
{
  g_autoptr(GString) text = g_string_new (NULL);
  guint shown = MIN (revisions->len, MAX_LISTED_IDS);

  for (guint i = 0; i < shown; i++)
    {
      const char *id = retort_revision_get_id (g_ptr_array_index (revisions, i));
      g_autofree char *short_id = retort_project_short_id (id);
      g_autofree char *link = g_markup_printf_escaped ("<a href=\"%s\"><tt>%s</tt></a>", id, short_id);

      if (i > 0)
        g_string_append (text, ", ");
      g_string_append (text, link);
    }
  if (revisions->len > shown)
    {
      guint more = revisions->len - shown;
      /* Translators: after a list of revision ids, how many were left out */
      g_autofree char *rest = g_strdup_printf (ngettext (" and %u more", " and %u more", more), more);
      g_autofree char *escaped = g_markup_escape_text (rest, -1);

      g_string_append (text, escaped);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* What `behind` lacks of `ahead` (and has that `ahead` lacks), newest first
 * as the table lists them, as markup whose subject is `behind`. */
static char *
comparison_markup (RetortEnvironmentsView *self,
                   RetortProfile          *ahead,
                   RetortProfile          *behind,
                   const char            **kind)
{
  GListModel *revisions = retort_project_get_revisions (self->project);
  guint n = g_list_model_get_n_items (revisions);
  g_autoptr(GPtrArray) lacking = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) extra = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *ahead_name = g_markup_escape_text (retort_profile_get_name (ahead), -1);
  g_autoptr(GString) markup = g_string_new (NULL);

  if (retort_profile_get_rows (ahead) == NULL || retort_profile_get_rows (behind) == NULL)
    {
      *kind = "unknown";
      /* Translators: the subject is the database of this line; %s is another one */
      return g_strdup_printf (_("cannot be compared with <b>%s</b> until both are checked"), ahead_name);
    }

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(RetortRevision) revision = g_list_model_get_item (revisions, i);
      gboolean in_ahead = retort_profile_has_applied (ahead, revision);
      gboolean in_behind = retort_profile_has_applied (behind, revision);

      if (in_ahead && !in_behind)
        g_ptr_array_add (lacking, g_steal_pointer (&revision));
      else if (in_behind && !in_ahead)
        g_ptr_array_add (extra, g_steal_pointer (&revision));
    }

  if (lacking->len == 0 && extra->len == 0)
    {
      *kind = "same";
      /* Translators: the subject is the database of this line; %s is another one */
      return g_strdup_printf (_("has everything <b>%s</b> has"), ahead_name);
    }
  *kind = "lacks";
  if (lacking->len > 0)
    {
      g_autofree char *ids = list_ids_markup (lacking);

      /* Translators: the subject is the database of this line, as in
       * "production: lacks 3 revisions staging has: 7c1d2a9b, …" */
      g_string_append_printf (markup,
                              ngettext ("lacks %u revision <b>%s</b> has: %s",
                                        "lacks %u revisions <b>%s</b> has: %s",
                                        lacking->len),
                              lacking->len, ahead_name, ids);
    }
  if (extra->len > 0)
    {
      g_autofree char *ids = list_ids_markup (extra);

      if (markup->len > 0)
        g_string_append (markup, "; ");
      /* Translators: the subject is the database of this line, as in
       * "production: has 1 revision staging lacks: 7c1d2a9b" */
      g_string_append_printf (markup,
                              ngettext ("has %u revision <b>%s</b> lacks: %s",
                                        "has %u revisions <b>%s</b> lacks: %s",
                                        extra->len),
                              extra->len, ahead_name, ids);
    }
  return g_string_free (g_steal_pointer (&markup), FALSE);
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

  gtk_tooltip_set_text (tooltip, retort_profile_get_status_message (profile));
  return TRUE;
}

static void
add_summary_row (RetortEnvironmentsView *self,
                 RetortProfile          *profile,
                 RetortProfile          *previous,
                 const SummaryWidths    *widths)
{
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *tier = gtk_label_new (retort_profile_get_tier_label (profile));
  GtkWidget *name = gtk_label_new (retort_profile_get_name (profile));
  GtkWidget *status = gtk_label_new (retort_profile_get_status_label (profile));

  gtk_widget_add_css_class (tier, "chip");
  gtk_widget_add_css_class (tier, "tier");
  gtk_widget_add_css_class (tier, retort_profile_get_tier_class (profile));
  gtk_widget_set_valign (tier, GTK_ALIGN_CENTER);
  /* as wide as the widest of the column, whatever their own text: bold
   * names need a little room over the average character width */
  gtk_label_set_width_chars (GTK_LABEL (tier), widths->tier);
  gtk_label_set_max_width_chars (GTK_LABEL (tier), widths->tier);
  gtk_label_set_width_chars (GTK_LABEL (name), widths->name + 2);
  gtk_label_set_max_width_chars (GTK_LABEL (name), widths->name + 2);
  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
  gtk_label_set_width_chars (GTK_LABEL (status), widths->status + 1);
  gtk_label_set_max_width_chars (GTK_LABEL (status), widths->status + 1);
  gtk_label_set_ellipsize (GTK_LABEL (status), PANGO_ELLIPSIZE_END);
  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_widget_add_css_class (name, "heading");
  gtk_label_set_xalign (GTK_LABEL (status), 0);
  gtk_widget_add_css_class (status, "dim-label");
  gtk_widget_set_has_tooltip (status, TRUE);
  g_object_set_data_full (G_OBJECT (status), "profile", g_object_ref (profile), g_object_unref);
  g_signal_connect (status, "query-tooltip", G_CALLBACK (status_tooltip_cb), NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (status),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, retort_profile_get_status_message (profile),
                                  -1);
  gtk_box_append (GTK_BOX (row), tier);
  gtk_box_append (GTK_BOX (row), name);
  gtk_box_append (GTK_BOX (row), status);

  if (previous != NULL)
    {
      const char *kind = NULL;
      g_autofree char *markup = comparison_markup (self, previous, profile, &kind);
      GtkWidget *comparison = gtk_label_new (NULL);

      /* one line each, so the scroller around the summary knows its height
       * (it measures its child without a width); the tooltip has it all */
      gtk_label_set_markup (GTK_LABEL (comparison), markup);
      gtk_label_set_xalign (GTK_LABEL (comparison), 0);
      gtk_label_set_ellipsize (GTK_LABEL (comparison), PANGO_ELLIPSIZE_END);
      gtk_label_set_single_line_mode (GTK_LABEL (comparison), TRUE);
      gtk_widget_set_has_tooltip (comparison, TRUE);
      g_signal_connect (comparison, "query-tooltip", G_CALLBACK (ellipsized_tooltip_cb), NULL);
      gtk_widget_set_hexpand (comparison, TRUE);
      gtk_widget_add_css_class (comparison, "comparison");
      gtk_widget_add_css_class (comparison, kind);
      g_signal_connect (comparison, "activate-link", G_CALLBACK (summary_link_cb), self);
      gtk_box_append (GTK_BOX (row), comparison);
    }
  gtk_box_append (self->summary_box, row);
}

/* Databases in promotion order (development, staging, production, other),
 * each compared with the one before it. */
static void
update_summary (RetortEnvironmentsView *self)
{
  g_autoptr(GPtrArray) ordered = g_ptr_array_new_with_free_func (g_object_unref);
  SummaryWidths widths = { 0 };
  GListModel *profiles;
  guint n;

  /* the lines are rebuilt: focus on one of their links moves to the table
   * rather than falling out of the window with the removed label */
  if (gtk_widget_get_focus_child (GTK_WIDGET (self->summary_box)) != NULL)
    gtk_widget_grab_focus (GTK_WIDGET (self->column_view));
  clear_summary (self);
  if (self->project == NULL)
    return;

  profiles = retort_project_get_profiles (self->project);
  n = g_list_model_get_n_items (profiles);
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (ordered, g_list_model_get_item (profiles, i));
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
  for (guint i = 0; i < ordered->len; i++)
    add_summary_row (self, g_ptr_array_index (ordered, i),
                     i > 0 ? g_ptr_array_index (ordered, i - 1) : NULL, &widths);
}

/* --- state --------------------------------------------------------------- */

static void
update_page (RetortEnvironmentsView *self)
{
  guint n = self->project != NULL
              ? g_list_model_get_n_items (retort_project_get_profiles (self->project))
              : 0;

  gtk_widget_set_visible (self->add_button, self->project != NULL);
  gtk_stack_set_visible_child_name (self->stack, n > 0 ? "table" : "empty");
}

static gboolean
is_shown (RetortEnvironmentsView *self)
{
  return gtk_widget_get_mapped (GTK_WIDGET (self));
}

/* The rows are made when the table is first shown: a column view makes
 * its rows as soon as it has a model, shown or not. */
static void
attach_model (RetortEnvironmentsView *self)
{
  GtkNoSelection *selection;

  if (!self->model_pending)
    return;
  self->model_pending = FALSE;
  /* rows are activated, not chosen: the timeline owns the selection */
  selection = gtk_no_selection_new (g_object_ref (retort_project_get_revisions (self->project)));
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (selection));
  g_object_unref (selection);
}

static void
refresh_cells (RetortEnvironmentsView *self)
{
  GHashTableIter iter;
  gpointer label;

  self->cells_stale = FALSE;
  update_column_titles (self);
  g_hash_table_iter_init (&iter, self->bound_cells);
  while (g_hash_table_iter_next (&iter, &label, NULL))
    update_cell (label, FALSE);
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
  if (is_shown (self) && self->summary_idle_id == 0)
    self->summary_idle_id = g_idle_add_full (G_PRIORITY_LOW, summary_idle_cb, self, NULL);
}

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
  rebuild_columns (self);
  queue_summary_update (self);
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
  GListModel *model = G_LIST_MODEL (gtk_column_view_get_model (self->column_view));
  g_autoptr(RetortRevision) revision = g_list_model_get_item (model, position);

  if (revision != NULL)
    g_signal_emit (self, signals[SIGNAL_REVISION_ACTIVATED], 0, revision);
}

/* --- GtkWidget ----------------------------------------------------------- */

static void
retort_environments_view_map (GtkWidget *widget)
{
  RetortEnvironmentsView *self = RETORT_ENVIRONMENTS_VIEW (widget);

  /* before the children are mapped, so this frame shows it all */
  if (self->project != NULL)
    {
      attach_model (self);
      if (self->cells_stale)
        refresh_cells (self);
      if (self->summary_stale)
        {
          g_clear_handle_id (&self->summary_idle_id, g_source_remove);
          update_summary (self);
        }
    }

  GTK_WIDGET_CLASS (retort_environments_view_parent_class)->map (widget);
}

static void
retort_environments_view_unmap (GtkWidget *widget)
{
  RetortEnvironmentsView *self = RETORT_ENVIRONMENTS_VIEW (widget);

  /* summary_stale stays set: the next map redoes it */
  g_clear_handle_id (&self->summary_idle_id, g_source_remove);

  GTK_WIDGET_CLASS (retort_environments_view_parent_class)->unmap (widget);
}

/* --- GObject ------------------------------------------------------------- */

static void
retort_environments_view_dispose (GObject *object)
{
  RetortEnvironmentsView *self = RETORT_ENVIRONMENTS_VIEW (object);

  retort_environments_view_set_project (self, NULL);
  g_clear_handle_id (&self->summary_idle_id, g_source_remove);
  if (self->header_css != NULL)
    {
      gtk_style_context_remove_provider_for_display (gdk_display_get_default (),
                                                     GTK_STYLE_PROVIDER (self->header_css));
      g_clear_object (&self->header_css);
    }
  gtk_widget_dispose_template (GTK_WIDGET (self), RETORT_TYPE_ENVIRONMENTS_VIEW);

  G_OBJECT_CLASS (retort_environments_view_parent_class)->dispose (object);
}

static void
retort_environments_view_finalize (GObject *object)
{
  RetortEnvironmentsView *self = RETORT_ENVIRONMENTS_VIEW (object);

  g_clear_pointer (&self->bound_cells, g_hash_table_unref);
  g_clear_pointer (&self->widget_name, g_free);
  g_clear_pointer (&self->header_rules, g_free);

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

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/ui/retort-environments-view.ui");
  gtk_widget_class_bind_template_child (widget_class, RetortEnvironmentsView, stack);
  gtk_widget_class_bind_template_child (widget_class, RetortEnvironmentsView, empty_page);
  gtk_widget_class_bind_template_child (widget_class, RetortEnvironmentsView, add_button);
  gtk_widget_class_bind_template_child (widget_class, RetortEnvironmentsView, summary_box);
  gtk_widget_class_bind_template_child (widget_class, RetortEnvironmentsView, column_view);
  gtk_widget_class_bind_template_child (widget_class, RetortEnvironmentsView, revision_column);
  gtk_widget_class_bind_template_callback (widget_class, add_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, row_activated_cb);

  gtk_widget_class_set_css_name (widget_class, "environmentsview");
}

static void
retort_environments_view_init (RetortEnvironmentsView *self)
{
  static guint serial;
  GtkListItemFactory *factory;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->bound_cells = g_hash_table_new (g_direct_hash, g_direct_equal);

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (revision_cell_setup_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (revision_cell_bind_cb), NULL);
  gtk_column_view_column_set_factory (self->revision_column, factory);
  g_object_unref (factory);

  self->widget_name = g_strdup_printf ("retort-environments-%u", ++serial);
  gtk_widget_set_name (GTK_WIDGET (self), self->widget_name);
  self->header_css = gtk_css_provider_new ();
  gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                              GTK_STYLE_PROVIDER (self->header_css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);

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
  self->cells_stale = FALSE;
  self->summary_stale = FALSE;
  self->model_pending = project != NULL;
  if (self->column_view != NULL)
    gtk_column_view_set_model (self->column_view, NULL);

  if (project != NULL)
    {
      g_signal_connect_swapped (project, "profiles-changed",
                                G_CALLBACK (profiles_changed_cb), self);
      g_signal_connect_swapped (project, "notify::loaded",
                                G_CALLBACK (project_loaded_cb), self);
      g_signal_connect_swapped (retort_project_get_profiles (project), "items-changed",
                                G_CALLBACK (profiles_items_changed_cb), self);
    }

  if (self->column_view != NULL)
    {
      /* the columns before the rows: each column added to a table with
       * rows makes a cell in every one of them */
      rebuild_columns (self);
      if (is_shown (self))
        attach_model (self);
      clear_summary (self);
      if (project != NULL)
        queue_summary_update (self);
      update_page (self);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROJECT]);
}

RetortProject *
retort_environments_view_get_project (RetortEnvironmentsView *self)
{
  g_return_val_if_fail (RETORT_IS_ENVIRONMENTS_VIEW (self), NULL);
  return self->project;
}
