/* retort-sidebar.c — every project with its databases and their live status
 *
 * A GtkListBox rather than a list view: a desktop holds a handful of
 * projects and tens of profiles, and the rows differ in kind (a project
 * heading, a profile, a hint to add the first database). Rows are rebuilt
 * when a project or profile comes or goes; a status change only touches
 * its own row, through signals that die with the row.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "retort-sidebar"

#include "config.h"

#include <glib/gi18n.h>

#include "retort-sidebar.h"

struct _RetortSidebar
{
  GtkWidget        parent_instance;

  RetortWorkspace *workspace;
  GtkSearchEntry  *filter_entry;
  GtkListBox      *list;
  char            *filter;        /* casefolded; NULL when empty */
  gboolean         rebuilding;    /* row-selected during a rebuild is not the user's */
};

G_DEFINE_FINAL_TYPE (RetortSidebar, retort_sidebar, GTK_TYPE_WIDGET)

enum {
  SIGNAL_SELECTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void rebuild (RetortSidebar *self);

/* --- rows ---------------------------------------------------------------- */

static RetortProject *
row_project (GtkListBoxRow *row)
{
  return g_object_get_data (G_OBJECT (row), "retort-project");
}

static RetortProfile *
row_profile (GtkListBoxRow *row)
{
  return g_object_get_data (G_OBJECT (row), "retort-profile");
}

static const char *
status_class (RetortProfileState state)
{
  switch (state)
    {
    case RETORT_PROFILE_STATE_UP_TO_DATE: return "status-ok";
    case RETORT_PROFILE_STATE_PENDING:
    case RETORT_PROFILE_STATE_NOT_VERSIONED: return "status-pending";
    case RETORT_PROFILE_STATE_LEGACY: return "status-legacy";
    case RETORT_PROFILE_STATE_UNKNOWN_REVISION:
    case RETORT_PROFILE_STATE_BROKEN:
    case RETORT_PROFILE_STATE_UNREACHABLE:
    case RETORT_PROFILE_STATE_NEEDS_PASSWORD:
    case RETORT_PROFILE_STATE_INVALID: return "status-error";
    case RETORT_PROFILE_STATE_UNCHECKED:
    case RETORT_PROFILE_STATE_CHECKING:
    default: return "status-none";
    }
}

static void
update_profile_row (GtkListBoxRow *row)
{
  RetortProfile *profile = row_profile (row);
  GtkWidget *dot = g_object_get_data (G_OBJECT (row), "dot");
  GtkWidget *name = g_object_get_data (G_OBJECT (row), "name");
  GtkWidget *lock = g_object_get_data (G_OBJECT (row), "lock");
  GtkWidget *spinner = g_object_get_data (G_OBJECT (row), "spinner");
  GtkWidget *chip = g_object_get_data (G_OBJECT (row), "chip");
  gboolean running = retort_profile_get_running (profile);
  gboolean checking = retort_profile_get_checking (profile) || running;
  const char *dot_classes[] = { "tier-dot", retort_profile_get_tier_class (profile), NULL };
  const char *chip_classes[] = { "chip", "status-chip", status_class (retort_profile_get_state (profile)), NULL };
  g_autofree char *tooltip = NULL;

  gtk_widget_set_css_classes (dot, dot_classes);
  /* in GTK 4.8 setting a tooltip is an X round trip: only when it changes */
  if (g_strcmp0 (gtk_widget_get_tooltip_text (dot), retort_profile_get_tier_label (profile)) != 0)
    gtk_widget_set_tooltip_text (dot, retort_profile_get_tier_label (profile));
  gtk_label_set_label (GTK_LABEL (name), retort_profile_get_name (profile));
  gtk_widget_set_visible (lock, retort_profile_get_read_only (profile));
  gtk_widget_set_visible (spinner, checking);
  gtk_spinner_set_spinning (GTK_SPINNER (spinner), checking);
  gtk_widget_set_visible (chip, running || (!checking && *retort_profile_get_status_label (profile) != '\0'));
  /* Translators: a database's chip in the sidebar while a run changes it */
  gtk_label_set_label (GTK_LABEL (chip), running ? _("running") : retort_profile_get_status_label (profile));
  gtk_widget_set_css_classes (chip, chip_classes);

  /* Translators: tooltip of a database in the sidebar: tier, address, status */
  tooltip = g_strdup_printf (_("%s · %s\n%s"), retort_profile_get_tier_label (profile),
                             retort_profile_get_display (profile),
                             retort_profile_get_status_message (profile));
  /* given when asked for (query-tooltip): a status change costs no X round trip */
  g_object_set_data_full (G_OBJECT (row), "retort-tooltip", g_strdup (tooltip), g_free);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, retort_profile_get_name (profile),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, tooltip,
                                  -1);
  gtk_list_box_row_changed (row);
}

static void
profile_notify_cb (RetortProfile *profile,
                   GParamSpec    *pspec,
                   GtkListBoxRow *row)
{
  update_profile_row (row);
}

static void
context_menu_cb (GtkGestureClick *gesture,
                 int              n_press,
                 double           x,
                 double           y,
                 GtkListBoxRow   *row)
{
  GtkPopover *menu = g_object_get_data (G_OBJECT (row), "menu");

  gtk_popover_set_pointing_to (menu, &(GdkRectangle) { (int) x, (int) y, 1, 1 });
  gtk_popover_popup (menu);
}

static void
add_context_menu (GtkListBoxRow *row,
                  GMenuModel    *model)
{
  GtkWidget *menu = gtk_popover_menu_new_from_model (model);
  GtkGesture *click = gtk_gesture_click_new ();
  GtkGesture *press = gtk_gesture_long_press_new ();

  gtk_widget_set_parent (menu, GTK_WIDGET (row));
  gtk_popover_set_has_arrow (GTK_POPOVER (menu), FALSE);
  gtk_widget_set_halign (menu, GTK_ALIGN_START);
  g_object_set_data (G_OBJECT (row), "menu", menu);
  /* a row's own children go in its dispose, which "destroy" is part of */
  g_signal_connect_swapped (row, "destroy", G_CALLBACK (gtk_widget_unparent), menu);

  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_SECONDARY);
  g_signal_connect (click, "pressed", G_CALLBACK (context_menu_cb), row);
  gtk_widget_add_controller (GTK_WIDGET (row), GTK_EVENT_CONTROLLER (click));
  gtk_gesture_single_set_touch_only (GTK_GESTURE_SINGLE (press), TRUE);
  g_signal_connect_swapped (press, "pressed", G_CALLBACK (gtk_popover_popup), menu);
  gtk_widget_add_controller (GTK_WIDGET (row), GTK_EVENT_CONTROLLER (press));
}

static GMenuModel *
profile_menu (RetortProfile *profile)
{
  GMenu *menu = g_menu_new ();
  GVariant *target = g_variant_new_string (retort_profile_get_id (profile));
  const struct { const char *label; const char *action; } items[] = {
    { N_("_Edit…"), "win.edit-profile" },
    { N_("_Duplicate"), "win.duplicate-profile" },
    { N_("_Refresh"), "win.refresh-profile" },
    { N_("Re_move…"), "win.remove-profile" },
  };

  g_variant_ref_sink (target);
  for (guint i = 0; i < G_N_ELEMENTS (items); i++)
    {
      g_autoptr(GMenuItem) item = g_menu_item_new (_(items[i].label), NULL);
      g_menu_item_set_action_and_target_value (item, items[i].action, target);
      g_menu_append_item (menu, item);
    }
  g_variant_unref (target);
  return G_MENU_MODEL (menu);
}

static gboolean
query_row_tooltip_cb (GtkWidget  *row,
                      int         x,
                      int         y,
                      gboolean    keyboard,
                      GtkTooltip *tooltip,
                      gpointer    user_data)
{
  const char *text = g_object_get_data (G_OBJECT (row), "retort-tooltip");

  if (text == NULL)
    return FALSE;
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

static GtkWidget *
profile_row_new (RetortProject *project,
                 RetortProfile *profile)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *dot = gtk_label_new (NULL);
  GtkWidget *name = gtk_label_new (NULL);
  GtkWidget *lock = gtk_image_new_from_icon_name ("changes-prevent-symbolic");
  GtkWidget *spinner = gtk_spinner_new ();
  GtkWidget *chip = gtk_label_new (NULL);
  g_autoptr(GMenuModel) menu = profile_menu (profile);

  gtk_widget_add_css_class (row, "profile-row");
  gtk_widget_set_has_tooltip (row, TRUE);
  g_signal_connect (row, "query-tooltip", G_CALLBACK (query_row_tooltip_cb), NULL);
  gtk_widget_set_valign (dot, GTK_ALIGN_CENTER);
  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (name, TRUE);
  gtk_widget_set_tooltip_text (lock, _("Read-only: nothing can be run on this database"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (lock), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Read-only"), -1);
  gtk_widget_set_valign (chip, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (box), dot);
  gtk_box_append (GTK_BOX (box), name);
  gtk_box_append (GTK_BOX (box), lock);
  gtk_box_append (GTK_BOX (box), spinner);
  gtk_box_append (GTK_BOX (box), chip);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);

  g_object_set_data_full (G_OBJECT (row), "retort-project", g_object_ref (project), g_object_unref);
  g_object_set_data_full (G_OBJECT (row), "retort-profile", g_object_ref (profile), g_object_unref);
  g_object_set_data (G_OBJECT (row), "dot", dot);
  g_object_set_data (G_OBJECT (row), "name", name);
  g_object_set_data (G_OBJECT (row), "lock", lock);
  g_object_set_data (G_OBJECT (row), "spinner", spinner);
  g_object_set_data (G_OBJECT (row), "chip", chip);
  add_context_menu (GTK_LIST_BOX_ROW (row), menu);

  g_signal_connect_object (profile, "notify", G_CALLBACK (profile_notify_cb), row, 0);
  update_profile_row (GTK_LIST_BOX_ROW (row));
  return row;
}

static void
update_project_row (GtkListBoxRow *row)
{
  RetortProject *project = row_project (row);
  GtkWidget *title = g_object_get_data (G_OBJECT (row), "title");
  GtkWidget *warning = g_object_get_data (G_OBJECT (row), "warning");
  gboolean failed = !retort_project_get_loaded (project) && retort_project_get_folder (project) != NULL;
  g_autofree char *path = g_file_get_path (retort_project_get_location (project));

  gtk_label_set_label (GTK_LABEL (title), retort_project_get_title (project));
  gtk_widget_set_visible (warning, failed);
  gtk_widget_set_tooltip_text (GTK_WIDGET (row), path);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, retort_project_get_title (project),
                                  -1);
}

static void
project_notify_cb (RetortProject *project,
                   GParamSpec    *pspec,
                   GtkListBoxRow *row)
{
  update_project_row (row);
}

static GMenuModel *
project_menu (RetortProject *project)
{
  GMenu *menu = g_menu_new ();
  GVariant *target = g_variant_ref_sink (g_variant_new_string (retort_project_get_id (project)));
  const struct { const char *label; const char *action; } items[] = {
    { N_("_Add Database…"), "win.add-profile-to" },
    { N_("_Refresh"), "win.refresh-project" },
    { N_("Re_move Project…"), "win.remove-project" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (items); i++)
    {
      g_autoptr(GMenuItem) item = g_menu_item_new (_(items[i].label), NULL);
      g_menu_item_set_action_and_target_value (item, items[i].action, target);
      g_menu_append_item (menu, item);
    }
  g_variant_unref (target);
  return G_MENU_MODEL (menu);
}

static GtkWidget *
project_row_new (RetortProject *project)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *title = gtk_label_new (NULL);
  GtkWidget *warning = gtk_image_new_from_icon_name ("dialog-warning-symbolic");
  g_autoptr(GMenuModel) menu = project_menu (project);

  gtk_widget_add_css_class (row, "project-row");
  gtk_widget_add_css_class (title, "heading");
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (title, TRUE);
  gtk_widget_add_css_class (warning, "warning");
  gtk_accessible_update_property (GTK_ACCESSIBLE (warning), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("The project’s revisions could not be loaded"), -1);
  gtk_box_append (GTK_BOX (box), title);
  gtk_box_append (GTK_BOX (box), warning);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);

  g_object_set_data_full (G_OBJECT (row), "retort-project", g_object_ref (project), g_object_unref);
  g_object_set_data (G_OBJECT (row), "title", title);
  g_object_set_data (G_OBJECT (row), "warning", warning);
  add_context_menu (GTK_LIST_BOX_ROW (row), menu);

  g_signal_connect_object (project, "notify", G_CALLBACK (project_notify_cb), row, 0);
  update_project_row (GTK_LIST_BOX_ROW (row));
  return row;
}

/* A project with no databases says how to add one, in place. */
static GtkWidget *
hint_row_new (RetortProject *project)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *button = gtk_button_new_with_mnemonic (_("_Add a Database…"));

  gtk_widget_add_css_class (row, "hint-row");
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_list_box_row_set_selectable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_halign (button, GTK_ALIGN_START);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "win.add-profile-to");
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (button),
                                          g_variant_new_string (retort_project_get_id (project)));
  gtk_widget_set_tooltip_text (button, _("This project has no databases yet"));
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), button);
  g_object_set_data_full (G_OBJECT (row), "retort-project", g_object_ref (project), g_object_unref);
  return row;
}

/* --- filter -------------------------------------------------------------- */

static gboolean
matches (RetortSidebar *self,
         const char    *text)
{
  g_autofree char *folded = NULL;

  if (self->filter == NULL)
    return TRUE;
  folded = g_utf8_casefold (text, -1);
  return strstr (folded, self->filter) != NULL;
}

static gboolean
project_matches (RetortSidebar *self,
                 RetortProject *project)
{
  GListModel *profiles = retort_project_get_profiles (project);

  if (matches (self, retort_project_get_title (project)))
    return TRUE;
  for (guint i = 0; i < g_list_model_get_n_items (profiles); i++)
    {
      g_autoptr(RetortProfile) profile = g_list_model_get_item (profiles, i);
      if (matches (self, retort_profile_get_name (profile)))
        return TRUE;
    }
  return FALSE;
}

static gboolean
filter_row (GtkListBoxRow *row,
            gpointer       user_data)
{
  RetortSidebar *self = user_data;
  RetortProfile *profile = row_profile (row);
  RetortProject *project = row_project (row);

  if (self->filter == NULL)
    return TRUE;
  if (profile != NULL)
    return matches (self, retort_profile_get_name (profile)) ||
           matches (self, retort_project_get_title (project));
  return project_matches (self, project);
}

static void
filter_changed_cb (GtkSearchEntry *entry,
                   RetortSidebar  *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (entry));

  g_clear_pointer (&self->filter, g_free);
  if (text != NULL && *text != '\0')
    self->filter = g_utf8_casefold (text, -1);
  gtk_list_box_invalidate_filter (self->list);
}

/* --- building ------------------------------------------------------------ */

static void
models_changed_cb (GListModel    *model,
                   guint          position,
                   guint          removed,
                   guint          added,
                   RetortSidebar *self)
{
  rebuild (self);
}

static void
rebuild (RetortSidebar *self)
{
  RetortProject *selected_project = retort_sidebar_get_selected_project (self);
  RetortProfile *selected_profile = retort_sidebar_get_selected_profile (self);
  g_autoptr(RetortProject) keep_project = selected_project ? g_object_ref (selected_project) : NULL;
  g_autoptr(RetortProfile) keep_profile = selected_profile ? g_object_ref (selected_profile) : NULL;
  GListModel *projects;
  GtkWidget *child;

  self->rebuilding = TRUE;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, child);

  if (self->workspace == NULL)
    {
      self->rebuilding = FALSE;
      return;
    }

  projects = retort_workspace_get_projects (self->workspace);
  for (guint i = 0; i < g_list_model_get_n_items (projects); i++)
    {
      g_autoptr(RetortProject) project = g_list_model_get_item (projects, i);
      GListModel *profiles = retort_project_get_profiles (project);
      guint n = g_list_model_get_n_items (profiles);

      /* rows die with the rebuild; the model handler is connected once */
      if (g_object_get_data (G_OBJECT (profiles), "retort-sidebar") != self)
        {
          g_object_set_data (G_OBJECT (profiles), "retort-sidebar", self);
          g_signal_connect_object (profiles, "items-changed", G_CALLBACK (models_changed_cb), self, 0);
        }

      gtk_list_box_append (self->list, project_row_new (project));
      for (guint p = 0; p < n; p++)
        {
          g_autoptr(RetortProfile) profile = g_list_model_get_item (profiles, p);
          gtk_list_box_append (self->list, profile_row_new (project, profile));
        }
      if (n == 0)
        gtk_list_box_append (self->list, hint_row_new (project));
    }
  self->rebuilding = FALSE;

  if (keep_project != NULL)
    retort_sidebar_select (self, keep_project, keep_profile);
}

static void
row_selected_cb (GtkListBox    *list,
                 GtkListBoxRow *row,
                 RetortSidebar *self)
{
  if (self->rebuilding)
    return;
  g_signal_emit (self, signals[SIGNAL_SELECTED], 0,
                 row != NULL ? row_project (row) : NULL,
                 row != NULL ? row_profile (row) : NULL);
}

static void
retort_sidebar_dispose (GObject *object)
{
  RetortSidebar *self = RETORT_SIDEBAR (object);
  GtkWidget *child;

  /* the workspace may go with our reference: not a word from it after this */
  if (self->workspace != NULL)
    g_signal_handlers_disconnect_by_data (retort_workspace_get_projects (self->workspace), self);
  gtk_widget_dispose_template (GTK_WIDGET (self), RETORT_TYPE_SIDEBAR);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->workspace);
  g_clear_pointer (&self->filter, g_free);

  G_OBJECT_CLASS (retort_sidebar_parent_class)->dispose (object);
}

static void
retort_sidebar_class_init (RetortSidebarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = retort_sidebar_dispose;

  /* project (nullable), profile (nullable) */
  signals[SIGNAL_SELECTED] =
    g_signal_new ("selected",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, RETORT_TYPE_PROJECT, RETORT_TYPE_PROFILE);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/ui/retort-sidebar.ui");
  gtk_widget_class_bind_template_child (widget_class, RetortSidebar, filter_entry);
  gtk_widget_class_bind_template_child (widget_class, RetortSidebar, list);
  gtk_widget_class_bind_template_callback (widget_class, filter_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, row_selected_cb);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "retort-sidebar");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
retort_sidebar_init (RetortSidebar *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_orientable_set_orientation (GTK_ORIENTABLE (gtk_widget_get_layout_manager (GTK_WIDGET (self))),
                                  GTK_ORIENTATION_VERTICAL);
  gtk_list_box_set_filter_func (self->list, filter_row, self, NULL);
}

GtkWidget *
retort_sidebar_new (void)
{
  return g_object_new (RETORT_TYPE_SIDEBAR, NULL);
}

void
retort_sidebar_set_workspace (RetortSidebar   *self,
                              RetortWorkspace *workspace)
{
  g_return_if_fail (RETORT_IS_SIDEBAR (self));

  if (self->workspace != NULL)
    g_signal_handlers_disconnect_by_data (retort_workspace_get_projects (self->workspace), self);
  g_set_object (&self->workspace, workspace);
  if (workspace != NULL)
    g_signal_connect_object (retort_workspace_get_projects (workspace), "items-changed",
                             G_CALLBACK (models_changed_cb), self, 0);
  rebuild (self);
}

void
retort_sidebar_select (RetortSidebar *self,
                       RetortProject *project,
                       RetortProfile *profile)
{
  GtkWidget *child;

  g_return_if_fail (RETORT_IS_SIDEBAR (self));

  for (child = gtk_widget_get_first_child (GTK_WIDGET (self->list));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkListBoxRow *row = GTK_LIST_BOX_ROW (child);

      if (!gtk_list_box_row_get_selectable (row))
        continue;
      if (row_project (row) == project && row_profile (row) == profile)
        {
          if (gtk_list_box_get_selected_row (self->list) != row)
            gtk_list_box_select_row (self->list, row);
          return;
        }
    }
}

RetortProject *
retort_sidebar_get_selected_project (RetortSidebar *self)
{
  GtkListBoxRow *row;

  g_return_val_if_fail (RETORT_IS_SIDEBAR (self), NULL);
  row = gtk_list_box_get_selected_row (self->list);
  return row != NULL ? row_project (row) : NULL;
}

RetortProfile *
retort_sidebar_get_selected_profile (RetortSidebar *self)
{
  GtkListBoxRow *row;

  g_return_val_if_fail (RETORT_IS_SIDEBAR (self), NULL);
  row = gtk_list_box_get_selected_row (self->list);
  return row != NULL ? row_profile (row) : NULL;
}

GtkWidget *
retort_sidebar_get_row_for_profile (RetortSidebar *self,
                                    RetortProfile *profile)
{
  g_return_val_if_fail (RETORT_IS_SIDEBAR (self), NULL);

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->list));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (row_profile (GTK_LIST_BOX_ROW (child)) == profile)
      return child;
  return NULL;
}

void
retort_sidebar_focus_filter (RetortSidebar *self)
{
  g_return_if_fail (RETORT_IS_SIDEBAR (self));
  gtk_widget_grab_focus (GTK_WIDGET (self->filter_entry));
}
