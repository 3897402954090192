/* test-config.c — projects and profiles on disk: round trips, atomic and
 * private writes, no passwords, and hand-edited files that do not load */
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "retort-core.h"

static char *tmpdir;

static char *
config_path (const char *name)
{
  return g_build_filename (tmpdir, name, "retort.conf", NULL);
}

static void
test_round_trip (void)
{
  g_autofree char *path = config_path ("round");
  g_autoptr(RetortConfig) config = retort_config_new (path);
  g_autoptr(RetortConfig) again = retort_config_new (path);
  g_autoptr(GError) error = NULL;
  RetortProjectEntry *project;
  RetortProfileEntry *staging, *prod, *read;
  struct stat st;

  g_assert_true (retort_config_load (config, &error));  /* no file yet: empty */
  g_assert_cmpuint (retort_config_get_projects (config)->len, ==, 0);
  project = retort_config_add_project (config, "Inventory Service", "/srv/inventory/alembic.ini");
  g_assert_cmpstr (project->id, ==, "inventory-service");
  staging = retort_config_add_profile (config, project->id, "staging eu", "postgresql://app@staging/inv", &error);
  g_assert_no_error (error);
  staging->tier = RETORT_TIER_STAGING;
  staging->colour = g_strdup ("#e5a50a");
  prod = retort_config_add_profile (config, project->id, "staging eu", "service=prod", &error);
  prod->tier = RETORT_TIER_PRODUCTION;
  prod->read_only = TRUE;
  prod->transaction = RETORT_TRANSACTION_PER_REVISION;
  prod->backup = RETORT_BACKUP_NEVER;
  g_assert_cmpstr (prod->id, ==, "staging-eu-2");  /* ids stay unique */
  g_assert_true (retort_config_save (config, &error));
  g_assert_no_error (error);

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  g_assert_true (retort_config_load (again, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (retort_config_get_projects (again)->len, ==, 1);
  g_assert_cmpuint (retort_config_get_profiles (again)->len, ==, 2);
  read = g_ptr_array_index (retort_config_get_profiles (again), 1);
  g_assert_cmpstr (read->name, ==, "staging eu");
  g_assert_cmpstr (read->url, ==, "service=prod");
  g_assert_cmpint (read->tier, ==, RETORT_TIER_PRODUCTION);
  g_assert_true (read->read_only);
  g_assert_cmpint (read->transaction, ==, RETORT_TRANSACTION_PER_REVISION);
  g_assert_cmpint (read->backup, ==, RETORT_BACKUP_NEVER);
  read = g_ptr_array_index (retort_config_get_profiles (again), 0);
  g_assert_cmpstr (read->colour, ==, "#e5a50a");
  g_assert_cmpstr (retort_tier_to_string (read->tier), ==, "staging");

  /* removing a project removes its profiles */
  g_assert_true (retort_config_remove (again, "inventory-service"));
  g_assert_cmpuint (retort_config_get_profiles (again)->len, ==, 0);
}

static void
test_no_passwords (void)
{
  g_autofree char *path = config_path ("secrets");
  g_autoptr(RetortConfig) config = retort_config_new (path);
  g_autoptr(GError) error = NULL;
  RetortProjectEntry *project = retort_config_add_project (config, "p", "/p");
  RetortProfileEntry *profile;

  g_assert_null (retort_config_add_profile (config, project->id, "x", "postgresql://app:hunter2@db/x", &error));
  g_assert_error (error, RETORT_CONFIG_ERROR, RETORT_CONFIG_ERROR_PASSWORD);
  g_assert_null (strstr (error->message, "hunter2"));
  g_clear_error (&error);
  g_assert_null (retort_config_add_profile (config, project->id, "y", "host=db password=hunter2", &error));
  g_assert_error (error, RETORT_CONFIG_ERROR, RETORT_CONFIG_ERROR_PASSWORD);
  g_clear_error (&error);
  profile = retort_config_add_profile (config, project->id, "z", "postgresql://app@db/x", &error);
  g_assert_false (retort_config_set_profile_url (config, profile, "postgresql://app:pw@db/x", &error));
  g_assert_cmpstr (profile->url, ==, "postgresql://app@db/x");
  g_assert_false (retort_url_has_password ("postgresql://app@db:5432/x?sslmode=require"));
  g_assert_true (retort_url_has_password ("postgresql+psycopg2://a:b@h/d"));
}

static void
assert_broken_file_kept (const char *name,
                         const char *contents,
                         int         code)
{
  g_autofree char *path = config_path (name);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(RetortConfig) config = retort_config_new (path);
  g_autoptr(GError) error = NULL;
  g_autofree char *after = NULL;

  g_mkdir_with_parents (dir, 0700);
  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
  g_assert_false (retort_config_load (config, &error));
  g_assert_error (error, RETORT_CONFIG_ERROR, code);
  g_assert_nonnull (strstr (error->message, "left as it is"));
  g_clear_error (&error);
  /* adding and saving must not clobber the hand edit */
  retort_config_add_project (config, "new", "/new");
  g_assert_false (retort_config_save (config, &error));
  g_assert_error (error, RETORT_CONFIG_ERROR, RETORT_CONFIG_ERROR_READ_ONLY);
  g_file_get_contents (path, &after, NULL, NULL);
  g_assert_cmpstr (after, ==, contents);
}

static void
test_broken_files (void)
{
  assert_broken_file_kept ("syntax", "[project:a\npath=/x\n", RETORT_CONFIG_ERROR_PARSE);
  assert_broken_file_kept ("tier", "[project:a]\npath=/x\n\n[profile:b]\nproject=a\nurl=sqlite://\ntier=prod\n",
                           RETORT_CONFIG_ERROR_INVALID);
  assert_broken_file_kept ("orphan", "[profile:b]\nproject=gone\nurl=sqlite://\n", RETORT_CONFIG_ERROR_INVALID);
  assert_broken_file_kept ("nopath", "[project:a]\nname=A\n", RETORT_CONFIG_ERROR_INVALID);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  tmpdir = g_dir_make_tmp ("retort-config-XXXXXX", &error);
  g_assert_no_error (error);
  g_test_add_func ("/config/round-trip", test_round_trip);
  g_test_add_func ("/config/no-passwords", test_no_passwords);
  g_test_add_func ("/config/broken-files", test_broken_files);
  status = g_test_run ();
  {
    g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", tmpdir);
    if (system (cmd) != 0)
      g_printerr ("could not remove %s\n", tmpdir);
  }
  g_free (tmpdir);
  return status;
}
