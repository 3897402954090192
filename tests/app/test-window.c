/* test-window.c — the main window over real projects and real databases
 *
 * Runs the app's own code in-process: the demo workspace (SQLite databases
 * made by the engine), a throwaway PostgreSQL when tests/pg/with-postgres.sh
 * provides one, a corrupt config file, a dead and a silent server. Each test
 * spins the main context until the window shows what it should. Screenshots
 * of the states land in $RETORT_BUILD_DIR/tests/app/screenshots/.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-window"

#include "config.h"
#include "retort-app-config.h"

#include <string.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "app-test-util.h"
#include "retort-demo.h"
#include "retort-revision-row.h"
#include "retort-window.h"

/* --- helpers ------------------------------------------------------------- */

static RetortWindow *
window_for (RetortWorkspace *workspace)
{
  RetortWindow *window = retort_window_new (NULL, workspace);

  app_test_show (GTK_WINDOW (window));
  return window;
}

/* --- tests --------------------------------------------------------------- */

/* No config yet: the welcome page says what to do first. */
static void
test_empty (void)
{
  g_autofree char *path = app_test_config_path ("empty");
  g_autoptr(RetortWorkspace) workspace = retort_workspace_new (path);
  RetortWindow *window;

  g_assert_true (retort_workspace_load (workspace, NULL));
  window = window_for (workspace);
  g_assert_cmpstr (retort_window_get_page (window), ==, "welcome");
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "add-project"));
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "add-profile"));
  app_test_screenshot (GTK_WIDGET (window), "window-empty");
  gtk_window_destroy (GTK_WINDOW (window));
}

/* The demo: four databases, each where the engine left it; pins on the
 * revisions their version tables hold; production unmistakable. */
static void
test_demo (void)
{
  g_autofree char *config = app_test_demo_config ();
  g_autoptr(RetortWorkspace) workspace = retort_workspace_new (config);
  g_autoptr(RetortProject) project = NULL;
  RetortProfile *dev, *staging, *production, *legacy;
  RetortWindow *window;
  g_autofree char *pins = NULL;

  g_assert_true (retort_workspace_load (workspace, NULL));
  window = window_for (workspace);
  g_assert_true (app_test_spin_until (app_test_all_checked, workspace, 30000, NULL));

  project = g_list_model_get_item (retort_workspace_get_projects (workspace), 0);
  g_assert_cmpstr (retort_project_get_title (project), ==, "inventory");
  g_assert_cmpuint (g_list_model_get_n_items (retort_project_get_revisions (project)), ==, 9);

  dev = app_test_profile_named (workspace, "dev-local");
  staging = app_test_profile_named (workspace, "staging");
  production = app_test_profile_named (workspace, "production");
  legacy = app_test_profile_named (workspace, "legacy-reports");
  g_assert_cmpint (retort_profile_get_state (dev), ==, RETORT_PROFILE_STATE_UP_TO_DATE);
  g_assert_cmpint (retort_profile_get_state (staging), ==, RETORT_PROFILE_STATE_PENDING);
  g_assert_cmpuint (retort_profile_get_n_pending (staging), ==, 2);
  g_assert_cmpint (retort_profile_get_state (production), ==, RETORT_PROFILE_STATE_PENDING);
  g_assert_cmpuint (retort_profile_get_n_pending (production), ==, 6);
  g_assert_cmpint (retort_profile_get_state (legacy), ==, RETORT_PROFILE_STATE_LEGACY);

  retort_window_select (window, project, dev);
  app_test_spin_for (300);
  g_assert_cmpstr (retort_window_get_page (window), ==, "project");
  g_assert_nonnull (strstr (retort_window_get_status_text (window), "Up to date"));

  /* pins: dev-local at both heads, staging at the merge line's tip, production further down */
  pins = app_test_row_pins (window, "9d8a1b3c5f20");
  g_assert_cmpstr (pins, ==, "dev-local");
  g_clear_pointer (&pins, g_free);
  pins = app_test_row_pins (window, "7b4e2f8a3d95");
  g_assert_cmpstr (pins, ==, "dev-local,staging");
  g_clear_pointer (&pins, g_free);
  pins = app_test_row_pins (window, "3c9e1f5a2d34");
  g_assert_cmpstr (pins, ==, "production");
  app_test_screenshot (GTK_WIDGET (window), "window-demo");

  retort_window_select (window, project, production);
  app_test_spin_for (300);
  g_assert_true (retort_window_get_profile (window) == production);
  g_assert_nonnull (strstr (retort_window_get_status_text (window), "6 revisions pending"));
  g_assert_true (retort_profile_has_applied (production,
                                             retort_revision_map_lookup (retort_project_get_map (project),
                                                                         "1f3a9c2e7b10")));
  g_assert_false (retort_profile_has_applied (production,
                                              retort_revision_map_lookup (retort_project_get_map (project),
                                                                          "4d2a6b8c1e57")));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.jump-to-current", NULL));
  g_assert_nonnull (gtk_single_selection_get_selected_item (
    GTK_SINGLE_SELECTION (gtk_list_view_get_model (retort_window_get_timeline (window)))));
  g_assert_cmpstr (retort_revision_get_id (gtk_single_selection_get_selected_item (
    GTK_SINGLE_SELECTION (gtk_list_view_get_model (retort_window_get_timeline (window))))), ==, "3c9e1f5a2d34");
  /* the detail pane cross-fades to the revision */
  app_test_spin_for (800);
  app_test_screenshot (GTK_WIDGET (window), "window-production");

  retort_window_select (window, project, legacy);
  app_test_spin_for (200);
  g_assert_nonnull (strstr (retort_window_get_status_text (window), "no version table"));
  app_test_screenshot (GTK_WIDGET (window), "window-legacy");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-environments", NULL));
  app_test_spin_for (500);
  {
    g_autoptr(GString) comparisons = g_string_new (NULL);

    app_test_collect_labels (GTK_WIDGET (window), "comparison", comparisons);
    g_test_message ("environments summary:\n%s", comparisons->str);
    g_assert_nonnull (strstr (comparisons->str, "lacks 2 revisions dev-local has"));
    g_assert_nonnull (strstr (comparisons->str, "lacks 4 revisions staging has"));
    /* a legacy database has nothing to compare: it needs a baseline */
    g_assert_nonnull (strstr (comparisons->str, "has no version table: stamp the revision it matches first"));
  }
  app_test_screenshot (GTK_WIDGET (window), "window-environments");

  gtk_window_destroy (GTK_WINDOW (window));
  retort_demo_remove (config);
}

/* The selection survives a restart: a new workspace over the same file and
 * a new window show the database shown last. */
static void
test_restart_selection (void)
{
  g_autofree char *config = app_test_demo_config ();
  g_autoptr(RetortWorkspace) first = retort_workspace_new (config);
  g_autoptr(RetortWorkspace) second = retort_workspace_new (config);
  g_autoptr(RetortProject) project = NULL;
  RetortWindow *window;

  g_assert_true (retort_workspace_load (first, NULL));
  window = window_for (first);
  project = g_list_model_get_item (retort_workspace_get_projects (first), 0);
  retort_window_select (window, project, app_test_profile_named (first, "staging"));
  gtk_window_destroy (GTK_WINDOW (window));

  g_assert_true (retort_workspace_load (second, NULL));
  window = window_for (second);
  retort_window_restore_selection (window);
  g_assert_nonnull (retort_window_get_profile (window));
  g_assert_cmpstr (retort_profile_get_name (retort_window_get_profile (window)), ==, "staging");
  gtk_window_destroy (GTK_WINDOW (window));
  retort_demo_remove (config);
}

/* A hand-edited config that does not parse: shown, kept byte for byte,
 * never saved over. */
static void
test_corrupt_config (void)
{
  g_autofree char *path = app_test_config_path ("corrupt");
  const char *garbage = "[project inventory\nname=inventory\npath=/nowhere\n\x01\x02 not a key file\n";
  g_autoptr(RetortWorkspace) workspace = retort_workspace_new (path);
  g_autoptr(GFile) folder = g_file_new_for_path (RETORT_DEMO_DIR);
  g_autofree char *after = NULL;
  RetortWindow *window;

  app_test_write_file (path, garbage);
  g_assert_false (retort_workspace_load (workspace, NULL));
  g_assert_nonnull (retort_workspace_get_load_error (workspace));

  window = window_for (workspace);
  g_assert_cmpstr (retort_window_get_page (window), ==, "config-error");
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "add-project"));
  /* opening a project anyway must not write over the file */
  retort_window_open (window, folder);
  app_test_spin_for (200);
  app_test_screenshot (GTK_WIDGET (window), "window-corrupt-config");
  gtk_window_destroy (GTK_WINDOW (window));

  g_assert_true (g_file_get_contents (path, &after, NULL, NULL));
  g_assert_cmpstr (after, ==, garbage);
}

/* A port nobody listens on and a server that accepts and never answers:
 * both end as unreachable, and the main loop never stops for them. */
static void
test_unreachable (void)
{
  g_autofree char *path = app_test_config_path ("unreachable");
  g_autoptr(RetortConfig) config = retort_config_new (path);
  g_autoptr(GSocket) silent = NULL;
  g_autoptr(GSocket) probe = NULL;
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any_port = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GError) error = NULL;
  g_autoptr(RetortWorkspace) workspace = NULL;
  g_autofree char *dead_url = NULL;
  g_autofree char *silent_url = NULL;
  RetortProjectEntry *project;
  RetortWindow *window;
  gint64 longest_gap = 0;
  guint dead_port, silent_port;

  /* a port that was free a moment ago: bind, read the port, close */
  probe = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_assert_true (g_socket_bind (probe, any_port, TRUE, &error));
  bound = g_socket_get_local_address (probe, &error);
  dead_port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_socket_close (probe, NULL);
  g_clear_object (&bound);

  /* listens, so connect() succeeds, but never accepts or answers */
  silent = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_true (g_socket_bind (silent, any_port, TRUE, &error));
  g_assert_true (g_socket_listen (silent, &error));
  bound = g_socket_get_local_address (silent, &error);
  silent_port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));

  project = retort_config_add_project (config, "inventory", RETORT_DEMO_DIR);
  dead_url = g_strdup_printf ("postgresql://retort@127.0.0.1:%u/inventory", dead_port);
  silent_url = g_strdup_printf ("postgresql://retort@127.0.0.1:%u/inventory", silent_port);
  g_assert_nonnull (retort_config_add_profile (config, project->id, "dead", dead_url, &error));
  g_assert_nonnull (retort_config_add_profile (config, project->id, "silent", silent_url, &error));
  g_assert_true (retort_config_save (config, &error));

  workspace = retort_workspace_new (path);
  retort_workspace_set_check_timeout (workspace, 2500);
  g_assert_true (retort_workspace_load (workspace, NULL));
  window = window_for (workspace);
  g_assert_true (app_test_spin_until (app_test_all_checked, workspace, 20000, &longest_gap));

  g_assert_cmpint (retort_profile_get_state (app_test_profile_named (workspace, "dead")), ==,
                   RETORT_PROFILE_STATE_UNREACHABLE);
  g_assert_cmpint (retort_profile_get_state (app_test_profile_named (workspace, "silent")), ==,
                   RETORT_PROFILE_STATE_UNREACHABLE);
  g_test_message ("longest main-loop iteration while checking: %.1f ms", longest_gap / 1000.0);
  g_assert_cmpint (longest_gap, <, APP_TEST_MAX_STALL_US);

  retort_window_select (window, retort_workspace_find_project (workspace, project->id),
                        app_test_profile_named (workspace, "silent"));
  app_test_spin_for (200);
  g_assert_nonnull (retort_window_get_status_text (window));
  app_test_screenshot (GTK_WIDGET (window), "window-unreachable");
  gtk_window_destroy (GTK_WINDOW (window));
}

/* A throwaway PostgreSQL: a pin sits where its version table says. */
static void
test_postgresql_pins (void)
{
  const char *server = g_getenv ("RETORT_TEST_PG");
  g_autofree char *path = app_test_config_path ("postgresql");
  g_autoptr(RetortConfig) config = retort_config_new (path);
  g_autoptr(RetortDatabaseUrl) admin_url = NULL;
  g_autoptr(RetortDatabaseUrl) db_url = NULL;
  g_autoptr(RetortBackend) admin = NULL;
  g_autoptr(RetortBackend) db = NULL;
  g_autoptr(RetortWorkspace) workspace = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *conninfo = NULL;
  g_autofree char *pins = NULL;
  RetortProjectEntry *project;
  RetortProfile *profile;
  RetortWindow *window;

  if (server == NULL)
    {
      g_test_skip ("no PostgreSQL: run under tests/pg/with-postgres.sh (meson test does)");
      return;
    }

  admin_url = retort_database_url_parse (server, NULL, &error);
  g_assert_no_error (error);
  admin = retort_backend_new (admin_url, &error);
  g_assert_true (retort_backend_open (admin, &error));
  retort_backend_execute (admin, "DROP DATABASE IF EXISTS retort_window_pins", NULL, NULL);
  g_assert_true (retort_backend_execute (admin, "CREATE DATABASE retort_window_pins", NULL, &error));
  retort_backend_close (admin);

  conninfo = g_strdup_printf ("%s dbname=retort_window_pins", server);
  db_url = retort_database_url_parse (conninfo, NULL, &error);
  db = retort_backend_new (db_url, &error);
  g_assert_true (retort_backend_open (db, &error));
  g_assert_true (retort_backend_execute (db,
                                         "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, "
                                         "CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num));"
                                         "INSERT INTO alembic_version VALUES ('6a1c7d9e2f83');",
                                         NULL, &error));
  g_assert_no_error (error);
  retort_backend_close (db);

  project = retort_config_add_project (config, "inventory", RETORT_DEMO_DIR);
  profile = NULL;
  g_assert_nonnull (retort_config_add_profile (config, project->id, "pg-staging", conninfo, &error));
  g_assert_true (retort_config_save (config, &error));

  workspace = retort_workspace_new (path);
  g_assert_true (retort_workspace_load (workspace, NULL));
  window = window_for (workspace);
  g_assert_true (app_test_spin_until (app_test_all_checked, workspace, 20000, NULL));
  profile = app_test_profile_named (workspace, "pg-staging");
  g_assert_cmpint (retort_profile_get_state (profile), ==, RETORT_PROFILE_STATE_PENDING);
  g_assert_cmpuint (retort_profile_get_n_pending (profile), ==, 3);

  retort_window_select (window, retort_workspace_find_project (workspace, project->id), profile);
  app_test_spin_for (300);
  pins = app_test_row_pins (window, "6a1c7d9e2f83");
  g_assert_cmpstr (pins, ==, "pg-staging");
  app_test_screenshot (GTK_WIDGET (window), "window-postgresql");
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Revision files that do not load: the problems are listed, with the file. */
static void
test_broken_project (void)
{
  static const AppTestRevision broken[] = {
    { "3f1c9a0b7d21", "None", "None", NULL, "create users table", "create_users" },
    { "8a2e4b6c1d09", "'deadbeef0000'", "None", NULL, "add email to users", "add_email" },
  };
  g_autofree char *path = app_test_config_path ("broken");
  g_autofree char *folder = app_test_script_dir ("broken", broken, G_N_ELEMENTS (broken));
  g_autoptr(RetortWorkspace) workspace = retort_workspace_new (path);
  g_autoptr(GFile) location = g_file_new_for_path (folder);
  RetortWindow *window;

  g_assert_true (retort_workspace_load (workspace, NULL));
  window = window_for (workspace);
  retort_window_open (window, location);
  g_assert_true (app_test_spin_until (app_test_all_checked, workspace, 20000, NULL));
  app_test_spin_for (100);
  g_assert_cmpstr (retort_window_get_page (window), ==, "error");
  app_test_screenshot (GTK_WIDGET (window), "window-broken");
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Under LANGUAGE=de the window speaks German, from the catalog this build made. */
static void
test_german (void)
{
  g_autofree char *path = app_test_config_path ("german");
  g_autoptr(RetortWorkspace) workspace = retort_workspace_new (path);
  RetortWindow *window;
  AdwStatusPage *welcome;

  if (!g_str_has_prefix (g_getenv ("LANGUAGE") != NULL ? g_getenv ("LANGUAGE") : "", "de"))
    {
      g_test_skip ("runs as test-window-german, with LANGUAGE=de");
      return;
    }
  g_assert_true (retort_workspace_load (workspace, NULL));
  window = window_for (workspace);
  welcome = ADW_STATUS_PAGE (gtk_widget_get_template_child (GTK_WIDGET (window), RETORT_TYPE_WINDOW, "welcome_page"));
  g_assert_cmpstr (adw_status_page_get_title (welcome), ==, "Noch keine Projekte");
  app_test_screenshot (GTK_WIDGET (window), "window-german");
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int    argc,
      char **argv)
{
  int status;

  if (!app_test_init (&argc, &argv))
    return 0;

  g_test_add_func ("/window/empty", test_empty);
  g_test_add_func ("/window/demo", test_demo);
  g_test_add_func ("/window/restart-selection", test_restart_selection);
  g_test_add_func ("/window/corrupt-config", test_corrupt_config);
  g_test_add_func ("/window/unreachable", test_unreachable);
  g_test_add_func ("/window/postgresql-pins", test_postgresql_pins);
  g_test_add_func ("/window/broken-project", test_broken_project);
  g_test_add_func ("/window/german", test_german);

  status = g_test_run ();
  app_test_cleanup ();
  return status;
}
