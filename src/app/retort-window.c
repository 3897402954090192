/* retort-window.c — every project and database, and the selected one's timeline
 *
 * The sidebar lists the workspace; selecting a project or one of its
 * databases shows that project's timeline with the database's pins and
 * applied/pending shading, its environments overview, and a status strip
 * that says where the database stands. The content is a GtkStack over the
 * project's state: "welcome" (no projects), "select", "config-error",
 * "error" (the revisions do not load), "no-revisions" and "project" (with a
 * spinner over the timeline while the revisions load). Nothing here waits on a disk or a database: projects load and
 * profiles are checked on workers, and the window follows their signals.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "retort-window"

#include "config.h"
#include "retort-app-config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "retort-application.h"
#include "retort-detail-pane.h"
#include "retort-environments-view.h"
#include "retort-password-dialog.h"
#include "retort-profile-dialog.h"
#include "retort-revision-row.h"
#include "retort-run-dialog.h"
#include "retort-run-pane.h"
#include "retort-run-session.h"
#include "retort-sidebar.h"
#include "retort-stamp-assistant.h"
#include "retort-window.h"

struct _RetortWindow
{
  AdwApplicationWindow    parent_instance;

  GSettings              *settings;
  RetortWorkspace        *workspace;
  RetortProject          *project;          /* shown; NULL for none */
  RetortProfile          *profile;          /* selected database of project; nullable */
  GtkFileChooserNative   *chooser;
  GtkSingleSelection     *selection;
  GtkSliceListModel      *filling;          /* the revisions, revealed a few rows per frame */
  guint                   fill_tick_id;
  GHashTable             *bound_rows;       /* RetortRevisionRow* on screen */
  gulong                  project_loaded_id;
  gulong                  project_profiles_id;
  gulong                  project_replacing_id;
  gulong                  profile_notify_id;

  /* template children */
  AdwToastOverlay        *toast_overlay;
  AdwLeaflet             *leaflet;
  RetortSidebar          *sidebar;
  AdwHeaderBar           *content_header;
  AdwWindowTitle         *window_title;
  GtkLabel               *tier_pill;
  GtkRevealer            *status_revealer;
  GtkWidget              *status_strip;
  GtkImage               *status_icon;
  GtkLabel               *status_label;
  GtkButton              *status_button;
  GtkStack               *main_stack;
  AdwStatusPage          *welcome_page;
  AdwStatusPage          *config_error_page;
  GtkSpinner             *timeline_spinner;
  AdwStatusPage          *error_page;
  GtkListBox             *problems_list;
  AdwViewStack           *view_stack;
  GtkSearchBar           *search_bar;
  GtkSearchEntry         *search_entry;
  GtkLabel               *search_result;
  GtkScrolledWindow      *timeline_scroller;
  GtkListView            *timeline_list;
  RetortDetailPane       *detail_pane;
  RetortEnvironmentsView *environments_view;
  GtkPaned               *run_paned;
  RetortRunPane          *run_pane;         /* made with the first run */
  GtkMenuButton          *run_menu_button;
  GMenuModel             *run_menu;
  GMenuModel             *revision_menu;
  GtkWidget              *revision_popover;
};

G_DEFINE_FINAL_TYPE (RetortWindow, retort_window, ADW_TYPE_APPLICATION_WINDOW)

static void update_content   (RetortWindow *self);
static void update_run_pane  (RetortWindow *self);
static void start_fill     (RetortWindow *self);

static void
set_action_enabled (RetortWindow *self,
                    const char   *name,
                    gboolean      enabled)
{
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), name);

  g_simple_action_set_enabled (G_SIMPLE_ACTION (action), enabled);
}

static void
toast (RetortWindow *self,
       const char   *text)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (text));
}

/* --- header and status strip --------------------------------------------- */

/* "12 revisions · 2 heads", or "12 revisions · head 3f1c9a0b" for one head. */
static char *
describe_revisions (RetortProject *project)
{
  guint n_revisions = g_list_model_get_n_items (retort_project_get_revisions (project));
  g_autoptr(GPtrArray) heads = NULL;
  g_autofree char *revisions = NULL;
  g_autofree char *head_text = NULL;

  if (n_revisions == 0 || retort_project_get_map (project) == NULL)
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
update_header (RetortWindow *self)
{
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;
  gboolean production = FALSE;

  if (self->project == NULL)
    {
      title = g_strdup ("Retort");
      gtk_widget_set_visible (GTK_WIDGET (self->tier_pill), FALSE);
    }
  else if (self->profile == NULL)
    {
      title = g_strdup (retort_project_get_title (self->project));
      if (retort_project_get_loading (self->project))
        subtitle = g_strdup (_("Loading…"));
      else if (retort_project_get_loaded (self->project))
        subtitle = describe_revisions (self->project);
      else
        subtitle = g_file_get_path (retort_project_get_location (self->project));
      gtk_widget_set_visible (GTK_WIDGET (self->tier_pill), FALSE);
    }
  else
    {
      g_autofree char *tier = g_utf8_strup (retort_profile_get_tier_label (self->profile), -1);

      /* Translators: window title: project · database */
      title = g_strdup_printf (C_("title", "%s · %s"), retort_project_get_title (self->project),
                               retort_profile_get_name (self->profile));
      subtitle = g_strdup (retort_profile_get_display (self->profile));
      gtk_label_set_label (self->tier_pill, tier);
      gtk_widget_set_css_classes (GTK_WIDGET (self->tier_pill),
                                  (const char *[]) { "tier-pill", retort_profile_get_tier_class (self->profile), NULL });
      gtk_widget_set_visible (GTK_WIDGET (self->tier_pill), TRUE);
      production = retort_profile_get_tier (self->profile) == RETORT_TIER_PRODUCTION;
    }

  adw_window_title_set_title (self->window_title, title);
  adw_window_title_set_subtitle (self->window_title, subtitle);
  gtk_window_set_title (GTK_WINDOW (self), title);
  /* production is unmistakable: the whole content header turns red */
  if (production)
    gtk_widget_add_css_class (GTK_WIDGET (self->content_header), "production");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->content_header), "production");
}

typedef enum {
  STRIP_NONE,
  STRIP_ADD_PROFILE,
  STRIP_EDIT_PROFILE,
  STRIP_PASSWORD,
  STRIP_JUMP,
  STRIP_RETRY,
  STRIP_UPGRADE,
  STRIP_STAMP,
} StripAction;

static void
show_strip (RetortWindow *self,
            const char   *style,
            const char   *icon,
            const char   *text,
            StripAction   action)
{
  static const char *styles[] = { "ok", "pending", "warning", "error", "info" };
  const char *label = NULL;
  const char *action_name = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (styles); i++)
    gtk_widget_remove_css_class (self->status_strip, styles[i]);
  gtk_widget_add_css_class (self->status_strip, style);
  gtk_image_set_from_icon_name (self->status_icon, icon);
  gtk_label_set_label (self->status_label, text);

  switch (action)
    {
    case STRIP_ADD_PROFILE: label = _("_Add Database…"); action_name = "win.add-profile"; break;
    case STRIP_EDIT_PROFILE: label = _("_Edit Connection…"); action_name = "win.edit-current-profile"; break;
    case STRIP_PASSWORD: label = _("_Enter Password…"); action_name = "win.enter-password"; break;
    case STRIP_JUMP: label = _("_Jump to Current"); action_name = "win.jump-to-current"; break;
    case STRIP_RETRY: label = _("_Retry"); action_name = "win.refresh"; break;
    case STRIP_UPGRADE: label = _("_Upgrade…"); action_name = "win.upgrade('heads')"; break;
    case STRIP_STAMP: label = _("_Stamp a Baseline…"); action_name = "win.stamp-assistant"; break;
    case STRIP_NONE:
    default: break;
    }
  gtk_widget_set_visible (GTK_WIDGET (self->status_button), label != NULL);
  if (label != NULL)
    {
      gtk_button_set_label (self->status_button, label);
      gtk_button_set_use_underline (self->status_button, TRUE);
      g_autofree char *name = NULL;
      g_autoptr(GVariant) target = NULL;

      /* the target before the name: GTK checks the pair whenever the name is set */
      g_action_parse_detailed_name (action_name, &name, &target, NULL);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (self->status_button), NULL);
      gtk_actionable_set_action_target_value (GTK_ACTIONABLE (self->status_button), target);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (self->status_button), name);
    }
  gtk_revealer_set_reveal_child (self->status_revealer, TRUE);
}

static void
update_strip (RetortWindow *self)
{
  const char *message;

  if (self->project == NULL || !retort_project_get_loaded (self->project))
    {
      gtk_revealer_set_reveal_child (self->status_revealer, FALSE);
      return;
    }
  if (self->profile == NULL)
    {
      guint n = g_list_model_get_n_items (retort_project_get_profiles (self->project));

      if (n == 0)
        show_strip (self, "info", "list-add-symbolic",
                    _("No databases for this project yet. Add one to see where it stands on the timeline."),
                    STRIP_ADD_PROFILE);
      else
        gtk_revealer_set_reveal_child (self->status_revealer, FALSE);
      return;
    }

  if (retort_run_session_get_active (self->profile) != NULL)
    {
      RetortRunSession *session = retort_run_session_get_active (self->profile);
      g_autofree char *text = g_strdup_printf (_("%s… The log below follows it; other databases can be browsed "
                                                 "meanwhile."), retort_run_session_get_title (session));
      show_strip (self, "info", "system-run-symbolic", text, STRIP_NONE);
      return;
    }

  message = retort_profile_get_status_message (self->profile);
  switch (retort_profile_get_state (self->profile))
    {
    case RETORT_PROFILE_STATE_UP_TO_DATE:
      show_strip (self, "ok", "emblem-ok-symbolic", message, STRIP_JUMP);
      break;
    case RETORT_PROFILE_STATE_PENDING:
      show_strip (self, "pending", "software-update-available-symbolic", message,
                  retort_profile_get_read_only (self->profile) ? STRIP_JUMP : STRIP_UPGRADE);
      break;
    case RETORT_PROFILE_STATE_NOT_VERSIONED:
      show_strip (self, "pending", "software-update-available-symbolic", message,
                  retort_profile_get_read_only (self->profile) ? STRIP_NONE : STRIP_UPGRADE);
      break;
    case RETORT_PROFILE_STATE_LEGACY:
      show_strip (self, "warning", "dialog-warning-symbolic", message,
                  retort_profile_get_read_only (self->profile) ? STRIP_NONE : STRIP_STAMP);
      break;
    case RETORT_PROFILE_STATE_UNKNOWN_REVISION:
    case RETORT_PROFILE_STATE_BROKEN:
      show_strip (self, "warning", "dialog-warning-symbolic", message, STRIP_NONE);
      break;
    case RETORT_PROFILE_STATE_NEEDS_PASSWORD:
      show_strip (self, "error", "dialog-password-symbolic", message, STRIP_PASSWORD);
      break;
    case RETORT_PROFILE_STATE_UNREACHABLE:
      show_strip (self, "error", "network-error-symbolic", message, STRIP_RETRY);
      break;
    case RETORT_PROFILE_STATE_INVALID:
      show_strip (self, "error", "dialog-error-symbolic", message, STRIP_EDIT_PROFILE);
      break;
    case RETORT_PROFILE_STATE_CHECKING:
    case RETORT_PROFILE_STATE_UNCHECKED:
    default:
      show_strip (self, "info", "content-loading-symbolic", _("Reading the version table…"), STRIP_NONE);
      break;
    }
}

static void
update_actions (RetortWindow *self)
{
  gboolean has_project = self->project != NULL;
  gboolean kept = has_project && retort_project_get_id (self->project) != NULL;
  gboolean loaded = has_project && retort_project_get_loaded (self->project);
  gboolean has_rows = self->profile != NULL && retort_profile_get_rows (self->profile) != NULL &&
                      retort_profile_get_rows (self->profile)[0] != NULL;
  gboolean writable = retort_workspace_get_load_error (self->workspace) == NULL;

  set_action_enabled (self, "add-project", writable);
  set_action_enabled (self, "add-project-ini", writable);
  set_action_enabled (self, "add-profile", kept && writable);
  set_action_enabled (self, "refresh", has_project && !retort_project_get_loading (self->project));
  set_action_enabled (self, "search", loaded);
  set_action_enabled (self, "find-next", loaded);
  set_action_enabled (self, "find-previous", loaded);
  set_action_enabled (self, "jump-to-current", loaded && has_rows);
  set_action_enabled (self, "edit-current-profile", self->profile != NULL && writable);
  set_action_enabled (self, "enter-password", self->profile != NULL);
  set_action_enabled (self, "show-timeline", loaded);
  set_action_enabled (self, "show-environments", loaded);
  {
    /* refusals (read-only, a run already going) are said when asked, so
     * the actions stay enabled for any database whose state is known */
    gboolean can_run = loaded && self->profile != NULL;
    gboolean running = self->profile != NULL && retort_run_session_get_active (self->profile) != NULL;
    static const char *runs[] = { "upgrade", "downgrade", "stamp", "upgrade-selected", "downgrade-selected",
                                  "stamp-selected", "stamp-purge-selected", "upgrade-by", "downgrade-by",
                                  "stamp-assistant" };

    for (guint i = 0; i < G_N_ELEMENTS (runs); i++)
      set_action_enabled (self, runs[i], can_run);
    set_action_enabled (self, "cancel-run", running);
    set_action_enabled (self, "show-run-log",
                        self->profile != NULL && retort_run_session_get_latest (self->profile) != NULL);
  }
}

/* --- the project's states ------------------------------------------------ */

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
show_problems (RetortWindow *self)
{
  GPtrArray *problems = retort_project_get_problems (self->project);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->problems_list))) != NULL)
    gtk_list_box_remove (self->problems_list, child);

  if (problems->len > 0)
    {
      g_autofree char *description =
        g_strdup_printf (ngettext ("Fix this problem in the revision files, then refresh",
                                   "Fix these %u problems in the revision files, then refresh",
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
      g_autofree char *path = g_file_get_path (retort_project_get_location (self->project));
      g_autofree char *escaped = g_markup_escape_text (path, -1);

      /* the reason was the load's GError; the location is what the user can fix */
      adw_status_page_set_description (self->error_page, escaped);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->problems_list), problems->len > 0);
}

static void
update_content (RetortWindow *self)
{
  const GError *config_error = retort_workspace_get_load_error (self->workspace);
  const char *page;

  if (config_error != NULL)
    {
      g_autofree char *description =
        g_markup_printf_escaped (_("%s\n\nRetort left the file as it was and will not write over it. "
                                   "Fix it in a text editor, or move it away, then restart Retort."),
                                 config_error->message);
      adw_status_page_set_description (self->config_error_page, description);
      page = "config-error";
    }
  else if (self->project == NULL)
    page = g_list_model_get_n_items (retort_workspace_get_projects (self->workspace)) == 0 ? "welcome" : "select";
  else if (retort_project_get_loading (self->project) && !retort_project_get_loaded (self->project))
    /* the project page with a spinner: its first layout (the detail pane,
     * the source view) happens now, not in the frame after the load */
    page = "project";
  else if (!retort_project_get_loaded (self->project))
    {
      show_problems (self);
      page = "error";
    }
  else if (g_list_model_get_n_items (retort_project_get_revisions (self->project)) == 0)
    page = "no-revisions";
  else
    page = "project";

  {
    gboolean loading = self->project != NULL && retort_project_get_loading (self->project) &&
                       !retort_project_get_loaded (self->project);
    gtk_widget_set_visible (GTK_WIDGET (self->timeline_spinner), loading);
    gtk_spinner_set_spinning (self->timeline_spinner, loading);
  }
  gtk_stack_set_visible_child_name (self->main_stack, page);
  update_header (self);
  update_strip (self);
  update_actions (self);
}

static void
project_loaded_cb (RetortProject *project,
                   GParamSpec    *pspec,
                   RetortWindow  *self)
{
  update_content (self);
  if (retort_project_get_loaded (project))
    {
      RetortRevision *selected = gtk_single_selection_get_selected_item (self->selection);
      retort_detail_pane_set_revision (self->detail_pane, project, selected);
    }
}

static void
project_profiles_changed_cb (RetortProject *project,
                             RetortWindow  *self)
{
  update_strip (self);
  update_actions (self);
}

static void
profile_notify_cb (RetortProfile *profile,
                   GParamSpec    *pspec,
                   RetortWindow  *self)
{
  update_header (self);
}

/* --- filling the timeline ------------------------------------------------ */

/* GTK 4.8's list view makes about 200 row widgets however few are visible,
 * and a revision row's first layout costs almost half a millisecond: given
 * 5,000 revisions at once, the first frame after a load would wait 100 ms.
 * So the list is shown FILL_STEP rows more per frame until it has made its
 * widgets, and then all of it. Positions are the project's, as the slice
 * starts at 0. */
#define FILL_STEP  20
#define FILL_LIMIT 240

static void
finish_fill (RetortWindow *self)
{
  if (self->fill_tick_id != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self->timeline_list), self->fill_tick_id);
      self->fill_tick_id = 0;
    }
  if (gtk_slice_list_model_get_size (self->filling) != G_MAXUINT)
    gtk_slice_list_model_set_size (self->filling, G_MAXUINT);
}

static gboolean
fill_tick_cb (GtkWidget     *widget,
              GdkFrameClock *clock,
              gpointer       user_data)
{
  RetortWindow *self = user_data;
  guint size = gtk_slice_list_model_get_size (self->filling);
  GListModel *all = gtk_slice_list_model_get_model (self->filling);

  if (all == NULL || size >= FILL_LIMIT || size >= g_list_model_get_n_items (all))
    {
      self->fill_tick_id = 0;
      gtk_slice_list_model_set_size (self->filling, G_MAXUINT);
      return G_SOURCE_REMOVE;
    }
  gtk_slice_list_model_set_size (self->filling, size + FILL_STEP);
  return G_SOURCE_CONTINUE;
}

static void
start_fill (RetortWindow *self)
{
  finish_fill (self);
  /* the tick runs once the list is shown; a jump finishes the fill at once */
  gtk_slice_list_model_set_size (self->filling, FILL_STEP);
  self->fill_tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self->timeline_list), fill_tick_cb, self, NULL);
}

static void
rows_set_profile (RetortWindow *self)
{
  GHashTableIter iter;
  gpointer row;

  g_hash_table_iter_init (&iter, self->bound_rows);
  while (g_hash_table_iter_next (&iter, &row, NULL))
    retort_revision_row_set_selected_profile (row, self->profile);
}

static void
remember_selection (RetortWindow *self)
{
  if (self->settings == NULL || retort_workspace_get_load_error (self->workspace) != NULL)
    return;
  g_settings_set_string (self->settings, "selected-project",
                         self->project != NULL && retort_project_get_id (self->project) != NULL
                           ? retort_project_get_id (self->project) : "");
  g_settings_set_string (self->settings, "selected-profile",
                         self->profile != NULL ? retort_profile_get_id (self->profile) : "");
}

static void
show_selection (RetortWindow  *self,
                RetortProject *project,
                RetortProfile *profile)
{
  gboolean same_project = project == self->project;

  if (self->profile != NULL)
    g_clear_signal_handler (&self->profile_notify_id, self->profile);
  g_set_object (&self->profile, profile);
  if (profile != NULL)
    self->profile_notify_id = g_signal_connect (profile, "notify", G_CALLBACK (profile_notify_cb), self);

  if (!same_project)
    {
      if (self->project != NULL)
        {
          g_clear_signal_handler (&self->project_loaded_id, self->project);
          g_clear_signal_handler (&self->project_profiles_id, self->project);
          g_clear_signal_handler (&self->project_replacing_id, self->project);
        }
      /* rows bind against the shown project: swap the model before the project */
      finish_fill (self);
      gtk_slice_list_model_set_model (self->filling, NULL);
      g_set_object (&self->project, project);
      if (project != NULL)
        {
          self->project_loaded_id = g_signal_connect (project, "notify::loaded",
                                                      G_CALLBACK (project_loaded_cb), self);
          self->project_profiles_id = g_signal_connect (project, "profiles-changed",
                                                        G_CALLBACK (project_profiles_changed_cb), self);
          self->project_replacing_id = g_signal_connect_swapped (project, "revisions-replacing",
                                                                 G_CALLBACK (start_fill), self);
          start_fill (self);
          gtk_slice_list_model_set_model (self->filling, retort_project_get_revisions (project));
          gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->timeline_scroller), 0);
        }
      retort_detail_pane_set_revision (self->detail_pane, project, NULL);
      retort_environments_view_set_project (self->environments_view, project);
    }

  rows_set_profile (self);
  update_run_pane (self);
  update_content (self);
  remember_selection (self);
}

static void
sidebar_selected_cb (RetortWindow  *self,
                     RetortProject *project,
                     RetortProfile *profile)
{
  if (project == NULL)
    return;  /* the list lost its selection (a rebuild): keep showing what we show */
  show_selection (self, project, profile);
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
}

static void
back_clicked_cb (RetortWindow *self)
{
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

static void
leaflet_folded_cb (RetortWindow *self)
{
  if (!adw_leaflet_get_folded (self->leaflet))
    return;
  /* folded with nothing chosen: the list is what there is to see */
  if (self->project == NULL)
    adw_leaflet_set_visible_child_name (self->leaflet, "sidebar");
}

static void
projects_changed_cb (GListModel   *projects,
                     guint         position,
                     guint         removed,
                     guint         added,
                     RetortWindow *self)
{
  /* the shown project was removed */
  if (self->project != NULL && !g_list_store_find (G_LIST_STORE (projects), self->project, NULL))
    show_selection (self, NULL, NULL);
  else
    update_content (self);
}

/* --- timeline ------------------------------------------------------------ */

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

  /* the list only ever shows the model of self->project (see show_selection) */
  retort_revision_row_bind (row, self->project, gtk_list_item_get_position (list_item), self->profile);
  if (self->bound_rows != NULL)
    g_hash_table_add (self->bound_rows, row);
}

static void
unbind_row_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *list_item,
               RetortWindow             *self)
{
  RetortRevisionRow *row = RETORT_REVISION_ROW (gtk_list_item_get_child (list_item));

  if (self->bound_rows != NULL)
    g_hash_table_remove (self->bound_rows, row);
  retort_revision_row_unbind (row);
}

static void
teardown_row_cb (GtkSignalListItemFactory *factory,
                 GtkListItem              *list_item,
                 RetortWindow             *self)
{
  /* rows are torn down as late as the list's finalization, after our dispose */
  if (self->bound_rows != NULL)
    g_hash_table_remove (self->bound_rows, gtk_list_item_get_child (list_item));
}

static void
selection_changed_cb (GtkSelectionModel *model,
                      guint              position,
                      guint              n_items,
                      RetortWindow      *self)
{
  if (self->project == NULL || !retort_project_get_loaded (self->project))
    return;
  retort_detail_pane_set_revision (self->detail_pane, self->project,
                                   gtk_single_selection_get_selected_item (self->selection));
}

static void
show_position (RetortWindow *self,
               guint         position)
{
  /* a row further down than the fill has reached */
  finish_fill (self);
  gtk_single_selection_set_selected (self->selection, position);
  gtk_widget_activate_action (GTK_WIDGET (self->timeline_list), "list.scroll-to-item", "u", position);
}

/* a link in the detail pane or a row of the environments view */
static void
revision_activated_cb (GtkWidget      *source,
                       RetortRevision *revision,
                       RetortWindow   *self)
{
  int position;

  if (self->project == NULL)
    return;
  position = retort_project_get_position (self->project, revision);
  if (position < 0)
    return;
  adw_view_stack_set_visible_child_name (self->view_stack, "timeline");
  show_position (self, (guint) position);
}

/* --- search -------------------------------------------------------------- */

static gboolean
revision_matches (RetortRevision *revision,
                  const char     *needle)
{
  g_autofree char *id = g_utf8_casefold (retort_revision_get_id (revision), -1);
  g_autofree char *doc = NULL;

  if (g_str_has_prefix (id, needle))
    return TRUE;
  doc = g_utf8_casefold (retort_revision_get_doc (revision) != NULL ? retort_revision_get_doc (revision) : "", -1);
  return strstr (doc, needle) != NULL;
}

/* Jumps to the next (or previous) revision whose id starts with, or whose
 * message contains, the text; from the one after the selection, wrapping.
 * Searching jumps rather than filters: a filtered graph would lose its lines. */
static void
find (RetortWindow *self,
      int           direction,
      gboolean      include_current)
{
  GListModel *revisions;
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autofree char *needle = NULL;
  guint n, start, matches = 0;
  int found = -1;

  if (self->project == NULL || text == NULL || *text == '\0')
    {
      gtk_label_set_label (self->search_result, "");
      return;
    }
  revisions = retort_project_get_revisions (self->project);
  n = g_list_model_get_n_items (revisions);
  if (n == 0)
    return;
  needle = g_utf8_casefold (text, -1);
  start = gtk_single_selection_get_selected (self->selection);
  if (start == GTK_INVALID_LIST_POSITION)
    start = direction > 0 ? n - 1 : 0;

  for (guint step = include_current ? 0 : 1; step <= n; step++)
    {
      guint position = (start + n + (guint) (direction * (int) step) % n) % n;
      g_autoptr(RetortRevision) revision = NULL;

      if (step == n && !include_current)
        break;
      revision = g_list_model_get_item (revisions, position);
      if (revision_matches (revision, needle))
        {
          found = (int) position;
          break;
        }
    }
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(RetortRevision) revision = g_list_model_get_item (revisions, i);
      matches += revision_matches (revision, needle);
    }

  if (found < 0)
    {
      gtk_label_set_label (self->search_result, _("No match"));
      gtk_widget_add_css_class (GTK_WIDGET (self->search_entry), "error");
      return;
    }
  gtk_widget_remove_css_class (GTK_WIDGET (self->search_entry), "error");
  {
    g_autofree char *count = g_strdup_printf (ngettext ("%u match", "%u matches", matches), matches);
    gtk_label_set_label (self->search_result, count);
  }
  show_position (self, (guint) found);
}

static void
search_changed_cb (RetortWindow *self)
{
  find (self, 1, TRUE);
}

static void
search_activate_cb (RetortWindow *self)
{
  find (self, 1, FALSE);
}

static void
search_next_cb (RetortWindow *self)
{
  find (self, 1, FALSE);
}

static void
search_previous_cb (RetortWindow *self)
{
  find (self, -1, FALSE);
}

static void
search_stop_cb (RetortWindow *self)
{
  gtk_search_bar_set_search_mode (self->search_bar, FALSE);
  gtk_widget_grab_focus (GTK_WIDGET (self->timeline_list));
}

/* --- actions ------------------------------------------------------------- */

static RetortProfile *
profile_for_target (RetortWindow *self,
                    GVariant     *parameter)
{
  if (parameter == NULL)
    return self->profile;
  return retort_workspace_find_profile (self->workspace, g_variant_get_string (parameter, NULL));
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

static void
choose_project (RetortWindow         *self,
                GtkFileChooserAction  action)
{
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);

  self->chooser = gtk_file_chooser_native_new (action == GTK_FILE_CHOOSER_ACTION_OPEN
                                                 ? _("Add Project from alembic.ini")
                                                 : _("Add Project Folder"),
                                               GTK_WINDOW (self), action, _("_Add"), _("_Cancel"));
  if (action == GTK_FILE_CHOOSER_ACTION_OPEN)
    {
      g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

      gtk_file_filter_set_name (filter, _("Alembic configuration (*.ini)"));
      gtk_file_filter_add_pattern (filter, "*.ini");
      gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);
    }
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  g_signal_connect (self->chooser, "response", G_CALLBACK (chooser_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
add_project_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  choose_project (RETORT_WINDOW (user_data), GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER);
}

static void
add_project_ini_action (GSimpleAction *action,
                        GVariant      *parameter,
                        gpointer       user_data)
{
  choose_project (RETORT_WINDOW (user_data), GTK_FILE_CHOOSER_ACTION_OPEN);
}

static void
profile_saved_cb (RetortProfileDialog *dialog,
                  RetortProfile       *profile,
                  RetortWindow        *self)
{
  RetortProject *project = retort_workspace_get_profile_project (self->workspace, profile);

  if (project != NULL)
    {
      retort_sidebar_select (self->sidebar, project, profile);
      show_selection (self, project, profile);
    }
}

static void
open_profile_dialog (RetortWindow  *self,
                     RetortProject *project,
                     RetortProfile *profile)
{
  RetortProfileDialog *dialog;

  if (project == NULL || retort_project_get_id (project) == NULL)
    return;
  dialog = retort_profile_dialog_new (GTK_WINDOW (self), self->workspace, project, profile);
  g_signal_connect_object (dialog, "saved", G_CALLBACK (profile_saved_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
add_profile_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  RetortWindow *self = user_data;

  open_profile_dialog (self, self->project, NULL);
}

static void
add_profile_to_action (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  RetortWindow *self = user_data;
  RetortProject *project = retort_workspace_find_project (self->workspace,
                                                          g_variant_get_string (parameter, NULL));

  open_profile_dialog (self, project, NULL);
}

static void
edit_profile_action (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       user_data)
{
  RetortWindow *self = user_data;
  RetortProfile *profile = profile_for_target (self, parameter);

  if (profile != NULL)
    open_profile_dialog (self, retort_workspace_get_profile_project (self->workspace, profile), profile);
}

static void
duplicate_profile_action (GSimpleAction *action,
                          GVariant      *parameter,
                          gpointer       user_data)
{
  RetortWindow *self = user_data;
  RetortProfile *profile = profile_for_target (self, parameter);
  g_autoptr(GError) error = NULL;
  RetortProfile *copy;

  if (profile == NULL)
    return;
  copy = retort_workspace_duplicate_profile (self->workspace, profile, &error);
  if (copy == NULL)
    {
      toast (self, error->message);
      return;
    }
  open_profile_dialog (self, retort_workspace_get_profile_project (self->workspace, copy), copy);
}

static void
refresh_profile_action (GSimpleAction *action,
                        GVariant      *parameter,
                        gpointer       user_data)
{
  RetortWindow *self = user_data;
  RetortProfile *profile = profile_for_target (self, parameter);

  if (profile != NULL)
    retort_workspace_refresh_profile (self->workspace, profile);
}

typedef struct
{
  RetortWindow  *window;
  RetortProfile *profile;   /* one of the two */
  RetortProject *project;
} RemoveData;

static void
remove_data_free (RemoveData *data)
{
  g_clear_object (&data->window);
  g_clear_object (&data->profile);
  g_clear_object (&data->project);
  g_free (data);
}

static void
remove_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    RemoveData       *data)
{
  RetortWindow *self = data->window;
  g_autoptr(GError) error = NULL;
  gboolean removed = TRUE;

  if (g_strcmp0 (response, "remove") != 0)
    return;

  if (data->profile != NULL)
    {
      if (data->profile == self->profile)
        show_selection (self, self->project, NULL);
      removed = retort_workspace_remove_profile (self->workspace, data->profile, &error);
    }
  else if (data->project != NULL)
    removed = retort_workspace_remove_project (self->workspace, data->project, &error);
  if (!removed)
    toast (self, error->message);
}

static void
confirm_remove (RetortWindow  *self,
                RetortProject *project,
                RetortProfile *profile)
{
  g_autofree char *heading = NULL;
  const char *body;
  GtkWidget *dialog;
  RemoveData *data;

  if (profile != NULL)
    {
      heading = g_strdup_printf (_("Remove “%s”?"), retort_profile_get_name (profile));
      body = _("Only the profile is removed from Retort: the database itself and its data are not touched.");
    }
  else
    {
      heading = g_strdup_printf (_("Remove the project “%s”?"), retort_project_get_title (project));
      body = _("The project and its database profiles are removed from Retort. "
               "No files and no databases are touched.");
    }

  dialog = adw_message_dialog_new (GTK_WINDOW (self), heading, body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "remove", _("_Remove"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "remove",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");

  data = g_new0 (RemoveData, 1);
  data->window = g_object_ref (self);
  data->profile = profile != NULL ? g_object_ref (profile) : NULL;
  data->project = project != NULL ? g_object_ref (project) : NULL;
  g_signal_connect_data (dialog, "response", G_CALLBACK (remove_response_cb), data,
                         (GClosureNotify) (void (*) (void)) remove_data_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
remove_profile_action (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  RetortWindow *self = user_data;
  RetortProfile *profile = profile_for_target (self, parameter);

  if (profile != NULL)
    confirm_remove (self, NULL, profile);
}

static void
refresh_project_action (GSimpleAction *action,
                        GVariant      *parameter,
                        gpointer       user_data)
{
  RetortWindow *self = user_data;
  RetortProject *project = retort_workspace_find_project (self->workspace,
                                                          g_variant_get_string (parameter, NULL));

  if (project != NULL)
    retort_workspace_reload_project (self->workspace, project);
}

static void
remove_project_action (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  RetortWindow *self = user_data;
  RetortProject *project = retort_workspace_find_project (self->workspace,
                                                          g_variant_get_string (parameter, NULL));

  if (project != NULL)
    confirm_remove (self, project, NULL);
}

static void
refresh_action (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  RetortWindow *self = user_data;

  if (self->project == NULL)
    return;
  retort_workspace_reload_project (self->workspace, self->project);
  update_content (self);
}

static void
password_entered_cb (RetortPasswordDialog *dialog,
                     const char           *password,
                     gboolean              remember,
                     RetortWindow         *self)
{
  if (self->profile != NULL)
    retort_workspace_refresh_profile (self->workspace, self->profile);
}

static void
enter_password_action (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  RetortWindow *self = user_data;
  RetortPasswordDialog *dialog;

  if (self->profile == NULL)
    return;
  dialog = retort_password_dialog_new (GTK_WINDOW (self), self->profile);
  g_signal_connect_object (dialog, "password-entered", G_CALLBACK (password_entered_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
search_action (GSimpleAction *action,
               GVariant      *parameter,
               gpointer       user_data)
{
  RetortWindow *self = user_data;

  adw_view_stack_set_visible_child_name (self->view_stack, "timeline");
  gtk_search_bar_set_search_mode (self->search_bar, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
find_next_action (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  find (RETORT_WINDOW (user_data), 1, FALSE);
}

static void
find_previous_action (GSimpleAction *action,
                      GVariant      *parameter,
                      gpointer       user_data)
{
  find (RETORT_WINDOW (user_data), -1, FALSE);
}

static void
jump_to_current_action (GSimpleAction *action,
                        GVariant      *parameter,
                        gpointer       user_data)
{
  RetortWindow *self = user_data;
  const char * const *rows;
  RetortRevisionMap *map;
  int best = -1;

  if (self->project == NULL || self->profile == NULL)
    return;
  rows = retort_profile_get_rows (self->profile);
  map = retort_project_get_map (self->project);
  if (rows == NULL || map == NULL)
    return;
  /* several rows (several branches): the newest, which the list shows first */
  for (guint i = 0; rows[i] != NULL; i++)
    {
      RetortRevision *revision = retort_revision_map_lookup (map, rows[i]);
      int position = revision != NULL ? retort_project_get_position (self->project, revision) : -1;

      if (position >= 0 && (best < 0 || position < best))
        best = position;
    }
  if (best >= 0)
    {
      adw_view_stack_set_visible_child_name (self->view_stack, "timeline");
      show_position (self, (guint) best);
    }
}

static void
show_timeline_action (GSimpleAction *action,
                      GVariant      *parameter,
                      gpointer       user_data)
{
  adw_view_stack_set_visible_child_name (RETORT_WINDOW (user_data)->view_stack, "timeline");
}

static void
show_environments_action (GSimpleAction *action,
                          GVariant      *parameter,
                          gpointer       user_data)
{
  adw_view_stack_set_visible_child_name (RETORT_WINDOW (user_data)->view_stack, "environments");
}

static void
focus_sidebar_action (GSimpleAction *action,
                      GVariant      *parameter,
                      gpointer       user_data)
{
  RetortWindow *self = user_data;

  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
  retort_sidebar_focus_filter (self->sidebar);
}

/* --- runs ---------------------------------------------------------------- */

/* Every change to a database goes one way: a RetortRun made here, a
 * session made with the confirmation (so the plan shown is the plan run),
 * the session started on confirmation, its pane shown. */

static void run_pane_close_cb (RetortWindow *self);

static void
show_run_pane (RetortWindow     *self,
               RetortRunSession *session)
{
  gboolean was_visible;

  /* made on first use: most windows never run anything, and the pane with
   * its log view would cost every window's first frame */
  if (self->run_pane == NULL)
    {
      if (session == NULL)
        return;
      self->run_pane = RETORT_RUN_PANE (retort_run_pane_new ());
      gtk_widget_set_size_request (GTK_WIDGET (self->run_pane), -1, 220);
      gtk_widget_set_visible (GTK_WIDGET (self->run_pane), FALSE);
      g_signal_connect_swapped (self->run_pane, "close", G_CALLBACK (run_pane_close_cb), self);
      gtk_paned_set_end_child (self->run_paned, GTK_WIDGET (self->run_pane));
    }
  was_visible = gtk_widget_get_visible (GTK_WIDGET (self->run_pane));

  retort_run_pane_set_session (self->run_pane, session);
  gtk_widget_set_visible (GTK_WIDGET (self->run_pane), session != NULL);
  if (session != NULL && !was_visible)
    {
      int height = gtk_widget_get_height (GTK_WIDGET (self->run_paned));
      /* the log gets two fifths, the timeline keeps the rest */
      if (height > 0)
        gtk_paned_set_position (self->run_paned, height - MAX (220, height * 2 / 5));
    }
}

/* the pane follows the selected database: its latest run, unless closed */
static void
update_run_pane (RetortWindow *self)
{
  RetortRunSession *session = self->profile != NULL ? retort_run_session_get_latest (self->profile) : NULL;

  if (session != NULL && !retort_run_session_get_running (session) &&
      g_object_get_data (G_OBJECT (session), "retort-pane-closed") != NULL)
    session = NULL;
  show_run_pane (self, session);
}

static void
run_pane_close_cb (RetortWindow *self)
{
  RetortRunSession *session = self->run_pane != NULL ? retort_run_pane_get_session (self->run_pane) : NULL;

  if (session != NULL)
    g_object_set_data (G_OBJECT (session), "retort-pane-closed", GINT_TO_POINTER (TRUE));
  show_run_pane (self, NULL);
}

static void
run_finished_cb (RetortRunSession *session,
                 RetortWindow     *self)
{
  RetortProfile *profile = retort_run_session_get_profile (session);
  g_autofree char *result = retort_run_session_describe_result (session);
  g_autofree char *text = profile != NULL ? g_strdup_printf ("%s: %s", retort_profile_get_name (profile), result)
                                          : g_strdup (result);

  toast (self, text);
  /* the pins and the status come from the database, read again */
  if (profile != NULL)
    retort_workspace_refresh_profile (self->workspace, profile);
  update_strip (self);
  update_actions (self);
  if (retort_run_session_get_state (session) == RETORT_RUN_SESSION_FAILED)
    retort_run_failure_dialog_present (session, GTK_WINDOW (self));
}

static gboolean
start_session (RetortWindow     *self,
               RetortRunSession *session)
{
  g_autoptr(GError) error = NULL;

  if (!retort_run_session_start (session, &error))
    {
      toast (self, error->message);
      return FALSE;
    }
  g_signal_connect_object (session, "finished", G_CALLBACK (run_finished_cb), self, 0);
  show_run_pane (self, session);
  update_strip (self);
  update_actions (self);
  return TRUE;
}

/* Refusals that need no dialog: said in a toast, with the reason. */
static gboolean
refuse_run (RetortWindow *self)
{
  g_autoptr(GError) error = NULL;

  if (self->project == NULL || !retort_project_get_loaded (self->project) || self->profile == NULL)
    {
      toast (self, _("Select a database first"));
      return TRUE;
    }
  if (!retort_run_session_check_allowed (self->profile, &error))
    {
      toast (self, error->message);
      return TRUE;
    }
  return FALSE;
}

static void
run_confirmed_cb (RetortRunDialog *dialog,
                  RetortWindow    *self)
{
  RetortRunSession *session = g_object_get_data (G_OBJECT (dialog), "retort-session");

  if (session != NULL)
    start_session (self, session);
}

static void
request_run (RetortWindow       *self,
             RetortRunOperation  operation,
             const char         *target,
             gboolean            purge)
{
  g_autoptr(RetortRun) run = NULL;
  g_autoptr(RetortRunSession) session = NULL;
  RetortRunDialog *dialog;

  if (refuse_run (self) || target == NULL)
    return;
  run = retort_run_new (retort_project_get_map (self->project), operation, (const char *[]) { target, NULL });
  retort_run_set_purge (run, purge);
  session = retort_run_session_new (self->profile, self->project, run);
  dialog = retort_run_dialog_new (self->profile, self->project, run);
  g_object_set_data_full (G_OBJECT (dialog), "retort-session", g_steal_pointer (&session), g_object_unref);
  g_signal_connect_object (dialog, "confirmed", G_CALLBACK (run_confirmed_cb), self, 0);
  gtk_window_set_transient_for (GTK_WINDOW (dialog), GTK_WINDOW (self));
  gtk_window_present (GTK_WINDOW (dialog));
}

static const char *
selected_revision_id (RetortWindow *self)
{
  RetortRevision *revision = gtk_single_selection_get_selected_item (self->selection);

  if (revision == NULL)
    {
      toast (self, _("Select a revision in the timeline first"));
      return NULL;
    }
  return retort_revision_get_id (revision);
}

static void
upgrade_action (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  request_run (user_data, RETORT_RUN_UPGRADE, g_variant_get_string (parameter, NULL), FALSE);
}

static void
downgrade_action (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  request_run (user_data, RETORT_RUN_DOWNGRADE, g_variant_get_string (parameter, NULL), FALSE);
}

static void
stamp_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  request_run (user_data, RETORT_RUN_STAMP, g_variant_get_string (parameter, NULL), FALSE);
}

static void
selected_action (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  RetortWindow *self = user_data;
  const char *name = g_action_get_name (G_ACTION (action));
  const char *id = selected_revision_id (self);

  if (id == NULL)
    return;
  if (g_str_equal (name, "upgrade-selected"))
    request_run (self, RETORT_RUN_UPGRADE, id, FALSE);
  else if (g_str_equal (name, "downgrade-selected"))
    request_run (self, RETORT_RUN_DOWNGRADE, id, FALSE);
  else
    request_run (self, RETORT_RUN_STAMP, id, g_str_equal (name, "stamp-purge-selected"));
}

static void
steps_response_cb (AdwMessageDialog *dialog,
                   const char       *response,
                   RetortWindow     *self)
{
  GtkSpinButton *spin = GTK_SPIN_BUTTON (adw_message_dialog_get_extra_child (dialog));
  gboolean upgrade = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (dialog), "retort-upgrade"));
  g_autofree char *target = NULL;

  if (!g_str_equal (response, "run"))
    return;
  target = g_strdup_printf ("%c%d", upgrade ? '+' : '-', gtk_spin_button_get_value_as_int (spin));
  request_run (self, upgrade ? RETORT_RUN_UPGRADE : RETORT_RUN_DOWNGRADE, target, FALSE);
}

/* +N and -N: how many revisions, then the usual confirmation */
static void
steps_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  RetortWindow *self = user_data;
  gboolean upgrade = g_str_equal (g_action_get_name (G_ACTION (action)), "upgrade-by");
  GtkWidget *dialog;
  GtkWidget *spin;

  if (refuse_run (self))
    return;
  dialog = adw_message_dialog_new (GTK_WINDOW (self),
                                   upgrade ? _("Upgrade by How Many Revisions?") : _("Downgrade by How Many Revisions?"),
                                   upgrade ? _("Alembic's +N: that many revisions up from where the database is now.")
                                           : _("Alembic's -N: that many revisions down from where the database is now."));
  spin = gtk_spin_button_new_with_range (1, 10000, 1);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), 1);
  gtk_widget_set_halign (spin, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (spin), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Number of revisions"), -1);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), spin);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"),
                                    "run", _("_Continue…"), NULL);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "run");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "run", ADW_RESPONSE_SUGGESTED);
  g_object_set_data (G_OBJECT (dialog), "retort-upgrade", GINT_TO_POINTER (upgrade));
  g_signal_connect_object (dialog, "response", G_CALLBACK (steps_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* The assistant was the confirmation. Its SQL came from the profile's rows
 * as they were when it opened; a modal window leaves nothing to re-read them
 * meanwhile, and the run still refuses if the database itself moved. */
static void
assistant_stamp_cb (RetortStampAssistant *assistant,
                    const char           *revision_id,
                    RetortWindow         *self)
{
  RetortProfile *profile = g_object_get_data (G_OBJECT (assistant), "retort-profile");
  RetortProject *project = g_object_get_data (G_OBJECT (assistant), "retort-project");
  g_autoptr(RetortRun) run = retort_run_new (retort_project_get_map (project), RETORT_RUN_STAMP,
                                             (const char *[]) { revision_id, NULL });
  g_autoptr(RetortRunSession) session = retort_run_session_new (profile, project, run);

  start_session (self, session);
}

static void
stamp_assistant_action (GSimpleAction *action,
                        GVariant      *parameter,
                        gpointer       user_data)
{
  RetortWindow *self = user_data;
  RetortStampAssistant *assistant;

  if (refuse_run (self))
    return;
  assistant = retort_stamp_assistant_new (self->profile, self->project);
  g_object_set_data_full (G_OBJECT (assistant), "retort-profile", g_object_ref (self->profile), g_object_unref);
  g_object_set_data_full (G_OBJECT (assistant), "retort-project", g_object_ref (self->project), g_object_unref);
  g_signal_connect_object (assistant, "stamp", G_CALLBACK (assistant_stamp_cb), self, 0);
  gtk_window_set_transient_for (GTK_WINDOW (assistant), GTK_WINDOW (self));
  gtk_window_present (GTK_WINDOW (assistant));
}

static void
cancel_run_action (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  RetortWindow *self = user_data;
  RetortRunSession *session = self->profile != NULL ? retort_run_session_get_active (self->profile) : NULL;

  if (session != NULL)
    retort_run_session_cancel (session);
}

static void
show_run_log_action (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       user_data)
{
  RetortWindow *self = user_data;
  RetortRunSession *session = self->profile != NULL ? retort_run_session_get_latest (self->profile) : NULL;

  if (session == NULL)
    return;
  g_object_set_data (G_OBJECT (session), "retort-pane-closed", NULL);
  show_run_pane (self, session);
}

/* right click (or long press) on a revision: select it, offer the runs to it */
static gboolean
popup_revision_menu (RetortWindow *self,
                     double        x,
                     double        y)
{
  GtkWidget *list = GTK_WIDGET (self->timeline_list);
  GtkWidget *picked = gtk_widget_pick (list, x, y, GTK_PICK_DEFAULT);
  GtkWidget *row = picked != NULL ? gtk_widget_get_ancestor (picked, RETORT_TYPE_REVISION_ROW) : NULL;
  RetortRevision *revision = row != NULL ? retort_revision_row_get_revision (RETORT_REVISION_ROW (row)) : NULL;
  int position;
  GdkRectangle at = { (int) x, (int) y, 1, 1 };

  if (revision == NULL || self->project == NULL)
    return FALSE;
  position = retort_project_get_position (self->project, revision);
  if (position < 0)
    return FALSE;
  gtk_single_selection_set_selected (self->selection, (guint) position);
  if (self->revision_popover == NULL)
    {
      self->revision_popover = gtk_popover_menu_new_from_model (self->revision_menu);
      gtk_widget_set_parent (self->revision_popover, list);
      gtk_popover_set_has_arrow (GTK_POPOVER (self->revision_popover), FALSE);
      gtk_widget_set_halign (self->revision_popover, GTK_ALIGN_START);
    }
  gtk_popover_set_pointing_to (GTK_POPOVER (self->revision_popover), &at);
  gtk_popover_popup (GTK_POPOVER (self->revision_popover));
  return TRUE;
}

static void
revision_click_cb (GtkGestureClick *gesture,
                   int              n_press,
                   double           x,
                   double           y,
                   RetortWindow    *self)
{
  if (popup_revision_menu (self, x, y))
    gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
}

static void
revision_long_press_cb (GtkGestureLongPress *gesture,
                        double               x,
                        double               y,
                        RetortWindow        *self)
{
  if (popup_revision_menu (self, x, y))
    gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
}

/* the Run menu's widgets are made when it first opens, not with the window */
static void
create_run_menu_cb (GtkMenuButton *button,
                    gpointer       user_data)
{
  RetortWindow *self = RETORT_WINDOW (gtk_widget_get_root (GTK_WIDGET (button)));

  gtk_menu_button_set_create_popup_func (button, NULL, NULL, NULL);
  gtk_menu_button_set_menu_model (button, self->run_menu);
}

static const GActionEntry win_entries[] = {
  { .name = "add-project", .activate = add_project_action },
  { .name = "add-project-ini", .activate = add_project_ini_action },
  { .name = "add-profile", .activate = add_profile_action },
  { .name = "add-profile-to", .activate = add_profile_to_action, .parameter_type = "s" },
  { .name = "edit-profile", .activate = edit_profile_action, .parameter_type = "s" },
  { .name = "edit-current-profile", .activate = edit_profile_action },
  { .name = "duplicate-profile", .activate = duplicate_profile_action, .parameter_type = "s" },
  { .name = "refresh-profile", .activate = refresh_profile_action, .parameter_type = "s" },
  { .name = "remove-profile", .activate = remove_profile_action, .parameter_type = "s" },
  { .name = "refresh-project", .activate = refresh_project_action, .parameter_type = "s" },
  { .name = "remove-project", .activate = remove_project_action, .parameter_type = "s" },
  { .name = "refresh", .activate = refresh_action },
  { .name = "enter-password", .activate = enter_password_action },
  { .name = "search", .activate = search_action },
  { .name = "find-next", .activate = find_next_action },
  { .name = "find-previous", .activate = find_previous_action },
  { .name = "jump-to-current", .activate = jump_to_current_action },
  { .name = "show-timeline", .activate = show_timeline_action },
  { .name = "show-environments", .activate = show_environments_action },
  { .name = "focus-sidebar", .activate = focus_sidebar_action },
  { .name = "upgrade", .activate = upgrade_action, .parameter_type = "s" },
  { .name = "downgrade", .activate = downgrade_action, .parameter_type = "s" },
  { .name = "stamp", .activate = stamp_action, .parameter_type = "s" },
  { .name = "upgrade-selected", .activate = selected_action },
  { .name = "downgrade-selected", .activate = selected_action },
  { .name = "stamp-selected", .activate = selected_action },
  { .name = "stamp-purge-selected", .activate = selected_action },
  { .name = "upgrade-by", .activate = steps_action },
  { .name = "downgrade-by", .activate = steps_action },
  { .name = "stamp-assistant", .activate = stamp_assistant_action },
  { .name = "cancel-run", .activate = cancel_run_action },
  { .name = "show-run-log", .activate = show_run_log_action },
};

static void
add_profile_requested_cb (RetortWindow *self)
{
  open_profile_dialog (self, self->project, NULL);
}

/* --- lifecycle ----------------------------------------------------------- */

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

  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  if (self->project != NULL)
    {
      g_clear_signal_handler (&self->project_loaded_id, self->project);
      g_clear_signal_handler (&self->project_profiles_id, self->project);
      g_clear_signal_handler (&self->project_replacing_id, self->project);
    }
  if (self->profile != NULL)
    g_clear_signal_handler (&self->profile_notify_id, self->profile);
  if (self->workspace != NULL)
    g_signal_handlers_disconnect_by_data (retort_workspace_get_projects (self->workspace), self);

  if (self->fill_tick_id != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self->timeline_list), self->fill_tick_id);
  self->fill_tick_id = 0;
  g_clear_pointer (&self->revision_popover, gtk_widget_unparent);
  gtk_widget_dispose_template (GTK_WIDGET (self), RETORT_TYPE_WINDOW);

  g_clear_object (&self->selection);
  g_clear_object (&self->filling);
  g_clear_object (&self->profile);
  g_clear_object (&self->project);
  g_clear_object (&self->workspace);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->bound_rows, g_hash_table_unref);

  G_OBJECT_CLASS (retort_window_parent_class)->dispose (object);
}

static void
retort_window_class_init (RetortWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = retort_window_dispose;
  window_class->close_request = retort_window_close_request;

  g_type_ensure (RETORT_TYPE_SIDEBAR);
  g_type_ensure (RETORT_TYPE_DETAIL_PANE);
  g_type_ensure (RETORT_TYPE_ENVIRONMENTS_VIEW);
  g_type_ensure (RETORT_TYPE_REVISION_ROW);
  g_type_ensure (RETORT_TYPE_RUN_PANE);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/ui/retort-window.ui");
  gtk_widget_class_bind_template_child (widget_class, RetortWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, RetortWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, RetortWindow, sidebar);
  gtk_widget_class_bind_template_child (widget_class, RetortWindow, content_header);
  gtk_widget_class_bind_template_child (widget_class, RetortWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, RetortWindow, tier_pill);
  gtk_widget_class_bind_template_child (widget_class, RetortWindow, status_revealer);
  gtk_widget_class_bind_template_child (widget_class, RetortWindow, status_strip);
  gtk_widget_class_bind_template_child (widget_class, RetortWindow, status_icon);
  gtk_widget_class_bind_template_child (widget_class, RetortWindow, status_label);
  gtk_widget_class_bind_template_child (widget_class, RetortWindow, status_button);
  gtk_widget_class_bind_template_child (widget_class, RetortWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, RetortWindow, welcome_page);
  gtk_widget_class_bind_template_child (widget_class, RetortWindow, config_error_page);
  gtk_widget_class_bind_template_child (widget_class, RetortWindow, timeline_spinner);
  gtk_widget_class_bind_template_child (widget_class, RetortWindow, error_page);
  gtk_widget_class_bind_template_child (widget_class, RetortWindow, problems_list);
  gtk_widget_class_bind_template_child (widget_class, RetortWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, RetortWindow, search_bar);
  gtk_widget_class_bind_template_child (widget_class, RetortWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, RetortWindow, search_result);
  gtk_widget_class_bind_template_child (widget_class, RetortWindow, timeline_scroller);
  gtk_widget_class_bind_template_child (widget_class, RetortWindow, timeline_list);
  gtk_widget_class_bind_template_child (widget_class, RetortWindow, detail_pane);
  gtk_widget_class_bind_template_child (widget_class, RetortWindow, environments_view);
  gtk_widget_class_bind_template_child (widget_class, RetortWindow, run_paned);
  gtk_widget_class_bind_template_child (widget_class, RetortWindow, run_menu_button);
  gtk_widget_class_bind_template_child (widget_class, RetortWindow, run_menu);
  gtk_widget_class_bind_template_child (widget_class, RetortWindow, revision_menu);
  gtk_widget_class_bind_template_callback (widget_class, sidebar_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, back_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, leaflet_folded_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_next_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_previous_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_stop_cb);
}

static void
retort_window_init (RetortWindow *self)
{
  g_autoptr(GtkListItemFactory) factory = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->bound_rows = g_hash_table_new (g_direct_hash, g_direct_equal);

  g_action_map_add_action_entries (G_ACTION_MAP (self), win_entries, G_N_ELEMENTS (win_entries), self);

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row_cb), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_row_cb), self);
  g_signal_connect (factory, "teardown", G_CALLBACK (teardown_row_cb), self);
  gtk_list_view_set_factory (self->timeline_list, factory);

  self->filling = gtk_slice_list_model_new (NULL, 0, G_MAXUINT);
  self->selection = gtk_single_selection_new (G_LIST_MODEL (g_object_ref (self->filling)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  g_signal_connect (self->selection, "selection-changed", G_CALLBACK (selection_changed_cb), self);
  gtk_list_view_set_model (self->timeline_list, GTK_SELECTION_MODEL (self->selection));

  gtk_search_bar_connect_entry (self->search_bar, GTK_EDITABLE (self->search_entry));
  g_signal_connect (self->detail_pane, "revision-activated", G_CALLBACK (revision_activated_cb), self);
  g_signal_connect (self->environments_view, "revision-activated", G_CALLBACK (revision_activated_cb), self);
  g_signal_connect_swapped (self->environments_view, "add-profile-requested",
                            G_CALLBACK (add_profile_requested_cb), self);
  gtk_menu_button_set_create_popup_func (self->run_menu_button, create_run_menu_cb, NULL, NULL);
  {
    GtkGesture *click = gtk_gesture_click_new ();
    GtkGesture *press = gtk_gesture_long_press_new ();

    gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_SECONDARY);
    g_signal_connect (click, "pressed", G_CALLBACK (revision_click_cb), self);
    gtk_widget_add_controller (GTK_WIDGET (self->timeline_list), GTK_EVENT_CONTROLLER (click));
    gtk_gesture_single_set_touch_only (GTK_GESTURE_SINGLE (press), TRUE);
    g_signal_connect (press, "pressed", G_CALLBACK (revision_long_press_cb), self);
    gtk_widget_add_controller (GTK_WIDGET (self->timeline_list), GTK_EVENT_CONTROLLER (press));
  }

  self->settings = retort_settings_new ();
  if (self->settings != NULL)
    {
      gtk_window_set_default_size (GTK_WINDOW (self),
                                   g_settings_get_int (self->settings, "window-width"),
                                   g_settings_get_int (self->settings, "window-height"));
      if (g_settings_get_boolean (self->settings, "is-maximized"))
        gtk_window_maximize (GTK_WINDOW (self));
    }
}

RetortWindow *
retort_window_new (GtkApplication  *application,
                   RetortWorkspace *workspace)
{
  RetortWindow *self;

  g_return_val_if_fail (!application || GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (RETORT_IS_WORKSPACE (workspace), NULL);

  self = g_object_new (RETORT_TYPE_WINDOW, "application", application, NULL);
  self->workspace = g_object_ref (workspace);
  g_signal_connect (retort_workspace_get_projects (workspace), "items-changed",
                    G_CALLBACK (projects_changed_cb), self);
  retort_sidebar_set_workspace (self->sidebar, workspace);
  update_content (self);
  return self;
}

RetortWorkspace *
retort_window_get_workspace (RetortWindow *self)
{
  g_return_val_if_fail (RETORT_IS_WINDOW (self), NULL);
  return self->workspace;
}

/**
 * retort_window_select:
 * @project: (nullable): a project of the window's workspace
 * @profile: (nullable): one of its databases
 *
 * Shows @project, with @profile's pins and shading when given.
 */
void
retort_window_select (RetortWindow  *self,
                      RetortProject *project,
                      RetortProfile *profile)
{
  g_return_if_fail (RETORT_IS_WINDOW (self));

  if (project != NULL)
    retort_sidebar_select (self->sidebar, project, profile);
  show_selection (self, project, profile);
}

/* Selects what was selected when the window was last closed, if it is still there. */
void
retort_window_restore_selection (RetortWindow *self)
{
  g_autofree char *project_id = NULL;
  g_autofree char *profile_id = NULL;
  RetortProject *project = NULL;
  RetortProfile *profile = NULL;

  g_return_if_fail (RETORT_IS_WINDOW (self));

  if (self->settings != NULL)
    {
      project_id = g_settings_get_string (self->settings, "selected-project");
      profile_id = g_settings_get_string (self->settings, "selected-profile");
      project = retort_workspace_find_project (self->workspace, project_id);
      if (*profile_id != '\0')
        profile = retort_workspace_find_profile (self->workspace, profile_id);
    }
  if (project == NULL)
    {
      g_autoptr(RetortProject) first = g_list_model_get_item (retort_workspace_get_projects (self->workspace), 0);
      project = first;  /* the store keeps it */
    }
  if (profile != NULL && retort_workspace_get_profile_project (self->workspace, profile) != project)
    profile = NULL;
  if (project != NULL)
    retort_window_select (self, project, profile);
}

/**
 * retort_window_open:
 * @location: an alembic.ini file, a folder holding one, or a script folder
 *
 * Adds @location to the workspace as a project (unless it is there already)
 * and shows it; its revisions load in the background.
 */
void
retort_window_open (RetortWindow *self,
                    GFile        *location)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  RetortProject *project;

  g_return_if_fail (RETORT_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (location));

  path = g_file_get_path (location);
  if (path == NULL)
    {
      g_autofree char *uri = g_file_get_uri (location);
      g_autofree char *message = g_strdup_printf (_("%s is not a local folder; only local projects can be opened"), uri);
      toast (self, message);
      return;
    }
  project = retort_workspace_add_project (self->workspace, path, &error);
  if (project == NULL)
    {
      toast (self, error->message);
      return;
    }
  retort_window_select (self, project, NULL);
}

RetortProject *
retort_window_get_project (RetortWindow *self)
{
  g_return_val_if_fail (RETORT_IS_WINDOW (self), NULL);
  return self->project;
}

RetortProfile *
retort_window_get_profile (RetortWindow *self)
{
  g_return_val_if_fail (RETORT_IS_WINDOW (self), NULL);
  return self->profile;
}

gboolean
retort_window_get_loading (RetortWindow *self)
{
  g_return_val_if_fail (RETORT_IS_WINDOW (self), FALSE);
  return self->project != NULL && retort_project_get_loading (self->project);
}

const char *
retort_window_get_page (RetortWindow *self)
{
  g_return_val_if_fail (RETORT_IS_WINDOW (self), NULL);
  return gtk_stack_get_visible_child_name (self->main_stack);
}

RetortSidebar *
retort_window_get_sidebar (RetortWindow *self)
{
  g_return_val_if_fail (RETORT_IS_WINDOW (self), NULL);
  return self->sidebar;
}

GtkListView *
retort_window_get_timeline (RetortWindow *self)
{
  g_return_val_if_fail (RETORT_IS_WINDOW (self), NULL);
  return self->timeline_list;
}

const char *
retort_window_get_status_text (RetortWindow *self)
{
  g_return_val_if_fail (RETORT_IS_WINDOW (self), NULL);
  return gtk_revealer_get_reveal_child (self->status_revealer) ? gtk_label_get_label (self->status_label) : NULL;
}

GtkWidget *
retort_window_get_run_pane (RetortWindow *self)
{
  g_return_val_if_fail (RETORT_IS_WINDOW (self), NULL);
  return GTK_WIDGET (self->run_pane);
}
