/* retort-log-view.c — a run's live log: the lines, search, save and copy
 *
 * A GtkListView over a RetortRunLog, so only the visible rows exist however
 * long the log grows. While the view is at the bottom it follows new lines;
 * scrolling up (or jumping to a match) stops that, and a Jump to Bottom
 * button brings it back.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "retort-log-view"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "retort-log-view.h"

#define SHORT_REVISION_CHARS 8
/* how close to the end still counts as at the bottom, in pixels */
#define BOTTOM_SLACK 2.0

struct _RetortLogView
{
  GtkWidget             parent_instance;

  GtkSearchEntry       *search_entry;
  AdwToastOverlay      *toast_overlay;
  GtkScrolledWindow    *scrolled_window;
  GtkListView          *list_view;
  GtkWidget            *jump_button;

  RetortRunLog         *log;
  GtkSingleSelection   *selection;
  GtkAdjustment        *vadjustment;
  GCancellable         *cancellable;
  GtkFileChooserNative *chooser;

  gboolean              following;
  double                last_value;
  double                last_upper;
  gint                  current_match;
};

G_DEFINE_FINAL_TYPE (RetortLogView, retort_log_view, GTK_TYPE_WIDGET)

/* ---- rows ------------------------------------------------------------------------ */

typedef struct
{
  GtkLabel *time;
  GtkImage *icon;
  GtkLabel *revision;
  GtkLabel *text;
  GtkLabel *details;
} RowWidgets;

static const char *
level_icon (RetortLogLevel level)
{
  switch (level)
    {
    case RETORT_LOG_LEVEL_STATEMENT: return "utilities-terminal-symbolic";
    case RETORT_LOG_LEVEL_NOTICE: return "dialog-information-symbolic";
    case RETORT_LOG_LEVEL_WARNING: return "dialog-warning-symbolic";
    case RETORT_LOG_LEVEL_ERROR: return "dialog-error-symbolic";
    case RETORT_LOG_LEVEL_REVISION: return "go-next-symbolic";
    case RETORT_LOG_LEVEL_INFO:
    default: return NULL;
    }
}

static const char *
level_class (RetortLogLevel level)
{
  switch (level)
    {
    case RETORT_LOG_LEVEL_STATEMENT: return "statement";
    case RETORT_LOG_LEVEL_NOTICE: return "notice";
    case RETORT_LOG_LEVEL_WARNING: return "warning";
    case RETORT_LOG_LEVEL_ERROR: return "error";
    case RETORT_LOG_LEVEL_REVISION: return "revision";
    case RETORT_LOG_LEVEL_INFO:
    default: return "info";
    }
}

static GtkLabel *
row_label (GtkWidget  *box,
           const char *css_class)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_single_line_mode (GTK_LABEL (label), TRUE);
  gtk_widget_add_css_class (label, css_class);
  gtk_box_append (GTK_BOX (box), label);
  return GTK_LABEL (label);
}

static void
setup_row (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           gpointer                  user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  RowWidgets *row = g_new0 (RowWidgets, 1);

  gtk_widget_add_css_class (box, "log-row");
  row->time = row_label (box, "log-time");
  row->icon = GTK_IMAGE (gtk_image_new ());
  gtk_widget_add_css_class (GTK_WIDGET (row->icon), "log-icon");
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (row->icon));
  row->revision = row_label (box, "log-revision");
  gtk_label_set_width_chars (row->revision, SHORT_REVISION_CHARS);
  row->text = row_label (box, "log-text");
  gtk_label_set_ellipsize (row->text, PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (GTK_WIDGET (row->text), TRUE);
  row->details = row_label (box, "log-details");
  gtk_label_set_xalign (row->details, 1);

  g_object_set_data_full (G_OBJECT (box), "row", row, g_free);
  gtk_list_item_set_child (item, box);
}

static char *
format_details (RetortLogEntry *entry)
{
  gint64 duration = retort_log_entry_get_duration (entry);
  gint64 rows = retort_log_entry_get_rows (entry);
  g_autofree char *time = NULL;

  if (duration < 0 && rows < 0)
    return NULL;
  if (duration >= 0)
    time = duration < 1000000 ? g_strdup_printf (_("%.1f ms"), duration / 1000.0)
                              : g_strdup_printf (_("%.2f s"), duration / 1e6);
  if (rows < 0)
    return g_steal_pointer (&time);
  g_autofree char *count = g_strdup_printf ("%" G_GINT64_FORMAT, rows);
  /* TRANSLATORS: rows a statement changed or returned; %s is the number */
  g_autofree char *rows_text = g_strdup_printf (ngettext ("%s row", "%s rows", (gulong) rows),
                                                count);
  if (time == NULL)
    return g_steal_pointer (&rows_text);
  return g_strdup_printf ("%s · %s", time, rows_text);
}

static void
bind_row (GtkSignalListItemFactory *factory,
          GtkListItem              *item,
          gpointer                  user_data)
{
  RetortLogEntry *entry = gtk_list_item_get_item (item);
  GtkWidget *box = gtk_list_item_get_child (item);
  RowWidgets *row = g_object_get_data (G_OBJECT (box), "row");
  RetortLogLevel level = retort_log_entry_get_level (entry);
  const char *revision = retort_log_entry_get_revision (entry);
  const char *icon = level_icon (level);
  gint64 wall = retort_log_entry_get_wall_time (entry);
  g_autoptr(GDateTime) when = g_date_time_new_from_unix_local (wall / G_USEC_PER_SEC);
  g_autofree char *time = NULL;
  g_autofree char *short_revision = NULL;
  g_autofree char *details = format_details (entry);
  const char *classes[] = { "log-row", level_class (level),
                            retort_log_entry_is_marker (entry) ? "marker" : NULL, NULL };

  if (when != NULL)
    {
      g_autofree char *seconds = g_date_time_format (when, "%H:%M:%S");
      time = g_strdup_printf ("%s.%03d", seconds, (int) (wall % G_USEC_PER_SEC / 1000));
    }
  if (revision != NULL)
    short_revision = g_utf8_substring (revision, 0, MIN (g_utf8_strlen (revision, -1), SHORT_REVISION_CHARS));

  gtk_widget_set_css_classes (box, classes);
  gtk_label_set_label (row->time, time);
  gtk_image_set_from_icon_name (row->icon, icon);
  gtk_label_set_label (row->revision, short_revision);
  gtk_widget_set_tooltip_text (GTK_WIDGET (row->revision), revision);
  gtk_label_set_label (row->text, retort_log_entry_get_text (entry));
  gtk_label_set_label (row->details, details);
  gtk_widget_set_visible (GTK_WIDGET (row->details), details != NULL);
}

/* ---- following the end ------------------------------------------------------------ */

static gboolean
is_at_bottom (RetortLogView *self)
{
  GtkAdjustment *adj = self->vadjustment;

  return gtk_adjustment_get_value (adj) + gtk_adjustment_get_page_size (adj) >=
         gtk_adjustment_get_upper (adj) - BOTTOM_SLACK;
}

static void
update_jump_button (RetortLogView *self)
{
  gtk_widget_set_visible (self->jump_button, !self->following && !is_at_bottom (self));
}

static void
scroll_to_bottom (RetortLogView *self)
{
  guint n = self->log != NULL ? g_list_model_get_n_items (G_LIST_MODEL (self->log)) : 0;

  if (n > 0)
    gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.scroll-to-item", "u", n - 1);
}

static void
on_value_changed (RetortLogView *self,
                  GtkAdjustment *adjustment)
{
  double value = gtk_adjustment_get_value (adjustment);
  double upper = gtk_adjustment_get_upper (adjustment);

  /* the list moves the value itself while its estimate of the height
   * settles; only a move up with the height unchanged is the user's */
  if (is_at_bottom (self))
    self->following = TRUE;
  else if (value < self->last_value && upper == self->last_upper)
    self->following = FALSE;
  self->last_value = value;
  self->last_upper = upper;
  update_jump_button (self);
}

static void
on_adjustment_changed (RetortLogView *self,
                       GtkAdjustment *adjustment)
{
  /* the list's estimate of its height grew: follow it to the real end */
  if (self->following && !is_at_bottom (self))
    gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment) -
                                          gtk_adjustment_get_page_size (adjustment));
  self->last_upper = gtk_adjustment_get_upper (adjustment);
  self->last_value = gtk_adjustment_get_value (adjustment);
  update_jump_button (self);
}

static void
on_items_changed (RetortLogView *self,
                  guint          position,
                  guint          removed,
                  guint          added,
                  GListModel    *model)
{
  if (self->following && added > 0)
    scroll_to_bottom (self);
  if (self->current_match >= 0 && (guint) self->current_match >= position && removed > 0)
    self->current_match = -1;
}

/* ---- search ------------------------------------------------------------------------ */

static void
show_match (RetortLogView *self,
            gint           position)
{
  gboolean found = position >= 0;

  if (found)
    gtk_widget_remove_css_class (GTK_WIDGET (self->search_entry), "error");
  else
    gtk_widget_add_css_class (GTK_WIDGET (self->search_entry), "error");
  if (!found)
    return;
  self->current_match = position;
  /* looking at a match: new lines must not scroll it away */
  self->following = FALSE;
  gtk_single_selection_set_selected (self->selection, position);
  gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.scroll-to-item", "u", (guint) position);
  update_jump_button (self);
}

static gint
find_wrapping (RetortLogView      *self,
               const char         *text,
               gint                from,
               RetortLogDirection  direction)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->log));
  gint found;

  if (n == 0)
    return -1;
  if (from < 0)
    from = direction == RETORT_LOG_FORWARD ? 0 : (gint) n - 1;
  if ((guint) from >= n)
    from = direction == RETORT_LOG_FORWARD ? 0 : (gint) n - 1;
  found = retort_run_log_find (self->log, text, from, direction);
  if (found < 0)
    found = retort_run_log_find (self->log, text, direction == RETORT_LOG_FORWARD ? 0 : n - 1, direction);
  return found;
}

static void
search (RetortLogView      *self,
        gint                from,
        RetortLogDirection  direction)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));

  if (self->log == NULL || text[0] == '\0')
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->search_entry), "error");
      return;
    }
  show_match (self, find_wrapping (self, text, from, direction));
}

static void
on_search_changed (RetortLogView *self)
{
  /* refine in place: the current match stays if it still matches */
  search (self, MAX (self->current_match, 0), RETORT_LOG_FORWARD);
}

static void
on_search_next (RetortLogView *self)
{
  search (self, self->current_match + 1, RETORT_LOG_FORWARD);
}

static void
on_search_previous (RetortLogView *self)
{
  search (self, self->current_match - 1, RETORT_LOG_BACKWARD);
}

static void
on_stop_search (RetortLogView *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  gtk_widget_grab_focus (GTK_WIDGET (self->list_view));
}

/* ---- actions ------------------------------------------------------------------------ */

static void
show_toast (RetortLogView *self,
            const char    *title)
{
  AdwToast *toast = adw_toast_new (title);

  adw_toast_set_timeout (toast, 3);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
copy_all_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  RetortLogView *self = RETORT_LOG_VIEW (widget);
  g_autofree char *text = NULL;
  g_autofree char *title = NULL;
  guint n;

  if (self->log == NULL)
    return;
  text = retort_run_log_get_text (self->log);
  n = retort_run_log_get_n_lines (self->log);
  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), text);
  title = g_strdup_printf (ngettext ("Copied %u line", "Copied %u lines", n), n);
  show_toast (self, title);
}

static void
saved_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(RetortLogView) self = user_data;
  g_autoptr(GError) error = NULL;

  if (retort_run_log_save_finish (RETORT_RUN_LOG (object), result, &error))
    show_toast (self, _("Log saved"));
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_autofree char *title = g_strdup_printf (_("Could not save the log: %s"), error->message);
      show_toast (self, title);
    }
}

static void
chooser_response_cb (RetortLogView        *self,
                     int                   response,
                     GtkFileChooserNative *chooser)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT && self->log != NULL)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  if (file != NULL)
    retort_run_log_save_async (self->log, file, self->cancellable, saved_cb, g_object_ref (self));
  g_clear_object (&self->chooser);
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  RetortLogView *self = RETORT_LOG_VIEW (widget);
  GtkRoot *root = gtk_widget_get_root (widget);

  if (self->log == NULL || self->chooser != NULL)
    return;
  self->chooser = gtk_file_chooser_native_new (_("Save Log"),
                                               GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                               GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), "retort-run.log");
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (chooser_response_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
next_match_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  on_search_next (RETORT_LOG_VIEW (widget));
}

static void
previous_match_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  on_search_previous (RETORT_LOG_VIEW (widget));
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  RetortLogView *self = RETORT_LOG_VIEW (widget);

  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
  gtk_editable_select_region (GTK_EDITABLE (self->search_entry), 0, -1);
}

static void
jump_to_bottom_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  RetortLogView *self = RETORT_LOG_VIEW (widget);

  self->following = TRUE;
  scroll_to_bottom (self);
  update_jump_button (self);
}

/* ---- the object ------------------------------------------------------------------------ */

static void
retort_log_view_dispose (GObject *object)
{
  RetortLogView *self = RETORT_LOG_VIEW (object);
  GtkWidget *child;

  g_cancellable_cancel (self->cancellable);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  gtk_widget_dispose_template (GTK_WIDGET (self), RETORT_TYPE_LOG_VIEW);
  /* the toolbar is not a bound child: the template leaves it to us */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->selection);
  g_clear_object (&self->log);
  G_OBJECT_CLASS (retort_log_view_parent_class)->dispose (object);
}

static void
retort_log_view_finalize (GObject *object)
{
  RetortLogView *self = RETORT_LOG_VIEW (object);

  g_clear_object (&self->cancellable);
  G_OBJECT_CLASS (retort_log_view_parent_class)->finalize (object);
}

static void
retort_log_view_class_init (RetortLogViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = retort_log_view_dispose;
  object_class->finalize = retort_log_view_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/org/retort/Retort/ui/retort-log-view.ui");
  gtk_widget_class_bind_template_child (widget_class, RetortLogView, search_entry);
  gtk_widget_class_bind_template_child (widget_class, RetortLogView, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, RetortLogView, scrolled_window);
  gtk_widget_class_bind_template_child (widget_class, RetortLogView, list_view);
  gtk_widget_class_bind_template_child (widget_class, RetortLogView, jump_button);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_search_next);
  gtk_widget_class_bind_template_callback (widget_class, on_search_previous);
  gtk_widget_class_bind_template_callback (widget_class, on_stop_search);

  gtk_widget_class_install_action (widget_class, "log.copy-all", NULL, copy_all_action);
  gtk_widget_class_install_action (widget_class, "log.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "log.next-match", NULL, next_match_action);
  gtk_widget_class_install_action (widget_class, "log.previous-match", NULL, previous_match_action);
  gtk_widget_class_install_action (widget_class, "log.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "log.jump-to-bottom", NULL, jump_to_bottom_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "log.search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_g, GDK_CONTROL_MASK, "log.next-match", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_g, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "log.previous-match", NULL);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "logview");
}

static void
retort_log_view_init (RetortLogView *self)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_orientable_set_orientation (GTK_ORIENTABLE (gtk_widget_get_layout_manager (GTK_WIDGET (self))),
                                  GTK_ORIENTATION_VERTICAL);
  self->cancellable = g_cancellable_new ();
  self->following = TRUE;
  self->current_match = -1;

  g_signal_connect (factory, "setup", G_CALLBACK (setup_row), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row), NULL);
  gtk_list_view_set_factory (self->list_view, factory);

  self->selection = gtk_single_selection_new (NULL);
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));

  self->vadjustment = gtk_scrolled_window_get_vadjustment (self->scrolled_window);
  g_signal_connect_object (self->vadjustment, "value-changed", G_CALLBACK (on_value_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->vadjustment, "changed", G_CALLBACK (on_adjustment_changed), self,
                           G_CONNECT_SWAPPED);
}

GtkWidget *
retort_log_view_new (void)
{
  return g_object_new (RETORT_TYPE_LOG_VIEW, NULL);
}

void
retort_log_view_set_log (RetortLogView *self,
                         RetortRunLog  *log)
{
  g_return_if_fail (RETORT_IS_LOG_VIEW (self));
  g_return_if_fail (log == NULL || RETORT_IS_RUN_LOG (log));

  if (self->log == log)
    return;
  if (self->log != NULL)
    g_signal_handlers_disconnect_by_data (self->log, self);
  g_set_object (&self->log, log);
  self->current_match = -1;
  self->following = TRUE;
  /* the list hears of new lines first, then on_items_changed scrolls to them */
  gtk_single_selection_set_model (self->selection, G_LIST_MODEL (log));
  if (log != NULL)
    {
      g_signal_connect_object (log, "items-changed", G_CALLBACK (on_items_changed), self, G_CONNECT_SWAPPED);
      scroll_to_bottom (self);
    }
  update_jump_button (self);
}

RetortRunLog *
retort_log_view_get_log (RetortLogView *self)
{
  g_return_val_if_fail (RETORT_IS_LOG_VIEW (self), NULL);
  return self->log;
}

gboolean
retort_log_view_get_following (RetortLogView *self)
{
  g_return_val_if_fail (RETORT_IS_LOG_VIEW (self), FALSE);
  return self->following;
}

gint
retort_log_view_search (RetortLogView *self,
                        const char    *text)
{
  g_return_val_if_fail (RETORT_IS_LOG_VIEW (self), -1);

  self->current_match = -1;
  /* search-changed is delayed while typing; a caller wants the answer now */
  g_signal_handlers_block_by_func (self->search_entry, on_search_changed, self);
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text);
  g_signal_handlers_unblock_by_func (self->search_entry, on_search_changed, self);
  search (self, 0, RETORT_LOG_FORWARD);
  return self->current_match;
}
