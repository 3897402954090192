/* retort-backend.h — one database connection, SQLite or PostgreSQL
 *
 * A backend is used from one thread at a time (libpq connections must not
 * be shared); only retort_backend_interrupt() may be called from another.
 */
#pragma once

#include <gio/gio.h>

#include "retort-database-url.h"

G_BEGIN_DECLS

#define RETORT_DATABASE_ERROR (retort_database_error_quark ())

typedef enum {
  RETORT_DATABASE_ERROR_CONNECT,        /* unreachable, wrong password, no such database */
  RETORT_DATABASE_ERROR_STATEMENT,      /* a statement failed: see sqlstate/statement/line */
  RETORT_DATABASE_ERROR_LOCKED,         /* the migration lock stayed taken until the timeout */
  RETORT_DATABASE_ERROR_CANCELLED,      /* cancelled from another thread */
  RETORT_DATABASE_ERROR_CONNECTION_LOST,
  RETORT_DATABASE_ERROR_VERSION_TABLE,  /* alembic_version is not as the plan expects */
} RetortDatabaseErrorCode;

GQuark      retort_database_error_quark         (void);
const char *retort_database_error_get_sqlstate  (const GError *error);
const char *retort_database_error_get_statement (const GError *error);
guint       retort_database_error_get_line      (const GError *error);
void        retort_database_error_set_details   (GError     *error,
                                                 const char *sqlstate,
                                                 const char *statement,
                                                 guint       line);

/* Called after each statement of a script. */
typedef void (*RetortStatementFunc) (const char *statement,
                                     guint       line,
                                     gint64      duration_us,
                                     gint64      rows,
                                     gpointer    user_data);
/* Called for each server notice (PostgreSQL NOTICE/WARNING). */
typedef void (*RetortNoticeFunc)    (const char *severity,
                                     const char *message,
                                     gpointer    user_data);

/* Called just before each statement of a script runs (progress: what the
 * database is busy with now). */
typedef void (*RetortStatementStartFunc) (const char *statement,
                                          guint       line,
                                          gpointer    user_data);

#define RETORT_TYPE_BACKEND (retort_backend_get_type ())
G_DECLARE_DERIVABLE_TYPE (RetortBackend, retort_backend, RETORT, BACKEND, GObject)

struct _RetortBackendClass
{
  GObjectClass parent_class;

  gboolean   (*open)            (RetortBackend  *self,
                                 GError        **error);
  gboolean   (*run_script)      (RetortBackend       *self,
                                 const char          *script,
                                 RetortStatementFunc  func,
                                 gpointer             user_data,
                                 GError             **error);
  GPtrArray *(*query_column)    (RetortBackend  *self,
                                 const char     *sql,
                                 GError        **error);
  gboolean   (*table_exists)    (RetortBackend  *self,
                                 const char     *schema,
                                 const char     *table,
                                 gboolean       *exists,
                                 GError        **error);
  gboolean   (*count_tables)    (RetortBackend  *self,
                                 const char     *schema,
                                 guint          *count,
                                 GError        **error);
  gboolean   (*lock)            (RetortBackend  *self,
                                 const char     *key,
                                 guint           timeout_ms,
                                 GError        **error);
  void       (*unlock)          (RetortBackend  *self,
                                 const char     *key);
  void       (*interrupt)       (RetortBackend  *self);
  char      *(*describe_lock_holder) (RetortBackend *self,
                                 const char     *key);
  void       (*close)           (RetortBackend  *self);
};

RetortBackend *retort_backend_new             (RetortDatabaseUrl   *url,
                                               GError             **error);
RetortDialect  retort_backend_get_dialect     (RetortBackend       *self);
const char    *retort_backend_get_display     (RetortBackend       *self);
gboolean       retort_backend_get_transactional_ddl (RetortBackend *self);

gboolean       retort_backend_open            (RetortBackend       *self,
                                               GError             **error);
gboolean       retort_backend_run_script      (RetortBackend       *self,
                                               const char          *script,
                                               RetortStatementFunc  func,
                                               gpointer             user_data,
                                               GError             **error);
gboolean       retort_backend_execute         (RetortBackend       *self,
                                               const char          *sql,
                                               gint64              *rows,
                                               GError             **error);
GPtrArray     *retort_backend_query_column    (RetortBackend       *self,
                                               const char          *sql,
                                               GError             **error);
gboolean       retort_backend_table_exists    (RetortBackend       *self,
                                               const char          *schema,
                                               const char          *table,
                                               gboolean            *exists,
                                               GError             **error);
gboolean       retort_backend_count_tables    (RetortBackend       *self,
                                               const char          *schema,
                                               guint               *count,
                                               GError             **error);
gboolean       retort_backend_lock            (RetortBackend       *self,
                                               const char          *key,
                                               guint                timeout_ms,
                                               GError             **error);
void           retort_backend_unlock          (RetortBackend       *self,
                                               const char          *key);
void           retort_backend_interrupt       (RetortBackend       *self);
char          *retort_backend_describe_lock_holder (RetortBackend  *self,
                                               const char          *key);
void           retort_backend_close           (RetortBackend       *self);
void           retort_backend_set_notice_func (RetortBackend       *self,
                                               RetortNoticeFunc     func,
                                               gpointer             user_data);
void           retort_backend_set_statement_start_func (RetortBackend            *self,
                                                        RetortStatementStartFunc  func,
                                                        gpointer                  user_data);
void           retort_backend_set_timeouts    (RetortBackend       *self,
                                               guint                lock_timeout_ms,
                                               guint                statement_timeout_ms);

/* for the implementations */
void           _retort_backend_emit_notice    (RetortBackend       *self,
                                               const char          *severity,
                                               const char          *message);
void           _retort_backend_statement_starting (RetortBackend *self,
                                                   const char    *statement,
                                                   guint          line);
guint          _retort_backend_get_lock_timeout_ms      (RetortBackend *self);
guint          _retort_backend_get_statement_timeout_ms (RetortBackend *self);
RetortDatabaseUrl *_retort_backend_get_url    (RetortBackend       *self);

G_END_DECLS
