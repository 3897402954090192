/* app-test-util.h — what every widget test needs: fixtures, the main loop, screenshots
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "retort-project.h"
#include "retort-revision-row.h"
#include "retort-window.h"
#include "retort-workspace.h"

G_BEGIN_DECLS

/* The longest main-loop iteration a test accepts while a database is being
 * checked: it proves the loop kept running (a blocked loop would stall for
 * the whole connect timeout, seconds). Sanitizer builds run GTK's frames
 * several times slower, so they get more room. */
#if defined(__SANITIZE_ADDRESS__)
#define APP_TEST_MAX_STALL_US (1500 * 1000)
#else
#define APP_TEST_MAX_STALL_US (250 * 1000)
#endif

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
/* app_test_init for tests that read what a screen reader would be told,
 * in English: GTK's in-process accessibility backend (GTK_A11Y=test, no
 * bus) and LANGUAGE unset */
gboolean    app_test_init_a11y     (int                   *argc,
                                    char                ***argv);
const char *app_test_root          (void);
void        app_test_cleanup       (void);
/* path and everything below it (links are removed, not followed): for a
 * test that cannot use app_test_init's root */
void        app_test_remove_tree   (const char            *path);

void        app_test_write_file    (const char            *path,
                                    const char            *contents);
/* ROOT/NAME/versions/ with .py revisions, the i-th created on
 * 2024-03-(1 + i % 28) so that rows tell them apart; returns ROOT/NAME.
 * No revisions: an empty versions folder for files of a test's own. */
char       *app_test_script_dir    (const char            *name,
                                    const AppTestRevision *revisions,
                                    gsize                  n_revisions);
/* ROOT/NAME.db, an SQLite file with a version table holding rows
 * (NULL-terminated; NULL: no version table); an existing one is changed in
 * place, so connections open on it see the new rows. Returns its path. */
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
/* RetortProject on folder, loaded (the main loop runs meanwhile); the load
 * must succeed */
RetortProject *app_test_load_project (const char          *folder);
/* renders widget to BUILD/tests/app/screenshots/NAME.png */
void        app_test_screenshot    (GtkWidget             *widget,
                                    const char            *name);

/* ROOT/NAME.conf */
char          *app_test_config_path    (const char      *name);
/* the demo's retort.conf (four SQLite databases); retort_demo_remove it */
char          *app_test_demo_config    (void);
/* an AppTestPredicate over a RetortWorkspace: every project loaded and
 * every database checked */
gboolean       app_test_all_checked    (gpointer         workspace);
/* the profile called name in workspace (asserts there is one) */
RetortProfile *app_test_profile_named  (RetortWorkspace *workspace,
                                        const char      *name);
/* the timeline row on screen showing id, or NULL */
RetortRevisionRow *app_test_find_row   (RetortWindow    *window,
                                        const char      *id);
/* the names on the pins of id's row, comma-separated */
char          *app_test_row_pins       (RetortWindow    *window,
                                        const char      *id);
/* the text of every label with this style class under widget, one per line */
void           app_test_collect_labels (GtkWidget       *widget,
                                        const char      *css_class,
                                        GString         *text);

G_END_DECLS
