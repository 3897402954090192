/* retort-timeline.c — the revision graph laid out in lanes, newest first
 *
 * Rows follow `history` (Alembic's order, newest first). Walking down, each
 * lane waits for one revision: a child's parent. A revision takes the
 * leftmost lane waiting for it (or a free one if nothing does: a head), the
 * other lanes waiting for it join it there (a branch point seen from
 * above), and it hands its lane to its first parent and new lanes to the
 * others (a merge). Freed lanes are reused leftmost first, so the picture
 * stays narrow. depends_on is not a lane: it is drawn separately.
 */
#define G_LOG_DOMAIN "retort-timeline"

#include "retort-timeline.h"

#include <string.h>

void
retort_timeline_row_free (RetortTimelineRow *row)
{
  if (row == NULL)
    return;
  g_clear_object (&row->revision);
  g_array_unref (row->passing);
  g_array_unref (row->incoming);
  g_array_unref (row->outgoing);
  g_free (row);
}

static guint
free_lane (GPtrArray *waiting)
{
  for (guint l = 0; l < waiting->len; l++)
    if (g_ptr_array_index (waiting, l) == NULL)
      return l;
  g_ptr_array_add (waiting, NULL);
  return waiting->len - 1;
}

GPtrArray *
retort_timeline_compute (RetortRevisionMap  *map,
                         GError            **error)
{
  g_autoptr(GPtrArray) order = retort_revision_map_walk_history (map, "base", "heads", error);
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GPtrArray) waiting = g_ptr_array_new ();  /* lane -> id it waits for, or NULL */

  if (order == NULL)
    return NULL;
  rows = g_ptr_array_new_full (order->len, (GDestroyNotify) retort_timeline_row_free);

  for (guint i = 0; i < order->len; i++)
    {
      RetortRevision *revision = g_ptr_array_index (order, i);
      const char *id = retort_revision_get_id (revision);
      const char * const *parents = retort_revision_get_down_revisions (revision);
      RetortTimelineRow *row = g_new0 (RetortTimelineRow, 1);
      gboolean placed = FALSE;

      row->revision = g_object_ref (revision);
      row->passing = g_array_new (FALSE, FALSE, sizeof (guint));
      row->incoming = g_array_new (FALSE, FALSE, sizeof (guint));
      row->outgoing = g_array_new (FALSE, FALSE, sizeof (guint));

      /* the lanes waiting for this revision meet at its node */
      for (guint l = 0; l < waiting->len; l++)
        {
          const char *awaited = g_ptr_array_index (waiting, l);
          if (awaited == NULL || strcmp (awaited, id) != 0)
            continue;
          g_array_append_val (row->incoming, l);
          if (!placed)
            {
              row->lane = l;
              placed = TRUE;
            }
          g_ptr_array_index (waiting, l) = NULL;
        }
      if (!placed)
        row->lane = free_lane (waiting);

      /* the rest pass straight through */
      for (guint l = 0; l < waiting->len; l++)
        if (g_ptr_array_index (waiting, l) != NULL)
          g_array_append_val (row->passing, l);

      /* its parents: the first keeps the lane, others join a lane already
       * waiting for them or take a free one */
      for (guint p = 0; parents != NULL && parents[p] != NULL; p++)
        {
          guint lane = G_MAXUINT;
          for (guint l = 0; l < waiting->len && lane == G_MAXUINT; l++)
            if (g_ptr_array_index (waiting, l) != NULL && strcmp (g_ptr_array_index (waiting, l), parents[p]) == 0)
              lane = l;
          if (lane == G_MAXUINT)
            {
              lane = p == 0 && g_ptr_array_index (waiting, row->lane) == NULL ? row->lane : free_lane (waiting);
              g_ptr_array_index (waiting, lane) = (gpointer) parents[p];
            }
          g_array_append_val (row->outgoing, lane);
        }

      row->width = row->lane + 1;
      for (guint l = 0; l < waiting->len; l++)
        if (g_ptr_array_index (waiting, l) != NULL)
          row->width = MAX (row->width, l + 1);
      for (guint k = 0; k < row->incoming->len; k++)
        row->width = MAX (row->width, g_array_index (row->incoming, guint, k) + 1);
      g_ptr_array_add (rows, row);
      /* trailing free lanes are dropped so the picture narrows again */
      while (waiting->len > 0 && g_ptr_array_index (waiting, waiting->len - 1) == NULL)
        g_ptr_array_set_size (waiting, waiting->len - 1);
    }
  return g_steal_pointer (&rows);
}
