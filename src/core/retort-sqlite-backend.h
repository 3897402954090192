/* retort-sqlite-backend.h — RetortBackend over sqlite3 */
#pragma once

#include "retort-backend.h"

G_BEGIN_DECLS

#define RETORT_TYPE_SQLITE_BACKEND (retort_sqlite_backend_get_type ())
G_DECLARE_FINAL_TYPE (RetortSqliteBackend, retort_sqlite_backend, RETORT, SQLITE_BACKEND, RetortBackend)

G_END_DECLS
