/* test-revision-files.c — the .py and .sql readers and alembic.ini, on real files */
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>

#include "retort-core.h"

static char *tmpdir;

static char *
write_file (const char *name,
            const char *contents,
            gssize      length)
{
  char *path = g_build_filename (tmpdir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, contents, length, &error);
  g_assert_no_error (error);
  return path;
}

static RetortRevision *
load (const char  *name,
      const char  *contents,
      GError     **error)
{
  g_autofree char *path = write_file (name, contents, -1);
  return retort_revision_load (path, error);
}

static void
assert_strv (const char * const *actual,
             const char         *expected)
{
  g_autofree char *joined = g_strjoinv (",", (char **) actual);
  g_assert_cmpstr (joined, ==, expected);
}

static void
test_py_classic (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RetortRevision) rev = load ("1a2b_add_users.py",
    "\"\"\"add users table\n"
    "\n"
    "Revision ID: 1a2b3c4d\n"
    "Revises: 0f0f\n"
    "Create Date: 2026-11-21 21:04:04.082549\n"
    "\n"
    "\"\"\"\n"
    "from alembic import op\n"
    "import sqlalchemy as sa\n"
    "\n"
    "# revision identifiers, used by Alembic.\n"
    "revision = '1a2b3c4d'\n"
    "down_revision = '0f0f'\n"
    "branch_labels = None\n"
    "depends_on = None\n"
    "\n"
    "\n"
    "def upgrade():\n"
    "    revision = 'not-this-one'\n"
    "    op.create_table('users')\n", &error);

  g_assert_no_error (error);
  g_assert_cmpstr (retort_revision_get_id (rev), ==, "1a2b3c4d");
  assert_strv (retort_revision_get_down_revisions (rev), "0f0f");
  assert_strv (retort_revision_get_branch_labels (rev), "");
  assert_strv (retort_revision_get_depends_on (rev), "");
  g_assert_cmpstr (retort_revision_get_doc (rev), ==, "add users table");
  g_assert_true (g_str_has_prefix (retort_revision_get_longdoc (rev), "add users table\n\nRevision ID: 1a2b3c4d"));
  g_assert_true (g_str_has_suffix (retort_revision_get_longdoc (rev), "Create Date: 2026-11-21 21:04:04.082549"));
  g_assert_cmpstr (retort_revision_get_create_date (rev), ==, "2026-11-21 21:04:04.082549");
  g_assert_cmpstr (retort_revision_get_doc_revision_id (rev), ==, "1a2b3c4d");
  g_assert_cmpstr (retort_revision_get_doc_revises (rev), ==, "0f0f");
  g_assert_cmpuint (retort_revision_get_field_line (rev, RETORT_REVISION_FIELD_DOWN_REVISION), ==, 13);
  g_assert_cmpint (retort_revision_get_format (rev), ==, RETORT_REVISION_FORMAT_PYTHON);
  g_assert_cmpstr (retort_revision_get_native_problem (rev, RETORT_DIRECTION_UPGRADE), ==,
                   "line 19: 'revision = 'not-this-one'' needs Python (only op.execute() of literal SQL "
                   "runs in-process)");
  g_assert_cmpstr (retort_revision_get_native_problem (rev, RETORT_DIRECTION_DOWNGRADE), ==,
                   "there is no downgrade() function");
  g_assert_cmpuint (retort_revision_get_sections (rev)->len, ==, 0);
}

static void
test_py_execute_bodies (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RetortRevision) rev = load ("exec.py",
    "revision = 'e1e1'\n"
    "down_revision = None\n"
    "\n"
    "def upgrade() -> None:\n"
    "    \"\"\"Create things.\"\"\"\n"
    "    # a comment\n"
    "    op.execute(\"CREATE TABLE a (x int)\")\n"
    "    op.execute(sa.text('''\n"
    "        CREATE TABLE b (y int)\n"
    "    '''))\n"
    "    op.execute(\n"
    "        \"INSERT INTO a \"\n"
    "        \"VALUES (1)\",\n"
    "    )\n"
    "    pass\n"
    "\n"
    "\n"
    "def downgrade(): op.execute(text(r'DROP TABLE b'))\n"
    "\n"
    "def helper():\n"
    "    op.drop_table('a')\n", &error);
  g_autoptr(GPtrArray) up = NULL;
  g_autoptr(GPtrArray) down = NULL;

  g_assert_no_error (error);
  g_assert_null (retort_revision_get_native_problem (rev, RETORT_DIRECTION_UPGRADE));
  g_assert_null (retort_revision_get_native_problem (rev, RETORT_DIRECTION_DOWNGRADE));
  up = retort_revision_dup_sections_for (rev, RETORT_DIRECTION_UPGRADE, "postgresql");
  g_assert_cmpuint (up->len, ==, 3);
  g_assert_cmpstr (((RetortSqlSection *) g_ptr_array_index (up, 0))->sql, ==, "CREATE TABLE a (x int)");
  g_assert_cmpuint (((RetortSqlSection *) g_ptr_array_index (up, 0))->first_line, ==, 7);
  g_assert_cmpstr (((RetortSqlSection *) g_ptr_array_index (up, 1))->sql, ==, "\n        CREATE TABLE b (y int)\n    ");
  g_assert_cmpuint (((RetortSqlSection *) g_ptr_array_index (up, 1))->first_line, ==, 8);
  g_assert_cmpstr (((RetortSqlSection *) g_ptr_array_index (up, 2))->sql, ==, "INSERT INTO a VALUES (1)");
  down = retort_revision_dup_sections_for (rev, RETORT_DIRECTION_DOWNGRADE, "sqlite");
  g_assert_cmpuint (down->len, ==, 1);
  g_assert_cmpstr (((RetortSqlSection *) g_ptr_array_index (down, 0))->sql, ==, "DROP TABLE b");
}

static void
test_py_typed (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RetortRevision) rev = load ("typed.py",
    "# -*- coding: utf-8 -*-\n"
    "\"\"\"merge heads\"\"\"\n"
    "from typing import Sequence, Union\n"
    "\n"
    "revision: str = \"c3d4\"\n"
    "down_revision: Union[str, Sequence[str], None] = (\n"
    "    \"a1b2\",  # left\n"
    "    'b7c8',\n"
    ")\n"
    "branch_labels: Union[str, Sequence[str], None] = ['core', \"api\"]\n"
    "depends_on: Union[str, Sequence[str], None] = 'x' 'yz'\n", &error);

  g_assert_no_error (error);
  g_assert_cmpstr (retort_revision_get_id (rev), ==, "c3d4");
  assert_strv (retort_revision_get_down_revisions (rev), "a1b2,b7c8");
  assert_strv (retort_revision_get_branch_labels (rev), "core,api");
  assert_strv (retort_revision_get_depends_on (rev), "xyz");
  g_assert_cmpstr (retort_revision_get_doc (rev), ==, "merge heads");
}

static void
test_py_forms (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RetortRevision) rev = NULL;

  /* a docstring after imports is not a docstring; empty tuple means None */
  rev = load ("forms.py",
    "import os\n"
    "\"\"\"not a docstring\"\"\"\n"
    "revision = r'ab\\cd'\n"
    "down_revision = ()\n"
    "depends_on = ('one',)\n"
    "branch_labels = ('x')\n", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (retort_revision_get_id (rev), ==, "ab\\cd");
  g_assert_cmpuint (retort_revision_get_n_down_revisions (rev), ==, 0);
  assert_strv (retort_revision_get_depends_on (rev), "one");
  assert_strv (retort_revision_get_branch_labels (rev), "x");
  g_assert_cmpstr (retort_revision_get_longdoc (rev), ==, "");
  g_clear_object (&rev);

  /* BOM, escapes in the docstring, a later assignment wins, backslash continuation */
  rev = load ("bom.py",
    "\xef\xbb\xbf'''first\\tline\\n\\nsecond \\u00fc'''\n"
    "revision = 'aaaa'\n"
    "revision = 'bbbb'\n"
    "down_revision = \\\n"
    "    None\n", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (retort_revision_get_id (rev), ==, "bbbb");
  g_assert_cmpstr (retort_revision_get_doc (rev), ==, "first\tline");
  g_assert_cmpstr (retort_revision_get_longdoc (rev), ==, "first\tline\n\nsecond \xc3\xbc");
  g_clear_object (&rev);

  /* variables after the functions are still the variables */
  rev = load ("late.py",
    "def upgrade():\n    op.execute('SELECT 1')\n\n"
    "revision = 'late'\ndown_revision = 'early'\n", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (retort_revision_get_id (rev), ==, "late");
  assert_strv (retort_revision_get_down_revisions (rev), "early");
  g_assert_cmpuint (retort_revision_get_sections (rev)->len, ==, 1);
  g_clear_object (&rev);

  /* legacy Alembic 0.1 file: the hex file name is the id */
  rev = load ("4fa3c0de.py", "down_revision = None\n", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (retort_revision_get_id (rev), ==, "4fa3c0de");
}

static void
assert_load_error (const char *name,
                   const char *contents,
                   gssize      length,
                   int         code,
                   const char *fragment)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = write_file (name, contents, length);
  g_autoptr(RetortRevision) rev = retort_revision_load (path, &error);

  g_assert_null (rev);
  g_assert_error (error, RETORT_REVISION_ERROR, code);
  if (!g_str_has_prefix (error->message, path))
    g_error ("message does not start with the file's path: %s", error->message);
  if (strstr (error->message, fragment) == NULL)
    g_error ("message lacks '%s': %s", fragment, error->message);
}

static void
test_py_errors (void)
{
  assert_load_error ("empty.py", "", 0, RETORT_REVISION_ERROR_EMPTY, ":1: the file is empty");
  assert_load_error ("comments_only.py", "# nothing\n\n", -1, RETORT_REVISION_ERROR_EMPTY, "empty");
  assert_load_error ("no_id_here.py", "down_revision = None\n", -1,
                     RETORT_REVISION_ERROR_MISSING_FIELD, "no revision id");
  assert_load_error ("no_down.py", "\n\nrevision = 'abcd'\n", -1,
                     RETORT_REVISION_ERROR_MISSING_FIELD, ":3: revision 'abcd' assigns no 'down_revision'");
  assert_load_error ("computed.py", "revision = 'abcd'\ndown_revision = get_parent()\n", -1,
                     RETORT_REVISION_ERROR_NOT_LITERAL, ":2: down_revision is not a literal");
  assert_load_error ("fstring.py", "revision = f'{x}'\ndown_revision = None\n", -1,
                     RETORT_REVISION_ERROR_NOT_LITERAL, ":1: revision is not a literal");
  assert_load_error ("latin1.py", "revision = 'abcd'\ndown_revision = None\n# caf\xe9\n", -1,
                     RETORT_REVISION_ERROR_ENCODING, ":3: the file is not valid UTF-8");
  assert_load_error ("latin1_body.py", "revision = 'abcd'\ndown_revision = None\n\ndef upgrade():\n"
                     "    op.execute(\"SELECT 'caf\xe9'\")\n", -1,
                     RETORT_REVISION_ERROR_ENCODING, ":5: the file is not valid UTF-8");
  assert_load_error ("unterminated.py", "revision = 'abcd\ndown_revision = None\n", -1,
                     RETORT_REVISION_ERROR_SYNTAX, ":1: unterminated string");
  assert_load_error ("open_bracket.py", "revision = 'abcd'\ndown_revision = ('a',\n", -1,
                     RETORT_REVISION_ERROR_SYNTAX, "inside brackets");
  assert_load_error ("bad_chars.py", "revision = 'ab-cd'\ndown_revision = None\n", -1,
                     RETORT_REVISION_ERROR_INVALID_ID, "Character(s) '-' not allowed");
  assert_load_error ("self_loop.py", "revision = 'abcd'\ndown_revision = 'abcd'\n", -1,
                     RETORT_REVISION_ERROR_INVALID_ID, "Self-loop");
  assert_load_error ("dep_loop.py", "revision = 'abcd'\ndown_revision = None\ndepends_on = 'abcd'\n", -1,
                     RETORT_REVISION_ERROR_INVALID_ID, "Dependency self-loop");
  /* the functions are checked at load too, with the right line */
  assert_load_error ("bad_body.py", "revision = 'abcd'\ndown_revision = None\n\n\ndef upgrade():\n"
                     "    op.execute(\"oops)\n", -1, RETORT_REVISION_ERROR_SYNTAX, ":6: unterminated string");
  assert_load_error ("bad_body2.py", "revision = 'abcd'\ndown_revision = None\n\ndef upgrade():\n"
                     "    op.execute((\n\n@decorated\ndef x(): pass\n", -1, RETORT_REVISION_ERROR_SYNTAX,
                     "inside brackets");
  assert_load_error ("none_id.py", "revision = None\ndown_revision = None\n", -1,
                     RETORT_REVISION_ERROR_MISSING_FIELD, "single string");
}

static const char sql_revision[] =
  "-- Add the orders table\n"
  "--\n"
  "-- Orders belong to users.\n"
  "--\n"
  "-- Revision ID: 7c1d2a9b\n"
  "-- Revises: 1a2b, 3c4d\n"
  "-- Branch Labels: shop\n"
  "-- Depends On: core\n"
  "-- Create Date: 2026-11-21 10:00:00\n"
  "\n"
  "-- retort:upgrade\n"
  "CREATE TABLE orders (id integer primary key);\n"
  "\n"
  "-- retort:upgrade postgresql no-transaction\n"
  "CREATE INDEX CONCURRENTLY orders_id ON orders (id);\n"
  "-- retort:downgrade\n"
  "DROP TABLE orders;\n";

static void
test_sql_revision (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RetortRevision) rev = load ("7c1d2a9b_orders.sql", sql_revision, &error);
  g_autoptr(GPtrArray) pg_up = NULL;
  g_autoptr(GPtrArray) sqlite_up = NULL;
  g_autoptr(GPtrArray) down = NULL;
  RetortSqlSection *section;

  g_assert_no_error (error);
  g_assert_cmpint (retort_revision_get_format (rev), ==, RETORT_REVISION_FORMAT_SQL);
  g_assert_cmpstr (retort_revision_get_id (rev), ==, "7c1d2a9b");
  assert_strv (retort_revision_get_down_revisions (rev), "1a2b,3c4d");
  assert_strv (retort_revision_get_branch_labels (rev), "shop");
  assert_strv (retort_revision_get_depends_on (rev), "core");
  g_assert_cmpstr (retort_revision_get_doc (rev), ==, "Add the orders table");
  g_assert_cmpstr (retort_revision_get_create_date (rev), ==, "2026-11-21 10:00:00");
  g_assert_cmpuint (retort_revision_get_sections (rev)->len, ==, 3);

  /* the dialect-free section runs everywhere, postgresql's only there, in file order */
  pg_up = retort_revision_dup_sections_for (rev, RETORT_DIRECTION_UPGRADE, "postgresql");
  g_assert_cmpuint (pg_up->len, ==, 2);
  section = g_ptr_array_index (pg_up, 0);
  g_assert_cmpstr (section->sql, ==, "CREATE TABLE orders (id integer primary key);");
  section = g_ptr_array_index (pg_up, 1);
  g_assert_false (section->transactional);
  g_assert_cmpstr (section->sql, ==, "CREATE INDEX CONCURRENTLY orders_id ON orders (id);");
  g_assert_cmpuint (section->first_line, ==, 15);

  sqlite_up = retort_revision_dup_sections_for (rev, RETORT_DIRECTION_UPGRADE, "sqlite");
  g_assert_cmpuint (sqlite_up->len, ==, 1);
  section = g_ptr_array_index (sqlite_up, 0);
  g_assert_true (section->transactional);
  g_assert_cmpstr (section->sql, ==, "CREATE TABLE orders (id integer primary key);");
  g_assert_cmpuint (section->first_line, ==, 12);

  down = retort_revision_dup_sections_for (rev, RETORT_DIRECTION_DOWNGRADE, "sqlite");
  g_assert_cmpuint (down->len, ==, 1);
}

static void
test_offline_render (void)
{
  /* --sql on PostgreSQL: a no-transaction section steps out of BEGIN/COMMIT */
  g_autoptr(GError) error = NULL;
  g_autoptr(RetortRevision) rev = load ("aaaa_index.sql",
    "-- add an index\n-- Revision ID: aaaa\n-- Revises:\n\n"
    "-- retort:upgrade\nCREATE TABLE t (id int);\n\n"
    "-- retort:upgrade postgresql no-transaction\nCREATE INDEX CONCURRENTLY t_id ON t (id);\n", &error);
  g_autoptr(GPtrArray) revisions = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(RetortRevisionMap) map = NULL;
  g_autoptr(RetortPlan) plan = NULL;
  g_autofree char *pg = NULL;
  g_autofree char *sqlite = NULL;

  g_assert_no_error (error);
  g_ptr_array_add (revisions, g_object_ref (rev));
  map = retort_revision_map_new (revisions, NULL, &error);
  plan = retort_plan_new_upgrade (map, "head", NULL, &error);
  g_assert_no_error (error);
  pg = retort_offline_render (plan, RETORT_DIALECT_POSTGRESQL, NULL, "alembic_version", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (pg, ==,
                   "BEGIN;\n\n"
                   "CREATE TABLE alembic_version (\n    version_num VARCHAR(32) NOT NULL, \n"
                   "    CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)\n);\n\n"
                   "-- Running upgrade  -> aaaa\n\n"
                   "CREATE TABLE t (id int);\n\n"
                   "COMMIT;\n\n"
                   "CREATE INDEX CONCURRENTLY t_id ON t (id);\n\n"
                   "BEGIN;\n\n"
                   "INSERT INTO alembic_version (version_num) VALUES ('aaaa');\n\n"
                   "COMMIT;\n\n");
  /* SQLite: the dialect-free section, no BEGIN/COMMIT, as Alembic's offline SQLite */
  sqlite = retort_offline_render (plan, RETORT_DIALECT_SQLITE, "main", "versions", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sqlite, ==,
                   "CREATE TABLE main.versions (\n    version_num VARCHAR(32) NOT NULL, \n"
                   "    CONSTRAINT versions_pkc PRIMARY KEY (version_num)\n);\n\n"
                   "-- Running upgrade  -> aaaa\n\n"
                   "CREATE TABLE t (id int);\n\n"
                   "INSERT INTO main.versions (version_num) VALUES ('aaaa');\n\n");
}

static void
test_sql_errors (void)
{
  assert_load_error ("empty.sql", "\n  \n", -1, RETORT_REVISION_ERROR_EMPTY, ":1: the file is empty");
  assert_load_error ("noid.sql", "-- hello\n-- Revises:\n-- retort:upgrade\nSELECT 1;\n", -1,
                     RETORT_REVISION_ERROR_MISSING_FIELD, "no revision id");
  assert_load_error ("norevises.sql", "-- hello\n-- Revision ID: abcd\n", -1,
                     RETORT_REVISION_ERROR_MISSING_FIELD, ":2: revision 'abcd' has no '-- Revises:' line");
  assert_load_error ("marker.sql", "-- Revision ID: abcd\n-- Revises:\n-- retort:upgrade mysql\n", -1,
                     RETORT_REVISION_ERROR_SYNTAX, ":3: unknown word 'mysql'");
  assert_load_error ("direction.sql", "-- Revision ID: abcd\n-- Revises:\n-- retort:sideways\n", -1,
                     RETORT_REVISION_ERROR_SYNTAX, ":3: unknown section marker");
  assert_load_error ("stray.sql", "-- Revision ID: abcd\n-- Revises:\nCREATE TABLE t (x int);\n", -1,
                     RETORT_REVISION_ERROR_SYNTAX, ":3: SQL before the first section");
  assert_load_error ("twice.sql", "-- Revision ID: abcd\n-- Revision ID: efgh\n-- Revises:\n", -1,
                     RETORT_REVISION_ERROR_SYNTAX, ":2: 'Revision ID:' appears twice");
  assert_load_error ("bytes.sql", "-- Revision ID: abcd\n-- Revises:\n-- \xff\n", -1,
                     RETORT_REVISION_ERROR_ENCODING, ":3: the file is not valid UTF-8");
}

static void
test_ini (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RetortIni) ini = retort_ini_new_from_data (
    "# A generic, single database configuration.\n"
    "[DEFAULT]\n"
    "base = /srv\n"
    "\n"
    "[alembic]\n"
    "; comment\n"
    "Script_Location = %(here)s/migrations\n"
    "version_locations = %(base)s/a\n"
    "   %(base)s/b\n"
    "sqlalchemy.url: sqlite:///100%%.db\n"
    "broken = %(nowhere)s\n", "/etc/project", &error);
  g_autofree char *value = NULL;

  g_assert_no_error (error);
  value = retort_ini_get (ini, "alembic", "script_location", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (value, ==, "/etc/project/migrations");
  g_clear_pointer (&value, g_free);
  value = retort_ini_get (ini, "alembic", "version_locations", &error);
  g_assert_cmpstr (value, ==, "/srv/a\n/srv/b");
  g_clear_pointer (&value, g_free);
  value = retort_ini_get (ini, "alembic", "sqlalchemy.url", &error);
  g_assert_cmpstr (value, ==, "sqlite:///100%.db");
  g_clear_pointer (&value, g_free);
  g_assert_null (retort_ini_get (ini, "alembic", "absent", &error));
  g_assert_no_error (error);
  g_assert_null (retort_ini_get (ini, "alembic", "broken", &error));
  g_assert_error (error, RETORT_INI_ERROR, RETORT_INI_ERROR_INTERPOLATION);
  g_clear_error (&error);

  g_assert_null (retort_ini_new_from_data ("[alembic\nx = 1\n", NULL, &error));
  g_assert_error (error, RETORT_INI_ERROR, RETORT_INI_ERROR_PARSE);
}

static void
test_script_dir (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *root = g_build_filename (tmpdir, "project", NULL);
  g_autofree char *versions = g_build_filename (root, "migrations", "versions", NULL);
  g_autofree char *extra = g_build_filename (root, "extra", NULL);
  g_autofree char *ini_path = g_build_filename (root, "alembic.ini", NULL);
  g_autoptr(RetortScriptDir) dir = NULL;
  RetortRevisionMap *map;
  const char *files[][2] = {
    { "migrations/versions/b_second.py", "revision = 'bbbb'\ndown_revision = 'aaaa'\n" },
    { "migrations/versions/a_first.py", "\"\"\"first\"\"\"\nrevision = 'aaaa'\ndown_revision = None\n" },
    { "migrations/versions/__init__.py", "this is not python at all (" },
    { "migrations/versions/README", "not a revision" },
    { "migrations/versions/.#a_first.py", "emacs lock" },
    { "extra/c_third.sql", "-- third\n-- Revision ID: cccc\n-- Revises: bbbb\n-- retort:upgrade\nSELECT 1;\n" },
    { "alembic.ini", "[alembic]\nscript_location = %(here)s/migrations\n"
                     "version_locations = %(here)s/migrations/versions %(here)s/extra %(here)s/missing\n"
                     "version_table = my_versions\nsqlalchemy.url = sqlite:///demo.db\n" },
  };

  g_mkdir_with_parents (versions, 0700);
  g_mkdir_with_parents (extra, 0700);
  for (gsize i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *path = g_build_filename (root, files[i][0], NULL);
      g_file_set_contents (path, files[i][1], -1, &error);
      g_assert_no_error (error);
    }

  dir = retort_script_dir_new_from_ini (ini_path, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (retort_script_dir_load (dir, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (retort_script_dir_get_version_table (dir), ==, "my_versions");
  g_assert_cmpstr (retort_script_dir_get_url (dir), ==, "sqlite:///demo.db");
  map = retort_script_dir_get_map (dir);
  g_assert_cmpuint (retort_revision_map_get_n_revisions (map), ==, 3);
  /* sorted file order within each location, locations in ini order */
  g_assert_cmpstr (retort_revision_get_id (retort_revision_map_get_nth (map, 0)), ==, "aaaa");
  g_assert_cmpstr (retort_revision_get_id (retort_revision_map_get_nth (map, 1)), ==, "bbbb");
  g_assert_cmpstr (retort_revision_get_id (retort_revision_map_get_nth (map, 2)), ==, "cccc");

  {
    g_autoptr(GPtrArray) warnings = retort_script_dir_dup_warnings (dir);
    g_assert_cmpuint (warnings->len, ==, 0);
  }
  {
    /* a docstring that disagrees with the variables loads, with a warning */
    g_autofree char *odd = g_build_filename (versions, "c_odd.py", NULL);
    g_autoptr(GPtrArray) warnings = NULL;
    g_file_set_contents (odd, "\"\"\"odd\n\nRevision ID: ffff\nRevises: aaaa\n\"\"\"\n"
                         "revision = 'dddd'\ndown_revision = 'bbbb'\n", -1, NULL);
    g_assert_true (retort_script_dir_load (dir, &error));
    warnings = retort_script_dir_dup_warnings (dir);
    g_assert_cmpuint (warnings->len, ==, 2);
    g_assert_nonnull (strstr (g_ptr_array_index (warnings, 0), "c_odd.py: the docstring says 'Revision ID: ffff' but revision = 'dddd'"));
    g_assert_nonnull (strstr (g_ptr_array_index (warnings, 1), "'Revises: aaaa' but down_revision is 'bbbb'"));
    g_unlink (odd);
  }

  /* a broken file is reported with the others, not instead of them */
  {
    g_autofree char *bad = g_build_filename (versions, "c_bad.py", NULL);
    g_autofree char *bad2 = g_build_filename (versions, "d_bad.py", NULL);
    GPtrArray *problems;
    g_file_set_contents (bad, "revision = 'dddd'\n", -1, NULL);
    g_file_set_contents (bad2, "revision = 'eeee'\ndown_revision = 'zzzz'\n", -1, NULL);
    g_assert_false (retort_script_dir_load (dir, &error));
    g_assert_error (error, RETORT_SCRIPT_DIR_ERROR, RETORT_SCRIPT_DIR_ERROR_INVALID);
    problems = retort_script_dir_get_problems (dir);
    g_assert_cmpuint (problems->len, ==, 1);
    g_assert_nonnull (strstr (((GError *) g_ptr_array_index (problems, 0))->message, "c_bad.py:1:"));
    g_clear_error (&error);
    g_unlink (bad);
    g_assert_false (retort_script_dir_load (dir, &error));
    g_assert_nonnull (strstr (error->message, "d_bad.py:2: revision eeee revises 'zzzz'"));
    g_unlink (bad2);
  }
}

static void
test_script_dir_many_files (void)
{
  /* enough files for the parallel reader; one broken file is reported with
   * its name, and order (the graph's load order) follows the file names */
  g_autoptr(GError) error = NULL;
  g_autofree char *root = g_build_filename (tmpdir, "many", NULL);
  g_autofree char *versions = g_build_filename (root, "versions", NULL);
  g_autoptr(RetortScriptDir) dir = NULL;
  RetortRevisionMap *map;

  g_mkdir_with_parents (versions, 0700);
  for (guint i = 0; i < 600; i++)
    {
      g_autofree char *name = g_strdup_printf ("%s/%04u_step.py", versions, i);
      g_autofree char *text = i == 0 ? g_strdup ("revision = 'r0000'\ndown_revision = None\n")
                                     : g_strdup_printf ("\"\"\"step %u\"\"\"\nrevision = 'r%04u'\n"
                                                        "down_revision = 'r%04u'\n", i, i, i - 1);
      g_file_set_contents (name, text, -1, &error);
      g_assert_no_error (error);
    }
  dir = retort_script_dir_new_from_directory (root, &error);
  g_assert_no_error (error);
  g_assert_true (retort_script_dir_load (dir, &error));
  g_assert_no_error (error);
  map = retort_script_dir_get_map (dir);
  g_assert_cmpuint (retort_revision_map_get_n_revisions (map), ==, 600);
  for (guint i = 0; i < 600; i += 97)
    {
      g_autofree char *id = g_strdup_printf ("r%04u", i);
      g_assert_cmpstr (retort_revision_get_id (retort_revision_map_get_nth (map, i)), ==, id);
    }

  {
    g_autofree char *bad = g_build_filename (versions, "0450_step.py", NULL);
    GPtrArray *problems;
    g_file_set_contents (bad, "revision = 'r0450'\ndown_revision = (\n", -1, NULL);
    g_assert_false (retort_script_dir_load (dir, &error));
    problems = retort_script_dir_get_problems (dir);
    g_assert_cmpuint (problems->len, ==, 1);
    g_assert_nonnull (strstr (((GError *) g_ptr_array_index (problems, 0))->message, "0450_step.py:"));
  }
}

static void
test_script_dir_errors (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *ini = write_file ("noloc.ini", "[alembic]\nsqlalchemy.url = sqlite://\n", -1);
  g_autofree char *ini2 = write_file ("pkg.ini", "[alembic]\nscript_location = myapp:migrations\n", -1);
  g_autofree char *missing = g_build_filename (tmpdir, "nope", NULL);
  g_autoptr(RetortScriptDir) dir = NULL;

  g_assert_null (retort_script_dir_new_from_ini (ini, NULL, &error));
  g_assert_error (error, RETORT_SCRIPT_DIR_ERROR, RETORT_SCRIPT_DIR_ERROR_CONFIG);
  g_clear_error (&error);
  g_assert_null (retort_script_dir_new_from_ini (ini, "other", &error));
  g_assert_error (error, RETORT_SCRIPT_DIR_ERROR, RETORT_SCRIPT_DIR_ERROR_CONFIG);
  g_clear_error (&error);
  g_assert_null (retort_script_dir_new_from_ini (ini2, NULL, &error));
  g_assert_nonnull (strstr (error->message, "Python package resource"));
  g_clear_error (&error);
  g_assert_null (retort_script_dir_new_from_directory (missing, &error));
  g_assert_error (error, RETORT_SCRIPT_DIR_ERROR, RETORT_SCRIPT_DIR_ERROR_NOT_FOUND);
  g_clear_error (&error);
  dir = retort_script_dir_new_from_directory (tmpdir, &error);
  g_assert_no_error (error);
  g_assert_false (retort_script_dir_load (dir, &error));
  g_assert_error (error, RETORT_SCRIPT_DIR_ERROR, RETORT_SCRIPT_DIR_ERROR_NOT_FOUND);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  tmpdir = g_dir_make_tmp ("retort-files-XXXXXX", &error);
  g_assert_no_error (error);

  g_test_add_func ("/files/py/classic", test_py_classic);
  g_test_add_func ("/files/py/typed", test_py_typed);
  g_test_add_func ("/files/py/execute-bodies", test_py_execute_bodies);
  g_test_add_func ("/files/py/forms", test_py_forms);
  g_test_add_func ("/files/py/errors", test_py_errors);
  g_test_add_func ("/files/sql/revision", test_sql_revision);
  g_test_add_func ("/files/sql/errors", test_sql_errors);
  g_test_add_func ("/files/sql/offline-render", test_offline_render);
  g_test_add_func ("/files/ini", test_ini);
  g_test_add_func ("/files/script-dir", test_script_dir);
  g_test_add_func ("/files/script-dir/many-files", test_script_dir_many_files);
  g_test_add_func ("/files/script-dir/errors", test_script_dir_errors);
  status = g_test_run ();

  {
    g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", tmpdir);
    if (system (cmd) != 0)
      g_printerr ("could not remove %s\n", tmpdir);
  }
  g_free (tmpdir);
  return status;
}
