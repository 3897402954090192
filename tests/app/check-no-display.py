#!/usr/bin/env python3
"""Without a display, `retort` explains itself on stderr and exits 1.

usage: check-no-display.py RETORT
"""
import os
import subprocess
import sys


def run(args, **env_changes):
    env = dict(os.environ)
    for key in ('DISPLAY', 'WAYLAND_DISPLAY', 'GDK_BACKEND', 'LANGUAGE'):
        env.pop(key, None)
    env.update(env_changes)
    return subprocess.run(args, env=env, capture_output=True, text=True, timeout=30)


def main():
    retort = sys.argv[1]
    failures = 0

    for label, extra in (('unset', {}), ('empty', {'DISPLAY': '', 'WAYLAND_DISPLAY': ''})):
        result = run([retort, '/nonexistent'], **extra)
        ok = (result.returncode == 1
              and 'no display available' in result.stderr
              and 'retort-cli' in result.stderr
              and 'CRITICAL' not in result.stderr
              and 'WARNING' not in result.stderr
              and result.stdout == '')
        print('%s %s: rc=%d stderr=%r' % ('ok' if ok else 'FAIL', label, result.returncode,
                                          result.stderr))
        failures += not ok

    # --help and --version need no display
    for args, expect in ((['--version'], 'retort '), (['--help'], '[PATH')):
        result = run([retort] + args)
        ok = result.returncode == 0 and expect in result.stdout
        print('%s %s: rc=%d' % ('ok' if ok else 'FAIL', ' '.join(args), result.returncode))
        failures += not ok

    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
