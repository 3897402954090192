/* retort-status.c — where a database stands against its project, in a word
 *
 * The sidebar's status chip and the status strip say this: up to date,
 * N pending, an unknown revision, not versioned, or legacy. "Pending"
 * counts the steps `upgrade heads` would run, planned exactly as a run
 * would plan them.
 */
#define G_LOG_DOMAIN "retort-status"

#include "retort-status.h"
#include "retort-plan.h"

void
retort_status_free (RetortStatus *status)
{
  if (status == NULL)
    return;
  g_strfreev (status->current);
  g_strfreev (status->unknown);
  g_free (status->message);
  g_free (status);
}

const char *
retort_status_kind_to_string (RetortStatusKind kind)
{
  switch (kind)
    {
    case RETORT_STATUS_UP_TO_DATE: return "up-to-date";
    case RETORT_STATUS_PENDING: return "pending";
    case RETORT_STATUS_UNKNOWN_REVISION: return "unknown-revision";
    case RETORT_STATUS_NOT_VERSIONED: return "not-versioned";
    case RETORT_STATUS_LEGACY: return "legacy";
    case RETORT_STATUS_BROKEN: return "broken";
    default: g_return_val_if_reached ("?");
    }
}

RetortStatus *
retort_status_compute (RetortRevisionMap        *map,
                       const RetortVersionState *state)
{
  RetortStatus *status = g_new0 (RetortStatus, 1);
  g_autoptr(GStrvBuilder) unknown = g_strv_builder_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(RetortPlan) plan = NULL;
  g_autoptr(GPtrArray) current = NULL;
  guint n_unknown = 0;

  g_return_val_if_fail (RETORT_IS_REVISION_MAP (map), status);

  for (guint i = 0; state->rows[i] != NULL; i++)
    if (retort_revision_map_lookup (map, state->rows[i]) == NULL)
      {
        g_strv_builder_add (unknown, state->rows[i]);
        n_unknown++;
      }
  status->unknown = g_strv_builder_end (unknown);
  status->current = g_new0 (char *, 1);

  if (state->kind == RETORT_VERSION_STATE_LEGACY)
    {
      status->kind = RETORT_STATUS_LEGACY;
      status->message = g_strdup_printf ("%u tables but no version table: this database predates "
                                         "migrations; stamp the revision it matches", state->other_tables);
      return status;
    }
  if (n_unknown > 0)
    {
      g_autofree char *names = g_strjoinv (", ", status->unknown);
      status->kind = RETORT_STATUS_UNKNOWN_REVISION;
      status->message = g_strdup_printf ("The version table names %s, which this project does not "
                                         "have (a newer checkout, another branch, or a wrong stamp)", names);
      return status;
    }

  current = retort_revision_map_get_all_current (map, (const char * const *) state->rows, &error);
  if (current != NULL)
    {
      g_strfreev (status->current);
      status->current = g_new0 (char *, current->len + 1);
      for (guint i = 0; i < current->len; i++)
        status->current[i] = g_strdup (retort_revision_get_id (g_ptr_array_index (current, i)));
    }

  plan = retort_plan_new_upgrade (map, "heads", (const char * const *) state->rows, &error);
  if (plan == NULL)
    {
      status->kind = RETORT_STATUS_BROKEN;
      status->message = g_strdup_printf ("No upgrade can start from these rows: %s", error->message);
      return status;
    }
  status->n_pending = retort_plan_get_n_steps (plan);
  if (state->kind == RETORT_VERSION_STATE_EMPTY && status->n_pending > 0)
    {
      status->kind = RETORT_STATUS_NOT_VERSIONED;
      status->message = g_strdup_printf ("An empty database: %u revisions to apply", status->n_pending);
    }
  else if (status->n_pending > 0)
    {
      status->kind = RETORT_STATUS_PENDING;
      status->message = g_strdup_printf (status->n_pending == 1 ? "%u revision pending" : "%u revisions pending",
                                         status->n_pending);
    }
  else
    {
      status->kind = RETORT_STATUS_UP_TO_DATE;
      status->message = g_strdup ("Up to date");
    }
  return status;
}
