/* retort-project.h — a script directory opened in the app, loaded off the main thread,
 * with the database profiles applied to it
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

const RetortTimelineRow *retort_project_get_timeline_row (RetortProject *self,
                                                   guint                 position);
int                retort_project_get_position    (RetortProject        *self,
                                                   RetortRevision       *revision);
gboolean           retort_project_get_loading     (RetortProject        *self);
guint              retort_project_get_max_lanes   (RetortProject        *self);

const char        *retort_project_get_id          (RetortProject        *self);
void               retort_project_set_id          (RetortProject        *self,
                                                   const char           *id);
void               retort_project_set_name        (RetortProject        *self,
                                                   const char           *name);
GListModel        *retort_project_get_profiles    (RetortProject        *self);
GListStore        *retort_project_get_profile_store (RetortProject      *self);
/* emits "profiles-changed": a profile's rows or status changed */
void               retort_project_profiles_changed (RetortProject       *self);
/* the same, soon, once for every call until then */
void               retort_project_queue_profiles_changed (RetortProject *self);

char              *retort_project_short_id        (const char           *id);

G_END_DECLS
