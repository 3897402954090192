/* test-profile-dialog.c — the database profile dialog and the password plumbing
 *
 * Real widgets under Xvfb, a real workspace saving to retort.conf in a temp
 * XDG_CONFIG_HOME, real SQLite files; Test Connection against a dead
 * PostgreSQL port and, with RETORT_TEST_PG (tests/pg/with-postgres.sh),
 * against a live server with password authentication. No session bus is
 * reachable, so nothing here ever touches a real keyring; the keyring probe
 * runs against private buses (a dbus-daemon of the test's own).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-profile-dialog"

#include "config.h"

#include <locale.h>
#include <string.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "app-test-util.h"
#include "retort-password-dialog.h"
#include "retort-profile-dialog.h"
#include "retort-secrets.h"
#include "retort-workspace.h"

#define REVISION_ID "3c9e1f5a7b2d"

/* --- fixtures ------------------------------------------------------------ */

/* ROOT/NAME/alembic.ini with url, and one revision; returns ROOT/NAME */
static char *
make_project (const char *name,
              const char *url)
{
  g_autofree char *folder = g_build_filename (app_test_root (), name, NULL);
  g_autofree char *versions = g_build_filename (folder, "migrations", "versions", NULL);
  g_autofree char *ini = g_build_filename (folder, "alembic.ini", NULL);
  g_autofree char *revision = g_build_filename (versions, REVISION_ID "_create_items.py", NULL);
  g_autofree char *ini_text = NULL;

  g_assert_cmpint (g_mkdir_with_parents (versions, 0755), ==, 0);
  ini_text = g_strdup_printf ("[alembic]\n"
                              "script_location = %%(here)s/migrations\n"
                              "sqlalchemy.url = %s\n",
                              url);
  app_test_write_file (ini, ini_text);
  app_test_write_file (revision,
              "\"\"\"create items\n"
              "\n"
              "Revision ID: " REVISION_ID "\n"
              "\"\"\"\n"
              "revision = '" REVISION_ID "'\n"
              "down_revision = None\n"
              "branch_labels = None\n"
              "depends_on = None\n"
              "\n"
              "def upgrade():\n"
              "    pass\n"
              "\n"
              "def downgrade():\n"
              "    pass\n");
  return g_steal_pointer (&folder);
}

static void
run_sql (RetortBackend *backend,
         const char    *sql)
{
  g_autoptr(GError) error = NULL;

  retort_backend_execute (backend, sql, NULL, &error);
  g_assert_no_error (error);
}

/* An SQLite database at path whose version table holds REVISION_ID. */
static void
make_sqlite_database (const char *path)
{
  g_autofree char *text = g_strconcat ("sqlite:///", path, NULL);
  g_autoptr(RetortDatabaseUrl) url = NULL;
  g_autoptr(RetortBackend) backend = NULL;
  g_autoptr(GError) error = NULL;

  url = retort_database_url_parse (text, NULL, &error);
  g_assert_no_error (error);
  backend = retort_backend_new (url, &error);
  g_assert_no_error (error);
  g_assert_true (retort_backend_open (backend, &error));
  g_assert_no_error (error);
  run_sql (backend, "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY)");
  run_sql (backend, "INSERT INTO alembic_version VALUES ('" REVISION_ID "')");
  retort_backend_close (backend);
}

/* A TCP port on 127.0.0.1 nobody listens on (bound, then let go). */
static guint16
free_port (void)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;
  guint16 port;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_assert_true (g_socket_bind (socket, any, FALSE, &error));
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_socket_close (socket, NULL);
  return port;
}

/* --- driving the main context -------------------------------------------- */

typedef AppTestPredicate Predicate;

static gboolean
spin_until (Predicate predicate,
            gpointer  data,
            guint     timeout_ms)
{
  return app_test_spin_until (predicate, data, timeout_ms, NULL);
}

static gboolean
profile_checked (gpointer data)
{
  RetortProfileState state = retort_profile_get_state (RETORT_PROFILE (data));
  return state != RETORT_PROFILE_STATE_CHECKING && state != RETORT_PROFILE_STATE_UNCHECKED;
}

static gboolean
is_null (gpointer data)
{
  return *(gpointer *) data == NULL;
}

static gboolean
project_loaded (gpointer data)
{
  return retort_project_get_loaded (RETORT_PROJECT (data));
}

static gboolean
window_mapped (gpointer data)
{
  return gtk_widget_get_mapped (GTK_WIDGET (data)) && gtk_widget_get_width (GTK_WIDGET (data)) > 0;
}

static gboolean
not_testing (gpointer data)
{
  return !retort_profile_dialog_get_testing (RETORT_PROFILE_DIALOG (data));
}

/* --- the dialog's parts -------------------------------------------------- */

static gpointer
part (RetortProfileDialog *dialog,
      const char          *name)
{
  gpointer widget = gtk_widget_get_template_child (GTK_WIDGET (dialog), RETORT_TYPE_PROFILE_DIALOG, name);

  g_assert_nonnull (widget);
  return widget;
}

static void
type_into (RetortProfileDialog *dialog,
           const char          *row,
           const char          *text)
{
  gtk_editable_set_text (GTK_EDITABLE (part (dialog, row)), text);
}

static const char *
text_of (RetortProfileDialog *dialog,
         const char          *row)
{
  return gtk_editable_get_text (GTK_EDITABLE (part (dialog, row)));
}

static void
press (RetortProfileDialog *dialog,
       const char          *button)
{
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (part (dialog, button))));
  /* as a click: the button takes the focus (and the page scrolls to it),
   * then "clicked" at once (activating waits for the pressed look) */
  gtk_widget_grab_focus (GTK_WIDGET (part (dialog, button)));
  g_signal_emit_by_name (part (dialog, button), "clicked");
}

static const char *
test_title (RetortProfileDialog *dialog)
{
  return adw_preferences_row_get_title (ADW_PREFERENCES_ROW (part (dialog, "test_row")));
}

static const char *
test_subtitle (RetortProfileDialog *dialog)
{
  return adw_action_row_get_subtitle (ADW_ACTION_ROW (part (dialog, "test_row")));
}

static gboolean
shows (RetortProfileDialog *dialog,
       const char          *name)
{
  return gtk_widget_get_visible (GTK_WIDGET (part (dialog, name)));
}

static RetortProfileDialog *
show_dialog (RetortWorkspace *workspace,
             RetortProject   *project,
             RetortProfile   *profile)
{
  RetortProfileDialog *dialog = retort_profile_dialog_new (NULL, workspace, project, profile);

  gtk_window_present (GTK_WINDOW (dialog));
  g_assert_true (spin_until (window_mapped, dialog, 10000));
  return dialog;
}

static void
on_saved (RetortProfileDialog *dialog,
          RetortProfile       *profile,
          gpointer             user_data)
{
  RetortProfile **saved = user_data;

  g_assert_null (*saved);
  *saved = g_object_ref (profile);
}

/* Presses Save and waits for the dialog to close; returns the saved profile. */
static RetortProfile *
save_and_close (RetortProfileDialog *dialog)
{
  RetortProfile *saved = NULL;
  gpointer alive = dialog;

  g_signal_connect (dialog, "saved", G_CALLBACK (on_saved), &saved);
  g_object_add_weak_pointer (G_OBJECT (dialog), &alive);
  press (dialog, "save_button");
  g_assert_true (spin_until (is_null, &alive, 10000));
  g_assert_nonnull (saved);
  return saved;
}

/* --- the workspace ------------------------------------------------------- */

typedef struct {
  RetortWorkspace *workspace;
  RetortProject   *project;     /* the workspace's */
  char            *folder;
} Fixture;

static void
fixture_set_up (Fixture    *fixture,
                const char *name,
                const char *ini_url)
{
  g_autoptr(GError) error = NULL;

  fixture->folder = make_project (name, ini_url);
  fixture->workspace = retort_workspace_new (NULL);
  retort_workspace_load (fixture->workspace, &error);
  g_assert_no_error (error);
  fixture->project = retort_workspace_add_project (fixture->workspace, fixture->folder, &error);
  g_assert_no_error (error);
  g_assert_nonnull (fixture->project);
  g_assert_true (spin_until (project_loaded, fixture->project, 30000));
}

static void
fixture_tear_down (Fixture *fixture)
{
  g_clear_object (&fixture->workspace);
  g_clear_pointer (&fixture->folder, g_free);
  app_test_spin_for (50);
}

static char *
read_config (void)
{
  g_autofree char *path = retort_config_default_path ();
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  return contents;
}

static const RetortProfileEntry *
find_entry (RetortConfig *config,
            const char   *name)
{
  GPtrArray *profiles = retort_config_get_profiles (config);

  for (guint i = 0; i < profiles->len; i++)
    {
      const RetortProfileEntry *entry = g_ptr_array_index (profiles, i);
      if (g_strcmp0 (entry->name, name) == 0)
        return entry;
    }
  return NULL;
}

/* --- tests --------------------------------------------------------------- */

/* An SQLite profile: fill, Test Connection, save, and find it after a restart. */
static void
test_add_sqlite (void)
{
  Fixture fixture = { 0 };
  g_autofree char *database = NULL;
  g_autofree char *config_text = NULL;
  g_autoptr(RetortProfile) saved = NULL;
  g_autoptr(RetortWorkspace) restarted = NULL;
  g_autoptr(GError) error = NULL;
  RetortProfileDialog *dialog;
  const RetortProfileEntry *entry;
  RetortProfile *reloaded;

  fixture_set_up (&fixture, "shop", "sqlite:///shop.db");
  database = g_build_filename (fixture.folder, "shop.db", NULL);
  make_sqlite_database (database);

  dialog = show_dialog (fixture.workspace, fixture.project, NULL);
  /* a new profile starts empty, PostgreSQL by fields, the ini's address offered */
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (dialog)), ==, "New Database");
  g_assert_cmpstr (text_of (dialog, "name_row"), ==, "");
  g_assert_true (shows (dialog, "host_row"));
  g_assert_false (shows (dialog, "address_row"));
  g_assert_false (shows (dialog, "file_row"));
  g_assert_true (shows (dialog, "ini_row"));
  g_assert_cmpstr (adw_action_row_get_subtitle (part (dialog, "ini_row")), ==, "sqlite:///shop.db");
  /* no keyring here: the password is for the session, and says so */
  g_assert_false (shows (dialog, "keyring_row"));
  g_assert_nonnull (strstr (adw_preferences_group_get_description (part (dialog, "password_group")),
                            "session only"));
  g_assert_cmpstr (test_title (dialog), ==, "Not Tested");
  app_test_screenshot (GTK_WIDGET (dialog), "profile-dialog-empty");

  type_into (dialog, "name_row", "shop-local");
  adw_combo_row_set_selected (part (dialog, "engine_row"), 1);  /* SQLite */
  g_assert_true (shows (dialog, "file_row"));
  g_assert_false (shows (dialog, "host_row"));
  g_assert_false (shows (dialog, "password_group"));
  g_assert_false (shows (dialog, "mode_box"));
  type_into (dialog, "file_row", "shop.db");  /* relative to the project */

  press (dialog, "test_button");
  g_assert_true (retort_profile_dialog_get_testing (dialog));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (part (dialog, "test_stack")), ==, "spinner");
  g_assert_false (gtk_widget_get_sensitive (part (dialog, "test_button")));
  g_assert_true (spin_until (not_testing, dialog, 15000));
  g_assert_cmpstr (test_title (dialog), ==, "Connected");
  g_assert_cmpstr (test_subtitle (dialog), ==, "SQLite, version table at 3c9e1f5a");
  g_assert_true (gtk_widget_has_css_class (part (dialog, "test_icon"), "success"));

  adw_combo_row_set_selected (part (dialog, "tier_row"), RETORT_TIER_STAGING);
  gtk_switch_set_active (part (dialog, "read_only_switch"), TRUE);
  adw_combo_row_set_selected (part (dialog, "transaction_row"), RETORT_TRANSACTION_PER_REVISION);
  adw_combo_row_set_selected (part (dialog, "backup_row"), RETORT_BACKUP_BEFORE_APPLY);
  app_test_screenshot (GTK_WIDGET (dialog), "profile-dialog-test-success");

  saved = save_and_close (dialog);
  g_assert_cmpstr (retort_profile_get_name (saved), ==, "shop-local");
  g_assert_false (retort_profile_has_password (saved));
  g_assert_true (retort_workspace_find_profile (fixture.workspace, retort_profile_get_id (saved)) == saved);

  config_text = read_config ();
  g_assert_nonnull (strstr (config_text, "shop-local"));
  g_assert_nonnull (strstr (config_text, "url=sqlite:///shop.db"));
  g_assert_null (strstr (config_text, "password"));

  /* a restart: a new workspace from the same file */
  restarted = retort_workspace_new (NULL);
  retort_workspace_load (restarted, &error);
  g_assert_no_error (error);
  reloaded = retort_workspace_find_profile (restarted, retort_profile_get_id (saved));
  g_assert_nonnull (reloaded);
  entry = retort_profile_get_entry (reloaded);
  g_assert_cmpstr (entry->name, ==, "shop-local");
  g_assert_cmpstr (entry->url, ==, "sqlite:///shop.db");
  g_assert_cmpint (entry->tier, ==, RETORT_TIER_STAGING);
  g_assert_true (entry->read_only);
  g_assert_cmpint (entry->transaction, ==, RETORT_TRANSACTION_PER_REVISION);
  g_assert_cmpint (entry->backup, ==, RETORT_BACKUP_BEFORE_APPLY);
  g_assert_cmpstr (entry->project, ==, retort_project_get_id (fixture.project));

  /* editing it shows what was saved, and a rename sticks */
  dialog = show_dialog (fixture.workspace, fixture.project, saved);
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (dialog)), ==, "Edit Database");
  g_assert_cmpstr (text_of (dialog, "name_row"), ==, "shop-local");
  g_assert_cmpuint (adw_combo_row_get_selected (part (dialog, "engine_row")), ==, 1);
  g_assert_cmpstr (text_of (dialog, "file_row"), ==, "shop.db");
  g_assert_cmpuint (adw_combo_row_get_selected (part (dialog, "tier_row")), ==, RETORT_TIER_STAGING);
  g_assert_true (gtk_switch_get_active (part (dialog, "read_only_switch")));
  type_into (dialog, "name_row", "shop-dev");
  {
    g_autoptr(RetortProfile) edited = save_and_close (dialog);

    g_assert_true (edited == saved);
    g_assert_cmpstr (retort_profile_get_name (saved), ==, "shop-dev");
  }

  /* a missing SQLite file is reported, not created by testing */
  dialog = show_dialog (fixture.workspace, fixture.project, NULL);
  adw_combo_row_set_selected (part (dialog, "engine_row"), 1);
  type_into (dialog, "file_row", "missing.db");
  press (dialog, "test_button");
  g_assert_true (spin_until (not_testing, dialog, 5000));
  g_assert_cmpstr (test_title (dialog), ==, "No Such File");
  {
    g_autofree char *missing = g_build_filename (fixture.folder, "missing.db", NULL);
    g_assert_false (g_file_test (missing, G_FILE_TEST_EXISTS));
  }
  gtk_window_destroy (GTK_WINDOW (dialog));

  fixture_tear_down (&fixture);
}

/* A password in the address is refused inline, and nothing is saved. */
static void
test_password_in_url_refused (void)
{
  Fixture fixture = { 0 };
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  RetortProfileDialog *dialog;
  RetortProfile *saved = NULL;
  guint n_profiles;

  fixture_set_up (&fixture, "billing", "postgresql://localhost/billing");
  before = read_config ();
  n_profiles = retort_config_get_profiles (retort_workspace_get_config (fixture.workspace))->len;

  dialog = show_dialog (fixture.workspace, fixture.project, NULL);
  g_signal_connect (dialog, "saved", G_CALLBACK (on_saved), &saved);

  /* no name first */
  press (dialog, "save_button");
  app_test_spin_for (50);
  g_assert_true (gtk_revealer_get_reveal_child (part (dialog, "error_revealer")));
  g_assert_true (gtk_widget_has_css_class (part (dialog, "name_row"), "error"));

  type_into (dialog, "name_row", "billing-prod");
  g_assert_false (gtk_widget_has_css_class (part (dialog, "name_row"), "error"));
  gtk_toggle_button_set_active (part (dialog, "address_toggle"), TRUE);
  g_assert_true (shows (dialog, "address_row"));
  g_assert_false (shows (dialog, "host_row"));
  type_into (dialog, "address_row", "postgresql://billing:hunter2@db.internal/billing");
  press (dialog, "save_button");
  app_test_spin_for (50);

  g_assert_true (gtk_revealer_get_reveal_child (part (dialog, "error_revealer")));
  g_assert_nonnull (strstr (gtk_label_get_text (part (dialog, "error_label")), "password"));
  g_assert_null (strstr (gtk_label_get_text (part (dialog, "error_label")), "hunter2"));
  g_assert_true (gtk_widget_has_css_class (part (dialog, "address_row"), "error"));
  g_assert_null (saved);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (dialog)));  /* still open */

  /* a conninfo password is refused too */
  type_into (dialog, "address_row", "host=db.internal dbname=billing password=hunter2");
  press (dialog, "save_button");
  app_test_spin_for (50);
  g_assert_null (saved);
  g_assert_true (gtk_widget_has_css_class (part (dialog, "address_row"), "error"));
  app_test_screenshot (GTK_WIDGET (dialog), "profile-dialog-password-refused");

  after = read_config ();
  g_assert_cmpstr (before, ==, after);
  g_assert_null (strstr (after, "hunter2"));
  g_assert_cmpuint (retort_config_get_profiles (retort_workspace_get_config (fixture.workspace))->len,
                    ==, n_profiles);
  g_assert_null (find_entry (retort_workspace_get_config (fixture.workspace), "billing-prod"));

  gtk_window_destroy (GTK_WINDOW (dialog));
  fixture_tear_down (&fixture);
}

/* alembic.ini's address comes in through Use, its password into the
 * password field and never into the address. */
static void
test_ini_address (void)
{
  Fixture fixture = { 0 };
  RetortProfileDialog *dialog;
  const char *subtitle;

  fixture_set_up (&fixture, "inventory", /* %% is how ConfigParser writes a percent sign */
                 "postgresql://app:s3cr%%40t@db.example.com:5433/inventory");
  dialog = show_dialog (fixture.workspace, fixture.project, NULL);

  g_assert_true (shows (dialog, "ini_row"));
  subtitle = adw_action_row_get_subtitle (part (dialog, "ini_row"));
  g_assert_nonnull (strstr (subtitle, "db.example.com"));
  g_assert_null (strstr (subtitle, "s3cr"));

  type_into (dialog, "name_row", "inventory-staging");
  press (dialog, "ini_button");
  g_assert_cmpuint (adw_combo_row_get_selected (part (dialog, "engine_row")), ==, 0);
  g_assert_true (shows (dialog, "host_row"));
  g_assert_cmpstr (text_of (dialog, "host_row"), ==, "db.example.com");
  g_assert_cmpstr (text_of (dialog, "port_row"), ==, "5433");
  g_assert_cmpstr (text_of (dialog, "database_row"), ==, "inventory");
  g_assert_cmpstr (text_of (dialog, "user_row"), ==, "app");
  g_assert_cmpstr (text_of (dialog, "password_row"), ==, "s3cr@t");
  adw_combo_row_set_selected (part (dialog, "tier_row"), RETORT_TIER_STAGING);
  app_test_screenshot (GTK_WIDGET (dialog), "profile-dialog-postgresql");

  /* the address form carries the fields over, still without a password */
  gtk_toggle_button_set_active (part (dialog, "address_toggle"), TRUE);
  g_assert_cmpstr (text_of (dialog, "address_row"), ==, "postgresql://app@db.example.com:5433/inventory");
  gtk_toggle_button_set_active (part (dialog, "fields_toggle"), TRUE);
  g_assert_cmpstr (text_of (dialog, "host_row"), ==, "db.example.com");

  gtk_window_destroy (GTK_WINDOW (dialog));
  fixture_tear_down (&fixture);
}

/* A dialog opened while the project still loads offers the ini's address
 * as soon as the project has read it. */
static void
test_ini_address_after_load (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *folder = make_project ("late-inventory", "postgresql://app@db.example.com/inventory");
  g_autoptr(RetortWorkspace) workspace = retort_workspace_new (NULL);
  RetortProject *project;
  RetortProfileDialog *dialog;
  gboolean loaded_before;

  retort_workspace_load (workspace, &error);
  g_assert_no_error (error);
  project = retort_workspace_add_project (workspace, folder, &error);
  g_assert_no_error (error);
  /* no main-loop turn yet: the load cannot have been taken over */
  loaded_before = retort_project_get_loaded (project);
  g_assert_false (loaded_before);
  dialog = retort_profile_dialog_new (NULL, workspace, project, NULL);
  g_assert_false (gtk_widget_get_visible (part (dialog, "ini_row")));
  gtk_window_present (GTK_WINDOW (dialog));

  g_assert_true (spin_until (project_loaded, project, 30000));
  g_assert_true (gtk_widget_get_visible (part (dialog, "ini_row")));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (part (dialog, "ini_row")), "db.example.com"));
  gtk_window_destroy (GTK_WINDOW (dialog));
}

/* Test Connection against a port nobody listens on: a failure shown inline
 * within the timeout, the main loop never held up; then saved with a typed
 * password that stays out of retort.conf. */
static void
test_dead_port (void)
{
  Fixture fixture = { 0 };
  g_autofree char *port = g_strdup_printf ("%u", free_port ());
  g_autofree char *config_text = NULL;
  g_autoptr(RetortProfile) saved = NULL;
  RetortProfileDialog *dialog;
  gint64 started, longest_gap_us = 0;

  fixture_set_up (&fixture, "ledger", "postgresql://localhost/ledger");
  dialog = show_dialog (fixture.workspace, fixture.project, NULL);

  type_into (dialog, "name_row", "ledger-dead");
  type_into (dialog, "host_row", "127.0.0.1");
  type_into (dialog, "port_row", port);
  type_into (dialog, "database_row", "ledger");
  type_into (dialog, "user_row", "ledger_app");
  type_into (dialog, "password_row", "pw-never-shown-7");

  started = g_get_monotonic_time ();
  press (dialog, "test_button");
  g_assert_true (retort_profile_dialog_get_testing (dialog));
  g_assert_true (app_test_spin_until (not_testing, dialog, 12000, &longest_gap_us));
  g_test_message ("dead port: answered in %" G_GINT64_FORMAT " ms, longest main loop gap %" G_GINT64_FORMAT " ms",
                  (g_get_monotonic_time () - started) / 1000, longest_gap_us / 1000);
  g_assert_cmpint (longest_gap_us, <, APP_TEST_MAX_STALL_US);
  g_assert_cmpstr (test_title (dialog), ==, "Connection Failed");
  g_assert_nonnull (strstr (test_subtitle (dialog), port));
  g_assert_null (strstr (test_subtitle (dialog), "pw-never-shown-7"));
  g_assert_true (gtk_widget_has_css_class (part (dialog, "test_icon"), "error"));
  app_test_screenshot (GTK_WIDGET (dialog), "profile-dialog-test-failure");

  /* editing a field makes the result stale */
  type_into (dialog, "database_row", "ledger2");
  g_assert_cmpstr (test_title (dialog), ==, "Not Tested");
  /* a port that is not a number is caught before any connection */
  type_into (dialog, "port_row", "54x");
  press (dialog, "test_button");
  g_assert_false (retort_profile_dialog_get_testing (dialog));
  g_assert_cmpstr (test_title (dialog), ==, "Cannot Test");
  g_assert_true (gtk_widget_has_css_class (part (dialog, "port_row"), "error"));
  type_into (dialog, "port_row", port);

  saved = save_and_close (dialog);
  g_assert_true (retort_profile_has_password (saved));  /* for the session */
  config_text = read_config ();
  g_assert_nonnull (strstr (config_text, "ledger-dead"));
  g_assert_null (strstr (config_text, "pw-never-shown-7"));
  g_assert_null (strstr (config_text, "password"));
  {
    g_autofree char *expected = g_strdup_printf ("url=postgresql://ledger_app@127.0.0.1:%s/ledger2", port);
    g_assert_nonnull (strstr (config_text, expected));
  }

  /* the session password is used by Test when the field is left empty */
  dialog = show_dialog (fixture.workspace, fixture.project, saved);
  g_assert_cmpstr (text_of (dialog, "password_row"), ==, "");
  g_assert_nonnull (strstr (adw_preferences_group_get_description (part (dialog, "password_group")),
                            "A password is saved"));
  g_assert_cmpstr (text_of (dialog, "host_row"), ==, "127.0.0.1");
  g_assert_cmpstr (text_of (dialog, "port_row"), ==, port);
  gtk_window_destroy (GTK_WINDOW (dialog));

  fixture_tear_down (&fixture);
}

/* A server that takes the connection and never says a word: libpq waits
 * for its connect_timeout (5 s unless the address says otherwise), the
 * window for its own timeout; neither holds up the main loop. */
typedef struct {
  GSocketListener *listener;
  GPtrArray       *accepted;
  guint16          port;
} SilentServer;

static void
on_silent_accept (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  SilentServer *server = user_data;
  GSocketConnection *connection;

  connection = g_socket_listener_accept_finish (G_SOCKET_LISTENER (source), result, NULL, NULL);
  if (connection == NULL)
    return;  /* closed */
  g_ptr_array_add (server->accepted, connection);
  g_socket_listener_accept_async (server->listener, NULL, on_silent_accept, server);
}

static void
silent_server_start (SilentServer *server)
{
  g_autoptr(GError) error = NULL;

  server->listener = g_socket_listener_new ();
  server->accepted = g_ptr_array_new_with_free_func (g_object_unref);
  server->port = free_port ();
  {
    g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
    g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, server->port);

    g_socket_listener_add_address (server->listener, address, G_SOCKET_TYPE_STREAM,
                                   G_SOCKET_PROTOCOL_TCP, NULL, NULL, &error);
    g_assert_no_error (error);
  }
  g_socket_listener_accept_async (server->listener, NULL, on_silent_accept, server);
}

/* Hangs up on everyone: the workers still waiting get their answer. */
static void
silent_server_stop (SilentServer *server)
{
  for (guint i = 0; i < server->accepted->len; i++)
    g_io_stream_close (g_ptr_array_index (server->accepted, i), NULL, NULL);
  g_socket_listener_close (server->listener);
  g_clear_pointer (&server->accepted, g_ptr_array_unref);
  g_clear_object (&server->listener);
  app_test_spin_for (100);
}

static void
test_silent_server (void)
{
  Fixture fixture = { 0 };
  SilentServer server = { 0 };
  g_autofree char *port = NULL;
  g_autofree char *address = NULL;
  RetortProfileDialog *dialog;
  gint64 started, elapsed_ms, longest_gap_us = 0;

  silent_server_start (&server);
  port = g_strdup_printf ("%u", server.port);
  fixture_set_up (&fixture, "warehouse", "postgresql://localhost/warehouse");
  dialog = show_dialog (fixture.workspace, fixture.project, NULL);

  /* libpq gives up first: the connect_timeout the dialog sets */
  type_into (dialog, "name_row", "warehouse");
  type_into (dialog, "host_row", "127.0.0.1");
  type_into (dialog, "port_row", port);
  type_into (dialog, "database_row", "warehouse");
  started = g_get_monotonic_time ();
  press (dialog, "test_button");
  g_assert_true (app_test_spin_until (not_testing, dialog, 15000, &longest_gap_us));
  elapsed_ms = (g_get_monotonic_time () - started) / 1000;
  g_test_message ("silent server: gave up after %" G_GINT64_FORMAT " ms, longest main loop gap %"
                  G_GINT64_FORMAT " ms", elapsed_ms, longest_gap_us / 1000);
  /* libpq's 5 s connect_timeout, or (when libpq tries twice, as a slow
   * sanitizer run made it) the dialog's own 10 s limit: never longer */
  g_assert_cmpint (elapsed_ms, >=, 1500);
  g_assert_cmpint (elapsed_ms, <, 12000);
  g_assert_cmpint (longest_gap_us, <, APP_TEST_MAX_STALL_US);
  if (g_strcmp0 (test_title (dialog), "No Answer") == 0)
    g_assert_nonnull (strstr (test_subtitle (dialog), "did not answer"));
  else
    {
      g_assert_cmpstr (test_title (dialog), ==, "Connection Failed");
      g_assert_nonnull (strstr (test_subtitle (dialog), "timeout"));
    }

  /* an address that waits longer than the window does: the window gives up */
  retort_profile_dialog_set_test_timeout (dialog, 1);
  gtk_toggle_button_set_active (part (dialog, "address_toggle"), TRUE);
  address = g_strdup_printf ("host=127.0.0.1 port=%s dbname=warehouse connect_timeout=60", port);
  type_into (dialog, "address_row", address);
  started = g_get_monotonic_time ();
  press (dialog, "test_button");
  g_assert_true (app_test_spin_until (not_testing, dialog, 5000, &longest_gap_us));
  elapsed_ms = (g_get_monotonic_time () - started) / 1000;
  g_assert_cmpint (elapsed_ms, <, 2500);
  g_assert_cmpint (longest_gap_us, <, APP_TEST_MAX_STALL_US);
  g_assert_cmpstr (test_title (dialog), ==, "No Answer");
  g_assert_cmpstr (test_subtitle (dialog), ==, "The database did not answer within 1 second.");
  app_test_screenshot (GTK_WIDGET (dialog), "profile-dialog-test-timeout");

  /* the late answer, when the server hangs up, is dropped */
  silent_server_stop (&server);
  app_test_spin_for (300);
  g_assert_cmpstr (test_title (dialog), ==, "No Answer");
  g_assert_false (retort_profile_dialog_get_testing (dialog));

  gtk_window_destroy (GTK_WINDOW (dialog));
  fixture_tear_down (&fixture);
}

/* The password prompt: Connect only with a password; the profile gets it. */
static void
on_password_entered (RetortPasswordDialog *dialog,
                     const char           *password,
                     gboolean              remember_in_keyring,
                     gpointer              user_data)
{
  char **entered = user_data;

  g_assert_false (remember_in_keyring);  /* no keyring here */
  *entered = g_strdup (password);
}

static GtkWidget *
password_part (RetortPasswordDialog *dialog,
               const char           *name)
{
  GObject *widget = gtk_widget_get_template_child (GTK_WIDGET (dialog), RETORT_TYPE_PASSWORD_DIALOG, name);

  g_assert_nonnull (widget);
  return GTK_WIDGET (widget);
}

static void
test_password_dialog (void)
{
  Fixture fixture = { 0 };
  RetortProfileEntry fields = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *entered = NULL;
  RetortPasswordDialog *dialog;
  RetortProfile *profile;
  GtkWindow *parent = GTK_WINDOW (adw_window_new ());
  GtkWidget *entry;
  gpointer alive;

  /* the main window's size decides the prompt's layout */
  gtk_window_set_default_size (parent, 1000, 700);
  gtk_window_present (parent);
  g_assert_true (spin_until (window_mapped, parent, 10000));

  fixture_set_up (&fixture, "crm", "postgresql://localhost/crm");
  fields.name = (char *) "crm-prod";
  fields.url = (char *) "postgresql://crm@127.0.0.1:1/crm";
  fields.tier = RETORT_TIER_PRODUCTION;
  profile = retort_workspace_add_profile (fixture.workspace, fixture.project, &fields, &error);
  g_assert_no_error (error);
  g_assert_false (retort_profile_has_password (profile));

  dialog = retort_password_dialog_new (parent, profile);
  g_signal_connect (dialog, "password-entered", G_CALLBACK (on_password_entered), &entered);
  gtk_window_present (GTK_WINDOW (dialog));
  g_assert_true (spin_until (window_mapped, dialog, 10000));
  g_assert_cmpstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog)), ==, "Password for crm-prod");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)), "127.0.0.1"));
  g_assert_false (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "connect"));
  g_assert_false (gtk_widget_get_visible (password_part (dialog, "keyring_check")));
  g_assert_true (gtk_widget_get_visible (password_part (dialog, "session_label")));

  entry = password_part (dialog, "password_entry");
  gtk_editable_set_text (GTK_EDITABLE (entry), "crm-secret");
  g_assert_true (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "connect"));
  app_test_screenshot (GTK_WIDGET (dialog), "password-dialog");

  /* Enter in the entry: the default response */
  alive = dialog;
  g_object_add_weak_pointer (G_OBJECT (dialog), &alive);
  g_signal_emit_by_name (dialog, "activate-default");
  g_assert_true (spin_until (is_null, &alive, 5000));
  g_assert_cmpstr (entered, ==, "crm-secret");
  g_assert_true (retort_profile_has_password (profile));
  {
    g_autoptr(RetortDatabaseUrl) url = retort_profile_build_url (profile, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (retort_database_url_get (url, "password"), ==, "crm-secret");
  }

  /* Cancel leaves the profile as it was */
  retort_profile_set_password (profile, NULL);
  dialog = retort_password_dialog_new (parent, profile);
  g_signal_connect (dialog, "password-entered", G_CALLBACK (on_password_entered), &entered);
  gtk_window_present (GTK_WINDOW (dialog));
  alive = dialog;
  g_object_add_weak_pointer (G_OBJECT (dialog), &alive);
  gtk_editable_set_text (GTK_EDITABLE (password_part (dialog, "password_entry")), "not-this");
  gtk_window_close (GTK_WINDOW (dialog));  /* Escape: the close response */
  g_assert_true (spin_until (is_null, &alive, 5000));
  g_assert_false (retort_profile_has_password (profile));
  g_assert_cmpstr (entered, ==, "crm-secret");

  gtk_window_destroy (parent);
  fixture_tear_down (&fixture);
}

/* --- the keyring probe --------------------------------------------------- */

typedef struct {
  gboolean done;
  gboolean available;
  char    *password;
  GError  *error;
} Answer;

static void
on_probed (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Answer *answer = user_data;

  answer->available = retort_secrets_probe_finish (result, &answer->error);
  answer->done = TRUE;
}

static void
on_looked_up (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Answer *answer = user_data;

  answer->password = retort_secrets_lookup_finish (result, &answer->error);
  answer->done = TRUE;
}

static gboolean
answered (gpointer data)
{
  return ((Answer *) data)->done;
}

/* Without a session bus nothing is asked and nothing waits. */
static void
test_secrets_without_bus (void)
{
  Answer answer = { 0 };
  gint64 started = g_get_monotonic_time ();

  g_assert_null (g_getenv ("DBUS_SESSION_BUS_ADDRESS"));
  g_assert_false (retort_secrets_available ());
  g_assert_cmpint (g_get_monotonic_time () - started, <, 5000);

  retort_secrets_lookup_async ("some-profile", NULL, on_looked_up, &answer);
  g_assert_true (spin_until (answered, &answer, 1000));
  g_assert_no_error (answer.error);
  g_assert_null (answer.password);
  g_assert_cmpint (g_get_monotonic_time () - started, <, 500 * 1000);
}

/* A private session bus: a dbus-daemon of our own, with no services to
 * activate. (GTestDBus is not used: GLib 2.74 sometimes hands its daemon a
 * closed --print-address descriptor, and the daemon then never answers.) */
typedef struct {
  GSubprocess *daemon;
  char        *address;
} PrivateBus;

static void
private_bus_up (PrivateBus *bus)
{
  g_autofree char *config = g_build_filename (app_test_root (), "session-bus.conf", NULL);
  g_autoptr(GDataInputStream) output = NULL;
  g_autoptr(GError) error = NULL;

  app_test_write_file (config,
              "<busconfig>\n"
              "  <type>session</type>\n"
              "  <listen>unix:tmpdir=/tmp</listen>\n"
              "  <policy context=\"default\">\n"
              "    <allow send_destination=\"*\" eavesdrop=\"true\"/>\n"
              "    <allow eavesdrop=\"true\"/>\n"
              "    <allow own=\"*\"/>\n"
              "  </policy>\n"
              "</busconfig>\n");
  bus->daemon = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                                  &error, "dbus-daemon", "--nofork", "--print-address=1",
                                  "--config-file", config, NULL);
  g_assert_no_error (error);
  output = g_data_input_stream_new (g_subprocess_get_stdout_pipe (bus->daemon));
  bus->address = g_data_input_stream_read_line (output, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (bus->address);
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", bus->address, TRUE);
}

static void
private_bus_down (PrivateBus *bus)
{
  g_unsetenv ("DBUS_SESSION_BUS_ADDRESS");
  g_subprocess_force_exit (bus->daemon);
  g_subprocess_wait (bus->daemon, NULL, NULL);
  g_clear_object (&bus->daemon);
  g_clear_pointer (&bus->address, g_free);
}

static GDBusConnection *
private_bus_connect (PrivateBus *bus)
{
  g_autoptr(GError) error = NULL;
  GDBusConnection *connection;

  connection = g_dbus_connection_new_for_address_sync (bus->address,
                                                       G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                       G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                       NULL, NULL, &error);
  g_assert_no_error (error);
  return connection;
}

static void
on_name_acquired (GDBusConnection *connection,
                  const char      *name,
                  gpointer         user_data)
{
  *(gboolean *) user_data = TRUE;
}

static gboolean
is_true (gpointer data)
{
  return *(gboolean *) data;
}

/* A bus without a secret service says no; one where the name is owned says
 * yes. (The service itself is not faked: lookups are libsecret's.) */
static void
test_secrets_probe (void)
{
  g_autofree char *daemon = g_find_program_in_path ("dbus-daemon");
  PrivateBus bus = { 0 };

  if (daemon == NULL)
    {
      g_test_skip ("no dbus-daemon");
      return;
    }

  /* a bus with nobody offering secrets */
  private_bus_up (&bus);
  {
    Answer answer = { 0 };
    gint64 started = g_get_monotonic_time ();

    g_assert_false (retort_secrets_available ());  /* not known yet: starts a probe */
    g_assert_cmpint (g_get_monotonic_time () - started, <, 5000);
    retort_secrets_probe_async (NULL, on_probed, &answer);
    g_assert_true (spin_until (answered, &answer, 5000));
    g_assert_no_error (answer.error);
    g_assert_false (answer.available);
    g_assert_false (retort_secrets_available ());
  }
  private_bus_down (&bus);

  /* a bus where the name is owned */
  private_bus_up (&bus);
  {
    g_autoptr(GDBusConnection) owner_connection = private_bus_connect (&bus);
    Answer answer = { 0 };
    gboolean acquired = FALSE;
    guint owner = g_bus_own_name_on_connection (owner_connection, "org.freedesktop.secrets",
                                                G_BUS_NAME_OWNER_FLAGS_NONE, on_name_acquired, NULL,
                                                &acquired, NULL);

    g_assert_true (spin_until (is_true, &acquired, 5000));
    retort_secrets_probe_async (NULL, on_probed, &answer);
    g_assert_true (spin_until (answered, &answer, 5000));
    g_assert_no_error (answer.error);
    g_assert_true (answer.available);
    g_assert_true (retort_secrets_available ());

    /* with a keyring, the forms offer it (nothing is stored: no Save) */
    {
      Fixture fixture = { 0 };
      RetortProfileDialog *dialog;
      const char *description;

      fixture_set_up (&fixture, "keyring", "postgresql://localhost/keyring");
      dialog = show_dialog (fixture.workspace, fixture.project, NULL);
      g_assert_true (shows (dialog, "keyring_row"));
      g_assert_true (gtk_switch_get_active (part (dialog, "keyring_switch")));
      description = adw_preferences_group_get_description (part (dialog, "password_group"));
      g_assert_true (description == NULL || *description == '\0');  /* no "session only" */
      type_into (dialog, "name_row", "keyring-dev");
      type_into (dialog, "host_row", "db.internal");
      type_into (dialog, "password_row", "kept-in-keyring");
      app_test_screenshot (GTK_WIDGET (dialog), "profile-dialog-keyring");
      gtk_window_destroy (GTK_WINDOW (dialog));
      fixture_tear_down (&fixture);
    }
    g_bus_unown_name (owner);
    g_dbus_connection_close_sync (owner_connection, NULL, NULL);
  }
  private_bus_down (&bus);

  /* the bus gone: no again, at once */
  g_assert_false (retort_secrets_available ());
}

/* --- PostgreSQL with password authentication ---------------------------- */

static RetortBackend *
pg_superuser (void)
{
  g_autoptr(RetortDatabaseUrl) url = NULL;
  g_autoptr(GError) error = NULL;
  RetortBackend *backend;

  url = retort_database_url_parse (g_getenv ("RETORT_TEST_PG"), NULL, &error);
  g_assert_no_error (error);
  backend = retort_backend_new (url, &error);
  g_assert_no_error (error);
  g_assert_true (retort_backend_open (backend, &error));
  g_assert_no_error (error);
  return backend;
}

static gboolean
password_is_checked (gpointer data)
{
  g_autofree char *text = g_strdup_printf ("host=127.0.0.1 port=%s user=retort_tester dbname=postgres password=wrong",
                                           g_getenv ("RETORT_TEST_PG_PORT"));
  g_autoptr(RetortDatabaseUrl) url = retort_database_url_parse (text, NULL, NULL);
  g_autoptr(RetortBackend) backend = retort_backend_new (url, NULL);
  g_autoptr(GError) error = NULL;

  if (retort_backend_open (backend, &error))
    {
      retort_backend_close (backend);
      return FALSE;
    }
  return TRUE;
}

static void
test_postgresql_wrong_password (void)
{
  Fixture fixture = { 0 };
  g_autoptr(RetortBackend) admin = NULL;
  g_autoptr(GPtrArray) hba = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(RetortProfile) saved = NULL;
  g_autofree char *copy_sql = NULL;
  g_autofree char *config_text = NULL;
  RetortProfileDialog *dialog;
  const char *port = g_getenv ("RETORT_TEST_PG_PORT");

  if (g_getenv ("RETORT_TEST_PG") == NULL || port == NULL)
    {
      g_test_skip ("no PostgreSQL server (run under tests/pg/with-postgres.sh)");
      return;
    }

  /* The throwaway cluster trusts everyone (initdb -A trust). This test's
   * own cluster is changed to ask retort_tester for a password over TCP;
   * the superuser stays trusted. */
  admin = pg_superuser ();
  run_sql (admin, "CREATE ROLE retort_tester LOGIN PASSWORD 'right-horse-battery'");
  hba = retort_backend_query_column (admin, "SHOW hba_file", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hba->len, ==, 1);
  copy_sql = g_strdup_printf ("COPY (VALUES ('local all all trust'), "
                              "('host all postgres 127.0.0.1/32 trust'), "
                              "('host all all 127.0.0.1/32 scram-sha-256')) TO '%s'",
                              (const char *) g_ptr_array_index (hba, 0));
  run_sql (admin, copy_sql);
  g_clear_pointer (&hba, g_ptr_array_unref);
  hba = retort_backend_query_column (admin, "SELECT pg_reload_conf()::text", &error);
  g_assert_no_error (error);
  retort_backend_close (admin);
  g_assert_true (spin_until (password_is_checked, NULL, 10000));

  fixture_set_up (&fixture, "payroll", "postgresql://localhost/payroll");
  dialog = show_dialog (fixture.workspace, fixture.project, NULL);
  type_into (dialog, "name_row", "payroll-test");
  type_into (dialog, "host_row", "127.0.0.1");
  type_into (dialog, "port_row", port);
  type_into (dialog, "database_row", "postgres");
  type_into (dialog, "user_row", "retort_tester");
  type_into (dialog, "password_row", "wrong-horse");

  press (dialog, "test_button");
  g_assert_true (spin_until (not_testing, dialog, 15000));
  g_assert_cmpstr (test_title (dialog), ==, "Connection Failed");
  g_assert_nonnull (strstr (test_subtitle (dialog), "password authentication failed"));
  g_assert_null (strstr (test_subtitle (dialog), "wrong-horse"));
  app_test_screenshot (GTK_WIDGET (dialog), "profile-dialog-pg-wrong-password");

  type_into (dialog, "password_row", "right-horse-battery");
  press (dialog, "test_button");
  g_assert_true (spin_until (not_testing, dialog, 15000));
  g_assert_cmpstr (test_title (dialog), ==, "Connected");
  g_assert_cmpstr (test_subtitle (dialog), ==, "PostgreSQL, no version table, no tables");
  app_test_screenshot (GTK_WIDGET (dialog), "profile-dialog-pg-connected");

  saved = save_and_close (dialog);
  g_assert_true (retort_profile_has_password (saved));
  config_text = read_config ();
  g_assert_null (strstr (config_text, "right-horse-battery"));
  /* saving starts the profile's own check; let its worker finish connecting
   * before the process exits (libpq's TLS/SCRAM code must not outlive
   * OpenSSL's exit handlers) */
  g_assert_true (spin_until (profile_checked, saved, 15000));
  g_assert_cmpint (retort_profile_get_state (saved), ==, RETORT_PROFILE_STATE_NOT_VERSIONED);

  fixture_tear_down (&fixture);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  /* English strings are asserted; and no session bus, so the keyring is
   * "not available" unless a test starts a bus of its own */
  g_unsetenv ("LANGUAGE");
  g_unsetenv ("DBUS_SESSION_BUS_ADDRESS");
  if (!app_test_init (&argc, &argv))
    return 0;

  g_test_add_func ("/profile-dialog/add-sqlite", test_add_sqlite);
  g_test_add_func ("/profile-dialog/password-in-url-refused", test_password_in_url_refused);
  g_test_add_func ("/profile-dialog/ini-address", test_ini_address);
  g_test_add_func ("/profile-dialog/ini-address-after-load", test_ini_address_after_load);
  g_test_add_func ("/profile-dialog/dead-port", test_dead_port);
  g_test_add_func ("/profile-dialog/silent-server", test_silent_server);
  g_test_add_func ("/profile-dialog/password-dialog", test_password_dialog);
  g_test_add_func ("/profile-dialog/secrets/without-bus", test_secrets_without_bus);
  g_test_add_func ("/profile-dialog/secrets/probe", test_secrets_probe);
  g_test_add_func ("/profile-dialog/postgresql/wrong-password", test_postgresql_wrong_password);

  status = g_test_run ();
  app_test_cleanup ();
  return status;
}
