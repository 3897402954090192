/* retort-pg-backend.c — RetortBackend over libpq
 *
 * Statements are split by retort-sql-splitter and sent one by one, so each
 * is logged with its duration and row count and a failure names its line.
 * The migration lock is a session-level advisory lock on this very
 * connection (never a transaction held open elsewhere, which would hang
 * CREATE INDEX CONCURRENTLY).
 */
#define G_LOG_DOMAIN "retort-pg-backend"

#include "retort-pg-backend.h"
#include "retort-pg-backend-private.h"
#include "retort-sql-splitter.h"

#include <libpq-fe.h>
#include <stdlib.h>
#include <string.h>

/* the advisory lock's first key: 'RETR' */
#define LOCK_CLASS 1380275282

struct _RetortPgBackend
{
  RetortBackend  parent_instance;
  PGconn        *conn;
  PGcancel      *cancel;
  GMutex         cancel_lock;
  gboolean       interrupted;
};

G_DEFINE_FINAL_TYPE (RetortPgBackend, retort_pg_backend, RETORT_TYPE_BACKEND)

static void
notice_receiver (void           *data,
                 const PGresult *result)
{
  RetortBackend *backend = data;
  const char *severity = PQresultErrorField (result, PG_DIAG_SEVERITY);
  const char *message = PQresultErrorField (result, PG_DIAG_MESSAGE_PRIMARY);

  _retort_backend_emit_notice (backend, severity ? severity : "NOTICE", message ? message : "");
}

static char *
describe_target (RetortBackend *backend,
                 PGconn        *conn)
{
  const char *host = PQhost (conn);
  const char *port = PQport (conn);
  const char *db = PQdb (conn);
  const char *user = PQuser (conn);

  return g_strdup_printf ("%s@%s:%s/%s", user ? user : "?", host && *host ? host : "localhost",
                          port && *port ? port : "5432", db ? db : "?");
}

static gboolean
retort_pg_backend_open (RetortBackend  *backend,
                        GError        **error)
{
  RetortPgBackend *self = RETORT_PG_BACKEND (backend);
  RetortDatabaseUrl *url = _retort_backend_get_url (backend);
  g_autoptr(GPtrArray) keywords = g_ptr_array_new ();
  g_autoptr(GPtrArray) values = g_ptr_array_new ();
  gboolean has_app_name = FALSE;

  for (guint i = 0; url->keywords != NULL && url->keywords[i] != NULL; i++)
    {
      g_ptr_array_add (keywords, url->keywords[i]);
      g_ptr_array_add (values, url->values[i]);
      has_app_name |= strcmp (url->keywords[i], "application_name") == 0;
    }
  if (!has_app_name)
    {
      /* so pg_stat_activity tells who holds a migration lock */
      g_ptr_array_add (keywords, (gpointer) "application_name");
      g_ptr_array_add (values, (gpointer) "retort");
    }
  g_ptr_array_add (keywords, NULL);
  g_ptr_array_add (values, NULL);

  self->conn = PQconnectdbParams ((const char * const *) keywords->pdata,
                                  (const char * const *) values->pdata, FALSE);
  if (PQstatus (self->conn) != CONNECTION_OK)
    {
      g_autofree char *message = g_strstrip (g_strdup (PQerrorMessage (self->conn)));
      g_autofree char *target = describe_target (backend, self->conn);
      /* libpq's messages name host, port and database but never the password */
      g_set_error (error, RETORT_DATABASE_ERROR, RETORT_DATABASE_ERROR_CONNECT,
                   "Cannot connect to PostgreSQL at %s: %s", target, message);
      PQfinish (self->conn);
      self->conn = NULL;
      return FALSE;
    }
  PQsetNoticeReceiver (self->conn, notice_receiver, backend);
  g_mutex_lock (&self->cancel_lock);
  self->cancel = PQgetCancel (self->conn);
  self->interrupted = FALSE;
  g_mutex_unlock (&self->cancel_lock);

  {
    g_autofree char *settings = g_strdup_printf ("SET lock_timeout = %u; SET statement_timeout = %u",
                                                 _retort_backend_get_lock_timeout_ms (backend),
                                                 _retort_backend_get_statement_timeout_ms (backend));
    if (!retort_backend_run_script (backend, settings, NULL, NULL, error))
      return FALSE;
  }
  return TRUE;
}

static gboolean
check_result (RetortPgBackend  *self,
              PGresult         *result,
              const char       *statement,
              guint             line,
              GError          **error)
{
  ExecStatusType status = PQresultStatus (result);
  const char *sqlstate;
  const char *primary;
  const char *detail;
  const char *hint;
  int code;
  GError *local;
  g_autoptr(GString) message = NULL;

  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK || status == PGRES_EMPTY_QUERY)
    return TRUE;

  sqlstate = PQresultErrorField (result, PG_DIAG_SQLSTATE);
  primary = PQresultErrorField (result, PG_DIAG_MESSAGE_PRIMARY);
  detail = PQresultErrorField (result, PG_DIAG_MESSAGE_DETAIL);
  hint = PQresultErrorField (result, PG_DIAG_MESSAGE_HINT);
  message = g_string_new (primary != NULL ? primary : g_strstrip (PQerrorMessage (self->conn)));
  if (detail != NULL)
    g_string_append_printf (message, " (%s)", detail);
  if (hint != NULL)
    g_string_append_printf (message, " Hint: %s", hint);
  if (g_strcmp0 (sqlstate, "53200") == 0)
    g_string_append (message, " — one transaction for a long run takes a lock per created object; "
                              "run with one transaction per revision (--transaction revision)");

  if (PQstatus (self->conn) == CONNECTION_BAD)
    code = RETORT_DATABASE_ERROR_CONNECTION_LOST;
  else if (g_strcmp0 (sqlstate, "57014") == 0 && self->interrupted)
    code = RETORT_DATABASE_ERROR_CANCELLED;
  else if (g_strcmp0 (sqlstate, "55P03") == 0)
    code = RETORT_DATABASE_ERROR_LOCKED;
  else
    code = RETORT_DATABASE_ERROR_STATEMENT;
  local = g_error_new (RETORT_DATABASE_ERROR, code, "%s", message->str);
  retort_database_error_set_details (local, sqlstate, statement, line);
  g_propagate_error (error, local);
  return FALSE;
}

static gboolean
retort_pg_backend_run_script (RetortBackend       *backend,
                              const char          *script,
                              RetortStatementFunc  func,
                              gpointer             user_data,
                              GError             **error)
{
  RetortPgBackend *self = RETORT_PG_BACKEND (backend);
  g_autoptr(GPtrArray) statements = retort_sql_split (script, RETORT_DIALECT_POSTGRESQL, error);

  if (statements == NULL)
    return FALSE;
  for (guint i = 0; i < statements->len; i++)
    {
      RetortStatement *statement = g_ptr_array_index (statements, i);
      gint64 began;
      PGresult *result;
      gint64 rows = 0;

      _retort_backend_statement_starting (backend, statement->sql, statement->line);
      began = g_get_monotonic_time ();
      result = PQexec (self->conn, statement->sql);

      if (!check_result (self, result, statement->sql, statement->line, error))
        {
          PQclear (result);
          return FALSE;
        }
      if (*PQcmdTuples (result) != '\0')
        rows = g_ascii_strtoll (PQcmdTuples (result), NULL, 10);
      PQclear (result);
      if (func != NULL)
        func (statement->sql, statement->line, g_get_monotonic_time () - began, rows, user_data);
    }
  return TRUE;
}

static GPtrArray *
retort_pg_backend_query_column (RetortBackend  *backend,
                                const char     *sql,
                                GError        **error)
{
  RetortPgBackend *self = RETORT_PG_BACKEND (backend);
  PGresult *result = PQexec (self->conn, sql);
  GPtrArray *values;

  if (!check_result (self, result, sql, 1, error))
    {
      PQclear (result);
      return NULL;
    }
  values = g_ptr_array_new_with_free_func (g_free);
  for (int row = 0; row < PQntuples (result); row++)
    g_ptr_array_add (values, PQgetisnull (result, row, 0) ? NULL : g_strdup (PQgetvalue (result, row, 0)));
  PQclear (result);
  return values;
}

/* Rows of any number of columns, each a GStrv (SQL NULL reads as ""), with
 * the text parameters $1, $2, … from `params` (NULL-terminated): values are
 * never pasted into the SQL. */
GPtrArray *
_retort_pg_backend_query_rows (RetortBackend       *backend,
                               const char          *sql,
                               const char * const  *params,
                               GError             **error)
{
  RetortPgBackend *self = RETORT_PG_BACKEND (backend);
  int n_params = params != NULL ? (int) g_strv_length ((char **) params) : 0;
  PGresult *result = PQexecParams (self->conn, sql, n_params, NULL, params, NULL, NULL, 0);
  GPtrArray *rows;

  if (!check_result (self, result, sql, 1, error))
    {
      PQclear (result);
      return NULL;
    }
  rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  for (int row = 0; row < PQntuples (result); row++)
    {
      char **values = g_new0 (char *, PQnfields (result) + 1);
      for (int column = 0; column < PQnfields (result); column++)
        values[column] = g_strdup (PQgetvalue (result, row, column));  /* "" for NULL */
      g_ptr_array_add (rows, values);
    }
  PQclear (result);
  return rows;
}

static char *
quote_literal (RetortPgBackend *self,
               const char      *text)
{
  char *quoted = PQescapeLiteral (self->conn, text, strlen (text));
  char *copy = g_strdup (quoted);
  PQfreemem (quoted);
  return copy;
}

static gboolean
retort_pg_backend_table_exists (RetortBackend  *backend,
                                const char     *schema,
                                const char     *table,
                                gboolean       *exists,
                                GError        **error)
{
  RetortPgBackend *self = RETORT_PG_BACKEND (backend);
  g_autofree char *table_literal = quote_literal (self, table);
  g_autofree char *schema_literal = schema != NULL ? quote_literal (self, schema) : g_strdup ("current_schema()");
  g_autofree char *sql = g_strdup_printf ("SELECT 1 FROM pg_catalog.pg_tables WHERE schemaname = %s "
                                          "AND tablename = %s", schema_literal, table_literal);
  g_autoptr(GPtrArray) rows = retort_pg_backend_query_column (backend, sql, error);

  if (rows == NULL)
    return FALSE;
  *exists = rows->len > 0;
  return TRUE;
}

static gboolean
retort_pg_backend_count_tables (RetortBackend  *backend,
                                const char     *schema,
                                guint          *count,
                                GError        **error)
{
  g_autoptr(GPtrArray) rows = retort_pg_backend_query_column (
    backend, "SELECT count(*) FROM pg_catalog.pg_tables "
             "WHERE schemaname NOT IN ('pg_catalog', 'information_schema')", error);

  if (rows == NULL)
    return FALSE;
  *count = (guint) g_ascii_strtoull (g_ptr_array_index (rows, 0), NULL, 10);
  return TRUE;
}

/* The statement that tries the migration lock. The lock watch compares it
 * with what pg_stat_activity shows for a run's session to tell that the run
 * waits for the lock, so it is made in this one place. */
char *
_retort_pg_backend_try_lock_sql (RetortBackend *backend,
                                 const char    *key)
{
  g_autofree char *literal = quote_literal (RETORT_PG_BACKEND (backend), key);

  return g_strdup_printf ("SELECT pg_try_advisory_lock(%d, hashtext(%s))", LOCK_CLASS, literal);
}

/* A condition on pg_locks row `alias`: the migration lock for the key that
 * the SQL expression `key_sql` gives (a literal, or a parameter such as $2)
 * is granted in this database (advisory locks are per database: another
 * database on the server may have its own migration running). The two-key
 * form stores key 1 in classid and key 2 in objid (as an oid, so hashtext's
 * sign is folded away), with objsubid 2. */
char *
_retort_pg_backend_lock_granted_condition (const char *alias,
                                           const char *key_sql)
{
  return g_strdup_printf ("%1$s.locktype = 'advisory' AND %1$s.granted AND %1$s.classid = %2$d "
                          "AND %1$s.objid = (hashtext(%3$s)::bigint & 4294967295)::oid "
                          "AND %1$s.objsubid = 2 AND %1$s.database = (SELECT d.oid FROM "
                          "pg_catalog.pg_database d WHERE d.datname = pg_catalog.current_database())",
                          alias, LOCK_CLASS, key_sql);
}

/* G_MAXUINT ms is about 49.7 days: the deadline fits a gint64 with room to
 * spare, so a caller may pass it for "no limit". */
static gboolean
retort_pg_backend_lock (RetortBackend  *backend,
                        const char     *key,
                        guint           timeout_ms,
                        GError        **error)
{
  RetortPgBackend *self = RETORT_PG_BACKEND (backend);
  g_autofree char *sql = _retort_pg_backend_try_lock_sql (backend, key);
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  /* an interruption belongs to the operation it interrupted: one left from
   * an earlier run on this connection must not cancel this wait */
  g_mutex_lock (&self->cancel_lock);
  self->interrupted = FALSE;
  g_mutex_unlock (&self->cancel_lock);

  for (;;)
    {
      g_autoptr(GPtrArray) rows = retort_pg_backend_query_column (backend, sql, error);
      if (rows == NULL)
        return FALSE;
      if (g_strcmp0 (g_ptr_array_index (rows, 0), "t") == 0)
        return TRUE;
      if (self->interrupted)
        {
          g_set_error (error, RETORT_DATABASE_ERROR, RETORT_DATABASE_ERROR_CANCELLED,
                       "cancelled while waiting for the migration lock");
          return FALSE;
        }
      if (g_get_monotonic_time () >= deadline)
        {
          g_autofree char *holder = retort_backend_describe_lock_holder (backend, key);
          g_set_error (error, RETORT_DATABASE_ERROR, RETORT_DATABASE_ERROR_LOCKED,
                       "Another migration holds the lock on this database (%s); gave up after %u ms",
                       holder, timeout_ms);
          return FALSE;
        }
      g_usleep (50 * 1000);
    }
}

static void
retort_pg_backend_unlock (RetortBackend *backend,
                          const char    *key)
{
  RetortPgBackend *self = RETORT_PG_BACKEND (backend);
  g_autofree char *literal = NULL;
  g_autofree char *sql = NULL;

  if (self->conn == NULL || PQstatus (self->conn) != CONNECTION_OK)
    return;
  literal = quote_literal (self, key);
  sql = g_strdup_printf ("SELECT pg_advisory_unlock(%d, hashtext(%s))", LOCK_CLASS, literal);
  PQclear (PQexec (self->conn, sql));
}

static char *
retort_pg_backend_describe_lock_holder (RetortBackend *backend,
                                        const char    *key)
{
  RetortPgBackend *self = RETORT_PG_BACKEND (backend);
  g_autofree char *literal = quote_literal (self, key);
  g_autofree char *granted = _retort_pg_backend_lock_granted_condition ("l", literal);
  g_autofree char *sql = g_strdup_printf (
    "SELECT format('pid %%s, user %%s, application %%s%%s, since %%s', a.pid, a.usename, "
    "       coalesce(nullif(a.application_name, ''), '?'), "
    "       coalesce(' from ' || host(a.client_addr), ''), "
    "       to_char(a.backend_start, 'YYYY-MM-DD HH24:MI:SS')) "
    "FROM pg_catalog.pg_locks l JOIN pg_catalog.pg_stat_activity a ON a.pid = l.pid "
    "WHERE %s", granted);
  g_autoptr(GPtrArray) rows = retort_pg_backend_query_column (backend, sql, NULL);

  if (rows == NULL || rows->len == 0)
    return g_strdup ("holder unknown");
  return g_strdup (g_ptr_array_index (rows, 0));
}

static void
retort_pg_backend_interrupt (RetortBackend *backend)
{
  RetortPgBackend *self = RETORT_PG_BACKEND (backend);
  char message[256];

  g_mutex_lock (&self->cancel_lock);
  self->interrupted = TRUE;
  if (self->cancel != NULL)
    PQcancel (self->cancel, message, sizeof message);
  g_mutex_unlock (&self->cancel_lock);
}

static void
retort_pg_backend_close (RetortBackend *backend)
{
  RetortPgBackend *self = RETORT_PG_BACKEND (backend);

  g_mutex_lock (&self->cancel_lock);
  g_clear_pointer (&self->cancel, PQfreeCancel);
  g_mutex_unlock (&self->cancel_lock);
  g_clear_pointer (&self->conn, PQfinish);
}

static void
retort_pg_backend_finalize (GObject *object)
{
  RetortPgBackend *self = RETORT_PG_BACKEND (object);

  retort_pg_backend_close (RETORT_BACKEND (self));
  g_mutex_clear (&self->cancel_lock);
  G_OBJECT_CLASS (retort_pg_backend_parent_class)->finalize (object);
}

static void
retort_pg_backend_class_init (RetortPgBackendClass *klass)
{
  RetortBackendClass *backend_class = RETORT_BACKEND_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = retort_pg_backend_finalize;
  backend_class->open = retort_pg_backend_open;
  backend_class->run_script = retort_pg_backend_run_script;
  backend_class->query_column = retort_pg_backend_query_column;
  backend_class->table_exists = retort_pg_backend_table_exists;
  backend_class->count_tables = retort_pg_backend_count_tables;
  backend_class->lock = retort_pg_backend_lock;
  backend_class->unlock = retort_pg_backend_unlock;
  backend_class->describe_lock_holder = retort_pg_backend_describe_lock_holder;
  backend_class->interrupt = retort_pg_backend_interrupt;
  backend_class->close = retort_pg_backend_close;
}

static void
retort_pg_backend_init (RetortPgBackend *self)
{
  g_mutex_init (&self->cancel_lock);
}
