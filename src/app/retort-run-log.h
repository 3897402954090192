/* retort-run-log.h — the live log of one run, as a list model
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "retort-run.h"

G_BEGIN_DECLS

typedef enum {
  RETORT_LOG_LEVEL_INFO,
  RETORT_LOG_LEVEL_STATEMENT,
  RETORT_LOG_LEVEL_NOTICE,
  RETORT_LOG_LEVEL_WARNING,
  RETORT_LOG_LEVEL_ERROR,
  RETORT_LOG_LEVEL_REVISION,   /* a revision boundary: a step of the run begins */
} RetortLogLevel;

typedef enum {
  RETORT_LOG_FORWARD,
  RETORT_LOG_BACKWARD,
} RetortLogDirection;

/* The default cap: older lines are dropped behind one marker line. */
#define RETORT_RUN_LOG_DEFAULT_MAX_LINES 200000

/* One line, made when the list asks for it (the log itself keeps a compact
 * array, not an object per line). */
#define RETORT_TYPE_LOG_ENTRY (retort_log_entry_get_type ())
G_DECLARE_FINAL_TYPE (RetortLogEntry, retort_log_entry, RETORT, LOG_ENTRY, GObject)

/* µs since the run's first line */
gint64          retort_log_entry_get_time      (RetortLogEntry *self);
/* µs since the Unix epoch, as g_get_real_time () */
gint64          retort_log_entry_get_wall_time (RetortLogEntry *self);
RetortLogLevel  retort_log_entry_get_level     (RetortLogEntry *self);
const char     *retort_log_entry_get_revision  (RetortLogEntry *self);
const char     *retort_log_entry_get_text      (RetortLogEntry *self);
/* statements: -1 when not known */
gint64          retort_log_entry_get_duration  (RetortLogEntry *self);
gint64          retort_log_entry_get_rows      (RetortLogEntry *self);
/* the "N earlier lines dropped" line at the top of a capped log */
gboolean        retort_log_entry_is_marker     (RetortLogEntry *self);

#define RETORT_TYPE_RUN_LOG (retort_run_log_get_type ())
G_DECLARE_FINAL_TYPE (RetortRunLog, retort_run_log, RETORT, RUN_LOG, GObject)

RetortRunLog *retort_run_log_new             (void);
void          retort_run_log_set_max_lines   (RetortRunLog        *self,
                                              guint                max_lines);
guint         retort_run_log_get_max_lines   (RetortRunLog        *self);
/* the list sees new lines at most every 20 ms, in one items-changed (two
 * when the cap drops lines: the top, then the end) */
void          retort_run_log_append          (RetortRunLog        *self,
                                              RetortLogLevel       level,
                                              const char          *revision,
                                              const char          *text,
                                              gint64               duration_us,
                                              gint64               rows);
/* shows pending lines now, e.g. when a run has finished */
void          retort_run_log_flush           (RetortRunLog        *self);
/* all lines, shown or pending, and all lines dropped by the cap */
guint         retort_run_log_get_n_lines     (RetortRunLog        *self);
guint         retort_run_log_get_n_dropped   (RetortRunLog        *self);
/* appends a line for each of run's events, until the log is finalized */
void          retort_run_log_attach          (RetortRunLog        *self,
                                              RetortRun           *run);

/* the position (in the list model) of the first line at or after from
 * (before, going backward) containing text, ignoring case; -1 if none.
 * Scans in one go: 100,000 lines take about 15 ms. */
gint          retort_run_log_find            (RetortRunLog        *self,
                                              const char          *text,
                                              guint                from,
                                              RetortLogDirection   direction);
/* the same search for the list's lines, a few milliseconds at a time
 * between frames, and wrapping: past the end it goes on from the start
 * (going backward, from the end) up to from. finish gives -1 if no line
 * matches, and -1 with G_IO_ERROR_CANCELLED when cancelled. */
void          retort_run_log_find_async      (RetortRunLog        *self,
                                              const char          *text,
                                              guint                from,
                                              RetortLogDirection   direction,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
gint          retort_run_log_find_finish     (RetortRunLog        *self,
                                              GAsyncResult        *result,
                                              GError             **error);

/* plain text, one line per entry, tab-separated: local time, seconds
 * since the start, level, revision, text (newlines and tabs escaped),
 * duration in ms, rows */
char         *retort_run_log_get_text        (RetortRunLog        *self);
/* the same text, made in a worker from the lines there are now */
void          retort_run_log_get_text_async  (RetortRunLog        *self,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
char         *retort_run_log_get_text_finish (RetortRunLog        *self,
                                              GAsyncResult        *result,
                                              GError             **error);
gboolean      retort_run_log_write_to_stream (RetortRunLog        *self,
                                              GOutputStream       *stream,
                                              GCancellable        *cancellable,
                                              GError             **error);
/* the same, written to file in a worker */
void          retort_run_log_save_async      (RetortRunLog        *self,
                                              GFile               *file,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
gboolean      retort_run_log_save_finish     (RetortRunLog        *self,
                                              GAsyncResult        *result,
                                              GError             **error);

G_END_DECLS
