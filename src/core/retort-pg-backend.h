/* retort-pg-backend.h — RetortBackend over libpq */
#pragma once

#include "retort-backend.h"

G_BEGIN_DECLS

#define RETORT_TYPE_PG_BACKEND (retort_pg_backend_get_type ())
G_DECLARE_FINAL_TYPE (RetortPgBackend, retort_pg_backend, RETORT, PG_BACKEND, RetortBackend)

G_END_DECLS
