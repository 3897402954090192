/* retort-revision-private.h — what the file readers set on a revision */
#pragma once

#include "retort-revision.h"

G_BEGIN_DECLS

void retort_revision_set_source      (RetortRevision       *self,
                                      const char           *path,
                                      RetortRevisionFormat  format);
void retort_revision_set_longdoc     (RetortRevision *self,
                                      const char     *longdoc);
void retort_revision_set_create_date (RetortRevision *self,
                                      const char     *create_date);
void retort_revision_set_doc_fields  (RetortRevision *self,
                                      const char     *revision_id,
                                      const char     *revises);
void retort_revision_set_field_line  (RetortRevision      *self,
                                      RetortRevisionField  field,
                                      guint                line);
void retort_revision_add_section     (RetortRevision   *self,
                                      RetortSqlSection *section);
void retort_revision_set_native_problem (RetortRevision  *self,
                                         RetortDirection  direction,
                                         const char      *problem);
/* .py bodies (upgrade()/downgrade()) are read when first asked for */
void retort_revision_drop_sections      (RetortRevision  *self,
                                         RetortDirection  direction);
void retort_revision_set_lazy_source    (RetortRevision  *self,
                                         GBytes          *source);
void retort_py_reader_read_bodies       (RetortRevision  *self,
                                         const char      *contents,
                                         gsize            length);

/* "LINE: the file is not valid UTF-8 (...)" unless the whole text is UTF-8 */
gboolean retort_revision_check_utf8 (const char  *contents,
                                     gsize        length,
                                     GError     **error);

/* the readers behind retort_revision_parse() */
RetortRevision *retort_py_reader_parse  (const char  *path,
                                         const char  *contents,
                                         gsize        length,
                                         GError     **error);
RetortRevision *retort_sql_reader_parse (const char  *path,
                                         const char  *contents,
                                         gsize        length,
                                         GError     **error);

G_END_DECLS
