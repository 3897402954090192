/* test-detail-pane.c — the revision detail pane and the environments view
 *
 * Real widgets in a real window, over fixture script directories written to
 * a temp dir and loaded with RetortProject; databases are SQLite files with
 * a version table written here. Screenshots of the states land in
 * $RETORT_BUILD_DIR/tests/app/screenshots/.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-detail-pane"

#include "config.h"

#include <string.h>

#include <adwaita.h>
#include <glib/gstdio.h>
#include <gtksourceview/gtksource.h>

#include "app-test-util.h"
#include "retort-detail-pane.h"
#include "retort-environments-view.h"
#include "retort-profile.h"
#include "retort-project.h"

/* --- fixtures ------------------------------------------------------------ */

#define BASE_ID    "1a2b3c4d5e6f"
#define EMAIL_ID   "2b3c4d5e6f7a"
#define ORDERS_ID  "3c4d5e6f7a8b"
#define MERGE_ID   "4d5e6f7a8b9c"
#define INDEX_ID   "5e6f7a8b9c0d"
#define AUDIT_ID   "6f7a8b9c0d1e"

typedef struct
{
  const char *name;
  const char *contents;
} FixtureFile;

/* A base with three branches: email and orders (a .sql file, labelled
 * "shop") merge; audit stays apart, and the index revision depends on it. */
static const FixtureFile fixture_files[] = {
  { BASE_ID "_create_users.py",
    "\"\"\"create users table\n"
    "\n"
    "Revision ID: " BASE_ID "\n"
    "Revises:\n"
    "Create Date: 2024-03-01 10:00:00.000000\n"
    "\n"
    "\"\"\"\n"
    "from alembic import op\n"
    "\n"
    "revision = '" BASE_ID "'\n"
    "down_revision = None\n"
    "branch_labels = None\n"
    "depends_on = None\n"
    "\n"
    "\n"
    "def upgrade():\n"
    "    op.execute(\"\"\"\n"
    "        CREATE TABLE users (\n"
    "            id integer PRIMARY KEY\n"
    "        )\n"
    "    \"\"\")\n"
    "\n"
    "\n"
    "def downgrade():\n"
    "    op.execute(\"DROP TABLE users\")\n" },
  { EMAIL_ID "_add_email.py",
    "\"\"\"add email to users\n"
    "\n"
    "Emails are unique; the old rows get NULL.\n"
    "\n"
    "Revision ID: " EMAIL_ID "\n"
    "Revises: " BASE_ID "\n"
    "Create Date: 2024-03-02 11:30:00.000000\n"
    "\n"
    "\"\"\"\n"
    "from alembic import op\n"
    "import sqlalchemy as sa\n"
    "\n"
    "revision = '" EMAIL_ID "'\n"
    "down_revision = '" BASE_ID "'\n"
    "branch_labels = None\n"
    "depends_on = None\n"
    "\n"
    "\n"
    "def upgrade():\n"
    "    op.add_column('users', sa.Column('email', sa.String(), nullable=True))\n"
    "\n"
    "\n"
    "def downgrade():\n"
    "    op.execute('ALTER TABLE users DROP COLUMN email')\n" },
  { ORDERS_ID "_add_orders.sql",
    "-- add orders table\n"
    "--\n"
    "-- Orders belong to users; the index is built without locking writers.\n"
    "--\n"
    "-- Revision ID: " ORDERS_ID "\n"
    "-- Revises: " BASE_ID "\n"
    "-- Branch Labels: shop\n"
    "-- Create Date: 2024-03-03 09:15:00\n"
    "\n"
    "-- retort:upgrade\n"
    "CREATE TABLE orders (id integer PRIMARY KEY, user_id integer NOT NULL);\n"
    "\n"
    "-- retort:upgrade postgresql no-transaction\n"
    "CREATE INDEX CONCURRENTLY orders_user_id ON orders (user_id);\n"
    "\n"
    "-- retort:downgrade\n"
    "DROP TABLE orders;\n" },
  { MERGE_ID "_merge.py",
    "\"\"\"merge email and orders\n"
    "\n"
    "Revision ID: " MERGE_ID "\n"
    "Revises: " EMAIL_ID ", " ORDERS_ID "\n"
    "Create Date: 2024-03-04 08:00:00.000000\n"
    "\n"
    "\"\"\"\n"
    "revision = '" MERGE_ID "'\n"
    "down_revision = ('" EMAIL_ID "', '" ORDERS_ID "')\n"
    "branch_labels = None\n"
    "depends_on = None\n"
    "\n"
    "\n"
    "def upgrade():\n"
    "    pass\n"
    "\n"
    "\n"
    "def downgrade():\n"
    "    pass\n" },
  { INDEX_ID "_add_index.py",
    "\"\"\"add index on orders.created_at\n"
    "\n"
    "Revision ID: " INDEX_ID "\n"
    "Revises: " MERGE_ID "\n"
    "Create Date: 2024-03-05 16:45:00.000000\n"
    "\n"
    "\"\"\"\n"
    "from alembic import op\n"
    "\n"
    "revision = '" INDEX_ID "'\n"
    "down_revision = '" MERGE_ID "'\n"
    "branch_labels = None\n"
    "depends_on = '" AUDIT_ID "'\n"
    "\n"
    "\n"
    "def upgrade():\n"
    "    op.execute(\"CREATE INDEX orders_created_at ON orders (created_at)\")\n"
    "\n"
    "\n"
    "def downgrade():\n"
    "    op.execute(\"DROP INDEX orders_created_at\")\n" },
  { AUDIT_ID "_audit_log.py",
    "\"\"\"audit log\n"
    "\n"
    "Revision ID: " AUDIT_ID "\n"
    "Revises: " BASE_ID "\n"
    "Create Date: 2024-03-02 14:00:00.000000\n"
    "\n"
    "\"\"\"\n"
    "from alembic import op\n"
    "\n"
    "revision = '" AUDIT_ID "'\n"
    "down_revision = '" BASE_ID "'\n"
    "branch_labels = ('audit',)\n"
    "depends_on = None\n"
    "\n"
    "\n"
    "def upgrade():\n"
    "    op.execute(\"CREATE TABLE audit_log (id integer PRIMARY KEY, what text)\")\n"
    "\n"
    "\n"
    "def downgrade():\n"
    "    op.execute(\"DROP TABLE audit_log\")\n" },
};

static char *
versions_path (const char *folder,
               const char *file)
{
  return g_build_filename (folder, "versions", file, NULL);
}

/* ROOT/NAME/versions/ with the files; returns ROOT/NAME. */
static char *
make_script_dir (const char        *name,
                 const FixtureFile *files,
                 gsize              n_files)
{
  char *folder = app_test_script_dir (name, NULL, 0);

  for (gsize i = 0; i < n_files; i++)
    {
      g_autofree char *path = versions_path (folder, files[i].name);

      app_test_write_file (path, files[i].contents);
    }
  return folder;
}

/* --- windows -------------------------------------------------------------- */

static GtkWindow *
show_in_window (GtkWidget *content,
                int        width,
                int        height)
{
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());

  gtk_window_set_default_size (window, width, height);
  gtk_window_set_child (window, content);
  app_test_show (window);
  app_test_spin_for (100);
  return window;
}

/* --- widget helpers ------------------------------------------------------ */

static gpointer
pane_child (RetortDetailPane *pane,
            const char       *name)
{
  return gtk_widget_get_template_child (GTK_WIDGET (pane), RETORT_TYPE_DETAIL_PANE, name);
}

static gpointer
view_child (RetortEnvironmentsView *view,
            const char             *name)
{
  return gtk_widget_get_template_child (GTK_WIDGET (view), RETORT_TYPE_ENVIRONMENTS_VIEW, name);
}

static const char *
label_text (gpointer label)
{
  return gtk_label_get_label (GTK_LABEL (label));
}

static void
collect_by_class (GtkWidget  *widget,
                  const char *css_class,
                  GPtrArray  *found)
{
  if (gtk_widget_has_css_class (widget, css_class))
    g_ptr_array_add (found, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_by_class (child, css_class, found);
}

static GtkWidget *
find_by_class (GtkWidget  *widget,
               const char *css_class)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new ();

  collect_by_class (widget, css_class, found);
  return found->len > 0 ? g_ptr_array_index (found, 0) : NULL;
}

/* The rows of a list box, in order. */
static GPtrArray *
list_rows (GtkListBox *list)
{
  GPtrArray *rows = g_ptr_array_new ();

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (list)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LIST_BOX_ROW (child))
      g_ptr_array_add (rows, child);
  return rows;
}

/* The chips in the tags flow box, as "Head|Base|…". */
static char *
tags_text (RetortDetailPane *pane)
{
  g_autoptr(GPtrArray) chips = g_ptr_array_new ();
  g_autoptr(GString) text = g_string_new (NULL);

  collect_by_class (GTK_WIDGET (pane_child (pane, "tags_box")), "chip", chips);
  for (guint i = 0; i < chips->len; i++)
    g_string_append_printf (text, "%s%s", i > 0 ? "|" : "", label_text (g_ptr_array_index (chips, i)));
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static char *
buffer_text (RetortDetailPane *pane)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (pane_child (pane, "source_view")));
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static const char *
buffer_language (RetortDetailPane *pane)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (pane_child (pane, "source_view")));
  GtkSourceLanguage *language = gtk_source_buffer_get_language (GTK_SOURCE_BUFFER (buffer));

  return language != NULL ? gtk_source_language_get_id (language) : NULL;
}

static gboolean
pane_loaded (gpointer data)
{
  return !retort_detail_pane_get_loading (RETORT_DETAIL_PANE (data));
}

static void
show_revision (RetortDetailPane *pane,
               RetortProject    *project,
               const char       *id)
{
  RetortRevision *revision = retort_revision_map_lookup (retort_project_get_map (project), id);

  g_assert_nonnull (revision);
  retort_detail_pane_set_revision (pane, project, revision);
  g_assert_true (retort_detail_pane_get_revision (pane) == revision);
  g_assert_true (app_test_spin_until (pane_loaded, pane, 10000, NULL));
  app_test_spin_for (50);
}

static char *
file_contents (const char *path)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  return g_steal_pointer (&contents);
}

static void
revision_activated_cb (GtkWidget       *widget,
                       RetortRevision  *revision,
                       RetortRevision **out)
{
  g_set_object (out, revision);
}

static void
clipboard_text_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  char **text = user_data;
  g_autoptr(GError) error = NULL;

  *text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (object), result, &error);
  g_assert_no_error (error);
}

static gboolean
is_set (gpointer data)
{
  return *(char **) data != NULL;
}

/* --- profiles ------------------------------------------------------------ */

typedef struct
{
  RetortProject *project;
  GPtrArray     *entries;   /* RetortProfileEntry: the profiles borrow them */
} Databases;

static RetortProfile *
add_profile (Databases  *databases,
             const char *name,
             RetortTier  tier,
             const char *path)
{
  RetortProfileEntry *entry = g_new0 (RetortProfileEntry, 1);
  g_autoptr(RetortProfile) profile = NULL;

  entry->id = g_strdup (name);
  entry->name = g_strdup (name);
  entry->project = g_strdup ("fixture");
  entry->url = g_strconcat ("sqlite:///", path, NULL);
  entry->tier = tier;
  g_ptr_array_add (databases->entries, entry);

  profile = retort_profile_new (entry);
  g_list_store_append (retort_project_get_profile_store (databases->project), profile);
  return profile;
}

static gboolean
profile_checked (gpointer data)
{
  RetortProfileState state = retort_profile_get_state (RETORT_PROFILE (data));

  return state != RETORT_PROFILE_STATE_CHECKING && state != RETORT_PROFILE_STATE_UNCHECKED;
}

/* Reads every profile's version table, then tells the project, as the
 * window does when a check finishes. */
static void
check_profiles (RetortProject *project)
{
  GListModel *profiles = retort_project_get_profiles (project);

  for (guint i = 0; i < g_list_model_get_n_items (profiles); i++)
    {
      g_autoptr(RetortProfile) profile = g_list_model_get_item (profiles, i);

      retort_profile_check (profile, retort_project_get_map (project), NULL, NULL, 10000);
      g_assert_true (app_test_spin_until (profile_checked, profile, 15000, NULL));
      if (retort_profile_get_rows (profile) == NULL)
        g_error ("%s: %s", retort_profile_get_name (profile), retort_profile_get_status_message (profile));
    }
  retort_project_profiles_changed (project);
}

/* dev-local has everything, staging-eu the orders branch, production the base. */
static void
setup_databases (Databases     *databases,
                 RetortProject *project)
{
  const char *dev_rows[] = { INDEX_ID, NULL };
  const char *staging_rows[] = { ORDERS_ID, NULL };
  const char *production_rows[] = { BASE_ID, NULL };
  g_autofree char *dev = app_test_sqlite_db ("dev", dev_rows);
  g_autofree char *staging = app_test_sqlite_db ("staging", staging_rows);
  g_autofree char *production = app_test_sqlite_db ("production", production_rows);

  databases->project = project;
  databases->entries = g_ptr_array_new_with_free_func ((GDestroyNotify) retort_profile_entry_free);
  /* not in tier order: the summary sorts them */
  add_profile (databases, "production", RETORT_TIER_PRODUCTION, production);
  add_profile (databases, "dev-local", RETORT_TIER_DEVELOPMENT, dev);
  add_profile (databases, "staging-eu", RETORT_TIER_STAGING, staging);
}

static void
teardown_databases (Databases *databases)
{
  g_list_store_remove_all (retort_project_get_profile_store (databases->project));
  g_clear_pointer (&databases->entries, g_ptr_array_unref);
}

/* --- detail pane tests --------------------------------------------------- */

static void
test_detail_pane_empty (void)
{
  RetortDetailPane *pane = RETORT_DETAIL_PANE (retort_detail_pane_new ());
  GtkWindow *window = show_in_window (GTK_WIDGET (pane), 420, 600);

  g_assert_null (retort_detail_pane_get_revision (pane));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (pane_child (pane, "stack")), ==, "empty");
  g_assert_cmpstr (adw_status_page_get_title (pane_child (pane, "empty_page")), ==, "Select a Revision");
  app_test_screenshot (GTK_WIDGET (window), "detail-pane-empty");

  gtk_window_destroy (window);
}

static void
test_detail_pane_facts (void)
{
  g_autofree char *folder = make_script_dir ("facts", fixture_files, G_N_ELEMENTS (fixture_files));
  g_autoptr(RetortProject) project = app_test_load_project (folder);
  g_autoptr(RetortRevision) activated = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autofree char *tags = NULL;
  RetortDetailPane *pane = RETORT_DETAIL_PANE (retort_detail_pane_new ());
  GtkWindow *window = show_in_window (GTK_WIDGET (pane), 420, 900);
  GtkWidget *row;

  g_signal_connect (pane, "revision-activated", G_CALLBACK (revision_activated_cb), &activated);

  /* the .sql revision on the shop branch */
  show_revision (pane, project, ORDERS_ID);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (pane_child (pane, "stack")), ==, "revision");
  g_assert_cmpstr (label_text (pane_child (pane, "title_label")), ==, "add orders table");
  g_assert_cmpstr (label_text (pane_child (pane, "description_label")), ==,
                   "Orders belong to users; the index is built without locking writers.");
  g_assert_cmpstr (label_text (pane_child (pane, "id_label")), ==, ORDERS_ID);
  g_assert_cmpstr (label_text (pane_child (pane, "date_label")), ==, "3 March 2024, 09:15");
  g_assert_cmpstr (label_text (pane_child (pane, "file_label")), ==, "versions/" ORDERS_ID "_add_orders.sql");
  tags = tags_text (pane);
  g_assert_cmpstr (tags, ==, "shop");
  g_assert_cmpstr (label_text (pane_child (pane, "parents_heading")), ==, "Parent");
  rows = list_rows (pane_child (pane, "parents_list"));
  g_assert_cmpuint (rows->len, ==, 1);
  g_assert_cmpstr (adw_preferences_row_get_title (g_ptr_array_index (rows, 0)), ==, "create users table");
  g_assert_cmpstr (adw_action_row_get_subtitle (g_ptr_array_index (rows, 0)), ==, "1a2b3c4d");
  g_clear_pointer (&rows, g_ptr_array_unref);
  rows = list_rows (pane_child (pane, "children_list"));
  g_assert_cmpuint (rows->len, ==, 1);
  g_assert_cmpstr (adw_preferences_row_get_title (g_ptr_array_index (rows, 0)), ==, "merge email and orders");
  g_clear_pointer (&rows, g_ptr_array_unref);
  g_assert_false (gtk_widget_get_visible (pane_child (pane, "depends_group")));
  g_assert_true (gtk_widget_get_visible (pane_child (pane, "no_environments_label")));

  /* the file as written, highlighted as SQL; the upgrade toggle shows what runs */
  {
    g_autofree char *path = versions_path (folder, ORDERS_ID "_add_orders.sql");
    g_autofree char *expected = file_contents (path);
    g_autofree char *text = buffer_text (pane);

    g_assert_cmpstr (text, ==, expected);
    g_assert_cmpstr (buffer_language (pane), ==, "sql");
    g_assert_true (gtk_widget_get_visible (pane_child (pane, "view_toggles")));
  }
  gtk_toggle_button_set_active (pane_child (pane, "upgrade_toggle"), TRUE);
  {
    g_autofree char *text = buffer_text (pane);

    g_assert_cmpstr (text, ==,
                     "CREATE TABLE orders (id integer PRIMARY KEY, user_id integer NOT NULL);\n"
                     "\n"
                     "-- postgresql only, outside a transaction\n"
                     "CREATE INDEX CONCURRENTLY orders_user_id ON orders (user_id);\n");
    g_assert_cmpstr (buffer_language (pane), ==, "sql");
  }
  app_test_screenshot (GTK_WIDGET (window), "detail-pane-sql-upgrade");
  gtk_toggle_button_set_active (pane_child (pane, "downgrade_toggle"), TRUE);
  {
    g_autofree char *text = buffer_text (pane);
    g_assert_cmpstr (text, ==, "DROP TABLE orders;\n");
  }

  /* clicking the parent link asks for the parent */
  rows = list_rows (pane_child (pane, "parents_list"));
  row = g_ptr_array_index (rows, 0);
  g_assert_true (gtk_list_box_row_get_activatable (GTK_LIST_BOX_ROW (row)));
  gtk_widget_activate (row);
  g_assert_nonnull (activated);
  g_assert_cmpstr (retort_revision_get_id (activated), ==, BASE_ID);
  g_clear_pointer (&rows, g_ptr_array_unref);

  /* the window follows the link; the focused row goes with the old lists */
  gtk_widget_grab_focus (row);
  g_assert_true (gtk_widget_has_focus (row));
  show_revision (pane, project, retort_revision_get_id (activated));
  app_test_spin_for (200);
  /* the base has no parents: the focus lands on its first child link */
  g_assert_true (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (window)),
                                         pane_child (pane, "children_list")));

  /* the base: two tags, three children, no parents; its SQL dedented */
  show_revision (pane, project, BASE_ID);
  g_clear_pointer (&tags, g_free);
  tags = tags_text (pane);
  g_assert_cmpstr (tags, ==, "Base|Branch point");
  g_assert_false (gtk_widget_get_visible (pane_child (pane, "parents_group")));
  g_assert_cmpstr (label_text (pane_child (pane, "children_heading")), ==, "Children");
  rows = list_rows (pane_child (pane, "children_list"));
  g_assert_cmpuint (rows->len, ==, 3);
  g_clear_pointer (&rows, g_ptr_array_unref);
  /* the downgrade view was chosen before: it stays while browsing */
  g_assert_true (gtk_toggle_button_get_active (pane_child (pane, "downgrade_toggle")));
  {
    g_autofree char *text = buffer_text (pane);
    g_assert_cmpstr (text, ==, "DROP TABLE users\n");
  }
  gtk_toggle_button_set_active (pane_child (pane, "upgrade_toggle"), TRUE);
  {
    g_autofree char *text = buffer_text (pane);
    g_assert_cmpstr (text, ==, "CREATE TABLE users (\n    id integer PRIMARY KEY\n)\n");
  }
  gtk_toggle_button_set_active (pane_child (pane, "source_toggle"), TRUE);
  {
    g_autofree char *path = versions_path (folder, BASE_ID "_create_users.py");
    g_autofree char *expected = file_contents (path);
    g_autofree char *text = buffer_text (pane);

    g_assert_cmpstr (text, ==, expected);
    g_assert_cmpstr (buffer_language (pane), ==, "python3");
  }

  /* the merge: two parents, a head below it */
  show_revision (pane, project, MERGE_ID);
  g_clear_pointer (&tags, g_free);
  tags = tags_text (pane);
  g_assert_cmpstr (tags, ==, "Merge point|shop");
  g_assert_cmpstr (label_text (pane_child (pane, "parents_heading")), ==, "Parents");
  rows = list_rows (pane_child (pane, "parents_list"));
  g_assert_cmpuint (rows->len, ==, 2);
  g_clear_pointer (&rows, g_ptr_array_unref);
  {
    /* nothing to run, said so */
    g_autofree char *text = NULL;

    gtk_toggle_button_set_active (pane_child (pane, "upgrade_toggle"), TRUE);
    text = buffer_text (pane);
    g_assert_cmpstr (text, ==, "-- Nothing runs on upgrade\n");
    gtk_toggle_button_set_active (pane_child (pane, "source_toggle"), TRUE);
  }

  /* depends_on is a link too */
  show_revision (pane, project, INDEX_ID);
  g_clear_pointer (&tags, g_free);
  tags = tags_text (pane);
  g_assert_cmpstr (tags, ==, "Head|shop");
  g_assert_true (gtk_widget_get_visible (pane_child (pane, "depends_group")));
  rows = list_rows (pane_child (pane, "depends_list"));
  g_assert_cmpuint (rows->len, ==, 1);
  g_clear_object (&activated);
  gtk_widget_activate (g_ptr_array_index (rows, 0));
  g_assert_nonnull (activated);
  g_assert_cmpstr (retort_revision_get_id (activated), ==, AUDIT_ID);
  g_clear_pointer (&rows, g_ptr_array_unref);

  /* a .py upgrade that needs Python: its toggle is off, and says why */
  show_revision (pane, project, EMAIL_ID);
  g_assert_cmpstr (label_text (pane_child (pane, "description_label")), ==,
                   "Emails are unique; the old rows get NULL.");
  g_assert_true (gtk_widget_get_visible (pane_child (pane, "view_toggles")));
  g_assert_false (gtk_widget_get_sensitive (pane_child (pane, "upgrade_toggle")));
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (pane_child (pane, "upgrade_toggle")),
                            "needs Python"));
  g_assert_true (gtk_widget_get_sensitive (pane_child (pane, "downgrade_toggle")));
  app_test_screenshot (GTK_WIDGET (window), "detail-pane-python");
  gtk_toggle_button_set_active (pane_child (pane, "downgrade_toggle"), TRUE);
  {
    g_autofree char *text = buffer_text (pane);
    g_assert_cmpstr (text, ==, "ALTER TABLE users DROP COLUMN email\n");
  }

  /* Copy puts the whole id on the clipboard, and says so for a moment */
  {
    GdkClipboard *clipboard = gtk_widget_get_clipboard (GTK_WIDGET (pane));
    g_autofree char *copied = NULL;

    g_assert_true (gtk_widget_get_sensitive (pane_child (pane, "open_button")));
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (pane), "detail.copy-id", NULL));
    gdk_clipboard_read_text_async (clipboard, NULL, clipboard_text_cb, &copied);
    g_assert_true (app_test_spin_until (is_set, &copied, 5000, NULL));
    g_assert_cmpstr (copied, ==, EMAIL_ID);
    g_assert_cmpstr (gtk_button_get_icon_name (pane_child (pane, "copy_button")), ==, "object-select-symbolic");
  }

  /* the file went away since the project loaded: said in place of the source */
  {
    g_autofree char *path = versions_path (folder, AUDIT_ID "_audit_log.py");

    g_assert_cmpint (g_unlink (path), ==, 0);
    show_revision (pane, project, AUDIT_ID);
    g_assert_cmpstr (gtk_stack_get_visible_child_name (pane_child (pane, "source_stack")), ==, "error");
    g_assert_nonnull (strstr (adw_status_page_get_description (pane_child (pane, "source_error_page")),
                              AUDIT_ID "_audit_log.py"));
    g_assert_cmpstr (label_text (pane_child (pane, "title_label")), ==, "audit log");
  }

  /* back to nothing */
  retort_detail_pane_set_revision (pane, project, NULL);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (pane_child (pane, "stack")), ==, "empty");

  gtk_window_destroy (window);
}

/* A quick second selection wins over a first whose read is still running. */
static void
test_detail_pane_quick_switch (void)
{
  g_autofree char *folder = make_script_dir ("switch", fixture_files, G_N_ELEMENTS (fixture_files));
  g_autoptr(RetortProject) project = app_test_load_project (folder);
  RetortRevisionMap *map = retort_project_get_map (project);
  RetortDetailPane *pane = RETORT_DETAIL_PANE (retort_detail_pane_new ());
  GtkWindow *window = show_in_window (GTK_WIDGET (pane), 420, 700);
  g_autofree char *path = versions_path (folder, AUDIT_ID "_audit_log.py");
  g_autofree char *expected = file_contents (path);
  g_autofree char *text = NULL;

  for (guint i = 0; i < 5; i++)
    {
      retort_detail_pane_set_revision (pane, project, retort_revision_map_lookup (map, ORDERS_ID));
      retort_detail_pane_set_revision (pane, project, retort_revision_map_lookup (map, MERGE_ID));
    }
  retort_detail_pane_set_revision (pane, project, retort_revision_map_lookup (map, AUDIT_ID));
  g_assert_true (app_test_spin_until (pane_loaded, pane, 10000, NULL));
  /* answers for the earlier ones may still arrive: they must be dropped */
  app_test_spin_for (300);
  text = buffer_text (pane);
  g_assert_cmpstr (text, ==, expected);
  g_assert_cmpstr (label_text (pane_child (pane, "title_label")), ==, "audit log");

  gtk_window_destroy (window);
}

/* A 1 MB file: set_revision returns at once, the text arrives whole. */
static void
test_detail_pane_large_file (void)
{
  g_autoptr(GString) sql = g_string_new ("-- a large seed\n"
                                         "--\n"
                                         "-- Revision ID: 0123456789ab\n"
                                         "-- Revises:\n"
                                         "\n"
                                         "-- retort:upgrade\n");
  FixtureFile file = { "0123456789ab_seed.sql", NULL };
  g_autofree char *folder = NULL;
  g_autoptr(RetortProject) project = NULL;
  RetortDetailPane *pane = RETORT_DETAIL_PANE (retort_detail_pane_new ());
  GtkWindow *window = show_in_window (GTK_WIDGET (pane), 420, 700);
  GtkTextBuffer *buffer;
  gint64 start, elapsed, longest = 0;

  for (guint i = 0; sql->len < 1024 * 1024; i++)
    g_string_append_printf (sql, "INSERT INTO things (id, name) VALUES (%u, 'thing number %u');\n", i, i);
  g_string_append (sql, "\n-- retort:downgrade\nDELETE FROM things;\n");
  file.contents = sql->str;
  folder = make_script_dir ("large", &file, 1);
  project = app_test_load_project (folder);

  start = g_get_monotonic_time ();
  retort_detail_pane_set_revision (pane, project,
                                   retort_revision_map_lookup (retort_project_get_map (project),
                                                               "0123456789ab"));
  elapsed = g_get_monotonic_time () - start;
  g_test_message ("set_revision took %" G_GINT64_FORMAT " µs", elapsed);
  /* no I/O on the main thread: the facts only */
  g_assert_cmpint (elapsed, <, 100 * 1000);
  g_assert_true (retort_detail_pane_get_loading (pane));

  g_assert_true (app_test_spin_until (pane_loaded, pane, 20000, &longest));
  app_test_spin_for (300);
  g_test_message ("longest main loop turn while loading 1 MB: %" G_GINT64_FORMAT " µs", longest);
  /* setting 1 MB of text is one turn; everything else happened in the worker */
  g_assert_cmpint (longest, <, G_USEC_PER_SEC);

  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (pane_child (pane, "source_view")));
  g_assert_cmpint (gtk_text_buffer_get_char_count (buffer), ==, (int) g_utf8_strlen (sql->str, -1));
  app_test_screenshot (GTK_WIDGET (window), "detail-pane-large");

  /* closed while a read runs: the late answer finds nothing to fill */
  retort_detail_pane_set_revision (pane, project, NULL);
  retort_detail_pane_set_revision (pane, project,
                                   retort_revision_map_lookup (retort_project_get_map (project),
                                                               "0123456789ab"));
  g_assert_true (retort_detail_pane_get_loading (pane));
  gtk_window_destroy (window);
  app_test_spin_for (500);
}

static void
test_detail_pane_dark (void)
{
  g_autofree char *folder = make_script_dir ("dark", fixture_files, G_N_ELEMENTS (fixture_files));
  g_autoptr(RetortProject) project = app_test_load_project (folder);
  AdwStyleManager *style = adw_style_manager_get_default ();
  RetortDetailPane *pane = RETORT_DETAIL_PANE (retort_detail_pane_new ());
  GtkWindow *window = show_in_window (GTK_WIDGET (pane), 420, 900);
  GtkSourceBuffer *buffer;
  Databases databases = { 0 };

  setup_databases (&databases, project);
  check_profiles (project);

  show_revision (pane, project, ORDERS_ID);
  buffer = GTK_SOURCE_BUFFER (gtk_text_view_get_buffer (GTK_TEXT_VIEW (pane_child (pane, "source_view"))));
  g_assert_cmpstr (gtk_source_style_scheme_get_id (gtk_source_buffer_get_style_scheme (buffer)), ==, "Adwaita");

  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  app_test_spin_for (200);
  g_assert_cmpstr (gtk_source_style_scheme_get_id (gtk_source_buffer_get_style_scheme (buffer)), ==,
                   "Adwaita-dark");
  app_test_screenshot (GTK_WIDGET (window), "detail-pane-dark");
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
  app_test_spin_for (100);
  g_assert_cmpstr (gtk_source_style_scheme_get_id (gtk_source_buffer_get_style_scheme (buffer)), ==, "Adwaita");

  gtk_window_destroy (window);
  teardown_databases (&databases);
}

/* Which state the pane's environment rows show, as "name=state|…". */
static char *
environments_text (RetortDetailPane *pane)
{
  g_autoptr(GPtrArray) rows = list_rows (pane_child (pane, "environments_list"));
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (rows, i);
      GtkWidget *state = find_by_class (row, "revision-state");

      g_assert_nonnull (state);
      g_string_append_printf (text, "%s%s=%s", i > 0 ? "|" : "",
                              adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)),
                              label_text (state));
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
test_detail_pane_environments (void)
{
  g_autofree char *folder = make_script_dir ("pane-envs", fixture_files, G_N_ELEMENTS (fixture_files));
  g_autoptr(RetortProject) project = app_test_load_project (folder);
  RetortDetailPane *pane = RETORT_DETAIL_PANE (retort_detail_pane_new ());
  GtkWindow *window = show_in_window (GTK_WIDGET (pane), 420, 900);
  Databases databases = { 0 };
  g_autofree char *text = NULL;

  show_revision (pane, project, ORDERS_ID);
  setup_databases (&databases, project);
  /* profiles added: rows appear at once, their state unknown until read */
  text = environments_text (pane);
  g_assert_cmpstr (text, ==, "production=? Unknown|dev-local=? Unknown|staging-eu=? Unknown");
  g_assert_false (gtk_widget_get_visible (pane_child (pane, "no_environments_label")));

  check_profiles (project);
  g_clear_pointer (&text, g_free);
  text = environments_text (pane);
  g_assert_cmpstr (text, ==, "production=· Pending|dev-local=✓ Applied|staging-eu=★ Current");
  app_test_screenshot (GTK_WIDGET (window), "detail-pane-environments");

  show_revision (pane, project, AUDIT_ID);
  g_clear_pointer (&text, g_free);
  text = environments_text (pane);
  /* dev-local has the audit branch through the index's depends_on */
  g_assert_cmpstr (text, ==, "production=· Pending|dev-local=✓ Applied|staging-eu=· Pending");

  gtk_window_destroy (window);
  teardown_databases (&databases);
}

/* --- environments view tests --------------------------------------------- */

static void
count_signal_cb (gpointer  instance,
                 guint    *count)
{
  (*count)++;
}

/* The table's rows, each one drawn widget, and its header (the same kind
 * of widget, with the column titles). */
static void
collect_rows (GtkWidget *widget,
              GPtrArray *found)
{
  if (g_str_equal (gtk_widget_get_css_name (widget), "environmentsrow"))
    g_ptr_array_add (found, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_rows (child, found);
}

static gboolean
is_header (GtkWidget *row)
{
  return gtk_widget_has_css_class (row, "header");
}

/* a row's "shortid ★✓·", the header's "a, b, c" */
static char *
row_text (GtkWidget *row)
{
  char *text = NULL;

  g_object_get (row, "text", &text, NULL);
  return text;
}

/* The rows on screen as short id → their cells, "★✓·" in column order. */
static GHashTable *
table_cells (RetortEnvironmentsView *view)
{
  GHashTable *cells = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  collect_rows (GTK_WIDGET (view_child (view, "table")), rows);
  for (guint i = 0; i < rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (rows, i);
      g_autofree char *text = NULL;
      g_auto(GStrv) parts = NULL;

      if (is_header (row) || !gtk_widget_get_mapped (row))
        continue;
      text = row_text (row);
      parts = g_strsplit (text, " ", 2);
      g_assert_cmpuint (g_strv_length (parts), ==, 2);
      g_hash_table_insert (cells, g_strdup (parts[0]), g_strdup (parts[1]));
    }
  return cells;
}

/* the row of a revision, on screen */
static GtkWidget *
row_for (RetortEnvironmentsView *view,
         const char             *short_id)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  collect_rows (GTK_WIDGET (view_child (view, "table")), rows);
  for (guint i = 0; i < rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (rows, i);
      g_autofree char *text = NULL;

      if (is_header (row) || !gtk_widget_get_mapped (row))
        continue;
      text = row_text (row);
      if (g_str_has_prefix (text, short_id) && text[strlen (short_id)] == ' ')
        return row;
    }
  return NULL;
}

/* the column titles, "a, b, c" */
static char *
column_titles (RetortEnvironmentsView *view)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  collect_rows (GTK_WIDGET (view_child (view, "table")), rows);
  for (guint i = 0; i < rows->len; i++)
    if (is_header (g_ptr_array_index (rows, i)))
      return row_text (g_ptr_array_index (rows, i));
  return NULL;
}

static guint
count_widgets (GtkWidget *widget)
{
  guint n = 1;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n += count_widgets (child);
  return n;
}

/* The summary as lines "name comparison", in promotion order. */
static char *
summary_text (RetortEnvironmentsView *view)
{
  GtkWidget *box = view_child (view, "summary_box");
  g_autoptr(GString) text = g_string_new (NULL);

  for (GtkWidget *row = gtk_widget_get_first_child (box); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    {
      GtkWidget *name = find_by_class (row, "heading");
      GtkWidget *comparison = find_by_class (row, "comparison");

      if (comparison != NULL)
        g_string_append_printf (text, "%s %s\n",
                                gtk_label_get_text (GTK_LABEL (name)),
                                gtk_label_get_text (GTK_LABEL (comparison)));
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
test_environments_view (void)
{
  g_autofree char *folder = make_script_dir ("envs", fixture_files, G_N_ELEMENTS (fixture_files));
  g_autoptr(RetortProject) project = app_test_load_project (folder);
  RetortEnvironmentsView *view = RETORT_ENVIRONMENTS_VIEW (retort_environments_view_new ());
  GtkWindow *window = show_in_window (GTK_WIDGET (view), 760, 520);
  g_autoptr(RetortRevision) activated = NULL;
  g_autoptr(GHashTable) cells = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *titles = NULL;
  Databases databases = { 0 };
  guint add_requests = 0;

  g_signal_connect (view, "add-profile-requested", G_CALLBACK (count_signal_cb), &add_requests);
  g_signal_connect (view, "revision-activated", G_CALLBACK (revision_activated_cb), &activated);

  /* no project, then a project without databases: the empty state */
  g_assert_cmpstr (gtk_stack_get_visible_child_name (view_child (view, "stack")), ==, "empty");
  g_assert_false (gtk_widget_get_visible (view_child (view, "add_button")));
  retort_environments_view_set_project (view, project);
  g_assert_true (retort_environments_view_get_project (view) == project);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (view_child (view, "stack")), ==, "empty");
  g_assert_true (gtk_widget_get_visible (view_child (view, "add_button")));
  g_assert_cmpstr (adw_status_page_get_description (view_child (view, "empty_page")), ==,
                   "Add a database to compare environments");
  app_test_spin_for (50);
  app_test_screenshot (GTK_WIDGET (window), "environments-empty");
  /* a button's activation clicks it after a short press animation */
  gtk_widget_activate (view_child (view, "add_button"));
  app_test_spin_for (400);
  g_assert_cmpuint (add_requests, ==, 1);

  /* three databases: a column each, in the sidebar's order */
  setup_databases (&databases, project);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (view_child (view, "stack")), ==, "table");
  titles = column_titles (view);
  g_assert_cmpstr (titles, ==, "production, dev-local, staging-eu");
  g_clear_pointer (&titles, g_free);
  app_test_spin_for (100);
  cells = table_cells (view);
  g_assert_cmpuint (g_hash_table_size (cells), ==, 6);
  g_assert_cmpstr (g_hash_table_lookup (cells, "3c4d5e6f"), ==, "???");
  g_clear_pointer (&cells, g_hash_table_unref);
  summary = summary_text (view);
  g_assert_nonnull (strstr (summary, "cannot be compared"));
  g_clear_pointer (&summary, g_free);

  check_profiles (project);
  app_test_spin_for (100);
  /* columns: production, dev-local, staging-eu */
  cells = table_cells (view);
  g_assert_cmpstr (g_hash_table_lookup (cells, "1a2b3c4d"), ==, "★✓✓");
  g_assert_cmpstr (g_hash_table_lookup (cells, "3c4d5e6f"), ==, "·✓★");
  g_assert_cmpstr (g_hash_table_lookup (cells, "2b3c4d5e"), ==, "·✓·");
  g_assert_cmpstr (g_hash_table_lookup (cells, "5e6f7a8b"), ==, "·★·");
  g_assert_cmpstr (g_hash_table_lookup (cells, "6f7a8b9c"), ==, "·✓·");
  g_clear_pointer (&cells, g_hash_table_unref);
  /* screen readers hear a row's revision and every cell; tooltips are
   * made on demand */
  {
    GtkWidget *row = row_for (view, "3c4d5e6f");
    g_autofree char *mismatch = NULL;

    g_assert_nonnull (row);
    mismatch = gtk_test_accessible_check_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                                   "3c4d5e6f add orders table: "
                                                   "production does not have this revision yet; "
                                                   "dev-local has this revision; "
                                                   "staging-eu is at this revision");
    if (mismatch != NULL)
      g_test_message ("the row's accessible label: %s", mismatch);
    g_assert_null (mismatch);
    g_assert_true (gtk_widget_get_has_tooltip (row));
    g_assert_null (gtk_widget_get_tooltip_text (row));
  }

  /* in tier order: staging after development, production after staging */
  summary = summary_text (view);
  g_test_message ("summary:\n%s", summary);
  g_assert_nonnull (strstr (summary, "staging-eu lacks 4 revisions dev-local has: "));
  g_assert_nonnull (strstr (summary, "production lacks 1 revision staging-eu has: 3c4d5e6f\n"));
  g_clear_pointer (&summary, g_free);
  app_test_screenshot (GTK_WIDGET (window), "environments-table");

  /* an id in the summary is a link to the revision */
  {
    GtkWidget *last_row = gtk_widget_get_last_child (view_child (view, "summary_box"));
    GtkWidget *line = find_by_class (last_row, "comparison");
    gboolean handled = FALSE;

    g_signal_emit_by_name (line, "activate-link", ORDERS_ID, &handled);
    g_assert_true (handled);
    g_assert_nonnull (activated);
    g_assert_cmpstr (retort_revision_get_id (activated), ==, ORDERS_ID);
  }

  /* so is a row of the table, activated (double-click or Enter): the
   * newest revision is the first row */
  {
    GtkWidget *list = gtk_widget_get_last_child (view_child (view, "table"));

    g_assert_true (GTK_IS_LIST_VIEW (list));
    g_clear_object (&activated);
    g_signal_emit_by_name (list, "activate", 0);
    g_assert_nonnull (activated);
    g_assert_cmpstr (retort_revision_get_id (activated), ==, INDEX_ID);
  }

  /* production catches up: its cells and the summary follow */
  {
    const char *rows[] = { ORDERS_ID, NULL };
    g_autofree char *path = app_test_sqlite_db ("production", rows);

    check_profiles (project);
    app_test_spin_for (100);
    cells = table_cells (view);
    g_assert_cmpstr (g_hash_table_lookup (cells, "3c4d5e6f"), ==, "★✓★");
    g_assert_cmpstr (g_hash_table_lookup (cells, "1a2b3c4d"), ==, "✓✓✓");
    g_clear_pointer (&cells, g_hash_table_unref);
    summary = summary_text (view);
    g_assert_nonnull (strstr (summary, "production has everything staging-eu has\n"));
    g_clear_pointer (&summary, g_free);
  }

  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
  app_test_spin_for (200);
  app_test_screenshot (GTK_WIDGET (window), "environments-table-dark");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);

  /* a database removed: its column goes */
  g_list_store_remove (retort_project_get_profile_store (project), 0);
  titles = column_titles (view);
  g_assert_cmpstr (titles, ==, "dev-local, staging-eu");
  g_clear_pointer (&titles, g_free);
  app_test_spin_for (100);
  cells = table_cells (view);
  g_assert_cmpstr (g_hash_table_lookup (cells, "3c4d5e6f"), ==, "✓★");
  g_clear_pointer (&cells, g_hash_table_unref);

  gtk_window_destroy (window);
  teardown_databases (&databases);
}

static char *
fake_id (guint i)
{
  g_autofree char *seed = g_strdup_printf ("revision %u", i);
  g_autofree char *sha = g_compute_checksum_for_string (G_CHECKSUM_SHA1, seed, -1);

  return g_strndup (sha, 12);
}

/* 5,000 revisions × 20 databases: bounded cells, and quick refreshes. */
static void
test_environments_view_large (void)
{
  const guint n_revisions = 5000, n_profiles = 20;
  g_autofree char *folder = app_test_script_dir ("huge", NULL, 0);
  g_autoptr(RetortProject) project = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) row_widgets = g_ptr_array_new ();
  g_autoptr(GHashTable) cells = NULL;
  g_autofree char *titles = NULL;
  RetortEnvironmentsView *view;
  GtkWindow *window;
  GtkAdjustment *adjustment;
  Databases databases = { 0 };
  gint64 start, elapsed;
  guint n_widgets;

  for (guint i = 0; i < n_revisions; i++)
    {
      g_autofree char *id = fake_id (i);
      g_autofree char *name = g_strdup_printf ("%s_step.sql", id);
      g_autofree char *path = versions_path (folder, name);
      g_autofree char *contents =
        g_strdup_printf ("-- step %u\n--\n-- Revision ID: %s\n-- Revises: %s\n\n-- retort:upgrade\nSELECT 1;\n",
                         i + 1, id, i > 0 ? (char *) g_ptr_array_index (ids, i - 1) : "");

      app_test_write_file (path, contents);
      g_ptr_array_add (ids, g_steal_pointer (&id));
    }
  project = app_test_load_project (folder);
  g_assert_cmpuint (g_list_model_get_n_items (retort_project_get_revisions (project)), ==, n_revisions);

  /* database i is at revision 250 * i + 249 */
  databases.project = project;
  databases.entries = g_ptr_array_new_with_free_func ((GDestroyNotify) retort_profile_entry_free);
  for (guint i = 0; i < n_profiles; i++)
    {
      const char *rows[] = { g_ptr_array_index (ids, 250 * i + 249), NULL };
      g_autofree char *name = g_strdup_printf ("db-%02u", i);
      g_autofree char *file = g_strdup_printf ("huge-%02u", i);
      g_autofree char *path = app_test_sqlite_db (file, rows);

      add_profile (&databases, name, (RetortTier) (i % 4), path);
    }
  check_profiles (project);

  /* hidden (as it is until the window shows it), the view makes no rows
   * and compares nothing */
  view = g_object_ref_sink (RETORT_ENVIRONMENTS_VIEW (retort_environments_view_new ()));
  start = g_get_monotonic_time ();
  retort_environments_view_set_project (view, project);
  retort_project_profiles_changed (project);
  elapsed = g_get_monotonic_time () - start;
  g_test_message ("set_project and a refresh, hidden, with %u × %u: %" G_GINT64_FORMAT " µs",
                  n_revisions, n_profiles, elapsed);
  collect_rows (GTK_WIDGET (view), row_widgets);
  g_assert_cmpuint (row_widgets->len, ==, 1);  /* the header */
  g_assert_null (gtk_widget_get_first_child (view_child (view, "summary_box")));
  g_ptr_array_set_size (row_widgets, 0);

  /* shown: the rows, the titles and the summary, all in the first frame */
  start = g_get_monotonic_time ();
  window = show_in_window (GTK_WIDGET (view), 1200, 800);
  elapsed = g_get_monotonic_time () - start - 100 * 1000;
  g_test_message ("first show with %u × %u: about %" G_GINT64_FORMAT " µs", n_revisions, n_profiles, elapsed);
  g_object_unref (view);
  titles = column_titles (view);
  g_assert_cmpuint (strlen (titles), ==, n_profiles * strlen ("db-00, ") - strlen (", "));
  g_assert_true (g_str_has_prefix (titles, "db-00, db-01, "));
  g_assert_nonnull (gtk_widget_get_first_child (view_child (view, "summary_box")));

  /* only the rows the list keeps exist, each of them one widget */
  collect_rows (GTK_WIDGET (view), row_widgets);
  n_widgets = count_widgets (GTK_WIDGET (view_child (view, "table")));
  g_test_message ("rows for %u × %u: %u, widgets in the table: %u",
                  n_revisions, n_profiles, row_widgets->len, n_widgets);
  g_assert_cmpuint (row_widgets->len, >, 1);
  g_assert_cmpuint (row_widgets->len, <, 300);
  g_assert_cmpuint (n_widgets, <, 300 * 3);

  /* a status change refreshes the bound cells and the summary only */
  start = g_get_monotonic_time ();
  retort_project_profiles_changed (project);
  elapsed = g_get_monotonic_time () - start;
  g_test_message ("profiles-changed refresh: %" G_GINT64_FORMAT " µs", elapsed);
  g_assert_cmpint (elapsed, <, G_USEC_PER_SEC);

  /* scroll to the base: every database has it, the newest ones by the top */
  adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (view_child (view, "table")));
  /* the list estimates the heights of rows it has not shown: go again
   * until the end stays put */
  for (guint i = 0; i < 10; i++)
    {
      double before = gtk_adjustment_get_value (adjustment);

      gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
      app_test_spin_for (200);
      if (i > 0 && gtk_adjustment_get_value (adjustment) == before)
        break;
    }
  cells = table_cells (view);
  {
    g_autofree char *base = retort_project_short_id (g_ptr_array_index (ids, 0));
    g_autofree char *expected = NULL;
    GString *all = g_string_new (NULL);

    for (guint i = 0; i < n_profiles; i++)
      g_string_append (all, "✓");
    expected = g_string_free (all, FALSE);
    g_assert_cmpstr (g_hash_table_lookup (cells, base), ==, expected);
  }
  app_test_screenshot (GTK_WIDGET (window), "environments-large");

  /* wider than the window: the titles scroll sideways with the rows */
  {
    GtkWidget *table = view_child (view, "table");
    GtkAdjustment *hadjustment = gtk_scrollable_get_hadjustment (GTK_SCROLLABLE (table));
    graphene_point_t header_at, rows_at;
    double page, upper;

    page = gtk_adjustment_get_page_size (hadjustment);
    upper = gtk_adjustment_get_upper (hadjustment);
    g_test_message ("table: %.0f px wide in %.0f", upper, page);
    g_assert_cmpfloat (upper, >, page);
    gtk_adjustment_set_value (hadjustment, upper - page);
    app_test_spin_for (100);
    g_assert_true (gtk_widget_compute_point (gtk_widget_get_first_child (table), table,
                                             &GRAPHENE_POINT_INIT (0, 0), &header_at));
    g_assert_true (gtk_widget_compute_point (gtk_widget_get_last_child (table), table,
                                             &GRAPHENE_POINT_INIT (0, 0), &rows_at));
    g_assert_cmpfloat (header_at.x, ==, rows_at.x);
    g_assert_cmpfloat (header_at.x, ==, -(upper - page));
    app_test_screenshot (GTK_WIDGET (window), "environments-large-scrolled");
  }

  gtk_window_destroy (window);
  teardown_databases (&databases);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  if (!app_test_init_a11y (&argc, &argv))
    return 0;
  gtk_source_init ();

  g_test_add_func ("/app/detail-pane/empty", test_detail_pane_empty);
  g_test_add_func ("/app/detail-pane/facts", test_detail_pane_facts);
  g_test_add_func ("/app/detail-pane/quick-switch", test_detail_pane_quick_switch);
  g_test_add_func ("/app/detail-pane/large-file", test_detail_pane_large_file);
  g_test_add_func ("/app/detail-pane/environments", test_detail_pane_environments);
  g_test_add_func ("/app/detail-pane/dark", test_detail_pane_dark);
  g_test_add_func ("/app/environments/table", test_environments_view);
  g_test_add_func ("/app/environments/large", test_environments_view_large);

  status = g_test_run ();
  app_test_cleanup ();
  gtk_source_finalize ();
  return status;
}
