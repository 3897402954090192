/* retort-profile.c — one database profile in the window, with its live status
 *
 * A profile is a RetortProfileEntry from retort.conf plus what the window
 * learns about its database: the rows of the version table and where they
 * stand on the project's graph. Checking reads the version table on the
 * profile's own RetortConnection worker, so a slow or dead server never
 * blocks the main thread; a check that outlives its timeout is written off
 * as unreachable, its connection dropped, and its late answer ignored.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "retort-profile"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "retort-profile.h"

struct _RetortProfile
{
  GObject             parent_instance;

  RetortProfileEntry *entry;        /* borrowed from the config; NULL once detached */
  char               *base_dir;
  char               *password;     /* session only; wiped when replaced */
  char               *display;

  RetortConnection   *connection;
  guint               generation;   /* of the check whose answer is awaited */
  guint               timeout_id;

  RetortProfileState  state;
  guint               n_pending;
  char               *status_label;
  char               *status_message;
  RetortVersionState *version_state;
  GHashTable         *rows;         /* ids in the version table */
  GHashTable         *applied;      /* RetortRevision* the database has */
  gboolean            running;      /* a run on its own connection */

  /* what the current check reads, to ask again (see starve_watch) */
  RetortRevisionMap  *check_map;
  char               *check_schema;
  char               *check_table;
  guint               starve_id;
  guint               starved_ticks;
};

G_DEFINE_FINAL_TYPE (RetortProfile, retort_profile, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_NAME,
  PROP_TIER,
  PROP_DISPLAY,
  PROP_READ_ONLY,
  PROP_STATE,
  PROP_CHECKING,
  PROP_STATUS_LABEL,
  PROP_RUNNING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* reads under way on connection workers, finished or not from the UI's view */
static gint checks_in_flight;

typedef struct
{
  RetortProfile     *profile;   /* strong */
  RetortRevisionMap *map;       /* nullable */
  guint              generation;
  int                priority;  /* of the answer and of its assessment */
} CheckData;

/* A check's answer and its assessment come back at idle priority, so a
 * window paints its frames first. But GTK's redraws outrank idle sources:
 * while frames run late back to back (a spinner on a slow or sanitized
 * machine), an idle answer would wait for ever, and the spinner with it.
 * So a watch at default priority looks every STARVE_TICK_MS: a check whose
 * connection has finished its work but whose answer has not been taken for
 * two ticks is asked again, with its answer at default priority. */
#define STARVE_TICK_MS 500

static void
check_data_free (CheckData *data)
{
  g_clear_object (&data->profile);
  g_clear_object (&data->map);
  g_free (data);
}

static void
wipe_password (RetortProfile *self)
{
  if (self->password != NULL)
    {
      memset (self->password, 0, strlen (self->password));
      g_clear_pointer (&self->password, g_free);
    }
}

static void
retort_profile_finalize (GObject *object)
{
  RetortProfile *self = RETORT_PROFILE (object);

  g_clear_handle_id (&self->timeout_id, g_source_remove);
  g_clear_handle_id (&self->starve_id, g_source_remove);
  wipe_password (self);
  g_clear_object (&self->connection);
  g_clear_object (&self->check_map);
  g_clear_pointer (&self->check_schema, g_free);
  g_clear_pointer (&self->check_table, g_free);
  g_clear_pointer (&self->base_dir, g_free);
  g_clear_pointer (&self->display, g_free);
  g_clear_pointer (&self->status_label, g_free);
  g_clear_pointer (&self->status_message, g_free);
  g_clear_pointer (&self->version_state, retort_version_state_free);
  g_clear_pointer (&self->rows, g_hash_table_unref);
  g_clear_pointer (&self->applied, g_hash_table_unref);

  G_OBJECT_CLASS (retort_profile_parent_class)->finalize (object);
}

static void
retort_profile_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  RetortProfile *self = RETORT_PROFILE (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, retort_profile_get_name (self));
      break;
    case PROP_TIER:
      g_value_set_int (value, retort_profile_get_tier (self));
      break;
    case PROP_DISPLAY:
      g_value_set_string (value, retort_profile_get_display (self));
      break;
    case PROP_READ_ONLY:
      g_value_set_boolean (value, retort_profile_get_read_only (self));
      break;
    case PROP_STATE:
      g_value_set_int (value, self->state);
      break;
    case PROP_CHECKING:
      g_value_set_boolean (value, self->state == RETORT_PROFILE_STATE_CHECKING);
      break;
    case PROP_STATUS_LABEL:
      g_value_set_string (value, self->status_label);
      break;
    case PROP_RUNNING:
      g_value_set_boolean (value, self->running);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
retort_profile_class_init (RetortProfileClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = retort_profile_finalize;
  object_class->get_property = retort_profile_get_property;

  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TIER] =
    g_param_spec_int ("tier", NULL, NULL, 0, RETORT_TIER_OTHER, 0,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DISPLAY] =
    g_param_spec_string ("display", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_READ_ONLY] =
    g_param_spec_boolean ("read-only", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE] =
    g_param_spec_int ("state", NULL, NULL, 0, RETORT_PROFILE_STATE_INVALID, 0,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CHECKING] =
    g_param_spec_boolean ("checking", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATUS_LABEL] =
    g_param_spec_string ("status-label", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* an upgrade, downgrade or stamp is going on (see RetortRunSession) */
  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
retort_profile_init (RetortProfile *self)
{
  self->status_label = g_strdup ("");
  self->status_message = g_strdup ("");
  self->rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->applied = g_hash_table_new (g_direct_hash, g_direct_equal);
}

/* The display form comes from the parser, which knows how to hide a
 * password in every address form; an address that does not parse is shown
 * as the parser's error would be useless here, so as "invalid address". */
static void
update_display (RetortProfile *self)
{
  g_autoptr(RetortDatabaseUrl) url = NULL;

  g_clear_pointer (&self->display, g_free);
  if (self->entry == NULL)
    return;
  url = retort_database_url_parse (self->entry->url, self->base_dir, NULL);
  self->display = g_strdup (url != NULL ? url->display : _("invalid address"));
}

RetortProfile *
retort_profile_new (RetortProfileEntry *entry)
{
  RetortProfile *self;

  g_return_val_if_fail (entry != NULL, NULL);

  self = g_object_new (RETORT_TYPE_PROFILE, NULL);
  self->entry = entry;
  update_display (self);
  return self;
}

const RetortProfileEntry *
retort_profile_get_entry (RetortProfile *self)
{
  g_return_val_if_fail (RETORT_IS_PROFILE (self), NULL);
  return self->entry;
}

const char *
retort_profile_get_id (RetortProfile *self)
{
  g_return_val_if_fail (RETORT_IS_PROFILE (self), NULL);
  return self->entry != NULL ? self->entry->id : NULL;
}

const char *
retort_profile_get_name (RetortProfile *self)
{
  g_return_val_if_fail (RETORT_IS_PROFILE (self), NULL);
  return self->entry != NULL ? self->entry->name : "";
}

RetortTier
retort_profile_get_tier (RetortProfile *self)
{
  g_return_val_if_fail (RETORT_IS_PROFILE (self), RETORT_TIER_OTHER);
  return self->entry != NULL ? self->entry->tier : RETORT_TIER_OTHER;
}

gboolean
retort_profile_get_read_only (RetortProfile *self)
{
  g_return_val_if_fail (RETORT_IS_PROFILE (self), TRUE);
  return self->entry != NULL ? self->entry->read_only : TRUE;
}

gboolean
retort_profile_get_running (RetortProfile *self)
{
  g_return_val_if_fail (RETORT_IS_PROFILE (self), FALSE);
  return self->running;
}

void
retort_profile_set_running (RetortProfile *self,
                            gboolean       running)
{
  g_return_if_fail (RETORT_IS_PROFILE (self));
  if (self->running == !!running)
    return;
  self->running = !!running;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
}

gboolean
retort_profile_needs_typed_confirmation (RetortProfile *self)
{
  g_return_val_if_fail (RETORT_IS_PROFILE (self), TRUE);
  return retort_profile_get_tier (self) == RETORT_TIER_PRODUCTION;
}

gboolean
retort_profile_typed_confirmation_matches (RetortProfile *self,
                                           const char    *typed)
{
  g_autofree char *trimmed = NULL;

  g_return_val_if_fail (RETORT_IS_PROFILE (self), FALSE);
  if (!retort_profile_needs_typed_confirmation (self))
    return TRUE;
  if (typed == NULL)
    return FALSE;
  /* exact, as a safeguard should be; only stray spaces are forgiven */
  trimmed = g_strstrip (g_strdup (typed));
  return g_strcmp0 (trimmed, retort_profile_get_name (self)) == 0;
}

const char *
retort_profile_get_display (RetortProfile *self)
{
  g_return_val_if_fail (RETORT_IS_PROFILE (self), NULL);
  return self->display != NULL ? self->display : "";
}

const char *
retort_profile_get_tier_class (RetortProfile *self)
{
  static const char *classes[] = {
    [RETORT_TIER_DEVELOPMENT] = "tier-development",
    [RETORT_TIER_STAGING] = "tier-staging",
    [RETORT_TIER_PRODUCTION] = "tier-production",
    [RETORT_TIER_OTHER] = "tier-other",
  };

  return classes[retort_profile_get_tier (self)];
}

const char *
retort_profile_get_tier_label (RetortProfile *self)
{
  switch (retort_profile_get_tier (self))
    {
    case RETORT_TIER_DEVELOPMENT: return _("Development");
    case RETORT_TIER_STAGING: return _("Staging");
    case RETORT_TIER_PRODUCTION: return _("Production");
    case RETORT_TIER_OTHER:
    default: return _("Other");
    }
}

RetortProfileState
retort_profile_get_state (RetortProfile *self)
{
  g_return_val_if_fail (RETORT_IS_PROFILE (self), RETORT_PROFILE_STATE_INVALID);
  return self->state;
}

gboolean
retort_profile_get_checking (RetortProfile *self)
{
  g_return_val_if_fail (RETORT_IS_PROFILE (self), FALSE);
  return self->state == RETORT_PROFILE_STATE_CHECKING;
}

guint
retort_profile_get_n_pending (RetortProfile *self)
{
  g_return_val_if_fail (RETORT_IS_PROFILE (self), 0);
  return self->n_pending;
}

const char *
retort_profile_get_status_label (RetortProfile *self)
{
  g_return_val_if_fail (RETORT_IS_PROFILE (self), NULL);
  return self->status_label;
}

const char *
retort_profile_get_status_message (RetortProfile *self)
{
  g_return_val_if_fail (RETORT_IS_PROFILE (self), NULL);
  return self->status_message;
}

const char * const *
retort_profile_get_rows (RetortProfile *self)
{
  g_return_val_if_fail (RETORT_IS_PROFILE (self), NULL);
  return self->version_state != NULL ? (const char * const *) self->version_state->rows : NULL;
}

const RetortVersionState *
retort_profile_get_version_state (RetortProfile *self)
{
  g_return_val_if_fail (RETORT_IS_PROFILE (self), NULL);
  return self->version_state;
}

gboolean
retort_profile_is_at (RetortProfile  *self,
                      RetortRevision *revision)
{
  g_return_val_if_fail (RETORT_IS_PROFILE (self), FALSE);
  return g_hash_table_contains (self->rows, retort_revision_get_id (revision));
}

gboolean
retort_profile_has_applied (RetortProfile  *self,
                            RetortRevision *revision)
{
  g_return_val_if_fail (RETORT_IS_PROFILE (self), FALSE);
  return g_hash_table_contains (self->applied, revision);
}

void
retort_profile_set_base_dir (RetortProfile *self,
                             const char    *base_dir)
{
  g_return_if_fail (RETORT_IS_PROFILE (self));
  if (g_strcmp0 (self->base_dir, base_dir) == 0)
    return;
  g_free (self->base_dir);
  self->base_dir = g_strdup (base_dir);
  g_clear_object (&self->connection);
  update_display (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DISPLAY]);
}

void
retort_profile_set_password (RetortProfile *self,
                             const char    *password)
{
  g_return_if_fail (RETORT_IS_PROFILE (self));
  wipe_password (self);
  self->password = password != NULL && *password != '\0' ? g_strdup (password) : NULL;
  /* the open connection was made with the old one */
  g_clear_object (&self->connection);
}

gboolean
retort_profile_has_password (RetortProfile *self)
{
  g_return_val_if_fail (RETORT_IS_PROFILE (self), FALSE);
  return self->password != NULL;
}

RetortDatabaseUrl *
retort_profile_build_url (RetortProfile  *self,
                          GError        **error)
{
  RetortDatabaseUrl *url;

  g_return_val_if_fail (RETORT_IS_PROFILE (self), NULL);

  if (self->entry == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, _("The profile was removed"));
      return NULL;
    }
  url = retort_database_url_parse (self->entry->url, self->base_dir, error);
  if (url != NULL && self->password != NULL)
    retort_database_url_set (url, "password", self->password);
  return url;
}

static void
set_state (RetortProfile      *self,
           RetortProfileState  state,
           const char         *label,
           const char         *message)
{
  gboolean was_checking = self->state == RETORT_PROFILE_STATE_CHECKING;

  if (state != RETORT_PROFILE_STATE_CHECKING)
    g_clear_handle_id (&self->starve_id, g_source_remove);

  g_free (self->status_label);
  self->status_label = g_strdup (label);
  g_free (self->status_message);
  self->status_message = g_strdup (message);
  self->state = state;

  g_object_freeze_notify (G_OBJECT (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS_LABEL]);
  if (was_checking != (state == RETORT_PROFILE_STATE_CHECKING))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CHECKING]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
  g_object_thaw_notify (G_OBJECT (self));
}

static void
forget_version_state (RetortProfile *self)
{
  g_clear_pointer (&self->version_state, retort_version_state_free);
  g_hash_table_remove_all (self->rows);
  g_hash_table_remove_all (self->applied);
  self->n_pending = 0;
}

/* libpq says why it refused in words only; these are the ones that mean
 * "ask for a password" rather than "the server is down". */
static gboolean
is_password_error (const GError *error)
{
  return strstr (error->message, "password authentication failed") != NULL ||
         strstr (error->message, "no password supplied") != NULL;
}

static void
apply_failure (RetortProfile *self,
               const GError  *error)
{
  forget_version_state (self);
  if (g_error_matches (error, RETORT_DATABASE_URL_ERROR, RETORT_DATABASE_URL_ERROR_INVALID) ||
      g_error_matches (error, RETORT_DATABASE_URL_ERROR, RETORT_DATABASE_URL_ERROR_UNSUPPORTED))
    set_state (self, RETORT_PROFILE_STATE_INVALID, _("invalid"), error->message);
  else if (is_password_error (error))
    set_state (self, RETORT_PROFILE_STATE_NEEDS_PASSWORD, _("password needed"), error->message);
  else
    set_state (self, RETORT_PROFILE_STATE_UNREACHABLE, _("unreachable"), error->message);
}

/* What a finished read means against the graph, worked out on a worker:
 * planning from the rows and collecting the applied set take milliseconds
 * with thousands of revisions, which the main thread should not spend
 * twenty times over when every profile answers at once. The map is not
 * changed by reading it, so workers can share it. */
typedef struct
{
  RetortRevisionMap  *map;      /* nullable */
  RetortVersionState *state;
  RetortStatus       *status;   /* NULL without a map */
  GHashTable         *applied;
  guint               generation;
  RetortProfile      *profile;
} Assessment;

static void
assessment_free (Assessment *assessment)
{
  g_clear_object (&assessment->map);
  g_clear_pointer (&assessment->state, retort_version_state_free);
  g_clear_pointer (&assessment->status, retort_status_free);
  g_clear_pointer (&assessment->applied, g_hash_table_unref);
  g_clear_object (&assessment->profile);
  g_free (assessment);
}

static void
assess_worker (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  Assessment *assessment = task_data;

  if (assessment->map != NULL)
    {
      assessment->applied = retort_revision_map_get_applied (assessment->map,
                                                             (const char * const *) assessment->state->rows);
      assessment->status = retort_status_compute (assessment->map, assessment->state);
    }
  g_task_return_boolean (task, TRUE);
}

static void
apply_state (RetortProfile *self,
             Assessment    *assessment)
{
  RetortVersionState *state = g_steal_pointer (&assessment->state);
  RetortStatus *status = assessment->status;
  g_autofree char *label = NULL;
  g_autofree char *message = NULL;
  RetortProfileState kind;

  forget_version_state (self);
  self->version_state = state;
  for (guint i = 0; state->rows[i] != NULL; i++)
    g_hash_table_add (self->rows, g_strdup (state->rows[i]));

  if (status == NULL)
    {
      set_state (self, RETORT_PROFILE_STATE_INVALID, _("no project"),
                 _("The project's revisions did not load, so this database cannot be compared with them"));
      return;
    }

  g_hash_table_unref (self->applied);
  self->applied = g_steal_pointer (&assessment->applied);
  self->n_pending = status->n_pending;

  switch (status->kind)
    {
    case RETORT_STATUS_UP_TO_DATE:
      kind = RETORT_PROFILE_STATE_UP_TO_DATE;
      label = g_strdup (_("up to date"));
      message = g_strdup (_("Up to date: the database is at every head"));
      break;
    case RETORT_STATUS_PENDING:
      kind = RETORT_PROFILE_STATE_PENDING;
      label = g_strdup_printf (ngettext ("%u pending", "%u pending", status->n_pending), status->n_pending);
      message = g_strdup_printf (ngettext ("%u revision pending", "%u revisions pending", status->n_pending),
                                 status->n_pending);
      break;
    case RETORT_STATUS_UNKNOWN_REVISION:
      {
        g_autofree char *names = g_strjoinv (", ", status->unknown);
        kind = RETORT_PROFILE_STATE_UNKNOWN_REVISION;
        label = g_strdup (_("unknown revision"));
        message = g_strdup_printf (_("The version table names %s, which this project does not have: "
                                     "a newer checkout, another branch, or a wrong stamp"), names);
      }
      break;
    case RETORT_STATUS_NOT_VERSIONED:
      kind = RETORT_PROFILE_STATE_NOT_VERSIONED;
      label = g_strdup (_("not versioned"));
      message = g_strdup_printf (ngettext ("An empty database: %u revision to apply",
                                           "An empty database: %u revisions to apply", status->n_pending),
                                 status->n_pending);
      break;
    case RETORT_STATUS_LEGACY:
      kind = RETORT_PROFILE_STATE_LEGACY;
      label = g_strdup (_("legacy"));
      message = g_strdup_printf (ngettext ("%u table but no version table: this database predates "
                                           "migrations; stamp the revision it matches",
                                           "%u tables but no version table: this database predates "
                                           "migrations; stamp the revision it matches", state->other_tables),
                                 state->other_tables);
      break;
    case RETORT_STATUS_BROKEN:
    default:
      kind = RETORT_PROFILE_STATE_BROKEN;
      label = g_strdup (_("broken"));
      message = g_strdup (status->message);
      break;
    }
  set_state (self, kind, label, message);
}

static void
assessed (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  Assessment *assessment = g_task_get_task_data (G_TASK (result));
  RetortProfile *self = assessment->profile;

  /* superseded while it was worked out: a newer check owns the state */
  if (assessment->generation != self->generation || self->state != RETORT_PROFILE_STATE_CHECKING)
    return;
  apply_state (self, assessment);
}

static void
assess (RetortProfile      *self,
        RetortRevisionMap  *map,
        RetortVersionState *state,
        int                 priority)
{
  g_autoptr(GTask) task = g_task_new (NULL, NULL, assessed, NULL);
  Assessment *assessment = g_new0 (Assessment, 1);

  assessment->map = map != NULL ? g_object_ref (map) : NULL;
  assessment->state = state;
  assessment->generation = self->generation;
  assessment->profile = g_object_ref (self);
  g_task_set_task_data (task, assessment, (GDestroyNotify) assessment_free);
  g_task_set_priority (task, priority);
  g_task_run_in_thread (task, assess_worker);
}

static void
check_done (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  CheckData *data = user_data;
  RetortProfile *self = data->profile;
  g_autoptr(GError) error = NULL;
  RetortVersionState *state;

  state = retort_connection_read_state_finish (RETORT_CONNECTION (source), result, &error);
  g_atomic_int_dec_and_test (&checks_in_flight);
  if (data->generation != self->generation || self->state != RETORT_PROFILE_STATE_CHECKING)
    {
      /* timed out or superseded: nobody waits for this answer */
      g_clear_pointer (&state, retort_version_state_free);
      check_data_free (data);
      return;
    }
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  if (state == NULL)
    apply_failure (self, error);
  else
    assess (self, data->map, state, data->priority);
  check_data_free (data);
}

static gboolean
check_timed_out (gpointer user_data)
{
  RetortProfile *self = user_data;
  g_autofree char *message = NULL;

  self->timeout_id = 0;
  /* answered, but the answer waits behind a busy main loop (a slow machine
   * drawing frames back to back): not a dead server, look again soon */
  if (self->connection != NULL && retort_connection_get_unfinished (self->connection) == 0)
    {
      self->timeout_id = g_timeout_add (100, check_timed_out, self);
      return G_SOURCE_REMOVE;
    }
  /* the worker may stay stuck in connect(); the next check gets a new one */
  g_clear_object (&self->connection);
  forget_version_state (self);
  message = g_strdup_printf (_("No answer from %s in time"), retort_profile_get_display (self));
  set_state (self, RETORT_PROFILE_STATE_UNREACHABLE, _("unreachable"), message);
  return G_SOURCE_REMOVE;
}

static void
start_read (RetortProfile *self,
            int            priority)
{
  CheckData *data = g_new0 (CheckData, 1);

  data->profile = g_object_ref (self);
  data->map = self->check_map != NULL ? g_object_ref (self->check_map) : NULL;
  data->generation = self->generation;
  data->priority = priority;
  g_atomic_int_inc (&checks_in_flight);
  retort_connection_read_state_async (self->connection, self->check_schema, self->check_table,
                                      priority, NULL, check_done, data);
}

static gboolean
starve_watch (gpointer user_data)
{
  RetortProfile *self = user_data;

  if (self->state != RETORT_PROFILE_STATE_CHECKING || self->connection == NULL)
    {
      self->starve_id = 0;
      return G_SOURCE_REMOVE;
    }
  /* the worker is done (the answer, and soon its assessment, wait on this
   * context) yet nothing came through: ask again where frames cannot starve it */
  if (retort_connection_get_unfinished (self->connection) == 0)
    self->starved_ticks++;
  else
    self->starved_ticks = 0;
  if (self->starved_ticks < 2)
    return G_SOURCE_CONTINUE;
  self->starved_ticks = 0;
  self->generation++;
  start_read (self, G_PRIORITY_DEFAULT);
  return G_SOURCE_CONTINUE;
}

void
retort_profile_check (RetortProfile     *self,
                      RetortRevisionMap *map,
                      const char        *version_table_schema,
                      const char        *version_table,
                      guint              timeout_ms)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (RETORT_IS_PROFILE (self));
  g_return_if_fail (map == NULL || RETORT_IS_REVISION_MAP (map));

  self->generation++;
  g_clear_handle_id (&self->timeout_id, g_source_remove);

  if (self->connection == NULL || retort_connection_is_busy (self->connection))
    {
      g_autoptr(RetortDatabaseUrl) url = retort_profile_build_url (self, &error);

      if (url == NULL)
        {
          apply_failure (self, error);
          return;
        }
      /* libpq's own limit, so a silent host does not hold the worker forever */
      if (url->dialect == RETORT_DIALECT_POSTGRESQL &&
          retort_database_url_get (url, "connect_timeout") == NULL)
        {
          g_autofree char *seconds = g_strdup_printf ("%u", MAX (2u, timeout_ms / 1000));
          retort_database_url_set (url, "connect_timeout", seconds);
        }
      g_set_object (&self->connection, NULL);
      self->connection = retort_connection_new (url);
    }

  set_state (self, RETORT_PROFILE_STATE_CHECKING, _("checking…"), _("Reading the version table…"));

  g_set_object (&self->check_map, map);
  g_free (self->check_schema);
  self->check_schema = g_strdup (version_table_schema);
  g_free (self->check_table);
  self->check_table = g_strdup (version_table != NULL ? version_table : "alembic_version");
  /* background news: a window paints its frames first */
  start_read (self, G_PRIORITY_DEFAULT_IDLE);
  self->starved_ticks = 0;
  g_clear_handle_id (&self->starve_id, g_source_remove);
  self->starve_id = g_timeout_add (STARVE_TICK_MS, starve_watch, self);
  if (timeout_ms > 0)
    self->timeout_id = g_timeout_add (timeout_ms, check_timed_out, self);
}

void
retort_profile_entry_changed (RetortProfile *self)
{
  g_return_if_fail (RETORT_IS_PROFILE (self));

  g_clear_object (&self->connection);
  update_display (self);
  g_object_freeze_notify (G_OBJECT (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIER]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DISPLAY]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READ_ONLY]);
  g_object_thaw_notify (G_OBJECT (self));
}

void
retort_profile_detach (RetortProfile *self)
{
  g_return_if_fail (RETORT_IS_PROFILE (self));

  self->generation++;
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  g_clear_handle_id (&self->starve_id, g_source_remove);
  g_clear_object (&self->connection);
  wipe_password (self);
  self->entry = NULL;
}

/* At exit: libpq's TLS and SCRAM code must not be running on a worker when
 * OpenSSL's exit handlers tear it down, so quitting waits (a bounded time,
 * running the main context so finished reads are collected) until no read
 * is under way. TRUE if none is left. */
gboolean
retort_profile_wait_for_checks (guint timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  while (g_atomic_int_get (&checks_in_flight) > 0 && g_get_monotonic_time () < deadline)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (5000);
  return g_atomic_int_get (&checks_in_flight) == 0;
}
