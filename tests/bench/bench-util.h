/* bench-util.h — what the widget benchmarks share: clocks, percentiles,
 * TARGET lines, and running the main loop
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef gboolean (*BenchPredicate) (gpointer data);

/* the calling thread's CPU time, µs */
gint64   bench_thread_cpu_us (void);
double   bench_ms            (gint64          us);
/* the nearest-rank percentile of gint64 µs values, in ms; 0 for none */
double   bench_percentile    (GArray         *values,
                              double          p);
double   bench_maximum       (GArray         *values);
/* prints "TARGET MET:" or "TARGET MISSED:" for value_ms < target_ms (0: it
 * never happened); TRUE when met */
gboolean bench_report_target (const char     *what,
                              double          value_ms,
                              double          target_ms);
/* iterates the default main context until predicate holds; FALSE after
 * timeout_ms */
gboolean bench_spin_until    (BenchPredicate  predicate,
                              gpointer        data,
                              guint           timeout_ms);
/* iterates it for that long (some timer must keep waking it) */
void     bench_spin_for      (guint           timeout_ms);

G_END_DECLS
