/* retort-config.c — projects and database profiles, kept in a key file
 *
 * $XDG_CONFIG_HOME/retort/retort.conf, one [project:ID] or [profile:ID]
 * group each. It is written atomically (a temporary file renamed over the
 * old one, mode 0600), never holds a password, and a file that does not
 * load — a hand edit gone wrong — is reported and left exactly as it is:
 * saving over it is refused until it loads again.
 */
#define G_LOG_DOMAIN "retort-config"

#include "retort-config.h"
#include "retort-database-url.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>

struct _RetortConfig
{
  GObject    parent_instance;
  char      *path;
  GPtrArray *projects;
  GPtrArray *profiles;
  gboolean   broken;   /* the file exists but did not load */
};

G_DEFINE_FINAL_TYPE (RetortConfig, retort_config, G_TYPE_OBJECT)
G_DEFINE_QUARK (retort-config-error-quark, retort_config_error)

static const char *tier_names[] = { "development", "staging", "production", "other" };
static const char *transaction_names[] = { "auto", "run", "revision" };
static const char *backup_names[] = { "never", "before-apply" };

static void
project_free (RetortProjectEntry *project)
{
  g_free (project->id);
  g_free (project->name);
  g_free (project->path);
  g_free (project);
}

void
retort_profile_entry_free (RetortProfileEntry *profile)
{
  if (profile == NULL)
    return;
  g_free (profile->id);
  g_free (profile->name);
  g_free (profile->project);
  g_free (profile->url);
  g_free (profile->colour);
  g_free (profile);
}

static void
retort_config_finalize (GObject *object)
{
  RetortConfig *self = RETORT_CONFIG (object);

  g_free (self->path);
  g_ptr_array_unref (self->projects);
  g_ptr_array_unref (self->profiles);
  G_OBJECT_CLASS (retort_config_parent_class)->finalize (object);
}

static void
retort_config_class_init (RetortConfigClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = retort_config_finalize;
}

static void
retort_config_init (RetortConfig *self)
{
  self->projects = g_ptr_array_new_with_free_func ((GDestroyNotify) project_free);
  self->profiles = g_ptr_array_new_with_free_func ((GDestroyNotify) retort_profile_entry_free);
}

RetortConfig *
retort_config_new (const char *path)
{
  RetortConfig *self = g_object_new (RETORT_TYPE_CONFIG, NULL);
  self->path = path != NULL ? g_strdup (path) : retort_config_default_path ();
  return self;
}

char *
retort_config_default_path (void)
{
  return g_build_filename (g_get_user_config_dir (), "retort", "retort.conf", NULL);
}

const char *
retort_config_get_path (RetortConfig *self)
{
  g_return_val_if_fail (RETORT_IS_CONFIG (self), NULL);
  return self->path;
}

GPtrArray *
retort_config_get_projects (RetortConfig *self)
{
  g_return_val_if_fail (RETORT_IS_CONFIG (self), NULL);
  return self->projects;
}

GPtrArray *
retort_config_get_profiles (RetortConfig *self)
{
  g_return_val_if_fail (RETORT_IS_CONFIG (self), NULL);
  return self->profiles;
}

const char *
retort_tier_to_string (RetortTier tier)
{
  g_return_val_if_fail (tier < G_N_ELEMENTS (tier_names), "other");
  return tier_names[tier];
}

/* user:secret@ in a URL, or password= in a conninfo string */
gboolean
retort_url_has_password (const char *url)
{
  const char *scheme = url != NULL ? strstr (url, "://") : NULL;

  if (url == NULL)
    return FALSE;
  if (scheme != NULL)
    {
      const char *authority = scheme + 3;
      const char *end = authority + strcspn (authority, "/?");
      const char *at = NULL;
      for (const char *p = authority; p < end; p++)
        if (*p == '@')
          at = p;
      return (at != NULL && memchr (authority, ':', at - authority) != NULL) ||
             strstr (url, "password=") != NULL;
    }
  return strstr (url, "password") != NULL;
}

static int
lookup_name (const char * const *names,
             guint               n_names,
             const char         *value)
{
  for (guint i = 0; i < n_names; i++)
    if (g_strcmp0 (names[i], value) == 0)
      return i;
  return -1;
}

static char *
new_id (GPtrArray  *existing,
        const char *name,
        gboolean    profiles)
{
  g_autofree char *base = g_ascii_strdown (name, -1);
  char *id = NULL;

  for (char *p = base; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p))
      *p = '-';
  for (guint n = 1;; n++)
    {
      gboolean taken = FALSE;
      g_free (id);
      id = n == 1 ? g_strdup (base) : g_strdup_printf ("%s-%u", base, n);
      for (guint i = 0; i < existing->len && !taken; i++)
        taken = strcmp (profiles ? ((RetortProfileEntry *) g_ptr_array_index (existing, i))->id
                                 : ((RetortProjectEntry *) g_ptr_array_index (existing, i))->id, id) == 0;
      if (!taken)
        return id;
    }
}

gboolean
retort_config_load (RetortConfig  *self,
                    GError       **error)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autoptr(GError) local_error = NULL;
  g_auto(GStrv) groups = NULL;
  g_autoptr(GPtrArray) projects = g_ptr_array_new_with_free_func ((GDestroyNotify) project_free);
  g_autoptr(GPtrArray) profiles = g_ptr_array_new_with_free_func ((GDestroyNotify) retort_profile_entry_free);

  g_return_val_if_fail (RETORT_IS_CONFIG (self), FALSE);

  if (!g_key_file_load_from_file (file, self->path, G_KEY_FILE_KEEP_COMMENTS, &local_error))
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        {
          self->broken = FALSE;  /* no file yet: an empty configuration */
          return TRUE;
        }
      self->broken = TRUE;
      g_set_error (error, RETORT_CONFIG_ERROR, RETORT_CONFIG_ERROR_PARSE,
                   "%s does not read: %s. It was left as it is; fix it and reload.",
                   self->path, local_error->message);
      return FALSE;
    }

  groups = g_key_file_get_groups (file, NULL);
  for (guint g = 0; groups[g] != NULL; g++)
    {
      const char *group = groups[g];
      if (g_str_has_prefix (group, "project:"))
        {
          RetortProjectEntry *project = g_new0 (RetortProjectEntry, 1);
          project->id = g_strdup (group + strlen ("project:"));
          project->name = g_key_file_get_string (file, group, "name", NULL);
          project->path = g_key_file_get_string (file, group, "path", NULL);
          g_ptr_array_add (projects, project);
          if (project->path == NULL)
            {
              self->broken = TRUE;
              g_set_error (error, RETORT_CONFIG_ERROR, RETORT_CONFIG_ERROR_INVALID,
                           "%s: [%s] has no path. The file was left as it is.", self->path, group);
              return FALSE;
            }
          if (project->name == NULL)
            project->name = g_path_get_basename (project->path);
        }
      else if (g_str_has_prefix (group, "profile:"))
        {
          RetortProfileEntry *profile = g_new0 (RetortProfileEntry, 1);
          g_autofree char *tier = g_key_file_get_string (file, group, "tier", NULL);
          g_autofree char *transaction = g_key_file_get_string (file, group, "transaction", NULL);
          g_autofree char *backup = g_key_file_get_string (file, group, "backup", NULL);
          int tier_index = tier != NULL ? lookup_name (tier_names, G_N_ELEMENTS (tier_names), tier) : RETORT_TIER_OTHER;
          int transaction_index = transaction != NULL ? lookup_name (transaction_names, G_N_ELEMENTS (transaction_names), transaction) : 0;
          int backup_index = backup != NULL ? lookup_name (backup_names, G_N_ELEMENTS (backup_names), backup) : RETORT_BACKUP_BEFORE_APPLY;

          g_ptr_array_add (profiles, profile);
          profile->id = g_strdup (group + strlen ("profile:"));
          profile->name = g_key_file_get_string (file, group, "name", NULL);
          profile->project = g_key_file_get_string (file, group, "project", NULL);
          profile->url = g_key_file_get_string (file, group, "url", NULL);
          profile->colour = g_key_file_get_string (file, group, "colour", NULL);
          profile->read_only = g_key_file_get_boolean (file, group, "read-only", NULL);
          if (profile->name == NULL)
            profile->name = g_strdup (profile->id);
          if (tier_index < 0 || transaction_index < 0 || backup_index < 0 || profile->project == NULL ||
              profile->url == NULL)
            {
              self->broken = TRUE;
              g_set_error (error, RETORT_CONFIG_ERROR, RETORT_CONFIG_ERROR_INVALID,
                           "%s: [%s] needs project= and url=, tier= one of development, staging, "
                           "production, other; transaction= auto, run or revision; backup= never or "
                           "before-apply. The file was left as it is.", self->path, group);
              return FALSE;
            }
          profile->tier = tier_index;
          profile->transaction = transaction_index;
          profile->backup = backup_index;
        }
    }

  for (guint p = 0; p < profiles->len; p++)
    {
      RetortProfileEntry *profile = g_ptr_array_index (profiles, p);
      gboolean found = FALSE;
      for (guint j = 0; j < projects->len && !found; j++)
        found = strcmp (((RetortProjectEntry *) g_ptr_array_index (projects, j))->id, profile->project) == 0;
      if (!found)
        {
          self->broken = TRUE;
          g_set_error (error, RETORT_CONFIG_ERROR, RETORT_CONFIG_ERROR_INVALID,
                       "%s: profile '%s' belongs to project '%s', which is not in the file. "
                       "The file was left as it is.", self->path, profile->id, profile->project);
          return FALSE;
        }
    }

  g_ptr_array_set_size (self->projects, 0);
  g_ptr_array_set_size (self->profiles, 0);
  g_ptr_array_extend_and_steal (self->projects, g_steal_pointer (&projects));
  g_ptr_array_extend_and_steal (self->profiles, g_steal_pointer (&profiles));
  self->broken = FALSE;
  return TRUE;
}

gboolean
retort_config_save (RetortConfig  *self,
                    GError       **error)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autofree char *data = NULL;
  g_autofree char *dir = NULL;
  gsize length = 0;

  g_return_val_if_fail (RETORT_IS_CONFIG (self), FALSE);

  if (self->broken)
    {
      g_set_error (error, RETORT_CONFIG_ERROR, RETORT_CONFIG_ERROR_READ_ONLY,
                   "%s did not load, so it is not overwritten; fix it and reload first", self->path);
      return FALSE;
    }
  for (guint i = 0; i < self->projects->len; i++)
    {
      RetortProjectEntry *project = g_ptr_array_index (self->projects, i);
      g_autofree char *group = g_strdup_printf ("project:%s", project->id);
      g_key_file_set_string (file, group, "name", project->name);
      g_key_file_set_string (file, group, "path", project->path);
    }
  for (guint i = 0; i < self->profiles->len; i++)
    {
      RetortProfileEntry *profile = g_ptr_array_index (self->profiles, i);
      g_autofree char *group = g_strdup_printf ("profile:%s", profile->id);
      if (retort_url_has_password (profile->url))
        {
          g_set_error (error, RETORT_CONFIG_ERROR, RETORT_CONFIG_ERROR_PASSWORD,
                       "Profile '%s' has a password in its address; it is not saved to a file", profile->name);
          return FALSE;
        }
      g_key_file_set_string (file, group, "name", profile->name);
      g_key_file_set_string (file, group, "project", profile->project);
      g_key_file_set_string (file, group, "url", profile->url);
      g_key_file_set_string (file, group, "tier", tier_names[profile->tier]);
      if (profile->colour != NULL)
        g_key_file_set_string (file, group, "colour", profile->colour);
      g_key_file_set_boolean (file, group, "read-only", profile->read_only);
      g_key_file_set_string (file, group, "transaction", transaction_names[profile->transaction]);
      g_key_file_set_string (file, group, "backup", backup_names[profile->backup]);
    }

  data = g_key_file_to_data (file, &length, NULL);
  dir = g_path_get_dirname (self->path);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;
      g_set_error (error, RETORT_CONFIG_ERROR, RETORT_CONFIG_ERROR_IO, "Cannot create %s: %s", dir,
                   g_strerror (saved));
      return FALSE;
    }
  /* a temporary file renamed over the old one: never half-written */
  if (!g_file_set_contents_full (self->path, data, length,
                                 G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE, 0600, error))
    return FALSE;
  return TRUE;
}

RetortProfileEntry *
retort_profile_entry_copy (const RetortProfileEntry *profile)
{
  RetortProfileEntry *copy = g_new0 (RetortProfileEntry, 1);

  *copy = *profile;
  copy->id = g_strdup (profile->id);
  copy->name = g_strdup (profile->name);
  copy->project = g_strdup (profile->project);
  copy->url = g_strdup (profile->url);
  copy->colour = g_strdup (profile->colour);
  return copy;
}

RetortProjectEntry *
retort_config_add_project (RetortConfig *self,
                           const char   *name,
                           const char   *path)
{
  RetortProjectEntry *project = g_new0 (RetortProjectEntry, 1);

  g_return_val_if_fail (RETORT_IS_CONFIG (self), NULL);
  project->id = new_id (self->projects, name, FALSE);
  project->name = g_strdup (name);
  project->path = g_strdup (path);
  g_ptr_array_add (self->projects, project);
  return project;
}

gboolean
retort_config_set_profile_url (RetortConfig        *self,
                               RetortProfileEntry  *profile,
                               const char          *url,
                               GError             **error)
{
  if (retort_url_has_password (url))
    {
      g_set_error (error, RETORT_CONFIG_ERROR, RETORT_CONFIG_ERROR_PASSWORD,
                   "The address holds a password; keep passwords in the keyring or ~/.pgpass, "
                   "not in a profile");
      return FALSE;
    }
  g_free (profile->url);
  profile->url = g_strdup (url);
  return TRUE;
}

RetortProfileEntry *
retort_config_add_profile (RetortConfig  *self,
                           const char    *project,
                           const char    *name,
                           const char    *url,
                           GError       **error)
{
  RetortProfileEntry *profile;

  g_return_val_if_fail (RETORT_IS_CONFIG (self), NULL);
  if (retort_url_has_password (url))
    {
      g_set_error (error, RETORT_CONFIG_ERROR, RETORT_CONFIG_ERROR_PASSWORD,
                   "The address holds a password; keep passwords in the keyring or ~/.pgpass, "
                   "not in a profile");
      return NULL;
    }
  profile = g_new0 (RetortProfileEntry, 1);
  profile->id = new_id (self->profiles, name, TRUE);
  profile->name = g_strdup (name);
  profile->project = g_strdup (project);
  profile->url = g_strdup (url);
  profile->tier = RETORT_TIER_DEVELOPMENT;
  profile->backup = RETORT_BACKUP_BEFORE_APPLY;
  g_ptr_array_add (self->profiles, profile);
  return profile;
}

gboolean
retort_config_remove (RetortConfig *self,
                      const char   *id)
{
  g_return_val_if_fail (RETORT_IS_CONFIG (self), FALSE);
  for (guint i = 0; i < self->profiles->len; i++)
    if (strcmp (((RetortProfileEntry *) g_ptr_array_index (self->profiles, i))->id, id) == 0)
      {
        g_ptr_array_remove_index (self->profiles, i);
        return TRUE;
      }
  for (guint i = 0; i < self->projects->len; i++)
    if (strcmp (((RetortProjectEntry *) g_ptr_array_index (self->projects, i))->id, id) == 0)
      {
        /* a project goes with its profiles */
        for (guint p = 0; p < self->profiles->len; p++)
          if (strcmp (((RetortProfileEntry *) g_ptr_array_index (self->profiles, p))->project, id) == 0)
            g_ptr_array_remove_index (self->profiles, p--);
        g_ptr_array_remove_index (self->projects, i);
        return TRUE;
      }
  return FALSE;
}
