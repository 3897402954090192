/* retort-application.h — the application: command line, actions, windows
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define RETORT_TYPE_APPLICATION (retort_application_get_type ())
G_DECLARE_FINAL_TYPE (RetortApplication, retort_application, RETORT, APPLICATION, AdwApplication)

RetortApplication *retort_application_new (void);
void               retort_application_open_demo (RetortApplication *self);

GSettings         *retort_settings_new    (void);

G_END_DECLS
