/* retort-script-dir.c — a script directory: its configuration, files and graph
 *
 * Mirrors alembic/script/base.py: script_location and version_locations from
 * the ini, files taken per location in sorted name order (Alembic ≥1.10),
 * `*.py` except `__init__*` and editor lock files, plus Retort's `*.sql`.
 */
#define G_LOG_DOMAIN "retort-script-dir"

#include "retort-script-dir.h"
#include "retort-revision.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <unistd.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

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

typedef struct {
  char  *path;
  dev_t  device;
  ino_t  inode;
} FileEntry;

static void
file_entry_free (FileEntry *entry)
{
  g_free (entry->path);
  g_free (entry);
}

static int
compare_entries (gconstpointer a,
                 gconstpointer b)
{
  return strcmp ((*(FileEntry * const *) a)->path, (*(FileEntry * const *) b)->path);
}

/* readdir's d_type and d_ino spare a stat() per file: a 5,000-revision
 * directory is read with one open/read/close per file and nothing more. */
static void
list_location (RetortScriptDir *self,
               const char      *location,
               GPtrArray       *entries)
{
  DIR *dir = opendir (location);
  struct stat dir_stat;
  struct dirent *dirent;
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func ((GDestroyNotify) file_entry_free);
  g_autoptr(GPtrArray) subdirs = g_ptr_array_new_with_free_func ((GDestroyNotify) file_entry_free);

  if (dir == NULL)
    return;
  if (fstat (dirfd (dir), &dir_stat) != 0)
    dir_stat.st_dev = 0;
  while ((dirent = readdir (dir)) != NULL)
    {
      const char *name = dirent->d_name;
      gboolean is_dir = dirent->d_type == DT_DIR;
      FileEntry *entry;

      if (strcmp (name, ".") == 0 || strcmp (name, "..") == 0)
        continue;
      entry = g_new0 (FileEntry, 1);
      entry->path = g_build_filename (location, name, NULL);
      entry->device = dir_stat.st_dev;
      entry->inode = dirent->d_ino;
      if (dirent->d_type == DT_UNKNOWN || dirent->d_type == DT_LNK)
        {
          struct stat st;
          if (stat (entry->path, &st) == 0)
            {
              is_dir = S_ISDIR (st.st_mode);
              entry->device = st.st_dev;
              entry->inode = st.st_ino;
            }
        }
      if (is_dir && self->recursive && strcmp (name, "__pycache__") != 0)
        g_ptr_array_add (subdirs, entry);
      else if (!is_dir && is_revision_file_name (name))
        g_ptr_array_add (files, entry);
      else
        file_entry_free (entry);
    }
  closedir (dir);
  g_ptr_array_sort (files, compare_entries);
  g_ptr_array_sort (subdirs, compare_entries);
  g_ptr_array_extend_and_steal (entries, g_steal_pointer (&files));
  for (guint i = 0; i < subdirs->len; i++)
    list_location (self, ((FileEntry *) g_ptr_array_index (subdirs, i))->path, entries);
}

static guint
file_id_hash (gconstpointer key)
{
  const FileEntry *entry = key;
  return (guint) (entry->inode ^ (entry->inode >> 32) ^ entry->device);
}

static gboolean
file_id_equal (gconstpointer a,
               gconstpointer b)
{
  const FileEntry *x = a, *y = b;
  return x->inode == y->inode && x->device == y->device;
}

typedef struct {
  GPtrArray  *entries;
  gpointer   *results;
  GError    **errors;
  guint       first;
  guint       last;
} ReadJob;

/* open, read, close: no stat, and one buffer reused for every file */
static gboolean
read_whole_file (const char  *path,
                 GByteArray  *buffer,
                 GError     **error)
{
  int fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  gssize n;

  g_byte_array_set_size (buffer, 0);
  if (fd < 0)
    {
      int saved = errno;
      g_set_error (error, RETORT_REVISION_ERROR, RETORT_REVISION_ERROR_IO,
                   "%s: %s", path, g_strerror (saved));
      return FALSE;
    }
  for (;;)
    {
      guint used = buffer->len;
      g_byte_array_set_size (buffer, used + 16384);
      n = read (fd, buffer->data + used, 16384);
      if (n < 0 && errno == EINTR)
        {
          g_byte_array_set_size (buffer, used);
          continue;
        }
      if (n <= 0)
        {
          int saved = errno;
          g_byte_array_set_size (buffer, used);
          close (fd);
          if (n < 0)
            {
              g_set_error (error, RETORT_REVISION_ERROR, RETORT_REVISION_ERROR_IO,
                           "%s: %s", path, g_strerror (saved));
              return FALSE;
            }
          return TRUE;
        }
      g_byte_array_set_size (buffer, used + n);
    }
}

static gpointer
read_files (gpointer data)
{
  ReadJob *job = data;
  g_autoptr(GByteArray) buffer = g_byte_array_sized_new (65536);

  for (guint i = job->first; i < job->last; i++)
    {
      FileEntry *entry = g_ptr_array_index (job->entries, i);
      if (read_whole_file (entry->path, buffer, &job->errors[i]))
        job->results[i] = retort_revision_parse (entry->path, (const char *) buffer->data, buffer->len,
                                                 &job->errors[i]);
    }
  return NULL;
}

/* Revision files are independent: read and parse them on every core. The
 * results keep file order, which is the graph's load order. */
static void
read_files_in_parallel (GPtrArray  *entries,
                        gpointer   *results,
                        GError    **errors)
{
  guint n_threads = CLAMP (g_get_num_processors (), 1, 8);
  ReadJob jobs[8];
  GThread *threads[8] = { NULL };

  if (entries->len < 256)
    n_threads = 1;
  for (guint t = 0; t < n_threads; t++)
    {
      jobs[t] = (ReadJob) { entries, results, errors,
                            entries->len * t / n_threads, entries->len * (t + 1) / n_threads };
      if (t > 0)
        threads[t] = g_thread_new ("retort-read", read_files, &jobs[t]);
    }
  read_files (&jobs[0]);
  for (guint t = 1; t < n_threads; t++)
    g_thread_join (threads[t]);
}

gboolean
retort_script_dir_load (RetortScriptDir  *self,
                        GError          **error)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) file_entry_free);
  g_autoptr(GPtrArray) revisions = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GHashTable) seen = g_hash_table_new (file_id_hash, file_id_equal);
  g_autoptr(GError) map_error = NULL;
  gboolean any_location = FALSE;

  g_return_val_if_fail (RETORT_IS_SCRIPT_DIR (self), FALSE);

  g_ptr_array_set_size (self->problems, 0);
  g_clear_object (&self->map);

  for (guint i = 0; self->version_locations[i] != NULL; i++)
    if (g_file_test (self->version_locations[i], G_FILE_TEST_IS_DIR))
      {
        any_location = TRUE;
        list_location (self, self->version_locations[i], entries);
      }
  if (!any_location)
    {
      g_set_error (error, RETORT_SCRIPT_DIR_ERROR, RETORT_SCRIPT_DIR_ERROR_NOT_FOUND,
                   "No version locations found: %s does not exist", self->version_locations[0]);
      return FALSE;
    }

  /* drop the files reached twice through overlapping version locations */
  for (guint i = 0; i < entries->len; i++)
    if (!g_hash_table_add (seen, g_ptr_array_index (entries, i)))
      g_ptr_array_remove_index (entries, i--);

  {
    guint n = entries->len;
    g_autofree gpointer *results = g_new0 (gpointer, n);
    g_autofree GError **errors = g_new0 (GError *, n);

    read_files_in_parallel (entries, results, errors);
    for (guint i = 0; i < n; i++)
      {
        if (results[i] != NULL)
          g_ptr_array_add (revisions, results[i]);
        else
          g_ptr_array_add (self->problems, errors[i]);
      }
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

/* Things that load fine but deserve a look: docstring lines that disagree
 * with the variables Alembic actually reads. */
GPtrArray *
retort_script_dir_dup_warnings (RetortScriptDir *self)
{
  GPtrArray *warnings = g_ptr_array_new_with_free_func (g_free);

  g_return_val_if_fail (RETORT_IS_SCRIPT_DIR (self), warnings);
  if (self->map == NULL)
    return warnings;
  for (guint i = 0; i < retort_revision_map_get_n_revisions (self->map); i++)
    {
      RetortRevision *rev = retort_revision_map_get_nth (self->map, i);
      const char *doc_id = retort_revision_get_doc_revision_id (rev);
      const char *doc_revises = retort_revision_get_doc_revises (rev);
      g_autofree char *down = NULL;

      if (retort_revision_get_format (rev) != RETORT_REVISION_FORMAT_PYTHON)
        continue;
      if (doc_id != NULL && strcmp (doc_id, retort_revision_get_id (rev)) != 0)
        g_ptr_array_add (warnings, g_strdup_printf ("%s: the docstring says 'Revision ID: %s' but revision = '%s'",
                                                    retort_revision_get_path (rev), doc_id,
                                                    retort_revision_get_id (rev)));
      down = g_strjoinv (", ", (char **) retort_revision_get_down_revisions (rev));
      if (doc_revises != NULL && strcmp (doc_revises, down) != 0)
        g_ptr_array_add (warnings, g_strdup_printf ("%s: the docstring says 'Revises: %s' but down_revision is %s%s%s",
                                                    retort_revision_get_path (rev), doc_revises,
                                                    *down ? "'" : "", *down ? down : "None", *down ? "'" : ""));
    }
  return warnings;
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
