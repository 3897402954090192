/* retort-workspace.h — every project and profile the user keeps, from retort.conf
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "retort-profile.h"
#include "retort-project.h"

G_BEGIN_DECLS

#define RETORT_TYPE_WORKSPACE (retort_workspace_get_type ())
G_DECLARE_FINAL_TYPE (RetortWorkspace, retort_workspace, RETORT, WORKSPACE, GObject)

RetortWorkspace *retort_workspace_new               (const char         *config_path);
/* Reads the config and starts loading every project (and then checking its
 * profiles). A file that does not read leaves the workspace empty and
 * read-only; the error is kept for the window to show. */
gboolean         retort_workspace_load              (RetortWorkspace    *self,
                                                     GError            **error);
const GError    *retort_workspace_get_load_error    (RetortWorkspace    *self);
RetortConfig    *retort_workspace_get_config        (RetortWorkspace    *self);
/* RetortProject items, in the config's order */
GListModel      *retort_workspace_get_projects      (RetortWorkspace    *self);
RetortProject   *retort_workspace_find_project      (RetortWorkspace    *self,
                                                     const char         *id);
RetortProject   *retort_workspace_find_project_by_path (RetortWorkspace *self,
                                                     const char         *path);
RetortProfile   *retort_workspace_find_profile      (RetortWorkspace    *self,
                                                     const char         *id);
RetortProject   *retort_workspace_get_profile_project (RetortWorkspace  *self,
                                                     RetortProfile      *profile);

/* Each change is saved at once; FALSE + error leaves everything as it was. */
RetortProject   *retort_workspace_add_project       (RetortWorkspace    *self,
                                                     const char         *path,
                                                     GError            **error);
/* fields are copied from template (its id is ignored) */
RetortProfile   *retort_workspace_add_profile       (RetortWorkspace    *self,
                                                     RetortProject      *project,
                                                     const RetortProfileEntry *fields,
                                                     GError            **error);
gboolean         retort_workspace_update_profile    (RetortWorkspace    *self,
                                                     RetortProfile      *profile,
                                                     const RetortProfileEntry *fields,
                                                     GError            **error);
RetortProfile   *retort_workspace_duplicate_profile (RetortWorkspace    *self,
                                                     RetortProfile      *profile,
                                                     GError            **error);
gboolean         retort_workspace_remove_profile    (RetortWorkspace    *self,
                                                     RetortProfile      *profile,
                                                     GError            **error);
gboolean         retort_workspace_remove_project    (RetortWorkspace    *self,
                                                     RetortProject      *project,
                                                     GError            **error);

/* Checks every profile of project (NULL: of every project), all at once. */
void             retort_workspace_refresh           (RetortWorkspace    *self,
                                                     RetortProject      *project);
/* reads the revision files again, then checks every profile */
void             retort_workspace_reload_project    (RetortWorkspace    *self,
                                                     RetortProject      *project);
void             retort_workspace_refresh_profile   (RetortWorkspace    *self,
                                                     RetortProfile      *profile);
void             retort_workspace_set_check_timeout (RetortWorkspace    *self,
                                                     guint               timeout_ms);

G_END_DECLS
