/* test-sql-hazard.c — finding the statements that destroy data */
#include <string.h>

#include "retort-core.h"

/* hazards as "line:KIND:statement" joined with " | " */
static char *
describe_hazards (const char    *sql,
                  RetortDialect  dialect)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) hazards = retort_sql_find_hazards (sql, dialect, &error);
  GString *out = g_string_new (NULL);

  g_assert_no_error (error);
  g_assert_nonnull (hazards);
  for (guint i = 0; i < hazards->len; i++)
    {
      RetortSqlHazard *hazard = &g_array_index (hazards, RetortSqlHazard, i);
      g_autofree char *statement = NULL;

      g_assert_cmpuint (hazard->offset + hazard->length, <=, strlen (sql));
      statement = g_strndup (sql + hazard->offset, hazard->length);
      g_string_append_printf (out, "%s%u:%s:%s", i ? " | " : "", hazard->line,
                              retort_sql_hazard_kind_describe (hazard->kind), statement);
    }
  return g_string_free (out, FALSE);
}

static void
assert_hazards_in (const char    *sql,
                   RetortDialect  dialect,
                   const char    *expected)
{
  g_autofree char *got = describe_hazards (sql, dialect);

  if (strcmp (got, expected) != 0)
    g_error ("hazards of:\n%s\n got      «%s»\n expected «%s»", sql, got, expected);
}

/* the same answer in both dialects */
static void
assert_hazards (const char *sql,
                const char *expected)
{
  assert_hazards_in (sql, RETORT_DIALECT_POSTGRESQL, expected);
  assert_hazards_in (sql, RETORT_DIALECT_SQLITE, expected);
}

static void
test_drop (void)
{
  assert_hazards ("DROP TABLE users;", "1:DROP:DROP TABLE users");
  assert_hazards ("drop table if exists users", "1:DROP:drop table if exists users");
  assert_hazards ("ALTER TABLE users DROP COLUMN email;", "1:DROP:ALTER TABLE users DROP COLUMN email");
  assert_hazards ("alter table users drop email;", "1:DROP:alter table users drop email");
  assert_hazards ("ALTER TABLE orders DROP CONSTRAINT orders_user_fk;",
                  "1:DROP:ALTER TABLE orders DROP CONSTRAINT orders_user_fk");
  assert_hazards ("DROP SCHEMA billing CASCADE;\nDROP VIEW v;\nDROP INDEX i;\nDROP TYPE mood;\nDROP SEQUENCE s;",
                  "1:DROP:DROP SCHEMA billing CASCADE | 2:DROP:DROP VIEW v | 3:DROP:DROP INDEX i"
                  " | 4:DROP:DROP TYPE mood | 5:DROP:DROP SEQUENCE s");
  assert_hazards ("ALTER TABLE t ADD COLUMN a int, DROP COLUMN b;",
                  "1:DROP:ALTER TABLE t ADD COLUMN a int, DROP COLUMN b");
  /* a column's attribute goes, its values stay */
  assert_hazards ("ALTER TABLE t ALTER COLUMN c DROP NOT NULL;\n"
                  "ALTER TABLE t ALTER COLUMN c DROP DEFAULT;\n"
                  "ALTER TABLE t ALTER COLUMN c DROP IDENTITY IF EXISTS;\n"
                  "ALTER TABLE t ALTER COLUMN c DROP EXPRESSION;", "");
  /* words that only contain drop */
  assert_hazards ("CREATE TABLE dropped_items (drop_count int, backdrop text);", "");
}

static void
test_truncate (void)
{
  assert_hazards_in ("TRUNCATE TABLE audit_log;", RETORT_DIALECT_POSTGRESQL, "1:TRUNCATE:TRUNCATE TABLE audit_log");
  assert_hazards_in ("truncate a, b RESTART IDENTITY", RETORT_DIALECT_POSTGRESQL, "1:TRUNCATE:truncate a, b RESTART IDENTITY");
  /* a privilege, not a statement */
  assert_hazards_in ("GRANT TRUNCATE, DELETE, UPDATE ON t TO app;", RETORT_DIALECT_POSTGRESQL, "");
}

static void
test_delete_update (void)
{
  assert_hazards ("DELETE FROM sessions;", "1:DELETE without WHERE:DELETE FROM sessions");
  assert_hazards ("delete from sessions where expires < now();", "");
  assert_hazards ("UPDATE users SET active = 0;", "1:UPDATE without WHERE:UPDATE users SET active = 0");
  assert_hazards ("update users set active = 0 where id = 7", "");
  assert_hazards ("DELETE FROM t WHERE id IN (SELECT id FROM u WHERE gone);", "");
  /* a WHERE in a subquery filters the subquery only */
  assert_hazards ("UPDATE t SET x = (SELECT y FROM u WHERE u.id = t.id);",
                  "1:UPDATE without WHERE:UPDATE t SET x = (SELECT y FROM u WHERE u.id = t.id)");
  assert_hazards ("DELETE FROM t USING (SELECT id FROM u WHERE gone) AS g;",
                  "1:DELETE without WHERE:DELETE FROM t USING (SELECT id FROM u WHERE gone) AS g");
  assert_hazards ("UPDATE t SET x = (SELECT max(y) FROM u) WHERE t.id = 1;", "");
  /* Alembic's own version-table statements name their row; a purge does not */
  assert_hazards ("UPDATE alembic_version SET version_num='b2' WHERE alembic_version.version_num = 'a1';\n"
                  "DELETE FROM alembic_version WHERE alembic_version.version_num = 'b2';\n"
                  "DELETE FROM alembic_version;",
                  "3:DELETE without WHERE:DELETE FROM alembic_version");
  /* a WHERE in a string or a comment is no WHERE */
  assert_hazards ("UPDATE t SET note = 'where'; -- where\nDELETE FROM t /* WHERE id = 1 */;",
                  "1:UPDATE without WHERE:UPDATE t SET note = 'where' | 2:DELETE without WHERE:DELETE FROM t /* WHERE id = 1 */");
}

static void
test_with (void)
{
  assert_hazards_in ("WITH gone AS (SELECT id FROM u WHERE old) DELETE FROM t;", RETORT_DIALECT_POSTGRESQL,
                     "1:DELETE without WHERE:WITH gone AS (SELECT id FROM u WHERE old) DELETE FROM t");
  assert_hazards_in ("WITH gone AS (SELECT id FROM u) DELETE FROM t WHERE id IN (SELECT id FROM gone);",
                     RETORT_DIALECT_POSTGRESQL, "");
  /* a data-modifying WITH query empties t even though the outer query is a SELECT */
  assert_hazards_in ("WITH moved AS MATERIALIZED (DELETE FROM t RETURNING *) INSERT INTO archive SELECT * FROM moved;",
                     RETORT_DIALECT_POSTGRESQL,
                     "1:DELETE without WHERE:WITH moved AS MATERIALIZED (DELETE FROM t RETURNING *) INSERT INTO archive SELECT * FROM moved");
  assert_hazards_in ("WITH moved AS (DELETE FROM t WHERE old RETURNING *) INSERT INTO archive SELECT * FROM moved;",
                     RETORT_DIALECT_POSTGRESQL, "");
}

static void
test_not_statements (void)
{
  /* events, privileges, locks and upserts name DELETE and UPDATE without running them */
  assert_hazards ("CREATE TABLE o (u int REFERENCES users ON DELETE CASCADE ON UPDATE SET NULL);", "");
  assert_hazards ("SELECT * FROM t FOR UPDATE;", "");
  assert_hazards ("INSERT INTO t (id, n) VALUES (1, 2) ON CONFLICT (id) DO UPDATE SET n = excluded.n;", "");
  assert_hazards_in ("CREATE POLICY p ON t FOR DELETE USING (true);", RETORT_DIALECT_POSTGRESQL, "");
  assert_hazards_in ("CREATE RULE r AS ON UPDATE TO t DO INSTEAD NOTHING;", RETORT_DIALECT_POSTGRESQL, "");
  /* a trigger's body runs later, row by row */
  assert_hazards_in ("CREATE TRIGGER tr AFTER INSERT ON a BEGIN\n  UPDATE b SET n = n + 1;\n  DELETE FROM c;\nEND;",
                     RETORT_DIALECT_SQLITE, "");
  /* the words inside quotes, comments and dollar-quoted bodies */
  assert_hazards ("INSERT INTO log VALUES ('DROP TABLE users; DELETE FROM t');", "");
  assert_hazards ("SELECT \"drop\", \"delete\" FROM t;", "");
  assert_hazards ("-- DROP TABLE users;\n/* TRUNCATE t; DELETE FROM t; */\nSELECT 1;", "");
  assert_hazards_in ("SELECT [drop] FROM t;", RETORT_DIALECT_SQLITE, "");
  assert_hazards_in ("SELECT E'it\\'s; DROP TABLE x' AS s;", RETORT_DIALECT_POSTGRESQL, "");
  assert_hazards_in ("CREATE FUNCTION purge() RETURNS void AS $body$\nBEGIN\n  DELETE FROM t;\n  DROP TABLE x;\nEND;\n"
                     "$body$ LANGUAGE plpgsql;\nDO $$ BEGIN TRUNCATE t; END $$;",
                     RETORT_DIALECT_POSTGRESQL, "");
  assert_hazards_in ("CREATE FUNCTION g() RETURNS int LANGUAGE sql BEGIN ATOMIC DELETE FROM t; SELECT 1; END;",
                     RETORT_DIALECT_POSTGRESQL, "");
  assert_hazards ("", "");
  assert_hazards ("  \n-- nothing\n", "");
}

static void
test_positions (void)
{
  /* a comment before a statement belongs to it but is not highlighted;
   * lines count from the statement's first token */
  const char *script =
    "BEGIN;\n"
    "\n"
    "-- Running upgrade a1 -> b2\n"
    "\n"
    "CREATE TABLE kept (id int);\n"
    "\n"
    "-- the old table goes\n"
    "DROP TABLE\n"
    "    legacy_orders;\n"
    "\n"
    "UPDATE prices\n"
    "   SET cents = cents * 100\n"
    "  ;\n"
    "UPDATE alembic_version SET version_num='b2' WHERE alembic_version.version_num = 'a1';\n"
    "\n"
    "COMMIT;\n";

  assert_hazards_in (script, RETORT_DIALECT_POSTGRESQL,
                     "8:DROP:DROP TABLE\n    legacy_orders"
                     " | 11:UPDATE without WHERE:UPDATE prices\n   SET cents = cents * 100");

  /* several on one line, and multi-byte text before them */
  assert_hazards ("INSERT INTO t VALUES ('é—ü'); DELETE FROM t; DROP TABLE u;",
                  "1:DELETE without WHERE:DELETE FROM t | 1:DROP:DROP TABLE u");
}

static void
test_split_error (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) hazards = retort_sql_find_hazards ("DROP TABLE t; SELECT 'open", RETORT_DIALECT_POSTGRESQL, &error);

  /* a script that does not split is not called safe */
  g_assert_null (hazards);
  g_assert_error (error, RETORT_REVISION_ERROR, RETORT_REVISION_ERROR_SYNTAX);
}

static void
test_describe (void)
{
  g_assert_cmpstr (retort_sql_hazard_kind_describe (RETORT_SQL_HAZARD_DROP), ==, "DROP");
  g_assert_cmpstr (retort_sql_hazard_kind_describe (RETORT_SQL_HAZARD_TRUNCATE), ==, "TRUNCATE");
  g_assert_cmpstr (retort_sql_hazard_kind_describe (RETORT_SQL_HAZARD_DELETE_ALL), ==, "DELETE without WHERE");
  g_assert_cmpstr (retort_sql_hazard_kind_describe (RETORT_SQL_HAZARD_UPDATE_ALL), ==, "UPDATE without WHERE");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sql-hazard/drop", test_drop);
  g_test_add_func ("/sql-hazard/truncate", test_truncate);
  g_test_add_func ("/sql-hazard/delete-update", test_delete_update);
  g_test_add_func ("/sql-hazard/with", test_with);
  g_test_add_func ("/sql-hazard/not-statements", test_not_statements);
  g_test_add_func ("/sql-hazard/positions", test_positions);
  g_test_add_func ("/sql-hazard/split-error", test_split_error);
  g_test_add_func ("/sql-hazard/describe", test_describe);
  return g_test_run ();
}
