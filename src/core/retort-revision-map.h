/* retort-revision-map.h — the revision graph, with Alembic's semantics
 *
 * Vocabulary follows alembic/script/revision.py: "versioned" relations use
 * down_revision only, "real" ones include depends_on; heads are versioned
 * heads, real heads have no dependents at all.
 */
#pragma once

#include "retort-revision.h"

G_BEGIN_DECLS

#define RETORT_REVISION_MAP_ERROR (retort_revision_map_error_quark ())

typedef enum {
  RETORT_REVISION_MAP_ERROR_DUPLICATE,          /* two files declare one id */
  RETORT_REVISION_MAP_ERROR_MISSING,            /* down_revision/depends_on names nothing */
  RETORT_REVISION_MAP_ERROR_LABEL_CONFLICT,     /* a branch label used twice */
  RETORT_REVISION_MAP_ERROR_CYCLE,
  RETORT_REVISION_MAP_ERROR_DEPENDENCY_CYCLE,
  RETORT_REVISION_MAP_ERROR_RESOLUTION,         /* no such revision/branch, ambiguous prefix */
  RETORT_REVISION_MAP_ERROR_MULTIPLE_HEADS,     /* `head` with several heads */
  RETORT_REVISION_MAP_ERROR_RANGE_NOT_ANCESTOR, /* target not above/below the current revisions */
  RETORT_REVISION_MAP_ERROR_OVERLAP,            /* requested revisions are ancestors of each other */
  RETORT_REVISION_MAP_ERROR_RELATIVE,           /* +N/-N walked off the graph or hit a fork */
  RETORT_REVISION_MAP_ERROR_INVALID,            /* anything else Alembic calls a RevisionError */
} RetortRevisionMapError;

GQuark retort_revision_map_error_quark (void);

#define RETORT_TYPE_REVISION_MAP (retort_revision_map_get_type ())
G_DECLARE_FINAL_TYPE (RetortRevisionMap, retort_revision_map, RETORT, REVISION_MAP, GObject)

RetortRevisionMap *retort_revision_map_new             (GPtrArray          *revisions,
                                                        GPtrArray          *problems,
                                                        GError            **error);

guint              retort_revision_map_get_n_revisions (RetortRevisionMap  *self);
RetortRevision    *retort_revision_map_get_nth         (RetortRevisionMap  *self,
                                                        guint               position);
RetortRevision    *retort_revision_map_lookup          (RetortRevisionMap  *self,
                                                        const char         *id);
int                retort_revision_map_get_position    (RetortRevisionMap  *self,
                                                        RetortRevision     *revision);

GPtrArray         *retort_revision_map_get_heads       (RetortRevisionMap  *self);
GPtrArray         *retort_revision_map_get_real_heads  (RetortRevisionMap  *self);
GPtrArray         *retort_revision_map_get_bases       (RetortRevisionMap  *self);

gboolean           retort_revision_map_is_head         (RetortRevisionMap  *self,
                                                        RetortRevision     *revision);
gboolean           retort_revision_map_is_real_head    (RetortRevisionMap  *self,
                                                        RetortRevision     *revision);
gboolean           retort_revision_map_is_branch_point (RetortRevisionMap  *self,
                                                        RetortRevision     *revision);
gboolean           retort_revision_map_is_merge_point  (RetortRevisionMap  *self,
                                                        RetortRevision     *revision);
GPtrArray         *retort_revision_map_get_children    (RetortRevisionMap  *self,
                                                        RetortRevision     *revision);
GPtrArray         *retort_revision_map_get_dependencies (RetortRevisionMap *self,
                                                        RetortRevision     *revision);
const char * const *retort_revision_map_get_branch_labels (RetortRevisionMap *self,
                                                        RetortRevision     *revision);

GPtrArray         *retort_revision_map_resolve         (RetortRevisionMap  *self,
                                                        const char         *spec,
                                                        GError            **error);
RetortRevision    *retort_revision_map_resolve_one     (RetortRevisionMap  *self,
                                                        const char         *spec,
                                                        gboolean           *is_base,
                                                        GError            **error);
GPtrArray         *retort_revision_map_walk_history    (RetortRevisionMap  *self,
                                                        const char         *base,
                                                        const char         *head,
                                                        GError            **error);
GPtrArray         *retort_revision_map_get_all_current (RetortRevisionMap  *self,
                                                        const char * const *rows,
                                                        GError            **error);
GHashTable        *retort_revision_map_get_applied     (RetortRevisionMap  *self,
                                                        const char * const *rows);

G_END_DECLS
