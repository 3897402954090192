/* test-planner.c — Retort's planner against recordings of real Alembic
 *
 * Usage: test-planner [GTest options] CASES.TXT FIXTURES-DIR
 * (meson passes --tap --keep-going so that every case is reported)
 *
 * cases.txt is written by record-alembic.py (its header documents the
 * format): for every case, the steps Alembic logged ("Running ...") and the
 * rows it left in alembic_version, or the fact that it failed. Each case
 * becomes one GTest case that
 *   1. loads fixtures/<fixture> with the core API and plans the same command
 *      from the same starting rows;
 *   2. asserts the plan fails when Alembic failed (the text is not compared);
 *   3. otherwise asserts retort_plan_step_describe() of every step equals the
 *      recorded lines, in order, and the plan's final rows equal the recorded
 *      rows as a set;
 *   4. replays the plan's version_ops as SQL (retort_version_op_to_sql) on a
 *      SQLite alembic_version table holding the starting rows, checks every
 *      statement changes exactly one row, and that the table ends up holding
 *      the recorded rows.
 * For "follows-head" cases (Alembic #1373) the expected rows are those of
 * current Alembic, which Retort follows; what 1.8.1 left is only reported.
 */
#include "retort-core.h"

#include <sqlite3.h>
#include <string.h>

typedef enum {
  RESULT_OK,
  RESULT_FAILED,
  RESULT_FOLLOWS_HEAD,
} CaseResult;

typedef struct {
  char       *name;
  char       *fixture;
  char       *command;
  GStrv       rows;
  GStrv       targets;
  gboolean    order_any;
  GPtrArray  *steps;
  CaseResult  result;
  gboolean    has_result;
  GStrv       final_rows;
  GStrv       alembic_final;
  char       *error;
} PlannerCase;

static const char *fixtures_dir;

static const char version_table_ddl[] =
  "CREATE TABLE alembic_version (\n"
  "\tversion_num VARCHAR(32) NOT NULL, \n"
  "\tCONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)\n"
  ")";

static void
planner_case_free (PlannerCase *c)
{
  g_free (c->name);
  g_free (c->fixture);
  g_free (c->command);
  g_strfreev (c->rows);
  g_strfreev (c->targets);
  g_ptr_array_unref (c->steps);
  g_strfreev (c->final_rows);
  g_strfreev (c->alembic_final);
  g_free (c->error);
  g_free (c);
}

/* "a b c" → {a, b, c}; "" → {} */
static GStrv
split_ids (const char *value)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) parts = g_strsplit (value, " ", -1);

  for (guint i = 0; parts[i] != NULL; i++)
    if (*parts[i] != '\0')
      g_strv_builder_add (builder, parts[i]);
  return g_strv_builder_end (builder);
}

static gboolean
parse_cases (const char  *path,
             GPtrArray   *cases,
             GError     **error)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  PlannerCase *current = NULL;

  if (!g_file_get_contents (path, &contents, NULL, error))
    return FALSE;
  lines = g_strsplit (contents, "\n", -1);
  for (guint n = 0; lines[n] != NULL; n++)
    {
      char *line = lines[n];
      const char *space;
      g_autofree char *key = NULL;
      const char *value;
      gsize len = strlen (line);

      if (len > 0 && line[len - 1] == '\r')
        line[len - 1] = '\0';
      if (*line == '\0' || *line == '#')
        continue;
      space = strchr (line, ' ');
      key = space != NULL ? g_strndup (line, space - line) : g_strdup (line);
      value = space != NULL ? space + 1 : "";

      if (strcmp (key, "case") == 0)
        {
          if (current != NULL)
            goto bad_line;
          current = g_new0 (PlannerCase, 1);
          current->name = g_strdup (value);
          current->steps = g_ptr_array_new_with_free_func (g_free);
          continue;
        }
      if (current == NULL)
        goto bad_line;
      if (strcmp (key, "fixture") == 0)
        current->fixture = g_strdup (value);
      else if (strcmp (key, "command") == 0)
        current->command = g_strdup (value);
      else if (strcmp (key, "rows") == 0)
        current->rows = split_ids (value);
      else if (strcmp (key, "targets") == 0)
        current->targets = split_ids (value);
      else if (strcmp (key, "order") == 0 && strcmp (value, "any") == 0)
        current->order_any = TRUE;
      else if (strcmp (key, "step") == 0)
        g_ptr_array_add (current->steps, g_strdup (value));
      else if (strcmp (key, "result") == 0)
        {
          current->has_result = TRUE;
          if (strcmp (value, "ok") == 0)
            current->result = RESULT_OK;
          else if (strcmp (value, "failed") == 0)
            current->result = RESULT_FAILED;
          else if (strcmp (value, "follows-head") == 0)
            current->result = RESULT_FOLLOWS_HEAD;
          else
            goto bad_line;
        }
      else if (strcmp (key, "final") == 0)
        current->final_rows = split_ids (value);
      else if (strcmp (key, "alembic-final") == 0)
        current->alembic_final = split_ids (value);
      else if (strcmp (key, "error") == 0)
        current->error = g_strdup (value);
      else if (strcmp (key, "end") == 0)
        {
          if (current->fixture == NULL || current->command == NULL || current->rows == NULL ||
              current->targets == NULL || !current->has_result ||
              (current->result != RESULT_FAILED && current->final_rows == NULL) ||
              (current->result == RESULT_FAILED && current->error == NULL) ||
              (current->result == RESULT_FOLLOWS_HEAD && current->alembic_final == NULL))
            goto bad_line;
          g_ptr_array_add (cases, current);
          current = NULL;
        }
      else
        goto bad_line;
      continue;

    bad_line:
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "%s:%u: unexpected line: %s",
                   path, n + 1, line);
      g_clear_pointer (&current, planner_case_free);
      return FALSE;
    }
  if (current != NULL)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "%s: case %s has no end", path,
                   current->name);
      planner_case_free (current);
      return FALSE;
    }
  return TRUE;
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* the ids as one sorted, space-separated string, to compare sets */
static char *
sorted_ids (const char * const *ids)
{
  g_autoptr(GPtrArray) sorted = g_ptr_array_new ();

  for (guint i = 0; ids != NULL && ids[i] != NULL; i++)
    g_ptr_array_add (sorted, (gpointer) ids[i]);
  g_ptr_array_sort (sorted, compare_strings);
  g_ptr_array_add (sorted, NULL);
  return g_strjoinv (" ", (char **) sorted->pdata);
}

static char *
join_lines (GPtrArray *lines,
            gboolean   sort)
{
  g_autoptr(GPtrArray) copy = g_ptr_array_new ();
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < lines->len; i++)
    g_ptr_array_add (copy, g_ptr_array_index (lines, i));
  if (sort)
    g_ptr_array_sort (copy, compare_strings);
  for (guint i = 0; i < copy->len; i++)
    g_string_append_printf (out, "    [%s]\n", (const char *) g_ptr_array_index (copy, i));
  if (copy->len == 0)
    g_string_append (out, "    (no steps)\n");
  return g_string_free (out, FALSE);
}

static gboolean
same_lines (GPtrArray *a,
            GPtrArray *b,
            gboolean   sort)
{
  g_autofree char *ja = NULL;
  g_autofree char *jb = NULL;

  if (a->len != b->len)
    return FALSE;
  ja = join_lines (a, sort);
  jb = join_lines (b, sort);
  return strcmp (ja, jb) == 0;
}

static RetortPlan *
build_plan (const PlannerCase  *c,
            RetortRevisionMap  *map,
            GError            **error)
{
  const char * const *rows = (const char * const *) c->rows;
  const char *target = c->targets[0];

  if (strcmp (c->command, "upgrade") == 0 || strcmp (c->command, "downgrade") == 0)
    {
      if (g_strv_length (c->targets) != 1)
        {
          g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "%s takes one target", c->command);
          return NULL;
        }
      if (c->command[0] == 'u')
        return retort_plan_new_upgrade (map, target, rows, error);
      return retort_plan_new_downgrade (map, target, rows, error);
    }
  if (strcmp (c->command, "stamp") == 0)
    return retort_plan_new_stamp (map, (const char * const *) c->targets, rows, FALSE, error);
  if (strcmp (c->command, "stamp --purge") == 0)
    return retort_plan_new_stamp (map, (const char * const *) c->targets, rows, TRUE, error);
  g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "unknown command %s", c->command);
  return NULL;
}

static const char *
op_kind_name (RetortVersionOpKind kind)
{
  switch (kind)
    {
    case RETORT_VERSION_INSERT: return "INSERT";
    case RETORT_VERSION_UPDATE: return "UPDATE";
    case RETORT_VERSION_DELETE: return "DELETE";
    default: return "?";
    }
}

static gboolean
sql_exec (sqlite3     *db,
          const char  *sql,
          GString     *problems)
{
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    {
      g_string_append_printf (problems, "SQLite refused [%s]: %s\n", sql,
                              message != NULL ? message : sqlite3_errmsg (db));
      sqlite3_free (message);
      return FALSE;
    }
  return TRUE;
}

static int
collect_row (void  *data,
             int    n_columns,
             char **values,
             char **names)
{
  g_ptr_array_add (data, g_strdup (values[0]));
  return 0;
}

/* Replays the plan's version_ops on a real alembic_version table that starts
 * with the case's rows; returns the rows it ends with (NULL on failure). */
static GStrv
replay_on_sqlite (const PlannerCase *c,
                  RetortPlan        *plan,
                  GString           *problems)
{
  sqlite3 *db = NULL;
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_free);
  GStrv result = NULL;

  if (sqlite3_open (":memory:", &db) != SQLITE_OK)
    {
      g_string_append_printf (problems, "cannot open SQLite: %s\n", sqlite3_errmsg (db));
      goto out;
    }
  if (!sql_exec (db, version_table_ddl, problems))
    goto out;
  for (guint i = 0; c->rows[i] != NULL; i++)
    {
      char *sql = sqlite3_mprintf ("INSERT INTO alembic_version (version_num) VALUES (%Q)",
                                   c->rows[i]);
      gboolean ok = sql_exec (db, sql, problems);
      sqlite3_free (sql);
      if (!ok)
        goto out;
    }
  if (retort_plan_get_purge (plan) && !sql_exec (db, "DELETE FROM alembic_version", problems))
    goto out;

  for (guint s = 0; s < retort_plan_get_n_steps (plan); s++)
    {
      RetortPlanStep *step = retort_plan_get_step (plan, s);
      for (guint o = 0; o < step->version_ops->len; o++)
        {
          RetortVersionOp *op = g_ptr_array_index (step->version_ops, o);
          g_autofree char *sql = retort_version_op_to_sql (op, "alembic_version");
          int changes;

          if (sql == NULL)
            {
              g_string_append_printf (problems, "step %u: no SQL for a %s\n", s,
                                      op_kind_name (op->kind));
              goto out;
            }
          if (!sql_exec (db, sql, problems))
            goto out;
          changes = sqlite3_changes (db);
          if (changes != 1)
            {
              g_string_append_printf (problems, "step %u: [%s] changed %d rows, not 1\n", s, sql,
                                      changes);
              goto out;
            }
        }
    }

  {
    char *message = NULL;
    if (sqlite3_exec (db, "SELECT alembic_version.version_num FROM alembic_version", collect_row,
                      rows, &message) != SQLITE_OK)
      {
        g_string_append_printf (problems, "cannot read the rows back: %s\n", message);
        sqlite3_free (message);
        goto out;
      }
  }
  g_ptr_array_add (rows, NULL);
  result = (GStrv) g_ptr_array_steal (rows, NULL);

out:
  sqlite3_close (db);
  return result;
}

/* One-line reason on the TAP "not ok" line, the details as "#" comments. */
static void
fail_with_details (GString *problems)
{
  g_auto(GStrv) lines = NULL;

  if (problems->len == 0)
    return;
  lines = g_strsplit (problems->str, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (*lines[i] != '\0')
      g_test_message ("%s", lines[i]);
  g_test_fail_printf ("%s", lines[0]);
}

static void
test_case (gconstpointer data)
{
  const PlannerCase *c = data;
  g_autofree char *dir = g_build_filename (fixtures_dir, c->fixture, NULL);
  g_autoptr(RetortScriptDir) script_dir = NULL;
  g_autoptr(RetortPlan) plan = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) described = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) problems = g_string_new (NULL);
  g_autofree char *expected_rows = sorted_ids ((const char * const *) c->final_rows);
  RetortRevisionMap *map;

  script_dir = retort_script_dir_new_from_directory (dir, &error);
  g_assert_no_error (error);
  if (!retort_script_dir_load (script_dir, &error))
    {
      g_test_fail_printf ("fixture %s does not load: %s", c->fixture, error->message);
      return;
    }
  map = retort_script_dir_get_map (script_dir);

  plan = build_plan (c, map, &error);

  if (c->result == RESULT_FAILED)
    {
      if (plan != NULL)
        {
          for (guint s = 0; s < retort_plan_get_n_steps (plan); s++)
            g_ptr_array_add (described, retort_plan_step_describe (retort_plan_get_step (plan, s)));
          {
            g_autofree char *steps = join_lines (described, FALSE);
            g_autofree char *rows = sorted_ids (retort_plan_get_final_rows (plan));
            g_string_append_printf (problems, "Alembic failed but Retort plans a migration\n"
                                    "  Alembic: %s\n  Retort plans:\n%s  final rows [%s]\n",
                                    c->error, steps, rows);
          }
          fail_with_details (problems);
          return;
        }
      if (error == NULL)
        {
          g_test_fail_printf ("Alembic failed (%s); Retort returned no plan and no error", c->error);
          return;
        }
      g_test_message ("Alembic: %s", c->error);
      g_test_message ("Retort:  %s", error->message);
      return;
    }

  if (plan == NULL)
    {
      g_test_fail_printf ("Retort failed: %s", error != NULL ? error->message : "(no GError)");
      return;
    }

  for (guint s = 0; s < retort_plan_get_n_steps (plan); s++)
    g_ptr_array_add (described, retort_plan_step_describe (retort_plan_get_step (plan, s)));
  if (!same_lines (described, c->steps, c->order_any))
    {
      g_autofree char *want = join_lines (c->steps, FALSE);
      g_autofree char *got = join_lines (described, FALSE);
      g_string_append_printf (problems, "steps differ%s\n  Alembic ran:\n%s  Retort plans:\n%s",
                              c->order_any ? " (as a multiset)" : "", want, got);
    }

  {
    g_autofree char *planned = sorted_ids (retort_plan_get_final_rows (plan));
    if (strcmp (planned, expected_rows) != 0)
      g_string_append_printf (problems, "final rows differ: expected [%s], Retort plans [%s]\n",
                              expected_rows, planned);
  }

  {
    g_auto(GStrv) replayed = replay_on_sqlite (c, plan, problems);
    if (replayed != NULL)
      {
        g_autofree char *got = sorted_ids ((const char * const *) replayed);
        if (strcmp (got, expected_rows) != 0)
          g_string_append_printf (problems, "replaying the version_ops on SQLite leaves [%s], "
                                  "expected [%s]\n", got, expected_rows);
      }
  }

  if (c->result == RESULT_FOLLOWS_HEAD)
    {
      g_autofree char *old = sorted_ids ((const char * const *) c->alembic_final);
      g_test_message ("Alembic #1373: 1.8.1 leaves [%s]; current Alembic and Retort [%s]", old,
                      expected_rows);
    }

  fail_with_details (problems);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GPtrArray) cases = g_ptr_array_new_with_free_func ((GDestroyNotify) planner_case_free);
  g_autoptr(GError) error = NULL;

  g_test_init (&argc, &argv, NULL);
  if (argc != 3)
    {
      g_printerr ("usage: %s [GTest options] CASES.TXT FIXTURES-DIR\n", argv[0]);
      return 2;
    }
  fixtures_dir = argv[2];
  if (!parse_cases (argv[1], cases, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  for (guint i = 0; i < cases->len; i++)
    {
      PlannerCase *c = g_ptr_array_index (cases, i);
      g_autofree char *path = g_strconcat ("/planner/", c->name, NULL);
      g_test_add_data_func (path, c, test_case);
    }
  return g_test_run ();
}
