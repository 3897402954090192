/* test-window.c — the main window against real script directories
 *
 * Runs the app's own code (the retort-app static library) in-process: opens
 * fixture projects written to a temp dir, spins the main context until the
 * background load is done, and checks what the window shows. Screenshots of
 * the states land in $RETORT_BUILD_DIR/tests/app/screenshots/.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-window"

#include "config.h"

#include <locale.h>
#include <string.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "retort-app-config.h"
#include "retort-application.h"
#include "retort-revision-row.h"
#include "retort-window.h"

static char *tmp_root;

/* --- fixtures ------------------------------------------------------------ */

typedef struct
{
  const char *id;
  const char *down_revision;  /* a Python literal */
  const char *branch_labels;  /* a Python literal */
  const char *message;
  const char *slug;
} FixtureRevision;

/* Two branches from one base, merged, plus a third branch left open: two heads. */
static const FixtureRevision branched[] = {
  { "3f1c9a0b7d21", "None", "None", "create users table", "create_users" },
  { "8a2e4b6c1d09", "'3f1c9a0b7d21'", "None", "add email to users", "add_email" },
  { "c47d2e9f0a13", "'3f1c9a0b7d21'", "('shop',)", "add orders table", "add_orders" },
  { "5b9e1f7a2c44", "('8a2e4b6c1d09', 'c47d2e9f0a13')", "None", "merge email and orders", "merge" },
  { "e02a6d3b8f75", "'5b9e1f7a2c44'", "None", "add index on orders.created_at", "add_index" },
  { "9d7c3a1e6b58", "'3f1c9a0b7d21'", "('flags',)", "feature flags", "feature_flags" },
};

static const FixtureRevision linear[] = {
  { "a1b2c3d4e5f6", "None", "None", "create accounts", "create_accounts" },
  { "b2c3d4e5f6a7", "'a1b2c3d4e5f6'", "None", "add balance", "add_balance" },
  { "c3d4e5f6a7b8", "'b2c3d4e5f6a7'", "None", "add currency", "add_currency" },
};

/* One good base and a revision whose parent is nowhere to be found. */
static const FixtureRevision broken[] = {
  { "3f1c9a0b7d21", "None", "None", "create users table", "create_users" },
  { "8a2e4b6c1d09", "'deadbeef0000'", "None", "add email to users", "add_email" },
};

static void
write_file (const char *path,
            const char *contents)
{
  g_autoptr(GError) error = NULL;

  /* fixtures are throwaway: no temp file and rename per file */
  g_file_set_contents_full (path, contents, -1, G_FILE_SET_CONTENTS_NONE, 0644, &error);
  g_assert_no_error (error);
}

static void
write_revision (const char            *versions,
                const FixtureRevision *revision)
{
  g_autofree char *name = g_strdup_printf ("%s_%s.py", revision->id, revision->slug);
  g_autofree char *path = g_build_filename (versions, name, NULL);
  g_autofree char *contents =
    g_strdup_printf ("\"\"\"%s\n"
                     "\n"
                     "Revision ID: %s\n"
                     "Create Date: 2024-03-01 10:00:00.000000\n"
                     "\n"
                     "\"\"\"\n"
                     "from alembic import op\n"
                     "import sqlalchemy as sa\n"
                     "\n"
                     "revision = '%s'\n"
                     "down_revision = %s\n"
                     "branch_labels = %s\n"
                     "depends_on = None\n"
                     "\n"
                     "\n"
                     "def upgrade():\n"
                     "    pass\n"
                     "\n"
                     "\n"
                     "def downgrade():\n"
                     "    pass\n",
                     revision->message, revision->id, revision->id,
                     revision->down_revision, revision->branch_labels);

  write_file (path, contents);
}

/* Writes ROOT/NAME/versions/ with the revisions; returns ROOT/NAME. */
static char *
make_script_dir (const char            *name,
                 const FixtureRevision *revisions,
                 gsize                  n_revisions)
{
  g_autofree char *folder = g_build_filename (tmp_root, name, NULL);
  g_autofree char *versions = g_build_filename (folder, "versions", NULL);

  g_assert_cmpint (g_mkdir_with_parents (versions, 0755), ==, 0);
  for (gsize i = 0; i < n_revisions; i++)
    write_revision (versions, &revisions[i]);
  return g_steal_pointer (&folder);
}

/* Writes ROOT/NAME/alembic.ini and ROOT/NAME/migrations/versions/; returns ROOT/NAME. */
static char *
make_project (const char            *name,
              const FixtureRevision *revisions,
              gsize                  n_revisions)
{
  g_autofree char *folder = g_build_filename (tmp_root, name, NULL);
  g_autofree char *scripts = g_build_filename (name, "migrations", NULL);
  g_autofree char *ini = g_build_filename (folder, "alembic.ini", NULL);
  g_autofree char *made = make_script_dir (scripts, revisions, n_revisions);

  write_file (ini,
              "[alembic]\n"
              "script_location = %(here)s/migrations\n"
              "sqlalchemy.url = sqlite:///inventory.db\n");
  return g_steal_pointer (&folder);
}

static void
remove_tree (GFile *file)
{
  g_autoptr(GFileEnumerator) children = NULL;
  GFileInfo *info;

  children = g_file_enumerate_children (file, G_FILE_ATTRIBUTE_STANDARD_NAME,
                                        G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);
  if (children != NULL)
    {
      while ((info = g_file_enumerator_next_file (children, NULL, NULL)) != NULL)
        {
          g_autoptr(GFile) child = g_file_get_child (file, g_file_info_get_name (info));

          remove_tree (child);
          g_object_unref (info);
        }
    }
  g_file_delete (file, NULL, NULL);
}

/* --- driving the main context -------------------------------------------- */

typedef gboolean (*Predicate) (gpointer data);

static gboolean
spin_until (Predicate predicate,
            gpointer  data,
            guint     timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  while (!predicate (data))
    {
      if (g_get_monotonic_time () > deadline)
        return FALSE;
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
    }
  return TRUE;
}

static gboolean
never (gpointer data)
{
  return FALSE;
}

/* Let layout and a few frames happen. */
static void
spin_for (guint ms)
{
  spin_until (never, NULL, ms);
}

static gboolean
window_loaded (gpointer data)
{
  return !retort_window_get_loading (RETORT_WINDOW (data));
}

static gboolean
window_mapped (gpointer data)
{
  return gtk_widget_get_mapped (GTK_WIDGET (data)) && gtk_widget_get_width (GTK_WIDGET (data)) > 0;
}

static RetortWindow *
show_window (void)
{
  RetortWindow *window = retort_window_new (NULL);

  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (spin_until (window_mapped, window, 10000));
  return window;
}

static void
open_and_wait (RetortWindow *window,
               const char   *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);

  retort_window_open (window, file);
  g_assert_true (retort_window_get_loading (window));
  g_assert_true (spin_until (window_loaded, window, 30000));
  /* let the list lay out its rows */
  spin_for (300);
}

static gpointer
child (RetortWindow *window,
       const char   *name)
{
  return gtk_widget_get_template_child (GTK_WIDGET (window), RETORT_TYPE_WINDOW, name);
}

static const char *
visible_page (RetortWindow *window)
{
  return gtk_stack_get_visible_child_name (GTK_STACK (child (window, "stack")));
}

static GListModel *
list_model (RetortWindow *window)
{
  return G_LIST_MODEL (gtk_list_view_get_model (GTK_LIST_VIEW (child (window, "revision_list"))));
}

static void
collect_rows (GtkWidget *widget,
              GPtrArray *rows)
{
  for (GtkWidget *c = gtk_widget_get_first_child (widget);
       c != NULL;
       c = gtk_widget_get_next_sibling (c))
    {
      if (RETORT_IS_REVISION_ROW (c))
        g_ptr_array_add (rows, c);
      else
        collect_rows (c, rows);
    }
}

static RetortRevisionRow *
find_row (RetortWindow *window,
          const char   *id)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  collect_rows (GTK_WIDGET (child (window, "revision_list")), rows);
  for (guint i = 0; i < rows->len; i++)
    {
      RetortRevision *revision = retort_revision_row_get_revision (g_ptr_array_index (rows, i));

      if (revision != NULL && g_strcmp0 (retort_revision_get_id (revision), id) == 0)
        return g_ptr_array_index (rows, i);
    }
  return NULL;
}

static gpointer
row_child (RetortRevisionRow *row,
           const char        *name)
{
  return gtk_widget_get_template_child (GTK_WIDGET (row), RETORT_TYPE_REVISION_ROW, name);
}

static gboolean
action_enabled (RetortWindow *window,
                const char   *name)
{
  return g_action_group_get_action_enabled (G_ACTION_GROUP (window), name);
}

/* --- screenshots --------------------------------------------------------- */

static void
save_screenshot (RetortWindow *window,
                 const char   *name)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (GTK_WIDGET (window));
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *file_name = g_strconcat (name, ".png", NULL);
  g_autofree char *path = NULL;
  const char *build_dir = g_getenv ("RETORT_BUILD_DIR");
  GskRenderer *renderer;

  spin_for (200);
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot),
                          gdk_paintable_get_intrinsic_width (paintable),
                          gdk_paintable_get_intrinsic_height (paintable));
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);

  renderer = gtk_native_get_renderer (GTK_NATIVE (window));
  texture = gsk_renderer_render_texture (renderer, node, NULL);
  g_assert_nonnull (texture);

  dir = g_build_filename (build_dir != NULL ? build_dir : ".", "tests", "app", "screenshots", NULL);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  path = g_build_filename (dir, file_name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s", path);
}

/* --- tests --------------------------------------------------------------- */

/* (a) a branched and merged project: every revision, newest first */
static void
test_window_loads_project (void)
{
  g_autofree char *folder = make_project ("inventory", branched, G_N_ELEMENTS (branched));
  g_autofree char *scripts = g_build_filename (folder, "migrations", NULL);
  g_autoptr(RetortScriptDir) reference = NULL;
  g_autoptr(GPtrArray) expected = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;
  RetortWindow *window;
  RetortRevisionRow *row;
  AdwStyleManager *style;
  AdwWindowTitle *title;
  GListModel *model;

  window = show_window ();
  open_and_wait (window, folder);

  g_assert_cmpstr (visible_page (window), ==, "revisions");
  title = child (window, "window_title");
  g_assert_cmpstr (adw_window_title_get_title (title), ==, "inventory");
  g_assert_cmpstr (adw_window_title_get_subtitle (title), ==, "6 revisions · 2 heads");
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "inventory");
  g_assert_true (action_enabled (window, "reload"));

  /* The order is the history walk of the same directory, loaded separately. */
  reference = retort_script_dir_new_from_directory (scripts, &error);
  g_assert_no_error (error);
  retort_script_dir_load (reference, &error);
  g_assert_no_error (error);
  expected = retort_revision_map_walk_history (retort_script_dir_get_map (reference),
                                               "base", "heads", &error);
  g_assert_no_error (error);

  model = list_model (window);
  g_assert_nonnull (model);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, G_N_ELEMENTS (branched));
  g_assert_cmpuint (expected->len, ==, G_N_ELEMENTS (branched));
  for (guint i = 0; i < expected->len; i++)
    {
      g_autoptr(RetortRevision) revision = g_list_model_get_item (model, i);
      const char * const *down = retort_revision_get_down_revisions (revision);

      g_assert_cmpstr (retort_revision_get_id (revision), ==,
                       retort_revision_get_id (g_ptr_array_index (expected, i)));
      /* newest first: nothing is listed before a revision that builds on it */
      for (guint d = 0; down != NULL && down[d] != NULL; d++)
        g_assert_false (g_hash_table_contains (seen, down[d]));
      g_assert_true (g_hash_table_add (seen, (gpointer) retort_revision_get_id (revision)));
    }
  /* both heads come before the merge, the base comes last */
  {
    g_autoptr(RetortRevision) last = g_list_model_get_item (model, G_N_ELEMENTS (branched) - 1);
    g_assert_cmpstr (retort_revision_get_id (last), ==, "3f1c9a0b7d21");
  }

  /* What the rows show: short id, message, labels, head marker. */
  row = find_row (window, "9d7c3a1e6b58");
  g_assert_nonnull (row);
  g_assert_cmpstr (gtk_label_get_label (row_child (row, "id_label")), ==, "9d7c3a1e");
  g_assert_cmpstr (gtk_label_get_label (row_child (row, "message_label")), ==, "feature flags");
  g_assert_true (gtk_stack_get_visible_child (row_child (row, "head_stack")) ==
                 row_child (row, "head_label"));
  g_assert_cmpstr (gtk_label_get_label (row_child (row, "date_label")), ==, "2024-03-01");
  {
    GtkWidget *chip = gtk_widget_get_first_child (row_child (row, "labels_box"));
    g_assert_nonnull (chip);
    g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (chip)), ==, "flags");
    g_assert_null (gtk_widget_get_next_sibling (chip));
  }
  row = find_row (window, "5b9e1f7a2c44");
  g_assert_nonnull (row);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (row_child (row, "head_stack")), ==, "none");

  save_screenshot (window, "loaded");

  style = adw_style_manager_get_default ();
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  spin_for (200);
  save_screenshot (window, "loaded-dark");
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* (a) an alembic.ini given directly; one head shows its id */
static void
test_window_loads_ini_file (void)
{
  g_autofree char *folder = make_project ("ledger", linear, G_N_ELEMENTS (linear));
  g_autofree char *ini = g_build_filename (folder, "alembic.ini", NULL);
  RetortWindow *window;
  AdwWindowTitle *title;
  GListModel *model;

  window = show_window ();
  open_and_wait (window, ini);

  g_assert_cmpstr (visible_page (window), ==, "revisions");
  title = child (window, "window_title");
  g_assert_cmpstr (adw_window_title_get_title (title), ==, "ledger");
  g_assert_cmpstr (adw_window_title_get_subtitle (title), ==, "3 revisions · head c3d4e5f6");

  model = list_model (window);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(RetortRevision) revision = g_list_model_get_item (model, i);
      g_assert_cmpstr (retort_revision_get_id (revision), ==, linear[2 - i].id);
    }

  /* Reloading goes through loading again and lands on the same list. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.reload", NULL);
  g_assert_true (retort_window_get_loading (window));
  g_assert_true (spin_until (window_loaded, window, 30000));
  g_assert_cmpstr (visible_page (window), ==, "revisions");
  g_assert_cmpuint (g_list_model_get_n_items (list_model (window)), ==, 3);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* --demo: the repository's demo script directory opens without problems. */
static void
test_window_demo (void)
{
  RetortWindow *window;

  if (!g_file_test (RETORT_DEMO_DIR, G_FILE_TEST_IS_DIR))
    {
      g_test_skip ("no demo script directory at " RETORT_DEMO_DIR);
      return;
    }

  window = show_window ();
  g_assert_true (action_enabled (window, "open-demo"));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.open-demo", NULL);
  g_assert_true (retort_window_get_loading (window));
  g_assert_true (spin_until (window_loaded, window, 30000));
  spin_for (300);

  g_assert_cmpstr (visible_page (window), ==, "revisions");
  g_assert_cmpuint (g_list_model_get_n_items (list_model (window)), >, 0);
  save_screenshot (window, "demo");

  gtk_window_destroy (GTK_WINDOW (window));
}

/* (b) no project: the empty state and its buttons */
static void
test_window_empty_state (void)
{
  RetortWindow *window;
  AdwWindowTitle *title;

  window = show_window ();

  g_assert_cmpstr (visible_page (window), ==, "empty");
  g_assert_null (retort_window_get_project (window));
  g_assert_false (retort_window_get_loading (window));
  g_assert_cmpstr (adw_status_page_get_title (child (window, "empty_page")), ==, "Open a Project");
  title = child (window, "window_title");
  g_assert_cmpstr (adw_window_title_get_title (title), ==, "Retort");
  g_assert_true (action_enabled (window, "open"));
  g_assert_false (action_enabled (window, "reload"));

  save_screenshot (window, "empty");
  gtk_window_destroy (GTK_WINDOW (window));
}

/* An empty versions folder is a project without revisions, not an error. */
static void
test_window_no_revisions (void)
{
  g_autofree char *folder = make_script_dir ("fresh", NULL, 0);
  RetortWindow *window;

  window = show_window ();
  open_and_wait (window, folder);

  g_assert_cmpstr (visible_page (window), ==, "no-revisions");
  g_assert_cmpstr (adw_window_title_get_subtitle (child (window, "window_title")), ==,
                   "No revisions");

  gtk_window_destroy (GTK_WINDOW (window));
}

/* (c) a revision naming a missing parent: the error state names the file */
static void
test_window_error_state (void)
{
  g_autofree char *folder = make_script_dir ("broken", broken, G_N_ELEMENTS (broken));
  RetortWindow *window;
  GtkWidget *problems;
  GtkWidget *row;
  GtkWidget *label;
  const char *text;

  window = show_window ();
  open_and_wait (window, folder);

  g_assert_cmpstr (visible_page (window), ==, "error");
  g_assert_cmpstr (adw_status_page_get_title (child (window, "error_page")), ==,
                   "Could Not Open Project");
  g_assert_cmpstr (adw_window_title_get_title (child (window, "window_title")), ==, "broken");
  g_assert_true (action_enabled (window, "reload"));

  problems = child (window, "problems_list");
  g_assert_true (gtk_widget_get_visible (problems));
  row = gtk_widget_get_first_child (problems);
  g_assert_true (GTK_IS_LIST_BOX_ROW (row));
  g_assert_null (gtk_widget_get_next_sibling (row));
  label = gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (row));
  text = gtk_label_get_text (GTK_LABEL (label));
  g_test_message ("problem: %s", text);
  /* relative to the project folder, with the file name and the missing id */
  g_assert_true (g_str_has_prefix (text, "versions/8a2e4b6c1d09_add_email.py"));
  g_assert_nonnull (strstr (text, "deadbeef0000"));

  save_screenshot (window, "error");
  gtk_window_destroy (GTK_WINDOW (window));
}

/* A path that does not exist: the error state without a problem list. */
static void
test_window_missing_path (void)
{
  g_autofree char *folder = g_build_filename (tmp_root, "no-such-project", NULL);
  RetortWindow *window;
  const char *description;

  window = show_window ();
  open_and_wait (window, folder);

  g_assert_cmpstr (visible_page (window), ==, "error");
  g_assert_false (gtk_widget_get_visible (child (window, "problems_list")));
  description = adw_status_page_get_description (child (window, "error_page"));
  g_assert_nonnull (strstr (description, "no-such-project"));
  g_assert_nonnull (strstr (description, "does not exist"));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Opening another project while one loads: only the last one counts. */
static void
test_window_open_twice (void)
{
  g_autofree char *first = make_project ("first", branched, G_N_ELEMENTS (branched));
  g_autofree char *second = make_project ("second", linear, G_N_ELEMENTS (linear));
  g_autoptr(GFile) first_file = g_file_new_for_path (first);
  RetortWindow *window;

  window = show_window ();
  retort_window_open (window, first_file);
  open_and_wait (window, second);

  /* the first load's callback may still come in; it must change nothing */
  spin_for (300);
  g_assert_cmpstr (adw_window_title_get_title (child (window, "window_title")), ==, "second");
  g_assert_cmpuint (g_list_model_get_n_items (list_model (window)), ==, G_N_ELEMENTS (linear));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Closing the window while it loads: the load still ends (the worker cannot
 * be interrupted), then the window goes away without touching freed memory. */
static gboolean
is_null (gpointer data)
{
  return *(gpointer *) data == NULL;
}

static void
test_window_destroy_while_loading (void)
{
  g_autofree char *folder = make_project ("closing", branched, G_N_ELEMENTS (branched));
  g_autoptr(GFile) file = g_file_new_for_path (folder);
  RetortWindow *window;

  window = show_window ();
  retort_window_open (window, file);
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_true (spin_until (is_null, &window, 30000));
}

/* Ids like Alembic's: 12 hex digits that differ from the first one on. */
static char *
fake_id (guint i)
{
  g_autofree char *seed = g_strdup_printf ("revision %u", i);
  g_autofree char *sha = g_compute_checksum_for_string (G_CHECKSUM_SHA1, seed, -1);

  return g_strndup (sha, 12);
}

/* 5,000 revisions: a bounded number of row widgets (GtkListView recycles
 * them), and the main loop keeps turning while they load. */
static void
test_window_many_revisions (void)
{
  g_autofree char *folder = g_build_filename (tmp_root, "huge", NULL);
  g_autofree char *versions = g_build_filename (folder, "versions", NULL);
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  g_autoptr(GFile) file = g_file_new_for_path (folder);
  g_autofree char *previous = NULL;
  g_autofree char *first_id = fake_id (0);
  g_autofree char *expected_subtitle = NULL;
  GtkAdjustment *adjustment;
  RetortWindow *window;
  gint64 longest = 0;
  gint64 deadline;
  const guint n = 5000;

  g_assert_cmpint (g_mkdir_with_parents (versions, 0755), ==, 0);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *id = NULL;
      g_autofree char *down = NULL;
      g_autofree char *message = g_strdup_printf ("step %u", i + 1);
      g_autofree char *slug = g_strdup_printf ("step_%u", i + 1);
      FixtureRevision revision;

      id = fake_id (i);
      down = i == 0 ? g_strdup ("None") : g_strdup_printf ("'%s'", previous);
      revision = (FixtureRevision) { id, down, "None", message, slug };
      write_revision (versions, &revision);
      g_free (previous);
      previous = g_steal_pointer (&id);
    }
  expected_subtitle = g_strdup_printf ("5000 revisions · head %.8s", previous);

  g_test_message ("wrote %u revision files", n);

  window = show_window ();
  g_test_message ("window shown");
  retort_window_open (window, file);
  deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  while (retort_window_get_loading (window))
    {
      gint64 start = g_get_monotonic_time ();

      g_assert_cmpint (start, <, deadline);
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
      else
        longest = MAX (longest, g_get_monotonic_time () - start);
    }
  g_test_message ("loaded");
  spin_for (300);
  g_test_message ("longest main loop iteration while loading: %" G_GINT64_FORMAT " µs", longest);
  /* The files are read in the worker, and the list only builds the rows it
   * shows: no single turn of the main loop may take long. (About 50 ms here
   * with GSK_RENDERER=cairo; the bound leaves room for sanitizer builds on a
   * busy machine, and still catches loading on the main thread or a widget
   * per revision.) */
  g_assert_cmpint (longest, <, G_USEC_PER_SEC);

  g_assert_cmpstr (visible_page (window), ==, "revisions");
  g_assert_cmpuint (g_list_model_get_n_items (list_model (window)), ==, n);
  g_assert_cmpstr (adw_window_title_get_subtitle (child (window, "window_title")), ==,
                   expected_subtitle);

  collect_rows (GTK_WIDGET (child (window, "revision_list")), rows);
  g_test_message ("row widgets for %u revisions: %u", n, rows->len);
  g_assert_cmpuint (rows->len, >, 0);
  g_assert_cmpuint (rows->len, <, 300);

  /* Scroll through to the base: rows are rebound, not multiplied. */
  adjustment = gtk_scrolled_window_get_vadjustment (child (window, "revisions_scroller"));
  longest = 0;
  for (guint step = 1; step <= 20; step++)
    {
      double upper = gtk_adjustment_get_upper (adjustment) -
                     gtk_adjustment_get_page_size (adjustment);
      gint64 start = g_get_monotonic_time ();

      gtk_adjustment_set_value (adjustment, upper * step / 20);
      while (g_main_context_iteration (NULL, FALSE))
        ;
      longest = MAX (longest, g_get_monotonic_time () - start);
      spin_for (20);
    }
  spin_for (200);
  g_test_message ("longest scroll step: %" G_GINT64_FORMAT " µs", longest);
  g_assert_cmpint (longest, <, G_USEC_PER_SEC);
  g_ptr_array_set_size (rows, 0);
  collect_rows (GTK_WIDGET (child (window, "revision_list")), rows);
  g_assert_cmpuint (rows->len, <, 300);
  g_assert_nonnull (find_row (window, first_id));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* The window size comes from and goes back to GSettings. */
static void
test_window_remembers_size (void)
{
  g_autoptr(GSettings) settings = retort_settings_new ();
  RetortWindow *window;
  int width, height;

  g_assert_nonnull (settings);
  g_settings_set_int (settings, "window-width", 800);
  g_settings_set_int (settings, "window-height", 600);

  window = retort_window_new (NULL);
  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
  g_assert_cmpint (width, ==, 800);
  g_assert_cmpint (height, ==, 600);

  /* closing saves the size the window has then */
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (spin_until (window_mapped, window, 10000));
  gtk_window_set_default_size (GTK_WINDOW (window), 820, 610);
  spin_for (200);
  gtk_window_close (GTK_WINDOW (window));
  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 820);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 610);

  g_settings_reset (settings, "window-width");
  g_settings_reset (settings, "window-height");
}

/* (d) the German catalog built in the tree is found and used. */
static void
test_window_german (void)
{
  if (g_test_subprocess ())
    {
      RetortWindow *window;

      /* this process started with LANGUAGE=de */
      g_assert_cmpstr (g_dgettext (GETTEXT_PACKAGE, "Open a Project"), ==, "Projekt öffnen");
      g_assert_cmpstr (g_dngettext (GETTEXT_PACKAGE, "%u revision", "%u revisions", 5), ==,
                       "%u Revisionen");

      window = show_window ();
      g_assert_cmpstr (adw_status_page_get_title (child (window, "empty_page")), ==,
                       "Projekt öffnen");
      save_screenshot (window, "empty-de");
      gtk_window_destroy (GTK_WINDOW (window));
      return;
    }

  /* Translations are chosen once per process: check them in a child. */
  g_setenv ("LANGUAGE", "de", TRUE);
  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_unsetenv ("LANGUAGE");
  g_test_trap_assert_passed ();
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GFile) root = NULL;
  gboolean subprocess = FALSE;
  const char *localedir;
  int status;

  for (int i = 1; i < argc; i++)
    if (g_str_has_prefix (argv[i], "--GTestSubprocess"))
      subprocess = TRUE;

  /* English unless a test asks otherwise (in its own process). */
  if (!subprocess)
    g_unsetenv ("LANGUAGE");
  setlocale (LC_ALL, "");
  localedir = g_getenv ("RETORT_LOCALEDIR");
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_test_init (&argc, &argv, NULL);

  tmp_root = g_dir_make_tmp ("retort-test-window-XXXXXX", NULL);
  g_assert_nonnull (tmp_root);
  root = g_file_new_for_path (tmp_root);
  if (!subprocess)
    {
      /* keep GTK away from the real home */
      const char *xdg[] = {
        "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME",
      };

      for (guint i = 0; i < G_N_ELEMENTS (xdg); i++)
        {
          g_autofree char *dir = g_build_filename (tmp_root, "home", xdg[i], NULL);

          g_mkdir_with_parents (dir, 0700);
          g_setenv (xdg[i], dir, TRUE);
        }
    }

  if (!gtk_init_check ())
    {
      remove_tree (root);
      g_print ("1..0 # SKIP no display\n");
      return 0;
    }
  adw_init ();
  /* What AdwApplication does for the real app from its resource base path:
   * icons and style.css. */
  gtk_icon_theme_add_resource_path (gtk_icon_theme_get_for_display (gdk_display_get_default ()),
                                    RESOURCE_BASE "/icons");
  {
    g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();

    gtk_css_provider_load_from_resource (css, RESOURCE_BASE "/style.css");
    gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                                GTK_STYLE_PROVIDER (css),
                                                GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  }

  g_test_add_func ("/app/window/loads-project", test_window_loads_project);
  g_test_add_func ("/app/window/loads-ini-file", test_window_loads_ini_file);
  g_test_add_func ("/app/window/demo", test_window_demo);
  g_test_add_func ("/app/window/empty-state", test_window_empty_state);
  g_test_add_func ("/app/window/no-revisions", test_window_no_revisions);
  g_test_add_func ("/app/window/error-state", test_window_error_state);
  g_test_add_func ("/app/window/missing-path", test_window_missing_path);
  g_test_add_func ("/app/window/open-twice", test_window_open_twice);
  g_test_add_func ("/app/window/destroy-while-loading", test_window_destroy_while_loading);
  g_test_add_func ("/app/window/many-revisions", test_window_many_revisions);
  g_test_add_func ("/app/window/remembers-size", test_window_remembers_size);
  g_test_add_func ("/app/i18n/german", test_window_german);

  status = g_test_run ();

  remove_tree (root);
  g_clear_pointer (&tmp_root, g_free);
  return status;
}
