/* test-run-log.c — RetortRunLog's semantics, a real run's events, and
 * RetortLogView following new lines
 *
 * Screenshots go to $RETORT_BUILD_DIR/tests/app/screenshots/.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include <adwaita.h>

#include "app-test-util.h"
#include "retort-core.h"
#include "retort-log-view.h"
#include "retort-run-log.h"

typedef struct
{
  guint n_signals;
  guint position, removed, added;   /* of the last one */
} ChangeCounter;

static void
on_items_changed (GListModel    *model,
                  guint          position,
                  guint          removed,
                  guint          added,
                  ChangeCounter *counter)
{
  counter->n_signals++;
  counter->position = position;
  counter->removed = removed;
  counter->added = added;
}

typedef struct
{
  GListModel *model;
  guint       n_items;
} CountWait;

static gboolean
has_n_items (gpointer data)
{
  CountWait *wait = data;
  return g_list_model_get_n_items (wait->model) == wait->n_items;
}

static void
wait_for_items (RetortRunLog *log,
                guint         n_items)
{
  CountWait wait = { G_LIST_MODEL (log), n_items };

  g_assert_true (app_test_spin_until (has_n_items, &wait, 5000, NULL));
}

static void
append_numbered (RetortRunLog *log,
                 guint         from,
                 guint         to)
{
  for (guint i = from; i < to; i++)
    {
      g_autofree char *text = g_strdup_printf ("line %u", i);
      retort_run_log_append (log, RETORT_LOG_LEVEL_INFO, NULL, text, -1, -1);
    }
}

static RetortLogEntry *
entry_at (RetortRunLog *log,
          guint         position)
{
  return g_list_model_get_item (G_LIST_MODEL (log), position);
}

static void
assert_text_at (RetortRunLog *log,
                guint         position,
                const char   *text)
{
  g_autoptr(RetortLogEntry) entry = entry_at (log, position);

  g_assert_nonnull (entry);
  g_assert_cmpstr (retort_log_entry_get_text (entry), ==, text);
}

/* ---- the model ------------------------------------------------------------------ */

static void
test_run_log_append (void)
{
  g_autoptr(RetortRunLog) log = retort_run_log_new ();
  g_autoptr(RetortLogEntry) statement = NULL;
  g_autoptr(RetortLogEntry) boundary = NULL;

  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (log)) == RETORT_TYPE_LOG_ENTRY);
  retort_run_log_append (log, RETORT_LOG_LEVEL_REVISION, "ae1027a6acf", "Running upgrade -> ae1027a6acf", -1, -1);
  g_usleep (2000);
  retort_run_log_append (log, RETORT_LOG_LEVEL_STATEMENT, "ae1027a6acf", "CREATE TABLE t (id integer)", 1500, 0);
  /* batched: the list hears of them later, all at once */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (log)), ==, 0);
  g_assert_cmpuint (retort_run_log_get_n_lines (log), ==, 2);
  wait_for_items (log, 2);

  boundary = entry_at (log, 0);
  statement = entry_at (log, 1);
  g_assert_null (entry_at (log, 2));
  g_assert_cmpint (retort_log_entry_get_level (boundary), ==, RETORT_LOG_LEVEL_REVISION);
  g_assert_cmpint (retort_log_entry_get_time (boundary), ==, 0);
  g_assert_cmpint (retort_log_entry_get_level (statement), ==, RETORT_LOG_LEVEL_STATEMENT);
  g_assert_cmpstr (retort_log_entry_get_revision (statement), ==, "ae1027a6acf");
  g_assert_cmpstr (retort_log_entry_get_text (statement), ==, "CREATE TABLE t (id integer)");
  g_assert_cmpint (retort_log_entry_get_duration (statement), ==, 1500);
  g_assert_cmpint (retort_log_entry_get_rows (statement), ==, 0);
  g_assert_cmpint (retort_log_entry_get_time (statement), >=, 2000);
  g_assert_cmpint (retort_log_entry_get_wall_time (statement), >=, retort_log_entry_get_wall_time (boundary));
  g_assert_false (retort_log_entry_is_marker (statement));
}

static void
test_run_log_coalesced (void)
{
  g_autoptr(RetortRunLog) log = retort_run_log_new ();
  ChangeCounter counter = { 0 };

  g_signal_connect (log, "items-changed", G_CALLBACK (on_items_changed), &counter);
  append_numbered (log, 0, 10000);
  wait_for_items (log, 10000);
  app_test_spin_for (50);
  g_assert_cmpuint (counter.n_signals, ==, 1);
  g_assert_cmpuint (counter.position, ==, 0);
  g_assert_cmpuint (counter.removed, ==, 0);
  g_assert_cmpuint (counter.added, ==, 10000);

  /* a second burst: one more signal, at the end */
  append_numbered (log, 10000, 10500);
  wait_for_items (log, 10500);
  g_assert_cmpuint (counter.n_signals, ==, 2);
  g_assert_cmpuint (counter.position, ==, 10000);
  g_assert_cmpuint (counter.added, ==, 500);
  assert_text_at (log, 10499, "line 10499");

  /* appends spread over 100 ms reach the list at most every 20 ms */
  counter.n_signals = 0;
  for (guint i = 0; i < 100; i++)
    {
      append_numbered (log, 20000 + i, 20000 + i + 1);
      app_test_spin_for (1);
    }
  wait_for_items (log, 10600);
  g_assert_cmpuint (counter.n_signals, >=, 2);
  g_assert_cmpuint (counter.n_signals, <=, 12);
}

static void
test_run_log_cap (void)
{
  g_autoptr(RetortRunLog) log = retort_run_log_new ();
  g_autoptr(RetortLogEntry) marker = NULL;
  ChangeCounter counter = { 0 };

  g_assert_cmpuint (retort_run_log_get_max_lines (log), ==, RETORT_RUN_LOG_DEFAULT_MAX_LINES);
  retort_run_log_set_max_lines (log, 100);
  g_signal_connect (log, "items-changed", G_CALLBACK (on_items_changed), &counter);

  append_numbered (log, 0, 250);
  wait_for_items (log, 101);
  g_assert_cmpuint (counter.n_signals, ==, 1);
  marker = entry_at (log, 0);
  g_assert_true (retort_log_entry_is_marker (marker));
  g_assert_cmpstr (retort_log_entry_get_text (marker), ==, "150 earlier lines dropped");
  assert_text_at (log, 1, "line 150");
  assert_text_at (log, 100, "line 249");
  g_assert_cmpuint (retort_run_log_get_n_dropped (log), ==, 150);
  g_clear_object (&marker);

  /* more: the top (with the marker's new count), then the end */
  counter.n_signals = 0;
  append_numbered (log, 250, 260);
  retort_run_log_flush (log);
  g_assert_cmpuint (counter.n_signals, ==, 2);
  g_assert_cmpuint (counter.position, ==, 91);
  g_assert_cmpuint (counter.added, ==, 10);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (log)), ==, 101);
  marker = entry_at (log, 0);
  g_assert_cmpstr (retort_log_entry_get_text (marker), ==, "160 earlier lines dropped");
  assert_text_at (log, 1, "line 160");
  assert_text_at (log, 100, "line 259");

  /* the find skips the marker and counts it in positions */
  g_assert_cmpint (retort_run_log_find (log, "line 160", 0, RETORT_LOG_FORWARD), ==, 1);
  g_assert_cmpint (retort_run_log_find (log, "dropped", 0, RETORT_LOG_FORWARD), ==, -1);
}

static void
test_run_log_find (void)
{
  g_autoptr(RetortRunLog) log = retort_run_log_new ();

  retort_run_log_append (log, RETORT_LOG_LEVEL_INFO, NULL, "Run started", -1, -1);
  retort_run_log_append (log, RETORT_LOG_LEVEL_STATEMENT, "a1", "CREATE TABLE Orders (id int)", 10, -1);
  retort_run_log_append (log, RETORT_LOG_LEVEL_STATEMENT, "a1", "INSERT INTO orders VALUES (1)", 10, 1);
  retort_run_log_append (log, RETORT_LOG_LEVEL_NOTICE, "a1", "NOTICE: Größe geändert", -1, -1);
  retort_run_log_append (log, RETORT_LOG_LEVEL_STATEMENT, "b2", "DROP TABLE orders", 10, -1);
  retort_run_log_flush (log);

  g_assert_cmpint (retort_run_log_find (log, "ORDERS", 0, RETORT_LOG_FORWARD), ==, 1);
  g_assert_cmpint (retort_run_log_find (log, "orders", 2, RETORT_LOG_FORWARD), ==, 2);
  g_assert_cmpint (retort_run_log_find (log, "orders", 3, RETORT_LOG_FORWARD), ==, 4);
  g_assert_cmpint (retort_run_log_find (log, "orders", 4, RETORT_LOG_BACKWARD), ==, 4);
  g_assert_cmpint (retort_run_log_find (log, "orders", 3, RETORT_LOG_BACKWARD), ==, 2);
  g_assert_cmpint (retort_run_log_find (log, "orders", 0, RETORT_LOG_BACKWARD), ==, -1);
  g_assert_cmpint (retort_run_log_find (log, "orders", 99, RETORT_LOG_BACKWARD), ==, 4);
  g_assert_cmpint (retort_run_log_find (log, "orders", 99, RETORT_LOG_FORWARD), ==, -1);
  g_assert_cmpint (retort_run_log_find (log, "missing", 0, RETORT_LOG_FORWARD), ==, -1);
  g_assert_cmpint (retort_run_log_find (log, "", 0, RETORT_LOG_FORWARD), ==, -1);
  /* non-ASCII: Unicode case folding */
  g_assert_cmpint (retort_run_log_find (log, "GRÖSSE", 0, RETORT_LOG_FORWARD), ==, 3);
  g_assert_cmpint (retort_run_log_find (log, "GEÄNDERT", 4, RETORT_LOG_BACKWARD), ==, 3);
}


/* more lines than one chunk holds (4,096), the cap dropping whole chunks
 * while a save and a copy still read a snapshot of them */
typedef struct
{
  gboolean  done;
  char     *text;
} TextResult;

static void
text_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  TextResult *text_result = user_data;
  g_autoptr(GError) error = NULL;

  text_result->text = retort_run_log_get_text_finish (RETORT_RUN_LOG (object), result, &error);
  g_assert_no_error (error);
  text_result->done = TRUE;
}

static gboolean
text_is_done (gpointer data)
{
  return ((TextResult *) data)->done;
}

static void saved_cb (GObject *object, GAsyncResult *result, gpointer user_data);
static gboolean is_true (gpointer data);

static void
test_run_log_chunks (void)
{
  g_autoptr(RetortRunLog) log = retort_run_log_new ();
  g_autofree char *path = g_build_filename (app_test_root (), "chunks.log", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *before = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(RetortLogEntry) marker = NULL;
  g_auto(GStrv) lines = NULL;
  TextResult copied = { FALSE, NULL };
  gboolean saved = FALSE;

  retort_run_log_set_max_lines (log, 10000);
  append_numbered (log, 0, 9000);
  retort_run_log_flush (log);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (log)), ==, 9000);
  assert_text_at (log, 4095, "line 4095");
  assert_text_at (log, 4096, "line 4096");
  assert_text_at (log, 8999, "line 8999");
  before = retort_run_log_get_text (log);

  /* both take their snapshot now, and write it in a worker */
  retort_run_log_save_async (log, file, NULL, saved_cb, &saved);
  retort_run_log_get_text_async (log, NULL, text_cb, &copied);

  /* the cap drops the first 20,000 lines: the chunks the snapshots read go
   * from the log, not from them */
  append_numbered (log, 9000, 30000);
  retort_run_log_flush (log);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (log)), ==, 10001);
  g_assert_cmpuint (retort_run_log_get_n_dropped (log), ==, 20000);
  marker = entry_at (log, 0);
  g_assert_true (retort_log_entry_is_marker (marker));
  g_assert_cmpstr (retort_log_entry_get_text (marker), ==, "20000 earlier lines dropped");
  assert_text_at (log, 1, "line 20000");
  assert_text_at (log, 10000, "line 29999");
  g_assert_cmpint (retort_run_log_find (log, "line 25000", 0, RETORT_LOG_FORWARD), ==, 1 + 5000);

  g_assert_true (app_test_spin_until (is_true, &saved, 10000, NULL));
  g_assert_true (app_test_spin_until (text_is_done, &copied, 10000, NULL));
  g_assert_cmpstr (copied.text, ==, before);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, before);
  lines = g_strsplit (contents, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 9000 + 1);
  g_assert_nonnull (strstr (lines[0], "\tinfo\t-\tline 0\t"));
  g_assert_nonnull (strstr (lines[8999], "\tinfo\t-\tline 8999\t"));
  g_free (copied.text);
}

typedef struct
{
  gboolean  done;
  gint      found;
  GError   *error;
} FindResult;

static void
found_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  FindResult *find_result = user_data;

  find_result->found = retort_run_log_find_finish (RETORT_RUN_LOG (object), result, &find_result->error);
  find_result->done = TRUE;
}

static gboolean
find_is_done (gpointer data)
{
  return ((FindResult *) data)->done;
}

static gint
find_async (RetortRunLog       *log,
            const char         *text,
            guint               from,
            RetortLogDirection  direction)
{
  FindResult result = { FALSE, -2, NULL };

  retort_run_log_find_async (log, text, from, direction, NULL, found_cb, &result);
  /* never answered in the call itself */
  g_assert_false (result.done);
  g_assert_true (app_test_spin_until (find_is_done, &result, 10000, NULL));
  g_assert_no_error (result.error);
  return result.found;
}

static void
test_run_log_find_async (void)
{
  g_autoptr(RetortRunLog) log = retort_run_log_new ();
  g_autoptr(RetortRunLog) capped = retort_run_log_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  FindResult cancelled = { FALSE, -2, NULL };
  FindResult dropped = { FALSE, -2, NULL };

  append_numbered (log, 0, 20000);
  retort_run_log_append (log, RETORT_LOG_LEVEL_NOTICE, NULL, "NOTICE: Größe geändert", -1, -1);
  /* not yet in the list: not searched */
  g_assert_cmpint (find_async (log, "line 77", 0, RETORT_LOG_FORWARD), ==, -1);
  retort_run_log_flush (log);

  g_assert_cmpint (find_async (log, "LINE 77", 0, RETORT_LOG_FORWARD), ==, 77);
  g_assert_cmpint (find_async (log, "line 19999", 0, RETORT_LOG_FORWARD), ==, 19999);
  /* forward past the end goes on from the start */
  g_assert_cmpint (find_async (log, "line 5", 6000, RETORT_LOG_FORWARD), ==, 5);
  g_assert_cmpint (find_async (log, "line 19999", 20001, RETORT_LOG_FORWARD), ==, 19999);
  /* backward past the start goes on from the end */
  g_assert_cmpint (find_async (log, "line 5", 4, RETORT_LOG_BACKWARD), ==, 5999);
  g_assert_cmpint (find_async (log, "line 12", 13000, RETORT_LOG_BACKWARD), ==, 12999);
  /* a match at from itself is found at once (the view searches from the
   * line after its current match) */
  g_assert_cmpint (find_async (log, "line 19999", 19999, RETORT_LOG_FORWARD), ==, 19999);
  g_assert_cmpint (find_async (log, "GRÖSSE", 0, RETORT_LOG_FORWARD), ==, 20000);
  g_assert_cmpint (find_async (log, "no such line", 100, RETORT_LOG_FORWARD), ==, -1);
  g_assert_cmpint (find_async (log, "no such line", 100, RETORT_LOG_BACKWARD), ==, -1);
  g_assert_cmpint (find_async (log, "", 0, RETORT_LOG_FORWARD), ==, -1);

  /* cancelled: the callback says so */
  retort_run_log_find_async (log, "no such line", 0, RETORT_LOG_FORWARD, cancellable, found_cb, &cancelled);
  g_cancellable_cancel (cancellable);
  g_assert_true (app_test_spin_until (find_is_done, &cancelled, 5000, NULL));
  g_assert_error (cancelled.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (cancelled.found, ==, -1);
  g_clear_error (&cancelled.error);

  /* with the cap's marker first: never matched, counted in positions */
  retort_run_log_set_max_lines (capped, 1000);
  append_numbered (capped, 0, 3000);
  retort_run_log_flush (capped);
  g_assert_cmpint (find_async (capped, "line 2500", 0, RETORT_LOG_FORWARD), ==, 1 + 500);
  g_assert_cmpint (find_async (capped, "line 25", 0, RETORT_LOG_BACKWARD), ==, 1 + 599);
  g_assert_cmpint (find_async (capped, "dropped", 0, RETORT_LOG_FORWARD), ==, -1);

  /* lines dropped while it searches: it ends, and finds what is left */
  retort_run_log_find_async (capped, "line 2999", 1, RETORT_LOG_FORWARD, NULL, found_cb, &dropped);
  append_numbered (capped, 3000, 8000);
  retort_run_log_flush (capped);
  g_assert_true (app_test_spin_until (find_is_done, &dropped, 5000, NULL));
  g_assert_no_error (dropped.error);
  g_assert_cmpint (dropped.found, ==, -1);
  g_assert_cmpint (find_async (capped, "line 7999", 1, RETORT_LOG_FORWARD), ==, 1000);
}

static void
saved_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (retort_run_log_save_finish (RETORT_RUN_LOG (object), result, &error));
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

static gboolean
is_true (gpointer data)
{
  return *(gboolean *) data;
}

static void
test_run_log_save (void)
{
  g_autoptr(RetortRunLog) log = retort_run_log_new ();
  g_autofree char *path = g_build_filename (app_test_root (), "saved.log", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *contents = NULL;
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  g_auto(GStrv) fields = NULL;
  g_autoptr(GError) error = NULL;
  gboolean saved = FALSE;

  retort_run_log_set_max_lines (log, 3);
  retort_run_log_append (log, RETORT_LOG_LEVEL_INFO, NULL, "dropped one", -1, -1);
  retort_run_log_append (log, RETORT_LOG_LEVEL_REVISION, "ae1027a6acf", "Running upgrade -> ae1027a6acf", -1, -1);
  retort_run_log_append (log, RETORT_LOG_LEVEL_STATEMENT, "ae1027a6acf", "CREATE TABLE t (\n\tid integer)", 1234, 7);
  retort_run_log_append (log, RETORT_LOG_LEVEL_ERROR, "ae1027a6acf", "ERROR: boom", -1, -1);
  retort_run_log_flush (log);

  retort_run_log_save_async (log, file, NULL, saved_cb, &saved);
  /* the log goes on while the worker writes its snapshot */
  retort_run_log_append (log, RETORT_LOG_LEVEL_INFO, NULL, "after the save", -1, -1);
  g_assert_true (app_test_spin_until (is_true, &saved, 5000, NULL));

  g_assert_true (g_file_get_contents (path, &contents, NULL, &error));
  g_assert_no_error (error);
  lines = g_strsplit (contents, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 5);  /* marker, 3 lines, and the empty after the last \n */
  g_assert_cmpstr (lines[4], ==, "");
  g_assert_nonnull (strstr (lines[0], "\tinfo\t-\t1 earlier line dropped\t"));
  g_assert_nonnull (strstr (lines[1], "\trevision\tae1027a6acf\tRunning upgrade -> ae1027a6acf\t\t"));
  fields = g_strsplit (lines[2], "\t", -1);
  g_assert_cmpuint (g_strv_length (fields), ==, 7);
  g_assert_true (g_regex_match_simple ("^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3}$", fields[0], 0, 0));
  g_assert_true (g_regex_match_simple ("^\\+\\d+\\.\\d{3}$", fields[1], 0, 0));
  g_assert_cmpstr (fields[2], ==, "statement");
  g_assert_cmpstr (fields[3], ==, "ae1027a6acf");
  g_assert_cmpstr (fields[4], ==, "CREATE TABLE t (\\n\\tid integer)");
  g_assert_cmpstr (fields[5], ==, "1.234 ms");
  g_assert_cmpstr (fields[6], ==, "7");
  g_assert_nonnull (strstr (lines[3], "\terror\tae1027a6acf\tERROR: boom\t\t"));

  /* Copy All: the same text, with the line appended after the save (the
   * cap applies when the list is next updated) */
  text = retort_run_log_get_text (log);
  g_assert_true (g_str_has_prefix (text, contents));
  g_assert_true (g_str_has_suffix (text, "\tinfo\t-\tafter the save\t\t\n"));
  g_clear_pointer (&text, g_free);
  retort_run_log_flush (log);
  text = retort_run_log_get_text (log);
  g_assert_nonnull (strstr (text, "\t2 earlier lines dropped\t"));
}

/* ---- a real run --------------------------------------------------------------------- */

typedef struct
{
  gboolean done;
  gboolean ok;
  GError  *error;
} RunResult;

static void
run_done_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  RunResult *run_result = user_data;

  run_result->ok = retort_connection_run_finish (RETORT_CONNECTION (source), result, &run_result->error);
  run_result->done = TRUE;
}

static gboolean
run_is_done (gpointer data)
{
  return ((RunResult *) data)->done;
}

static GtkWidget *find_descendant (GtkWidget *widget, GType type);
static gboolean at_bottom_cb (gpointer data);

static GtkWidget *
log_window (RetortRunLog *log,
            GtkWidget   **view_out)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *view = retort_log_view_new ();

  gtk_window_set_default_size (GTK_WINDOW (window), 760, 420);
  gtk_window_set_child (GTK_WINDOW (window), view);
  retort_log_view_set_log (RETORT_LOG_VIEW (view), log);
  *view_out = view;
  return window;
}

static void
test_run_log_attach (void)
{
  static const AppTestRevision revisions[] = {
    { "a1000000", "None", "None", NULL, "create customers", "customers" },
    { "b2000000", "'a1000000'", "None", NULL, "create orders", "orders" },
    { "c3000000", "'b2000000'", "None", NULL, "create invoices", "invoices" },
  };
  g_autofree char *folder = app_test_script_dir ("attach", revisions, G_N_ELEMENTS (revisions));
  g_autofree char *db = app_test_sqlite_db ("attach", NULL);
  g_autofree char *url_text = g_strdup_printf ("sqlite:///%s", db);
  g_autoptr(GError) error = NULL;
  g_autoptr(RetortScriptDir) dir = retort_script_dir_new_from_directory (folder, &error);
  g_autoptr(RetortDatabaseUrl) url = NULL;
  g_autoptr(RetortConnection) connection = NULL;
  g_autoptr(RetortRun) run = NULL;
  g_autoptr(RetortRunLog) log = retort_run_log_new ();
  const char *targets[] = { "head", NULL };
  RunResult result = { 0 };
  guint n, boundaries = 0;
  gint last_boundary = -1;
  GtkWidget *window, *view;
  GtkAdjustment *adj;

  g_assert_no_error (error);
  g_assert_true (retort_script_dir_load (dir, &error));
  g_assert_no_error (error);
  url = retort_database_url_parse (url_text, "/", &error);
  g_assert_no_error (error);
  connection = retort_connection_new (url);
  run = retort_run_new (retort_script_dir_get_map (dir), RETORT_RUN_UPGRADE, targets);
  retort_run_log_attach (log, run);
  retort_connection_run_async (connection, run, NULL, run_done_cb, &result);
  g_assert_true (app_test_spin_until (run_is_done, &result, 20000, NULL));
  g_assert_no_error (result.error);
  g_assert_true (result.ok);
  retort_run_log_flush (log);

  n = g_list_model_get_n_items (G_LIST_MODEL (log));
  g_assert_cmpuint (n, >=, 1 + 3 * 3);
  assert_text_at (log, 0, "Run started: 3 steps");
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(RetortLogEntry) entry = entry_at (log, i);
      RetortLogLevel level = retort_log_entry_get_level (entry);
      const char *text = retort_log_entry_get_text (entry);

      if (level == RETORT_LOG_LEVEL_REVISION)
        {
          g_assert_cmpuint (boundaries, <, 3);
          g_assert_cmpstr (retort_log_entry_get_revision (entry), ==, revisions[boundaries].id);
          g_assert_nonnull (strstr (text, revisions[boundaries].id));
          boundaries++;
          last_boundary = i;
        }
      else if (level == RETORT_LOG_LEVEL_STATEMENT && strstr (text, "CREATE TABLE t_") != NULL)
        {
          /* each revision's own statement, after its boundary, tagged with it */
          g_autofree char *expected = g_strdup_printf ("CREATE TABLE t_%s", revisions[boundaries - 1].id);
          g_assert_cmpint (last_boundary, >=, 0);
          g_assert_true (g_str_has_prefix (text, expected));
          g_assert_cmpstr (retort_log_entry_get_revision (entry), ==, revisions[boundaries - 1].id);
          g_assert_cmpint (retort_log_entry_get_duration (entry), >=, 0);
        }
    }
  g_assert_cmpuint (boundaries, ==, 3);
  g_assert_cmpint (retort_run_log_find (log, "CREATE TABLE t_b2000000", 0, RETORT_LOG_FORWARD), >, 0);
  g_assert_cmpint (retort_run_log_find (log, "Step 3 of 3 done", 0, RETORT_LOG_FORWARD), ==, (gint) n - 1);

  /* how the window will show it, with a server's notice and a failure the
   * window appends */
  retort_run_log_append (log, RETORT_LOG_LEVEL_NOTICE, "c3000000",
                         "NOTICE: table \"t_old\" does not exist, skipping", -1, -1);
  retort_run_log_append (log, RETORT_LOG_LEVEL_WARNING, "c3000000", "WARNING: table t_c3000000 has no index", -1, -1);
  retort_run_log_append (log, RETORT_LOG_LEVEL_ERROR, "c3000000", "ERROR: relation \"x\" does not exist", -1, -1);
  retort_run_log_flush (log);
  window = log_window (log, &view);
  app_test_show (GTK_WINDOW (window));
  /* a log longer than the view, shown once it is complete: the end */
  adj = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (find_descendant (view, GTK_TYPE_SCROLLED_WINDOW)));
  g_assert_true (app_test_spin_until (at_bottom_cb, adj, 5000, NULL));
  app_test_screenshot (window, "run-log-run");
  gtk_window_destroy (GTK_WINDOW (window));
  g_clear_error (&result.error);
}

/* ---- the view ------------------------------------------------------------------------ */

static GtkWidget *
find_descendant (GtkWidget *widget,
                 GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_descendant (child, type);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
adjustment_at_bottom (GtkAdjustment *adj)
{
  return gtk_adjustment_get_upper (adj) > gtk_adjustment_get_page_size (adj) &&
         gtk_adjustment_get_value (adj) + gtk_adjustment_get_page_size (adj) >= gtk_adjustment_get_upper (adj) - 2;
}

static gboolean
at_bottom_cb (gpointer data)
{
  return adjustment_at_bottom (data);
}

static gboolean
not_at_bottom_cb (gpointer data)
{
  return !adjustment_at_bottom (data);
}

static void
stream_lines (RetortRunLog *log,
              guint        *next,
              guint         n_batches,
              guint         batch)
{
  for (guint b = 0; b < n_batches; b++)
    {
      for (guint i = 0; i < batch; i++, (*next)++)
        {
          g_autofree char *text = g_strdup_printf ("INSERT INTO t VALUES (%u)", *next);
          retort_run_log_append (log, RETORT_LOG_LEVEL_STATEMENT, "a1000000", text, 120 + *next % 50, 1);
        }
      app_test_spin_for (20);
    }
}

typedef struct
{
  GtkSelectionModel *selection;
  guint              position;
} SelectionWait;

static gboolean
is_selected_cb (gpointer data)
{
  SelectionWait *wait = data;
  return gtk_selection_model_is_selected (wait->selection, wait->position);
}

static void
wait_selected (GtkSelectionModel *selection,
               guint              position)
{
  SelectionWait wait = { selection, position };

  g_assert_true (app_test_spin_until (is_selected_cb, &wait, 5000, NULL));
}

static void
test_log_view_follow (void)
{
  g_autoptr(RetortRunLog) log = retort_run_log_new ();
  GtkWidget *window, *view, *jump_button;
  GtkScrolledWindow *scrolled;
  GtkAdjustment *adj;
  GtkSelectionModel *selection;
  guint next = 0;
  gint match;
  double kept_value;

  retort_run_log_append (log, RETORT_LOG_LEVEL_INFO, NULL, "Run started: 1 step", -1, -1);
  retort_run_log_append (log, RETORT_LOG_LEVEL_REVISION, "a1000000", "Running upgrade  -> a1000000, create t", -1, -1);
  window = log_window (log, &view);
  app_test_show (GTK_WINDOW (window));
  scrolled = GTK_SCROLLED_WINDOW (find_descendant (view, GTK_TYPE_SCROLLED_WINDOW));
  adj = gtk_scrolled_window_get_vadjustment (scrolled);
  jump_button = gtk_widget_get_last_child (gtk_widget_get_parent (GTK_WIDGET (scrolled)));
  g_assert_true (GTK_IS_BUTTON (jump_button));

  /* streamed in batches, the view stays at the newest line */
  stream_lines (log, &next, 20, 50);
  g_assert_true (app_test_spin_until (at_bottom_cb, adj, 5000, NULL));
  g_assert_true (retort_log_view_get_following (RETORT_LOG_VIEW (view)));
  g_assert_false (gtk_widget_get_visible (jump_button));
  stream_lines (log, &next, 5, 50);
  g_assert_true (app_test_spin_until (at_bottom_cb, adj, 5000, NULL));
  app_test_screenshot (window, "run-log-following");

  /* scrolled up: new lines no longer move the view */
  gtk_adjustment_set_value (adj, gtk_adjustment_get_upper (adj) / 3);
  kept_value = gtk_adjustment_get_value (adj);
  g_assert_false (retort_log_view_get_following (RETORT_LOG_VIEW (view)));
  stream_lines (log, &next, 10, 50);
  app_test_spin_for (100);
  g_assert_false (retort_log_view_get_following (RETORT_LOG_VIEW (view)));
  g_assert_false (adjustment_at_bottom (adj));
  g_assert_cmpfloat (fabs (gtk_adjustment_get_value (adj) - kept_value), <, 50);
  g_assert_true (gtk_widget_get_visible (jump_button));
  app_test_screenshot (window, "run-log-scrolled-up");

  /* Jump to Bottom follows again */
  g_assert_true (gtk_widget_activate_action (view, "log.jump-to-bottom", NULL));
  g_assert_true (app_test_spin_until (at_bottom_cb, adj, 5000, NULL));
  g_assert_true (retort_log_view_get_following (RETORT_LOG_VIEW (view)));
  stream_lines (log, &next, 3, 50);
  g_assert_true (app_test_spin_until (at_bottom_cb, adj, 5000, NULL));
  app_test_spin_for (100);
  g_assert_false (gtk_widget_get_visible (jump_button));

  /* search: selects and shows the match, stops following */
  match = retort_log_view_search (RETORT_LOG_VIEW (view), "values (42");
  g_assert_cmpint (match, ==, 2 + 42);
  selection = gtk_list_view_get_model (GTK_LIST_VIEW (find_descendant (view, GTK_TYPE_LIST_VIEW)));
  g_assert_true (gtk_selection_model_is_selected (selection, match));
  g_assert_false (retort_log_view_get_following (RETORT_LOG_VIEW (view)));
  /* the next and previous matches are searched a slice at a time */
  g_assert_true (gtk_widget_activate_action (view, "log.next-match", NULL));
  wait_selected (selection, 2 + 420);
  g_assert_true (gtk_widget_activate_action (view, "log.previous-match", NULL));
  wait_selected (selection, match);
  /* past the first match, backward: round to the last one */
  g_assert_true (gtk_widget_activate_action (view, "log.previous-match", NULL));
  wait_selected (selection, 2 + 429);
  /* scrolling to the match happens over the next frames (slowly in sanitizer builds) */
  g_assert_true (app_test_spin_until (not_at_bottom_cb, adj, 5000, NULL));
  app_test_screenshot (window, "run-log-search");
  g_assert_cmpint (retort_log_view_search (RETORT_LOG_VIEW (view), "no such line"), ==, -1);

  /* Ctrl+F is bound in the view */
  g_assert_true (gtk_widget_activate_action (view, "log.search", NULL));

  gtk_window_destroy (GTK_WINDOW (window));
}


/* a run as it reads in the view: every kind of line */
static RetortRunLog *
levels_log (void)
{
  RetortRunLog *log = retort_run_log_new ();

  retort_run_log_append (log, RETORT_LOG_LEVEL_INFO, NULL, "Run started: 2 steps", -1, -1);
  retort_run_log_append (log, RETORT_LOG_LEVEL_REVISION, "ae1027a6acf2", "Running upgrade -> ae1027a6acf2, add orders", -1, -1);
  retort_run_log_append (log, RETORT_LOG_LEVEL_STATEMENT, "ae1027a6acf2",
                         "CREATE TABLE orders (\n\tid integer PRIMARY KEY,\n\tcustomer_id integer NOT NULL\n)", 1500, 0);
  retort_run_log_append (log, RETORT_LOG_LEVEL_STATEMENT, "ae1027a6acf2",
                         "INSERT INTO orders (id, customer_id) SELECT id, 17 FROM legacy_orders", 2345678, 1204);
  retort_run_log_append (log, RETORT_LOG_LEVEL_NOTICE, "ae1027a6acf2",
                         "NOTICE: relation \"ix_orders_customer\" already exists, skipping", -1, -1);
  retort_run_log_append (log, RETORT_LOG_LEVEL_INFO, "ae1027a6acf2", "Step 1 of 2 done", 2400000, -1);
  retort_run_log_append (log, RETORT_LOG_LEVEL_REVISION, "27c6a30d7c24", "Running upgrade ae1027a6acf2 -> 27c6a30d7c24, invoices", -1, -1);
  retort_run_log_append (log, RETORT_LOG_LEVEL_WARNING, "27c6a30d7c24",
                         "WARNING: there is already a transaction in progress", -1, -1);
  retort_run_log_append (log, RETORT_LOG_LEVEL_STATEMENT, "27c6a30d7c24",
                         "ALTER TABLE invoices ADD COLUMN archived_at timestamp", 800, -1);
  retort_run_log_append (log, RETORT_LOG_LEVEL_ERROR, "27c6a30d7c24",
                         "ERROR: relation \"invoices\" does not exist", -1, -1);
  retort_run_log_flush (log);
  return log;
}

static void
collect_rows (GtkWidget *widget,
              GPtrArray *rows)
{
  if (g_strcmp0 (gtk_widget_get_css_name (widget), "logrow") == 0 && gtk_widget_get_mapped (widget))
    g_ptr_array_add (rows, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_rows (child, rows);
}

/* the row showing log's line at position: its accessible label begins
 * with the line's local time, HH:MM:SS.mmm */
static char *
expected_label (RetortRunLog *log,
                guint         position,
                const char   *rest)
{
  g_autoptr(RetortLogEntry) entry = entry_at (log, position);
  gint64 wall = retort_log_entry_get_wall_time (entry);
  g_autoptr(GDateTime) when = g_date_time_new_from_unix_local (wall / G_USEC_PER_SEC);
  g_autofree char *seconds = g_date_time_format (when, "%H:%M:%S");

  return g_strdup_printf ("%s.%03d %s", seconds, (int) (wall % G_USEC_PER_SEC / 1000), rest);
}

static GtkWidget *
row_labelled (GPtrArray  *rows,
              const char *label)
{
  for (guint i = 0; i < rows->len; i++)
    {
      g_autofree char *mismatch = gtk_test_accessible_check_property (g_ptr_array_index (rows, i),
                                                                      GTK_ACCESSIBLE_PROPERTY_LABEL, label);
      if (mismatch == NULL)
        return g_ptr_array_index (rows, i);
    }
  g_error ("no row is labelled \"%s\"", label);
  return NULL;
}

static void
assert_named_color (GtkWidget  *widget,
                    const char *name)
{
  GdkRGBA color, named;

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &color);
  g_assert_true (gtk_style_context_lookup_color (gtk_widget_get_style_context (widget), name, &named));
  G_GNUC_END_IGNORE_DEPRECATIONS
  g_assert_true (gdk_rgba_equal (&color, &named));
}

static void
test_log_view_rows (void)
{
  g_autoptr(RetortRunLog) log = levels_log ();
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  g_autofree char *heading_label = expected_label (log, 1, "Revision: Running upgrade -> ae1027a6acf2, add orders");
  g_autofree char *statement_label =
    expected_label (log, 3, "INSERT INTO orders (id, customer_id) SELECT id, 17 FROM legacy_orders (2.35 s · 1204 rows)");
  g_autofree char *created_label =
    expected_label (log, 2, "CREATE TABLE orders (\n\tid integer PRIMARY KEY,\n\tcustomer_id integer NOT NULL\n) (1.5 ms · 0 rows)");
  g_autofree char *notice_label =
    expected_label (log, 4, "NOTICE: relation \"ix_orders_customer\" already exists, skipping");
  g_autofree char *warning_label = expected_label (log, 7, "WARNING: there is already a transaction in progress");
  g_autofree char *error_label = expected_label (log, 9, "ERROR: relation \"invoices\" does not exist");
  AdwStyleManager *style = adw_style_manager_get_default ();
  GtkWidget *window, *view, *heading, *statement, *notice, *warning, *error;
  GdkRGBA light_error, dark_error;

  window = log_window (log, &view);
  app_test_show (GTK_WINDOW (window));
  app_test_spin_for (100);
  collect_rows (view, rows);
  g_assert_cmpuint (rows->len, ==, 10);

  heading = row_labelled (rows, heading_label);
  statement = row_labelled (rows, statement_label);
  row_labelled (rows, created_label);
  notice = row_labelled (rows, notice_label);
  warning = row_labelled (rows, warning_label);
  error = row_labelled (rows, error_label);

  /* the level is the row's style class: the stylesheet colours it */
  g_assert_true (gtk_widget_has_css_class (heading, "revision"));
  g_assert_true (gtk_widget_has_css_class (statement, "statement"));
  g_assert_true (gtk_widget_has_css_class (notice, "notice"));
  g_assert_true (gtk_widget_has_css_class (warning, "warning"));
  g_assert_true (gtk_widget_has_css_class (error, "error"));
  g_assert_false (gtk_widget_has_css_class (statement, "error"));
  assert_named_color (error, "error_color");
  assert_named_color (warning, "warning_color");
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (error), &light_error);
  G_GNUC_END_IGNORE_DEPRECATIONS

  /* every row as tall as every other: the list's height is exact */
  for (guint i = 0; i < rows->len; i++)
    g_assert_cmpint (gtk_widget_get_height (g_ptr_array_index (rows, i)), ==, gtk_widget_get_height (heading));
  g_assert_cmpint (gtk_widget_get_height (heading), >=, 16);
  app_test_screenshot (window, "run-log-levels");

  /* dark: the named colours of the dark style, so errors stay readable */
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  app_test_spin_for (100);
  assert_named_color (error, "error_color");
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (error), &dark_error);
  G_GNUC_END_IGNORE_DEPRECATIONS
  g_assert_false (gdk_rgba_equal (&light_error, &dark_error));
  /* light text on a dark window */
  g_assert_cmpfloat (dark_error.red + dark_error.green + dark_error.blue, >, light_error.red + light_error.green + light_error.blue);
  app_test_screenshot (window, "run-log-levels-dark");
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
clipboard_changed_cb (GdkClipboard *clipboard,
                      gboolean     *changed)
{
  *changed = TRUE;
}

static void
clipboard_text_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  TextResult *text_result = user_data;
  g_autoptr(GError) error = NULL;

  text_result->text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (object), result, &error);
  g_assert_no_error (error);
  text_result->done = TRUE;
}

static void
test_log_view_copy_all (void)
{
  g_autoptr(RetortRunLog) log = levels_log ();
  g_autofree char *expected = NULL;
  TextResult pasted = { FALSE, NULL };
  GdkClipboard *clipboard;
  GtkWidget *window, *view;
  gboolean changed = FALSE;
  gint64 longest_gap = 0;

  append_numbered (log, 0, 30000);
  retort_run_log_flush (log);
  window = log_window (log, &view);
  app_test_show (GTK_WINDOW (window));
  clipboard = gtk_widget_get_clipboard (view);
  g_signal_connect (clipboard, "changed", G_CALLBACK (clipboard_changed_cb), &changed);

  expected = retort_run_log_get_text (log);
  g_assert_true (gtk_widget_activate_action (view, "log.copy-all", NULL));
  /* made in a worker, from the lines there were: later ones are not in it */
  g_assert_false (changed);
  retort_run_log_append (log, RETORT_LOG_LEVEL_INFO, NULL, "after the copy", -1, -1);
  g_assert_true (app_test_spin_until (is_true, &changed, 10000, &longest_gap));
  g_assert_cmpint (longest_gap, <, APP_TEST_MAX_STALL_US);

  gdk_clipboard_read_text_async (clipboard, NULL, clipboard_text_cb, &pasted);
  g_assert_true (app_test_spin_until (text_is_done, &pasted, 10000, NULL));
  g_assert_cmpuint (strlen (pasted.text), ==, strlen (expected));
  g_assert_true (strcmp (pasted.text, expected) == 0);
  g_assert_null (strstr (pasted.text, "after the copy"));
  g_assert_true (g_str_has_suffix (pasted.text, "\tinfo\t-\tline 29999\t\t\n"));
  g_free (pasted.text);

  /* and again, now with the last line */
  changed = FALSE;
  pasted = (TextResult) { FALSE, NULL };
  g_assert_true (gtk_widget_activate_action (view, "log.copy-all", NULL));
  g_assert_true (app_test_spin_until (is_true, &changed, 10000, NULL));
  gdk_clipboard_read_text_async (clipboard, NULL, clipboard_text_cb, &pasted);
  g_assert_true (app_test_spin_until (text_is_done, &pasted, 10000, NULL));
  g_assert_true (g_str_has_suffix (pasted.text, "\tinfo\t-\tafter the copy\t\t\n"));
  g_free (pasted.text);

  g_signal_handlers_disconnect_by_func (clipboard, clipboard_changed_cb, &changed);
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  int status;

  /* the rows' accessible labels are read (GTK_A11Y=test) */
  if (!app_test_init_a11y (&argc, &argv))
    return 0;

  g_test_add_func ("/app/run-log/append", test_run_log_append);
  g_test_add_func ("/app/run-log/coalesced", test_run_log_coalesced);
  g_test_add_func ("/app/run-log/cap", test_run_log_cap);
  g_test_add_func ("/app/run-log/find", test_run_log_find);
  g_test_add_func ("/app/run-log/find-async", test_run_log_find_async);
  g_test_add_func ("/app/run-log/chunks", test_run_log_chunks);
  g_test_add_func ("/app/run-log/save", test_run_log_save);
  g_test_add_func ("/app/run-log/attach", test_run_log_attach);
  g_test_add_func ("/app/log-view/follow", test_log_view_follow);
  g_test_add_func ("/app/log-view/rows", test_log_view_rows);
  g_test_add_func ("/app/log-view/copy-all", test_log_view_copy_all);

  status = g_test_run ();
  app_test_cleanup ();
  return status;
}
