/* retort-revision.h — one revision file: identity, parents and SQL sections */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define RETORT_REVISION_ERROR (retort_revision_error_quark ())

typedef enum {
  RETORT_REVISION_ERROR_ENCODING,      /* not UTF-8 */
  RETORT_REVISION_ERROR_SYNTAX,        /* the file does not tokenize or parse */
  RETORT_REVISION_ERROR_EMPTY,         /* nothing in the file */
  RETORT_REVISION_ERROR_MISSING_FIELD, /* no revision id, no down_revision */
  RETORT_REVISION_ERROR_NOT_LITERAL,   /* a field is computed, not written as a literal */
  RETORT_REVISION_ERROR_INVALID_ID,    /* characters Alembic refuses, self-loops */
  RETORT_REVISION_ERROR_IO,
} RetortRevisionError;

GQuark retort_revision_error_quark (void);

typedef enum {
  RETORT_REVISION_FORMAT_PYTHON,  /* an Alembic .py revision */
  RETORT_REVISION_FORMAT_SQL,     /* a Retort .sql revision */
} RetortRevisionFormat;

typedef enum {
  RETORT_DIRECTION_UPGRADE,
  RETORT_DIRECTION_DOWNGRADE,
} RetortDirection;

/* One block of SQL to run for a direction, optionally for one dialect only. */
typedef struct {
  RetortDirection  direction;
  char            *dialect;        /* "postgresql", "sqlite" or NULL for every dialect */
  gboolean         transactional;  /* FALSE: runs outside any transaction */
  char            *sql;
  guint            first_line;     /* line of the section's first SQL line in the file */
} RetortSqlSection;

RetortSqlSection *retort_sql_section_new  (RetortDirection  direction,
                                           const char      *dialect,
                                           gboolean         transactional,
                                           const char      *sql,
                                           guint            first_line);
void              retort_sql_section_free (RetortSqlSection *section);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RetortSqlSection, retort_sql_section_free)

/* The line each field was written on, for error messages. */
typedef enum {
  RETORT_REVISION_FIELD_REVISION,
  RETORT_REVISION_FIELD_DOWN_REVISION,
  RETORT_REVISION_FIELD_BRANCH_LABELS,
  RETORT_REVISION_FIELD_DEPENDS_ON,
  RETORT_REVISION_N_FIELDS,
} RetortRevisionField;

#define RETORT_TYPE_REVISION (retort_revision_get_type ())
G_DECLARE_FINAL_TYPE (RetortRevision, retort_revision, RETORT, REVISION, GObject)

RetortRevision      *retort_revision_new                (const char          *id,
                                                         const char * const  *down_revisions,
                                                         const char * const  *branch_labels,
                                                         const char * const  *depends_on,
                                                         GError             **error);
RetortRevision      *retort_revision_load               (const char          *path,
                                                         GError             **error);
RetortRevision      *retort_revision_parse              (const char          *path,
                                                         const char          *contents,
                                                         gsize                length,
                                                         GError             **error);

const char          *retort_revision_get_id             (RetortRevision *self);
const char * const  *retort_revision_get_down_revisions (RetortRevision *self);
guint                retort_revision_get_n_down_revisions (RetortRevision *self);
const char * const  *retort_revision_get_branch_labels  (RetortRevision *self);
const char * const  *retort_revision_get_depends_on     (RetortRevision *self);
const char          *retort_revision_get_path           (RetortRevision *self);
RetortRevisionFormat retort_revision_get_format         (RetortRevision *self);
const char          *retort_revision_get_longdoc        (RetortRevision *self);
const char          *retort_revision_get_doc            (RetortRevision *self);
const char          *retort_revision_get_create_date    (RetortRevision *self);
const char          *retort_revision_get_doc_revision_id (RetortRevision *self);
const char          *retort_revision_get_doc_revises    (RetortRevision *self);
guint                retort_revision_get_field_line     (RetortRevision      *self,
                                                         RetortRevisionField  field);
GPtrArray           *retort_revision_get_sections       (RetortRevision *self);
GPtrArray           *retort_revision_dup_sections_for   (RetortRevision  *self,
                                                         RetortDirection  direction,
                                                         const char      *dialect);

const char          *retort_revision_get_native_problem (RetortRevision  *self,
                                                         RetortDirection  direction);

gboolean             retort_revision_id_is_valid        (const char  *id,
                                                         GError     **error);

G_END_DECLS
