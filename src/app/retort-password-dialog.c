/* retort-password-dialog.c — asks for a database's password when it wants one
 *
 * The password lives in the entry's non-pageable buffer (GtkPasswordEntry),
 * then in the profile for the session and, if asked, in the keyring. It is
 * never logged or written to a file.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "retort-password-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "retort-password-dialog.h"
#include "retort-secrets.h"

struct _RetortPasswordDialog
{
  AdwMessageDialog  parent_instance;

  RetortProfile    *profile;

  /* template children */
  GtkPasswordEntry *password_entry;
  GtkCheckButton   *keyring_check;
  GtkLabel         *session_label;
};

G_DEFINE_FINAL_TYPE (RetortPasswordDialog, retort_password_dialog, ADW_TYPE_MESSAGE_DIALOG)

enum {
  PASSWORD_ENTERED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
on_password_changed (RetortPasswordDialog *self)
{
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->password_entry));

  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (self), "connect", *password != '\0');
}

static void
on_stored (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  /* the dialog is gone by now; the session has the password anyway */
  if (!retort_secrets_store_finish (result, &error))
    g_warning ("Could not keep the password in the keyring: %s", error->message);
}

static void
show_keyring_choice (RetortPasswordDialog *self)
{
  gboolean keyring = retort_secrets_available ();

  gtk_widget_set_visible (GTK_WIDGET (self->keyring_check), keyring);
  gtk_widget_set_visible (GTK_WIDGET (self->session_label), !keyring);
}

static void
on_probe_done (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(RetortPasswordDialog) self = user_data;

  retort_secrets_probe_finish (result, NULL);
  if (self->profile != NULL)  /* not disposed yet */
    show_keyring_choice (self);
}

static void
retort_password_dialog_response (AdwMessageDialog *dialog,
                                 const char       *response)
{
  RetortPasswordDialog *self = RETORT_PASSWORD_DIALOG (dialog);

  if (g_strcmp0 (response, "connect") == 0 && self->profile != NULL)
    {
      const char *password = gtk_editable_get_text (GTK_EDITABLE (self->password_entry));
      gboolean keyring = gtk_widget_get_visible (GTK_WIDGET (self->keyring_check)) &&
                         gtk_check_button_get_active (self->keyring_check);

      retort_profile_set_password (self->profile, password);
      if (keyring)
        {
          g_autofree char *label = retort_secrets_label (retort_profile_get_name (self->profile));
          retort_secrets_store_async (retort_profile_get_id (self->profile), label, password,
                                      NULL, on_stored, NULL);
        }
      g_signal_emit (self, signals[PASSWORD_ENTERED], 0, password, keyring);
    }

  if (ADW_MESSAGE_DIALOG_CLASS (retort_password_dialog_parent_class)->response != NULL)
    ADW_MESSAGE_DIALOG_CLASS (retort_password_dialog_parent_class)->response (dialog, response);
}

static void
retort_password_dialog_dispose (GObject *object)
{
  RetortPasswordDialog *self = RETORT_PASSWORD_DIALOG (object);

  /* GTK 4.8's GtkPasswordEntry leaves a focus handler on its text: if the
   * window still holds that text as its focus when it goes, the handler
   * runs on the freed entry */
  gtk_window_set_focus (GTK_WINDOW (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), RETORT_TYPE_PASSWORD_DIALOG);
  g_clear_object (&self->profile);

  G_OBJECT_CLASS (retort_password_dialog_parent_class)->dispose (object);
}

static void
retort_password_dialog_class_init (RetortPasswordDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  AdwMessageDialogClass *dialog_class = ADW_MESSAGE_DIALOG_CLASS (klass);

  object_class->dispose = retort_password_dialog_dispose;
  dialog_class->response = retort_password_dialog_response;

  /**
   * RetortPasswordDialog::password-entered:
   * @password: what was typed (do not keep it: the profile has it)
   * @remember_in_keyring: the keyring was asked to keep it
   */
  signals[PASSWORD_ENTERED] =
    g_signal_new ("password-entered", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE, G_TYPE_BOOLEAN);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/retort/Retort/ui/retort-password-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, RetortPasswordDialog, password_entry);
  gtk_widget_class_bind_template_child (widget_class, RetortPasswordDialog, keyring_check);
  gtk_widget_class_bind_template_child (widget_class, RetortPasswordDialog, session_label);
  gtk_widget_class_bind_template_callback (widget_class, on_password_changed);
}

static void
retort_password_dialog_init (RetortPasswordDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

RetortPasswordDialog *
retort_password_dialog_new (GtkWindow     *parent,
                            RetortProfile *profile)
{
  RetortPasswordDialog *self;
  g_autofree char *heading = NULL;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (RETORT_IS_PROFILE (profile), NULL);

  /* Translators: the heading of the password prompt; %s is a database profile's name */
  heading = g_strdup_printf (_("Password for %s"), retort_profile_get_name (profile));
  self = g_object_new (RETORT_TYPE_PASSWORD_DIALOG,
                       "transient-for", parent,
                       "heading", heading,
                       /* the address as it is safe to show: never a password */
                       "body", retort_profile_get_display (profile),
                       NULL);
  self->profile = g_object_ref (profile);

  show_keyring_choice (self);
  if (!retort_secrets_available ())
    retort_secrets_probe_async (NULL, on_probe_done, g_object_ref (self));
  gtk_widget_grab_focus (GTK_WIDGET (self->password_entry));
  return self;
}
