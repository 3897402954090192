#!/usr/bin/env python3
"""Check the translations: POTFILES is complete, every catalog compiles,
and every language translates every message.

usage: check-po.py SOURCE_ROOT
"""
import os
import re
import subprocess
import sys
import tempfile

# The keywords and flags of meson's i18n.gettext(preset: 'glib').
XGETTEXT_ARGS = [
    '--from-code=UTF-8', '--add-comments',
    '--keyword=_', '--keyword=N_', '--keyword=C_:1c,2', '--keyword=NC_:1c,2',
    '--keyword=g_dcgettext:2', '--keyword=g_dngettext:2,3', '--keyword=g_dpgettext2:2c,3',
    '--flag=N_:1:pass-c-format', '--flag=C_:2:pass-c-format', '--flag=NC_:2:pass-c-format',
    '--flag=g_dngettext:2:pass-c-format', '--flag=g_strdup_printf:1:c-format',
    '--flag=g_string_printf:2:c-format', '--flag=g_string_append_printf:2:c-format',
    '--flag=g_error_new:3:c-format', '--flag=g_set_error:4:c-format',
    '--flag=g_markup_printf_escaped:1:c-format', '--flag=g_printerr:1:c-format',
    '--flag=g_print:1:c-format',
]

# What marks a file as holding translatable strings.
MARKERS = re.compile(r'\b(?:N?C?_|ngettext)\s*\(\s*"|translatable="yes"')
SCANNED_DIRS = ['src/app', 'ui']
# Desktop, AppStream and schema files always carry translatable text.
DATA_SUFFIXES = ('.desktop.in', '.metainfo.xml.in', '.gschema.xml')

failures = []


def fail(message):
    failures.append(message)
    print('FAIL: ' + message)


def read_list(path):
    with open(path, encoding='utf-8') as f:
        return [line.strip() for line in f
                if line.strip() and not line.lstrip().startswith('#')]


def main():
    root = sys.argv[1]
    po_dir = os.path.join(root, 'po')
    listed = read_list(os.path.join(po_dir, 'POTFILES'))

    for name in listed:
        if not os.path.isfile(os.path.join(root, name)):
            fail('POTFILES lists %s, which does not exist' % name)

    needed = set()
    for directory in SCANNED_DIRS:
        for dirpath, _dirs, files in os.walk(os.path.join(root, directory)):
            for file in files:
                path = os.path.join(dirpath, file)
                try:
                    with open(path, encoding='utf-8') as f:
                        text = f.read()
                except (UnicodeDecodeError, OSError):
                    continue
                if MARKERS.search(text):
                    needed.add(os.path.relpath(path, root))
    for file in os.listdir(os.path.join(root, 'data')):
        if file.endswith(DATA_SUFFIXES):
            needed.add('data/' + file)
    for name in sorted(needed - set(listed)):
        fail('%s has translatable strings but is not in po/POTFILES' % name)

    languages = read_list(os.path.join(po_dir, 'LINGUAS'))
    with tempfile.TemporaryDirectory() as tmp:
        pot = os.path.join(tmp, 'retort.pot')
        subprocess.run(['xgettext', '--directory=' + root,
                        '--files-from=' + os.path.join(po_dir, 'POTFILES'),
                        '--output=' + pot] + XGETTEXT_ARGS, check=True)
        for lang in languages:
            po = os.path.join(po_dir, lang + '.po')
            msgfmt = ['msgfmt', '--check', '--statistics', '-o', os.devnull, po]
            if subprocess.run(msgfmt).returncode:
                fail('%s.po does not compile cleanly' % lang)
            # msgcmp ignores fuzzy and untranslated entries in the .po, so it
            # fails for every message the language lacks.
            if subprocess.run(['msgcmp', po, pot]).returncode:
                fail('%s.po does not translate every message' % lang)

    if failures:
        print('%d problem(s)' % len(failures))
        return 1
    print('POTFILES lists %d files; %d language(s) complete' % (len(listed), len(languages)))
    return 0


if __name__ == '__main__':
    sys.exit(main())
