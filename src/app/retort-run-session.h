/* retort-run-session.h — one run of one database from the window: its log,
 * progress, lock waits and outcome
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "retort-core.h"
#include "retort-profile.h"
#include "retort-project.h"
#include "retort-run-log.h"

G_BEGIN_DECLS

#define RETORT_RUN_SESSION_ERROR (retort_run_session_error_quark ())

typedef enum {
  RETORT_RUN_SESSION_ERROR_BUSY,       /* this database already has a run */
  RETORT_RUN_SESSION_ERROR_READ_ONLY,  /* the profile forbids changes */
  RETORT_RUN_SESSION_ERROR_NOT_READ,   /* where the database stands is not known */
} RetortRunSessionError;

GQuark retort_run_session_error_quark (void);

typedef enum {
  RETORT_RUN_SESSION_READY,
  RETORT_RUN_SESSION_RUNNING,
  RETORT_RUN_SESSION_SUCCEEDED,
  RETORT_RUN_SESSION_FAILED,
  RETORT_RUN_SESSION_CANCELLED,
} RetortRunSessionState;

#define RETORT_TYPE_RUN_SESSION (retort_run_session_get_type ())
G_DECLARE_FINAL_TYPE (RetortRunSession, retort_run_session, RETORT, RUN_SESSION, GObject)

/* The run is made and configured by the caller (operation, targets, purge);
 * the session adds the profile's version table and transaction mode, and
 * takes the profile's version rows now: make it when the confirmation is
 * shown, and the run refuses if the database has moved since. */
RetortRunSession      *retort_run_session_new                 (RetortProfile    *profile,
                                                               RetortProject    *project,
                                                               RetortRun        *run);
/* refuses a second run on the same database, read-only profiles and
 * databases whose state is not known (see check_allowed) */
gboolean               retort_run_session_start               (RetortRunSession *self,
                                                               GError          **error);
/* whether a run on profile may start now; if not, why */
gboolean               retort_run_session_check_allowed       (RetortProfile    *profile,
                                                               GError          **error);
void                   retort_run_session_cancel              (RetortRunSession *self);

/* the running session of a profile, or NULL */
RetortRunSession      *retort_run_session_get_active          (RetortProfile    *profile);
/* the profile's latest session, running or finished, or NULL */
RetortRunSession      *retort_run_session_get_latest          (RetortProfile    *profile);

RetortProfile         *retort_run_session_get_profile         (RetortRunSession *self);
RetortProject         *retort_run_session_get_project         (RetortRunSession *self);
RetortRun             *retort_run_session_get_run             (RetortRunSession *self);
RetortRunLog          *retort_run_session_get_log             (RetortRunSession *self);
RetortRunSessionState  retort_run_session_get_state           (RetortRunSession *self);
gboolean               retort_run_session_get_running         (RetortRunSession *self);
/* "Upgrading production to head" */
const char            *retort_run_session_get_title           (RetortRunSession *self);

/* progress: steps started so far (1-based, 0 before the first), of n */
guint                  retort_run_session_get_step            (RetortRunSession *self);
guint                  retort_run_session_get_n_steps         (RetortRunSession *self);
const char            *retort_run_session_get_step_label      (RetortRunSession *self);
/* the revision of the step running now (or that failed), or NULL */
const char            *retort_run_session_get_step_revision   (RetortRunSession *self);
/* what the database runs now, one line; NULL between statements */
const char            *retort_run_session_get_statement       (RetortRunSession *self);
gint64                 retort_run_session_get_elapsed         (RetortRunSession *self);

/* lock waits: TRUE while the run waits for the migration lock or a
 * statement waits for a table lock; holders are RetortLockHolder */
gboolean               retort_run_session_get_lock_waiting    (RetortRunSession *self);
GPtrArray             *retort_run_session_get_lock_holders    (RetortRunSession *self);
const char            *retort_run_session_get_lock_message    (RetortRunSession *self);
/* who holds it ("pid what"), stable while the same session keeps the lock */
const char            *retort_run_session_get_lock_identity   (RetortRunSession *self);

/* after the run */
const GError          *retort_run_session_get_error           (RetortRunSession *self);
guint                  retort_run_session_get_n_applied       (RetortRunSession *self);
const char * const    *retort_run_session_get_initial_rows    (RetortRunSession *self);
const char * const    *retort_run_session_get_final_rows      (RetortRunSession *self);
char                  *retort_run_session_describe_result     (RetortRunSession *self);
char                  *retort_run_session_describe_database   (RetortRunSession *self);

G_END_DECLS
