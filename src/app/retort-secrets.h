/* retort-secrets.h — database passwords in the user's keyring (libsecret)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Whether a secret service answers on the session bus, as last probed.
 * Never blocks: without a session bus it is FALSE at once; otherwise it is
 * the cached answer of a probe (FALSE until one finishes — the first call
 * starts one). */
gboolean retort_secrets_available      (void);

/* Asks the bus (not the keyring) whether org.freedesktop.secrets is owned
 * or can be activated; the answer is cached per bus address. */
void     retort_secrets_probe_async    (GCancellable         *cancellable,
                                        GAsyncReadyCallback   callback,
                                        gpointer              user_data);
gboolean retort_secrets_probe_finish   (GAsyncResult         *result,
                                        GError              **error);

/* NULL without an error: nothing stored, or no keyring to ask.
 * Free the password with retort_secrets_password_free(). */
void     retort_secrets_lookup_async   (const char           *profile_id,
                                        GCancellable         *cancellable,
                                        GAsyncReadyCallback   callback,
                                        gpointer              user_data);
char    *retort_secrets_lookup_finish  (GAsyncResult         *result,
                                        GError              **error);

/* label is what the keyring shows, e.g. retort_secrets_label (name) */
void     retort_secrets_store_async    (const char           *profile_id,
                                        const char           *label,
                                        const char           *password,
                                        GCancellable         *cancellable,
                                        GAsyncReadyCallback   callback,
                                        gpointer              user_data);
gboolean retort_secrets_store_finish   (GAsyncResult         *result,
                                        GError              **error);

/* TRUE if a password was removed; FALSE without an error if none was there */
void     retort_secrets_clear_async    (const char           *profile_id,
                                        GCancellable         *cancellable,
                                        GAsyncReadyCallback   callback,
                                        gpointer              user_data);
gboolean retort_secrets_clear_finish   (GAsyncResult         *result,
                                        GError              **error);

/* "Retort: <profile name>", translated */
char    *retort_secrets_label          (const char           *profile_name);
/* wipes the memory before freeing it; NULL is fine */
void     retort_secrets_password_free  (char                 *password);

G_END_DECLS
