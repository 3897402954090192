/* retort-run-dialog.c — what an upgrade, downgrade or stamp will do, before it runs
 *
 * One look should tell a DBA which database changes, from which revision to
 * which, by which steps, with which SQL, and which of its statements destroy
 * data. The plan and the SQL are computed once, when the dialog opens, from
 * the rows the window last read; the run is told to expect exactly those
 * rows, so it refuses if the database moved on meanwhile.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "retort-run-dialog"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <gtksourceview/gtksource.h>

#include "retort-run-dialog.h"
#include "retort-run-session.h"

struct _RetortRunDialog
{
  AdwWindow          parent_instance;

  RetortProfile     *profile;
  RetortProject     *project;
  RetortRun         *run;
  GStrv              rows;       /* the version rows the plan was made from */
  RetortDialect      dialect;
  RetortPlan        *plan;       /* NULL: no plan */
  char              *sql;        /* NULL: not rendered */
  GArray            *hazards;    /* RetortSqlHazard in sql */
  char              *refusal;    /* NULL: the run may go ahead */
  gboolean           up_to_date; /* the refusal is only that there is nothing to do */
  gboolean           confirmed;
  GtkSourceBuffer   *sql_buffer;
  GtkTextTag        *hazard_tag;

  /* template children */
  GtkWidget         *header_bar;
  AdwWindowTitle    *window_title;
  GtkButton         *run_button;
  GtkWidget         *refusal_box;
  GtkImage          *refusal_icon;
  GtkLabel          *refusal_label;
  AdwActionRow      *database_row;
  GtkLabel          *tier_pill;
  AdwActionRow      *revisions_row;
  GtkImage          *revisions_icon;
  AdwPreferencesGroup *plan_group;
  GtkListBox        *plan_list;
  AdwPreferencesGroup *hazard_group;
  GtkListBox        *hazard_list;
  GtkWidget         *sql_group;
  GtkStack          *sql_stack;
  GtkSourceView     *sql_view;
  GtkLabel          *sql_missing_label;
  GtkWidget         *copy_button;
  AdwActionRow      *backup_row;
  GtkWidget         *backup_icon;
  GtkWidget         *confirm_group;
  AdwEntryRow       *confirm_row;
  GtkLabel          *confirm_mismatch_label;
};

G_DEFINE_FINAL_TYPE (RetortRunDialog, retort_run_dialog, ADW_TYPE_WINDOW)

enum {
  CONFIRMED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* --- text ---------------------------------------------------------------- */

/* short ids joined, or "no revision" for an empty version table */
static char *
describe_rows (const char * const *rows)
{
  g_autoptr(GString) text = g_string_new (NULL);

  if (rows == NULL || rows[0] == NULL)
    /* Translators: where an empty version table is: "now at no revision" */
    return g_strdup (_("no revision"));
  for (guint i = 0; rows[i] != NULL; i++)
    {
      g_autofree char *short_id = retort_project_short_id (rows[i]);
      if (i > 0)
        g_string_append (text, ", ");
      g_string_append (text, short_id);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* "head", "base", "3c4d5e6f" (a full id shortened), several joined */
static char *
describe_targets (RetortRun *run)
{
  const char * const *targets = retort_run_get_targets (run);

  if (targets == NULL || targets[0] == NULL)
    return g_strdup ("heads");
  return describe_rows (targets);
}

static const char *
run_button_label (RetortRunOperation operation)
{
  switch (operation)
    {
    case RETORT_RUN_DOWNGRADE:
      return _("_Downgrade");
    case RETORT_RUN_STAMP:
      return _("_Stamp");
    case RETORT_RUN_UPGRADE:
    default:
      return _("_Upgrade");
    }
}

static const char *
hazard_kind_label (RetortSqlHazardKind kind)
{
  switch (kind)
    {
    case RETORT_SQL_HAZARD_DROP:
      /* Translators: an SQL keyword: the statement drops a table, a column, … */
      return _("DROP");
    case RETORT_SQL_HAZARD_TRUNCATE:
      /* Translators: an SQL keyword */
      return _("TRUNCATE");
    case RETORT_SQL_HAZARD_DELETE_ALL:
      /* Translators: DELETE and WHERE are SQL keywords */
      return _("DELETE without WHERE");
    case RETORT_SQL_HAZARD_UPDATE_ALL:
      /* Translators: UPDATE and WHERE are SQL keywords */
      return _("UPDATE without WHERE");
    default:
      g_return_val_if_reached ("");
    }
}

/* the statement's first line, marked when more follows */
static char *
first_line (const char *text,
            gsize       length)
{
  const char *newline = memchr (text, '\n', length);

  if (newline == NULL)
    return g_strndup (text, length);
  return g_strdup_printf ("%.*s …", (int) (newline - text), text);
}

/* --- planning ------------------------------------------------------------ */

static gboolean
is_production (RetortRunDialog *self)
{
  return retort_profile_needs_typed_confirmation (self->profile);
}

static void
refuse (RetortRunDialog *self,
        char            *reason)  /* owned */
{
  /* the first reason found is the one to fix first */
  if (self->refusal == NULL)
    self->refusal = reason;
  else
    g_free (reason);
}

/* Offline SQL has no --purge (Alembic refuses it with --sql); the run
 * makes sure of the version table and empties it before the first step,
 * so that is what the SQL shows */
static void
add_purge (RetortRunDialog *self,
           const char      *schema,
           const char      *table)
{
  g_autofree char *qualified = retort_version_table_qualified_name (schema, table);
  g_autofree char *offline_create = retort_version_table_create_sql (schema, table, FALSE);
  g_autofree char *create = retort_version_table_create_sql (schema, table, TRUE);
  g_autofree char *statement = g_strdup_printf ("%s;\n\n", offline_create);
  g_autofree char *purge = g_strdup_printf ("%s;\n\nDELETE FROM %s;\n\n", create, qualified);
  const char *at = strstr (self->sql, statement);
  GString *sql = g_string_new (self->sql);

  if (at != NULL)
    g_string_erase (sql, at - self->sql, strlen (statement));
  g_string_insert (sql, at != NULL ? at - self->sql : 0, purge);
  g_free (self->sql);
  self->sql = g_string_free (sql, FALSE);
}

/* Plan, SQL and hazards; every reason the run cannot go ahead, first first */
static void
make_plan (RetortRunDialog *self)
{
  const char *name = retort_profile_get_name (self->profile);
  const char * const *rows = retort_profile_get_rows (self->profile);
  RetortScriptDir *script_dir = retort_project_get_script_dir (self->project);
  g_autoptr(RetortDatabaseUrl) url = NULL;
  g_autoptr(GError) error = NULL;
  const char *table = NULL;
  const char *schema = NULL;

  /* what refuses any run (read-only, busy, not read), said as the window says it */
  if (!retort_run_session_check_allowed (self->profile, &error))
    {
      refuse (self, g_strdup (error->message));
      g_clear_error (&error);
    }

  if (rows == NULL)
    {
      /* Translators: %s is a database profile's name */
      refuse (self, g_strdup_printf (_("The version table of %s has not been read yet: refresh it and try again."),
                                     name));
      return;
    }
  self->rows = g_strdupv ((char **) rows);

  url = retort_profile_build_url (self->profile, &error);
  if (url == NULL)
    {
      /* Translators: %s is a database profile's name, then why its address does not work */
      refuse (self, g_strdup_printf (_("The address of %s does not work: %s"), name, error->message));
      return;
    }
  self->dialect = url->dialect;

  self->plan = retort_run_make_plan (self->run, (const char * const *) self->rows, &error);
  if (self->plan == NULL)
    {
      /* Translators: %s is why (in English) */
      refuse (self, g_strdup_printf (_("Retort cannot plan this run: %s"), error->message));
      return;
    }

  for (guint i = 0; i < retort_plan_get_n_steps (self->plan); i++)
    {
      RetortPlanStep *step = retort_plan_get_step (self->plan, i);
      const char *problem = step->revision == NULL ? NULL
        : retort_revision_get_native_problem (step->revision,
                                              step->is_upgrade ? RETORT_DIRECTION_UPGRADE : RETORT_DIRECTION_DOWNGRADE);
      if (problem != NULL)
        {
          g_autofree char *short_id = retort_project_short_id (retort_revision_get_id (step->revision));
          /* Translators: %s is a revision id, then the reason (in English) */
          refuse (self, g_strdup_printf (_("Revision %s cannot run inside Retort yet: %s"), short_id, problem));
        }
    }

  if (retort_plan_get_n_steps (self->plan) == 0)
    {
      g_autofree char *target = describe_targets (self->run);
      self->up_to_date = self->refusal == NULL;
      /* Translators: %s is a database profile's name, then a target such as "head" */
      refuse (self, g_strdup_printf (_("Nothing to do: %s is already at %s."), name, target));
      return;
    }

  if (script_dir != NULL)
    {
      table = retort_script_dir_get_version_table (script_dir);
      schema = retort_script_dir_get_version_table_schema (script_dir);
    }
  if (table == NULL)
    table = "alembic_version";
  self->sql = retort_offline_render (self->plan, self->dialect, schema, table, &error);
  if (self->sql == NULL)
    {
      gtk_label_set_label (self->sql_missing_label, error->message);
      return;
    }
  if (retort_run_get_purge (self->run))
    add_purge (self, schema, table);

  self->hazards = retort_sql_find_hazards (self->sql, self->dialect, &error);
  if (self->hazards == NULL)
    /* not called safe: the SQL shows, the warning says why it was not checked */
    adw_preferences_group_set_description (self->hazard_group, error->message);
}

/* --- what is shown ------------------------------------------------------- */

static void
show_header (RetortRunDialog *self)
{
  RetortRunOperation operation = retort_run_get_operation (self->run);
  const char *name = retort_profile_get_name (self->profile);
  g_autofree char *target = describe_targets (self->run);
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;
  gboolean destructive;

  switch (operation)
    {
    case RETORT_RUN_DOWNGRADE:
      /* Translators: the run dialog's title; %s is a database profile's name */
      title = g_strdup_printf (_("Downgrade %s"), name);
      break;
    case RETORT_RUN_STAMP:
      /* Translators: the run dialog's title; %s is a database profile's name */
      title = g_strdup_printf (_("Stamp %s"), name);
      break;
    case RETORT_RUN_UPGRADE:
    default:
      /* Translators: the run dialog's title; %s is a database profile's name */
      title = g_strdup_printf (_("Upgrade %s"), name);
      break;
    }
  if (operation == RETORT_RUN_STAMP && retort_run_get_purge (self->run))
    /* Translators: the run dialog's subtitle; %s is a target such as "head" */
    subtitle = g_strdup_printf (C_("run target", "to %s, emptying the version table first"), target);
  else
    /* Translators: the run dialog's subtitle; %s is a target such as "head" or a revision id */
    subtitle = g_strdup_printf (C_("run target", "to %s"), target);
  adw_window_title_set_title (self->window_title, title);
  adw_window_title_set_subtitle (self->window_title, subtitle);
  gtk_window_set_title (GTK_WINDOW (self), title);

  gtk_button_set_label (self->run_button, run_button_label (operation));
  destructive = operation == RETORT_RUN_DOWNGRADE || retort_run_get_purge (self->run) || is_production (self) ||
                (self->hazards != NULL && self->hazards->len > 0);
  gtk_widget_add_css_class (GTK_WIDGET (self->run_button), destructive ? "destructive-action" : "suggested-action");
  /* as in the main window: production is unmistakable */
  if (is_production (self))
    gtk_widget_add_css_class (self->header_bar, "production");
}

static void
show_refusal (RetortRunDialog *self)
{
  gtk_widget_set_visible (self->refusal_box, self->refusal != NULL);
  gtk_label_set_label (self->refusal_label, self->refusal != NULL ? self->refusal : "");
  /* nothing to do is news, not a fault */
  if (self->up_to_date)
    {
      gtk_widget_add_css_class (self->refusal_box, "up-to-date");
      gtk_image_set_from_icon_name (self->refusal_icon, "emblem-ok-symbolic");
    }
}

static void
show_target (RetortRunDialog *self)
{
  g_autofree char *tier = g_utf8_strup (retort_profile_get_tier_label (self->profile), -1);
  g_autofree char *text = NULL;

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->database_row), retort_profile_get_name (self->profile));
  adw_action_row_set_subtitle (self->database_row, retort_profile_get_display (self->profile));
  gtk_label_set_label (self->tier_pill, tier);
  gtk_widget_add_css_class (GTK_WIDGET (self->tier_pill), retort_profile_get_tier_class (self->profile));

  if (self->plan != NULL && retort_plan_get_n_steps (self->plan) > 0)
    {
      g_autofree char *now = describe_rows (retort_plan_get_initial_rows (self->plan));
      g_autofree char *after = describe_rows (retort_plan_get_final_rows (self->plan));
      /* Translators: the database's revisions before and after the run */
      text = g_strdup_printf (_("Now at %s → will be at %s"), now, after);
    }
  else if (self->rows != NULL)
    {
      g_autofree char *now = describe_rows ((const char * const *) self->rows);
      /* Translators: the database's revisions; no plan says where it would go */
      text = g_strdup_printf (_("Now at %s"), now);
    }
  else
    text = g_strdup (_("Version not read yet"));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->revisions_row), text);
  switch (retort_run_get_operation (self->run))
    {
    case RETORT_RUN_DOWNGRADE:
      gtk_image_set_from_icon_name (self->revisions_icon, "go-down-symbolic");
      break;
    case RETORT_RUN_STAMP:
      gtk_image_set_from_icon_name (self->revisions_icon, "bookmark-new-symbolic");
      break;
    case RETORT_RUN_UPGRADE:
    default:
      break;
    }
}

static const char *
transaction_text (RetortRunDialog *self)
{
  RetortTransactionMode mode = retort_profile_get_entry (self->profile)->transaction;
  gboolean per_revision = mode == RETORT_TRANSACTION_PER_REVISION ||
                          (mode == RETORT_TRANSACTION_AUTO && self->dialect == RETORT_DIALECT_SQLITE);

  return per_revision ? _("one transaction per revision") : _("one transaction for the whole run");
}

static GtkWidget *
new_step_row (RetortPlanStep *step,
              guint           number)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *number_label;
  GtkWidget *icon;
  g_autofree char *number_text = g_strdup_printf ("%u", number);
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;
  const char *icon_name;
  const char *direction;

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  if (step->kind == RETORT_STEP_STAMP)
    {
      g_autofree char *from = describe_rows ((const char * const *) step->from_revisions);
      g_autofree char *to = describe_rows ((const char * const *) step->to_revisions);

      icon_name = "bookmark-new-symbolic";
      direction = C_("plan step", "Stamp");
      /* Translators: a stamp step; %s are revision ids */
      title = g_strdup_printf (_("Version table from %s to %s"), from, to);
      /* Translators: a stamp step's subtitle */
      subtitle = g_strdup (_("Stamp: no migration runs"));
    }
  else
    {
      const char *doc = retort_revision_get_doc (step->revision);
      g_autofree char *short_id = retort_project_short_id (retort_revision_get_id (step->revision));
      gboolean upgrade = step->kind == RETORT_STEP_UPGRADE;

      icon_name = upgrade ? "go-up-symbolic" : "go-down-symbolic";
      direction = upgrade ? C_("plan step", "Upgrade") : C_("plan step", "Downgrade");
      title = g_strdup (doc != NULL && *doc != '\0' ? doc : _("(no message)"));
      /* Translators: a plan step's subtitle: "Upgrade 3c4d5e6f" (a revision id) */
      subtitle = g_strdup_printf (upgrade ? C_("plan step", "Upgrade %s") : C_("plan step", "Downgrade %s"), short_id);
    }
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 2);
  gtk_widget_add_css_class (row, "run-step");

  number_label = gtk_label_new (number_text);
  gtk_widget_add_css_class (number_label, "run-step-number");
  gtk_widget_add_css_class (number_label, "dim-label");
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), number_label);
  icon = gtk_image_new_from_icon_name (icon_name);
  gtk_widget_set_tooltip_text (icon, direction);
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL, direction, -1);
  gtk_widget_add_css_class (icon, step->kind == RETORT_STEP_DOWNGRADE ? "run-step-down" : "run-step-up");
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
  return row;
}

static void
show_plan (RetortRunDialog *self)
{
  guint n_steps = self->plan != NULL ? retort_plan_get_n_steps (self->plan) : 0;
  guint n_revisions = 0;
  g_autofree char *description = NULL;

  for (guint i = 0; i < n_steps; i++)
    {
      RetortPlanStep *step = retort_plan_get_step (self->plan, i);

      n_revisions += step->revision != NULL;
      gtk_list_box_append (self->plan_list, new_step_row (step, i + 1));
    }

  if (self->plan == NULL)
    description = g_strdup (_("No plan"));
  else if (n_steps == 0)
    description = g_strdup (_("Nothing to do"));
  else if (n_revisions == 0)
    description = g_strdup (_("Only the version table changes"));
  else
    {
      g_autofree char *count = g_strdup_printf (ngettext ("%u revision", "%u revisions", n_revisions), n_revisions);
      /* Translators: "3 revisions · one transaction per revision" */
      description = g_strdup_printf (C_("plan", "%s · %s"), count, transaction_text (self));
    }
  adw_preferences_group_set_description (self->plan_group, description);
  gtk_widget_set_visible (GTK_WIDGET (self->plan_list), n_steps > 0);
}

static void
show_hazards (RetortRunDialog *self)
{
  g_autofree char *title = NULL;
  guint n;

  if (self->sql == NULL)
    return;
  if (self->hazards == NULL)
    {
      /* the split failed; the description says why */
      adw_preferences_group_set_title (self->hazard_group, _("The SQL could not be checked for destructive statements"));
      gtk_widget_set_visible (GTK_WIDGET (self->hazard_group), TRUE);
      gtk_widget_set_visible (GTK_WIDGET (self->hazard_list), FALSE);
      return;
    }

  n = self->hazards->len;
  for (guint i = 0; i < n; i++)
    {
      RetortSqlHazard *hazard = &g_array_index (self->hazards, RetortSqlHazard, i);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");
      GtkWidget *go = gtk_image_new_from_icon_name ("go-next-symbolic");
      g_autofree char *statement = first_line (self->sql + hazard->offset, hazard->length);
      g_autofree char *subtitle = NULL;

      /* Translators: a destructive statement: its kind, then its line in the SQL below */
      subtitle = g_strdup_printf (_("%s · line %u"), hazard_kind_label (hazard->kind), hazard->line);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), statement);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 1);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      gtk_widget_set_tooltip_text (row, _("Show in the SQL"));
      gtk_widget_add_css_class (row, "hazard");
      gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Destroys data"), -1);
      gtk_accessible_update_property (GTK_ACCESSIBLE (go), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Show in the SQL"), -1);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), go);
      gtk_list_box_append (self->hazard_list, row);
    }

  title = g_strdup_printf (ngettext ("%u statement destroys data", "%u statements destroy data", n), n);
  adw_preferences_group_set_title (self->hazard_group, title);
  gtk_widget_set_visible (GTK_WIDGET (self->hazard_group), n > 0);
}

static void
update_style_scheme (RetortRunDialog *self)
{
  GtkSourceStyleSchemeManager *schemes = gtk_source_style_scheme_manager_get_default ();
  gboolean dark = adw_style_manager_get_dark (adw_style_manager_get_default ());
  GtkSourceStyleScheme *scheme;
  GdkRGBA tint;

  scheme = gtk_source_style_scheme_manager_get_scheme (schemes, dark ? "Adwaita-dark" : "Adwaita");
  if (scheme == NULL)
    scheme = gtk_source_style_scheme_manager_get_scheme (schemes, dark ? "classic-dark" : "classic");
  gtk_source_buffer_set_style_scheme (self->sql_buffer, scheme);

  /* a tag takes no CSS: libadwaita's error colours (1.2), faint enough to
   * read the highlighted SQL through in either style */
  gdk_rgba_parse (&tint, dark ? "rgba(255, 123, 99, 0.22)" : "rgba(224, 27, 36, 0.14)");
  g_object_set (self->hazard_tag, "paragraph-background-rgba", &tint, NULL);
}

static void
hazard_bounds (RetortRunDialog *self,
               RetortSqlHazard *hazard,
               GtkTextIter     *start,
               GtkTextIter     *end)
{
  GtkTextBuffer *buffer = GTK_TEXT_BUFFER (self->sql_buffer);

  /* byte offsets in the SQL, character offsets in the buffer */
  gtk_text_buffer_get_iter_at_offset (buffer, start, g_utf8_pointer_to_offset (self->sql, self->sql + hazard->offset));
  gtk_text_buffer_get_iter_at_offset (buffer, end,
                                      g_utf8_pointer_to_offset (self->sql, self->sql + hazard->offset + hazard->length));
}

static void
show_sql (RetortRunDialog *self)
{
  GtkTextBuffer *buffer = GTK_TEXT_BUFFER (self->sql_buffer);
  GtkTextIter start;

  /* without a plan to run there is no SQL to miss; the refusal says why */
  gtk_widget_set_visible (self->sql_group, self->sql != NULL ||
                                           (self->plan != NULL && retort_plan_get_n_steps (self->plan) > 0));
  gtk_stack_set_visible_child_name (self->sql_stack, self->sql != NULL ? "view" : "none");
  gtk_widget_set_sensitive (self->copy_button, self->sql != NULL);
  if (self->sql == NULL)
    return;

  gtk_text_buffer_set_text (buffer, self->sql, -1);
  for (guint i = 0; self->hazards != NULL && i < self->hazards->len; i++)
    {
      GtkTextIter hazard_start, hazard_end;

      hazard_bounds (self, &g_array_index (self->hazards, RetortSqlHazard, i), &hazard_start, &hazard_end);
      gtk_text_buffer_apply_tag (buffer, self->hazard_tag, &hazard_start, &hazard_end);
    }
  gtk_text_buffer_get_start_iter (buffer, &start);
  gtk_text_buffer_place_cursor (buffer, &start);
}

/* What the profile asks for and what this run does about it. Retort takes
 * no backups yet: the verified backup step, and its switch, go here. */
static void
show_backup (RetortRunDialog *self)
{
  RetortBackupPolicy policy = retort_profile_get_entry (self->profile)->backup;

  if (policy == RETORT_BACKUP_BEFORE_APPLY)
    {
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->backup_row),
                                     _("This database asks for a backup before every run"));
      adw_action_row_set_subtitle (self->backup_row,
                                   _("Verified backups before applying come in a later version of Retort. "
                                     "This run takes no backup: take one yourself first if you need it."));
      gtk_image_set_from_icon_name (GTK_IMAGE (self->backup_icon), "dialog-warning-symbolic");
      gtk_widget_add_css_class (self->backup_icon, "run-dialog-backup-warning");
    }
  else
    {
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->backup_row), _("No backup asked for"));
      adw_action_row_set_subtitle (self->backup_row,
                                   _("Verified backups before applying come in a later version of Retort. "
                                     "This run takes no backup."));
    }
}

static void
show_confirmation (RetortRunDialog *self)
{
  g_autofree char *title = NULL;

  if (!is_production (self) || self->refusal != NULL)
    return;
  /* Translators: %s is a database profile's name, to be typed exactly */
  title = g_strdup_printf (_("Type %s to confirm"), retort_profile_get_name (self->profile));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->confirm_row), title);
  gtk_widget_set_visible (self->confirm_group, TRUE);
}

static gboolean
typed_name_matches (RetortRunDialog *self)
{
  const char *typed = gtk_editable_get_text (GTK_EDITABLE (self->confirm_row));

  return retort_profile_typed_confirmation_matches (self->profile, typed);
}

static void
update_run_button (RetortRunDialog *self)
{
  gboolean can_run = self->refusal != NULL ? FALSE : !is_production (self) || typed_name_matches (self);

  gtk_widget_set_sensitive (GTK_WIDGET (self->run_button), can_run && !self->confirmed);
}

/* force: say so even while what is typed could still become the name */
static void
show_mismatch (RetortRunDialog *self,
               gboolean         force)
{
  const char *name = retort_profile_get_name (self->profile);
  g_autofree char *typed = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->confirm_row))));
  gboolean wrong = *typed != '\0' && !typed_name_matches (self) && (force || !g_str_has_prefix (name, typed));

  if (wrong)
    {
      /* Translators: the typed confirmation is wrong; %s is the database profile's name */
      g_autofree char *text = g_strdup_printf (_("That is not the name of this database: type “%s” exactly."), name);
      gtk_label_set_label (self->confirm_mismatch_label, text);
      gtk_widget_add_css_class (GTK_WIDGET (self->confirm_row), "error");
    }
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->confirm_row), "error");
  gtk_widget_set_visible (GTK_WIDGET (self->confirm_mismatch_label), wrong);
}

/* --- callbacks ----------------------------------------------------------- */

static void
on_run_clicked (RetortRunDialog *self)
{
  retort_run_dialog_confirm (self);
}

static void
on_typed_name_changed (RetortRunDialog *self)
{
  show_mismatch (self, FALSE);
  update_run_button (self);
}

static void
on_typed_name_activated (RetortRunDialog *self)
{
  if (!retort_run_dialog_confirm (self))
    show_mismatch (self, TRUE);
}

/* scrolls the page so that widget shows, if it does not */
static void
reveal_in_page (RetortRunDialog *self,
                GtkWidget       *widget)
{
  GtkWidget *scroller = gtk_widget_get_ancestor (widget, GTK_TYPE_SCROLLED_WINDOW);
  GtkAdjustment *adjustment;
  GtkWidget *content;
  graphene_rect_t bounds;
  double top, bottom, value, page;

  /* the SQL view's own scroller is the nearest; the page's is its ancestor */
  while (scroller != NULL && gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (scroller)) == GTK_WIDGET (self->sql_view))
    scroller = gtk_widget_get_ancestor (gtk_widget_get_parent (scroller), GTK_TYPE_SCROLLED_WINDOW);
  if (scroller == NULL)
    return;
  content = gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (scroller));
  if (content == NULL || !gtk_widget_compute_bounds (widget, content, &bounds))
    return;
  adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller));
  value = gtk_adjustment_get_value (adjustment);
  page = gtk_adjustment_get_page_size (adjustment);
  top = bounds.origin.y;
  bottom = top + bounds.size.height;
  if (top < value)
    gtk_adjustment_set_value (adjustment, top);
  else if (bottom > value + page)
    gtk_adjustment_set_value (adjustment, MIN (top, bottom - page));
}

static void
show_hazard (RetortRunDialog *self,
             guint            index)
{
  GtkTextBuffer *buffer = GTK_TEXT_BUFFER (self->sql_buffer);
  GtkTextIter start, end;

  if (self->hazards == NULL || index >= self->hazards->len)
    return;
  hazard_bounds (self, &g_array_index (self->hazards, RetortSqlHazard, index), &start, &end);
  gtk_text_buffer_select_range (buffer, &start, &end);
  reveal_in_page (self, self->sql_group);
  gtk_widget_grab_focus (GTK_WIDGET (self->sql_view));
  gtk_text_view_scroll_to_mark (GTK_TEXT_VIEW (self->sql_view), gtk_text_buffer_get_insert (buffer),
                                0.0, TRUE, 0.0, 0.2);
}

static void
on_hazard_activated (RetortRunDialog *self,
                     GtkListBoxRow   *row)
{
  show_hazard (self, gtk_list_box_row_get_index (row));
}

static void
on_copy_clicked (RetortRunDialog *self)
{
  if (self->sql != NULL)
    gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), self->sql);
}

/* --- object -------------------------------------------------------------- */

static void
retort_run_dialog_dispose (GObject *object)
{
  RetortRunDialog *self = RETORT_RUN_DIALOG (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), RETORT_TYPE_RUN_DIALOG);
  g_clear_object (&self->profile);
  g_clear_object (&self->project);
  g_clear_object (&self->run);
  g_clear_object (&self->plan);
  g_clear_object (&self->sql_buffer);

  G_OBJECT_CLASS (retort_run_dialog_parent_class)->dispose (object);
}

static void
retort_run_dialog_finalize (GObject *object)
{
  RetortRunDialog *self = RETORT_RUN_DIALOG (object);

  g_clear_pointer (&self->rows, g_strfreev);
  g_clear_pointer (&self->sql, g_free);
  g_clear_pointer (&self->hazards, g_array_unref);
  g_clear_pointer (&self->refusal, g_free);

  G_OBJECT_CLASS (retort_run_dialog_parent_class)->finalize (object);
}

static void
retort_run_dialog_class_init (RetortRunDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = retort_run_dialog_dispose;
  object_class->finalize = retort_run_dialog_finalize;

  /**
   * RetortRunDialog::confirmed:
   *
   * The user pressed the run button; the dialog closes. Start the run.
   */
  signals[CONFIRMED] =
    g_signal_new ("confirmed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  g_type_ensure (GTK_SOURCE_TYPE_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class, "/org/retort/Retort/ui/retort-run-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, RetortRunDialog, header_bar);
  gtk_widget_class_bind_template_child (widget_class, RetortRunDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, RetortRunDialog, run_button);
  gtk_widget_class_bind_template_child (widget_class, RetortRunDialog, refusal_box);
  gtk_widget_class_bind_template_child (widget_class, RetortRunDialog, refusal_icon);
  gtk_widget_class_bind_template_child (widget_class, RetortRunDialog, refusal_label);
  gtk_widget_class_bind_template_child (widget_class, RetortRunDialog, database_row);
  gtk_widget_class_bind_template_child (widget_class, RetortRunDialog, tier_pill);
  gtk_widget_class_bind_template_child (widget_class, RetortRunDialog, revisions_row);
  gtk_widget_class_bind_template_child (widget_class, RetortRunDialog, revisions_icon);
  gtk_widget_class_bind_template_child (widget_class, RetortRunDialog, plan_group);
  gtk_widget_class_bind_template_child (widget_class, RetortRunDialog, plan_list);
  gtk_widget_class_bind_template_child (widget_class, RetortRunDialog, hazard_group);
  gtk_widget_class_bind_template_child (widget_class, RetortRunDialog, hazard_list);
  gtk_widget_class_bind_template_child (widget_class, RetortRunDialog, sql_group);
  gtk_widget_class_bind_template_child (widget_class, RetortRunDialog, sql_stack);
  gtk_widget_class_bind_template_child (widget_class, RetortRunDialog, sql_view);
  gtk_widget_class_bind_template_child (widget_class, RetortRunDialog, sql_missing_label);
  gtk_widget_class_bind_template_child (widget_class, RetortRunDialog, copy_button);
  gtk_widget_class_bind_template_child (widget_class, RetortRunDialog, backup_row);
  gtk_widget_class_bind_template_child (widget_class, RetortRunDialog, backup_icon);
  gtk_widget_class_bind_template_child (widget_class, RetortRunDialog, confirm_group);
  gtk_widget_class_bind_template_child (widget_class, RetortRunDialog, confirm_row);
  gtk_widget_class_bind_template_child (widget_class, RetortRunDialog, confirm_mismatch_label);
  gtk_widget_class_bind_template_callback (widget_class, on_run_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_typed_name_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_typed_name_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_hazard_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_copy_clicked);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
retort_run_dialog_init (RetortRunDialog *self)
{
  GtkSourceLanguageManager *languages = gtk_source_language_manager_get_default ();

  gtk_widget_init_template (GTK_WIDGET (self));

  self->sql_buffer = gtk_source_buffer_new_with_language (gtk_source_language_manager_get_language (languages, "sql"));
  gtk_source_buffer_set_highlight_matching_brackets (self->sql_buffer, FALSE);
  self->hazard_tag = gtk_text_buffer_create_tag (GTK_TEXT_BUFFER (self->sql_buffer), "hazard", NULL);
  gtk_text_view_set_buffer (GTK_TEXT_VIEW (self->sql_view), GTK_TEXT_BUFFER (self->sql_buffer));

  update_style_scheme (self);
  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (update_style_scheme), self, G_CONNECT_SWAPPED);
}

RetortRunDialog *
retort_run_dialog_new (RetortProfile *profile,
                       RetortProject *project,
                       RetortRun     *run)
{
  RetortRunDialog *self;

  g_return_val_if_fail (RETORT_IS_PROFILE (profile), NULL);
  g_return_val_if_fail (RETORT_IS_PROJECT (project), NULL);
  g_return_val_if_fail (RETORT_IS_RUN (run), NULL);

  self = g_object_new (RETORT_TYPE_RUN_DIALOG, NULL);
  self->profile = g_object_ref (profile);
  self->project = g_object_ref (project);
  self->run = g_object_ref (run);

  make_plan (self);
  show_header (self);
  show_refusal (self);
  show_target (self);
  show_plan (self);
  show_hazards (self);
  show_sql (self);
  show_backup (self);
  show_confirmation (self);
  update_run_button (self);
  if (gtk_widget_get_visible (self->confirm_group))
    gtk_widget_grab_focus (GTK_WIDGET (self->confirm_row));
  return self;
}

const char *
retort_run_dialog_get_sql (RetortRunDialog *self)
{
  g_return_val_if_fail (RETORT_IS_RUN_DIALOG (self), NULL);
  return self->sql;
}

guint
retort_run_dialog_get_n_hazards (RetortRunDialog *self)
{
  g_return_val_if_fail (RETORT_IS_RUN_DIALOG (self), 0);
  return self->hazards != NULL ? self->hazards->len : 0;
}

const char *
retort_run_dialog_get_refusal (RetortRunDialog *self)
{
  g_return_val_if_fail (RETORT_IS_RUN_DIALOG (self), NULL);
  return self->refusal;
}

gboolean
retort_run_dialog_get_can_confirm (RetortRunDialog *self)
{
  g_return_val_if_fail (RETORT_IS_RUN_DIALOG (self), FALSE);
  return !self->confirmed && gtk_widget_get_sensitive (GTK_WIDGET (self->run_button));
}

void
retort_run_dialog_set_typed_name (RetortRunDialog *self,
                                  const char      *text)
{
  g_return_if_fail (RETORT_IS_RUN_DIALOG (self));
  gtk_editable_set_text (GTK_EDITABLE (self->confirm_row), text != NULL ? text : "");
}

gboolean
retort_run_dialog_confirm (RetortRunDialog *self)
{
  g_return_val_if_fail (RETORT_IS_RUN_DIALOG (self), FALSE);

  if (self->confirmed || !gtk_widget_get_sensitive (GTK_WIDGET (self->run_button)))
    return FALSE;
  self->confirmed = TRUE;
  update_run_button (self);
  /* what the user saw is what the run may start from */
  retort_run_set_expected_rows (self->run, (const char * const *) self->rows);
  g_signal_emit (self, signals[CONFIRMED], 0);
  gtk_window_close (GTK_WINDOW (self));
  return TRUE;
}
