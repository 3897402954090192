/* retort-run.c — an upgrade, downgrade or stamp of one database, as steps
 *
 * On the connection's worker thread: take the migration lock, read
 * alembic_version, plan from what is really there, then run the steps —
 * added ones (a backup) first, then one step per revision or stamp — with
 * transactions, cancellation and events handled here for every kind of
 * step alike. Events are signals, emitted on the event context (the caller's
 * main context) when one is set.
 */
#define G_LOG_DOMAIN "retort-run"

#include "retort-run.h"
#include "retort-migration-step.h"

#include <string.h>

struct _RetortRunContext
{
  RetortRun     *run;
  RetortBackend *backend;
  GCancellable  *cancellable;
  gboolean       in_transaction;
  guint          line_offset;   /* of the SQL being run, in its file */
};

struct _RetortRun
{
  GObject                parent_instance;
  RetortRevisionMap     *map;
  RetortRunOperation     operation;
  GStrv                  targets;
  gboolean               purge;
  RetortTransactionMode  transaction_mode;
  char                  *schema;
  char                  *table;
  guint                  lock_wait_ms;
  GPtrArray             *extra_steps;
  GStrv                  expected_rows;    /* NULL: whatever is there */
  GMutex                 current_lock;     /* the statement running now, for progress */
  char                  *current_sql;
  guint                  current_line;
  gint64                 current_since;
  GMainContext          *event_context;
  GMutex                 event_lock;
  GQueue                 pending_events;   /* waiting for the event context */
  gboolean               drain_scheduled;

  RetortPlan            *plan;
  GStrv                  final_rows;
  guint                  n_applied;
};

G_DEFINE_FINAL_TYPE (RetortRun, retort_run, G_TYPE_OBJECT)

enum {
  SIGNAL_STARTED,        /* (guint n_steps) */
  SIGNAL_STEP_STARTED,   /* (guint index, guint n_steps, const char *description) */
  SIGNAL_STATEMENT,      /* (const char *sql, guint line, gint64 duration_us, gint64 rows) */
  SIGNAL_NOTICE,         /* (const char *severity, const char *message) */
  SIGNAL_LOG,            /* (const char *message) */
  SIGNAL_STEP_FINISHED,  /* (guint index, guint n_steps) */
  SIGNAL_LOCK_WAIT,      /* (gboolean waiting, const char *holder or NULL) */
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* ---- events, delivered on the event context ------------------------------ */

typedef struct {
  RetortRun *run;
  guint      signal;
  guint      a, b;
  gint64     c, d;
  char      *text1;
  char      *text2;
} Event;

static void
event_free (gpointer data)
{
  Event *event = data;
  g_object_unref (event->run);
  g_free (event->text1);
  g_free (event->text2);
  g_free (event);
}

static gboolean
dispatch_event (gpointer data)
{
  Event *event = data;

  switch (event->signal)
    {
    case SIGNAL_STARTED:
      g_signal_emit (event->run, signals[SIGNAL_STARTED], 0, event->a);
      break;
    case SIGNAL_STEP_STARTED:
      g_signal_emit (event->run, signals[SIGNAL_STEP_STARTED], 0, event->a, event->b, event->text1);
      break;
    case SIGNAL_STATEMENT:
      g_signal_emit (event->run, signals[SIGNAL_STATEMENT], 0, event->text1, event->a, event->c, event->d);
      break;
    case SIGNAL_NOTICE:
      g_signal_emit (event->run, signals[SIGNAL_NOTICE], 0, event->text1, event->text2);
      break;
    case SIGNAL_LOG:
      g_signal_emit (event->run, signals[SIGNAL_LOG], 0, event->text1);
      break;
    case SIGNAL_STEP_FINISHED:
      g_signal_emit (event->run, signals[SIGNAL_STEP_FINISHED], 0, event->a, event->b);
      break;
    case SIGNAL_LOCK_WAIT:
      g_signal_emit (event->run, signals[SIGNAL_LOCK_WAIT], 0, (gboolean) event->a, event->text1);
      break;
    default:
      g_assert_not_reached ();
    }
  return G_SOURCE_REMOVE;
}

/* Events from the worker are queued and delivered in batches: the event
 * context wakes at most every EVENT_BATCH_MS with everything that happened
 * since, so a run of a thousand quick statements does not cost thousands of
 * thread switches. The run flushes at its end, before its GTask returns, so
 * every event arrives before the result. Order is kept. */
#define EVENT_BATCH_MS 20
static gboolean
drain_events (gpointer data)
{
  RetortRun *self = data;
  GQueue batch = G_QUEUE_INIT;
  Event *event;

  g_mutex_lock (&self->event_lock);
  batch = self->pending_events;
  g_queue_init (&self->pending_events);
  self->drain_scheduled = FALSE;
  g_mutex_unlock (&self->event_lock);

  while ((event = g_queue_pop_head (&batch)) != NULL)
    {
      dispatch_event (event);
      event_free (event);
    }
  return G_SOURCE_REMOVE;
}

/* from the worker, at the end of a run: deliver what is queued now */
static void
flush_events (RetortRun *self)
{
  g_autoptr(GSource) source = NULL;

  if (self->event_context == NULL || g_main_context_is_owner (self->event_context))
    return;
  /* a source, never g_main_context_invoke: with nobody owning the context
   * at this instant, invoke would run the handlers here, on the worker */
  source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, drain_events, g_object_ref (self), g_object_unref);
  g_source_set_static_name (source, "[retort] run events, last");
  g_source_attach (source, self->event_context);
}

static void
emit (RetortRun  *self,
      guint       signal,
      guint       a,
      guint       b,
      gint64      c,
      gint64      d,
      const char *text1,
      const char *text2)
{
  Event *event = g_new0 (Event, 1);

  event->run = g_object_ref (self);
  event->signal = signal;
  event->a = a, event->b = b, event->c = c, event->d = d;
  event->text1 = g_strdup (text1);
  event->text2 = g_strdup (text2);
  if (self->event_context != NULL && !g_main_context_is_owner (self->event_context))
    {
      gboolean schedule;

      g_mutex_lock (&self->event_lock);
      g_queue_push_tail (&self->pending_events, event);
      schedule = !self->drain_scheduled;
      self->drain_scheduled = TRUE;
      g_mutex_unlock (&self->event_lock);
      if (schedule)
        {
          g_autoptr(GSource) source = g_timeout_source_new (EVENT_BATCH_MS);
          g_source_set_callback (source, drain_events, g_object_ref (self), g_object_unref);
          g_source_set_static_name (source, "[retort] run events");
          g_source_attach (source, self->event_context);
        }
    }
  else
    {
      dispatch_event (event);
      event_free (event);
    }
}

/* ---- the context steps run in ----------------------------------------------- */

RetortBackend *
retort_run_context_get_backend (RetortRunContext *context)
{
  return context->backend;
}

GCancellable *
retort_run_context_get_cancellable (RetortRunContext *context)
{
  return context->cancellable;
}

void
retort_run_context_log (RetortRunContext *context,
                        const char       *message)
{
  emit (context->run, SIGNAL_LOG, 0, 0, 0, 0, message, NULL);
}

static void
on_statement (const char *statement,
              guint       line,
              gint64      duration_us,
              gint64      rows,
              gpointer    user_data)
{
  RetortRunContext *context = user_data;

  /* the commonest event: do not copy it for nobody */
  if (!g_signal_has_handler_pending (context->run, signals[SIGNAL_STATEMENT], 0, FALSE))
    return;
  emit (context->run, SIGNAL_STATEMENT, line + context->line_offset, 0, duration_us, rows, statement, NULL);
}

/* A progress display polls this rather than getting an event per statement
 * twice over: statements can be many and short. */
static void
on_statement_start (const char *statement,
                    guint       line,
                    gpointer    user_data)
{
  RetortRunContext *context = user_data;
  RetortRun *self = context->run;

  g_mutex_lock (&self->current_lock);
  g_free (self->current_sql);
  self->current_sql = g_strdup (statement);
  self->current_line = line + context->line_offset;
  self->current_since = g_get_monotonic_time ();
  g_mutex_unlock (&self->current_lock);
}

static void
forget_current_statement (RetortRun *self)
{
  g_mutex_lock (&self->current_lock);
  g_clear_pointer (&self->current_sql, g_free);
  self->current_line = 0;
  self->current_since = 0;
  g_mutex_unlock (&self->current_lock);
}

char *
retort_run_dup_current_statement (RetortRun *self,
                                  guint     *line,
                                  gint64    *since)
{
  char *sql;

  g_return_val_if_fail (RETORT_IS_RUN (self), NULL);
  g_mutex_lock (&self->current_lock);
  sql = g_strdup (self->current_sql);
  if (line != NULL)
    *line = self->current_line;
  if (since != NULL)
    *since = self->current_since;
  g_mutex_unlock (&self->current_lock);
  return sql;
}

static gboolean
check_cancelled (RetortRunContext  *context,
                 GError           **error)
{
  if (g_cancellable_is_cancelled (context->cancellable))
    {
      g_set_error (error, RETORT_DATABASE_ERROR, RETORT_DATABASE_ERROR_CANCELLED, "cancelled");
      return FALSE;
    }
  return TRUE;
}

static gboolean
set_in_transaction (RetortRunContext  *context,
                    gboolean           wanted,
                    GError           **error)
{
  if (context->in_transaction == wanted)
    return TRUE;
  context->line_offset = 0;
  if (!retort_backend_run_script (context->backend, wanted ? "BEGIN" : "COMMIT", NULL, NULL, error))
    return FALSE;
  context->in_transaction = wanted;
  return TRUE;
}

gboolean
retort_run_context_run_sql (RetortRunContext  *context,
                            const char        *sql,
                            gboolean           transactional,
                            guint              first_line,
                            GError           **error)
{
  if (!check_cancelled (context, error))
    return FALSE;
  /* a non-transactional section commits what came before and runs on its own */
  if (!transactional && !set_in_transaction (context, FALSE, error))
    return FALSE;
  if (transactional && !set_in_transaction (context, TRUE, error))
    return FALSE;
  context->line_offset = first_line > 0 ? first_line - 1 : 0;
  if (!retort_backend_run_script (context->backend, sql, on_statement, context, error))
    {
      if (error != NULL && *error != NULL && retort_database_error_get_statement (*error) != NULL)
        retort_database_error_set_details (*error, retort_database_error_get_sqlstate (*error),
                                           retort_database_error_get_statement (*error),
                                           retort_database_error_get_line (*error) + context->line_offset);
      return FALSE;
    }
  return TRUE;
}

typedef struct {
  RetortRunContext *context;
  gint64            rows;
} VersionChange;

static void
on_version_statement (const char *statement,
                      guint       line,
                      gint64      duration_us,
                      gint64      rows,
                      gpointer    user_data)
{
  VersionChange *change = user_data;

  change->rows = rows;
  on_statement (statement, line, duration_us, rows, change->context);
}

gboolean
retort_run_context_change_version (RetortRunContext  *context,
                                   const char        *sql,
                                   GError           **error)
{
  VersionChange change = { context, -1 };

  if (!set_in_transaction (context, TRUE, error))
    return FALSE;
  context->line_offset = 0;
  if (!retort_backend_run_script (context->backend, sql, on_version_statement, &change, error))
    return FALSE;
  if ((g_str_has_prefix (sql, "UPDATE") || g_str_has_prefix (sql, "DELETE")) && change.rows != 1)
    {
      /* as Alembic: a version row change must hit exactly one row */
      g_set_error (error, RETORT_DATABASE_ERROR, RETORT_DATABASE_ERROR_VERSION_TABLE,
                   "The version table changed under this run: '%s' matched %" G_GINT64_FORMAT
                   " rows instead of 1", sql, change.rows);
      return FALSE;
    }
  return TRUE;
}

/* ---- the run ------------------------------------------------------------------ */

static void
retort_run_finalize (GObject *object)
{
  RetortRun *self = RETORT_RUN (object);

  g_clear_object (&self->map);
  g_strfreev (self->targets);
  g_free (self->schema);
  g_free (self->table);
  g_ptr_array_unref (self->extra_steps);
  g_strfreev (self->expected_rows);
  g_free (self->current_sql);
  g_mutex_clear (&self->current_lock);
  g_clear_pointer (&self->event_context, g_main_context_unref);
  g_queue_clear_full (&self->pending_events, event_free);
  g_mutex_clear (&self->event_lock);
  g_clear_object (&self->plan);
  g_strfreev (self->final_rows);
  G_OBJECT_CLASS (retort_run_parent_class)->finalize (object);
}

static void
retort_run_class_init (RetortRunClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = retort_run_finalize;

  signals[SIGNAL_STARTED] = g_signal_new ("started", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                          NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);
  signals[SIGNAL_STEP_STARTED] = g_signal_new ("step-started", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                               NULL, NULL, NULL, G_TYPE_NONE, 3,
                                               G_TYPE_UINT, G_TYPE_UINT, G_TYPE_STRING);
  signals[SIGNAL_STATEMENT] = g_signal_new ("statement", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                            NULL, NULL, NULL, G_TYPE_NONE, 4,
                                            G_TYPE_STRING, G_TYPE_UINT, G_TYPE_INT64, G_TYPE_INT64);
  signals[SIGNAL_NOTICE] = g_signal_new ("notice", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                         NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
  signals[SIGNAL_LOG] = g_signal_new ("log", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                      NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[SIGNAL_STEP_FINISHED] = g_signal_new ("step-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                                NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_UINT);
  /* the run waits for the migration lock (TRUE, with who holds it when the
   * database can tell: a line for people, or NULL), or no longer does (FALSE,
   * NULL) — because it got the lock, gave up or was cancelled */
  signals[SIGNAL_LOCK_WAIT] = g_signal_new ("lock-wait", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                            NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_BOOLEAN, G_TYPE_STRING);
}

static void
retort_run_init (RetortRun *self)
{
  self->extra_steps = g_ptr_array_new_with_free_func (g_object_unref);
  g_mutex_init (&self->event_lock);
  g_mutex_init (&self->current_lock);
  g_queue_init (&self->pending_events);
  self->table = g_strdup ("alembic_version");
  self->lock_wait_ms = 30000;
}

RetortRun *
retort_run_new (RetortRevisionMap  *map,
                RetortRunOperation  operation,
                const char * const *targets)
{
  RetortRun *self = g_object_new (RETORT_TYPE_RUN, NULL);

  self->map = g_object_ref (map);
  self->operation = operation;
  self->targets = g_strdupv ((char **) targets);
  return self;
}

void
retort_run_set_purge (RetortRun *self,
                      gboolean   purge)
{
  self->purge = purge;
}

void
retort_run_set_transaction_mode (RetortRun             *self,
                                 RetortTransactionMode  mode)
{
  self->transaction_mode = mode;
}

void
retort_run_set_version_table (RetortRun  *self,
                              const char *schema,
                              const char *table)
{
  g_free (self->schema);
  g_free (self->table);
  self->schema = g_strdup (schema);
  self->table = g_strdup (table != NULL ? table : "alembic_version");
}

void
retort_run_set_lock_wait (RetortRun *self,
                          guint      milliseconds)
{
  self->lock_wait_ms = milliseconds;
}

void
retort_run_add_step (RetortRun     *self,
                     RetortRunStep *step)
{
  g_ptr_array_add (self->extra_steps, g_object_ref (step));
}

void
retort_run_set_expected_rows (RetortRun          *self,
                              const char * const *rows)
{
  g_strfreev (self->expected_rows);
  self->expected_rows = g_strdupv ((char **) rows);
  if (self->expected_rows == NULL)
    self->expected_rows = g_new0 (char *, 1);
}

void
retort_run_set_event_context (RetortRun    *self,
                              GMainContext *context)
{
  g_clear_pointer (&self->event_context, g_main_context_unref);
  self->event_context = context != NULL ? g_main_context_ref (context) : NULL;
}

RetortPlan *
retort_run_make_plan (RetortRun          *self,
                      const char * const *rows,
                      GError            **error)
{
  const char *target = self->targets != NULL && self->targets[0] != NULL ? self->targets[0] : "heads";

  switch (self->operation)
    {
    case RETORT_RUN_UPGRADE:
      return retort_plan_new_upgrade (self->map, target, rows, error);
    case RETORT_RUN_DOWNGRADE:
      return retort_plan_new_downgrade (self->map, target, rows, error);
    case RETORT_RUN_STAMP:
      return retort_plan_new_stamp (self->map, (const char * const *) self->targets, rows, self->purge, error);
    default:
      g_return_val_if_reached (NULL);
    }
}

static void
on_notice (const char *severity,
           const char *message,
           gpointer    user_data)
{
  emit (user_data, SIGNAL_NOTICE, 0, 0, 0, 0, severity, message);
}

static void
on_cancelled (GCancellable *cancellable,
              gpointer      user_data)
{
  retort_backend_interrupt (user_data);
}

/* One attempt first, so that a wait is announced before it starts — with who
 * holds the lock — and announced over once the lock is taken or the run gives
 * up. A failed attempt leaves the connection as it was (both backends make
 * sure of it), so the real wait starts clean. */
static gboolean
take_migration_lock (RetortRun         *self,
                     RetortRunContext  *context,
                     const char        *key,
                     GError           **error)
{
  g_autoptr(GError) busy = NULL;
  g_autofree char *holder = NULL;
  g_autofree char *waiting = NULL;
  gint64 began;
  gboolean ok;

  if (!check_cancelled (context, error))
    return FALSE;
  if (retort_backend_lock (context->backend, key, 0, &busy))
    return TRUE;
  if (self->lock_wait_ms == 0 || !g_error_matches (busy, RETORT_DATABASE_ERROR, RETORT_DATABASE_ERROR_LOCKED))
    {
      g_propagate_error (error, g_steal_pointer (&busy));
      return FALSE;
    }

  holder = retort_backend_describe_lock_holder (context->backend, key);
  waiting = g_strdup_printf ("Waiting for the migration lock held by %s",
                             holder != NULL ? holder : "another session");
  emit (self, SIGNAL_LOCK_WAIT, TRUE, 0, 0, 0, holder, NULL);
  emit (self, SIGNAL_LOG, 0, 0, 0, 0, waiting, NULL);
  began = g_get_monotonic_time ();
  ok = check_cancelled (context, error) &&
       retort_backend_lock (context->backend, key, self->lock_wait_ms, error);
  if (ok)
    {
      g_autofree char *got = g_strdup_printf ("Got the migration lock after %.1f s",
                                              (g_get_monotonic_time () - began) / (double) G_USEC_PER_SEC);
      emit (self, SIGNAL_LOG, 0, 0, 0, 0, got, NULL);
    }
  emit (self, SIGNAL_LOCK_WAIT, FALSE, 0, 0, 0, NULL, NULL);
  return ok;
}

static gboolean
run_steps (RetortRun         *self,
           RetortRunContext  *context,
           GError           **error)
{
  g_autoptr(RetortVersionState) state = NULL;
  g_autoptr(GPtrArray) steps = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *qualified = retort_version_table_qualified_name (self->schema, self->table);
  gboolean per_revision;
  guint n_steps;

  state = retort_version_table_read (context->backend, self->schema, self->table, error);
  if (state == NULL)
    return FALSE;
  if (self->expected_rows != NULL &&
      !retort_version_rows_equal ((const char * const *) self->expected_rows, (const char * const *) state->rows))
    {
      g_autofree char *now = state->rows[0] != NULL ? g_strjoinv (", ", state->rows) : g_strdup ("no revision");
      g_set_error (error, RETORT_DATABASE_ERROR, RETORT_DATABASE_ERROR_VERSION_TABLE,
                   "The database changed since the plan was shown: alembic_version now holds %s. "
                   "Nothing was changed.", now);
      return FALSE;
    }
  self->plan = retort_run_make_plan (self, (const char * const *) state->rows, error);
  if (self->plan == NULL)
    return FALSE;

  /* refuse before changing anything when a revision cannot run here */
  for (guint i = 0; i < retort_plan_get_n_steps (self->plan); i++)
    {
      RetortPlanStep *ps = retort_plan_get_step (self->plan, i);
      const char *problem = ps->revision == NULL ? NULL
        : retort_revision_get_native_problem (ps->revision, ps->is_upgrade ? RETORT_DIRECTION_UPGRADE
                                                                          : RETORT_DIRECTION_DOWNGRADE);
      if (problem != NULL)
        {
          g_set_error (error, RETORT_DATABASE_ERROR, RETORT_DATABASE_ERROR_STATEMENT,
                       "Revision %s (%s) cannot run in-process: %s. Nothing was changed.",
                       retort_revision_get_id (ps->revision), retort_revision_get_path (ps->revision), problem);
          return FALSE;
        }
    }

  for (guint i = 0; i < self->extra_steps->len; i++)
    g_ptr_array_add (steps, g_object_ref (g_ptr_array_index (self->extra_steps, i)));
  for (guint i = 0; i < retort_plan_get_n_steps (self->plan); i++)
    g_ptr_array_add (steps, retort_migration_step_new (self->plan, i, qualified));
  n_steps = steps->len;

  per_revision = self->transaction_mode == RETORT_TRANSACTION_PER_REVISION ||
                 (self->transaction_mode == RETORT_TRANSACTION_AUTO &&
                  !retort_backend_get_transactional_ddl (context->backend));
  emit (self, SIGNAL_STARTED, n_steps, 0, 0, 0, NULL, NULL);

  for (guint i = 0; i < n_steps; i++)
    {
      RetortRunStep *step = g_ptr_array_index (steps, i);
      g_autofree char *description = retort_run_step_describe (step);
      gboolean migration = retort_run_step_is_migration (step);

      if (!check_cancelled (context, error))
        return FALSE;
      if (migration && (i == 0 || !retort_run_step_is_migration (g_ptr_array_index (steps, i - 1))))
        {
          /* before the first change: the version table, as Alembic makes it */
          if (!set_in_transaction (context, TRUE, error))
            return FALSE;
          if (self->purge || state->rows[0] == NULL)
            {
              g_autofree char *create = retort_version_table_create_sql (self->schema, self->table, TRUE);
              if (!retort_run_context_run_sql (context, create, TRUE, 0, error))
                return FALSE;
            }
          if (self->purge)
            {
              g_autofree char *purge = g_strdup_printf ("DELETE FROM %s", qualified);
              if (!retort_run_context_run_sql (context, purge, TRUE, 0, error))
                return FALSE;
            }
        }
      emit (self, SIGNAL_STEP_STARTED, i, n_steps, 0, 0, description, NULL);
      if (migration && !set_in_transaction (context, TRUE, error))
        return FALSE;
      if (!retort_run_step_execute (step, context, error))
        {
          if (migration)
            g_prefix_error (error, "%s: ", description);
          return FALSE;
        }
      if (migration && per_revision && !set_in_transaction (context, FALSE, error))
        return FALSE;
      if (migration)
        self->n_applied++;
      emit (self, SIGNAL_STEP_FINISHED, i, n_steps, 0, 0, NULL, NULL);
    }

  if (n_steps == 0 && state->rows[0] == NULL)
    {
      /* an upgrade with nothing to do still leaves Alembic's empty table */
      g_autofree char *create = retort_version_table_create_sql (self->schema, self->table, TRUE);
      if (!retort_run_context_run_sql (context, create, TRUE, 0, error))
        return FALSE;
    }
  return set_in_transaction (context, FALSE, error);
}

gboolean
retort_run_execute (RetortRun     *self,
                    RetortBackend *backend,
                    GCancellable  *cancellable,
                    GError       **error)
{
  RetortRunContext context = { self, backend, cancellable, FALSE, 0 };
  g_autofree char *lock_key = retort_version_table_qualified_name (self->schema, self->table);
  gulong cancel_id = 0;
  gboolean ok;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (RETORT_IS_RUN (self), FALSE);
  g_return_val_if_fail (RETORT_IS_BACKEND (backend), FALSE);

  self->n_applied = 0;
  g_clear_object (&self->plan);
  g_clear_pointer (&self->final_rows, g_strfreev);
  retort_backend_set_notice_func (backend, on_notice, self);
  retort_backend_set_statement_start_func (backend, on_statement_start, &context);
  if (cancellable != NULL)
    cancel_id = g_cancellable_connect (cancellable, G_CALLBACK (on_cancelled), backend, NULL);

  ok = take_migration_lock (self, &context, lock_key, &local_error);
  if (ok)
    {
      ok = run_steps (self, &context, &local_error);
      if (!ok && context.in_transaction)
        {
          /* leave nothing half-done; the version table stays true */
          g_autoptr(GError) rollback_error = NULL;
          retort_backend_run_script (backend, "ROLLBACK", NULL, NULL, &rollback_error);
        }
      retort_backend_unlock (backend, lock_key);
    }

  if (cancel_id != 0)
    g_cancellable_disconnect (cancellable, cancel_id);

  if (!g_error_matches (local_error, RETORT_DATABASE_ERROR, RETORT_DATABASE_ERROR_CONNECTION_LOST))
    {
      g_autoptr(RetortVersionState) after = retort_version_table_read (backend, self->schema, self->table, NULL);
      if (after != NULL)
        self->final_rows = g_strdupv (after->rows);
    }
  retort_backend_set_notice_func (backend, NULL, NULL);
  retort_backend_set_statement_start_func (backend, NULL, NULL);
  forget_current_statement (self);
  flush_events (self);
  if (!ok)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}

RetortRunOperation
retort_run_get_operation (RetortRun *self)
{
  g_return_val_if_fail (RETORT_IS_RUN (self), RETORT_RUN_UPGRADE);
  return self->operation;
}

const char * const *
retort_run_get_targets (RetortRun *self)
{
  g_return_val_if_fail (RETORT_IS_RUN (self), NULL);
  return (const char * const *) self->targets;
}

gboolean
retort_run_get_purge (RetortRun *self)
{
  g_return_val_if_fail (RETORT_IS_RUN (self), FALSE);
  return self->purge;
}

RetortPlan *
retort_run_get_plan (RetortRun *self)
{
  g_return_val_if_fail (RETORT_IS_RUN (self), NULL);
  return self->plan;
}

const char *
retort_run_get_step_revision (RetortRun *self,
                              guint      index)
{
  guint n_extra;
  RetortPlanStep *step;

  g_return_val_if_fail (RETORT_IS_RUN (self), NULL);
  n_extra = self->extra_steps->len;
  if (self->plan == NULL || index < n_extra || index - n_extra >= retort_plan_get_n_steps (self->plan))
    return NULL;
  step = retort_plan_get_step (self->plan, index - n_extra);
  if (step->revision != NULL)
    return retort_revision_get_id (step->revision);
  /* a stamp: where it goes, or where it came from for a stamp to base */
  if (step->to_revisions != NULL && step->to_revisions[0] != NULL)
    return step->to_revisions[0];
  if (step->from_revisions != NULL && step->from_revisions[0] != NULL)
    return step->from_revisions[0];
  return NULL;
}

const char * const *
retort_run_get_final_rows (RetortRun *self)
{
  g_return_val_if_fail (RETORT_IS_RUN (self), NULL);
  return (const char * const *) self->final_rows;
}

guint
retort_run_get_n_applied (RetortRun *self)
{
  g_return_val_if_fail (RETORT_IS_RUN (self), 0);
  return self->n_applied;
}
