/* retort-plan.c — steps and alembic_version row changes, as Alembic makes them
 *
 * The step order comes from the revision map (ScriptDirectory._upgrade_revs,
 * _downgrade_revs, _stamp_revs); the row changes replay
 * runtime/migration.py's HeadMaintainer.update_to_step on the current rows.
 * Where Alembic picks from a Python set, Retort takes declaration order.
 */
#define G_LOG_DOMAIN "retort-plan"

#include "retort-plan.h"
#include "retort-revision-map-private.h"
#include "retort-text.h"

#include <string.h>

struct _RetortPlan
{
  GObject            parent_instance;
  RetortRevisionMap *map;
  GPtrArray         *steps;
  gboolean           purge;
  GStrv              initial_rows;
  GPtrArray         *heads;  /* the rows as the steps change them */
  GStrv              final_rows;
};

G_DEFINE_TYPE (RetortPlan, retort_plan, G_TYPE_OBJECT)
G_DEFINE_QUARK (retort-plan-error-quark, retort_plan_error)

static void
version_op_free (RetortVersionOp *op)
{
  g_free (op->from);
  g_free (op->to);
  g_free (op);
}

static void
plan_step_free (RetortPlanStep *step)
{
  g_clear_object (&step->revision);
  g_strfreev (step->from_revisions);
  g_strfreev (step->to_revisions);
  g_ptr_array_unref (step->version_ops);
  g_free (step);
}

static void
retort_plan_finalize (GObject *object)
{
  RetortPlan *self = RETORT_PLAN (object);

  g_clear_object (&self->map);
  g_ptr_array_unref (self->steps);
  g_strfreev (self->initial_rows);
  g_ptr_array_unref (self->heads);
  g_strfreev (self->final_rows);
  G_OBJECT_CLASS (retort_plan_parent_class)->finalize (object);
}

static void
retort_plan_class_init (RetortPlanClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = retort_plan_finalize;
}

static void
retort_plan_init (RetortPlan *self)
{
  self->steps = g_ptr_array_new_with_free_func ((GDestroyNotify) plan_step_free);
  self->heads = g_ptr_array_new_with_free_func (g_free);
}

/* ---- the version rows (HeadMaintainer) ---------------------------------- */

static gboolean
heads_has (RetortPlan *self,
           const char *id)
{
  return g_ptr_array_find_with_equal_func (self->heads, id, g_str_equal, NULL);
}

static void
add_op (RetortPlanStep      *step,
        RetortVersionOpKind  kind,
        const char          *from,
        const char          *to)
{
  RetortVersionOp *op = g_new0 (RetortVersionOp, 1);

  op->kind = kind;
  op->from = g_strdup (from);
  op->to = g_strdup (to);
  g_ptr_array_add (step->version_ops, op);
}

static gboolean
insert_version (RetortPlan      *self,
                RetortPlanStep  *step,
                const char      *version,
                GError         **error)
{
  if (heads_has (self, version))
    {
      g_set_error (error, RETORT_PLAN_ERROR, RETORT_PLAN_ERROR_VERSION_TABLE,
                   "Cannot insert %s into the version table: it is already there", version);
      return FALSE;
    }
  g_ptr_array_add (self->heads, g_strdup (version));
  add_op (step, RETORT_VERSION_INSERT, NULL, version);
  return TRUE;
}

static gboolean
delete_version (RetortPlan      *self,
                RetortPlanStep  *step,
                const char      *version,
                GError         **error)
{
  guint index;

  if (!g_ptr_array_find_with_equal_func (self->heads, version, g_str_equal, &index))
    {
      g_set_error (error, RETORT_PLAN_ERROR, RETORT_PLAN_ERROR_VERSION_TABLE,
                   "Cannot delete %s from the version table: it is not there", version);
      return FALSE;
    }
  g_ptr_array_remove_index (self->heads, index);
  add_op (step, RETORT_VERSION_DELETE, version, NULL);
  return TRUE;
}

static gboolean
update_version (RetortPlan      *self,
                RetortPlanStep  *step,
                const char      *from,
                const char      *to,
                GError         **error)
{
  guint index;

  if (heads_has (self, to))
    {
      g_set_error (error, RETORT_PLAN_ERROR, RETORT_PLAN_ERROR_VERSION_TABLE,
                   "Cannot update %s to %s in the version table: %s is already there", from, to, to);
      return FALSE;
    }
  if (!g_ptr_array_find_with_equal_func (self->heads, from, g_str_equal, &index))
    {
      g_set_error (error, RETORT_PLAN_ERROR, RETORT_PLAN_ERROR_VERSION_TABLE,
                   "Cannot update %s to %s in the version table: %s is not there", from, to, from);
      return FALSE;
    }
  g_free (g_ptr_array_index (self->heads, index));
  g_ptr_array_index (self->heads, index) = g_strdup (to);
  add_op (step, RETORT_VERSION_UPDATE, from, to);
  return TRUE;
}

/* ids of ancestors-or-self (with dependencies) of every row except `except` */
static void
ancestors_of_other_heads (RetortPlan    *self,
                          const char    *except_a,
                          const char * const *except_list,
                          guint          n_except,
                          RetortNodeSet *out,
                          gboolean      *any)
{
  RetortIntVec others = { 0 };

  for (guint i = 0; i < self->heads->len; i++)
    {
      const char *head = g_ptr_array_index (self->heads, i);
      gboolean excluded = g_strcmp0 (head, except_a) == 0;
      for (guint e = 0; e < n_except; e++)
        excluded |= strcmp (head, except_list[e]) == 0;
      if (!excluded)
        retort_int_vec_push (&others, retort_revision_map_position_of (self->map, head));
    }
  *any = others.n > 0;
  retort_revision_map_ancestors (self->map, others.v, others.n, TRUE, out);
  retort_int_vec_clear (&others);
}

static GPtrArray *
ids_of (RetortPlan         *self,
        const RetortIntVec *nodes)
{
  GPtrArray *ids = g_ptr_array_new ();
  for (guint i = 0; i < nodes->n; i++)
    g_ptr_array_add (ids, (gpointer) retort_revision_map_id_at (self->map, nodes->v[i]));
  return ids;
}

/* RevisionStep._unmerge_to_revisions, with Alembic ≥1.13.1's fix for #1373,
 * applied whether or not other rows exist: never write a row that is an
 * ancestor of another row (from such rows no upgrade works). */
static GPtrArray *
unmerge_to_revisions (RetortPlan *self,
                      int         node,
                      const char *id)
{
  const RetortIntVec *nd = retort_revision_map_normalized_down (self->map, node);
  GPtrArray *result = g_ptr_array_new ();
  RetortNodeSet drop;
  gboolean others = FALSE;

  /* the common case, a plain downgrade of the only row: nothing to drop */
  if (self->heads->len == 1 && nd->n == 1)
    {
      g_ptr_array_add (result, (gpointer) retort_revision_map_id_at (self->map, nd->v[0]));
      return result;
    }
  ancestors_of_other_heads (self, id, NULL, 0, &drop, &others);
  for (guint i = 0; nd->n > 1 && i < nd->n; i++)
    {
      RetortNodeSet of_one;
      retort_revision_map_ancestors (self->map, &nd->v[i], 1, TRUE, &of_one);
      retort_node_set_remove (&of_one, nd->v[i]);
      for (guint j = 0; j < nd->n; j++)
        if (retort_node_set_has (&of_one, nd->v[j]))
          retort_node_set_add (&drop, nd->v[j]);
      retort_node_set_clear (&of_one);
    }
  for (guint i = 0; i < nd->n; i++)
    if (!retort_node_set_has (&drop, nd->v[i]))
      g_ptr_array_add (result, (gpointer) retort_revision_map_id_at (self->map, nd->v[i]));
  retort_node_set_clear (&drop);
  return result;
}

static gboolean
single_head_among (RetortPlan         *self,
                   const RetortIntVec *nd,
                   const char        **out,
                   GError            **error)
{
  guint found = 0;

  for (guint i = 0; i < nd->n; i++)
    if (heads_has (self, retort_revision_map_id_at (self->map, nd->v[i])))
      {
        *out = retort_revision_map_id_at (self->map, nd->v[i]);
        found++;
      }
  if (found != 1)
    {
      g_set_error (error, RETORT_PLAN_ERROR, RETORT_PLAN_ERROR_VERSION_TABLE,
                   "Can't do an UPDATE because downrevision is ambiguous (%u of its parents are in "
                   "the version table)", found);
      return FALSE;
    }
  return TRUE;
}

static gboolean
apply_revision_step (RetortPlan      *self,
                     RetortPlanStep  *step,
                     int              node,
                     GError         **error)
{
  const char *id = retort_revision_map_id_at (self->map, node);
  const RetortIntVec *nd = retort_revision_map_normalized_down (self->map, node);
  g_autoptr(GPtrArray) nd_ids = ids_of (self, nd);
  guint in_heads = 0;

  for (guint i = 0; i < nd_ids->len; i++)
    in_heads += heads_has (self, g_ptr_array_index (nd_ids, i));

  if (step->is_upgrade)
    {
      if (nd->n == 0 || in_heads == 0)
        return insert_version (self, step, id, error);
      if (nd->n > 1 && in_heads > 1)
        {
          /* merge: delete all but one parent row, update the last */
          RetortNodeSet ancestors;
          gboolean others;
          g_autoptr(GPtrArray) from = g_ptr_array_new ();

          ancestors_of_other_heads (self, NULL, (const char * const *) nd_ids->pdata, nd_ids->len,
                                    &ancestors, &others);
          for (guint i = 0; i < nd->n; i++)
            if (!others || !retort_node_set_has (&ancestors, nd->v[i]))
              g_ptr_array_add (from, g_ptr_array_index (nd_ids, i));
          retort_node_set_clear (&ancestors);
          if (from->len == 0)
            {
              g_set_error (error, RETORT_PLAN_ERROR, RETORT_PLAN_ERROR_VERSION_TABLE,
                           "Cannot merge into %s: none of its parents is a row of its own", id);
              return FALSE;
            }
          for (guint i = 0; i + 1 < from->len; i++)
            if (!delete_version (self, step, g_ptr_array_index (from, i), error))
              return FALSE;
          return update_version (self, step, g_ptr_array_index (from, from->len - 1), id, error);
        }
      {
        const char *old = nd->n == 1 ? g_ptr_array_index (nd_ids, 0) : NULL;
        if (old == NULL && !single_head_among (self, nd, &old, error))
          return FALSE;
        return update_version (self, step, old, id, error);
      }
    }

  /* downgrade */
  if (heads_has (self, id))
    {
      g_autoptr(GPtrArray) to = NULL;
      if (nd->n == 0)
        return delete_version (self, step, id, error);
      to = unmerge_to_revisions (self, node, id);
      if (to->len == 0)
        return delete_version (self, step, id, error);
      if (nd->n > 1)
        {
          for (guint i = 0; i + 1 < to->len; i++)
            if (!insert_version (self, step, g_ptr_array_index (to, i), error))
              return FALSE;
          return update_version (self, step, id, g_ptr_array_index (to, to->len - 1), error);
        }
    }
  {
    const char *new_row = nd->n == 1 ? g_ptr_array_index (nd_ids, 0) : NULL;
    if (new_row == NULL && !single_head_among (self, nd, &new_row, error))
      return FALSE;
    return update_version (self, step, id, new_row, error);
  }
}

static gboolean
apply_stamp_step (RetortPlan      *self,
                  RetortPlanStep  *step,
                  gboolean         branch_move,
                  GError         **error)
{
  GStrv from = step->from_revisions;
  GStrv to = step->to_revisions;
  guint n_from = g_strv_length (from);
  guint n_to = g_strv_length (to);
  gboolean from_missing = FALSE, to_missing = FALSE;

  for (guint i = 0; i < n_from; i++)
    from_missing |= !heads_has (self, from[i]);
  for (guint i = 0; i < n_to; i++)
    to_missing |= !heads_has (self, to[i]);

  if (!step->is_upgrade && branch_move)
    return delete_version (self, step, from[0], error);
  if (step->is_upgrade && (branch_move || from_missing) && to_missing)
    return insert_version (self, step, to[0], error);
  if (n_from > 1)
    {
      for (guint i = 0; i + 1 < n_from; i++)
        if (!delete_version (self, step, from[i], error))
          return FALSE;
      return update_version (self, step, from[n_from - 1], to[0], error);
    }
  if (n_to > 1)
    {
      for (guint i = 0; i + 1 < n_to; i++)
        if (!insert_version (self, step, to[i], error))
          return FALSE;
      return update_version (self, step, from[0], to[n_to - 1], error);
    }
  if (n_from == 0 || n_to == 0)
    {
      g_set_error (error, RETORT_PLAN_ERROR, RETORT_PLAN_ERROR_VERSION_TABLE,
                   "Cannot stamp: nothing to update in the version table");
      return FALSE;
    }
  return update_version (self, step, from[0], to[0], error);
}

/* ---- building plans ------------------------------------------------------ */

static RetortPlan *
plan_new (RetortRevisionMap  *map,
          const char * const *rows)
{
  RetortPlan *self = g_object_new (RETORT_TYPE_PLAN, NULL);

  self->map = g_object_ref (map);
  self->initial_rows = g_strdupv ((char **) (rows != NULL ? rows : (const char * const[]) { NULL }));
  for (guint i = 0; self->initial_rows[i] != NULL; i++)
    g_ptr_array_add (self->heads, g_strdup (self->initial_rows[i]));
  return self;
}

static void
plan_finish (RetortPlan *self)
{
  self->final_rows = g_new0 (char *, self->heads->len + 1);
  for (guint i = 0; i < self->heads->len; i++)
    self->final_rows[i] = g_strdup (g_ptr_array_index (self->heads, i));
}

static gboolean
check_rows_known (RetortRevisionMap  *map,
                  const char * const *rows,
                  GError            **error)
{
  for (guint i = 0; rows != NULL && rows[i] != NULL; i++)
    if (retort_revision_map_position_of (map, rows[i]) < 0)
      {
        g_set_error (error, RETORT_PLAN_ERROR, RETORT_PLAN_ERROR_UNKNOWN_ROW,
                     "Can't locate revision identified by '%s': the version table names a revision "
                     "that is not in this script directory", rows[i]);
        return FALSE;
      }
  return TRUE;
}

static GStrv
strv_from_ids (RetortRevisionMap  *map,
               const RetortIntVec *nodes)
{
  GStrv strv = g_new0 (char *, nodes->n + 1);
  for (guint i = 0; i < nodes->n; i++)
    strv[i] = g_strdup (retort_revision_map_id_at (map, nodes->v[i]));
  return strv;
}

static RetortPlan *
plan_revisions (RetortRevisionMap  *map,
                const char         *target,
                const char * const *rows,
                gboolean            upgrade,
                GError            **error)
{
  g_autoptr(RetortPlan) self = NULL;
  RetortIntVec order = { 0 };
  gboolean ok;

  if (!check_rows_known (map, rows, error))
    return NULL;
  self = plan_new (map, rows);
  ok = upgrade ? retort_revision_map_upgrade_revs (map, target, rows, &order, error)
               : retort_revision_map_downgrade_revs (map, target, rows, &order, error);
  for (guint i = 0; ok && i < order.n; i++)
    {
      int node = order.v[i];
      RetortPlanStep *step = g_new0 (RetortPlanStep, 1);
      const RetortIntVec *down = retort_revision_map_versioned_down (map, node);
      g_auto(GStrv) self_id = g_strdupv ((char *[]) { (char *) retort_revision_map_id_at (map, node), NULL });

      step->kind = upgrade ? RETORT_STEP_UPGRADE : RETORT_STEP_DOWNGRADE;
      step->is_upgrade = upgrade;
      step->revision = g_object_ref (retort_revision_map_get_nth (map, node));
      step->from_revisions = upgrade ? strv_from_ids (map, down) : g_strdupv (self_id);
      step->to_revisions = upgrade ? g_strdupv (self_id) : strv_from_ids (map, down);
      step->version_ops = g_ptr_array_new_with_free_func ((GDestroyNotify) version_op_free);
      g_ptr_array_add (self->steps, step);
      ok = apply_revision_step (self, step, node, error);
      if (!ok)
        g_prefix_error (error, "%s %s: ", upgrade ? "Upgrading" : "Downgrading",
                        retort_revision_map_id_at (map, node));
    }
  retort_int_vec_clear (&order);
  if (!ok)
    return NULL;
  plan_finish (self);
  return g_steal_pointer (&self);
}

RetortPlan *
retort_plan_new_upgrade (RetortRevisionMap  *map,
                         const char         *target,
                         const char * const *rows,
                         GError            **error)
{
  g_return_val_if_fail (RETORT_IS_REVISION_MAP (map), NULL);
  return plan_revisions (map, target, rows, TRUE, error);
}

RetortPlan *
retort_plan_new_downgrade (RetortRevisionMap  *map,
                           const char         *target,
                           const char * const *rows,
                           GError            **error)
{
  g_return_val_if_fail (RETORT_IS_REVISION_MAP (map), NULL);
  return plan_revisions (map, target, rows, FALSE, error);
}

static void
add_stamp_step (RetortPlan         *self,
                GPtrArray          *pending,
                const char * const *from,
                guint               n_from,
                const char         *to,
                gboolean            is_upgrade,
                gboolean            branch_move)
{
  RetortPlanStep *step = g_new0 (RetortPlanStep, 1);

  step->kind = RETORT_STEP_STAMP;
  step->is_upgrade = is_upgrade;
  step->from_revisions = g_new0 (char *, n_from + 1);
  for (guint i = 0; i < n_from; i++)
    step->from_revisions[i] = g_strdup (from[i]);
  step->to_revisions = g_strdupv ((char *[]) { (char *) to, NULL });
  step->version_ops = g_ptr_array_new_with_free_func ((GDestroyNotify) version_op_free);
  g_ptr_array_add (self->steps, step);
  g_ptr_array_add (pending, GINT_TO_POINTER (branch_move));
}

RetortPlan *
retort_plan_new_stamp (RetortRevisionMap  *map,
                       const char * const *targets,
                       const char * const *rows,
                       gboolean            purge,
                       GError            **error)
{
  g_autoptr(RetortPlan) self = NULL;
  const char *base_only[] = { "base", NULL };
  RetortIntVec heads = { 0 }, filtered = { 0 }, dests = { 0 };
  g_autoptr(GPtrArray) branch_moves = g_ptr_array_new ();
  gboolean ok = FALSE;

  g_return_val_if_fail (RETORT_IS_REVISION_MAP (map), NULL);
  if (purge)
    rows = NULL;
  if (!check_rows_known (map, rows, error))
    return NULL;
  if (targets == NULL || targets[0] == NULL)
    targets = base_only;

  self = plan_new (map, rows);
  self->purge = purge;
  for (guint i = 0; rows != NULL && rows[i] != NULL; i++)
    retort_int_vec_push (&heads, retort_revision_map_position_of (map, rows[i]));

  for (guint t = 0; targets[t] != NULL; t++)
    {
      RetortIntVec on_lineage = { 0 };
      if (*targets[t] == '\0')
        continue;
      if (!retort_revision_map_filter_for_lineage (map, heads.v, heads.n, targets[t], TRUE,
                                                   &on_lineage, error))
        {
          retort_int_vec_clear (&on_lineage);
          goto out;
        }
      for (guint i = 0; i < on_lineage.n; i++)
        if (!retort_int_vec_contains (&filtered, on_lineage.v[i]))
          retort_int_vec_push (&filtered, on_lineage.v[i]);
      retort_int_vec_clear (&on_lineage);
    }

  for (guint t = 0; targets[t] != NULL; t++)
    if (!retort_revision_map_get_revisions (map, targets[t], &dests, error))
      goto out;
  if (dests.n == 0)
    retort_int_vec_push (&dests, RETORT_NODE_NONE);

  {
    g_auto(GStrv) filtered_ids = strv_from_ids (map, &filtered);

    for (guint d = 0; d < dests.n; d++)
      {
        int dest = dests.v[d];
        RetortNodeSet below, above;
        gboolean has_below = FALSE, has_above = FALSE;

        if (dest < 0)
          {
            for (guint h = 0; h < filtered.n; h++)
              {
                RetortPlanStep *step;
                add_stamp_step (self, branch_moves, (const char * const *) &filtered_ids[h], 1, NULL,
                                FALSE, TRUE);
                step = g_ptr_array_index (self->steps, self->steps->len - 1);
                g_clear_pointer (&step->to_revisions, g_strfreev);
                step->to_revisions = g_new0 (char *, 1);
              }
            continue;
          }
        if (retort_int_vec_contains (&filtered, dest))
          continue;
        retort_revision_map_descendants (map, &dest, 1, TRUE, &above);
        retort_revision_map_ancestors (map, &dest, 1, TRUE, &below);
        for (guint h = 0; h < filtered.n; h++)
          {
            has_above |= retort_node_set_has (&above, filtered.v[h]);
            has_below |= retort_node_set_has (&below, filtered.v[h]);
          }
        retort_node_set_clear (&above);
        retort_node_set_clear (&below);
        if (has_above)
          add_stamp_step (self, branch_moves, (const char * const *) filtered_ids, filtered.n,
                          retort_revision_map_id_at (map, dest), FALSE, FALSE);
        else if (has_below)
          add_stamp_step (self, branch_moves, (const char * const *) filtered_ids, filtered.n,
                          retort_revision_map_id_at (map, dest), TRUE, FALSE);
        else
          add_stamp_step (self, branch_moves, NULL, 0, retort_revision_map_id_at (map, dest), TRUE, TRUE);
      }
  }

  for (guint s = 0; s < self->steps->len; s++)
    {
      RetortPlanStep *step = g_ptr_array_index (self->steps, s);
      if (!apply_stamp_step (self, step, GPOINTER_TO_INT (g_ptr_array_index (branch_moves, s)), error))
        goto out;
    }
  plan_finish (self);
  ok = TRUE;

out:
  if (!ok && error != NULL && *error != NULL &&
      g_error_matches (*error, RETORT_REVISION_MAP_ERROR, RETORT_REVISION_MAP_ERROR_MULTIPLE_HEADS))
    {
      g_free ((*error)->message);
      (*error)->message = g_strdup ("Multiple heads are present; please specify a single target revision");
    }
  retort_int_vec_clear (&heads);
  retort_int_vec_clear (&filtered);
  retort_int_vec_clear (&dests);
  return ok ? g_steal_pointer (&self) : NULL;
}

/* ---- accessors ------------------------------------------------------------ */

guint
retort_plan_get_n_steps (RetortPlan *self)
{
  g_return_val_if_fail (RETORT_IS_PLAN (self), 0);
  return self->steps->len;
}

RetortPlanStep *
retort_plan_get_step (RetortPlan *self,
                      guint       index)
{
  g_return_val_if_fail (RETORT_IS_PLAN (self), NULL);
  g_return_val_if_fail (index < self->steps->len, NULL);
  return g_ptr_array_index (self->steps, index);
}

gboolean
retort_plan_get_purge (RetortPlan *self)
{
  g_return_val_if_fail (RETORT_IS_PLAN (self), FALSE);
  return self->purge;
}

const char * const *
retort_plan_get_initial_rows (RetortPlan *self)
{
  g_return_val_if_fail (RETORT_IS_PLAN (self), NULL);
  return (const char * const *) self->initial_rows;
}

const char * const *
retort_plan_get_final_rows (RetortPlan *self)
{
  g_return_val_if_fail (RETORT_IS_PLAN (self), NULL);
  return (const char * const *) self->final_rows;
}

const char *
retort_plan_step_get_name (RetortPlanStep *step)
{
  switch (step->kind)
    {
    case RETORT_STEP_UPGRADE: return "upgrade";
    case RETORT_STEP_DOWNGRADE: return "downgrade";
    case RETORT_STEP_STAMP: return "stamp_revision";
    default: g_return_val_if_reached ("?");
    }
}

/* The SQL sections this step runs on `dialect` (none for a stamp) */
GPtrArray *
retort_plan_step_dup_sections (RetortPlanStep *step,
                               const char     *dialect)
{
  if (step->revision == NULL)
    return g_ptr_array_new ();
  return retort_revision_dup_sections_for (step->revision,
                                           step->is_upgrade ? RETORT_DIRECTION_UPGRADE
                                                            : RETORT_DIRECTION_DOWNGRADE,
                                           dialect);
}

/* MigrationStep.__str__: "upgrade a, b -> c, message" */
char *
retort_plan_step_describe (RetortPlanStep *step)
{
  g_autofree char *from = retort_text_join_ids ((const char * const *) step->from_revisions, -1);
  g_autofree char *to = retort_text_join_ids ((const char * const *) step->to_revisions, -1);
  const char *doc = step->revision != NULL ? retort_revision_get_doc (step->revision) : "";

  if (doc != NULL && *doc != '\0')
    return g_strdup_printf ("%s %s -> %s, %s", retort_plan_step_get_name (step), from, to, doc);
  return g_strdup_printf ("%s %s -> %s", retort_plan_step_get_name (step), from, to);
}

/* The literal statements Alembic writes. Alembic pastes ids in unescaped;
 * Retort doubles quotes so an odd id can never break out of the literal. */
static char *
quote_literal (const char *text)
{
  g_auto(GStrv) parts = g_strsplit (text, "'", -1);
  g_autofree char *joined = g_strjoinv ("''", parts);
  return g_strdup_printf ("'%s'", joined);
}

char *
retort_version_op_to_sql (RetortVersionOp *op,
                          const char      *table)
{
  g_autofree char *from = op->from != NULL ? quote_literal (op->from) : NULL;
  g_autofree char *to = op->to != NULL ? quote_literal (op->to) : NULL;

  switch (op->kind)
    {
    case RETORT_VERSION_INSERT:
      return g_strdup_printf ("INSERT INTO %s (version_num) VALUES (%s)", table, to);
    case RETORT_VERSION_UPDATE:
      return g_strdup_printf ("UPDATE %s SET version_num=%s WHERE %s.version_num = %s",
                              table, to, table, from);
    case RETORT_VERSION_DELETE:
      return g_strdup_printf ("DELETE FROM %s WHERE %s.version_num = %s", table, table, from);
    default:
      g_return_val_if_reached (NULL);
    }
}
