/* retort-run-pane.c — a run as it happens: progress, lock waits, the log,
 * and its outcome
 *
 * The pane only shows a RetortRunSession; the session lives on its profile,
 * so switching databases and back shows the same run again, still going or
 * finished.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "retort-run-pane"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "retort-log-view.h"
#include "retort-run-pane.h"

struct _RetortRunPane
{
  GtkWidget         parent_instance;

  GtkStack         *state_stack;
  GtkImage         *state_icon;
  GtkLabel         *title_label;
  GtkLabel         *progress_label;
  GtkLabel         *elapsed_label;
  GtkWidget        *details_button;
  GtkWidget        *cancel_button;
  GtkWidget        *close_button;
  GtkProgressBar   *progress_bar;
  GtkLabel         *statement_label;
  GtkRevealer      *lock_revealer;
  GtkLabel         *lock_label;
  GtkWidget        *keep_waiting_button;
  RetortLogView    *log_view;

  RetortRunSession *session;
  char             *dismissed_lock;  /* the lock message "Keep Waiting" hid */
  char             *progress_text;
};

G_DEFINE_FINAL_TYPE (RetortRunPane, retort_run_pane, GTK_TYPE_WIDGET)

enum {
  SIGNAL_CLOSE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static char *
format_elapsed (gint64 us)
{
  gint64 seconds = us / G_USEC_PER_SEC;

  if (seconds < 3600)
    return g_strdup_printf ("%02d:%02d.%03d", (int) (seconds / 60), (int) (seconds % 60),
                            (int) (us / 1000 % 1000));
  return g_strdup_printf ("%d:%02d:%02d", (int) (seconds / 3600), (int) (seconds / 60 % 60), (int) (seconds % 60));
}

static char *
describe_progress (RetortRunSession *session)
{
  guint step = retort_run_session_get_step (session);
  guint n_steps = retort_run_session_get_n_steps (session);
  const char *label = retort_run_session_get_step_label (session);

  if (retort_run_session_get_running (session))
    {
      if (n_steps == 0)
        return g_strdup (_("Connecting and taking the migration lock…"));
      /* TRANSLATORS: "Step 2 of 6 · Upgrade 3c9e1f5a -> 4d2a6b8c, add price history" */
      return g_strdup_printf (_("Step %u of %u · %s"), MAX (step, 1u), n_steps, label != NULL ? label : "");
    }
  return retort_run_session_describe_result (session);
}

static void
update (RetortRunPane *self)
{
  RetortRunSession *session = self->session;
  RetortRunSessionState state;
  gboolean running;
  guint n_steps;
  const char *statement;
  const char *lock;
  g_autofree char *elapsed = NULL;

  if (session == NULL)
    return;
  state = retort_run_session_get_state (session);
  running = state == RETORT_RUN_SESSION_RUNNING;
  n_steps = retort_run_session_get_n_steps (session);

  gtk_label_set_text (self->title_label, retort_run_session_get_title (session));
  g_free (self->progress_text);
  self->progress_text = describe_progress (session);
  gtk_label_set_text (self->progress_label, self->progress_text);
  elapsed = format_elapsed (retort_run_session_get_elapsed (session));
  gtk_label_set_text (self->elapsed_label, elapsed);

  if (running)
    {
      /* the step in progress counts half, so the bar moves when it starts */
      guint step = retort_run_session_get_step (session);
      double fraction = n_steps > 0 && step > 0 ? (step - 0.5) / n_steps : 0.0;

      gtk_progress_bar_set_fraction (self->progress_bar, fraction);
    }
  else if (state == RETORT_RUN_SESSION_SUCCEEDED)
    gtk_progress_bar_set_fraction (self->progress_bar, 1.0);

  gtk_stack_set_visible_child_name (self->state_stack, running ? "running" : "done");
  gtk_widget_remove_css_class (GTK_WIDGET (self->state_icon), "success");
  gtk_widget_remove_css_class (GTK_WIDGET (self->state_icon), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->state_icon), "warning");
  switch (state)
    {
    case RETORT_RUN_SESSION_SUCCEEDED:
      gtk_image_set_from_icon_name (self->state_icon, "emblem-ok-symbolic");
      gtk_widget_add_css_class (GTK_WIDGET (self->state_icon), "success");
      break;
    case RETORT_RUN_SESSION_FAILED:
      gtk_image_set_from_icon_name (self->state_icon, "dialog-error-symbolic");
      gtk_widget_add_css_class (GTK_WIDGET (self->state_icon), "error");
      break;
    case RETORT_RUN_SESSION_CANCELLED:
      gtk_image_set_from_icon_name (self->state_icon, "process-stop-symbolic");
      gtk_widget_add_css_class (GTK_WIDGET (self->state_icon), "warning");
      break;
    case RETORT_RUN_SESSION_READY:
    case RETORT_RUN_SESSION_RUNNING:
    default:
      break;
    }
  gtk_widget_set_visible (self->cancel_button, running);
  gtk_widget_set_sensitive (self->cancel_button, running);
  gtk_widget_set_visible (self->close_button, !running);
  gtk_widget_set_visible (self->details_button, state == RETORT_RUN_SESSION_FAILED);

  statement = retort_run_session_get_statement (session);
  if (running && statement != NULL)
    {
      /* TRANSLATORS: the statement the database is running now */
      g_autofree char *text = g_strdup_printf (_("Running: %s"), statement);
      gtk_label_set_text (self->statement_label, text);
    }
  else if (!running)
    {
      g_autofree char *database = retort_run_session_describe_database (session);
      gtk_label_set_text (self->statement_label, database);
    }
  else
    gtk_label_set_text (self->statement_label, "");

  lock = retort_run_session_get_lock_message (session);
  if (lock != NULL)
    gtk_label_set_text (self->lock_label, lock);
  gtk_revealer_set_reveal_child (self->lock_revealer,
                                 running && lock != NULL &&
                                 g_strcmp0 (retort_run_session_get_lock_identity (session), self->dismissed_lock) != 0);
}

static void
session_changed_cb (RetortRunSession *session,
                    RetortRunPane    *self)
{
  update (self);
}

static void
on_cancel_clicked (RetortRunPane *self)
{
  if (self->session != NULL)
    retort_run_session_cancel (self->session);
  gtk_widget_set_sensitive (self->cancel_button, FALSE);
}

static void
on_keep_waiting_clicked (RetortRunPane *self)
{
  /* hidden until someone else holds the lock, or the same one anew */
  g_free (self->dismissed_lock);
  self->dismissed_lock = self->session != NULL ? g_strdup (retort_run_session_get_lock_identity (self->session)) : NULL;
  gtk_revealer_set_reveal_child (self->lock_revealer, FALSE);
}

static void
on_close_clicked (RetortRunPane *self)
{
  g_signal_emit (self, signals[SIGNAL_CLOSE], 0);
}

static void
on_details_clicked (RetortRunPane *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (self->session != NULL)
    retort_run_failure_dialog_present (self->session, GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL);
}

/* ---- the failure dialog ------------------------------------------------------------ */

static void
add_fact (GtkGrid    *grid,
          int         row,
          const char *name,
          const char *value,
          gboolean    monospace)
{
  GtkWidget *label = gtk_label_new (name);
  GtkWidget *text = gtk_label_new (value);

  gtk_widget_add_css_class (label, "dim-label");
  gtk_label_set_xalign (GTK_LABEL (label), 1.0);
  gtk_label_set_yalign (GTK_LABEL (label), 0.0);
  gtk_label_set_xalign (GTK_LABEL (text), 0.0);
  gtk_label_set_wrap (GTK_LABEL (text), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (text), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (text), TRUE);
  /* wrapping labels measure their height at their minimum width: give
   * them a real one, or the dialog grows as tall as one character per line */
  gtk_label_set_width_chars (GTK_LABEL (text), 44);
  gtk_label_set_max_width_chars (GTK_LABEL (text), 70);
  gtk_widget_set_hexpand (text, TRUE);
  if (monospace)
    gtk_widget_add_css_class (text, "monospace");
  gtk_grid_attach (grid, label, 0, row, 1, 1);
  gtk_grid_attach (grid, text, 1, row, 1, 1);
}

AdwMessageDialog *
retort_run_failure_dialog_present (RetortRunSession *session,
                                   GtkWindow        *parent)
{
  const GError *error;
  RetortProject *project;
  RetortRevisionMap *map;
  RetortRevision *revision = NULL;
  const char *revision_id;
  const char *statement;
  const char *sqlstate;
  guint line;
  GtkGrid *grid;
  GtkWidget *dialog;
  int row = 0;
  g_autofree char *heading = NULL;
  g_autofree char *database = NULL;

  g_return_val_if_fail (RETORT_IS_RUN_SESSION (session), NULL);
  if ((error = retort_run_session_get_error (session)) == NULL)
    return NULL;

  project = retort_run_session_get_project (session);
  map = project != NULL ? retort_project_get_map (project) : NULL;
  revision_id = retort_run_session_get_step_revision (session);
  if (map != NULL && revision_id != NULL)
    revision = retort_revision_map_lookup (map, revision_id);
  statement = retort_database_error_get_statement (error);
  sqlstate = retort_database_error_get_sqlstate (error);
  line = retort_database_error_get_line (error);

  {
    RetortProfile *profile = retort_run_session_get_profile (session);
    const char *name = profile != NULL ? retort_profile_get_name (profile) : "";

    switch (retort_run_get_operation (retort_run_session_get_run (session)))
      {
      case RETORT_RUN_UPGRADE:
        heading = g_strdup_printf (_("The upgrade of %s failed"), name);
        break;
      case RETORT_RUN_DOWNGRADE:
        heading = g_strdup_printf (_("The downgrade of %s failed"), name);
        break;
      case RETORT_RUN_STAMP:
      default:
        heading = g_strdup_printf (_("The stamp of %s failed"), name);
        break;
      }
  }
  dialog = adw_message_dialog_new (parent, heading, NULL);
  database = retort_run_session_describe_database (session);
  adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (dialog), database);

  grid = GTK_GRID (gtk_grid_new ());
  gtk_grid_set_row_spacing (grid, 6);
  gtk_grid_set_column_spacing (grid, 12);
  if (revision_id != NULL)
    {
      g_autofree char *text = revision != NULL
        ? g_strdup_printf ("%s — %s", revision_id, retort_revision_get_doc (revision) != NULL
                                                     ? retort_revision_get_doc (revision) : "")
        : g_strdup (revision_id);
      add_fact (grid, row++, _("Revision"), text, FALSE);
    }
  if (revision != NULL)
    {
      g_autofree char *where = line > 0 ? g_strdup_printf (_("%s, line %u"), retort_revision_get_path (revision), line)
                                        : g_strdup (retort_revision_get_path (revision));
      add_fact (grid, row++, _("File"), where, FALSE);
    }
  if (statement != NULL)
    add_fact (grid, row++, _("Statement"), statement, TRUE);
  if (sqlstate != NULL)
    add_fact (grid, row++, _("SQLSTATE"), sqlstate, TRUE);
  {
    /* the run prefixes its step ("upgrade a -> b, message: "): shown above */
    const char *label = retort_run_session_get_step_label (session);
    const char *message = error->message;

    if (label != NULL && g_str_has_prefix (message, label) && g_str_has_prefix (message + strlen (label), ": "))
      message += strlen (label) + 2;
    add_fact (grid, row++, _("Server message"), message, FALSE);
  }
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), GTK_WIDGET (grid));
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "close");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "close");
  gtk_widget_add_css_class (dialog, "run-failure");
  gtk_window_present (GTK_WINDOW (dialog));
  return ADW_MESSAGE_DIALOG (dialog);
}

/* ---- the widget --------------------------------------------------------------------- */

static void
retort_run_pane_dispose (GObject *object)
{
  RetortRunPane *self = RETORT_RUN_PANE (object);

  GtkWidget *child;

  retort_run_pane_set_session (self, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), RETORT_TYPE_RUN_PANE);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  G_OBJECT_CLASS (retort_run_pane_parent_class)->dispose (object);
}

static void
retort_run_pane_finalize (GObject *object)
{
  RetortRunPane *self = RETORT_RUN_PANE (object);

  g_free (self->dismissed_lock);
  g_free (self->progress_text);
  G_OBJECT_CLASS (retort_run_pane_parent_class)->finalize (object);
}

static void
retort_run_pane_class_init (RetortRunPaneClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = retort_run_pane_dispose;
  object_class->finalize = retort_run_pane_finalize;

  /* the user wants the pane hidden (the run has finished) */
  signals[SIGNAL_CLOSE] = g_signal_new ("close", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                        0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  g_type_ensure (RETORT_TYPE_LOG_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class, "/org/retort/Retort/ui/retort-run-pane.ui");
  gtk_widget_class_bind_template_child (widget_class, RetortRunPane, state_stack);
  gtk_widget_class_bind_template_child (widget_class, RetortRunPane, state_icon);
  gtk_widget_class_bind_template_child (widget_class, RetortRunPane, title_label);
  gtk_widget_class_bind_template_child (widget_class, RetortRunPane, progress_label);
  gtk_widget_class_bind_template_child (widget_class, RetortRunPane, elapsed_label);
  gtk_widget_class_bind_template_child (widget_class, RetortRunPane, details_button);
  gtk_widget_class_bind_template_child (widget_class, RetortRunPane, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, RetortRunPane, close_button);
  gtk_widget_class_bind_template_child (widget_class, RetortRunPane, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, RetortRunPane, statement_label);
  gtk_widget_class_bind_template_child (widget_class, RetortRunPane, lock_revealer);
  gtk_widget_class_bind_template_child (widget_class, RetortRunPane, lock_label);
  gtk_widget_class_bind_template_child (widget_class, RetortRunPane, keep_waiting_button);
  gtk_widget_class_bind_template_child (widget_class, RetortRunPane, log_view);
  gtk_widget_class_bind_template_callback (widget_class, on_cancel_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_keep_waiting_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_close_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_details_clicked);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "runpane");
}

static void
retort_run_pane_init (RetortRunPane *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_orientable_set_orientation (GTK_ORIENTABLE (gtk_widget_get_layout_manager (GTK_WIDGET (self))),
                                  GTK_ORIENTATION_VERTICAL);
}

GtkWidget *
retort_run_pane_new (void)
{
  return g_object_new (RETORT_TYPE_RUN_PANE, NULL);
}

void
retort_run_pane_set_session (RetortRunPane    *self,
                             RetortRunSession *session)
{
  g_return_if_fail (RETORT_IS_RUN_PANE (self));

  if (self->session == session)
    return;
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_set_object (&self->session, session);
  g_clear_pointer (&self->dismissed_lock, g_free);
  gtk_progress_bar_set_fraction (self->progress_bar, 0.0);
  if (self->log_view != NULL)
    retort_log_view_set_log (self->log_view, session != NULL ? retort_run_session_get_log (session) : NULL);
  if (session != NULL)
    {
      g_signal_connect (session, "changed", G_CALLBACK (session_changed_cb), self);
      update (self);
    }
}

RetortRunSession *
retort_run_pane_get_session (RetortRunPane *self)
{
  g_return_val_if_fail (RETORT_IS_RUN_PANE (self), NULL);
  return self->session;
}

const char *
retort_run_pane_get_progress_text (RetortRunPane *self)
{
  g_return_val_if_fail (RETORT_IS_RUN_PANE (self), NULL);
  return self->progress_text;
}

double
retort_run_pane_get_fraction (RetortRunPane *self)
{
  g_return_val_if_fail (RETORT_IS_RUN_PANE (self), 0.0);
  return gtk_progress_bar_get_fraction (self->progress_bar);
}

const char *
retort_run_pane_get_lock_text (RetortRunPane *self)
{
  g_return_val_if_fail (RETORT_IS_RUN_PANE (self), NULL);
  return gtk_label_get_text (self->lock_label);
}

gboolean
retort_run_pane_get_lock_shown (RetortRunPane *self)
{
  g_return_val_if_fail (RETORT_IS_RUN_PANE (self), FALSE);
  return gtk_revealer_get_reveal_child (self->lock_revealer);
}

GtkWidget *
retort_run_pane_get_log_view (RetortRunPane *self)
{
  g_return_val_if_fail (RETORT_IS_RUN_PANE (self), NULL);
  return GTK_WIDGET (self->log_view);
}

GtkWidget *
retort_run_pane_get_cancel_button (RetortRunPane *self)
{
  g_return_val_if_fail (RETORT_IS_RUN_PANE (self), NULL);
  return self->cancel_button;
}

GtkWidget *
retort_run_pane_get_keep_waiting_button (RetortRunPane *self)
{
  g_return_val_if_fail (RETORT_IS_RUN_PANE (self), NULL);
  return self->keep_waiting_button;
}
