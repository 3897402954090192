/* retort-lock-watch.c — who keeps a run waiting, asked on a second connection
 *
 * The run's own connection is busy waiting, so the question goes over a
 * connection of the watch's own, from a thread of its own (a run may wait for
 * hours; GLib's shared pool is not for that). The thread and what it needs
 * live in a Poller that outlives the watch object when the watch is dropped
 * mid-poll: stopping only tells the thread to end and never waits for it,
 * and answers for a watch that is gone or restarted are dropped.
 *
 * Table and row locks: pg_blocking_pids() of the run's sessions, and what
 * each blocker holds on the object the run waits for (its ungranted row in
 * pg_locks). The migration lock is polled for with pg_try_advisory_lock, so
 * the server never sees the run wait for it: the run's session is waiting
 * when the statement it last sent is the backend's try-lock statement.
 */
#define G_LOG_DOMAIN "retort-lock-watch"

#include "retort-lock-watch.h"
#include "retort-backend.h"
#include "retort-pg-backend-private.h"
#include "retort-text.h"

#include <string.h>

#define QUERY_MAX_CHARS 200

/* ---- holders -------------------------------------------------------------- */

RetortLockHolder *
retort_lock_holder_copy (const RetortLockHolder *holder)
{
  RetortLockHolder *copy;

  g_return_val_if_fail (holder != NULL, NULL);
  copy = g_new0 (RetortLockHolder, 1);
  *copy = *holder;
  copy->user = g_strdup (holder->user);
  copy->application = g_strdup (holder->application);
  copy->client = g_strdup (holder->client);
  copy->state = g_strdup (holder->state);
  copy->query = g_strdup (holder->query);
  copy->relation = g_strdup (holder->relation);
  copy->what = g_strdup (holder->what);
  copy->mode = g_strdup (holder->mode);
  return copy;
}

void
retort_lock_holder_free (RetortLockHolder *holder)
{
  if (holder == NULL)
    return;
  g_free (holder->user);
  g_free (holder->application);
  g_free (holder->client);
  g_free (holder->state);
  g_free (holder->query);
  g_free (holder->relation);
  g_free (holder->what);
  g_free (holder->mode);
  g_free (holder);
}

G_DEFINE_BOXED_TYPE (RetortLockHolder, retort_lock_holder, retort_lock_holder_copy, retort_lock_holder_free)

/* ---- the query ------------------------------------------------------------ */

/* lock modes, weakest first: a holder with several on one object shows its strongest */
#define MODE_STRENGTH(mode) \
  "pg_catalog.array_position(ARRAY['AccessShareLock', 'RowShareLock', 'RowExclusiveLock', " \
  "'ShareUpdateExclusiveLock', 'ShareLock', 'ShareRowExclusiveLock', 'ExclusiveLock', " \
  "'AccessExclusiveLock']::text[], " mode ")"

/* $1: the run's application_name, $2: the lock key, $3: the try-lock statement.
 * Columns: pid, user, application, client, state, query, held seconds, kind,
 * relation, relkind, locktype, mode, queued. */
static char *
holders_sql (void)
{
  g_autofree char *migration_lock = _retort_pg_backend_lock_granted_condition ("l", "$2");

  return g_strconcat (
    "WITH run AS ("
    "  SELECT a.pid, a.query FROM pg_catalog.pg_stat_activity a"
    "  WHERE a.application_name = $1 AND a.datname = pg_catalog.current_database()"
    "    AND a.pid <> pg_catalog.pg_backend_pid ()"
    "), waits AS ("
    "  SELECT b.pid AS blocker, wl.locktype, wl.database, wl.relation, wl.page, wl.tuple,"
    "         wl.virtualxid, wl.transactionid, wl.classid, wl.objid, wl.objsubid,"
    /* a row lock's waiter holds or waits for a tuple lock, which names the table */
    "         coalesce (wl.relation, (SELECT tl.relation FROM pg_catalog.pg_locks tl"
    "                                 WHERE tl.pid = r.pid AND tl.locktype = 'tuple' LIMIT 1)) AS rel"
    "  FROM run r"
    "  JOIN pg_catalog.pg_locks wl ON wl.pid = r.pid AND NOT wl.granted"
    "  CROSS JOIN LATERAL pg_catalog.unnest (pg_catalog.pg_blocking_pids (r.pid)) AS b(pid)"
    "), blocking AS ("
    "  SELECT w.blocker, w.locktype, w.rel,"
    "         CASE WHEN w.locktype = 'relation' THEN 'relation'"
    "              WHEN w.locktype IN ('tuple', 'transactionid') THEN 'row'"
    "              ELSE 'other' END AS kind,"
    "         coalesce ("
    /* for a row: the blocker's lock on the table says more than the one on its transaction */
    "           CASE WHEN w.locktype <> 'relation' AND w.rel IS NOT NULL THEN"
    "             (SELECT hl.mode FROM pg_catalog.pg_locks hl"
    "              WHERE hl.pid = w.blocker AND hl.granted AND hl.locktype = 'relation'"
    "                AND hl.relation = w.rel"
    "              ORDER BY " MODE_STRENGTH ("hl.mode") " DESC NULLS LAST LIMIT 1) END,"
    "           (SELECT hl.mode FROM pg_catalog.pg_locks hl"
    "            WHERE hl.pid = w.blocker AND hl.granted"
    "              AND (hl.locktype, hl.database, hl.relation, hl.page, hl.tuple, hl.virtualxid,"
    "                   hl.transactionid, hl.classid, hl.objid, hl.objsubid)"
    "                  IS NOT DISTINCT FROM"
    "                  (w.locktype, w.database, w.relation, w.page, w.tuple, w.virtualxid,"
    "                   w.transactionid, w.classid, w.objid, w.objsubid)"
    "            ORDER BY " MODE_STRENGTH ("hl.mode") " DESC NULLS LAST LIMIT 1)) AS held,"
    "         (SELECT ql.mode FROM pg_catalog.pg_locks ql"
    "          WHERE ql.pid = w.blocker AND NOT ql.granted LIMIT 1) AS asked"
    "  FROM waits w"
    ")"
    " SELECT a.pid, coalesce (a.usename::text, ''), coalesce (a.application_name, ''),"
    "        CASE WHEN a.client_addr IS NOT NULL THEN pg_catalog.host (a.client_addr)"
    "             WHEN a.client_port = -1 THEN 'local' ELSE '' END,"
    "        coalesce (a.state, ''), coalesce (a.query, ''),"
    "        greatest (0, floor (extract (epoch FROM pg_catalog.now ()"
    "                                     - coalesce (a.xact_start, a.backend_start))))::bigint,"
    "        bl.kind, coalesce (pg_catalog.format ('%I.%I', n.nspname, c.relname), ''),"
    "        coalesce (c.relkind::text, ''), bl.locktype, coalesce (bl.held, bl.asked, ''),"
    "        bl.held IS NULL"
    " FROM blocking bl"
    " JOIN pg_catalog.pg_stat_activity a ON a.pid = bl.blocker"
    " LEFT JOIN pg_catalog.pg_class c ON c.oid = bl.rel"
    " LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
    " UNION ALL"
    " SELECT a.pid, coalesce (a.usename::text, ''), coalesce (a.application_name, ''),"
    "        CASE WHEN a.client_addr IS NOT NULL THEN pg_catalog.host (a.client_addr)"
    "             WHEN a.client_port = -1 THEN 'local' ELSE '' END,"
    "        coalesce (a.state, ''), coalesce (a.query, ''),"
    "        greatest (0, floor (extract (epoch FROM pg_catalog.now () - a.backend_start)))::bigint,"
    "        'migration', '', '', l.locktype, l.mode, false"
    " FROM pg_catalog.pg_locks l JOIN pg_catalog.pg_stat_activity a ON a.pid = l.pid"
    " WHERE ", migration_lock,
    "   AND l.pid NOT IN (SELECT pid FROM run)"
    "   AND EXISTS (SELECT 1 FROM run WHERE run.query = $3)"
    " ORDER BY 8, 1", NULL);
}

static const char *
relkind_name (const char *relkind)
{
  switch (relkind[0])
    {
    case 'r': case 'p': return "table";
    case 'i': case 'I': return "index";
    case 'S': return "sequence";
    case 'v': return "view";
    case 'm': return "materialized view";
    case 'f': return "foreign table";
    case 't': return "TOAST table";
    default:  return "relation";
    }
}

static char *
query_line (const char *query)
{
  g_autofree char *valid = g_utf8_make_valid (query, -1);
  g_autofree char *line = retort_text_one_line (valid);

  if (g_utf8_strlen (line, -1) <= QUERY_MAX_CHARS)
    return g_steal_pointer (&line);
  {
    g_autofree char *cut = g_utf8_substring (line, 0, QUERY_MAX_CHARS);
    return g_strconcat (cut, "…", NULL);
  }
}

static RetortLockHolder *
holder_from_row (char **row)
{
  RetortLockHolder *holder;
  const char *kind, *relation, *relkind, *locktype;

  if (g_strv_length (row) != 13)
    return NULL;
  kind = row[7], relation = row[8], relkind = row[9], locktype = row[10];
  holder = g_new0 (RetortLockHolder, 1);
  holder->pid = (int) g_ascii_strtoll (row[0], NULL, 10);
  holder->user = g_strdup (row[1]);
  holder->application = g_strdup (row[2]);
  holder->client = g_strdup (row[3]);
  holder->state = g_strdup (row[4]);
  holder->query = query_line (row[5]);
  holder->held_seconds = g_ascii_strtoll (row[6], NULL, 10);
  holder->relation = *relation != '\0' ? g_strdup (relation) : NULL;
  holder->mode = g_strdup (row[11]);
  holder->queued = strcmp (row[12], "t") == 0;

  if (strcmp (kind, "migration") == 0)
    {
      holder->kind = RETORT_LOCK_KIND_MIGRATION_LOCK;
      holder->what = g_strdup ("the migration lock");
    }
  else if (strcmp (kind, "relation") == 0)
    {
      holder->kind = RETORT_LOCK_KIND_RELATION;
      holder->what = holder->relation != NULL ? g_strdup_printf ("%s %s", relkind_name (relkind), relation)
                                              : g_strdup ("a relation");
    }
  else if (strcmp (kind, "row") == 0)
    {
      holder->kind = RETORT_LOCK_KIND_ROW;
      holder->what = holder->relation != NULL ? g_strdup_printf ("a row of %s %s", relkind_name (relkind), relation)
                                              : g_strdup ("a row");
    }
  else
    {
      holder->kind = RETORT_LOCK_KIND_OTHER;
      holder->what = g_strdup_printf ("a lock of type %s", locktype);
    }
  return holder;
}

static gboolean
same_holder (const RetortLockHolder *a,
             const RetortLockHolder *b)
{
  return a->pid == b->pid && strcmp (a->what, b->what) == 0;
}

static gboolean
contains_holder (GPtrArray              *holders,
                 const RetortLockHolder *holder)
{
  for (guint i = 0; i < holders->len; i++)
    if (same_holder (g_ptr_array_index (holders, i), holder))
      return TRUE;
  return FALSE;
}

/* one per pid and lock: several run sessions may wait behind the same one */
static GPtrArray *
holders_from_rows (GPtrArray *rows)
{
  GPtrArray *holders = g_ptr_array_new_with_free_func ((GDestroyNotify) retort_lock_holder_free);

  for (guint i = 0; i < rows->len; i++)
    {
      RetortLockHolder *holder = holder_from_row (g_ptr_array_index (rows, i));
      if (holder == NULL || contains_holder (holders, holder))
        retort_lock_holder_free (holder);
      else
        g_ptr_array_add (holders, holder);
    }
  return holders;
}

static gboolean
same_holders (GPtrArray *a,
              GPtrArray *b)
{
  if (a->len != b->len)
    return FALSE;
  for (guint i = 0; i < a->len; i++)
    if (!contains_holder (b, g_ptr_array_index (a, i)))
      return FALSE;
  return TRUE;
}

/* ---- the polling thread ------------------------------------------------- */

typedef struct {
  gatomicrefcount  ref;
  GMutex           mutex;
  GCond            wake;
  gboolean         stopping;       /* under mutex */
  RetortBackend   *backend;        /* the thread's alone */
  char            *session_name;
  char            *lock_key;
  guint            interval_ms;
  GMainContext    *context;        /* where answers go */
  GWeakRef         owner;          /* the RetortLockWatch, while it lives */
} Poller;

static Poller *
poller_ref (Poller *poller)
{
  g_atomic_ref_count_inc (&poller->ref);
  return poller;
}

static void
poller_unref (Poller *poller)
{
  if (!g_atomic_ref_count_dec (&poller->ref))
    return;
  g_mutex_clear (&poller->mutex);
  g_cond_clear (&poller->wake);
  retort_backend_close (poller->backend);
  g_object_unref (poller->backend);
  g_free (poller->session_name);
  g_free (poller->lock_key);
  g_main_context_unref (poller->context);
  g_weak_ref_clear (&poller->owner);
  g_free (poller);
}

typedef struct {
  Poller    *poller;
  GPtrArray *holders;   /* NULL when the poll failed */
  char      *error;
} Answer;

static void
answer_free (gpointer data)
{
  Answer *answer = data;

  poller_unref (answer->poller);
  g_clear_pointer (&answer->holders, g_ptr_array_unref);
  g_free (answer->error);
  g_free (answer);
}

static void apply_answer (RetortLockWatch *self,
                          Answer          *answer);

static gboolean
deliver_answer (gpointer data)
{
  Answer *answer = data;
  g_autoptr(RetortLockWatch) self = g_weak_ref_get (&answer->poller->owner);

  if (self != NULL)
    apply_answer (self, answer);
  return G_SOURCE_REMOVE;
}

static void
send_answer (Poller     *poller,
             GPtrArray  *holders,
             const char *error)
{
  Answer *answer = g_new0 (Answer, 1);
  g_autoptr(GSource) source = g_idle_source_new ();

  answer->poller = poller_ref (poller);
  answer->holders = holders;
  answer->error = g_strdup (error);
  /* a source rather than g_main_context_invoke, which would run it right
   * here when nobody iterates the caller's context at this moment */
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, deliver_answer, answer, answer_free);
  g_source_set_static_name (source, "[retort] lock watch");
  g_source_attach (source, poller->context);
}

static gboolean
is_stopping (Poller *poller)
{
  gboolean stopping;

  g_mutex_lock (&poller->mutex);
  stopping = poller->stopping;
  g_mutex_unlock (&poller->mutex);
  return stopping;
}

/* the interval, or less when told to stop */
static void
sleep_interval (Poller *poller)
{
  gint64 until = g_get_monotonic_time () + (gint64) poller->interval_ms * 1000;

  g_mutex_lock (&poller->mutex);
  while (!poller->stopping)
    if (!g_cond_wait_until (&poller->wake, &poller->mutex, until))
      break;
  g_mutex_unlock (&poller->mutex);
}

static gpointer
poll_thread (gpointer data)
{
  Poller *poller = data;
  g_autofree char *sql = holders_sql ();
  g_autofree char *try_lock_sql = NULL;
  gboolean open = FALSE;

  while (!is_stopping (poller))
    {
      g_autoptr(GError) error = NULL;
      GPtrArray *holders = NULL;

      if (!open)
        {
          open = retort_backend_open (poller->backend, &error);
          if (open)
            {
              g_free (try_lock_sql);
              try_lock_sql = _retort_pg_backend_try_lock_sql (poller->backend, poller->lock_key);
            }
          else
            retort_backend_close (poller->backend);  /* whatever half of it there is */
        }
      if (open)
        {
          const char *params[] = { poller->session_name, poller->lock_key, try_lock_sql, NULL };
          g_autoptr(GPtrArray) rows = _retort_pg_backend_query_rows (poller->backend, sql, params, &error);

          if (rows != NULL)
            holders = holders_from_rows (rows);
          else if (g_error_matches (error, RETORT_DATABASE_ERROR, RETORT_DATABASE_ERROR_CONNECTION_LOST))
            {
              retort_backend_close (poller->backend);
              open = FALSE;  /* connect again next time */
            }
        }
      if (is_stopping (poller))
        {
          g_clear_pointer (&holders, g_ptr_array_unref);
          break;
        }
      send_answer (poller, holders, error != NULL ? error->message : NULL);
      sleep_interval (poller);
    }
  poller_unref (poller);
  return NULL;
}

/* ---- the watch -------------------------------------------------------------- */

struct _RetortLockWatch
{
  GObject            parent_instance;
  RetortDatabaseUrl *url;
  char              *session_name;
  char              *lock_key;
  Poller            *poller;    /* while started */
  GPtrArray         *holders;
  char              *error;
};

G_DEFINE_FINAL_TYPE (RetortLockWatch, retort_lock_watch, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ERROR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
apply_answer (RetortLockWatch *self,
              Answer          *answer)
{
  gboolean changed = FALSE;

  if (self->poller != answer->poller)
    return;  /* from before a stop or restart */
  if (answer->holders != NULL)
    {
      changed = !same_holders (self->holders, answer->holders);
      g_ptr_array_unref (self->holders);
      self->holders = g_steal_pointer (&answer->holders);
    }
  if (g_strcmp0 (self->error, answer->error) != 0)
    {
      g_free (self->error);
      self->error = g_strdup (answer->error);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
    }
  if (changed)
    g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

static void
retort_lock_watch_finalize (GObject *object)
{
  RetortLockWatch *self = RETORT_LOCK_WATCH (object);

  retort_lock_watch_stop (self);
  retort_database_url_free (self->url);
  g_free (self->session_name);
  g_free (self->lock_key);
  g_ptr_array_unref (self->holders);
  g_free (self->error);
  G_OBJECT_CLASS (retort_lock_watch_parent_class)->finalize (object);
}

static void
retort_lock_watch_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  RetortLockWatch *self = RETORT_LOCK_WATCH (object);

  switch (prop_id)
    {
    case PROP_ERROR:
      g_value_set_string (value, self->error);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
retort_lock_watch_class_init (RetortLockWatchClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = retort_lock_watch_finalize;
  object_class->get_property = retort_lock_watch_get_property;

  properties[PROP_ERROR] = g_param_spec_string ("error", NULL, NULL, NULL,
                                                G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY |
                                                G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* the set of holders changed: someone new blocks the run, or someone no
   * longer does (by pid and lock; details such as the query may change at
   * every poll and are read with get_holders) */
  signals[SIGNAL_CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                          NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
retort_lock_watch_init (RetortLockWatch *self)
{
  self->holders = g_ptr_array_new_with_free_func ((GDestroyNotify) retort_lock_holder_free);
}

RetortLockWatch *
retort_lock_watch_new (RetortDatabaseUrl *url,
                       const char        *session_name,
                       const char        *lock_key)
{
  RetortLockWatch *self;

  g_return_val_if_fail (url != NULL, NULL);
  g_return_val_if_fail (session_name != NULL && lock_key != NULL, NULL);

  self = g_object_new (RETORT_TYPE_LOCK_WATCH, NULL);
  self->url = retort_database_url_copy (url);
  /* its own name, so it never mistakes itself for the run or a holder */
  retort_database_url_set (self->url, "application_name", "retort lock watch");
  if (retort_database_url_get (self->url, "connect_timeout") == NULL)
    retort_database_url_set (self->url, "connect_timeout", "10");
  self->session_name = g_strdup (session_name);
  self->lock_key = g_strdup (lock_key);
  return self;
}

void
retort_lock_watch_start (RetortLockWatch *self,
                         guint            interval_ms)
{
  Poller *poller;
  GThread *thread;

  g_return_if_fail (RETORT_IS_LOCK_WATCH (self));

  retort_lock_watch_stop (self);
  if (self->url->dialect != RETORT_DIALECT_POSTGRESQL)
    return;  /* SQLite cannot tell who holds a file lock */

  poller = g_new0 (Poller, 1);
  g_atomic_ref_count_init (&poller->ref);
  g_mutex_init (&poller->mutex);
  g_cond_init (&poller->wake);
  poller->backend = retort_backend_new (self->url, NULL);
  /* the watch's own questions must never queue behind the locks it looks at */
  retort_backend_set_timeouts (poller->backend, 2000, 10000);
  poller->session_name = g_strdup (self->session_name);
  poller->lock_key = g_strdup (self->lock_key);
  poller->interval_ms = MAX (interval_ms, 50);
  poller->context = g_main_context_ref_thread_default ();
  g_weak_ref_init (&poller->owner, self);
  self->poller = poller;

  thread = g_thread_new ("retort-lock-watch", poll_thread, poller_ref (poller));
  g_thread_unref (thread);  /* it ends on its own once told to stop */
}

void
retort_lock_watch_stop (RetortLockWatch *self)
{
  Poller *poller;

  g_return_if_fail (RETORT_IS_LOCK_WATCH (self));

  poller = g_steal_pointer (&self->poller);
  if (poller == NULL)
    return;
  /* no PQcancel for a poll in flight: it connects to the server and could
   * block here as long as an unreachable server takes to time out */
  g_mutex_lock (&poller->mutex);
  poller->stopping = TRUE;
  g_cond_broadcast (&poller->wake);
  g_mutex_unlock (&poller->mutex);
  poller_unref (poller);
}

GPtrArray *
retort_lock_watch_get_holders (RetortLockWatch *self)
{
  g_return_val_if_fail (RETORT_IS_LOCK_WATCH (self), NULL);
  return self->holders;
}

const char *
retort_lock_watch_get_error (RetortLockWatch *self)
{
  g_return_val_if_fail (RETORT_IS_LOCK_WATCH (self), NULL);
  return self->error;
}
