/* bench-run-log.c — 100,000 log lines streamed into RetortLogView
 *
 * Shows a RetortLogView in a window and appends lines as a run's events
 * arrive (--batch lines every 20 ms: statements, a revision heading every
 * 1,000 lines, a NOTICE every 5,000, a WARNING and an ERROR), the view
 * following the end. Then, through the view as a user would: the next
 * match 20 times for a word on 20 lines spread over the whole log, a
 * search that finds nothing, Copy All, and saving to a file.
 *
 * Throughout, a 1 ms timer at G_PRIORITY_HIGH notes the gap between its
 * dispatches, which is how long the main loop was blocked, and the main
 * thread's CPU time over the gap (to tell work on the main thread from
 * waiting for one of the machine's cores). The gaps are kept per phase.
 *
 * A benchmark, not a test: it prints a table and TARGET MET / TARGET
 * MISSED lines (as bench-window does), and exits 0 unless it could not run.
 *
 * Usage: bench-run-log [--lines 100000] [--batch 500] [--stalls-over MS]
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bench-run-log"

#include "config.h"

#include <adwaita.h>
#include <string.h>

#include <glib/gstdio.h>

#include "bench-util.h"
#include "retort-log-view.h"
#include "retort-run-pane.h"
#include "retort-run-session.h"
#include "retort-run-log.h"

#define TARGET_STALL_MS    50.0
#define BATCH_INTERVAL_MS  20
/* the steady state: after the list's first rows are made */
#define STEADY_AFTER_LINES 1000
#define N_NEXT_MATCHES     20
#define MATCH_EVERY_LINES  5000
#define DONE_TIMEOUT_MS    20000
/* after each step: whatever it leaves for later frames counts too */
#define SETTLE_MS          300

typedef enum {
  PHASE_SETUP,
  PHASE_STREAM,
  PHASE_STREAM_STEADY,   /* a part of PHASE_STREAM */
  PHASE_SEARCH_NEXT,
  PHASE_SEARCH_NONE,
  PHASE_COPY,
  PHASE_SAVE,
  PHASE_REAL_RUN,        /* an SQLite upgrade of that many statements, in a run pane */
  N_PHASES
} PhaseId;

static const char *phase_names[N_PHASES] = {
  "showing the view",
  "streaming",
  "streaming, after 1,000 lines",
  "search next x20",
  "search, no match",
  "Copy All",
  "Save",
  "a real run, one line per statement",
};

typedef struct
{
  gint64 start_us;   /* when the gap began, from t0 */
  gint64 wall_us;
  gint64 cpu_us;     /* the main thread's CPU time over the gap */
  guint  lines;      /* lines appended when it began */
} Stall;

typedef struct
{
  GArray    *gaps;       /* gint64 µs between monitor dispatches */
  GArray    *latencies;  /* gint64 µs from an action to its result */
  GPtrArray *stalls;     /* Stall*, the gaps over --stalls-over */
  Stall      worst;
  guint      frames;
} Phase;

static struct
{
  gint64        t0;
  PhaseId       phase;
  Phase         phases[N_PHASES];
  double        stalls_over_ms;
  gint64        last_tick;
  gint64        last_tick_cpu;
  guint         n_paints;

  RetortRunLog *log;
  GtkWidget    *view;
  guint         next_line;    /* appended so far */
  guint         total_lines;
  guint         batch;
  gboolean      fed;
  gboolean      followed;     /* still following the end once streamed */
} bench;

/* --- clocks and the stall monitor ------------------------------------------- */



static void
note_gap (PhaseId     id,
          const Stall *stall)
{
  Phase *phase = &bench.phases[id];

  g_array_append_val (phase->gaps, stall->wall_us);
  if (stall->wall_us > phase->worst.wall_us)
    phase->worst = *stall;
  if (bench_ms (stall->wall_us) > bench.stalls_over_ms && id != PHASE_STREAM_STEADY)
    g_ptr_array_add (phase->stalls, g_memdup2 (stall, sizeof *stall));
}

static gboolean
monitor_tick_cb (gpointer data)
{
  gint64 now = g_get_monotonic_time ();
  gint64 cpu = bench_thread_cpu_us ();

  if (bench.last_tick != 0)
    {
      Stall stall = {
        .start_us = bench.last_tick - bench.t0,
        .wall_us = now - bench.last_tick,
        .cpu_us = cpu - bench.last_tick_cpu,
        .lines = bench.next_line,
      };

      note_gap (bench.phase, &stall);
      if (bench.phase == PHASE_STREAM && bench.next_line >= STEADY_AFTER_LINES)
        note_gap (PHASE_STREAM_STEADY, &stall);
    }
  bench.last_tick = now;
  bench.last_tick_cpu = cpu;
  return G_SOURCE_CONTINUE;
}

static void
after_paint_cb (GdkFrameClock *clock,
                gpointer       data)
{
  bench.n_paints++;
  bench.phases[bench.phase].frames++;
  if (bench.phase == PHASE_STREAM && bench.next_line >= STEADY_AFTER_LINES)
    bench.phases[PHASE_STREAM_STEADY].frames++;
}

/* --- driving the main loop -------------------------------------------------- */



static void
wait_for_frame (void)
{
  guint seen = bench.n_paints;
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  while (bench.n_paints == seen && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
}

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

/* the last line's row is on screen, at the bottom of the list */
static gboolean
last_row_shown (void)
{
  GtkWidget *list = find_descendant (bench.view, GTK_TYPE_LIST_VIEW);
  GtkAdjustment *vadjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (list));

  return gtk_adjustment_get_value (vadjustment) + gtk_adjustment_get_page_size (vadjustment) >=
         gtk_adjustment_get_upper (vadjustment) - 2;
}

/* --- streaming --------------------------------------------------------------- */

static gboolean
feed_batch_cb (gpointer data)
{
  for (guint i = 0; i < bench.batch && bench.next_line < bench.total_lines; i++, bench.next_line++)
    {
      guint n = bench.next_line;
      char text[160];
      char revision[16];

      g_snprintf (revision, sizeof revision, "%08x", 0xa1000000u + n / 1000);
      if (n % 1000 == 0)
        {
          g_snprintf (text, sizeof text, "Running upgrade -> %s, step %u", revision, n / 1000);
          retort_run_log_append (bench.log, RETORT_LOG_LEVEL_REVISION, revision, text, -1, -1);
          continue;
        }
      if (n % MATCH_EVERY_LINES == 500)
        {
          g_snprintf (text, sizeof text, "NOTICE: checkpoint %u reached", n / MATCH_EVERY_LINES);
          retort_run_log_append (bench.log, RETORT_LOG_LEVEL_NOTICE, revision, text, -1, -1);
          continue;
        }
      if (n == bench.total_lines / 2 + 7)
        {
          retort_run_log_append (bench.log, RETORT_LOG_LEVEL_WARNING, revision,
                                 "WARNING: there is already a transaction in progress", -1, -1);
          continue;
        }
      if (n == bench.total_lines - 1)
        {
          retort_run_log_append (bench.log, RETORT_LOG_LEVEL_ERROR, revision,
                                 "ERROR: relation \"invoices_archive\" does not exist", -1, -1);
          continue;
        }
      switch (n % 4)
        {
        case 0: g_snprintf (text, sizeof text, "INSERT INTO orders (id, customer_id, total) VALUES (%u, 17, 12.50)",
                            n); break;
        case 1: g_snprintf (text, sizeof text, "UPDATE customers SET last_order = now() WHERE id = %u", n); break;
        case 2: g_snprintf (text, sizeof text, "CREATE INDEX ix_orders_%u ON orders (customer_id)", n); break;
        default: g_snprintf (text, sizeof text, "ALTER TABLE invoices ADD COLUMN note_%u TEXT", n);
        }
      retort_run_log_append (bench.log, RETORT_LOG_LEVEL_STATEMENT, revision, text, 40 + n % 300, 1);
    }
  if (bench.next_line < bench.total_lines)
    return G_SOURCE_CONTINUE;
  bench.fed = TRUE;
  return G_SOURCE_REMOVE;
}

static gboolean
is_fed (gpointer data)
{
  return bench.fed;
}

/* --- search ------------------------------------------------------------------- */

static gboolean
selection_moved (gpointer data)
{
  GtkSingleSelection *selection = data;
  guint *before = g_object_get_data (G_OBJECT (selection), "bench-before");

  return gtk_single_selection_get_selected (selection) != *before;
}

/* Returns the positions the next match landed on, in order. */
static GArray *
search_next_phase (GtkSingleSelection *selection)
{
  GArray *landed = g_array_new (FALSE, FALSE, sizeof (guint));
  guint before;

  bench.phase = PHASE_SEARCH_NEXT;
  g_object_set_data (G_OBJECT (selection), "bench-before", &before);
  retort_log_view_search (RETORT_LOG_VIEW (bench.view), "checkpoint");
  wait_for_frame ();
  for (guint i = 0; i < N_NEXT_MATCHES; i++)
    {
      gint64 start = g_get_monotonic_time ();
      gint64 latency;

      before = gtk_single_selection_get_selected (selection);
      gtk_widget_activate_action (bench.view, "log.next-match", NULL);
      if (!bench_spin_until (selection_moved, selection, DONE_TIMEOUT_MS))
        break;
      /* the match is on screen */
      wait_for_frame ();
      latency = g_get_monotonic_time () - start;
      g_array_append_val (bench.phases[PHASE_SEARCH_NEXT].latencies, latency);
      before = gtk_single_selection_get_selected (selection);
      g_array_append_val (landed, before);
    }
  bench_spin_for (SETTLE_MS);
  g_object_set_data (G_OBJECT (selection), "bench-before", NULL);
  return landed;
}

static gboolean
has_error_class (gpointer data)
{
  return gtk_widget_has_css_class (GTK_WIDGET (data), "error");
}

static gboolean
search_none_phase (GtkWidget *entry)
{
  gint64 start;
  gint64 latency;
  gboolean told;

  bench.phase = PHASE_SEARCH_NONE;
  gtk_widget_remove_css_class (entry, "error");
  start = g_get_monotonic_time ();
  /* typed, then Enter: the search runs at once (and again when the entry's
   * search delay has passed) */
  gtk_editable_set_text (GTK_EDITABLE (entry), "no such statement");
  g_signal_emit_by_name (entry, "activate");
  told = bench_spin_until (has_error_class, entry, DONE_TIMEOUT_MS);
  latency = g_get_monotonic_time () - start;
  if (told)
    g_array_append_val (bench.phases[PHASE_SEARCH_NONE].latencies, latency);
  bench_spin_for (SETTLE_MS);
  return told;
}

/* --- Copy All and Save ---------------------------------------------------------- */

static void
clipboard_changed_cb (GdkClipboard *clipboard,
                      gboolean     *changed)
{
  *changed = TRUE;
}

static gboolean
is_true (gpointer data)
{
  return *(gboolean *) data;
}

static gboolean
copy_phase (GdkClipboard *clipboard)
{
  gboolean changed = FALSE;
  gulong handler;
  gint64 start;
  gint64 latency;

  bench.phase = PHASE_COPY;
  handler = g_signal_connect (clipboard, "changed", G_CALLBACK (clipboard_changed_cb), &changed);
  start = g_get_monotonic_time ();
  gtk_widget_activate_action (bench.view, "log.copy-all", NULL);
  if (bench_spin_until (is_true, &changed, DONE_TIMEOUT_MS))
    {
      latency = g_get_monotonic_time () - start;
      g_array_append_val (bench.phases[PHASE_COPY].latencies, latency);
    }
  g_signal_handler_disconnect (clipboard, handler);
  bench_spin_for (SETTLE_MS);
  return changed;
}

typedef struct
{
  char     *text;
  gboolean  done;
} ClipboardRead;

static void
clipboard_read_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  ClipboardRead *read = user_data;

  read->text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (object), result, NULL);
  read->done = TRUE;
}

static gboolean
read_is_done (gpointer data)
{
  return ((ClipboardRead *) data)->done;
}

static void
saved_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!retort_run_log_save_finish (RETORT_RUN_LOG (object), result, &error))
    g_error ("saving: %s", error->message);
  *(gboolean *) user_data = TRUE;
}

static gboolean
save_phase (GFile *file)
{
  gboolean saved = FALSE;
  gint64 start;
  gint64 latency;

  bench.phase = PHASE_SAVE;
  start = g_get_monotonic_time ();
  /* what Save… does once the file is chosen */
  retort_run_log_save_async (bench.log, file, NULL, saved_cb, &saved);
  if (bench_spin_until (is_true, &saved, DONE_TIMEOUT_MS))
    {
      latency = g_get_monotonic_time () - start;
      g_array_append_val (bench.phases[PHASE_SAVE].latencies, latency);
    }
  bench_spin_for (SETTLE_MS);
  return saved;
}

/* --- the report ---------------------------------------------------------------- */





static void
print_report (gint64 stream_us,
              gsize  clipboard_bytes,
              gsize  text_bytes,
              gint64 file_bytes,
              GArray *landed)
{
  g_autofree char *loadavg = NULL;
  GtkWidget *list = find_descendant (bench.view, GTK_TYPE_LIST_VIEW);
  guint rows = 0, mapped = 0;

  if (g_file_get_contents ("/proc/loadavg", &loadavg, NULL, NULL))
    *strchr (loadavg, ' ') = '\0';
  for (GtkWidget *row = gtk_widget_get_first_child (list); row != NULL; row = gtk_widget_get_next_sibling (row))
    {
      rows++;
      mapped += gtk_widget_get_mapped (row) ? 1 : 0;
    }

  g_print ("\nbench-run-log: %u lines in batches of %u every %d ms; window %dx%d; GSK_RENDERER=%s; "
           "load average %s\n", bench.next_line, bench.batch, BATCH_INTERVAL_MS,
           gtk_widget_get_width (gtk_widget_get_ancestor (bench.view, GTK_TYPE_WINDOW)),
           gtk_widget_get_height (gtk_widget_get_ancestor (bench.view, GTK_TYPE_WINDOW)),
           g_getenv ("GSK_RENDERER") != NULL ? g_getenv ("GSK_RENDERER") : "default",
           loadavg != NULL ? loadavg : "unknown");
  g_print ("list: %u items, %u row widgets alive, %u of them on screen; following the end after streaming: %s\n",
           g_list_model_get_n_items (G_LIST_MODEL (bench.log)), rows, mapped,
           bench.followed ? "yes" : "no");
  g_print ("streaming took %.0f ms (%.0f ms of lines, then %d ms to settle)\n", bench_ms (stream_us),
           (double) (bench.total_lines + bench.batch - 1) / bench.batch * BATCH_INTERVAL_MS, SETTLE_MS);

  g_print ("\nmain-loop gaps per phase (1 ms timer at G_PRIORITY_HIGH)\n");
  g_print ("  %-30s %7s %9s %9s %9s %9s %9s\n", "phase", "frames", "p99 ms", "max ms", "max cpu", "max at", "lines");
  for (PhaseId id = PHASE_STREAM; id < N_PHASES; id++)
    {
      Phase *phase = &bench.phases[id];

      g_print ("  %-30s %7u %9.1f %9.1f %9.1f %9.1f %9u\n", phase_names[id], phase->frames,
               bench_percentile (phase->gaps, 99), bench_maximum (phase->gaps), bench_ms (phase->worst.cpu_us),
               bench_ms (phase->worst.start_us), phase->worst.lines);
    }

  g_print ("\nuntil done                                   n   median ms      max ms\n");
  for (PhaseId id = PHASE_SEARCH_NEXT; id <= PHASE_SAVE; id++)
    {
      Phase *phase = &bench.phases[id];

      g_print ("  %-40s %3u %11.1f %11.1f\n", phase_names[id], phase->latencies->len,
               bench_percentile (phase->latencies, 50), bench_maximum (phase->latencies));
    }
  g_print ("  (search next: to the selected match drawn; no match: typing and Enter to the entry marked; "
           "Copy All: to the clipboard set; Save: to the file closed)\n");
  g_print ("  search next landed on:");
  for (guint i = 0; i < landed->len; i++)
    g_print (" %u", g_array_index (landed, guint, i));
  g_print ("\n  clipboard %zu bytes, get_text %zu bytes, file %" G_GINT64_FORMAT " bytes\n", clipboard_bytes,
           text_bytes, file_bytes);

  if (bench.stalls_over_ms < G_MAXDOUBLE)
    {
      g_print ("\ngaps over %.0f ms (start from t0, wall, main-thread cpu, lines appended)\n", bench.stalls_over_ms);
      for (PhaseId id = 0; id < N_PHASES; id++)
        for (guint i = 0; i < bench.phases[id].stalls->len; i++)
          {
            Stall *stall = g_ptr_array_index (bench.phases[id].stalls, i);

            g_print ("  %-30s at %8.1f  %7.1f ms  cpu %7.1f ms  %u lines\n", phase_names[id], bench_ms (stall->start_us),
                     bench_ms (stall->wall_us), bench_ms (stall->cpu_us), stall->lines);
          }
    }

  g_print ("\n");
  for (PhaseId id = PHASE_STREAM; id < N_PHASES; id++)
    {
      g_autofree char *what = g_strdup_printf ("longest main-loop stall, %s", phase_names[id]);
      bench_report_target (what, bench_maximum (bench.phases[id].gaps), TARGET_STALL_MS);
    }
}

/* --- a real run ---------------------------------------------------------------- */

/* The same number of lines, from the engine: one .sql revision of N
 * INSERTs upgraded on an SQLite file through RetortRunSession, shown in a
 * RetortRunPane, as the window does it. The statements' events cross from
 * the run's worker in 20 ms batches; every one becomes a log line. */

static gboolean
project_loaded (gpointer data)
{
  return retort_project_get_loaded (data) || !retort_project_get_loading (data);
}

static gboolean
profile_read (gpointer data)
{
  RetortProfileState state = retort_profile_get_state (data);
  return state != RETORT_PROFILE_STATE_CHECKING && state != RETORT_PROFILE_STATE_UNCHECKED;
}

static gboolean
session_done (gpointer data)
{
  return !retort_run_session_get_running (data);
}

static void
project_load_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!retort_project_load_finish (RETORT_PROJECT (source), result, &error))
    g_error ("bench-run-log: the run's project did not load: %s", error->message);
}

static void
real_run_phase (const char *dir,
                guint       n_statements,
                gint64     *run_us,
                guint      *run_lines,
                gboolean   *succeeded)
{
  g_autofree char *versions = g_build_filename (dir, "versions", NULL);
  g_autofree char *revision = g_build_filename (versions, "b1_many_inserts.sql", NULL);
  g_autofree char *db = g_build_filename (dir, "run.db", NULL);
  g_autoptr(GString) sql = g_string_new ("-- many inserts\n--\n-- Revision ID: b1000000000a\n-- Revises:\n\n"
                                         "-- retort:upgrade\nCREATE TABLE t (i integer);\n");
  g_autoptr(GFile) folder = g_file_new_for_path (dir);
  g_autoptr(RetortProject) project = NULL;
  g_autoptr(RetortProfile) profile = NULL;
  g_autoptr(RetortRun) run = NULL;
  g_autoptr(RetortRunSession) session = NULL;
  g_autoptr(GError) error = NULL;
  RetortProfileEntry entry = { 0 };
  GtkWidget *window;
  GtkWidget *pane;
  gint64 start;

  for (guint i = 0; i < n_statements; i++)
    g_string_append_printf (sql, "INSERT INTO t VALUES (%u);\n", i);
  g_string_append (sql, "\n-- retort:downgrade\nDROP TABLE t;\n");
  g_mkdir_with_parents (versions, 0755);
  if (!g_file_set_contents (revision, sql->str, sql->len, &error))
    g_error ("bench-run-log: %s", error->message);

  project = retort_project_new (folder);
  retort_project_load_async (project, NULL, project_load_cb, NULL);
  if (!bench_spin_until (project_loaded, project, 60000) || !retort_project_get_loaded (project))
    g_error ("bench-run-log: the run's project did not load");

  entry.id = (char *) "bench";
  entry.name = (char *) "bench";
  entry.url = g_strconcat ("sqlite:///", db, NULL);
  entry.tier = RETORT_TIER_DEVELOPMENT;
  profile = retort_profile_new (&entry);
  retort_profile_check (profile, retort_project_get_map (project), NULL, NULL, 10000);
  bench_spin_until (profile_read, profile, 20000);

  run = retort_run_new (retort_project_get_map (project), RETORT_RUN_UPGRADE, (const char *[]) { "head", NULL });
  session = retort_run_session_new (profile, project, run);
  pane = retort_run_pane_new ();
  retort_run_pane_set_session (RETORT_RUN_PANE (pane), session);
  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 900, 600);
  gtk_window_set_child (GTK_WINDOW (window), pane);
  gtk_window_present (GTK_WINDOW (window));
  while (gtk_widget_get_frame_clock (window) == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_signal_connect (gtk_widget_get_frame_clock (window), "after-paint", G_CALLBACK (after_paint_cb), NULL);
  wait_for_frame ();
  bench_spin_for (SETTLE_MS);

  bench.phase = PHASE_REAL_RUN;
  start = g_get_monotonic_time ();
  if (!retort_run_session_start (session, &error))
    g_error ("bench-run-log: %s", error->message);
  bench_spin_until (session_done, session, 600 * 1000);
  *run_us = g_get_monotonic_time () - start;
  bench_spin_for (SETTLE_MS);
  bench.phase = PHASE_SETUP;
  *run_lines = retort_run_log_get_n_lines (retort_run_session_get_log (session));
  *succeeded = retort_run_session_get_state (session) == RETORT_RUN_SESSION_SUCCEEDED;

  retort_profile_detach (profile);
  gtk_window_destroy (GTK_WINDOW (window));
  g_unlink (revision);
  g_rmdir (versions);
  g_unlink (db);
  g_free (entry.url);
}

int
main (int   argc,
      char *argv[])
{
  int lines = 100000, batch = 500;
  double stalls_over = 0;
  GOptionEntry entries[] = {
    { "lines", 0, 0, G_OPTION_ARG_INT, &lines, "lines to stream", "N" },
    { "batch", 0, 0, G_OPTION_ARG_INT, &batch, "lines per 20 ms batch", "N" },
    { "stalls-over", 0, 0, G_OPTION_ARG_DOUBLE, &stalls_over, "list every gap longer than this", "MS" },
    { NULL }
  };
  g_autoptr(GOptionContext) options = g_option_context_new ("— stream a run log into the view");
  g_autoptr(GError) error = NULL;
  g_autoptr(RetortRunLog) log = NULL;
  g_autoptr(GArray) landed = NULL;
  g_autofree char *tmp = NULL;
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GFile) file = NULL;
  ClipboardRead read = { NULL, FALSE };
  GtkWidget *window, *entry;
  GtkSingleSelection *selection;
  GdkClipboard *clipboard;
  guint monitor_id;
  gint64 start, stream_us, real_run_us = 0;
  guint real_run_lines = 0;
  gboolean real_run_ok = FALSE;
  GStatBuf st = { 0 };

  g_option_context_add_main_entries (options, entries, NULL);
  if (!g_option_context_parse (options, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (lines < 1 || batch < 1)
    {
      g_printerr ("bench-run-log: --lines and --batch must be at least 1\n");
      return 2;
    }
  bench.stalls_over_ms = stalls_over > 0 ? stalls_over : G_MAXDOUBLE;
  if (!gtk_init_check ())
    {
      g_print ("bench-run-log: SKIP: no display (run it under xvfb-run)\n");
      return 0;
    }
  adw_init ();
  {
    /* our style sheet, as AdwApplication loads it for the app */
    g_autoptr(GtkCssProvider) provider = gtk_css_provider_new ();
    gtk_css_provider_load_from_resource (provider, "/org/retort/Retort/style.css");
    gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (provider),
                                                GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  }
  for (PhaseId id = 0; id < N_PHASES; id++)
    {
      bench.phases[id].gaps = g_array_new (FALSE, FALSE, sizeof (gint64));
      bench.phases[id].latencies = g_array_new (FALSE, FALSE, sizeof (gint64));
      bench.phases[id].stalls = g_ptr_array_new_with_free_func (g_free);
    }

  bench.t0 = g_get_monotonic_time ();
  bench.phase = PHASE_SETUP;
  monitor_id = g_timeout_add_full (G_PRIORITY_HIGH, 1, monitor_tick_cb, NULL, NULL);

  log = retort_run_log_new ();
  bench.log = log;
  bench.total_lines = (guint) lines;
  bench.batch = (guint) batch;
  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 900, 600);
  bench.view = retort_log_view_new ();
  retort_log_view_set_log (RETORT_LOG_VIEW (bench.view), log);
  gtk_window_set_child (GTK_WINDOW (window), bench.view);
  gtk_window_present (GTK_WINDOW (window));
  while (gtk_widget_get_frame_clock (window) == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_signal_connect (gtk_widget_get_frame_clock (window), "after-paint", G_CALLBACK (after_paint_cb), NULL);
  wait_for_frame ();
  bench_spin_for (SETTLE_MS);

  /* streaming */
  bench.phase = PHASE_STREAM;
  start = g_get_monotonic_time ();
  g_timeout_add (BATCH_INTERVAL_MS, feed_batch_cb, NULL);
  if (!bench_spin_until (is_fed, NULL, 600 * 1000))
    g_error ("streaming did not finish");
  /* the last batch reaches the list and is drawn */
  bench_spin_for (SETTLE_MS);
  stream_us = g_get_monotonic_time () - start;
  bench.followed = retort_log_view_get_following (RETORT_LOG_VIEW (bench.view)) && last_row_shown ();

  /* search, through the view */
  selection = GTK_SINGLE_SELECTION (gtk_list_view_get_model (GTK_LIST_VIEW (find_descendant (bench.view,
                                                                                                GTK_TYPE_LIST_VIEW))));
  entry = find_descendant (bench.view, GTK_TYPE_SEARCH_ENTRY);
  landed = search_next_phase (selection);
  if (!search_none_phase (entry))
    g_printerr ("bench-run-log: a search for nothing did not end\n");

  /* Copy All, through the view */
  clipboard = gtk_widget_get_clipboard (bench.view);
  if (!copy_phase (clipboard))
    g_printerr ("bench-run-log: Copy All did not set the clipboard\n");

  /* Save */
  tmp = g_dir_make_tmp ("bench-run-log-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (tmp, "run.log", NULL);
  file = g_file_new_for_path (path);
  if (!save_phase (file))
    g_printerr ("bench-run-log: saving did not finish\n");
  g_stat (path, &st);

  /* the same through the engine, a session and its pane */
  real_run_phase (tmp, (guint) lines, &real_run_us, &real_run_lines, &real_run_ok);

  bench.phase = PHASE_SETUP;
  g_source_remove (monitor_id);

  /* what the clipboard and the file got, against the log's own text */
  text = retort_run_log_get_text (log);
  gdk_clipboard_read_text_async (clipboard, NULL, clipboard_read_cb, &read);
  bench_spin_until (read_is_done, &read, DONE_TIMEOUT_MS);

  print_report (stream_us, read.text != NULL ? strlen (read.text) : 0, strlen (text), st.st_size, landed);
  g_print ("a real run: %u INSERTs on SQLite through a run session and its pane: %s in %.0f ms, %u log lines\n",
           (guint) lines, real_run_ok ? "succeeded" : "FAILED", bench_ms (real_run_us), real_run_lines);
  if (g_strcmp0 (read.text, text) != 0)
    g_print ("bench-run-log: WARNING: the clipboard does not hold the log's text\n");

  g_free (read.text);
  g_unlink (path);
  g_rmdir (tmp);
  gtk_window_destroy (GTK_WINDOW (window));
  for (PhaseId id = 0; id < N_PHASES; id++)
    {
      g_array_unref (bench.phases[id].gaps);
      g_array_unref (bench.phases[id].latencies);
      g_ptr_array_unref (bench.phases[id].stalls);
    }
  return 0;
}
