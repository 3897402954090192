/* retort-profile.h — one database profile in the window, with its live status
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "retort-core.h"

G_BEGIN_DECLS

/* What the sidebar says about a database. The middle ones mirror
 * RetortStatusKind; the others are what can happen before there is one. */
typedef enum {
  RETORT_PROFILE_STATE_UNCHECKED,
  RETORT_PROFILE_STATE_CHECKING,
  RETORT_PROFILE_STATE_UP_TO_DATE,
  RETORT_PROFILE_STATE_PENDING,
  RETORT_PROFILE_STATE_UNKNOWN_REVISION,  /* ahead of the project, or a wrong stamp */
  RETORT_PROFILE_STATE_NOT_VERSIONED,     /* no tables at all */
  RETORT_PROFILE_STATE_LEGACY,            /* tables but no version table */
  RETORT_PROFILE_STATE_BROKEN,            /* rows no upgrade can start from */
  RETORT_PROFILE_STATE_UNREACHABLE,       /* no connection, or no answer in time */
  RETORT_PROFILE_STATE_NEEDS_PASSWORD,    /* the server wants a password we do not have */
  RETORT_PROFILE_STATE_INVALID,           /* the address does not parse, or the project does not load */
} RetortProfileState;

#define RETORT_TYPE_PROFILE (retort_profile_get_type ())
G_DECLARE_FINAL_TYPE (RetortProfile, retort_profile, RETORT, PROFILE, GObject)

/* entry is borrowed from the workspace's RetortConfig; see retort_profile_detach() */
RetortProfile            *retort_profile_new                (RetortProfileEntry *entry);

const RetortProfileEntry *retort_profile_get_entry          (RetortProfile      *self);
const char               *retort_profile_get_id             (RetortProfile      *self);
const char               *retort_profile_get_name           (RetortProfile      *self);
RetortTier                retort_profile_get_tier           (RetortProfile      *self);
gboolean                  retort_profile_get_read_only      (RetortProfile      *self);
/* a run (upgrade, downgrade, stamp) is going on: set by RetortRunSession */
gboolean                  retort_profile_get_running        (RetortProfile      *self);
void                      retort_profile_set_running        (RetortProfile      *self,
                                                             gboolean            running);
/* production: a run is confirmed by typing the profile's name */
gboolean                  retort_profile_needs_typed_confirmation   (RetortProfile *self);
gboolean                  retort_profile_typed_confirmation_matches (RetortProfile *self,
                                                                     const char    *typed);
/* the address as it is safe to show: never a password */
const char               *retort_profile_get_display        (RetortProfile      *self);
/* a CSS class for the tier: "tier-development", "tier-staging", … */
const char               *retort_profile_get_tier_class     (RetortProfile      *self);
/* "Development", "Staging", "Production", "Other", translated */
const char               *retort_profile_get_tier_label     (RetortProfile      *self);

RetortProfileState        retort_profile_get_state          (RetortProfile      *self);
gboolean                  retort_profile_get_checking       (RetortProfile      *self);
guint                     retort_profile_get_n_pending      (RetortProfile      *self);
/* short text for a chip: "✓", "3 pending", "legacy", "offline", … (translated) */
const char               *retort_profile_get_status_label   (RetortProfile      *self);
/* one sentence for people (translated) */
const char               *retort_profile_get_status_message (RetortProfile      *self);
/* the rows of its version table as last read; NULL until read */
const char * const       *retort_profile_get_rows           (RetortProfile      *self);
const RetortVersionState *retort_profile_get_version_state  (RetortProfile      *self);

/* the version table holds this revision (a pin goes there) */
gboolean                  retort_profile_is_at              (RetortProfile      *self,
                                                             RetortRevision     *revision);
/* the database has this revision (its rows or below them) */
gboolean                  retort_profile_has_applied        (RetortProfile      *self,
                                                             RetortRevision     *revision);

/* Reads the version table off the main thread (its own worker) and computes
 * the status against map (NULL: the project did not load). A check that
 * takes longer than timeout_ms ends as unreachable; its late answer is
 * dropped. "notify::state" tells when it is done. */
void                      retort_profile_check              (RetortProfile      *self,
                                                             RetortRevisionMap  *map,
                                                             const char         *version_table_schema,
                                                             const char         *version_table,
                                                             guint               timeout_ms);
/* the address, parsed, with the session password if any; NULL + error if it does not parse */
RetortDatabaseUrl        *retort_profile_build_url          (RetortProfile      *self,
                                                             GError            **error);
/* relative SQLite paths are taken from here (the project's folder) */
void                      retort_profile_set_base_dir       (RetortProfile      *self,
                                                             const char         *base_dir);
/* kept in memory only, for this session */
void                      retort_profile_set_password       (RetortProfile      *self,
                                                             const char         *password);
gboolean                  retort_profile_has_password       (RetortProfile      *self);

/* the entry changed (edited in the dialog): drop the connection, notify */
void                      retort_profile_entry_changed      (RetortProfile      *self);
/* waits (running the main context) until no check is reading a database */
gboolean                  retort_profile_wait_for_checks    (guint               timeout_ms);

/* the entry is gone from the config: forget it */
void                      retort_profile_detach             (RetortProfile      *self);

G_END_DECLS
