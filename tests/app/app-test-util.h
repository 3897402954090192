/* app-test-util.h — what every widget test needs: fixtures, the main loop, screenshots
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef struct
{
  const char *id;
  const char *down_revision;  /* a Python literal: None, 'a1', ('a1', 'b2') */
  const char *branch_labels;  /* a Python literal */
  const char *depends_on;     /* a Python literal; NULL for None */
  const char *message;
  const char *slug;
} AppTestRevision;

/* g_test_init + gtk_init_check, XDG dirs under a fresh temp root; FALSE
 * (after printing a TAP skip with the reason) when there is no display. */
gboolean    app_test_init          (int                   *argc,
                                    char                ***argv);
const char *app_test_root          (void);
void        app_test_cleanup       (void);

void        app_test_write_file    (const char            *path,
                                    const char            *contents);
/* ROOT/NAME/versions/ with .py revisions; returns ROOT/NAME */
char       *app_test_script_dir    (const char            *name,
                                    const AppTestRevision *revisions,
                                    gsize                  n_revisions);
/* an SQLite file with a version table holding rows (NULL-terminated; NULL: no version table) */
char       *app_test_sqlite_db     (const char            *name,
                                    const char * const    *rows);

typedef gboolean (*AppTestPredicate) (gpointer data);

/* Iterates the default main context until predicate holds or timeout_ms
 * pass; *longest_gap_us (nullable) gets the longest time one iteration
 * took, which is how long the main loop was blocked. */
gboolean    app_test_spin_until    (AppTestPredicate       predicate,
                                    gpointer               data,
                                    guint                  timeout_ms,
                                    gint64                *longest_gap_us);
void        app_test_spin_for      (guint                  ms);
void        app_test_show          (GtkWindow             *window);
/* renders widget to BUILD/tests/app/screenshots/NAME.png */
void        app_test_screenshot    (GtkWidget             *widget,
                                    const char            *name);

G_END_DECLS
