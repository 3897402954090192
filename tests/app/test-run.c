/* test-run.c — upgrades, downgrades and stamps from the window, end to end
 *
 * Drives the real window: actions, the confirmation dialog, the stamp
 * assistant, the run pane and its log, the failure dialog; against the
 * demo's SQLite databases and databases on a throwaway PostgreSQL cluster
 * (tests/pg/with-postgres.sh), read back with the core's own backend.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-run"

#include "config.h"
#include "retort-app-config.h"

#include <string.h>

#include <adwaita.h>
#include <glib/gstdio.h>

#include "app-test-util.h"
#include "retort-demo.h"
#include "retort-run-dialog.h"
#include "retort-run-pane.h"
#include "retort-run-session.h"
#include "retort-stamp-assistant.h"

/* --- helpers ------------------------------------------------------------- */

static RetortWindow *
open_window (RetortWorkspace *workspace)
{
  RetortWindow *window = retort_window_new (NULL, workspace);

  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 900);
  app_test_show (GTK_WINDOW (window));
  g_assert_true (app_test_spin_until (app_test_all_checked, workspace, 30000, NULL));
  return window;
}

static RetortProject *
first_project (RetortWorkspace *workspace)
{
  g_autoptr(RetortProject) project = g_list_model_get_item (retort_workspace_get_projects (workspace), 0);
  return project;  /* the workspace keeps it */
}

typedef struct {
  GType    type;
  gpointer found;
} FindToplevel;

static gboolean
toplevel_shown (gpointer data)
{
  FindToplevel *find = data;
  GListModel *toplevels = gtk_window_get_toplevels ();

  find->found = NULL;
  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);
      if (G_TYPE_CHECK_INSTANCE_TYPE (window, find->type) && gtk_widget_get_visible (GTK_WIDGET (window)) &&
          (find->type != ADW_TYPE_MESSAGE_DIALOG || gtk_widget_has_css_class (GTK_WIDGET (window), "run-failure")))
        find->found = window;
    }
  return find->found != NULL;
}

/* the toplevel of type that appears within a few seconds (asserted) */
static gpointer
wait_for_toplevel (GType type)
{
  FindToplevel find = { type, NULL };

  g_assert_true (app_test_spin_until (toplevel_shown, &find, 10000, NULL));
  return find.found;
}

static gboolean
no_toplevel (GType type)
{
  FindToplevel find = { type, NULL };

  app_test_spin_for (300);
  return !toplevel_shown (&find);
}

static gboolean
session_finished (gpointer data)
{
  RetortProfile *profile = data;
  RetortRunSession *session = retort_run_session_get_latest (profile);

  return session != NULL && !retort_run_session_get_running (session);
}

static gboolean
profile_checked (gpointer data)
{
  RetortProfileState state = retort_profile_get_state (data);
  return state != RETORT_PROFILE_STATE_CHECKING && state != RETORT_PROFILE_STATE_UNCHECKED;
}

/* waits for the run on profile to end, then for the check that follows */
static RetortRunSession *
wait_for_run (RetortProfile *profile,
              guint          timeout_ms)
{
  gint64 longest = 0;

  g_assert_true (app_test_spin_until (session_finished, profile, timeout_ms, &longest));
  /* the run was on its worker: the window kept drawing */
  g_test_message ("longest main-loop iteration during the run: %.1f ms", longest / 1000.0);
  g_assert_cmpint (longest, <, APP_TEST_MAX_STALL_US);
  app_test_spin_for (100);
  g_assert_true (app_test_spin_until (profile_checked, profile, 20000, NULL));
  return retort_run_session_get_latest (profile);
}

static RetortRunPane *
run_pane_of (RetortWindow *window)
{
  RetortRunPane *pane = RETORT_RUN_PANE (retort_window_get_run_pane (window));

  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (pane)));
  return pane;
}

/* a GtkButton that is not realized yet ignores activation */
static gboolean
widget_mapped (gpointer data)
{
  return gtk_widget_get_mapped (data);
}

static void
run_action (RetortWindow *window,
            const char   *action,
            const char   *target)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), action, target != NULL ? "s" : NULL, target));
}

/* the log's text: every line, as saved */
static char *
log_text (RetortRunSession *session)
{
  RetortRunLog *log = retort_run_session_get_log (session);

  retort_run_log_flush (log);
  return retort_run_log_get_text (log);
}

static int
compare_ids (gconstpointer a,
             gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/* What Debian's alembic says of the database at url: `alembic current`
 * over the same script directory, its revision lines sorted. A database a
 * run from the window touched reads the same in Alembic. */
static char *
alembic_current (const char *script_location,
                 const char *url)
{
  g_autofree char *ini = g_build_filename (app_test_root (), "alembic-current.ini", NULL);
  g_autofree char *project_ini = g_build_filename (script_location, "alembic.ini", NULL);
  g_autofree char *project_text = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  g_auto(GStrv) ini_lines = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  int status = 0;
  const char *argv[] = { "/usr/bin/python3", "-m", "alembic", "-c", ini, "current", NULL };

  /* the project's own alembic.ini (its env.py wants the logging sections),
   * pointed at its folder and at this database */
  g_assert_true (g_file_get_contents (project_ini, &project_text, NULL, NULL));
  ini_lines = g_strsplit (project_text, "\n", -1);
  for (guint i = 0; ini_lines[i] != NULL; i++)
    {
      if (g_str_has_prefix (ini_lines[i], "script_location"))
        g_string_append_printf (text, "script_location = %s\n", script_location);
      else if (g_str_has_prefix (ini_lines[i], "sqlalchemy.url"))
        g_string_append_printf (text, "sqlalchemy.url = %s\n", url);
      else
        g_string_append_printf (text, "%s\n", ini_lines[i]);
    }
  app_test_write_file (ini, text->str);
  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status, &error))
    g_error ("alembic: %s", error->message);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("alembic current failed: %s", err);
  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      /* "1f3a9c2e7b10" or "7b4e2f8a3d95 (head)" */
      char *space = strchr (lines[i], ' ');
      if (space != NULL)
        *space = '\0';
      if (*lines[i] != '\0')
        g_ptr_array_add (ids, lines[i]);
    }
  g_ptr_array_sort (ids, compare_ids);
  g_ptr_array_add (ids, NULL);
  return g_strjoinv (",", (char **) ids->pdata);
}

/* --- PostgreSQL ------------------------------------------------------------ */

static const char *
pg_server (void)
{
  const char *server = g_getenv ("RETORT_TEST_PG");

  if (server == NULL)
    g_test_skip ("no PostgreSQL: run under tests/pg/with-postgres.sh (meson test does)");
  return server;
}

/* a fresh database; its conninfo */
static char *
pg_database (const char *name)
{
  g_autoptr(RetortDatabaseUrl) admin_url = NULL;
  g_autoptr(RetortBackend) admin = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *drop = g_strdup_printf ("DROP DATABASE IF EXISTS %s", name);
  g_autofree char *create = g_strdup_printf ("CREATE DATABASE %s", name);

  admin_url = retort_database_url_parse (pg_server (), NULL, &error);
  g_assert_no_error (error);
  admin = retort_backend_new (admin_url, &error);
  g_assert_true (retort_backend_open (admin, &error));
  retort_backend_execute (admin, drop, NULL, NULL);
  g_assert_true (retort_backend_execute (admin, create, NULL, &error));
  retort_backend_close (admin);
  return g_strdup_printf ("%s dbname=%s", pg_server (), name);
}

static RetortBackend *
pg_open (const char *conninfo)
{
  g_autoptr(RetortDatabaseUrl) url = NULL;
  g_autoptr(GError) error = NULL;
  RetortBackend *backend;

  url = retort_database_url_parse (conninfo, NULL, &error);
  g_assert_no_error (error);
  backend = retort_backend_new (url, &error);
  g_assert_no_error (error);
  g_assert_true (retort_backend_open (backend, &error));
  return backend;
}

static void
pg_execute (const char *conninfo,
            const char *sql)
{
  g_autoptr(RetortBackend) backend = pg_open (conninfo);
  g_autoptr(GError) error = NULL;

  g_assert_true (retort_backend_run_script (backend, sql, NULL, NULL, &error));
  g_assert_no_error (error);
  retort_backend_close (backend);
}

/* one column of a query, joined with commas */
static char *
pg_query (const char *conninfo,
          const char *sql)
{
  g_autoptr(RetortBackend) backend = pg_open (conninfo);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = retort_backend_query_column (backend, sql, &error);
  g_autoptr(GString) text = g_string_new (NULL);

  g_assert_no_error (error);
  for (guint i = 0; i < rows->len; i++)
    g_string_append_printf (text, "%s%s", i > 0 ? "," : "", (char *) g_ptr_array_index (rows, i));
  retort_backend_close (backend);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* A script directory of .sql revisions: a1 creates items, then a2 is
 * given by the test (a failing statement, a long sleep, a lock). */
static char *
sql_project (const char *name,
             const char *second_upgrade)
{
  g_autofree char *root = g_build_filename (app_test_root (), name, NULL);
  g_autofree char *first = g_build_filename (root, "versions", "a1_items.sql", NULL);
  g_autofree char *second = g_build_filename (root, "versions", "a2_second.sql", NULL);
  g_autofree char *second_text = g_strdup_printf ("-- the second revision\n"
                                                  "--\n"
                                                  "-- Revision ID: a2000000000b\n"
                                                  "-- Revises: a1000000000a\n"
                                                  "\n"
                                                  "-- retort:upgrade\n"
                                                  "%s\n"
                                                  "\n"
                                                  "-- retort:downgrade\n"
                                                  "SELECT 1;\n", second_upgrade);

  g_autofree char *versions = g_build_filename (root, "versions", NULL);

  g_assert_cmpint (g_mkdir_with_parents (versions, 0755), ==, 0);
  app_test_write_file (first, "-- create items\n"
                              "--\n"
                              "-- Revision ID: a1000000000a\n"
                              "-- Revises:\n"
                              "\n"
                              "-- retort:upgrade\n"
                              "CREATE TABLE items (id integer PRIMARY KEY);\n"
                              "\n"
                              "-- retort:downgrade\n"
                              "DROP TABLE items;\n");
  app_test_write_file (second, second_text);
  return g_steal_pointer (&root);
}

/* a workspace over folder with one profile; the config's path */
static char *
config_with_profile (const char *name,
                     const char *folder,
                     const char *url,
                     RetortTier  tier,
                     gboolean    read_only)
{
  g_autofree char *path = app_test_config_path (name);
  g_autoptr(RetortConfig) config = retort_config_new (path);
  g_autoptr(GError) error = NULL;
  RetortProjectEntry *project = retort_config_add_project (config, name, folder);
  RetortProfileEntry *profile = retort_config_add_profile (config, project->id, name, url, &error);

  g_assert_no_error (error);
  profile->tier = tier;
  profile->read_only = read_only;
  g_assert_true (retort_config_save (config, &error));
  return g_steal_pointer (&path);
}

/* A PostgreSQL database at a1 (items made, one pending revision a2 whose
 * upgrade is second_upgrade), one profile on it, and a window showing it. */
typedef struct {
  char            *conninfo;
  char            *config;
  RetortWorkspace *workspace;
  RetortWindow    *window;
  RetortProfile   *profile;
} PgFixture;

static gboolean
pg_fixture_open (PgFixture  *fixture,
                 const char *name,
                 const char *second_upgrade,
                 RetortTier  tier)
{
  g_autofree char *database = NULL;
  g_autofree char *folder = NULL;

  if (pg_server () == NULL)
    return FALSE;
  database = g_strdelimit (g_strconcat ("retort_run_", name, NULL), "-", '_');
  fixture->conninfo = pg_database (database);
  folder = sql_project (name, second_upgrade);
  pg_execute (fixture->conninfo, "CREATE TABLE items (id integer PRIMARY KEY);"
                                 "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY);"
                                 "INSERT INTO alembic_version VALUES ('a1000000000a');");
  fixture->config = config_with_profile (name, folder, fixture->conninfo, tier, FALSE);
  fixture->workspace = retort_workspace_new (fixture->config);
  g_assert_true (retort_workspace_load (fixture->workspace, NULL));
  fixture->window = open_window (fixture->workspace);
  fixture->profile = app_test_profile_named (fixture->workspace, name);
  g_assert_cmpuint (retort_profile_get_n_pending (fixture->profile), ==, 1);
  retort_window_select (fixture->window, first_project (fixture->workspace), fixture->profile);
  app_test_spin_for (200);
  return TRUE;
}

static void
pg_fixture_close (PgFixture *fixture)
{
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  g_clear_object (&fixture->workspace);
  g_free (fixture->conninfo);
  g_free (fixture->config);
}

/* --- tests --------------------------------------------------------------- */

/* The demo's staging upgraded to its heads from the window: confirmation,
 * log, progress, then the pins and the status read again. */
static void
test_upgrade_demo (void)
{
  g_autofree char *config = app_test_demo_config ();
  g_autoptr(RetortWorkspace) workspace = retort_workspace_new (config);
  RetortWindow *window;
  RetortProfile *staging;
  RetortRunDialog *dialog;
  RetortRunSession *session;
  RetortRunPane *pane;
  g_autofree char *text = NULL;
  g_autofree char *pins = NULL;

  g_assert_true (retort_workspace_load (workspace, NULL));
  window = open_window (workspace);
  staging = app_test_profile_named (workspace, "staging");
  g_assert_cmpuint (retort_profile_get_n_pending (staging), ==, 2);
  retort_window_select (window, first_project (workspace), staging);
  app_test_spin_for (300);

  run_action (window, "win.upgrade", "heads");
  dialog = wait_for_toplevel (RETORT_TYPE_RUN_DIALOG);
  g_assert_null (retort_run_dialog_get_refusal (dialog));
  g_assert_nonnull (strstr (retort_run_dialog_get_sql (dialog), "UPDATE alembic_version"));
  app_test_screenshot (GTK_WIDGET (dialog), "run-confirm-staging");
  g_assert_true (retort_run_dialog_confirm (dialog));

  session = wait_for_run (staging, 30000);
  g_assert_cmpint (retort_run_session_get_state (session), ==, RETORT_RUN_SESSION_SUCCEEDED);
  g_assert_cmpuint (retort_run_session_get_n_applied (session), ==, 2);
  g_assert_cmpuint (retort_run_session_get_n_steps (session), ==, 2);

  /* the log: both revisions' headings, their statements, the outcome */
  text = log_text (session);
  g_test_message ("log:\n%s", text);
  g_assert_nonnull (strstr (text, "8c6f9a2b4e17"));
  g_assert_nonnull (strstr (text, "9d8a1b3c5f20"));
  g_assert_nonnull (strstr (text, "CREATE"));
  g_assert_nonnull (strstr (text, "Applied 2 revisions"));

  pane = run_pane_of (window);
  g_assert_nonnull (strstr (retort_run_pane_get_progress_text (pane), "Applied 2 revisions"));
  g_assert_cmpfloat (retort_run_pane_get_fraction (pane), ==, 1.0);

  /* read again from the database: up to date, the pin on both heads */
  g_assert_cmpint (retort_profile_get_state (staging), ==, RETORT_PROFILE_STATE_UP_TO_DATE);
  app_test_spin_for (300);
  g_assert_nonnull (strstr (retort_window_get_status_text (window), "Up to date"));
  pins = app_test_row_pins (window, "9d8a1b3c5f20");
  g_assert_cmpstr (pins, ==, "dev-local,staging");
  app_test_screenshot (GTK_WIDGET (window), "run-upgraded-staging");
  {
    /* and Alembic reads the same */
    g_autofree char *current = alembic_current (RETORT_DEMO_DIR, retort_profile_get_entry (staging)->url);
    g_assert_cmpstr (current, ==, "7b4e2f8a3d95,9d8a1b3c5f20");
  }

  /* another database: no pane (it has no run); back: the same run again */
  retort_window_select (window, first_project (workspace), app_test_profile_named (workspace, "dev-local"));
  app_test_spin_for (100);
  g_assert_false (gtk_widget_get_visible (retort_window_get_run_pane (window)));
  retort_window_select (window, first_project (workspace), staging);
  app_test_spin_for (100);
  g_assert_true (retort_run_pane_get_session (run_pane_of (window)) == session);

  gtk_window_destroy (GTK_WINDOW (window));
  retort_demo_remove (config);
}

/* Production: nothing runs until its name is typed, exactly. */
static void
test_production_confirmation (void)
{
  g_autofree char *config = app_test_demo_config ();
  g_autoptr(RetortWorkspace) workspace = retort_workspace_new (config);
  RetortWindow *window;
  RetortProfile *production;
  RetortRunDialog *dialog;
  RetortRunSession *session;

  g_assert_true (retort_workspace_load (workspace, NULL));
  window = open_window (workspace);
  production = app_test_profile_named (workspace, "production");
  retort_window_select (window, first_project (workspace), production);
  app_test_spin_for (300);

  run_action (window, "win.upgrade", "heads");
  dialog = wait_for_toplevel (RETORT_TYPE_RUN_DIALOG);
  g_assert_false (retort_run_dialog_get_can_confirm (dialog));
  retort_run_dialog_set_typed_name (dialog, "producton");
  app_test_spin_for (100);
  g_assert_false (retort_run_dialog_get_can_confirm (dialog));
  app_test_screenshot (GTK_WIDGET (dialog), "run-confirm-production-wrong-name");
  g_assert_false (retort_run_dialog_confirm (dialog));
  app_test_spin_for (300);
  g_assert_null (retort_run_session_get_latest (production));
  g_assert_cmpuint (retort_profile_get_n_pending (production), ==, 6);

  retort_run_dialog_set_typed_name (dialog, "production");
  app_test_spin_for (100);
  g_assert_true (retort_run_dialog_get_can_confirm (dialog));
  g_assert_true (retort_run_dialog_confirm (dialog));
  session = wait_for_run (production, 30000);
  g_assert_cmpint (retort_run_session_get_state (session), ==, RETORT_RUN_SESSION_SUCCEEDED);
  g_assert_cmpuint (retort_run_session_get_n_applied (session), ==, 6);
  g_assert_cmpint (retort_profile_get_state (production), ==, RETORT_PROFILE_STATE_UP_TO_DATE);
  app_test_screenshot (GTK_WIDGET (window), "run-upgraded-production");

  gtk_window_destroy (GTK_WINDOW (window));
  retort_demo_remove (config);
}

/* A read-only database refuses every run, before any dialog. */
static void
test_read_only_refused (void)
{
  static const char * const rows[] = { "1f3a9c2e7b10", NULL };
  g_autofree char *db = app_test_sqlite_db ("read-only", rows);
  g_autofree char *url = g_strconcat ("sqlite:///", db, NULL);
  g_autofree char *config = config_with_profile ("read-only", RETORT_DEMO_DIR, url, RETORT_TIER_STAGING, TRUE);
  g_autoptr(RetortWorkspace) workspace = retort_workspace_new (config);
  RetortWindow *window;
  RetortProfile *profile;

  g_assert_true (retort_workspace_load (workspace, NULL));
  window = open_window (workspace);
  profile = app_test_profile_named (workspace, "read-only");
  g_assert_cmpint (retort_profile_get_state (profile), ==, RETORT_PROFILE_STATE_PENDING);
  retort_window_select (window, first_project (workspace), profile);
  app_test_spin_for (300);

  run_action (window, "win.upgrade", "heads");
  g_assert_true (no_toplevel (RETORT_TYPE_RUN_DIALOG));
  run_action (window, "win.stamp-assistant", NULL);
  g_assert_true (no_toplevel (RETORT_TYPE_STAMP_ASSISTANT));
  g_assert_null (retort_run_session_get_latest (profile));

  /* and the session itself refuses, whoever asks */
  {
    g_autoptr(RetortRun) run = retort_run_new (retort_project_get_map (first_project (workspace)),
                                               RETORT_RUN_UPGRADE, (const char *[]) { "heads", NULL });
    g_autoptr(RetortRunSession) session = retort_run_session_new (profile, first_project (workspace), run);
    g_autoptr(GError) error = NULL;

    g_assert_false (retort_run_session_start (session, &error));
    g_assert_error (error, RETORT_RUN_SESSION_ERROR, RETORT_RUN_SESSION_ERROR_READ_ONLY);
  }
  gtk_window_destroy (GTK_WINDOW (window));
}

/* A statement fails mid-upgrade on PostgreSQL: the failure dialog names
 * the revision, line, statement, SQLSTATE and server message, and the
 * version table still holds what it held. */
static void
test_failure_dialog (void)
{
  PgFixture fixture = { 0 };
  const char *conninfo;
  g_autofree char *version = NULL;
  g_autofree char *tables = NULL;
  RetortWindow *window;
  RetortProfile *profile;
  RetortRunSession *session;
  AdwMessageDialog *failure;
  g_autoptr(GString) facts = g_string_new (NULL);

  if (!pg_fixture_open (&fixture, "failure", "CREATE TABLE parts (id integer);\nINSERT INTO missing_table VALUES (1);",
                        RETORT_TIER_STAGING))
    return;
  conninfo = fixture.conninfo;
  window = fixture.window;
  profile = fixture.profile;

  run_action (window, "win.upgrade", "head");
  g_assert_true (retort_run_dialog_confirm (wait_for_toplevel (RETORT_TYPE_RUN_DIALOG)));
  failure = wait_for_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  session = wait_for_run (profile, 30000);
  g_assert_cmpint (retort_run_session_get_state (session), ==, RETORT_RUN_SESSION_FAILED);
  g_assert_cmpstr (retort_run_session_get_step_revision (session), ==, "a2000000000b");

  app_test_collect_labels (adw_message_dialog_get_extra_child (failure), "monospace", facts);
  g_string_append_printf (facts, "%s\n", adw_message_dialog_get_body (failure));
  {
    /* every label of the facts grid */
    GtkWidget *grid = adw_message_dialog_get_extra_child (failure);
    for (GtkWidget *c = gtk_widget_get_first_child (grid); c != NULL; c = gtk_widget_get_next_sibling (c))
      if (GTK_IS_LABEL (c))
        g_string_append_printf (facts, "%s\n", gtk_label_get_text (GTK_LABEL (c)));
  }
  g_test_message ("failure dialog:\n%s", facts->str);
  g_assert_nonnull (strstr (facts->str, "a2000000000b"));
  g_assert_nonnull (strstr (facts->str, "a2_second.sql, line 8"));
  g_assert_nonnull (strstr (facts->str, "INSERT INTO missing_table VALUES (1)"));
  g_assert_nonnull (strstr (facts->str, "42P01"));
  g_assert_nonnull (strstr (facts->str, "missing_table"));
  g_assert_nonnull (strstr (facts->str, "Nothing was changed"));
  app_test_screenshot (GTK_WIDGET (failure), "run-failure-dialog");
  gtk_window_destroy (GTK_WINDOW (failure));

  /* true to the database: the version row and no half-made table */
  version = pg_query (conninfo, "SELECT version_num FROM alembic_version");
  g_assert_cmpstr (version, ==, "a1000000000a");
  tables = pg_query (conninfo, "SELECT count(*) FROM pg_tables WHERE tablename = 'parts'");
  g_assert_cmpstr (tables, ==, "0");
  g_assert_cmpint (retort_profile_get_state (profile), ==, RETORT_PROFILE_STATE_PENDING);
  app_test_screenshot (GTK_WIDGET (window), "run-failed");
  pg_fixture_close (&fixture);
}

static gboolean
statement_running (gpointer data)
{
  RetortRunSession *session = retort_run_session_get_active (data);
  const char *statement = session != NULL ? retort_run_session_get_statement (session) : NULL;

  return statement != NULL && strstr (statement, "pg_sleep") != NULL;
}

/* Cancel during a long statement: rolled back, the version table as it
 * was; while it runs, a second run on the same database is refused. */
static void
test_cancel (void)
{
  PgFixture fixture = { 0 };
  const char *conninfo;
  g_autofree char *version = NULL;
  g_autofree char *tables = NULL;
  RetortWindow *window;
  RetortProfile *profile;
  RetortRunSession *session;
  RetortRunPane *pane;
  gint64 started;

  if (!pg_fixture_open (&fixture, "cancel", "CREATE TABLE slow (id integer);\nSELECT pg_sleep(60);",
                        RETORT_TIER_DEVELOPMENT))
    return;
  conninfo = fixture.conninfo;
  window = fixture.window;
  profile = fixture.profile;

  run_action (window, "win.upgrade", "head");
  g_assert_true (retort_run_dialog_confirm (wait_for_toplevel (RETORT_TYPE_RUN_DIALOG)));
  g_assert_true (app_test_spin_until (statement_running, profile, 20000, NULL));
  session = retort_run_session_get_active (profile);
  pane = run_pane_of (window);
  g_assert_nonnull (strstr (retort_run_pane_get_progress_text (pane), "Step 1 of 1"));
  app_test_spin_for (300);
  app_test_screenshot (GTK_WIDGET (window), "run-in-progress");

  /* a second run on the same database: refused, no dialog, no session */
  run_action (window, "win.upgrade", "head");
  g_assert_true (no_toplevel (RETORT_TYPE_RUN_DIALOG));
  g_assert_true (retort_run_session_get_latest (profile) == session);
  {
    g_autoptr(RetortRun) run = retort_run_new (retort_project_get_map (first_project (fixture.workspace)),
                                               RETORT_RUN_UPGRADE, (const char *[]) { "head", NULL });
    g_autoptr(RetortRunSession) second = retort_run_session_new (profile, first_project (fixture.workspace), run);
    g_autoptr(GError) error = NULL;

    g_assert_false (retort_run_session_start (second, &error));
    g_assert_error (error, RETORT_RUN_SESSION_ERROR, RETORT_RUN_SESSION_ERROR_BUSY);
  }

  started = g_get_monotonic_time ();
  g_assert_true (app_test_spin_until (widget_mapped, retort_run_pane_get_cancel_button (pane), 10000, NULL));
  gtk_widget_activate (retort_run_pane_get_cancel_button (pane));
  session = wait_for_run (profile, 20000);
  g_test_message ("cancelled in %.2f s", (g_get_monotonic_time () - started) / 1e6);
  g_assert_cmpint (retort_run_session_get_state (session), ==, RETORT_RUN_SESSION_CANCELLED);
  g_assert_true (no_toplevel (ADW_TYPE_MESSAGE_DIALOG));  /* a cancel is not a failure */

  version = pg_query (conninfo, "SELECT version_num FROM alembic_version");
  g_assert_cmpstr (version, ==, "a1000000000a");
  tables = pg_query (conninfo, "SELECT count(*) FROM pg_tables WHERE tablename = 'slow'");
  g_assert_cmpstr (tables, ==, "0");
  g_assert_nonnull (strstr (retort_run_pane_get_progress_text (pane), "Cancelled"));
  app_test_screenshot (GTK_WIDGET (window), "run-cancelled");
  pg_fixture_close (&fixture);
}

static gboolean
lock_shown (gpointer data)
{
  return retort_run_pane_get_lock_shown (data);
}

/* Another session holds a lock the upgrade needs: the pane says who, and
 * Keep Waiting lets the run go on once it is released. */
static void
test_lock_wait (void)
{
  PgFixture fixture = { 0 };
  const char *conninfo;
  g_autofree char *holder_pid = NULL;
  g_autoptr(RetortBackend) holder = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) pid_rows = NULL;
  RetortWindow *window;
  RetortProfile *profile;
  RetortRunSession *session;
  RetortRunPane *pane;
  const char *lock_text;

  if (!pg_fixture_open (&fixture, "lock", "ALTER TABLE items ADD COLUMN name text;",
                        RETORT_TIER_DEVELOPMENT))
    return;
  conninfo = fixture.conninfo;
  window = fixture.window;
  profile = fixture.profile;

  /* someone else's open transaction holding the table */
  holder = pg_open (conninfo);
  g_assert_true (retort_backend_run_script (holder, "BEGIN; LOCK TABLE items IN ACCESS EXCLUSIVE MODE", NULL, NULL, &error));
  pid_rows = retort_backend_query_column (holder, "SELECT pg_backend_pid()", &error);
  g_assert_no_error (error);
  holder_pid = g_strdup (g_ptr_array_index (pid_rows, 0));

  run_action (window, "win.upgrade", "head");
  g_assert_true (retort_run_dialog_confirm (wait_for_toplevel (RETORT_TYPE_RUN_DIALOG)));
  pane = run_pane_of (window);
  g_assert_true (app_test_spin_until (lock_shown, pane, 20000, NULL));
  lock_text = retort_run_pane_get_lock_text (pane);
  g_test_message ("lock: %s", lock_text);
  g_assert_nonnull (strstr (lock_text, holder_pid));
  g_assert_nonnull (strstr (lock_text, "items"));
  app_test_screenshot (GTK_WIDGET (window), "run-lock-wait");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
  app_test_screenshot (GTK_WIDGET (window), "run-lock-wait-dark");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);

  /* keep waiting: the banner goes, the run still waits (the banner's slide-in
   * may still be under way on a slow build: wait until it can be pressed) */
  g_assert_true (app_test_spin_until (widget_mapped, retort_run_pane_get_keep_waiting_button (pane), 10000, NULL));
  gtk_widget_activate (retort_run_pane_get_keep_waiting_button (pane));
  app_test_spin_for (1500);
  g_assert_false (retort_run_pane_get_lock_shown (pane));
  session = retort_run_session_get_active (profile);
  g_assert_nonnull (session);

  g_assert_true (retort_backend_run_script (holder, "COMMIT", NULL, NULL, &error));
  session = wait_for_run (profile, 20000);
  g_assert_cmpint (retort_run_session_get_state (session), ==, RETORT_RUN_SESSION_SUCCEEDED);
  {
    g_autofree char *text = log_text (session);
    g_assert_nonnull (strstr (text, holder_pid));
  }
  retort_backend_close (holder);
  pg_fixture_close (&fixture);
}

static void
keep_done (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static gboolean
have_result (gpointer data)
{
  return *(GAsyncResult **) data != NULL;
}

static gboolean
lock_names_holder (gpointer data)
{
  return strstr (retort_run_pane_get_lock_text (data), "process") != NULL;
}

/* Another migration holds the migration lock: the pane says so and names
 * its session; when it is done the database has moved, so this run, made
 * from what the confirmation showed, refuses and changes nothing. */
static void
test_migration_lock (void)
{
  PgFixture fixture = { 0 };
  const char *conninfo;
  g_autofree char *other_pid = NULL;
  g_autofree char *version = NULL;
  g_autoptr(RetortDatabaseUrl) url = NULL;
  g_autoptr(RetortConnection) other = NULL;
  g_autoptr(RetortRun) other_run = NULL;
  g_autoptr(GAsyncResult) other_result = NULL;
  g_autoptr(GError) error = NULL;
  RetortWindow *window;
  RetortProfile *profile;
  RetortRunSession *session;
  RetortRunPane *pane;
  AdwMessageDialog *failure;

  if (!pg_fixture_open (&fixture, "migration-lock", "SELECT pg_sleep(4);",
                        RETORT_TIER_STAGING))
    return;
  conninfo = fixture.conninfo;
  window = fixture.window;
  profile = fixture.profile;

  /* someone else's upgrade, on its own connection, inside its slow revision */
  url = retort_database_url_parse (conninfo, NULL, &error);
  g_assert_no_error (error);
  other = retort_connection_new (url);
  other_run = retort_run_new (retort_project_get_map (first_project (fixture.workspace)), RETORT_RUN_UPGRADE,
                              (const char *[]) { "head", NULL });
  retort_connection_run_async (other, other_run, NULL, keep_done, &other_result);
  for (guint i = 0; i < 100 && (other_pid == NULL || *other_pid == '\0'); i++)
    {
      g_free (other_pid);
      app_test_spin_for (50);
      other_pid = pg_query (conninfo, "SELECT pid FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep%' "
                                      "AND pid <> pg_backend_pid()");
    }
  g_assert_cmpstr (other_pid, !=, "");

  run_action (window, "win.upgrade", "head");
  g_assert_true (retort_run_dialog_confirm (wait_for_toplevel (RETORT_TYPE_RUN_DIALOG)));
  pane = run_pane_of (window);
  /* at once from the run itself; then who, from the second connection */
  g_assert_true (app_test_spin_until (lock_shown, pane, 10000, NULL));
  g_assert_nonnull (strstr (retort_run_pane_get_lock_text (pane), "migration lock"));
  g_assert_true (app_test_spin_until (lock_names_holder, pane, 10000, NULL));
  g_test_message ("lock: %s", retort_run_pane_get_lock_text (pane));
  g_assert_nonnull (strstr (retort_run_pane_get_lock_text (pane), "migration lock"));
  g_assert_nonnull (strstr (retort_run_pane_get_lock_text (pane), other_pid));
  app_test_screenshot (GTK_WIDGET (window), "run-migration-lock");

  /* the other run ends; this one then finds the database moved on */
  g_assert_true (app_test_spin_until (have_result, &other_result, 20000, NULL));
  g_assert_true (retort_connection_run_finish (other, other_result, &error));
  failure = wait_for_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  session = wait_for_run (profile, 20000);
  g_assert_cmpint (retort_run_session_get_state (session), ==, RETORT_RUN_SESSION_FAILED);
  g_assert_error ((GError *) retort_run_session_get_error (session), RETORT_DATABASE_ERROR,
                  RETORT_DATABASE_ERROR_VERSION_TABLE);
  g_assert_nonnull (strstr (retort_run_session_get_error (session)->message, "changed since the plan was shown"));
  gtk_window_destroy (GTK_WINDOW (failure));
  version = pg_query (conninfo, "SELECT version_num FROM alembic_version");
  g_assert_cmpstr (version, ==, "a2000000000b");
  g_assert_cmpint (retort_profile_get_state (profile), ==, RETORT_PROFILE_STATE_UP_TO_DATE);
  pg_fixture_close (&fixture);
}

/* The stamp assistant on a legacy database: it offers the first revision,
 * not head, and stamping it leaves the rest pending. */
static void
stamp_legacy (RetortWorkspace *workspace,
              RetortWindow    *window,
              RetortProfile   *profile,
              const char      *screenshot)
{
  RetortStampAssistant *assistant;
  RetortRunSession *session;
  const char * const *rows;

  g_assert_cmpint (retort_profile_get_state (profile), ==, RETORT_PROFILE_STATE_LEGACY);
  retort_window_select (window, first_project (workspace), profile);
  app_test_spin_for (200);
  /* the status strip's one action is the assistant */
  run_action (window, "win.stamp-assistant", NULL);
  assistant = wait_for_toplevel (RETORT_TYPE_STAMP_ASSISTANT);
  g_assert_cmpstr (retort_stamp_assistant_get_selected (assistant), ==, "1f3a9c2e7b10");
  g_assert_nonnull (strstr (retort_stamp_assistant_get_sql (assistant), "1f3a9c2e7b10"));
  app_test_screenshot (GTK_WIDGET (assistant), screenshot);
  g_assert_true (retort_stamp_assistant_activate_stamp (assistant));

  session = wait_for_run (profile, 30000);
  g_assert_cmpint (retort_run_session_get_state (session), ==, RETORT_RUN_SESSION_SUCCEEDED);
  rows = retort_run_session_get_final_rows (session);
  g_assert_nonnull (rows);
  g_assert_cmpstr (rows[0], ==, "1f3a9c2e7b10");
  g_assert_null (rows[1]);
  g_assert_cmpint (retort_profile_get_state (profile), ==, RETORT_PROFILE_STATE_PENDING);
  g_assert_cmpuint (retort_profile_get_n_pending (profile), ==, 8);
  {
    g_autofree char *current = alembic_current (RETORT_DEMO_DIR, retort_profile_get_entry (profile)->url);
    g_assert_cmpstr (current, ==, "1f3a9c2e7b10");
  }
}

static void
test_stamp_legacy_sqlite (void)
{
  g_autofree char *config = app_test_demo_config ();
  g_autoptr(RetortWorkspace) workspace = retort_workspace_new (config);
  RetortWindow *window;

  g_assert_true (retort_workspace_load (workspace, NULL));
  window = open_window (workspace);
  stamp_legacy (workspace, window, app_test_profile_named (workspace, "legacy-reports"), "stamp-assistant-sqlite");
  app_test_screenshot (GTK_WIDGET (window), "run-stamped-legacy");
  gtk_window_destroy (GTK_WINDOW (window));
  retort_demo_remove (config);
}

static void
test_stamp_legacy_postgresql (void)
{
  g_autofree char *conninfo = NULL;
  g_autofree char *config = NULL;
  g_autofree char *version = NULL;
  g_autoptr(RetortWorkspace) workspace = NULL;
  RetortWindow *window;

  if (pg_server () == NULL)
    return;
  conninfo = pg_database ("retort_run_legacy");
  pg_execute (conninfo, "CREATE TABLE products (id integer PRIMARY KEY, name text)");
  config = config_with_profile ("legacy-pg", RETORT_DEMO_DIR, conninfo, RETORT_TIER_PRODUCTION, FALSE);
  workspace = retort_workspace_new (config);
  g_assert_true (retort_workspace_load (workspace, NULL));
  window = open_window (workspace);
  {
    RetortProfile *profile = app_test_profile_named (workspace, "legacy-pg");
    RetortStampAssistant *assistant;

    g_assert_cmpint (retort_profile_get_state (profile), ==, RETORT_PROFILE_STATE_LEGACY);
    retort_window_select (window, first_project (workspace), profile);
    app_test_spin_for (200);
    run_action (window, "win.stamp-assistant", NULL);
    assistant = wait_for_toplevel (RETORT_TYPE_STAMP_ASSISTANT);
    /* production: the name first */
    g_assert_false (retort_stamp_assistant_get_can_stamp (assistant));
    retort_stamp_assistant_set_typed_name (assistant, "legacy-pg");
    g_assert_true (retort_stamp_assistant_get_can_stamp (assistant));
    g_assert_true (retort_stamp_assistant_activate_stamp (assistant));
    wait_for_run (profile, 30000);
    g_assert_cmpint (retort_profile_get_state (profile), ==, RETORT_PROFILE_STATE_PENDING);
  }
  version = pg_query (conninfo, "SELECT version_num FROM alembic_version");
  g_assert_cmpstr (version, ==, "1f3a9c2e7b10");
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
select_revision (RetortWindow  *window,
                 RetortProject *project,
                 const char    *id)
{
  RetortRevision *revision = retort_revision_map_lookup (retort_project_get_map (project), id);
  GtkSingleSelection *selection = GTK_SINGLE_SELECTION (gtk_list_view_get_model (retort_window_get_timeline (window)));

  g_assert_nonnull (revision);
  gtk_single_selection_set_selected (selection, (guint) retort_project_get_position (project, revision));
}

/* Downgrade to the revision selected in the timeline: the plan walks down
 * both branches, the DROPs are flagged, and the database ends there. */
static void
test_downgrade_selected (void)
{
  g_autofree char *config = app_test_demo_config ();
  g_autoptr(RetortWorkspace) workspace = retort_workspace_new (config);
  RetortWindow *window;
  RetortProfile *dev;
  RetortRunDialog *dialog;
  RetortRunSession *session;
  const char * const *rows;

  g_assert_true (retort_workspace_load (workspace, NULL));
  window = open_window (workspace);
  dev = app_test_profile_named (workspace, "dev-local");
  retort_window_select (window, first_project (workspace), dev);
  app_test_spin_for (200);

  /* nothing selected yet: said, not guessed */
  run_action (window, "win.downgrade-selected", NULL);
  g_assert_true (no_toplevel (RETORT_TYPE_RUN_DIALOG));

  select_revision (window, first_project (workspace), "3c9e1f5a2d34");
  run_action (window, "win.downgrade-selected", NULL);
  dialog = wait_for_toplevel (RETORT_TYPE_RUN_DIALOG);
  g_assert_null (retort_run_dialog_get_refusal (dialog));
  /* the revisions above it come off; their downgrades drop tables */
  g_assert_nonnull (strstr (retort_run_dialog_get_sql (dialog), "DROP TABLE price_history"));
  g_assert_cmpuint (retort_run_dialog_get_n_hazards (dialog), >=, 3);
  app_test_screenshot (GTK_WIDGET (dialog), "run-confirm-downgrade");
  g_assert_true (retort_run_dialog_confirm (dialog));

  session = wait_for_run (dev, 30000);
  g_assert_cmpint (retort_run_session_get_state (session), ==, RETORT_RUN_SESSION_SUCCEEDED);
  rows = retort_run_session_get_final_rows (session);
  {
    g_autofree char *joined = g_strjoinv (",", (char **) rows);
    g_test_message ("after the downgrade: %u steps, rows %s", retort_run_session_get_n_applied (session), joined);
  }
  /* as Alembic: only the branch holding 3c9e1f5a comes down (7b4e2f8a,
   * 6a1c7d9e, 4d2a6b8c, 5e8f3a1b); the reporting branch stays, and since
   * it depends on 3c9e1f5a its head is the only row left */
  g_assert_cmpuint (retort_run_session_get_n_applied (session), ==, 4);
  g_assert_cmpstr (rows[0], ==, "9d8a1b3c5f20");
  g_assert_null (rows[1]);
  g_assert_true (retort_profile_has_applied (dev, retort_revision_map_lookup (
    retort_project_get_map (first_project (workspace)), "3c9e1f5a2d34")));
  g_assert_cmpint (retort_profile_get_state (dev), ==, RETORT_PROFILE_STATE_PENDING);
  g_assert_cmpuint (retort_profile_get_n_pending (dev), ==, 4);

  gtk_window_destroy (GTK_WINDOW (window));
  retort_demo_remove (config);
}

static AdwMessageDialog *
find_message_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (toplevels, i);
      if (ADW_IS_MESSAGE_DIALOG (item) && gtk_widget_get_visible (GTK_WIDGET (item)))
        return ADW_MESSAGE_DIALOG (item);
    }
  return NULL;
}

static RetortRunDialog *
ask_steps (RetortWindow *window,
           const char   *action,
           int           n)
{
  AdwMessageDialog *ask;

  run_action (window, action, NULL);
  app_test_spin_for (300);
  ask = find_message_dialog ();
  g_assert_nonnull (ask);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (adw_message_dialog_get_extra_child (ask)), n);
  adw_message_dialog_response (ask, "run");
  return wait_for_toplevel (RETORT_TYPE_RUN_DIALOG);
}

/* +N and -N: the window asks how many, then the usual confirmation; where
 * Alembic would find the walk ambiguous, the confirmation says so and runs
 * nothing. */
static void
test_upgrade_by_n (void)
{
  static const char * const rows[] = { "1f3a9c2e7b10", NULL };
  g_autofree char *db = app_test_sqlite_db ("plus-n", rows);
  g_autofree char *url = g_strconcat ("sqlite:///", db, NULL);
  g_autofree char *config = config_with_profile ("plus-n", RETORT_DEMO_DIR, url, RETORT_TIER_STAGING, FALSE);
  g_autoptr(RetortWorkspace) workspace = retort_workspace_new (config);
  g_autofree char *demo = app_test_demo_config ();
  g_autoptr(RetortWorkspace) demo_workspace = retort_workspace_new (demo);
  RetortWindow *window;
  RetortProfile *profile;
  RetortRunDialog *dialog;
  RetortRunSession *session;

  /* production sits below a branch point: +2 has two ways to go */
  g_assert_true (retort_workspace_load (demo_workspace, NULL));
  window = open_window (demo_workspace);
  profile = app_test_profile_named (demo_workspace, "production");
  retort_window_select (window, first_project (demo_workspace), profile);
  app_test_spin_for (200);
  dialog = ask_steps (window, "win.upgrade-by", 2);
  g_assert_nonnull (retort_run_dialog_get_refusal (dialog));
  g_assert_nonnull (strstr (retort_run_dialog_get_refusal (dialog), "Ambiguous walk"));
  retort_run_dialog_set_typed_name (dialog, "production");
  g_assert_false (retort_run_dialog_confirm (dialog));
  g_assert_null (retort_run_session_get_latest (profile));
  gtk_window_destroy (GTK_WINDOW (dialog));
  gtk_window_destroy (GTK_WINDOW (window));
  retort_demo_remove (demo);

  /* a straight line: two up */
  g_assert_true (retort_workspace_load (workspace, NULL));
  window = open_window (workspace);
  profile = app_test_profile_named (workspace, "plus-n");
  retort_window_select (window, first_project (workspace), profile);
  app_test_spin_for (200);
  dialog = ask_steps (window, "win.upgrade-by", 2);
  g_assert_true (retort_run_dialog_confirm (dialog));
  session = wait_for_run (profile, 30000);
  g_assert_cmpint (retort_run_session_get_state (session), ==, RETORT_RUN_SESSION_SUCCEEDED);
  g_assert_cmpuint (retort_run_session_get_n_applied (session), ==, 2);
  g_assert_cmpstr (retort_run_session_get_final_rows (session)[0], ==, "3c9e1f5a2d34");

  gtk_window_destroy (GTK_WINDOW (window));

  /* -1 on a straight line of .sql revisions */
  {
    g_autofree char *folder = sql_project ("minus-n", "CREATE TABLE parts (id integer);");
    static const char * const at_second[] = { "a2000000000b", NULL };
    g_autofree char *linear_db = app_test_sqlite_db ("minus-n", at_second);
    g_autofree char *linear_url = g_strconcat ("sqlite:///", linear_db, NULL);
    g_autofree char *linear_config = config_with_profile ("minus-n", folder, linear_url, RETORT_TIER_DEVELOPMENT, FALSE);
    g_autoptr(RetortWorkspace) linear = retort_workspace_new (linear_config);

    g_assert_true (retort_workspace_load (linear, NULL));
    window = open_window (linear);
    profile = app_test_profile_named (linear, "minus-n");
    retort_window_select (window, first_project (linear), profile);
    app_test_spin_for (200);
    dialog = ask_steps (window, "win.downgrade-by", 1);
    g_assert_null (retort_run_dialog_get_refusal (dialog));
    g_assert_true (retort_run_dialog_confirm (dialog));
    session = wait_for_run (profile, 30000);
    g_assert_cmpint (retort_run_session_get_state (session), ==, RETORT_RUN_SESSION_SUCCEEDED);
    g_assert_cmpstr (retort_run_session_get_final_rows (session)[0], ==, "a1000000000a");
  }
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  int status;

  if (!app_test_init (&argc, &argv))
    return 0;
  g_test_add_func ("/run/upgrade-demo", test_upgrade_demo);
  g_test_add_func ("/run/production-confirmation", test_production_confirmation);
  g_test_add_func ("/run/read-only-refused", test_read_only_refused);
  g_test_add_func ("/run/downgrade-selected", test_downgrade_selected);
  g_test_add_func ("/run/upgrade-by-n", test_upgrade_by_n);
  g_test_add_func ("/run/stamp-legacy-sqlite", test_stamp_legacy_sqlite);
  g_test_add_func ("/run/postgresql/failure-dialog", test_failure_dialog);
  g_test_add_func ("/run/postgresql/cancel", test_cancel);
  g_test_add_func ("/run/postgresql/lock-wait", test_lock_wait);
  g_test_add_func ("/run/postgresql/migration-lock", test_migration_lock);
  g_test_add_func ("/run/postgresql/stamp-legacy", test_stamp_legacy_postgresql);
  status = g_test_run ();
  app_test_cleanup ();
  return status;
}
