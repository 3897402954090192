#!/usr/bin/python3
"""Fixture for bench-window: a 5,000-revision project and SQLite databases.

Writes, under ROOT (which must exist):
  ROOT/r<SIZE>/alembic.ini, ROOT/r<SIZE>/versions/*.py
      run-bench.py's generator (the CLI benchmark's script directories:
      mostly linear, side branches that merge back, two left open, branch
      labels, depends_on), same seed as the CLI benchmark
  ROOT/databases/db-NN.sqlite
      one alembic_version row each, at revisions spread evenly over the
      history from base to head, so every database has a different number
      of pending revisions
  ROOT/manifest.txt
      one line per database, "PATH<TAB>REVISION", and first a line
      "PROJECT<TAB>ROOT/r<SIZE>" -- bench-window reads this to write its
      retort.conf through RetortConfig.

Usage: make-window-fixture.py ROOT [--size 5000] [--databases 20]
"""
import argparse
import importlib.util
import os
import re
import sqlite3
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

CREATE_VERSION_TABLE = (
    "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, "
    "CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))"
)


def load_generator():
    """run-bench.py has a dash in its name: import it by path."""
    spec = importlib.util.spec_from_file_location("run_bench", os.path.join(HERE, "run-bench.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def read_graph(versions):
    """revision id -> tuple of down revisions, from the generated files."""
    graph = {}
    for name in os.listdir(versions):
        if not name.endswith(".py"):
            continue
        with open(os.path.join(versions, name)) as f:
            text = f.read()
        rid = re.search(r"^revision = '([0-9a-f]+)'", text, re.M).group(1)
        down = re.search(r"^down_revision = (.*)$", text, re.M).group(1)
        graph[rid] = tuple(re.findall(r"'([0-9a-f]+)'", down))
    return graph


def base_to_head(graph):
    """Every revision after all of its parents (Kahn's algorithm; ties by id
    so the order, and with it the fixture, is the same on every run)."""
    children = {rid: [] for rid in graph}
    waiting = {rid: len(down) for rid, down in graph.items()}
    for rid, down in graph.items():
        for parent in down:
            children[parent].append(rid)
    ready = sorted(rid for rid, n in waiting.items() if n == 0)
    order = []
    while ready:
        rid = ready.pop(0)
        order.append(rid)
        for child in sorted(children[rid]):
            waiting[child] -= 1
            if waiting[child] == 0:
                ready.append(child)
    if len(order) != len(graph):
        raise RuntimeError("the generated history has a cycle")
    return order


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("root")
    ap.add_argument("--size", type=int, default=5000)
    ap.add_argument("--databases", type=int, default=20)
    args = ap.parse_args()

    bench = load_generator()
    project, n = bench.generate(args.root, args.size, bench.SEED + args.size)
    order = base_to_head(read_graph(os.path.join(project, "versions")))
    if len(order) != n:
        raise RuntimeError("generated %d revisions, read back %d" % (n, len(order)))

    databases = os.path.join(args.root, "databases")
    os.makedirs(databases)
    lines = ["PROJECT\t%s" % project]
    count = args.databases
    for i in range(count):
        # from the base (i = 0) to the last revision in order (i = count - 1)
        revision = order[(i * (len(order) - 1)) // max(1, count - 1)]
        path = os.path.join(databases, "db-%02d.sqlite" % i)
        db = sqlite3.connect(path)
        db.execute(CREATE_VERSION_TABLE)
        db.execute("INSERT INTO alembic_version (version_num) VALUES (?)", (revision,))
        db.commit()
        db.close()
        lines.append("%s\t%s" % (path, revision))
    with open(os.path.join(args.root, "manifest.txt"), "w") as f:
        f.write("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
