/* retort-secrets.c — database passwords in the user's keyring (libsecret)
 *
 * Every call first asks the bus whether a secret service is there at all:
 * libsecret would otherwise wait for a D-Bus activation that never comes
 * (25 s) on machines without a keyring, and without a session bus GLib
 * would even try to spawn one through dbus-launch. The answer is cached
 * per bus address, so after the first probe an unavailable keyring costs
 * nothing.
 *
 * Passwords are never logged and never copied into anything but memory
 * that is wiped before it is freed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "retort-secrets"

#include "config.h"

#include <string.h>
#include <sys/stat.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <libsecret/secret.h>

#include "retort-secrets.h"

#define SECRETS_BUS_NAME "org.freedesktop.secrets"
#define PROBE_TIMEOUT_MS 2000

static const SecretSchema password_schema = {
  "org.retort.Retort.Password",
  SECRET_SCHEMA_NONE,
  {
    { "profile", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  },
};

/* --- is there a keyring at all ------------------------------------------ */

typedef enum {
  PROBE_UNKNOWN,
  PROBE_RUNNING,
  PROBE_AVAILABLE,
  PROBE_UNAVAILABLE,
} ProbeState;

static GMutex     probe_lock;
static char      *probe_address;  /* the bus the cached answer is about */
static ProbeState probe_state = PROBE_UNKNOWN;

/* Where GLib would find the session bus, without asking it: GLib's own
 * lookup ends in spawning dbus-launch when there is no bus. */
static char *
session_bus_address (void)
{
  const char *address = g_getenv ("DBUS_SESSION_BUS_ADDRESS");
  g_autofree char *socket_path = NULL;
  GStatBuf info;

  if (address != NULL && *address != '\0')
    return g_strdup (address);
  socket_path = g_build_filename (g_get_user_runtime_dir (), "bus", NULL);
  if (g_lstat (socket_path, &info) == 0 && S_ISSOCK (info.st_mode))
    {
      g_autofree char *escaped = g_dbus_address_escape_value (socket_path);
      return g_strconcat ("unix:path=", escaped, NULL);
    }
  return NULL;
}

/* Takes address. Returns the cached state for it, or PROBE_UNKNOWN. */
static ProbeState
cached_state (const char *address)
{
  ProbeState state = PROBE_UNKNOWN;

  g_mutex_lock (&probe_lock);
  if (g_strcmp0 (probe_address, address) == 0)
    state = probe_state;
  g_mutex_unlock (&probe_lock);
  return state;
}

static void
set_cached_state (const char *address,
                  ProbeState  state)
{
  g_mutex_lock (&probe_lock);
  if (g_strcmp0 (probe_address, address) != 0)
    {
      g_free (probe_address);
      probe_address = g_strdup (address);
    }
  probe_state = state;
  g_mutex_unlock (&probe_lock);
}

typedef struct {
  char            *address;
  GDBusConnection *bus;
} Probe;

static void
probe_free (Probe *probe)
{
  g_free (probe->address);
  if (probe->bus != NULL)
    g_dbus_connection_close (probe->bus, NULL, NULL, NULL);
  g_clear_object (&probe->bus);
  g_free (probe);
}

static void
probe_return (GTask   *task,
              gboolean available)
{
  Probe *probe = g_task_get_task_data (task);

  set_cached_state (probe->address, available ? PROBE_AVAILABLE : PROBE_UNAVAILABLE);
  g_task_return_boolean (task, available);
}

/* A failed probe caches nothing when it was only cancelled. */
static void
probe_return_error (GTask  *task,
                    GError *error)
{
  Probe *probe = g_task_get_task_data (task);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      if (cached_state (probe->address) == PROBE_RUNNING)
        set_cached_state (probe->address, PROBE_UNKNOWN);
      g_task_return_error (task, error);
    }
  else
    {
      /* a bus that does not answer has no keyring for us */
      g_debug ("no secret service: %s", error->message);
      g_error_free (error);
      probe_return (task, FALSE);
    }
}

static void
on_list_activatable (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GVariant) reply = NULL;
  g_autofree const char **names = NULL;
  GError *error = NULL;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, &error);
  if (reply == NULL)
    {
      probe_return_error (task, error);
      return;
    }
  g_variant_get (reply, "(^a&s)", &names);
  probe_return (task, g_strv_contains (names, SECRETS_BUS_NAME));
}

static void
on_name_has_owner (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  /* read before the task is handed on: argument order is unspecified */
  GCancellable *cancellable = g_task_get_cancellable (task);
  g_autoptr(GVariant) reply = NULL;
  Probe *probe = g_task_get_task_data (task);
  GError *error = NULL;
  gboolean has_owner = FALSE;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, &error);
  if (reply == NULL)
    {
      probe_return_error (task, error);
      return;
    }
  g_variant_get (reply, "(b)", &has_owner);
  if (has_owner)
    {
      probe_return (task, TRUE);
      return;
    }
  /* not running, but the bus may start it on the first call */
  g_dbus_connection_call (probe->bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                          "org.freedesktop.DBus", "ListActivatableNames", NULL,
                          G_VARIANT_TYPE ("(as)"), G_DBUS_CALL_FLAGS_NONE, PROBE_TIMEOUT_MS,
                          cancellable, on_list_activatable,
                          g_steal_pointer (&task));
}

static void
on_bus_ready (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  /* read before the task is handed on: argument order is unspecified */
  GCancellable *cancellable = g_task_get_cancellable (task);
  Probe *probe = g_task_get_task_data (task);
  GError *error = NULL;

  probe->bus = g_dbus_connection_new_for_address_finish (result, &error);
  if (probe->bus == NULL)
    {
      probe_return_error (task, error);
      return;
    }
  /* NameHasOwner is answered by the bus itself: it never activates anything */
  g_dbus_connection_call (probe->bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                          "org.freedesktop.DBus", "NameHasOwner",
                          g_variant_new ("(s)", SECRETS_BUS_NAME),
                          G_VARIANT_TYPE ("(b)"), G_DBUS_CALL_FLAGS_NONE, PROBE_TIMEOUT_MS,
                          cancellable, on_name_has_owner,
                          g_steal_pointer (&task));
}

void
retort_secrets_probe_async (GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *address = session_bus_address ();
  Probe *probe;

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, retort_secrets_probe_async);

  if (address == NULL)
    {
      g_task_return_boolean (task, FALSE);
      return;
    }
  switch (cached_state (address))
    {
    case PROBE_AVAILABLE:
      g_task_return_boolean (task, TRUE);
      return;
    case PROBE_UNAVAILABLE:
      g_task_return_boolean (task, FALSE);
      return;
    case PROBE_UNKNOWN:
      set_cached_state (address, PROBE_RUNNING);
      break;
    case PROBE_RUNNING:
    default:
      /* a second probe running alongside is cheap and simpler than a queue */
      break;
    }

  probe = g_new0 (Probe, 1);
  probe->address = g_steal_pointer (&address);
  g_task_set_task_data (task, probe, (GDestroyNotify) probe_free);
  /* a connection of its own to the very bus the answer is cached for (the
   * shared one would be whichever bus was first asked for) */
  g_dbus_connection_new_for_address (probe->address,
                                     G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                     G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                     NULL, cancellable, on_bus_ready, g_steal_pointer (&task));
}

gboolean
retort_secrets_probe_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
retort_secrets_available (void)
{
  g_autofree char *address = session_bus_address ();

  if (address == NULL)
    return FALSE;
  switch (cached_state (address))
    {
    case PROBE_AVAILABLE:
      return TRUE;
    case PROBE_UNKNOWN:
      retort_secrets_probe_async (NULL, NULL, NULL);
      return FALSE;
    case PROBE_RUNNING:
    case PROBE_UNAVAILABLE:
    default:
      return FALSE;
    }
}

/* --- passwords ----------------------------------------------------------- */

void
retort_secrets_password_free (char *password)
{
  if (password == NULL)
    return;
  explicit_bzero (password, strlen (password));
  g_free (password);
}

char *
retort_secrets_label (const char *profile_name)
{
  /* Translators: the label of a password in the keyring (Passwords and Keys) */
  return g_strdup_printf (_("Retort: %s"), profile_name);
}

typedef struct {
  char *profile_id;
  char *label;
  char *password;
} Request;

static void
request_free (Request *request)
{
  g_free (request->profile_id);
  g_free (request->label);
  retort_secrets_password_free (request->password);
  g_free (request);
}

static GTask *
request_task_new (const char          *profile_id,
                  const char          *label,
                  const char          *password,
                  GCancellable        *cancellable,
                  GAsyncReadyCallback  callback,
                  gpointer             user_data,
                  gpointer             source_tag)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  Request *request = g_new0 (Request, 1);

  g_task_set_source_tag (task, source_tag);
  request->profile_id = g_strdup (profile_id);
  request->label = g_strdup (label);
  request->password = g_strdup (password);
  g_task_set_task_data (task, request, (GDestroyNotify) request_free);
  return task;
}

static void
on_lookup_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  char *secret = secret_password_lookup_finish (result, &error);

  if (error != NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (secret == NULL)
    {
      g_task_return_pointer (task, NULL, NULL);
      return;
    }
  /* libsecret's copy lives in its own (wiped) memory; ours is plain g_malloc */
  g_task_return_pointer (task, g_strdup (secret), (GDestroyNotify) retort_secrets_password_free);
  secret_password_free (secret);
}

static void
on_lookup_probed (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  /* read before the task is handed on: argument order is unspecified */
  GCancellable *cancellable = g_task_get_cancellable (task);
  Request *request = g_task_get_task_data (task);
  GError *error = NULL;

  if (!retort_secrets_probe_finish (result, &error))
    {
      if (error != NULL)
        g_task_return_error (task, error);
      else
        g_task_return_pointer (task, NULL, NULL);
      return;
    }
  secret_password_lookup (&password_schema, cancellable,
                          on_lookup_done, g_steal_pointer (&task),
                          "profile", request->profile_id,
                          NULL);
}

void
retort_secrets_lookup_async (const char          *profile_id,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (profile_id != NULL);

  task = request_task_new (profile_id, NULL, NULL, cancellable, callback, user_data,
                           retort_secrets_lookup_async);
  retort_secrets_probe_async (cancellable, on_lookup_probed, task);
}

char *
retort_secrets_lookup_finish (GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
on_store_done (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (secret_password_store_finish (result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
on_store_probed (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  /* read before the task is handed on: argument order is unspecified */
  GCancellable *cancellable = g_task_get_cancellable (task);
  Request *request = g_task_get_task_data (task);
  GError *error = NULL;

  if (!retort_secrets_probe_finish (result, &error))
    {
      if (error != NULL)
        g_task_return_error (task, error);
      else
        g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                                 _("No keyring is available"));
      return;
    }
  secret_password_store (&password_schema, SECRET_COLLECTION_DEFAULT,
                         request->label, request->password,
                         cancellable, on_store_done, g_steal_pointer (&task),
                         "profile", request->profile_id,
                         NULL);
}

void
retort_secrets_store_async (const char          *profile_id,
                            const char          *label,
                            const char          *password,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (profile_id != NULL);
  g_return_if_fail (label != NULL);
  g_return_if_fail (password != NULL);

  task = request_task_new (profile_id, label, password, cancellable, callback, user_data,
                           retort_secrets_store_async);
  retort_secrets_probe_async (cancellable, on_store_probed, task);
}

gboolean
retort_secrets_store_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
on_clear_done (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  gboolean removed = secret_password_clear_finish (result, &error);

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, removed);
}

static void
on_clear_probed (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  /* read before the task is handed on: argument order is unspecified */
  GCancellable *cancellable = g_task_get_cancellable (task);
  Request *request = g_task_get_task_data (task);
  GError *error = NULL;

  if (!retort_secrets_probe_finish (result, &error))
    {
      if (error != NULL)
        g_task_return_error (task, error);
      else
        g_task_return_boolean (task, FALSE);
      return;
    }
  secret_password_clear (&password_schema, cancellable,
                         on_clear_done, g_steal_pointer (&task),
                         "profile", request->profile_id,
                         NULL);
}

void
retort_secrets_clear_async (const char          *profile_id,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (profile_id != NULL);

  task = request_task_new (profile_id, NULL, NULL, cancellable, callback, user_data,
                           retort_secrets_clear_async);
  retort_secrets_probe_async (cancellable, on_clear_probed, task);
}

gboolean
retort_secrets_clear_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
