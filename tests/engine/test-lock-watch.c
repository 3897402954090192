/* test-lock-watch.c — a run that waits for a lock says so, and the lock watch
 * names who holds it: on real databases, SQLite files and a throwaway
 * PostgreSQL cluster (tests/pg/with-postgres.sh sets RETORT_TEST_PG). */
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "retort-core.h"

static char *tmpdir;
static guint counter;

typedef struct {
  RetortDialect    dialect;
  char            *url;
  char            *session_name;  /* the run's application_name */
  RetortScriptDir *dir;
} Fixture;

static void
write_file (const char *path,
            const char *text)
{
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
}

static RetortBackend *
open_url (const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RetortDatabaseUrl) url = retort_database_url_parse (text, "/", &error);
  RetortBackend *backend;

  g_assert_no_error (error);
  backend = retort_backend_new (url, &error);
  g_assert_true (retort_backend_open (backend, &error));
  g_assert_no_error (error);
  return backend;
}

static void
execute (RetortBackend *backend,
         const char    *sql)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (retort_backend_execute (backend, sql, NULL, &error));
  g_assert_no_error (error);
}

static char *
query_one (RetortBackend *backend,
           const char    *sql)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = retort_backend_query_column (backend, sql, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 1);
  return g_strdup (g_ptr_array_index (rows, 0));
}

static const char *alter_x = "ALTER TABLE x ADD COLUMN note text;";

/* a database with table x (one row, id 1), and one revision r1 that runs
 * `upgrade` (which touches x) */
static void
fixture_setup (Fixture       *fixture,
               RetortDialect  dialect,
               const char    *upgrade)
{
  guint n = ++counter;
  g_autofree char *scripts = g_strdup_printf ("%s/scripts%u", tmpdir, n);
  g_autofree char *versions = g_build_filename (scripts, "versions", NULL);
  g_autofree char *r1 = g_build_filename (versions, "r1.sql", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(RetortBackend) backend = NULL;
  g_autofree char *r1_text = g_strdup_printf ("-- touch x\n--\n-- Revision ID: r1\n-- Revises: \n\n"
                                              "-- retort:upgrade\n%s\n\n"
                                              "-- retort:downgrade\nSELECT 1;\n", upgrade);

  fixture->dialect = dialect;
  fixture->session_name = g_strdup_printf ("retort test run %d-%u", (int) getpid (), n);
  g_mkdir_with_parents (versions, 0700);
  write_file (r1, r1_text);
  fixture->dir = retort_script_dir_new_from_directory (scripts, &error);
  g_assert_no_error (error);
  g_assert_true (retort_script_dir_load (fixture->dir, &error));
  g_assert_no_error (error);

  if (dialect == RETORT_DIALECT_SQLITE)
    fixture->url = g_strdup_printf ("sqlite:///%s/db%u.sqlite", tmpdir, n);
  else
    {
      g_autoptr(RetortBackend) admin = open_url (g_getenv ("RETORT_TEST_PG"));
      g_autofree char *create = g_strdup_printf ("CREATE DATABASE retort_lock_%u", n);
      execute (admin, create);
      fixture->url = g_strdup_printf ("%s dbname=retort_lock_%u", g_getenv ("RETORT_TEST_PG"), n);
    }
  backend = open_url (fixture->url);
  execute (backend, "CREATE TABLE x (id integer)");
  execute (backend, "INSERT INTO x VALUES (1)");
}

static void
fixture_teardown (Fixture *fixture)
{
  g_clear_object (&fixture->dir);
  g_free (fixture->url);
  g_free (fixture->session_name);
}

static RetortDatabaseUrl *
run_url (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  RetortDatabaseUrl *url = retort_database_url_parse (fixture->url, "/", &error);

  g_assert_no_error (error);
  retort_database_url_set (url, "application_name", fixture->session_name);
  return url;
}

static char *
rows_of (Fixture *fixture)
{
  g_autoptr(RetortBackend) backend = open_url (fixture->url);
  g_autoptr(GError) error = NULL;
  g_autoptr(RetortVersionState) state = retort_version_table_read (backend, NULL, "alembic_version", &error);

  g_assert_no_error (error);
  if (state->kind == RETORT_VERSION_STATE_EMPTY || state->kind == RETORT_VERSION_STATE_LEGACY)
    return g_strdup ("(no table)");
  return g_strjoinv (",", state->rows);
}

/* ---- waiting on the main loop ---------------------------------------------- */

typedef gboolean (*Condition) (gpointer data);

typedef struct {
  GMainLoop *loop;
  Condition  condition;
  gpointer   data;
  gboolean   met;
  guint      check_id;
  guint      timeout_id;
} Wait;

static gboolean
check_wait (gpointer user_data)
{
  Wait *wait = user_data;

  if (wait->condition (wait->data))
    {
      wait->met = TRUE;
      wait->check_id = 0;
      g_main_loop_quit (wait->loop);
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static gboolean
give_up (gpointer user_data)
{
  Wait *wait = user_data;

  wait->timeout_id = 0;
  g_main_loop_quit (wait->loop);
  return G_SOURCE_REMOVE;
}

/* runs the main loop (which owns the context meanwhile) until the condition
 * holds or the time is up */
static gboolean
wait_until (Condition condition,
            gpointer  data,
            guint     timeout_ms)
{
  Wait wait = { g_main_loop_new (NULL, FALSE), condition, data, FALSE, 0, 0 };

  if (condition (data))
    {
      g_main_loop_unref (wait.loop);
      return TRUE;
    }
  wait.check_id = g_timeout_add (10, check_wait, &wait);
  wait.timeout_id = g_timeout_add (timeout_ms, give_up, &wait);
  g_main_loop_run (wait.loop);
  g_clear_handle_id (&wait.check_id, g_source_remove);
  g_clear_handle_id (&wait.timeout_id, g_source_remove);
  g_main_loop_unref (wait.loop);
  return wait.met;
}

static gboolean
never (gpointer data)
{
  return FALSE;
}

static void
spin (guint milliseconds)
{
  wait_until (never, NULL, milliseconds);
}

/* ---- a run, through the worker as the app does ------------------------------ */

typedef struct {
  RetortConnection *connection;
  RetortRun        *run;
  GCancellable     *cancellable;
  gboolean          done;
  gboolean          ok;
  GError           *error;
  GPtrArray        *lock_waits;   /* "waiting: holder" or "done" */
  GPtrArray        *logs;
  RetortBackend    *commit_on_wait;  /* commits this holder 300 ms after the wait starts */
} Run;

static void
on_lock_wait (RetortRun  *run,
              gboolean    waiting,
              const char *holder,
              gpointer    data);

static void
on_log (RetortRun  *run,
        const char *message,
        gpointer    data)
{
  g_ptr_array_add (((Run *) data)->logs, g_strdup (message));
}

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      data)
{
  Run *run = data;

  run->ok = retort_connection_run_finish (RETORT_CONNECTION (source), result, &run->error);
  run->done = TRUE;
}

static gboolean
commit_holder (gpointer data)
{
  execute (data, "COMMIT");
  return G_SOURCE_REMOVE;
}

static void
on_lock_wait (RetortRun  *run,
              gboolean    waiting,
              const char *holder,
              gpointer    data)
{
  Run *state = data;

  g_ptr_array_add (state->lock_waits, waiting ? g_strdup_printf ("waiting: %s", holder) : g_strdup ("done"));
  if (waiting && state->commit_on_wait != NULL)
    g_timeout_add (300, commit_holder, state->commit_on_wait);
}

static void
run_start (Run      *state,
           Fixture  *fixture,
           guint     lock_wait_ms)
{
  const char *head[] = { "head", NULL };

  if (state->connection == NULL)
    {
      g_autoptr(RetortDatabaseUrl) url = run_url (fixture);
      state->connection = retort_connection_new (url);
    }
  g_clear_object (&state->run);
  g_clear_object (&state->cancellable);
  g_clear_error (&state->error);
  g_clear_pointer (&state->lock_waits, g_ptr_array_unref);
  g_clear_pointer (&state->logs, g_ptr_array_unref);
  state->done = state->ok = FALSE;
  state->lock_waits = g_ptr_array_new_with_free_func (g_free);
  state->logs = g_ptr_array_new_with_free_func (g_free);
  state->cancellable = g_cancellable_new ();
  state->run = retort_run_new (retort_script_dir_get_map (fixture->dir), RETORT_RUN_UPGRADE, head);
  retort_run_set_lock_wait (state->run, lock_wait_ms);
  g_signal_connect (state->run, "lock-wait", G_CALLBACK (on_lock_wait), state);
  g_signal_connect (state->run, "log", G_CALLBACK (on_log), state);
  retort_connection_run_async (state->connection, state->run, state->cancellable, on_done, state);
}

static gboolean
run_is_done (gpointer data)
{
  return ((Run *) data)->done;
}

static gboolean
run_is_waiting (gpointer data)
{
  Run *state = data;
  return state->lock_waits->len > 0;
}

static void
run_clear (Run *state)
{
  g_clear_object (&state->run);
  g_clear_object (&state->connection);
  g_clear_object (&state->cancellable);
  g_clear_error (&state->error);
  g_clear_pointer (&state->lock_waits, g_ptr_array_unref);
  g_clear_pointer (&state->logs, g_ptr_array_unref);
}

static gboolean
logged (Run        *state,
        const char *prefix)
{
  for (guint i = 0; i < state->logs->len; i++)
    if (g_str_has_prefix (g_ptr_array_index (state->logs, i), prefix))
      return TRUE;
  return FALSE;
}

/* ---- the watch ------------------------------------------------------------- */

typedef struct {
  RetortLockWatch *watch;
  guint            changes;
} Watch;

static void
on_changed (RetortLockWatch *watch,
            gpointer         data)
{
  ((Watch *) data)->changes++;
}

static void
watch_start (Watch   *state,
             Fixture *fixture)
{
  g_autoptr(RetortDatabaseUrl) url = run_url (fixture);

  state->watch = retort_lock_watch_new (url, fixture->session_name, "alembic_version");
  g_signal_connect (state->watch, "changed", G_CALLBACK (on_changed), state);
  retort_lock_watch_start (state->watch, 100);
}

static gboolean
watch_has_holders (gpointer data)
{
  return retort_lock_watch_get_holders (((Watch *) data)->watch)->len > 0;
}

static gboolean
watch_is_empty (gpointer data)
{
  return !watch_has_holders (data);
}

static gboolean
skip_without_pg (void)
{
  if (g_getenv ("RETORT_TEST_PG") == NULL)
    {
      g_test_skip ("no PostgreSQL: run through tests/pg/with-postgres.sh");
      return TRUE;
    }
  return FALSE;
}

/* ---- tests -------------------------------------------------------------------- */

/* another session holds table x; the run's ALTER TABLE waits behind it */
static void
test_pg_table_lock (void)
{
  Fixture f = { 0 };
  Run run = { 0 };
  Watch watch = { 0 };
  g_autoptr(RetortBackend) holder = NULL;
  GPtrArray *holders;
  g_autofree char *holder_pid = NULL;
  g_autofree char *rows = NULL;
  RetortLockHolder *h;

  if (skip_without_pg ())
    return;
  fixture_setup (&f, RETORT_DIALECT_POSTGRESQL, alter_x);
  holder = open_url (f.url);
  holder_pid = query_one (holder, "SELECT pg_backend_pid()");
  execute (holder, "BEGIN");
  execute (holder, "LOCK TABLE x IN ACCESS EXCLUSIVE MODE");

  watch_start (&watch, &f);
  run_start (&run, &f, 30000);
  g_assert_true (wait_until (watch_has_holders, &watch, 10000));
  g_assert_false (run.done);

  holders = retort_lock_watch_get_holders (watch.watch);
  g_assert_cmpuint (holders->len, ==, 1);
  h = g_ptr_array_index (holders, 0);
  g_assert_cmpint (h->pid, ==, atoi (holder_pid));
  g_assert_cmpint (h->kind, ==, RETORT_LOCK_KIND_RELATION);
  g_assert_cmpstr (h->what, ==, "table public.x");
  g_assert_cmpstr (h->relation, ==, "public.x");
  g_assert_cmpstr (h->mode, ==, "AccessExclusiveLock");
  g_assert_false (h->queued);
  g_assert_cmpstr (h->query, ==, "LOCK TABLE x IN ACCESS EXCLUSIVE MODE");
  g_assert_cmpstr (h->state, ==, "idle in transaction");
  g_assert_cmpstr (h->application, ==, "retort");
  g_assert_cmpstr (h->user, ==, "postgres");
  g_assert_cmpstr (h->client, ==, "127.0.0.1");
  g_assert_cmpint (h->held_seconds, >=, 0);
  g_assert_cmpint (h->held_seconds, <, 60);
  g_assert_cmpuint (watch.changes, ==, 1);
  g_assert_null (retort_lock_watch_get_error (watch.watch));
  g_assert_cmpuint (run.lock_waits->len, ==, 0);  /* the migration lock was free */

  {
    /* a copy is a deep one */
    g_autoptr(RetortLockHolder) copy = retort_lock_holder_copy (h);
    g_assert_cmpstr (copy->what, ==, h->what);
    g_assert_true (copy->query != h->query);
  }

  execute (holder, "COMMIT");
  g_assert_true (wait_until (run_is_done, &run, 10000));
  g_assert_no_error (run.error);
  g_assert_true (run.ok);
  g_assert_true (wait_until (watch_is_empty, &watch, 10000));
  g_assert_cmpuint (watch.changes, ==, 2);
  rows = rows_of (&f);
  g_assert_cmpstr (rows, ==, "r1");

  retort_lock_watch_stop (watch.watch);
  g_clear_object (&watch.watch);
  run_clear (&run);
  fixture_teardown (&f);
}

/* another session updated the row the run's UPDATE needs; its statement is
 * long and spans lines */
static void
test_pg_row_lock (void)
{
  Fixture f = { 0 };
  Run run = { 0 };
  Watch watch = { 0 };
  g_autoptr(RetortBackend) holder = NULL;
  g_autoptr(GString) update = g_string_new ("UPDATE x\n   SET id = 2\n WHERE id = 1");
  g_autofree char *holder_pid = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *rows = NULL;
  GPtrArray *holders;
  RetortLockHolder *h;

  if (skip_without_pg ())
    return;
  fixture_setup (&f, RETORT_DIALECT_POSTGRESQL, "UPDATE x SET id = 3 WHERE id = 1;");
  holder = open_url (f.url);
  holder_pid = query_one (holder, "SELECT pg_backend_pid()");
  while (update->len < 300)
    g_string_append (update, "\n   AND id <> 42");
  execute (holder, "BEGIN");
  execute (holder, update->str);

  watch_start (&watch, &f);
  run_start (&run, &f, 30000);
  g_assert_true (wait_until (watch_has_holders, &watch, 10000));
  holders = retort_lock_watch_get_holders (watch.watch);
  g_assert_cmpuint (holders->len, ==, 1);
  h = g_ptr_array_index (holders, 0);
  g_assert_cmpint (h->pid, ==, atoi (holder_pid));
  g_assert_cmpint (h->kind, ==, RETORT_LOCK_KIND_ROW);
  g_assert_cmpstr (h->what, ==, "a row of table public.x");
  g_assert_cmpstr (h->relation, ==, "public.x");
  g_assert_cmpstr (h->mode, ==, "RowExclusiveLock");
  g_assert_false (h->queued);
  /* one line, the first 200 characters, then an ellipsis */
  g_assert_null (strchr (h->query, '\n'));
  g_assert_true (g_str_has_prefix (h->query, "UPDATE x SET id = 2 WHERE id = 1 AND id <> 42 AND"));
  g_assert_true (g_str_has_suffix (h->query, "…"));
  g_assert_cmpint (g_utf8_strlen (h->query, -1), ==, 201);

  execute (holder, "ROLLBACK");
  g_assert_true (wait_until (run_is_done, &run, 10000));
  g_assert_no_error (run.error);
  g_assert_true (wait_until (watch_is_empty, &watch, 10000));
  rows = rows_of (&f);
  g_assert_cmpstr (rows, ==, "r1");
  expected = query_one (holder, "SELECT string_agg(id::text, ',') FROM x");
  g_assert_cmpstr (expected, ==, "3");

  g_clear_object (&watch.watch);
  run_clear (&run);
  fixture_teardown (&f);
}

static gpointer
lock_x_and_commit (gpointer data)
{
  execute (data, "BEGIN");
  execute (data, "LOCK TABLE x IN ACCESS EXCLUSIVE MODE");
  execute (data, "COMMIT");
  return NULL;
}

static RetortLockHolder *
find_holder (GPtrArray  *holders,
             const char *pid)
{
  for (guint i = 0; i < holders->len; i++)
    {
      RetortLockHolder *holder = g_ptr_array_index (holders, i);
      if (holder->pid == atoi (pid))
        return holder;
    }
  g_error ("no holder with pid %s", pid);
}

static gboolean
watch_has_two (gpointer data)
{
  return retort_lock_watch_get_holders (((Watch *) data)->watch)->len == 2;
}

/* a reader holds x, and a session queued for x before the run blocks it too
 * without holding anything yet */
static void
test_pg_queued (void)
{
  Fixture f = { 0 };
  Run run = { 0 };
  Watch watch = { 0 };
  g_autoptr(RetortBackend) reader = NULL;
  g_autoptr(RetortBackend) queued = NULL;
  g_autofree char *reader_pid = NULL;
  g_autofree char *queued_pid = NULL;
  g_autofree char *rows = NULL;
  GThread *thread;
  GPtrArray *holders;
  RetortLockHolder *h;

  if (skip_without_pg ())
    return;
  fixture_setup (&f, RETORT_DIALECT_POSTGRESQL, alter_x);
  reader = open_url (f.url);
  queued = open_url (f.url);
  reader_pid = query_one (reader, "SELECT pg_backend_pid()");
  queued_pid = query_one (queued, "SELECT pg_backend_pid()");
  execute (reader, "BEGIN");
  execute (reader, "SELECT count(*) FROM x");
  thread = g_thread_new ("queued", lock_x_and_commit, queued);
  for (;;)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM pg_locks WHERE pid = %s AND NOT granted", queued_pid);
      g_autofree char *waiting = query_one (reader, sql);
      if (strcmp (waiting, "1") == 0)
        break;
      g_usleep (20 * 1000);
    }

  watch_start (&watch, &f);
  run_start (&run, &f, 30000);
  g_assert_true (wait_until (watch_has_two, &watch, 10000));
  holders = retort_lock_watch_get_holders (watch.watch);
  h = find_holder (holders, reader_pid);
  g_assert_cmpstr (h->what, ==, "table public.x");
  g_assert_cmpstr (h->mode, ==, "AccessShareLock");
  g_assert_false (h->queued);
  h = find_holder (holders, queued_pid);
  g_assert_cmpstr (h->what, ==, "table public.x");
  g_assert_cmpstr (h->mode, ==, "AccessExclusiveLock");
  g_assert_true (h->queued);
  g_assert_cmpstr (h->state, ==, "active");

  execute (reader, "COMMIT");
  g_thread_join (thread);
  g_assert_true (wait_until (run_is_done, &run, 10000));
  g_assert_no_error (run.error);
  rows = rows_of (&f);
  g_assert_cmpstr (rows, ==, "r1");

  g_clear_object (&watch.watch);
  run_clear (&run);
  fixture_teardown (&f);
}

/* another migration holds the migration lock: the run says so, the watch
 * names it, and cancel ends the wait with nothing changed */
static void
test_pg_migration_lock (void)
{
  Fixture f = { 0 };
  Run run = { 0 };
  Watch watch = { 0 };
  g_autoptr(RetortBackend) elsewhere = NULL;
  g_autoptr(RetortBackend) holder = NULL;
  GPtrArray *holders;
  g_autoptr(GError) error = NULL;
  g_autofree char *holder_pid = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *rows = NULL;
  g_autofree char *rows_after = NULL;
  RetortLockHolder *h;
  gint64 cancelled_at;

  if (skip_without_pg ())
    return;
  fixture_setup (&f, RETORT_DIALECT_POSTGRESQL, alter_x);
  /* a migration of another database on the server, with the same key: not
   * this database's holder (advisory locks are per database) */
  elsewhere = open_url (g_getenv ("RETORT_TEST_PG"));
  g_assert_true (retort_backend_lock (elsewhere, "alembic_version", 0, &error));
  g_assert_no_error (error);
  holder = open_url (f.url);
  holder_pid = query_one (holder, "SELECT pg_backend_pid()");
  /* the same lock, taken the way every run takes it */
  g_assert_true (retort_backend_lock (holder, "alembic_version", 0, &error));
  g_assert_no_error (error);

  watch_start (&watch, &f);
  run_start (&run, &f, G_MAXUINT);  /* no limit: only cancel ends the wait */
  g_assert_true (wait_until (run_is_waiting, &run, 10000));
  expected = g_strdup_printf ("waiting: pid %s, user postgres, application retort from 127.0.0.1, since ", holder_pid);
  g_assert_true (g_str_has_prefix (g_ptr_array_index (run.lock_waits, 0), expected));
  g_assert_true (logged (&run, "Waiting for the migration lock held by pid "));

  g_assert_true (wait_until (watch_has_holders, &watch, 10000));
  holders = retort_lock_watch_get_holders (watch.watch);
  g_assert_cmpuint (holders->len, ==, 1);
  h = g_ptr_array_index (holders, 0);
  g_assert_cmpint (h->pid, ==, atoi (holder_pid));
  g_assert_cmpint (h->kind, ==, RETORT_LOCK_KIND_MIGRATION_LOCK);
  g_assert_cmpstr (h->what, ==, "the migration lock");
  g_assert_null (h->relation);
  g_assert_cmpstr (h->mode, ==, "ExclusiveLock");
  g_assert_cmpstr (h->application, ==, "retort");
  g_assert_true (g_str_has_prefix (h->query, "SELECT pg_try_advisory_lock("));
  g_assert_cmpstr (h->state, ==, "idle");

  spin (500);
  g_assert_false (run.done);
  cancelled_at = g_get_monotonic_time ();
  g_cancellable_cancel (run.cancellable);
  g_assert_true (wait_until (run_is_done, &run, 10000));
  g_assert_cmpint (g_get_monotonic_time () - cancelled_at, <, 2 * G_USEC_PER_SEC);
  g_assert_error (run.error, RETORT_DATABASE_ERROR, RETORT_DATABASE_ERROR_CANCELLED);
  g_assert_cmpuint (run.lock_waits->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (run.lock_waits, 1), ==, "done");
  rows = rows_of (&f);
  g_assert_cmpstr (rows, ==, "(no table)");
  /* the run's session stopped asking for the lock: nobody blocks it now */
  g_assert_true (wait_until (watch_is_empty, &watch, 10000));

  /* the next run on this connection is not taken for cancelled: the
   * interruption belonged to the last run. It waits and gives up... */
  run_start (&run, &f, 500);
  g_assert_true (wait_until (run_is_done, &run, 10000));
  g_assert_error (run.error, RETORT_DATABASE_ERROR, RETORT_DATABASE_ERROR_LOCKED);
  g_assert_nonnull (strstr (run.error->message, "gave up after 500 ms"));
  g_assert_cmpuint (run.lock_waits->len, ==, 2);
  /* ...or, once the other migration is over, runs */
  retort_backend_unlock (holder, "alembic_version");
  run_start (&run, &f, 5000);
  g_assert_true (wait_until (run_is_done, &run, 10000));
  g_assert_no_error (run.error);
  g_assert_cmpuint (run.lock_waits->len, ==, 0);
  rows_after = rows_of (&f);
  g_assert_cmpstr (rows_after, ==, "r1");

  g_clear_object (&watch.watch);  /* dropped while started: it stops on its own */
  run_clear (&run);
  fixture_teardown (&f);
}

/* SQLite: a connection holds the file's write lock; the run waits, says so,
 * and goes on once the holder commits */
static void
test_sqlite_lock_wait (void)
{
  Fixture f = { 0 };
  Run run = { 0 };
  g_autoptr(RetortBackend) holder = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *rows = NULL;

  fixture_setup (&f, RETORT_DIALECT_SQLITE, alter_x);
  holder = open_url (f.url);
  execute (holder, "BEGIN EXCLUSIVE");
  run.commit_on_wait = holder;
  run_start (&run, &f, 30000);
  g_assert_true (wait_until (run_is_done, &run, 20000));
  g_assert_no_error (run.error);
  g_assert_cmpuint (run.lock_waits->len, ==, 2);
  expected = g_strdup_printf ("waiting: another connection to %s/db%u.sqlite (SQLite does not tell which)",
                              tmpdir, counter);
  g_assert_cmpstr (g_ptr_array_index (run.lock_waits, 0), ==, expected);
  g_assert_cmpstr (g_ptr_array_index (run.lock_waits, 1), ==, "done");
  g_assert_true (logged (&run, "Waiting for the migration lock held by another connection to "));
  g_assert_true (logged (&run, "Got the migration lock after "));
  rows = rows_of (&f);
  g_assert_cmpstr (rows, ==, "r1");
  run_clear (&run);
  fixture_teardown (&f);
}

/* SQLite: a writer in the middle of its transaction (RESERVED) must be able
 * to commit while the run waits: the waiting keeps no lock of its own */
static void
test_sqlite_holder_can_commit (void)
{
  Fixture f = { 0 };
  Run run = { 0 };
  g_autoptr(RetortBackend) holder = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *rows = NULL;

  fixture_setup (&f, RETORT_DIALECT_SQLITE, alter_x);
  holder = open_url (f.url);
  execute (holder, "BEGIN IMMEDIATE");
  execute (holder, "INSERT INTO x VALUES (1)");
  run_start (&run, &f, 30000);
  g_assert_true (wait_until (run_is_waiting, &run, 10000));
  spin (300);
  /* its busy timeout is 1 s: enough, unless the waiter kept a SHARED lock */
  g_assert_true (retort_backend_execute (holder, "COMMIT", NULL, &error));
  g_assert_no_error (error);
  g_assert_true (wait_until (run_is_done, &run, 10000));
  g_assert_no_error (run.error);
  rows = rows_of (&f);
  g_assert_cmpstr (rows, ==, "r1");
  run_clear (&run);
  fixture_teardown (&f);
}

/* SQLite: a wait without limit ends promptly on cancel, and leaves the
 * connection fit for the next run */
static void
test_sqlite_cancel_wait (void)
{
  Fixture f = { 0 };
  Run run = { 0 };
  g_autoptr(RetortBackend) holder = NULL;
  g_autofree char *rows = NULL;
  g_autofree char *rows_after = NULL;
  gint64 cancelled_at;

  fixture_setup (&f, RETORT_DIALECT_SQLITE, alter_x);
  holder = open_url (f.url);
  execute (holder, "BEGIN EXCLUSIVE");
  run_start (&run, &f, G_MAXUINT);
  g_assert_true (wait_until (run_is_waiting, &run, 10000));
  spin (300);
  g_assert_false (run.done);
  cancelled_at = g_get_monotonic_time ();
  g_cancellable_cancel (run.cancellable);
  g_assert_true (wait_until (run_is_done, &run, 10000));
  g_assert_cmpint (g_get_monotonic_time () - cancelled_at, <, 2 * G_USEC_PER_SEC);
  g_assert_error (run.error, RETORT_DATABASE_ERROR, RETORT_DATABASE_ERROR_CANCELLED);
  g_assert_cmpuint (run.lock_waits->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (run.lock_waits, 1), ==, "done");

  /* not taken for cancelled again: it waits and gives up... */
  run_start (&run, &f, 300);
  g_assert_true (wait_until (run_is_done, &run, 10000));
  g_assert_error (run.error, RETORT_DATABASE_ERROR, RETORT_DATABASE_ERROR_LOCKED);
  g_assert_cmpuint (run.lock_waits->len, ==, 2);
  /* ...or runs once the holder is done */
  execute (holder, "COMMIT");
  rows = rows_of (&f);
  g_assert_cmpstr (rows, ==, "(no table)");
  run_start (&run, &f, 5000);
  g_assert_true (wait_until (run_is_done, &run, 10000));
  g_assert_no_error (run.error);
  g_assert_cmpuint (run.lock_waits->len, ==, 0);
  rows_after = rows_of (&f);
  g_assert_cmpstr (rows_after, ==, "r1");
  run_clear (&run);
  fixture_teardown (&f);
}

/* SQLite: the watch can be made and started, and stays empty */
static void
test_sqlite_watch (void)
{
  Fixture f = { 0 };
  Watch watch = { 0 };
  GPtrArray *holders;

  fixture_setup (&f, RETORT_DIALECT_SQLITE, alter_x);
  watch_start (&watch, &f);
  spin (200);
  holders = retort_lock_watch_get_holders (watch.watch);
  g_assert_cmpuint (holders->len, ==, 0);
  g_assert_null (retort_lock_watch_get_error (watch.watch));
  retort_lock_watch_stop (watch.watch);
  g_clear_object (&watch.watch);
  fixture_teardown (&f);
}

static gboolean
watch_has_error (gpointer data)
{
  return retort_lock_watch_get_error (((Watch *) data)->watch) != NULL;
}

/* a server that is not there: the error says where, never the password;
 * stopping and dropping with a poll or a connection attempt in flight */
static void
test_pg_watch_errors_and_stop (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RetortDatabaseUrl) url = NULL;
  Watch watch = { 0 };
  Fixture f = { 0 };
  gint64 began;

  if (skip_without_pg ())
    return;
  url = retort_database_url_parse ("postgresql://someone:hunter2@127.0.0.1:1/nowhere", NULL, &error);
  g_assert_no_error (error);
  watch.watch = retort_lock_watch_new (url, "nobody", "alembic_version");
  retort_lock_watch_start (watch.watch, 100);
  g_assert_true (wait_until (watch_has_error, &watch, 10000));
  g_assert_nonnull (strstr (retort_lock_watch_get_error (watch.watch), "127.0.0.1"));
  g_assert_null (strstr (retort_lock_watch_get_error (watch.watch), "hunter2"));
  began = g_get_monotonic_time ();
  g_clear_object (&watch.watch);
  g_assert_cmpint (g_get_monotonic_time () - began, <, G_USEC_PER_SEC / 10);

  /* a real server: stop at once, mid-connect; again after some polls; and
   * a restart drops answers from before it */
  fixture_setup (&f, RETORT_DIALECT_POSTGRESQL, alter_x);
  watch_start (&watch, &f);
  began = g_get_monotonic_time ();
  retort_lock_watch_stop (watch.watch);
  retort_lock_watch_start (watch.watch, 50);
  spin (300);
  g_assert_null (retort_lock_watch_get_error (watch.watch));
  g_clear_object (&watch.watch);
  g_assert_cmpint (g_get_monotonic_time () - began, <, 2 * G_USEC_PER_SEC);
  spin (200);  /* answers already on their way find no watch */
  fixture_teardown (&f);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  tmpdir = g_dir_make_tmp ("retort-lock-watch-XXXXXX", &error);
  g_assert_no_error (error);

  g_test_add_func ("/lock-watch/postgresql/table-lock", test_pg_table_lock);
  g_test_add_func ("/lock-watch/postgresql/row-lock", test_pg_row_lock);
  g_test_add_func ("/lock-watch/postgresql/queued", test_pg_queued);
  g_test_add_func ("/lock-watch/postgresql/migration-lock", test_pg_migration_lock);
  g_test_add_func ("/lock-watch/postgresql/errors-and-stop", test_pg_watch_errors_and_stop);
  g_test_add_func ("/lock-watch/sqlite/lock-wait", test_sqlite_lock_wait);
  g_test_add_func ("/lock-watch/sqlite/holder-can-commit", test_sqlite_holder_can_commit);
  g_test_add_func ("/lock-watch/sqlite/cancel-wait", test_sqlite_cancel_wait);
  g_test_add_func ("/lock-watch/sqlite/watch", test_sqlite_watch);
  status = g_test_run ();

  {
    g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", tmpdir);
    if (system (cmd) != 0)
      g_printerr ("could not remove %s\n", tmpdir);
  }
  g_free (tmpdir);
  return status;
}
