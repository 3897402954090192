/* retort-window.h — the main window: one project, its revisions newest first
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "retort-project.h"

G_BEGIN_DECLS

#define RETORT_TYPE_WINDOW (retort_window_get_type ())
G_DECLARE_FINAL_TYPE (RetortWindow, retort_window, RETORT, WINDOW, AdwApplicationWindow)

RetortWindow  *retort_window_new         (GtkApplication *application);
void           retort_window_open        (RetortWindow   *self,
                                          GFile          *location);
void           retort_window_open_demo   (RetortWindow   *self);
void           retort_window_reload      (RetortWindow   *self);
RetortProject *retort_window_get_project (RetortWindow   *self);
gboolean       retort_window_get_loading (RetortWindow   *self);

G_END_DECLS
