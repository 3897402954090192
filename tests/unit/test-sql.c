/* test-sql.c — statement splitting and database URLs */
#include <string.h>

#include "retort-core.h"

static void
assert_split (const char    *script,
              RetortDialect  dialect,
              const char    *expected)  /* statements joined with " | ", each "line:text" */
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) statements = retort_sql_split (script, dialect, &error);
  g_autoptr(GString) got = g_string_new (NULL);

  g_assert_no_error (error);
  for (guint i = 0; i < statements->len; i++)
    {
      RetortStatement *s = g_ptr_array_index (statements, i);
      g_string_append_printf (got, "%s%u:%s", i ? " | " : "", s->line, s->sql);
    }
  if (strcmp (got->str, expected) != 0)
    g_error ("split of:\n%s\n got      %s\n expected %s", script, got->str, expected);
}

static void
test_split (void)
{
  assert_split ("CREATE TABLE a (x int);\nINSERT INTO a VALUES (1);", RETORT_DIALECT_POSTGRESQL,
                "1:CREATE TABLE a (x int) | 2:INSERT INTO a VALUES (1)");
  assert_split ("-- only a comment;\n\n/* and; another */\n", RETORT_DIALECT_POSTGRESQL, "");
  assert_split ("SELECT 'a;b', \"we;ird\", 'it''s;'; SELECT 2", RETORT_DIALECT_POSTGRESQL,
                "1:SELECT 'a;b', \"we;ird\", 'it''s;' | 1:SELECT 2");
  assert_split ("SELECT E'back\\'slash;'; SELECT 3;", RETORT_DIALECT_POSTGRESQL,
                "1:SELECT E'back\\'slash;' | 1:SELECT 3");
  assert_split ("CREATE FUNCTION f() RETURNS int AS $body$\nBEGIN\n  RETURN 1;\nEND;\n$body$ LANGUAGE plpgsql;\n"
                "DO $$ BEGIN RAISE NOTICE 'x;'; END $$;", RETORT_DIALECT_POSTGRESQL,
                "1:CREATE FUNCTION f() RETURNS int AS $body$\nBEGIN\n  RETURN 1;\nEND;\n$body$ LANGUAGE plpgsql"
                " | 6:DO $$ BEGIN RAISE NOTICE 'x;'; END $$");
  assert_split ("SELECT $1; SELECT /* a /* nested; */ comment; */ 5;", RETORT_DIALECT_POSTGRESQL,
                "1:SELECT $1 | 1:SELECT /* a /* nested; */ comment; */ 5");
  assert_split ("CREATE FUNCTION g() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT CASE WHEN true THEN 2 END; END;\nSELECT 9;",
                RETORT_DIALECT_POSTGRESQL,
                "1:CREATE FUNCTION g() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT CASE WHEN true THEN 2 END; END"
                " | 2:SELECT 9");
  assert_split ("CREATE TRIGGER t AFTER INSERT ON a BEGIN\n  UPDATE b SET n = n + 1;\n  DELETE FROM c;\nEND;\n\nSELECT 1;",
                RETORT_DIALECT_SQLITE,
                "1:CREATE TRIGGER t AFTER INSERT ON a BEGIN\n  UPDATE b SET n = n + 1;\n  DELETE FROM c;\nEND | 6:SELECT 1");
  assert_split ("BEGIN;\nCOMMIT;", RETORT_DIALECT_SQLITE, "1:BEGIN | 2:COMMIT");
}

static void
test_split_errors (void)
{
  const char *bad[] = { "SELECT 'open", "SELECT \"open", "SELECT $x$ open", "SELECT 1 /* open" };

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) statements = retort_sql_split (bad[i], RETORT_DIALECT_POSTGRESQL, &error);
      g_assert_null (statements);
      g_assert_error (error, RETORT_REVISION_ERROR, RETORT_REVISION_ERROR_SYNTAX);
      g_assert_true (g_str_has_prefix (error->message, "1: unterminated"));
    }
}

static void
test_urls (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RetortDatabaseUrl) memory = retort_database_url_parse ("sqlite://", "/work", &error);
  g_autoptr(RetortDatabaseUrl) relative = retort_database_url_parse ("sqlite:///data/app.db", "/work", &error);
  g_autoptr(RetortDatabaseUrl) absolute = retort_database_url_parse ("sqlite:////var/lib/app.db", "/work", &error);
  g_autoptr(RetortDatabaseUrl) pg = retort_database_url_parse (
    "postgresql+psycopg2://scott:tiger@db.example.org:6543/inventory?sslmode=require&application_name=x", NULL, &error);
  g_autoptr(RetortDatabaseUrl) asyncpg = retort_database_url_parse (
    "postgresql+asyncpg://app@localhost/shop?ssl=require&prepared_statement_cache_size=0", NULL, &error);
  g_autoptr(RetortDatabaseUrl) conninfo = retort_database_url_parse ("host=/run/pg dbname=x password=secret", NULL, &error);
  g_autoptr(RetortDatabaseUrl) service = retort_database_url_parse ("service=staging", NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpint (memory->dialect, ==, RETORT_DIALECT_SQLITE);
  g_assert_cmpstr (memory->sqlite_path, ==, ":memory:");
  g_assert_cmpstr (relative->sqlite_path, ==, "/work/data/app.db");
  g_assert_cmpstr (absolute->sqlite_path, ==, "/var/lib/app.db");
  g_assert_cmpint (pg->dialect, ==, RETORT_DIALECT_POSTGRESQL);
  g_assert_cmpstr (retort_database_url_get (pg, "host"), ==, "db.example.org");
  g_assert_cmpstr (retort_database_url_get (pg, "port"), ==, "6543");
  g_assert_cmpstr (retort_database_url_get (pg, "dbname"), ==, "inventory");
  g_assert_cmpstr (retort_database_url_get (pg, "user"), ==, "scott");
  g_assert_cmpstr (retort_database_url_get (pg, "password"), ==, "tiger");
  g_assert_cmpstr (retort_database_url_get (pg, "sslmode"), ==, "require");
  g_assert_null (strstr (pg->display, "tiger"));
  g_assert_cmpstr (pg->display, ==,
                   "postgresql+psycopg2://scott:XXXXX@db.example.org:6543/inventory?sslmode=require&application_name=x");
  g_assert_cmpstr (relative->display, ==, "sqlite:///data/app.db");
  g_assert_cmpstr (retort_database_url_get (asyncpg, "sslmode"), ==, "require");
  g_assert_cmpstr (retort_database_url_get (asyncpg, "dbname"), ==, "shop");
  g_assert_null (strstr (conninfo->display, "secret"));
  g_assert_cmpstr (retort_database_url_get (service, "service"), ==, "staging");
}

static void
test_url_errors (void)
{
  const char *bad[] = { "mysql://u:p@h/db", "sqlite:relative.db", "postgresql://u:secret@h/db?nonsense_option=1",
                        "just some words with secret" };

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(RetortDatabaseUrl) url = retort_database_url_parse (bad[i], "/", &error);
      g_assert_null (url);
      g_assert_nonnull (error);
      g_assert_true (error->domain == RETORT_DATABASE_URL_ERROR);
      g_assert_null (strstr (error->message, "secret"));
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sql/split", test_split);
  g_test_add_func ("/sql/split-errors", test_split_errors);
  g_test_add_func ("/sql/urls", test_urls);
  g_test_add_func ("/sql/url-errors", test_url_errors);
  return g_test_run ();
}
