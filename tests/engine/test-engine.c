/* test-engine.c — runs on real databases: SQLite files and a throwaway
 * PostgreSQL cluster (tests/pg/with-postgres.sh sets RETORT_TEST_PG).
 * Every behaviour is checked on both unless it only exists on one. */
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>

#include "retort-core.h"

static char *tmpdir;
static guint db_counter;

typedef struct {
  RetortDialect      dialect;
  char              *name;        /* database name or file */
  char              *url;
  char              *script_dir;
  RetortScriptDir   *dir;
} Fixture;

/* r3's body is what each test varies */
static const char *r3_default = "CREATE TABLE t3 (id integer);";

static void
write_revision (const char *versions,
                const char *id,
                const char *down,
                const char *upgrade,
                const char *downgrade)
{
  g_autofree char *path = g_strdup_printf ("%s/%s.sql", versions, id);
  g_autofree char *text = g_strdup_printf ("-- revision %s\n--\n-- Revision ID: %s\n-- Revises: %s\n\n"
                                           "-- retort:upgrade\n%s\n\n-- retort:downgrade\n%s\n",
                                           id, id, down, upgrade, downgrade);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
}

static RetortBackend *
admin_backend (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RetortDatabaseUrl) url = retort_database_url_parse (g_getenv ("RETORT_TEST_PG"), NULL, &error);
  RetortBackend *backend;

  g_assert_no_error (error);
  backend = retort_backend_new (url, &error);
  g_assert_true (retort_backend_open (backend, &error));
  g_assert_no_error (error);
  return backend;
}

static void
fixture_setup (Fixture       *fixture,
               RetortDialect  dialect,
               const char    *r3_body)
{
  g_autofree char *versions = NULL;
  g_autoptr(GError) error = NULL;
  guint n = ++db_counter;

  fixture->dialect = dialect;
  fixture->script_dir = g_strdup_printf ("%s/scripts%u", tmpdir, n);
  versions = g_build_filename (fixture->script_dir, "versions", NULL);
  g_mkdir_with_parents (versions, 0700);
  write_revision (versions, "r1", "", "CREATE TABLE t1 (id integer PRIMARY KEY, name varchar(20));",
                  "DROP TABLE t1;");
  write_revision (versions, "r2", "r1", "CREATE TABLE t2 (id integer);\nINSERT INTO t2 VALUES (1), (2), (3);",
                  "DROP TABLE t2;");
  write_revision (versions, "r3", "r2", r3_body, "DROP TABLE IF EXISTS t3;");
  write_revision (versions, "r4", "r3", "CREATE TABLE t4 (id integer);", "DROP TABLE t4;");
  fixture->dir = retort_script_dir_new_from_directory (fixture->script_dir, &error);
  g_assert_no_error (error);
  g_assert_true (retort_script_dir_load (fixture->dir, &error));

  if (dialect == RETORT_DIALECT_SQLITE)
    {
      fixture->name = g_strdup_printf ("%s/db%u.sqlite", tmpdir, n);
      fixture->url = g_strdup_printf ("sqlite:///%s", fixture->name);
    }
  else
    {
      g_autoptr(RetortBackend) admin = admin_backend ();
      g_autofree char *create = NULL;
      fixture->name = g_strdup_printf ("retort_test_%u", n);
      create = g_strdup_printf ("CREATE DATABASE %s", fixture->name);
      g_assert_true (retort_backend_execute (admin, create, NULL, &error));
      g_assert_no_error (error);
      fixture->url = g_strdup_printf ("%s dbname=%s", g_getenv ("RETORT_TEST_PG"), fixture->name);
    }
}

static void
fixture_teardown (Fixture *fixture)
{
  g_clear_object (&fixture->dir);
  g_free (fixture->name);
  g_free (fixture->url);
  g_free (fixture->script_dir);
}

static RetortBackend *
open_backend (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RetortDatabaseUrl) url = retort_database_url_parse (fixture->url, "/", &error);
  RetortBackend *backend;

  g_assert_no_error (error);
  backend = retort_backend_new (url, &error);
  g_assert_true (retort_backend_open (backend, &error));
  g_assert_no_error (error);
  return backend;
}

static char *
rows_of (Fixture *fixture)
{
  g_autoptr(RetortBackend) backend = open_backend (fixture);
  g_autoptr(GError) error = NULL;
  g_autoptr(RetortVersionState) state = retort_version_table_read (backend, NULL, "alembic_version", &error);

  g_assert_no_error (error);
  if (state->kind == RETORT_VERSION_STATE_EMPTY || state->kind == RETORT_VERSION_STATE_LEGACY)
    return g_strdup ("(no table)");
  return g_strjoinv (",", state->rows);
}

static gboolean
has_table (Fixture    *fixture,
           const char *table)
{
  g_autoptr(RetortBackend) backend = open_backend (fixture);
  g_autoptr(GError) error = NULL;
  gboolean exists = FALSE;

  retort_backend_table_exists (backend, NULL, table, &exists, &error);
  g_assert_no_error (error);
  return exists;
}

/* ---- running through the worker, as the app does ------------------------ */

typedef struct {
  GMainLoop    *loop;
  gboolean      done;
  gboolean      ok;
  GError       *error;
  guint         n_steps;
  guint         steps_started;
  guint         statements;
  GPtrArray    *notices;
  GCancellable *cancel_at_step;   /* cancelled when step `cancel_index` starts */
  guint         cancel_index;
  char         *terminate_db;     /* pg_terminate_backend the run when step cancel_index starts */
} RunResult;

static void
result_clear (RunResult *result)
{
  g_clear_pointer (&result->loop, g_main_loop_unref);
  g_clear_error (&result->error);
  g_clear_pointer (&result->notices, g_ptr_array_unref);
  g_clear_object (&result->cancel_at_step);
  g_clear_pointer (&result->terminate_db, g_free);
}

static gboolean
cancel_later (gpointer data)
{
  g_cancellable_cancel (data);
  return G_SOURCE_REMOVE;
}

static gboolean
terminate_later (gpointer data)
{
  RunResult *result = data;
  g_autoptr(RetortBackend) admin = admin_backend ();
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = g_strdup_printf ("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                          "WHERE datname = '%s' AND application_name = 'retort'",
                                          result->terminate_db);
  g_autoptr(GPtrArray) killed = retort_backend_query_column (admin, sql, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (killed->len, ==, 1);
  return G_SOURCE_REMOVE;
}

static void
on_started (RetortRun *run, guint n_steps, gpointer data)
{
  ((RunResult *) data)->n_steps = n_steps;
}

static void
on_step_started (RetortRun *run, guint index, guint n_steps, const char *description, gpointer data)
{
  RunResult *result = data;

  result->steps_started++;
  if (index == result->cancel_index && result->cancel_at_step != NULL)
    g_timeout_add (300, cancel_later, result->cancel_at_step);
  if (index == result->cancel_index && result->terminate_db != NULL)
    g_timeout_add (300, terminate_later, result);
}

static void
on_statement (RetortRun *run, const char *sql, guint line, gint64 duration, gint64 rows, gpointer data)
{
  ((RunResult *) data)->statements++;
}

static void
on_notice (RetortRun *run, const char *severity, const char *message, gpointer data)
{
  g_ptr_array_add (((RunResult *) data)->notices, g_strdup_printf ("%s: %s", severity, message));
}

static void
on_done (GObject *source, GAsyncResult *res, gpointer data)
{
  RunResult *result = data;

  result->ok = retort_connection_run_finish (RETORT_CONNECTION (source), res, &result->error);
  result->done = TRUE;
  g_main_loop_quit (result->loop);
}

static void
run_on (Fixture               *fixture,
        RetortRunOperation     operation,
        const char            *target,
        RetortTransactionMode  mode,
        RunResult             *result)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RetortDatabaseUrl) url = retort_database_url_parse (fixture->url, "/", &error);
  g_autoptr(RetortConnection) connection = retort_connection_new (url);
  const char *targets[] = { target, NULL };
  g_autoptr(RetortRun) run = retort_run_new (retort_script_dir_get_map (fixture->dir), operation, targets);
  GCancellable *cancellable = result->cancel_at_step;

  g_assert_no_error (error);
  result->loop = g_main_loop_new (NULL, FALSE);
  result->notices = g_ptr_array_new_with_free_func (g_free);
  retort_run_set_transaction_mode (run, mode);
  retort_run_set_lock_wait (run, 300);
  g_signal_connect (run, "started", G_CALLBACK (on_started), result);
  g_signal_connect (run, "step-started", G_CALLBACK (on_step_started), result);
  g_signal_connect (run, "statement", G_CALLBACK (on_statement), result);
  g_signal_connect (run, "notice", G_CALLBACK (on_notice), result);
  retort_connection_run_async (connection, run, cancellable, on_done, result);
  if (!result->done)
    g_main_loop_run (result->loop);
}

/* ---- tests -------------------------------------------------------------------- */

static RetortDialect
dialect_of (gconstpointer data)
{
  return GPOINTER_TO_INT (data);
}

static gboolean
skip_without_pg (RetortDialect dialect)
{
  if (dialect == RETORT_DIALECT_POSTGRESQL && g_getenv ("RETORT_TEST_PG") == NULL)
    {
      g_test_skip ("no PostgreSQL: run through tests/pg/with-postgres.sh");
      return TRUE;
    }
  return FALSE;
}

static void
test_upgrade_downgrade (gconstpointer data)
{
  Fixture f = { 0 };
  RunResult up = { 0 }, down = { 0 };
  g_autofree char *rows = NULL;
  g_autofree char *rows_after = NULL;

  if (skip_without_pg (dialect_of (data)))
    return;
  fixture_setup (&f, dialect_of (data), r3_default);
  g_assert_true (!has_table (&f, "alembic_version"));

  run_on (&f, RETORT_RUN_UPGRADE, "head", RETORT_TRANSACTION_AUTO, &up);
  g_assert_no_error (up.error);
  g_assert_cmpuint (up.n_steps, ==, 4);
  g_assert_cmpuint (up.steps_started, ==, 4);
  g_assert_cmpuint (up.statements, >=, 9);  /* version table, 5 DDL/DML, 4 version changes */
  rows = rows_of (&f);
  g_assert_cmpstr (rows, ==, "r4");
  g_assert_true (has_table (&f, "t1") && has_table (&f, "t4"));

  run_on (&f, RETORT_RUN_DOWNGRADE, "base", RETORT_TRANSACTION_AUTO, &down);
  g_assert_no_error (down.error);
  rows_after = rows_of (&f);
  g_assert_cmpstr (rows_after, ==, "");          /* the table stays, empty, as in Alembic */
  g_assert_false (has_table (&f, "t1"));

  result_clear (&up);
  result_clear (&down);
  fixture_teardown (&f);
}

static void
check_failure (RetortDialect          dialect,
               RetortTransactionMode  mode,
               const char            *expected_rows)
{
  Fixture f = { 0 };
  RunResult result = { 0 };
  g_autofree char *rows = NULL;

  fixture_setup (&f, dialect, "CREATE TABLE t3 (id integer);\n\nINSERT INTO no_such_table VALUES (1);");
  run_on (&f, RETORT_RUN_UPGRADE, "head", mode, &result);
  g_assert_false (result.ok);
  g_assert_error (result.error, RETORT_DATABASE_ERROR, RETORT_DATABASE_ERROR_STATEMENT);
  /* the revision, the file's line, the statement and the server's code */
  g_assert_nonnull (strstr (result.error->message, "upgrade r2 -> r3"));
  g_assert_nonnull (strstr (result.error->message, "no_such_table"));
  g_assert_cmpuint (retort_database_error_get_line (result.error), ==, 9);
  g_assert_cmpstr (retort_database_error_get_statement (result.error), ==, "INSERT INTO no_such_table VALUES (1)");
  g_assert_cmpstr (retort_database_error_get_sqlstate (result.error), ==,
                   dialect == RETORT_DIALECT_POSTGRESQL ? "42P01" : "SQLITE_1");
  rows = rows_of (&f);
  g_assert_cmpstr (rows, ==, expected_rows);
  g_assert_false (has_table (&f, "t3"));
  g_assert_cmpint (has_table (&f, "t2"), ==, strcmp (expected_rows, "r2") == 0);
  result_clear (&result);
  fixture_teardown (&f);
}

static void
test_failure_rolls_back (gconstpointer data)
{
  RetortDialect dialect = dialect_of (data);

  if (skip_without_pg (dialect))
    return;
  /* one transaction: nothing happened, not even the version table */
  check_failure (dialect, RETORT_TRANSACTION_WHOLE_RUN, "(no table)");
  /* one per revision: r1 and r2 stay, and the table says so */
  check_failure (dialect, RETORT_TRANSACTION_PER_REVISION, "r2");
}

static void
test_cancel (gconstpointer data)
{
  RetortDialect dialect = dialect_of (data);
  Fixture f = { 0 };
  RunResult result = { 0 };
  g_autofree char *rows = NULL;
  gint64 began;

  if (skip_without_pg (dialect))
    return;
  fixture_setup (&f, dialect, dialect == RETORT_DIALECT_POSTGRESQL
                 ? "SELECT pg_sleep(20);"
                 : "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c;");
  result.cancel_at_step = g_cancellable_new ();
  result.cancel_index = 2;
  began = g_get_monotonic_time ();
  run_on (&f, RETORT_RUN_UPGRADE, "head", RETORT_TRANSACTION_WHOLE_RUN, &result);
  g_assert_false (result.ok);
  g_assert_error (result.error, RETORT_DATABASE_ERROR, RETORT_DATABASE_ERROR_CANCELLED);
  g_assert_cmpint (g_get_monotonic_time () - began, <, 10 * G_USEC_PER_SEC);
  rows = rows_of (&f);
  g_assert_cmpstr (rows, ==, "(no table)");
  g_assert_false (has_table (&f, "t1"));
  result_clear (&result);
  fixture_teardown (&f);
}

static void
test_lock_held (gconstpointer data)
{
  RetortDialect dialect = dialect_of (data);
  Fixture f = { 0 };
  RunResult blocked = { 0 }, after = { 0 };
  g_autoptr(RetortBackend) holder = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *rows = NULL;

  if (skip_without_pg (dialect))
    return;
  fixture_setup (&f, dialect, r3_default);
  holder = open_backend (&f);
  g_assert_true (retort_backend_lock (holder, "alembic_version", 1000, &error));
  g_assert_no_error (error);

  run_on (&f, RETORT_RUN_UPGRADE, "head", RETORT_TRANSACTION_AUTO, &blocked);
  g_assert_error (blocked.error, RETORT_DATABASE_ERROR, RETORT_DATABASE_ERROR_LOCKED);
  if (dialect == RETORT_DIALECT_POSTGRESQL)
    g_assert_nonnull (strstr (blocked.error->message, "application retort"));  /* who holds it */

  retort_backend_unlock (holder, "alembic_version");
  retort_backend_close (holder);
  /* SQLite's lock is the file's write lock, so look only once it is released */
  g_assert_false (has_table (&f, "t1"));
  run_on (&f, RETORT_RUN_UPGRADE, "head", RETORT_TRANSACTION_AUTO, &after);
  g_assert_no_error (after.error);
  rows = rows_of (&f);
  g_assert_cmpstr (rows, ==, "r4");
  result_clear (&blocked);
  result_clear (&after);
  fixture_teardown (&f);
}

static void
on_second_done (GObject *source, GAsyncResult *res, gpointer data)
{
  GError **error = data;
  g_assert_false (retort_connection_run_finish (RETORT_CONNECTION (source), res, error));
}

static void
test_one_run_per_connection (gconstpointer data)
{
  RetortDialect dialect = dialect_of (data);
  Fixture f = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) second_error = NULL;
  g_autoptr(RetortDatabaseUrl) url = NULL;
  g_autoptr(RetortConnection) connection = NULL;
  g_autoptr(RetortRun) first = NULL;
  g_autoptr(RetortRun) second = NULL;
  RunResult result = { 0 };
  const char *head[] = { "head", NULL };

  if (skip_without_pg (dialect))
    return;
  fixture_setup (&f, dialect, r3_default);
  url = retort_database_url_parse (f.url, "/", &error);
  connection = retort_connection_new (url);
  first = retort_run_new (retort_script_dir_get_map (f.dir), RETORT_RUN_UPGRADE, head);
  second = retort_run_new (retort_script_dir_get_map (f.dir), RETORT_RUN_UPGRADE, head);
  result.loop = g_main_loop_new (NULL, FALSE);
  retort_connection_run_async (connection, first, NULL, on_done, &result);
  g_assert_true (retort_connection_is_busy (connection));
  retort_connection_run_async (connection, second, NULL, on_second_done, &second_error);
  g_main_loop_run (result.loop);
  while (second_error == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (result.error);
  g_assert_error (second_error, RETORT_DATABASE_ERROR, RETORT_DATABASE_ERROR_LOCKED);
  g_assert_nonnull (strstr (second_error->message, "already in progress"));
  result_clear (&result);
  fixture_teardown (&f);
}

static void
test_unknown_row (gconstpointer data)
{
  RetortDialect dialect = dialect_of (data);
  Fixture f = { 0 };
  RunResult result = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *rows = NULL;

  if (skip_without_pg (dialect))
    return;
  fixture_setup (&f, dialect, r3_default);
  {
    g_autoptr(RetortBackend) backend = open_backend (&f);
    g_autofree char *create = retort_version_table_create_sql (NULL, "alembic_version", FALSE);
    g_assert_true (retort_backend_execute (backend, create, NULL, &error));
    g_assert_true (retort_backend_execute (backend, "INSERT INTO alembic_version VALUES ('zzzz')", NULL, &error));
    g_assert_no_error (error);
  }
  run_on (&f, RETORT_RUN_UPGRADE, "head", RETORT_TRANSACTION_AUTO, &result);
  g_assert_error (result.error, RETORT_PLAN_ERROR, RETORT_PLAN_ERROR_UNKNOWN_ROW);
  g_assert_nonnull (strstr (result.error->message, "'zzzz'"));
  rows = rows_of (&f);
  g_assert_cmpstr (rows, ==, "zzzz");
  g_assert_false (has_table (&f, "t1"));
  result_clear (&result);
  fixture_teardown (&f);
}

static void
test_states (gconstpointer data)
{
  RetortDialect dialect = dialect_of (data);
  Fixture f = { 0 };
  RunResult up = { 0 }, down = { 0 };
  g_autoptr(GError) error = NULL;

  if (skip_without_pg (dialect))
    return;
  fixture_setup (&f, dialect, r3_default);
  {
    g_autoptr(RetortBackend) backend = open_backend (&f);
    g_autoptr(RetortVersionState) empty = retort_version_table_read (backend, NULL, "alembic_version", &error);
    g_autoptr(RetortVersionState) legacy = NULL;
    g_assert_cmpint (empty->kind, ==, RETORT_VERSION_STATE_EMPTY);
    g_assert_true (retort_backend_execute (backend, "CREATE TABLE customers (id integer)", NULL, &error));
    legacy = retort_version_table_read (backend, NULL, "alembic_version", &error);
    g_assert_no_error (error);
    g_assert_cmpint (legacy->kind, ==, RETORT_VERSION_STATE_LEGACY);
    g_assert_cmpuint (legacy->other_tables, ==, 1);
  }
  run_on (&f, RETORT_RUN_UPGRADE, "r2", RETORT_TRANSACTION_AUTO, &up);
  g_assert_no_error (up.error);
  run_on (&f, RETORT_RUN_DOWNGRADE, "base", RETORT_TRANSACTION_AUTO, &down);
  g_assert_no_error (down.error);
  {
    g_autoptr(RetortBackend) backend = open_backend (&f);
    g_autoptr(RetortVersionState) base = retort_version_table_read (backend, NULL, "alembic_version", &error);
    g_assert_cmpint (base->kind, ==, RETORT_VERSION_STATE_BASE);
    g_assert_cmpuint (base->other_tables, ==, 1);
  }
  result_clear (&up);
  result_clear (&down);
  fixture_teardown (&f);
}

static void
test_stamp (gconstpointer data)
{
  RetortDialect dialect = dialect_of (data);
  Fixture f = { 0 };
  RunResult stamp = { 0 }, up = { 0 };
  g_autofree char *rows = NULL;
  g_autofree char *rows_after = NULL;

  if (skip_without_pg (dialect))
    return;
  fixture_setup (&f, dialect, r3_default);
  run_on (&f, RETORT_RUN_STAMP, "r3", RETORT_TRANSACTION_AUTO, &stamp);
  g_assert_no_error (stamp.error);
  rows = rows_of (&f);
  g_assert_cmpstr (rows, ==, "r3");
  g_assert_false (has_table (&f, "t1"));  /* a stamp runs no revision */
  run_on (&f, RETORT_RUN_UPGRADE, "head", RETORT_TRANSACTION_AUTO, &up);
  g_assert_no_error (up.error);
  rows_after = rows_of (&f);
  g_assert_cmpstr (rows_after, ==, "r4");
  g_assert_true (has_table (&f, "t4"));
  result_clear (&stamp);
  result_clear (&up);
  fixture_teardown (&f);
}

static void
on_state_read (GObject *source, GAsyncResult *res, gpointer data)
{
  RetortVersionState **state = data;
  g_autoptr(GError) error = NULL;

  *state = retort_connection_read_state_finish (RETORT_CONNECTION (source), res, &error);
  g_assert_no_error (error);
}

static void
test_read_state_async (gconstpointer data)
{
  /* what the app's status checks use: the state, off the main thread */
  RetortDialect dialect = dialect_of (data);
  Fixture f = { 0 };
  RunResult up = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(RetortDatabaseUrl) url = NULL;
  g_autoptr(RetortConnection) connection = NULL;
  RetortVersionState *before = NULL, *after = NULL;

  if (skip_without_pg (dialect))
    return;
  fixture_setup (&f, dialect, r3_default);
  url = retort_database_url_parse (f.url, "/", &error);
  connection = retort_connection_new (url);
  retort_connection_read_state_async (connection, NULL, "alembic_version", G_PRIORITY_DEFAULT, NULL, on_state_read, &before);
  while (before == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (before->kind, ==, RETORT_VERSION_STATE_EMPTY);
  run_on (&f, RETORT_RUN_UPGRADE, "r2", RETORT_TRANSACTION_AUTO, &up);
  g_assert_no_error (up.error);
  retort_connection_read_state_async (connection, NULL, "alembic_version", G_PRIORITY_DEFAULT, NULL, on_state_read, &after);
  while (after == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (after->kind, ==, RETORT_VERSION_STATE_VERSIONED);
  g_assert_cmpstr (after->rows[0], ==, "r2");
  g_assert_null (after->rows[1]);
  retort_version_state_free (before);
  retort_version_state_free (after);
  result_clear (&up);
  fixture_teardown (&f);
}

static void
test_needs_python (gconstpointer data)
{
  RetortDialect dialect = dialect_of (data);
  Fixture f = { 0 };
  RunResult result = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *versions = NULL;
  g_autofree char *path = NULL;
  g_autofree char *rows = NULL;

  if (skip_without_pg (dialect))
    return;
  fixture_setup (&f, dialect, r3_default);
  /* an Alembic revision that needs Python, on top: refused before anything runs */
  versions = g_build_filename (f.script_dir, "versions", NULL);
  path = g_build_filename (versions, "r5_py.py", NULL);
  g_file_set_contents (path, "revision = 'r5'\ndown_revision = 'r4'\n\n"
                             "def upgrade():\n    op.create_table('t5')\n\n"
                             "def downgrade():\n    op.drop_table('t5')\n", -1, &error);
  g_assert_true (retort_script_dir_load (f.dir, &error));
  g_assert_no_error (error);
  run_on (&f, RETORT_RUN_UPGRADE, "head", RETORT_TRANSACTION_PER_REVISION, &result);
  g_assert_error (result.error, RETORT_DATABASE_ERROR, RETORT_DATABASE_ERROR_STATEMENT);
  g_assert_nonnull (strstr (result.error->message, "r5_py.py"));
  g_assert_nonnull (strstr (result.error->message, "op.create_table('t5')"));
  g_assert_cmpuint (result.steps_started, ==, 0);
  rows = rows_of (&f);
  g_assert_cmpstr (rows, ==, "(no table)");
  result_clear (&result);
  fixture_teardown (&f);
}

static void
test_pg_notice_and_concurrently (void)
{
  Fixture f = { 0 };
  RunResult result = { 0 };

  if (skip_without_pg (RETORT_DIALECT_POSTGRESQL))
    return;
  fixture_setup (&f, RETORT_DIALECT_POSTGRESQL,
                 "CREATE TABLE t3 (id integer);\n\n"
                 "-- retort:upgrade sqlite\n"
                 "SELECT no_such_function_on_purpose();\n\n"
                 "-- retort:upgrade postgresql\n"
                 "DO $$ BEGIN RAISE NOTICE 'hello from r3'; END $$;\n\n"
                 "-- retort:upgrade postgresql no-transaction\n"
                 "CREATE INDEX CONCURRENTLY t2_id ON t2 (id);");
  /* r3: a section for every dialect, one for sqlite (skipped here), two for postgresql */
  run_on (&f, RETORT_RUN_UPGRADE, "head", RETORT_TRANSACTION_WHOLE_RUN, &result);
  g_assert_no_error (result.error);
  g_assert_cmpuint (result.notices->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (result.notices, 0), ==, "NOTICE: hello from r3");
  g_assert_true (has_table (&f, "t3"));
  result_clear (&result);
  fixture_teardown (&f);
}

static void
test_pg_version_table_schema (void)
{
  /* version_table_schema/version_table from alembic.ini: the table lives there */
  Fixture f = { 0 };
  RunResult result = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(RetortDatabaseUrl) url = NULL;
  g_autoptr(RetortConnection) connection = NULL;
  g_autoptr(RetortRun) run = NULL;
  const char *head[] = { "head", NULL };

  if (skip_without_pg (RETORT_DIALECT_POSTGRESQL))
    return;
  fixture_setup (&f, RETORT_DIALECT_POSTGRESQL, r3_default);
  {
    g_autoptr(RetortBackend) backend = open_backend (&f);
    g_assert_true (retort_backend_execute (backend, "CREATE SCHEMA meta", NULL, &error));
    g_assert_no_error (error);
  }
  url = retort_database_url_parse (f.url, "/", &error);
  connection = retort_connection_new (url);
  run = retort_run_new (retort_script_dir_get_map (f.dir), RETORT_RUN_UPGRADE, head);
  retort_run_set_version_table (run, "meta", "versions");
  result.loop = g_main_loop_new (NULL, FALSE);
  retort_connection_run_async (connection, run, NULL, on_done, &result);
  g_main_loop_run (result.loop);
  g_assert_no_error (result.error);
  {
    g_autoptr(RetortBackend) backend = open_backend (&f);
    g_autoptr(GPtrArray) rows = retort_backend_query_column (backend, "SELECT version_num FROM meta.versions", &error);
    g_autoptr(GPtrArray) pk = retort_backend_query_column (
      backend, "SELECT conname FROM pg_constraint WHERE conrelid = 'meta.versions'::regclass", &error);
    g_assert_no_error (error);
    g_assert_cmpuint (rows->len, ==, 1);
    g_assert_cmpstr (g_ptr_array_index (rows, 0), ==, "r4");
    g_assert_cmpstr (g_ptr_array_index (pk, 0), ==, "versions_pkc");  /* named after the table, as Alembic does */
    g_assert_false (has_table (&f, "alembic_version"));
  }
  result_clear (&result);
  fixture_teardown (&f);
}

static void
test_pg_terminated (void)
{
  Fixture f = { 0 };
  RunResult result = { 0 };
  g_autofree char *rows = NULL;

  if (skip_without_pg (RETORT_DIALECT_POSTGRESQL))
    return;
  fixture_setup (&f, RETORT_DIALECT_POSTGRESQL, "SELECT pg_sleep(20);");
  result.cancel_index = 2;
  result.terminate_db = g_strdup (f.name);
  run_on (&f, RETORT_RUN_UPGRADE, "head", RETORT_TRANSACTION_WHOLE_RUN, &result);
  g_assert_error (result.error, RETORT_DATABASE_ERROR, RETORT_DATABASE_ERROR_CONNECTION_LOST);
  rows = rows_of (&f);
  g_assert_cmpstr (rows, ==, "(no table)");  /* the server rolled the transaction back */
  result_clear (&result);
  fixture_teardown (&f);
}

static void
test_pg_statement_timeout (void)
{
  Fixture f = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(RetortDatabaseUrl) url = NULL;
  g_autoptr(RetortBackend) backend = NULL;
  g_autoptr(GPtrArray) value = NULL;

  if (skip_without_pg (RETORT_DIALECT_POSTGRESQL))
    return;
  fixture_setup (&f, RETORT_DIALECT_POSTGRESQL, r3_default);
  url = retort_database_url_parse (f.url, "/", &error);
  backend = retort_backend_new (url, &error);
  retort_backend_set_timeouts (backend, 1500, 200);
  g_assert_true (retort_backend_open (backend, &error));
  value = retort_backend_query_column (backend, "SHOW lock_timeout", &error);
  g_assert_cmpstr (g_ptr_array_index (value, 0), ==, "1500ms");
  g_assert_false (retort_backend_execute (backend, "SELECT pg_sleep(2)", NULL, &error));
  g_assert_error (error, RETORT_DATABASE_ERROR, RETORT_DATABASE_ERROR_STATEMENT);
  g_assert_cmpstr (retort_database_error_get_sqlstate (error), ==, "57014");
  fixture_teardown (&f);
}

static void
test_pg_connect_errors (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *conninfo = NULL;
  g_autoptr(RetortDatabaseUrl) url = NULL;
  g_autoptr(RetortBackend) backend = NULL;

  if (skip_without_pg (RETORT_DIALECT_POSTGRESQL))
    return;
  /* a port where nothing listens: a clear error naming host and port */
  url = retort_database_url_parse ("postgresql://someone:hunter2@127.0.0.1:1/nowhere?connect_timeout=2", NULL, &error);
  backend = retort_backend_new (url, &error);
  g_assert_false (retort_backend_open (backend, &error));
  g_assert_error (error, RETORT_DATABASE_ERROR, RETORT_DATABASE_ERROR_CONNECT);
  g_assert_nonnull (strstr (error->message, "127.0.0.1"));
  g_assert_null (strstr (error->message, "hunter2"));
  g_clear_error (&error);
  g_clear_object (&backend);
  g_clear_pointer (&url, retort_database_url_free);

  conninfo = g_strdup_printf ("%s dbname=does_not_exist", g_getenv ("RETORT_TEST_PG"));
  url = retort_database_url_parse (conninfo, NULL, &error);
  backend = retort_backend_new (url, &error);
  g_assert_false (retort_backend_open (backend, &error));
  g_assert_error (error, RETORT_DATABASE_ERROR, RETORT_DATABASE_ERROR_CONNECT);
  g_assert_nonnull (strstr (error->message, "does_not_exist"));
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int status;
  struct { const char *name; GTestDataFunc func; } both[] = {
    { "upgrade-downgrade", test_upgrade_downgrade },
    { "failure-rolls-back", test_failure_rolls_back },
    { "cancel", test_cancel },
    { "lock-held", test_lock_held },
    { "one-run-per-connection", test_one_run_per_connection },
    { "unknown-row", test_unknown_row },
    { "states", test_states },
    { "stamp", test_stamp },
    { "needs-python", test_needs_python },
    { "read-state-async", test_read_state_async },
  };

  g_test_init (&argc, &argv, NULL);
  tmpdir = g_dir_make_tmp ("retort-engine-XXXXXX", &error);
  g_assert_no_error (error);

  for (gsize i = 0; i < G_N_ELEMENTS (both); i++)
    {
      g_autofree char *sqlite_path = g_strdup_printf ("/engine/sqlite/%s", both[i].name);
      g_autofree char *pg_path = g_strdup_printf ("/engine/postgresql/%s", both[i].name);
      g_test_add_data_func (sqlite_path, GINT_TO_POINTER (RETORT_DIALECT_SQLITE), both[i].func);
      g_test_add_data_func (pg_path, GINT_TO_POINTER (RETORT_DIALECT_POSTGRESQL), both[i].func);
    }
  g_test_add_func ("/engine/postgresql/notice-and-concurrently", test_pg_notice_and_concurrently);
  g_test_add_func ("/engine/postgresql/terminated", test_pg_terminated);
  g_test_add_func ("/engine/postgresql/version-table-schema", test_pg_version_table_schema);
  g_test_add_func ("/engine/postgresql/statement-timeout", test_pg_statement_timeout);
  g_test_add_func ("/engine/postgresql/connect-errors", test_pg_connect_errors);
  status = g_test_run ();

  {
    g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", tmpdir);
    if (system (cmd) != 0)
      g_printerr ("could not remove %s\n", tmpdir);
  }
  g_free (tmpdir);
  return status;
}
