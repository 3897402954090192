/* retort-revision.c — one revision file: identity, parents and SQL sections */
#define G_LOG_DOMAIN "retort-revision"

#include "retort-revision-private.h"
#include "retort-text.h"

#include <string.h>

struct _RetortRevision
{
  GObject               parent_instance;

  char                 *id;
  GStrv                 down_revisions;
  GStrv                 branch_labels;
  GStrv                 depends_on;
  char                 *path;
  RetortRevisionFormat  format;
  char                 *longdoc;
  char                 *doc;
  char                 *create_date;
  char                 *doc_revision_id;
  char                 *doc_revises;
  guint                 field_lines[RETORT_REVISION_N_FIELDS];
  char                 *native_problem[2];  /* per direction: why it cannot run in-process */
  GBytes               *lazy_source;        /* a .py file whose bodies are not read yet */
  GPtrArray            *sections;
};

G_DEFINE_TYPE (RetortRevision, retort_revision, G_TYPE_OBJECT)
G_LOCK_DEFINE_STATIC (bodies);

static void ensure_bodies (RetortRevision *self);
G_DEFINE_QUARK (retort-revision-error-quark, retort_revision_error)

RetortSqlSection *
retort_sql_section_new (RetortDirection  direction,
                        const char      *dialect,
                        gboolean         transactional,
                        const char      *sql,
                        guint            first_line)
{
  RetortSqlSection *section = g_new0 (RetortSqlSection, 1);

  section->direction = direction;
  section->dialect = g_strdup (dialect);
  section->transactional = transactional;
  section->sql = g_strdup (sql);
  section->first_line = first_line;
  return section;
}

void
retort_sql_section_free (RetortSqlSection *section)
{
  if (section == NULL)
    return;
  g_free (section->dialect);
  g_free (section->sql);
  g_free (section);
}

static void
retort_revision_finalize (GObject *object)
{
  RetortRevision *self = RETORT_REVISION (object);

  g_free (self->id);
  g_strfreev (self->down_revisions);
  g_strfreev (self->branch_labels);
  g_strfreev (self->depends_on);
  g_free (self->path);
  g_free (self->longdoc);
  g_free (self->doc);
  g_free (self->create_date);
  g_free (self->doc_revision_id);
  g_free (self->doc_revises);
  g_clear_pointer (&self->lazy_source, g_bytes_unref);
  g_free (self->native_problem[0]);
  g_free (self->native_problem[1]);
  g_ptr_array_unref (self->sections);

  G_OBJECT_CLASS (retort_revision_parent_class)->finalize (object);
}

static void
retort_revision_class_init (RetortRevisionClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = retort_revision_finalize;
}

static void
retort_revision_init (RetortRevision *self)
{
  self->sections = g_ptr_array_new_with_free_func ((GDestroyNotify) retort_sql_section_free);
  self->longdoc = g_strdup ("");
  self->doc = g_strdup ("");
}

/* Alembic refuses '@', '-' and '+' in ids (they are target syntax); ':' too
 * since 1.17.1 because it separates ranges. */
gboolean
retort_revision_id_is_valid (const char  *id,
                             GError     **error)
{
  static const char illegal[] = { '+', '-', ':', '@' };
  g_autoptr(GString) found = g_string_new (NULL);

  if (id == NULL || *id == '\0')
    {
      g_set_error (error, RETORT_REVISION_ERROR, RETORT_REVISION_ERROR_INVALID_ID,
                   "the revision id is empty");
      return FALSE;
    }
  for (gsize i = 0; i < G_N_ELEMENTS (illegal); i++)
    if (strchr (id, illegal[i]) != NULL)
      g_string_append_printf (found, "%s%c", found->len ? ", " : "", illegal[i]);
  if (found->len > 0)
    {
      g_set_error (error, RETORT_REVISION_ERROR, RETORT_REVISION_ERROR_INVALID_ID,
                   "Character(s) '%s' not allowed in revision identifier '%s'",
                   found->str, id);
      return FALSE;
    }
  return TRUE;
}

/* Lists here hold a handful of ids: a quadratic scan beats a hash table. */
static GStrv
dedupe_strv (const char * const *strv)
{
  guint n = strv != NULL ? g_strv_length ((char **) strv) : 0;
  GStrv result = g_new0 (char *, n + 1);
  guint kept = 0;

  for (guint i = 0; i < n; i++)
    {
      gboolean seen = FALSE;
      for (guint j = 0; j < kept && !seen; j++)
        seen = strcmp (result[j], strv[i]) == 0;
      if (!seen)
        result[kept++] = g_strdup (strv[i]);
    }
  return result;
}

RetortRevision *
retort_revision_new (const char          *id,
                     const char * const  *down_revisions,
                     const char * const  *branch_labels,
                     const char * const  *depends_on,
                     GError             **error)
{
  g_autoptr(RetortRevision) self = NULL;

  if (!retort_revision_id_is_valid (id, error))
    return NULL;
  if (down_revisions != NULL && g_strv_contains (down_revisions, id))
    {
      g_set_error (error, RETORT_REVISION_ERROR, RETORT_REVISION_ERROR_INVALID_ID,
                   "Self-loop is detected in revisions (%s): it names itself as its down_revision",
                   id);
      return NULL;
    }
  if (depends_on != NULL && g_strv_contains (depends_on, id))
    {
      g_set_error (error, RETORT_REVISION_ERROR, RETORT_REVISION_ERROR_INVALID_ID,
                   "Dependency self-loop is detected in revisions (%s): it depends on itself",
                   id);
      return NULL;
    }

  self = g_object_new (RETORT_TYPE_REVISION, NULL);
  self->id = g_strdup (id);
  /* Alembic keeps the declared tuples; a duplicate parent is a single edge */
  self->down_revisions = dedupe_strv (down_revisions);
  self->branch_labels = dedupe_strv (branch_labels);
  self->depends_on = dedupe_strv (depends_on);
  return g_steal_pointer (&self);
}

gboolean
retort_revision_check_utf8 (const char  *contents,
                            gsize        length,
                            GError     **error)
{
  const char *invalid = NULL;
  guint line = 1;

  if (retort_text_validate_utf8 (contents, length, &invalid))
    return TRUE;
  for (const char *q = contents; q < invalid; q++)
    line += *q == '\n';
  g_set_error (error, RETORT_REVISION_ERROR, RETORT_REVISION_ERROR_ENCODING,
               "%u: the file is not valid UTF-8 (byte 0x%02x at offset %" G_GSIZE_FORMAT ")",
               line, (guchar) *invalid, (gsize) (invalid - contents));
  return FALSE;
}

RetortRevision *
retort_revision_parse (const char  *path,
                       const char  *contents,
                       gsize        length,
                       GError     **error)
{
  if (g_str_has_suffix (path, ".sql"))
    return retort_sql_reader_parse (path, contents, length, error);
  return retort_py_reader_parse (path, contents, length, error);
}

RetortRevision *
retort_revision_load (const char  *path,
                      GError     **error)
{
  g_autofree char *contents = NULL;
  gsize length = 0;
  g_autoptr(GError) local_error = NULL;

  if (!g_file_get_contents (path, &contents, &length, &local_error))
    {
      g_set_error (error, RETORT_REVISION_ERROR, RETORT_REVISION_ERROR_IO,
                   "%s", local_error->message);
      return NULL;
    }
  return retort_revision_parse (path, contents, length, error);
}

const char *
retort_revision_get_id (RetortRevision *self)
{
  g_return_val_if_fail (RETORT_IS_REVISION (self), NULL);
  return self->id;
}

const char * const *
retort_revision_get_down_revisions (RetortRevision *self)
{
  g_return_val_if_fail (RETORT_IS_REVISION (self), NULL);
  return (const char * const *) self->down_revisions;
}

guint
retort_revision_get_n_down_revisions (RetortRevision *self)
{
  g_return_val_if_fail (RETORT_IS_REVISION (self), 0);
  return g_strv_length (self->down_revisions);
}

const char * const *
retort_revision_get_branch_labels (RetortRevision *self)
{
  g_return_val_if_fail (RETORT_IS_REVISION (self), NULL);
  return (const char * const *) self->branch_labels;
}

const char * const *
retort_revision_get_depends_on (RetortRevision *self)
{
  g_return_val_if_fail (RETORT_IS_REVISION (self), NULL);
  return (const char * const *) self->depends_on;
}

const char *
retort_revision_get_path (RetortRevision *self)
{
  g_return_val_if_fail (RETORT_IS_REVISION (self), NULL);
  return self->path;
}

RetortRevisionFormat
retort_revision_get_format (RetortRevision *self)
{
  g_return_val_if_fail (RETORT_IS_REVISION (self), RETORT_REVISION_FORMAT_PYTHON);
  return self->format;
}

const char *
retort_revision_get_longdoc (RetortRevision *self)
{
  g_return_val_if_fail (RETORT_IS_REVISION (self), NULL);
  return self->longdoc;
}

const char *
retort_revision_get_doc (RetortRevision *self)
{
  g_return_val_if_fail (RETORT_IS_REVISION (self), NULL);
  return self->doc;
}

const char *
retort_revision_get_create_date (RetortRevision *self)
{
  g_return_val_if_fail (RETORT_IS_REVISION (self), NULL);
  return self->create_date;
}

/* The "Revision ID:" and "Revises:" lines of a .py docstring: for people
 * only, so `check` can warn when they disagree with the variables. */
const char *
retort_revision_get_doc_revision_id (RetortRevision *self)
{
  g_return_val_if_fail (RETORT_IS_REVISION (self), NULL);
  return self->doc_revision_id;
}

const char *
retort_revision_get_doc_revises (RetortRevision *self)
{
  g_return_val_if_fail (RETORT_IS_REVISION (self), NULL);
  return self->doc_revises;
}

void
retort_revision_set_doc_fields (RetortRevision *self,
                                const char     *revision_id,
                                const char     *revises)
{
  g_free (self->doc_revision_id);
  g_free (self->doc_revises);
  self->doc_revision_id = g_strdup (revision_id);
  self->doc_revises = g_strdup (revises);
}

guint
retort_revision_get_field_line (RetortRevision      *self,
                                RetortRevisionField  field)
{
  g_return_val_if_fail (RETORT_IS_REVISION (self), 0);
  g_return_val_if_fail (field < RETORT_REVISION_N_FIELDS, 0);
  return self->field_lines[field];
}

GPtrArray *
retort_revision_get_sections (RetortRevision *self)
{
  g_return_val_if_fail (RETORT_IS_REVISION (self), NULL);
  ensure_bodies (self);
  return self->sections;
}

/* The sections that run for one direction on one dialect, in file order:
 * those naming no dialect run everywhere, those naming one run only there. */
GPtrArray *
retort_revision_dup_sections_for (RetortRevision  *self,
                                  RetortDirection  direction,
                                  const char      *dialect)
{
  GPtrArray *result = g_ptr_array_new ();

  g_return_val_if_fail (RETORT_IS_REVISION (self), result);

  ensure_bodies (self);
  for (guint i = 0; i < self->sections->len; i++)
    {
      RetortSqlSection *section = g_ptr_array_index (self->sections, i);
      if (section->direction == direction &&
          (section->dialect == NULL || g_strcmp0 (section->dialect, dialect) == 0))
        g_ptr_array_add (result, section);
    }
  return result;
}

void
retort_revision_set_lazy_source (RetortRevision *self,
                                 GBytes         *source)
{
  G_LOCK (bodies);
  g_clear_pointer (&self->lazy_source, g_bytes_unref);
  self->lazy_source = source != NULL ? g_bytes_ref (source) : NULL;
  G_UNLOCK (bodies);
}

static void
ensure_bodies (RetortRevision *self)
{
  G_LOCK (bodies);
  if (self->lazy_source != NULL)
    {
      gsize length = 0;
      const char *contents = g_bytes_get_data (self->lazy_source, &length);
      retort_py_reader_read_bodies (self, contents, length);
      g_clear_pointer (&self->lazy_source, g_bytes_unref);
    }
  G_UNLOCK (bodies);
}

void
retort_revision_set_source (RetortRevision       *self,
                            const char           *path,
                            RetortRevisionFormat  format)
{
  g_free (self->path);
  self->path = g_strdup (path);
  self->format = format;
}

void
retort_revision_set_longdoc (RetortRevision *self,
                             const char     *longdoc)
{
  g_free (self->longdoc);
  g_free (self->doc);
  self->longdoc = retort_text_py_strip (longdoc != NULL ? longdoc : "");
  self->doc = retort_text_first_paragraph (self->longdoc);
}

void
retort_revision_set_create_date (RetortRevision *self,
                                 const char     *create_date)
{
  g_free (self->create_date);
  self->create_date = g_strdup (create_date);
}

void
retort_revision_set_field_line (RetortRevision      *self,
                                RetortRevisionField  field,
                                guint                line)
{
  self->field_lines[field] = line;
}

/* NULL when the direction runs in-process (a .sql revision, or a .py one
 * whose body is only op.execute() of literal SQL); else why it needs Python. */
const char *
retort_revision_get_native_problem (RetortRevision  *self,
                                    RetortDirection  direction)
{
  g_return_val_if_fail (RETORT_IS_REVISION (self), NULL);
  ensure_bodies (self);
  return self->native_problem[direction];
}

void
retort_revision_set_native_problem (RetortRevision  *self,
                                    RetortDirection  direction,
                                    const char      *problem)
{
  g_free (self->native_problem[direction]);
  self->native_problem[direction] = g_strdup (problem);
}

void
retort_revision_drop_sections (RetortRevision  *self,
                               RetortDirection  direction)
{
  for (guint i = 0; i < self->sections->len; i++)
    {
      RetortSqlSection *section = g_ptr_array_index (self->sections, i);
      if (section->direction == direction)
        g_ptr_array_remove_index (self->sections, i--);
    }
}

void
retort_revision_add_section (RetortRevision   *self,
                             RetortSqlSection *section)
{
  g_ptr_array_add (self->sections, section);
}
