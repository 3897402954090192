/* retort-stamp-assistant.h — adopts a database into migrations by stamping
 * the revision its schema already matches
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "retort-profile.h"
#include "retort-project.h"

G_BEGIN_DECLS

#define RETORT_TYPE_STAMP_ASSISTANT (retort_stamp_assistant_get_type ())
G_DECLARE_FINAL_TYPE (RetortStampAssistant, retort_stamp_assistant, RETORT, STAMP_ASSISTANT, AdwWindow)

/* A modal window: set its transient parent and present it. It never touches
 * the database: on Stamp it emits "stamp" (const char *revision_id) once and
 * closes; the caller runs the stamp. Cancel and Escape close it quietly.
 * It works on the project's graph as it was when made. */
RetortStampAssistant *retort_stamp_assistant_new            (RetortProfile        *profile,
                                                             RetortProject        *project);

/* the revision Stamp would record (full id), NULL when there is none */
const char           *retort_stamp_assistant_get_selected   (RetortStampAssistant *self);
void                  retort_stamp_assistant_select         (RetortStampAssistant *self,
                                                             const char           *revision_id);
/* the SQL shown, exactly what the stamp runs; NULL when it cannot be made */
const char           *retort_stamp_assistant_get_sql        (RetortStampAssistant *self);
gboolean              retort_stamp_assistant_get_can_stamp  (RetortStampAssistant *self);
/* what the "Type <name> to confirm" entry holds (production) */
void                  retort_stamp_assistant_set_typed_name (RetortStampAssistant *self,
                                                             const char           *typed);
/* presses Stamp: TRUE if "stamp" was emitted */
gboolean              retort_stamp_assistant_activate_stamp (RetortStampAssistant *self);

G_END_DECLS
