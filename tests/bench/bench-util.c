/* bench-util.c — what the widget benchmarks share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <time.h>

#include "bench-util.h"

gint64
bench_thread_cpu_us (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

double
bench_ms (gint64 us)
{
  return us / 1000.0;
}

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a;
  gint64 y = *(const gint64 *) b;

  return (x > y) - (x < y);
}

/* the nearest-rank percentile, in ms; 0 for no samples */
double
bench_percentile (GArray *values,
                  double  p)
{
  g_autoptr(GArray) sorted = NULL;
  guint rank;

  if (values->len == 0)
    return 0;
  sorted = g_array_copy (values);
  g_array_sort (sorted, compare_gint64);
  rank = (guint) MAX (1.0, p / 100.0 * sorted->len + 0.999999);
  return bench_ms (g_array_index (sorted, gint64, MIN (rank, sorted->len) - 1));
}

double
bench_maximum (GArray *values)
{
  return bench_percentile (values, 100);
}

gboolean
bench_report_target (const char *what,
                     double      value_ms,
                     double      target_ms)
{
  gboolean met = value_ms > 0 && value_ms < target_ms;

  if (met)
    g_print ("TARGET MET:    %s: %.1f ms (target < %.0f ms)\n", what, value_ms, target_ms);
  else if (value_ms > 0)
    g_print ("TARGET MISSED: %s: %.1f ms (target < %.0f ms)\n", what, value_ms, target_ms);
  else
    g_print ("TARGET MISSED: %s: never happened (target < %.0f ms)\n", what, target_ms);
  return met;
}

void
bench_spin_for (guint timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  /* the monitor's timer wakes the loop every millisecond */
  while (g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
}

gboolean
bench_spin_until (BenchPredicate predicate,
                  gpointer       data,
                  guint          timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  while (!predicate (data))
    {
      if (g_get_monotonic_time () > deadline)
        return FALSE;
      g_main_context_iteration (NULL, TRUE);
    }
  return TRUE;
}
