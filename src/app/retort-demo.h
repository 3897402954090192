/* retort-demo.h — the demo workspace: migrations/ on throwaway SQLite databases
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Builds, off the main thread, a temporary folder with a retort.conf that
 * holds the demo project and four SQLite databases in different states:
 * development at the heads, staging behind, production further behind,
 * and a legacy one with tables but no version table. Finishes with the
 * path of that retort.conf; the user's own config is never touched. */
void   retort_demo_prepare_async  (const char           *script_dir,
                                   GCancellable         *cancellable,
                                   GAsyncReadyCallback   callback,
                                   gpointer              user_data);
char  *retort_demo_prepare_finish (GAsyncResult         *result,
                                   GError              **error);
/* removes the folder prepare made (the databases and the config) */
void   retort_demo_remove         (const char           *config_path);

G_END_DECLS
