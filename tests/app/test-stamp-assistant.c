/* test-stamp-assistant.c — the stamp assistant, over the demo migrations
 *
 * Real widgets on real SQLite files made here: a legacy database (a table of
 * its own, no version table), checked by RetortProfile as the window does.
 * Screenshots of the states land in $RETORT_BUILD_DIR/tests/app/screenshots/.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-stamp-assistant"

#include "config.h"

#include <string.h>

#include <adwaita.h>
#include <gtksourceview/gtksource.h>

#include "app-test-util.h"
#include "retort-app-config.h"
#include "retort-profile.h"
#include "retort-project.h"
#include "retort-stamp-assistant.h"

/* the demo's first revision (the oldest base), its heads, and others */
#define FIRST_ID      "1f3a9c2e7b10"
#define WAREHOUSES_ID "2b7d4e8a9c01"
#define STOCK_ID      "3c9e1f5a2d34"
#define SKU_HEAD_ID   "7b4e2f8a3d95"
#define REPORTING_ID  "8c6f9a2b4e17"
#define VIEW_HEAD_ID  "9d8a1b3c5f20"

static RetortProject *demo_project;

/* --- fixtures ------------------------------------------------------------ */

typedef struct
{
  RetortProfileEntry *entry;    /* the profile borrows it */
  RetortProfile      *profile;
} Database;

static gboolean
profile_checked (gpointer data)
{
  RetortProfileState state = retort_profile_get_state (RETORT_PROFILE (data));

  return state != RETORT_PROFILE_STATE_CHECKING && state != RETORT_PROFILE_STATE_UNCHECKED;
}

/* An SQLite file NAME.db with a table of its own and the version table rows
 * (NULL: none), a profile over it, checked against the demo. */
static void
database_init (Database           *database,
               const char         *name,
               RetortTier          tier,
               gboolean            read_only,
               const char * const *rows,
               RetortProfileState  expected)
{
  g_autofree char *path = app_test_sqlite_db (name, rows);

  database->entry = g_new0 (RetortProfileEntry, 1);
  database->entry->id = g_strdup (name);
  database->entry->name = g_strdup (name);
  database->entry->project = g_strdup ("demo");
  database->entry->url = g_strconcat ("sqlite:///", path, NULL);
  database->entry->tier = tier;
  database->entry->read_only = read_only;
  database->profile = retort_profile_new (database->entry);

  retort_profile_check (database->profile, retort_project_get_map (demo_project), NULL, NULL, 10000);
  g_assert_true (app_test_spin_until (profile_checked, database->profile, 15000, NULL));
  g_assert_cmpint (retort_profile_get_state (database->profile), ==, expected);
}

static void
database_clear (Database *database)
{
  g_clear_object (&database->profile);
  g_clear_pointer (&database->entry, retort_profile_entry_free);
}

/* --- widget helpers ------------------------------------------------------ */

static gpointer
child (RetortStampAssistant *assistant,
       const char           *name)
{
  return gtk_widget_get_template_child (GTK_WIDGET (assistant), RETORT_TYPE_STAMP_ASSISTANT, name);
}

static RetortStampAssistant *
show_assistant (Database *database)
{
  RetortStampAssistant *assistant = retort_stamp_assistant_new (database->profile, demo_project);

  app_test_show (GTK_WINDOW (assistant));
  app_test_spin_for (100);
  return assistant;
}

static gboolean
head_warning_shown (RetortStampAssistant *assistant)
{
  return gtk_revealer_get_reveal_child (child (assistant, "head_revealer"));
}

static char *
shown_sql (RetortStampAssistant *assistant)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (child (assistant, "sql_view")));
  GtkTextIter start, end;

  g_assert_cmpstr (gtk_stack_get_visible_child_name (child (assistant, "sql_stack")), ==, "sql");
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

typedef struct
{
  guint  count;
  char  *revision_id;
} Stamped;

static void
stamp_cb (RetortStampAssistant *assistant,
          const char           *revision_id,
          Stamped              *stamped)
{
  stamped->count++;
  g_free (stamped->revision_id);
  stamped->revision_id = g_strdup (revision_id);
}

static gboolean
is_null (gpointer data)
{
  return *(gpointer *) data == NULL;
}

/* --- tests ---------------------------------------------------------------- */

static void
test_default (void)
{
  Database database = { 0 };
  RetortStampAssistant *assistant;
  GtkSingleSelection *selection;
  g_autoptr(RetortRevision) first_row = NULL;
  g_autofree char *sql = NULL;
  const char *standing;

  database_init (&database, "legacy", RETORT_TIER_DEVELOPMENT, FALSE, NULL, RETORT_PROFILE_STATE_LEGACY);
  assistant = show_assistant (&database);

  /* the oldest base, not a head */
  g_assert_cmpstr (retort_stamp_assistant_get_selected (assistant), ==, FIRST_ID);
  g_assert_false (head_warning_shown (assistant));
  selection = GTK_SINGLE_SELECTION (gtk_list_view_get_model (child (assistant, "revision_list")));
  /* oldest first: the base leads the list, and the list shows it selected */
  first_row = g_list_model_get_item (G_LIST_MODEL (selection), 0);
  g_assert_cmpstr (retort_revision_get_id (first_row), ==, FIRST_ID);
  g_assert_cmpuint (gtk_single_selection_get_selected (selection), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (selection)), ==, 9);

  standing = gtk_label_get_label (child (assistant, "standing_label"));
  g_assert_nonnull (strstr (standing, "legacy already has tables but no version table"));
  g_assert_false (gtk_revealer_get_reveal_child (child (assistant, "refusal_revealer")));
  g_assert_false (gtk_widget_get_visible (child (assistant, "confirm_list")));

  /* the version table is made and the base written, nothing else */
  g_assert_nonnull (retort_stamp_assistant_get_sql (assistant));
  g_assert_nonnull (strstr (retort_stamp_assistant_get_sql (assistant), "CREATE TABLE alembic_version"));
  g_assert_nonnull (strstr (retort_stamp_assistant_get_sql (assistant),
                            "INSERT INTO alembic_version (version_num) VALUES ('" FIRST_ID "')"));
  g_assert_null (strstr (retort_stamp_assistant_get_sql (assistant), "CREATE TABLE products"));
  sql = shown_sql (assistant);
  g_assert_nonnull (strstr (sql, "CREATE TABLE alembic_version"));
  g_assert_nonnull (strstr (sql, "'" FIRST_ID "'"));
  g_assert_true (gtk_source_buffer_get_language (GTK_SOURCE_BUFFER (gtk_text_view_get_buffer (
                   GTK_TEXT_VIEW (child (assistant, "sql_view"))))) != NULL);
  g_assert_false (gtk_text_view_get_editable (child (assistant, "sql_view")));

  g_assert_true (retort_stamp_assistant_get_can_stamp (assistant));
  g_assert_true (gtk_widget_get_sensitive (child (assistant, "stamp_button")));
  g_assert_true (gtk_widget_has_css_class (child (assistant, "stamp_button"), "suggested-action"));
  app_test_screenshot (GTK_WIDGET (assistant), "stamp-assistant-default");

  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
  app_test_spin_for (200);
  app_test_screenshot (GTK_WIDGET (assistant), "stamp-assistant-dark");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);

  gtk_window_destroy (GTK_WINDOW (assistant));
  database_clear (&database);
}

static void
test_selection (void)
{
  Database database = { 0 };
  RetortStampAssistant *assistant;
  Stamped stamped = { 0 };
  g_autofree char *base_sql = NULL;
  GtkFilterListModel *filtered;

  database_init (&database, "legacy-select", RETORT_TIER_STAGING, FALSE, NULL, RETORT_PROFILE_STATE_LEGACY);
  assistant = show_assistant (&database);
  g_signal_connect (assistant, "stamp", G_CALLBACK (stamp_cb), &stamped);
  g_object_add_weak_pointer (G_OBJECT (assistant), (gpointer *) &assistant);
  base_sql = g_strdup (retort_stamp_assistant_get_sql (assistant));

  /* a head: the warning, and the SQL for it */
  retort_stamp_assistant_select (assistant, SKU_HEAD_ID);
  g_assert_cmpstr (retort_stamp_assistant_get_selected (assistant), ==, SKU_HEAD_ID);
  g_assert_true (head_warning_shown (assistant));
  g_assert_nonnull (strstr (gtk_label_get_label (child (assistant, "head_label")), "7b4e2f8a is a head"));
  g_assert_nonnull (strstr (retort_stamp_assistant_get_sql (assistant), "VALUES ('" SKU_HEAD_ID "')"));
  g_assert_null (strstr (retort_stamp_assistant_get_sql (assistant), FIRST_ID));
  g_assert_true (retort_stamp_assistant_get_can_stamp (assistant));
  app_test_spin_for (300);
  app_test_screenshot (GTK_WIDGET (assistant), "stamp-assistant-head");

  /* the other head, too */
  retort_stamp_assistant_select (assistant, VIEW_HEAD_ID);
  g_assert_true (head_warning_shown (assistant));

  /* not a head: no warning, other SQL */
  retort_stamp_assistant_select (assistant, STOCK_ID);
  g_assert_false (head_warning_shown (assistant));
  g_assert_nonnull (strstr (retort_stamp_assistant_get_sql (assistant), "VALUES ('" STOCK_ID "')"));
  g_assert_cmpstr (retort_stamp_assistant_get_sql (assistant), !=, base_sql);

  /* choosing in the list is choosing */
  {
    GtkSingleSelection *selection = GTK_SINGLE_SELECTION (gtk_list_view_get_model (child (assistant,
                                                                                         "revision_list")));
    gtk_single_selection_set_selected (selection, 1);
    g_assert_cmpstr (retort_stamp_assistant_get_selected (assistant), ==, WAREHOUSES_ID);
    g_assert_nonnull (strstr (retort_stamp_assistant_get_sql (assistant), "VALUES ('" WAREHOUSES_ID "')"));
  }

  /* the filter narrows the list by message or id prefix; what is chosen stays */
  filtered = GTK_FILTER_LIST_MODEL (gtk_single_selection_get_model (
    GTK_SINGLE_SELECTION (gtk_list_view_get_model (child (assistant, "revision_list")))));
  gtk_editable_set_text (GTK_EDITABLE (child (assistant, "search_entry")), "REPORTING");
  g_signal_emit_by_name (child (assistant, "search_entry"), "search-changed");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (filtered)), ==, 1);
  g_assert_cmpstr (retort_stamp_assistant_get_selected (assistant), ==, WAREHOUSES_ID);
  gtk_editable_set_text (GTK_EDITABLE (child (assistant, "search_entry")), "9d8a");
  g_signal_emit_by_name (child (assistant, "search_entry"), "search-changed");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (filtered)), ==, 1);
  gtk_editable_set_text (GTK_EDITABLE (child (assistant, "search_entry")), "no such thing");
  g_signal_emit_by_name (child (assistant, "search_entry"), "search-changed");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (child (assistant, "list_stack")), ==, "no-match");
  gtk_editable_set_text (GTK_EDITABLE (child (assistant, "search_entry")), "");
  g_signal_emit_by_name (child (assistant, "search_entry"), "search-changed");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (filtered)), ==, 9);
  g_assert_cmpuint (gtk_single_selection_get_selected (
                      GTK_SINGLE_SELECTION (gtk_list_view_get_model (child (assistant, "revision_list")))), ==, 1);

  /* Stamp: the id, once, and the assistant goes */
  g_assert_true (retort_stamp_assistant_activate_stamp (assistant));
  g_assert_cmpuint (stamped.count, ==, 1);
  g_assert_cmpstr (stamped.revision_id, ==, WAREHOUSES_ID);
  g_assert_true (app_test_spin_until (is_null, &assistant, 5000, NULL));
  g_assert_cmpuint (stamped.count, ==, 1);

  g_free (stamped.revision_id);
  database_clear (&database);
}

static void
test_cancel (void)
{
  Database database = { 0 };
  RetortStampAssistant *assistant;
  Stamped stamped = { 0 };

  database_init (&database, "legacy-cancel", RETORT_TIER_DEVELOPMENT, FALSE, NULL, RETORT_PROFILE_STATE_LEGACY);
  assistant = show_assistant (&database);
  g_signal_connect (assistant, "stamp", G_CALLBACK (stamp_cb), &stamped);
  g_object_add_weak_pointer (G_OBJECT (assistant), (gpointer *) &assistant);

  /* Cancel's action (Escape is bound to it): closed, nothing stamped */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (assistant), "window.close", NULL));
  g_assert_true (app_test_spin_until (is_null, &assistant, 5000, NULL));
  g_assert_cmpuint (stamped.count, ==, 0);

  database_clear (&database);
}

static void
test_production (void)
{
  Database database = { 0 };
  RetortStampAssistant *assistant;
  Stamped stamped = { 0 };
  g_autofree char *title = NULL;

  database_init (&database, "inventory_prod", RETORT_TIER_PRODUCTION, FALSE, NULL, RETORT_PROFILE_STATE_LEGACY);
  assistant = show_assistant (&database);
  g_signal_connect (assistant, "stamp", G_CALLBACK (stamp_cb), &stamped);
  g_object_add_weak_pointer (G_OBJECT (assistant), (gpointer *) &assistant);

  g_assert_true (gtk_widget_get_visible (child (assistant, "confirm_list")));
  g_assert_cmpstr (adw_preferences_row_get_title (child (assistant, "confirm_row")), ==,
                   "Type inventory_prod to confirm");
  g_assert_true (gtk_widget_has_css_class (child (assistant, "stamp_button"), "destructive-action"));
  g_assert_false (gtk_widget_has_css_class (child (assistant, "stamp_button"), "suggested-action"));
  g_assert_true (gtk_widget_has_css_class (child (assistant, "header_bar"), "production"));

  /* nothing until the name is typed */
  g_assert_false (retort_stamp_assistant_get_can_stamp (assistant));
  g_assert_false (gtk_widget_get_sensitive (child (assistant, "stamp_button")));
  g_assert_false (retort_stamp_assistant_activate_stamp (assistant));
  retort_stamp_assistant_set_typed_name (assistant, "inventory");
  g_assert_false (retort_stamp_assistant_get_can_stamp (assistant));
  g_assert_false (retort_stamp_assistant_activate_stamp (assistant));
  retort_stamp_assistant_set_typed_name (assistant, "Inventory_Prod");
  g_assert_false (retort_stamp_assistant_activate_stamp (assistant));
  g_assert_cmpuint (stamped.count, ==, 0);
  retort_stamp_assistant_set_typed_name (assistant, "invent");
  app_test_spin_for (200);
  app_test_screenshot (GTK_WIDGET (assistant), "stamp-assistant-production");

  retort_stamp_assistant_set_typed_name (assistant, "inventory_prod");
  g_assert_true (retort_stamp_assistant_get_can_stamp (assistant));
  g_assert_true (gtk_widget_get_sensitive (child (assistant, "stamp_button")));
  g_assert_true (retort_stamp_assistant_activate_stamp (assistant));
  g_assert_cmpuint (stamped.count, ==, 1);
  g_assert_cmpstr (stamped.revision_id, ==, FIRST_ID);
  g_assert_true (app_test_spin_until (is_null, &assistant, 5000, NULL));
  g_assert_cmpuint (stamped.count, ==, 1);

  g_free (stamped.revision_id);
  database_clear (&database);
}

static void
test_read_only (void)
{
  Database database = { 0 };
  RetortStampAssistant *assistant;
  Stamped stamped = { 0 };

  database_init (&database, "legacy-ro", RETORT_TIER_STAGING, TRUE, NULL, RETORT_PROFILE_STATE_LEGACY);
  assistant = show_assistant (&database);
  g_signal_connect (assistant, "stamp", G_CALLBACK (stamp_cb), &stamped);

  g_assert_true (gtk_revealer_get_reveal_child (child (assistant, "refusal_revealer")));
  g_assert_nonnull (strstr (gtk_label_get_label (child (assistant, "refusal_label")), "legacy-ro is read-only"));
  g_assert_false (retort_stamp_assistant_get_can_stamp (assistant));
  g_assert_false (gtk_widget_get_sensitive (child (assistant, "stamp_button")));
  /* the SQL still shows what a stamp would do */
  g_assert_nonnull (retort_stamp_assistant_get_sql (assistant));
  g_assert_false (retort_stamp_assistant_activate_stamp (assistant));
  g_assert_cmpuint (stamped.count, ==, 0);
  app_test_spin_for (300);
  app_test_screenshot (GTK_WIDGET (assistant), "stamp-assistant-read-only");

  gtk_window_destroy (GTK_WINDOW (assistant));
  database_clear (&database);
}

/* Already versioned: it says where, the SQL moves the row, and stamping
 * where it already is does nothing. */
static void
test_versioned (void)
{
  const char *rows[] = { STOCK_ID, NULL };
  Database database = { 0 };
  RetortStampAssistant *assistant;
  const char *sql;

  database_init (&database, "versioned", RETORT_TIER_DEVELOPMENT, FALSE, rows, RETORT_PROFILE_STATE_PENDING);
  assistant = show_assistant (&database);

  g_assert_nonnull (strstr (gtk_label_get_label (child (assistant, "standing_label")),
                            "versioned is stamped at 3c9e1f5a"));
  g_assert_cmpstr (retort_stamp_assistant_get_selected (assistant), ==, FIRST_ID);
  sql = retort_stamp_assistant_get_sql (assistant);
  g_assert_nonnull (sql);
  g_test_message ("%s", sql);
  g_assert_null (strstr (sql, "CREATE TABLE"));
  g_assert_nonnull (strstr (sql, "UPDATE alembic_version SET version_num='" FIRST_ID "' WHERE "
                                 "alembic_version.version_num = '" STOCK_ID "'"));
  g_assert_true (retort_stamp_assistant_get_can_stamp (assistant));
  app_test_screenshot (GTK_WIDGET (assistant), "stamp-assistant-versioned");

  retort_stamp_assistant_select (assistant, STOCK_ID);
  g_assert_null (retort_stamp_assistant_get_sql (assistant));
  g_assert_false (retort_stamp_assistant_get_can_stamp (assistant));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (child (assistant, "sql_stack")), ==, "message");
  g_assert_nonnull (strstr (gtk_label_get_label (child (assistant, "sql_message_label")), "already stamped"));

  /* a newer revision on the same branch: the row moves up */
  retort_stamp_assistant_select (assistant, SKU_HEAD_ID);
  g_assert_nonnull (strstr (retort_stamp_assistant_get_sql (assistant),
                            "SET version_num='" SKU_HEAD_ID "' WHERE alembic_version.version_num = '" STOCK_ID "'"));

  gtk_window_destroy (GTK_WINDOW (assistant));
  database_clear (&database);
}

/* An empty database: stamping is possible, upgrading is the usual way. */
static void
test_empty_database (void)
{
  Database database = { 0 };
  RetortStampAssistant *assistant;
  g_autofree char *path = g_build_filename (app_test_root (), "empty.db", NULL);

  /* no table at all: an empty file SQLite opens as an empty database */
  app_test_write_file (path, "");
  database.entry = g_new0 (RetortProfileEntry, 1);
  database.entry->id = g_strdup ("empty");
  database.entry->name = g_strdup ("empty");
  database.entry->project = g_strdup ("demo");
  database.entry->url = g_strconcat ("sqlite:///", path, NULL);
  database.profile = retort_profile_new (database.entry);
  retort_profile_check (database.profile, retort_project_get_map (demo_project), NULL, NULL, 10000);
  g_assert_true (app_test_spin_until (profile_checked, database.profile, 15000, NULL));
  g_assert_cmpint (retort_profile_get_state (database.profile), ==, RETORT_PROFILE_STATE_NOT_VERSIONED);

  assistant = show_assistant (&database);
  g_assert_nonnull (strstr (gtk_label_get_label (child (assistant, "standing_label")), "has no tables yet"));
  g_assert_nonnull (strstr (retort_stamp_assistant_get_sql (assistant), "CREATE TABLE alembic_version"));
  g_assert_true (retort_stamp_assistant_get_can_stamp (assistant));

  gtk_window_destroy (GTK_WINDOW (assistant));
  database_clear (&database);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  if (!app_test_init (&argc, &argv))
    return 0;
  gtk_source_init ();

  /* the demo migrations in the source tree */
  demo_project = app_test_load_project (RETORT_DEMO_DIR);

  g_test_add_func ("/app/stamp-assistant/default", test_default);
  g_test_add_func ("/app/stamp-assistant/selection", test_selection);
  g_test_add_func ("/app/stamp-assistant/cancel", test_cancel);
  g_test_add_func ("/app/stamp-assistant/production", test_production);
  g_test_add_func ("/app/stamp-assistant/read-only", test_read_only);
  g_test_add_func ("/app/stamp-assistant/versioned", test_versioned);
  g_test_add_func ("/app/stamp-assistant/empty-database", test_empty_database);

  status = g_test_run ();
  g_clear_object (&demo_project);
  app_test_cleanup ();
  gtk_source_finalize ();
  return status;
}
