/* bench-window.c — the desktop app's first frame and main-loop stalls
 *
 * A 5,000-revision project (run-bench.py's generator, through
 * make-window-fixture.py) with 20 SQLite databases, each stamped at a
 * different revision, listed in a throwaway retort.conf. Runs the app's own
 * code in-process, as RetortApplication's activate does: load the
 * workspace, make the window, select the first project and database,
 * present it. Then measures
 *   - first frame: the window's frame clock emits its first "after-paint";
 *   - timeline shown: the project loaded and a frame painted with rows;
 *   - all checked: no database is still being read;
 * and, throughout, main-loop stalls: a 1 ms timer at G_PRIORITY_HIGH notes
 * the gap between its dispatches (and the main thread's CPU time over the
 * gap, to tell work on the main thread from waiting for a core). After
 * startup, one painted frame per step, it scrolls the timeline top to
 * bottom and back in jumps, then a page at a time from the top and back,
 * selects every database in turn, and switches between the Timeline and
 * Environments views; the gaps are kept per phase. Last, what one timeline
 * row costs to make, bind and measure, away from the list.
 *
 * A benchmark, not a test: it prints a table and TARGET MET / TARGET MISSED
 * lines, and exits 0 unless it could not run at all.
 *
 * Usage: bench-window [--fixture-script make-window-fixture.py] [--python PATH]
 *                     [--revisions 5000] [--databases 20] [--keep DIR]
 *                     [--stalls-over MS] [--explain-width PX]
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bench-window"

#include "config.h"

#include <errno.h>
#include <locale.h>
#include <string.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <gtksourceview/gtksource.h>

#include "bench-util.h"
#include "retort-revision-row.h"
#include "retort-window.h"

#define TARGET_FIRST_FRAME_MS 400.0
#define TARGET_STALL_MS       50.0
#define MONITOR_INTERVAL_MS   1
#define SCROLL_STEPS          60
#define ENVIRONMENT_ROUNDS    5
#define STARTUP_TIMEOUT_MS    120000
#define FRAME_TIMEOUT_MS      5000
/* after the last startup milestone: whatever the window does once it has
 * everything (late notifications, the status strip's animation) counts too */
#define SETTLE_MS             500

typedef enum {
  PHASE_ACTIVATE,
  PHASE_STARTUP,
  PHASE_SCROLL,
  PHASE_PAGES,
  PHASE_PROFILES,
  PHASE_ENVIRONMENTS,
  N_PHASES
} PhaseId;

static const char *phase_names[N_PHASES] = {
  "activate", "startup", "scroll (jumps)", "scroll (pages)", "profile switching", "environments",
};

typedef struct
{
  gint64      start_us;   /* when the gap began, from t0 */
  gint64      wall_us;
  gint64      cpu_us;     /* the main thread's CPU time over the gap */
  const char *doing;
} Stall;

typedef struct
{
  GArray    *gaps;      /* gint64 µs between monitor dispatches */
  GArray    *latencies; /* gint64 µs from an action to its painted frame */
  GPtrArray *stalls;    /* Stall*, the gaps over --stalls-over */
  Stall      worst;
  guint      frames;
} Phase;

static struct
{
  gint64         t0;
  PhaseId        phase;
  Phase          phases[N_PHASES];
  const char    *doing;           /* what the driver is up to, for stall reports */
  double         stalls_over_ms;

  gint64         last_tick;
  gint64         last_tick_cpu;

  RetortWindow  *window;
  RetortProject *project;
  GPtrArray     *profiles;        /* RetortProfile*, the project's */
  guint          n_paints;
  gint64         first_layout;    /* µs from t0; 0 until then */
  gint64         first_frame;
  gint64         timeline_shown;
  gint64         all_checked;
  gint64         project_loaded;
} bench;

/* --- clocks -------------------------------------------------------------- */


static gint64
since_t0 (void)
{
  return g_get_monotonic_time () - bench.t0;
}


/* --- the stall monitor --------------------------------------------------- */

static gboolean
monitor_tick_cb (gpointer data)
{
  gint64 now = g_get_monotonic_time ();
  gint64 cpu = bench_thread_cpu_us ();
  Phase *phase = &bench.phases[bench.phase];

  if (bench.last_tick != 0)
    {
      gint64 gap = now - bench.last_tick;

      g_array_append_val (phase->gaps, gap);
      if (gap > phase->worst.wall_us || bench_ms (gap) > bench.stalls_over_ms)
        {
          Stall stall = {
            .start_us = bench.last_tick - bench.t0,
            .wall_us = gap,
            .cpu_us = cpu - bench.last_tick_cpu,
            .doing = bench.doing,
          };

          if (gap > phase->worst.wall_us)
            phase->worst = stall;
          if (bench_ms (gap) > bench.stalls_over_ms)
            g_ptr_array_add (phase->stalls, g_memdup2 (&stall, sizeof stall));
        }
    }
  bench.last_tick = now;
  bench.last_tick_cpu = cpu;
  return G_SOURCE_CONTINUE;
}

static void
start_phase (PhaseId phase)
{
  bench.phase = phase;
}

/* --- what the window shows ----------------------------------------------- */

static gboolean
timeline_has_rows (void)
{
  GtkWidget *list = GTK_WIDGET (retort_window_get_timeline (bench.window));

  if (!retort_project_get_loaded (bench.project) || !gtk_widget_get_mapped (list))
    return FALSE;
  for (GtkWidget *row = gtk_widget_get_first_child (list); row != NULL; row = gtk_widget_get_next_sibling (row))
    if (gtk_widget_get_mapped (row) && gtk_widget_get_height (row) > 0)
      return TRUE;
  return FALSE;
}

static gboolean
all_profiles_checked (void)
{
  for (guint i = 0; i < bench.profiles->len; i++)
    {
      RetortProfileState state = retort_profile_get_state (g_ptr_array_index (bench.profiles, i));

      if (state == RETORT_PROFILE_STATE_UNCHECKED || state == RETORT_PROFILE_STATE_CHECKING)
        return FALSE;
    }
  return TRUE;
}

static void
layout_cb (GdkFrameClock *clock,
           gpointer       data)
{
  if (bench.first_layout == 0)
    bench.first_layout = since_t0 ();
}

static void
after_paint_cb (GdkFrameClock *clock,
                gpointer       data)
{
  gint64 now = since_t0 ();

  bench.n_paints++;
  bench.phases[bench.phase].frames++;
  if (bench.first_frame == 0)
    bench.first_frame = now;
  /* rows allocated and mapped by this frame's layout were drawn by its paint */
  if (bench.timeline_shown == 0 && timeline_has_rows ())
    bench.timeline_shown = now;
}

static void
profile_state_cb (RetortProfile *profile,
                  GParamSpec    *pspec,
                  gpointer       data)
{
  if (bench.all_checked == 0 && all_profiles_checked ())
    bench.all_checked = since_t0 ();
}

static void
project_loaded_cb (RetortProject *project,
                   GParamSpec    *pspec,
                   gpointer       data)
{
  if (bench.project_loaded == 0 && retort_project_get_loaded (project))
    bench.project_loaded = since_t0 ();
}

/* --- driving the main loop ----------------------------------------------- */



/* Waits for the next painted frame; returns how long it took (µs), or -1.
 * Whatever the caller changed before is in that frame: the change happened
 * on this thread, before the frame clock's next cycle. */
static gint64
wait_for_frame (gint64 since)
{
  guint seen = bench.n_paints;
  gint64 deadline = g_get_monotonic_time () + (gint64) FRAME_TIMEOUT_MS * 1000;

  while (bench.n_paints == seen)
    {
      if (g_get_monotonic_time () > deadline)
        return -1;
      g_main_context_iteration (NULL, TRUE);
    }
  return g_get_monotonic_time () - since;
}

static void
note_latency (gint64 latency)
{
  if (latency >= 0)
    g_array_append_val (bench.phases[bench.phase].latencies, latency);
}

static gboolean
startup_done (gpointer data)
{
  return bench.first_frame != 0 && bench.timeline_shown != 0 && bench.all_checked != 0;
}

/* --- the phases ---------------------------------------------------------- */

static gboolean
at_bottom (GtkAdjustment *vadjustment)
{
  return gtk_adjustment_get_value (vadjustment) + gtk_adjustment_get_page_size (vadjustment) >=
         gtk_adjustment_get_upper (vadjustment) - 1;
}

/* Returns whether the way down ended on the last rows. */
static gboolean
scroll_phase (void)
{
  GtkAdjustment *vadjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (retort_window_get_timeline (bench.window)));
  gboolean bottom = FALSE;

  start_phase (PHASE_SCROLL);
  /* down in SCROLL_STEPS jumps, then back up; every jump is several pages
   * long, so each frame rebinds every row the list keeps */
  for (int step = 1; step <= 2 * SCROLL_STEPS; step++)
    {
      int at = step <= SCROLL_STEPS ? step : 2 * SCROLL_STEPS - step;
      double lower = gtk_adjustment_get_lower (vadjustment);
      double range = gtk_adjustment_get_upper (vadjustment) - gtk_adjustment_get_page_size (vadjustment) - lower;
      gint64 start = g_get_monotonic_time ();

      bench.doing = step <= SCROLL_STEPS ? "scrolling down" : "scrolling up";
      gtk_adjustment_set_value (vadjustment, lower + range * at / SCROLL_STEPS);
      note_latency (wait_for_frame (start));
      /* the list's height is an estimate until it has seen the rows: the
       * last jump down goes to wherever the bottom is by then */
      if (step == SCROLL_STEPS)
        bottom = at_bottom (vadjustment);
    }
  return bottom;
}

/* Page Down SCROLL_STEPS times from the top, then Page Up back: each frame
 * brings a page of rows the list has not bound before. */
static void
pages_phase (void)
{
  GtkAdjustment *vadjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (retort_window_get_timeline (bench.window)));

  bench.doing = "back to the top";
  gtk_adjustment_set_value (vadjustment, gtk_adjustment_get_lower (vadjustment));
  wait_for_frame (g_get_monotonic_time ());

  start_phase (PHASE_PAGES);
  for (int step = 1; step <= 2 * SCROLL_STEPS; step++)
    {
      double page = gtk_adjustment_get_page_size (vadjustment);
      gint64 start = g_get_monotonic_time ();

      bench.doing = step <= SCROLL_STEPS ? "paging down" : "paging up";
      gtk_adjustment_set_value (vadjustment, gtk_adjustment_get_value (vadjustment) +
                                             (step <= SCROLL_STEPS ? page : -page));
      note_latency (wait_for_frame (start));
    }
}

static void
profiles_phase (void)
{
  start_phase (PHASE_PROFILES);
  /* every database in turn, then back to the first */
  for (guint i = 1; i <= bench.profiles->len; i++)
    {
      RetortProfile *profile = g_ptr_array_index (bench.profiles, i % bench.profiles->len);
      gint64 start = g_get_monotonic_time ();

      bench.doing = "selecting a database";
      retort_window_select (bench.window, bench.project, profile);
      note_latency (wait_for_frame (start));
      if (retort_window_get_profile (bench.window) != profile)
        g_printerr ("bench-window: selecting %s did not take\n", retort_profile_get_name (profile));
    }
}

static void
environments_phase (GtkWidget *environments_view)
{
  start_phase (PHASE_ENVIRONMENTS);
  for (guint round = 0; round < ENVIRONMENT_ROUNDS; round++)
    {
      gint64 start = g_get_monotonic_time ();

      bench.doing = "showing environments";
      g_action_group_activate_action (G_ACTION_GROUP (bench.window), "show-environments", NULL);
      note_latency (wait_for_frame (start));
      if (!gtk_widget_get_mapped (environments_view))
        g_printerr ("bench-window: the Environments view did not show\n");

      start = g_get_monotonic_time ();
      bench.doing = "showing the timeline";
      g_action_group_activate_action (G_ACTION_GROUP (bench.window), "show-timeline", NULL);
      note_latency (wait_for_frame (start));
      if (!timeline_has_rows ())
        g_printerr ("bench-window: the timeline did not come back\n");
    }
}

/* What one timeline row costs, away from the list: made, bound, measured
 * (style and text layout) and bound again elsewhere, as a jump does. The
 * list makes and binds about 200 of them when the project loads. */
typedef struct
{
  guint  n;
  double construct_ms, bind_ms, measure_ms, rebind_ms;
} RowCosts;

static RowCosts
measure_row_costs (guint n)
{
  RowCosts costs = { .n = n };
  GtkWidget *window = gtk_window_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  RetortProfile *profile = bench.profiles->len > 0 ? g_ptr_array_index (bench.profiles, 0) : NULL;
  guint n_revisions = g_list_model_get_n_items (retort_project_get_revisions (bench.project));
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  gint64 start;
  int minimum;

  n = MIN (n, n_revisions / 2);
  costs.n = n;
  gtk_window_set_child (GTK_WINDOW (window), box);

  start = g_get_monotonic_time ();
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (rows, retort_revision_row_new ());
  costs.construct_ms = bench_ms (g_get_monotonic_time () - start);

  start = g_get_monotonic_time ();
  for (guint i = 0; i < n; i++)
    retort_revision_row_bind (g_ptr_array_index (rows, i), bench.project, i, profile);
  costs.bind_ms = bench_ms (g_get_monotonic_time () - start);

  for (guint i = 0; i < n; i++)
    gtk_box_append (GTK_BOX (box), g_ptr_array_index (rows, i));
  start = g_get_monotonic_time ();
  gtk_widget_measure (box, GTK_ORIENTATION_VERTICAL, 900, &minimum, NULL, NULL, NULL);
  costs.measure_ms = bench_ms (g_get_monotonic_time () - start);

  start = g_get_monotonic_time ();
  for (guint i = 0; i < n; i++)
    {
      retort_revision_row_unbind (g_ptr_array_index (rows, i));
      retort_revision_row_bind (g_ptr_array_index (rows, i), bench.project, n_revisions / 2 + i, profile);
    }
  gtk_widget_measure (box, GTK_ORIENTATION_VERTICAL, 900, &minimum, NULL, NULL, NULL);
  costs.rebind_ms = bench_ms (g_get_monotonic_time () - start);

  for (guint i = 0; i < n; i++)
    retort_revision_row_unbind (g_ptr_array_index (rows, i));
  gtk_window_destroy (GTK_WINDOW (window));
  return costs;
}

/* --- the fixture --------------------------------------------------------- */

static const RetortTier tiers[] = {
  RETORT_TIER_DEVELOPMENT, RETORT_TIER_STAGING, RETORT_TIER_PRODUCTION, RETORT_TIER_OTHER,
};

/* Runs the fixture script into root, then writes root/config/retort/retort.conf
 * from its manifest through RetortConfig, as the app's dialogs would have;
 * returns that path. */
static char *
make_fixture (const char  *python,
              const char  *script,
              const char  *root,
              guint        n_revisions,
              guint        n_databases,
              GError     **error)
{
  g_autofree char *size = g_strdup_printf ("%u", n_revisions);
  g_autofree char *count = g_strdup_printf ("%u", n_databases);
  const char *argv[] = { python, script, root, "--size", size, "--databases", count, NULL };
  g_autofree char *manifest_path = g_build_filename (root, "manifest.txt", NULL);
  g_autofree char *config_path = g_build_filename (root, "config", "retort", "retort.conf", NULL);
  g_autofree char *manifest = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(RetortConfig) config = NULL;
  RetortProjectEntry *project = NULL;
  int status;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, NULL, &status, error) ||
      !g_spawn_check_wait_status (status, error))
    return NULL;
  if (!g_file_get_contents (manifest_path, &manifest, NULL, error))
    return NULL;

  config = retort_config_new (config_path);
  lines = g_strsplit (manifest, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) fields = g_strsplit (lines[i], "\t", 2);

      if (g_strv_length (fields) != 2)
        continue;
      if (strcmp (fields[0], "PROJECT") == 0)
        {
          g_autofree char *name = g_strdup_printf ("bench-%u", n_revisions);
          project = retort_config_add_project (config, name, fields[1]);
        }
      else if (project != NULL)
        {
          guint n = retort_config_get_profiles (config)->len;
          RetortTier tier = tiers[n % G_N_ELEMENTS (tiers)];
          g_autofree char *name = g_strdup_printf ("%s-%02u", retort_tier_to_string (tier), n);
          g_autofree char *url = g_strdup_printf ("sqlite:///%s", fields[0]);
          RetortProfileEntry *profile = retort_config_add_profile (config, project->id, name, url, error);

          if (profile == NULL)
            return NULL;
          profile->tier = tier;
        }
    }
  if (project == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s names no project", manifest_path);
      return NULL;
    }
  if (!retort_config_save (config, error))
    return NULL;
  return g_steal_pointer (&config_path);
}

static void
remove_tree (GFile *file)
{
  g_autoptr(GFileEnumerator) children = NULL;
  GFileInfo *info;

  children = g_file_enumerate_children (file, G_FILE_ATTRIBUTE_STANDARD_NAME,
                                        G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);
  if (children != NULL)
    {
      while ((info = g_file_enumerator_next_file (children, NULL, NULL)) != NULL)
        {
          g_autoptr(GFile) child = g_file_get_child (file, g_file_info_get_name (info));

          remove_tree (child);
          g_object_unref (info);
        }
    }
  g_file_delete (file, NULL, NULL);
}

/* --- the report ---------------------------------------------------------- */





static void
print_report (guint  n_revisions,
              gint64 window_new_us,
              gint64 select_us,
              gint64 present_us,
              gint64 load_us,
              gboolean bottom_reached_ok,
              const RowCosts *row_costs)
{
  g_autofree char *loadavg = NULL;

  if (g_file_get_contents ("/proc/loadavg", &loadavg, NULL, NULL))
    *strchr (loadavg, ' ') = '\0';
  g_print ("\nbench-window: %u revisions, %u databases; window %dx%d; GSK_RENDERER=%s; load average %s\n",
           n_revisions, bench.profiles->len,
           gtk_widget_get_width (GTK_WIDGET (bench.window)), gtk_widget_get_height (GTK_WIDGET (bench.window)),
           g_getenv ("GSK_RENDERER") != NULL ? g_getenv ("GSK_RENDERER") : "default",
           loadavg != NULL ? loadavg : "unknown");

  {
    GtkWidget *list = GTK_WIDGET (retort_window_get_timeline (bench.window));
    guint rows = 0, mapped = 0;

    /* GTK 4.8's list view keeps rows around the visible ones; each one was
     * made and bound, and is measured when the list lays out */
    for (GtkWidget *row = gtk_widget_get_first_child (list); row != NULL; row = gtk_widget_get_next_sibling (row))
      {
        rows++;
        mapped += gtk_widget_get_mapped (row) ? 1 : 0;
      }
    g_print ("timeline: %u row widgets alive, %u of them on screen\n", rows, mapped);
  }

  g_print ("\nstartup (from just before retort_workspace_load)         ms\n");
  g_print ("  retort_workspace_load                               %8.1f\n", bench_ms (load_us));
  g_print ("  retort_window_new                                   %8.1f\n", bench_ms (window_new_us));
  g_print ("  retort_window_select (first project, first db)      %8.1f\n", bench_ms (select_us));
  g_print ("  gtk_window_present                                  %8.1f\n", bench_ms (present_us));
  g_print ("  first frame: layout began                           %8.1f\n", bench_ms (bench.first_layout));
  g_print ("  first frame painted                                 %8.1f\n", bench_ms (bench.first_frame));
  g_print ("  project loaded (its \"loaded\" notification)          %8.1f\n", bench_ms (bench.project_loaded));
  g_print ("  timeline shown (first frame with rows)              %8.1f\n", bench_ms (bench.timeline_shown));
  g_print ("  all %2u databases checked                            %8.1f\n", bench.profiles->len, bench_ms (bench.all_checked));

  g_print ("\nmain-loop gaps per phase (1 ms timer at G_PRIORITY_HIGH)\n");
  g_print ("  %-18s %7s %9s %9s %9s %9s  %s\n", "phase", "frames", "p99 ms", "max ms", "max cpu", "max at", "during");
  for (PhaseId id = 0; id < N_PHASES; id++)
    {
      Phase *phase = &bench.phases[id];

      g_print ("  %-18s %7u %9.1f %9.1f %9.1f %9.1f  %s\n", phase_names[id], phase->frames,
               bench_percentile (phase->gaps, 99), bench_maximum (phase->gaps), bench_ms (phase->worst.cpu_us),
               bench_ms (phase->worst.start_us), phase->worst.doing != NULL ? phase->worst.doing : "");
    }

  g_print ("\naction to painted frame                      n   median ms   p99 ms   max ms\n");
  for (PhaseId id = PHASE_SCROLL; id < N_PHASES; id++)
    {
      Phase *phase = &bench.phases[id];

      g_print ("  %-38s %3u %11.1f %8.1f %8.1f\n", phase_names[id], phase->latencies->len,
               bench_percentile (phase->latencies, 50), bench_percentile (phase->latencies, 99), bench_maximum (phase->latencies));
    }
  g_print ("  (scroll: %d jumps top to bottom and back, which %s the last row; pages: %d pages down "
           "from the top and back)\n", SCROLL_STEPS, bottom_reached_ok ? "reached" : "did NOT reach", SCROLL_STEPS);

  if (row_costs->n > 0)
    g_print ("\none timeline row, away from the list (%u rows)     ms per row\n"
             "  retort_revision_row_new                         %8.3f\n"
             "  retort_revision_row_bind                        %8.3f\n"
             "  first measure (style, text layout)              %8.3f\n"
             "  unbind, bind elsewhere, measure again           %8.3f\n",
             row_costs->n, row_costs->construct_ms / row_costs->n, row_costs->bind_ms / row_costs->n,
             row_costs->measure_ms / row_costs->n, row_costs->rebind_ms / row_costs->n);

  if (bench.stalls_over_ms < G_MAXDOUBLE)
    {
      g_print ("\ngaps over %.0f ms (start from t0, wall, main-thread cpu)\n", bench.stalls_over_ms);
      for (PhaseId id = 0; id < N_PHASES; id++)
        for (guint i = 0; i < bench.phases[id].stalls->len; i++)
          {
            Stall *stall = g_ptr_array_index (bench.phases[id].stalls, i);

            g_print ("  %-18s at %8.1f  %7.1f ms  cpu %7.1f ms  %s\n", phase_names[id], bench_ms (stall->start_us),
                     bench_ms (stall->wall_us), bench_ms (stall->cpu_us), stall->doing != NULL ? stall->doing : "");
          }
    }

  g_print ("\n");
  bench_report_target ("first frame", bench_ms (bench.first_frame), TARGET_FIRST_FRAME_MS);
  for (PhaseId id = 0; id < N_PHASES; id++)
    {
      g_autofree char *what = g_strdup_printf ("longest main-loop stall, %s", phase_names[id]);
      bench_report_target (what, bench_maximum (bench.phases[id].gaps), TARGET_STALL_MS);
    }
}

/* Which widgets make the window as wide as it is: every widget at least
 * min_width wide, as a tree, down to the ones whose children are all narrower. */
static void
explain_width (GtkWidget *widget,
               int        min_width,
               int        depth)
{
  int minimum = 0, natural = 0;

  if (!gtk_widget_get_visible (widget))
    return;
  gtk_widget_measure (widget, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, &natural, NULL, NULL);
  if (minimum < min_width)
    return;
  g_print ("  %*s%s%s%s: minimum %d, natural %d%s\n", depth * 2, "", G_OBJECT_TYPE_NAME (widget),
           gtk_widget_get_name (widget) != NULL ? " #" : "",
           gtk_widget_get_name (widget) != NULL ? gtk_widget_get_name (widget) : "",
           minimum, natural, gtk_widget_get_mapped (widget) ? "" : " (not mapped)");
  /* a list's rows look alike: the widest one stands for all */
  if (GTK_IS_LIST_VIEW (widget) || GTK_IS_COLUMN_VIEW (widget))
    {
      GtkWidget *widest = NULL;
      int widest_minimum = -1;

      for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
        {
          gtk_widget_measure (child, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
          if (gtk_widget_get_visible (child) && minimum > widest_minimum)
            {
              widest = child;
              widest_minimum = minimum;
            }
        }
      if (widest != NULL)
        explain_width (widest, min_width, depth + 1);
      return;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    explain_width (child, min_width, depth + 1);
}

/* --- main ---------------------------------------------------------------- */

static void
keep_away_from_home (const char *root)
{
  const char *xdg[] = { "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME" };

  for (guint i = 0; i < G_N_ELEMENTS (xdg); i++)
    {
      g_autofree char *dir = g_build_filename (root, "home", xdg[i], NULL);

      g_mkdir_with_parents (dir, 0700);
      g_setenv (xdg[i], dir, TRUE);
    }
}

/* What AdwApplication does for the real app from its resource base path,
 * and RetortApplication's startup: icons, style.css, GtkSourceView. */
static void
init_like_the_app (void)
{
  g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();

  adw_init ();
  gtk_source_init ();
  gtk_icon_theme_add_resource_path (gtk_icon_theme_get_for_display (gdk_display_get_default ()),
                                    RESOURCE_BASE "/icons");
  gtk_css_provider_load_from_resource (css, RESOURCE_BASE "/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *fixture_script = NULL;
  g_autofree char *python = NULL;
  g_autofree char *keep = NULL;
  g_autofree char *root = NULL;
  g_autofree char *config_path = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(RetortWorkspace) workspace = NULL;
  g_autoptr(GFile) root_file = NULL;
  GtkWidget *environments_view;
  GdkFrameClock *frame_clock;
  GListModel *profiles;
  gint64 activate_cpu, start, window_new_us, select_us, present_us, load_us;
  gboolean bottom_ok = FALSE;
  RowCosts row_costs = { 0 };
  int n_revisions = 5000;
  int n_databases = 20;
  double stalls_over_ms = -1;
  int explain_width_over = 0;
  const GOptionEntry entries[] = {
    { "fixture-script", 0, 0, G_OPTION_ARG_FILENAME, &fixture_script, "make-window-fixture.py", "PATH" },
    { "python", 0, 0, G_OPTION_ARG_FILENAME, &python, "Python 3 to run it with", "PATH" },
    { "revisions", 0, 0, G_OPTION_ARG_INT, &n_revisions, "Revisions in the project (5000)", "N" },
    { "databases", 0, 0, G_OPTION_ARG_INT, &n_databases, "Databases (20)", "N" },
    { "keep", 0, 0, G_OPTION_ARG_FILENAME, &keep, "Make the fixture here and keep it (must not exist)", "DIR" },
    { "stalls-over", 0, 0, G_OPTION_ARG_DOUBLE, &stalls_over_ms, "List every gap longer than this", "MS" },
    { "explain-width", 0, 0, G_OPTION_ARG_INT, &explain_width_over, "After startup, list the widgets at least this wide", "PX" },
    { NULL }
  };

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("RETORT_LOCALEDIR") != NULL ? g_getenv ("RETORT_LOCALEDIR") : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  context = g_option_context_new ("— the desktop app's first frame and main-loop stalls");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("bench-window: %s\n", error->message);
      return 2;
    }
  if (fixture_script == NULL)
    {
      const char *source = g_getenv ("RETORT_SOURCE_DIR");

      fixture_script = g_build_filename (source != NULL ? source : ".", "tests", "bench", "make-window-fixture.py", NULL);
    }
  if (python == NULL)
    python = g_strdup ("/usr/bin/python3");
  if (n_revisions < 1 || n_databases < 1)
    {
      g_printerr ("bench-window: --revisions and --databases must be at least 1\n");
      return 2;
    }
  bench.stalls_over_ms = stalls_over_ms > 0 ? stalls_over_ms : G_MAXDOUBLE;

  if (keep != NULL)
    {
      if (g_mkdir (keep, 0700) != 0)
        {
          g_printerr ("bench-window: cannot make %s: %s\n", keep, g_strerror (errno));
          return 1;
        }
      root = g_canonicalize_filename (keep, NULL);
    }
  else
    root = g_dir_make_tmp ("retort-bench-window-XXXXXX", &error);
  if (root == NULL)
    {
      g_printerr ("bench-window: %s\n", error->message);
      return 1;
    }
  root_file = g_file_new_for_path (root);
  keep_away_from_home (root);

  if (!gtk_init_check ())
    {
      g_print ("bench-window: SKIP: no display\n");
      if (keep == NULL)
        remove_tree (root_file);
      return 0;
    }
  init_like_the_app ();

  g_print ("bench-window: writing %d revisions and %d databases to %s\n", n_revisions, n_databases, root);
  config_path = make_fixture (python, fixture_script, root, (guint) n_revisions, (guint) n_databases, &error);
  if (config_path == NULL)
    {
      g_printerr ("bench-window: the fixture could not be made: %s\n", error->message);
      if (keep == NULL)
        remove_tree (root_file);
      return 1;
    }

  for (PhaseId id = 0; id < N_PHASES; id++)
    {
      bench.phases[id].gaps = g_array_new (FALSE, FALSE, sizeof (gint64));
      bench.phases[id].latencies = g_array_new (FALSE, FALSE, sizeof (gint64));
      bench.phases[id].stalls = g_ptr_array_new_with_free_func (g_free);
    }
  bench.profiles = g_ptr_array_new_with_free_func (g_object_unref);

  /* the page cache is warm (the fixture was just written), as it is for a
   * project the user works on */
  g_timeout_add_full (G_PRIORITY_HIGH, MONITOR_INTERVAL_MS, monitor_tick_cb, NULL, NULL);

  /* What RetortApplication's activate does, timed from here. */
  activate_cpu = bench_thread_cpu_us ();
  bench.t0 = g_get_monotonic_time ();
  start_phase (PHASE_ACTIVATE);
  bench.doing = "activate: load the workspace, make, select and present the window";
  workspace = retort_workspace_new (config_path);
  if (!retort_workspace_load (workspace, &error))
    {
      g_printerr ("bench-window: %s does not load: %s\n", config_path, error->message);
      return 1;
    }
  load_us = since_t0 ();
  bench.project = g_list_model_get_item (retort_workspace_get_projects (workspace), 0);
  if (bench.project == NULL)
    {
      g_printerr ("bench-window: the workspace has no project\n");
      return 1;
    }
  profiles = retort_project_get_profiles (bench.project);
  for (guint i = 0; i < g_list_model_get_n_items (profiles); i++)
    {
      RetortProfile *profile = g_list_model_get_item (profiles, i);

      g_signal_connect (profile, "notify::state", G_CALLBACK (profile_state_cb), NULL);
      g_ptr_array_add (bench.profiles, profile);
    }
  g_signal_connect (bench.project, "notify::loaded", G_CALLBACK (project_loaded_cb), NULL);

  start = g_get_monotonic_time ();
  bench.window = retort_window_new (NULL, workspace);
  window_new_us = g_get_monotonic_time () - start;
  start = g_get_monotonic_time ();
  retort_window_select (bench.window, bench.project, bench.profiles->len > 0 ? g_ptr_array_index (bench.profiles, 0) : NULL);
  select_us = g_get_monotonic_time () - start;
  start = g_get_monotonic_time ();
  gtk_window_present (GTK_WINDOW (bench.window));
  present_us = g_get_monotonic_time () - start;

  /* presenting realizes and maps the window: its frame clock exists now,
   * and the first frame is still to come (it needs the main loop) */
  frame_clock = gtk_widget_get_frame_clock (GTK_WIDGET (bench.window));
  if (frame_clock == NULL)
    {
      g_printerr ("bench-window: the window has no frame clock after gtk_window_present\n");
      return 1;
    }
  g_signal_connect (frame_clock, "layout", G_CALLBACK (layout_cb), NULL);
  g_signal_connect (frame_clock, "after-paint", G_CALLBACK (after_paint_cb), NULL);

  /* all of the above is one dispatch in the real app (activate): one gap */
  {
    Stall *worst = &bench.phases[PHASE_ACTIVATE].worst;
    gint64 gap = since_t0 ();

    g_array_append_val (bench.phases[PHASE_ACTIVATE].gaps, gap);
    worst->wall_us = gap;
    worst->cpu_us = bench_thread_cpu_us () - activate_cpu;
    worst->doing = bench.doing;
    bench.last_tick = g_get_monotonic_time ();
    bench.last_tick_cpu = bench_thread_cpu_us ();
  }
  start_phase (PHASE_STARTUP);

  bench.doing = "waiting for the project and the databases";
  if (!bench_spin_until (startup_done, NULL, STARTUP_TIMEOUT_MS))
    g_printerr ("bench-window: startup did not finish in %d s\n", STARTUP_TIMEOUT_MS / 1000);
  bench.doing = "settling after startup";
  bench_spin_for (SETTLE_MS);

  if (explain_width_over > 0)
    {
      g_print ("widgets at least %d px wide (minimum width):\n", explain_width_over);
      explain_width (GTK_WIDGET (bench.window), explain_width_over, 0);
    }

  environments_view = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (bench.window), RETORT_TYPE_WINDOW,
                                                                "environments_view"));
  if (bench.timeline_shown != 0)
    {
      bottom_ok = scroll_phase ();
      pages_phase ();
      profiles_phase ();
      environments_phase (environments_view);
    }
  bench.doing = "measuring rows";
  if (bench.timeline_shown != 0)
    row_costs = measure_row_costs (200);
  bench.doing = "done";

  print_report ((guint) n_revisions, window_new_us, select_us, present_us, load_us, bottom_ok, &row_costs);

  /* as the app quits: the window goes, then the workspace with its projects;
   * a critical after this line is a teardown bug, not a timing */
  g_print ("bench-window: tearing down\n");
  gtk_window_destroy (GTK_WINDOW (bench.window));
  g_clear_object (&bench.project);
  g_clear_pointer (&bench.profiles, g_ptr_array_unref);
  g_clear_object (&workspace);
  if (keep == NULL)
    remove_tree (root_file);
  return bench.timeline_shown != 0 ? 0 : 1;
}
