/* retort-password-dialog.h — asks for a database's password when it wants one
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "retort-profile.h"

G_BEGIN_DECLS

#define RETORT_TYPE_PASSWORD_DIALOG (retort_password_dialog_get_type ())
G_DECLARE_FINAL_TYPE (RetortPasswordDialog, retort_password_dialog, RETORT, PASSWORD_DIALOG, AdwMessageDialog)

/* On Connect the dialog gives the profile the password for the session
 * (retort_profile_set_password), puts it in the keyring if asked, then emits
 * "password-entered" (const char *password, gboolean remember_in_keyring)
 * and closes. Cancel closes without a word. Present it yourself. */
RetortPasswordDialog *retort_password_dialog_new (GtkWindow     *parent,
                                                  RetortProfile *profile);

G_END_DECLS
