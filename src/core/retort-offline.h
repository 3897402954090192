/* retort-offline.h — the SQL a plan would run, as text (`--sql`) */
#pragma once

#include "retort-database-url.h"
#include "retort-plan.h"

G_BEGIN_DECLS

char *retort_offline_render (RetortPlan     *plan,
                             RetortDialect   dialect,
                             const char     *schema,
                             const char     *table,
                             GError        **error);

G_END_DECLS
