/* retort-backend.c — one database connection, SQLite or PostgreSQL */
#define G_LOG_DOMAIN "retort-backend"

#include "retort-backend.h"
#include "retort-pg-backend.h"
#include "retort-sqlite-backend.h"

#include <string.h>

typedef struct {
  char  *sqlstate;
  char  *statement;
  guint  line;
} RetortDatabaseErrorPrivate;

static void
retort_database_error_private_init (RetortDatabaseErrorPrivate *priv)
{
}

static void
retort_database_error_private_copy (const RetortDatabaseErrorPrivate *src,
                                    RetortDatabaseErrorPrivate       *dest)
{
  if (src == NULL || dest == NULL)
    return;
  dest->sqlstate = g_strdup (src->sqlstate);
  dest->statement = g_strdup (src->statement);
  dest->line = src->line;
}

static void
retort_database_error_private_clear (RetortDatabaseErrorPrivate *priv)
{
  if (priv == NULL)
    return;
  g_free (priv->sqlstate);
  g_free (priv->statement);
}

/* An extended GError: a failed statement carries its SQLSTATE, text and line. */
G_DEFINE_EXTENDED_ERROR (RetortDatabaseError, retort_database_error)

static RetortDatabaseErrorPrivate *
details_of (const GError *error)
{
  if (error == NULL || error->domain != RETORT_DATABASE_ERROR)
    return NULL;
  return retort_database_error_get_private (error);
}

const char *
retort_database_error_get_sqlstate (const GError *error)
{
  RetortDatabaseErrorPrivate *priv = details_of (error);
  return priv != NULL ? priv->sqlstate : NULL;
}

const char *
retort_database_error_get_statement (const GError *error)
{
  RetortDatabaseErrorPrivate *priv = details_of (error);
  return priv != NULL ? priv->statement : NULL;
}

guint
retort_database_error_get_line (const GError *error)
{
  RetortDatabaseErrorPrivate *priv = details_of (error);
  return priv != NULL ? priv->line : 0;
}

void
retort_database_error_set_details (GError     *error,
                                   const char *sqlstate,
                                   const char *statement,
                                   guint       line)
{
  RetortDatabaseErrorPrivate *priv = details_of (error);

  char *new_sqlstate = g_strdup (sqlstate);   /* the arguments may be our own fields */
  char *new_statement = g_strdup (statement);

  g_return_if_fail (priv != NULL);
  g_free (priv->sqlstate);
  g_free (priv->statement);
  priv->sqlstate = new_sqlstate;
  priv->statement = new_statement;
  priv->line = line;
}

typedef struct {
  RetortDatabaseUrl *url;
  RetortNoticeFunc   notice_func;
  gpointer           notice_data;
  RetortStatementStartFunc start_func;
  gpointer           start_data;
  guint              lock_timeout_ms;
  guint              statement_timeout_ms;
} RetortBackendPrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (RetortBackend, retort_backend, G_TYPE_OBJECT)

static void
retort_backend_finalize (GObject *object)
{
  RetortBackendPrivate *priv = retort_backend_get_instance_private (RETORT_BACKEND (object));

  retort_database_url_free (priv->url);
  G_OBJECT_CLASS (retort_backend_parent_class)->finalize (object);
}

static void
retort_backend_class_init (RetortBackendClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = retort_backend_finalize;
}

static void
retort_backend_init (RetortBackend *self)
{
}

RetortBackend *
retort_backend_new (RetortDatabaseUrl  *url,
                    GError            **error)
{
  RetortBackend *self;
  RetortBackendPrivate *priv;

  g_return_val_if_fail (url != NULL, NULL);
  self = g_object_new (url->dialect == RETORT_DIALECT_SQLITE ? RETORT_TYPE_SQLITE_BACKEND
                                                             : RETORT_TYPE_PG_BACKEND, NULL);
  priv = retort_backend_get_instance_private (self);
  priv->url = retort_database_url_copy (url);
  return self;
}

RetortDialect
retort_backend_get_dialect (RetortBackend *self)
{
  RetortBackendPrivate *priv = retort_backend_get_instance_private (self);
  return priv->url->dialect;
}

const char *
retort_backend_get_display (RetortBackend *self)
{
  RetortBackendPrivate *priv = retort_backend_get_instance_private (self);
  return priv->url->display;
}

/* Alembic's dialect flag: PostgreSQL runs DDL in transactions, SQLite is
 * treated as not doing so (each revision commits on its own). */
gboolean
retort_backend_get_transactional_ddl (RetortBackend *self)
{
  return retort_backend_get_dialect (self) == RETORT_DIALECT_POSTGRESQL;
}

RetortDatabaseUrl *
_retort_backend_get_url (RetortBackend *self)
{
  RetortBackendPrivate *priv = retort_backend_get_instance_private (self);
  return priv->url;
}

gboolean
retort_backend_open (RetortBackend  *self,
                     GError        **error)
{
  g_return_val_if_fail (RETORT_IS_BACKEND (self), FALSE);
  return RETORT_BACKEND_GET_CLASS (self)->open (self, error);
}

gboolean
retort_backend_run_script (RetortBackend       *self,
                           const char          *script,
                           RetortStatementFunc  func,
                           gpointer             user_data,
                           GError             **error)
{
  g_return_val_if_fail (RETORT_IS_BACKEND (self), FALSE);
  return RETORT_BACKEND_GET_CLASS (self)->run_script (self, script, func, user_data, error);
}

static void
count_rows (const char *statement,
            guint       line,
            gint64      duration_us,
            gint64      rows,
            gpointer    user_data)
{
  *(gint64 *) user_data = rows;
}

/* One statement; `rows` gets the rows it changed (or -1 when not known). */
gboolean
retort_backend_execute (RetortBackend  *self,
                        const char     *sql,
                        gint64         *rows,
                        GError        **error)
{
  gint64 changed = -1;
  gboolean ok = retort_backend_run_script (self, sql, count_rows, &changed, error);

  if (rows != NULL)
    *rows = changed;
  return ok;
}

GPtrArray *
retort_backend_query_column (RetortBackend  *self,
                             const char     *sql,
                             GError        **error)
{
  g_return_val_if_fail (RETORT_IS_BACKEND (self), NULL);
  return RETORT_BACKEND_GET_CLASS (self)->query_column (self, sql, error);
}

gboolean
retort_backend_table_exists (RetortBackend  *self,
                             const char     *schema,
                             const char     *table,
                             gboolean       *exists,
                             GError        **error)
{
  g_return_val_if_fail (RETORT_IS_BACKEND (self), FALSE);
  return RETORT_BACKEND_GET_CLASS (self)->table_exists (self, schema, table, exists, error);
}

gboolean
retort_backend_count_tables (RetortBackend  *self,
                             const char     *schema,
                             guint          *count,
                             GError        **error)
{
  g_return_val_if_fail (RETORT_IS_BACKEND (self), FALSE);
  return RETORT_BACKEND_GET_CLASS (self)->count_tables (self, schema, count, error);
}

gboolean
retort_backend_lock (RetortBackend  *self,
                     const char     *key,
                     guint           timeout_ms,
                     GError        **error)
{
  g_return_val_if_fail (RETORT_IS_BACKEND (self), FALSE);
  return RETORT_BACKEND_GET_CLASS (self)->lock (self, key, timeout_ms, error);
}

void
retort_backend_unlock (RetortBackend *self,
                       const char    *key)
{
  g_return_if_fail (RETORT_IS_BACKEND (self));
  RETORT_BACKEND_GET_CLASS (self)->unlock (self, key);
}

void
retort_backend_interrupt (RetortBackend *self)
{
  g_return_if_fail (RETORT_IS_BACKEND (self));
  RETORT_BACKEND_GET_CLASS (self)->interrupt (self);
}

char *
retort_backend_describe_lock_holder (RetortBackend *self,
                                     const char    *key)
{
  g_return_val_if_fail (RETORT_IS_BACKEND (self), NULL);
  return RETORT_BACKEND_GET_CLASS (self)->describe_lock_holder (self, key);
}

void
retort_backend_close (RetortBackend *self)
{
  g_return_if_fail (RETORT_IS_BACKEND (self));
  RETORT_BACKEND_GET_CLASS (self)->close (self);
}

void
retort_backend_set_notice_func (RetortBackend    *self,
                                RetortNoticeFunc  func,
                                gpointer          user_data)
{
  RetortBackendPrivate *priv = retort_backend_get_instance_private (self);

  priv->notice_func = func;
  priv->notice_data = user_data;
}

void
retort_backend_set_statement_start_func (RetortBackend            *self,
                                         RetortStatementStartFunc  func,
                                         gpointer                  user_data)
{
  RetortBackendPrivate *priv = retort_backend_get_instance_private (self);

  priv->start_func = func;
  priv->start_data = user_data;
}

void
_retort_backend_statement_starting (RetortBackend *self,
                                    const char    *statement,
                                    guint          line)
{
  RetortBackendPrivate *priv = retort_backend_get_instance_private (self);

  if (priv->start_func != NULL)
    priv->start_func (statement, line, priv->start_data);
}

void
retort_backend_set_timeouts (RetortBackend *self,
                             guint          lock_timeout_ms,
                             guint          statement_timeout_ms)
{
  RetortBackendPrivate *priv = retort_backend_get_instance_private (self);

  priv->lock_timeout_ms = lock_timeout_ms;
  priv->statement_timeout_ms = statement_timeout_ms;
}

void
_retort_backend_emit_notice (RetortBackend *self,
                             const char    *severity,
                             const char    *message)
{
  RetortBackendPrivate *priv = retort_backend_get_instance_private (self);

  if (priv->notice_func != NULL)
    priv->notice_func (severity, message, priv->notice_data);
}

guint
_retort_backend_get_lock_timeout_ms (RetortBackend *self)
{
  RetortBackendPrivate *priv = retort_backend_get_instance_private (self);
  return priv->lock_timeout_ms;
}

guint
_retort_backend_get_statement_timeout_ms (RetortBackend *self)
{
  RetortBackendPrivate *priv = retort_backend_get_instance_private (self);
  return priv->statement_timeout_ms;
}
