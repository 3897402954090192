/* retort-script-dir.c — a script directory: its configuration, files and graph
 *
 * Mirrors alembic/script/base.py: script_location and version_locations from
 * the ini, files taken per location in sorted name order (Alembic ≥1.10),
 * `*.py` except `__init__*` and editor lock files, plus Retort's `*.sql`.
 */
#define G_LOG_DOMAIN "retort-script-dir"

#include "retort-script-dir.h"
#include "retort-revision.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct _RetortScriptDir
{
  GObject            parent_instance;
  char              *path;
  char              *ini_path;
  GStrv              version_locations;
  gboolean           recursive;
  char              *file_template;
  char              *version_table;
  char              *version_table_schema;
  char              *url;
  GPtrArray         *problems;
  guint              n_files;
  RetortRevisionMap *map;
};

G_DEFINE_TYPE (RetortScriptDir, retort_script_dir, G_TYPE_OBJECT)
G_DEFINE_QUARK (retort-script-dir-error-quark, retort_script_dir_error)

static void
retort_script_dir_finalize (GObject *object)
{
  RetortScriptDir *self = RETORT_SCRIPT_DIR (object);

  g_free (self->path);
  g_free (self->ini_path);
  g_strfreev (self->version_locations);
  g_free (self->file_template);
  g_free (self->version_table);
  g_free (self->version_table_schema);
  g_free (self->url);
  g_ptr_array_unref (self->problems);
  g_clear_object (&self->map);
  G_OBJECT_CLASS (retort_script_dir_parent_class)->finalize (object);
}

static void
retort_script_dir_class_init (RetortScriptDirClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = retort_script_dir_finalize;
}

static void
retort_script_dir_init (RetortScriptDir *self)
{
  self->problems = g_ptr_array_new_with_free_func ((GDestroyNotify) g_error_free);
  self->file_template = g_strdup ("%(rev)s_%(slug)s");
  self->version_table = g_strdup ("alembic_version");
}

static char *
absolute_path (const char *path,
               const char *relative_to)
{
  return g_canonicalize_filename (path, relative_to);
}

RetortScriptDir *
retort_script_dir_new_from_directory (const char  *directory,
                                      GError     **error)
{
  g_autoptr(RetortScriptDir) self = NULL;
  g_autofree char *path = absolute_path (directory, NULL);

  if (!g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, RETORT_SCRIPT_DIR_ERROR, RETORT_SCRIPT_DIR_ERROR_NOT_FOUND,
                   "Path doesn't exist: %s", path);
      return NULL;
    }
  self = g_object_new (RETORT_TYPE_SCRIPT_DIR, NULL);
  self->path = g_steal_pointer (&path);
  self->version_locations = g_new0 (char *, 2);
  self->version_locations[0] = g_build_filename (self->path, "versions", NULL);
  return g_steal_pointer (&self);
}

static GStrv
split_version_locations (const char  *value,
                         const char  *separator,
                         GError     **error)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) parts = NULL;

  if (separator == NULL)
    {
      /* legacy: split on ", *" or runs of spaces */
      g_autoptr(GRegex) regex = g_regex_new (", *| +", 0, 0, NULL);
      parts = g_regex_split (regex, value, 0);
      for (guint i = 0; parts[i] != NULL; i++)
        g_strv_builder_add (builder, parts[i]);
      return g_strv_builder_end (builder);
    }
  if (strcmp (separator, "space") == 0)
    parts = g_strsplit (value, " ", -1);
  else if (strcmp (separator, "os") == 0 || strcmp (separator, ":") == 0)
    parts = g_strsplit (value, ":", -1);
  else if (strcmp (separator, ";") == 0)
    parts = g_strsplit (value, ";", -1);
  else if (strcmp (separator, "newline") == 0)
    parts = g_strsplit (value, "\n", -1);
  else
    {
      g_set_error (error, RETORT_SCRIPT_DIR_ERROR, RETORT_SCRIPT_DIR_ERROR_CONFIG,
                   "'%s' is not a valid value for version_path_separator; expected 'space', "
                   "'newline', 'os', ':', ';'", separator);
      return NULL;
    }
  for (guint i = 0; parts[i] != NULL; i++)
    if (*g_strstrip (parts[i]) != '\0')
      g_strv_builder_add (builder, parts[i]);
  return g_strv_builder_end (builder);
}

/* Alembic resolves relative paths against the working directory; a desktop
 * app has no meaningful one, so fall back to the ini file's folder. */
static char *
resolve_config_path (const char *value,
                     const char *ini_dir)
{
  g_autofree char *from_cwd = absolute_path (value, NULL);

  if (g_path_is_absolute (value) || g_file_test (from_cwd, G_FILE_TEST_EXISTS))
    return g_steal_pointer (&from_cwd);
  return absolute_path (value, ini_dir);
}

RetortScriptDir *
retort_script_dir_new_from_ini (const char  *ini_path,
                                const char  *section,
                                GError     **error)
{
  g_autoptr(RetortIni) ini = NULL;
  g_autoptr(RetortScriptDir) self = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *script_location = NULL;
  g_autofree char *locations = NULL;
  g_autofree char *separator = NULL;
  g_autofree char *ini_dir = NULL;
  g_autofree char *value = NULL;

  if (section == NULL)
    section = "alembic";
  ini = retort_ini_new_from_file (ini_path, error);
  if (ini == NULL)
    return NULL;
  ini_dir = g_path_get_dirname (retort_ini_get_path (ini));

#define GET(key) retort_ini_get (ini, section, key, &local_error)
#define CHECK() if (local_error != NULL) goto config_error

  if (!retort_ini_has_section (ini, section))
    {
      g_set_error (error, RETORT_SCRIPT_DIR_ERROR, RETORT_SCRIPT_DIR_ERROR_CONFIG,
                   "%s: no [%s] section", ini_path, section);
      return NULL;
    }
  script_location = GET ("script_location");
  CHECK ();
  if (script_location == NULL)
    {
      g_set_error (error, RETORT_SCRIPT_DIR_ERROR, RETORT_SCRIPT_DIR_ERROR_CONFIG,
                   "%s: No 'script_location' key found in configuration.", ini_path);
      return NULL;
    }
  if (strchr (script_location, ':') != NULL && strchr (script_location, '/') == NULL)
    {
      g_set_error (error, RETORT_SCRIPT_DIR_ERROR, RETORT_SCRIPT_DIR_ERROR_CONFIG,
                   "%s: script_location '%s' names a Python package resource; Retort needs a "
                   "folder path (for example %%(here)s/migrations)", ini_path, script_location);
      return NULL;
    }
  {
    g_autofree char *path = resolve_config_path (script_location, ini_dir);
    self = retort_script_dir_new_from_directory (path, error);
    if (self == NULL)
      return NULL;
  }
  self->ini_path = g_strdup (retort_ini_get_path (ini));

  locations = GET ("version_locations");
  CHECK ();
  separator = GET ("version_path_separator");
  CHECK ();
  if (locations != NULL && *locations != '\0')
    {
      g_auto(GStrv) parts = split_version_locations (locations, separator, error);
      if (parts == NULL)
        return NULL;
      g_strfreev (self->version_locations);
      self->version_locations = g_new0 (char *, g_strv_length (parts) + 1);
      for (guint i = 0; parts[i] != NULL; i++)
        self->version_locations[i] = resolve_config_path (parts[i], ini_dir);
    }

  value = GET ("recursive_version_locations");
  CHECK ();
  self->recursive = value != NULL && (g_ascii_strcasecmp (value, "true") == 0 ||
                                      g_ascii_strcasecmp (value, "yes") == 0 ||
                                      g_ascii_strcasecmp (value, "on") == 0 ||
                                      strcmp (value, "1") == 0);
  g_clear_pointer (&value, g_free);

  value = GET ("file_template");
  CHECK ();
  if (value != NULL)
    { g_free (self->file_template); self->file_template = g_steal_pointer (&value); }
  g_clear_pointer (&value, g_free);
  value = GET ("version_table");
  CHECK ();
  if (value != NULL && *value != '\0')
    { g_free (self->version_table); self->version_table = g_steal_pointer (&value); }
  g_clear_pointer (&value, g_free);
  self->version_table_schema = GET ("version_table_schema");
  CHECK ();
  self->url = GET ("sqlalchemy.url");
  CHECK ();
  return g_steal_pointer (&self);

config_error:
  g_set_error (error, RETORT_SCRIPT_DIR_ERROR, RETORT_SCRIPT_DIR_ERROR_CONFIG,
               "%s: %s", ini_path, local_error->message);
  return NULL;
#undef GET
#undef CHECK
}

static gboolean
is_revision_file_name (const char *name)
{
  if (g_str_has_prefix (name, ".#") || g_str_has_prefix (name, "__init__"))
    return FALSE;
  return g_str_has_suffix (name, ".py") || g_str_has_suffix (name, ".sql");
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static void
list_location (RetortScriptDir *self,
               const char      *location,
               GPtrArray       *paths)
{
  g_autoptr(GDir) dir = g_dir_open (location, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) subdirs = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  if (dir == NULL)
    return;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *full = g_build_filename (location, name, NULL);
      if (g_file_test (full, G_FILE_TEST_IS_DIR))
        {
          if (self->recursive && strcmp (name, "__pycache__") != 0)
            g_ptr_array_add (subdirs, g_steal_pointer (&full));
        }
      else if (is_revision_file_name (name))
        g_ptr_array_add (names, g_steal_pointer (&full));
    }
  g_ptr_array_sort (names, compare_names);
  g_ptr_array_sort (subdirs, compare_names);
  g_ptr_array_extend_and_steal (paths, g_steal_pointer (&names));
  for (guint i = 0; i < subdirs->len; i++)
    list_location (self, g_ptr_array_index (subdirs, i), paths);
}

gboolean
retort_script_dir_load (RetortScriptDir  *self,
                        GError          **error)
{
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) revisions = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, free, NULL);
  g_autoptr(GError) map_error = NULL;
  gboolean any_location = FALSE;

  g_return_val_if_fail (RETORT_IS_SCRIPT_DIR (self), FALSE);

  g_ptr_array_set_size (self->problems, 0);
  g_clear_object (&self->map);

  for (guint i = 0; self->version_locations[i] != NULL; i++)
    if (g_file_test (self->version_locations[i], G_FILE_TEST_IS_DIR))
      {
        any_location = TRUE;
        list_location (self, self->version_locations[i], paths);
      }
  if (!any_location)
    {
      g_set_error (error, RETORT_SCRIPT_DIR_ERROR, RETORT_SCRIPT_DIR_ERROR_NOT_FOUND,
                   "No version locations found: %s does not exist", self->version_locations[0]);
      return FALSE;
    }

  for (guint i = 0; i < paths->len; i++)
    {
      const char *path = g_ptr_array_index (paths, i);
      char *real = realpath (path, NULL);
      g_autoptr(GError) local_error = NULL;
      RetortRevision *revision;

      if (real != NULL && !g_hash_table_add (seen, real))
        continue;  /* the same file through two version locations */
      revision = retort_revision_load (path, &local_error);
      if (revision == NULL)
        g_ptr_array_add (self->problems, g_steal_pointer (&local_error));
      else
        g_ptr_array_add (revisions, revision);
    }
  self->n_files = revisions->len + self->problems->len;

  if (self->problems->len == 0)
    self->map = retort_revision_map_new (revisions, self->problems, &map_error);

  if (self->problems->len > 0)
    {
      const GError *first = g_ptr_array_index (self->problems, 0);
      if (self->problems->len == 1)
        g_set_error (error, RETORT_SCRIPT_DIR_ERROR, RETORT_SCRIPT_DIR_ERROR_INVALID, "%s", first->message);
      else
        g_set_error (error, RETORT_SCRIPT_DIR_ERROR, RETORT_SCRIPT_DIR_ERROR_INVALID,
                     "%s (and %u more problems)", first->message, self->problems->len - 1);
      return FALSE;
    }
  return TRUE;
}

GPtrArray *
retort_script_dir_get_problems (RetortScriptDir *self)
{
  g_return_val_if_fail (RETORT_IS_SCRIPT_DIR (self), NULL);
  return self->problems;
}

guint
retort_script_dir_get_n_files (RetortScriptDir *self)
{
  g_return_val_if_fail (RETORT_IS_SCRIPT_DIR (self), 0);
  return self->n_files;
}

RetortRevisionMap *
retort_script_dir_get_map (RetortScriptDir *self)
{
  g_return_val_if_fail (RETORT_IS_SCRIPT_DIR (self), NULL);
  return self->map;
}

const char *
retort_script_dir_get_path (RetortScriptDir *self)
{
  g_return_val_if_fail (RETORT_IS_SCRIPT_DIR (self), NULL);
  return self->path;
}

const char *
retort_script_dir_get_ini_path (RetortScriptDir *self)
{
  g_return_val_if_fail (RETORT_IS_SCRIPT_DIR (self), NULL);
  return self->ini_path;
}

const char * const *
retort_script_dir_get_version_locations (RetortScriptDir *self)
{
  g_return_val_if_fail (RETORT_IS_SCRIPT_DIR (self), NULL);
  return (const char * const *) self->version_locations;
}

const char *
retort_script_dir_get_file_template (RetortScriptDir *self)
{
  g_return_val_if_fail (RETORT_IS_SCRIPT_DIR (self), NULL);
  return self->file_template;
}

const char *
retort_script_dir_get_version_table (RetortScriptDir *self)
{
  g_return_val_if_fail (RETORT_IS_SCRIPT_DIR (self), NULL);
  return self->version_table;
}

const char *
retort_script_dir_get_version_table_schema (RetortScriptDir *self)
{
  g_return_val_if_fail (RETORT_IS_SCRIPT_DIR (self), NULL);
  return self->version_table_schema;
}

const char *
retort_script_dir_get_url (RetortScriptDir *self)
{
  g_return_val_if_fail (RETORT_IS_SCRIPT_DIR (self), NULL);
  return self->url;
}
