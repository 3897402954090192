/* retort-project.c — a script directory opened in the app, loaded off the main thread
 *
 * A project is a location the user gave us: an alembic.ini file, a folder
 * holding one, or a script folder with a versions/ subfolder. Reading the
 * ini and every revision file touches the disk, so all of it happens in a
 * worker thread; the main thread only takes over the finished results.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "retort-project"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "retort-profile.h"
#include "retort-project.h"

struct _RetortProject
{
  GObject            parent_instance;

  GFile             *location;
  char              *title;
  char              *folder;
  gboolean           loaded;
  RetortScriptDir   *script_dir;
  RetortRevisionMap *map;
  GListStore        *revisions;
  GPtrArray         *timeline;   /* RetortTimelineRow, parallel to revisions */
  GPtrArray         *old_timeline; /* rows still bound to it rebind after the splice */
  GHashTable        *positions;  /* RetortRevision* → position + 1 */
  gboolean           loading;
  guint              max_lanes;
  GPtrArray         *problems;

  char              *id;         /* its entry in retort.conf; NULL if not kept there */
  gboolean           named;      /* the title is the user's, not the folder's */
  GListStore        *profiles;   /* RetortProfile */
  guint              profiles_changed_id;  /* a queued emission */
};

G_DEFINE_FINAL_TYPE (RetortProject, retort_project, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_LOCATION,
  PROP_TITLE,
  PROP_LOADED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_PROFILES_CHANGED,
  SIGNAL_REVISIONS_REPLACING,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct
{
  char            *path;
  char            *folder;
  RetortScriptDir *script_dir;
  GPtrArray       *timeline;
  GPtrArray       *problems;
} LoadData;

static void
load_data_free (LoadData *data)
{
  g_free (data->path);
  g_free (data->folder);
  g_clear_object (&data->script_dir);
  g_clear_pointer (&data->timeline, g_ptr_array_unref);
  g_clear_pointer (&data->problems, g_ptr_array_unref);
  g_free (data);
}

static char *
title_for_path (const char *path)
{
  g_autofree char *title = g_path_get_basename (path);

  /* "/" has no useful name; show the path itself */
  if (g_strcmp0 (title, G_DIR_SEPARATOR_S) == 0 || g_strcmp0 (title, ".") == 0)
    return g_strdup (path);
  return g_steal_pointer (&title);
}

/* Runs in the worker: decide what kind of location this is, and which
 * folder names the project. */
static RetortScriptDir *
open_script_dir (const char  *path,
                 char       **folder,
                 GError     **error)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_autofree char *ini = g_build_filename (path, "alembic.ini", NULL);
      g_autofree char *versions = g_build_filename (path, "versions", NULL);

      *folder = g_strdup (path);
      if (g_file_test (ini, G_FILE_TEST_IS_REGULAR))
        return retort_script_dir_new_from_ini (ini, NULL, error);
      if (!g_file_test (versions, G_FILE_TEST_IS_DIR))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                       _("%s holds neither an alembic.ini file nor a versions folder"), path);
          return NULL;
        }
      return retort_script_dir_new_from_directory (path, error);
    }

  if (g_file_test (path, G_FILE_TEST_EXISTS))
    {
      *folder = g_path_get_dirname (path);
      return retort_script_dir_new_from_ini (path, NULL, error);
    }

  *folder = g_strdup (path);
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, _("%s does not exist"), path);
  return NULL;
}

static void
load_worker (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  LoadData *data = task_data;
  g_autoptr(RetortScriptDir) script_dir = NULL;
  GError *error = NULL;
  GPtrArray *problems;

  script_dir = open_script_dir (data->path, &data->folder, &error);
  if (script_dir == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  if (!retort_script_dir_load (script_dir, &error))
    {
      problems = retort_script_dir_get_problems (script_dir);
      data->problems = g_ptr_array_new_full (problems->len, (GDestroyNotify) g_error_free);
      for (guint i = 0; i < problems->len; i++)
        g_ptr_array_add (data->problems, g_error_copy (g_ptr_array_index (problems, i)));
      g_task_return_error (task, error);
      return;
    }

  /* Newest first, each row with its lane and the lines crossing it. */
  data->timeline = retort_timeline_compute (retort_script_dir_get_map (script_dir), &error);
  if (data->timeline == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  data->script_dir = g_steal_pointer (&script_dir);
  g_task_return_boolean (task, TRUE);
}

static void
retort_project_dispose (GObject *object)
{
  RetortProject *self = RETORT_PROJECT (object);

  g_clear_object (&self->map);
  g_clear_object (&self->script_dir);
  g_clear_handle_id (&self->profiles_changed_id, g_source_remove);
  if (self->profiles != NULL)
    g_list_store_remove_all (self->profiles);

  G_OBJECT_CLASS (retort_project_parent_class)->dispose (object);
}

static void
retort_project_finalize (GObject *object)
{
  RetortProject *self = RETORT_PROJECT (object);

  g_clear_object (&self->location);
  g_clear_object (&self->revisions);
  g_clear_pointer (&self->title, g_free);
  g_clear_pointer (&self->folder, g_free);
  g_clear_pointer (&self->problems, g_ptr_array_unref);
  g_clear_pointer (&self->timeline, g_ptr_array_unref);
  g_clear_pointer (&self->old_timeline, g_ptr_array_unref);
  g_clear_pointer (&self->positions, g_hash_table_unref);
  g_clear_object (&self->profiles);
  g_clear_pointer (&self->id, g_free);

  G_OBJECT_CLASS (retort_project_parent_class)->finalize (object);
}

static void
retort_project_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  RetortProject *self = RETORT_PROJECT (object);

  switch (prop_id)
    {
    case PROP_LOCATION:
      g_value_set_object (value, self->location);
      break;

    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;

    case PROP_LOADED:
      g_value_set_boolean (value, self->loaded);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
retort_project_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  RetortProject *self = RETORT_PROJECT (object);

  switch (prop_id)
    {
    case PROP_LOCATION:
      self->location = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
retort_project_constructed (GObject *object)
{
  RetortProject *self = RETORT_PROJECT (object);

  G_OBJECT_CLASS (retort_project_parent_class)->constructed (object);

  g_assert (G_IS_FILE (self->location));
  /* Until the worker knows better, name the project after what was opened. */
  self->title = g_file_get_basename (self->location);
}

static void
retort_project_class_init (RetortProjectClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = retort_project_constructed;
  object_class->dispose = retort_project_dispose;
  object_class->finalize = retort_project_finalize;
  object_class->get_property = retort_project_get_property;
  object_class->set_property = retort_project_set_property;

  properties[PROP_LOCATION] =
    g_param_spec_object ("location", NULL, NULL,
                         G_TYPE_FILE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL,
                         NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_LOADED] =
    g_param_spec_boolean ("loaded", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* emitted just before every revision is replaced (a load): a list showing
   * them can shrink what it shows first, so the change stays cheap */
  signals[SIGNAL_REVISIONS_REPLACING] =
    g_signal_new ("revisions-replacing",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  /* a profile's version table or status changed: pins and shading are stale */
  signals[SIGNAL_PROFILES_CHANGED] =
    g_signal_new ("profiles-changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
retort_project_init (RetortProject *self)
{
  self->revisions = g_list_store_new (RETORT_TYPE_REVISION);
  self->timeline = g_ptr_array_new ();
  self->positions = g_hash_table_new (g_direct_hash, g_direct_equal);
  self->profiles = g_list_store_new (RETORT_TYPE_PROFILE);
  self->problems = g_ptr_array_new_with_free_func ((GDestroyNotify) g_error_free);
}

RetortProject *
retort_project_new (GFile *location)
{
  g_return_val_if_fail (G_IS_FILE (location), NULL);

  return g_object_new (RETORT_TYPE_PROJECT,
                       "location", location,
                       NULL);
}

void
retort_project_load_async (RetortProject       *self,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  LoadData *data;

  g_return_if_fail (RETORT_IS_PROJECT (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, retort_project_load_async);
  /* the result rebuilds lists: below GTK's frame priorities, so a window paints first */
  g_task_set_priority (task, G_PRIORITY_DEFAULT_IDLE);

  if (!g_file_is_native (self->location))
    {
      g_autofree char *uri = g_file_get_uri (self->location);

      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                               _("%s is not a local folder; only local projects can be opened"),
                               uri);
      return;
    }

  self->loading = TRUE;
  data = g_new0 (LoadData, 1);
  data->path = g_file_get_path (self->location);
  g_task_set_task_data (task, data, (GDestroyNotify) load_data_free);
  g_task_run_in_thread (task, load_worker);
}

gboolean
retort_project_load_finish (RetortProject  *self,
                            GAsyncResult   *result,
                            GError        **error)
{
  LoadData *data;

  g_return_val_if_fail (RETORT_IS_PROJECT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == retort_project_load_async,
                        FALSE);

  data = g_task_get_task_data (G_TASK (result));
  self->loading = FALSE;

  /* The worker is done with the data: take over what it found, even on failure. */
  if (data != NULL && data->folder != NULL)
    {
      g_autofree char *title = title_for_path (data->folder);

      g_free (self->folder);
      self->folder = g_steal_pointer (&data->folder);
      if (!self->named && g_strcmp0 (title, self->title) != 0)
        {
          g_free (self->title);
          self->title = g_steal_pointer (&title);
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
        }
    }
  if (data != NULL && data->problems != NULL)
    {
      g_ptr_array_unref (self->problems);
      self->problems = g_steal_pointer (&data->problems);
    }

  if (!g_task_propagate_boolean (G_TASK (result), error))
    {
      /* notified even when it was already FALSE: the load is over */
      if (error == NULL || *error == NULL ||
          !g_error_matches (*error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          self->loaded = FALSE;
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADED]);
        }
      return FALSE;
    }

  g_set_object (&self->script_dir, data->script_dir);
  g_set_object (&self->map, retort_script_dir_get_map (data->script_dir));
  g_clear_pointer (&self->old_timeline, g_ptr_array_unref);
  self->old_timeline = self->timeline;
  self->timeline = g_steal_pointer (&data->timeline);
  self->max_lanes = 0;
  g_hash_table_remove_all (self->positions);
  {
    g_autoptr(GPtrArray) revisions = g_ptr_array_sized_new (self->timeline->len);

    for (guint i = 0; i < self->timeline->len; i++)
      {
        RetortTimelineRow *row = g_ptr_array_index (self->timeline, i);
        g_ptr_array_add (revisions, row->revision);
        g_hash_table_insert (self->positions, row->revision, GUINT_TO_POINTER (i + 1));
        self->max_lanes = MAX (self->max_lanes, row->width);
      }
    g_signal_emit (self, signals[SIGNAL_REVISIONS_REPLACING], 0);
    /* One splice, one items-changed: cheap even for thousands of revisions. */
    g_list_store_splice (self->revisions,
                         0, g_list_model_get_n_items (G_LIST_MODEL (self->revisions)),
                         revisions->pdata, revisions->len);
  }

  self->loaded = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADED]);
  return TRUE;
}

GFile *
retort_project_get_location (RetortProject *self)
{
  g_return_val_if_fail (RETORT_IS_PROJECT (self), NULL);
  return self->location;
}

/* The folder name: of the one holding alembic.ini, or of the script folder. */
const char *
retort_project_get_title (RetortProject *self)
{
  g_return_val_if_fail (RETORT_IS_PROJECT (self), NULL);
  return self->title;
}

/* The folder the title names; known once loading finished, even on failure. */
const char *
retort_project_get_folder (RetortProject *self)
{
  g_return_val_if_fail (RETORT_IS_PROJECT (self), NULL);
  return self->folder;
}

gboolean
retort_project_get_loaded (RetortProject *self)
{
  g_return_val_if_fail (RETORT_IS_PROJECT (self), FALSE);
  return self->loaded;
}

RetortScriptDir *
retort_project_get_script_dir (RetortProject *self)
{
  g_return_val_if_fail (RETORT_IS_PROJECT (self), NULL);
  return self->script_dir;
}

RetortRevisionMap *
retort_project_get_map (RetortProject *self)
{
  g_return_val_if_fail (RETORT_IS_PROJECT (self), NULL);
  return self->map;
}

/* RetortRevision items, newest first; empty until loaded. */
GListModel *
retort_project_get_revisions (RetortProject *self)
{
  g_return_val_if_fail (RETORT_IS_PROJECT (self), NULL);
  return G_LIST_MODEL (self->revisions);
}

/* The revision files that failed to load (GError), after a failed load. */
GPtrArray *
retort_project_get_problems (RetortProject *self)
{
  g_return_val_if_fail (RETORT_IS_PROJECT (self), NULL);
  return self->problems;
}

/* Generated ids are 12 hex digits; 8 are plenty to tell them apart on screen.
 * Hand-written ids (alembic revision --rev-id) are shown whole. */
char *
retort_project_short_id (const char *id)
{
  gsize len;

  g_return_val_if_fail (id != NULL, NULL);

  len = strlen (id);
  if (len <= 8)
    return g_strdup (id);
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isxdigit (id[i]))
      return g_strdup (id);
  return g_strndup (id, 8);
}

/* The timeline row of the revision at position in get_revisions(). */
const RetortTimelineRow *
retort_project_get_timeline_row (RetortProject *self,
                                 guint          position)
{
  g_return_val_if_fail (RETORT_IS_PROJECT (self), NULL);
  if (position >= self->timeline->len)
    return NULL;
  return g_ptr_array_index (self->timeline, position);
}

/* The widest row: graph cells share one width so the columns line up. */
guint
retort_project_get_max_lanes (RetortProject *self)
{
  g_return_val_if_fail (RETORT_IS_PROJECT (self), 0);
  return self->max_lanes;
}

const char *
retort_project_get_id (RetortProject *self)
{
  g_return_val_if_fail (RETORT_IS_PROJECT (self), NULL);
  return self->id;
}

void
retort_project_set_id (RetortProject *self,
                       const char    *id)
{
  g_return_if_fail (RETORT_IS_PROJECT (self));
  g_free (self->id);
  self->id = g_strdup (id);
}

/* RetortProfile items: the databases this project is applied to. */
GListModel *
retort_project_get_profiles (RetortProject *self)
{
  g_return_val_if_fail (RETORT_IS_PROJECT (self), NULL);
  return G_LIST_MODEL (self->profiles);
}

GListStore *
retort_project_get_profile_store (RetortProject *self)
{
  g_return_val_if_fail (RETORT_IS_PROJECT (self), NULL);
  return self->profiles;
}

void
retort_project_profiles_changed (RetortProject *self)
{
  g_return_if_fail (RETORT_IS_PROJECT (self));
  g_clear_handle_id (&self->profiles_changed_id, g_source_remove);
  g_signal_emit (self, signals[SIGNAL_PROFILES_CHANGED], 0);
}

static gboolean
emit_profiles_changed (gpointer user_data)
{
  RetortProject *self = user_data;

  self->profiles_changed_id = 0;
  g_signal_emit (self, signals[SIGNAL_PROFILES_CHANGED], 0);
  return G_SOURCE_REMOVE;
}

/* Twenty databases answer within a few frames of each other; every bound
 * row and both views redo their pins on each emission, so the answers of
 * the same moment are told once. */
#define PROFILES_CHANGED_DELAY_MS 40

void
retort_project_queue_profiles_changed (RetortProject *self)
{
  g_return_if_fail (RETORT_IS_PROJECT (self));
  if (self->profiles_changed_id == 0)
    self->profiles_changed_id = g_timeout_add_full (G_PRIORITY_DEFAULT_IDLE, PROFILES_CHANGED_DELAY_MS,
                                                    emit_profiles_changed, self, NULL);
}

/* position of revision in get_revisions(), or -1 */
int
retort_project_get_position (RetortProject  *self,
                             RetortRevision *revision)
{
  g_return_val_if_fail (RETORT_IS_PROJECT (self), -1);
  return GPOINTER_TO_INT (g_hash_table_lookup (self->positions, revision)) - 1;
}

/* a load is under way (the first, or a reload of a loaded project) */
gboolean
retort_project_get_loading (RetortProject *self)
{
  g_return_val_if_fail (RETORT_IS_PROJECT (self), FALSE);
  return self->loading;
}

/* The name the user gave the project; the folder's name is not used then. */
void
retort_project_set_name (RetortProject *self,
                         const char    *name)
{
  g_return_if_fail (RETORT_IS_PROJECT (self));
  if (name == NULL || *name == '\0')
    return;
  self->named = TRUE;
  g_free (self->title);
  self->title = g_strdup (name);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
}
