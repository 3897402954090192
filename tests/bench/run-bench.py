#!/usr/bin/python3
"""Benchmark: retort-cli against Debian's alembic on large script directories.

Generates 1,000- and 5,000-revision script directories (mostly linear, with
short branches that merge back, a few open branches, branch labels and
depends_on; each file ~40 lines, like alembic's autogenerate output) in a
temporary directory, then times, wall clock, per directory:
  retort-cli -c alembic.ini heads | history     (median and min of --runs)
  alembic-sorted.py -c alembic.ini heads | history  (median and min of
                                                 --alembic-runs; it is slow)
after one untimed warm-up run of each (page cache; alembic also writes its
__pycache__ then, which favours alembic in the timed runs).

Targets: retort under 30 ms at 5,000 revisions, and at least 100x faster than
alembic. PASS/MISS is printed per target; the exit status is 0 either way
(a benchmark, not a test) unless something could not run at all or the
sanity check fails: retort's and alembic's `heads` output must be equal.

Usage: run-bench.py [--retort PATH] [--sizes 1000,5000] [--runs 20]
                    [--alembic-runs 3] [--keep DIR]
Environment: RETORT_CLI (path of retort-cli), set by meson's test_env.
"""
import argparse
import os
import random
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ALEMBIC_SORTED = os.path.join(HERE, os.pardir, "interop", "alembic-sorted.py")
PYTHON = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable
SEED = 5000
TARGET_MS = 30.0
TARGET_RATIO = 100.0

TABLES = ["users", "orders", "items", "invoices", "payments", "customers", "products",
          "audit_log", "sessions", "tokens", "roles", "groups", "files", "events"]


def body(rng, n):
    """upgrade()/downgrade() bodies as autogenerate writes them."""
    table = "%s_%d" % (rng.choice(TABLES), n)
    if n % 3 == 0:
        up = [
            "    op.create_table(",
            "        '%s'," % table,
            "        sa.Column('id', sa.Integer(), nullable=False),",
            "        sa.Column('name', sa.String(length=100), nullable=False),",
            "        sa.Column('owner_id', sa.Integer(), nullable=True),",
            "        sa.Column('created_at', sa.DateTime(), nullable=True),",
            "        sa.ForeignKeyConstraint(['owner_id'], ['users.id'], ),",
            "        sa.PrimaryKeyConstraint('id')",
            "    )",
            "    op.create_index(op.f('ix_%s_name'), '%s', ['name'], unique=False)"
            % (table, table),
            "    op.create_index(op.f('ix_%s_owner_id'), '%s', ['owner_id'], unique=False)"
            % (table, table),
        ]
        down = [
            "    op.drop_index(op.f('ix_%s_owner_id'), table_name='%s')" % (table, table),
            "    op.drop_index(op.f('ix_%s_name'), table_name='%s')" % (table, table),
            "    op.drop_table('%s')" % table,
        ]
    else:
        col = "col_%d" % n
        up = [
            "    op.add_column('%s', sa.Column('%s', sa.String(length=50), nullable=True))"
            % (table, col),
            "    op.create_index(op.f('ix_%s_%s'), '%s', ['%s'], unique=False)"
            % (table, col, table, col),
            "    op.alter_column('%s', 'name'," % table,
            "               existing_type=sa.VARCHAR(length=100),",
            "               nullable=False)",
            "    op.execute(\"UPDATE %s SET %s = '' WHERE %s IS NULL\")" % (table, col, col),
            "    op.add_column('%s', sa.Column('meta_%d', postgresql.JSONB(astext_type=sa.Text()), "
            "nullable=True))" % (table, n),
        ]
        down = [
            "    op.drop_column('%s', 'meta_%d')" % (table, n),
            "    op.alter_column('%s', 'name'," % table,
            "               existing_type=sa.VARCHAR(length=100),",
            "               nullable=True)",
            "    op.drop_index(op.f('ix_%s_%s'), table_name='%s')" % (table, col, table),
            "    op.drop_column('%s', '%s')" % (table, col),
        ]
    return table, up, down


def q(values):
    if not values:
        return "None"
    if len(values) == 1:
        return repr(values[0])
    return "(%s)" % ", ".join(repr(v) for v in values)


def render(rng, n, rid, down, labels, deps):
    table, up, dn = body(rng, n)
    message = "%s %s" % ("create" if n % 3 == 0 else "alter", table)
    lines = [
        '"""%s' % message,
        "",
        "Revision ID: %s" % rid,
        "Revises: %s" % ", ".join(down),
        "Create Date: 2023-%02d-%02d %02d:%02d:%02d.%06d" % (
            1 + n % 12, 1 + n % 28, n % 24, n % 60, (n * 7) % 60, rng.randint(0, 999999)),
        "",
        '"""',
        "from alembic import op",
        "import sqlalchemy as sa",
        "from sqlalchemy.dialects import postgresql",
        "",
        "",
        "# revision identifiers, used by Alembic.",
        "revision = %r" % rid,
        "down_revision = %s" % q(down),
        "branch_labels = %s" % (("(%r,)" % labels[0]) if labels else "None"),
        "depends_on = %s" % q(deps),
        "",
        "",
        "def upgrade():",
        "    # ### commands auto generated by Alembic - please adjust! ###",
    ] + up + [
        "    # ### end Alembic commands ###",
        "",
        "",
        "def downgrade():",
        "    # ### commands auto generated by Alembic - please adjust! ###",
    ] + dn + [
        "    # ### end Alembic commands ###",
        "",
    ]
    slug = "_".join(re.findall(r"\w+", message)).lower()
    return "%s_%s.py" % (rid, slug), "\n".join(lines)


def generate(root, size, seed):
    """A mostly linear history: every ~40 revisions a side branch of 2-6
    revisions that merges back; two side branches stay open; labels on the
    root and on a few branch starts; a depends_on now and then."""
    rng = random.Random(seed)
    path = os.path.join(root, "r%d" % size)
    versions = os.path.join(path, "versions")
    os.makedirs(versions)
    with open(os.path.join(path, "alembic.ini"), "w") as f:
        f.write("[alembic]\nscript_location = %(here)s\n")
    open(os.path.join(path, "env.py"), "w").close()

    used = set()

    def new_id():
        while True:
            rid = "%012x" % rng.getrandbits(48)
            if rid not in used:
                used.add(rid)
                return rid

    revs = []  # (id, down, labels, deps)
    main = None
    side = []  # open side branch: list of ids
    side_from = None
    open_branches_left = 2
    n_labels = 0
    while len(revs) < size:
        n = len(revs)
        labels, deps = [], []
        if main is None:
            down, labels = (), ["trunk"]
        elif side_from is not None and len(side) < rng.randint(2, 6) and rng.random() < 0.6:
            down = (side[-1] if side else side_from,)
            if not side and n_labels < 6 and rng.random() < 0.5:
                labels = ["feature_%d" % n]
                n_labels += 1
        elif side_from is not None and side and rng.random() < 0.5:
            down = (main, side[-1])  # merge the side branch back
            side, side_from = [], None
        else:
            down = (main,)
        if side_from is None and main is not None and n % 40 == 20:
            side_from = main
        if revs and rng.random() < 0.01:
            deps = [rng.choice(revs[: max(1, n - 50)])[0]]
        rid = new_id()
        revs.append((rid, down, labels, deps))
        if side_from is not None and down and down[0] != main and main not in down:
            side.append(rid)
        else:
            main = rid
        # leave two side branches open for good
        if side and len(side) >= 2 and open_branches_left and n > size // (open_branches_left + 1):
            open_branches_left -= 1
            side, side_from = [], None
    for n, (rid, down, labels, deps) in enumerate(revs):
        name, text = render(rng, n, rid, down, labels, deps)
        with open(os.path.join(versions, name), "w") as f:
            f.write(text)
    return path, len(revs)


def cpu_children():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def timed(argv, cwd, env=None):
    """Wall clock and CPU time (user + sys) of one run, and its stdout."""
    c0 = cpu_children()
    t0 = time.perf_counter()
    p = subprocess.run(argv, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    t = time.perf_counter() - t0
    cpu = cpu_children() - c0
    if p.returncode != 0:
        raise RuntimeError("%s failed (%d): %s" % (" ".join(argv), p.returncode,
                                                     p.stderr.decode(errors="replace")))
    return t, cpu, p.stdout


def measure(argv, cwd, runs, env=None):
    """median wall, min wall, median CPU, stdout (after one warm-up run)."""
    _, _, out = timed(argv, cwd, env)
    runs = [timed(argv, cwd, env) for _ in range(runs)]
    walls = [r[0] for r in runs]
    return (statistics.median(walls), min(walls),
            statistics.median(r[1] for r in runs), out)


def labels_sorted(output):
    """alembic prints a revision's branch labels in set order (hash seed
    dependent): sort the " (label, label)" list after each head's id."""
    lines = []
    for line in output.decode("utf-8", errors="replace").split("\n"):
        m = re.match(r"^(\S+) \(([^()]*)\)", line)
        if m:
            line = "%s (%s)%s" % (m.group(1), ", ".join(sorted(m.group(2).split(", "))),
                                  line[m.end():])
        lines.append(line)
    return "\n".join(lines)


def fmt(seconds):
    if seconds is None:
        return "n/a"
    if seconds < 1:
        return "%.1f ms" % (seconds * 1000)
    return "%.2f s" % seconds


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--retort", default=os.environ.get("RETORT_CLI"))
    ap.add_argument("--sizes", default="1000,5000")
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--alembic-runs", type=int, default=3)
    ap.add_argument("--keep", help="generate the directories here (must not exist)")
    args = ap.parse_args()
    if args.retort:
        args.retort = os.path.abspath(args.retort)
    if not args.retort or not os.access(args.retort, os.X_OK):
        print("bench: retort-cli not found: set RETORT_CLI or pass --retort")
        return 1
    have_alembic = subprocess.run([PYTHON, "-c", "import alembic.config"],
                                  stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL).returncode == 0
    if not have_alembic:
        print("bench: python3-alembic is not importable; timing retort only")
    if args.alembic_runs < 1:
        have_alembic = False

    if args.keep:
        os.makedirs(args.keep)
        root, tmp = os.path.realpath(args.keep), None
    else:
        tmp = tempfile.TemporaryDirectory(prefix="retort-bench-")
        root = os.path.realpath(tmp.name)
    rows, targets, sane = [], [], True
    try:
        for size in [int(s) for s in args.sizes.split(",")]:
            path, n = generate(root, size, SEED + size)
            for command in ("heads", "history"):
                argv = ["-c", os.path.join(path, "alembic.ini"), command]
                r_med, r_min, r_cpu, r_out = measure([args.retort] + argv, path, args.runs)
                a_med = a_min = a_cpu = a_out = None
                if have_alembic:
                    a_med, a_min, a_cpu, a_out = measure([PYTHON, ALEMBIC_SORTED] + argv, path,
                                                         args.alembic_runs)
                ratio = a_med / r_med if a_med else None
                rows.append((n, command, r_med, r_min, r_cpu, a_med, a_min, a_cpu, ratio))
                if command == "heads" and a_out is not None:
                    same = labels_sorted(a_out) == labels_sorted(r_out)
                    sane = sane and same
                    print("sanity: %d revisions: heads output of retort and alembic %s"
                          % (n, "equal" if same else "DIFFER"))
                    if not same:
                        print("--- alembic\n%s--- retort\n%s" % (
                            a_out.decode(errors="replace"), r_out.decode(errors="replace")))
                if n >= 5000:
                    targets.append(("retort %s at %d revisions < %d ms" % (
                        command, n, TARGET_MS), fmt(r_med) + " median",
                        r_med * 1000 < TARGET_MS))
                if ratio is not None:
                    targets.append(("retort %s at %d revisions >= %dx faster than alembic" % (
                        command, n, TARGET_RATIO), "%.0fx" % ratio, ratio >= TARGET_RATIO))
    finally:
        if tmp is not None:
            tmp.cleanup()

    print()
    print("retort-cli vs alembic 1.8.1 (alembic-sorted.py); wall clock (cpu = median "
          "user+sys); retort %d runs, alembic %d runs, after one warm-up run each; "
          "load average %.2f" % (args.runs, args.alembic_runs, os.getloadavg()[0]))
    header = ("revisions", "command", "retort median", "min", "cpu", "alembic median",
              "min", "cpu", "alembic/retort")
    print("%9s  %-8s %13s %9s %9s %14s %9s %9s %14s" % header)
    for n, command, r_med, r_min, r_cpu, a_med, a_min, a_cpu, ratio in rows:
        print("%9d  %-8s %13s %9s %9s %14s %9s %9s %14s" % (
            n, command, fmt(r_med), fmt(r_min), fmt(r_cpu), fmt(a_med), fmt(a_min),
            fmt(a_cpu), "%.0fx" % ratio if ratio else "n/a"))
    print()
    for text, value, ok in targets:
        print("%-4s %s: %s" % ("PASS" if ok else "MISS", text, value))
    return 0 if sane else 1


if __name__ == "__main__":
    sys.exit(main())
