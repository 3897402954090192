/* test-application.c — the application as `retort PATH` runs it
 *
 * Runs RetortApplication with a command line, then drives it from a timeout:
 * the project loads in a window, the shortcuts window and accelerators are
 * there, app.about shows the About window, app.quit ends the run.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-application"

#include "config.h"

#include <locale.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "app-test-util.h"
#include "retort-application.h"
#include "retort-window.h"

typedef struct
{
  RetortApplication *app;
  guint              step;
  gint64             deadline;
  gboolean           done;
} Drive;

static char *
make_fixture (const char *root)
{
  g_autofree char *folder = g_build_filename (root, "cli-project", NULL);
  g_autofree char *versions = g_build_filename (folder, "versions", NULL);
  const char *files[][2] = {
    { "0a1b2c3d4e5f_create_items.py",
      "\"\"\"create items\n\nRevision ID: 0a1b2c3d4e5f\n\"\"\"\n"
      "revision = '0a1b2c3d4e5f'\ndown_revision = None\n"
      "branch_labels = None\ndepends_on = None\n" },
    { "1b2c3d4e5f60_add_price.py",
      "\"\"\"add price\n\nRevision ID: 1b2c3d4e5f60\n\"\"\"\n"
      "revision = '1b2c3d4e5f60'\ndown_revision = '0a1b2c3d4e5f'\n"
      "branch_labels = None\ndepends_on = None\n" },
  };

  g_assert_cmpint (g_mkdir_with_parents (versions, 0755), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *path = g_build_filename (versions, files[i][0], NULL);
      g_autoptr(GError) error = NULL;

      g_file_set_contents (path, files[i][1], -1, &error);
      g_assert_no_error (error);
    }
  return g_steal_pointer (&folder);
}

static RetortWindow *
find_window (GtkApplication *app)
{
  for (GList *l = gtk_application_get_windows (app); l != NULL; l = l->next)
    if (RETORT_IS_WINDOW (l->data))
      return l->data;
  return NULL;
}

static AdwAboutWindow *
find_about (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) toplevel = g_list_model_get_item (toplevels, i);

      if (ADW_IS_ABOUT_WINDOW (toplevel))
        return ADW_ABOUT_WINDOW (toplevel);
    }
  return NULL;
}

static gboolean
drive_cb (gpointer data)
{
  Drive *drive = data;
  GtkApplication *app = GTK_APPLICATION (drive->app);
  RetortWindow *window = find_window (app);

  g_assert_cmpint (g_get_monotonic_time (), <, drive->deadline);

  switch (drive->step)
    {
    case 0:
      {
        g_auto(GStrv) accels = NULL;
        RetortProject *project;

        /* the PATH from the command line opens in a window and loads */
        if (window == NULL || retort_window_get_project (window) == NULL ||
            retort_window_get_loading (window))
          return G_SOURCE_CONTINUE;
        project = retort_window_get_project (window);
        g_assert_true (retort_project_get_loaded (project));
        g_assert_cmpstr (retort_project_get_title (project), ==, "cli-project");
        g_assert_cmpuint (g_list_model_get_n_items (retort_project_get_revisions (project)), ==, 2);
        g_assert_cmpuint (g_list_length (gtk_application_get_windows (app)), ==, 1);

        /* GtkApplication found gtk/help-overlay.ui under the resource base path */
        g_assert_nonnull (
          gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window)));
        accels = gtk_application_get_accels_for_action (app, "app.quit");
        g_assert_cmpstr (accels[0], ==, "<Control>q");
        g_clear_pointer (&accels, g_strfreev);
        accels = gtk_application_get_accels_for_action (app, "win.add-project");
        g_assert_cmpstr (accels[0], ==, "<Control>o");

        g_action_group_activate_action (G_ACTION_GROUP (app), "about", NULL);
        drive->step = 1;
        return G_SOURCE_CONTINUE;
      }

    case 1:
      {
        AdwAboutWindow *about = find_about ();

        if (about == NULL)
          return G_SOURCE_CONTINUE;
        g_assert_cmpstr (adw_about_window_get_application_name (about), ==, "Retort");
        g_assert_cmpstr (adw_about_window_get_version (about), ==, PACKAGE_VERSION);
        g_assert_cmpstr (adw_about_window_get_application_icon (about), ==, APP_ID);
        g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (about)) == GTK_WINDOW (window));
        gtk_window_destroy (GTK_WINDOW (about));

        g_action_group_activate_action (G_ACTION_GROUP (app), "quit", NULL);
        drive->done = TRUE;
        return G_SOURCE_REMOVE;
      }

    default:
      g_assert_not_reached ();
    }
}

/* not app_test_init's: that sets up libadwaita and the stylesheet, which
 * the application must do itself here */
static char *tmp_root;

static void
test_application_opens_path (void)
{
  g_autofree char *fixture = make_fixture (tmp_root);
  g_autoptr(RetortApplication) app = retort_application_new ();
  char *argv[] = { (char *) "retort", fixture, NULL };
  Drive drive = { app, 0, g_get_monotonic_time () + 30 * G_USEC_PER_SEC, FALSE };
  int status;

  g_timeout_add (20, drive_cb, &drive);
  status = g_application_run (G_APPLICATION (app), G_N_ELEMENTS (argv) - 1, argv);
  g_assert_cmpint (status, ==, 0);
  g_assert_true (drive.done);
}

int
main (int   argc,
      char *argv[])
{
  const char *localedir = g_getenv ("RETORT_LOCALEDIR");
  const char *xdg[] = { "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME" };
  int status;

  g_unsetenv ("LANGUAGE");
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_test_init (&argc, &argv, NULL);

  /* keep GTK away from the real home */
  tmp_root = g_dir_make_tmp ("retort-test-application-XXXXXX", NULL);
  g_assert_nonnull (tmp_root);
  for (guint i = 0; i < G_N_ELEMENTS (xdg); i++)
    {
      g_autofree char *dir = g_build_filename (tmp_root, "home", xdg[i], NULL);

      g_mkdir_with_parents (dir, 0700);
      g_setenv (xdg[i], dir, TRUE);
    }

  if (!gtk_init_check ())
    {
      app_test_remove_tree (tmp_root);
      g_print ("1..0 # SKIP no display\n");
      return 0;
    }

  g_test_add_func ("/app/application/opens-path", test_application_opens_path);

  status = g_test_run ();
  app_test_remove_tree (tmp_root);
  g_clear_pointer (&tmp_root, g_free);
  return status;
}
