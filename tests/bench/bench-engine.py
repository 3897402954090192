#!/usr/bin/python3
"""Benchmark: running 1,000 trivial revisions, against the raw floor and alembic.

Generates a script directory of 1,000 linear Alembic .py revisions (r0001 ..
r1000) whose upgrade() is
    op.execute("CREATE TABLE t0001 (id integer primary key, name varchar(50))")
and whose downgrade() drops that table. Then, per dialect (SQLite, and
PostgreSQL when RETORT_TEST_PG / RETORT_TEST_PG_PORT / RETORT_TEST_PG_BIN are
set: run it under tests/pg/with-postgres.sh), wall clock of:

  floor      the same statements as one script in one transaction: the 1,000
             CREATE TABLEs (resp. DROP TABLEs) plus the 1,000 alembic_version
             changes alembic makes (CREATE TABLE alembic_version, INSERT, then
             UPDATE per step; downgrade: UPDATE per step, DELETE at the end),
             fed to `sqlite3 FILE` inside BEGIN/COMMIT, or `psql -1 -q -f FILE`
  retort     retort-cli upgrade head / downgrade base --transaction run (one
             transaction for the run: the number comparable to the floor)
  default    retort-cli upgrade head / downgrade base in the default mode
             (alembic's: SQLite commits every revision, PostgreSQL one
             transaction)
  alembic    alembic-sorted.py upgrade head / downgrade base (its default
             mode), once each: it is slow

floor and retort are the best of --runs (default 5) runs (medians shown too); every upgrade
starts from an empty database, every downgrade from the state its upgrade
left. Each run's result is checked (1,001 tables and row r1000 after an
upgrade; only alembic_version, empty, after a downgrade).

Target: retort (--transaction run) within 1.3x of the floor. PASS/MISS is
printed per dialect and operation; the exit status is 0 either way (a
benchmark, not a test) unless something could not run or a check failed.

Usage: bench-engine.py [--retort PATH] [--revisions 1000] [--runs 3]
                       [--dialect sqlite|postgresql] [--no-alembic] [--keep DIR]
Environment: RETORT_CLI (path of retort-cli), set by meson's test_env.
Note: PostgreSQL's default max_locks_per_transaction (64) fits 1,000 CREATE
TABLEs in one transaction (the limit seen was ~3,160).
"""
import argparse
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "lib"))
from alembic_ini import alembic_ini  # noqa: E402  (tests/lib, shared by the harnesses)

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE_DIR = os.environ.get("RETORT_SOURCE_DIR") or os.path.dirname(os.path.dirname(HERE))
ALEMBIC_SORTED = os.path.join(HERE, os.pardir, "interop", "alembic-sorted.py")
PYTHON = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable
ENV_PY = os.path.join(SOURCE_DIR, "migrations", "env.py")
TARGET = 1.3

VERSION_DDL = ("CREATE TABLE alembic_version (\n    version_num VARCHAR(32) NOT NULL, \n"
               "    CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)\n)")



def rev_id(i):
    return "r%04d" % i


def table(i):
    return "t%04d" % i


def create_sql(i):
    return "CREATE TABLE %s (id integer primary key, name varchar(50))" % table(i)


def write_script_dir(path, n):
    versions = os.path.join(path, "versions")
    os.makedirs(versions)
    shutil.copy(ENV_PY, os.path.join(path, "env.py"))
    for i in range(1, n + 1):
        down = repr(rev_id(i - 1)) if i > 1 else "None"
        with open(os.path.join(versions, "%s_create_%s.py" % (rev_id(i), table(i))), "w") as f:
            f.write(
                '"""create %s\n\nRevision ID: %s\nRevises: %s\nCreate Date: 2024-05-01 12:00:00.000000\n\n"""\n'
                "from alembic import op\nimport sqlalchemy as sa\n\n\n"
                "# revision identifiers, used by Alembic.\n"
                "revision = %r\ndown_revision = %s\nbranch_labels = None\ndepends_on = None\n\n\n"
                "def upgrade():\n    op.execute(\"%s\")\n\n\n"
                "def downgrade():\n    op.execute(\"DROP TABLE %s\")\n"
                % (table(i), rev_id(i), rev_id(i - 1) if i > 1 else "", rev_id(i), down,
                   create_sql(i), table(i)))


def floor_statements(n, direction):
    """What alembic runs (DDL and version-table changes), in order."""
    out = []
    if direction == "upgrade":
        out.append(VERSION_DDL)
        for i in range(1, n + 1):
            out.append(create_sql(i))
            if i == 1:
                out.append("INSERT INTO alembic_version (version_num) VALUES ('%s')" % rev_id(i))
            else:
                out.append("UPDATE alembic_version SET version_num='%s' WHERE "
                           "alembic_version.version_num = '%s'" % (rev_id(i), rev_id(i - 1)))
    else:
        for i in range(n, 0, -1):
            out.append("DROP TABLE %s" % table(i))
            if i > 1:
                out.append("UPDATE alembic_version SET version_num='%s' WHERE "
                           "alembic_version.version_num = '%s'" % (rev_id(i - 1), rev_id(i)))
            else:
                out.append("DELETE FROM alembic_version WHERE "
                           "alembic_version.version_num = '%s'" % rev_id(i))
    return out


def timed(argv, **kw):
    t0 = time.perf_counter()
    p = subprocess.run(argv, capture_output=True, text=True, **kw)
    t = time.perf_counter() - t0
    if p.returncode != 0:
        raise RuntimeError("%s failed (exit %d):\n%s%s" % (
            " ".join(argv[:6]), p.returncode, p.stdout[-2000:], p.stderr[-2000:]))
    return t


class SQLite:
    name = "sqlite"

    def __init__(self, tmp):
        self.path = os.path.join(tmp, "bench.db")
        self.url = "sqlite:///" + self.path
        self.sqlite3 = shutil.which("sqlite3")

    def reset(self):
        for suffix in ("", "-journal", "-wal", "-shm"):
            if os.path.exists(self.path + suffix):
                os.unlink(self.path + suffix)

    def floor(self, script):
        with open(script) as f:
            return timed([self.sqlite3, "-bail", self.path], stdin=f)

    def write_floor(self, path, statements):
        with open(path, "w") as f:
            f.write("BEGIN;\n%s;\nCOMMIT;\n" % ";\n".join(statements))

    def state(self):
        con = sqlite3.connect(self.path)
        try:
            tables = con.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0]
            rows = sorted(r[0] for r in con.execute("SELECT version_num FROM alembic_version"))
        finally:
            con.close()
        return tables, rows


class Postgres:
    name = "postgresql"

    def __init__(self, conninfo, port, bindir):
        self.conninfo = conninfo
        self.psql = os.path.join(bindir, "psql")
        self.db = "bench_engine"
        self.url = "postgresql://postgres@127.0.0.1:%s/%s" % (port, self.db)

    def _psql(self, target, sql):
        p = subprocess.run([self.psql, "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-d", target,
                            "-c", sql], capture_output=True, text=True)
        if p.returncode != 0:
            raise RuntimeError("psql failed (%s): %s" % (sql, p.stderr.strip()))
        return p.stdout

    def reset(self):
        self._psql(self.conninfo, "DROP DATABASE IF EXISTS %s" % self.db)
        self._psql(self.conninfo, "CREATE DATABASE %s" % self.db)

    def floor(self, script):
        return timed([self.psql, "-X", "-1", "-q", "-v", "ON_ERROR_STOP=1", "-d", self.url,
                      "-f", script])

    def write_floor(self, path, statements):
        with open(path, "w") as f:
            f.write(";\n".join(statements) + ";\n")  # psql -1 wraps it in one transaction

    def state(self):
        tables = int(self._psql(self.url, "SELECT count(*) FROM information_schema.tables "
                                          "WHERE table_schema = 'public'"))
        rows = sorted(self._psql(self.url, "SELECT version_num FROM alembic_version").split())
        return tables, rows


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--retort", default=os.environ.get("RETORT_CLI"))
    ap.add_argument("--revisions", type=int, default=1000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--dialect", choices=("sqlite", "postgresql"))
    ap.add_argument("--no-alembic", action="store_true")
    ap.add_argument("--keep", help="work in DIR and keep it")
    args = ap.parse_args()
    n = args.revisions

    if not args.retort:
        build = os.environ.get("RETORT_BUILD_DIR", os.path.join(SOURCE_DIR, "build"))
        args.retort = os.path.join(build, "src", "cli", "retort-cli")
    if not os.access(args.retort, os.X_OK):
        print("bench-engine: retort-cli not found: set RETORT_CLI or pass --retort")
        return 1
    use_alembic = not args.no_alembic and subprocess.run(
        [PYTHON, "-c", "import alembic, sqlalchemy"], capture_output=True).returncode == 0

    if args.keep:
        tmp = os.path.abspath(args.keep)
        shutil.rmtree(tmp, ignore_errors=True)
        os.makedirs(tmp)
    else:
        tmp = tempfile.mkdtemp(prefix="retort-bench-engine-")
    try:
        script = os.path.join(tmp, "project")
        write_script_dir(script, n)
        dialects = []
        if args.dialect in (None, "sqlite"):
            if shutil.which("sqlite3"):
                dialects.append(SQLite(tmp))
            else:
                print("# sqlite3 CLI not found: SQLite skipped")
        pg = [os.environ.get(k) for k in ("RETORT_TEST_PG", "RETORT_TEST_PG_PORT", "RETORT_TEST_PG_BIN")]
        if args.dialect in (None, "postgresql"):
            if all(pg):
                dialects.append(Postgres(*pg))
            else:
                print("# PostgreSQL skipped: RETORT_TEST_PG not set (run under tests/pg/with-postgres.sh)")

        results = []  # (dialect, op, floor, retort_run, retort_default, alembic)
        problems = []
        for d in dialects:
            ini = os.path.join(tmp, "%s.ini" % d.name)
            with open(ini, "w") as f:
                f.write(alembic_ini(script, d.url))
            floors = {}
            for direction in ("upgrade", "downgrade"):
                floors[direction] = os.path.join(tmp, "%s-floor-%s.sql" % (d.name, direction))
                d.write_floor(floors[direction], floor_statements(n, direction))

            def check(what, direction):
                tables, rows = d.state()
                want = (n + 1, [rev_id(n)]) if direction == "upgrade" else (1, [])
                if (tables, rows) != want:
                    problems.append("%s %s %s: %d tables, rows %s; expected %d tables, rows %s" % (
                        d.name, what, direction, tables, rows, want[0], want[1]))

            def retort(mode, direction):
                argv = [args.retort, "-c", ini, "--url", d.url,
                        direction, "head" if direction == "upgrade" else "base"]
                if mode:
                    argv += ["--transaction", mode]
                return timed(argv, cwd=tmp)

            # warm-up, untimed: page cache, the binaries, alembic's __pycache__
            subprocess.run([args.retort, "-c", ini, "heads"], capture_output=True)
            if use_alembic:
                subprocess.run([PYTHON, ALEMBIC_SORTED, "-c", ini, "heads"], capture_output=True)

            times = {key: {"upgrade": [], "downgrade": []} for key in ("floor", "run", "default")}
            for _ in range(args.runs):
                for key in ("floor", "run", "default"):
                    d.reset()
                    for direction in ("upgrade", "downgrade"):
                        if key == "floor":
                            t = d.floor(floors[direction])
                        else:
                            t = retort("run" if key == "run" else None, direction)
                        times[key][direction].append(t)
                        check(key, direction)
            alembic = {"upgrade": None, "downgrade": None}
            if use_alembic:
                d.reset()
                for direction in ("upgrade", "downgrade"):
                    alembic[direction] = timed(
                        [PYTHON, ALEMBIC_SORTED, "-c", ini, direction,
                         "head" if direction == "upgrade" else "base"], cwd=tmp)
                    check("alembic", direction)
            for direction in ("upgrade", "downgrade"):
                results.append((d.name, direction,
                                min(times["floor"][direction]),
                                min(times["run"][direction]),
                                min(times["default"][direction]),
                                statistics.median(times["floor"][direction]),
                                statistics.median(times["run"][direction]),
                                alembic[direction]))

        print()
        print("retort-cli running %d revisions (one CREATE TABLE each), wall clock in seconds; "
              "best of %d (alembic: once)" % (n, args.runs))
        header = ("dialect", "operation", "floor", "(median)", "retort", "(median)", "ratio",
                  "default mode", "alembic", "alembic/retort")
        fmt = "%-10s %-9s %7s %9s %7s %9s %6s %12s %8s %14s"
        print(fmt % header)
        for name, direction, floor, run, default, floor_med, run_med, alem in results:
            print(fmt % (name, direction, "%.3f" % floor, "%.3f" % floor_med, "%.3f" % run,
                         "%.3f" % run_med,
                         "%.2f" % (run / floor), "%.3f" % default,
                         "%.2f" % alem if alem else "-",
                         "%.1f" % (alem / run) if alem else "-"))
        print("floor: the same statements through sqlite3 (BEGIN/COMMIT) / psql -1 -q -f; "
              "retort: --transaction run; ratio = retort/floor;")
        print("default mode: SQLite commits every revision, PostgreSQL one transaction "
              "(as alembic); alembic/retort uses retort --transaction run")
        print()
        for name, direction, floor, run, _, _, _, _ in results:
            print("%-4s %s: retort-cli %s within %.1fx of the floor: %.2fx" % (
                "PASS" if run <= TARGET * floor else "MISS", name,
                "upgrade head" if direction == "upgrade" else "downgrade base", TARGET,
                run / floor))
        for p in problems:
            print("CHECK FAILED: %s" % p)
        return 1 if problems or not results else 0
    except (RuntimeError, OSError) as e:
        print("bench-engine: %s" % e)
        return 1
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
