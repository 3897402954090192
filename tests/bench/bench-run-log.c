/* bench-run-log.c — 100,000 log lines streamed into RetortLogView
 *
 * Shows a RetortLogView in a window and appends lines as a run's event
 * batching delivers them (BATCH lines every 20 ms), the view following the
 * end, while a 1 ms timer at G_PRIORITY_HIGH notes the longest gap between
 * its dispatches: how long the main loop was blocked. Then times a search
 * that finds nothing over all lines (the worst case), Copy All's text, and
 * saving to a file.
 *
 * A benchmark, not a test: prints figures and TARGET MET / TARGET MISSED,
 * exits 0 unless it could not run.
 *
 * Usage: bench-run-log [--lines 100000] [--batch 500]
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bench-run-log"

#include "config.h"

#include <adwaita.h>
#include <string.h>

#include <glib/gstdio.h>

#include "retort-log-view.h"
#include "retort-run-log.h"

#define TARGET_STALL_MS 50.0
#define BATCH_INTERVAL_MS 20

typedef struct
{
  gint64 last;
  gint64 longest;
  gint64 n_over_target;
  gint64 longest_after_first;  /* after the first 10,000 lines: the steady state */
  gboolean steady;
} Monitor;

static gboolean
monitor_tick (gpointer data)
{
  Monitor *monitor = data;
  gint64 now = g_get_monotonic_time ();

  if (monitor->last != 0)
    {
      gint64 gap = now - monitor->last;
      monitor->longest = MAX (monitor->longest, gap);
      if (monitor->steady)
        monitor->longest_after_first = MAX (monitor->longest_after_first, gap);
      if (gap > TARGET_STALL_MS * 1000)
        monitor->n_over_target++;
    }
  monitor->last = now;
  return G_SOURCE_CONTINUE;
}

typedef struct
{
  RetortRunLog *log;
  guint         next;
  guint         total;
  guint         batch;
  gboolean      done;
} Feeder;


static gboolean
feed_batch (gpointer data)
{
  Feeder *feeder = data;

  for (guint i = 0; i < feeder->batch && feeder->next < feeder->total; i++, feeder->next++)
    {
      char text[160];
      char revision[16];

      g_snprintf (revision, sizeof revision, "%08x", 0xa1000000u + feeder->next / 1000);
      if (feeder->next % 1000 == 0)
        {
          g_snprintf (text, sizeof text, "Running upgrade -> %s, step %u", revision, feeder->next / 1000);
          retort_run_log_append (feeder->log, RETORT_LOG_LEVEL_REVISION, revision, text, -1, -1);
          continue;
        }
      switch (feeder->next % 4)
        {
        case 0: g_snprintf (text, sizeof text, "INSERT INTO orders (id, customer_id, total) VALUES (%u, 17, 12.50)",
                            feeder->next); break;
        case 1: g_snprintf (text, sizeof text, "UPDATE customers SET last_order = now() WHERE id = %u",
                            feeder->next); break;
        case 2: g_snprintf (text, sizeof text, "CREATE INDEX ix_orders_%u ON orders (customer_id)",
                            feeder->next); break;
        default: g_snprintf (text, sizeof text, "ALTER TABLE invoices ADD COLUMN note_%u TEXT", feeder->next);
        }
      retort_run_log_append (feeder->log, RETORT_LOG_LEVEL_STATEMENT, revision, text, 40 + feeder->next % 300, 1);
    }
  if (feeder->next < feeder->total)
    return G_SOURCE_CONTINUE;
  feeder->done = TRUE;
  return G_SOURCE_REMOVE;
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

int
main (int   argc,
      char *argv[])
{
  int lines = 100000, batch = 500;
  GOptionEntry entries[] = {
    { "lines", 0, 0, G_OPTION_ARG_INT, &lines, "lines to stream", "N" },
    { "batch", 0, 0, G_OPTION_ARG_INT, &batch, "lines per 20 ms batch", "N" },
    { NULL }
  };
  g_autoptr(GOptionContext) options = g_option_context_new ("— stream a run log into the view");
  g_autoptr(GError) error = NULL;
  g_autoptr(RetortRunLog) log = NULL;
  g_autofree char *tmp = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;
  g_autofree char *text = NULL;
  Monitor monitor = { 0 };
  Feeder feeder;
  GtkWidget *window, *view;
  guint monitor_id;
  gint64 start, stream_us, search_us, text_us, save_us, settle_until;
  gint found;
  gboolean saved = FALSE;
  GStatBuf st;

  g_option_context_add_main_entries (options, entries, NULL);
  if (!g_option_context_parse (options, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (!gtk_init_check ())
    {
      g_printerr ("bench-run-log: no display (run it under xvfb-run)\n");
      return 1;
    }
  adw_init ();
  {
    /* our style sheet, as AdwApplication loads it for the app */
    g_autoptr(GtkCssProvider) provider = gtk_css_provider_new ();
    gtk_css_provider_load_from_resource (provider, "/org/retort/Retort/style.css");
    gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (provider),
                                                GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  }

  log = retort_run_log_new ();
  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 900, 600);
  view = retort_log_view_new ();
  retort_log_view_set_log (RETORT_LOG_VIEW (view), log);
  gtk_window_set_child (GTK_WINDOW (window), view);
  gtk_window_present (GTK_WINDOW (window));
  while (!gtk_widget_get_mapped (window))
    g_main_context_iteration (NULL, TRUE);

  feeder = (Feeder) { log, 0, (guint) lines, (guint) batch, FALSE };
  monitor_id = g_timeout_add_full (G_PRIORITY_HIGH, 1, monitor_tick, &monitor, NULL);
  start = g_get_monotonic_time ();
  g_timeout_add (BATCH_INTERVAL_MS, feed_batch, &feeder);
  while (!feeder.done)
    {
      g_main_context_iteration (NULL, TRUE);
      monitor.steady = feeder.next >= 10000;
    }
  /* the last batch reaches the list and is drawn */
  settle_until = g_get_monotonic_time () + 300 * 1000;
  while (g_get_monotonic_time () < settle_until)
    g_main_context_iteration (NULL, FALSE);
  stream_us = g_get_monotonic_time () - start;
  g_source_remove (monitor_id);

  start = g_get_monotonic_time ();
  found = retort_run_log_find (log, "no such statement", 0, RETORT_LOG_FORWARD);
  search_us = g_get_monotonic_time () - start;
  g_assert_cmpint (found, ==, -1);

  start = g_get_monotonic_time ();
  text = retort_run_log_get_text (log);
  text_us = g_get_monotonic_time () - start;

  tmp = g_dir_make_tmp ("bench-run-log-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (tmp, "run.log", NULL);
  file = g_file_new_for_path (path);
  start = g_get_monotonic_time ();
  retort_run_log_save_async (log, file, NULL, saved_cb, &saved);
  while (!saved)
    g_main_context_iteration (NULL, TRUE);
  save_us = g_get_monotonic_time () - start;
  g_assert_cmpint (g_stat (path, &st), ==, 0);

  g_print ("lines streamed         %u in batches of %d every %d ms (%u in the list)\n", feeder.next, batch,
           BATCH_INTERVAL_MS, g_list_model_get_n_items (G_LIST_MODEL (log)));
  g_print ("streaming took         %.0f ms\n", stream_us / 1000.0);
  g_print ("longest main-loop gap  %.1f ms (%" G_GINT64_FORMAT " gaps over %.0f ms; %.1f ms once streaming)\n",
           monitor.longest / 1000.0, monitor.n_over_target, TARGET_STALL_MS, monitor.longest_after_first / 1000.0);
  g_print ("view following end     %s\n", retort_log_view_get_following (RETORT_LOG_VIEW (view)) ? "yes" : "no");
  g_print ("search, no match       %.1f ms over %u lines\n", search_us / 1000.0, retort_run_log_get_n_lines (log));
  g_print ("copy-all text          %.1f ms (%zu bytes)\n", text_us / 1000.0, strlen (text));
  g_print ("save to file           %.1f ms (%lld bytes, in a worker)\n", save_us / 1000.0, (long long) st.st_size);
  g_print ("%s: longest stall %.1f ms, target %.0f ms\n",
           monitor.longest <= TARGET_STALL_MS * 1000 ? "TARGET MET" : "TARGET MISSED",
           monitor.longest / 1000.0, TARGET_STALL_MS);

  g_unlink (path);
  g_rmdir (tmp);
  gtk_window_destroy (GTK_WINDOW (window));
  return 0;
}
