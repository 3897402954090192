#!/usr/bin/python3
"""Interoperability suite: retort-cli against Debian's alembic 1.8.1.

Generates script directories (hand-written graphs plus random DAGs from a fixed
seed) in a temporary directory, runs the same read-only commands (heads,
branches, history with many ranges, show) with the real alembic and with
retort-cli, and requires the same stdout, and either both exit statuses 0 or
both non-zero (error text is not compared: Retort words its errors itself, and
prints them on stderr).

Alembic is run through alembic-sorted.py (sorted file load order, as Alembic
>= 1.10 and Retort do). Starting it costs ~0.3 s per call, so by default the
commands go through alembic-batch.py, which loads alembic-sorted.py once and
runs each command exactly as alembic's CommandLine.main() does; a sample of
commands (--cli-sample) is also run through alembic-sorted.py as a separate
process each, and both answers are compared with retort's. --per-call runs
every alembic command as its own alembic-sorted.py process.

Usage: run-interop.py [--retort PATH] [--keep DIR] [--only SUBSTR] [-j N]
                      [--per-call] [--cli-sample N] [--hash-seeds N]
                      [--seed S] [--random-dags N] [-v]
Environment: RETORT_CLI (path of retort-cli), set by meson's test_env.
Exit status: 0 all passed, 1 any failure, 77 alembic not importable (skip).
"""
import argparse
import concurrent.futures
import difflib
import json
import os
import random
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ALEMBIC_SORTED = os.path.join(HERE, "alembic-sorted.py")
ALEMBIC_BATCH = os.path.join(HERE, "alembic-batch.py")
PYTHON = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable
SEED = 20240611
N_RANDOM_DAGS = 20


# --------------------------------------------------------------------------
# Revisions and how their files are written
# --------------------------------------------------------------------------

class Rev:
    """One revision file.

    down: () | (id,) | (id, id, ...); deps: tuple of depends_on entries as
    written (ids or branch labels); labels: declared branch_labels.
    form: how the values are written (see render()); doc: docstring variant.
    """

    def __init__(self, rid, down=(), labels=(), deps=(), message=None,
                 filename=None, form="classic", doc="template",
                 scalar_down=True, scalar_deps=True, date=None, subdir="versions",
                 text=None):
        self.id = rid
        self.down = tuple(down)
        self.labels = tuple(labels)
        self.deps = tuple(deps)
        self.message = message if message is not None else "revision %s" % rid
        self.filename = filename or "%s_%s.py" % (rid, slug(self.message))
        self.form = form
        self.doc = doc
        self.scalar_down = scalar_down
        self.scalar_deps = scalar_deps
        self.subdir = subdir  # relative to the script location
        self.text = text  # the whole file, instead of render()
        self.date = date or "2024-03-%02d 10:%02d:%02d.%06d" % (
            1 + len(rid) % 28, len(rid) % 60, (3 * len(rid)) % 60, 123456)


def slug(message):
    s = "_".join(re.findall(r"\w+", message)).lower()
    if len(s) > 40:
        s = s[:40].rsplit("_", 1)[0] + "_"
    return s


def q(value, dq):
    if dq:
        return '"%s"' % value
    return repr(value)


def render_value(values, dq, scalar, style="tuple"):
    """None, a scalar string, a tuple/list (one-line or multi-line)."""
    if not values:
        if style == "empty":
            return "()"
        return "None"
    if scalar and len(values) == 1:
        return q(values[0], dq)
    items = [q(v, dq) for v in values]
    if style == "list":
        return "[%s]" % ", ".join(items)
    if style == "multiline":
        return "(\n%s\n)" % "\n".join("    %s," % i for i in items)
    if len(items) == 1:
        return "(%s,)" % items[0]
    return "(%s)" % ", ".join(items)


def render(rev):
    """The text of a revision file, in the style of alembic's script.py.mako.

    forms: classic (<= 1.11.1 template, repr quotes), typed (>= 1.16.2
    template, double quotes), typed_old (1.11.2 .. 1.16.1, repr quotes),
    dq (no annotations, double quotes), list (lists / multi-line tuples,
    label as a bare string, empty tuple for a root).
    doc: template | none (no docstring) | coding (encoding line and comments
    first) | single (''' docstring) | raw (r\"\"\" docstring).
    """
    form = rev.form
    dq = form in ("typed", "dq")
    seq_style = "tuple"
    if form == "list":
        seq_style = "list" if len(rev.down) != 2 else "multiline"
    down = render_value(rev.down, dq, rev.scalar_down,
                        "empty" if (form == "list" and not rev.down) else seq_style)
    if form == "list" and rev.labels and len(rev.labels) == 1:
        labels = q(rev.labels[0], dq)
    else:
        labels = render_value(rev.labels, dq, False)
    deps = render_value(rev.deps, dq, rev.scalar_deps,
                        "list" if form == "list" else "tuple")

    lines = []
    if rev.doc != "none":
        if rev.doc == "coding":
            lines += ["# -*- coding: utf-8 -*-", "# generated for the Retort interop suite", ""]
        quote = {"single": "'''", "raw": 'r"""'}.get(rev.doc, '"""')
        close = "'''" if rev.doc == "single" else '"""'
        lines += [
            "%s%s" % (quote, rev.message),
            "",
            "Revision ID: %s" % rev.id,
            "Revises: %s" % ", ".join(rev.down),
            "Create Date: %s" % rev.date,
            "",
            close,
        ]
    else:
        lines += ["# %s (no docstring)" % rev.message]
    if form in ("typed", "typed_old"):
        lines += ["from typing import Sequence, Union", ""]
    lines += ["from alembic import op", "import sqlalchemy as sa", "", "",
              "# revision identifiers, used by Alembic."]
    if form == "typed":
        lines += [
            "revision: str = %s" % q(rev.id, True),
            "down_revision: Union[str, Sequence[str], None] = %s" % down,
            "branch_labels: Union[str, Sequence[str], None] = %s" % labels,
            "depends_on: Union[str, Sequence[str], None] = %s" % deps,
        ]
    elif form == "typed_old":
        lines += [
            "revision: str = %s" % q(rev.id, False),
            "down_revision: Union[str, None] = %s" % down,
            "branch_labels: Union[str, Sequence[str], None] = %s" % labels,
            "depends_on: Union[str, Sequence[str], None] = %s" % deps,
        ]
    else:
        lines += [
            "revision = %s" % q(rev.id, dq),
            "down_revision = %s" % down,
            "branch_labels = %s" % labels,
            "depends_on = %s" % deps,
        ]
    ann = " -> None" if form.startswith("typed") else ""
    lines += ["", "", "def upgrade()%s:" % ann,
              "    # ### commands auto generated by Alembic - please adjust! ###",
              "    pass",
              "    # ### end Alembic commands ###",
              "", "",
              "def downgrade()%s:" % ann,
              "    # ### commands auto generated by Alembic - please adjust! ###",
              "    pass",
              "    # ### end Alembic commands ###",
              ""]
    return "\n".join(lines)


class Case:
    def __init__(self, name, revs, location="here", extra_files=(), ini_extra=""):
        self.name = name
        self.revs = revs
        self.location = location  # "here" or a sub-folder name
        self.ini_extra = ini_extra  # more [alembic] lines
        self.extra_files = extra_files
        self.commands = []  # (argv, expect) with expect "any" or "fail"
        self.dir = None
        self.ini = None

    # graph helpers (versioned edges only)
    def ids(self):
        return [r.id for r in self.revs]

    def by_id(self):
        return {r.id: r for r in self.revs}

    def ancestors(self, rid):
        byid = self.by_id()
        seen, todo = set(), list(byid[rid].down)
        while todo:
            x = todo.pop()
            if x not in seen:
                seen.add(x)
                todo.extend(byid[x].down)
        return seen

    def heads(self):
        parents = {d for r in self.revs for d in r.down}
        return [r.id for r in self.revs if r.id not in parents]

    def labels(self):
        return [lbl for r in self.revs for lbl in r.labels]

    def keys(self):
        return self.ids() + self.labels()

    def partial(self, rid, rng=None, extra=0):
        """A prefix of rid (>= 4 chars) that only rid starts with."""
        keys = [k for k in self.keys() if k != rid]
        for n in range(4, len(rid) + 1):
            p = rid[:n]
            if not any(k.startswith(p) for k in keys):
                n = min(len(rid), n + (rng.randint(0, extra) if rng else extra))
                return rid[:n]
        return rid

    def add(self, *argv, expect="any"):
        self.commands.append((list(argv), expect))

    def add_range(self, rng_text, expect="any"):
        if rng_text.startswith("-"):
            self.add("history", "-r=" + rng_text, expect=expect)
        else:
            self.add("history", "-r", rng_text, expect=expect)

    def add_standard(self):
        self.add("heads")
        self.add("heads", "-v")
        self.add("heads", "--resolve-dependencies")
        self.add("heads", "-v", "--resolve-dependencies")
        self.add("branches")
        self.add("branches", "-v")
        self.add("history")
        self.add("history", "-v")
        self.add("show", "heads")

    def write(self, root):
        self.dir = os.path.join(root, self.name)
        loc = self.dir if self.location == "here" else os.path.join(self.dir, self.location)
        versions = os.path.join(loc, "versions")
        os.makedirs(versions)
        self.ini = os.path.join(self.dir, "alembic.ini")
        with open(self.ini, "w") as f:
            sl = "%(here)s" if self.location == "here" else "%%(here)s/%s" % self.location
            f.write("[alembic]\nscript_location = %s\n%s" % (sl, self.ini_extra))
        open(os.path.join(loc, "env.py"), "w").close()
        for name, text in self.extra_files:
            with open(os.path.join(versions, name), "w") as f:
                f.write(text)
        for r in self.revs:
            os.makedirs(os.path.join(loc, r.subdir), exist_ok=True)
            with open(os.path.join(loc, r.subdir, r.filename), "w", encoding="utf-8") as f:
                f.write(r.text if r.text is not None else render(r))


# --------------------------------------------------------------------------
# Hand-written cases
# --------------------------------------------------------------------------

def case_linear():
    revs = [
        Rev("a1_users", message="create users table", filename="0001_create_users.py",
            form="classic"),
        Rev("3f2b9c1d4e5a", ["a1_users"], message="add email column",
            filename="0002_add_email.py", form="typed"),
        Rev("0003", ["3f2b9c1d4e5a"], message="add index on email\nand on name",
            filename="0003_index.py", form="dq"),
        Rev("c0ffee123456", ["0003"], message="orders",
            filename="0004_orders.py", form="typed_old"),
        Rev("7d41e0a9b2c8", ["c0ffee123456"],
            message="orders: add total\n\nLonger explanation of why the total\nis stored.",
            filename="0005_orders_total.py", form="classic"),
        Rev("e5f6a7b8c9d0", ["7d41e0a9b2c8"], message="add user's nickname",
            filename="0006_nickname.py", form="list"),
    ]
    c = Case("linear", revs)
    c.add_standard()
    for r in ["a1_users:c0ffee123456", "3f2b:7d41", "3f2b9c:7d41e0a9", "base:0003",
              "0003:", ":c0ff", ":head", "0003:head", "base:heads", "a1_users:heads",
              "-2:", "-1:", "-3:head", "3f2b9c1d4e5a+1:", "a1_users+2:head",
              ":head-1", "base+1:head-2", "0003-1:0003+1", "base:base+3",
              "c0ffee123456:c0ffee123456", ":", "3f2b:",
              # walking down 6 from the head reaches "base": 1.8.1 refuses
              "-5:", "-6:", "-7:", "-6:0003"]:
        c.add_range(r)
    for s in ["a1_users", "3f2b9c1d4e5a", "0003", "c0ffee123456", "7d41e0a9b2c8",
              "e5f6a7b8c9d0", "head", "7d41e0", "e5f6", "head-1", "base+2",
              "0003+1", "base"]:
        c.add("show", s)
    c.add("show", "zz_nonexistent", expect="fail")
    c.add("show", "ffffffff", expect="fail")
    c.add_range("c0ffee123456:3f2b9c1d4e5a", expect="fail")
    c.add_range("head+1:", expect="any")
    c.add("history", "-r", "a1_users", expect="fail")  # no colon
    return c


def case_open_branch():
    revs = [
        Rev("aa11bb22cc33", message="root"),
        Rev("bb22cc33dd44", ["aa11bb22cc33"], message="second", form="dq"),
        Rev("cc33dd44ee55", ["bb22cc33dd44"], message="branch point"),
        Rev("dd44ee55ff66", ["cc33dd44ee55"], message="left one", form="typed"),
        Rev("ee55ff667788", ["dd44ee55ff66"], message="left two"),
        Rev("ff6677889900", ["cc33dd44ee55"], message="right one\nstill the title",
            form="typed_old"),
    ]
    c = Case("open_branch", revs)
    c.add_standard()
    for r in ["cc33dd44ee55:ee55ff667788", "cc33:ff66", "base:ff6677889900",
              ":ee55", "dd44ee55ff66:heads", "bb22cc33dd44:", "-1:", "-2:",
              "=-1:ee55ff667788", "aa11bb22cc33+2:", "base:heads", "dd44+1:"]:
        if r.startswith("="):
            c.add("history", "-r" + r)
        else:
            c.add_range(r)
    for s in ["cc33dd44ee55", "ff66", "heads", "ee55ff667788-1", "aa11bb22cc33+1"]:
        c.add("show", s)
    c.add("show", "head", expect="fail")
    c.add_range("ee55ff667788:ff6677889900", expect="fail")
    c.add_range(":head", expect="fail")
    c.add_range("cc33dd44ee55+1:", expect="fail")  # ambiguous walk
    c.add("show", "cc33dd44ee55+1", expect="fail")
    return c


def case_diamond():
    revs = [
        Rev("d1a2b3c4d5e6", message="base of diamond", filename="01_base.py"),
        Rev("b1b1b1b1b1b1", ["d1a2b3c4d5e6"], message="left side", filename="02_left.py"),
        Rev("b2b2b2b2b2b2", ["d1a2b3c4d5e6"], message="right side", filename="03_right.py",
            form="typed"),
        Rev("c3c3c3c3c3c3", ["b1b1b1b1b1b1", "b2b2b2b2b2b2"], message="merge left and right",
            filename="04_merge.py", form="typed"),
        Rev("d4d4d4d4d4d4", ["c3c3c3c3c3c3"], message="after merge", filename="05_after.py"),
        Rev("e5e5e5e5e5e5", ["d4d4d4d4d4d4"], message="top", filename="06_top.py",
            form="list"),
    ]
    c = Case("diamond", revs)
    c.add_standard()
    for r in ["d1a2b3c4d5e6:d4d4d4d4d4d4", "b1b1:d4d4", "b2b2b2b2b2b2:c3c3c3c3c3c3",
              "base:b1b1b1b1b1b1", "b1b1b1b1b1b1:", ":c3c3", "-3:", "-4:",
              "c3c3c3c3c3c3-1:", "base:head", "b2b2:head", "d4d4+1:"]:
        c.add_range(r)
    for s in ["c3c3c3c3c3c3", "d1a2", "head", "head-2", "b1b1b1b1b1b1+1"]:
        c.add("show", s)
    c.add_range("b1b1b1b1b1b1:b2b2b2b2b2b2", expect="fail")
    c.add_range("d1a2b3c4d5e6+1:", expect="fail")  # ambiguous walk
    c.add("show", "c3c3c3c3c3c3-1", expect="fail")  # ambiguous walk down
    return c


def case_three_way():
    revs = [
        Rev("aaaa00000001", message="root"),
        Rev("bbbb00000002", ["aaaa00000001"], message="x one"),
        Rev("cccc00000003", ["aaaa00000001"], message="y one", form="dq"),
        Rev("dddd00000004", ["aaaa00000001"], message="z one", form="typed"),
        Rev("eeee00000005", ["bbbb00000002"], message="x two"),
        Rev("ffff00000006", ["eeee00000005", "cccc00000003", "dddd00000004"],
            message="merge x y z", form="typed_old"),
        Rev("ab1200000007", ["ffff00000006"], message="after three-way merge"),
        Rev("ab3400000008", ["cccc00000003"], message="y two, an open head", form="list"),
    ]
    c = Case("three_way", revs)
    c.add_standard()
    for r in ["aaaa00000001:ab1200000007", "base:ffff", "cccc:ab12", "dddd00000004:",
              "aaaa:heads", "-1:", "-2:", "ffff00000006-1:", "bbbb00000002+1:",
              ":ab34", "eeee:ffff"]:
        c.add_range(r)
    for s in ["ffff00000006", "aaaa00000001", "cccc", "ab12", "ab34", "heads"]:
        c.add("show", s)
    c.add("show", "ab", expect="fail")  # ambiguous partial
    c.add("show", "ab1")  # a 3-character query may match one longer id
    c.add("show", "head", expect="fail")
    c.add_range("ab3400000008:ab1200000007", expect="fail")
    return c


def case_multi_roots():
    revs = [
        Rev("r1_accounts", message="accounts root", filename="a_r1.py"),
        Rev("r2_accounts", ["r1_accounts"], message="accounts two", filename="a_r2.py"),
        Rev("r3_accounts", ["r2_accounts"], message="accounts three", filename="a_r3.py"),
        Rev("s1_billing", message="billing root", filename="b_s1.py", form="typed"),
        Rev("s2_billing", ["s1_billing"], message="billing two", filename="b_s2.py"),
        Rev("t1_standalone", message="standalone root", filename="c_t1.py", form="dq"),
        Rev("m1_merge", ["r3_accounts", "s2_billing"], message="join accounts and billing",
            filename="d_m1.py", form="list"),
        Rev("u1_late_root", message="a root loaded last", filename="e_u1.py"),
        Rev("u2_late", ["u1_late_root"], message="on the late root", filename="e_u2.py"),
    ]
    c = Case("multi_roots", revs)
    c.add_standard()
    for r in ["base:m1_merge", "s1_billing:", "t1_standalone:", "r1_accounts:m1_merge",
              "base:u2_late", "u1_late_root:u2_late", "r2_a:", "-1:", "s1_billing+1:",
              "base:t1_standalone", "base:heads"]:
        c.add_range(r)
    for s in ["m1_merge", "r1_accounts", "t1_standalone", "heads", "u2_late-1",
              "s1_b", "r3_accounts"]:
        c.add("show", s)
    c.add("show", "head", expect="fail")
    c.add_range("t1_standalone:m1_merge", expect="fail")
    c.add_range("base+1:", expect="fail")  # several roots: ambiguous walk
    return c


def case_labels():
    revs = [
        # label on a root; c2 is a branch point
        Rev("c0c0c0c0c0c0", labels=["core"], message="core root", filename="010_core0.py"),
        Rev("c1c1c1c1c1c1", ["c0c0c0c0c0c0"], message="core one", filename="011_core1.py"),
        Rev("c2c2c2c2c2c2", ["c1c1c1c1c1c1"], message="core two, branch point",
            filename="012_core2.py", form="typed"),
        # label on the first revision after the branch point
        Rev("f1f1f1f1f1f1", ["c2c2c2c2c2c2"], labels=["feature"], message="feature one",
            filename="020_feature1.py", form="typed"),
        Rev("f2f2f2f2f2f2", ["f1f1f1f1f1f1"], message="feature two", filename="021_feature2.py"),
        Rev("f3f3f3f3f3f3", ["f2f2f2f2f2f2"], message="feature three",
            filename="022_feature3.py", form="dq"),
        Rev("c3c3c3c3c3c3", ["c2c2c2c2c2c2"], message="core three", filename="013_core3.py"),
        Rev("c4c4c4c4c4c4", ["c3c3c3c3c3c3"], message="core four", filename="014_core4.py"),
        # mid-chain label on a straight line: labels the whole line
        Rev("m0m0_audit", message="audit root", filename="030_audit0.py"),
        Rev("m1m1_audit", ["m0m0_audit"], message="audit one", filename="031_audit1.py"),
        Rev("m2m2_audit", ["m1m1_audit"], labels=["audit"], message="audit two, labelled",
            filename="032_audit2.py", form="list"),
        Rev("m3m3_audit", ["m2m2_audit"], message="audit three", filename="033_audit3.py"),
        Rev("m4m4_audit", ["m3m3_audit"], message="audit four", filename="034_audit4.py"),
        # two labels on one revision
        Rev("p0p0p0p0p0p0", labels=["billing", "payments"], message="payments root",
            filename="040_pay0.py", form="typed_old"),
        Rev("p1p1p1p1p1p1", ["p0p0p0p0p0p0"], message="payments one", filename="041_pay1.py"),
        Rev("p2p2p2p2p2p2", ["p1p1p1p1p1p1"], labels=["invoices"], message="payments two",
            filename="042_pay2.py", form="dq"),
    ]
    c = Case("labels", revs)
    c.add_standard()
    for r in ["feature@base:", ":feature@head", "feature@base:feature@head",
              "audit@base:audit@head", "audit@base:", "billing@base:", ":payments@head",
              "invoices@base:", "core@base:c2c2c2c2c2c2", "c1c1:feature@head",
              "feature@f1f1:", "audit@m1m1:", "=feature@-1:", "=audit@-2:",
              "feature@base+1:", "audit@head-2:", "audit@base+2:audit@head",
              "base:audit@head", "billing@p0p0:billing@p2p2"]:
        if r.startswith("="):
            c.add("history", "-r" + r)
        else:
            c.add_range(r)
    for s in ["feature@head", "audit", "audit@head", "billing@head", "payments",
              "invoices", "core@c1c1", "feature@f2f2", "core", "feature",
              "audit@head-1", "billing@base+1", "c2c2c2c2c2c2", "m0m0_audit",
              "feature@feature", "c2c2@f3f3"]:
        c.add("show", s)
    c.add("show", "core@head", expect="fail")  # core spans two heads
    c.add("show", "feature@c4c4c4c4c4c4", expect="fail")  # not a member of branch
    c.add("show", "nosuchlabel@head", expect="fail")
    c.add_range("feature@base:audit@head", expect="any")
    return c


def case_depends():
    revs = [
        Rev("a1a1a1a1a1a1", labels=["alpha"], message="alpha one", filename="a1.py"),
        Rev("a2a2a2a2a2a2", ["a1a1a1a1a1a1"], message="alpha two", filename="a2.py"),
        Rev("a3a3a3a3a3a3", ["a2a2a2a2a2a2"], message="alpha three, an effective head",
            filename="a3.py", form="typed"),
        Rev("b1b1b1b1b1b1", message="beta one", filename="b1.py"),
        # depends_on another branch's revision, by id
        Rev("b2b2b2b2b2b2", ["b1b1b1b1b1b1"], deps=["a2a2a2a2a2a2"],
            message="beta two needs alpha two", filename="b2.py", form="dq"),
        # depends_on by branch label
        Rev("b3b3b3b3b3b3", ["b2b2b2b2b2b2"], deps=["alpha"], message="beta three needs alpha",
            filename="b3.py", form="typed", scalar_deps=False),
        Rev("c1c1c1c1c1c1", message="gamma one", filename="c1.py"),
        # depends_on a versioned head: a3 becomes an effective head
        Rev("c2c2c2c2c2c2", ["c1c1c1c1c1c1"], deps=["a3a3a3a3a3a3"],
            message="gamma two needs alpha three", filename="c2.py", form="list"),
        Rev("d1d1d1d1d1d1", deps=["b1b1b1b1b1b1"], message="a root that depends on beta one",
            filename="d1.py"),
    ]
    c = Case("depends", revs)
    c.add_standard()
    for r in ["a1a1a1a1a1a1:a3a3a3a3a3a3", "b1b1:b3b3", "base:b3b3b3b3b3b3",
              ":c2c2", "alpha@base:", "base:c2c2c2c2c2c2", "a2a2a2a2a2a2:",
              "c1c1c1c1c1c1:c2c2c2c2c2c2", "-1:", "base:d1d1d1d1d1d1", "b1b1b1b1b1b1:",
              "a2a2a2a2a2a2:b3b3b3b3b3b3", "a3a3a3a3a3a3:c2c2c2c2c2c2", "base:heads"]:
        c.add_range(r)
    for s in ["a3a3a3a3a3a3", "b2b2b2b2b2b2", "b3b3", "c2c2c2c2c2c2", "d1d1d1d1d1d1",
              "alpha", "alpha@head", "heads", "a2a2a2a2a2a2", "b1b1b1b1b1b1"]:
        c.add("show", s)
    c.add("show", "head", expect="fail")
    c.add_range("a1a1a1a1a1a1:b1b1b1b1b1b1", expect="fail")
    return c


def case_normalized_deps():
    # NormalizedDownRevTest: b4 re-declares b1's dependency a3.
    revs = [
        Rev("a1", message="a1", filename="01_a1.py"),
        Rev("a2", ["a1"], message="a2", filename="02_a2.py"),
        Rev("a3", ["a2"], message="a3", filename="03_a3.py"),
        Rev("b1", message="b1", filename="04_b1.py"),
        Rev("b2", ["b1"], deps=["a3"], message="b2", filename="05_b2.py"),
        Rev("b3", ["b2"], message="b3", filename="06_b3.py"),
        Rev("b4", ["b3"], deps=["a3"], message="b4", filename="07_b4.py", form="typed"),
        Rev("a4", ["a3"], message="a4 after the depended-on a3", filename="08_a4.py"),
    ]
    c = Case("normalized_deps", revs)
    c.add_standard()
    for r in ["b1:b4", "base:b4", "a3:", "b2:", "-1:", "-2:", "base:a4", "a2:a4"]:
        c.add_range(r)
    for s in ["b4", "b2", "a3", "a4", "heads"]:
        c.add("show", s)
    return c


def case_odd_forms():
    """Files that alembic's templates would not write but that real projects have."""
    extra = [
        ("README", "Single-database configuration.\n"),
        ("__init__.py", ""),
        (".keep", ""),
        ("notes.txt", "revision = 'not_a_revision'\n"),
    ]
    revs = [
        Rev("AbC123root", message="mixed case id", filename="aaa_root.py",
            form="list", doc="coding"),
        Rev("X9", ["AbC123root"], message="a two-character id", filename="bbb_x9.py",
            form="classic", doc="none"),
        Rev("feed1234beef", ["X9"], message="Ünïcode message – with a dash",
            filename="ccc_unicode.py", form="typed", doc="single"),
        Rev("raw0doc00001", ["feed1234beef"], message="raw docstring\nsecond line",
            filename="ddd_raw.py", form="dq", doc="raw"),
        Rev("side00000001", ["X9"], labels=["sidecar"], message="side branch, label as a string",
            filename="eee_side.py", form="list"),
        Rev("merge0000001", ["raw0doc00001", "side00000001"],
            message="merge with a multi-line tuple", filename="fff_merge.py", form="list"),
        Rev("one0tuple001", ["merge0000001"], message="down_revision as a 1-tuple",
            filename="ggg_tuple.py", form="classic", scalar_down=False),
        Rev("deplist00001", ["one0tuple001"], deps=["side00000001"],
            message="depends_on as a list", filename="hhh_deplist.py", form="list",
            scalar_deps=False),
    ]
    c = Case("odd_forms", revs, location="migrations", extra_files=extra)
    c.add_standard()
    for r in ["AbC123root:merge0000001", "X9:", ":raw0", "base:X9", "X9:deplist00001",
              "sidecar@base:", "feed:one0", "-3:"]:
        c.add_range(r)
    for s in ["X9", "feed1234beef", "raw0doc00001", "sidecar", "deplist00001", "AbC1",
              "merge0000001", "head"]:
        c.add("show", s)
    c.add("show", "X", expect="fail")
    c.add("show", "abc123root", expect="fail")  # ids are case sensitive
    return c


def case_escapes():
    """Docstrings that Python decodes: escapes in plain strings, not in raw ones."""
    revs = [
        Rev("e1e1e1e1e1e1", message="tab\\there and a \\\\ backslash and caf\\u00e9",
            filename="1_tab.py"),
        Rev("e2e2e2e2e2e2", ["e1e1e1e1e1e1"], message="raw \\t stays and \\\\ too",
            filename="2_raw.py", doc="raw"),
        Rev("e3e3e3e3e3e3", ["e2e2e2e2e2e2"], message="\n  leading newline and indented",
            filename="3_lead.py", form="dq"),
        Rev("e4e4e4e4e4e4", ["e3e3e3e3e3e3"],
            message="trailing spaces   \n  second line indented  \n\n    indented paragraph",
            filename="4_trail.py", form="typed"),
        Rev("e5e5e5e5e5e5", ["e4e4e4e4e4e4"], message="a line continuation \\\nhere",
            filename="5_cont.py", doc="single"),
    ]
    c = Case("escapes", revs)
    c.add("heads", "-v")
    c.add("history")
    c.add("history", "-v")
    for r in revs:
        c.add("show", r.id)
    return c


def case_two_locations():
    """version_locations: two folders (space separated, alembic 1.8.1's default
    split), loaded location by location, each in sorted file order."""
    revs = [
        Rev("ma000001", message="model a root", filename="z_first_in_a.py", subdir="model_a",
            labels=["model_a"]),
        Rev("ma000002", ["ma000001"], message="model a two", filename="a_second_in_a.py",
            subdir="model_a"),
        Rev("mb000001", message="model b root", filename="m_b1.py", subdir="model_b",
            form="typed"),
        Rev("mb000002", ["mb000001"], deps=["ma000002"], message="model b two",
            filename="b_b2.py", subdir="model_b"),
        Rev("zz000001", message="in the default versions folder, not loaded",
            filename="zz.py", subdir="versions"),
    ]
    c = Case("two_locations", revs,
             ini_extra="version_locations = %(here)s/model_a %(here)s/model_b\n")
    c.add_standard()
    for r in ["base:", "model_a@base:", "ma000001:", "mb000001:mb000002"]:
        c.add_range(r)
    for s in ["model_a@head", "mb000002", "ma00"]:
        c.add("show", s)
    c.add("show", "zz000001", expect="fail")
    return c


BROKEN_TEMPLATE = '''"""{rid}"""
revision = {rid!r}
down_revision = {down}
branch_labels = {labels}
depends_on = {deps}
'''


def broken(name, revs, note):
    """Script directories alembic refuses (or crashes on): both must fail.
    revs: (id, down_revision, branch_labels, depends_on) as Python source."""
    rs = []
    for i, (rid, down, labels, deps) in enumerate(revs):
        text = BROKEN_TEMPLATE.format(rid=rid, down=down, labels=labels, deps=deps)
        if down == "OMIT":  # no down_revision at all: AttributeError in alembic
            text = text.replace("down_revision = OMIT\n", "")
        rs.append(Rev(rid, filename="%02d_%s.py" % (i, re.sub(r"\W", "_", rid)), text=text))
    c = Case("broken_" + name, rs)
    for argv in (["heads"], ["branches"], ["history"], ["history", "-r", "base:"],
                 ["show", revs[0][0]]):
        c.add(*argv, expect="fail")
    return c


def broken_cases():
    return [
        broken("missing_parent", [("aaaa0001", "None", "None", "None"),
                                  ("bbbb0002", "'nosuchparent'", "None", "None")],
               "down_revision names an unknown revision"),
        broken("missing_dependency", [("aaaa0001", "None", "None", "None"),
                                      ("bbbb0002", "'aaaa0001'", "None", "'nosuchdep'")],
               "depends_on names an unknown revision"),
        broken("illegal_char", [("aaaa0001", "None", "None", "None"),
                                ("bad-id01", "'aaaa0001'", "None", "None")],
               "'-' in a revision id"),
        broken("self_loop", [("aaaa0001", "None", "None", "None"),
                             ("bbbb0002", "('aaaa0001', 'bbbb0002')", "None", "None")],
               "a revision in its own down_revision"),
        broken("cycle", [("aaaa0001", "None", "None", "None"),
                         ("bbbb0002", "('aaaa0001', 'cccc0003')", "None", "None"),
                         ("cccc0003", "'bbbb0002'", "None", "None")],
               "a cycle above a base"),
        broken("dependency_cycle", [("aaaa0001", "None", "None", "None"),
                                    ("bbbb0002", "'aaaa0001'", "None", "'cccc0003'"),
                                    ("cccc0003", "'aaaa0001'", "None", "'bbbb0002'")],
               "depends_on edges close a cycle"),
        broken("label_is_an_id", [("aaaa0001", "None", "None", "None"),
                                  ("bbbb0002", "'aaaa0001'", "('aaaa0001',)", "None")],
               "a branch label equal to a revision id"),
        broken("label_twice", [("aaaa0001", "None", "('x_label',)", "None"),
                                ("bbbb0002", "None", "('x_label',)", "None")],
               "one branch label declared twice"),
        broken("no_down_revision", [("aaaa0001", "None", "None", "None"),
                                    ("bbbb0002", "OMIT", "None", "None")],
               "a file without down_revision"),
    ]


def case_root_head():
    # a standalone root that is also a head: walking down one step from it
    # gives "base", which alembic 1.8.1 rejects in a relative range start
    revs = [
        Rev("aaaa1111", message="chain root", filename="1_a.py"),
        Rev("bbbb2222", ["aaaa1111"], message="chain top", filename="2_b.py"),
        Rev("cccc3333", message="standalone root", filename="3_c.py", form="typed"),
    ]
    c = Case("root_head", revs)
    c.add_standard()
    for r in ["-1:", "-2:", "-1:heads", "-1:bbbb2222", "-1:cccc3333", "base:",
              "cccc3333:", "aaaa1111:"]:
        c.add_range(r)
    return c


def case_root_head_past_base(first):
    """-N walks past base from a standalone root head (alembic: None), while
    the walk from the chain's head ends on a revision. With the root loaded
    last, alembic 1.8.1 trips over the None (AssertionError, exit 1)."""
    revs = [
        Rev("aaaa1111", message="chain root", filename="1_a.py"),
        Rev("bbbb2222", ["aaaa1111"], message="chain two", filename="2_b.py"),
        Rev("cccc3333", ["bbbb2222"], message="chain top", filename="3_c.py"),
        Rev("dddd4444", message="standalone root",
            filename="0_d.py" if first else "4_d.py", form="typed"),
    ]
    c = Case("root_head_past_base_%s" % ("first" if first else "last"), revs)
    c.add("heads")
    for r in ["-1:", "-2:", "-3:", "-4:", "-2:heads", "-2:cccc3333", "-2:dddd4444"]:
        c.add_range(r)
    return c


def case_root_effective_head():
    # the only real head is a root that depends on the chain's top
    revs = [
        Rev("aaaa1111", message="chain root", filename="1_a.py"),
        Rev("bbbb2222", ["aaaa1111"], message="chain top, an effective head",
            filename="2_b.py"),
        Rev("cccc3333", deps=["bbbb2222"], message="root depending on the chain",
            filename="3_c.py", form="dq"),
    ]
    c = Case("root_effective_head", revs)
    c.add_standard()
    for r in ["-1:", "-1:heads", "-1:cccc3333", "base:", "aaaa1111:", "bbbb2222:",
              "base:cccc3333"]:
        c.add_range(r)
    for s in ["head", "heads", "cccc3333", "bbbb2222"]:
        c.add("show", s)
    return c


HANDWRITTEN = [case_escapes, case_two_locations, case_root_head, case_root_effective_head,
               lambda: case_root_head_past_base(True), lambda: case_root_head_past_base(False),
               case_linear, case_open_branch, case_diamond, case_three_way,
               case_multi_roots, case_labels, case_depends, case_normalized_deps,
               case_odd_forms]


# --------------------------------------------------------------------------
# Random DAGs
# --------------------------------------------------------------------------

WORDS = ["users", "orders", "items", "audit", "billing", "tags", "events", "posts",
         "comments", "sessions", "tokens", "roles", "groups", "files", "notes"]
LABEL_WORDS = ["lbl_north", "lbl_south", "lbl_east", "lbl_west", "lbl_core",
               "lbl_extra", "lbl_media", "lbl_search"]
FORMS = ["classic", "classic", "classic", "typed", "typed_old", "dq", "list"]


def random_dag(index, rng):
    n = rng.randint(10, 60)
    naming = rng.choice(["numbered", "by_id", "mixed"])
    revs, children, heads = [], {}, []
    used = set()

    def new_id():
        while True:
            roll = rng.random()
            if roll < 0.8:
                rid = "%012x" % rng.getrandbits(48)
            elif roll < 0.95:
                rid = "%s%d_%s" % (rng.choice("abcdefghjk"), rng.randint(1, 99),
                                   rng.choice(WORDS))
            else:
                rid = "%04d" % rng.randint(0, 9999)
            if rid not in used:
                used.add(rid)
                return rid

    def ancestors(rid):
        byid = {r.id: r for r in revs}
        seen, todo = set(), list(byid[rid].down)
        while todo:
            x = todo.pop()
            if x not in seen:
                seen.add(x)
                todo.extend(byid[x].down)
        return seen

    for i in range(n):
        rid = new_id()
        if not revs or rng.random() < 0.04:
            down = ()
        elif len(heads) > 4 or (len(heads) >= 2 and rng.random() < 0.2):
            k = 3 if len(heads) >= 3 and rng.random() < 0.3 else 2
            down = tuple(rng.sample(heads, k))
        elif rng.random() < 0.15 and len(revs) > len(heads):
            down = (rng.choice([r.id for r in revs if r.id not in heads]),)
        else:
            # mostly extend one of the newest heads
            down = (heads[-1] if rng.random() < 0.6 else rng.choice(heads),)
        deps = ()
        if len(revs) > 3 and rng.random() < 0.1:
            anc = set()
            for d in down:
                anc |= ancestors(d) | {d}
            candidates = [r for r in revs if r.id not in anc]
            if candidates:
                target = rng.choice(candidates)
                # at most one depends_on entry per revision: with two,
                # alembic orders them by frozenset iteration (hash order)
                if target.labels and rng.random() < 0.5:
                    deps = (target.labels[0],)
                else:
                    deps = (target.id,)
        msg_roll = rng.random()
        word = rng.choice(WORDS)
        if msg_roll < 0.1:
            message = "change %s\n\nDetails about %s in a second paragraph." % (word, word)
        elif msg_roll < 0.15:
            message = "change %s\nover two lines" % word
        else:
            message = "%s %s step %d" % (rng.choice(["add", "alter", "drop", "fix"]), word, i)
        if naming == "numbered" or (naming == "mixed" and rng.random() < 0.5):
            filename = "%04d_%s.py" % (i + 1, slug(message))
        else:
            filename = "%s_%s.py" % (rid, slug(message))
        rev = Rev(rid, down, deps=deps, message=message, filename=filename,
                  form=rng.choice(FORMS),
                  scalar_down=rng.random() < 0.9, scalar_deps=rng.random() < 0.7,
                  date="2024-%02d-%02d 12:%02d:%02d.%06d" % (
                      1 + i % 12, 1 + i % 28, i % 60, (7 * i) % 60, rng.randint(0, 999999)))
        revs.append(rev)
        children[rid] = []
        for d in down:
            children[d].append(rid)
            if d in heads:
                heads.remove(d)
        heads.append(rid)
        # a branch label now and then: on a root, right after a branch point,
        # or mid-chain (declared while the revision is still a head). Labels
        # are not restricted to revisions whose descendants form a chain:
        # alembic's label propagation starts its downward walk at the last
        # node of a hash-ordered DFS, but that walk stops at the first branch
        # or merge point, so the resulting label sets did not depend on the
        # hash seed here (checked with --hash-seeds 8: no unstable command).
        if rng.random() < 0.08 and len([r for r in revs if r.labels]) < 4:
            free = [w for w in LABEL_WORDS if w not in {lb for r in revs for lb in r.labels}]
            if free:
                rev.labels = (rng.choice(free),)
    # labelled roots / first-after-branch-point revisions
    for r in revs:
        if not r.down and not r.labels and rng.random() < 0.3:
            free = [w for w in LABEL_WORDS if w not in {lb for x in revs for lb in x.labels}]
            if free:
                r.labels = (free[0],)
    c = Case("random%02d" % index, revs)
    return c


def random_commands(c, rng):
    c.add_standard()
    ids = c.ids()
    anc = {rid: c.ancestors(rid) for rid in ids}
    pairs = [(a, b) for b in ids for a in anc[b]]
    rng.shuffle(pairs)
    for a, b in pairs[:3]:
        c.add_range("%s:%s" % (a, b))
    for a, b in pairs[5:6]:
        c.add("history", "-v", "-r", "%s:%s" % (a, b))
    for a, b in pairs[3:5]:
        c.add_range("%s:%s" % (c.partial(a, rng, 3), c.partial(b, rng, 3)))
    pick = lambda: rng.choice(ids)  # noqa: E731
    c.add_range("base:%s" % pick())
    c.add_range("%s:" % pick())
    c.add_range(":%s" % c.partial(pick(), rng, 2))
    c.add_range("%s:heads" % pick())
    c.add_range("-%d:" % rng.randint(1, 3))
    c.add_range("%s+1:" % pick())  # 1.8.1: a relative start is not resolved (fails)
    c.add_range(":%s-1" % pick())
    c.add_range(":%s+1" % pick())
    if len(c.heads()) == 1:
        c.add_range(":head")
        c.add_range(":head-2")
        c.add("show", "head")
    else:
        c.add("show", "head", expect="fail")
    labels = c.labels()
    for lbl in rng.sample(labels, min(2, len(labels))):
        c.add_range("%s@base:" % lbl)
        c.add_range(":%s@head" % lbl)
        c.add("show", "%s@head" % lbl)
        c.add("show", lbl)
    for rid in rng.sample(ids, 3):
        c.add("show", rid)
    c.add("show", c.partial(pick(), rng, 2))
    unrelated = [(x, y) for x in ids for y in ids
                 if x != y and x not in anc[y] and y not in anc[x]]
    if unrelated:
        x, y = rng.choice(unrelated)
        c.add_range("%s:%s" % (x, y))
    c.add("show", "%012x" % rng.getrandbits(48), expect="fail")


def build_cases(seed=SEED, n_random=N_RANDOM_DAGS):
    cases = [f() for f in HANDWRITTEN] + broken_cases()
    for i in range(n_random):
        # one generator for the graph and one for its commands, so editing
        # the command list does not change the graphs
        c = random_dag(i, random.Random("%d-dag-%d" % (seed, i)))
        random_commands(c, random.Random("%d-commands-%d" % (seed, i)))
        cases.append(c)
    return cases


# --------------------------------------------------------------------------
# Normalisation of Alembic's own nondeterminism
# --------------------------------------------------------------------------
# Alembic 1.8.1 keeps nextrev as a frozenset and branch labels as a set, so
# their print order follows Python's per-process string hash seed. Only these
# places are normalised, identically on both sides:
#   * "Branches into: a, b" and "Branch names: a, b" lines (verbose output):
#     the comma-separated items are sorted;
#   * the " (label, label)" list right after a revision id in one-line
#     output ("<rev> (labels) ...", "<down> -> <rev> (labels) ..."): sorted;
#   * in `branches`, the " -> child" lines under each branch point (one block
#     per branch point, a child's doc may continue on following lines): the
#     child entries of a block are sorted.
# Everything else (order of heads, history order, parents, depends_on as
# written) is deterministic in alembic and compared verbatim.

_FIELD = re.compile(r"^(Branches into|Branch names): (.*)$")
_LABELS = re.compile(r"^((?:.*?-> )?)(\S+) \(([^()]*)\)")
_CHILD = re.compile(r"^ +-> ")


def _sort_items(text):
    return ", ".join(sorted(text.split(", ")))


def normalise(output, command):
    lines = output.split("\n")
    out = []
    for line in lines:
        m = _FIELD.match(line)
        if m:
            line = "%s: %s" % (m.group(1), _sort_items(m.group(2)))
        else:
            m = _LABELS.match(line)
            if m and ", " in m.group(3):
                line = "%s%s (%s)%s" % (m.group(1), m.group(2), _sort_items(m.group(3)),
                                        line[m.end():])
        out.append(line)
    if command == "branches":
        result, i = [], 0
        while i < len(out):
            if not _CHILD.match(out[i]):
                result.append(out[i])
                i += 1
                continue
            entries = []
            while i < len(out) and _CHILD.match(out[i]):
                entry = [out[i]]
                i += 1
                while i < len(out) and out[i] != "" and not _CHILD.match(out[i]):
                    entry.append(out[i])
                    i += 1
                entries.append("\n".join(entry))
            result.extend(sorted(entries))
        out = result
    return "\n".join(out)


# --------------------------------------------------------------------------
# Running
# --------------------------------------------------------------------------

def alembic_env(hash_seed=None):
    env = dict(os.environ)
    env["PYTHONIOENCODING"] = "utf-8"
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    if hash_seed is not None:
        env["PYTHONHASHSEED"] = str(hash_seed)
    return env


def run_alembic_batches(jobs, nproc, hash_seed=None):
    """jobs: list of (cwd, argv). Returns list of (status, stdout)."""
    chunks = [list(range(k, len(jobs), nproc)) for k in range(nproc)]
    procs = []
    for chunk in chunks:
        if not chunk:
            continue
        payload = json.dumps([{"cwd": jobs[k][0], "argv": jobs[k][1]} for k in chunk])
        p = subprocess.Popen([PYTHON, ALEMBIC_BATCH], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             env=alembic_env(hash_seed))
        procs.append((chunk, p, payload))
    results = [None] * len(jobs)
    # feed and drain each in a thread so the processes run concurrently
    with concurrent.futures.ThreadPoolExecutor(len(procs) or 1) as ex:
        futs = [(chunk, ex.submit(p.communicate, payload.encode()))
                for chunk, p, payload in procs]
        for (chunk, fut), (_, p, _) in zip(futs, procs):
            out, err = fut.result()
            if p.returncode != 0:
                raise RuntimeError("alembic-batch.py failed:\n" + err.decode(errors="replace"))
            for k, r in zip(chunk, json.loads(out)):
                results[k] = (r["status"], r["stdout"])
    return results


def run_alembic_cli(cwd, argv):
    p = subprocess.run([PYTHON, ALEMBIC_SORTED] + argv, cwd=cwd, env=alembic_env(),
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return p.returncode, p.stdout.decode("utf-8", errors="replace")


def run_retort(retort, cwd, argv):
    p = subprocess.run([retort] + argv, cwd=cwd, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE)
    return p.returncode, p.stdout.decode("utf-8", errors="replace"), \
        p.stderr.decode("utf-8", errors="replace")


def compare(label, argv, expect, ref, ret, verbose):
    """Returns None on success, else a failure report."""
    a_status, a_out = ref
    r_status, r_out, r_err = ret
    if expect == "fail" and a_status == 0:
        return "%s: suite expected alembic to fail, it succeeded:\n%s" % (label, a_out)
    if r_status < 0 or "-WARNING **" in r_err or "-CRITICAL **" in r_err:
        # a GLib warning or critical (fatal under meson's G_DEBUG) is a bug
        # whatever alembic did
        return ("%s: retort crashed or warned (exit status %d)\n--- retort stderr\n%s"
                "--- alembic exit status %d, stdout\n%s" % (label, r_status, r_err,
                                                             a_status, a_out))
    if (a_status == 0) != (r_status == 0):
        return ("%s: exit status alembic %d, retort %d\n--- alembic stdout\n%s"
                "--- retort stdout\n%s--- retort stderr\n%s" % (
                    label, a_status, r_status, a_out, r_out, r_err))
    if a_status != 0:
        return None  # both failed; wording differs by design
    cmd = argv[2] if len(argv) > 2 else ""
    na, nr = normalise(a_out, cmd), normalise(r_out, cmd)
    if na == nr:
        return None
    diff = "\n".join(difflib.unified_diff(
        na.split("\n"), nr.split("\n"), "alembic", "retort", lineterm=""))
    return "%s: output differs (normalised)\n%s" % (label, diff)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--retort", default=os.environ.get("RETORT_CLI"))
    ap.add_argument("--keep", help="write the script directories here (must not exist)")
    ap.add_argument("--only", help="only cases whose name contains this")
    ap.add_argument("-j", type=int, default=2, help="parallel processes (default 2)")
    ap.add_argument("--per-call", action="store_true",
                    help="run every alembic command as its own alembic-sorted.py process")
    ap.add_argument("--cli-sample", type=int, default=2,
                    help="commands per case also run through alembic-sorted.py as a "
                         "process (default 2)")
    ap.add_argument("--hash-seeds", type=int, default=0,
                    help="instead of comparing, run alembic with N hash seeds and list "
                         "commands whose normalised output depends on the seed")
    ap.add_argument("--seed", type=int, default=SEED,
                    help="seed of the random DAGs (default %d)" % SEED)
    ap.add_argument("--random-dags", type=int, default=N_RANDOM_DAGS,
                    help="number of random DAGs (default %d)" % N_RANDOM_DAGS)
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()

    try:
        subprocess.run([PYTHON, "-c", "import alembic.config"], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    except (subprocess.CalledProcessError, OSError) as e:
        print("interop: skipped: python3-alembic is not importable by %s (%s)" % (PYTHON, e))
        return 77
    if args.retort:
        args.retort = os.path.abspath(args.retort)
    if not args.hash_seeds and (not args.retort or not os.access(args.retort, os.X_OK)):
        print("interop: retort-cli not found: set RETORT_CLI or pass --retort")
        return 1

    cases = build_cases(args.seed, args.random_dags)
    if args.only:
        cases = [c for c in cases if args.only in c.name]
    if args.keep:
        os.makedirs(args.keep)
        root, tmp = os.path.realpath(args.keep), None
    else:
        tmp = tempfile.TemporaryDirectory(prefix="retort-interop-")
        root = os.path.realpath(tmp.name)
    try:
        for c in cases:
            c.write(root)
        jobs, meta = [], []
        for c in cases:
            for argv, expect in c.commands:
                full = ["-c", c.ini] + argv
                jobs.append((c.dir, full))
                meta.append((c, argv, expect))

        if args.hash_seeds:
            return check_hash_seeds(jobs, meta, args)

        # alembic: batch processes in the background while retort runs here
        pool = concurrent.futures.ThreadPoolExecutor(max(1, args.j))
        if args.per_call:
            ref_futs = [pool.submit(run_alembic_cli, cwd, argv) for cwd, argv in jobs]
            cli_idx = []
        else:
            batch_fut = pool.submit(run_alembic_batches, jobs, max(1, args.j))
            sample_rng = random.Random(SEED + 1)
            cli_idx = []
            by_case = {}
            for k, (c, _, _) in enumerate(meta):
                by_case.setdefault(c.name, []).append(k)
            for name in by_case:
                ks = by_case[name]
                cli_idx += sample_rng.sample(ks, min(args.cli_sample, len(ks)))
            cli_idx.sort()
        retort_results = [run_retort(args.retort, cwd, argv) for cwd, argv in jobs]
        if args.per_call:
            refs = [f.result() for f in ref_futs]
            cli_refs = {}
        else:
            cli_futs = {k: pool.submit(run_alembic_cli, *jobs[k]) for k in cli_idx}
            refs = batch_fut.result()
            cli_refs = {k: f.result() for k, f in cli_futs.items()}
        pool.shutdown()

        passed = failed = 0
        both_ok = both_failed = 0
        for k, (c, argv, expect) in enumerate(meta):
            full = jobs[k][1]
            variants = [("", refs[k])]
            if k in cli_refs:
                variants.append((" [alembic-sorted.py process]", cli_refs[k]))
            for suffix, ref in variants:
                label = "%s: %s%s" % (c.name, " ".join(argv), suffix)
                problem = compare(label, full, expect, ref, retort_results[k], args.verbose)
                if problem is None:
                    passed += 1
                    if ref[0] == 0:
                        both_ok += 1
                    else:
                        both_failed += 1
                    if args.verbose:
                        print("ok   %s%s" % (label, "" if ref[0] == 0 else
                                             " (both failed)"))
                else:
                    failed += 1
                    print("FAIL %s" % problem)
        if args.verbose:
            print("interop: %d cases, %d comparisons with output, %d where both failed"
                  % (len(cases), both_ok, both_failed))
        print("interop: %d passed, %d failed" % (passed, failed))
        return 1 if failed else 0
    finally:
        if tmp is not None:
            tmp.cleanup()


def check_hash_seeds(jobs, meta, args):
    """Development aid: which outputs change with PYTHONHASHSEED after normalising."""
    runs = [run_alembic_batches(jobs, max(1, args.j), hash_seed=s)
            for s in range(args.hash_seeds)]
    unstable = 0
    for k, (c, argv, _) in enumerate(meta):
        cmd = argv[0]
        # error text is not compared, so only a success's output counts
        seen = {(r[k][0] != 0, normalise(r[k][1], cmd) if r[k][0] == 0 else "")
                for r in runs}
        if len(seen) > 1:
            unstable += 1
            print("UNSTABLE %s: %s" % (c.name, " ".join(argv)))
            outs = sorted(seen)
            for line in difflib.unified_diff(outs[0][1].split("\n"), outs[1][1].split("\n"),
                                             "seed-a", "seed-b", lineterm=""):
                print("  " + line)
    print("interop: %d of %d commands depend on the hash seed" % (unstable, len(jobs)))
    return 1 if unstable else 0


if __name__ == "__main__":
    sys.exit(main())
