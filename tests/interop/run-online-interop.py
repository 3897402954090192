#!/usr/bin/python3
"""Online interoperability: retort-cli and Debian's alembic 1.8.1 on twin databases.

For every scenario two empty databases are made, A for alembic and B for
Retort. Each step of the scenario (upgrade/downgrade/stamp with some target) is
run by alembic on A and by retort-cli on B, and after every step the two must
agree on:
  * the exit status (both 0, or both non-zero),
  * the "Running ..." step lines (text after "Running "); where Alembic's order
    comes from Python set order (the from/to lists of a stamp_revision step)
    those lists are compared as sets of comma-separated items,
  * the row SET of alembic_version (absent table != empty table),
  * the schema: the list of tables (SQLite: name and SQL of every table in
    sqlite_master; PostgreSQL: every column of every table in schema public).
After some steps (marked "cross") the databases are cross-read: `alembic
current` on Retort's database must print the same (sorted) lines as `retort-cli
current` there, and `retort-cli current` on alembic's database the same lines
as `alembic current` there.

The revisions' upgrade()/downgrade() bodies are op.execute("...") calls (some
wrapped in sa.text(...)), creating and dropping one table per revision (with IF
[NOT] EXISTS, so that stamps, which move rows without touching the schema,
leave later steps well-defined), and merges with `pass` bodies.

Every scenario runs on SQLite (files in a temporary directory) and, when
RETORT_TEST_PG / RETORT_TEST_PG_PORT / RETORT_TEST_PG_BIN are set (see
tests/pg/with-postgres.sh), on PostgreSQL too (two databases per scenario,
made with psql). The two halves run in parallel.

Alembic runs with the sorted file load order of alembic-sorted.py. Starting it
costs ~0.4 s, so by default each half keeps one alembic worker process (it
loads alembic-sorted.py once, then runs each command exactly as
alembic.config.CommandLine.main() does, with sys.stdout/sys.stderr captured per
command; env.py's fileConfig() re-binds the log handler to the captured stderr
on every command). --per-call runs every alembic command as its own
`python3 alembic-sorted.py` process instead.

Only failures are printed (with details), then one line
`online-interop: N passed, M failed`. Exit status 1 on any failure, 77 when
alembic is not importable.

Usage: run-online-interop.py [--retort PATH] [--keep DIR] [--only SUBSTR]
                             [--dialect sqlite|postgresql] [--per-call] [-v]
"""
import argparse
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "lib"))
from alembic_ini import alembic_ini  # noqa: E402  (tests/lib, shared by the harnesses)

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE_DIR = os.environ.get("RETORT_SOURCE_DIR") or os.path.dirname(os.path.dirname(HERE))
ALEMBIC_SORTED = os.path.join(HERE, "alembic-sorted.py")
PYTHON = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable
ENV_PY = os.path.join(SOURCE_DIR, "migrations", "env.py")


# --------------------------------------------------------------------------
# Script directories
# --------------------------------------------------------------------------

class Rev:
    """id, down (tuple), branch labels, depends_on entries (ids or labels).

    body: "execute" (op.execute("...")), "text" (op.execute(sa.text("..."))),
    "pass" (a merge revision as `alembic merge` writes it), "fail" (creates its
    table, then a statement that fails on both dialects, in both directions).
    """

    def __init__(self, rid, down=(), labels=(), deps=(), body="execute"):
        self.id = rid
        self.down = tuple(down)
        self.labels = tuple(labels)
        self.deps = tuple(deps)
        self.body = body


def R(rid, down=(), labels=(), deps=(), body="execute"):
    if isinstance(down, str):
        down = (down,)
    if isinstance(labels, str):
        labels = (labels,)
    if isinstance(deps, str):
        deps = (deps,)
    return Rev(rid, down, labels, deps, body)


def py_value(values):
    if not values:
        return "None"
    if len(values) == 1:
        return repr(values[0])
    return "(%s)" % ", ".join(repr(v) for v in values)


def render(rev):
    table = "t_%s" % rev.id
    create = "CREATE TABLE IF NOT EXISTS %s (id integer primary key, note varchar(20))" % table
    drop = "DROP TABLE IF EXISTS %s" % table
    if rev.body == "fail":
        up = '    op.execute("%s")\n    op.execute("INSERT INTO no_such_table VALUES (1)")\n' % create
        down = '    op.execute("%s")\n    op.execute("DELETE FROM no_such_table")\n' % drop
        message = "create %s, then fail" % table
    elif rev.body == "pass":
        up = down = "    pass\n"
        message = "merge %s" % ", ".join(rev.down)
    elif rev.body == "text":
        up = '    op.execute(sa.text("%s"))\n' % create
        down = '    op.execute(sa.text("%s"))\n' % drop
        message = "create %s" % table
    else:
        up = '    op.execute("%s")\n' % create
        down = '    op.execute("%s")\n' % drop
        message = "create %s" % table
    return (
        '"""%s\n\nRevision ID: %s\nRevises: %s\nCreate Date: 2024-05-01 12:00:00.000000\n\n"""\n'
        "from alembic import op\n"
        "import sqlalchemy as sa\n\n\n"
        "# revision identifiers, used by Alembic.\n"
        "revision = %r\n"
        "down_revision = %s\n"
        "branch_labels = %s\n"
        "depends_on = %s\n\n\n"
        "def upgrade():\n%s\n\n"
        "def downgrade():\n%s"
    ) % (message, rev.id, ", ".join(rev.down), rev.id, py_value(rev.down),
         py_value(rev.labels), py_value(rev.deps), up, down)




def write_script_dir(path, revs):
    os.makedirs(os.path.join(path, "versions"))
    shutil.copy(ENV_PY, os.path.join(path, "env.py"))
    for rev in revs:
        with open(os.path.join(path, "versions", "%s_rev.py" % rev.id), "w") as f:
            f.write(render(rev))


def ancestor_sets(revs):
    """{id: proper ancestors, following down_revision and depends_on}"""
    labels = {l: r.id for r in revs for l in r.labels}
    parents = {r.id: list(r.down) + [labels.get(d, d) for d in r.deps] for r in revs}
    memo = {}

    def anc(rid):
        if rid not in memo:
            memo[rid] = set()
            for p in parents[rid]:
                memo[rid] |= {p} | anc(p)
        return memo[rid]

    return {r.id: anc(r.id) for r in revs}


def reduce_rows(ancestors, rows):
    """The rows without those that are an ancestor of another row.

    Alembic (1.8.1, and current Alembic beside other rows) can unmerge a merge
    whose parents overlap via depends_on into rows where one is an ancestor of
    another; no upgrade works from such rows. Retort deliberately never writes
    such a row (reference doc: "Retort must never write a row that is an
    ancestor of another row"; commit e4728a9), so where alembic's rows hold
    one, Retort's must be exactly these, and alembic's database then gets them.
    """
    return sorted(r for r in rows if not any(r in ancestors.get(o, ()) for o in rows))


# --------------------------------------------------------------------------
# Graphs and scenarios
#
# A step is a string (the command line after the global options), optionally
# followed by " ;cross" (cross-read both databases with `current` afterwards)
# or " ;fails" (both tools must fail; rows and schema must stay equal),
# or " ;sqlerror" (a statement fails: both fail, alembic with the driver's
# traceback; what was committed before must be the same). On SQLite, alembic
# (pysqlite's implicit transactions: DDL autocommits) keeps what the failed
# revision did before its failing statement, while Retort rolls the whole
# failed revision back (DDL is transactional on SQLite when the engine issues
# BEGIN itself) -- a deliberate difference: there the schemas may differ in
# the failing revision's own table only, and alembic's database is then given
# Retort's version of that table. Rows must match in any case.
# or " ;crash" (alembic crashes with a traceback, possibly after writing rows:
# Retort must fail cleanly and leave its rows as they were; then alembic's
# database gets Retort's rows).
# Special steps are tuples:
#   ("head1373", CMD, ROWS, ROWS_181): alembic 1.8.1 and current Alembic
#       differ (see below); Retort's rows must be ROWS (current Alembic's),
#       alembic's must be ROWS_181 (or ROWS, should a fixed alembic be installed);
#   ("sync",): copy the rows of Retort's database to alembic's.
# --------------------------------------------------------------------------

GRAPHS = {}
SCENARIOS = []


def graph(name, revs):
    GRAPHS[name] = revs


def scenario(graph_name, name, steps):
    SCENARIOS.append((graph_name, name, steps))


graph("linear", [
    R("l1"), R("l2", "l1"), R("l3", "l2", body="text"), R("l4", "l3"), R("l5", "l4"),
])
scenario("linear", "up-down", [
    "upgrade l2", "upgrade +2", "upgrade heads ;cross", "downgrade -1", "downgrade l2",
    "downgrade -1", "upgrade +1", "upgrade l1", "downgrade base ;cross", "upgrade head",
    "downgrade l3", "upgrade l3+1", "downgrade base",
])
scenario("linear", "stamp", [
    "stamp l3 ;cross", "upgrade head", "stamp l2", "downgrade base", "stamp heads ;cross",
    "stamp base", "stamp --purge l4 ;cross", "upgrade +1", "downgrade l1",
    "upgrade l9 ;fails", "downgrade l3 ;fails", "downgrade +1 ;fails", "upgrade -1 ;fails",
    "upgrade +5 ;fails", "downgrade -2 ;fails", "downgrade base",
])

scenario("linear", "from-nothing", [
    # no alembic_version table yet: downgrade/stamp/upgrade create it
    "current ;cross", "downgrade base ;cross", "upgrade heads", "stamp --purge l2 ;cross",
    "upgrade l5-2", "downgrade l4-2",
    # from {l2}: alembic stamps l2 -> l5, then crashes (KeyError 'l2') on l2 -> l1
    "stamp l5 l1 ;crash", "downgrade base",
])

# a revision whose SQL fails: SQLite commits every revision before it
# (alembic's non-transactional DDL mode), PostgreSQL rolls the whole run back
graph("failing", [
    R("f1"), R("f2", "f1"), R("f3", "f2", body="fail"), R("f4", "f3"),
    R("g1", labels="gs"), R("g2", "g1"),
])
scenario("failing", "run", [
    "upgrade heads ;sqlerror", "upgrade f2 ;cross", "upgrade g1", "upgrade heads ;sqlerror",
    "upgrade f2+1 ;sqlerror", "stamp f3", "upgrade heads", "downgrade f2 ;sqlerror",
    "downgrade gs@base ;cross", "stamp --purge f2", "downgrade base",
])

# two branches with labels off one root
graph("labels", [
    R("r0"), R("a1", "r0", labels="alpha"), R("a2", "a1"), R("a3", "a2", body="text"),
    R("b1", "r0", labels="beta"), R("b2", "b1"),
])
scenario("labels", "branches", [
    "upgrade alpha@head", "upgrade beta@+1 ;cross", "upgrade heads", "downgrade alpha@-1",
    "downgrade beta@base ;cross", "upgrade beta@+2", "downgrade a1 ;cross", "upgrade a3",
    "downgrade beta@-2 ;cross", "upgrade head ;fails", "upgrade beta@head",
    "downgrade alpha@base ;cross", "upgrade alpha@a2", "upgrade beta@b2", "downgrade r0",
    "downgrade base",
])
scenario("labels", "stamp", [
    "stamp a2 b1 ;cross", "upgrade heads", "stamp alpha@base ;cross", "stamp beta@head",
    "stamp heads ;cross", "stamp base", "stamp --purge a1 b1", "upgrade alpha@+1",
    "upgrade beta@+1", "downgrade r0 ;cross", "stamp alpha@head", "downgrade base",
])

# branch + merge (diamond)
graph("diamond", [
    R("a"), R("b1", "a"), R("b2", "a", body="text"), R("c", ("b1", "b2"), body="pass"),
    R("d", "c"),
])
scenario("diamond", "merge", [
    "upgrade b1", "upgrade b2 ;cross", "upgrade c", "upgrade +1 ;cross", "downgrade b1 ;cross",
    "downgrade a", "upgrade heads", "downgrade -2 ;fails", "downgrade -1", "downgrade -1 ;fails",
    "downgrade b2 ;cross", "upgrade +1 ;fails", "downgrade a", "upgrade b2", "upgrade d",
    "downgrade base",
])
scenario("diamond", "stamp", [
    "stamp b1 b2 ;cross", "upgrade head", "stamp c", "stamp b2 ;cross", "upgrade +2",
    # from {d}: alembic stamps d -> b1, then crashes (KeyError 'd') stamping d -> b2
    "stamp b1 b2 ;crash",
    "stamp heads ;cross", "stamp --purge c", "downgrade b2", "stamp base", "stamp b1 b2",
    "upgrade c", "downgrade base ;cross",
])

# three-way merge, plus an unrelated root
graph("threeway", [
    R("a"), R("b1", "a"), R("b2", "a"), R("c1", "a"), R("c2", "c1", body="text"),
    R("m", ("b1", "b2", "c2")), R("e", "m"), R("z1"),
])
scenario("threeway", "merge", [
    "upgrade a", "upgrade e ;cross", "downgrade b2", "downgrade c1 ;cross", "upgrade m",
    "downgrade a", "upgrade b1", "upgrade c2", "upgrade z1 ;cross", "upgrade e ;cross",
    "downgrade c1", "downgrade z1@base", "upgrade heads", "downgrade base",
])
scenario("threeway", "stamp", [
    "stamp b1 b2 c2 ;cross", "upgrade +1 ;fails", "upgrade m", "stamp z1", "stamp heads ;cross",
    "stamp --purge b1 b2 c2", "upgrade heads ;cross", "stamp c1 z1", "upgrade e",
    "downgrade a", "stamp base", "downgrade base",
])

# multiple roots, two of them labelled
graph("roots", [
    R("x1", labels="xs"), R("x2", "x1"), R("x3", "x2"), R("y1", labels="ys"),
    R("y2", "y1", body="text"), R("z1"),
])
scenario("roots", "upgrade", [
    "upgrade heads ;cross", "downgrade xs@base", "downgrade ys@-1", "upgrade xs@+2 ;cross",
    "downgrade base", "upgrade y2", "upgrade x1", "upgrade z1 ;cross", "upgrade head ;fails",
    # several rows: alembic warns that this is ambiguous and walks down from
    # the first row its SELECT returns (both databases saw the same writes)
    "downgrade -1", "upgrade heads", "stamp --purge z1", "upgrade ys@head", "upgrade x2",
    "downgrade -1", "downgrade -1", "upgrade y2", "upgrade x1", "upgrade z1",
    "upgrade xs@head", "downgrade ys@base ;cross", "downgrade x2", "upgrade ys@+1",
    "downgrade xs@-1", "downgrade base",
])
scenario("roots", "stamp", [
    "stamp xs@head ys@head ;cross", "stamp base", "stamp x2 y1 z1 ;cross", "upgrade ys@+1",
    "stamp --purge z1 ;cross", "upgrade heads", "stamp xs@base", "stamp ys@base ;cross",
    "upgrade xs@x2", "downgrade base",
])

# depends_on across branches, by id and by branch label
graph("depends", [
    R("a1", labels="alpha"), R("a2", "a1"), R("a3", "a2"),
    R("b1", labels="beta"), R("b2", "b1", deps="a2"), R("b3", "b2", deps="alpha", body="text"),
    R("c1", labels="gamma", deps="beta"), R("c2", "c1"),
])
scenario("depends", "upgrade", [
    "upgrade b2 ;cross", "upgrade alpha@head", "downgrade a1 ;cross", "upgrade beta@head",
    "upgrade gamma@head ;cross", "downgrade beta@base ;cross", "upgrade heads",
    "downgrade alpha@base ;cross", "upgrade c1", "downgrade a2", "upgrade b3 ;cross",
    "downgrade b1", "downgrade base",
])
scenario("depends", "stamp", [
    "upgrade c1 ;cross", "upgrade b3", "downgrade b1 ;cross", "stamp b2 ;cross", "stamp a3 c2",
    "stamp heads ;cross", "stamp base", "stamp --purge b3 ;cross", "upgrade heads",
    "downgrade a2 ;cross", "downgrade gamma@base", "downgrade base",
])

# a merge whose parents overlap via depends_on (b1 depends on a1, bm merges both),
# plus an unrelated root
graph("mergedeps", [
    R("a1"), R("b1", deps="a1"), R("bm", ("a1", "b1"), body="pass"), R("bz"),
])
scenario("mergedeps", "alone", [
    "upgrade bm ;cross",
    # Alembic #1373 (reference doc section 7 item 2): downgrading the merge bm
    # when it is the only row. Debian's 1.8.1 unmerges to rows {a1, b1}, where
    # a1 is an ancestor (via depends_on) of b1, and every later upgrade fails
    # ("Requested revision b1 overlaps with other requested revisions a1").
    # Current Alembic (>= 1.13.1) leaves {b1}, and Retort deliberately follows
    # it: here Retort's rows must be {b1} (the HEAD behaviour), not alembic's.
    ("head1373", "downgrade b1", ["b1"], ["a1", "b1"]),
    ("sync",),
    "upgrade bm ;cross",
    ("head1373", "downgrade a1", ["b1"], ["a1", "b1"]),
    ("sync",),
    "downgrade base ;cross",
    "stamp bm", "upgrade heads ;cross", "downgrade base",
])
scenario("mergedeps", "beside", [
    # with another row present, 1.8.1 and current Alembic both leave {a1, b1, bz}
    # (a1 an ancestor of b1 via depends_on); Retort leaves {b1, bz} (reduce_rows)
    "upgrade bz", "upgrade bm ;cross", "downgrade b1 ;cross", "downgrade base",
])


# --------------------------------------------------------------------------
# Running the tools
# --------------------------------------------------------------------------

WORKER_SOURCE = r'''
import contextlib, importlib.util, io, json, os, sys, traceback
sys.dont_write_bytecode = True
spec = importlib.util.spec_from_file_location("alembic_sorted", sys.argv[1])
mod = importlib.util.module_from_spec(spec)
spec.loader.exec_module(mod)  # installs the sorted os.listdir
from alembic.config import CommandLine, Config
proto_out = sys.stdout
real_err = sys.stderr
for line in sys.stdin:
    job = json.loads(line)
    out = io.StringIO()
    err = io.StringIO()
    status = 0
    os.chdir(job["cwd"])
    sys.stdout, sys.stderr = out, err
    try:
        cmd = CommandLine(prog="alembic")
        options = cmd.parser.parse_args(job["argv"])
        cfg = Config(file_=options.config, ini_section=options.name, cmd_opts=options,
                     stdout=out)
        cmd.run_cmd(cfg, options)
    except SystemExit as e:
        code = e.code
        status = 0 if code is None else (code & 0xFF if isinstance(code, int) else 1)
    except Exception:
        traceback.print_exc()
        status = 1
    finally:
        sys.stdout, sys.stderr = proto_out, real_err
    proto_out.write(json.dumps({"status": status, "stdout": out.getvalue(),
                                "stderr": err.getvalue()}) + "\n")
    proto_out.flush()
'''


class Alembic:
    """Runs alembic commands: one worker process, or one process per call."""

    def __init__(self, per_call):
        self.per_call = per_call
        self.proc = None
        if not per_call:
            self.proc = subprocess.Popen(
                [PYTHON, "-c", WORKER_SOURCE, ALEMBIC_SORTED],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1,
                env=dict(os.environ, PYTHONDONTWRITEBYTECODE="1"))

    def run(self, cwd, argv):
        if self.per_call:
            p = subprocess.run([PYTHON, ALEMBIC_SORTED] + argv, cwd=cwd, capture_output=True,
                               text=True, env=dict(os.environ, PYTHONDONTWRITEBYTECODE="1"))
            return p.returncode, p.stdout, p.stderr
        self.proc.stdin.write(json.dumps({"cwd": cwd, "argv": argv}) + "\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError("the alembic worker died")
        r = json.loads(line)
        return r["status"], r["stdout"], r["stderr"]

    def close(self):
        if self.proc:
            self.proc.stdin.close()
            self.proc.wait()


def run_retort(retort, cwd, argv):
    p = subprocess.run([retort] + argv, cwd=cwd, capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr


RUNNING = re.compile(r"^INFO  \[alembic\.runtime\.migration\] Running (.*)$")
STEP = re.compile(r"^(upgrade|downgrade|stamp_revision) (.*?) -> (.*?)(, .*)?$")


def current_v_key(out):
    """`current -v`: the "Current revision(s) for URL:" line, then one block
    per revision starting with "Rev: ", in set order."""
    head, *blocks = re.split(r"^(?=Rev: )", out, flags=re.M)
    # "Branches into:" (nextrev) and "Branch names:" are Python sets in alembic
    setline = re.compile(r"^(Branches into|Branch names): (.*)$", re.M)
    blocks = [setline.sub(lambda m: "%s: %s" % (m.group(1), sorted(m.group(2).split(", "))), b)
              for b in blocks]
    return head, sorted(blocks)


def running_lines(stderr):
    return [m.group(1) for m in map(RUNNING.match, stderr.splitlines()) if m]


def step_key(line):
    """A Running line, with the from/to lists of stamp steps as sets."""
    m = STEP.match(line)
    if m and m.group(1) == "stamp_revision":
        items = lambda s: tuple(sorted(x for x in s.split(", ") if x))  # noqa: E731
        return ("stamp_revision", items(m.group(2)), items(m.group(3)), m.group(4))
    return line


# --------------------------------------------------------------------------
# Databases
# --------------------------------------------------------------------------

class SQLiteDialect:
    name = "sqlite"

    def __init__(self, tmp):
        self.tmp = tmp

    def make_pair(self, tag):
        return ["sqlite:///" + os.path.join(self.tmp, "%s-%s.db" % (tag, x)) for x in "ab"]

    def drop_pair(self, tag, urls):
        pass

    @staticmethod
    def _path(url):
        return url[len("sqlite:///"):]

    def state(self, url):
        """(rows or None when there is no alembic_version table, schema)"""
        path = self._path(url)
        if not os.path.exists(path):
            return None, []
        con = sqlite3.connect(path)
        try:
            schema = con.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table' "
                                 "ORDER BY name").fetchall()
            rows = None
            if any(name == "alembic_version" for name, _ in schema):
                rows = sorted(r[0] for r in con.execute("SELECT version_num FROM alembic_version"))
        finally:
            con.close()
        return rows, ["%s: %s" % (n, " ".join(s.split())) for n, s in schema]

    def copy_table(self, src_url, dst_url, name):
        """Make table `name` exist in dst (empty) exactly when it does in src."""
        src = sqlite3.connect(self._path(src_url))
        row = src.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?",
                          (name,)).fetchone()
        src.close()
        dst = sqlite3.connect(self._path(dst_url))
        with dst:
            dst.execute("DROP TABLE IF EXISTS %s" % name)
            if row:
                dst.execute(row[0])
        dst.close()

    def set_rows(self, url, rows):
        con = sqlite3.connect(self._path(url))
        with con:
            con.execute("DELETE FROM alembic_version")
            con.executemany("INSERT INTO alembic_version (version_num) VALUES (?)",
                            [(r,) for r in rows])
        con.close()


class PostgresDialect:
    name = "postgresql"

    def __init__(self, port, bindir, conninfo):
        self.port = port
        self.psql = os.path.join(bindir, "psql")
        self.conninfo = conninfo
        self.lock = threading.Lock()

    def _psql(self, target, sql):
        p = subprocess.run([self.psql, "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-d", target,
                            "-c", sql], capture_output=True, text=True)
        if p.returncode != 0:
            raise RuntimeError("psql failed (%s): %s" % (sql, p.stderr.strip()))
        return p.stdout

    def url(self, db):
        return "postgresql://postgres@127.0.0.1:%s/%s" % (self.port, db)

    def make_pair(self, tag):
        dbs = ["oi_%s_%s" % (re.sub(r"\W", "_", tag), x) for x in "ab"]
        for db in dbs:
            self._psql(self.conninfo, "DROP DATABASE IF EXISTS %s" % db)
            self._psql(self.conninfo, "CREATE DATABASE %s" % db)
        return [self.url(db) for db in dbs]

    def drop_pair(self, tag, urls):
        for url in urls:
            self._psql(self.conninfo, "DROP DATABASE IF EXISTS %s" % url.rsplit("/", 1)[1])

    def state(self, url):
        out = self._psql(url, (
            "SELECT 'C|' || c.table_name || '|' || c.column_name || '|' || c.data_type || '|' || "
            "coalesce(c.character_maximum_length::text, '') || '|' || c.is_nullable "
            "FROM information_schema.columns c JOIN information_schema.tables t "
            "ON t.table_schema = c.table_schema AND t.table_name = c.table_name "
            "WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE' "
            "UNION ALL SELECT 'K|' || conname || '|' || pg_get_constraintdef(oid) "
            "FROM pg_constraint WHERE connamespace = 'public'::regnamespace "
            "ORDER BY 1"))
        schema = out.splitlines()
        rows = None
        if any(line.startswith("C|alembic_version|") for line in schema):
            rows = sorted(self._psql(url, "SELECT version_num FROM alembic_version").split())
        return rows, schema

    def set_rows(self, url, rows):
        values = ", ".join("('%s')" % r for r in rows)
        sql = "DELETE FROM alembic_version;"
        if rows:
            sql += " INSERT INTO alembic_version (version_num) VALUES %s;" % values
        self._psql(url, "BEGIN; %s COMMIT;" % sql)


# --------------------------------------------------------------------------
# The runner
# --------------------------------------------------------------------------

class Result:
    def __init__(self):
        self.passed = 0
        self.failures = []
        self.header_checked = set()

    def ok(self):
        self.passed += 1

    def fail(self, where, what, details):
        self.failures.append("FAIL %s: %s\n%s" % (where, what, details.rstrip()))


def fmt_output(tool, status, out, err):
    text = "  %s: exit %s\n" % (tool, status)
    for label, s in (("stdout", out), ("stderr", err)):
        if s.strip():
            text += "    %s:\n%s\n" % (label, "\n".join("      " + l for l in s.rstrip().splitlines()))
    return text


def run_scenario(dialect, alembic, retort, tmp, graph_name, scen_name, steps, res, verbose):
    tag = "%s-%s" % (graph_name, scen_name)
    script = os.path.join(tmp, "dirs", graph_name)
    work = os.path.join(tmp, dialect.name, tag)
    os.makedirs(work)
    url_a, url_b = dialect.make_pair(tag)
    ini_a = os.path.join(work, "a.ini")
    ini_b = os.path.join(work, "b.ini")
    for ini, url in ((ini_a, url_a), (ini_b, url_b)):
        with open(ini, "w") as f:
            f.write(alembic_ini(script, url))
    history = []
    ancestors = ancestor_sets(GRAPHS[graph_name])
    failing_tables = {"t_%s" % r.id for r in GRAPHS[graph_name] if r.body == "fail"}

    def note(text):
        history.append(text)
        if verbose:
            print("[%s] %s/%s: %s" % (dialect.name, graph_name, scen_name, text), flush=True)

    def where():
        return "[%s] %s/%s, steps: %s" % (dialect.name, graph_name, scen_name,
                                          " | ".join(history) or "(none)")

    def alembic_on(ini, argv):
        return alembic.run(work, ["-c", ini] + argv)

    def retort_on(url, argv):
        return run_retort(retort, work, ["-c", ini_a, "--url", url] + argv)

    def compare_state(expect_b_rows=None, lenient=()):
        """Problems, and the rows alembic's database must get when Retort
        deliberately wrote fewer (see reduce_rows)."""
        rows_a, schema_a = dialect.state(url_a)
        rows_b, schema_b = dialect.state(url_b)
        problems = []
        resync = None
        want_b = rows_a if expect_b_rows is None else expect_b_rows
        why = "" if expect_b_rows is None else " (expected for retort: %s)" % expect_b_rows
        if expect_b_rows is None and rows_a is not None:
            reduced = reduce_rows(ancestors, rows_a)
            if reduced != rows_a:
                want_b = resync = reduced
                why = (" (alembic's rows hold an ancestor of another row; Retort never writes "
                        "one, so it must have %s)" % reduced)
        if rows_b != want_b:
            problems.append("alembic_version rows: alembic %s, retort %s%s" % (
                rows_a, rows_b, why))
        if schema_a != schema_b:
            only_a = [s for s in schema_a if s not in schema_b]
            only_b = [s for s in schema_b if s not in schema_a]
            if lenient and all(s.split(":")[0] in lenient for s in only_a + only_b):
                # see the "sqlerror" flag: Retort rolled the failed revision
                # back as a whole; alembic's database gets Retort's tables
                for name in lenient:
                    dialect.copy_table(url_b, url_a, name)
                note("(alembic's half-run revision: tables %s set as in retort's)"
                               % sorted(s.split(":")[0] for s in only_a + only_b))
            else:
                problems.append("schema differs: only in alembic's %s; only in retort's %s" % (
                    only_a, only_b))
        return problems, resync

    def cross():
        # alembic current on Retort's database vs retort current there,
        # retort current on alembic's database vs alembic current there;
        # `current` prints in set order: compare sorted lines (-v: the header
        # line, then the sorted per-revision blocks)
        for label, a_ini, r_url in (("retort's database", ini_b, url_b),
                                    ("alembic's database", ini_a, url_a)):
            for argv, key in ((["current"], lambda o: sorted(o.splitlines())),
                              (["current", "-v"], lambda o: current_v_key(o)[1])):
                sa, oa, ea = alembic_on(a_ini, argv)
                sr, or_, er = retort_on(r_url, argv)
                if sa != 0 or sr != 0 or key(oa) != key(or_):
                    res.fail(where(), "`%s` on %s differs" % (" ".join(argv), label),
                             fmt_output("alembic", sa, oa, ea) + fmt_output("retort", sr, or_, er))
                else:
                    res.ok()
                if len(argv) == 2 and sa == 0 and sr == 0 and label not in res.header_checked:
                    # the "Current revision(s) for URL:" line: checked once
                    # per dialect and database, not after every step
                    res.header_checked.add(label)
                    head_a, head_r = current_v_key(oa)[0], current_v_key(or_)[0]
                    if head_a != head_r:
                        res.fail(where(), "`current -v` on %s: the first line differs" % label,
                                 "  alembic: %r\n  retort:  %r\n  (both were given the URL %s)"
                                 % (head_a, head_r, r_url))
                    else:
                        res.ok()

    try:
        for index, step in enumerate(steps):
            special = None
            if isinstance(step, tuple):
                special = step[0]
                if special == "sync":
                    rows_b, _ = dialect.state(url_b)
                    dialect.set_rows(url_a, rows_b or [])
                    note("(alembic's rows set to %s)" % (rows_b,))
                    continue
                cmd, expect_rows, alembic_rows = step[1], step[2], step[3]
                flags = []
            else:
                cmd, _, flagtext = step.partition(" ;")
                flags = flagtext.split()
                expect_rows = None
            argv = cmd.split()
            if "crash" in flags:
                expect_rows, _ = dialect.state(url_b)
            t0 = time.time()
            sa, oa, ea = alembic_on(ini_a, argv)
            t1 = time.time()
            sr, or_, er = retort_on(url_b, argv)
            t2 = time.time()
            if verbose:
                print("[%s] %s/%s: %s  (alembic %.2fs, retort %.2fs)" % (
                    dialect.name, graph_name, scen_name, cmd, t1 - t0, t2 - t1), flush=True)
            problems = []
            if (sa == 0) != (sr == 0):
                problems.append("exit status: alembic %d, retort %d" % (sa, sr))
            if "fails" in flags and sa == 0:
                problems.append("alembic was expected to fail")
            if "crash" in flags:
                if sa != 1 or sr == 0:
                    problems.append("expected alembic to crash and retort to fail")
            elif "sqlerror" in flags:
                if sa == 0 or sr == 0:
                    problems.append("expected both to fail on a statement")
            elif sa == 1 and special is None:
                problems.append("alembic crashed (traceback)")
            lines_a = [step_key(l) for l in running_lines(ea)]
            lines_b = [step_key(l) for l in running_lines(er)]
            if lines_a != lines_b and "crash" not in flags:
                problems.append("Running lines differ:\n    alembic: %s\n    retort:  %s" % (
                    running_lines(ea), running_lines(er)))
            lenient = ()
            if "sqlerror" in flags and dialect.name == "sqlite":
                lenient = failing_tables
            state_problems, resync = compare_state(expect_rows, lenient)
            problems += state_problems
            if special == "head1373":
                rows_a, _ = dialect.state(url_a)
                if rows_a not in (alembic_rows, expect_rows):
                    problems.append("alembic's rows %s are neither 1.8.1's %s nor current "
                                    "Alembic's %s" % (rows_a, alembic_rows, expect_rows))
            history.append(cmd)
            if "crash" in flags:
                dialect.set_rows(url_a, expect_rows or [])
                note("(alembic's rows set to %s)" % (expect_rows,))
            elif resync is not None and not problems:
                dialect.set_rows(url_a, resync)
                note("(alembic's rows reduced to %s)" % (resync,))
            if problems:
                left = len(steps) - index - 1
                res.fail(where(), cmd, "  " + "\n  ".join(problems) + "\n" +
                         fmt_output("alembic", sa, oa, ea) + fmt_output("retort", sr, or_, er) +
                         ("  (the databases differ now: the scenario's %d remaining steps "
                          "were not run)\n" % left if left else ""))
                break
            else:
                res.ok()
            if "cross" in flags:
                cross()
    finally:
        dialect.drop_pair(tag, [url_a, url_b])


def run_half(dialect, args, tmp, res):
    alembic = Alembic(args.per_call)
    try:
        for graph_name, scen_name, steps in SCENARIOS:
            if args.only and args.only not in "%s/%s" % (graph_name, scen_name):
                continue
            try:
                run_scenario(dialect, alembic, args.retort, tmp, graph_name, scen_name, steps,
                             res, args.verbose)
            except Exception as e:  # a harness problem: report it, go on
                res.fail("[%s] %s/%s" % (dialect.name, graph_name, scen_name), "harness error",
                         repr(e))
    finally:
        alembic.close()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--retort", default=os.environ.get("RETORT_CLI"))
    ap.add_argument("--keep", help="work in DIR and keep it")
    ap.add_argument("--only", help="only scenarios whose graph/name contains this")
    ap.add_argument("--dialect", choices=("sqlite", "postgresql"))
    ap.add_argument("--per-call", action="store_true",
                    help="one alembic-sorted.py process per alembic command")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()

    if subprocess.run([PYTHON, "-c", "import alembic, sqlalchemy"],
                      capture_output=True).returncode != 0:
        print("1..0 # SKIP alembic is not importable by %s" % PYTHON)
        return 77
    if not args.retort:
        build = os.environ.get("RETORT_BUILD_DIR", os.path.join(SOURCE_DIR, "build"))
        args.retort = os.path.join(build, "src", "cli", "retort-cli")
    args.retort = os.path.abspath(args.retort)

    if args.keep:
        tmp = os.path.abspath(args.keep)
        shutil.rmtree(tmp, ignore_errors=True)
        os.makedirs(tmp)
    else:
        tmp = tempfile.mkdtemp(prefix="retort-online-")
    try:
        for name, revs in GRAPHS.items():
            write_script_dir(os.path.join(tmp, "dirs", name), revs)
        dialects = []
        if args.dialect in (None, "sqlite"):
            dialects.append(SQLiteDialect(tmp))
        pg_env = [os.environ.get(k) for k in
                  ("RETORT_TEST_PG", "RETORT_TEST_PG_PORT", "RETORT_TEST_PG_BIN")]
        if args.dialect in (None, "postgresql"):
            if all(pg_env):
                dialects.append(PostgresDialect(pg_env[1], pg_env[2], pg_env[0]))
            elif args.dialect == "postgresql":
                print("online-interop: no PostgreSQL (run under tests/pg/with-postgres.sh)")
                return 1
        results = [Result() for _ in dialects]
        threads = [threading.Thread(target=run_half, args=(d, args, tmp, r))
                   for d, r in zip(dialects, results)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        passed = sum(r.passed for r in results)
        failures = [f for r in results for f in r.failures]
        for f in failures:
            print(f + "\n")
        if len(dialects) == 1 and args.dialect is None:
            print("# PostgreSQL half skipped: RETORT_TEST_PG not set")
        print("online-interop: %d passed, %d failed" % (passed, len(failures)))
        return 1 if failures else 0
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
