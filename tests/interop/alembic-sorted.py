#!/usr/bin/python3
"""Run Debian's alembic (1.8.1) with the file load order of current Alembic.

Alembic 1.10+ loads revision files in sorted name order; 1.8.1 used raw
os.listdir order, which depends on the file system. Retort follows the
current behaviour, so the reference is run with a sorted os.listdir.
"""
import os
import sys

_listdir = os.listdir


def _sorted_listdir(path="."):
    return sorted(_listdir(path))


os.listdir = _sorted_listdir

from alembic.config import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main(prog="alembic"))
