/* retort-ini.c — alembic.ini as Python's configparser reads it
 *
 * Alembic uses configparser with BasicInterpolation and a `here` default
 * (the ini file's folder): keys are case-insensitive, `key = value` or
 * `key: value`, indented lines continue a value, `#`/`;` start comment lines,
 * `%(name)s` refers to another key of the section or of [DEFAULT].
 */
#define G_LOG_DOMAIN "retort-ini"

#include "retort-ini.h"

#include <string.h>

struct _RetortIni
{
  GObject     parent_instance;
  char       *path;
  GHashTable *sections;  /* name -> GHashTable (lower-cased key -> raw value) */
  GHashTable *defaults;  /* [DEFAULT] plus `here` */
};

G_DEFINE_TYPE (RetortIni, retort_ini, G_TYPE_OBJECT)
G_DEFINE_QUARK (retort-ini-error-quark, retort_ini_error)

static void
retort_ini_finalize (GObject *object)
{
  RetortIni *self = RETORT_INI (object);

  g_free (self->path);
  g_hash_table_unref (self->sections);
  g_hash_table_unref (self->defaults);
  G_OBJECT_CLASS (retort_ini_parent_class)->finalize (object);
}

static void
retort_ini_class_init (RetortIniClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = retort_ini_finalize;
}

static void
retort_ini_init (RetortIni *self)
{
  self->sections = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                          (GDestroyNotify) g_hash_table_unref);
  self->defaults = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

static GHashTable *
new_key_table (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

static gboolean
parse (RetortIni   *self,
       const char  *data,
       GError     **error)
{
  g_auto(GStrv) lines = g_strsplit (data, "\n", -1);
  GHashTable *current = NULL;
  g_autofree char *current_key = NULL;
  guint current_indent = 0;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = lines[i];
      guint indent = 0;
      char *content;

      g_strchomp (line);
      while (line[indent] == ' ' || line[indent] == '\t')
        indent++;
      content = line + indent;

      if (*content == '#' || *content == ';')
        continue;
      if (*content == '\0')
        {
          g_clear_pointer (&current_key, g_free);
          continue;
        }
      if (current_key != NULL && indent > current_indent)
        {
          /* a continuation line */
          const char *old = g_hash_table_lookup (current, current_key);
          g_hash_table_insert (current, g_strdup (current_key),
                               *old ? g_strconcat (old, "\n", content, NULL) : g_strdup (content));
          continue;
        }
      if (*content == '[')
        {
          char *close = strchr (content, ']');
          g_autofree char *name = NULL;
          if (close == NULL)
            {
              g_set_error (error, RETORT_INI_ERROR, RETORT_INI_ERROR_PARSE,
                           "line %u: section header without ']': %s", i + 1, content);
              return FALSE;
            }
          name = g_strndup (content + 1, close - content - 1);
          if (strcmp (name, "DEFAULT") == 0)
            current = self->defaults;
          else
            {
              current = g_hash_table_lookup (self->sections, name);
              if (current == NULL)
                {
                  current = new_key_table ();
                  g_hash_table_insert (self->sections, g_strdup (name), current);
                }
            }
          g_clear_pointer (&current_key, g_free);
          continue;
        }
      {
        char *eq = strchr (content, '=');
        char *colon = strchr (content, ':');
        char *sep = eq == NULL ? colon : colon == NULL ? eq : MIN (eq, colon);
        g_autofree char *key = NULL;
        g_autofree char *value = NULL;

        if (current == NULL)
          {
            g_set_error (error, RETORT_INI_ERROR, RETORT_INI_ERROR_PARSE,
                         "line %u: a key before any [section] header", i + 1);
            return FALSE;
          }
        if (sep == NULL)
          {
            g_set_error (error, RETORT_INI_ERROR, RETORT_INI_ERROR_PARSE,
                         "line %u: expected 'key = value', found: %s", i + 1, content);
            return FALSE;
          }
        key = g_ascii_strdown (content, sep - content);
        g_strstrip (key);
        value = g_strstrip (g_strdup (sep + 1));
        g_hash_table_insert (current, g_strdup (key), g_steal_pointer (&value));
        g_free (current_key);
        current_key = g_steal_pointer (&key);
        current_indent = indent;
      }
    }
  return TRUE;
}

RetortIni *
retort_ini_new_from_data (const char  *data,
                          const char  *here,
                          GError     **error)
{
  g_autoptr(RetortIni) self = g_object_new (RETORT_TYPE_INI, NULL);

  if (here != NULL)
    g_hash_table_insert (self->defaults, g_strdup ("here"), g_strdup (here));
  if (!parse (self, data, error))
    return NULL;
  return g_steal_pointer (&self);
}

RetortIni *
retort_ini_new_from_file (const char  *path,
                          GError     **error)
{
  g_autofree char *contents = NULL;
  g_autofree char *absolute = NULL;
  g_autofree char *here = NULL;
  g_autoptr(GError) local_error = NULL;
  RetortIni *self;

  if (!g_file_get_contents (path, &contents, NULL, &local_error))
    {
      g_set_error (error, RETORT_INI_ERROR, RETORT_INI_ERROR_IO, "%s", local_error->message);
      return NULL;
    }
  absolute = g_canonicalize_filename (path, NULL);
  here = g_path_get_dirname (absolute);
  self = retort_ini_new_from_data (contents, here, &local_error);
  if (self == NULL)
    {
      g_set_error (error, RETORT_INI_ERROR, local_error->code, "%s: %s", path, local_error->message);
      return NULL;
    }
  self->path = g_steal_pointer (&absolute);
  return self;
}

const char *
retort_ini_get_path (RetortIni *self)
{
  g_return_val_if_fail (RETORT_IS_INI (self), NULL);
  return self->path;
}

gboolean
retort_ini_has_section (RetortIni  *self,
                        const char *section)
{
  g_return_val_if_fail (RETORT_IS_INI (self), FALSE);
  return g_hash_table_contains (self->sections, section);
}

static const char *
lookup_raw (RetortIni  *self,
            GHashTable *section,
            const char *key)
{
  const char *value = section != NULL ? g_hash_table_lookup (section, key) : NULL;
  return value != NULL ? value : g_hash_table_lookup (self->defaults, key);
}

static gboolean
interpolate (RetortIni   *self,
             GHashTable  *section,
             const char  *key,
             const char  *raw,
             guint        depth,
             GString     *out,
             GError     **error)
{
  if (depth > 10)
    {
      g_set_error (error, RETORT_INI_ERROR, RETORT_INI_ERROR_INTERPOLATION,
                   "'%s': interpolation nested too deeply (a key that refers to itself?)", key);
      return FALSE;
    }
  for (const char *p = raw; *p != '\0'; p++)
    {
      if (*p != '%')
        {
          g_string_append_c (out, *p);
          continue;
        }
      if (p[1] == '%')
        {
          g_string_append_c (out, '%');
          p++;
          continue;
        }
      if (p[1] == '(')
        {
          const char *close = strstr (p, ")s");
          g_autofree char *name = NULL;
          const char *value;
          if (close == NULL)
            break;
          name = g_ascii_strdown (p + 2, close - p - 2);
          value = lookup_raw (self, section, name);
          if (value == NULL)
            {
              g_set_error (error, RETORT_INI_ERROR, RETORT_INI_ERROR_INTERPOLATION,
                           "'%s' refers to '%%(%s)s', which is not set", key, name);
              return FALSE;
            }
          if (!interpolate (self, section, name, value, depth + 1, out, error))
            return FALSE;
          p = close + 1;
          continue;
        }
      g_set_error (error, RETORT_INI_ERROR, RETORT_INI_ERROR_INTERPOLATION,
                   "'%s': a '%%' must be written '%%%%' or start '%%(name)s'", key);
      return FALSE;
    }
  return TRUE;
}

char *
retort_ini_get (RetortIni   *self,
                const char  *section_name,
                const char  *key,
                GError     **error)
{
  GHashTable *section;
  const char *raw;
  g_autofree char *lower = NULL;
  g_autoptr(GString) out = g_string_new (NULL);

  g_return_val_if_fail (RETORT_IS_INI (self), NULL);

  section = g_hash_table_lookup (self->sections, section_name);
  lower = g_ascii_strdown (key, -1);
  raw = lookup_raw (self, section, lower);
  if (raw == NULL)
    return NULL;
  if (!interpolate (self, section, lower, raw, 0, out, error))
    return NULL;
  return g_string_free (g_steal_pointer (&out), FALSE);
}
