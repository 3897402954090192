/* retort-connection.c — one database, one worker thread
 *
 * libpq connections must not be used by two threads, and a long run must
 * not hold one of GLib's shared pool threads: each connection has its own
 * worker thread that takes jobs (GTasks) in order. Results and run events
 * arrive on the main context of whoever started the job.
 */
#define G_LOG_DOMAIN "retort-connection"

#include "retort-connection.h"

/* What the worker thread owns. It outlives the connection object when the
 * last reference to that is dropped on the worker itself (a GTask holds
 * one), so finalize never has to join its own thread. */
typedef struct {
  RetortBackend *backend;
  gboolean       open;
  GAsyncQueue   *jobs;
  gint           busy;        /* runs queued or running */
  gint           unfinished;  /* jobs queued or running, of any kind */
} Worker;

struct _RetortConnection
{
  GObject            parent_instance;
  RetortDatabaseUrl *url;
  Worker            *state;
  GThread           *worker;
};

G_DEFINE_FINAL_TYPE (RetortConnection, retort_connection, G_TYPE_OBJECT)

typedef enum { JOB_RUN, JOB_READ_STATE, JOB_QUIT } JobKind;

typedef struct {
  JobKind  kind;
  GTask   *task;
  char    *schema;
  char    *table;
} Job;

static void
job_free (Job *job)
{
  g_clear_object (&job->task);
  g_free (job->schema);
  g_free (job->table);
  g_free (job);
}

static void
worker_free (Worker *state)
{
  retort_backend_close (state->backend);
  g_object_unref (state->backend);
  g_async_queue_unref (state->jobs);
  g_free (state);
}

static gboolean
ensure_open (Worker  *self,
             GError **error)
{
  if (self->open)
    return TRUE;
  if (!retort_backend_open (self->backend, error))
    return FALSE;
  self->open = TRUE;
  return TRUE;
}

static void
run_job (Worker *self,
         Job    *job)
{
  GCancellable *cancellable = g_task_get_cancellable (job->task);
  g_autoptr(GError) error = NULL;

  if (g_cancellable_is_cancelled (cancellable))
    {
      g_task_return_new_error (job->task, RETORT_DATABASE_ERROR, RETORT_DATABASE_ERROR_CANCELLED,
                               "cancelled before it started");
      return;
    }
  if (!ensure_open (self, &error))
    {
      g_task_return_error (job->task, g_steal_pointer (&error));
      return;
    }
  if (job->kind == JOB_RUN)
    {
      RetortRun *run = g_task_get_task_data (job->task);
      if (retort_run_execute (run, self->backend, cancellable, &error))
        g_task_return_boolean (job->task, TRUE);
      else
        g_task_return_error (job->task, g_steal_pointer (&error));
    }
  else
    {
      RetortVersionState *state = retort_version_table_read (self->backend, job->schema, job->table, &error);
      if (state != NULL)
        g_task_return_pointer (job->task, state, (GDestroyNotify) retort_version_state_free);
      else
        g_task_return_error (job->task, g_steal_pointer (&error));
    }
  /* a dropped connection is reopened by the next job */
  if (error != NULL && g_error_matches (error, RETORT_DATABASE_ERROR, RETORT_DATABASE_ERROR_CONNECTION_LOST))
    {
      retort_backend_close (self->backend);
      self->open = FALSE;
    }
}

static gpointer
worker_main (gpointer data)
{
  Worker *self = data;

  for (;;)
    {
      Job *job = g_async_queue_pop (self->jobs);
      if (job->kind == JOB_QUIT)
        {
          job_free (job);
          break;
        }
      run_job (self, job);
      if (job->kind == JOB_RUN)
        g_atomic_int_dec_and_test (&self->busy);
      /* the result is on its way to the caller's main context */
      g_atomic_int_dec_and_test (&self->unfinished);
      job_free (job);  /* may drop the last reference to the connection object */
    }
  worker_free (self);
  return NULL;
}

static void
retort_connection_finalize (GObject *object)
{
  RetortConnection *self = RETORT_CONNECTION (object);

  if (self->worker != NULL)
    {
      Job *quit = g_new0 (Job, 1);
      quit->kind = JOB_QUIT;
      g_async_queue_push (self->state->jobs, quit);
      if (g_thread_self () == self->worker)
        g_thread_unref (self->worker);  /* finishing its last job: it frees its state */
      else
        g_thread_join (self->worker);
    }
  else
    worker_free (self->state);
  retort_database_url_free (self->url);
  G_OBJECT_CLASS (retort_connection_parent_class)->finalize (object);
}

static void
retort_connection_class_init (RetortConnectionClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = retort_connection_finalize;
}

static void
retort_connection_init (RetortConnection *self)
{
  self->state = g_new0 (Worker, 1);
  self->state->jobs = g_async_queue_new ();
}

RetortConnection *
retort_connection_new (RetortDatabaseUrl *url)
{
  RetortConnection *self = g_object_new (RETORT_TYPE_CONNECTION, NULL);

  self->url = retort_database_url_copy (url);
  self->state->backend = retort_backend_new (self->url, NULL);
  return self;
}

const char *
retort_connection_get_display (RetortConnection *self)
{
  g_return_val_if_fail (RETORT_IS_CONNECTION (self), NULL);
  return self->url->display;
}

RetortDialect
retort_connection_get_dialect (RetortConnection *self)
{
  g_return_val_if_fail (RETORT_IS_CONNECTION (self), RETORT_DIALECT_SQLITE);
  return self->url->dialect;
}

/* Jobs the worker has not finished. A job whose result waits to be
 * dispatched on a busy main context no longer counts: a caller's timeout
 * can tell "no answer" from "answer not collected yet". */
guint
retort_connection_get_unfinished (RetortConnection *self)
{
  g_return_val_if_fail (RETORT_IS_CONNECTION (self), 0);
  return (guint) g_atomic_int_get (&self->state->unfinished);
}

gboolean
retort_connection_is_busy (RetortConnection *self)
{
  g_return_val_if_fail (RETORT_IS_CONNECTION (self), FALSE);
  return g_atomic_int_get (&self->state->busy) > 0;
}

/* lock_timeout and statement_timeout (PostgreSQL), applied when connecting */
void
retort_connection_set_timeouts (RetortConnection *self,
                                guint             lock_timeout_ms,
                                guint             statement_timeout_ms)
{
  g_return_if_fail (RETORT_IS_CONNECTION (self));
  retort_backend_set_timeouts (self->state->backend, lock_timeout_ms, statement_timeout_ms);
}

static void
push_job (RetortConnection *self,
          Job              *job)
{
  if (self->worker == NULL)
    self->worker = g_thread_new ("retort-connection", worker_main, self->state);
  g_atomic_int_inc (&self->state->unfinished);
  g_async_queue_push (self->state->jobs, job);
}

void
retort_connection_run_async (RetortConnection    *self,
                             RetortRun           *run,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Job *job;

  g_return_if_fail (RETORT_IS_CONNECTION (self));
  g_return_if_fail (RETORT_IS_RUN (run));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, retort_connection_run_async);
  /* a cancelled run reports its own error: what was rolled back, and where */
  g_task_set_check_cancellable (task, FALSE);
  g_task_set_task_data (task, g_object_ref (run), g_object_unref);

  if (!g_atomic_int_compare_and_exchange (&self->state->busy, 0, 1))
    {
      g_task_return_new_error (task, RETORT_DATABASE_ERROR, RETORT_DATABASE_ERROR_LOCKED,
                               "A run on %s is already in progress", self->url->display);
      return;
    }
  retort_run_set_event_context (run, g_main_context_get_thread_default () ? g_main_context_get_thread_default ()
                                                                          : g_main_context_default ());
  job = g_new0 (Job, 1);
  job->kind = JOB_RUN;
  job->task = g_steal_pointer (&task);
  push_job (self, job);
}

gboolean
retort_connection_run_finish (RetortConnection  *self,
                              GAsyncResult      *result,
                              GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
retort_connection_read_state_async (RetortConnection    *self,
                                    const char          *schema,
                                    const char          *table,
                                    int                  io_priority,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  Job *job = g_new0 (Job, 1);

  g_return_if_fail (RETORT_IS_CONNECTION (self));
  job->kind = JOB_READ_STATE;
  job->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (job->task, retort_connection_read_state_async);
  g_task_set_priority (job->task, io_priority);
  job->schema = g_strdup (schema);
  job->table = g_strdup (table != NULL ? table : "alembic_version");
  push_job (self, job);
}

RetortVersionState *
retort_connection_read_state_finish (RetortConnection  *self,
                                     GAsyncResult      *result,
                                     GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
