/* retort-connection.h — one database, one worker thread */
#pragma once

#include "retort-backend.h"
#include "retort-run.h"
#include "retort-version-table.h"

G_BEGIN_DECLS

#define RETORT_TYPE_CONNECTION (retort_connection_get_type ())
G_DECLARE_FINAL_TYPE (RetortConnection, retort_connection, RETORT, CONNECTION, GObject)

RetortConnection   *retort_connection_new              (RetortDatabaseUrl    *url);
const char         *retort_connection_get_display      (RetortConnection     *self);
RetortDialect       retort_connection_get_dialect      (RetortConnection     *self);
gboolean            retort_connection_is_busy          (RetortConnection     *self);
guint               retort_connection_get_unfinished   (RetortConnection     *self);
void                retort_connection_set_timeouts     (RetortConnection     *self,
                                                        guint                 lock_timeout_ms,
                                                        guint                 statement_timeout_ms);

void                retort_connection_run_async        (RetortConnection     *self,
                                                        RetortRun            *run,
                                                        GCancellable         *cancellable,
                                                        GAsyncReadyCallback   callback,
                                                        gpointer              user_data);
gboolean            retort_connection_run_finish       (RetortConnection     *self,
                                                        GAsyncResult         *result,
                                                        GError              **error);

void                retort_connection_read_state_async (RetortConnection     *self,
                                                        const char           *schema,
                                                        const char           *table,
                                                        int                   io_priority,
                                                        GCancellable         *cancellable,
                                                        GAsyncReadyCallback   callback,
                                                        gpointer              user_data);
RetortVersionState *retort_connection_read_state_finish (RetortConnection    *self,
                                                        GAsyncResult         *result,
                                                        GError              **error);

G_END_DECLS
