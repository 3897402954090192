/* retort-lock-watch.h — who keeps a run waiting, asked on a second connection
 *
 * A run waits either for the migration lock (another migration holds it) or,
 * on PostgreSQL, for a lock on a table or row that another session holds
 * while one of the run's statements needs it. The watch polls, on its own
 * connection and its own thread, which sessions block the run's session —
 * found by its application_name — and says so on the main context of
 * whoever started it.
 *
 * SQLite cannot tell who holds a file lock: for an SQLite database the watch
 * can be made and started, but it has no connection and no thread, and its
 * holders stay empty (the run's "lock-wait" signal says what SQLite knows).
 */
#pragma once

#include <glib-object.h>

#include "retort-database-url.h"

G_BEGIN_DECLS

typedef enum {
  RETORT_LOCK_KIND_MIGRATION_LOCK,  /* the migration lock: another migration runs */
  RETORT_LOCK_KIND_RELATION,        /* a lock on a table (or index, sequence, view) */
  RETORT_LOCK_KIND_ROW,             /* a row lock; relation names the table when known */
  RETORT_LOCK_KIND_OTHER,           /* any other kind of PostgreSQL lock */
} RetortLockKind;

typedef struct {
  int             pid;
  char           *user;
  char           *application;   /* "" when it set none */
  char           *client;        /* its address, "local" for a Unix socket, "" when unknown */
  char           *state;         /* "idle in transaction", "active", … */
  char           *query;         /* its current or last statement, on one line: at most
                                  * 200 characters, then "…" */
  gint64          held_seconds;  /* how long its transaction has been open (the migration
                                  * lock, a session lock: how long its session has) */
  RetortLockKind  kind;
  char           *relation;      /* schema-qualified, quoted as SQL needs; NULL when none */
  char           *what;          /* in English, for logs: "the migration lock",
                                  * "table public.orders", "a row of table public.orders" */
  char           *mode;          /* the lock mode it holds there, e.g. AccessExclusiveLock */
  gboolean        queued;        /* holds nothing there yet: it waits itself, ahead of the
                                  * run, for a lock that conflicts with the run's (mode is
                                  * the one it asks for) */
} RetortLockHolder;

#define RETORT_TYPE_LOCK_HOLDER (retort_lock_holder_get_type ())
GType             retort_lock_holder_get_type (void) G_GNUC_CONST;
RetortLockHolder *retort_lock_holder_copy     (const RetortLockHolder *holder);
void              retort_lock_holder_free     (RetortLockHolder       *holder);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RetortLockHolder, retort_lock_holder_free)

#define RETORT_TYPE_LOCK_WATCH (retort_lock_watch_get_type ())
G_DECLARE_FINAL_TYPE (RetortLockWatch, retort_lock_watch, RETORT, LOCK_WATCH, GObject)

/* url: the run's database (the watch connects as "retort lock watch");
 * session_name: the application_name of the run's connection — give each run
 * its own with retort_database_url_set (url, "application_name", name);
 * lock_key: the migration lock's key, retort_version_table_qualified_name
 * (schema, table) of the run's version table */
RetortLockWatch *retort_lock_watch_new         (RetortDatabaseUrl *url,
                                                const char        *session_name,
                                                const char        *lock_key);
/* polls every interval_ms on the watch's own thread; "changed" and
 * notify::error arrive on the thread-default main context of this call.
 * Starting again restarts. */
void             retort_lock_watch_start       (RetortLockWatch   *self,
                                                guint              interval_ms);
/* returns at once, even with a poll or a connection attempt in flight (the
 * thread ends on its own afterwards); the last holders stay readable */
void             retort_lock_watch_stop        (RetortLockWatch   *self);
/* (transfer none): RetortLockHolder, one per session and lock (pid + what);
 * empty while the run's session waits for nobody. An array never changes: a
 * new answer is a new array, so the pointer is good until the caller's main
 * context next runs (g_ptr_array_ref it to keep it longer). After an error
 * the last answer stays. */
GPtrArray       *retort_lock_watch_get_holders (RetortLockWatch   *self);
/* the last error connecting or querying, or NULL once a poll succeeds again
 * (the watch keeps trying); never contains a password */
const char      *retort_lock_watch_get_error   (RetortLockWatch   *self);

G_END_DECLS
