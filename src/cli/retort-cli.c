/* retort-cli.c — Retort's command line, over the same core as the app
 *
 * Global options come before the command and the command's own after it,
 * as with alembic, so `retort-cli -c alembic.ini history -v` reads the same.
 * The output of heads, branches, history and show is Alembic's, byte for byte.
 */
#define G_LOG_DOMAIN "retort-cli"

#include "config.h"

#include <glib-unix.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "retort-core.h"

#define EXIT_USAGE 2
#define EXIT_FAILED 255  /* alembic exits with -1 on a CommandError */

typedef struct {
  const char *config;
  const char *directory;
  const char *name;
  const char *url;
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
           "  current [-v]                          the database's current revisions\n"
           "  upgrade TARGET [--sql] [RUN OPTIONS]  upgrade the database (--sql: print the SQL)\n"
           "  downgrade TARGET [--sql] [RUN OPTIONS]\n"
           "  stamp REV... [--purge] [--sql]        set alembic_version without running revisions\n"
           "\n"
           "Run options: -v (log every statement), --transaction auto|run|revision,\n"
           "  --lock-wait MS, --lock-timeout MS, --statement-timeout MS\n"
           "\n"
           "Options:\n"
           "  -c, --config FILE      alembic.ini to read (default: ./alembic.ini or $ALEMBIC_CONFIG)\n"
           "  -d, --directory DIR    a script directory, without an ini file\n"
           "  -n, --name SECTION     the ini section to read (default: alembic)\n"
           "  -u, --url URL          the database (default: sqlalchemy.url of the ini); a\n"
           "                         SQLAlchemy URL or a libpq connection string\n"
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

#if defined(__SANITIZE_ADDRESS__)
# define FREE_AT_EXIT 1
#elif defined(__has_feature)
# if __has_feature(address_sanitizer)
#  define FREE_AT_EXIT 1
# endif
#endif

/* A one-shot command need not free 5,000 revisions just before exiting;
 * sanitizer builds do, so leak checking still covers everything. */
static RetortScriptDir *
keep_until_exit (RetortScriptDir *script_dir)
{
#ifdef FREE_AT_EXIT
  return script_dir;
#else
  return g_object_ref (script_dir);
#endif
}

static RetortScriptDir *
load_script_dir (const GlobalOptions  *options,
                 GError              **error)
{
  g_autoptr(RetortScriptDir) script_dir = open_script_dir (options, error);

  if (script_dir == NULL || !retort_script_dir_load (script_dir, error))
    return NULL;
  return keep_until_exit (g_steal_pointer (&script_dir));
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

/* ---- database commands ---------------------------------------------------- */

static RetortDatabaseUrl *
database_url (const GlobalOptions  *options,
              RetortScriptDir      *script_dir,
              GError              **error)
{
  const char *url = options->url != NULL ? options->url : retort_script_dir_get_url (script_dir);
  g_autofree char *cwd = g_get_current_dir ();

  if (url == NULL || *url == '\0')
    {
      g_set_error (error, RETORT_DATABASE_URL_ERROR, RETORT_DATABASE_URL_ERROR_INVALID,
                   "No database: give --url URL, or sqlalchemy.url in alembic.ini");
      return NULL;
    }
  /* relative SQLite paths are relative to the working directory, as in Alembic */
  return retort_database_url_parse (url, cwd, error);
}

static void
log_info (const char *message)
{
  fprintf (stderr, "INFO  [alembic.runtime.migration] %s\n", message);
}

static void
log_context (RetortDialect dialect)
{
  if (dialect == RETORT_DIALECT_SQLITE)
    {
      log_info ("Context impl SQLiteImpl.");
      log_info ("Will assume non-transactional DDL.");
    }
  else
    {
      log_info ("Context impl PostgresqlImpl.");
      log_info ("Will assume transactional DDL.");
    }
}

static int
cmd_current (const GlobalOptions *options,
             int                  argc,
             char               **argv)
{
  gboolean verbose = FALSE;
  g_autoptr(RetortScriptDir) script_dir = NULL;
  g_autoptr(RetortDatabaseUrl) url = NULL;
  g_autoptr(RetortBackend) backend = NULL;
  g_autoptr(RetortVersionState) state = NULL;
  g_autoptr(GPtrArray) current = NULL;
  g_autoptr(GError) error = NULL;
  RetortRevisionMap *map;

  for (int i = 0; i < argc; i++)
    {
      if (is_flag (argv[i], "-v", "--verbose"))
        verbose = TRUE;
      else
        return unknown_argument ("current", argv[i]);
    }
  if ((script_dir = load_script_dir (options, &error)) == NULL ||
      (url = database_url (options, script_dir, &error)) == NULL ||
      (backend = retort_backend_new (url, &error)) == NULL ||
      !retort_backend_open (backend, &error))
    return fail (error->message);
  log_context (url->dialect);
  state = retort_version_table_read (backend, retort_script_dir_get_version_table_schema (script_dir),
                                     retort_script_dir_get_version_table (script_dir), &error);
  if (state == NULL)
    return fail (error->message);
  map = retort_script_dir_get_map (script_dir);
  for (guint i = 0; state->rows[i] != NULL; i++)
    if (retort_revision_map_lookup (map, state->rows[i]) == NULL)
      {
        g_autofree char *message = g_strdup_printf (
          "Can't locate revision identified by '%s': the version table of %s names a revision this "
          "script directory does not have (a newer checkout, another branch, or a stamp gone wrong?)",
          state->rows[i], url->display);
        return fail (message);
      }
  current = retort_revision_map_get_all_current (map, (const char * const *) state->rows, &error);
  if (current == NULL)
    return fail (error->message);
  if (verbose)
    printf ("Current revision(s) for %s:\n", url->display);
  for (guint i = 0; i < current->len; i++)
    {
      RetortRevision *rev = g_ptr_array_index (current, i);
      g_autofree char *line = verbose ? retort_format_log_entry (map, rev, FALSE)
                                      : retort_format_head_only (map, rev, RETORT_FORMAT_TREE);
      printf ("%s\n", line);
    }
  if (state->kind == RETORT_VERSION_STATE_LEGACY && verbose)
    printf ("(no version table, but %u other tables: a database that predates migrations; "
            "stamp its baseline revision)\n", state->other_tables);
  return 0;
}

typedef struct {
  GMainLoop    *loop;
  GCancellable *cancellable;
  gboolean      verbose;
  gboolean      ok;
  GError       *error;
  gint64        last_flush;
} RunState;

/* The log is buffered during a run and flushed a few times a second: a
 * thousand quick revisions should not cost a thousand writes. */
static void
flush_log_now_and_then (RunState *state)
{
  gint64 now = g_get_monotonic_time ();

  if (now - state->last_flush > G_USEC_PER_SEC / 10)
    {
      fflush (stderr);
      state->last_flush = now;
    }
}

static void
on_step_started (RetortRun  *run,
                 guint       index,
                 guint       n_steps,
                 const char *description,
                 gpointer    user_data)
{
  g_autofree char *line = g_strdup_printf ("Running %s", description);
  log_info (line);
  flush_log_now_and_then (user_data);
}

static void
on_statement (RetortRun  *run,
              const char *sql,
              guint       line,
              gint64      duration_us,
              gint64      rows,
              gpointer    user_data)
{
  RunState *state = user_data;
  g_autofree char *first_line = NULL;
  const char *newline;

  if (!state->verbose)
    return;
  newline = strchr (sql, '\n');
  first_line = newline != NULL ? g_strdup_printf ("%.*s …", (int) (newline - sql), sql) : g_strdup (sql);
  fprintf (stderr, "    %s  [%.1f ms, %" G_GINT64_FORMAT " row%s]\n", first_line, duration_us / 1000.0, rows,
           rows == 1 ? "" : "s");
}

static void
on_notice (RetortRun  *run,
           const char *severity,
           const char *message,
           gpointer    user_data)
{
  fprintf (stderr, "%-5s [postgresql] %s\n", severity, message);
}

static void
on_run_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  RunState *state = user_data;

  state->ok = retort_connection_run_finish (RETORT_CONNECTION (source), result, &state->error);
  g_main_loop_quit (state->loop);
}

static gboolean
on_interrupt (gpointer user_data)
{
  RunState *state = user_data;

  fprintf (stderr, "Cancelling (the run rolls back)…\n");
  g_cancellable_cancel (state->cancellable);
  return G_SOURCE_CONTINUE;
}

static gboolean
parse_uint_option (const char *value,
                   guint      *out)
{
  guint64 parsed;
  if (!g_ascii_string_to_unsigned (value, 10, 0, G_MAXUINT, &parsed, NULL))
    return FALSE;
  *out = (guint) parsed;
  return TRUE;
}

static int
cmd_run (const GlobalOptions *options,
         RetortRunOperation   operation,
         int                  argc,
         char               **argv)
{
  const char *name = operation == RETORT_RUN_UPGRADE ? "upgrade"
                   : operation == RETORT_RUN_DOWNGRADE ? "downgrade" : "stamp";
  gboolean sql = FALSE, purge = FALSE, verbose = FALSE;
  RetortTransactionMode mode = RETORT_TRANSACTION_AUTO;
  guint lock_wait = 30000, lock_timeout = 0, statement_timeout = 0;
  g_autoptr(GPtrArray) targets = g_ptr_array_new ();
  g_autoptr(RetortScriptDir) script_dir = NULL;
  g_autoptr(RetortDatabaseUrl) url = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(RetortRun) run = NULL;
  RetortRevisionMap *map;
  const char *schema, *table;

  for (int i = 0; i < argc; i++)
    {
      const char *arg = argv[i];
      if (is_flag (arg, NULL, "--sql"))
        sql = TRUE;
      else if (is_flag (arg, NULL, "--purge") && operation == RETORT_RUN_STAMP)
        purge = TRUE;
      else if (is_flag (arg, "-v", "--verbose"))
        verbose = TRUE;
      else if (is_flag (arg, NULL, "--transaction") && i + 1 < argc)
        {
          const char *value = argv[++i];
          if (strcmp (value, "auto") == 0)
            mode = RETORT_TRANSACTION_AUTO;
          else if (strcmp (value, "run") == 0)
            mode = RETORT_TRANSACTION_WHOLE_RUN;
          else if (strcmp (value, "revision") == 0)
            mode = RETORT_TRANSACTION_PER_REVISION;
          else
            return unknown_argument (name, value);
        }
      else if (is_flag (arg, NULL, "--lock-wait") && i + 1 < argc)
        {
          if (!parse_uint_option (argv[++i], &lock_wait))
            return unknown_argument (name, argv[i]);
        }
      else if (is_flag (arg, NULL, "--lock-timeout") && i + 1 < argc)
        {
          if (!parse_uint_option (argv[++i], &lock_timeout))
            return unknown_argument (name, argv[i]);
        }
      else if (is_flag (arg, NULL, "--statement-timeout") && i + 1 < argc)
        {
          if (!parse_uint_option (argv[++i], &statement_timeout))
            return unknown_argument (name, argv[i]);
        }
      else if (arg[0] == '-' && !(arg[1] != '\0' && g_ascii_isdigit (arg[1])))
        return unknown_argument (name, arg);
      else
        g_ptr_array_add (targets, (gpointer) arg);
    }
  if (targets->len == 0 || (operation != RETORT_RUN_STAMP && targets->len != 1))
    {
      fprintf (stderr, "Usage: retort-cli %s %s [--sql]\n", name, operation == RETORT_RUN_STAMP ? "REV..." : "TARGET");
      return EXIT_USAGE;
    }
  if (purge && sql)
    return fail ("Can't use --purge with --sql mode");

  if ((script_dir = load_script_dir (options, &error)) == NULL)
    return fail (error->message);
  map = retort_script_dir_get_map (script_dir);
  schema = retort_script_dir_get_version_table_schema (script_dir);
  table = retort_script_dir_get_version_table (script_dir);

  if (sql)
    {
      /* offline: the starting rows come from "start:end", never from a database */
      g_autofree char *start = NULL;
      const char *end = g_ptr_array_index (targets, targets->len - 1);
      const char *colon = strchr (end, ':');
      g_autoptr(RetortPlan) plan = NULL;
      g_autofree char *text = NULL;
      RetortDialect dialect = RETORT_DIALECT_POSTGRESQL;
      const char *rows[2] = { NULL, NULL };

      if ((url = database_url (options, script_dir, NULL)) != NULL)
        dialect = url->dialect;
      if (colon != NULL)
        {
          start = g_strndup (end, colon - end);
          end = colon + 1;
        }
      else if (operation == RETORT_RUN_DOWNGRADE)
        return fail ("downgrade with --sql requires <fromrev>:<torev>");
      if (start != NULL && *start != '\0' && strcmp (start, "base") != 0)
        {
          RetortRevision *rev = retort_revision_map_resolve_one (map, start, NULL, &error);
          if (rev == NULL)
            return fail (error != NULL ? error->message : "the start of the range is base");
          rows[0] = retort_revision_get_id (rev);
        }
      log_context (dialect);
      if (operation == RETORT_RUN_UPGRADE)
        plan = retort_plan_new_upgrade (map, end, rows, &error);
      else if (operation == RETORT_RUN_DOWNGRADE)
        plan = retort_plan_new_downgrade (map, end, rows, &error);
      else
        {
          g_autoptr(GPtrArray) stamp_targets = g_ptr_array_copy (targets, NULL, NULL);
          g_ptr_array_index (stamp_targets, stamp_targets->len - 1) = (gpointer) end;
          g_ptr_array_add (stamp_targets, NULL);
          plan = retort_plan_new_stamp (map, (const char * const *) stamp_targets->pdata, rows, FALSE, &error);
        }
      if (plan == NULL)
        return fail (error->message);
      for (guint i = 0; i < retort_plan_get_n_steps (plan); i++)
        {
          g_autofree char *description = retort_plan_step_describe (retort_plan_get_step (plan, i));
          g_autofree char *line = g_strdup_printf ("Running %s", description);
          log_info (line);
        }
      text = retort_offline_render (plan, dialect, schema, table, &error);
      if (text == NULL)
        return fail (error->message);
      fputs (text, stdout);
      return 0;
    }

  if ((url = database_url (options, script_dir, &error)) == NULL)
    return fail (error->message);

  {
    g_autoptr(RetortConnection) connection = retort_connection_new (url);
    g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();
    RunState state = { loop, cancellable, verbose, FALSE, NULL, 0 };
    static char log_buffer[65536];
    guint sigint, sigterm;

    g_ptr_array_add (targets, NULL);
    run = retort_run_new (map, operation, (const char * const *) targets->pdata);
    retort_run_set_purge (run, purge);
    retort_run_set_transaction_mode (run, mode);
    retort_run_set_version_table (run, schema, table);
    retort_run_set_lock_wait (run, lock_wait);
    retort_connection_set_timeouts (connection, lock_timeout, statement_timeout);
    g_signal_connect (run, "step-started", G_CALLBACK (on_step_started), &state);
    g_signal_connect (run, "statement", G_CALLBACK (on_statement), &state);
    g_signal_connect (run, "notice", G_CALLBACK (on_notice), &state);

    log_context (url->dialect);
    setvbuf (stderr, log_buffer, _IOFBF, sizeof log_buffer);
    sigint = g_unix_signal_add (SIGINT, on_interrupt, &state);
    sigterm = g_unix_signal_add (SIGTERM, on_interrupt, &state);
    retort_connection_run_async (connection, run, cancellable, on_run_done, &state);
    g_main_loop_run (loop);
    g_source_remove (sigint);
    g_source_remove (sigterm);
    fflush (stderr);
    setvbuf (stderr, NULL, _IONBF, 0);

    if (!state.ok)
      {
        g_autoptr(GError) run_error = state.error;
        g_autoptr(GString) message = g_string_new (run_error->message);
        const char *sqlstate = retort_database_error_get_sqlstate (run_error);
        const char * const *rows = retort_run_get_final_rows (run);

        if (retort_database_error_get_statement (run_error) != NULL)
          g_string_append_printf (message, "\n  line %u, SQLSTATE %s, statement:\n    %s",
                                  retort_database_error_get_line (run_error), sqlstate ? sqlstate : "?",
                                  retort_database_error_get_statement (run_error));
        if (rows != NULL)
          {
            g_autofree char *joined = g_strjoinv (", ", (char **) rows);
            g_string_append_printf (message, "\n  rolled back; %s now holds: %s", table,
                                    *joined ? joined : "(no rows)");
          }
        return fail (message->str);
      }
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
      else if (is_flag (arg, "-u", "--url") && i + 1 < argc)
        options.url = argv[++i];
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
    if (strcmp (command, "current") == 0)
      return cmd_current (&options, rest_argc, rest_argv);
    if (strcmp (command, "upgrade") == 0)
      return cmd_run (&options, RETORT_RUN_UPGRADE, rest_argc, rest_argv);
    if (strcmp (command, "downgrade") == 0)
      return cmd_run (&options, RETORT_RUN_DOWNGRADE, rest_argc, rest_argv);
    if (strcmp (command, "stamp") == 0)
      return cmd_run (&options, RETORT_RUN_STAMP, rest_argc, rest_argv);
    fprintf (stderr, "retort-cli: unknown command '%s'\n", command);
    print_usage (stderr);
    return EXIT_USAGE;
  }
}
