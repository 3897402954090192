/* retort-detail-pane.c — everything about the selected revision
 *
 * The facts (message, id, date, parents, children, dependencies, which
 * databases have it) come from the loaded project and show at once. The file
 * itself is read in a worker, together with the SQL sections of a .py file,
 * which the core parses lazily: a large revision never stalls the window.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "retort-detail-pane"

#include "config.h"

#include <string.h>

#include <adwaita.h>
#include <glib/gi18n.h>
#include <gtksourceview/gtksource.h>

#include "retort-detail-pane.h"
#include "retort-profile.h"

/* Only a slow read shows the spinner; a quick one would just flicker. */
#define SPINNER_DELAY_MS 250
#define COPY_FEEDBACK_SECONDS 2

struct _RetortDetailPane
{
  GtkWidget          parent_instance;

  RetortProject     *project;
  RetortRevision    *revision;
  GCancellable      *cancellable;
  gboolean           loading;
  guint              spinner_timeout_id;
  guint              copy_feedback_id;

  GtkSourceBuffer   *source_buffer;
  GtkSourceBuffer   *upgrade_buffer;
  GtkSourceBuffer   *downgrade_buffer;

  /* template children */
  GtkStack          *stack;
  AdwStatusPage     *empty_page;
  GtkScrolledWindow *info_scroller;
  GtkLabel          *title_label;
  GtkFlowBox        *tags_box;
  GtkLabel          *description_label;
  GtkLabel          *id_label;
  GtkButton         *copy_button;
  GtkLabel          *date_caption;
  GtkLabel          *date_label;
  GtkLabel          *file_label;
  GtkButton         *open_button;
  GtkWidget         *parents_group;
  GtkLabel          *parents_heading;
  GtkListBox        *parents_list;
  GtkWidget         *children_group;
  GtkLabel          *children_heading;
  GtkListBox        *children_list;
  GtkWidget         *depends_group;
  GtkListBox        *depends_list;
  GtkListBox        *environments_list;
  GtkWidget         *no_environments_label;
  GtkLabel          *source_heading;
  GtkWidget         *view_toggles;
  GtkToggleButton   *source_toggle;
  GtkToggleButton   *upgrade_toggle;
  GtkToggleButton   *downgrade_toggle;
  GtkStack          *source_stack;
  GtkSpinner        *source_spinner;
  GtkSourceView     *source_view;
  AdwStatusPage     *source_error_page;
};

G_DEFINE_FINAL_TYPE (RetortDetailPane, retort_detail_pane, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_REVISION,
  PROP_LOADING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_REVISION_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* --- text helpers -------------------------------------------------------- */

static gboolean
is_field_line (const char *line)
{
  static const char *fields[] = {
    "revision id:", "revises:", "create date:", "branch labels:", "depends on:",
  };
  g_autofree char *lower = g_ascii_strdown (line, -1);

  g_strchug (lower);
  for (gsize i = 0; i < G_N_ELEMENTS (fields); i++)
    if (g_str_has_prefix (lower, fields[i]))
      return TRUE;
  return FALSE;
}

/* The long description without its first paragraph (the title above it)
 * and without the "Revision ID:"-style lines the pane shows as facts. */
static char *
description_of (const char *longdoc)
{
  g_auto(GStrv) lines = g_strsplit (longdoc != NULL ? longdoc : "", "\n", -1);
  g_autoptr(GString) text = g_string_new (NULL);
  gboolean in_title = TRUE;
  gboolean blank_pending = FALSE;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      gboolean blank = *g_strstrip (lines[i]) == '\0';

      if (in_title)
        {
          in_title = !blank;
          continue;
        }
      if (is_field_line (lines[i]))
        continue;
      if (blank)
        {
          blank_pending = text->len > 0;
          continue;
        }
      if (blank_pending)
        g_string_append (text, "\n\n");
      else if (text->len > 0)
        g_string_append_c (text, ' ');
      blank_pending = FALSE;
      g_string_append (text, lines[i]);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* Alembic writes "2024-03-01 10:00:00.000000"; people read "1 March 2024, 10:00". */
static char *
format_create_date (const char *date)
{
  g_autofree char *iso = g_strstrip (g_strdup (date));
  g_autoptr(GTimeZone) local = g_time_zone_new_local ();
  g_autoptr(GDateTime) when = NULL;
  char *space = strchr (iso, ' ');

  if (space != NULL)
    *space = 'T';
  when = g_date_time_new_from_iso8601 (iso, local);
  if (when == NULL)
    return g_strdup (date);
  /* Translators: the date a revision was created, in g_date_time_format() syntax */
  /* xgettext:no-c-format */
  return g_date_time_format (when, _("%-d %B %Y, %H:%M"));
}

/* SQL from a triple-quoted Python string keeps the code's indentation on
 * every line but the first; take the common part off. */
static char *
dedent (const char *sql)
{
  g_auto(GStrv) lines = g_strsplit (sql, "\n", -1);
  gsize common = G_MAXSIZE;
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 1; lines[i] != NULL; i++)
    {
      gsize indent = strspn (lines[i], " \t");
      if (lines[i][indent] != '\0')
        common = MIN (common, indent);
    }
  if (common == G_MAXSIZE)
    common = 0;
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = lines[i];

      if (i > 0)
        {
          g_string_append_c (text, '\n');
          line += MIN (common, strspn (line, " \t"));
        }
      g_string_append (text, line);
    }
  return g_strstrip (g_string_free (g_steal_pointer (&text), FALSE));
}

/* What runs in one direction, as one SQL text, with a comment where a
 * section is for one database only or runs outside the transaction.
 * Runs in the worker: reading the sections parses a .py file's bodies. */
static char *
sql_for_direction (RetortRevision  *revision,
                   RetortDirection  direction)
{
  GPtrArray *sections = retort_revision_get_sections (revision);
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < sections->len; i++)
    {
      RetortSqlSection *section = g_ptr_array_index (sections, i);
      g_autofree char *sql = NULL;

      if (section->direction != direction)
        continue;
      if (text->len > 0)
        g_string_append (text, "\n\n");
      if (section->dialect != NULL && !section->transactional)
        /* Translators: a comment above SQL; %s is a database kind such as "postgresql" */
        g_string_append_printf (text, _("-- %s only, outside a transaction"), section->dialect);
      else if (section->dialect != NULL)
        /* Translators: a comment above SQL; %s is a database kind such as "postgresql" */
        g_string_append_printf (text, _("-- %s only"), section->dialect);
      else if (!section->transactional)
        g_string_append (text, _("-- outside a transaction"));
      if (section->dialect != NULL || !section->transactional)
        g_string_append_c (text, '\n');
      sql = dedent (section->sql);
      g_string_append (text, sql);
    }
  if (text->len == 0)
    g_string_append (text, direction == RETORT_DIRECTION_UPGRADE
                             ? _("-- Nothing runs on upgrade")
                             : _("-- Nothing runs on downgrade"));
  g_string_append_c (text, '\n');
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* --- reading the file off the main thread -------------------------------- */

typedef struct
{
  RetortRevision *revision;
  char           *path;
  char           *contents;
  char           *sql[2];      /* per RetortDirection; NULL when it needs Python */
  char           *problem[2];
} SourceLoad;

static void
source_load_free (SourceLoad *load)
{
  g_clear_object (&load->revision);
  g_free (load->path);
  g_free (load->contents);
  for (guint i = 0; i < 2; i++)
    {
      g_free (load->sql[i]);
      g_free (load->problem[i]);
    }
  g_free (load);
}

static void
source_load_worker (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  SourceLoad *load = task_data;
  g_autofree char *contents = NULL;
  gsize length = 0;
  GError *error = NULL;

  if (!g_file_get_contents (load->path, &contents, &length, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  if (g_task_return_error_if_cancelled (task))
    return;

  /* GtkTextBuffer takes UTF-8 only; the loader already refused anything
   * else, but the file may have changed since. */
  if (g_utf8_validate_len (contents, length, NULL))
    load->contents = g_steal_pointer (&contents);
  else
    load->contents = g_utf8_make_valid (contents, length);

  for (guint direction = 0; direction < 2; direction++)
    {
      const char *problem = retort_revision_get_native_problem (load->revision, direction);

      if (problem != NULL)
        load->problem[direction] = g_strdup (problem);
      else
        load->sql[direction] = sql_for_direction (load->revision, direction);
    }
  g_task_return_boolean (task, TRUE);
}

/* --- the source view ----------------------------------------------------- */

static void
update_style_scheme (RetortDetailPane *self)
{
  GtkSourceStyleSchemeManager *schemes = gtk_source_style_scheme_manager_get_default ();
  gboolean dark = adw_style_manager_get_dark (adw_style_manager_get_default ());
  GtkSourceStyleScheme *scheme;

  scheme = gtk_source_style_scheme_manager_get_scheme (schemes, dark ? "Adwaita-dark" : "Adwaita");
  if (scheme == NULL)
    scheme = gtk_source_style_scheme_manager_get_scheme (schemes, dark ? "classic-dark" : "classic");
  gtk_source_buffer_set_style_scheme (self->source_buffer, scheme);
  gtk_source_buffer_set_style_scheme (self->upgrade_buffer, scheme);
  gtk_source_buffer_set_style_scheme (self->downgrade_buffer, scheme);
}

static GtkSourceLanguage *
language_for (RetortRevisionFormat format)
{
  GtkSourceLanguageManager *languages = gtk_source_language_manager_get_default ();
  GtkSourceLanguage *language = NULL;

  if (format == RETORT_REVISION_FORMAT_PYTHON)
    language = gtk_source_language_manager_get_language (languages, "python3");
  if (format == RETORT_REVISION_FORMAT_PYTHON && language == NULL)
    language = gtk_source_language_manager_get_language (languages, "python");
  if (format == RETORT_REVISION_FORMAT_SQL)
    language = gtk_source_language_manager_get_language (languages, "sql");
  return language;
}

static GtkSourceBuffer *
new_buffer (RetortRevisionFormat format)
{
  GtkSourceBuffer *buffer = gtk_source_buffer_new_with_language (language_for (format));

  gtk_source_buffer_set_highlight_matching_brackets (buffer, FALSE);
  return buffer;
}

static void
set_buffer_text (GtkSourceBuffer *buffer,
                 const char      *text)
{
  GtkTextIter start;

  gtk_text_buffer_set_text (GTK_TEXT_BUFFER (buffer), text != NULL ? text : "", -1);
  gtk_text_buffer_get_start_iter (GTK_TEXT_BUFFER (buffer), &start);
  gtk_text_buffer_place_cursor (GTK_TEXT_BUFFER (buffer), &start);
}

static void
show_active_view (RetortDetailPane *self)
{
  GtkSourceBuffer *buffer = self->source_buffer;

  if (gtk_toggle_button_get_active (self->upgrade_toggle))
    buffer = self->upgrade_buffer;
  else if (gtk_toggle_button_get_active (self->downgrade_toggle))
    buffer = self->downgrade_buffer;
  if (gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->source_view)) != GTK_TEXT_BUFFER (buffer))
    gtk_text_view_set_buffer (GTK_TEXT_VIEW (self->source_view), GTK_TEXT_BUFFER (buffer));
}

static void
view_toggled_cb (RetortDetailPane *self,
                 GtkToggleButton  *toggle)
{
  if (gtk_toggle_button_get_active (toggle))
    show_active_view (self);
}

static void
set_loading (RetortDetailPane *self,
             gboolean          loading)
{
  g_clear_handle_id (&self->spinner_timeout_id, g_source_remove);
  gtk_spinner_set_spinning (self->source_spinner, FALSE);
  if (self->loading == loading)
    return;
  self->loading = loading;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static gboolean
show_spinner_cb (gpointer user_data)
{
  RetortDetailPane *self = user_data;

  self->spinner_timeout_id = 0;
  gtk_spinner_set_spinning (self->source_spinner, TRUE);
  gtk_stack_set_visible_child_name (self->source_stack, "loading");
  return G_SOURCE_REMOVE;
}

/* One direction's toggle: usable when its SQL reads without Python. */
static void
set_direction_toggle (GtkToggleButton *toggle,
                      const char      *problem)
{
  gtk_widget_set_sensitive (GTK_WIDGET (toggle), problem == NULL);
  if (problem != NULL)
    {
      /* Translators: %s says which statement needs Python, in English */
      g_autofree char *tooltip = g_strdup_printf (_("Retort cannot show this SQL without running Python: %s"),
                                                  problem);
      gtk_widget_set_tooltip_text (GTK_WIDGET (toggle), tooltip);
    }
  else
    gtk_widget_set_tooltip_text (GTK_WIDGET (toggle), NULL);
}

static void
source_loaded_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  RetortDetailPane *self = RETORT_DETAIL_PANE (object);
  SourceLoad *load = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  gboolean any_sql;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      if (load->revision != self->revision)
        return;
      set_loading (self, FALSE);
      adw_status_page_set_description (self->source_error_page, error->message);
      gtk_widget_set_visible (self->view_toggles, FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->source_heading), TRUE);
      gtk_stack_set_visible_child_name (self->source_stack, "error");
      return;
    }
  /* a later selection replaced this one while the worker ran */
  if (load->revision != self->revision)
    return;

  set_buffer_text (self->source_buffer, load->contents);
  set_buffer_text (self->upgrade_buffer, load->sql[RETORT_DIRECTION_UPGRADE]);
  set_buffer_text (self->downgrade_buffer, load->sql[RETORT_DIRECTION_DOWNGRADE]);

  any_sql = load->sql[RETORT_DIRECTION_UPGRADE] != NULL || load->sql[RETORT_DIRECTION_DOWNGRADE] != NULL;
  set_direction_toggle (self->upgrade_toggle, load->problem[RETORT_DIRECTION_UPGRADE]);
  set_direction_toggle (self->downgrade_toggle, load->problem[RETORT_DIRECTION_DOWNGRADE]);
  gtk_widget_set_visible (self->view_toggles, any_sql);
  gtk_widget_set_visible (GTK_WIDGET (self->source_heading), !any_sql);

  /* Keep the chosen view while browsing revisions, if this one has it. */
  if ((gtk_toggle_button_get_active (self->upgrade_toggle) && load->sql[RETORT_DIRECTION_UPGRADE] == NULL) ||
      (gtk_toggle_button_get_active (self->downgrade_toggle) && load->sql[RETORT_DIRECTION_DOWNGRADE] == NULL))
    gtk_toggle_button_set_active (self->source_toggle, TRUE);
  show_active_view (self);

  set_loading (self, FALSE);
  gtk_stack_set_visible_child_name (self->source_stack, "view");
}

static void
load_source (RetortDetailPane *self)
{
  g_autoptr(GTask) task = NULL;
  RetortRevisionFormat format = retort_revision_get_format (self->revision);
  const char *path = retort_revision_get_path (self->revision);
  SourceLoad *load;

  gtk_source_buffer_set_language (self->source_buffer, language_for (format));
  set_buffer_text (self->source_buffer, NULL);
  set_buffer_text (self->upgrade_buffer, NULL);
  set_buffer_text (self->downgrade_buffer, NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->upgrade_toggle), FALSE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->downgrade_toggle), FALSE);
  gtk_stack_set_visible_child_name (self->source_stack, "view");

  if (path == NULL)
    {
      /* made in memory (tests, the demo): nothing to read */
      set_loading (self, FALSE);
      gtk_widget_set_visible (self->view_toggles, FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->source_heading), TRUE);
      return;
    }

  set_loading (self, TRUE);
  self->spinner_timeout_id = g_timeout_add (SPINNER_DELAY_MS, show_spinner_cb, self);

  load = g_new0 (SourceLoad, 1);
  load->revision = g_object_ref (self->revision);
  load->path = g_strdup (path);

  task = g_task_new (self, self->cancellable, source_loaded_cb, NULL);
  g_task_set_source_tag (task, load_source);
  g_task_set_task_data (task, load, (GDestroyNotify) source_load_free);
  g_task_run_in_thread (task, source_load_worker);
}

/* --- facts ------------------------------------------------------------- */

static void
clear_list (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

static void
add_tag (RetortDetailPane *self,
         const char       *text,
         const char       *kind,
         const char       *tooltip)
{
  GtkWidget *chip = gtk_label_new (text);

  gtk_widget_add_css_class (chip, "chip");
  gtk_widget_add_css_class (chip, kind);
  gtk_widget_set_tooltip_text (chip, tooltip);
  gtk_flow_box_append (self->tags_box, chip);
  /* the flow box wraps each chip in a focusable child; these are not controls */
  gtk_widget_set_focusable (gtk_widget_get_parent (chip), FALSE);
}

static void
fill_tags (RetortDetailPane  *self,
           RetortRevisionMap *map)
{
  RetortRevision *revision = self->revision;
  const char * const *own = retort_revision_get_branch_labels (revision);
  const char * const *labels = retort_revision_map_get_branch_labels (map, revision);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->tags_box))) != NULL)
    gtk_flow_box_remove (self->tags_box, child);

  if (retort_revision_map_is_head (map, revision))
    add_tag (self, C_("revision tag", "Head"), "head", _("No later revision builds on this one"));
  if (retort_revision_get_n_down_revisions (revision) == 0)
    add_tag (self, C_("revision tag", "Base"), "base", _("The first revision of its branch"));
  if (retort_revision_map_is_merge_point (map, revision))
    add_tag (self, C_("revision tag", "Merge point"), "merge", _("Joins several branches into one"));
  if (retort_revision_map_is_branch_point (map, revision))
    add_tag (self, C_("revision tag", "Branch point"), "fork", _("Several branches start here"));
  for (guint i = 0; labels != NULL && labels[i] != NULL; i++)
    add_tag (self, labels[i], "branch",
             own != NULL && g_strv_contains (own, labels[i])
               ? _("Branch label, set on this revision")
               : _("Branch label"));

  gtk_widget_set_visible (GTK_WIDGET (self->tags_box),
                          gtk_widget_get_first_child (GTK_WIDGET (self->tags_box)) != NULL);
}

static void
link_row_activated_cb (AdwActionRow     *row,
                       RetortDetailPane *self)
{
  RetortRevision *target = g_object_get_data (G_OBJECT (row), "revision");

  if (target != NULL)
    g_signal_emit (self, signals[SIGNAL_REVISION_ACTIVATED], 0, target);
}

/* A row naming another revision; activating it asks the window to go there. */
static GtkWidget *
link_row_new (RetortDetailPane *self,
              RetortRevision   *target,
              const char       *missing_id)
{
  GtkWidget *row = adw_action_row_new ();
  const char *id = target != NULL ? retort_revision_get_id (target) : missing_id;
  g_autofree char *short_id = retort_project_short_id (id);
  g_autofree char *message = target != NULL ? retort_text_one_line (retort_revision_get_doc (target)) : NULL;

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                 message != NULL && *message != '\0' ? message
                                 : target != NULL ? _("No message")
                                 : _("Not in this project"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), short_id);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 2);
  gtk_widget_set_tooltip_text (row, id);
  gtk_widget_add_css_class (row, "revision-link");

  if (target != NULL)
    {
      GtkWidget *arrow = gtk_image_new_from_icon_name ("go-next-symbolic");

      adw_action_row_add_suffix (ADW_ACTION_ROW (row), arrow);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      g_object_set_data_full (G_OBJECT (row), "revision", g_object_ref (target), g_object_unref);
      g_signal_connect (row, "activated", G_CALLBACK (link_row_activated_cb), self);
    }
  return row;
}

static void
fill_links (RetortDetailPane *self,
            GtkListBox       *list,
            GtkWidget        *group,
            GPtrArray        *targets)
{
  clear_list (list);
  for (guint i = 0; i < targets->len; i++)
    gtk_list_box_append (list, link_row_new (self, g_ptr_array_index (targets, i), NULL));
  gtk_widget_set_visible (group, targets->len > 0);
}

static void
fill_parents (RetortDetailPane  *self,
              RetortRevisionMap *map)
{
  const char * const *parents = retort_revision_get_down_revisions (self->revision);
  guint n = 0;

  clear_list (self->parents_list);
  for (; parents != NULL && parents[n] != NULL; n++)
    {
      RetortRevision *parent = retort_revision_map_lookup (map, parents[n]);

      gtk_list_box_append (self->parents_list, link_row_new (self, parent, parents[n]));
    }
  gtk_label_set_label (self->parents_heading, ngettext ("Parent", "Parents", n));
  gtk_widget_set_visible (self->parents_group, n > 0);
}

static void
add_environment_row (RetortDetailPane *self,
                     RetortProfile    *profile)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *tier = gtk_label_new (retort_profile_get_tier_label (profile));
  GtkWidget *mark;
  const char *text;
  const char *kind;

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), retort_profile_get_name (profile));
  gtk_widget_set_tooltip_text (row, retort_profile_get_status_message (profile));

  gtk_widget_set_valign (tier, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (tier, "chip");
  gtk_widget_add_css_class (tier, "tier");
  gtk_widget_add_css_class (tier, retort_profile_get_tier_class (profile));
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), tier);

  /* a symbol and a word: the state never rests on colour alone */
  if (retort_profile_get_rows (profile) == NULL)
    {
      /* Translators: a database whose version table was not read (yet) */
      text = C_("revision state", "? Unknown");
      kind = "unknown";
    }
  else if (retort_profile_is_at (profile, self->revision))
    {
      text = C_("revision state", "★ Current");
      kind = "current";
    }
  else if (retort_profile_has_applied (profile, self->revision))
    {
      text = C_("revision state", "✓ Applied");
      kind = "applied";
    }
  else
    {
      text = C_("revision state", "· Pending");
      kind = "pending";
    }
  mark = gtk_label_new (text);
  gtk_widget_add_css_class (mark, "revision-state");
  gtk_widget_add_css_class (mark, kind);
  if (g_str_equal (kind, "pending") || g_str_equal (kind, "unknown"))
    gtk_widget_add_css_class (mark, "dim-label");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), mark);

  /* nothing to do on it: keyboard focus would only stop there */
  gtk_widget_set_focusable (row, FALSE);
  gtk_list_box_append (self->environments_list, row);
}

static void
fill_environments (RetortDetailPane *self)
{
  GListModel *profiles;
  guint n;

  clear_list (self->environments_list);
  if (self->project == NULL || self->revision == NULL)
    return;

  profiles = retort_project_get_profiles (self->project);
  n = g_list_model_get_n_items (profiles);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(RetortProfile) profile = g_list_model_get_item (profiles, i);
      add_environment_row (self, profile);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->environments_list), n > 0);
  gtk_widget_set_visible (self->no_environments_label, n == 0);
}

static void
fill_facts (RetortDetailPane *self)
{
  RetortRevision *revision = self->revision;
  RetortRevisionMap *map = retort_project_get_map (self->project);
  const char *date = retort_revision_get_create_date (revision);
  const char *path = retort_revision_get_path (revision);
  const char *folder = retort_project_get_folder (self->project);
  g_autofree char *message = retort_text_one_line (retort_revision_get_doc (revision));
  g_autofree char *description = description_of (retort_revision_get_longdoc (revision));
  g_autoptr(GPtrArray) children = NULL;
  g_autoptr(GPtrArray) dependencies = NULL;

  if (*message != '\0')
    {
      gtk_label_set_label (self->title_label, message);
      gtk_widget_remove_css_class (GTK_WIDGET (self->title_label), "dim-label");
    }
  else
    {
      gtk_label_set_label (self->title_label, _("No message"));
      gtk_widget_add_css_class (GTK_WIDGET (self->title_label), "dim-label");
    }
  gtk_label_set_label (self->description_label, description);
  gtk_widget_set_visible (GTK_WIDGET (self->description_label), *description != '\0');

  gtk_label_set_label (self->id_label, retort_revision_get_id (revision));

  if (date != NULL && *date != '\0')
    {
      g_autofree char *shown = format_create_date (date);

      gtk_label_set_label (self->date_label, shown);
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->date_label), date);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->date_label), date != NULL && *date != '\0');
  gtk_widget_set_visible (GTK_WIDGET (self->date_caption), date != NULL && *date != '\0');

  /* the path inside the project reads shorter; the tooltip has all of it */
  if (path != NULL && folder != NULL && g_str_has_prefix (path, folder) &&
      path[strlen (folder)] == G_DIR_SEPARATOR)
    gtk_label_set_label (self->file_label, path + strlen (folder) + 1);
  else
    gtk_label_set_label (self->file_label, path != NULL ? path : _("Not saved in a file"));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->file_label), path);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "detail.open-file", path != NULL);

  fill_tags (self, map);
  fill_parents (self, map);
  children = retort_revision_map_get_children (map, revision);
  gtk_label_set_label (self->children_heading, ngettext ("Child", "Children", children->len));
  fill_links (self, self->children_list, self->children_group, children);
  dependencies = retort_revision_map_get_dependencies (map, revision);
  fill_links (self, self->depends_list, self->depends_group, dependencies);
  fill_environments (self);
}

/* The list of links holding the keyboard focus, if any. */
static GtkListBox *
focused_links (RetortDetailPane *self)
{
  GtkListBox *lists[] = { self->parents_list, self->children_list, self->depends_list };

  for (gsize i = 0; i < G_N_ELEMENTS (lists); i++)
    if (gtk_widget_get_focus_child (GTK_WIDGET (lists[i])) != NULL)
      return lists[i];
  return NULL;
}

/* Focus the first link of preferred, or else of the first list that has one. */
static void
focus_links (RetortDetailPane *self,
             GtkListBox       *preferred)
{
  GtkListBox *lists[] = { preferred, self->parents_list, self->children_list, self->depends_list };

  for (gsize i = 0; i < G_N_ELEMENTS (lists); i++)
    {
      GtkListBoxRow *row = gtk_list_box_get_row_at_index (lists[i], 0);

      if (row != NULL && gtk_widget_get_visible (gtk_widget_get_parent (GTK_WIDGET (lists[i]))))
        {
          gtk_widget_grab_focus (GTK_WIDGET (row));
          return;
        }
    }
}

/* --- actions ------------------------------------------------------------- */

static gboolean
restore_copy_icon_cb (gpointer user_data)
{
  RetortDetailPane *self = user_data;

  self->copy_feedback_id = 0;
  gtk_button_set_icon_name (self->copy_button, "edit-copy-symbolic");
  return G_SOURCE_REMOVE;
}

static void
copy_id_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  RetortDetailPane *self = RETORT_DETAIL_PANE (widget);

  if (self->revision == NULL)
    return;
  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), retort_revision_get_id (self->revision));

  /* a tick for a moment says it worked without a toast the pane has no room for */
  gtk_button_set_icon_name (self->copy_button, "object-select-symbolic");
  g_clear_handle_id (&self->copy_feedback_id, g_source_remove);
  self->copy_feedback_id = g_timeout_add_seconds (COPY_FEEDBACK_SECONDS, restore_copy_icon_cb, self);
}

static void
open_file_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  RetortDetailPane *self = RETORT_DETAIL_PANE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autofree char *uri = NULL;
  const char *path;

  if (self->revision == NULL || (path = retort_revision_get_path (self->revision)) == NULL)
    return;
  uri = g_filename_to_uri (path, NULL, NULL);
  if (uri != NULL)
    gtk_show_uri (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, uri, GDK_CURRENT_TIME);
}

/* --- the project --------------------------------------------------------- */

static void
profiles_changed_cb (RetortDetailPane *self)
{
  fill_environments (self);
}

static void
profiles_items_changed_cb (RetortDetailPane *self,
                           guint             position,
                           guint             removed,
                           guint             added,
                           GListModel       *model)
{
  fill_environments (self);
}

static void
set_project (RetortDetailPane *self,
             RetortProject    *project)
{
  if (self->project == project)
    return;
  if (self->project != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->project, self);
      g_signal_handlers_disconnect_by_data (retort_project_get_profiles (self->project), self);
    }
  g_set_object (&self->project, project);
  if (project != NULL)
    {
      g_signal_connect_swapped (project, "profiles-changed",
                                G_CALLBACK (profiles_changed_cb), self);
      g_signal_connect_swapped (retort_project_get_profiles (project), "items-changed",
                                G_CALLBACK (profiles_items_changed_cb), self);
    }
}

/* --- GObject ------------------------------------------------------------- */

static void
retort_detail_pane_dispose (GObject *object)
{
  RetortDetailPane *self = RETORT_DETAIL_PANE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->spinner_timeout_id, g_source_remove);
  g_clear_handle_id (&self->copy_feedback_id, g_source_remove);
  set_project (self, NULL);
  g_clear_object (&self->revision);
  gtk_widget_dispose_template (GTK_WIDGET (self), RETORT_TYPE_DETAIL_PANE);
  g_clear_object (&self->source_buffer);
  g_clear_object (&self->upgrade_buffer);
  g_clear_object (&self->downgrade_buffer);

  G_OBJECT_CLASS (retort_detail_pane_parent_class)->dispose (object);
}

static void
retort_detail_pane_finalize (GObject *object)
{
  RetortDetailPane *self = RETORT_DETAIL_PANE (object);

  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (retort_detail_pane_parent_class)->finalize (object);
}

static void
retort_detail_pane_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  RetortDetailPane *self = RETORT_DETAIL_PANE (object);

  switch (prop_id)
    {
    case PROP_REVISION:
      g_value_set_object (value, self->revision);
      break;

    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
retort_detail_pane_class_init (RetortDetailPaneClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = retort_detail_pane_dispose;
  object_class->finalize = retort_detail_pane_finalize;
  object_class->get_property = retort_detail_pane_get_property;

  properties[PROP_REVISION] =
    g_param_spec_object ("revision", NULL, NULL,
                         RETORT_TYPE_REVISION,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* a parent, child or dependency link was clicked: the window selects it */
  signals[SIGNAL_REVISION_ACTIVATED] =
    g_signal_new ("revision-activated",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, RETORT_TYPE_REVISION);

  g_type_ensure (GTK_SOURCE_TYPE_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/ui/retort-detail-pane.ui");
  gtk_widget_class_bind_template_child (widget_class, RetortDetailPane, stack);
  gtk_widget_class_bind_template_child (widget_class, RetortDetailPane, empty_page);
  gtk_widget_class_bind_template_child (widget_class, RetortDetailPane, info_scroller);
  gtk_widget_class_bind_template_child (widget_class, RetortDetailPane, title_label);
  gtk_widget_class_bind_template_child (widget_class, RetortDetailPane, tags_box);
  gtk_widget_class_bind_template_child (widget_class, RetortDetailPane, description_label);
  gtk_widget_class_bind_template_child (widget_class, RetortDetailPane, id_label);
  gtk_widget_class_bind_template_child (widget_class, RetortDetailPane, copy_button);
  gtk_widget_class_bind_template_child (widget_class, RetortDetailPane, date_caption);
  gtk_widget_class_bind_template_child (widget_class, RetortDetailPane, date_label);
  gtk_widget_class_bind_template_child (widget_class, RetortDetailPane, file_label);
  gtk_widget_class_bind_template_child (widget_class, RetortDetailPane, open_button);
  gtk_widget_class_bind_template_child (widget_class, RetortDetailPane, parents_group);
  gtk_widget_class_bind_template_child (widget_class, RetortDetailPane, parents_heading);
  gtk_widget_class_bind_template_child (widget_class, RetortDetailPane, parents_list);
  gtk_widget_class_bind_template_child (widget_class, RetortDetailPane, children_group);
  gtk_widget_class_bind_template_child (widget_class, RetortDetailPane, children_heading);
  gtk_widget_class_bind_template_child (widget_class, RetortDetailPane, children_list);
  gtk_widget_class_bind_template_child (widget_class, RetortDetailPane, depends_group);
  gtk_widget_class_bind_template_child (widget_class, RetortDetailPane, depends_list);
  gtk_widget_class_bind_template_child (widget_class, RetortDetailPane, environments_list);
  gtk_widget_class_bind_template_child (widget_class, RetortDetailPane, no_environments_label);
  gtk_widget_class_bind_template_child (widget_class, RetortDetailPane, source_heading);
  gtk_widget_class_bind_template_child (widget_class, RetortDetailPane, view_toggles);
  gtk_widget_class_bind_template_child (widget_class, RetortDetailPane, source_toggle);
  gtk_widget_class_bind_template_child (widget_class, RetortDetailPane, upgrade_toggle);
  gtk_widget_class_bind_template_child (widget_class, RetortDetailPane, downgrade_toggle);
  gtk_widget_class_bind_template_child (widget_class, RetortDetailPane, source_stack);
  gtk_widget_class_bind_template_child (widget_class, RetortDetailPane, source_spinner);
  gtk_widget_class_bind_template_child (widget_class, RetortDetailPane, source_view);
  gtk_widget_class_bind_template_child (widget_class, RetortDetailPane, source_error_page);
  gtk_widget_class_bind_template_callback (widget_class, view_toggled_cb);

  gtk_widget_class_install_action (widget_class, "detail.copy-id", NULL, copy_id_action);
  gtk_widget_class_install_action (widget_class, "detail.open-file", NULL, open_file_action);

  gtk_widget_class_set_css_name (widget_class, "detailpane");
}

static void
retort_detail_pane_init (RetortDetailPane *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->source_buffer = new_buffer (RETORT_REVISION_FORMAT_PYTHON);
  self->upgrade_buffer = new_buffer (RETORT_REVISION_FORMAT_SQL);
  self->downgrade_buffer = new_buffer (RETORT_REVISION_FORMAT_SQL);
  gtk_text_view_set_buffer (GTK_TEXT_VIEW (self->source_view), GTK_TEXT_BUFFER (self->source_buffer));

  update_style_scheme (self);
  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (update_style_scheme), self, G_CONNECT_SWAPPED);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "detail.copy-id", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "detail.open-file", FALSE);
}

GtkWidget *
retort_detail_pane_new (void)
{
  return g_object_new (RETORT_TYPE_DETAIL_PANE, NULL);
}

void
retort_detail_pane_set_revision (RetortDetailPane *self,
                                 RetortProject    *project,
                                 RetortRevision   *revision)
{
  g_return_if_fail (RETORT_IS_DETAIL_PANE (self));
  g_return_if_fail (project == NULL || RETORT_IS_PROJECT (project));
  g_return_if_fail (revision == NULL || RETORT_IS_REVISION (revision));

  /* a revision without its project's map has no parents or children to show */
  if (project == NULL || retort_project_get_map (project) == NULL)
    revision = NULL;

  set_project (self, project);
  if (self->revision == revision)
    return;

  /* the previous read may still run: its answer is dropped */
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  g_set_object (&self->revision, revision);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "detail.copy-id", revision != NULL);

  if (revision == NULL)
    {
      set_loading (self, FALSE);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "detail.open-file", FALSE);
      clear_list (self->environments_list);
      gtk_stack_set_visible_child_name (self->stack, "empty");
    }
  else
    {
      GtkListBox *focused = focused_links (self);

      /* Following a link by keyboard rebuilds the lists under the focus:
       * park it, then land on the same list of the new revision. */
      if (focused != NULL)
        gtk_widget_grab_focus (GTK_WIDGET (self->copy_button));
      fill_facts (self);
      if (focused != NULL)
        focus_links (self, focused);
      load_source (self);
      gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->info_scroller), 0);
      gtk_stack_set_visible_child_name (self->stack, "revision");
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REVISION]);
}

RetortRevision *
retort_detail_pane_get_revision (RetortDetailPane *self)
{
  g_return_val_if_fail (RETORT_IS_DETAIL_PANE (self), NULL);
  return self->revision;
}

gboolean
retort_detail_pane_get_loading (RetortDetailPane *self)
{
  g_return_val_if_fail (RETORT_IS_DETAIL_PANE (self), FALSE);
  return self->loading;
}
