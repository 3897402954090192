/* retort-project.h — a script directory opened in the app, loaded off the main thread
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "retort-core.h"

G_BEGIN_DECLS

#define RETORT_TYPE_PROJECT (retort_project_get_type ())
G_DECLARE_FINAL_TYPE (RetortProject, retort_project, RETORT, PROJECT, GObject)

RetortProject     *retort_project_new             (GFile                *location);

void               retort_project_load_async      (RetortProject        *self,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
gboolean           retort_project_load_finish     (RetortProject        *self,
                                                   GAsyncResult         *result,
                                                   GError              **error);

GFile             *retort_project_get_location    (RetortProject        *self);
const char        *retort_project_get_title       (RetortProject        *self);
const char        *retort_project_get_folder      (RetortProject        *self);
gboolean           retort_project_get_loaded      (RetortProject        *self);
RetortScriptDir   *retort_project_get_script_dir  (RetortProject        *self);
RetortRevisionMap *retort_project_get_map         (RetortProject        *self);
GListModel        *retort_project_get_revisions   (RetortProject        *self);
GPtrArray         *retort_project_get_problems    (RetortProject        *self);

char              *retort_project_short_id        (const char           *id);

G_END_DECLS
