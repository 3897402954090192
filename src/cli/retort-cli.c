/* retort-cli.c — Retort's command line, over the same core as the app
 *
 * Global options come before the command and the command's own after it,
 * as with alembic, so `retort-cli -c alembic.ini history -v` reads the same.
 * The output of heads, branches, history and show is Alembic's, byte for byte.
 */
#define G_LOG_DOMAIN "retort-cli"

#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "retort-core.h"

#define EXIT_USAGE 2
#define EXIT_FAILED 255  /* alembic exits with -1 on a CommandError */

typedef struct {
  const char *config;
  const char *directory;
  const char *name;
} GlobalOptions;

static void
print_usage (FILE *stream)
{
  fprintf (stream,
           "Usage: retort-cli [-c alembic.ini | -d SCRIPT_DIR] [-n SECTION] COMMAND [ARGS]\n"
           "\n"
           "Commands:\n"
           "  heads [-v] [--resolve-dependencies]   show the current heads\n"
           "  branches [-v]                         show branch points\n"
           "  history [-r START:END] [-v]           list revisions, newest first\n"
           "  show REV                              show one or more revisions\n"
           "  check [--allow-multiple-heads]        validate the script directory\n"
           "\n"
           "Options:\n"
           "  -c, --config FILE      alembic.ini to read (default: ./alembic.ini or $ALEMBIC_CONFIG)\n"
           "  -d, --directory DIR    a script directory, without an ini file\n"
           "  -n, --name SECTION     the ini section to read (default: alembic)\n"
           "  --version              print the version\n");
}

static int
fail (const char *message)
{
  fprintf (stderr, "FAILED: %s\n", message);
  return EXIT_FAILED;
}

static RetortScriptDir *
open_script_dir (const GlobalOptions  *options,
                 GError              **error)
{
  const char *config = options->config;

  if (options->directory != NULL)
    return retort_script_dir_new_from_directory (options->directory, error);
  if (config == NULL)
    config = g_getenv ("ALEMBIC_CONFIG");
  if (config == NULL)
    config = "alembic.ini";
  if (!g_file_test (config, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, RETORT_SCRIPT_DIR_ERROR, RETORT_SCRIPT_DIR_ERROR_CONFIG,
                   "No config file '%s' found; give one with -c FILE or a script directory "
                   "with -d DIR", config);
      return NULL;
    }
  return retort_script_dir_new_from_ini (config, options->name, error);
}

static RetortScriptDir *
load_script_dir (const GlobalOptions  *options,
                 GError              **error)
{
  g_autoptr(RetortScriptDir) script_dir = open_script_dir (options, error);

  if (script_dir == NULL || !retort_script_dir_load (script_dir, error))
    return NULL;
  return g_steal_pointer (&script_dir);
}

static gboolean
is_flag (const char *arg,
         const char *short_name,
         const char *long_name)
{
  return (short_name != NULL && strcmp (arg, short_name) == 0) ||
         (long_name != NULL && strcmp (arg, long_name) == 0);
}

static int
unknown_argument (const char *command,
                  const char *arg)
{
  fprintf (stderr, "retort-cli %s: unrecognized argument '%s'\n", command, arg);
  return EXIT_USAGE;
}

static int
print_or_fail (char          *text,
               const GError  *error)
{
  if (text == NULL)
    return fail (error != NULL ? error->message : "unknown error");
  fputs (text, stdout);
  g_free (text);
  return 0;
}

static int
cmd_heads (const GlobalOptions *options,
           int                  argc,
           char               **argv)
{
  gboolean verbose = FALSE, resolve = FALSE;
  g_autoptr(RetortScriptDir) script_dir = NULL;
  g_autoptr(GError) error = NULL;

  for (int i = 0; i < argc; i++)
    {
      if (is_flag (argv[i], "-v", "--verbose"))
        verbose = TRUE;
      else if (is_flag (argv[i], NULL, "--resolve-dependencies"))
        resolve = TRUE;
      else
        return unknown_argument ("heads", argv[i]);
    }
  if ((script_dir = load_script_dir (options, &error)) == NULL)
    return fail (error->message);
  return print_or_fail (retort_format_heads (retort_script_dir_get_map (script_dir), verbose, resolve), NULL);
}

static int
cmd_branches (const GlobalOptions *options,
              int                  argc,
              char               **argv)
{
  gboolean verbose = FALSE;
  g_autoptr(RetortScriptDir) script_dir = NULL;
  char *text;
  g_autoptr(GError) error = NULL;

  for (int i = 0; i < argc; i++)
    {
      if (is_flag (argv[i], "-v", "--verbose"))
        verbose = TRUE;
      else
        return unknown_argument ("branches", argv[i]);
    }
  if ((script_dir = load_script_dir (options, &error)) == NULL)
    return fail (error->message);
  text = retort_format_branches (retort_script_dir_get_map (script_dir), verbose, &error);
  return print_or_fail (text, error);
}

static int
cmd_history (const GlobalOptions *options,
             int                  argc,
             char               **argv)
{
  gboolean verbose = FALSE;
  const char *range = NULL;
  g_autoptr(RetortScriptDir) script_dir = NULL;
  char *text;
  g_autoptr(GError) error = NULL;

  for (int i = 0; i < argc; i++)
    {
      if (is_flag (argv[i], "-v", "--verbose"))
        verbose = TRUE;
      else if (is_flag (argv[i], "-r", "--rev-range") && i + 1 < argc)
        range = argv[++i];
      else if (g_str_has_prefix (argv[i], "-r="))
        range = argv[i] + 3;
      else if (g_str_has_prefix (argv[i], "--rev-range="))
        range = argv[i] + strlen ("--rev-range=");
      else if (is_flag (argv[i], "-i", "--indicate-current"))
        return fail ("history -i needs a database; it comes with the engine's 'current'");
      else
        return unknown_argument ("history", argv[i]);
    }
  if (range != NULL && (strstr (range, "current") != NULL))
    return fail ("a 'current' history range needs a database connection");
  if ((script_dir = load_script_dir (options, &error)) == NULL)
    return fail (error->message);
  text = retort_format_history (retort_script_dir_get_map (script_dir), range, verbose, NULL, &error);
  return print_or_fail (text, error);
}

static int
cmd_show (const GlobalOptions *options,
          int                  argc,
          char               **argv)
{
  g_autoptr(RetortScriptDir) script_dir = NULL;
  char *text;
  g_autoptr(GError) error = NULL;

  if (argc != 1)
    {
      fprintf (stderr, "Usage: retort-cli show REV\n");
      return EXIT_USAGE;
    }
  if (strcmp (argv[0], "current") == 0)
    return fail ("show current needs a database connection");
  if ((script_dir = load_script_dir (options, &error)) == NULL)
    return fail (error->message);
  text = retort_format_show (retort_script_dir_get_map (script_dir), argv[0], &error);
  return print_or_fail (text, error);
}

static int
cmd_check (const GlobalOptions *options,
           int                  argc,
           char               **argv)
{
  gboolean allow_multiple_heads = FALSE;
  g_autoptr(RetortScriptDir) script_dir = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *problems;
  RetortRevisionMap *map;
  g_autoptr(GPtrArray) heads = NULL;

  for (int i = 0; i < argc; i++)
    {
      if (is_flag (argv[i], NULL, "--allow-multiple-heads"))
        allow_multiple_heads = TRUE;
      else
        return unknown_argument ("check", argv[i]);
    }
  if ((script_dir = open_script_dir (options, &error)) == NULL)
    return fail (error->message);
  if (!retort_script_dir_load (script_dir, &error))
    {
      problems = retort_script_dir_get_problems (script_dir);
      if (problems->len == 0)
        return fail (error->message);
      for (guint i = 0; i < problems->len; i++)
        printf ("%s\n", ((GError *) g_ptr_array_index (problems, i))->message);
      printf ("%s: %u problem%s in %u revision files\n", retort_script_dir_get_path (script_dir),
              problems->len, problems->len == 1 ? "" : "s", retort_script_dir_get_n_files (script_dir));
      return 1;
    }

  map = retort_script_dir_get_map (script_dir);
  heads = retort_revision_map_get_heads (map);
  {
    g_autoptr(GPtrArray) warnings = retort_script_dir_dup_warnings (script_dir);
    for (guint i = 0; i < warnings->len; i++)
      printf ("warning: %s\n", (const char *) g_ptr_array_index (warnings, i));
  }
  printf ("%s: %u revisions, %u head%s\n", retort_script_dir_get_path (script_dir),
          retort_revision_map_get_n_revisions (map), heads->len, heads->len == 1 ? "" : "s");
  for (guint i = 0; i < heads->len; i++)
    {
      g_autofree char *line = retort_format_head_only (map, g_ptr_array_index (heads, i),
                                                       RETORT_FORMAT_BRANCHES | RETORT_FORMAT_HEAD |
                                                       RETORT_FORMAT_DOC);
      printf ("  %s\n", line);
    }
  if (heads->len > 1 && !allow_multiple_heads)
    {
      printf ("Multiple heads: 'upgrade head' will fail until they are merged "
              "(or pass --allow-multiple-heads if the branches are meant to stay apart)\n");
      return 1;
    }
  return 0;
}

int
main (int    argc,
      char **argv)
{
  GlobalOptions options = { 0 };
  int i;

  setlocale (LC_ALL, "");

  for (i = 1; i < argc; i++)
    {
      const char *arg = argv[i];
      if (is_flag (arg, "-h", "--help"))
        {
          print_usage (stdout);
          return 0;
        }
      if (is_flag (arg, NULL, "--version"))
        {
          printf ("retort-cli %s\n", PACKAGE_VERSION);
          return 0;
        }
      if (is_flag (arg, "-c", "--config") && i + 1 < argc)
        options.config = argv[++i];
      else if (is_flag (arg, "-d", "--directory") && i + 1 < argc)
        options.directory = argv[++i];
      else if (is_flag (arg, "-n", "--name") && i + 1 < argc)
        options.name = argv[++i];
      else if (arg[0] == '-')
        {
          fprintf (stderr, "retort-cli: unrecognized option '%s'\n", arg);
          print_usage (stderr);
          return EXIT_USAGE;
        }
      else
        break;
    }
  if (i >= argc)
    {
      print_usage (stderr);
      return EXIT_USAGE;
    }

  {
    const char *command = argv[i];
    int rest_argc = argc - i - 1;
    char **rest_argv = argv + i + 1;

    if (strcmp (command, "heads") == 0)
      return cmd_heads (&options, rest_argc, rest_argv);
    if (strcmp (command, "branches") == 0)
      return cmd_branches (&options, rest_argc, rest_argv);
    if (strcmp (command, "history") == 0)
      return cmd_history (&options, rest_argc, rest_argv);
    if (strcmp (command, "show") == 0)
      return cmd_show (&options, rest_argc, rest_argv);
    if (strcmp (command, "check") == 0)
      return cmd_check (&options, rest_argc, rest_argv);
    fprintf (stderr, "retort-cli: unknown command '%s'\n", command);
    print_usage (stderr);
    return EXIT_USAGE;
  }
}
