#!/usr/bin/python3
"""Offline (--sql) output of retort-cli against Debian's alembic on the demo project.

SQLite output must be identical. PostgreSQL output may differ only where
the reference says Retort follows current Alembic or where the text is a
SQLAlchemy 1.4 artifact: 1.8.1's final DROP TABLE alembic_version at base
(gone since Alembic 1.19) and "RETURNING alembic_version.version_num" after
INSERTs into the version table.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

here = os.path.dirname(os.path.abspath(__file__))
source = os.environ.get("RETORT_SOURCE_DIR", os.path.join(here, "..", ".."))
retort = os.environ.get("RETORT_CLI", os.path.join(source, "build", "src", "cli", "retort-cli"))
alembic = [sys.executable if sys.executable.startswith("/usr/bin") else "/usr/bin/python3",
           os.path.join(here, "alembic-sorted.py")]

try:
    subprocess.run(["/usr/bin/python3", "-c", "import alembic"], check=True, capture_output=True)
except Exception:
    print("1..0 # SKIP python3-alembic is not installed")
    sys.exit(77)

RANGES = [
    ("upgrade", "base:3c9e1f5a2d34"), ("upgrade", "base:heads"), ("upgrade", "3c9e:heads"),
    ("upgrade", "2b7d:reporting@head"), ("upgrade", "base:audit@head"),
    ("downgrade", "7b4e2f8a3d95:3c9e"), ("downgrade", "3c9e:base"), ("downgrade", "6a1c:5e8f"),
    ("stamp", "base:3c9e"), ("stamp", "3c9e:heads"), ("stamp", "6a1c:base"),
]


def run(cmd, cwd):
    p = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    return p.returncode, p.stdout


def normalise(text):
    """Remove what 1.8.1 does differently from current Alembic (DROP TABLE at
    base), a SQLAlchemy 1.4 artifact (RETURNING), and the Python-set order in
    which Alembic picks the row to UPDATE and the rows to DELETE in a merge:
    those statements are compared as a set within their step."""
    text = re.sub(r" RETURNING alembic_version\.version_num;", ";", text)
    text = text.replace("DROP TABLE alembic_version;\n\n", "")
    blocks = re.split(r"(?m)^(?=-- Running )", text)
    out = []
    for block in blocks:
        statements = block.split(";\n\n")
        version = [st for st in statements if re.search(r"(?m)^(DELETE FROM|UPDATE) alembic_version", st)]
        if len(version) > 1:
            ids = sorted(set(re.findall(r"'([^']*)'", " ".join(version))))
            others = [re.sub(r"(?ms)^(DELETE FROM|UPDATE) alembic_version.*", "", st) if st in version else st
                      for st in statements]
            block = ";\n\n".join(others) + "\n[version rows changed among %s]" % ", ".join(ids)
        out.append(block)
    return "".join(out)


def main():
    passed = failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        for dialect, url in (("sqlite", "sqlite:///%(here)s/demo.db"), ("postgresql", "postgresql://u@localhost/db")):
            project = os.path.join(tmp, dialect)
            shutil.copytree(os.path.join(source, "migrations"), project)
            ini = os.path.join(project, "alembic.ini")
            with open(ini) as f:
                text = f.read()
            with open(ini, "w") as f:
                f.write(re.sub(r"(?m)^sqlalchemy\.url = .*$", "sqlalchemy.url = " + url.replace("%", "%%"), text))
            for verb, rng in RANGES:
                rc_a, out_a = run(alembic + ["-c", ini, verb, rng, "--sql"], project)
                rc_r, out_r = run([retort, "-c", ini, verb, rng, "--sql"], project)
                out_a, out_r = normalise(out_a), normalise(out_r)
                name = "%s %s %s --sql" % (dialect, verb, rng)
                if rc_a == rc_r == 0 and out_a == out_r or (rc_a != 0 and rc_r != 0):
                    passed += 1
                else:
                    failed += 1
                    print("FAILED %s (alembic %d, retort %d)" % (name, rc_a, rc_r))
                    import difflib
                    sys.stdout.writelines(difflib.unified_diff(out_a.splitlines(True), out_r.splitlines(True),
                                                               "alembic", "retort"))
    print("offline-interop: %d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
