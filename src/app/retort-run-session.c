/* retort-run-session.c — one run of one database from the window
 *
 * The run itself happens on a RetortConnection of its own (one worker
 * thread per database connection); the session turns its events into a
 * log, a progress count, the statement running now (polled: statements can
 * be many and short) and, on PostgreSQL, who holds a lock it waits for
 * (asked on a second connection by a RetortLockWatch). A profile has at
 * most one running session; the latest one stays on the profile so the
 * window can show its log again.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "retort-run-session"

#include "config.h"

#include <unistd.h>

#include <glib/gi18n.h>

#include "retort-run-session.h"

#define POLL_MS 100
/* a statement running this long may be waiting for a table lock */
#define LOCK_SUSPECT_US (G_USEC_PER_SEC)
#define LOCK_WATCH_INTERVAL_MS 1000
#define LATEST_KEY "retort-run-session-latest"

G_DEFINE_QUARK (retort-run-session-error-quark, retort_run_session_error)

struct _RetortRunSession
{
  GObject                parent_instance;
  GWeakRef               profile;
  RetortProject         *project;
  RetortRun             *run;
  RetortRunLog          *log;
  RetortConnection      *connection;
  GCancellable          *cancellable;
  RetortDatabaseUrl     *url;          /* with the session password: never logged */
  char                  *session_name; /* the run connection's application_name */
  char                  *lock_key;
  RetortLockWatch       *lock_watch;

  RetortRunSessionState  state;
  char                  *title;
  GStrv                  initial_rows;
  guint                  step;
  guint                  n_steps;
  char                  *step_label;
  const char            *step_revision;  /* interned */
  char                  *statement;       /* one line */
  gint64                 statement_since;
  gint64                 started_us;
  gint64                 finished_us;
  guint                  poll_id;
  gboolean               lock_signalled;  /* the run said it waits for the migration lock */
  char                  *lock_message;
  char                  *lock_identity;   /* who, not how long: "pid what" */
  GError                *error;
};

G_DEFINE_FINAL_TYPE (RetortRunSession, retort_run_session, G_TYPE_OBJECT)

enum {
  SIGNAL_CHANGED,
  SIGNAL_FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
retort_run_session_dispose (GObject *object)
{
  RetortRunSession *self = RETORT_RUN_SESSION (object);

  g_clear_handle_id (&self->poll_id, g_source_remove);
  if (self->lock_watch != NULL)
    retort_lock_watch_stop (self->lock_watch);
  g_clear_object (&self->lock_watch);
  G_OBJECT_CLASS (retort_run_session_parent_class)->dispose (object);
}

static void
retort_run_session_finalize (GObject *object)
{
  RetortRunSession *self = RETORT_RUN_SESSION (object);

  g_weak_ref_clear (&self->profile);
  g_clear_object (&self->project);
  g_clear_object (&self->run);
  g_clear_object (&self->log);
  g_clear_object (&self->connection);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->url, retort_database_url_free);
  g_free (self->session_name);
  g_free (self->lock_key);
  g_free (self->title);
  g_strfreev (self->initial_rows);
  g_free (self->step_label);
  g_free (self->statement);
  g_free (self->lock_message);
  g_free (self->lock_identity);
  g_clear_error (&self->error);
  G_OBJECT_CLASS (retort_run_session_parent_class)->finalize (object);
}

static void
retort_run_session_class_init (RetortRunSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = retort_run_session_dispose;
  object_class->finalize = retort_run_session_finalize;

  /* progress, statement, elapsed time or lock waits changed (at most every
   * POLL_MS while running, and on every step) */
  signals[SIGNAL_CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_FINISHED] = g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                           0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
retort_run_session_init (RetortRunSession *self)
{
  g_weak_ref_init (&self->profile, NULL);
  self->log = retort_run_log_new ();
  self->cancellable = g_cancellable_new ();
}

static char *
make_title (RetortRun     *run,
            RetortProfile *profile)
{
  const char *name = retort_profile_get_name (profile);
  RetortRunOperation operation = retort_run_get_operation (run);
  const char * const *targets = retort_run_get_targets (run);
  g_autofree char *target = targets != NULL && targets[0] != NULL
                              ? g_strjoinv (" ", (char **) targets) : g_strdup ("heads");

  switch (operation)
    {
    case RETORT_RUN_UPGRADE:
      /* TRANSLATORS: "Upgrading staging to head" */
      return g_strdup_printf (_("Upgrading %s to %s"), name, target);
    case RETORT_RUN_DOWNGRADE:
      return g_strdup_printf (_("Downgrading %s to %s"), name, target);
    case RETORT_RUN_STAMP:
    default:
      return g_strdup_printf (_("Stamping %s with %s"), name, target);
    }
}

RetortRunSession *
retort_run_session_new (RetortProfile *profile,
                        RetortProject *project,
                        RetortRun     *run)
{
  RetortRunSession *self;
  RetortScriptDir *script_dir;
  const RetortProfileEntry *entry;

  g_return_val_if_fail (RETORT_IS_PROFILE (profile), NULL);
  g_return_val_if_fail (RETORT_IS_PROJECT (project), NULL);
  g_return_val_if_fail (RETORT_IS_RUN (run), NULL);

  self = g_object_new (RETORT_TYPE_RUN_SESSION, NULL);
  g_weak_ref_set (&self->profile, profile);
  self->project = g_object_ref (project);
  self->run = g_object_ref (run);
  self->title = make_title (run, profile);

  script_dir = retort_project_get_script_dir (project);
  if (script_dir != NULL)
    {
      const char *schema = retort_script_dir_get_version_table_schema (script_dir);
      const char *table = retort_script_dir_get_version_table (script_dir);

      retort_run_set_version_table (run, schema, table);
      self->lock_key = retort_version_table_qualified_name (schema, table != NULL ? table : "alembic_version");
    }
  /* the rows the confirmation's plan is made from */
  self->initial_rows = g_strdupv ((char **) retort_profile_get_rows (profile));
  if (self->initial_rows == NULL)
    self->initial_rows = g_new0 (char *, 1);
  entry = retort_profile_get_entry (profile);
  if (entry != NULL)
    retort_run_set_transaction_mode (run, entry->transaction);
  return self;
}

RetortRunSession *
retort_run_session_get_latest (RetortProfile *profile)
{
  g_return_val_if_fail (RETORT_IS_PROFILE (profile), NULL);
  return g_object_get_data (G_OBJECT (profile), LATEST_KEY);
}

RetortRunSession *
retort_run_session_get_active (RetortProfile *profile)
{
  RetortRunSession *latest = retort_run_session_get_latest (profile);

  return latest != NULL && latest->state == RETORT_RUN_SESSION_RUNNING ? latest : NULL;
}

static void
changed (RetortRunSession *self)
{
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

/* ---- lock waits ------------------------------------------------------------------ */

static char *
describe_lock (const RetortLockHolder *holder)
{
  switch (holder->kind)
    {
    case RETORT_LOCK_KIND_MIGRATION_LOCK:
      return g_strdup (_("the migration lock"));
    case RETORT_LOCK_KIND_RELATION:
      if (holder->relation != NULL)
        return g_strdup_printf (_("table %s"), holder->relation);
      break;
    case RETORT_LOCK_KIND_ROW:
      if (holder->relation != NULL)
        return g_strdup_printf (_("a row of table %s"), holder->relation);
      break;
    case RETORT_LOCK_KIND_OTHER:
    default:
      break;
    }
  return g_strdup (holder->what != NULL ? holder->what : _("a lock"));
}

static void
update_lock_message (RetortRunSession *self)
{
  GPtrArray *holders = retort_run_session_get_lock_holders (self);

  g_clear_pointer (&self->lock_message, g_free);
  g_clear_pointer (&self->lock_identity, g_free);
  if (holders != NULL && holders->len > 0)
    {
      RetortLockHolder *holder = g_ptr_array_index (holders, 0);
      g_autofree char *what = describe_lock (holder);

      self->lock_identity = g_strdup_printf ("%d %s", holder->pid, holder->what != NULL ? holder->what : "");
      /* TRANSLATORS: "Waiting for table public.orders, held by process 4242 (alice, psql, idle in transaction for 95 s)" */
      self->lock_message = g_strdup_printf (_("Waiting for %s, held by process %d (%s, %s, %s for %d s)"),
                                            what, holder->pid,
                                            holder->user != NULL ? holder->user : "?",
                                            holder->application != NULL && *holder->application != '\0'
                                              ? holder->application : _("unknown application"),
                                            holder->state != NULL ? holder->state : "?",
                                            (int) MIN (holder->held_seconds, G_MAXINT));
    }
  else if (self->lock_signalled)
    {
      self->lock_identity = g_strdup ("migration lock");
      self->lock_message = g_strdup (_("Waiting for the migration lock: another run is changing this database"));
    }
}

static void
lock_watch_changed_cb (RetortLockWatch  *watch,
                       RetortRunSession *self)
{
  GPtrArray *holders = retort_lock_watch_get_holders (watch);
  g_autofree char *before = g_strdup (self->lock_identity);

  update_lock_message (self);
  /* a new holder goes in the log; the run logs the migration lock's itself */
  if (self->lock_message != NULL && g_strcmp0 (before, self->lock_identity) != 0 && holders->len > 0 &&
      ((RetortLockHolder *) g_ptr_array_index (holders, 0))->kind != RETORT_LOCK_KIND_MIGRATION_LOCK)
    retort_run_log_append (self->log, RETORT_LOG_LEVEL_WARNING, self->step_revision, self->lock_message, -1, -1);
  else if (before != NULL && self->lock_message == NULL)
    retort_run_log_append (self->log, RETORT_LOG_LEVEL_INFO, self->step_revision, _("The lock was released"), -1, -1);
  changed (self);
}

static void
ensure_lock_watch (RetortRunSession *self)
{
  if (self->lock_watch != NULL || self->url == NULL || self->url->dialect != RETORT_DIALECT_POSTGRESQL)
    return;
  self->lock_watch = retort_lock_watch_new (self->url, self->session_name, self->lock_key);
  g_signal_connect_object (self->lock_watch, "changed", G_CALLBACK (lock_watch_changed_cb), self, 0);
  retort_lock_watch_start (self->lock_watch, LOCK_WATCH_INTERVAL_MS);
}

static void
run_lock_wait_cb (RetortRun        *run,
                  gboolean          waiting,
                  const char       *holder,
                  RetortRunSession *self)
{
  self->lock_signalled = waiting;
  if (waiting)
    ensure_lock_watch (self);
  update_lock_message (self);
  changed (self);
}

/* ---- progress ---------------------------------------------------------------------- */

static gboolean
poll_cb (gpointer user_data)
{
  RetortRunSession *self = user_data;
  gint64 since = 0;
  g_autofree char *statement = retort_run_dup_current_statement (self->run, NULL, &since);

  /* a statement is known by when it began: made into one line once */
  if (since != self->statement_since)
    {
      self->statement_since = since;
      g_free (self->statement);
      self->statement = statement != NULL ? retort_text_one_line (statement) : NULL;
    }
  if (statement != NULL && since > 0 && g_get_monotonic_time () - since > LOCK_SUSPECT_US)
    ensure_lock_watch (self);
  /* the holder's time keeps counting between changes of holder */
  if (self->lock_watch != NULL && self->lock_message != NULL)
    update_lock_message (self);
  changed (self);
  return G_SOURCE_CONTINUE;
}

static void
run_started_cb (RetortRun        *run,
                guint             n_steps,
                RetortRunSession *self)
{
  self->n_steps = n_steps;
  changed (self);
}

static void
run_step_started_cb (RetortRun        *run,
                     guint             index,
                     guint             n_steps,
                     const char       *description,
                     RetortRunSession *self)
{
  self->step = index + 1;
  self->n_steps = n_steps;
  g_free (self->step_label);
  self->step_label = g_strdup (description);
  self->step_revision = g_intern_string (retort_run_get_step_revision (run, index));
  changed (self);
}

/* ---- start and finish ---------------------------------------------------------------- */

static void
log_outcome (RetortRunSession *self)
{
  g_autofree char *result = retort_run_session_describe_result (self);
  g_autofree char *database = retort_run_session_describe_database (self);
  RetortLogLevel level = self->state == RETORT_RUN_SESSION_SUCCEEDED ? RETORT_LOG_LEVEL_INFO
                                                                     : RETORT_LOG_LEVEL_ERROR;

  if (self->error != NULL)
    {
      const char *statement = retort_database_error_get_statement (self->error);
      const char *sqlstate = retort_database_error_get_sqlstate (self->error);

      retort_run_log_append (self->log, RETORT_LOG_LEVEL_ERROR, self->step_revision, self->error->message, -1, -1);
      if (statement != NULL)
        {
          g_autofree char *text = g_strdup_printf (_("Failed statement (line %u, SQLSTATE %s): %s"),
                                                   retort_database_error_get_line (self->error),
                                                   sqlstate != NULL ? sqlstate : "—", statement);
          retort_run_log_append (self->log, RETORT_LOG_LEVEL_ERROR, self->step_revision, text, -1, -1);
        }
    }
  retort_run_log_append (self->log, level, NULL, result, self->finished_us - self->started_us, -1);
  retort_run_log_append (self->log, RETORT_LOG_LEVEL_INFO, NULL, database, -1, -1);
  retort_run_log_flush (self->log);
}

static void
run_done_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(RetortRunSession) self = user_data;
  g_autoptr(GError) error = NULL;

  self->finished_us = g_get_monotonic_time ();
  g_clear_handle_id (&self->poll_id, g_source_remove);
  if (self->lock_watch != NULL)
    retort_lock_watch_stop (self->lock_watch);
  g_clear_object (&self->lock_watch);
  g_clear_pointer (&self->statement, g_free);
  g_clear_pointer (&self->lock_message, g_free);
  g_clear_pointer (&self->lock_identity, g_free);
  self->lock_signalled = FALSE;

  if (retort_connection_run_finish (RETORT_CONNECTION (source), result, &error))
    self->state = RETORT_RUN_SESSION_SUCCEEDED;
  else
    {
      self->state = g_error_matches (error, RETORT_DATABASE_ERROR, RETORT_DATABASE_ERROR_CANCELLED) ||
                    g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
                      ? RETORT_RUN_SESSION_CANCELLED : RETORT_RUN_SESSION_FAILED;
      self->error = g_steal_pointer (&error);
    }
  /* the worker thread ends with its last reference */
  g_clear_object (&self->connection);
  {
    g_autoptr(RetortProfile) profile = g_weak_ref_get (&self->profile);
    if (profile != NULL)
      retort_profile_set_running (profile, FALSE);
  }
  log_outcome (self);
  changed (self);
  g_signal_emit (self, signals[SIGNAL_FINISHED], 0);
}

/* What refuses a run before anything is asked of the database: a run
 * already going, a read-only profile, a state not known. */
gboolean
retort_run_session_check_allowed (RetortProfile  *profile,
                                  GError        **error)
{
  RetortProfileState state;

  g_return_val_if_fail (RETORT_IS_PROFILE (profile), FALSE);

  if (retort_run_session_get_active (profile) != NULL)
    {
      g_set_error (error, RETORT_RUN_SESSION_ERROR, RETORT_RUN_SESSION_ERROR_BUSY,
                   _("%s already has a run in progress: wait for it to finish or cancel it"),
                   retort_profile_get_name (profile));
      return FALSE;
    }
  if (retort_profile_get_read_only (profile))
    {
      g_set_error (error, RETORT_RUN_SESSION_ERROR, RETORT_RUN_SESSION_ERROR_READ_ONLY,
                   /* Translators: %s is a database profile's name */
                   _("%s is read-only in Retort: edit the database to allow changes."),
                   retort_profile_get_name (profile));
      return FALSE;
    }
  state = retort_profile_get_state (profile);
  if (state == RETORT_PROFILE_STATE_UNCHECKED || state == RETORT_PROFILE_STATE_CHECKING ||
      state == RETORT_PROFILE_STATE_UNREACHABLE || state == RETORT_PROFILE_STATE_NEEDS_PASSWORD ||
      state == RETORT_PROFILE_STATE_INVALID)
    {
      g_set_error (error, RETORT_RUN_SESSION_ERROR, RETORT_RUN_SESSION_ERROR_NOT_READ,
                   _("The state of %s is not known: connect to it first"), retort_profile_get_name (profile));
      return FALSE;
    }
  return TRUE;
}

gboolean
retort_run_session_start (RetortRunSession  *self,
                          GError           **error)
{
  g_autoptr(RetortProfile) profile = NULL;
  static guint counter;

  g_return_val_if_fail (RETORT_IS_RUN_SESSION (self), FALSE);
  g_return_val_if_fail (self->state == RETORT_RUN_SESSION_READY, FALSE);

  profile = g_weak_ref_get (&self->profile);
  if (profile == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, _("The database was removed"));
      return FALSE;
    }
  if (!retort_run_session_check_allowed (profile, error))
    return FALSE;

  self->url = retort_profile_build_url (profile, error);
  if (self->url == NULL)
    return FALSE;
  /* so the lock watch can find this run's session among the server's */
  self->session_name = g_strdup_printf ("retort run %d.%u", (int) getpid (), ++counter);
  if (self->url->dialect == RETORT_DIALECT_POSTGRESQL)
    retort_database_url_set (self->url, "application_name", self->session_name);

  /* what the confirmed plan was made from (when the session was made, with
   * the dialog): anything else is refused */
  retort_run_set_expected_rows (self->run, (const char * const *) self->initial_rows);
  /* waits are shown with who holds the lock; the user decides how long */
  retort_run_set_lock_wait (self->run, G_MAXUINT);
  retort_run_set_event_context (self->run, g_main_context_get_thread_default ());
  retort_run_log_attach (self->log, self->run);
  g_signal_connect_object (self->run, "started", G_CALLBACK (run_started_cb), self, 0);
  g_signal_connect_object (self->run, "step-started", G_CALLBACK (run_step_started_cb), self, 0);
  g_signal_connect_object (self->run, "lock-wait", G_CALLBACK (run_lock_wait_cb), self, 0);

  self->connection = retort_connection_new (self->url);
  retort_connection_set_timeouts (self->connection, 0, 0);
  self->state = RETORT_RUN_SESSION_RUNNING;
  self->started_us = g_get_monotonic_time ();
  g_object_set_data_full (G_OBJECT (profile), LATEST_KEY, g_object_ref (self), g_object_unref);
  retort_profile_set_running (profile, TRUE);
  retort_run_log_append (self->log, RETORT_LOG_LEVEL_INFO, NULL, self->title, -1, -1);
  self->poll_id = g_timeout_add (POLL_MS, poll_cb, self);
  retort_connection_run_async (self->connection, self->run, self->cancellable, run_done_cb, g_object_ref (self));
  changed (self);
  return TRUE;
}

void
retort_run_session_cancel (RetortRunSession *self)
{
  g_return_if_fail (RETORT_IS_RUN_SESSION (self));
  if (self->state != RETORT_RUN_SESSION_RUNNING || g_cancellable_is_cancelled (self->cancellable))
    return;
  retort_run_log_append (self->log, RETORT_LOG_LEVEL_WARNING, self->step_revision,
                         _("Cancelling: the current transaction is rolled back"), -1, -1);
  g_cancellable_cancel (self->cancellable);
}

/* ---- getters ------------------------------------------------------------------------ */

RetortProfile *
retort_run_session_get_profile (RetortRunSession *self)
{
  RetortProfile *profile;

  g_return_val_if_fail (RETORT_IS_RUN_SESSION (self), NULL);
  /* borrowed: the window holds its profiles; NULL once one was removed */
  profile = g_weak_ref_get (&self->profile);
  if (profile != NULL)
    g_object_unref (profile);
  return profile;
}

RetortProject *
retort_run_session_get_project (RetortRunSession *self)
{
  g_return_val_if_fail (RETORT_IS_RUN_SESSION (self), NULL);
  return self->project;
}

RetortRun *
retort_run_session_get_run (RetortRunSession *self)
{
  g_return_val_if_fail (RETORT_IS_RUN_SESSION (self), NULL);
  return self->run;
}

RetortRunLog *
retort_run_session_get_log (RetortRunSession *self)
{
  g_return_val_if_fail (RETORT_IS_RUN_SESSION (self), NULL);
  return self->log;
}

RetortRunSessionState
retort_run_session_get_state (RetortRunSession *self)
{
  g_return_val_if_fail (RETORT_IS_RUN_SESSION (self), RETORT_RUN_SESSION_READY);
  return self->state;
}

gboolean
retort_run_session_get_running (RetortRunSession *self)
{
  g_return_val_if_fail (RETORT_IS_RUN_SESSION (self), FALSE);
  return self->state == RETORT_RUN_SESSION_RUNNING;
}

const char *
retort_run_session_get_title (RetortRunSession *self)
{
  g_return_val_if_fail (RETORT_IS_RUN_SESSION (self), NULL);
  return self->title;
}

guint
retort_run_session_get_step (RetortRunSession *self)
{
  g_return_val_if_fail (RETORT_IS_RUN_SESSION (self), 0);
  return self->step;
}

guint
retort_run_session_get_n_steps (RetortRunSession *self)
{
  g_return_val_if_fail (RETORT_IS_RUN_SESSION (self), 0);
  return self->n_steps;
}

const char *
retort_run_session_get_step_label (RetortRunSession *self)
{
  g_return_val_if_fail (RETORT_IS_RUN_SESSION (self), NULL);
  return self->step_label;
}

const char *
retort_run_session_get_step_revision (RetortRunSession *self)
{
  g_return_val_if_fail (RETORT_IS_RUN_SESSION (self), NULL);
  return self->step_revision;
}

const char *
retort_run_session_get_statement (RetortRunSession *self)
{
  g_return_val_if_fail (RETORT_IS_RUN_SESSION (self), NULL);
  return self->statement;
}

gint64
retort_run_session_get_elapsed (RetortRunSession *self)
{
  g_return_val_if_fail (RETORT_IS_RUN_SESSION (self), 0);
  if (self->started_us == 0)
    return 0;
  return (self->finished_us != 0 ? self->finished_us : g_get_monotonic_time ()) - self->started_us;
}

gboolean
retort_run_session_get_lock_waiting (RetortRunSession *self)
{
  g_return_val_if_fail (RETORT_IS_RUN_SESSION (self), FALSE);
  return self->lock_message != NULL;
}

GPtrArray *
retort_run_session_get_lock_holders (RetortRunSession *self)
{
  g_return_val_if_fail (RETORT_IS_RUN_SESSION (self), NULL);
  return self->lock_watch != NULL ? retort_lock_watch_get_holders (self->lock_watch) : NULL;
}

const char *
retort_run_session_get_lock_message (RetortRunSession *self)
{
  g_return_val_if_fail (RETORT_IS_RUN_SESSION (self), NULL);
  return self->lock_message;
}

const char *
retort_run_session_get_lock_identity (RetortRunSession *self)
{
  g_return_val_if_fail (RETORT_IS_RUN_SESSION (self), NULL);
  return self->lock_identity;
}

const GError *
retort_run_session_get_error (RetortRunSession *self)
{
  g_return_val_if_fail (RETORT_IS_RUN_SESSION (self), NULL);
  return self->error;
}

guint
retort_run_session_get_n_applied (RetortRunSession *self)
{
  g_return_val_if_fail (RETORT_IS_RUN_SESSION (self), 0);
  return retort_run_get_n_applied (self->run);
}

const char * const *
retort_run_session_get_initial_rows (RetortRunSession *self)
{
  g_return_val_if_fail (RETORT_IS_RUN_SESSION (self), NULL);
  return (const char * const *) self->initial_rows;
}

const char * const *
retort_run_session_get_final_rows (RetortRunSession *self)
{
  g_return_val_if_fail (RETORT_IS_RUN_SESSION (self), NULL);
  return self->state == RETORT_RUN_SESSION_RUNNING ? NULL : retort_run_get_final_rows (self->run);
}

static char *
format_seconds (gint64 us)
{
  if (us < G_USEC_PER_SEC)
    return g_strdup_printf (_("%d ms"), (int) (us / 1000));
  if (us < 10 * G_USEC_PER_SEC)
    return g_strdup_printf (_("%.1f s"), us / (double) G_USEC_PER_SEC);
  if (us < 120 * G_USEC_PER_SEC)
    return g_strdup_printf (_("%d s"), (int) (us / G_USEC_PER_SEC));
  return g_strdup_printf (_("%d min %02d s"), (int) (us / G_USEC_PER_SEC / 60), (int) (us / G_USEC_PER_SEC % 60));
}

static char *
join_rows (const char * const *rows)
{
  g_autoptr(GStrvBuilder) shortened = g_strv_builder_new ();
  g_auto(GStrv) ids = NULL;

  if (rows == NULL || rows[0] == NULL)
    return g_strdup (_("no revision"));
  for (guint i = 0; rows[i] != NULL; i++)
    {
      g_autofree char *id = retort_project_short_id (rows[i]);
      g_strv_builder_add (shortened, id);
    }
  ids = g_strv_builder_end (shortened);
  return g_strjoinv (", ", ids);
}

/* one sentence for the toast and the log */
char *
retort_run_session_describe_result (RetortRunSession *self)
{
  g_autofree char *elapsed = NULL;
  guint n_applied;

  g_return_val_if_fail (RETORT_IS_RUN_SESSION (self), NULL);
  elapsed = format_seconds (retort_run_session_get_elapsed (self));
  n_applied = retort_run_get_n_applied (self->run);

  switch (self->state)
    {
    case RETORT_RUN_SESSION_READY:
      return g_strdup (_("Not started"));
    case RETORT_RUN_SESSION_RUNNING:
      return g_strdup_printf (_("Running for %s"), elapsed);
    case RETORT_RUN_SESSION_CANCELLED:
      return g_strdup_printf (_("Cancelled after %s"), elapsed);
    case RETORT_RUN_SESSION_FAILED:
      if (self->step_revision != NULL)
        {
          g_autofree char *id = retort_project_short_id (self->step_revision);
          return g_strdup_printf (_("Failed at %s after %s"), id, elapsed);
        }
      return g_strdup_printf (_("Failed after %s"), elapsed);
    case RETORT_RUN_SESSION_SUCCEEDED:
    default:
      if (n_applied == 0)
        return g_strdup_printf (_("Nothing to do: already there (%s)"), elapsed);
      if (retort_run_get_operation (self->run) == RETORT_RUN_STAMP)
        {
          g_autofree char *rows = join_rows (retort_run_get_final_rows (self->run));
          return g_strdup_printf (_("Stamped %s in %s"), rows, elapsed);
        }
      if (retort_run_get_operation (self->run) == RETORT_RUN_DOWNGRADE)
        return g_strdup_printf (ngettext ("Downgraded %u revision in %s", "Downgraded %u revisions in %s",
                                          n_applied), n_applied, elapsed);
      return g_strdup_printf (ngettext ("Applied %u revision in %s", "Applied %u revisions in %s",
                                        n_applied), n_applied, elapsed);
    }
}

/* where the database stands now, as far as the run could read it */
char *
retort_run_session_describe_database (RetortRunSession *self)
{
  const char * const *final_rows;
  g_autofree char *now = NULL;
  g_autofree char *before = NULL;

  g_return_val_if_fail (RETORT_IS_RUN_SESSION (self), NULL);
  if (self->state == RETORT_RUN_SESSION_RUNNING || self->state == RETORT_RUN_SESSION_READY)
    return g_strdup (_("The run has not finished"));
  final_rows = retort_run_get_final_rows (self->run);
  if (final_rows == NULL)
    return g_strdup (_("The version table could not be read after the run (the connection was lost): refresh "
                       "the database to see where it stands"));
  now = join_rows (final_rows);
  before = join_rows ((const char * const *) self->initial_rows);
  if (self->state == RETORT_RUN_SESSION_SUCCEEDED)
    return g_strdup_printf (_("alembic_version now holds %s (was %s)"), now, before);
  if (retort_version_rows_equal (final_rows, (const char * const *) self->initial_rows))
    return g_strdup_printf (_("Nothing was changed: the transaction was rolled back and alembic_version still "
                              "holds %s"), now);
  return g_strdup_printf (_("alembic_version now holds %s (was %s): the revisions before the failure were "
                            "committed, each in its own transaction; the failed one was rolled back"),
                          now, before);
}
