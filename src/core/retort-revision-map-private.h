/* retort-revision-map-private.h — index-level graph access for the planner
 *
 * Revisions are addressed by their load-order position. Two sentinels stand
 * for Alembic's non-revision values: NODE_NONE (Python None, "nothing") and
 * NODE_BASE (the string "base" that a downward walk can end on).
 */
#pragma once

#include "retort-revision-map.h"

G_BEGIN_DECLS

#define RETORT_NODE_NONE (-1)
#define RETORT_NODE_BASE (-2)

typedef struct {
  int   *v;
  guint  n;
  guint  cap;
} RetortIntVec;

void     retort_int_vec_push     (RetortIntVec *vec,
                                  int           value);
gboolean retort_int_vec_contains (const RetortIntVec *vec,
                                  int                 value);
void     retort_int_vec_clear    (RetortIntVec *vec);

/* a set of positions */
typedef struct {
  guint64 *bits;
  guint    n;
} RetortNodeSet;

void     retort_node_set_init    (RetortNodeSet *set,
                                  guint          n);
void     retort_node_set_clear   (RetortNodeSet *set);
gboolean retort_node_set_has     (const RetortNodeSet *set,
                                  int                  node);
void     retort_node_set_add     (RetortNodeSet *set,
                                  int            node);
void     retort_node_set_remove  (RetortNodeSet *set,
                                  int            node);

const char        *retort_revision_map_id_at             (RetortRevisionMap *self,
                                                          int                node);
const RetortIntVec *retort_revision_map_versioned_down   (RetortRevisionMap *self,
                                                          int                node);
const RetortIntVec *retort_revision_map_normalized_down  (RetortRevisionMap *self,
                                                          int                node);
const RetortIntVec *retort_revision_map_normalized_deps  (RetortRevisionMap *self,
                                                          int                node);
int                retort_revision_map_position_of       (RetortRevisionMap *self,
                                                          const char        *id);

/* ancestors-or-self (NORM_DOWN with deps, versioned down without) of nodes */
void     retort_revision_map_ancestors   (RetortRevisionMap  *self,
                                          const int          *nodes,
                                          guint               n_nodes,
                                          gboolean            include_dependencies,
                                          RetortNodeSet      *out);
void     retort_revision_map_descendants (RetortRevisionMap  *self,
                                          const int          *nodes,
                                          guint               n_nodes,
                                          gboolean            include_dependencies,
                                          RetortNodeSet      *out);

/* Alembic's planner entry points (ScriptDirectory._upgrade_revs & co.) */
gboolean retort_revision_map_upgrade_revs    (RetortRevisionMap  *self,
                                              const char         *destination,
                                              const char * const *rows,
                                              RetortIntVec       *out,
                                              GError            **error);
gboolean retort_revision_map_downgrade_revs  (RetortRevisionMap  *self,
                                              const char         *destination,
                                              const char * const *rows,
                                              RetortIntVec       *out,
                                              GError            **error);
gboolean retort_revision_map_get_revisions   (RetortRevisionMap  *self,
                                              const char         *spec,
                                              RetortIntVec       *out,
                                              GError            **error);
gboolean retort_revision_map_filter_for_lineage (RetortRevisionMap  *self,
                                              const int          *targets,
                                              guint               n_targets,
                                              const char         *check_against,
                                              gboolean            include_dependencies,
                                              RetortIntVec       *out,
                                              GError            **error);

G_END_DECLS
