/* retort-run-log.c — the live log of one run, as a list model
 *
 * A run of a large migration can log hundreds of thousands of lines, so the
 * log keeps them compact (a struct and a shared string each) and makes a
 * RetortLogEntry only for the rows the list asks for. New lines reach the
 * list in batches: at most one items-changed every FLUSH_MS, so a burst of
 * 10,000 lines costs one update. Past the cap the oldest lines are dropped,
 * counted by a marker at the top.
 *
 * The lines live in reference-counted chunks of CHUNK_LINES. A line, once
 * written, never changes, and lines are only appended, so a snapshot for a
 * worker (Copy All, Save) is a reference on each chunk and a count: taking
 * one costs microseconds however long the log is, and the log goes on
 * appending past the count meanwhile. A chunk's strings are freed with the
 * chunk, when the cap has dropped all its lines and no snapshot holds it.
 *
 * Search scans on the main thread, where the lines change: the synchronous
 * find for small logs and tests, and find_async, which scans a slice of at
 * most FIND_SLICE_US at a time between frames.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "retort-run-log"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "retort-run-log.h"

#define FLUSH_MS 20
#define WRITE_CHUNK_BYTES (64 * 1024)
#define CHUNK_LINES 4096
/* one slice of find_async: short enough to leave room for a frame */
#define FIND_SLICE_US 6000

typedef struct
{
  gint64          time_us;
  gint64          wall_us;
  gint64          duration_us;
  gint64          rows;
  const char     *revision;  /* interned */
  char           *text;      /* a GRefString: a saved snapshot shares it */
  RetortLogLevel  level;
} Line;

static void
line_clear (Line *line)
{
  g_clear_pointer (&line->text, g_ref_string_release);
}

/* CHUNK_LINES lines; all but the log's last chunk are full. Only the main
 * thread writes, and only past n_lines. */
typedef struct
{
  gatomicrefcount ref;
  guint           n_lines;
  Line            lines[CHUNK_LINES];
} Chunk;

static Chunk *
chunk_new (void)
{
  Chunk *chunk = g_malloc (sizeof (Chunk));

  g_atomic_ref_count_init (&chunk->ref);
  chunk->n_lines = 0;
  return chunk;
}

static Chunk *
chunk_ref (Chunk *chunk)
{
  g_atomic_ref_count_inc (&chunk->ref);
  return chunk;
}

/* may run in a worker, when a snapshot holds the last reference */
static void
chunk_unref (Chunk *chunk)
{
  if (!g_atomic_ref_count_dec (&chunk->ref))
    return;
  for (guint i = 0; i < chunk->n_lines; i++)
    line_clear (&chunk->lines[i]);
  g_free (chunk);
}

/* ---- RetortLogEntry ------------------------------------------------------------ */

struct _RetortLogEntry
{
  GObject  parent_instance;
  Line     line;
  gboolean marker;
};

G_DEFINE_FINAL_TYPE (RetortLogEntry, retort_log_entry, G_TYPE_OBJECT)

static void
retort_log_entry_finalize (GObject *object)
{
  RetortLogEntry *self = RETORT_LOG_ENTRY (object);

  line_clear (&self->line);
  G_OBJECT_CLASS (retort_log_entry_parent_class)->finalize (object);
}

static void
retort_log_entry_class_init (RetortLogEntryClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = retort_log_entry_finalize;
}

static void
retort_log_entry_init (RetortLogEntry *self)
{
}

static RetortLogEntry *
retort_log_entry_new (const Line *line,
                      gboolean    marker)
{
  RetortLogEntry *self = g_object_new (RETORT_TYPE_LOG_ENTRY, NULL);

  self->line = *line;
  self->line.text = g_ref_string_acquire (line->text);
  self->marker = marker;
  return self;
}

gint64
retort_log_entry_get_time (RetortLogEntry *self)
{
  g_return_val_if_fail (RETORT_IS_LOG_ENTRY (self), 0);
  return self->line.time_us;
}

gint64
retort_log_entry_get_wall_time (RetortLogEntry *self)
{
  g_return_val_if_fail (RETORT_IS_LOG_ENTRY (self), 0);
  return self->line.wall_us;
}

RetortLogLevel
retort_log_entry_get_level (RetortLogEntry *self)
{
  g_return_val_if_fail (RETORT_IS_LOG_ENTRY (self), RETORT_LOG_LEVEL_INFO);
  return self->line.level;
}

const char *
retort_log_entry_get_revision (RetortLogEntry *self)
{
  g_return_val_if_fail (RETORT_IS_LOG_ENTRY (self), NULL);
  return self->line.revision;
}

const char *
retort_log_entry_get_text (RetortLogEntry *self)
{
  g_return_val_if_fail (RETORT_IS_LOG_ENTRY (self), NULL);
  return self->line.text;
}

gint64
retort_log_entry_get_duration (RetortLogEntry *self)
{
  g_return_val_if_fail (RETORT_IS_LOG_ENTRY (self), -1);
  return self->line.duration_us;
}

gint64
retort_log_entry_get_rows (RetortLogEntry *self)
{
  g_return_val_if_fail (RETORT_IS_LOG_ENTRY (self), -1);
  return self->line.rows;
}

gboolean
retort_log_entry_is_marker (RetortLogEntry *self)
{
  g_return_val_if_fail (RETORT_IS_LOG_ENTRY (self), FALSE);
  return self->marker;
}

/* ---- RetortRunLog -------------------------------------------------------------- */

struct _RetortRunLog
{
  GObject      parent_instance;

  GPtrArray   *chunks;        /* Chunk; the kept lines start at first in the first one */
  guint        first;
  guint        n_kept;
  guint        n_dropped;
  guint        max_lines;
  gint64       start_us;      /* monotonic time of the first line; 0 before it */

  /* what the list has been told: lines from first, and the marker */
  guint        shown_lines;
  guint        shown_dropped;
  guint        flush_source;
  gint64       last_flush_us;

  /* the attached run */
  const char  *current_revision;
  gint64       step_started_us;
};

static void retort_run_log_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (RetortRunLog, retort_run_log, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, retort_run_log_list_model_init))

static Line *
kept_line (RetortRunLog *self,
           guint         index)
{
  guint at = self->first + index;
  Chunk *chunk = g_ptr_array_index (self->chunks, at / CHUNK_LINES);

  return &chunk->lines[at % CHUNK_LINES];
}

static guint
n_kept (RetortRunLog *self)
{
  return self->n_kept;
}

static char *
marker_text (guint n_dropped)
{
  return g_strdup_printf (ngettext ("%u earlier line dropped", "%u earlier lines dropped",
                                       n_dropped), n_dropped);
}

static Line
marker_line (RetortRunLog *self,
             guint         n_dropped)
{
  Line marker = { 0, 0, -1, -1, NULL, NULL, RETORT_LOG_LEVEL_INFO };
  g_autofree char *text = marker_text (n_dropped);

  if (n_kept (self) > 0)
    {
      marker.time_us = kept_line (self, 0)->time_us;
      marker.wall_us = kept_line (self, 0)->wall_us;
    }
  marker.text = g_ref_string_new (text);
  return marker;
}

static GType
retort_run_log_get_item_type (GListModel *model)
{
  return RETORT_TYPE_LOG_ENTRY;
}

static guint
retort_run_log_get_n_items (GListModel *model)
{
  RetortRunLog *self = RETORT_RUN_LOG (model);

  return (self->shown_dropped > 0 ? 1 : 0) + self->shown_lines;
}

static gpointer
retort_run_log_get_item (GListModel *model,
                         guint       position)
{
  RetortRunLog *self = RETORT_RUN_LOG (model);

  if (self->shown_dropped > 0)
    {
      if (position == 0)
        {
          Line marker = marker_line (self, self->shown_dropped);
          RetortLogEntry *entry = retort_log_entry_new (&marker, TRUE);

          line_clear (&marker);
          return entry;
        }
      position--;
    }
  if (position >= self->shown_lines)
    return NULL;
  return retort_log_entry_new (kept_line (self, position), FALSE);
}

static void
retort_run_log_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = retort_run_log_get_item_type;
  iface->get_n_items = retort_run_log_get_n_items;
  iface->get_item = retort_run_log_get_item;
}

static void
drop_oldest (RetortRunLog *self,
             guint         n)
{
  g_assert (n < self->n_kept);

  self->first += n;
  self->n_kept -= n;
  self->n_dropped += n;
  /* a chunk goes (with its strings, unless a snapshot still reads it) once
   * none of its lines is kept; the last one always keeps some */
  while (self->first >= CHUNK_LINES)
    {
      g_ptr_array_remove_index (self->chunks, 0);
      self->first -= CHUNK_LINES;
    }
}

void
retort_run_log_flush (RetortRunLog *self)
{
  guint old_marker, old_lines, excess, total;

  g_return_if_fail (RETORT_IS_RUN_LOG (self));

  g_clear_handle_id (&self->flush_source, g_source_remove);
  self->last_flush_us = g_get_monotonic_time ();

  total = n_kept (self);
  excess = total > self->max_lines ? total - self->max_lines : 0;
  old_marker = self->shown_dropped > 0 ? 1 : 0;
  old_lines = self->shown_lines;

  if (excess == 0)
    {
      if (total > old_lines)
        {
          self->shown_lines = total;
          g_list_model_items_changed (G_LIST_MODEL (self), old_marker + old_lines, 0, total - old_lines);
        }
      return;
    }

  drop_oldest (self, excess);
  total -= excess;
  if (excess >= old_lines)
    {
      /* nothing the list shows is left */
      self->shown_dropped = self->n_dropped;
      self->shown_lines = total;
      g_list_model_items_changed (G_LIST_MODEL (self), 0, old_marker + old_lines, 1 + total);
      return;
    }

  /* the top (the marker's count changes too), then the end */
  self->shown_dropped = self->n_dropped;
  self->shown_lines = old_lines - excess;
  g_list_model_items_changed (G_LIST_MODEL (self), 0, old_marker + excess, 1);
  if (total > self->shown_lines)
    {
      guint position = 1 + self->shown_lines;
      guint added = total - self->shown_lines;

      self->shown_lines = total;
      g_list_model_items_changed (G_LIST_MODEL (self), position, 0, added);
    }
}

static gboolean
flush_cb (gpointer data)
{
  RetortRunLog *self = data;

  self->flush_source = 0;
  retort_run_log_flush (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_flush (RetortRunLog *self)
{
  gint64 wait_us;

  if (self->flush_source != 0)
    return;
  wait_us = self->last_flush_us + FLUSH_MS * 1000 - g_get_monotonic_time ();
  if (wait_us <= 0)
    self->flush_source = g_idle_add_full (G_PRIORITY_DEFAULT, flush_cb, self, NULL);
  else
    self->flush_source = g_timeout_add_full (G_PRIORITY_DEFAULT, (guint) ((wait_us + 999) / 1000), flush_cb,
                                             self, NULL);
  g_source_set_static_name (g_main_context_find_source_by_id (NULL, self->flush_source), "[retort] run log");
}

static void
retort_run_log_dispose (GObject *object)
{
  RetortRunLog *self = RETORT_RUN_LOG (object);

  g_clear_handle_id (&self->flush_source, g_source_remove);
  G_OBJECT_CLASS (retort_run_log_parent_class)->dispose (object);
}

static void
retort_run_log_finalize (GObject *object)
{
  RetortRunLog *self = RETORT_RUN_LOG (object);

  g_ptr_array_unref (self->chunks);
  G_OBJECT_CLASS (retort_run_log_parent_class)->finalize (object);
}

static void
retort_run_log_class_init (RetortRunLogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = retort_run_log_dispose;
  object_class->finalize = retort_run_log_finalize;
}

static void
retort_run_log_init (RetortRunLog *self)
{
  self->chunks = g_ptr_array_new_with_free_func ((GDestroyNotify) chunk_unref);
  self->max_lines = RETORT_RUN_LOG_DEFAULT_MAX_LINES;
}

RetortRunLog *
retort_run_log_new (void)
{
  return g_object_new (RETORT_TYPE_RUN_LOG, NULL);
}

void
retort_run_log_set_max_lines (RetortRunLog *self,
                              guint         max_lines)
{
  g_return_if_fail (RETORT_IS_RUN_LOG (self));
  g_return_if_fail (max_lines > 0);

  self->max_lines = max_lines;
  if (n_kept (self) > max_lines)
    schedule_flush (self);
}

guint
retort_run_log_get_max_lines (RetortRunLog *self)
{
  g_return_val_if_fail (RETORT_IS_RUN_LOG (self), 0);
  return self->max_lines;
}

void
retort_run_log_append (RetortRunLog   *self,
                       RetortLogLevel  level,
                       const char     *revision,
                       const char     *text,
                       gint64          duration_us,
                       gint64          rows)
{
  gint64 now = g_get_monotonic_time ();
  Chunk *chunk;
  Line *line;

  g_return_if_fail (RETORT_IS_RUN_LOG (self));
  g_return_if_fail (level <= RETORT_LOG_LEVEL_REVISION);
  g_return_if_fail (text != NULL);

  if (self->start_us == 0)
    self->start_us = now;
  chunk = self->chunks->len > 0 ? g_ptr_array_index (self->chunks, self->chunks->len - 1) : NULL;
  if (chunk == NULL || chunk->n_lines == CHUNK_LINES)
    {
      chunk = chunk_new ();
      g_ptr_array_add (self->chunks, chunk);
    }
  line = &chunk->lines[chunk->n_lines];
  line->time_us = now - self->start_us;
  line->wall_us = g_get_real_time ();
  line->duration_us = duration_us;
  line->rows = rows;
  line->revision = g_intern_string (revision);
  line->text = g_ref_string_new (text);
  line->level = level;
  /* written before it is counted: a snapshot reads only counted lines */
  chunk->n_lines++;
  self->n_kept++;
  schedule_flush (self);
}

guint
retort_run_log_get_n_lines (RetortRunLog *self)
{
  g_return_val_if_fail (RETORT_IS_RUN_LOG (self), 0);
  return n_kept (self);
}

guint
retort_run_log_get_n_dropped (RetortRunLog *self)
{
  g_return_val_if_fail (RETORT_IS_RUN_LOG (self), 0);
  return self->n_dropped;
}

/* ---- the attached run -------------------------------------------------------------- */

static void
on_run_started (RetortRun    *run,
                guint         n_steps,
                RetortRunLog *self)
{
  g_autofree char *text = g_strdup_printf (ngettext ("Run started: %u step",
                                                        "Run started: %u steps", n_steps), n_steps);

  self->current_revision = NULL;
  retort_run_log_append (self, RETORT_LOG_LEVEL_INFO, NULL, text, -1, -1);
}

static void
on_run_step_started (RetortRun    *run,
                     guint         index,
                     guint         n_steps,
                     const char   *description,
                     RetortRunLog *self)
{
  self->current_revision = g_intern_string (retort_run_get_step_revision (run, index));
  self->step_started_us = g_get_monotonic_time ();
  retort_run_log_append (self, RETORT_LOG_LEVEL_REVISION, self->current_revision,
                         description != NULL ? description : "", -1, -1);
}

static void
on_run_statement (RetortRun    *run,
                  const char   *sql,
                  guint         line,
                  gint64        duration_us,
                  gint64        rows,
                  RetortRunLog *self)
{
  retort_run_log_append (self, RETORT_LOG_LEVEL_STATEMENT, self->current_revision, sql, duration_us, rows);
}

static RetortLogLevel
level_of_severity (const char *severity)
{
  if (severity == NULL)
    return RETORT_LOG_LEVEL_NOTICE;
  if (g_ascii_strcasecmp (severity, "WARNING") == 0)
    return RETORT_LOG_LEVEL_WARNING;
  if (g_ascii_strcasecmp (severity, "ERROR") == 0 || g_ascii_strcasecmp (severity, "FATAL") == 0 ||
      g_ascii_strcasecmp (severity, "PANIC") == 0)
    return RETORT_LOG_LEVEL_ERROR;
  return RETORT_LOG_LEVEL_NOTICE;
}

static void
on_run_notice (RetortRun    *run,
               const char   *severity,
               const char   *message,
               RetortRunLog *self)
{
  g_autofree char *text = severity != NULL ? g_strdup_printf ("%s: %s", severity, message)
                                           : g_strdup (message);

  retort_run_log_append (self, level_of_severity (severity), self->current_revision, text, -1, -1);
}

static void
on_run_log (RetortRun    *run,
            const char   *message,
            RetortRunLog *self)
{
  retort_run_log_append (self, RETORT_LOG_LEVEL_INFO, self->current_revision, message, -1, -1);
}

static void
on_run_step_finished (RetortRun    *run,
                      guint         index,
                      guint         n_steps,
                      RetortRunLog *self)
{
  g_autofree char *text = g_strdup_printf (_("Step %u of %u done"), index + 1, n_steps);

  retort_run_log_append (self, RETORT_LOG_LEVEL_INFO, self->current_revision, text,
                         g_get_monotonic_time () - self->step_started_us, -1);
}

void
retort_run_log_attach (RetortRunLog *self,
                       RetortRun    *run)
{
  g_return_if_fail (RETORT_IS_RUN_LOG (self));
  g_return_if_fail (RETORT_IS_RUN (run));

  g_signal_connect_object (run, "started", G_CALLBACK (on_run_started), self, 0);
  g_signal_connect_object (run, "step-started", G_CALLBACK (on_run_step_started), self, 0);
  g_signal_connect_object (run, "statement", G_CALLBACK (on_run_statement), self, 0);
  g_signal_connect_object (run, "notice", G_CALLBACK (on_run_notice), self, 0);
  g_signal_connect_object (run, "log", G_CALLBACK (on_run_log), self, 0);
  g_signal_connect_object (run, "step-finished", G_CALLBACK (on_run_step_finished), self, 0);
}

/* ---- search ---------------------------------------------------------------------- */

typedef struct
{
  char     *needle;       /* lower case (ASCII) or case-folded */
  gsize     length;
  gboolean  ascii;
} Needle;

static void
needle_init (Needle     *needle,
             const char *text)
{
  /* an ASCII needle matches bytes of any UTF-8 text, without folding each line */
  needle->ascii = TRUE;
  for (const char *p = text; *p != '\0'; p++)
    if ((guchar) *p >= 0x80)
      {
        needle->ascii = FALSE;
        break;
      }
  needle->needle = needle->ascii ? g_ascii_strdown (text, -1) : g_utf8_casefold (text, -1);
  needle->length = strlen (needle->needle);
}

static void
needle_clear (Needle *needle)
{
  g_clear_pointer (&needle->needle, g_free);
}

static gboolean
contains_ascii_nocase (const char *haystack,
                       const char *lower_needle,
                       gsize       needle_len)
{
  char first = lower_needle[0];

  for (const char *p = haystack; *p != '\0'; p++)
    {
      if (g_ascii_tolower (*p) != first)
        continue;
      if (g_ascii_strncasecmp (p, lower_needle, needle_len) == 0)
        return TRUE;
    }
  return FALSE;
}

static gboolean
line_matches (const Line   *line,
              const Needle *needle)
{
  g_autofree char *folded = NULL;

  if (needle->ascii)
    return contains_ascii_nocase (line->text, needle->needle, needle->length);
  folded = g_utf8_casefold (line->text, -1);
  return strstr (folded, needle->needle) != NULL;
}

/* the marker's row, when there is one, comes before the lines */
static guint
marker_offset (RetortRunLog *self)
{
  return self->shown_dropped > 0 ? 1 : 0;
}

gint
retort_run_log_find (RetortRunLog       *self,
                     const char         *text,
                     guint               from,
                     RetortLogDirection  direction)
{
  guint offset, n_items;
  Needle needle;
  gint step, found = -1;

  g_return_val_if_fail (RETORT_IS_RUN_LOG (self), -1);
  g_return_val_if_fail (text != NULL, -1);

  n_items = retort_run_log_get_n_items (G_LIST_MODEL (self));
  if (text[0] == '\0' || n_items == 0)
    return -1;
  if (from >= n_items)
    {
      if (direction == RETORT_LOG_FORWARD)
        return -1;
      from = n_items - 1;
    }

  offset = marker_offset (self);  /* the marker is not searched */
  step = direction == RETORT_LOG_FORWARD ? 1 : -1;
  if (from < offset)
    {
      if (direction == RETORT_LOG_BACKWARD)
        return -1;
      from = offset;
    }

  needle_init (&needle, text);
  for (gint64 position = from; position >= offset && position < n_items; position += step)
    if (line_matches (kept_line (self, position - offset), &needle))
      {
        found = position;
        break;
      }
  needle_clear (&needle);
  return found;
}

/* find_async's state. Lines are counted from the first line ever appended
 * (n_dropped + the kept index), so lines the cap drops meanwhile only
 * shorten the way. */
typedef struct
{
  Needle              needle;
  RetortLogDirection  direction;
  gint64              origin;
  gint64              next;
  gboolean            wrapped;
  guint               source;
} FindState;

static void
find_state_free (FindState *state)
{
  g_clear_handle_id (&state->source, g_source_remove);
  needle_clear (&state->needle);
  g_free (state);
}

/* Scans until deadline_us (0: to the end). Returns TRUE when finished, with
 * *found the position in the list or -1. */
static gboolean
find_step (RetortRunLog *self,
           FindState    *state,
           gint64        deadline_us,
           gint         *found)
{
  for (guint n = 0;; n++)
    {
      /* what the list shows now, in line numbers */
      gint64 low = self->n_dropped;
      gint64 high = low + self->shown_lines;

      if (deadline_us != 0 && (n & 255) == 255 && g_get_monotonic_time () > deadline_us)
        return FALSE;

      if (state->direction == RETORT_LOG_FORWARD)
        {
          if (state->next < low)
            state->next = low;
          if (state->wrapped && state->next >= MIN (state->origin, high))
            break;
          if (state->next >= high)
            {
              state->wrapped = TRUE;
              state->next = low;
              continue;
            }
        }
      else
        {
          if (state->next >= high)
            state->next = high - 1;
          if (state->wrapped && (state->next <= state->origin || state->next < low))
            break;
          if (state->next < low)
            {
              state->wrapped = TRUE;
              state->next = high - 1;
              continue;
            }
        }

      if (line_matches (kept_line (self, state->next - low), &state->needle))
        {
          *found = (gint) (state->next - low + marker_offset (self));
          return TRUE;
        }
      state->next += state->direction == RETORT_LOG_FORWARD ? 1 : -1;
    }
  *found = -1;
  return TRUE;
}

static gboolean
find_slice_cb (gpointer data)
{
  GTask *task = data;
  FindState *state = g_task_get_task_data (task);
  gint found;

  if (g_task_return_error_if_cancelled (task))
    {
      state->source = 0;
      return G_SOURCE_REMOVE;
    }
  if (!find_step (g_task_get_source_object (task), state, g_get_monotonic_time () + FIND_SLICE_US, &found))
    return G_SOURCE_CONTINUE;
  state->source = 0;
  g_task_return_int (task, found);
  return G_SOURCE_REMOVE;
}

void
retort_run_log_find_async (RetortRunLog        *self,
                           const char          *text,
                           guint                from,
                           RetortLogDirection   direction,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  FindState *state;
  guint n_items, offset;
  GSource *source;

  g_return_if_fail (RETORT_IS_RUN_LOG (self));
  g_return_if_fail (text != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, retort_run_log_find_async);
  n_items = retort_run_log_get_n_items (G_LIST_MODEL (self));
  offset = marker_offset (self);
  if (text[0] == '\0' || n_items <= offset)
    {
      g_task_return_int (task, -1);
      return;
    }

  /* wrapping: past the end is the start, before the marker is the end */
  if (direction == RETORT_LOG_FORWARD && (from >= n_items || from < offset))
    from = offset;
  else if (direction == RETORT_LOG_BACKWARD && (from >= n_items || from < offset))
    from = n_items - 1;

  state = g_new0 (FindState, 1);
  needle_init (&state->needle, text);
  state->direction = direction;
  state->origin = self->n_dropped + (from - offset);
  state->next = state->origin;
  g_task_set_task_data (task, state, (GDestroyNotify) find_state_free);

  /* below drawing: a frame comes between two slices */
  source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_DEFAULT_IDLE);
  g_source_set_callback (source, find_slice_cb, g_object_ref (task), g_object_unref);
  g_source_set_static_name (source, "[retort] run log find");
  state->source = g_source_attach (source, NULL);
  g_source_unref (source);
}

gint
retort_run_log_find_finish (RetortRunLog  *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  gssize found;

  g_return_val_if_fail (g_task_is_valid (result, self), -1);

  found = g_task_propagate_int (G_TASK (result), error);
  return found >= 0 ? (gint) found : -1;
}

/* ---- text, copy and save -------------------------------------------------------------- */

/* The lines at one moment, for a worker: a reference on each chunk and
 * which of their lines were there. Taking one costs a reference per 4,096
 * lines; the log goes on appending (past the count) and dropping (the
 * snapshot keeps its chunks) meanwhile. */
typedef struct
{
  GPtrArray *chunks;    /* Chunk */
  guint      first;
  guint      n_lines;
  Line       marker;    /* text NULL: none */
} Snapshot;

static void
snapshot_free (Snapshot *snapshot)
{
  g_ptr_array_unref (snapshot->chunks);
  line_clear (&snapshot->marker);
  g_free (snapshot);
}

static Snapshot *
snapshot_new (RetortRunLog *self)
{
  Snapshot *snapshot = g_new0 (Snapshot, 1);

  snapshot->chunks = g_ptr_array_new_full (self->chunks->len, (GDestroyNotify) chunk_unref);
  for (guint i = 0; i < self->chunks->len; i++)
    g_ptr_array_add (snapshot->chunks, chunk_ref (g_ptr_array_index (self->chunks, i)));
  snapshot->first = self->first;
  snapshot->n_lines = n_kept (self);
  if (self->n_dropped > 0)
    snapshot->marker = marker_line (self, self->n_dropped);
  return snapshot;
}

static const Line *
snapshot_line (Snapshot *snapshot,
               guint     index)
{
  guint at = snapshot->first + index;
  Chunk *chunk = g_ptr_array_index (snapshot->chunks, at / CHUNK_LINES);

  return &chunk->lines[at % CHUNK_LINES];
}

static const char *
level_name (RetortLogLevel level)
{
  switch (level)
    {
    case RETORT_LOG_LEVEL_INFO: return "info";
    case RETORT_LOG_LEVEL_STATEMENT: return "statement";
    case RETORT_LOG_LEVEL_NOTICE: return "notice";
    case RETORT_LOG_LEVEL_WARNING: return "warning";
    case RETORT_LOG_LEVEL_ERROR: return "error";
    case RETORT_LOG_LEVEL_REVISION: return "revision";
    default: g_return_val_if_reached ("info");
    }
}

typedef struct
{
  gint64 second;       /* of the cached text */
  char   date[32];
} TimeCache;

static void
append_line (GString    *out,
             const Line *line,
             TimeCache  *cache)
{
  gint64 second = line->wall_us / G_USEC_PER_SEC;

  if (second != cache->second || cache->date[0] == '\0')
    {
      g_autoptr(GDateTime) time = g_date_time_new_from_unix_local (second);
      g_autofree char *text = time != NULL ? g_date_time_format (time, "%Y-%m-%d %H:%M:%S") : g_strdup ("?");

      g_strlcpy (cache->date, text, sizeof cache->date);
      cache->second = second;
    }
  g_string_append_printf (out, "%s.%03d\t+%.3f\t%s\t%s\t", cache->date,
                          (int) (line->wall_us % G_USEC_PER_SEC / 1000), line->time_us / 1e6,
                          level_name (line->level), line->revision != NULL ? line->revision : "-");
  /* one line per entry: multi-line SQL keeps its shape, escaped */
  for (const char *p = line->text; *p != '\0'; p++)
    {
      switch (*p)
        {
        case '\n': g_string_append (out, "\\n"); break;
        case '\t': g_string_append (out, "\\t"); break;
        case '\r': g_string_append (out, "\\r"); break;
        case '\\': g_string_append (out, "\\\\"); break;
        default: g_string_append_c (out, *p);
        }
    }
  g_string_append_c (out, '\t');
  if (line->duration_us >= 0)
    g_string_append_printf (out, "%.3f ms", line->duration_us / 1000.0);
  g_string_append_c (out, '\t');
  if (line->rows >= 0)
    g_string_append_printf (out, "%" G_GINT64_FORMAT, line->rows);
  g_string_append_c (out, '\n');
}

/* out grows to the whole text, or is written to stream (when not NULL)
 * every WRITE_CHUNK_BYTES */
static gboolean
write_snapshot (Snapshot       *snapshot,
                GString        *out,
                GOutputStream  *stream,
                GCancellable   *cancellable,
                GError        **error)
{
  TimeCache cache = { 0, "" };

  if (snapshot->marker.text != NULL)
    append_line (out, &snapshot->marker, &cache);
  for (guint i = 0; i < snapshot->n_lines; i++)
    {
      append_line (out, snapshot_line (snapshot, i), &cache);
      if (stream != NULL && (out->len >= WRITE_CHUNK_BYTES || i + 1 == snapshot->n_lines))
        {
          if (!g_output_stream_write_all (stream, out->str, out->len, NULL, cancellable, error))
            return FALSE;
          g_string_truncate (out, 0);
        }
      else if (stream == NULL && (i & 4095) == 4095 && g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
    }
  if (stream != NULL && out->len > 0 &&
      !g_output_stream_write_all (stream, out->str, out->len, NULL, cancellable, error))
    return FALSE;
  return TRUE;
}

static GString *
text_buffer_for (Snapshot *snapshot)
{
  /* about what a statement line takes, so that it rarely grows */
  return g_string_sized_new (MIN ((gsize) snapshot->n_lines + 1, G_MAXSIZE / 128) * 120);
}

char *
retort_run_log_get_text (RetortRunLog *self)
{
  Snapshot *snapshot;
  GString *out;

  g_return_val_if_fail (RETORT_IS_RUN_LOG (self), NULL);

  snapshot = snapshot_new (self);
  out = text_buffer_for (snapshot);
  write_snapshot (snapshot, out, NULL, NULL, NULL);
  snapshot_free (snapshot);
  return g_string_free (out, FALSE);
}

static void
text_worker (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GString *out = text_buffer_for (task_data);
  GError *error = NULL;

  if (!write_snapshot (task_data, out, NULL, cancellable, &error))
    {
      g_string_free (out, TRUE);
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, g_string_free (out, FALSE), g_free);
}

void
retort_run_log_get_text_async (RetortRunLog        *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (RETORT_IS_RUN_LOG (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, retort_run_log_get_text_async);
  g_task_set_task_data (task, snapshot_new (self), (GDestroyNotify) snapshot_free);
  g_task_run_in_thread (task, text_worker);
}

char *
retort_run_log_get_text_finish (RetortRunLog  *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

gboolean
retort_run_log_write_to_stream (RetortRunLog   *self,
                                GOutputStream  *stream,
                                GCancellable   *cancellable,
                                GError        **error)
{
  g_autoptr(GString) chunk = g_string_sized_new (WRITE_CHUNK_BYTES + 4096);
  Snapshot *snapshot;
  gboolean ok;

  g_return_val_if_fail (RETORT_IS_RUN_LOG (self), FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (stream), FALSE);

  snapshot = snapshot_new (self);
  ok = write_snapshot (snapshot, chunk, stream, cancellable, error);
  snapshot_free (snapshot);
  return ok;
}

static void
save_worker (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GFile *file = g_object_get_data (G_OBJECT (task), "file");
  g_autoptr(GFileOutputStream) stream = NULL;
  g_autoptr(GString) chunk = g_string_sized_new (WRITE_CHUNK_BYTES + 4096);
  GError *error = NULL;

  stream = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION, cancellable, &error);
  if (stream == NULL ||
      !write_snapshot (task_data, chunk, G_OUTPUT_STREAM (stream), cancellable, &error) ||
      !g_output_stream_close (G_OUTPUT_STREAM (stream), cancellable, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

void
retort_run_log_save_async (RetortRunLog        *self,
                           GFile               *file,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (RETORT_IS_RUN_LOG (self));
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, retort_run_log_save_async);
  g_task_set_task_data (task, snapshot_new (self), (GDestroyNotify) snapshot_free);
  g_object_set_data_full (G_OBJECT (task), "file", g_object_ref (file), g_object_unref);
  g_task_run_in_thread (task, save_worker);
}

gboolean
retort_run_log_save_finish (RetortRunLog  *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
