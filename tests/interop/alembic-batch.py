#!/usr/bin/python3
"""Run many alembic commands in one interpreter, the way alembic-sorted.py runs one.

Starting Debian's alembic costs ~0.3 s per call (importing SQLAlchemy), which
would dominate the interop suite. This runner loads alembic-sorted.py (so the
same sorted os.listdir patch is in force), then runs each requested command
exactly as alembic.config.CommandLine.main() does, except that the Config gets
a private UTF-8 stdout so the output of each command can be captured.

Nothing is cached between commands: every command builds a new Config and a new
ScriptDirectory, which re-executes every revision file.

Input (stdin): JSON list of {"cwd": DIR, "argv": [ARG, ...]}.
Output (stdout): JSON list of {"status": INT, "stdout": STR}, same order.
The status is what the process exit status of the real CLI would be: 0, 255
for a CommandError ("FAILED: ..."; sys.exit(-1)), 2 for argparse errors, 1 for
an uncaught exception (traceback, printed to our stderr).
"""
import contextlib
import importlib.util
import io
import json
import os
import sys
import traceback

sys.dont_write_bytecode = True  # keep the generated script directories clean

_here = os.path.dirname(os.path.abspath(__file__))
_spec = importlib.util.spec_from_file_location(
    "alembic_sorted", os.path.join(_here, "alembic-sorted.py")
)
_alembic_sorted = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_alembic_sorted)  # installs the sorted os.listdir

from alembic.config import CommandLine, Config  # noqa: E402


def _exit_status(code):
    if code is None:
        return 0
    if isinstance(code, int):
        return code & 0xFF
    return 1  # sys.exit("message")


def run_one(cwd, argv):
    raw = io.BytesIO()
    out = io.TextIOWrapper(raw, encoding="utf-8", write_through=True)
    status = 0
    os.chdir(cwd)
    try:
        # util.err() writes "FAILED: ..." to sys.stdout, Config.print_stdout
        # to Config.stdout: capture both, as the real CLI's stdout has both.
        with contextlib.redirect_stdout(out):
            cmd = CommandLine(prog="alembic")
            options = cmd.parser.parse_args(argv)
            if not hasattr(options, "cmd"):
                cmd.parser.error("too few arguments")
            cfg = Config(
                file_=options.config,
                ini_section=options.name,
                cmd_opts=options,
                stdout=out,
            )
            cmd.run_cmd(cfg, options)
    except SystemExit as e:
        status = _exit_status(e.code)
    except Exception:  # an uncaught exception: python exits with 1
        traceback.print_exc()
        status = 1
    out.flush()
    return {"status": status, "stdout": raw.getvalue().decode("utf-8")}


def main():
    jobs = json.load(sys.stdin)
    results = [run_one(job["cwd"], job["argv"]) for job in jobs]
    json.dump(results, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
