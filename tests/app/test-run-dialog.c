/* test-run-dialog.c — the confirmation shown before an upgrade, downgrade or stamp runs
 *
 * Real dialogs over a fixture script directory of .sql revisions (one of
 * them drops a table and empties another) and SQLite databases with a
 * version table written here. Screenshots of the states land in
 * $RETORT_BUILD_DIR/tests/app/screenshots/.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-run-dialog"

#include "config.h"

#include <string.h>

#include <adwaita.h>
#include <gtksourceview/gtksource.h>

#include "app-test-util.h"
#include "retort-profile.h"
#include "retort-project.h"
#include "retort-run-dialog.h"

/* --- fixtures ------------------------------------------------------------ */

#define ITEMS_ID   "a1b2c3d4e5f6"
#define PRICE_ID   "b2c3d4e5f6a7"
#define CLEANUP_ID "c3d4e5f6a7b8"
#define INDEX_ID   "d4e5f6a7b8c9"

typedef struct
{
  const char *name;
  const char *contents;
} FixtureFile;

/* items → price → cleanup (drops a table, empties sessions) → index */
static const FixtureFile shop_files[] = {
  { ITEMS_ID "_create_items.sql",
    "-- create items\n"
    "--\n"
    "-- Revision ID: " ITEMS_ID "\n"
    "-- Revises:\n"
    "\n"
    "-- retort:upgrade\n"
    "CREATE TABLE items (id integer PRIMARY KEY, name text);\n"
    "CREATE TABLE sessions (id integer PRIMARY KEY);\n"
    "CREATE TABLE legacy_orders (id integer PRIMARY KEY);\n"
    "\n"
    "-- retort:downgrade\n"
    "DROP TABLE legacy_orders;\n"
    "DROP TABLE sessions;\n"
    "DROP TABLE items;\n" },
  { PRICE_ID "_add_price.sql",
    "-- add a price to items\n"
    "--\n"
    "-- Revision ID: " PRICE_ID "\n"
    "-- Revises: " ITEMS_ID "\n"
    "\n"
    "-- retort:upgrade\n"
    "ALTER TABLE items ADD COLUMN price integer;\n"
    "UPDATE items SET price = 0 WHERE price IS NULL;\n"
    "\n"
    "-- retort:downgrade\n"
    "ALTER TABLE items DROP COLUMN price;\n" },
  { CLEANUP_ID "_cleanup.sql",
    "-- retire legacy orders and old sessions\n"
    "--\n"
    "-- Revision ID: " CLEANUP_ID "\n"
    "-- Revises: " PRICE_ID "\n"
    "\n"
    "-- retort:upgrade\n"
    "-- orders moved to the billing service in March\n"
    "DROP TABLE legacy_orders;\n"
    "DELETE FROM sessions;\n"
    "DELETE FROM items WHERE id IN (SELECT id FROM items WHERE name IS NULL);\n"
    "\n"
    "-- retort:downgrade\n"
    "CREATE TABLE legacy_orders (id integer PRIMARY KEY);\n" },
  { INDEX_ID "_index_names.sql",
    "-- index item names\n"
    "--\n"
    "-- Revision ID: " INDEX_ID "\n"
    "-- Revises: " CLEANUP_ID "\n"
    "\n"
    "-- retort:upgrade\n"
    "CREATE INDEX items_name ON items (name);\n"
    "\n"
    "-- retort:downgrade\n"
    "DROP INDEX items_name;\n" },
};

/* a .py revision whose body Retort cannot run without Python */
static const FixtureFile python_files[] = {
  { "e5f6a7b8c9d0_add_email.py",
    "\"\"\"add email\n"
    "\n"
    "Revision ID: e5f6a7b8c9d0\n"
    "\"\"\"\n"
    "from alembic import op\n"
    "import sqlalchemy as sa\n"
    "\n"
    "revision = 'e5f6a7b8c9d0'\n"
    "down_revision = None\n"
    "branch_labels = None\n"
    "depends_on = None\n"
    "\n"
    "\n"
    "def upgrade():\n"
    "    op.add_column('users', sa.Column('email', sa.String(), nullable=True))\n"
    "\n"
    "\n"
    "def downgrade():\n"
    "    op.drop_column('users', 'email')\n" },
};

static char *
make_script_dir (const char        *name,
                 const FixtureFile *files,
                 gsize              n_files)
{
  char *folder = app_test_script_dir (name, NULL, 0);

  for (gsize i = 0; i < n_files; i++)
    {
      g_autofree char *path = g_build_filename (folder, "versions", files[i].name, NULL);
      app_test_write_file (path, files[i].contents);
    }
  return folder;
}

typedef struct
{
  RetortProject *project;
  GPtrArray     *entries;   /* RetortProfileEntry: the profiles borrow them */
  GPtrArray     *profiles;
} Fixture;

static Fixture fixture;

static gboolean
profile_checked (gpointer data)
{
  RetortProfileState state = retort_profile_get_state (RETORT_PROFILE (data));

  return state != RETORT_PROFILE_STATE_CHECKING && state != RETORT_PROFILE_STATE_UNCHECKED;
}

/* a profile over a fresh SQLite database at rows, its version table read */
static RetortProfile *
add_profile (const char         *name,
             RetortTier          tier,
             gboolean            read_only,
             RetortBackupPolicy  backup,
             const char * const *rows)
{
  RetortProfileEntry *entry = g_new0 (RetortProfileEntry, 1);
  g_autofree char *path = app_test_sqlite_db (name, rows);
  RetortProfile *profile;

  entry->id = g_strdup (name);
  entry->name = g_strdup (name);
  entry->project = g_strdup ("shop");
  entry->url = g_strconcat ("sqlite:///", path, NULL);
  entry->tier = tier;
  entry->read_only = read_only;
  entry->backup = backup;
  g_ptr_array_add (fixture.entries, entry);

  profile = retort_profile_new (entry);
  g_ptr_array_add (fixture.profiles, profile);
  retort_profile_check (profile, retort_project_get_map (fixture.project), NULL, NULL, 10000);
  g_assert_true (app_test_spin_until (profile_checked, profile, 15000, NULL));
  g_assert_nonnull (retort_profile_get_rows (profile));
  return profile;
}

static RetortRun *
new_run (RetortProject      *project,
         RetortRunOperation  operation,
         const char         *target)
{
  const char *targets[] = { target, NULL };

  return retort_run_new (retort_project_get_map (project), operation, targets);
}

static RetortRunDialog *
open_dialog (RetortProfile *profile,
             RetortProject *project,
             RetortRun     *run)
{
  RetortRunDialog *dialog = retort_run_dialog_new (profile, project, run);

  /* the tests own a reference: the dialog closes itself on confirm */
  g_object_ref_sink (dialog);
  gtk_window_set_default_size (GTK_WINDOW (dialog), 720, 900);
  app_test_show (GTK_WINDOW (dialog));
  return dialog;
}

static void
close_dialog (RetortRunDialog *dialog)
{
  gtk_window_destroy (GTK_WINDOW (dialog));
  app_test_spin_for (50);
  g_object_unref (dialog);
}

static GtkWidget *
dialog_child (RetortRunDialog *dialog,
              const char      *name)
{
  GObject *child = gtk_widget_get_template_child (GTK_WIDGET (dialog), RETORT_TYPE_RUN_DIALOG, name);

  g_assert_nonnull (child);
  return GTK_WIDGET (child);
}

/* the plan's revision ids, in the order the rows show them */
static char *
shown_steps (RetortRunDialog *dialog)
{
  GtkWidget *list = dialog_child (dialog, "plan_list");
  g_autoptr(GString) text = g_string_new (NULL);

  for (GtkWidget *row = gtk_widget_get_first_child (list); row != NULL; row = gtk_widget_get_next_sibling (row))
    {
      if (!ADW_IS_ACTION_ROW (row))
        continue;
      g_string_append_printf (text, "%s%s", text->len ? " | " : "", adw_action_row_get_subtitle (ADW_ACTION_ROW (row)));
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static char *
render_plan (RetortProfile *profile,
             RetortRun     *run)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RetortPlan) plan = retort_run_make_plan (run, retort_profile_get_rows (profile), &error);
  char *sql;

  g_assert_no_error (error);
  sql = retort_offline_render (plan, RETORT_DIALECT_SQLITE, NULL, "alembic_version", &error);
  g_assert_no_error (error);
  return sql;
}

/* --- tests --------------------------------------------------------------- */

/* connected swapped: the count comes first */
static void
count_signal (guint *count)
{
  (*count)++;
}

/* Enter in an AdwEntryRow: its text is activated */
static void
press_enter (GtkWidget *entry_row)
{
  GtkEditable *text = gtk_editable_get_delegate (GTK_EDITABLE (entry_row));

  g_assert_true (GTK_IS_TEXT (text));
  g_signal_emit_by_name (text, "activate");
}

static gboolean
is_positive (gpointer data)
{
  return *(guint *) data > 0;
}

static void
test_upgrade (void)
{
  const char *rows[] = { ITEMS_ID, NULL };
  RetortProfile *staging = add_profile ("staging-eu", RETORT_TIER_STAGING, FALSE, RETORT_BACKUP_BEFORE_APPLY, rows);
  g_autoptr(RetortRun) run = new_run (fixture.project, RETORT_RUN_UPGRADE, "head");
  RetortRunDialog *dialog = open_dialog (staging, fixture.project, run);
  g_autofree char *expected_sql = render_plan (staging, run);
  g_autofree char *steps = shown_steps (dialog);
  GtkWidget *run_button = dialog_child (dialog, "run_button");
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (dialog_child (dialog, "sql_view")));
  g_autofree char *buffer_text = NULL;
  GtkTextIter start, end;
  guint confirmed = 0;

  /* the plan, in order, and exactly the SQL --sql would print */
  g_assert_cmpstr (steps, ==, "Upgrade b2c3d4e5 | Upgrade c3d4e5f6 | Upgrade d4e5f6a7");
  g_assert_cmpstr (retort_run_dialog_get_sql (dialog), ==, expected_sql);
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  buffer_text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  g_assert_cmpstr (buffer_text, ==, expected_sql);
  g_assert_cmpstr (adw_preferences_group_get_description (ADW_PREFERENCES_GROUP (dialog_child (dialog, "plan_group"))),
                   ==, "3 revisions · one transaction per revision");
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (dialog_child (dialog, "revisions_row"))), ==,
                   "Now at a1b2c3d4 → will be at d4e5f6a7");
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (dialog_child (dialog, "tier_pill"))), ==, "STAGING");
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (run_button)), ==, "_Upgrade");

  /* DROP TABLE legacy_orders and DELETE FROM sessions; not the DELETE with
   * a WHERE, nor the version table's UPDATE */
  g_assert_cmpuint (retort_run_dialog_get_n_hazards (dialog), ==, 2);
  g_assert_true (gtk_widget_get_visible (dialog_child (dialog, "hazard_group")));
  g_assert_cmpstr (adw_preferences_group_get_title (ADW_PREFERENCES_GROUP (dialog_child (dialog, "hazard_group"))), ==,
                   "2 statements destroy data");
  g_assert_true (gtk_widget_has_css_class (run_button, "destructive-action"));
  {
    GtkTextTag *tag = gtk_text_tag_table_lookup (gtk_text_buffer_get_tag_table (buffer), "hazard");
    GtkTextIter iter;
    int drop = strstr (expected_sql, "DROP TABLE legacy_orders") - expected_sql;
    int comment = strstr (expected_sql, "-- orders moved") - expected_sql;

    g_assert_nonnull (tag);
    gtk_text_buffer_get_iter_at_offset (buffer, &iter, drop + 3);
    g_assert_true (gtk_text_iter_has_tag (&iter, tag));
    /* a comment before the statement is not the statement */
    gtk_text_buffer_get_iter_at_offset (buffer, &iter, comment + 3);
    g_assert_false (gtk_text_iter_has_tag (&iter, tag));
    gtk_text_buffer_get_iter_at_offset (buffer, &iter, strstr (expected_sql, "CREATE INDEX") - expected_sql);
    g_assert_false (gtk_text_iter_has_tag (&iter, tag));
  }

  app_test_screenshot (GTK_WIDGET (dialog), "run-dialog-upgrade-hazards");

  /* selecting a destructive statement selects it in the SQL */
  {
    GtkListBox *list = GTK_LIST_BOX (dialog_child (dialog, "hazard_list"));
    GtkListBoxRow *second = gtk_list_box_get_row_at_index (list, 1);
    const char *delete = strstr (expected_sql, "DELETE FROM sessions");
    g_autofree char *selected = NULL;
    g_autofree char *subtitle = NULL;
    guint line = 1;

    for (const char *p = expected_sql; p < delete; p++)
      line += *p == '\n';
    subtitle = g_strdup_printf ("DELETE without WHERE · line %u", line);
    g_assert_nonnull (second);
    g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (second)), ==, "DELETE FROM sessions");
    g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (second)), ==, subtitle);
    g_signal_emit_by_name (list, "row-activated", second);
    app_test_spin_for (100);
    g_assert_true (gtk_text_buffer_get_selection_bounds (buffer, &start, &end));
    selected = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
    g_assert_cmpstr (selected, ==, "DELETE FROM sessions");
    g_assert_cmpint (gtk_text_iter_get_line (&start), ==, line - 1);
    app_test_screenshot (GTK_WIDGET (dialog), "run-dialog-upgrade-hazard-selected");
  }

  /* the backup section says what the profile asks and what happens */
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (dialog_child (dialog, "backup_row"))), ==,
                   "This database asks for a backup before every run");
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (dialog_child (dialog, "backup_row"))),
                            "takes no backup"));

  /* not production: no name to type */
  g_assert_null (retort_run_dialog_get_refusal (dialog));
  g_assert_false (gtk_widget_get_visible (dialog_child (dialog, "confirm_group")));
  g_assert_true (retort_run_dialog_get_can_confirm (dialog));

  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
  app_test_spin_for (100);
  g_assert_cmpstr (gtk_source_style_scheme_get_id (gtk_source_buffer_get_style_scheme (GTK_SOURCE_BUFFER (buffer))), ==,
                   "Adwaita-dark");
  app_test_screenshot (GTK_WIDGET (dialog), "run-dialog-upgrade-hazards-dark");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);
  app_test_spin_for (100);

  g_signal_connect_swapped (dialog, "confirmed", G_CALLBACK (count_signal), &confirmed);
  /* a button's activation clicks it after a short press animation */
  gtk_widget_activate (run_button);
  g_assert_true (app_test_spin_until (is_positive, &confirmed, 2000, NULL));
  app_test_spin_for (100);
  g_assert_cmpuint (confirmed, ==, 1);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (dialog)));
  g_object_unref (dialog);
}

static void
test_clean_upgrade (void)
{
  const char *rows[] = { CLEANUP_ID, NULL };
  RetortProfile *dev = add_profile ("dev-local", RETORT_TIER_DEVELOPMENT, FALSE, RETORT_BACKUP_NEVER, rows);
  g_autoptr(RetortRun) run = new_run (fixture.project, RETORT_RUN_UPGRADE, "head");
  RetortRunDialog *dialog = open_dialog (dev, fixture.project, run);
  g_autofree char *steps = shown_steps (dialog);
  GtkWidget *run_button = dialog_child (dialog, "run_button");

  g_assert_cmpstr (steps, ==, "Upgrade d4e5f6a7");
  g_assert_cmpuint (retort_run_dialog_get_n_hazards (dialog), ==, 0);
  g_assert_false (gtk_widget_get_visible (dialog_child (dialog, "hazard_group")));
  g_assert_true (gtk_widget_has_css_class (run_button, "suggested-action"));
  g_assert_false (gtk_widget_has_css_class (run_button, "destructive-action"));
  g_assert_true (retort_run_dialog_get_can_confirm (dialog));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (dialog_child (dialog, "backup_row"))), ==,
                   "No backup asked for");
  app_test_screenshot (GTK_WIDGET (dialog), "run-dialog-upgrade-clean");

  /* Escape cancels, without a word */
  {
    guint confirmed = 0;

    g_signal_connect_swapped (dialog, "confirmed", G_CALLBACK (count_signal), &confirmed);
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "window.close", NULL));
    app_test_spin_for (100);
    g_assert_false (gtk_widget_get_visible (GTK_WIDGET (dialog)));
    g_assert_cmpuint (confirmed, ==, 0);
  }
  g_object_unref (dialog);
}

static void
test_production (void)
{
  const char *rows[] = { PRICE_ID, NULL };
  RetortProfile *production = add_profile ("inventory-prod", RETORT_TIER_PRODUCTION, FALSE,
                                           RETORT_BACKUP_BEFORE_APPLY, rows);
  g_autoptr(RetortRun) run = new_run (fixture.project, RETORT_RUN_UPGRADE, "head");
  RetortRunDialog *dialog = open_dialog (production, fixture.project, run);
  GtkWidget *run_button = dialog_child (dialog, "run_button");
  GtkWidget *mismatch = dialog_child (dialog, "confirm_mismatch_label");
  GtkWidget *entry = dialog_child (dialog, "confirm_row");
  guint confirmed = 0;

  g_signal_connect_swapped (dialog, "confirmed", G_CALLBACK (count_signal), &confirmed);
  g_assert_null (retort_run_dialog_get_refusal (dialog));
  g_assert_true (gtk_widget_get_visible (dialog_child (dialog, "confirm_group")));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (entry)), ==, "Type inventory-prod to confirm");
  g_assert_true (gtk_widget_has_css_class (run_button, "destructive-action"));
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (dialog_child (dialog, "tier_pill"))), ==, "PRODUCTION");

  /* nothing typed: no run */
  g_assert_false (retort_run_dialog_get_can_confirm (dialog));
  g_assert_false (retort_run_dialog_confirm (dialog));

  /* on the way to the name: no complaint yet, no run */
  retort_run_dialog_set_typed_name (dialog, "inventory");
  g_assert_false (retort_run_dialog_get_can_confirm (dialog));
  g_assert_false (gtk_widget_get_visible (mismatch));

  /* a wrong name says why, inline */
  retort_run_dialog_set_typed_name (dialog, "inventory-staging");
  g_assert_false (retort_run_dialog_get_can_confirm (dialog));
  g_assert_false (retort_run_dialog_confirm (dialog));
  g_assert_true (gtk_widget_get_visible (mismatch));
  g_assert_true (gtk_widget_has_css_class (entry, "error"));
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (mismatch)), "“inventory-prod”"));
  app_test_screenshot (GTK_WIDGET (dialog), "run-dialog-production-wrong-name");

  /* Enter on an unfinished name says so too, and runs nothing */
  retort_run_dialog_set_typed_name (dialog, "inventory-pro");
  g_assert_false (gtk_widget_get_visible (mismatch));
  press_enter (entry);
  g_assert_true (gtk_widget_get_visible (mismatch));
  g_assert_cmpuint (confirmed, ==, 0);

  /* the right name: the button wakes up; Enter in the entry runs */
  retort_run_dialog_set_typed_name (dialog, "inventory-prod");
  g_assert_true (retort_run_dialog_get_can_confirm (dialog));
  g_assert_false (gtk_widget_get_visible (mismatch));
  g_assert_false (gtk_widget_has_css_class (entry, "error"));
  app_test_screenshot (GTK_WIDGET (dialog), "run-dialog-production");
  press_enter (entry);
  app_test_spin_for (100);
  g_assert_cmpuint (confirmed, ==, 1);
  /* once only */
  g_assert_false (retort_run_dialog_confirm (dialog));
  g_assert_cmpuint (confirmed, ==, 1);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (dialog)));
  g_object_unref (dialog);
}

static void
test_read_only (void)
{
  const char *rows[] = { ITEMS_ID, NULL };
  RetortProfile *reporting = add_profile ("reporting", RETORT_TIER_OTHER, TRUE, RETORT_BACKUP_NEVER, rows);
  g_autoptr(RetortRun) run = new_run (fixture.project, RETORT_RUN_UPGRADE, "head");
  RetortRunDialog *dialog = open_dialog (reporting, fixture.project, run);
  guint confirmed = 0;

  g_signal_connect_swapped (dialog, "confirmed", G_CALLBACK (count_signal), &confirmed);
  g_assert_cmpstr (retort_run_dialog_get_refusal (dialog), ==,
                   "reporting is read-only in Retort: edit the database to allow changes.");
  g_assert_true (gtk_widget_get_visible (dialog_child (dialog, "refusal_box")));
  g_assert_false (retort_run_dialog_get_can_confirm (dialog));
  g_assert_false (gtk_widget_get_sensitive (dialog_child (dialog, "run_button")));
  g_assert_false (retort_run_dialog_confirm (dialog));
  g_assert_cmpuint (confirmed, ==, 0);
  /* the plan and its SQL can still be read */
  g_assert_nonnull (retort_run_dialog_get_sql (dialog));
  g_assert_cmpuint (retort_run_dialog_get_n_hazards (dialog), ==, 2);
  app_test_screenshot (GTK_WIDGET (dialog), "run-dialog-read-only");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
  app_test_spin_for (100);
  app_test_screenshot (GTK_WIDGET (dialog), "run-dialog-read-only-dark");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);
  close_dialog (dialog);
}

static void
test_nothing_to_do (void)
{
  const char *rows[] = { INDEX_ID, NULL };
  RetortProfile *current = add_profile ("current", RETORT_TIER_DEVELOPMENT, FALSE, RETORT_BACKUP_NEVER, rows);
  g_autoptr(RetortRun) run = new_run (fixture.project, RETORT_RUN_UPGRADE, "head");
  RetortRunDialog *dialog = open_dialog (current, fixture.project, run);
  g_autofree char *steps = shown_steps (dialog);

  g_assert_cmpstr (retort_run_dialog_get_refusal (dialog), ==, "Nothing to do: current is already at head.");
  g_assert_false (retort_run_dialog_get_can_confirm (dialog));
  g_assert_false (retort_run_dialog_confirm (dialog));
  g_assert_null (retort_run_dialog_get_sql (dialog));
  g_assert_cmpstr (steps, ==, "");
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (dialog_child (dialog, "revisions_row"))), ==,
                   "Now at d4e5f6a7");
  /* news, not a fault: no SQL section to miss */
  g_assert_true (gtk_widget_has_css_class (dialog_child (dialog, "refusal_box"), "up-to-date"));
  g_assert_false (gtk_widget_get_visible (dialog_child (dialog, "sql_group")));
  app_test_screenshot (GTK_WIDGET (dialog), "run-dialog-nothing-to-do");
  close_dialog (dialog);
}

static void
test_downgrade (void)
{
  const char *rows[] = { INDEX_ID, NULL };
  RetortProfile *staging = add_profile ("staging-us", RETORT_TIER_STAGING, FALSE, RETORT_BACKUP_NEVER, rows);
  g_autoptr(RetortRun) run = new_run (fixture.project, RETORT_RUN_DOWNGRADE, ITEMS_ID);
  RetortRunDialog *dialog = open_dialog (staging, fixture.project, run);
  g_autofree char *expected_sql = render_plan (staging, run);
  g_autofree char *steps = shown_steps (dialog);
  GtkWidget *run_button = dialog_child (dialog, "run_button");

  /* newest first, down to (not including) the target */
  g_assert_cmpstr (steps, ==, "Downgrade d4e5f6a7 | Downgrade c3d4e5f6 | Downgrade b2c3d4e5");
  g_assert_cmpstr (retort_run_dialog_get_sql (dialog), ==, expected_sql);
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (run_button)), ==, "_Downgrade");
  g_assert_true (gtk_widget_has_css_class (run_button, "destructive-action"));
  g_assert_cmpstr (adw_window_title_get_subtitle (ADW_WINDOW_TITLE (dialog_child (dialog, "window_title"))), ==,
                   "to a1b2c3d4");
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (dialog_child (dialog, "revisions_row"))), ==,
                   "Now at d4e5f6a7 → will be at a1b2c3d4");
  /* DROP INDEX and DROP COLUMN */
  g_assert_cmpuint (retort_run_dialog_get_n_hazards (dialog), ==, 2);
  g_assert_true (retort_run_dialog_get_can_confirm (dialog));
  app_test_screenshot (GTK_WIDGET (dialog), "run-dialog-downgrade");
  close_dialog (dialog);
}

static void
test_stamp_purge (void)
{
  const char *rows[] = { PRICE_ID, NULL };
  RetortProfile *legacy = add_profile ("legacy", RETORT_TIER_DEVELOPMENT, FALSE, RETORT_BACKUP_NEVER, rows);
  g_autoptr(RetortRun) run = new_run (fixture.project, RETORT_RUN_STAMP, INDEX_ID);
  RetortRunDialog *dialog = open_dialog (legacy, fixture.project, run);
  GtkWidget *run_button;

  g_assert_null (retort_run_dialog_get_refusal (dialog));
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (dialog_child (dialog, "run_button"))), ==, "_Stamp");
  g_assert_cmpstr (adw_preferences_group_get_description (ADW_PREFERENCES_GROUP (dialog_child (dialog, "plan_group"))),
                   ==, "Only the version table changes");
  /* a stamp's version-table change names its row */
  g_assert_cmpuint (retort_run_dialog_get_n_hazards (dialog), ==, 0);
  close_dialog (dialog);

  /* --purge empties the version table first: flagged, and destructive */
  g_clear_object (&run);
  run = new_run (fixture.project, RETORT_RUN_STAMP, INDEX_ID);
  retort_run_set_purge (run, TRUE);
  dialog = open_dialog (legacy, fixture.project, run);
  run_button = dialog_child (dialog, "run_button");
  g_assert_true (gtk_widget_has_css_class (run_button, "destructive-action"));
  g_assert_cmpstr (adw_window_title_get_subtitle (ADW_WINDOW_TITLE (dialog_child (dialog, "window_title"))), ==,
                   "to d4e5f6a7, emptying the version table first");
  g_assert_nonnull (strstr (retort_run_dialog_get_sql (dialog), "DELETE FROM alembic_version;"));
  g_assert_cmpuint (retort_run_dialog_get_n_hazards (dialog), ==, 1);
  close_dialog (dialog);
}

static void
test_plan_error (void)
{
  const char *rows[] = { ITEMS_ID, NULL };
  RetortProfile *staging = add_profile ("staging-ap", RETORT_TIER_STAGING, FALSE, RETORT_BACKUP_NEVER, rows);
  g_autoptr(RetortRun) run = new_run (fixture.project, RETORT_RUN_UPGRADE, "f00dfeedbeef");
  RetortRunDialog *dialog = open_dialog (staging, fixture.project, run);
  const char *refusal = retort_run_dialog_get_refusal (dialog);

  g_assert_nonnull (refusal);
  g_assert_true (g_str_has_prefix (refusal, "Retort cannot plan this run: "));
  g_assert_null (retort_run_dialog_get_sql (dialog));
  g_assert_false (retort_run_dialog_get_can_confirm (dialog));
  g_assert_false (gtk_widget_get_visible (dialog_child (dialog, "sql_group")));
  g_assert_false (gtk_widget_has_css_class (dialog_child (dialog, "refusal_box"), "up-to-date"));
  close_dialog (dialog);
}

static void
test_not_native (void)
{
  g_autofree char *folder = make_script_dir ("python", python_files, G_N_ELEMENTS (python_files));
  g_autoptr(RetortProject) project = app_test_load_project (folder);
  RetortProject *shop = fixture.project;
  RetortProfile *fresh;
  g_autoptr(RetortRun) run = NULL;
  RetortRunDialog *dialog;
  g_autofree char *steps = NULL;
  const char *refusal;

  /* the profile's version table is read against this project */
  fixture.project = project;
  fresh = add_profile ("fresh", RETORT_TIER_DEVELOPMENT, FALSE, RETORT_BACKUP_NEVER, (const char *[]) { NULL });
  fixture.project = shop;
  run = new_run (project, RETORT_RUN_UPGRADE, "head");
  dialog = open_dialog (fresh, project, run);
  steps = shown_steps (dialog);
  refusal = retort_run_dialog_get_refusal (dialog);
  g_assert_nonnull (refusal);
  g_assert_true (g_str_has_prefix (refusal, "Revision e5f6a7b8 cannot run inside Retort yet: "));
  g_assert_false (retort_run_dialog_get_can_confirm (dialog));
  g_assert_cmpstr (steps, ==, "Upgrade e5f6a7b8");
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (dialog_child (dialog, "revisions_row"))), ==,
                   "Now at no revision → will be at e5f6a7b8");
  close_dialog (dialog);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *folder = NULL;
  int status;

  if (!app_test_init (&argc, &argv))
    return 0;
  gtk_source_init ();

  folder = make_script_dir ("shop", shop_files, G_N_ELEMENTS (shop_files));
  fixture.project = app_test_load_project (folder);
  fixture.entries = g_ptr_array_new_with_free_func ((GDestroyNotify) retort_profile_entry_free);
  fixture.profiles = g_ptr_array_new_with_free_func (g_object_unref);

  g_test_add_func ("/run-dialog/upgrade", test_upgrade);
  g_test_add_func ("/run-dialog/clean-upgrade", test_clean_upgrade);
  g_test_add_func ("/run-dialog/production", test_production);
  g_test_add_func ("/run-dialog/read-only", test_read_only);
  g_test_add_func ("/run-dialog/nothing-to-do", test_nothing_to_do);
  g_test_add_func ("/run-dialog/downgrade", test_downgrade);
  g_test_add_func ("/run-dialog/stamp-purge", test_stamp_purge);
  g_test_add_func ("/run-dialog/plan-error", test_plan_error);
  g_test_add_func ("/run-dialog/not-native", test_not_native);
  status = g_test_run ();

  /* profiles first: they borrow their entries */
  g_clear_pointer (&fixture.profiles, g_ptr_array_unref);
  g_clear_pointer (&fixture.entries, g_ptr_array_unref);
  g_clear_object (&fixture.project);
  app_test_cleanup ();
  return status;
}
