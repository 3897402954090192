/* retort-stamp-assistant.c — adopts a database into migrations by stamping
 * the revision its schema already matches
 *
 * A legacy database has tables but no version table. Stamping writes the
 * revision its schema matches into alembic_version without running any
 * migration, so later upgrades run only what comes after it. The classic
 * mistake is stamping head on a database that lacks some revision's
 * changes: those migrations then never run. So the assistant starts from
 * the oldest base, warns when a head is chosen, and shows the exact SQL
 * (the core's stamp plan, rendered as Alembic's --sql would) before the
 * window runs it.
 *
 * Which revision is "the first": the project's timeline lists revisions
 * newest first with every revision above its parents. The list here is that
 * order reversed, and the default is the first revision in it without a
 * down_revision: the oldest base. With several bases (independent branches)
 * that is the one the timeline puts lowest.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "retort-stamp-assistant"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <gtksourceview/gtksource.h>

#include "retort-stamp-assistant.h"

struct _RetortStampAssistant
{
  AdwWindow           parent_instance;

  RetortProfile      *profile;
  /* the graph and version table as they were when the assistant opened:
   * a reload of the project while it is open does not pull the list away */
  RetortRevisionMap  *map;
  char               *version_table_schema;
  char               *version_table;

  GListStore         *revisions;   /* RetortRevision, oldest first */
  GtkCustomFilter    *filter;
  GtkFilterListModel *filtered;
  GtkSingleSelection *selection;
  GtkSourceBuffer    *sql_buffer;

  char               *selected;    /* full id */
  char               *sql;         /* what the stamp runs, NULL when it cannot */
  gboolean            refused;     /* nothing can be stamped on this database */
  gboolean            selection_ok;  /* the selected revision gives a stamp with steps */
  gboolean            syncing_selection;
  gboolean            stamped;

  /* template children */
  AdwHeaderBar       *header_bar;
  AdwWindowTitle     *window_title;
  GtkButton          *stamp_button;
  GtkRevealer        *refusal_revealer;
  GtkLabel           *refusal_label;
  GtkLabel           *standing_label;
  GtkSearchEntry     *search_entry;
  GtkStack           *list_stack;
  GtkListView        *revision_list;
  GtkRevealer        *head_revealer;
  GtkLabel           *head_label;
  GtkStack           *sql_stack;
  GtkSourceView      *sql_view;
  GtkLabel           *sql_message_label;
  GtkWidget          *confirm_list;
  AdwEntryRow        *confirm_row;
};

G_DEFINE_FINAL_TYPE (RetortStampAssistant, retort_stamp_assistant, ADW_TYPE_WINDOW)

enum {
  SIGNAL_STAMP,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* --- the rows of the list ------------------------------------------------ */

/* the widgets of one row, kept on its box */
#define ROW_ID_LABEL      "retort-stamp-row-id"
#define ROW_MESSAGE_LABEL "retort-stamp-row-message"
#define ROW_CURRENT_CHIP  "retort-stamp-row-current"
#define ROW_BASE_CHIP     "retort-stamp-row-base"
#define ROW_HEAD_CHIP     "retort-stamp-row-head"
#define ROW_DATE_LABEL    "retort-stamp-row-date"

/* the chosen row carries a check mark as well as the selection colour:
 * this list picks one thing, as radio buttons would */
static void
row_selected_cb (GtkListItem *item,
                 GParamSpec  *pspec,
                 GtkWidget   *check)
{
  gtk_widget_set_opacity (check, gtk_list_item_get_selected (item) ? 1.0 : 0.0);
}

static GtkWidget *
new_chip (const char *text,
          const char *kind)
{
  GtkWidget *chip = gtk_label_new (text);

  gtk_widget_set_valign (chip, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (chip, "chip");
  gtk_widget_add_css_class (chip, kind);
  return chip;
}

static void
setup_row_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              gpointer                  user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  /* the list tells screen readers which row is selected */
  GtkWidget *check = g_object_new (GTK_TYPE_IMAGE,
                                   "icon-name", "object-select-symbolic",
                                   "accessible-role", GTK_ACCESSIBLE_ROLE_PRESENTATION,
                                   NULL);
  GtkWidget *id_label = gtk_label_new (NULL);
  GtkWidget *message_label = gtk_label_new (NULL);
  GtkWidget *date_label = gtk_label_new (NULL);
  /* Translators: a marker on the revision the database's version table holds now */
  GtkWidget *current_chip = new_chip (_("current"), "current");
  /* Translators: a marker on a revision with no parent, where a branch of the history starts */
  GtkWidget *base_chip = new_chip (_("base"), "base");
  GtkWidget *head_chip = new_chip (_("head"), "head");

  gtk_widget_add_css_class (box, "stamp-revision-row");
  gtk_label_set_xalign (GTK_LABEL (id_label), 0);
  gtk_label_set_width_chars (GTK_LABEL (id_label), 8);
  gtk_widget_add_css_class (id_label, "monospace");
  gtk_widget_add_css_class (id_label, "dim-label");
  gtk_label_set_xalign (GTK_LABEL (message_label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (message_label), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (message_label, TRUE);
  gtk_label_set_xalign (GTK_LABEL (date_label), 1);
  gtk_label_set_width_chars (GTK_LABEL (date_label), 10);
  gtk_widget_add_css_class (date_label, "dim-label");
  gtk_widget_add_css_class (date_label, "numeric");

  gtk_widget_add_css_class (check, "stamp-check");
  gtk_widget_set_opacity (check, 0.0);
  g_signal_connect_object (item, "notify::selected", G_CALLBACK (row_selected_cb), check, 0);

  gtk_box_append (GTK_BOX (box), check);
  gtk_box_append (GTK_BOX (box), id_label);
  gtk_box_append (GTK_BOX (box), message_label);
  gtk_box_append (GTK_BOX (box), current_chip);
  gtk_box_append (GTK_BOX (box), base_chip);
  gtk_box_append (GTK_BOX (box), head_chip);
  gtk_box_append (GTK_BOX (box), date_label);

  g_object_set_data (G_OBJECT (box), ROW_ID_LABEL, id_label);
  g_object_set_data (G_OBJECT (box), ROW_MESSAGE_LABEL, message_label);
  g_object_set_data (G_OBJECT (box), ROW_CURRENT_CHIP, current_chip);
  g_object_set_data (G_OBJECT (box), ROW_BASE_CHIP, base_chip);
  g_object_set_data (G_OBJECT (box), ROW_HEAD_CHIP, head_chip);
  g_object_set_data (G_OBJECT (box), ROW_DATE_LABEL, date_label);
  gtk_list_item_set_child (item, box);
}

static gboolean
is_current (RetortStampAssistant *self,
            RetortRevision       *revision)
{
  const char * const *rows = retort_profile_get_rows (self->profile);

  return rows != NULL && g_strv_contains (rows, retort_revision_get_id (revision));
}

static void
bind_row_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             RetortStampAssistant     *self)
{
  RetortRevision *revision = gtk_list_item_get_item (item);
  GtkWidget *box = gtk_list_item_get_child (item);
  const char *id = retort_revision_get_id (revision);
  const char *doc = retort_revision_get_doc (revision);
  const char *date = retort_revision_get_create_date (revision);
  g_autofree char *short_id = retort_project_short_id (id);
  g_autofree char *day = date != NULL ? g_strndup (date, MIN (strlen (date), 10)) : NULL;
  g_autofree char *tooltip = NULL;

  gtk_label_set_label (g_object_get_data (G_OBJECT (box), ROW_ID_LABEL), short_id);
  gtk_label_set_label (g_object_get_data (G_OBJECT (box), ROW_MESSAGE_LABEL), doc != NULL ? doc : "");
  /* Alembic writes "2024-03-01 10:00:00.000000"; the day is enough here */
  gtk_label_set_label (g_object_get_data (G_OBJECT (box), ROW_DATE_LABEL), day != NULL ? day : "");
  gtk_widget_set_visible (g_object_get_data (G_OBJECT (box), ROW_CURRENT_CHIP), is_current (self, revision));
  gtk_widget_set_visible (g_object_get_data (G_OBJECT (box), ROW_BASE_CHIP),
                          retort_revision_get_n_down_revisions (revision) == 0);
  gtk_widget_set_visible (g_object_get_data (G_OBJECT (box), ROW_HEAD_CHIP),
                          retort_revision_map_is_head (self->map, revision));
  /* the full id, which the row shortens */
  tooltip = doc != NULL && *doc != '\0' ? g_strdup_printf ("%s\n%s", id, doc) : g_strdup (id);
  gtk_widget_set_tooltip_text (box, tooltip);
}

/* An id prefix, or words of the message, case-insensitively. */
static gboolean
revision_matches (gpointer item,
                  gpointer user_data)
{
  RetortStampAssistant *self = user_data;
  RetortRevision *revision = item;
  const char *query = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autofree char *needle = NULL;
  g_autofree char *id = NULL;
  g_autofree char *doc = NULL;

  if (query == NULL || *query == '\0')
    return TRUE;
  needle = g_utf8_casefold (query, -1);
  g_strstrip (needle);
  id = g_utf8_casefold (retort_revision_get_id (revision), -1);
  if (g_str_has_prefix (id, needle))
    return TRUE;
  doc = g_utf8_casefold (retort_revision_get_doc (revision) != NULL ? retort_revision_get_doc (revision) : "", -1);
  return strstr (doc, needle) != NULL;
}

/* --- what the stamp does ------------------------------------------------- */

static void
update_style_scheme (RetortStampAssistant *self)
{
  GtkSourceStyleSchemeManager *schemes = gtk_source_style_scheme_manager_get_default ();
  gboolean dark = adw_style_manager_get_dark (adw_style_manager_get_default ());
  GtkSourceStyleScheme *scheme;

  scheme = gtk_source_style_scheme_manager_get_scheme (schemes, dark ? "Adwaita-dark" : "Adwaita");
  if (scheme == NULL)
    scheme = gtk_source_style_scheme_manager_get_scheme (schemes, dark ? "classic-dark" : "classic");
  gtk_source_buffer_set_style_scheme (self->sql_buffer, scheme);
}

static char *
short_ids (const char * const *ids)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; ids[i] != NULL; i++)
    {
      g_autofree char *short_id = retort_project_short_id (ids[i]);
      g_string_append_printf (text, "%s%s", i > 0 ? ", " : "", short_id);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
update_can_stamp (RetortStampAssistant *self)
{
  gtk_widget_set_sensitive (GTK_WIDGET (self->stamp_button), retort_stamp_assistant_get_can_stamp (self));
}

static void
show_sql_message (RetortStampAssistant *self,
                  const char           *message)
{
  gtk_label_set_label (self->sql_message_label, message);
  gtk_stack_set_visible_child_name (self->sql_stack, "message");
}

/* The plan for the selected revision against the rows the database has,
 * and its SQL, exactly as the window will run it. */
static void
update_sql (RetortStampAssistant *self)
{
  const char * const no_rows[] = { NULL };
  const char * const *rows = retort_profile_get_rows (self->profile);
  g_autoptr(RetortDatabaseUrl) url = NULL;
  g_autoptr(RetortPlan) plan = NULL;
  g_autoptr(GError) error = NULL;
  RetortRevision *revision;
  gboolean head;

  g_clear_pointer (&self->sql, g_free);
  self->selection_ok = FALSE;

  revision = self->selected != NULL ? retort_revision_map_lookup (self->map, self->selected) : NULL;
  head = revision != NULL && retort_revision_map_is_head (self->map, revision);
  if (head)
    {
      g_autofree char *short_id = retort_project_short_id (self->selected);
      g_autofree char *text =
        /* Translators: %s is a revision id, shortened */
        g_strdup_printf (_("%s is a head: stamping it records that the database has the changes of every "
                           "revision up to and including it. Any of them it lacks will never be applied."),
                         short_id);
      gtk_label_set_label (self->head_label, text);
    }
  gtk_revealer_set_reveal_child (self->head_revealer, head);

  if (self->map == NULL)
    {
      show_sql_message (self, _("The project's revisions did not load, so there is nothing to stamp."));
      update_can_stamp (self);
      return;
    }
  if (revision == NULL)
    {
      show_sql_message (self, _("Choose the revision the database's schema matches."));
      update_can_stamp (self);
      return;
    }

  url = retort_profile_build_url (self->profile, &error);
  if (url == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("The database's address is not valid: %s"), error->message);
      show_sql_message (self, text);
      update_can_stamp (self);
      return;
    }

  plan = retort_plan_new_stamp (self->map, (const char *[]) { self->selected, NULL },
                                rows != NULL ? rows : no_rows, FALSE, &error);
  if (plan != NULL)
    self->sql = retort_offline_render (plan, url->dialect, self->version_table_schema, self->version_table,
                                       &error);
  if (self->sql == NULL)
    {
      /* Translators: %s is why, in words from the migration engine */
      g_autofree char *text = g_strdup_printf (_("This revision cannot be stamped: %s"), error->message);
      show_sql_message (self, text);
      update_can_stamp (self);
      return;
    }
  if (retort_plan_get_n_steps (plan) == 0)
    {
      g_autofree char *text =
        /* Translators: %s is a database profile's name */
        g_strdup_printf (_("%s is already stamped at this revision: there is nothing to change."),
                         retort_profile_get_name (self->profile));
      g_clear_pointer (&self->sql, g_free);
      show_sql_message (self, text);
      update_can_stamp (self);
      return;
    }

  self->selection_ok = TRUE;
  gtk_text_buffer_set_text (GTK_TEXT_BUFFER (self->sql_buffer), g_strchomp (self->sql), -1);
  gtk_stack_set_visible_child_name (self->sql_stack, "sql");
  update_can_stamp (self);
}

/* What the database is now, what stamping changes about it, and whether
 * anything can be stamped at all. */
static void
update_standing (RetortStampAssistant *self)
{
  const RetortVersionState *state = retort_profile_get_version_state (self->profile);
  const char *name = retort_profile_get_name (self->profile);
  gboolean production = retort_profile_needs_typed_confirmation (self->profile);
  g_autofree char *standing = NULL;
  g_autofree char *refusal = NULL;

  if (state == NULL)
    /* Translators: %s is a database profile's name */
    standing = g_strdup_printf (_("Retort has not read the version table of %s yet."), name);
  else
    switch (state->kind)
      {
      case RETORT_VERSION_STATE_LEGACY:
        standing = g_strdup_printf (_("%s already has tables but no version table, so Alembic cannot tell "
                                      "which migrations its schema has."), name);
        break;
      case RETORT_VERSION_STATE_EMPTY:
        standing = g_strdup_printf (_("%s has no tables yet. Usually you would upgrade it, which runs every "
                                      "migration; stamp it only if its schema is made some other way."), name);
        break;
      case RETORT_VERSION_STATE_BASE:
        standing = g_strdup_printf (_("%s has a version table with no revision in it yet."), name);
        break;
      case RETORT_VERSION_STATE_VERSIONED:
      default:
        {
          g_autofree char *ids = short_ids ((const char * const *) state->rows);
          /* Translators: the first %s is a database profile's name, the second one or more revision ids */
          standing = g_strdup_printf (_("%s is stamped at %s. Stamping replaces that with the revision you "
                                        "choose."), name, ids);
        }
        break;
      }
  gtk_label_set_label (self->standing_label, standing);

  if (retort_profile_get_read_only (self->profile))
    /* Translators: %s is a database profile's name */
    refusal = g_strdup_printf (_("%s is read-only: nothing can be run on it, not even a stamp. Turn off "
                                 "Read-only in its settings to stamp it."), name);
  else if (self->map == NULL)
    refusal = g_strdup (_("The project's revisions did not load, so there is nothing to stamp."));
  /* the rows decide what the stamp writes: without them the SQL would be a guess */
  else if (state == NULL)
    /* Translators: %s is a database profile's name */
    refusal = g_strdup_printf (_("Retort has not read the version table of %s yet: refresh the database, "
                                 "then stamp it."), name);
  self->refused = refusal != NULL;
  gtk_label_set_label (self->refusal_label, refusal != NULL ? refusal : "");
  gtk_revealer_set_reveal_child (self->refusal_revealer, refusal != NULL);

  /* production is unmistakable, as in the window */
  gtk_widget_set_visible (self->confirm_list, production);
  if (production)
    {
      /* Translators: %s is a database profile's name, to be typed exactly */
      g_autofree char *title = g_strdup_printf (_("Type %s to confirm"), name);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->confirm_row), title);
      gtk_widget_add_css_class (GTK_WIDGET (self->header_bar), "production");
      gtk_widget_remove_css_class (GTK_WIDGET (self->stamp_button), "suggested-action");
      gtk_widget_add_css_class (GTK_WIDGET (self->stamp_button), "destructive-action");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->header_bar), "production");
      gtk_widget_remove_css_class (GTK_WIDGET (self->stamp_button), "destructive-action");
      gtk_widget_add_css_class (GTK_WIDGET (self->stamp_button), "suggested-action");
    }
  adw_window_title_set_subtitle (self->window_title, name);
}

/* --- the selection ------------------------------------------------------- */

static guint
filtered_position_of (RetortStampAssistant *self,
                      const char           *id)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->filtered));

  for (guint i = 0; id != NULL && i < n; i++)
    {
      g_autoptr(RetortRevision) revision = g_list_model_get_item (G_LIST_MODEL (self->filtered), i);

      if (g_strcmp0 (retort_revision_get_id (revision), id) == 0)
        return i;
    }
  return GTK_INVALID_LIST_POSITION;
}

/* The list shows the chosen revision when the filter lets it; a filter
 * that hides it does not change what Stamp records. */
static void
sync_list_selection (RetortStampAssistant *self)
{
  guint position = filtered_position_of (self, self->selected);

  self->syncing_selection = TRUE;
  gtk_single_selection_set_selected (self->selection, position);
  self->syncing_selection = FALSE;
  gtk_stack_set_visible_child_name (self->list_stack,
                                    g_list_model_get_n_items (G_LIST_MODEL (self->filtered)) > 0 ? "list"
                                                                                                 : "no-match");
  if (position != GTK_INVALID_LIST_POSITION)
    gtk_widget_activate_action (GTK_WIDGET (self->revision_list), "list.scroll-to-item", "u", position);
}

static void
selection_changed_cb (RetortStampAssistant *self)
{
  RetortRevision *revision;

  if (self->syncing_selection)
    return;
  revision = gtk_single_selection_get_selected_item (self->selection);
  if (revision == NULL)
    return;
  g_free (self->selected);
  self->selected = g_strdup (retort_revision_get_id (revision));
  update_sql (self);
}

static void
search_changed_cb (RetortStampAssistant *self)
{
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  sync_list_selection (self);
}

/* The database was checked again: its rows, and so the SQL, may differ. */
static void
profile_changed_cb (RetortStampAssistant *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->revisions));
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);

  update_standing (self);
  /* the "current" chips: the same items again rebinds the rows */
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (items, g_list_model_get_item (G_LIST_MODEL (self->revisions), i));
  self->syncing_selection = TRUE;
  g_list_store_splice (self->revisions, 0, n, items->pdata, n);
  self->syncing_selection = FALSE;
  sync_list_selection (self);
  update_sql (self);
}

static void
confirm_changed_cb (RetortStampAssistant *self)
{
  update_can_stamp (self);
}

static void
confirm_activated_cb (RetortStampAssistant *self)
{
  retort_stamp_assistant_activate_stamp (self);
}

static void
stamp_clicked_cb (RetortStampAssistant *self)
{
  retort_stamp_assistant_activate_stamp (self);
}

/* The oldest base's id: see the comment at the top. */
static char *
default_revision_id (RetortStampAssistant *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->revisions));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(RetortRevision) revision = g_list_model_get_item (G_LIST_MODEL (self->revisions), i);

      if (retort_revision_get_n_down_revisions (revision) == 0)
        return g_strdup (retort_revision_get_id (revision));
    }
  return NULL;
}

/* --- GObject -------------------------------------------------------------- */

static void
retort_stamp_assistant_dispose (GObject *object)
{
  RetortStampAssistant *self = RETORT_STAMP_ASSISTANT (object);

  if (self->profile != NULL)
    g_signal_handlers_disconnect_by_data (self->profile, self);
  /* the entry row's text may still hold the focus (see the password dialog) */
  gtk_window_set_focus (GTK_WINDOW (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), RETORT_TYPE_STAMP_ASSISTANT);
  g_clear_object (&self->selection);
  g_clear_object (&self->filtered);
  g_clear_object (&self->filter);
  g_clear_object (&self->revisions);
  g_clear_object (&self->sql_buffer);
  g_clear_object (&self->map);
  g_clear_object (&self->profile);

  G_OBJECT_CLASS (retort_stamp_assistant_parent_class)->dispose (object);
}

static void
retort_stamp_assistant_finalize (GObject *object)
{
  RetortStampAssistant *self = RETORT_STAMP_ASSISTANT (object);

  g_free (self->version_table_schema);
  g_free (self->version_table);
  g_free (self->selected);
  g_free (self->sql);

  G_OBJECT_CLASS (retort_stamp_assistant_parent_class)->finalize (object);
}

static void
retort_stamp_assistant_class_init (RetortStampAssistantClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = retort_stamp_assistant_dispose;
  object_class->finalize = retort_stamp_assistant_finalize;

  /**
   * RetortStampAssistant::stamp:
   * @revision_id: the full id of the revision to stamp
   *
   * Stamp was pressed (and, on production, the name typed). Emitted once;
   * the assistant closes right after.
   */
  signals[SIGNAL_STAMP] =
    g_signal_new ("stamp", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE);

  g_type_ensure (GTK_SOURCE_TYPE_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/ui/retort-stamp-assistant.ui");
  gtk_widget_class_bind_template_child (widget_class, RetortStampAssistant, header_bar);
  gtk_widget_class_bind_template_child (widget_class, RetortStampAssistant, window_title);
  gtk_widget_class_bind_template_child (widget_class, RetortStampAssistant, stamp_button);
  gtk_widget_class_bind_template_child (widget_class, RetortStampAssistant, refusal_revealer);
  gtk_widget_class_bind_template_child (widget_class, RetortStampAssistant, refusal_label);
  gtk_widget_class_bind_template_child (widget_class, RetortStampAssistant, standing_label);
  gtk_widget_class_bind_template_child (widget_class, RetortStampAssistant, search_entry);
  gtk_widget_class_bind_template_child (widget_class, RetortStampAssistant, list_stack);
  gtk_widget_class_bind_template_child (widget_class, RetortStampAssistant, revision_list);
  gtk_widget_class_bind_template_child (widget_class, RetortStampAssistant, head_revealer);
  gtk_widget_class_bind_template_child (widget_class, RetortStampAssistant, head_label);
  gtk_widget_class_bind_template_child (widget_class, RetortStampAssistant, sql_stack);
  gtk_widget_class_bind_template_child (widget_class, RetortStampAssistant, sql_view);
  gtk_widget_class_bind_template_child (widget_class, RetortStampAssistant, sql_message_label);
  gtk_widget_class_bind_template_child (widget_class, RetortStampAssistant, confirm_list);
  gtk_widget_class_bind_template_child (widget_class, RetortStampAssistant, confirm_row);
  gtk_widget_class_bind_template_callback (widget_class, stamp_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, confirm_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, confirm_activated_cb);

  /* a dialog: Escape cancels */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
retort_stamp_assistant_init (RetortStampAssistant *self)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  GtkSourceLanguageManager *languages = gtk_source_language_manager_get_default ();

  gtk_widget_init_template (GTK_WIDGET (self));

  self->revisions = g_list_store_new (RETORT_TYPE_REVISION);
  self->filter = gtk_custom_filter_new (revision_matches, self, NULL);
  self->filtered = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (self->revisions)),
                                              g_object_ref (GTK_FILTER (self->filter)));
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->filtered)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  g_signal_connect_swapped (self->selection, "notify::selected", G_CALLBACK (selection_changed_cb), self);

  g_signal_connect (factory, "setup", G_CALLBACK (setup_row_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row_cb), self);
  gtk_list_view_set_factory (self->revision_list, factory);
  gtk_list_view_set_model (self->revision_list, GTK_SELECTION_MODEL (self->selection));

  self->sql_buffer = gtk_source_buffer_new_with_language (gtk_source_language_manager_get_language (languages,
                                                                                                    "sql"));
  gtk_source_buffer_set_highlight_matching_brackets (self->sql_buffer, FALSE);
  gtk_text_view_set_buffer (GTK_TEXT_VIEW (self->sql_view), GTK_TEXT_BUFFER (self->sql_buffer));
  update_style_scheme (self);
  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (update_style_scheme), self, G_CONNECT_SWAPPED);

  /* typing anywhere but in the confirmation filters the list */
  gtk_search_entry_set_key_capture_widget (self->search_entry, GTK_WIDGET (self->revision_list));
}

/* --- public API ----------------------------------------------------------- */

RetortStampAssistant *
retort_stamp_assistant_new (RetortProfile *profile,
                            RetortProject *project)
{
  RetortStampAssistant *self;
  RetortScriptDir *script_dir;
  GListModel *timeline;
  g_autoptr(GPtrArray) oldest_first = g_ptr_array_new_with_free_func (g_object_unref);

  g_return_val_if_fail (RETORT_IS_PROFILE (profile), NULL);
  g_return_val_if_fail (RETORT_IS_PROJECT (project), NULL);

  self = g_object_new (RETORT_TYPE_STAMP_ASSISTANT, NULL);
  self->profile = g_object_ref (profile);
  script_dir = retort_project_get_script_dir (project);
  if (retort_project_get_loaded (project) && retort_project_get_map (project) != NULL)
    {
      self->map = g_object_ref (retort_project_get_map (project));
      timeline = retort_project_get_revisions (project);
      for (guint i = g_list_model_get_n_items (timeline); i > 0; i--)
        g_ptr_array_add (oldest_first, g_list_model_get_item (timeline, i - 1));
      g_list_store_splice (self->revisions, 0, 0, oldest_first->pdata, oldest_first->len);
    }
  if (script_dir != NULL)
    {
      self->version_table_schema = g_strdup (retort_script_dir_get_version_table_schema (script_dir));
      self->version_table = g_strdup (retort_script_dir_get_version_table (script_dir));
    }
  if (self->version_table == NULL)
    self->version_table = g_strdup ("alembic_version");

  g_signal_connect_swapped (profile, "notify::state", G_CALLBACK (profile_changed_cb), self);
  g_signal_connect_swapped (profile, "notify::read-only", G_CALLBACK (profile_changed_cb), self);
  g_signal_connect_swapped (profile, "notify::name", G_CALLBACK (profile_changed_cb), self);

  update_standing (self);
  self->selected = default_revision_id (self);
  sync_list_selection (self);
  update_sql (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->revision_list));
  return self;
}

const char *
retort_stamp_assistant_get_selected (RetortStampAssistant *self)
{
  g_return_val_if_fail (RETORT_IS_STAMP_ASSISTANT (self), NULL);
  return self->selected;
}

void
retort_stamp_assistant_select (RetortStampAssistant *self,
                               const char           *revision_id)
{
  RetortRevision *revision;

  g_return_if_fail (RETORT_IS_STAMP_ASSISTANT (self));
  g_return_if_fail (revision_id != NULL);

  revision = self->map != NULL ? retort_revision_map_lookup (self->map, revision_id) : NULL;
  g_return_if_fail (revision != NULL);

  g_free (self->selected);
  self->selected = g_strdup (retort_revision_get_id (revision));
  sync_list_selection (self);
  update_sql (self);
}

const char *
retort_stamp_assistant_get_sql (RetortStampAssistant *self)
{
  g_return_val_if_fail (RETORT_IS_STAMP_ASSISTANT (self), NULL);
  return self->sql;
}

gboolean
retort_stamp_assistant_get_can_stamp (RetortStampAssistant *self)
{
  g_return_val_if_fail (RETORT_IS_STAMP_ASSISTANT (self), FALSE);

  if (self->stamped || self->refused || !self->selection_ok)
    return FALSE;
  if (retort_profile_needs_typed_confirmation (self->profile))
    return retort_profile_typed_confirmation_matches (self->profile,
                                                      gtk_editable_get_text (GTK_EDITABLE (self->confirm_row)));
  return TRUE;
}

void
retort_stamp_assistant_set_typed_name (RetortStampAssistant *self,
                                       const char           *typed)
{
  g_return_if_fail (RETORT_IS_STAMP_ASSISTANT (self));
  gtk_editable_set_text (GTK_EDITABLE (self->confirm_row), typed != NULL ? typed : "");
}

gboolean
retort_stamp_assistant_activate_stamp (RetortStampAssistant *self)
{
  g_autofree char *revision_id = NULL;

  g_return_val_if_fail (RETORT_IS_STAMP_ASSISTANT (self), FALSE);

  if (!retort_stamp_assistant_get_can_stamp (self))
    return FALSE;
  self->stamped = TRUE;
  update_can_stamp (self);
  /* a handler may drop the last reference to the assistant */
  revision_id = g_strdup (self->selected);
  g_object_ref (self);
  g_signal_emit (self, signals[SIGNAL_STAMP], 0, revision_id);
  gtk_window_close (GTK_WINDOW (self));
  g_object_unref (self);
  return TRUE;
}
