/* retort-workspace.c — every project and profile the user keeps, from retort.conf
 *
 * The workspace turns the config's entries into live objects: a
 * RetortProject per project (its revisions loaded off the main thread) that
 * holds a RetortProfile per database. Every edit goes through here so the
 * file is saved at once and the objects follow; when saving fails, the
 * config is put back as it was. Once a project has loaded, all of its
 * profiles are checked at the same time, each on its own worker.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "retort-workspace"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "retort-secrets.h"
#include "retort-workspace.h"

#define DEFAULT_CHECK_TIMEOUT_MS 10000

struct _RetortWorkspace
{
  GObject       parent_instance;

  RetortConfig *config;
  GError       *load_error;
  GListStore   *projects;      /* RetortProject */
  GCancellable *cancellable;
  guint         check_timeout_ms;
  GHashTable   *keyring_asked;   /* profile ids whose keyring entry was looked up */
};

G_DEFINE_FINAL_TYPE (RetortWorkspace, retort_workspace, G_TYPE_OBJECT)

static void
retort_workspace_dispose (GObject *object)
{
  RetortWorkspace *self = RETORT_WORKSPACE (object);

  g_cancellable_cancel (self->cancellable);
  if (self->projects != NULL)
    g_list_store_remove_all (self->projects);

  G_OBJECT_CLASS (retort_workspace_parent_class)->dispose (object);
}

static void
retort_workspace_finalize (GObject *object)
{
  RetortWorkspace *self = RETORT_WORKSPACE (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->projects);
  g_clear_pointer (&self->keyring_asked, g_hash_table_unref);
  g_clear_object (&self->config);
  g_clear_error (&self->load_error);

  G_OBJECT_CLASS (retort_workspace_parent_class)->finalize (object);
}

static void
retort_workspace_class_init (RetortWorkspaceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = retort_workspace_dispose;
  object_class->finalize = retort_workspace_finalize;
}

static void
retort_workspace_init (RetortWorkspace *self)
{
  self->projects = g_list_store_new (RETORT_TYPE_PROJECT);
  self->cancellable = g_cancellable_new ();
  self->check_timeout_ms = DEFAULT_CHECK_TIMEOUT_MS;
  self->keyring_asked = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

RetortWorkspace *
retort_workspace_new (const char *config_path)
{
  RetortWorkspace *self = g_object_new (RETORT_TYPE_WORKSPACE, NULL);
  g_autofree char *default_path = NULL;

  if (config_path == NULL)
    config_path = default_path = retort_config_default_path ();
  self->config = retort_config_new (config_path);
  return self;
}

RetortConfig *
retort_workspace_get_config (RetortWorkspace *self)
{
  g_return_val_if_fail (RETORT_IS_WORKSPACE (self), NULL);
  return self->config;
}

const GError *
retort_workspace_get_load_error (RetortWorkspace *self)
{
  g_return_val_if_fail (RETORT_IS_WORKSPACE (self), NULL);
  return self->load_error;
}

GListModel *
retort_workspace_get_projects (RetortWorkspace *self)
{
  g_return_val_if_fail (RETORT_IS_WORKSPACE (self), NULL);
  return G_LIST_MODEL (self->projects);
}

void
retort_workspace_set_check_timeout (RetortWorkspace *self,
                                    guint            timeout_ms)
{
  g_return_if_fail (RETORT_IS_WORKSPACE (self));
  self->check_timeout_ms = timeout_ms;
}

/* --- lookups ------------------------------------------------------------- */

RetortProject *
retort_workspace_find_project (RetortWorkspace *self,
                               const char      *id)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->projects));

  g_return_val_if_fail (RETORT_IS_WORKSPACE (self), NULL);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(RetortProject) project = g_list_model_get_item (G_LIST_MODEL (self->projects), i);
      if (g_strcmp0 (retort_project_get_id (project), id) == 0)
        return project;  /* the store keeps it alive */
    }
  return NULL;
}

RetortProject *
retort_workspace_find_project_by_path (RetortWorkspace *self,
                                       const char      *path)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->projects));
  g_autoptr(GFile) wanted = g_file_new_for_path (path);

  g_return_val_if_fail (RETORT_IS_WORKSPACE (self), NULL);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(RetortProject) project = g_list_model_get_item (G_LIST_MODEL (self->projects), i);
      if (g_file_equal (retort_project_get_location (project), wanted))
        return project;
    }
  return NULL;
}

static gboolean
project_find_profile (RetortProject  *project,
                      RetortProfile  *profile,
                      guint          *position)
{
  return g_list_store_find (retort_project_get_profile_store (project), profile, position);
}

RetortProject *
retort_workspace_get_profile_project (RetortWorkspace *self,
                                      RetortProfile   *profile)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->projects));

  g_return_val_if_fail (RETORT_IS_WORKSPACE (self), NULL);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(RetortProject) project = g_list_model_get_item (G_LIST_MODEL (self->projects), i);
      if (project_find_profile (project, profile, NULL))
        return project;
    }
  return NULL;
}

RetortProfile *
retort_workspace_find_profile (RetortWorkspace *self,
                               const char      *id)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->projects));

  g_return_val_if_fail (RETORT_IS_WORKSPACE (self), NULL);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(RetortProject) project = g_list_model_get_item (G_LIST_MODEL (self->projects), i);
      GListModel *profiles = retort_project_get_profiles (project);

      for (guint p = 0; p < g_list_model_get_n_items (profiles); p++)
        {
          g_autoptr(RetortProfile) profile = g_list_model_get_item (profiles, p);
          if (g_strcmp0 (retort_profile_get_id (profile), id) == 0)
            return profile;
        }
    }
  return NULL;
}

/* --- checking ------------------------------------------------------------ */

static void check_profile (RetortWorkspace *self,
                           RetortProject   *project,
                           RetortProfile   *profile);

typedef struct
{
  RetortWorkspace *workspace;
  RetortProject   *project;
  RetortProfile   *profile;
} KeyringData;

static void
keyring_data_free (KeyringData *data)
{
  g_clear_object (&data->workspace);
  g_clear_object (&data->project);
  g_clear_object (&data->profile);
  g_free (data);
}

static void
keyring_lookup_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  KeyringData *data = user_data;
  g_autoptr(GError) error = NULL;
  char *password = retort_secrets_lookup_finish (result, &error);

  /* no keyring or nothing stored: libpq's .pgpass and service files still apply */
  if (password != NULL && !retort_profile_has_password (data->profile))
    retort_profile_set_password (data->profile, password);
  retort_secrets_password_free (password);
  if (retort_profile_get_entry (data->profile) != NULL)
    check_profile (data->workspace, data->project, data->profile);
  keyring_data_free (data);
}

static void
keyring_probe_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  KeyringData *data = user_data;

  if (retort_secrets_probe_finish (result, NULL))
    {
      retort_secrets_lookup_async (retort_profile_get_id (data->profile), NULL, keyring_lookup_cb, data);
      return;
    }
  if (retort_profile_get_entry (data->profile) != NULL)
    check_profile (data->workspace, data->project, data->profile);
  keyring_data_free (data);
}

/* A PostgreSQL profile asks the keyring once per session before its first
 * check; SQLite has no passwords. TRUE when that lookup was started. */
static gboolean
ask_keyring_first (RetortWorkspace *self,
                   RetortProject   *project,
                   RetortProfile   *profile)
{
  g_autoptr(RetortDatabaseUrl) url = NULL;
  KeyringData *data;
  const char *id = retort_profile_get_id (profile);

  if (id == NULL || retort_profile_has_password (profile) || g_hash_table_contains (self->keyring_asked, id))
    return FALSE;
  g_hash_table_add (self->keyring_asked, g_strdup (id));
  url = retort_profile_build_url (profile, NULL);
  if (url == NULL || url->dialect != RETORT_DIALECT_POSTGRESQL)
    return FALSE;

  data = g_new0 (KeyringData, 1);
  data->workspace = g_object_ref (self);
  data->project = g_object_ref (project);
  data->profile = g_object_ref (profile);
  retort_secrets_probe_async (NULL, keyring_probe_cb, data);
  return TRUE;
}

static void
check_profile (RetortWorkspace *self,
               RetortProject   *project,
               RetortProfile   *profile)
{
  RetortScriptDir *script_dir = retort_project_get_script_dir (project);

  /* Still loading (a finished load, even a failed one, knows its folder):
   * the load ends with a check of every profile. */
  if (!retort_project_get_loaded (project) && retort_project_get_folder (project) == NULL)
    return;
  if (ask_keyring_first (self, project, profile))
    return;
  retort_profile_check (profile,
                        retort_project_get_map (project),
                        script_dir != NULL ? retort_script_dir_get_version_table_schema (script_dir) : NULL,
                        script_dir != NULL ? retort_script_dir_get_version_table (script_dir) : NULL,
                        self->check_timeout_ms);
}

void
retort_workspace_refresh_profile (RetortWorkspace *self,
                                  RetortProfile   *profile)
{
  RetortProject *project;

  g_return_if_fail (RETORT_IS_WORKSPACE (self));
  project = retort_workspace_get_profile_project (self, profile);
  if (project != NULL)
    check_profile (self, project, profile);
}

static void
refresh_project (RetortWorkspace *self,
                 RetortProject   *project)
{
  GListModel *profiles = retort_project_get_profiles (project);

  for (guint p = 0; p < g_list_model_get_n_items (profiles); p++)
    {
      g_autoptr(RetortProfile) profile = g_list_model_get_item (profiles, p);
      check_profile (self, project, profile);
    }
}

void
retort_workspace_refresh (RetortWorkspace *self,
                          RetortProject   *project)
{
  g_return_if_fail (RETORT_IS_WORKSPACE (self));

  if (project != NULL)
    {
      refresh_project (self, project);
      return;
    }
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->projects)); i++)
    {
      g_autoptr(RetortProject) each = g_list_model_get_item (G_LIST_MODEL (self->projects), i);
      refresh_project (self, each);
    }
}

static void
project_loaded (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  RetortProject *project = RETORT_PROJECT (source);
  g_autoptr(RetortWorkspace) self = user_data;
  g_autoptr(GError) error = NULL;
  GListModel *profiles = retort_project_get_profiles (project);

  /* a failed load still names its folder; the profiles show "no project" */
  if (!retort_project_load_finish (project, result, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  for (guint p = 0; p < g_list_model_get_n_items (profiles); p++)
    {
      g_autoptr(RetortProfile) profile = g_list_model_get_item (profiles, p);
      retort_profile_set_base_dir (profile, retort_project_get_folder (project));
    }
  refresh_project (self, project);
}

static void
load_project (RetortWorkspace *self,
              RetortProject   *project)
{
  retort_project_load_async (project, self->cancellable, project_loaded, g_object_ref (self));
}

void
retort_workspace_reload_project (RetortWorkspace *self,
                                 RetortProject   *project)
{
  g_return_if_fail (RETORT_IS_WORKSPACE (self));
  g_return_if_fail (RETORT_IS_PROJECT (project));
  load_project (self, project);
}

/* --- building the objects ------------------------------------------------ */

static void
profile_state_changed (RetortProfile *profile,
                       GParamSpec    *pspec,
                       RetortProject *project)
{
  retort_project_queue_profiles_changed (project);
}

static RetortProfile *
attach_profile (RetortProject      *project,
                RetortProfileEntry *entry)
{
  RetortProfile *profile = retort_profile_new (entry);

  retort_profile_set_base_dir (profile, retort_project_get_folder (project));
  g_signal_connect_object (profile, "notify::state", G_CALLBACK (profile_state_changed), project, 0);
  g_list_store_append (retort_project_get_profile_store (project), profile);
  return profile;  /* the store's reference */
}

static RetortProject *
project_for_entry (RetortWorkspace    *self,
                   RetortProjectEntry *entry)
{
  g_autoptr(GFile) location = g_file_new_for_path (entry->path);
  RetortProject *project = retort_project_new (location);
  GPtrArray *profiles = retort_config_get_profiles (self->config);

  retort_project_set_id (project, entry->id);
  retort_project_set_name (project, entry->name);
  for (guint i = 0; i < profiles->len; i++)
    {
      RetortProfileEntry *profile = g_ptr_array_index (profiles, i);
      if (g_strcmp0 (profile->project, entry->id) == 0)
        g_object_unref (attach_profile (project, profile));
    }
  return project;
}

gboolean
retort_workspace_load (RetortWorkspace  *self,
                       GError          **error)
{
  GPtrArray *entries;

  g_return_val_if_fail (RETORT_IS_WORKSPACE (self), FALSE);

  g_list_store_remove_all (self->projects);
  g_clear_error (&self->load_error);
  if (!retort_config_load (self->config, &self->load_error))
    {
      if (error != NULL)
        *error = g_error_copy (self->load_error);
      return FALSE;
    }

  entries = retort_config_get_projects (self->config);
  for (guint i = 0; i < entries->len; i++)
    {
      g_autoptr(RetortProject) project = project_for_entry (self, g_ptr_array_index (entries, i));
      g_list_store_append (self->projects, project);
      load_project (self, project);
    }
  return TRUE;
}

/* --- editing ------------------------------------------------------------- */

static gboolean
save (RetortWorkspace  *self,
      GError          **error)
{
  if (self->load_error != NULL)
    {
      g_set_error (error, RETORT_CONFIG_ERROR, RETORT_CONFIG_ERROR_READ_ONLY,
                   _("%s could not be read, so Retort will not overwrite it: fix or move it first (%s)"),
                   retort_config_get_path (self->config), self->load_error->message);
      return FALSE;
    }
  return retort_config_save (self->config, error);
}

RetortProject *
retort_workspace_add_project (RetortWorkspace  *self,
                              const char       *path,
                              GError          **error)
{
  g_autofree char *name = NULL;
  g_autofree char *folder = NULL;
  RetortProjectEntry *entry;
  RetortProject *project;

  g_return_val_if_fail (RETORT_IS_WORKSPACE (self), NULL);
  g_return_val_if_fail (path != NULL, NULL);

  project = retort_workspace_find_project_by_path (self, path);
  if (project != NULL)
    return project;

  /* named after the folder: the ini's, or the script folder itself */
  folder = g_file_test (path, G_FILE_TEST_IS_DIR) ? g_strdup (path) : g_path_get_dirname (path);
  name = g_path_get_basename (folder);
  entry = retort_config_add_project (self->config, name, path);
  if (!save (self, error))
    {
      retort_config_remove (self->config, entry->id);
      return NULL;
    }

  project = project_for_entry (self, entry);
  g_list_store_append (self->projects, project);
  load_project (self, project);
  g_object_unref (project);
  return project;
}

static void
copy_fields (RetortProfileEntry       *entry,
             const RetortProfileEntry *fields)
{
  g_free (entry->name);
  entry->name = g_strdup (fields->name);
  g_free (entry->colour);
  entry->colour = g_strdup (fields->colour);
  entry->tier = fields->tier;
  entry->read_only = fields->read_only;
  entry->transaction = fields->transaction;
  entry->backup = fields->backup;
}

static gboolean
is_blank (const char *text)
{
  for (; text != NULL && *text != '\0'; text++)
    if (!g_ascii_isspace (*text))
      return FALSE;
  return TRUE;
}

static gboolean
check_fields (const RetortProfileEntry  *fields,
              GError                   **error)
{
  if (is_blank (fields->name))
    {
      g_set_error (error, RETORT_CONFIG_ERROR, RETORT_CONFIG_ERROR_INVALID,
                   _("A database profile needs a name"));
      return FALSE;
    }
  if (is_blank (fields->url))
    {
      g_set_error (error, RETORT_CONFIG_ERROR, RETORT_CONFIG_ERROR_INVALID,
                   _("A database profile needs an address"));
      return FALSE;
    }
  return TRUE;
}

RetortProfile *
retort_workspace_add_profile (RetortWorkspace           *self,
                              RetortProject             *project,
                              const RetortProfileEntry  *fields,
                              GError                   **error)
{
  RetortProfileEntry *entry;
  g_autoptr(RetortProfile) profile = NULL;

  g_return_val_if_fail (RETORT_IS_WORKSPACE (self), NULL);
  g_return_val_if_fail (RETORT_IS_PROJECT (project), NULL);
  g_return_val_if_fail (retort_project_get_id (project) != NULL, NULL);

  if (!check_fields (fields, error))
    return NULL;
  entry = retort_config_add_profile (self->config, retort_project_get_id (project),
                                     fields->name, fields->url, error);
  if (entry == NULL)
    return NULL;
  copy_fields (entry, fields);
  if (!save (self, error))
    {
      retort_config_remove (self->config, entry->id);
      return NULL;
    }

  profile = attach_profile (project, entry);
  check_profile (self, project, profile);
  return profile;  /* the project's store holds it */
}

gboolean
retort_workspace_update_profile (RetortWorkspace           *self,
                                 RetortProfile             *profile,
                                 const RetortProfileEntry  *fields,
                                 GError                   **error)
{
  RetortProfileEntry *entry;
  g_autoptr(RetortProfileEntry) before = NULL;

  g_return_val_if_fail (RETORT_IS_WORKSPACE (self), FALSE);
  g_return_val_if_fail (RETORT_IS_PROFILE (profile), FALSE);

  entry = (RetortProfileEntry *) retort_profile_get_entry (profile);
  g_return_val_if_fail (entry != NULL, FALSE);
  if (!check_fields (fields, error))
    return FALSE;

  before = retort_profile_entry_copy (entry);
  if (!retort_config_set_profile_url (self->config, entry, fields->url, error))
    return FALSE;
  copy_fields (entry, fields);
  if (!save (self, error))
    {
      /* put the entry back as it was; the profile keeps pointing at it */
      retort_config_set_profile_url (self->config, entry, before->url, NULL);
      copy_fields (entry, before);
      return FALSE;
    }

  retort_profile_entry_changed (profile);
  retort_workspace_refresh_profile (self, profile);
  return TRUE;
}

RetortProfile *
retort_workspace_duplicate_profile (RetortWorkspace  *self,
                                    RetortProfile    *profile,
                                    GError          **error)
{
  g_autoptr(RetortProfileEntry) fields = NULL;
  RetortProject *project;

  g_return_val_if_fail (RETORT_IS_WORKSPACE (self), NULL);
  g_return_val_if_fail (RETORT_IS_PROFILE (profile), NULL);

  project = retort_workspace_get_profile_project (self, profile);
  g_return_val_if_fail (project != NULL && retort_profile_get_entry (profile) != NULL, NULL);

  fields = retort_profile_entry_copy (retort_profile_get_entry (profile));
  g_free (fields->name);
  /* TRANSLATORS: the name of a duplicated database profile */
  fields->name = g_strdup_printf (_("%s (copy)"), retort_profile_get_name (profile));
  return retort_workspace_add_profile (self, project, fields, error);
}

gboolean
retort_workspace_remove_profile (RetortWorkspace  *self,
                                 RetortProfile    *profile,
                                 GError          **error)
{
  g_autoptr(RetortProfileEntry) kept = NULL;
  RetortProject *project;
  guint position;

  g_return_val_if_fail (RETORT_IS_WORKSPACE (self), FALSE);
  g_return_val_if_fail (RETORT_IS_PROFILE (profile), FALSE);

  project = retort_workspace_get_profile_project (self, profile);
  if (project == NULL || retort_profile_get_entry (profile) == NULL)
    return TRUE;

  /* saved first: if the file cannot be written, nothing changes */
  kept = retort_profile_entry_copy (retort_profile_get_entry (profile));
  retort_config_remove (self->config, kept->id);
  if (!save (self, error))
    {
      /* the entry is gone from the config; load the file again to restore it */
      g_autoptr(GError) reload_error = NULL;
      retort_workspace_load (self, &reload_error);
      return FALSE;
    }

  g_object_ref (profile);
  retort_profile_detach (profile);
  if (project_find_profile (project, profile, &position))
    g_list_store_remove (retort_project_get_profile_store (project), position);
  retort_project_profiles_changed (project);
  g_object_unref (profile);
  return TRUE;
}

gboolean
retort_workspace_remove_project (RetortWorkspace  *self,
                                 RetortProject    *project,
                                 GError          **error)
{
  GListModel *profiles;
  guint position;

  g_return_val_if_fail (RETORT_IS_WORKSPACE (self), FALSE);
  g_return_val_if_fail (RETORT_IS_PROJECT (project), FALSE);

  if (!g_list_store_find (self->projects, project, &position))
    return TRUE;
  if (retort_project_get_id (project) != NULL)
    {
      retort_config_remove (self->config, retort_project_get_id (project));
      if (!save (self, error))
        {
          g_autoptr(GError) reload_error = NULL;
          retort_workspace_load (self, &reload_error);
          return FALSE;
        }
    }

  profiles = retort_project_get_profiles (project);
  for (guint p = 0; p < g_list_model_get_n_items (profiles); p++)
    {
      g_autoptr(RetortProfile) profile = g_list_model_get_item (profiles, p);
      retort_profile_detach (profile);
    }
  g_list_store_remove (self->projects, position);
  return TRUE;
}
