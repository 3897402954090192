/* retort-application.c — the application: command line, actions, windows
 *
 * `retort [--demo] [PATH…]`: each PATH (an alembic.ini file, a folder holding
 * one, or a script folder) opens in a window; --demo opens the demo project;
 * with neither, the last project opened comes back.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "retort-application"

#include "config.h"
#include "retort-app-config.h"

#include <glib/gi18n.h>
#include <gtksourceview/gtksource.h>

#include "retort-application.h"
#include "retort-demo.h"
#include "retort-window.h"

struct _RetortApplication
{
  AdwApplication  parent_instance;

  GSettings       *settings;
  RetortWorkspace *workspace;     /* retort.conf, read on first use */
  GPtrArray       *demo_configs;  /* temporary demo folders to remove at shutdown */
};

G_DEFINE_FINAL_TYPE (RetortApplication, retort_application, ADW_TYPE_APPLICATION)

/**
 * retort_settings_new:
 *
 * Returns: (transfer full) (nullable): the app's settings, or %NULL when the
 *   schema is not installed (running from the build tree without
 *   GSETTINGS_SCHEMA_DIR); nothing is remembered then.
 */
GSettings *
retort_settings_new (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, RETORT_SCHEMA_ID, TRUE);
  if (schema == NULL)
    {
      static gsize warned = 0;

      if (g_once_init_enter (&warned))
        {
          g_warning ("GSettings schema %s is not installed; window size and the last project "
                     "will not be remembered", RETORT_SCHEMA_ID);
          g_once_init_leave (&warned, 1);
        }
      return NULL;
    }
  return g_settings_new_full (schema, NULL, NULL);
}

static RetortWorkspace *
get_workspace (RetortApplication *self)
{
  if (self->workspace == NULL)
    {
      g_autoptr(GError) error = NULL;

      self->workspace = retort_workspace_new (NULL);
      /* a broken file is shown by the window, which also refuses to save over it */
      if (!retort_workspace_load (self->workspace, &error))
        g_warning ("%s", error->message);
    }
  return self->workspace;
}

static RetortWindow *
get_window (RetortApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (RETORT_IS_WINDOW (window) && retort_window_get_workspace (RETORT_WINDOW (window)) == self->workspace)
    return RETORT_WINDOW (window);
  return retort_window_new (GTK_APPLICATION (self), get_workspace (self));
}

static void
retort_application_activate (GApplication *application)
{
  RetortApplication *self = RETORT_APPLICATION (application);
  GtkWindow *active = gtk_application_get_active_window (GTK_APPLICATION (self));
  RetortWindow *window;

  if (active != NULL)
    {
      gtk_window_present (active);
      return;
    }

  window = retort_window_new (GTK_APPLICATION (self), get_workspace (self));
  retort_window_restore_selection (window);
  gtk_window_present (GTK_WINDOW (window));
}

static void
demo_ready_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(RetortApplication) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *config = retort_demo_prepare_finish (result, &error);
  g_autoptr(RetortWorkspace) workspace = NULL;
  g_autoptr(RetortProject) project = NULL;
  RetortWindow *window;

  g_application_release (G_APPLICATION (self));
  if (config == NULL)
    {
      g_printerr (_("retort: the demo could not be set up: %s\n"), error->message);
      return;
    }
  g_ptr_array_add (self->demo_configs, g_strdup (config));

  workspace = retort_workspace_new (config);
  if (!retort_workspace_load (workspace, &error))
    g_warning ("%s", error->message);
  window = retort_window_new (GTK_APPLICATION (self), workspace);
  project = g_list_model_get_item (retort_workspace_get_projects (workspace), 0);
  if (project != NULL)
    {
      g_autoptr(RetortProfile) profile = g_list_model_get_item (retort_project_get_profiles (project), 0);
      retort_window_select (window, project, profile);
    }
  gtk_window_present (GTK_WINDOW (window));
}

/* The demo opens in its own window on a throwaway retort.conf and SQLite
 * databases, so it never touches the user's own config. */
void
retort_application_open_demo (RetortApplication *self)
{
  g_return_if_fail (RETORT_IS_APPLICATION (self));

  /* keeps the app alive while the databases are made */
  g_application_hold (G_APPLICATION (self));
  retort_demo_prepare_async (RETORT_DEMO_DIR, NULL, demo_ready_cb, g_object_ref (self));
}

static int
retort_application_command_line (GApplication            *application,
                                 GApplicationCommandLine *command_line)
{
  RetortApplication *self = RETORT_APPLICATION (application);
  GVariantDict *options = g_application_command_line_get_options_dict (command_line);
  g_autofree const char **paths = NULL;
  gboolean demo = FALSE;
  RetortWindow *window = NULL;

  g_variant_dict_lookup (options, "demo", "b", &demo);
  g_variant_dict_lookup (options, G_OPTION_REMAINING, "^a&ay", &paths);

  if (!demo && (paths == NULL || paths[0] == NULL))
    {
      g_application_activate (application);
      return 0;
    }

  if (demo)
    retort_application_open_demo (self);
  for (guint i = 0; paths != NULL && paths[i] != NULL; i++)
    {
      g_autoptr(GFile) file = g_application_command_line_create_file_for_arg (command_line, paths[i]);

      if (window == NULL)
        window = get_window (self);
      retort_window_open (window, file);
    }
  if (window != NULL)
    gtk_window_present (GTK_WINDOW (window));
  return 0;
}

static int
retort_application_handle_local_options (GApplication *application,
                                         GVariantDict *options)
{
  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("retort %s\n", PACKAGE_VERSION);
      return 0;
    }

  /* GTK would abort with a critical; say what is wrong and what works instead. */
  if (!gtk_init_check ())
    {
      const char *x11 = g_getenv ("DISPLAY");
      const char *wayland = g_getenv ("WAYLAND_DISPLAY");

      if ((x11 == NULL || *x11 == '\0') && (wayland == NULL || *wayland == '\0'))
        g_printerr (_("retort: no display available (DISPLAY and WAYLAND_DISPLAY are unset). "
                      "The command-line tool works without one: "
                      "retort-cli -d migrations history\n"));
      else
        g_printerr (_("retort: cannot open the display. The command-line tool works without one: "
                      "retort-cli -d migrations history\n"));
      return 1;
    }

  return -1;
}

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  GtkApplication *application = GTK_APPLICATION (user_data);
  const char *developers[] = { "The Retort developers", NULL };
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", gtk_application_get_active_window (application),
                        "modal", TRUE,
                        "application-name", "Retort",
                        "application-icon", APP_ID,
                        "version", PACKAGE_VERSION,
                        "developer-name", "The Retort developers",
                        "developers", developers,
                        "comments", _("Manage Alembic database migrations"),
                        "website", "https://retort.example.org",
                        "issue-url", "https://retort.example.org/issues",
                        "copyright", "© 2025 The Retort developers",
                        "license-type", GTK_LICENSE_GPL_3_0,
                        /* Translators: put your names here, one per line */
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
demo_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  retort_application_open_demo (RETORT_APPLICATION (user_data));
}

static const GActionEntry app_entries[] = {
  { .name = "quit", .activate = quit_action },
  { .name = "demo", .activate = demo_action },
  { .name = "about", .activate = about_action },
};

static void
retort_application_startup (GApplication *application)
{
  RetortApplication *self = RETORT_APPLICATION (application);
  GtkApplication *gtk_application = GTK_APPLICATION (application);

  G_APPLICATION_CLASS (retort_application_parent_class)->startup (application);

  gtk_source_init ();
  self->settings = retort_settings_new ();

  g_action_map_add_action_entries (G_ACTION_MAP (self),
                                   app_entries, G_N_ELEMENTS (app_entries),
                                   self);
  gtk_application_set_accels_for_action (gtk_application, "app.quit",
                                         (const char *[]) { "<Control>q", NULL });
  {
    static const struct { const char *action; const char *accels[3]; } accels[] = {
      { "win.add-project", { "<Control>o", NULL } },
      { "win.add-profile", { "<Control><Shift>n", NULL } },
      { "win.refresh", { "F5", "<Control>r", NULL } },
      { "win.search", { "<Control>f", NULL } },
      { "win.find-next", { "<Control>g", NULL } },
      { "win.find-previous", { "<Control><Shift>g", NULL } },
      { "win.jump-to-current", { "<Control>j", NULL } },
      { "win.edit-current-profile", { "<Control>e", NULL } },
      { "win.show-timeline", { "<Alt>1", NULL } },
      { "win.show-environments", { "<Alt>2", NULL } },
      { "win.focus-sidebar", { "<Control>k", NULL } },
      { "win.upgrade('head')", { "<Control>u", NULL } },
      { "win.upgrade-selected", { "<Control><Shift>u", NULL } },
      { "win.downgrade('-1')", { "<Control>d", NULL } },
      { "win.downgrade-selected", { "<Control><Shift>d", NULL } },
      { "win.stamp-selected", { "<Control><Shift>t", NULL } },
      { "win.cancel-run", { "<Control>period", NULL } },
      { "win.show-run-log", { "<Control>l", NULL } },
    };

    for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
      gtk_application_set_accels_for_action (gtk_application, accels[i].action, accels[i].accels);
  }
  gtk_application_set_accels_for_action (gtk_application, "window.close",
                                         (const char *[]) { "<Control>w", NULL });
}

static void
retort_application_shutdown (GApplication *application)
{
  RetortApplication *self = RETORT_APPLICATION (application);

  g_clear_object (&self->settings);
  /* a database read still connecting must not outlive the process's exit
   * handlers (libpq's TLS); a server that never answers is given up on */
  if (!retort_profile_wait_for_checks (3000))
    g_debug ("quitting with a database check still connecting");
  g_clear_object (&self->workspace);
  for (guint i = 0; i < self->demo_configs->len; i++)
    retort_demo_remove (g_ptr_array_index (self->demo_configs, i));
  g_ptr_array_set_size (self->demo_configs, 0);
  gtk_source_finalize ();

  G_APPLICATION_CLASS (retort_application_parent_class)->shutdown (application);
}

static void
retort_application_finalize (GObject *object)
{
  RetortApplication *self = RETORT_APPLICATION (object);

  g_clear_pointer (&self->demo_configs, g_ptr_array_unref);
  G_OBJECT_CLASS (retort_application_parent_class)->finalize (object);
}

static void
retort_application_class_init (RetortApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = retort_application_finalize;
  app_class->activate = retort_application_activate;
  app_class->command_line = retort_application_command_line;
  app_class->handle_local_options = retort_application_handle_local_options;
  app_class->startup = retort_application_startup;
  app_class->shutdown = retort_application_shutdown;
}

static const GOptionEntry option_entries[] = {
  { "demo", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Open the demo project"), NULL },
  { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Show the version and exit"), NULL },
  { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, NULL, NULL, NULL },
  { NULL }
};

static void
retort_application_init (RetortApplication *self)
{
  self->demo_configs = g_ptr_array_new_with_free_func (g_free);
  g_application_add_main_option_entries (G_APPLICATION (self), option_entries);
  g_application_set_option_context_parameter_string (G_APPLICATION (self), _("[PATH…]"));
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("Manage Alembic database migrations."));
  g_application_set_option_context_description (
    G_APPLICATION (self),
    _("PATH is an alembic.ini file, a folder that holds one, "
      "or a script folder with a versions folder inside."));
}

RetortApplication *
retort_application_new (void)
{
  /* The resource base path is fixed: a .Devel build has another app id but
   * the same resources (style.css, gtk/help-overlay.ui, icons). */
  return g_object_new (RETORT_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_HANDLES_COMMAND_LINE,
                       "resource-base-path", RESOURCE_BASE,
                       NULL);
}
