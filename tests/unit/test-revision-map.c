/* test-revision-map.c — the revision graph: structure, labels, resolution,
 * relative targets, plans and every graph error */
#include <stdlib.h>
#include <string.h>

#include "retort-core.h"

typedef struct {
  const char *id;
  const char *down;    /* comma-separated, NULL for a base */
  const char *deps;
  const char *labels;
} Spec;

static GStrv
split (const char *list)
{
  return list != NULL ? g_strsplit (list, ",", -1) : NULL;
}

static GPtrArray *
revisions_from (const Spec *specs,
                guint       n)
{
  GPtrArray *revisions = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < n; i++)
    {
      g_auto(GStrv) down = split (specs[i].down);
      g_auto(GStrv) deps = split (specs[i].deps);
      g_auto(GStrv) labels = split (specs[i].labels);
      g_autoptr(GError) error = NULL;
      RetortRevision *rev = retort_revision_new (specs[i].id, (const char * const *) down,
                                                 (const char * const *) labels,
                                                 (const char * const *) deps, &error);
      g_assert_no_error (error);
      g_ptr_array_add (revisions, rev);
    }
  return revisions;
}

static RetortRevisionMap *
build (const Spec *specs,
       guint       n)
{
  g_autoptr(GPtrArray) revisions = revisions_from (specs, n);
  g_autoptr(GError) error = NULL;
  RetortRevisionMap *map = retort_revision_map_new (revisions, NULL, &error);

  g_assert_no_error (error);
  return map;
}

static char *
ids (GPtrArray *revisions)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; revisions != NULL && i < revisions->len; i++)
    g_string_append_printf (out, "%s%s", i ? " " : "",
                            retort_revision_get_id (g_ptr_array_index (revisions, i)));
  return g_string_free (out, FALSE);
}

static void
assert_resolves (RetortRevisionMap *map,
                 const char        *spec,
                 const char        *expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) revisions = retort_revision_map_resolve (map, spec, &error);
  g_autofree char *got = NULL;

  g_assert_no_error (error);
  got = ids (revisions);
  if (g_strcmp0 (got, expected) != 0)
    g_error ("'%s' resolved to '%s', expected '%s'", spec, got, expected);
}

static void
assert_resolve_fails (RetortRevisionMap *map,
                      const char        *spec,
                      int                code,
                      const char        *fragment)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) revisions = retort_revision_map_resolve (map, spec, &error);

  g_assert_null (revisions);
  g_assert_error (error, RETORT_REVISION_MAP_ERROR, code);
  if (strstr (error->message, fragment) == NULL)
    g_error ("'%s': message lacks '%s': %s", spec, fragment, error->message);
}

/* diamond a ← b1, b2 ← c ← d, plus an independent root x ← y (y depends on b1) */
static const Spec diamond[] = {
  { "a1a1", NULL, NULL, NULL },
  { "b1b1", "a1a1", NULL, NULL },
  { "b2b2", "a1a1", NULL, "lbl" },
  { "c3c3", "b1b1,b2b2", NULL, NULL },
  { "d4d4", "c3c3", NULL, NULL },
  { "x9x9", NULL, NULL, "other" },
  { "y8y8", "x9x9", "b1b1", NULL },
};

static void
test_structure (void)
{
  g_autoptr(RetortRevisionMap) map = build (diamond, G_N_ELEMENTS (diamond));
  g_autoptr(GPtrArray) heads = retort_revision_map_get_heads (map);
  g_autoptr(GPtrArray) real_heads = retort_revision_map_get_real_heads (map);
  g_autoptr(GPtrArray) bases = retort_revision_map_get_bases (map);
  g_autofree char *head_ids = ids (heads);
  g_autofree char *real_ids = ids (real_heads);
  g_autofree char *base_ids = ids (bases);
  RetortRevision *a = retort_revision_map_lookup (map, "a1a1");
  RetortRevision *c = retort_revision_map_lookup (map, "c3c3");
  RetortRevision *b1 = retort_revision_map_lookup (map, "b1b1");

  g_assert_cmpstr (head_ids, ==, "d4d4 y8y8");
  g_assert_cmpstr (real_ids, ==, "d4d4 y8y8");
  g_assert_cmpstr (base_ids, ==, "a1a1 x9x9");
  g_assert_true (retort_revision_map_is_branch_point (map, a));
  g_assert_true (retort_revision_map_is_merge_point (map, c));
  g_assert_false (retort_revision_map_is_branch_point (map, b1));
  g_assert_null (retort_revision_map_lookup (map, "a1"));
  {
    g_autoptr(GPtrArray) children = retort_revision_map_get_children (map, a);
    g_autofree char *child_ids = ids (children);
    g_assert_cmpstr (child_ids, ==, "b1b1 b2b2");
  }
}

static void
assert_labels (RetortRevisionMap *map,
               const char        *id,
               const char        *expected)
{
  const char * const *labels = retort_revision_map_get_branch_labels (map, retort_revision_map_lookup (map, id));
  g_autofree char *joined = g_strjoinv (",", (char **) labels);
  if (strcmp (joined, expected) != 0)
    g_error ("labels of %s are '%s', expected '%s'", id, joined, expected);
}

static void
test_branch_labels (void)
{
  /* a label mid-chain spreads over the whole straight line */
  static const Spec line[] = {
    { "aaaa", NULL, NULL, NULL }, { "bbbb", "aaaa", NULL, NULL }, { "cccc", "bbbb", NULL, "mid" },
    { "dddd", "cccc", NULL, NULL }, { "eeee", "dddd", NULL, NULL },
  };
  /* after a branch point only that branch; after a merge everything below the merge */
  static const Spec fork[] = {
    { "root", NULL, NULL, NULL }, { "left", "root", NULL, "L" }, { "left2", "left", NULL, NULL },
    { "right", "root", NULL, NULL }, { "join", "left2,right", NULL, NULL }, { "top1", "join", NULL, NULL },
  };
  g_autoptr(RetortRevisionMap) m1 = build (line, G_N_ELEMENTS (line));
  g_autoptr(RetortRevisionMap) m2 = build (fork, G_N_ELEMENTS (fork));

  for (guint i = 0; i < G_N_ELEMENTS (line); i++)
    assert_labels (m1, line[i].id, "mid");
  assert_labels (m2, "root", "");
  assert_labels (m2, "left", "L");
  assert_labels (m2, "left2", "L");
  assert_labels (m2, "right", "");
  assert_labels (m2, "join", "L");
  assert_labels (m2, "top1", "L");
}

static void
test_dependencies (void)
{
  /* b2 depends on a2: a2 is a versioned head but not a real one; b3 depends
   * on a branch label, which names the label's own revision */
  static const Spec specs[] = {
    { "a1aa", NULL, NULL, "alpha" }, { "a2aa", "a1aa", NULL, NULL },
    { "b1bb", NULL, NULL, "beta" }, { "b2bb", "b1bb", "a2aa", NULL }, { "b3bb", "b2bb", "alpha", NULL },
  };
  g_autoptr(RetortRevisionMap) map = build (specs, G_N_ELEMENTS (specs));
  g_autoptr(GPtrArray) heads = retort_revision_map_get_heads (map);
  g_autoptr(GPtrArray) real = retort_revision_map_get_real_heads (map);
  g_autofree char *head_ids = ids (heads);
  g_autofree char *real_ids = ids (real);
  g_autoptr(GPtrArray) deps = retort_revision_map_get_dependencies (map, retort_revision_map_lookup (map, "b3bb"));
  g_autofree char *dep_ids = ids (deps);
  g_autofree char *line = retort_format_head_only (map, retort_revision_map_lookup (map, "a2aa"),
                                                   RETORT_FORMAT_HEAD);

  g_assert_cmpstr (head_ids, ==, "a2aa b3bb");
  g_assert_cmpstr (real_ids, ==, "b3bb");
  g_assert_cmpstr (dep_ids, ==, "a1aa");  /* the label's own revision, as Alembic maps it */
  g_assert_cmpstr (line, ==, "a2aa (effective head)");
  assert_resolves (map, "heads", "b3bb");
  assert_resolve_fails (map, "head", RETORT_REVISION_MAP_ERROR_MULTIPLE_HEADS, "'head'");
}

static void
test_resolution (void)
{
  static const Spec specs[] = {
    { "ae10", NULL, NULL, NULL }, { "ae1001", "ae10", NULL, NULL }, { "ae1002", "ae10", NULL, "lbl" },
    { "ae1003", "ae1001", NULL, NULL }, { "bf20", "ae1003,ae1002", NULL, NULL },
  };
  g_autoptr(RetortRevisionMap) map = build (specs, G_N_ELEMENTS (specs));

  assert_resolves (map, "ae10", "ae10");          /* exact beats prefix */
  assert_resolves (map, "bf2", "bf20");           /* a short prefix of a 4+ char id */
  assert_resolves (map, "ae1003", "ae1003");
  assert_resolves (map, "head", "bf20");
  assert_resolves (map, "heads", "bf20");
  assert_resolves (map, "base", "");
  assert_resolves (map, "lbl", "ae1002");         /* a label names its revision */
  assert_resolves (map, "lbl@head", "bf20");
  assert_resolves (map, "lbl@base", "");
  assert_resolves (map, "lbl@ae10", "ae10");
  assert_resolve_fails (map, "-1", RETORT_REVISION_MAP_ERROR_RELATIVE, "Ambiguous walk");  /* the head is a merge */
  assert_resolve_fails (map, "ae100", RETORT_REVISION_MAP_ERROR_RESOLUTION,
                        "Multiple revisions start with 'ae100': 'ae1001', 'ae1002', 'ae1003'...");
  assert_resolve_fails (map, "zz", RETORT_REVISION_MAP_ERROR_RESOLUTION,
                        "at least four characters");
  assert_resolve_fails (map, "zzzzz", RETORT_REVISION_MAP_ERROR_RESOLUTION, "No such revision or branch 'zzzzz'");
  assert_resolve_fails (map, "nolabel@head", RETORT_REVISION_MAP_ERROR_RESOLUTION, "No such revision or branch 'nolabel'");
  assert_resolve_fails (map, "nolabel@ae10", RETORT_REVISION_MAP_ERROR_RESOLUTION, "No such branch: 'nolabel'");
  assert_resolve_fails (map, "lbl@ae1001", RETORT_REVISION_MAP_ERROR_RESOLUTION,
                        "Revision ae1001 is not a member of branch 'lbl'");
}

static int
compare_strings (const void *a,
                 const void *b)
{
  return strcmp (*(char * const *) a, *(char * const *) b);
}

static char *
plan_text (RetortPlan *plan)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < retort_plan_get_n_steps (plan); i++)
    {
      g_autofree char *line = retort_plan_step_describe (retort_plan_get_step (plan, i));
      g_string_append_printf (out, "%s%s", i ? "; " : "", line);
    }
  /* the rows are a set: compare them sorted */
  {
    g_auto(GStrv) rows = g_strdupv ((char **) retort_plan_get_final_rows (plan));
    g_autofree char *joined = NULL;
    qsort (rows, g_strv_length (rows), sizeof (char *), compare_strings);
    joined = g_strjoinv (",", rows);
    g_string_append_printf (out, " => %s", joined);
  }
  return g_string_free (out, FALSE);
}

typedef enum { UP, DOWN, STAMP } Op;

static void
assert_plan (RetortRevisionMap *map,
             Op                 op,
             const char        *rows_list,
             const char        *target,
             const char        *expected)
{
  g_auto(GStrv) rows = rows_list != NULL ? g_strsplit (rows_list, ",", -1) : g_new0 (char *, 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(RetortPlan) plan = NULL;
  g_autofree char *text = NULL;

  if (op == UP)
    plan = retort_plan_new_upgrade (map, target, (const char * const *) rows, &error);
  else if (op == DOWN)
    plan = retort_plan_new_downgrade (map, target, (const char * const *) rows, &error);
  else
    {
      g_auto(GStrv) targets = g_strsplit (target, " ", -1);
      plan = retort_plan_new_stamp (map, (const char * const *) targets, (const char * const *) rows,
                                    FALSE, &error);
    }
  if (expected[0] == '!')
    {
      g_assert_null (plan);
      g_assert_nonnull (error);
      if (strstr (error->message, expected + 1) == NULL)
        g_error ("plan to %s: message lacks '%s': %s", target, expected + 1, error->message);
      return;
    }
  g_assert_no_error (error);
  text = plan_text (plan);
  if (strcmp (text, expected) != 0)
    g_error ("plan to %s from [%s]:\n got      %s\n expected %s", target, rows_list ? rows_list : "",
             text, expected);
}

static const Spec plain_diamond[] = {
  { "a", NULL, NULL, NULL }, { "b1", "a", NULL, NULL }, { "b2", "a", NULL, NULL },
  { "c", "b1,b2", NULL, NULL }, { "d", "c", NULL, NULL },
};

static void
test_plans (void)
{
  g_autoptr(RetortRevisionMap) map = build (plain_diamond, G_N_ELEMENTS (plain_diamond));

  /* the worked example of the reference: a, b2, b1, c, d */
  assert_plan (map, UP, NULL, "head",
               "upgrade  -> a; upgrade a -> b2; upgrade a -> b1; upgrade b1, b2 -> c; upgrade c -> d => d");
  assert_plan (map, UP, "b1", "c", "upgrade a -> b2; upgrade b1, b2 -> c => c");
  {
    /* each step knows its version-row SQL and its sections (none here) */
    g_autoptr(GError) error = NULL;
    g_autoptr(RetortPlan) plan = retort_plan_new_upgrade (map, "c", (const char * const[]) { "b1", NULL }, &error);
    RetortPlanStep *merge = retort_plan_get_step (plan, 1);
    g_autoptr(GPtrArray) sections = retort_plan_step_dup_sections (merge, "sqlite");
    g_autofree char *del = retort_version_op_to_sql (g_ptr_array_index (merge->version_ops, 0), "alembic_version");
    g_autofree char *upd = retort_version_op_to_sql (g_ptr_array_index (merge->version_ops, 1), "alembic_version");
    g_assert_no_error (error);
    g_assert_cmpuint (merge->version_ops->len, ==, 2);
    g_assert_cmpstr (del, ==, "DELETE FROM alembic_version WHERE alembic_version.version_num = 'b1'");
    g_assert_cmpstr (upd, ==, "UPDATE alembic_version SET version_num='c' WHERE alembic_version.version_num = 'b2'");
    g_assert_cmpuint (sections->len, ==, 0);
  }
  assert_plan (map, UP, "a", "+1", "!Ambiguous walk");
  assert_plan (map, UP, "c", "+1", "upgrade c -> d => d");
  assert_plan (map, UP, "d", "+1", "!Relative revision +1 didn't produce 1 migrations");
  assert_plan (map, UP, "d", "c", " => d");                       /* behind: nothing to do */
  assert_plan (map, UP, "zz", "head", "!the version table names a revision that is not in this script directory");
  assert_plan (map, DOWN, "d", "b1", "downgrade d -> c; downgrade c -> b1, b2 => b1,b2");
  assert_plan (map, DOWN, "d", "-1", "downgrade d -> c => c");
  assert_plan (map, DOWN, "d", "base",
               "downgrade d -> c; downgrade c -> b1, b2; downgrade b1 -> a; downgrade b2 -> a; downgrade a ->  => ");
  assert_plan (map, DOWN, "b1", "d", "!Destination d is not a valid downgrade target from current head(s)");
  assert_plan (map, DOWN, "", "-1", "!Relative revision -1 didn't produce 1 migrations");
  assert_plan (map, STAMP, NULL, "b1", "stamp_revision  -> b1 => b1");
  assert_plan (map, STAMP, "b1", "d", "stamp_revision b1 -> d => d");
  assert_plan (map, STAMP, "d", "a", "stamp_revision d -> a => a");
  assert_plan (map, STAMP, "d", "base", "stamp_revision d ->  => ");
  assert_plan (map, STAMP, "b1", "b2", "stamp_revision  -> b2 => b1,b2");
  assert_plan (map, STAMP, "b1,b2", "c", "stamp_revision b1, b2 -> c => c");
}

static void
test_plan_errors (void)
{
  static const Spec two_heads[] = {
    { "root", NULL, NULL, NULL }, { "left", "root", NULL, "L" }, { "right", "root", NULL, "R" },
  };
  g_autoptr(RetortRevisionMap) map = build (two_heads, G_N_ELEMENTS (two_heads));

  assert_plan (map, UP, NULL, "head", "!Multiple head revisions are present for given argument 'head'");
  assert_plan (map, UP, NULL, "heads", "upgrade  -> root; upgrade root -> right; upgrade root -> left => left,right");
  assert_plan (map, UP, "left", "R@head", "upgrade root -> right => left,right");
  assert_plan (map, UP, NULL, "left right root", "!No such revision or branch 'left right root'");
  assert_plan (map, STAMP, NULL, "head", "!Multiple heads are present; please specify a single target revision");
  assert_plan (map, UP, "root,left", "heads", "!Requested revision left overlaps with other requested revisions root");
}

static void
assert_map_fails (const Spec *specs,
                  guint       n,
                  int         code,
                  const char *fragment)
{
  g_autoptr(GPtrArray) revisions = revisions_from (specs, n);
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func ((GDestroyNotify) g_error_free);
  g_autoptr(GError) error = NULL;
  g_autoptr(RetortRevisionMap) map = retort_revision_map_new (revisions, problems, &error);

  g_assert_null (map);
  g_assert_error (error, RETORT_REVISION_MAP_ERROR, code);
  g_assert_cmpuint (problems->len, >=, 1);
  if (strstr (error->message, fragment) == NULL)
    g_error ("message lacks '%s': %s", fragment, error->message);
}

static void
test_graph_errors (void)
{
  static const Spec duplicate[] = { { "aaaa", NULL, NULL, NULL }, { "aaaa", NULL, NULL, NULL } };
  static const Spec missing_down[] = { { "aaaa", NULL, NULL, NULL }, { "bbbb", "zzzz", NULL, NULL } };
  static const Spec missing_dep[] = { { "aaaa", NULL, "zzzz", NULL } };
  static const Spec down_is_label[] = { { "aaaa", NULL, NULL, "lab" }, { "bbbb", "lab", NULL, NULL } };
  static const Spec cycle[] = {
    { "root", NULL, NULL, NULL }, { "c1", "c3", NULL, NULL }, { "c2", "c1", NULL, NULL },
    { "c3", "c2", NULL, NULL }, { "top", "root", NULL, NULL },
  };
  static const Spec all_cycle[] = { { "aaaa", "bbbb", NULL, NULL }, { "bbbb", "aaaa", NULL, NULL } };
  static const Spec dep_cycle[] = {
    { "a1", NULL, NULL, NULL }, { "a2", "a1", "b2", NULL }, { "b1", NULL, "a2", NULL }, { "b2", "b1", NULL, NULL },
  };
  static const Spec labels[] = { { "aaaa", NULL, NULL, "x" }, { "bbbb", "aaaa", NULL, "x" } };
  static const Spec label_is_id[] = { { "aaaa", NULL, NULL, NULL }, { "bbbb", "aaaa", NULL, "aaaa" } };

  assert_map_fails (duplicate, 2, RETORT_REVISION_MAP_ERROR_DUPLICATE, "revision id 'aaaa' is already declared");
  assert_map_fails (missing_down, 2, RETORT_REVISION_MAP_ERROR_MISSING,
                    "revision bbbb revises 'zzzz', which is not a revision");
  assert_map_fails (missing_dep, 1, RETORT_REVISION_MAP_ERROR_MISSING, "depends on 'zzzz'");
  assert_map_fails (down_is_label, 2, RETORT_REVISION_MAP_ERROR_MISSING, "a branch label, not a revision id");
  assert_map_fails (cycle, 5, RETORT_REVISION_MAP_ERROR_CYCLE, "Cycle is detected in revisions (c1, c2, c3)");
  assert_map_fails (all_cycle, 2, RETORT_REVISION_MAP_ERROR_CYCLE, "Cycle is detected in revisions (aaaa, bbbb)");
  assert_map_fails (dep_cycle, 4, RETORT_REVISION_MAP_ERROR_DEPENDENCY_CYCLE, "Dependency cycle is detected");
  assert_map_fails (labels, 2, RETORT_REVISION_MAP_ERROR_LABEL_CONFLICT,
                    "Branch name 'x' in revision bbbb already used by revision aaaa");
  assert_map_fails (label_is_id, 2, RETORT_REVISION_MAP_ERROR_LABEL_CONFLICT,
                    "Branch name 'aaaa' in revision bbbb already used by revision aaaa");
}

static void
test_history_format (void)
{
  g_autoptr(RetortRevisionMap) map = build (diamond, G_N_ELEMENTS (diamond));
  g_autoptr(GError) error = NULL;
  g_autofree char *history = retort_format_history (map, NULL, FALSE, NULL, &error);
  g_autofree char *range = NULL;

  g_assert_no_error (error);
  /* what alembic prints for the same graph (checked with alembic 1.8.1) */
  g_assert_cmpstr (history, ==,
                   "c3c3 -> d4d4 (lbl) (head), \n"
                   "b1b1, b2b2 -> c3c3 (lbl) (mergepoint), \n"
                   "x9x9 (b1b1) -> y8y8 (other) (head), \n"
                   "<base> -> x9x9 (other), \n"
                   "a1a1 -> b1b1, \n"
                   "a1a1 -> b2b2 (lbl), \n"
                   "<base> -> a1a1 (branchpoint), \n");
  range = retort_format_history (map, "b1b1:d4d4", FALSE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (range, ==, "c3c3 -> d4d4 (lbl) (head), \nb1b1, b2b2 -> c3c3 (lbl) (mergepoint), \na1a1 -> b1b1, \n");
  g_assert_null (retort_format_history (map, "b2b2:y8y8", FALSE, NULL, &error));
  g_assert_error (error, RETORT_REVISION_MAP_ERROR, RETORT_REVISION_MAP_ERROR_RANGE_NOT_ANCESTOR);
  g_clear_error (&error);
  g_assert_null (retort_format_history (map, "b1b1", FALSE, NULL, &error));
  g_assert_error (error, RETORT_REVISION_MAP_ERROR, RETORT_REVISION_MAP_ERROR_INVALID);
}

static char *
lanes_text (GArray *lanes)
{
  GString *out = g_string_new (NULL);
  for (guint i = 0; i < lanes->len; i++)
    g_string_append_printf (out, "%s%u", i ? "," : "", g_array_index (lanes, guint, i));
  return g_string_free (out, FALSE);
}

static char *
timeline_text (RetortRevisionMap *map)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = retort_timeline_compute (map, &error);
  GString *out = g_string_new (NULL);

  g_assert_no_error (error);
  for (guint i = 0; i < rows->len; i++)
    {
      RetortTimelineRow *row = g_ptr_array_index (rows, i);
      g_autofree char *in = lanes_text (row->incoming);
      g_autofree char *pass = lanes_text (row->passing);
      g_autofree char *out_lanes = lanes_text (row->outgoing);
      g_string_append_printf (out, "%s%s@%u in[%s] pass[%s] out[%s] w%u", i ? " | " : "",
                              retort_revision_get_id (row->revision), row->lane, in, pass, out_lanes, row->width);
    }
  return g_string_free (out, FALSE);
}

static void
test_timeline (void)
{
  static const Spec two_roots[] = {
    { "r1", NULL, NULL, NULL }, { "r2", "r1", NULL, NULL }, { "s1", NULL, NULL, NULL }, { "s2", "s1", NULL, NULL },
  };
  g_autoptr(RetortRevisionMap) diamond_map = build (plain_diamond, G_N_ELEMENTS (plain_diamond));
  g_autoptr(RetortRevisionMap) roots_map = build (two_roots, G_N_ELEMENTS (two_roots));
  g_autofree char *diamond_lanes = timeline_text (diamond_map);
  g_autofree char *roots = timeline_text (roots_map);

  /* d over a merge c of b1 and b2, which branch from a */
  g_assert_cmpstr (diamond_lanes, ==,
                   "d@0 in[] pass[] out[0] w1 | "
                   "c@0 in[0] pass[] out[0,1] w2 | "
                   "b1@0 in[0] pass[1] out[0] w2 | "
                   "b2@1 in[1] pass[0] out[0] w2 | "
                   "a@0 in[0] pass[] out[] w1");
  /* two independent lines, one after the other in history order, both in
   * lane 0: a line that has ended frees its lane for the next */
  g_assert_cmpstr (roots, ==,
                   "r2@0 in[] pass[] out[0] w1 | "
                   "r1@0 in[0] pass[] out[] w1 | "
                   "s2@0 in[] pass[] out[0] w1 | "
                   "s1@0 in[0] pass[] out[] w1");
}

static RetortStatus *
status_for (RetortRevisionMap      *map,
            RetortVersionStateKind  kind,
            const char             *rows,
            guint                   other_tables)
{
  RetortVersionState state = { kind, NULL, other_tables };
  RetortStatus *status;

  state.rows = rows != NULL ? g_strsplit (rows, ",", -1) : g_new0 (char *, 1);
  status = retort_status_compute (map, &state);
  g_strfreev (state.rows);
  return status;
}

static void
test_status (void)
{
  g_autoptr(RetortRevisionMap) map = build (plain_diamond, G_N_ELEMENTS (plain_diamond));
  g_autoptr(RetortStatus) empty = status_for (map, RETORT_VERSION_STATE_EMPTY, NULL, 0);
  g_autoptr(RetortStatus) legacy = status_for (map, RETORT_VERSION_STATE_LEGACY, NULL, 12);
  g_autoptr(RetortStatus) base = status_for (map, RETORT_VERSION_STATE_BASE, NULL, 3);
  g_autoptr(RetortStatus) half = status_for (map, RETORT_VERSION_STATE_VERSIONED, "b1", 3);
  g_autoptr(RetortStatus) done = status_for (map, RETORT_VERSION_STATE_VERSIONED, "d", 3);
  g_autoptr(RetortStatus) unknown = status_for (map, RETORT_VERSION_STATE_VERSIONED, "d,zz99", 3);
  g_autoptr(RetortStatus) broken = status_for (map, RETORT_VERSION_STATE_VERSIONED, "a,b1", 3);
  g_autofree char *current = NULL;

  g_assert_cmpint (empty->kind, ==, RETORT_STATUS_NOT_VERSIONED);
  g_assert_cmpuint (empty->n_pending, ==, 5);
  g_assert_cmpint (legacy->kind, ==, RETORT_STATUS_LEGACY);
  g_assert_nonnull (strstr (legacy->message, "12 tables"));
  g_assert_cmpint (base->kind, ==, RETORT_STATUS_PENDING);
  g_assert_cmpuint (base->n_pending, ==, 5);
  g_assert_cmpint (half->kind, ==, RETORT_STATUS_PENDING);
  g_assert_cmpuint (half->n_pending, ==, 3);  /* b2, c, d */
  current = g_strjoinv (",", half->current);
  g_assert_cmpstr (current, ==, "b1");
  g_assert_cmpint (done->kind, ==, RETORT_STATUS_UP_TO_DATE);
  g_assert_cmpstr (retort_status_kind_to_string (done->kind), ==, "up-to-date");
  g_assert_cmpint (unknown->kind, ==, RETORT_STATUS_UNKNOWN_REVISION);
  g_assert_cmpstr (unknown->unknown[0], ==, "zz99");
  g_assert_null (unknown->unknown[1]);
  g_assert_cmpint (broken->kind, ==, RETORT_STATUS_BROKEN);  /* a is an ancestor of b1 */
  g_assert_nonnull (strstr (broken->message, "overlaps"));
}

static void
test_large_linear (void)
{
  /* 5,000 revisions in a line must not trip anything quadratic in memory */
  g_autoptr(GPtrArray) revisions = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(RetortRevisionMap) map = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) walk = NULL;
  g_autoptr(RetortPlan) plan = NULL;

  for (guint i = 0; i < 5000; i++)
    {
      g_autofree char *id = g_strdup_printf ("r%05u", i);
      g_autofree char *parent = g_strdup_printf ("r%05u", i - 1);
      const char *down[] = { parent, NULL };
      g_ptr_array_add (revisions, retort_revision_new (id, i ? down : NULL, NULL, NULL, &error));
      g_assert_no_error (error);
    }
  map = retort_revision_map_new (revisions, NULL, &error);
  g_assert_no_error (error);
  walk = retort_revision_map_walk_history (map, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (walk->len, ==, 5000);
  g_assert_cmpstr (retort_revision_get_id (g_ptr_array_index (walk, 0)), ==, "r04999");
  plan = retort_plan_new_upgrade (map, "r04000", (const char * const[]) { "r00100", NULL }, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (retort_plan_get_n_steps (plan), ==, 3900);
  g_assert_cmpstr (retort_plan_get_final_rows (plan)[0], ==, "r04000");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/map/structure", test_structure);
  g_test_add_func ("/map/branch-labels", test_branch_labels);
  g_test_add_func ("/map/dependencies", test_dependencies);
  g_test_add_func ("/map/resolution", test_resolution);
  g_test_add_func ("/map/plans", test_plans);
  g_test_add_func ("/map/plan-errors", test_plan_errors);
  g_test_add_func ("/map/graph-errors", test_graph_errors);
  g_test_add_func ("/map/history-format", test_history_format);
  g_test_add_func ("/map/status", test_status);
  g_test_add_func ("/map/timeline", test_timeline);
  g_test_add_func ("/map/large-linear", test_large_linear);
  return g_test_run ();
}
