/* retort-window.c — the main window: one project, its revisions newest first
 *
 * The window is a small state machine over a GtkStack: "empty" (no project),
 * "loading", "error" (the project could not be read), "no-revisions" and
 * "revisions". Loading runs in a worker (RetortProject); opening another
 * project or closing the window cancels a load that is still running.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "retort-window"

#include "config.h"
#include "retort-app-config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "retort-application.h"
#include "retort-revision-row.h"
#include "retort-window.h"

struct _RetortWindow
{
  AdwApplicationWindow  parent_instance;

  GSettings            *settings;
  RetortProject        *project;
  GCancellable         *cancellable;
  GtkFileChooserNative *chooser;
  gboolean              loading;

  /* template children */
  AdwWindowTitle       *window_title;
  GtkStack             *stack;
  AdwStatusPage        *empty_page;
  AdwStatusPage        *loading_page;
  GtkSpinner           *spinner;
  AdwStatusPage        *error_page;
  GtkListBox           *problems_list;
  AdwStatusPage        *no_revisions_page;
  GtkScrolledWindow    *revisions_scroller;
  GtkListView          *revision_list;
};

G_DEFINE_FINAL_TYPE (RetortWindow, retort_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_PROJECT,
  PROP_LOADING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
set_action_enabled (RetortWindow *self,
                    const char   *name,
                    gboolean      enabled)
{
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), name);

  g_simple_action_set_enabled (G_SIMPLE_ACTION (action), enabled);
}

static void
set_loading (RetortWindow *self,
             gboolean      loading)
{
  if (self->loading == loading)
    return;
  self->loading = loading;
  gtk_spinner_set_spinning (self->spinner, loading);
  set_action_enabled (self, "reload", self->project != NULL && !loading);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

/* "12 revisions · 2 heads", or "12 revisions · head 3f1c9a0b" for one head. */
static char *
describe_revisions (RetortProject *project)
{
  guint n_revisions = g_list_model_get_n_items (retort_project_get_revisions (project));
  g_autoptr(GPtrArray) heads = NULL;
  g_autofree char *revisions = NULL;
  g_autofree char *head_text = NULL;

  if (n_revisions == 0)
    return g_strdup (_("No revisions"));

  heads = retort_revision_map_get_heads (retort_project_get_map (project));
  revisions = g_strdup_printf (ngettext ("%u revision", "%u revisions", n_revisions), n_revisions);
  if (heads->len == 1)
    {
      g_autofree char *short_id =
        retort_project_short_id (retort_revision_get_id (g_ptr_array_index (heads, 0)));

      /* Translators: %s is a shortened revision id such as 3f1c9a0b */
      head_text = g_strdup_printf (_("head %s"), short_id);
    }
  else
    head_text = g_strdup_printf (ngettext ("%u head", "%u heads", heads->len), heads->len);

  /* Translators: joins the revision count and the heads in the window subtitle */
  return g_strdup_printf (C_("subtitle", "%s · %s"), revisions, head_text);
}

static void
update_title (RetortWindow *self)
{
  g_autofree char *subtitle = NULL;
  const char *title;

  if (self->project == NULL)
    {
      adw_window_title_set_title (self->window_title, "Retort");
      adw_window_title_set_subtitle (self->window_title, NULL);
      gtk_window_set_title (GTK_WINDOW (self), "Retort");
      return;
    }

  title = retort_project_get_title (self->project);
  if (self->loading)
    subtitle = g_strdup (_("Loading…"));
  else if (retort_project_get_loaded (self->project))
    subtitle = describe_revisions (self->project);
  else
    {
      g_autofree char *path = g_file_get_path (retort_project_get_location (self->project));

      subtitle = g_strdup (path);
    }

  adw_window_title_set_title (self->window_title, title);
  adw_window_title_set_subtitle (self->window_title, subtitle);
  gtk_window_set_title (GTK_WINDOW (self), title);
}

/* Problems name files by their full path; inside the project's own folder
 * the relative path says the same in less space. */
static const char *
relative_message (RetortProject *project,
                  const char    *message)
{
  const char *folder = retort_project_get_folder (project);
  gsize len;

  if (folder == NULL)
    return message;
  len = strlen (folder);
  if (len > 0 && strncmp (message, folder, len) == 0 && message[len] == G_DIR_SEPARATOR)
    return message + len + 1;
  return message;
}

static void
show_error (RetortWindow *self,
            const GError *error)
{
  GPtrArray *problems = retort_project_get_problems (self->project);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->problems_list))) != NULL)
    gtk_list_box_remove (self->problems_list, child);

  if (problems->len > 0)
    {
      g_autofree char *description =
        g_strdup_printf (ngettext ("Fix this problem in the revision files, then try again",
                                   "Fix these %u problems in the revision files, then try again",
                                   problems->len),
                         problems->len);

      adw_status_page_set_description (self->error_page, description);
      for (guint i = 0; i < problems->len; i++)
        {
          const GError *problem = g_ptr_array_index (problems, i);
          GtkWidget *label = gtk_label_new (relative_message (self->project, problem->message));

          gtk_label_set_wrap (GTK_LABEL (label), TRUE);
          gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
          gtk_label_set_xalign (GTK_LABEL (label), 0);
          gtk_label_set_selectable (GTK_LABEL (label), TRUE);
          gtk_widget_add_css_class (label, "problem");
          gtk_list_box_append (self->problems_list, label);
        }
    }
  else
    {
      g_autofree char *escaped = g_markup_escape_text (error->message, -1);

      adw_status_page_set_description (self->error_page, escaped);
    }

  gtk_widget_set_visible (GTK_WIDGET (self->problems_list), problems->len > 0);
  gtk_stack_set_visible_child_name (self->stack, "error");
}

static void
show_revisions (RetortWindow *self)
{
  GListModel *revisions = retort_project_get_revisions (self->project);
  g_autoptr(GtkSingleSelection) selection = NULL;
  g_autofree char *path = NULL;

  if (self->settings != NULL)
    {
      path = g_file_get_path (retort_project_get_location (self->project));
      g_settings_set_string (self->settings, "last-project", path);
    }

  if (g_list_model_get_n_items (revisions) == 0)
    {
      gtk_stack_set_visible_child_name (self->stack, "no-revisions");
      return;
    }

  selection = gtk_single_selection_new (NULL);
  gtk_single_selection_set_autoselect (selection, FALSE);
  gtk_single_selection_set_can_unselect (selection, TRUE);
  gtk_single_selection_set_model (selection, revisions);
  gtk_list_view_set_model (self->revision_list, GTK_SELECTION_MODEL (selection));
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->revisions_scroller), 0);
  gtk_stack_set_visible_child_name (self->stack, "revisions");
  gtk_widget_grab_focus (GTK_WIDGET (self->revision_list));
}

static void
load_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  RetortProject *project = RETORT_PROJECT (object);
  g_autoptr(RetortWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean loaded;

  loaded = retort_project_load_finish (project, result, &error);

  /* Cancelled or superseded: another project (or none) owns the window now. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || project != self->project)
    return;

  set_loading (self, FALSE);
  if (loaded)
    show_revisions (self);
  else
    show_error (self, error);
  update_title (self);
}

static void
setup_row_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *list_item,
              RetortWindow             *self)
{
  gtk_list_item_set_child (list_item, retort_revision_row_new ());
}

static void
bind_row_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *list_item,
             RetortWindow             *self)
{
  RetortRevisionRow *row = RETORT_REVISION_ROW (gtk_list_item_get_child (list_item));

  /* The list only ever shows the model of the loaded project (see
   * retort_window_open), so its map is the one to ask. */
  retort_revision_row_bind (row, retort_project_get_map (self->project),
                            gtk_list_item_get_item (list_item));
}

static void
unbind_row_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *list_item,
               RetortWindow             *self)
{
  retort_revision_row_unbind (RETORT_REVISION_ROW (gtk_list_item_get_child (list_item)));
}

static void
chooser_response_cb (GtkNativeDialog *dialog,
                     int              response,
                     RetortWindow    *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      if (file != NULL)
        retort_window_open (self, file);
    }
  gtk_native_dialog_destroy (dialog);
  g_clear_object (&self->chooser);
}

/* A folder chooser: a project folder (with alembic.ini) and a script folder
 * (with versions/) are both folders; alembic.ini files with other names can
 * be given on the command line. */
static void
open_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  RetortWindow *self = user_data;

  if (self->chooser == NULL)
    {
      self->chooser = gtk_file_chooser_native_new (_("Open Project"),
                                                   GTK_WINDOW (self),
                                                   GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER,
                                                   _("_Open"),
                                                   _("_Cancel"));
      gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
      g_signal_connect (self->chooser, "response", G_CALLBACK (chooser_response_cb), self);
    }
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
open_demo_action (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  retort_window_open_demo (RETORT_WINDOW (user_data));
}

static void
reload_action (GSimpleAction *action,
               GVariant      *parameter,
               gpointer       user_data)
{
  retort_window_reload (RETORT_WINDOW (user_data));
}

static const GActionEntry win_entries[] = {
  { .name = "open", .activate = open_action },
  { .name = "open-demo", .activate = open_demo_action },
  { .name = "reload", .activate = reload_action },
};

static gboolean
retort_window_close_request (GtkWindow *window)
{
  RetortWindow *self = RETORT_WINDOW (window);

  if (self->settings != NULL)
    {
      int width, height;

      gtk_window_get_default_size (window, &width, &height);
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
      g_settings_set_boolean (self->settings, "is-maximized", gtk_window_is_maximized (window));
    }

  return GTK_WINDOW_CLASS (retort_window_parent_class)->close_request (window);
}

static void
retort_window_dispose (GObject *object)
{
  RetortWindow *self = RETORT_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);

  gtk_widget_dispose_template (GTK_WIDGET (self), RETORT_TYPE_WINDOW);

  g_clear_object (&self->project);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (retort_window_parent_class)->dispose (object);
}

static void
retort_window_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  RetortWindow *self = RETORT_WINDOW (object);

  switch (prop_id)
    {
    case PROP_PROJECT:
      g_value_set_object (value, self->project);
      break;

    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
retort_window_class_init (RetortWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = retort_window_dispose;
  object_class->get_property = retort_window_get_property;
  window_class->close_request = retort_window_close_request;

  properties[PROP_PROJECT] =
    g_param_spec_object ("project", NULL, NULL,
                         RETORT_TYPE_PROJECT,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/ui/retort-window.ui");
  gtk_widget_class_bind_template_child (widget_class, RetortWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, RetortWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, RetortWindow, empty_page);
  gtk_widget_class_bind_template_child (widget_class, RetortWindow, loading_page);
  gtk_widget_class_bind_template_child (widget_class, RetortWindow, spinner);
  gtk_widget_class_bind_template_child (widget_class, RetortWindow, error_page);
  gtk_widget_class_bind_template_child (widget_class, RetortWindow, problems_list);
  gtk_widget_class_bind_template_child (widget_class, RetortWindow, no_revisions_page);
  gtk_widget_class_bind_template_child (widget_class, RetortWindow, revisions_scroller);
  gtk_widget_class_bind_template_child (widget_class, RetortWindow, revision_list);

  g_type_ensure (RETORT_TYPE_REVISION_ROW);
}

static void
retort_window_init (RetortWindow *self)
{
  g_autoptr(GtkListItemFactory) factory = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));

  g_action_map_add_action_entries (G_ACTION_MAP (self),
                                   win_entries, G_N_ELEMENTS (win_entries),
                                   self);
  set_action_enabled (self, "reload", FALSE);
  set_action_enabled (self, "open-demo", g_file_test (RETORT_DEMO_DIR, G_FILE_TEST_IS_DIR));

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row_cb), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_row_cb), self);
  gtk_list_view_set_factory (self->revision_list, factory);

  self->settings = retort_settings_new ();
  if (self->settings != NULL)
    {
      gtk_window_set_default_size (GTK_WINDOW (self),
                                   g_settings_get_int (self->settings, "window-width"),
                                   g_settings_get_int (self->settings, "window-height"));
      if (g_settings_get_boolean (self->settings, "is-maximized"))
        gtk_window_maximize (GTK_WINDOW (self));
    }

  gtk_stack_set_visible_child_name (self->stack, "empty");
  update_title (self);
}

RetortWindow *
retort_window_new (GtkApplication *application)
{
  g_return_val_if_fail (!application || GTK_IS_APPLICATION (application), NULL);

  return g_object_new (RETORT_TYPE_WINDOW,
                       "application", application,
                       NULL);
}

/**
 * retort_window_open:
 * @location: an alembic.ini file, a folder holding one, or a script folder
 *
 * Starts loading @location in the background; the window shows a spinner
 * until the revisions (or the reasons they could not be read) are known.
 */
void
retort_window_open (RetortWindow *self,
                    GFile        *location)
{
  g_autoptr(RetortProject) project = NULL;

  g_return_if_fail (RETORT_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (location));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  /* Rows bind against the current project's map: drop the old model first. */
  gtk_list_view_set_model (self->revision_list, NULL);

  project = retort_project_new (location);
  g_set_object (&self->project, project);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROJECT]);

  set_loading (self, TRUE);
  gtk_stack_set_visible_child_name (self->stack, "loading");
  update_title (self);

  retort_project_load_async (project, self->cancellable, load_cb, g_object_ref (self));
}

void
retort_window_open_demo (RetortWindow *self)
{
  g_autoptr(GFile) demo = NULL;

  g_return_if_fail (RETORT_IS_WINDOW (self));

  demo = g_file_new_for_path (RETORT_DEMO_DIR);
  retort_window_open (self, demo);
}

void
retort_window_reload (RetortWindow *self)
{
  g_return_if_fail (RETORT_IS_WINDOW (self));

  if (self->project != NULL)
    retort_window_open (self, retort_project_get_location (self->project));
}

RetortProject *
retort_window_get_project (RetortWindow *self)
{
  g_return_val_if_fail (RETORT_IS_WINDOW (self), NULL);
  return self->project;
}

gboolean
retort_window_get_loading (RetortWindow *self)
{
  g_return_val_if_fail (RETORT_IS_WINDOW (self), FALSE);
  return self->loading;
}
