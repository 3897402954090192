/* retort-demo.c — the demo workspace: migrations/ on throwaway SQLite databases
 *
 * The demo databases are made with Retort's own engine, so what the window
 * shows about them is what a real run would have left.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "retort-demo"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "retort-core.h"
#include "retort-demo.h"

typedef struct
{
  const char *name;
  RetortTier  tier;
  const char *target;   /* upgrade target; NULL: leave the database empty */
  gboolean    legacy;   /* drop the version table afterwards */
} DemoDatabase;

static const DemoDatabase demo_databases[] = {
  { "dev-local",  RETORT_TIER_DEVELOPMENT, "heads",        FALSE },
  { "staging",    RETORT_TIER_STAGING,     "7b4e2f8a3d95", FALSE },
  { "production", RETORT_TIER_PRODUCTION,  "3c9e1f5a2d34", FALSE },
  { "legacy-reports", RETORT_TIER_OTHER,   "2b7d4e8a9c01", TRUE },
};

static gboolean
make_database (RetortRevisionMap   *map,
               const char          *folder,
               const DemoDatabase  *demo,
               char               **url_out,
               GError             **error)
{
  g_autofree char *file = g_strconcat (demo->name, ".db", NULL);
  g_autofree char *path = g_build_filename (folder, file, NULL);
  g_autofree char *url_text = g_strconcat ("sqlite:///", path, NULL);
  g_autoptr(RetortDatabaseUrl) url = NULL;
  g_autoptr(RetortBackend) backend = NULL;
  g_autoptr(RetortRun) run = NULL;
  const char *targets[] = { demo->target, NULL };

  url = retort_database_url_parse (url_text, NULL, error);
  if (url == NULL)
    return FALSE;
  backend = retort_backend_new (url, error);
  if (backend == NULL || !retort_backend_open (backend, error))
    return FALSE;

  run = retort_run_new (map, RETORT_RUN_UPGRADE, targets);
  if (!retort_run_execute (run, backend, NULL, error))
    return FALSE;
  if (demo->legacy && !retort_backend_execute (backend, "DROP TABLE alembic_version", NULL, error))
    return FALSE;
  retort_backend_close (backend);

  *url_out = g_steal_pointer (&url_text);
  return TRUE;
}

static void
prepare_worker (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  const char *script_path = task_data;
  g_autofree char *ini = g_build_filename (script_path, "alembic.ini", NULL);
  g_autofree char *folder = NULL;
  g_autofree char *config_path = NULL;
  g_autoptr(RetortScriptDir) script_dir = NULL;
  g_autoptr(RetortConfig) config = NULL;
  RetortProjectEntry *project;
  GError *error = NULL;

  folder = g_dir_make_tmp ("retort-demo-XXXXXX", &error);
  if (folder == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  script_dir = retort_script_dir_new_from_ini (ini, NULL, &error);
  if (script_dir == NULL || !retort_script_dir_load (script_dir, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  config_path = g_build_filename (folder, "retort.conf", NULL);
  config = retort_config_new (config_path);
  project = retort_config_add_project (config, "inventory", script_path);

  for (guint i = 0; i < G_N_ELEMENTS (demo_databases); i++)
    {
      g_autofree char *url = NULL;
      RetortProfileEntry *profile;

      if (!make_database (retort_script_dir_get_map (script_dir), folder, &demo_databases[i], &url, &error))
        {
          g_prefix_error (&error, _("Could not make the demo database %s: "), demo_databases[i].name);
          g_task_return_error (task, error);
          return;
        }
      profile = retort_config_add_profile (config, project->id, demo_databases[i].name, url, &error);
      if (profile == NULL)
        {
          g_task_return_error (task, error);
          return;
        }
      profile->tier = demo_databases[i].tier;
    }

  if (!retort_config_save (config, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, g_steal_pointer (&config_path), g_free);
}

void
retort_demo_prepare_async (const char          *script_dir,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, retort_demo_prepare_async);
  g_task_set_task_data (task, g_strdup (script_dir), g_free);
  g_task_run_in_thread (task, prepare_worker);
}

char *
retort_demo_prepare_finish (GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
retort_demo_remove (const char *config_path)
{
  g_autofree char *folder = NULL;
  g_autoptr(GDir) dir = NULL;
  const char *name;

  g_return_if_fail (config_path != NULL);

  folder = g_path_get_dirname (config_path);
  dir = g_dir_open (folder, 0, NULL);
  if (dir == NULL)
    return;
  /* only what prepare made: a flat folder of files */
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (folder, name, NULL);
      g_unlink (path);
    }
  g_rmdir (folder);
}
