/* retort-revision-map.c — the revision graph, with Alembic's semantics
 *
 * A port of alembic/script/revision.py's RevisionMap onto load-order
 * positions and bitsets: the same walks, the same resolution rules and the
 * same topological order, so heads, history and plans come out identical.
 * Where Alembic iterates a Python set (whose order is arbitrary), Retort uses
 * load order, which is one of the orders Alembic itself can produce.
 */
#define G_LOG_DOMAIN "retort-revision-map"

#include "retort-revision-map-private.h"
#include "retort-text.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
  RetortRevision *revision;
  const char     *id;
  RetortIntVec    down;       /* versioned down revisions, declared order */
  RetortIntVec    deps;       /* resolved depends_on */
  RetortIntVec    norm_deps;  /* deps not already depended on by an ancestor */
  RetortIntVec    all_down;   /* down + deps */
  RetortIntVec    norm_down;  /* down + norm_deps */
  RetortIntVec    next;       /* children through down_revision */
  RetortIntVec    all_next;   /* children through down_revision or depends_on */
  GPtrArray      *labels;     /* effective branch labels, sorted */
  GStrv           label_strv;
} Node;

typedef enum {
  REL_DOWN,
  REL_NORM_DOWN,
  REL_ALL_DOWN,
  REL_NEXT,
  REL_ALL_NEXT,
} Relation;

struct _RetortRevisionMap
{
  GObject       parent_instance;
  Node         *nodes;
  guint         n_nodes;
  GHashTable   *keys;       /* revision id or branch label -> position + 1 */
  GHashTable   *positions;  /* RetortRevision* -> position + 1 */
  GPtrArray    *key_order;  /* keys in Alembic's map order: ids, then labels */
  RetortIntVec  heads;
  RetortIntVec  real_heads;
  RetortIntVec  bases;
  RetortIntVec  real_bases;
};

G_DEFINE_TYPE (RetortRevisionMap, retort_revision_map, G_TYPE_OBJECT)
G_DEFINE_QUARK (retort-revision-map-error-quark, retort_revision_map_error)

/* ---- small containers ---------------------------------------------------- */

void
retort_int_vec_push (RetortIntVec *vec,
                     int           value)
{
  if (vec->n == vec->cap)
    {
      vec->cap = MAX (4, vec->cap * 2);
      vec->v = g_renew (int, vec->v, vec->cap);
    }
  vec->v[vec->n++] = value;
}

gboolean
retort_int_vec_contains (const RetortIntVec *vec,
                         int                 value)
{
  for (guint i = 0; i < vec->n; i++)
    if (vec->v[i] == value)
      return TRUE;
  return FALSE;
}

void
retort_int_vec_clear (RetortIntVec *vec)
{
  g_clear_pointer (&vec->v, g_free);
  vec->n = vec->cap = 0;
}

static void
int_vec_push_unique (RetortIntVec *vec,
                     int           value)
{
  if (!retort_int_vec_contains (vec, value))
    retort_int_vec_push (vec, value);
}

static void
int_vec_remove_at (RetortIntVec *vec,
                   guint         index)
{
  memmove (vec->v + index, vec->v + index + 1, (vec->n - index - 1) * sizeof (int));
  vec->n--;
}

void
retort_node_set_init (RetortNodeSet *set,
                      guint          n)
{
  set->n = n;
  set->bits = g_new0 (guint64, (n + 63) / 64 + 1);
}

void
retort_node_set_clear (RetortNodeSet *set)
{
  g_clear_pointer (&set->bits, g_free);
  set->n = 0;
}

gboolean
retort_node_set_has (const RetortNodeSet *set,
                     int                  node)
{
  return node >= 0 && (guint) node < set->n && (set->bits[node / 64] >> (node % 64)) & 1;
}

void
retort_node_set_add (RetortNodeSet *set,
                     int            node)
{
  if (node >= 0 && (guint) node < set->n)
    set->bits[node / 64] |= G_GUINT64_CONSTANT (1) << (node % 64);
}

void
retort_node_set_remove (RetortNodeSet *set,
                        int            node)
{
  if (node >= 0 && (guint) node < set->n)
    set->bits[node / 64] &= ~(G_GUINT64_CONSTANT (1) << (node % 64));
}

static gboolean
node_set_is_empty (const RetortNodeSet *set)
{
  for (guint i = 0; i < (set->n + 63) / 64; i++)
    if (set->bits[i] != 0)
      return FALSE;
  return TRUE;
}

static void
node_set_copy (RetortNodeSet       *dest,
               const RetortNodeSet *src)
{
  retort_node_set_init (dest, src->n);
  memcpy (dest->bits, src->bits, ((src->n + 63) / 64 + 1) * sizeof (guint64));
}

/* ---- object --------------------------------------------------------------- */

static void
retort_revision_map_finalize (GObject *object)
{
  RetortRevisionMap *self = RETORT_REVISION_MAP (object);

  for (guint i = 0; i < self->n_nodes; i++)
    {
      Node *node = &self->nodes[i];
      g_object_unref (node->revision);
      retort_int_vec_clear (&node->down);
      retort_int_vec_clear (&node->deps);
      retort_int_vec_clear (&node->norm_deps);
      retort_int_vec_clear (&node->all_down);
      retort_int_vec_clear (&node->norm_down);
      retort_int_vec_clear (&node->next);
      retort_int_vec_clear (&node->all_next);
      g_ptr_array_unref (node->labels);
      g_strfreev (node->label_strv);
    }
  g_free (self->nodes);
  g_hash_table_unref (self->keys);
  g_hash_table_unref (self->positions);
  g_ptr_array_unref (self->key_order);
  retort_int_vec_clear (&self->heads);
  retort_int_vec_clear (&self->real_heads);
  retort_int_vec_clear (&self->bases);
  retort_int_vec_clear (&self->real_bases);

  G_OBJECT_CLASS (retort_revision_map_parent_class)->finalize (object);
}

static void
retort_revision_map_class_init (RetortRevisionMapClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = retort_revision_map_finalize;
}

static void
retort_revision_map_init (RetortRevisionMap *self)
{
  self->keys = g_hash_table_new (g_str_hash, g_str_equal);
  self->positions = g_hash_table_new (NULL, NULL);
  self->key_order = g_ptr_array_new ();
}

static int
key_lookup (RetortRevisionMap *self,
            const char        *key)
{
  return GPOINTER_TO_INT (g_hash_table_lookup (self->keys, key)) - 1;
}

static const RetortIntVec *
relation (RetortRevisionMap *self,
          int                node,
          Relation           rel)
{
  Node *n = &self->nodes[node];

  switch (rel)
    {
    case REL_DOWN: return &n->down;
    case REL_NORM_DOWN: return &n->norm_down;
    case REL_ALL_DOWN: return &n->all_down;
    case REL_NEXT: return &n->next;
    case REL_ALL_NEXT: return &n->all_next;
    default: g_assert_not_reached ();
    }
}

/* _iterate_related_revisions: depth-first from each target, with an
 * optional check that no target is reachable from another. */
static gboolean
iterate_related (RetortRevisionMap  *self,
                 Relation            rel,
                 const int          *targets,
                 guint               n_targets,
                 gboolean            check,
                 RetortNodeSet      *seen,
                 RetortIntVec       *order,
                 GError            **error)
{
  RetortIntVec stack = { 0 };
  RetortIntVec per_target = { 0 };
  gboolean ok = TRUE;

  for (guint t = 0; t < n_targets && ok; t++)
    {
      int target = targets[t];

      if (target < 0)
        continue;
      retort_int_vec_push (&stack, target);
      per_target.n = 0;
      while (stack.n > 0)
        {
          int node = stack.v[--stack.n];
          const RetortIntVec *related;

          if (check)
            retort_int_vec_push (&per_target, node);
          if (retort_node_set_has (seen, node))
            continue;
          retort_node_set_add (seen, node);
          if (order != NULL)
            retort_int_vec_push (order, node);
          related = relation (self, node, rel);
          for (guint i = 0; i < related->n; i++)
            retort_int_vec_push (&stack, related->v[i]);
        }
      if (check)
        {
          g_autoptr(GString) overlaps = g_string_new (NULL);
          RetortNodeSet listed;

          retort_node_set_init (&listed, self->n_nodes);
          for (guint i = 0; i < per_target.n; i++)
            {
              int node = per_target.v[i];
              gboolean is_target = FALSE;
              for (guint k = 0; k < n_targets; k++)
                is_target |= targets[k] == node;
              if (is_target && node != target && !retort_node_set_has (&listed, node))
                {
                  retort_node_set_add (&listed, node);
                  g_string_append_printf (overlaps, "%s%s", overlaps->len ? ", " : "",
                                          self->nodes[node].id);
                }
            }
          retort_node_set_clear (&listed);
          if (overlaps->len > 0)
            {
              g_set_error (error, RETORT_REVISION_MAP_ERROR, RETORT_REVISION_MAP_ERROR_OVERLAP,
                           "Requested revision %s overlaps with other requested revisions %s",
                           self->nodes[target].id, overlaps->str);
              ok = FALSE;
            }
        }
    }
  retort_int_vec_clear (&stack);
  retort_int_vec_clear (&per_target);
  return ok;
}

static void
related_set (RetortRevisionMap *self,
             Relation           rel,
             const int         *targets,
             guint              n_targets,
             RetortNodeSet     *out)
{
  retort_node_set_init (out, self->n_nodes);
  iterate_related (self, rel, targets, n_targets, FALSE, out, NULL, NULL);
}

static gboolean
related_set_checked (RetortRevisionMap  *self,
                     Relation            rel,
                     const int          *targets,
                     guint               n_targets,
                     RetortNodeSet      *out,
                     GError            **error)
{
  retort_node_set_init (out, self->n_nodes);
  if (!iterate_related (self, rel, targets, n_targets, TRUE, out, NULL, error))
    {
      retort_node_set_clear (out);
      return FALSE;
    }
  return TRUE;
}

void
retort_revision_map_ancestors (RetortRevisionMap *self,
                               const int         *nodes,
                               guint              n_nodes,
                               gboolean           include_dependencies,
                               RetortNodeSet     *out)
{
  related_set (self, include_dependencies ? REL_NORM_DOWN : REL_DOWN, nodes, n_nodes, out);
}

void
retort_revision_map_descendants (RetortRevisionMap *self,
                                 const int         *nodes,
                                 guint              n_nodes,
                                 gboolean           include_dependencies,
                                 RetortNodeSet     *out)
{
  related_set (self, include_dependencies ? REL_ALL_NEXT : REL_NEXT, nodes, n_nodes, out);
}

/* ---- building ------------------------------------------------------------- */

static void
add_problem (GPtrArray  *problems,
             GError    **first,
             GError     *problem)
{
  if (*first == NULL)
    *first = g_error_copy (problem);
  if (problems != NULL)
    g_ptr_array_add (problems, problem);
  else
    g_error_free (problem);
}

static int
compare_id_ptrs (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static GError *
cycle_error (RetortRevisionMap *self,
             int                code,
             const char        *kind,
             RetortNodeSet     *space)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();
  g_autoptr(GPtrArray) paths = g_ptr_array_new ();
  g_autofree char *id_list = NULL;
  g_autoptr(GString) files = g_string_new (NULL);

  for (guint i = 0; i < self->n_nodes; i++)
    if (space == NULL || !retort_node_set_has (space, i))
      g_ptr_array_add (ids, (gpointer) self->nodes[i].id);
  g_ptr_array_sort (ids, compare_id_ptrs);
  g_ptr_array_add (ids, NULL);
  id_list = retort_text_join_ids ((const char * const *) ids->pdata, -1);
  for (guint i = 0; i < self->n_nodes && paths->len < 3; i++)
    if (space == NULL || !retort_node_set_has (space, i))
      {
        const char *path = retort_revision_get_path (self->nodes[i].revision);
        g_string_append_printf (files, "%s%s", files->len ? ", " : "", path ? path : self->nodes[i].id);
        g_ptr_array_add (paths, NULL);
      }
  return g_error_new (RETORT_REVISION_MAP_ERROR, code,
                      "%s is detected in revisions (%s); see %s%s", kind, id_list, files->str,
                      ids->len - 1 > 3 ? ", …" : "");
}

static GError *
file_error (RetortRevision      *revision,
            RetortRevisionField  field,
            int                  code,
            const char          *format,
            ...) G_GNUC_PRINTF (4, 5);

static GError *
file_error (RetortRevision      *revision,
            RetortRevisionField  field,
            int                  code,
            const char          *format,
            ...)
{
  va_list args;
  g_autofree char *message = NULL;
  const char *path = retort_revision_get_path (revision);
  guint line = retort_revision_get_field_line (revision, field);

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  if (path == NULL)
    return g_error_new (RETORT_REVISION_MAP_ERROR, code, "%s", message);
  return g_error_new (RETORT_REVISION_MAP_ERROR, code, "%s:%u: %s", path, MAX (line, 1), message);
}

static void
add_label (Node       *node,
           const char *label)
{
  for (guint i = 0; i < node->labels->len; i++)
    if (strcmp (g_ptr_array_index (node->labels, i), label) == 0)
      return;
  g_ptr_array_add (node->labels, (gpointer) label);
}

static void
propagate_branch_labels (RetortRevisionMap *self)
{
  /* _add_branches: a label spreads to every descendant, then down from the
   * last one visited until a real branch point or a merge point. */
  for (guint r = 0; r < self->n_nodes; r++)
    {
      const char * const *declared = retort_revision_get_branch_labels (self->nodes[r].revision);
      g_autoptr(GPtrArray) labels = NULL;
      RetortNodeSet seen;
      RetortIntVec order = { 0 };
      int parent;
      int start = r;

      if (declared == NULL || declared[0] == NULL)
        continue;
      labels = g_ptr_array_copy (self->nodes[r].labels, NULL, NULL);
      retort_node_set_init (&seen, self->n_nodes);
      iterate_related (self, REL_NEXT, &start, 1, FALSE, &seen, &order, NULL);
      for (guint i = 0; i < order.n; i++)
        for (guint l = 0; l < labels->len; l++)
          add_label (&self->nodes[order.v[i]], g_ptr_array_index (labels, l));

      parent = order.v[order.n - 1];
      while (parent >= 0 && self->nodes[parent].all_next.n <= 1 && self->nodes[parent].down.n <= 1)
        {
          for (guint l = 0; l < labels->len; l++)
            add_label (&self->nodes[parent], g_ptr_array_index (labels, l));
          parent = self->nodes[parent].down.n == 1 ? self->nodes[parent].down.v[0] : -1;
        }
      retort_node_set_clear (&seen);
      retort_int_vec_clear (&order);
    }

  for (guint r = 0; r < self->n_nodes; r++)
    {
      Node *node = &self->nodes[r];
      g_ptr_array_sort (node->labels, compare_id_ptrs);
      node->label_strv = g_new0 (char *, node->labels->len + 1);
      for (guint l = 0; l < node->labels->len; l++)
        node->label_strv[l] = g_strdup (g_ptr_array_index (node->labels, l));
    }
}

static void
normalize_dependencies (RetortRevisionMap *self)
{
  for (guint r = 0; r < self->n_nodes; r++)
    {
      Node *node = &self->nodes[r];
      RetortNodeSet ancestors;
      RetortNodeSet removed;
      int start = r;

      if (node->deps.n > 0)
        {
          retort_node_set_init (&removed, self->n_nodes);
          related_set (self, REL_DOWN, &start, 1, &ancestors);
          for (guint a = 0; a < self->n_nodes; a++)
            if ((int) a != start && retort_node_set_has (&ancestors, a))
              for (guint d = 0; d < self->nodes[a].deps.n; d++)
                retort_node_set_add (&removed, self->nodes[a].deps.v[d]);
          for (guint d = 0; d < node->deps.n; d++)
            if (!retort_node_set_has (&removed, node->deps.v[d]))
              retort_int_vec_push (&node->norm_deps, node->deps.v[d]);
          retort_node_set_clear (&ancestors);
          retort_node_set_clear (&removed);
        }
      for (guint d = 0; d < node->down.n; d++)
        {
          int_vec_push_unique (&node->all_down, node->down.v[d]);
          int_vec_push_unique (&node->norm_down, node->down.v[d]);
        }
      for (guint d = 0; d < node->deps.n; d++)
        int_vec_push_unique (&node->all_down, node->deps.v[d]);
      for (guint d = 0; d < node->norm_deps.n; d++)
        int_vec_push_unique (&node->norm_down, node->norm_deps.v[d]);
    }
}

static GError *
detect_cycles (RetortRevisionMap *self)
{
  /* _detect_cycles: every revision must lie between a head and a base */
  RetortNodeSet from_heads, from_bases;
  GError *error = NULL;

  if (self->n_nodes == 0)
    return NULL;
  if (self->heads.n == 0 || self->bases.n == 0)
    return cycle_error (self, RETORT_REVISION_MAP_ERROR_CYCLE, "Cycle", NULL);

  related_set (self, REL_DOWN, self->heads.v, self->heads.n, &from_heads);
  related_set (self, REL_NEXT, self->bases.v, self->bases.n, &from_bases);
  for (guint i = 0; i < (from_heads.n + 63) / 64; i++)
    from_heads.bits[i] &= from_bases.bits[i];
  for (guint i = 0; i < self->n_nodes && error == NULL; i++)
    if (!retort_node_set_has (&from_heads, i))
      error = cycle_error (self, RETORT_REVISION_MAP_ERROR_CYCLE, "Cycle", &from_heads);
  retort_node_set_clear (&from_heads);
  retort_node_set_clear (&from_bases);
  if (error != NULL)
    return error;

  if (self->real_heads.n == 0 || self->real_bases.n == 0)
    return cycle_error (self, RETORT_REVISION_MAP_ERROR_DEPENDENCY_CYCLE, "Dependency cycle", NULL);
  related_set (self, REL_ALL_DOWN, self->real_heads.v, self->real_heads.n, &from_heads);
  related_set (self, REL_ALL_NEXT, self->real_bases.v, self->real_bases.n, &from_bases);
  for (guint i = 0; i < (from_heads.n + 63) / 64; i++)
    from_heads.bits[i] &= from_bases.bits[i];
  for (guint i = 0; i < self->n_nodes && error == NULL; i++)
    if (!retort_node_set_has (&from_heads, i))
      error = cycle_error (self, RETORT_REVISION_MAP_ERROR_DEPENDENCY_CYCLE, "Dependency cycle",
                           &from_heads);
  retort_node_set_clear (&from_heads);
  retort_node_set_clear (&from_bases);
  return error;
}

RetortRevisionMap *
retort_revision_map_new (GPtrArray  *revisions,
                         GPtrArray  *problems,
                         GError    **error)
{
  g_autoptr(RetortRevisionMap) self = g_object_new (RETORT_TYPE_REVISION_MAP, NULL);
  g_autoptr(GError) first = NULL;
  g_autoptr(GArray) kept = g_array_new (FALSE, FALSE, sizeof (guint));

  /* ids, in load order; a second file with the same id is a problem */
  for (guint i = 0; i < revisions->len; i++)
    {
      RetortRevision *revision = g_ptr_array_index (revisions, i);
      const char *id = retort_revision_get_id (revision);
      int existing = key_lookup (self, id);

      if (existing >= 0)
        {
          RetortRevision *other = g_ptr_array_index (revisions, g_array_index (kept, guint, existing));
          add_problem (problems, &first,
                       file_error (revision, RETORT_REVISION_FIELD_REVISION,
                                   RETORT_REVISION_MAP_ERROR_DUPLICATE,
                                   "revision id '%s' is already declared by %s", id,
                                   retort_revision_get_path (other) ? retort_revision_get_path (other) : id));
          continue;
        }
      g_hash_table_insert (self->keys, (gpointer) id, GINT_TO_POINTER (kept->len + 1));
      g_ptr_array_add (self->key_order, (gpointer) id);
      g_array_append_val (kept, i);
    }

  self->n_nodes = kept->len;
  self->nodes = g_new0 (Node, MAX (self->n_nodes, 1));
  for (guint n = 0; n < self->n_nodes; n++)
    {
      Node *node = &self->nodes[n];
      node->revision = g_object_ref (g_ptr_array_index (revisions, g_array_index (kept, guint, n)));
      node->id = retort_revision_get_id (node->revision);
      node->labels = g_ptr_array_new ();
      g_hash_table_insert (self->positions, node->revision, GINT_TO_POINTER (n + 1));
    }

  /* branch labels share the key space with revision ids */
  for (guint n = 0; n < self->n_nodes; n++)
    {
      const char * const *labels = retort_revision_get_branch_labels (self->nodes[n].revision);
      for (guint l = 0; labels != NULL && labels[l] != NULL; l++)
        {
          int existing = key_lookup (self, labels[l]);
          if (existing >= 0)
            {
              add_problem (problems, &first,
                           file_error (self->nodes[n].revision, RETORT_REVISION_FIELD_BRANCH_LABELS,
                                       RETORT_REVISION_MAP_ERROR_LABEL_CONFLICT,
                                       "Branch name '%s' in revision %s already used by revision %s",
                                       labels[l], self->nodes[n].id, self->nodes[existing].id));
              continue;
            }
          g_hash_table_insert (self->keys, (gpointer) labels[l], GINT_TO_POINTER (n + 1));
          g_ptr_array_add (self->key_order, (gpointer) labels[l]);
          add_label (&self->nodes[n], labels[l]);
        }
    }

  /* edges */
  for (guint n = 0; n < self->n_nodes; n++)
    {
      Node *node = &self->nodes[n];
      const char * const *down = retort_revision_get_down_revisions (node->revision);
      const char * const *deps = retort_revision_get_depends_on (node->revision);

      for (guint d = 0; deps != NULL && deps[d] != NULL; d++)
        {
          int target = key_lookup (self, deps[d]);
          if (target < 0)
            {
              add_problem (problems, &first,
                           file_error (node->revision, RETORT_REVISION_FIELD_DEPENDS_ON,
                                       RETORT_REVISION_MAP_ERROR_MISSING,
                                       "revision %s depends on '%s', which is neither a revision "
                                       "nor a branch label in this script directory",
                                       node->id, deps[d]));
              continue;
            }
          int_vec_push_unique (&node->deps, target);
        }
      for (guint d = 0; down != NULL && down[d] != NULL; d++)
        {
          int target = key_lookup (self, down[d]);
          if (target < 0 || strcmp (self->nodes[target].id, down[d]) != 0)
            {
              add_problem (problems, &first,
                           file_error (node->revision, RETORT_REVISION_FIELD_DOWN_REVISION,
                                       RETORT_REVISION_MAP_ERROR_MISSING,
                                       "revision %s revises '%s', which is %s", node->id, down[d],
                                       target < 0 ? "not a revision in this script directory"
                                                  : "a branch label, not a revision id"));
              continue;
            }
          retort_int_vec_push (&node->down, target);
        }
    }
  if (first != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&first));
      return NULL;
    }

  for (guint n = 0; n < self->n_nodes; n++)
    {
      Node *node = &self->nodes[n];
      for (guint d = 0; d < node->down.n; d++)
        int_vec_push_unique (&self->nodes[node->down.v[d]].next, n);
      for (guint d = 0; d < node->down.n; d++)
        int_vec_push_unique (&self->nodes[node->down.v[d]].all_next, n);
      for (guint d = 0; d < node->deps.n; d++)
        int_vec_push_unique (&self->nodes[node->deps.v[d]].all_next, n);
    }
  for (guint n = 0; n < self->n_nodes; n++)
    {
      Node *node = &self->nodes[n];
      const char * const *declared_deps = retort_revision_get_depends_on (node->revision);
      if (node->next.n == 0)
        retort_int_vec_push (&self->heads, n);
      if (node->all_next.n == 0)
        retort_int_vec_push (&self->real_heads, n);
      if (node->down.n == 0)
        retort_int_vec_push (&self->bases, n);
      if (node->down.n == 0 && (declared_deps == NULL || declared_deps[0] == NULL))
        retort_int_vec_push (&self->real_bases, n);
    }

  normalize_dependencies (self);
  {
    GError *cycle = detect_cycles (self);
    if (cycle != NULL)
      {
        if (problems != NULL)
          g_ptr_array_add (problems, g_error_copy (cycle));
        g_propagate_error (error, cycle);
        return NULL;
      }
  }
  propagate_branch_labels (self);
  return g_steal_pointer (&self);
}

/* ---- resolution (RevisionMap._resolve_revision_number & co.) --------------- */

static gboolean filter_for_lineage (RetortRevisionMap *self, const int *targets, guint n_targets,
                                    const char *check_against, gboolean include_dependencies,
                                    RetortIntVec *out, GError **error);
static gboolean revision_for_ident (RetortRevisionMap *self, const char *id,
                                    const char *check_branch, int *out, GError **error);
static gboolean get_revisions (RetortRevisionMap *self, const char *spec,
                               RetortIntVec *out, GError **error);

static void
set_multiple_heads (GError     **error,
                    const char  *argument)
{
  g_set_error (error, RETORT_REVISION_MAP_ERROR, RETORT_REVISION_MAP_ERROR_MULTIPLE_HEADS,
               "Multiple head revisions are present for given argument '%s'; please specify a "
               "specific target revision, '<branchname>@%s' to narrow to a specific head, or "
               "'heads' for all heads", argument, argument);
}

/* Splits "label@rest" at the first '@'; an empty label is no label. */
static const char *
split_label (const char  *spec,
             char       **label)
{
  const char *at = spec != NULL ? strchr (spec, '@') : NULL;

  *label = NULL;
  if (at == NULL)
    return spec;
  if (at > spec)
    *label = g_strndup (spec, at - spec);
  return at + 1;
}

static gboolean
resolve_number (RetortRevisionMap  *self,
                const char         *spec,
                GPtrArray          *ids,
                char              **label_out,
                GError            **error)
{
  g_autofree char *label = NULL;
  const char *id = split_label (spec, &label);

  if (g_strcmp0 (id, "heads") == 0)
    {
      if (label != NULL)
        {
          RetortIntVec filtered = { 0 };
          if (!filter_for_lineage (self, self->heads.v, self->heads.n, label, FALSE, &filtered, error))
            return FALSE;
          for (guint i = 0; i < filtered.n; i++)
            g_ptr_array_add (ids, g_strdup (self->nodes[filtered.v[i]].id));
          retort_int_vec_clear (&filtered);
        }
      else
        for (guint i = 0; i < self->real_heads.n; i++)
          g_ptr_array_add (ids, g_strdup (self->nodes[self->real_heads.v[i]].id));
    }
  else if (g_strcmp0 (id, "head") == 0)
    {
      RetortIntVec current = { 0 };
      if (label != NULL)
        {
          if (!filter_for_lineage (self, self->heads.v, self->heads.n, label, FALSE, &current, error))
            return FALSE;
        }
      else
        for (guint i = 0; i < self->heads.n; i++)
          retort_int_vec_push (&current, self->heads.v[i]);
      if (current.n > 1)
        {
          g_autofree char *argument = label != NULL ? g_strdup_printf ("%s@head", label) : g_strdup ("head");
          retort_int_vec_clear (&current);
          set_multiple_heads (error, argument);
          return FALSE;
        }
      if (current.n == 1)
        g_ptr_array_add (ids, g_strdup (self->nodes[current.v[0]].id));
      retort_int_vec_clear (&current);
    }
  else if (id != NULL && strcmp (id, "base") != 0)
    g_ptr_array_add (ids, g_strdup (id));

  *label_out = g_steal_pointer (&label);
  return TRUE;
}

/* The union of ancestors and descendants of `against`: a target shares
 * lineage with one of them exactly when it lies in this set. */
static void
lineage_set (RetortRevisionMap *self,
             const int         *against,
             guint              n_against,
             gboolean           include_dependencies,
             RetortNodeSet     *out)
{
  RetortNodeSet down;

  retort_revision_map_ancestors (self, against, n_against, include_dependencies, out);
  retort_revision_map_descendants (self, against, n_against, include_dependencies, &down);
  for (guint i = 0; i < (out->n + 63) / 64; i++)
    out->bits[i] |= down.bits[i];
  retort_node_set_clear (&down);
}

static gboolean
filter_for_lineage (RetortRevisionMap  *self,
                    const int          *targets,
                    guint               n_targets,
                    const char         *check_against,
                    gboolean            include_dependencies,
                    RetortIntVec       *out,
                    GError            **error)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *label = NULL;
  RetortIntVec shares = { 0 };
  RetortNodeSet lineage;
  gboolean ok = TRUE;

  if (!resolve_number (self, check_against, ids, &label, error))
    return FALSE;
  if (label != NULL)
    g_ptr_array_insert (ids, 0, g_strdup (label));
  for (guint i = 0; i < ids->len && ok; i++)
    {
      int node;
      ok = revision_for_ident (self, g_ptr_array_index (ids, i), NULL, &node, error);
      if (ok && node >= 0)
        retort_int_vec_push (&shares, node);
    }
  if (!ok)
    {
      retort_int_vec_clear (&shares);
      return FALSE;
    }
  if (ids->len == 0)
    {
      for (guint i = 0; i < n_targets; i++)
        retort_int_vec_push (out, targets[i]);
      return TRUE;
    }
  lineage_set (self, shares.v, shares.n, include_dependencies, &lineage);
  for (guint i = 0; i < n_targets; i++)
    if (retort_node_set_has (&lineage, targets[i]))
      retort_int_vec_push (out, targets[i]);
  retort_node_set_clear (&lineage);
  retort_int_vec_clear (&shares);
  return TRUE;
}

static gboolean
resolve_branch (RetortRevisionMap  *self,
                const char         *label,
                int                *out,
                GError            **error)
{
  g_autoptr(GError) local_error = NULL;

  *out = key_lookup (self, label);
  if (*out >= 0)
    return TRUE;
  if (!revision_for_ident (self, label, NULL, out, &local_error))
    {
      if (g_error_matches (local_error, RETORT_REVISION_MAP_ERROR, RETORT_REVISION_MAP_ERROR_RESOLUTION))
        g_set_error (error, RETORT_REVISION_MAP_ERROR, RETORT_REVISION_MAP_ERROR_RESOLUTION,
                     "No such branch: '%s'", label);
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}

static gboolean
revision_for_ident (RetortRevisionMap  *self,
                    const char         *id,
                    const char         *check_branch,
                    int                *out,
                    GError            **error)
{
  int branch_rev = RETORT_NODE_NONE;
  int revision;

  if (check_branch != NULL && !resolve_branch (self, check_branch, &branch_rev, error))
    return FALSE;

  if (id == NULL)
    revision = RETORT_NODE_NONE;
  else if ((revision = key_lookup (self, id)) < 0)
    {
      /* a partial id: keys of four characters or more that start with it */
      g_autoptr(GPtrArray) candidates = g_ptr_array_new ();
      gsize id_len = strlen (id);

      for (guint k = 0; k < self->key_order->len; k++)
        {
          const char *key = g_ptr_array_index (self->key_order, k);
          if (strlen (key) > 3 && strncmp (key, id, id_len) == 0)
            g_ptr_array_add (candidates, (gpointer) key);
        }
      if (branch_rev >= 0 && candidates->len > 0)
        {
          RetortNodeSet lineage;
          int branch_nodes[1] = { branch_rev };
          lineage_set (self, branch_nodes, 1, FALSE, &lineage);
          for (guint c = 0; c < candidates->len; c++)
            if (!retort_node_set_has (&lineage, key_lookup (self, g_ptr_array_index (candidates, c))))
              g_ptr_array_remove_index (candidates, c--);
          retort_node_set_clear (&lineage);
        }
      if (candidates->len == 0)
        {
          g_set_error (error, RETORT_REVISION_MAP_ERROR, RETORT_REVISION_MAP_ERROR_RESOLUTION,
                       "No such revision or branch '%s'%s", id,
                       id_len < 4 ? "; please ensure at least four characters are present for "
                                    "partial revision identifier matches" : "");
          return FALSE;
        }
      if (candidates->len > 1)
        {
          g_autoptr(GString) listed = g_string_new (NULL);
          for (guint c = 0; c < MIN (candidates->len, 3); c++)
            g_string_append_printf (listed, "%s'%s'", c ? ", " : "",
                                    (const char *) g_ptr_array_index (candidates, c));
          g_set_error (error, RETORT_REVISION_MAP_ERROR, RETORT_REVISION_MAP_ERROR_RESOLUTION,
                       "Multiple revisions start with '%s': %s...", id, listed->str);
          return FALSE;
        }
      revision = key_lookup (self, g_ptr_array_index (candidates, 0));
    }

  if (check_branch != NULL && revision >= 0)
    {
      RetortNodeSet lineage;
      int branch_nodes[1] = { branch_rev };
      gboolean member;

      lineage_set (self, branch_nodes, 1, FALSE, &lineage);
      member = retort_node_set_has (&lineage, revision);
      retort_node_set_clear (&lineage);
      if (!member)
        {
          g_set_error (error, RETORT_REVISION_MAP_ERROR, RETORT_REVISION_MAP_ERROR_RESOLUTION,
                       "Revision %s is not a member of branch '%s'",
                       self->nodes[revision].id, check_branch);
          return FALSE;
        }
    }
  *out = revision;
  return TRUE;
}

/* Python's int() on the whole string, for "-N" after a label */
static gboolean
parse_negative_int (const char *text,
                    int        *value)
{
  char *end = NULL;
  gint64 parsed;

  while (g_ascii_isspace (*text))
    text++;
  if (*text != '-' || !g_ascii_isdigit (text[1]))
    return FALSE;
  parsed = g_ascii_strtoll (text, &end, 10);
  while (end != NULL && g_ascii_isspace (*end))
    end++;
  if (end == NULL || *end != '\0' || parsed >= 0 || parsed < G_MININT)
    return FALSE;
  *value = (int) parsed;
  return TRUE;
}

static gboolean walk (RetortRevisionMap *self, int start, int steps, const char *label,
                      gboolean no_overwalk, int *out, GError **error);

static gboolean
get_revisions (RetortRevisionMap  *self,
               const char         *spec,
               RetortIntVec       *out,
               GError            **error)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *label = NULL;
  int steps;

  if (!resolve_number (self, spec, ids, &label, error))
    return FALSE;

  if (ids->len == 1 && parse_negative_int (g_ptr_array_index (ids, 0), &steps))
    {
      /* label@-n: walk down from each real head (on that branch) */
      for (guint h = 0; h < self->real_heads.n; h++)
        {
          int head = self->real_heads.v[h];
          int result;
          if (label != NULL && !g_ptr_array_find_with_equal_func (self->nodes[head].labels, label,
                                                                  g_str_equal, NULL))
            continue;
          if (!walk (self, head, steps, NULL, TRUE, &result, error))
            return FALSE;
          retort_int_vec_push (out, result);
        }
      return TRUE;
    }

  for (guint i = 0; i < ids->len; i++)
    {
      int node;
      if (!revision_for_ident (self, g_ptr_array_index (ids, i), label, &node, error))
        return FALSE;
      retort_int_vec_push (out, node);
    }
  return TRUE;
}

static gboolean
get_revisions_multi (RetortRevisionMap  *self,
                     const char * const *specs,
                     RetortIntVec       *out,
                     GError            **error)
{
  for (guint i = 0; specs != NULL && specs[i] != NULL; i++)
    if (!get_revisions (self, specs[i], out, error))
      return FALSE;
  return TRUE;
}

static gboolean
get_revision (RetortRevisionMap  *self,
              const char         *spec,
              int                *out,
              GError            **error)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *label = NULL;

  if (!resolve_number (self, spec, ids, &label, error))
    return FALSE;
  if (ids->len > 1)
    {
      set_multiple_heads (error, spec);
      return FALSE;
    }
  return revision_for_ident (self, ids->len ? g_ptr_array_index (ids, 0) : NULL, label, out, error);
}

static gboolean
walk (RetortRevisionMap  *self,
      int                 start,
      int                 steps,
      const char         *label,
      gboolean            no_overwalk,
      int                *out,
      GError            **error)
{
  int initial = start;

  for (int s = 0; s < ABS (steps); s++)
    {
      RetortIntVec children = { 0 };

      if (steps > 0)
        {
          const RetortIntVec *up;
          g_return_val_if_fail (initial != RETORT_NODE_BASE, FALSE);
          up = initial == RETORT_NODE_NONE ? &self->bases : &self->nodes[initial].next;
          if (label != NULL)
            {
              if (!filter_for_lineage (self, up->v, up->n, label, FALSE, &children, error))
                return FALSE;
            }
          else
            for (guint i = 0; i < up->n; i++)
              retort_int_vec_push (&children, up->v[i]);
        }
      else if (initial != RETORT_NODE_BASE)
        {
          const RetortIntVec *down = initial == RETORT_NODE_NONE ? &self->heads : &self->nodes[initial].down;
          for (guint i = 0; i < down->n; i++)
            retort_int_vec_push (&children, down->v[i]);
          if (children.n == 0)
            retort_int_vec_push (&children, RETORT_NODE_BASE);
        }

      if (children.n == 0)
        {
          *out = no_overwalk ? RETORT_NODE_NONE : initial;
          return TRUE;
        }
      if (children.n > 1)
        {
          retort_int_vec_clear (&children);
          g_set_error (error, RETORT_REVISION_MAP_ERROR, RETORT_REVISION_MAP_ERROR_RELATIVE,
                       "Ambiguous walk: revision %s has more than one %s",
                       initial >= 0 ? self->nodes[initial].id : "base",
                       steps > 0 ? "child on this path" : "parent");
          return FALSE;
        }
      initial = children.v[0];
      retort_int_vec_clear (&children);
    }
  *out = initial;
  return TRUE;
}

/* _relative_destination = (?:(.+?)@)?(\w+)?((?:\+|-)\d+), matched at the start */
typedef struct {
  char *label;
  char *symbol;
  char *relative;  /* "+2", "-1" as written */
  int   value;
} RelativeSpec;

static void
relative_spec_clear (RelativeSpec *spec)
{
  g_clear_pointer (&spec->label, g_free);
  g_clear_pointer (&spec->symbol, g_free);
  g_clear_pointer (&spec->relative, g_free);
}

static gboolean
match_relative_at (const char   *text,
                   RelativeSpec *spec)
{
  const char *p = text;
  const char *digits;

  while (*p != '\0')
    {
      gunichar c = g_utf8_get_char (p);
      if (!(c == '_' || g_unichar_isalnum (c)))
        break;
      p = g_utf8_next_char (p);
    }
  if (*p != '+' && *p != '-')
    return FALSE;
  digits = p + 1;
  while (g_ascii_isdigit (*digits))
    digits++;
  if (digits == p + 1)
    return FALSE;
  spec->symbol = p > text ? g_strndup (text, p - text) : NULL;
  spec->relative = g_strndup (p, digits - p);
  spec->value = (int) CLAMP (g_ascii_strtoll (spec->relative, NULL, 10), -G_MAXINT, G_MAXINT);
  return TRUE;
}

static gboolean
match_relative (const char   *text,
                RelativeSpec *spec)
{
  memset (spec, 0, sizeof *spec);
  if (text == NULL)
    return FALSE;
  for (const char *at = strchr (text + (*text ? 1 : 0), '@'); at != NULL; at = strchr (at + 1, '@'))
    if (match_relative_at (at + 1, spec))
      {
        spec->label = g_strndup (text, at - text);
        return TRUE;
      }
  return match_relative_at (text, spec);
}

static gboolean
get_revision_on_branch (RetortRevisionMap  *self,
                        const char         *label,
                        const char         *symbol,
                        int                *out,
                        GError            **error)
{
  g_autofree char *spec = label != NULL ? g_strdup_printf ("%s@%s", label, symbol) : g_strdup (symbol);
  return get_revision (self, spec, out, error);
}

static void
set_relative_error (GError    **error,
                    const char *relative,
                    int         value)
{
  g_set_error (error, RETORT_REVISION_MAP_ERROR, RETORT_REVISION_MAP_ERROR_RELATIVE,
               "Relative revision %s didn't produce %d migrations", relative, ABS (value));
}

static gboolean
parse_upgrade_target (RetortRevisionMap  *self,
                      const char * const *current,
                      const char         *target,
                      gboolean            assert_relative_length,
                      RetortIntVec       *out,
                      GError            **error)
{
  RelativeSpec rel;
  gboolean ok = FALSE;
  int result = RETORT_NODE_NONE;

  if (!match_relative (target, &rel))
    return get_revisions (self, target, out, error);

  if (rel.value > 0 && rel.symbol == NULL)
    {
      RetortIntVec start_revs = { 0 };
      guint n_start;
      int start = RETORT_NODE_NONE;
      guint n_current = current != NULL ? g_strv_length ((char **) current) : 0;

      if (rel.label != NULL)
        {
          RetortIntVec resolved = { 0 };
          if (!get_revisions_multi (self, current, &resolved, error) ||
              !filter_for_lineage (self, resolved.v, resolved.n, rel.label, FALSE, &start_revs, error))
            {
              retort_int_vec_clear (&resolved);
              goto out;
            }
          if (start_revs.n == 0)
            {
              /* the branch is behind: start from the tips of its applied part */
              RetortNodeSet ancestors, downs;
              RetortIntVec all = { 0 }, active = { 0 };

              retort_revision_map_ancestors (self, resolved.v, resolved.n, TRUE, &ancestors);
              for (guint i = 0; i < self->n_nodes; i++)
                if (retort_node_set_has (&ancestors, i))
                  retort_int_vec_push (&all, i);
              ok = filter_for_lineage (self, all.v, all.n, rel.label, FALSE, &active, error);
              retort_node_set_init (&downs, self->n_nodes);
              for (guint i = 0; i < active.n; i++)
                for (guint d = 0; d < self->nodes[active.v[i]].norm_down.n; d++)
                  retort_node_set_add (&downs, self->nodes[active.v[i]].norm_down.v[d]);
              for (guint i = 0; i < active.n; i++)
                if (!retort_node_set_has (&downs, active.v[i]))
                  retort_int_vec_push (&start_revs, active.v[i]);
              retort_node_set_clear (&ancestors);
              retort_node_set_clear (&downs);
              retort_int_vec_clear (&all);
              retort_int_vec_clear (&active);
              if (!ok)
                {
                  retort_int_vec_clear (&resolved);
                  goto out;
                }
              ok = FALSE;
              if (start_revs.n == 0)
                retort_int_vec_push (&start_revs, RETORT_NODE_NONE);
            }
          retort_int_vec_clear (&resolved);
          n_start = start_revs.n;
          start = start_revs.v[0];
        }
      else
        {
          n_start = MAX (n_current, 1);
          if (n_current == 1 && !get_revision (self, current[0], &start, error))
            goto out;
        }
      retort_int_vec_clear (&start_revs);
      if (n_start > 1)
        {
          g_set_error (error, RETORT_REVISION_MAP_ERROR, RETORT_REVISION_MAP_ERROR_RELATIVE,
                       "Ambiguous upgrade from multiple current revisions");
          goto out;
        }
      if (!walk (self, start, rel.value, rel.label, assert_relative_length, &result, error))
        goto out;
      if (result == RETORT_NODE_NONE)
        {
          set_relative_error (error, rel.relative, rel.value);
          goto out;
        }
    }
  else if (rel.value > 0)
    {
      int start;
      if (!get_revision (self, rel.symbol, &start, error) ||
          !walk (self, start, rel.value, rel.label, assert_relative_length, &result, error))
        goto out;
    }
  else
    {
      int start;
      if (rel.symbol == NULL)
        {
          g_autofree char *value = g_strdup_printf ("%d", rel.value);
          set_relative_error (error, value, rel.value);
          goto out;
        }
      if (!get_revision_on_branch (self, rel.label, rel.symbol, &start, error) ||
          !walk (self, start, rel.value, NULL, assert_relative_length, &result, error))
        goto out;
    }
  retort_int_vec_push (out, result);
  ok = TRUE;

out:
  relative_spec_clear (&rel);
  return ok;
}

static gboolean
get_all_current (RetortRevisionMap  *self,
                 const char * const *rows,
                 RetortIntVec       *out,
                 GError            **error)
{
  RetortIntVec top = { 0 };
  RetortNodeSet all;

  if (!get_revisions_multi (self, rows, &top, error))
    {
      retort_int_vec_clear (&top);
      return FALSE;
    }
  retort_revision_map_ancestors (self, top.v, top.n, TRUE, &all);
  for (guint i = 0; i < top.n; i++)
    retort_node_set_add (&all, top.v[i]);
  /* keep the members with no versioned child in the set: the branch heads */
  for (guint n = 0; n < self->n_nodes; n++)
    {
      gboolean has_child = FALSE;
      if (!retort_node_set_has (&all, n))
        continue;
      for (guint c = 0; c < self->nodes[n].next.n && !has_child; c++)
        has_child = retort_node_set_has (&all, self->nodes[n].next.v[c]);
      if (!has_child)
        retort_int_vec_push (out, n);
    }
  retort_node_set_clear (&all);
  retort_int_vec_clear (&top);
  return TRUE;
}

static gboolean
parse_downgrade_target (RetortRevisionMap  *self,
                        const char * const *current,
                        const char         *target,
                        gboolean            assert_relative_length,
                        char              **label_out,
                        int                *rev_out,
                        GError            **error)
{
  RelativeSpec rel;
  gboolean ok = FALSE;

  *label_out = NULL;
  *rev_out = RETORT_NODE_NONE;
  if (target == NULL)
    return TRUE;

  if (match_relative (target, &rel))
    {
      int start, result;

      if (rel.value >= 0)
        {
          if (rel.symbol == NULL)
            {
              set_relative_error (error, rel.relative, rel.value);
              goto out;
            }
          if (!get_revision (self, rel.symbol, &start, error) ||
              !walk (self, start, rel.value, rel.label, assert_relative_length, &result, error))
            goto out;
          if (result == RETORT_NODE_NONE)
            {
              g_set_error (error, RETORT_REVISION_MAP_ERROR, RETORT_REVISION_MAP_ERROR_RELATIVE,
                           "Walked too far: %s goes past the last revision", target);
              goto out;
            }
        }
      else
        {
          gboolean relative_to_current = rel.symbol == NULL;
          if (relative_to_current)
            {
              if (rel.label != NULL)
                {
                  RetortIntVec resolved = { 0 }, on_branch = { 0 };
                  if (!get_revisions_multi (self, current, &resolved, error) ||
                      !filter_for_lineage (self, resolved.v, resolved.n, rel.label, FALSE, &on_branch, error))
                    {
                      retort_int_vec_clear (&resolved);
                      goto out;
                    }
                  if (on_branch.n == 0)
                    {
                      RetortIntVec all_current = { 0 };
                      if (!get_all_current (self, current, &all_current, error) ||
                          !filter_for_lineage (self, all_current.v, all_current.n, rel.label, FALSE,
                                               &on_branch, error))
                        {
                          retort_int_vec_clear (&all_current);
                          retort_int_vec_clear (&resolved);
                          goto out;
                        }
                      retort_int_vec_clear (&all_current);
                    }
                  retort_int_vec_clear (&resolved);
                  if (on_branch.n != 1)
                    {
                      g_set_error (error, RETORT_REVISION_MAP_ERROR, RETORT_REVISION_MAP_ERROR_RELATIVE,
                                   "%s is ambiguous: the database has %u current revisions on "
                                   "branch '%s'", target, on_branch.n, rel.label);
                      retort_int_vec_clear (&on_branch);
                      goto out;
                    }
                  rel.symbol = g_strdup (self->nodes[on_branch.v[0]].id);
                  retort_int_vec_clear (&on_branch);
                }
              else
                {
                  if (current == NULL || current[0] == NULL)
                    {
                      set_relative_error (error, rel.relative, rel.value);
                      goto out;
                    }
                  /* Alembic warns "downgrade -1 from multiple heads is ambiguous"
                   * and takes the first row, as the database returned it */
                  rel.symbol = g_strdup (current[0]);
                  rel.label = g_strdup (current[0]);
                }
            }
          if (!get_revision_on_branch (self, rel.label, rel.symbol, &start, error) ||
              !walk (self, start, rel.value, NULL, assert_relative_length, &result, error))
            goto out;
          if (result == RETORT_NODE_NONE)
            {
              if (relative_to_current)
                set_relative_error (error, rel.relative, rel.value);
              else
                g_set_error (error, RETORT_REVISION_MAP_ERROR, RETORT_REVISION_MAP_ERROR_RELATIVE,
                             "Walked too far: %s goes below base", target);
              goto out;
            }
        }
      *label_out = g_steal_pointer (&rel.label);
      *rev_out = result;
      ok = TRUE;
    }
  else
    {
      const char *at = strrchr (target, '@');
      ok = get_revision (self, at != NULL ? at + 1 : target, rev_out, error);
      if (ok && at != NULL && at > target)
        *label_out = g_strndup (target, at - target);
    }

out:
  relative_spec_clear (&rel);
  return ok;
}

static gboolean
collect_upgrade (RetortRevisionMap  *self,
                 const char         *upper,
                 const char * const *lower,
                 gboolean            lower_is_string,
                 gboolean            inclusive,
                 gboolean            implicit_base,
                 gboolean            assert_relative_length,
                 RetortNodeSet      *needs,
                 RetortIntVec       *targets,
                 GError            **error)
{
  RetortIntVec parsed = { 0 };
  RetortIntVec current = { 0 };
  RetortNodeSet required = { 0 }, current_set = { 0 };
  g_autofree char *lower_override = NULL;
  const char *lower_override_strv[2] = { NULL, NULL };
  gboolean ok = FALSE;

  if (!parse_upgrade_target (self, lower, upper, assert_relative_length, &parsed, error))
    goto out;
  for (guint i = 0; i < parsed.n; i++)
    {
      if (parsed.v[i] < 0)
        {
          g_set_error (error, RETORT_REVISION_MAP_ERROR, RETORT_REVISION_MAP_ERROR_RELATIVE,
                       "Walked too far: %s does not name a revision", upper);
          goto out;
        }
      retort_int_vec_push (targets, parsed.v[i]);
    }

  if (lower_is_string && lower != NULL && lower[0] != NULL && strchr (lower[0], '@') != NULL)
    {
      /* "label@..." as the lower bound keeps only targets on that branch */
      g_autofree char *branch = g_strndup (lower[0], strchr (lower[0], '@') - lower[0]);
      int branch_rev;
      if (!get_revision (self, branch, &branch_rev, error))
        goto out;
      if (branch_rev >= 0 && strcmp (self->nodes[branch_rev].id, branch) == 0)
        {
          if (self->nodes[branch_rev].labels->len != 1)
            {
              g_set_error (error, RETORT_REVISION_MAP_ERROR, RETORT_REVISION_MAP_ERROR_INVALID,
                           "Revision %s is used as a branch name but has %u branch labels",
                           branch, self->nodes[branch_rev].labels->len);
              goto out;
            }
          g_free (branch);
          branch = g_strdup (g_ptr_array_index (self->nodes[branch_rev].labels, 0));
        }
      for (guint i = 0; i < targets->n; i++)
        if (!g_ptr_array_find_with_equal_func (self->nodes[targets->v[i]].labels, branch, g_str_equal, NULL))
          int_vec_remove_at (targets, i--);
    }

  if (!related_set_checked (self, REL_NORM_DOWN, targets->v, targets->n, &required, error))
    goto out;
  for (guint i = 0; i < targets->n; i++)
    retort_node_set_add (&required, targets->v[i]);

  if (!get_revisions_multi (self, lower, &current, error))
    goto out;
  if (!implicit_base)
    for (guint i = 0; i < current.n; i++)
      if (current.v[i] != RETORT_NODE_NONE && !retort_node_set_has (&required, current.v[i]))
        {
          g_set_error (error, RETORT_REVISION_MAP_ERROR, RETORT_REVISION_MAP_ERROR_RANGE_NOT_ANCESTOR,
                       "Revision %s is not an ancestor of revision %s",
                       lower_is_string && lower[0] ? lower[0] : "base", upper ? upper : "base");
          goto out;
        }

  if (current.n > 0 && current.v[0] == RETORT_NODE_NONE && lower_is_string)
    {
      /* a relative lower bound that get_revisions could not place */
      g_autofree char *label = NULL;
      int rev;
      const char *upper_strv[2] = { upper, NULL };
      if (!parse_downgrade_target (self, upper_strv, lower[0], assert_relative_length, &label, &rev, error))
        goto out;
      current.n = 0;
      if (rev >= 0)
        {
          retort_int_vec_push (&current, rev);
          lower_override = g_strdup (self->nodes[rev].id);
          lower_override_strv[0] = lower_override;
        }
      lower = lower_override_strv;
    }

  for (guint i = 0; i < current.n; i++)
    if (current.v[i] == RETORT_NODE_NONE)
      {
        /* a relative lower bound walked past base from one of several heads:
         * Alembic asserts here; say so instead */
        g_set_error (error, RETORT_REVISION_MAP_ERROR, RETORT_REVISION_MAP_ERROR_RELATIVE,
                     "Relative revision %s walks past base from one of the heads",
                     lower != NULL && lower[0] != NULL ? lower[0] : "?");
        goto out;
      }
  if (!related_set_checked (self, REL_NORM_DOWN, current.v, current.n, &current_set, error))
    goto out;
  for (guint i = 0; i < current.n; i++)
    retort_node_set_add (&current_set, current.v[i]);

  node_set_copy (needs, &required);
  for (guint i = 0; i < (needs->n + 63) / 64; i++)
    needs->bits[i] &= ~current_set.bits[i];

  if (inclusive)
    {
      RetortIntVec lower_revs = { 0 };
      if (!get_revisions_multi (self, lower, &lower_revs, error))
        {
          retort_node_set_clear (needs);
          goto out;
        }
      for (guint i = 0; i < lower_revs.n; i++)
        retort_node_set_add (needs, lower_revs.v[i]);
      retort_int_vec_clear (&lower_revs);
    }

  if (current.n > 0 && !implicit_base)
    {
      RetortNodeSet below;
      retort_node_set_init (&below, self->n_nodes);
      if (!iterate_related (self, REL_NEXT, current.v, current.n, TRUE, &below, NULL, error))
        {
          retort_node_set_clear (&below);
          retort_node_set_clear (needs);
          goto out;
        }
      for (guint i = 0; i < (needs->n + 63) / 64; i++)
        needs->bits[i] &= below.bits[i];
      retort_node_set_clear (&below);
    }
  ok = TRUE;

out:
  retort_int_vec_clear (&parsed);
  retort_int_vec_clear (&current);
  retort_node_set_clear (&required);
  retort_node_set_clear (&current_set);
  return ok;
}

static gboolean
collect_downgrade (RetortRevisionMap  *self,
                   const char * const *upper,
                   const char         *target,
                   RetortNodeSet      *drop,
                   RetortIntVec       *heads,
                   GError            **error)
{
  g_autofree char *label = NULL;
  int target_rev;
  RetortIntVec roots = { 0 };
  RetortNodeSet active;
  gboolean ok = FALSE;

  if (!parse_downgrade_target (self, upper, target, TRUE, &label, &target_rev, error))
    return FALSE;
  if (target_rev == RETORT_NODE_BASE)
    target_rev = RETORT_NODE_NONE;

  if (target_rev == RETORT_NODE_NONE)
    {
      for (guint n = 0; n < self->n_nodes; n++)
        if (self->nodes[n].down.n == 0)
          retort_int_vec_push (&roots, n);
    }
  else
    for (guint i = 0; i < self->nodes[target_rev].next.n; i++)
      retort_int_vec_push (&roots, self->nodes[target_rev].next.v[i]);

  if (label != NULL && roots.n > 1)
    {
      int branch_rev;
      RetortNodeSet on_branch;
      if (!resolve_branch (self, label, &branch_rev, error))
        goto out;
      retort_revision_map_ancestors (self, &branch_rev, 1, FALSE, &on_branch);
      for (guint i = 0; i < roots.n; i++)
        if (!retort_node_set_has (&on_branch, roots.v[i]))
          int_vec_remove_at (&roots, i--);
      retort_node_set_clear (&on_branch);
      if (roots.n == 0)
        {
          g_set_error (error, RETORT_REVISION_MAP_ERROR, RETORT_REVISION_MAP_ERROR_INVALID,
                       "Not a valid downgrade target from current heads");
          goto out;
        }
    }

  if (!get_revisions_multi (self, upper, heads, error))
    goto out;

  retort_revision_map_descendants (self, roots.v, roots.n, TRUE, drop);
  retort_revision_map_ancestors (self, heads->v, heads->n, TRUE, &active);
  for (guint i = 0; i < (drop->n + 63) / 64; i++)
    drop->bits[i] &= active.bits[i];
  retort_node_set_clear (&active);

  if (target_rev != RETORT_NODE_NONE && node_set_is_empty (drop) &&
      !retort_int_vec_contains (heads, target_rev))
    {
      retort_node_set_clear (drop);
      g_set_error (error, RETORT_REVISION_MAP_ERROR, RETORT_REVISION_MAP_ERROR_RANGE_NOT_ANCESTOR,
                   "Nothing to drop: %s is not below the current revisions", target);
      goto out;
    }
  ok = TRUE;

out:
  retort_int_vec_clear (&roots);
  return ok;
}

/* Ancestors-or-self (with dependencies) of any node, computed once each by
 * combining the parents' sets; the topological sort asks for many. Up to
 * MEMO_LIMIT revisions (n²/8 bytes); beyond that each set is a fresh walk. */
#define MEMO_LIMIT 10000

typedef struct {
  RetortRevisionMap *map;
  RetortNodeSet     *sets;  /* NULL without a memo */
} AncestorMemo;

static void
ancestor_memo_init (AncestorMemo      *memo,
                    RetortRevisionMap *map)
{
  memo->map = map;
  memo->sets = map->n_nodes <= MEMO_LIMIT ? g_new0 (RetortNodeSet, MAX (map->n_nodes, 1)) : NULL;
}

static void
ancestor_memo_clear (AncestorMemo *memo)
{
  if (memo->sets != NULL)
    for (guint n = 0; n < memo->map->n_nodes; n++)
      retort_node_set_clear (&memo->sets[n]);
  g_clear_pointer (&memo->sets, g_free);
}

static const RetortNodeSet *
ancestor_memo_get (AncestorMemo *memo,
                   int           node)
{
  RetortRevisionMap *self = memo->map;
  RetortIntVec stack = { 0 };

  if (memo->sets[node].bits != NULL)
    return &memo->sets[node];
  /* iterative post-order: a set is made once all its parents' sets exist */
  retort_int_vec_push (&stack, node);
  while (stack.n > 0)
    {
      int top = stack.v[stack.n - 1];
      const RetortIntVec *parents = &self->nodes[top].norm_down;
      gboolean ready = TRUE;

      if (memo->sets[top].bits != NULL)
        {
          stack.n--;
          continue;
        }
      for (guint p = 0; p < parents->n; p++)
        if (memo->sets[parents->v[p]].bits == NULL)
          {
            retort_int_vec_push (&stack, parents->v[p]);
            ready = FALSE;
          }
      if (!ready)
        continue;
      retort_node_set_init (&memo->sets[top], self->n_nodes);
      retort_node_set_add (&memo->sets[top], top);
      for (guint p = 0; p < parents->n; p++)
        {
          const RetortNodeSet *from = &memo->sets[parents->v[p]];
          for (guint w = 0; w < (self->n_nodes + 63) / 64; w++)
            memo->sets[top].bits[w] |= from->bits[w];
        }
      stack.n--;
    }
  retort_int_vec_clear (&stack);
  return &memo->sets[node];
}

/* a mutable copy of the ancestors-or-self of node */
static void
ancestors_copy (AncestorMemo  *memo,
                int            node,
                RetortNodeSet *out)
{
  if (memo->sets == NULL)
    {
      retort_revision_map_ancestors (memo->map, &node, 1, TRUE, out);
      return;
    }
  node_set_copy (out, ancestor_memo_get (memo, node));
}

/* RevisionMap._topological_sort, ported step by step: heads are walked
 * down in load order, switching to another head whenever that head still
 * needs the candidate. */
static gboolean
topological_sort (RetortRevisionMap  *self,
                  const RetortNodeSet *revisions,
                  const RetortIntVec  *heads,
                  RetortIntVec        *output,
                  GError             **error)
{
  gboolean ok = TRUE;
  RetortNodeSet todo;
  RetortIntVec current = { 0 };
  GPtrArray *ancestors = g_ptr_array_new ();
  guint idx = 0;
  AncestorMemo memo;

  ancestor_memo_init (&memo, self);

  node_set_copy (&todo, revisions);
  for (guint n = 0; n < self->n_nodes; n++)
    if (retort_node_set_has (&todo, n) && retort_int_vec_contains (heads, n))
      retort_int_vec_push (&current, n);
  for (guint i = 0; i < current.n; i++)
    {
      RetortNodeSet *set = g_new0 (RetortNodeSet, 1);
      ancestors_copy (&memo, current.v[i], set);
      g_ptr_array_add (ancestors, set);
    }

  while (current.n > 0)
    {
      int candidate = current.v[idx];
      gboolean switched = FALSE;
      Node *node = &self->nodes[candidate];
      RetortIntVec to_add = { 0 };

      for (guint k = 0; k < current.n; k++)
        if (k != idx && retort_node_set_has (g_ptr_array_index (ancestors, k), candidate))
          {
            idx = k;
            switched = TRUE;
            break;
          }
      if (switched)
        continue;

      if (retort_node_set_has (&todo, candidate))
        {
          retort_int_vec_push (output, candidate);
          retort_node_set_remove (&todo, candidate);
        }

      for (guint d = 0; d < node->norm_down.n; d++)
        if (retort_node_set_has (&todo, node->norm_down.v[d]) &&
            !retort_int_vec_contains (&current, node->norm_down.v[d]))
          retort_int_vec_push (&to_add, node->norm_down.v[d]);

      if (to_add.n == 0)
        {
          RetortNodeSet *set = g_ptr_array_index (ancestors, idx);
          retort_node_set_clear (set);
          g_free (set);
          g_ptr_array_remove_index (ancestors, idx);
          int_vec_remove_at (&current, idx);
          idx = idx > 0 ? idx - 1 : 0;
        }
      else if (node->norm_deps.n == 0 && node->down.n == 1)
        {
          current.v[idx] = to_add.v[0];
          retort_node_set_remove (g_ptr_array_index (ancestors, idx), candidate);
        }
      else
        {
          RetortNodeSet *set = g_ptr_array_index (ancestors, idx);
          current.v[idx] = to_add.v[0];
          retort_node_set_clear (set);
          ancestors_copy (&memo, to_add.v[0], set);
          for (guint a = 1; a < to_add.n; a++)
            {
              RetortNodeSet *extra = g_new0 (RetortNodeSet, 1);
              retort_int_vec_push (&current, to_add.v[a]);
              ancestors_copy (&memo, to_add.v[a], extra);
              g_ptr_array_add (ancestors, extra);
            }
        }
      retort_int_vec_clear (&to_add);
    }

  if (!node_set_is_empty (&todo))
    {
      /* Alembic asserts here (a traceback); say what happened instead */
      g_autoptr(GString) left = g_string_new (NULL);
      for (guint n = 0; n < self->n_nodes; n++)
        if (retort_node_set_has (&todo, n))
          g_string_append_printf (left, "%s%s", left->len ? ", " : "", self->nodes[n].id);
      g_set_error (error, RETORT_REVISION_MAP_ERROR, RETORT_REVISION_MAP_ERROR_RANGE_NOT_ANCESTOR,
                   "Revisions %s lie outside the requested range: they are not below its upper end",
                   left->str);
      ok = FALSE;
    }
  retort_node_set_clear (&todo);
  retort_int_vec_clear (&current);
  for (guint a = 0; a < ancestors->len; a++)
    {
      retort_node_set_clear (g_ptr_array_index (ancestors, a));
      g_free (g_ptr_array_index (ancestors, a));
    }
  g_ptr_array_unref (ancestors);
  ancestor_memo_clear (&memo);
  return ok;
}

/* ---- the planner's entry points ---------------------------------------------- */

static void
reword_range_error (GError     **error,
                    const char  *direction,
                    const char  *destination)
{
  if (error != NULL && *error != NULL &&
      g_error_matches (*error, RETORT_REVISION_MAP_ERROR, RETORT_REVISION_MAP_ERROR_RANGE_NOT_ANCESTOR))
    {
      g_free ((*error)->message);
      (*error)->message = g_strdup_printf ("Destination %s is not a valid %s target from current head(s)",
                                           destination, direction);
    }
}

gboolean
retort_revision_map_upgrade_revs (RetortRevisionMap  *self,
                                  const char         *destination,
                                  const char * const *rows,
                                  RetortIntVec       *out,
                                  GError            **error)
{
  RetortNodeSet needs = { 0 };
  RetortIntVec targets = { 0 };
  RetortIntVec order = { 0 };

  if (!collect_upgrade (self, destination, rows, FALSE, FALSE, TRUE, TRUE, &needs, &targets, error))
    {
      reword_range_error (error, "upgrade", destination);
      retort_int_vec_clear (&targets);
      return FALSE;
    }
  if (!topological_sort (self, &needs, &targets, &order, error))
    {
      reword_range_error (error, "upgrade", destination);
      retort_node_set_clear (&needs);
      retort_int_vec_clear (&targets);
      retort_int_vec_clear (&order);
      return FALSE;
    }
  for (guint i = order.n; i > 0; i--)
    retort_int_vec_push (out, order.v[i - 1]);
  retort_node_set_clear (&needs);
  retort_int_vec_clear (&targets);
  retort_int_vec_clear (&order);
  return TRUE;
}

gboolean
retort_revision_map_downgrade_revs (RetortRevisionMap  *self,
                                    const char         *destination,
                                    const char * const *rows,
                                    RetortIntVec       *out,
                                    GError            **error)
{
  RetortNodeSet drop = { 0 };
  RetortIntVec heads = { 0 };

  if (!collect_downgrade (self, rows, destination, &drop, &heads, error))
    {
      reword_range_error (error, "downgrade", destination);
      retort_int_vec_clear (&heads);
      return FALSE;
    }
  if (!topological_sort (self, &drop, &heads, out, error))
    {
      reword_range_error (error, "downgrade", destination);
      retort_node_set_clear (&drop);
      retort_int_vec_clear (&heads);
      return FALSE;
    }
  retort_node_set_clear (&drop);
  retort_int_vec_clear (&heads);
  return TRUE;
}

gboolean
retort_revision_map_get_revisions (RetortRevisionMap  *self,
                                   const char         *spec,
                                   RetortIntVec       *out,
                                   GError            **error)
{
  return get_revisions (self, spec, out, error);
}

gboolean
retort_revision_map_filter_for_lineage (RetortRevisionMap  *self,
                                        const int          *targets,
                                        guint               n_targets,
                                        const char         *check_against,
                                        gboolean            include_dependencies,
                                        RetortIntVec       *out,
                                        GError            **error)
{
  return filter_for_lineage (self, targets, n_targets, check_against, include_dependencies, out, error);
}

/* ---- public API ------------------------------------------------------------ */

guint
retort_revision_map_get_n_revisions (RetortRevisionMap *self)
{
  g_return_val_if_fail (RETORT_IS_REVISION_MAP (self), 0);
  return self->n_nodes;
}

RetortRevision *
retort_revision_map_get_nth (RetortRevisionMap *self,
                             guint              position)
{
  g_return_val_if_fail (RETORT_IS_REVISION_MAP (self), NULL);
  g_return_val_if_fail (position < self->n_nodes, NULL);
  return self->nodes[position].revision;
}

int
retort_revision_map_position_of (RetortRevisionMap *self,
                                 const char        *id)
{
  int position = key_lookup (self, id);
  return position >= 0 && strcmp (self->nodes[position].id, id) == 0 ? position : -1;
}

RetortRevision *
retort_revision_map_lookup (RetortRevisionMap *self,
                            const char        *id)
{
  int position;

  g_return_val_if_fail (RETORT_IS_REVISION_MAP (self), NULL);
  position = retort_revision_map_position_of (self, id);
  return position >= 0 ? self->nodes[position].revision : NULL;
}

int
retort_revision_map_get_position (RetortRevisionMap *self,
                                  RetortRevision    *revision)
{
  g_return_val_if_fail (RETORT_IS_REVISION_MAP (self), -1);
  return GPOINTER_TO_INT (g_hash_table_lookup (self->positions, revision)) - 1;
}

const char *
retort_revision_map_id_at (RetortRevisionMap *self,
                           int                node)
{
  return node >= 0 ? self->nodes[node].id : NULL;
}

const RetortIntVec *
retort_revision_map_versioned_down (RetortRevisionMap *self,
                                    int                node)
{
  return &self->nodes[node].down;
}

const RetortIntVec *
retort_revision_map_normalized_down (RetortRevisionMap *self,
                                     int                node)
{
  return &self->nodes[node].norm_down;
}

const RetortIntVec *
retort_revision_map_normalized_deps (RetortRevisionMap *self,
                                     int                node)
{
  return &self->nodes[node].norm_deps;
}

static GPtrArray *
revisions_of (RetortRevisionMap  *self,
              const RetortIntVec *nodes)
{
  GPtrArray *result = g_ptr_array_new_full (nodes->n, g_object_unref);

  for (guint i = 0; i < nodes->n; i++)
    if (nodes->v[i] >= 0)
      g_ptr_array_add (result, g_object_ref (self->nodes[nodes->v[i]].revision));
  return result;
}

GPtrArray *
retort_revision_map_get_heads (RetortRevisionMap *self)
{
  g_return_val_if_fail (RETORT_IS_REVISION_MAP (self), NULL);
  return revisions_of (self, &self->heads);
}

GPtrArray *
retort_revision_map_get_real_heads (RetortRevisionMap *self)
{
  g_return_val_if_fail (RETORT_IS_REVISION_MAP (self), NULL);
  return revisions_of (self, &self->real_heads);
}

GPtrArray *
retort_revision_map_get_bases (RetortRevisionMap *self)
{
  g_return_val_if_fail (RETORT_IS_REVISION_MAP (self), NULL);
  return revisions_of (self, &self->bases);
}

static Node *
node_of (RetortRevisionMap *self,
         RetortRevision    *revision)
{
  int position = retort_revision_map_get_position (self, revision);
  g_return_val_if_fail (position >= 0, NULL);
  return &self->nodes[position];
}

gboolean
retort_revision_map_is_head (RetortRevisionMap *self,
                             RetortRevision    *revision)
{
  Node *node = node_of (self, revision);
  return node != NULL && node->next.n == 0;
}

gboolean
retort_revision_map_is_real_head (RetortRevisionMap *self,
                                  RetortRevision    *revision)
{
  Node *node = node_of (self, revision);
  return node != NULL && node->all_next.n == 0;
}

gboolean
retort_revision_map_is_branch_point (RetortRevisionMap *self,
                                     RetortRevision    *revision)
{
  Node *node = node_of (self, revision);
  return node != NULL && node->next.n > 1;
}

gboolean
retort_revision_map_is_merge_point (RetortRevisionMap *self,
                                    RetortRevision    *revision)
{
  Node *node = node_of (self, revision);
  return node != NULL && node->down.n > 1;
}

GPtrArray *
retort_revision_map_get_children (RetortRevisionMap *self,
                                  RetortRevision    *revision)
{
  Node *node = node_of (self, revision);
  RetortIntVec empty = { 0 };
  return revisions_of (self, node != NULL ? &node->next : &empty);
}

GPtrArray *
retort_revision_map_get_dependencies (RetortRevisionMap *self,
                                      RetortRevision    *revision)
{
  Node *node = node_of (self, revision);
  RetortIntVec empty = { 0 };
  return revisions_of (self, node != NULL ? &node->deps : &empty);
}

const char * const *
retort_revision_map_get_branch_labels (RetortRevisionMap *self,
                                       RetortRevision    *revision)
{
  Node *node = node_of (self, revision);
  static const char *none[] = { NULL };
  return node != NULL ? (const char * const *) node->label_strv : none;
}

GPtrArray *
retort_revision_map_resolve (RetortRevisionMap  *self,
                             const char         *spec,
                             GError            **error)
{
  RetortIntVec nodes = { 0 };
  GPtrArray *result;

  g_return_val_if_fail (RETORT_IS_REVISION_MAP (self), NULL);
  if (!get_revisions (self, spec, &nodes, error))
    {
      retort_int_vec_clear (&nodes);
      return NULL;
    }
  result = revisions_of (self, &nodes);
  retort_int_vec_clear (&nodes);
  return result;
}

RetortRevision *
retort_revision_map_resolve_one (RetortRevisionMap  *self,
                                 const char         *spec,
                                 gboolean           *is_base,
                                 GError            **error)
{
  int node;

  g_return_val_if_fail (RETORT_IS_REVISION_MAP (self), NULL);
  if (is_base != NULL)
    *is_base = FALSE;
  if (!get_revision (self, spec, &node, error))
    return NULL;
  if (node < 0)
    {
      if (is_base != NULL)
        *is_base = TRUE;
      return NULL;
    }
  return self->nodes[node].revision;
}

GPtrArray *
retort_revision_map_walk_history (RetortRevisionMap  *self,
                                  const char         *base,
                                  const char         *head,
                                  GError            **error)
{
  RetortNodeSet needs = { 0 };
  RetortIntVec targets = { 0 };
  RetortIntVec order = { 0 };
  const char *lower[2] = { base != NULL ? base : "base", NULL };
  GPtrArray *result;

  g_return_val_if_fail (RETORT_IS_REVISION_MAP (self), NULL);
  if (head == NULL)
    head = "heads";
  if (!collect_upgrade (self, head, lower, TRUE, TRUE, FALSE, FALSE, &needs, &targets, error))
    {
      retort_int_vec_clear (&targets);
      if (error != NULL && *error != NULL)
        {
          if (g_error_matches (*error, RETORT_REVISION_MAP_ERROR, RETORT_REVISION_MAP_ERROR_RANGE_NOT_ANCESTOR))
            {
              g_free ((*error)->message);
              (*error)->message = g_strdup_printf ("Requested range %s:%s does not refer to "
                                                   "ancestor/descendant revisions along the same branch",
                                                   lower[0], head);
            }
          else if (g_error_matches (*error, RETORT_REVISION_MAP_ERROR, RETORT_REVISION_MAP_ERROR_MULTIPLE_HEADS))
            {
              g_clear_error (error);
              set_multiple_heads (error, head);
            }
        }
      return NULL;
    }
  if (!topological_sort (self, &needs, &targets, &order, error))
    {
      retort_node_set_clear (&needs);
      retort_int_vec_clear (&targets);
      retort_int_vec_clear (&order);
      return NULL;
    }
  result = revisions_of (self, &order);
  retort_node_set_clear (&needs);
  retort_int_vec_clear (&targets);
  retort_int_vec_clear (&order);
  return result;
}

/* The revisions a database with these version rows has: the rows and
 * everything below them, dependencies included, as Alembic counts them when
 * it plans an upgrade. Rows naming no revision are skipped. */
GHashTable *
retort_revision_map_get_applied (RetortRevisionMap  *self,
                                 const char * const *rows)
{
  GHashTable *applied = g_hash_table_new (g_direct_hash, g_direct_equal);
  g_autoptr(GArray) nodes = g_array_new (FALSE, FALSE, sizeof (int));
  RetortNodeSet set;

  g_return_val_if_fail (RETORT_IS_REVISION_MAP (self), applied);

  for (guint i = 0; rows != NULL && rows[i] != NULL; i++)
    {
      int node = retort_revision_map_position_of (self, rows[i]);
      if (node >= 0)
        g_array_append_val (nodes, node);
    }
  if (nodes->len == 0)
    return applied;

  retort_revision_map_ancestors (self, (const int *) (gpointer) nodes->data, nodes->len, TRUE, &set);
  for (guint i = 0; i < self->n_nodes; i++)
    if (retort_node_set_has (&set, (int) i))
      g_hash_table_add (applied, self->nodes[i].revision);
  retort_node_set_clear (&set);
  return applied;
}

GPtrArray *
retort_revision_map_get_all_current (RetortRevisionMap  *self,
                                     const char * const *rows,
                                     GError            **error)
{
  RetortIntVec nodes = { 0 };
  GPtrArray *result;

  g_return_val_if_fail (RETORT_IS_REVISION_MAP (self), NULL);
  if (!get_all_current (self, rows, &nodes, error))
    return NULL;
  result = revisions_of (self, &nodes);
  retort_int_vec_clear (&nodes);
  return result;
}
