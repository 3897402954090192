/* app-test-util.c — what every widget test needs: fixtures, the main loop, screenshots
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include <adwaita.h>

#include "app-test-util.h"
#include "retort-app-config.h"
#include "retort-demo.h"
#include "retort-profile.h"

static char *test_root;

gboolean
app_test_init (int    *argc,
               char ***argv)
{
  g_autoptr(GError) error = NULL;
  const char *subdirs[] = { "config", "data", "cache", "state", "runtime" };
  const char *variables[] = { "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME",
                              "XDG_RUNTIME_DIR" };

  setlocale (LC_ALL, "");
  g_test_init (argc, argv, NULL);
  /* the catalogs this build made (LANGUAGE=de picks German) */
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("RETORT_LOCALEDIR") != NULL ? g_getenv ("RETORT_LOCALEDIR") : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  test_root = g_dir_make_tmp ("retort-app-test-XXXXXX", &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (subdirs); i++)
    {
      g_autofree char *dir = g_build_filename (test_root, subdirs[i], NULL);
      g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
      g_setenv (variables[i], dir, TRUE);
    }
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);

  if (!gtk_init_check ())
    {
      g_print ("1..0 # SKIP no display: widget tests need X11 or Wayland (run under xvfb-run)\n");
      app_test_cleanup ();
      return FALSE;
    }

  /* what AdwApplication does for the real app: libadwaita's style and ours */
  adw_init ();
  {
    g_autoptr(GtkCssProvider) provider = gtk_css_provider_new ();
    gtk_css_provider_load_from_resource (provider, RESOURCE_BASE "/style.css");
    gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (provider),
                                                GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  }
  return TRUE;
}

gboolean
app_test_init_a11y (int    *argc,
                    char ***argv)
{
  /* before gtk_init, which may read GTK_A11Y */
  g_unsetenv ("LANGUAGE");
  g_setenv ("GTK_A11Y", "test", TRUE);
  return app_test_init (argc, argv);
}

const char *
app_test_root (void)
{
  return test_root;
}

void
app_test_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    while ((name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *child = g_build_filename (path, name, NULL);
        if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
          app_test_remove_tree (child);
        else
          g_unlink (child);
      }
  g_rmdir (path);
}

void
app_test_cleanup (void)
{
  /* as the app does at exit: no database read left inside libpq */
  retort_profile_wait_for_checks (10000);
  if (test_root != NULL)
    app_test_remove_tree (test_root);
  g_clear_pointer (&test_root, g_free);
}

void
app_test_write_file (const char *path,
                     const char *contents)
{
  g_autoptr(GError) error = NULL;

  /* fixtures are throwaway: no temp file and rename per file */
  g_file_set_contents_full (path, contents, -1, G_FILE_SET_CONTENTS_NONE, 0644, &error);
  g_assert_no_error (error);
}

static void
write_revision (const char            *versions,
                const AppTestRevision *revision,
                guint                  day)
{
  g_autofree char *name = g_strdup_printf ("%s_%s.py", revision->id, revision->slug);
  g_autofree char *path = g_build_filename (versions, name, NULL);
  g_autofree char *contents =
    g_strdup_printf ("\"\"\"%s\n"
                     "\n"
                     "Revision ID: %s\n"
                     "Create Date: 2024-03-%02u 10:00:00.000000\n"
                     "\n"
                     "\"\"\"\n"
                     "from alembic import op\n"
                     "import sqlalchemy as sa\n"
                     "\n"
                     "revision = '%s'\n"
                     "down_revision = %s\n"
                     "branch_labels = %s\n"
                     "depends_on = %s\n"
                     "\n"
                     "\n"
                     "def upgrade():\n"
                     "    op.execute(\"CREATE TABLE t_%s (id INTEGER PRIMARY KEY)\")\n"
                     "\n"
                     "\n"
                     "def downgrade():\n"
                     "    op.execute(\"DROP TABLE t_%s\")\n",
                     revision->message, revision->id, day, revision->id,
                     revision->down_revision, revision->branch_labels,
                     revision->depends_on != NULL ? revision->depends_on : "None",
                     revision->id, revision->id);

  app_test_write_file (path, contents);
}

char *
app_test_script_dir (const char            *name,
                     const AppTestRevision *revisions,
                     gsize                  n_revisions)
{
  g_autofree char *folder = g_build_filename (test_root, name, NULL);
  g_autofree char *versions = g_build_filename (folder, "versions", NULL);

  g_assert_cmpint (g_mkdir_with_parents (versions, 0755), ==, 0);
  for (gsize i = 0; i < n_revisions; i++)
    write_revision (versions, &revisions[i], 1 + i % 28);
  return g_steal_pointer (&folder);
}

char *
app_test_sqlite_db (const char         *name,
                    const char * const *rows)
{
  g_autofree char *file = g_strconcat (name, ".db", NULL);
  char *path = g_build_filename (test_root, file, NULL);
  sqlite3 *db = NULL;

  /* changed in place, not unlinked: a connection the app holds open must
   * see the new rows, as it would after a real migration */
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "DROP TABLE IF EXISTS alembic_version", NULL, NULL, NULL), ==, SQLITE_OK);
  /* a table of the application's own, so a database without a version table reads as legacy */
  g_assert_cmpint (sqlite3_exec (db, "CREATE TABLE IF NOT EXISTS products (id INTEGER PRIMARY KEY)", NULL, NULL, NULL),
                   ==, SQLITE_OK);
  if (rows != NULL)
    {
      g_assert_cmpint (sqlite3_exec (db,
                                     "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, "
                                     "CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))",
                                     NULL, NULL, NULL), ==, SQLITE_OK);
      for (guint i = 0; rows[i] != NULL; i++)
        {
          g_autofree char *insert = g_strdup_printf ("INSERT INTO alembic_version VALUES ('%s')", rows[i]);
          g_assert_cmpint (sqlite3_exec (db, insert, NULL, NULL, NULL), ==, SQLITE_OK);
        }
    }
  sqlite3_close (db);
  return path;
}

gboolean
app_test_spin_until (AppTestPredicate  predicate,
                     gpointer          data,
                     guint             timeout_ms,
                     gint64           *longest_gap_us)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  gint64 longest = 0;

  while (predicate == NULL || !predicate (data))
    {
      gint64 before = g_get_monotonic_time ();

      if (before > deadline)
        break;
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
      longest = MAX (longest, g_get_monotonic_time () - before);
    }
  if (longest_gap_us != NULL)
    *longest_gap_us = longest;
  return predicate != NULL && predicate (data);
}

void
app_test_spin_for (guint ms)
{
  app_test_spin_until (NULL, NULL, ms, NULL);
}

static gboolean
is_mapped (gpointer data)
{
  return gtk_widget_get_mapped (GTK_WIDGET (data)) && gtk_widget_get_width (GTK_WIDGET (data)) > 0;
}

void
app_test_show (GtkWindow *window)
{
  gtk_window_present (window);
  g_assert_true (app_test_spin_until (is_mapped, window, 10000, NULL));
}

static void
project_loaded_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (retort_project_load_finish (RETORT_PROJECT (object), result, &error));
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

static gboolean
is_true (gpointer data)
{
  return *(gboolean *) data;
}

RetortProject *
app_test_load_project (const char *folder)
{
  g_autoptr(GFile) file = g_file_new_for_path (folder);
  RetortProject *project = retort_project_new (file);
  gboolean done = FALSE;

  retort_project_load_async (project, NULL, project_loaded_cb, &done);
  g_assert_true (app_test_spin_until (is_true, &done, 60000, NULL));
  g_assert_true (retort_project_get_loaded (project));
  return project;
}

void
app_test_screenshot (GtkWidget  *widget,
                     const char *name)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *file_name = g_strconcat (name, ".png", NULL);
  g_autofree char *path = NULL;
  const char *build_dir = g_getenv ("RETORT_BUILD_DIR");

  /* a slow (sanitizer) build may still be laying out: the paintable is
   * empty until the widget has been drawn at its size */
  app_test_spin_for (200);
  for (guint attempt = 0; node == NULL && attempt < 50; attempt++)
    {
      g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();

      if (attempt > 0)
        app_test_spin_for (100);
      gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot),
                              gdk_paintable_get_intrinsic_width (paintable),
                              gdk_paintable_get_intrinsic_height (paintable));
      node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
    }
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (widget)), node, NULL);
  g_assert_nonnull (texture);

  dir = g_build_filename (build_dir != NULL ? build_dir : ".", "tests", "app", "screenshots", NULL);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  path = g_build_filename (dir, file_name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s", path);
}

/* ---- the window and the demo -------------------------------------------- */

char *
app_test_config_path (const char *name)
{
  g_autofree char *file = g_strconcat (name, ".conf", NULL);
  return g_build_filename (app_test_root (), file, NULL);
}

gboolean
app_test_all_checked (gpointer data)
{
  RetortWorkspace *workspace = data;
  GListModel *projects = retort_workspace_get_projects (workspace);

  for (guint i = 0; i < g_list_model_get_n_items (projects); i++)
    {
      g_autoptr(RetortProject) project = g_list_model_get_item (projects, i);
      GListModel *profiles = retort_project_get_profiles (project);

      if (retort_project_get_loading (project))
        return FALSE;
      for (guint p = 0; p < g_list_model_get_n_items (profiles); p++)
        {
          g_autoptr(RetortProfile) profile = g_list_model_get_item (profiles, p);
          RetortProfileState state = retort_profile_get_state (profile);

          if (state == RETORT_PROFILE_STATE_CHECKING || state == RETORT_PROFILE_STATE_UNCHECKED)
            return FALSE;
        }
    }
  return TRUE;
}

RetortProfile *
app_test_profile_named (RetortWorkspace *workspace,
                        const char      *name)
{
  GListModel *projects = retort_workspace_get_projects (workspace);

  for (guint i = 0; i < g_list_model_get_n_items (projects); i++)
    {
      g_autoptr(RetortProject) project = g_list_model_get_item (projects, i);
      GListModel *profiles = retort_project_get_profiles (project);

      for (guint p = 0; p < g_list_model_get_n_items (profiles); p++)
        {
          g_autoptr(RetortProfile) profile = g_list_model_get_item (profiles, p);
          if (g_strcmp0 (retort_profile_get_name (profile), name) == 0)
            return profile;  /* the project keeps it */
        }
    }
  g_assert_not_reached ();
}

static void
collect_rows (GtkWidget *widget,
              GPtrArray *rows)
{
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      if (RETORT_IS_REVISION_ROW (c))
        g_ptr_array_add (rows, c);
      else
        collect_rows (c, rows);
    }
}

RetortRevisionRow *
app_test_find_row (RetortWindow *window,
                   const char   *id)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  collect_rows (GTK_WIDGET (retort_window_get_timeline (window)), rows);
  for (guint i = 0; i < rows->len; i++)
    {
      RetortRevision *revision = retort_revision_row_get_revision (g_ptr_array_index (rows, i));
      if (revision != NULL && g_strcmp0 (retort_revision_get_id (revision), id) == 0)
        return g_ptr_array_index (rows, i);
    }
  return NULL;
}

char *
app_test_row_pins (RetortWindow *window,
                   const char   *id)
{
  RetortRevisionRow *row = app_test_find_row (window, id);
  g_auto(GStrv) names = NULL;

  g_assert_nonnull (row);
  names = retort_revision_row_get_pin_names (row);
  return g_strjoinv (",", names);
}

static void
keep_result (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* the text of every label with this style class under widget, one per line */
void
app_test_collect_labels (GtkWidget  *widget,
                         const char *css_class,
                         GString    *text)
{
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      if (GTK_IS_LABEL (c) && gtk_widget_has_css_class (c, css_class))
        g_string_append_printf (text, "%s\n", gtk_label_get_text (GTK_LABEL (c)));
      app_test_collect_labels (c, css_class, text);
    }
}

char *
app_test_demo_config (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  char *config;

  retort_demo_prepare_async (RETORT_DEMO_DIR, NULL, keep_result, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  config = retort_demo_prepare_finish (result, &error);
  g_assert_no_error (error);
  return config;
}
