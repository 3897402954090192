#!/usr/bin/python3
"""Record what real Alembic does on a set of planner cases.

Writes the fixture script directories under tests/planner/fixtures/<name>/
and, for every case, runs Debian's alembic (1.8.1, through
tests/interop/alembic-sorted.py so files load in sorted order like current
Alembic) ONLINE against a fresh SQLite database whose alembic_version table
holds the case's starting rows. The "Running ..." log lines and the final
rows (or the failure) go to tests/planner/cases.txt, which test-planner.c
replays against Retort's planner.

Alembic is run in one worker process per hash seed (below), which executes
the launcher with runpy for each case, so Alembic is imported once per seed
rather than once per case; each case still gets a fresh database, a fresh
ScriptDirectory and a freshly executed env.py.

Usage (stdlib + alembic + sqlalchemy; run with /usr/bin/python3):
    record-alembic.py            rewrite fixtures/ and cases.txt
    record-alembic.py --check    build everything in a temporary folder and
                                 fail if fixtures/ or cases.txt differ from it
Options: --jobs N (worker processes at a time, default 2), --only FIXTURE
(record one fixture to stdout, for a look).

Every case is run several times with different PYTHONHASHSEED values:
Alembic builds some intermediate results from Python sets, so the order of
string hashes could change what it does. The recorder insists that the final
rows and the failure are the same for every seed; if the order of the
"Running" lines differs between seeds the case gets "order any" and only the
multiset of steps is compared (fixture multideps: a revision depending on two
others keeps its normalized dependencies as tuple(set), and the topological
sort follows that order).

Alembic issue #1373 (fixed in 1.13.1, Retort follows the fix): downgrading a
merge whose parents overlap through depends_on makes 1.8.1 write a row that
is an ancestor of another row. Every case is therefore also run once with
RevisionStep._unmerge_to_revisions replaced by current Alembic's version.
Where that changes the outcome, the case is marked "result follows-head":
"alembic-final" keeps what 1.8.1 really left and "final" holds the rows of
current Alembic, which is what the test asserts.
"""

import argparse
import concurrent.futures
import contextlib
import difflib
import io
import json
import logging
import os
import re
import runpy
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import traceback

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "lib"))
from alembic_ini import alembic_ini  # noqa: E402  (tests/lib, shared by the harnesses)

HERE = os.path.dirname(os.path.abspath(__file__))
LAUNCHER = os.path.join(os.path.dirname(HERE), "interop", "alembic-sorted.py")
HASH_SEEDS = ("0", "1", "2", "3", "4", "5")
LOG_PREFIX = "INFO  [alembic.runtime.migration] Running "
ERROR_PREFIX = "ERROR [alembic.util.messaging] "
CREATE_DATE = "2024-03-01 12:00:00.000000"

VERSION_TABLE_DDL = (
    "CREATE TABLE alembic_version (\n"
    "\tversion_num VARCHAR(32) NOT NULL, \n"
    "\tCONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)\n"
    ")"
)


# ---- fixtures ---------------------------------------------------------------

class Rev:
    """One revision file. file: name without .py (default <id>_<slug>);
    doc None writes no docstring; typed uses the ≥1.11.2 template's
    annotated assignments."""

    def __init__(self, rid, down=None, doc="", labels=None, depends=None,
                 file=None, typed=False):
        self.rid = rid
        self.down = down
        self.doc = doc if doc != "" else "revision %s" % rid
        self.labels = labels
        self.depends = depends
        self.file = file
        self.typed = typed

    def file_name(self):
        if self.file is not None:
            return self.file + ".py"
        slug = "_".join(re.findall(r"\w+", self.doc or "")).lower()[:40]
        return "%s_%s.py" % (self.rid, slug) if slug else "%s_.py" % self.rid

    def render(self):
        downs = self.down if isinstance(self.down, tuple) else (
            (self.down,) if self.down else ())
        out = []
        if self.doc is not None:
            out.append('"""%s\n\nRevision ID: %s\nRevises: %s\nCreate Date: %s\n\n"""\n'
                       % (self.doc, self.rid, ", ".join(downs), CREATE_DATE))
        if self.typed:
            out.append("from typing import Sequence, Union\n\n")
        out.append("from alembic import op\nimport sqlalchemy as sa\n\n\n")
        out.append("# revision identifiers, used by Alembic.\n")
        if self.typed:
            out.append("revision: str = %r\n" % self.rid)
            out.append("down_revision: Union[str, None] = %r\n" % (self.down,))
            out.append("branch_labels: Union[str, Sequence[str], None] = %r\n" % (self.labels,))
            out.append("depends_on: Union[str, Sequence[str], None] = %r\n" % (self.depends,))
        else:
            out.append("revision = %r\n" % self.rid)
            out.append("down_revision = %r\n" % (self.down,))
            out.append("branch_labels = %r\n" % (self.labels,))
            out.append("depends_on = %r\n" % (self.depends,))
        out.append("\n\ndef upgrade() -> None:\n    pass\n\n\n"
                   "def downgrade() -> None:\n    pass\n")
        return "".join(out)


# linear: A - B - C - D with 12-character hex ids (partial ids: "27c6" is B,
# "2" matches B and C, "2a6e" is C). D has no docstring and uses the typed
# template; file names sort B, C, A, D (load order is irrelevant here).
A, B, C, D = "ae1027a6acf1", "27c6a30d7c24", "2a6e1f4e5b3d", "d3f6b2c8a9e0"

FIXTURES = {
    "linear": [
        Rev(A, None, "create account table"),
        Rev(B, A, "add email column"),
        Rev(C, B, "add index on email"),
        Rev(D, C, None, typed=True),
    ],
    # a; b1, b2 <- a; c <- (b1, b2); d <- c
    "diamond": [
        Rev("a", None, "init"),
        Rev("b1", "a", "left side"),
        Rev("b2", "a", "right side"),
        Rev("c", ("b1", "b2"), "merge b1 and b2"),
        Rev("d", "c", "after merge"),
    ],
    # root r; branch "left" l1-l2-l3 and branch "right" r1-r2, both open.
    # File names sort l1, l2, l3, r1, r2, r.
    "branches": [
        Rev("r", None, "shared root"),
        Rev("l1", "r", "left one", labels=("left",)),
        Rev("l2", "l1", "left two"),
        Rev("l3", "l2", "left three"),
        Rev("r1", "r", "right one", labels=("right",)),
        Rev("r2", "r1", "right two"),
    ],
    # a; b, c, e <- a; m <- (b, c, e); n <- m
    "threeway": [
        Rev("a", None, "base"),
        Rev("b", "a", "first branch"),
        Rev("c", "a", "second branch"),
        Rev("e", "a", "third branch"),
        Rev("m", ("b", "c", "e"), "three-way merge"),
        Rev("n", "m", "after the merge"),
    ],
    # two roots with labels; the file names put the y line first although
    # the x line has the smaller ids.
    "roots": [
        Rev("x1", None, "x base", labels=("xlib",), file="20_x1_x_base"),
        Rev("x2", "x1", "x second", file="21_x2_x_second"),
        Rev("y1", None, "y base", labels=("ylib",), file="10_y1_y_base"),
        Rev("y2", "y1", "y second", file="11_y2_y_second"),
        Rev("y3", "y2", "y third", file="12_y3_y_third"),
    ],
    # two roots; b2 depends_on a2 across the branches.
    "depends": [
        Rev("a1", None, "a one", labels=("alib",)),
        Rev("a2", "a1", "a two"),
        Rev("a3", "a2", "a three"),
        Rev("b1", None, "b one", labels=("blib",)),
        Rev("b2", "b1", "b two needs a two", depends="a2"),
        Rev("b3", "b2", "b three"),
    ],
    # the #1373 shape: b1 depends_on a1, m merges (a1, b1), so the merge's
    # parents overlap through depends_on; z is an unrelated root.
    "overlap": [
        Rev("a1", None, "a one"),
        Rev("b1", None, "b one needs a one", depends="a1"),
        Rev("m", ("a1", "b1"), "merge a one and b one"),
        Rev("n", "m", "after merge"),
        Rev("z", None, "unrelated root"),
    ],
    # depends_on naming a branch label: p1 depends on "core" (= c1), p2 on c2.
    "labeldeps": [
        Rev("c1", None, "core one", labels=("core",)),
        Rev("c2", "c1", "core two"),
        Rev("p1", None, "plugin one", labels=("plugin",), depends="core"),
        Rev("p2", "p1", "plugin two", depends=("c2",)),
    ],
    # a - b - c[mid] - d - e: a label declared mid-chain labels the whole line.
    "midlabel": [
        Rev("a", None, "one"),
        Rev("b", "a", "two"),
        Rev("c", "b", "three", labels=("mid",)),
        Rev("d", "c", "four"),
        Rev("e", "d", "five"),
    ],
    # a diamond beside an unrelated line z - z2: merges and unmerges with
    # other rows present (Alembic then picks rows from a Python set).
    "mergeside": [
        Rev("a", None, "init"),
        Rev("b1", "a", "left side"),
        Rev("b2", "a", "right side"),
        Rev("c", ("b1", "b2"), "merge b1 and b2"),
        Rev("z", None, "other root"),
        Rev("z2", "z", "other second"),
    ],
    # c2 depends on the tips of two other lines: normalized_down(c2) has two
    # dependencies, kept by Alembic in set order.
    "multideps": [
        Rev("a1", None, "a one"),
        Rev("a2", "a1", "a two"),
        Rev("b1", None, "b one"),
        Rev("b2", "b1", "b two"),
        Rev("c1", None, "c one"),
        Rev("c2", "c1", "c two needs a two and b two", depends=("a2", "b2")),
        Rev("c3", "c2", "c three"),
    ],
    # a - b - c[feat] - d, plus a side branch x <- b: the label stops at the
    # branch point b, so feat covers c and d only.
    "forklabel": [
        Rev("a", None, "one"),
        Rev("b", "a", "two"),
        Rev("c", "b", "three", labels=("feat",)),
        Rev("d", "c", "four"),
        Rev("x", "b", "side"),
    ],
}


# ---- cases ------------------------------------------------------------------
# (command, starting rows, targets); command is upgrade, downgrade, stamp or
# "stamp --purge". Rows are inserted in the order given.

def U(rows, target):
    return ("upgrade", rows, [target])


def Dn(rows, target):
    return ("downgrade", rows, [target])


def S(rows, *targets):
    return ("stamp", rows, list(targets))


def SP(rows, *targets):
    return ("stamp --purge", rows, list(targets))


CASES = {
    "linear": [
        U([], "head"),
        U([], "heads"),
        U([], "+1"),
        U([A], "+2"),
        U([D], "+1"),
        U([], C),
        U([], "27c6"),
        U([], "2a6"),
        U([], "2"),
        U([], "nosuch"),
        U([], "27c6+1"),
        U([B], "head"),
        U([D], B),
        U([A, C], "head"),
        U(["gone00000000"], "head"),
        Dn([D], "base"),
        Dn([D], "-1"),
        Dn([C], "-2"),
        Dn([D], B),
        Dn([D], D + "-2"),
        Dn([], "-1"),
        Dn([D], "+1"),
        Dn([B], D),
        Dn([D], "base+1"),
        S([], "head"),
        S([D], B),
        S([C], "base"),
        S([B], D),
        S([C], C),
        SP([C], A),
        SP(["gone00000000"], "heads"),
        S(["gone00000000"], A),
        Dn(["gone00000000"], "base"),
        U([], "base+1"),
        U([], "+0"),
        Dn([A, C], "base"),
        Dn([A, C], A),
        S([A, C], D),
    ],
    "diamond": [
        U([], "head"),
        U(["b1"], "head"),
        U(["b2"], "head"),
        U(["a"], "base"),
        U(["b1", "b2"], "c"),
        U(["a"], "c"),
        U([], "b2"),
        U(["b1"], "b2"),
        U(["c"], "+1"),
        U(["a"], "+1"),
        Dn(["d"], "b1"),
        Dn(["d"], "a"),
        Dn(["d"], "base"),
        Dn(["c"], "-1"),
        Dn(["b1", "b2"], "-1"),
        Dn(["b1", "b2"], "b1"),
        Dn(["b1", "b2"], "base"),
        Dn(["d"], "c-1"),
        Dn(["b2"], "b1"),
        Dn(["c"], "b2"),
        S(["b1", "b2"], "c"),
        S(["c"], "b1"),
        S([], "b1", "b2"),
        S(["d"], "b1", "b2"),
        S(["a"], "heads"),
        S([], "b1", "d"),
        SP(["a"], "b1", "b2"),
    ],
    "branches": [
        U([], "heads"),
        U([], "head"),
        U([], "left@head"),
        U(["l3"], "right@head"),
        U(["r"], "left@+1"),
        U(["l1", "r1"], "left@+2"),
        U(["l3", "r1"], "right@+1"),
        U(["l1", "r1"], "+1"),
        U(["r"], "+1"),
        U(["r1"], "l2"),
        U([], "left@l2"),
        U([], "right@l2"),
        U([], "nosuch@head"),
        U([], "lef"),
        U(["l1"], "left@r+1"),
        U(["r"], "r1+1"),
        U([], "lef@head"),
        U([], "l1@head"),
        U([], "left@heads"),
        U([], "l1-1"),
        U(["l1"], "heads"),
        Dn(["l3", "r2"], "left@-1"),
        Dn(["l3", "r2"], "right@base"),
        Dn(["l3", "r2"], "r"),
        Dn(["l3", "r2"], "l1"),
        Dn(["l3", "r2"], "-1"),
        Dn(["r2", "l3"], "-1"),
        Dn(["l3", "r2"], "base"),
        Dn(["l3", "r2"], "right@-1"),
        Dn(["l3", "r2"], "left@base+2"),
        Dn(["l3", "r2"], "base+2"),
        Dn(["l3", "r2"], "left"),
        Dn(["l3", "r2"], "right@r1"),
        Dn(["l3"], "r1"),
        Dn(["l3", "r2"], "r2"),
        Dn(["l3", "r2"], "left@l3-1"),
        Dn(["l3", "r2"], "right@head-1"),
        Dn(["l2", "r1"], "heads"),
        Dn(["l3", "r2"], "left@r"),
        Dn(["l3", "r2"], "r@r"),
        U(["r1"], "left@base"),
        S(["r"], "left@head"),
        S(["l3"], "right@head"),
        S([], "heads"),
        S(["l3", "r2"], "base"),
        S(["l3", "r2"], "l1", "r1"),
        S(["l2"], "r1"),
        S([], "left"),
        S(["l3", "r2"], "heads"),
        S(["l3", "r2"], "left@base"),
    ],
    "threeway": [
        U([], "head"),
        U(["b"], "head"),
        U(["b", "c"], "head"),
        U(["b", "c", "e"], "m"),
        U(["b", "c"], "m"),
        Dn(["n"], "c"),
        Dn(["n"], "a"),
        Dn(["m"], "-1"),
        Dn(["n"], "-1"),
        Dn(["m"], "base"),
        Dn(["n"], "-2"),
        U([], "+3"),
        S(["b", "c", "e"], "m"),
        S(["m"], "b"),
        S(["b"], "c", "e"),
    ],
    "roots": [
        U([], "heads"),
        U([], "head"),
        U([], "xlib@head"),
        U(["x2"], "ylib@+1"),
        U([], "ylib@+2"),
        U([], "xlib@x2"),
        U([], "ylib@x2"),
        U(["x1", "y1"], "heads"),
        U(["y3"], "xlib@+1"),
        U([], "+1"),
        U([], "base+1"),
        Dn(["x2", "y3"], "xlib@base"),
        Dn(["x2", "y3"], "base"),
        Dn(["x2", "y3"], "ylib@-1"),
        Dn(["x2", "y3"], "-1"),
        Dn(["x2", "y3"], "xlib@-2"),
        Dn(["x2", "y3"], "y1"),
        S(["y3"], "xlib@head"),
        S(["x2", "y3"], "base"),
        S([], "x1", "y2"),
    ],
    "depends": [
        U([], "blib@head"),
        U([], "heads"),
        U(["a1"], "b2"),
        U(["b3"], "alib@head"),
        U(["a1", "b1"], "heads"),
        U(["a3", "b3"], "head"),
        U(["a2", "b2"], "heads"),
        U(["b1"], "blib@+1"),
        Dn(["b3"], "a1"),
        Dn(["b3"], "blib@-1"),
        Dn(["b3", "a3"], "b1"),
        Dn(["b3", "a3"], "alib@base"),
        Dn(["b3"], "base"),
        Dn(["a3", "b3"], "a2"),
        S(["b1"], "a2"),
        S([], "b2"),
        S(["b3"], "a1"),
        Dn(["b3"], "a2"),
        U(["b1"], "a2"),
        U(["a2", "b1"], "b2"),
        S(["b3"], "a3"),
    ],
    "overlap": [
        U([], "m"),
        U([], "heads"),
        U(["b1"], "m"),
        U(["a1", "b1"], "m"),
        Dn(["m"], "b1"),
        Dn(["m"], "a1"),
        Dn(["n"], "b1"),
        Dn(["m"], "base"),
        Dn(["m"], "-1"),
        Dn(["n"], "-1"),
        Dn(["m", "z"], "b1"),
        S(["m"], "b1"),
    ],
    "labeldeps": [
        U([], "plugin@head"),
        U([], "heads"),
        U(["c2"], "plugin@+1"),
        Dn(["p2"], "c1"),
        Dn(["c2", "p2"], "core@base"),
        Dn(["p2"], "plugin@-1"),
        Dn(["p2"], "base"),
        S([], "plugin@head"),
        U([], "head"),
        S([], "heads"),
        S([], "head"),
        Dn(["p2"], "core@-1"),
    ],
    "mergeside": [
        U(["b1", "b2", "z"], "c"),
        U(["b1", "b2", "z"], "heads"),
        U(["b1", "z"], "heads"),
        U(["z2", "a"], "c"),
        Dn(["c", "z2"], "b1"),
        Dn(["c", "z2"], "a"),
        Dn(["c", "z2"], "base"),
        Dn(["c", "z2"], "z"),
        S(["b1", "b2", "z"], "c"),
        S(["b1", "z"], "c"),
        S(["c", "z2"], "b1", "b2"),
    ],
    "multideps": [
        U([], "c2"),
        U([], "heads"),
        U(["a2"], "c3"),
        U(["a2", "b2"], "c2"),
        U(["c1"], "c2"),
        Dn(["c3"], "c1"),
        Dn(["c3"], "base"),
        Dn(["c2"], "a1"),
        Dn(["c3"], "-1"),
        S([], "c2"),
        S(["a2", "b2", "c1"], "c2"),
    ],
    "midlabel": [
        U([], "mid@head"),
        U(["b"], "mid@+1"),
        U([], "mid@a"),
        U([], "mid"),
        U([], "mid@-1"),
        U(["a"], "mid@head-1"),
        Dn(["e"], "mid@base"),
        Dn(["e"], "mid@-2"),
        Dn(["e"], "mid"),
        S([], "mid@head"),
        S([], "mid"),
    ],
    "forklabel": [
        U([], "feat@head"),
        U(["x"], "feat@head"),
        U(["b"], "feat@+1"),
        U(["x"], "feat@+1"),
        U([], "feat@x"),
        U(["d", "x"], "head"),
        Dn(["d", "x"], "feat@base"),
        Dn(["d", "x"], "feat@-1"),
        Dn(["d", "x"], "b"),
        S(["x"], "feat@head"),
    ],
}


# ---- running alembic --------------------------------------------------------

def head_unmerge_to_revisions(self, heads):
    """RevisionStep._unmerge_to_revisions as Retort follows it: Alembic
    >= 1.13.1's fix for #1373 (with no other rows, drop targets that are
    ancestors of other targets), applied with other rows present too, so no
    row is ever written that is an ancestor of another (the reference's rule;
    current Alembic still writes {a1, b1, z} for overlap/11, from which no
    upgrade works)."""
    other_heads = set(heads).difference([self.revision.revision])
    rmap = self.revision_map
    drop = set()
    if other_heads:
        drop = {r.revision for r in rmap._get_ancestor_nodes(
            rmap.get_revisions(other_heads), check=False)}
    drop |= {r.revision
             for to_revision in self.to_revisions
             for r in rmap._get_ancestor_nodes(
                 rmap.get_revisions(to_revision), check=False)
             if r.revision != to_revision}
    return tuple(set(self.to_revisions).difference(drop))


def reset_logging():
    """env.py configures logging on every run; start each run clean."""
    for name in (None, "alembic", "sqlalchemy", "sqlalchemy.engine"):
        logger = logging.getLogger(name)
        for handler in list(logger.handlers):
            logger.removeHandler(handler)


def run_in_worker(argv):
    """One alembic command through the launcher, in this process; returns
    (exit status, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    listdir = os.listdir
    status = 0
    reset_logging()
    sys.argv = [LAUNCHER] + argv
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            runpy.run_path(LAUNCHER, run_name="__main__")
        except SystemExit as e:
            status = 0 if e.code is None else (e.code if isinstance(e.code, int) else 1)
        except Exception:  # a traceback: Alembic did not catch it
            status = 1
            err.write(traceback.format_exc())
        finally:
            os.listdir = listdir  # the launcher wraps it on every run
    reset_logging()
    return status, out.getvalue(), err.getvalue()


def worker_main(head_fix):
    """--worker: run every job read (JSON) from stdin with this process's
    PYTHONHASHSEED, print the results as JSON. Importing Alembic once per
    seed instead of once per case makes the recording ~20 times faster."""
    jobs = json.load(sys.stdin)
    if head_fix:
        import alembic.runtime.migration as migration
        migration.RevisionStep._unmerge_to_revisions = head_unmerge_to_revisions
    results = []
    for job in jobs:
        db = job["db"]
        select_order = create_database(db, job["rows"])
        argv = ["-c", job["ini"], "-x", "db=" + db] + job["argv"]
        status, _out, err = run_in_worker(argv)
        lines = err.splitlines()
        result = {"select_order": select_order, "status": status,
                  "steps": [line[len(LOG_PREFIX):] for line in lines
                            if line.startswith(LOG_PREFIX)]}
        if status == 0:
            result["final"] = read_rows(db)
        else:
            # alembic.util.err logs the message at ERROR, then prints
            # "FAILED: <message>" to stdout (wrapped on a terminal): take the log.
            failed = [line[len(ERROR_PREFIX):] for line in lines if line.startswith(ERROR_PREFIX)]
            if failed:
                result["error"] = "FAILED: " + failed[-1]
            else:
                lines = [line for line in lines if line.strip()]
                result["error"] = "crash: " + (lines[-1] if lines else "exit %d" % status)
        os.unlink(db)
        results.append(result)
    json.dump(results, sys.stdout)
    return 0


def create_database(path, rows):
    """alembic_version exactly as Alembic creates it, rows in the given
    order; returns the rows in the order Alembic's SELECT sees them."""
    conn = sqlite3.connect(path)
    try:
        conn.execute(VERSION_TABLE_DDL)
        for row in rows:
            conn.execute("INSERT INTO alembic_version (version_num) VALUES (?)", (row,))
        conn.commit()
        return [r[0] for r in conn.execute(
            "SELECT alembic_version.version_num FROM alembic_version")]
    finally:
        conn.close()


def read_rows(path):
    conn = sqlite3.connect(path)
    try:
        return sorted(r[0] for r in conn.execute(
            "SELECT alembic_version.version_num FROM alembic_version"))
    finally:
        conn.close()


def run_worker(jobs, workdir, seed, head_fix):
    """All jobs in one worker process; returns its results in job order."""
    tag = "%s%s" % (seed, "-head" if head_fix else "")
    payload = [dict(job, db=os.path.join(workdir, "%s-%s.db" % (job["tag"], tag))) for job in jobs]
    env = dict(os.environ, PYTHONHASHSEED=seed, PYTHONDONTWRITEBYTECODE="1")
    env.pop("RETORT_PLANNER_DB", None)
    cmd = [sys.executable, os.path.abspath(__file__), "--worker"] + (["--head-fix"] if head_fix else [])
    proc = subprocess.run(cmd, cwd=workdir, env=env, input=json.dumps(payload),
                          capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit("recording worker (seed %s) failed:\n%s" % (tag, proc.stderr))
    return json.loads(proc.stdout)


def outcome(result):
    return (result["status"] == 0, tuple(result.get("final", ())), result.get("error"))


def case_name(fixture, index, case):
    command, rows, targets = case
    name = "%s/%02d-%s-%s-from-%s" % (
        fixture, index, command.replace(" --", "-"),
        "+".join(targets) if targets else "nothing",
        ",".join(rows) if rows else "empty")
    return name


def judge_case(name, fixture, case, runs, fixed):
    """Compare the runs of one case over the hash seeds and with the #1373 fix."""
    first = runs[0]
    for other in runs[1:]:
        if outcome(other) != outcome(first):
            raise SystemExit("%s: the outcome depends on PYTHONHASHSEED:\n%r\n%r"
                             % (name, first, other))
    order_any = any(other["steps"] != first["steps"] for other in runs[1:])
    if order_any and any(sorted(o["steps"]) != sorted(first["steps"]) for o in runs[1:]):
        raise SystemExit("%s: the steps depend on PYTHONHASHSEED" % name)
    if sorted(fixed["steps"]) != sorted(first["steps"]):
        raise SystemExit("%s: the #1373 fix changes the steps:\n%r\n%r" % (name, first, fixed))
    follows_head = outcome(fixed) != outcome(first)
    if follows_head and (fixed["status"] != 0 or first["status"] != 0):
        raise SystemExit("%s: the #1373 fix changes whether the command fails:\n%r\n%r"
                         % (name, first, fixed))
    return {"name": name, "fixture": fixture, "case": case, "run": first, "fixed": fixed,
            "order_any": order_any, "follows_head": follows_head}


def format_record(rec):
    command, _rows, targets = rec["case"]
    run = rec["run"]
    out = ["case " + rec["name"],
           "fixture " + rec["fixture"],
           "command " + command,
           ("rows " + " ".join(run["select_order"])).rstrip(),
           ("targets " + " ".join(targets)).rstrip()]
    if rec["order_any"]:
        out.append("order any")
    out += ["step " + s for s in run["steps"]]
    if run["status"] != 0:
        out.append("result failed")
        out.append("error " + run["error"])
    elif rec["follows_head"]:
        out.append("result follows-head")
        out.append(("alembic-final " + " ".join(run["final"])).rstrip())
        out.append(("final " + " ".join(rec["fixed"]["final"])).rstrip())
    else:
        out.append("result ok")
        out.append(("final " + " ".join(run["final"])).rstrip())
    out.append("end")
    return "\n".join(out) + "\n"


HEADER = """\
# Planner cases recorded from real Alembic by tests/planner/record-alembic.py;
# do not edit: re-run `/usr/bin/python3 tests/planner/record-alembic.py`.
# Replayed by tests/planner/test-planner.c against the fixtures in
# tests/planner/fixtures/<fixture>/.
#
# Recorded with Debian's alembic %(alembic)s / SQLAlchemy %(sqlalchemy)s, online
# on SQLite, revision files loaded in sorted name order
# (tests/interop/alembic-sorted.py), each case with PYTHONHASHSEED in {%(seeds)s}.
#
# Format: one block per case, one item per line, "keyword value"; the value
# is the rest of the line, taken verbatim (ids never contain spaces).
#   case NAME            starts a block; NAME is the GTest path below /planner/
#   fixture NAME         the script directory fixtures/NAME
#   command CMD          upgrade | downgrade | stamp | stamp --purge
#   rows ID...           starting rows of alembic_version, in the order
#                        Alembic's SELECT returned them (may be empty)
#   targets ARG...       the command's revision argument(s)
#   order any            (optional) the order of the steps varied with the
#                        hash seed; compare them as a multiset
#   step TEXT            one per "Running TEXT" log line, in order (TEXT is
#                        what retort_plan_step_describe() returns; a trailing
#                        space, as in "stamp_revision a -> ", is part of it);
#                        on a failure, the lines logged before it
#   result ok|failed|follows-head
#   final ID...          ok, follows-head: the expected final rows, sorted
#   alembic-final ID...  follows-head: what 1.8.1 actually left, sorted
#   error TEXT           failed: Alembic's "FAILED: ..." line, or
#                        "crash: <last stderr line>" for a traceback
#   end
#
# "follows-head" marks Alembic issue #1373: a downgrade of a merge whose
# parents overlap through depends_on. 1.8.1 writes both parents, one being an
# ancestor of the other; Alembic >= 1.13.1 keeps only the descendant when no
# other row exists, and Retort always does (it never writes a row that is an
# ancestor of another: no upgrade works from such rows). "final" holds that
# result (1.8.1 re-run with that RevisionStep._unmerge_to_revisions),
# "alembic-final" what 1.8.1 did; the steps are the same in both.
#
# Where Alembic picks from a Python set (which of several parent rows a merge
# UPDATEs and which it DELETEs, the insert order of an unmerge) only the final
# row set is defined; Retort takes declaration order. The order of independent
# branches follows load order, which is sorted file names here.
"""


def write_fixtures(root):
    for name, revs in FIXTURES.items():
        fdir = os.path.join(root, name)
        vdir = os.path.join(fdir, "versions")
        os.makedirs(vdir, exist_ok=True)
        with open(os.path.join(fdir, "alembic.ini"), "w") as f:
            f.write(INI)
        with open(os.path.join(fdir, "env.py"), "w") as f:
            f.write(ENV_PY)
        with open(os.path.join(fdir, "README"), "w") as f:
            f.write("Planner fixture '%s', generated by tests/planner/record-alembic.py.\n"
                    "Run: /usr/bin/python3 tests/interop/alembic-sorted.py -c alembic.ini "
                    "-x db=/tmp/x.db upgrade heads\n" % name)
        for rev in revs:
            with open(os.path.join(vdir, rev.file_name()), "w") as f:
                f.write(rev.render())


INI = alembic_ini(
    "%(here)s",
    header="# A planner fixture for Retort (generated by tests/planner/record-alembic.py).\n"
           "# The database is a SQLite file named per run: -x db=PATH or $RETORT_PLANNER_DB.\n\n")

ENV_PY = '''\
"""env.py of a Retort planner fixture: online only, SQLite file from
-x db=PATH or $RETORT_PLANNER_DB."""
import os
from logging.config import fileConfig

from sqlalchemy import create_engine
from sqlalchemy import pool

from alembic import context

config = context.config

if config.config_file_name is not None:
    fileConfig(config.config_file_name)

target_metadata = None


def database_path() -> str:
    path = context.get_x_argument(as_dictionary=True).get("db")
    path = path or os.environ.get("RETORT_PLANNER_DB")
    if not path:
        raise SystemExit("give the database: -x db=PATH or RETORT_PLANNER_DB")
    return path


def run_migrations_online() -> None:
    connectable = create_engine("sqlite:///" + database_path(), poolclass=pool.NullPool)

    with connectable.connect() as connection:
        context.configure(connection=connection, target_metadata=target_metadata)

        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("this fixture runs online only")
run_migrations_online()
'''


def record_all(fixtures_root, jobs, only):
    import alembic
    import sqlalchemy
    cases = []
    for fixture, fixture_cases in CASES.items():
        if only and fixture != only:
            continue
        for index, case in enumerate(fixture_cases, 1):
            cases.append((case_name(fixture, index, case), fixture, case))
    names = [name for name, _f, _c in cases]
    assert len(names) == len(set(names)), "case names must be unique"
    work = []
    for name, fixture, (command, rows, targets) in cases:
        words = command.split()
        work.append({"tag": name.replace("/", "-"), "rows": rows,
                     "ini": os.path.join(fixtures_root, fixture, "alembic.ini"),
                     "argv": words[:1] + targets + words[1:]})
    variants = [(seed, False) for seed in HASH_SEEDS] + [(HASH_SEEDS[0], True)]
    with tempfile.TemporaryDirectory(prefix="retort-planner-") as workdir:
        with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
            results = list(pool.map(lambda v: run_worker(work, workdir, *v), variants))
    records = []
    for i, (name, fixture, case) in enumerate(cases):
        runs = [results[v][i] for v in range(len(HASH_SEEDS))]
        records.append(judge_case(name, fixture, case, runs, results[-1][i]))
    text = HEADER % {"alembic": alembic.__version__, "sqlalchemy": sqlalchemy.__version__,
                     "seeds": ", ".join(HASH_SEEDS)}
    text += "# %d cases\n" % len(records)
    for rec in records:
        text += "\n" + format_record(rec)
    return text


def tree(root):
    files = {}
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if d != "__pycache__"]
        for name in filenames:
            if name.endswith(".pyc"):
                continue
            path = os.path.join(dirpath, name)
            with open(path, "rb") as f:
                files[os.path.relpath(path, root)] = f.read()
    return files


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        return worker_main("--head-fix" in sys.argv[2:])
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--only", help="record only this fixture (prints to stdout)")
    args = parser.parse_args()

    fixtures = os.path.join(HERE, "fixtures")
    cases_path = os.path.join(HERE, "cases.txt")
    if args.check:
        with tempfile.TemporaryDirectory(prefix="retort-planner-check-") as tmp:
            write_fixtures(os.path.join(tmp, "fixtures"))
            expected, actual = tree(os.path.join(tmp, "fixtures")), tree(fixtures)
            ok = True
            if expected != actual:
                ok = False
                for path in sorted(set(expected) | set(actual)):
                    if expected.get(path) != actual.get(path):
                        print("fixture file differs from the generated one: fixtures/%s" % path)
            text = record_all(os.path.join(tmp, "fixtures"), args.jobs, None)
            with open(cases_path) as f:
                current = f.read()
            if text != current:
                ok = False
                sys.stdout.writelines(difflib.unified_diff(
                    current.splitlines(True), text.splitlines(True),
                    "cases.txt (checked in)", "cases.txt (alembic now)"))
            print("recordings match real alembic" if ok else "recordings are out of date")
            return 0 if ok else 1
    if args.only:
        with tempfile.TemporaryDirectory(prefix="retort-planner-only-") as tmp:
            write_fixtures(os.path.join(tmp, "fixtures"))
            sys.stdout.write(record_all(os.path.join(tmp, "fixtures"), args.jobs, args.only))
        return 0
    shutil.rmtree(fixtures, ignore_errors=True)
    write_fixtures(fixtures)
    text = record_all(fixtures, args.jobs, None)
    with open(cases_path, "w") as f:
        f.write(text)
    print("wrote %s (%d cases)" % (cases_path, text.count("\ncase ")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
