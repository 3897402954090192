/* retort-pg-backend-private.h — what the lock watch shares with the
 * PostgreSQL backend: the migration lock's own SQL (so the watch never keeps
 * a second copy of the lock's key scheme) and a query with parameters and
 * several columns. For the core only. */
#pragma once

#include "retort-backend.h"

G_BEGIN_DECLS

/* the exact statement a run sends, again and again, while it waits for the
 * migration lock on `key` */
char      *_retort_pg_backend_try_lock_sql           (RetortBackend       *backend,
                                                      const char          *key);
/* a WHERE condition: pg_locks row `alias` is the migration lock for the key
 * the SQL expression `key_sql` gives, granted */
char      *_retort_pg_backend_lock_granted_condition (const char          *alias,
                                                      const char          *key_sql);
/* rows as GStrv (SQL NULL reads as ""); params: $1, $2, … NULL-terminated */
GPtrArray *_retort_pg_backend_query_rows             (RetortBackend       *backend,
                                                      const char          *sql,
                                                      const char * const  *params,
                                                      GError             **error);

G_END_DECLS
