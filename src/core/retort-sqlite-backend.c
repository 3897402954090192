/* retort-sqlite-backend.c — RetortBackend over sqlite3
 *
 * Scripts run statement by statement through sqlite3_prepare_v2's tail, so
 * SQLite itself decides where a statement (a trigger body, say) ends. The
 * migration lock is the database's write lock: locking_mode=EXCLUSIVE plus
 * BEGIN EXCLUSIVE, held until the run ends. Waiting for it is a loop of
 * attempts that each leave nothing behind (see try_lock_once), so it can be
 * cancelled and never stops the holder from committing. One thread uses a
 * connection (NOMUTEX); sqlite3_interrupt may come from any thread.
 */
#define G_LOG_DOMAIN "retort-sqlite-backend"

#include "retort-sqlite-backend.h"

#include <sqlite3.h>
#include <string.h>

struct _RetortSqliteBackend
{
  RetortBackend  parent_instance;
  sqlite3       *db;
  GMutex         interrupt_lock;  /* guards db against close while interrupting */
  gint           interrupted;     /* atomic: interrupt() during a lock wait */
};

G_DEFINE_FINAL_TYPE (RetortSqliteBackend, retort_sqlite_backend, RETORT_TYPE_BACKEND)

static void
set_sqlite_error (GError    **error,
                  sqlite3    *db,
                  int         rc,
                  const char *statement,
                  guint       line)
{
  int code = rc == SQLITE_INTERRUPT ? RETORT_DATABASE_ERROR_CANCELLED
           : (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) ? RETORT_DATABASE_ERROR_LOCKED
           : RETORT_DATABASE_ERROR_STATEMENT;
  GError *local = g_error_new (RETORT_DATABASE_ERROR, code, "%s",
                               rc == SQLITE_INTERRUPT ? "cancelled"
                                                      : (db != NULL ? sqlite3_errmsg (db) : sqlite3_errstr (rc)));
  g_autofree char *sqlstate = g_strdup_printf ("SQLITE_%d", db != NULL ? sqlite3_extended_errcode (db) : rc);

  retort_database_error_set_details (local, sqlstate, statement, line);
  g_propagate_error (error, local);
}

/* SQLite takes an int, and its default busy handler adds to the timeout
 * before comparing, so stay well clear of G_MAXINT */
static int
busy_timeout_ms (guint milliseconds)
{
  return (int) MIN (milliseconds, (guint) (G_MAXINT / 2));
}

static int
normal_busy_timeout_ms (RetortBackend *backend)
{
  return busy_timeout_ms (MAX (_retort_backend_get_lock_timeout_ms (backend), 1000));
}

static gboolean
retort_sqlite_backend_open (RetortBackend  *backend,
                            GError        **error)
{
  RetortSqliteBackend *self = RETORT_SQLITE_BACKEND (backend);
  const char *path = _retort_backend_get_url (backend)->sqlite_path;
  int rc;

  rc = sqlite3_open_v2 (path, &self->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, RETORT_DATABASE_ERROR, RETORT_DATABASE_ERROR_CONNECT,
                   "Cannot open SQLite database %s: %s", path,
                   self->db != NULL ? sqlite3_errmsg (self->db) : sqlite3_errstr (rc));
      sqlite3_close (self->db);
      self->db = NULL;
      return FALSE;
    }
  sqlite3_extended_result_codes (self->db, 1);
  sqlite3_busy_timeout (self->db, normal_busy_timeout_ms (backend));
  return TRUE;
}

/* the line of `at`, counting on from where the last call stopped: a long
 * script is scanned once, not once per statement */
static guint
line_at (const char **counted,
         guint       *line,
         const char  *at)
{
  for (; *counted < at; (*counted)++)
    *line += **counted == '\n';
  return *line;
}

/* The statement as written, without surrounding blanks and its ';' */
static char *
statement_text (const char *start,
                const char *end)
{
  while (end > start && (g_ascii_isspace (end[-1]) || end[-1] == ';'))
    end--;
  return g_strndup (start, end - start);
}

static gboolean
retort_sqlite_backend_run_script (RetortBackend       *backend,
                                  const char          *script,
                                  RetortStatementFunc  func,
                                  gpointer             user_data,
                                  GError             **error)
{
  RetortSqliteBackend *self = RETORT_SQLITE_BACKEND (backend);
  const char *tail = script;
  const char *counted = script;
  guint line = 1;

  while (tail != NULL && *tail != '\0')
    {
      sqlite3_stmt *stmt = NULL;
      const char *start = tail;
      const char *next = NULL;
      gint64 began = g_get_monotonic_time ();
      int rc;
      gint64 before = sqlite3_total_changes64 (self->db);
      g_autofree char *text = NULL;

      while (g_ascii_isspace (*start))
        start++;
      rc = sqlite3_prepare_v2 (self->db, start, -1, &stmt, &next);
      if (rc != SQLITE_OK)
        {
          g_autofree char *failed = statement_text (start, next != NULL && next > start ? next : start + strlen (start));
          set_sqlite_error (error, self->db, rc, failed, line_at (&counted, &line, start));
          return FALSE;
        }
      tail = next;
      if (stmt == NULL)
        continue;  /* only blanks or comments */

      text = statement_text (start, next);
      _retort_backend_statement_starting (backend, text, line_at (&counted, &line, start));
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        ;
      if (rc != SQLITE_DONE)
        {
          set_sqlite_error (error, self->db, rc, text, line_at (&counted, &line, start));
          sqlite3_finalize (stmt);
          return FALSE;
        }
      {
        /* rows changed: for DML the statement's own count, else 0 */
        gint64 rows = sqlite3_stmt_readonly (stmt) ? 0 : sqlite3_total_changes64 (self->db) - before;
        sqlite3_finalize (stmt);
        if (func != NULL)
          func (text, line_at (&counted, &line, start), g_get_monotonic_time () - began, rows, user_data);
      }
    }
  return TRUE;
}

static GPtrArray *
retort_sqlite_backend_query_column (RetortBackend  *backend,
                                    const char     *sql,
                                    GError        **error)
{
  RetortSqliteBackend *self = RETORT_SQLITE_BACKEND (backend);
  g_autoptr(GPtrArray) values = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      set_sqlite_error (error, self->db, rc, sql, 1);
      return NULL;
    }
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const unsigned char *text = sqlite3_column_text (stmt, 0);
      g_ptr_array_add (values, g_strdup ((const char *) text));
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (error, self->db, rc, sql, 1);
      return NULL;
    }
  return g_steal_pointer (&values);
}

static gboolean
retort_sqlite_backend_table_exists (RetortBackend  *backend,
                                    const char     *schema,
                                    const char     *table,
                                    gboolean       *exists,
                                    GError        **error)
{
  char *sql = sqlite3_mprintf ("SELECT name FROM %s%ssqlite_master WHERE type = 'table' AND name = %Q",
                               schema ? schema : "", schema ? "." : "", table);
  g_autoptr(GPtrArray) rows = retort_sqlite_backend_query_column (backend, sql, error);

  sqlite3_free (sql);
  if (rows == NULL)
    return FALSE;
  *exists = rows->len > 0;
  return TRUE;
}

static gboolean
retort_sqlite_backend_count_tables (RetortBackend  *backend,
                                    const char     *schema,
                                    guint          *count,
                                    GError        **error)
{
  g_autoptr(GPtrArray) rows = retort_sqlite_backend_query_column (
    backend, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'", error);

  if (rows == NULL)
    return FALSE;
  *count = rows->len;
  return TRUE;
}

/* One attempt, without waiting. Exclusive mode comes first so that the
 * write transaction's lock is kept after COMMIT (in WAL mode, too, only a
 * transaction begun in exclusive mode takes the file lock). A failed BEGIN
 * in exclusive mode keeps whatever lock it got on the way (SHARED, or
 * PENDING when readers were there), which would stop the holder from
 * committing and new readers from reading: back in normal mode the next
 * access drops it. */
static gboolean
try_lock_once (RetortSqliteBackend  *self,
               GError              **error)
{
  RetortBackend *backend = RETORT_BACKEND (self);
  g_autoptr(GPtrArray) rows = NULL;

  if (!retort_backend_execute (backend, "PRAGMA locking_mode = EXCLUSIVE", NULL, error))
    return FALSE;
  if (retort_backend_execute (backend, "BEGIN EXCLUSIVE", NULL, error) &&
      retort_backend_execute (backend, "COMMIT", NULL, error))
    return TRUE;
  if (!sqlite3_get_autocommit (self->db))
    retort_backend_execute (backend, "ROLLBACK", NULL, NULL);
  retort_backend_execute (backend, "PRAGMA locking_mode = NORMAL", NULL, NULL);
  rows = retort_sqlite_backend_query_column (backend, "SELECT count(*) FROM sqlite_master", NULL);
  return FALSE;
}

/* G_MAXUINT ms (about 49.7 days) is fine: the deadline is a gint64 */
static gboolean
retort_sqlite_backend_lock (RetortBackend  *backend,
                            const char     *key,
                            guint           timeout_ms,
                            GError        **error)
{
  RetortSqliteBackend *self = RETORT_SQLITE_BACKEND (backend);
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  g_autoptr(GError) local_error = NULL;
  gboolean ok;

  if (strcmp (_retort_backend_get_url (backend)->sqlite_path, ":memory:") == 0)
    return TRUE;  /* nobody else can see an in-memory database */

  /* an interruption belongs to the operation it interrupted */
  g_atomic_int_set (&self->interrupted, 0);
  /* the waiting is ours, between attempts, where it can be cancelled */
  sqlite3_busy_timeout (self->db, 0);
  for (;;)
    {
      g_clear_error (&local_error);
      ok = try_lock_once (self, &local_error);
      if (ok || !g_error_matches (local_error, RETORT_DATABASE_ERROR, RETORT_DATABASE_ERROR_LOCKED))
        break;
      if (g_atomic_int_get (&self->interrupted))
        {
          g_clear_error (&local_error);
          g_set_error (&local_error, RETORT_DATABASE_ERROR, RETORT_DATABASE_ERROR_CANCELLED,
                       "cancelled while waiting for the migration lock");
          break;
        }
      if (g_get_monotonic_time () >= deadline)
        {
          g_clear_error (&local_error);
          g_set_error (&local_error, RETORT_DATABASE_ERROR, RETORT_DATABASE_ERROR_LOCKED,
                       "Another connection holds the write lock on %s; gave up after %u ms",
                       _retort_backend_get_url (backend)->sqlite_path, timeout_ms);
          break;
        }
      g_usleep (MIN (50 * 1000, MAX (deadline - g_get_monotonic_time (), 0)));
    }
  sqlite3_busy_timeout (self->db, normal_busy_timeout_ms (backend));
  if (!ok)
    g_propagate_error (error, g_steal_pointer (&local_error));
  return ok;
}

static void
retort_sqlite_backend_unlock (RetortBackend *backend,
                              const char    *key)
{
  /* back to normal locking; the next read drops the exclusive lock */
  retort_backend_execute (backend, "PRAGMA locking_mode = NORMAL", NULL, NULL);
  g_autoptr(GPtrArray) rows = retort_sqlite_backend_query_column (backend, "SELECT count(*) FROM sqlite_master", NULL);
}

static char *
retort_sqlite_backend_describe_lock_holder (RetortBackend *backend,
                                            const char    *key)
{
  /* SQLite does not say who holds a file lock */
  return g_strdup_printf ("another connection to %s (SQLite does not tell which)",
                          _retort_backend_get_url (backend)->sqlite_path);
}

static void
retort_sqlite_backend_interrupt (RetortBackend *backend)
{
  RetortSqliteBackend *self = RETORT_SQLITE_BACKEND (backend);

  g_atomic_int_set (&self->interrupted, 1);
  g_mutex_lock (&self->interrupt_lock);
  if (self->db != NULL)
    sqlite3_interrupt (self->db);
  g_mutex_unlock (&self->interrupt_lock);
}

static void
retort_sqlite_backend_close (RetortBackend *backend)
{
  RetortSqliteBackend *self = RETORT_SQLITE_BACKEND (backend);

  g_mutex_lock (&self->interrupt_lock);
  if (self->db != NULL)
    sqlite3_close_v2 (self->db);
  self->db = NULL;
  g_mutex_unlock (&self->interrupt_lock);
}

static void
retort_sqlite_backend_finalize (GObject *object)
{
  RetortSqliteBackend *self = RETORT_SQLITE_BACKEND (object);

  retort_sqlite_backend_close (RETORT_BACKEND (self));
  g_mutex_clear (&self->interrupt_lock);
  G_OBJECT_CLASS (retort_sqlite_backend_parent_class)->finalize (object);
}

static void
retort_sqlite_backend_class_init (RetortSqliteBackendClass *klass)
{
  RetortBackendClass *backend_class = RETORT_BACKEND_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = retort_sqlite_backend_finalize;
  backend_class->open = retort_sqlite_backend_open;
  backend_class->run_script = retort_sqlite_backend_run_script;
  backend_class->query_column = retort_sqlite_backend_query_column;
  backend_class->table_exists = retort_sqlite_backend_table_exists;
  backend_class->count_tables = retort_sqlite_backend_count_tables;
  backend_class->lock = retort_sqlite_backend_lock;
  backend_class->unlock = retort_sqlite_backend_unlock;
  backend_class->describe_lock_holder = retort_sqlite_backend_describe_lock_holder;
  backend_class->interrupt = retort_sqlite_backend_interrupt;
  backend_class->close = retort_sqlite_backend_close;
}

static void
retort_sqlite_backend_init (RetortSqliteBackend *self)
{
  g_mutex_init (&self->interrupt_lock);
}
