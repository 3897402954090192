/* test-timeline.c — the timeline's rows: graph cells, pins and shading
 *
 * Loads a branched and merged fixture with RetortProject, binds a
 * RetortRevisionRow per position and checks what each graph cell is given
 * to draw: every line leaving a node must arrive at that revision's parent,
 * and lines must run on from row to row. Then the rows go into a
 * GtkListView in a window (light and dark screenshots), and SQLite
 * databases at different revisions give pins and applied/pending shading.
 * Screenshots land in $RETORT_BUILD_DIR/tests/app/screenshots/.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-timeline"

#include "config.h"

#include <string.h>

#include <adwaita.h>

#include "app-test-util.h"
#include "retort-app-config.h"
#include "retort-graph-cell.h"
#include "retort-profile.h"
#include "retort-project.h"
#include "retort-revision-row.h"

/* --- fixtures ------------------------------------------------------------ */

/* Three branches from one base (a branch point), two of them merged, a
 * revision that also depends on the third branch; two heads. */
#define BASE     "3f1c9a0b7d21"
#define EMAIL    "8a2e4b6c1d09"
#define ORDERS   "c47d2e9f0a13"
#define MERGE    "5b9e1f7a2c44"
#define INDEX    "e02a6d3b8f75"
#define FLAGS    "9d7c3a1e6b58"
#define AUDIT    "71f0c2d9e4a6"
#define CHECKOUT "4c8b2e7f1d30"

static const AppTestRevision branched[] = {
  { BASE, "None", "None", "None", "create users table", "create_users" },
  { EMAIL, "'" BASE "'", "None", "None", "add email to users", "add_email" },
  { ORDERS, "'" BASE "'", "('shop',)", "None", "add orders table", "add_orders" },
  { MERGE, "('" EMAIL "', '" ORDERS "')", "None", "None", "merge email and orders", "merge" },
  { INDEX, "'" MERGE "'", "None", "None", "add index on orders.created_at", "add_index" },
  { FLAGS, "'" BASE "'", "('flags',)", "None", "feature flags", "feature_flags" },
  { AUDIT, "'" FLAGS "'", "None", "None", "add flag audit table", "flag_audit" },
  { CHECKOUT, "'" INDEX "'", "None", "'" FLAGS "'", "gate checkout behind flags", "gate_checkout" },
};

static RetortProject *
load_branched (void)
{
  static char *folder;

  if (folder == NULL)
    folder = app_test_script_dir ("inventory", branched, G_N_ELEMENTS (branched));
  return app_test_load_project (folder);
}

/* --- looking at rows ----------------------------------------------------- */

static gpointer
row_child (RetortRevisionRow *row,
           const char        *name)
{
  return gtk_widget_get_template_child (GTK_WIDGET (row), RETORT_TYPE_REVISION_ROW, name);
}

/* The index-th child of a template box with the CSS class, shown or not;
 * NULL if the row never made it. */
static gpointer
box_child (RetortRevisionRow *row,
           const char        *box,
           const char        *css_class,
           guint              index)
{
  for (GtkWidget *c = gtk_widget_get_first_child (row_child (row, box)); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    if (gtk_widget_has_css_class (c, css_class) && index-- == 0)
      return c;
  return NULL;
}

/* a template child's text: a GtkLabel's, or the "label" of the row's
 * lazily laid out texts (id, message, date) */
static char *
child_text (RetortRevisionRow *row,
            const char        *name)
{
  char *text = NULL;

  g_object_get (row_child (row, name), "label", &text, NULL);
  return text;
}

static gpointer
pin_chip (RetortRevisionRow *row,
          guint              index)
{
  return box_child (row, "pins_box", "pin", index);
}

static gpointer
more_pins_button (RetortRevisionRow *row)
{
  return box_child (row, "pins_box", "more-pins", 0);
}

/* the chips in the labels box that are shown, as "a b +3" */
static char *
shown_branch_chips (RetortRevisionRow *row)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (GtkWidget *c = gtk_widget_get_first_child (row_child (row, "labels_box")); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    if (gtk_widget_get_visible (c))
      g_string_append_printf (text, "%s%s", text->len > 0 ? " " : "", gtk_label_get_label (GTK_LABEL (c)));
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* NULL when the accessible property has that value, else why not (the
 * tests run with GTK_A11Y=test, an in-process accessibility backend) */
static char *
accessible_mismatch (gpointer               widget,
                     GtkAccessibleProperty  property,
                     const char            *expected)
{
  return gtk_test_accessible_check_property (GTK_ACCESSIBLE (widget), property, expected);
}

static int
position_of (RetortProject *project,
             const char    *id)
{
  GListModel *revisions = retort_project_get_revisions (project);

  for (guint i = 0; i < g_list_model_get_n_items (revisions); i++)
    {
      g_autoptr(RetortRevision) revision = g_list_model_get_item (revisions, i);

      if (g_str_equal (retort_revision_get_id (revision), id))
        return (int) i;
    }
  g_assert_not_reached ();
}

static gboolean
has_lane (const guint *lanes,
          guint        n,
          guint        lane)
{
  for (guint i = 0; i < n; i++)
    if (lanes[i] == lane)
      return TRUE;
  return FALSE;
}

/* The lanes with a line at the top (edge = 0) or bottom (edge = 1) of a cell. */
static guint
edge_lanes (RetortGraphCell *cell,
            int              edge)
{
  guint n_ends, n_passing;
  const guint *ends = edge == 0 ? retort_graph_cell_get_incoming (cell, &n_ends)
                                : retort_graph_cell_get_outgoing (cell, &n_ends);
  const guint *passing = retort_graph_cell_get_passing (cell, &n_passing);
  guint mask = 0;

  for (guint i = 0; i < n_ends; i++)
    {
      g_assert_cmpuint (ends[i], <, 32);
      mask |= 1u << ends[i];
    }
  for (guint i = 0; i < n_passing; i++)
    {
      g_assert_cmpuint (passing[i], <, 32);
      g_assert_false (has_lane (ends, n_ends, passing[i]) && edge == 0);
      mask |= 1u << passing[i];
    }
  return mask;
}

static RetortRevisionRow *
new_row (void)
{
  return g_object_ref_sink (RETORT_REVISION_ROW (retort_revision_row_new ()));
}

/* --- tests --------------------------------------------------------------- */

/* Binds a row to every position and checks what each graph cell gets to
 * draw: one line per parent, lines that run on from row to row, each line
 * ending at its own parent's node, and as many lines arriving at a node as
 * revisions build on it. Returns the rows, bound. */
static GPtrArray *
bind_and_check_rows (RetortProject *project)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GHashTable) arriving = g_hash_table_new (g_str_hash, g_str_equal);
  RetortRevisionMap *map = retort_project_get_map (project);
  guint n = g_list_model_get_n_items (retort_project_get_revisions (project));
  guint max_lanes = retort_project_get_max_lanes (project);

  g_assert_cmpuint (n, >, 0);
  g_test_message ("%u revisions in %u lanes", n, max_lanes);

  for (guint i = 0; i < n; i++)
    {
      RetortRevisionRow *row = new_row ();
      RetortGraphCell *cell = retort_revision_row_get_graph_cell (row);
      const RetortTimelineRow *timeline_row = retort_project_get_timeline_row (project, i);
      RetortRevision *revision;
      guint n_incoming, n_outgoing, n_passing;
      const guint *outgoing;

      retort_revision_row_bind (row, project, i, NULL);
      g_ptr_array_add (rows, row);
      revision = retort_revision_row_get_revision (row);
      g_assert_true (revision == timeline_row->revision);

      retort_graph_cell_get_incoming (cell, &n_incoming);
      outgoing = retort_graph_cell_get_outgoing (cell, &n_outgoing);
      retort_graph_cell_get_passing (cell, &n_passing);
      if (n <= 20)
        g_test_message ("%u %.8s lane %u in %u out %u passing %u: %s", i,
                        retort_revision_get_id (revision), retort_graph_cell_get_lane (cell),
                        n_incoming, n_outgoing, n_passing, retort_graph_cell_get_description (cell));

      g_assert_cmpuint (retort_graph_cell_get_lane (cell), ==, timeline_row->lane);
      g_assert_cmpuint (retort_graph_cell_get_lane (cell), <, max_lanes);
      /* every cell as wide as the widest row */
      g_assert_cmpuint (retort_graph_cell_get_n_lanes (cell), ==, max_lanes);
      /* one line per parent, each to its own lane */
      g_assert_cmpuint (n_outgoing, ==, retort_revision_get_n_down_revisions (revision));
      for (guint a = 0; a < n_outgoing; a++)
        for (guint b = a + 1; b < n_outgoing; b++)
          g_assert_cmpuint (outgoing[a], !=, outgoing[b]);
      /* nothing comes in from above exactly when nothing builds on it */
      g_assert_cmpint (n_incoming == 0, ==, retort_revision_map_is_head (map, revision));
      /* no database selected: plain nodes, no shading */
      g_assert_cmpint (retort_graph_cell_get_node_style (cell), ==, RETORT_GRAPH_NODE_NONE);
      g_assert_false (retort_revision_row_get_pending (row));
    }

  /* Lines run on: what leaves the bottom of a row enters the top of the next. */
  g_assert_cmphex (edge_lanes (retort_revision_row_get_graph_cell (rows->pdata[0]), 0), ==, 0);
  for (guint i = 0; i + 1 < n; i++)
    g_assert_cmphex (edge_lanes (retort_revision_row_get_graph_cell (rows->pdata[i]), 1), ==,
                     edge_lanes (retort_revision_row_get_graph_cell (rows->pdata[i + 1]), 0));
  g_assert_cmphex (edge_lanes (retort_revision_row_get_graph_cell (rows->pdata[n - 1]), 1), ==, 0);

  /* Follow every line down from its node: it ends at that parent's node. */
  for (guint i = 0; i < n; i++)
    {
      RetortRevisionRow *row = rows->pdata[i];
      RetortRevision *revision = retort_revision_row_get_revision (row);
      const char * const *parents = retort_revision_get_down_revisions (revision);
      guint n_outgoing;
      const guint *outgoing = retort_graph_cell_get_outgoing (retort_revision_row_get_graph_cell (row),
                                                              &n_outgoing);

      for (guint p = 0; p < n_outgoing; p++)
        {
          const char *reached;
          guint j;

          for (j = i + 1; j < n; j++)
            {
              RetortGraphCell *below = retort_revision_row_get_graph_cell (rows->pdata[j]);
              guint n_in, n_pass;
              const guint *in = retort_graph_cell_get_incoming (below, &n_in);
              const guint *pass = retort_graph_cell_get_passing (below, &n_pass);

              if (has_lane (in, n_in, outgoing[p]))
                break;
              g_assert_true (has_lane (pass, n_pass, outgoing[p]));
            }
          g_assert_cmpuint (j, <, n);
          reached = retort_revision_get_id (retort_revision_row_get_revision (rows->pdata[j]));
          g_assert_cmpstr (reached, ==, parents[p]);
          g_hash_table_insert (arriving, (gpointer) reached,
                               GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (arriving, reached)) + 1));
        }
    }

  /* A branch point: a line from each child ends at it, however early the
   * lines join on the way down. */
  for (guint i = 0; i < n; i++)
    {
      RetortRevision *revision = retort_revision_row_get_revision (rows->pdata[i]);
      g_autoptr(GPtrArray) children = retort_revision_map_get_children (map, revision);

      g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (arriving, retort_revision_get_id (revision))),
                        ==, children->len);
    }

  return g_steal_pointer (&rows);
}

/* The branched fixture, row by row. */
static void
test_timeline_lanes (void)
{
  g_autoptr(RetortProject) project = load_branched ();
  g_autoptr(GPtrArray) rows = NULL;
  guint n = g_list_model_get_n_items (retort_project_get_revisions (project));
  guint signal_id = g_signal_lookup ("profiles-changed", RETORT_TYPE_PROJECT);

  g_assert_cmpuint (n, ==, G_N_ELEMENTS (branched));
  g_assert_cmpuint (retort_project_get_max_lanes (project), ==, 3);
  rows = bind_and_check_rows (project);

  /* The merge: two lines leave it, to two lanes. */
  {
    RetortRevisionRow *row = rows->pdata[position_of (project, MERGE)];
    RetortGraphCell *cell = retort_revision_row_get_graph_cell (row);
    guint n_outgoing;

    retort_graph_cell_get_outgoing (cell, &n_outgoing);
    g_assert_cmpuint (n_outgoing, ==, 2);
    g_assert_nonnull (strstr (retort_graph_cell_get_description (cell), "Merge of 2 branches"));
  }
  {
    RetortGraphCell *cell = retort_revision_row_get_graph_cell (rows->pdata[position_of (project, BASE)]);
    guint n_outgoing;

    retort_graph_cell_get_outgoing (cell, &n_outgoing);
    g_assert_cmpuint (n_outgoing, ==, 0);
    g_assert_cmpuint (position_of (project, BASE), ==, n - 1);
    g_assert_nonnull (strstr (retort_graph_cell_get_description (cell), "Base revision"));
    g_assert_nonnull (strstr (retort_graph_cell_get_description (cell), "branch point of 3 branches"));
  }
  {
    RetortGraphCell *cell = retort_revision_row_get_graph_cell (rows->pdata[position_of (project, AUDIT)]);

    g_assert_cmpstr (retort_graph_cell_get_description (cell), ==, "Revision, head");
  }

  /* The text beside the graph: depends_on as a chip, labels, head marker. */
  {
    RetortRevisionRow *row = rows->pdata[position_of (project, CHECKOUT)];
    GtkWidget *depends = row_child (row, "depends_label");
    g_autofree char *id = child_text (row, "id_label");
    g_autofree char *date = child_text (row, "date_label");

    g_assert_true (gtk_widget_get_visible (depends));
    g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (depends)), ==, "needs 9d7c3a1e");
    /* the tooltip is made when asked for; screen readers have it at once */
    g_assert_null (gtk_widget_get_tooltip_text (depends));
    g_assert_true (gtk_widget_get_has_tooltip (depends));
    g_assert_null (accessible_mismatch (depends, GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, "Depends on " FLAGS));
    g_assert_cmpstr (gtk_stack_get_visible_child_name (row_child (row, "head_stack")), ==, "head");
    g_assert_cmpstr (id, ==, "4c8b2e7f");
    g_assert_cmpstr (date, ==, "2024-03-08");
  }
  {
    RetortRevisionRow *row = rows->pdata[position_of (project, ORDERS)];
    GtkWidget *chip = gtk_widget_get_first_child (row_child (row, "labels_box"));
    g_autofree char *message = child_text (row, "message_label");

    g_assert_false (gtk_widget_get_visible (row_child (row, "depends_label")));
    g_assert_nonnull (chip);
    g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (chip)), ==, "shop");
    g_assert_null (gtk_widget_get_tooltip_text (chip));
    g_assert_cmpstr (message, ==, "add orders table");
    g_assert_cmpstr (gtk_stack_get_visible_child_name (row_child (row, "head_stack")), ==, "none");
  }

  /* A project without databases: no pins, and none made. */
  g_assert_false (gtk_widget_get_visible (row_child (rows->pdata[0], "pins_box")));
  g_assert_null (gtk_widget_get_first_child (row_child (rows->pdata[0], "pins_box")));

  /* Bound rows listen to the project; unbound rows no longer do. */
  g_assert_true (g_signal_has_handler_pending (project, signal_id, 0, FALSE));
  for (guint i = 0; i < n; i++)
    retort_revision_row_unbind (rows->pdata[i]);
  g_assert_false (g_signal_has_handler_pending (project, signal_id, 0, FALSE));
  g_assert_null (retort_revision_row_get_revision (rows->pdata[0]));
}

typedef struct
{
  RetortProject *project;
  RetortProfile *selected;
} ListData;

static GtkWindow *show_list (ListData     *data,
                             int           height,
                             GtkListView **list_out);

/* Ids like Alembic's: 12 hex digits. */
static char *
fake_id (const char *seed,
         guint       i)
{
  g_autofree char *text = g_strdup_printf ("%s %u", seed, i);
  g_autofree char *sha = g_compute_checksum_for_string (G_CHECKSUM_SHA1, text, -1);

  return g_strndup (sha, 12);
}

/* Random histories: each revision builds on a random earlier one (a new
 * branch) or on the newest, and now and then merges two heads. The lanes
 * of every one of them must draw the graph it came from. */
static void
test_timeline_random_graphs (void)
{
  const guint n_graphs = 12;
  const guint n_revisions = 40;

  for (guint graph = 0; graph < n_graphs; graph++)
    {
      g_autoptr(GRand) rand = g_rand_new_with_seed (20240611 + graph);
      g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(GPtrArray) heads = g_ptr_array_new ();  /* borrowed from ids */
      g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);  /* the rest revisions point to */
      g_autoptr(GArray) revisions = g_array_sized_new (FALSE, FALSE, sizeof (AppTestRevision), n_revisions);
      g_autofree char *name = g_strdup_printf ("random-%u", graph);
      g_autofree char *seed = g_strdup_printf ("graph %u", graph);
      g_autofree char *folder = NULL;
      g_autoptr(RetortProject) project = NULL;
      g_autoptr(GPtrArray) rows = NULL;
      guint merges = 0;

      for (guint i = 0; i < n_revisions; i++)
        {
          char *id = fake_id (seed, i);
          char *down = NULL;
          char *message = g_strdup_printf ("step %u", i + 1);
          char *slug = g_strdup_printf ("step_%u", i + 1);
          AppTestRevision revision = { id, NULL, "None", "None", message, slug };

          if (i == 0)
            down = g_strdup ("None");
          else if (heads->len >= 2 && g_rand_double (rand) < 0.25)
            {
              /* two heads are never ancestors of one another */
              guint a = g_rand_int_range (rand, 0, heads->len);
              guint b = (a + g_rand_int_range (rand, 1, heads->len)) % heads->len;
              const char *first = heads->pdata[a];
              const char *second = heads->pdata[b];

              down = g_strdup_printf ("('%s', '%s')", first, second);
              g_ptr_array_remove (heads, (gpointer) first);
              g_ptr_array_remove (heads, (gpointer) second);
              merges++;
            }
          else
            {
              const char *parent = g_rand_double (rand) < 0.3
                                   ? ids->pdata[g_rand_int_range (rand, 0, ids->len)]
                                   : ids->pdata[ids->len - 1];

              down = g_strdup_printf ("'%s'", parent);
              g_ptr_array_remove (heads, (gpointer) parent);
            }
          g_ptr_array_add (ids, id);
          g_ptr_array_add (heads, id);
          g_ptr_array_add (texts, down);
          g_ptr_array_add (texts, message);
          g_ptr_array_add (texts, slug);
          revision.down_revision = down;
          g_array_append_val (revisions, revision);
        }

      folder = app_test_script_dir (name, (const AppTestRevision *) revisions->data, revisions->len);
      project = app_test_load_project (folder);
      g_test_message ("graph %u: %u heads, %u merges", graph, heads->len, merges);
      rows = bind_and_check_rows (project);
      g_assert_cmpuint (rows->len, ==, n_revisions);
      for (guint i = 0; i < rows->len; i++)
        retort_revision_row_unbind (rows->pdata[i]);

      if (graph == 0)
        {
          ListData data = { project, NULL };
          GtkListView *list;
          GtkWindow *window = show_list (&data, 40 * 32, &list);

          app_test_screenshot (GTK_WIDGET (window), "timeline-random");
          gtk_window_destroy (window);
        }
    }
}

/* The demo project of the repository. */
static void
test_timeline_demo (void)
{
  g_autoptr(RetortProject) project = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  ListData data = { NULL, NULL };
  GtkListView *list;
  GtkWindow *window;

  if (!g_file_test (RETORT_DEMO_DIR, G_FILE_TEST_IS_DIR))
    {
      g_test_skip ("no demo script directory at " RETORT_DEMO_DIR);
      return;
    }
  project = app_test_load_project (RETORT_DEMO_DIR);
  rows = bind_and_check_rows (project);
  for (guint i = 0; i < rows->len; i++)
    retort_revision_row_unbind (rows->pdata[i]);

  data.project = project;
  window = show_list (&data, 340, &list);
  app_test_screenshot (GTK_WIDGET (window), "timeline-demo");
  gtk_window_destroy (window);
}

/* Recycled rows: rebinding one row over and over is cheap and leaves
 * nothing behind from the revision before. */
static void
test_timeline_rebind (void)
{
  g_autoptr(RetortProject) project = load_branched ();
  g_autoptr(RetortRevisionRow) row = new_row ();
  guint n = g_list_model_get_n_items (retort_project_get_revisions (project));
  guint signal_id = g_signal_lookup ("profiles-changed", RETORT_TYPE_PROJECT);
  const guint rounds = 2000;
  gint64 start;
  gint64 elapsed;

  start = g_get_monotonic_time ();
  for (guint r = 0; r < rounds; r++)
    {
      retort_revision_row_bind (row, project, r % n, NULL);
      retort_revision_row_unbind (row);
    }
  elapsed = g_get_monotonic_time () - start;
  g_test_message ("bind + unbind: %.1f µs", (double) elapsed / rounds);
  /* About 5 µs in a release build, 20 µs in a debug one. The bound still
   * catches a widget made per bind or a walk of the graph. AddressSanitizer
   * with full stacks on every malloc (tests/app/meson.build) makes each
   * allocation cost microseconds: about 250 µs there, and 700 µs before
   * tooltips were made on demand. */
#ifdef __SANITIZE_ADDRESS__
  g_assert_cmpint (elapsed / rounds, <, 1000);
#else
  g_assert_cmpint (elapsed / rounds, <, 250);
#endif
  g_assert_false (g_signal_has_handler_pending (project, signal_id, 0, FALSE));
  /* from a revision with a depends chip and labels to one without */
  retort_revision_row_bind (row, project, position_of (project, CHECKOUT), NULL);
  g_assert_true (gtk_widget_get_visible (row_child (row, "depends_label")));
  retort_revision_row_bind (row, project, position_of (project, FLAGS), NULL);
  g_assert_false (gtk_widget_get_visible (row_child (row, "depends_label")));
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (gtk_widget_get_first_child (row_child (row, "labels_box")))),
                   ==, "flags");
  retort_revision_row_bind (row, project, position_of (project, MERGE), NULL);
  {
    const char * const *labels = retort_revision_map_get_branch_labels (retort_project_get_map (project),
                                                                         retort_revision_row_get_revision (row));
    g_autofree char *joined = labels != NULL ? g_strjoinv (" ", (char **) labels) : g_strdup ("");
    g_autofree char *shown = shown_branch_chips (row);

    /* two labels at most here: all of them shown */
    g_assert_cmpuint (labels != NULL ? g_strv_length ((char **) labels) : 0, <=, 2);
    g_assert_cmpstr (shown, ==, joined);
    g_assert_true (gtk_widget_get_visible (row_child (row, "labels_box")) == (labels != NULL && labels[0] != NULL));
  }
  /* from labels to none: the box goes */
  retort_revision_row_bind (row, project, position_of (project, BASE), NULL);
  g_assert_false (gtk_widget_get_visible (row_child (row, "labels_box")));
  /* the id, message and date are as wide whatever they say: a jump through
   * the list rebinds two hundred rows, and none of them is measured again */
  {
    const char *texts[] = { "id_label", "message_label", "date_label" };
    int widths[G_N_ELEMENTS (texts)][2];

    for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
      gtk_widget_measure (row_child (row, texts[i]), GTK_ORIENTATION_HORIZONTAL, -1,
                          &widths[i][0], &widths[i][1], NULL, NULL);
    retort_revision_row_bind (row, project, position_of (project, INDEX), NULL);
    for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
      {
        int minimum, natural;

        gtk_widget_measure (row_child (row, texts[i]), GTK_ORIENTATION_HORIZONTAL, -1, &minimum, &natural, NULL, NULL);
        g_assert_cmpint (minimum, ==, widths[i][0]);
        g_assert_cmpint (natural, ==, widths[i][1]);
        g_assert_cmpint (natural, >, 0);
      }
  }
  /* bound three times without an unbind: still one handler */
  g_assert_cmpuint (g_signal_handlers_block_matched (project, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, row), ==, 1);
  g_signal_handlers_unblock_matched (project, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, row);
  retort_revision_row_unbind (row);
  g_assert_false (g_signal_has_handler_pending (project, signal_id, 0, FALSE));
}

/* --- the list in a window ------------------------------------------------ */

static void
setup_row_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *list_item,
              ListData                 *data)
{
  gtk_list_item_set_child (list_item, retort_revision_row_new ());
}

static void
bind_row_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *list_item,
             ListData                 *data)
{
  retort_revision_row_bind (RETORT_REVISION_ROW (gtk_list_item_get_child (list_item)),
                            data->project, gtk_list_item_get_position (list_item), data->selected);
}

static void
unbind_row_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *list_item,
               ListData                 *data)
{
  retort_revision_row_unbind (RETORT_REVISION_ROW (gtk_list_item_get_child (list_item)));
}

/* A window like the main one's timeline: a GtkListView of rows. */
static GtkWindow *
show_list (ListData     *data,
           int           height,
           GtkListView **list_out)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  GtkSelectionModel *selection;
  GtkWidget *scroller;
  GtkWidget *list;
  GtkWindow *window;

  g_signal_connect (factory, "setup", G_CALLBACK (setup_row_cb), data);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row_cb), data);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_row_cb), data);
  selection = GTK_SELECTION_MODEL (gtk_no_selection_new (g_object_ref (retort_project_get_revisions (data->project))));
  list = gtk_list_view_new (selection, g_object_ref (factory));
  /* the window's list has the class; separators would break the lines, so
   * the stylesheet must take them away */
  gtk_list_view_set_show_separators (GTK_LIST_VIEW (list), TRUE);
  gtk_widget_add_css_class (list, "timeline");

  scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), list);

  window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (window, 860, height);
  gtk_window_set_child (window, scroller);
  app_test_show (window);
  app_test_spin_for (300);
  *list_out = GTK_LIST_VIEW (list);
  return window;
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
        {
          if (retort_revision_row_get_revision (RETORT_REVISION_ROW (c)) != NULL)
            g_ptr_array_add (rows, c);
        }
      else
        collect_rows (c, rows);
    }
}

static RetortRevisionRow *
find_row (GtkListView *list,
          const char  *id)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  collect_rows (GTK_WIDGET (list), rows);
  for (guint i = 0; i < rows->len; i++)
    if (g_str_equal (retort_revision_get_id (retort_revision_row_get_revision (rows->pdata[i])), id))
      return rows->pdata[i];
  return NULL;
}

/* The graph in a list: cells meet edge to edge, colours follow the style. */
static void
test_timeline_list (void)
{
  g_autoptr(RetortProject) project = load_branched ();
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  ListData data = { project, NULL };
  AdwStyleManager *style = adw_style_manager_get_default ();
  GtkListView *list;
  GtkWindow *window;
  GdkRGBA light, dark;
  guint n = g_list_model_get_n_items (retort_project_get_revisions (project));

  window = show_list (&data, 340, &list);
  collect_rows (GTK_WIDGET (list), rows);
  g_assert_cmpuint (rows->len, ==, n);

  /* In list order, each cell's bottom edge is the next cell's top edge, and
   * each cell is as high as its row: the lines cannot break. */
  for (guint i = 0; i < n; i++)
    {
      RetortRevisionRow *row = find_row (list, retort_revision_get_id (retort_project_get_timeline_row (project, i)->revision));
      RetortGraphCell *cell = retort_revision_row_get_graph_cell (row);
      graphene_rect_t bounds;

      g_assert_nonnull (row);
      g_assert_true (gtk_widget_compute_bounds (GTK_WIDGET (cell), GTK_WIDGET (list), &bounds));
      g_assert_cmpfloat (bounds.size.width, ==, retort_project_get_max_lanes (project) * 16);
      g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (cell)), ==, gtk_widget_get_height (GTK_WIDGET (row)));
      if (i > 0)
        {
          RetortRevisionRow *above = find_row (list, retort_revision_get_id (retort_project_get_timeline_row (project, i - 1)->revision));
          graphene_rect_t above_bounds;

          g_assert_true (gtk_widget_compute_bounds (GTK_WIDGET (retort_revision_row_get_graph_cell (above)),
                                                    GTK_WIDGET (list), &above_bounds));
          g_assert_cmpfloat_with_epsilon (above_bounds.origin.y + above_bounds.size.height,
                                          bounds.origin.y, 0.01);
        }
    }

  /* Lane colours come from the stylesheet, and differ in the dark style. */
  retort_graph_cell_get_lane_color (retort_revision_row_get_graph_cell (rows->pdata[0]), 0, &light);
  app_test_screenshot (GTK_WIDGET (window), "timeline");

  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  app_test_spin_for (200);
  retort_graph_cell_get_lane_color (retort_revision_row_get_graph_cell (rows->pdata[0]), 0, &dark);
  g_assert_false (gdk_rgba_equal (&light, &dark));
  app_test_screenshot (GTK_WIDGET (window), "timeline-dark");
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
  app_test_spin_for (100);

  gtk_window_destroy (window);
}

/* --- databases: pins and shading ----------------------------------------- */

static gboolean
profiles_checked (gpointer data)
{
  GListModel *profiles = data;

  for (guint i = 0; i < g_list_model_get_n_items (profiles); i++)
    {
      g_autoptr(RetortProfile) profile = g_list_model_get_item (profiles, i);
      RetortProfileState state = retort_profile_get_state (profile);

      if (state == RETORT_PROFILE_STATE_UNCHECKED || state == RETORT_PROFILE_STATE_CHECKING)
        return FALSE;
    }
  return TRUE;
}

static gboolean
popover_mapped (gpointer data)
{
  return gtk_widget_get_mapped (GTK_WIDGET (data)) && gtk_widget_get_width (GTK_WIDGET (data)) > 0;
}

static guint
n_visible_pins (RetortRevisionRow *row)
{
  guint n = 0;

  for (guint i = 0; pin_chip (row, i) != NULL; i++)
    if (gtk_widget_get_visible (pin_chip (row, i)))
      n++;
  return n;
}

static RetortGraphNodeStyle
node_style (GtkListView *list,
            const char  *id)
{
  RetortRevisionRow *row = find_row (list, id);

  g_assert_nonnull (row);
  return retort_graph_cell_get_node_style (retort_revision_row_get_graph_cell (row));
}

static void
test_timeline_pins (void)
{
  g_autoptr(RetortProject) project = load_branched ();
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) retort_profile_entry_free);
  struct {
    const char *name;
    RetortTier  tier;
    const char *rows[3];
  } databases[] = {
    /* both heads: two rows */
    { "dev-local", RETORT_TIER_DEVELOPMENT, { CHECKOUT, AUDIT, NULL } },
    { "staging-eu", RETORT_TIER_STAGING, { INDEX, NULL } },
    { "production", RETORT_TIER_PRODUCTION, { INDEX, NULL } },
    { "qa", RETORT_TIER_OTHER, { INDEX, NULL } },
    { "demo", RETORT_TIER_OTHER, { INDEX, NULL } },
    { "analytics", RETORT_TIER_OTHER, { EMAIL, NULL } },
  };
  GListStore *store = retort_project_get_profile_store (project);
  ListData data = { project, NULL };
  RetortProfile *staging = NULL;
  RetortRevisionRow *row;
  GtkListView *list;
  GtkWindow *window;

  for (guint i = 0; i < G_N_ELEMENTS (databases); i++)
    {
      RetortProfileEntry *entry = g_new0 (RetortProfileEntry, 1);
      g_autoptr(RetortProfile) profile = NULL;
      g_autofree char *path = app_test_sqlite_db (databases[i].name, databases[i].rows);

      entry->id = g_strdup (databases[i].name);
      entry->name = g_strdup (databases[i].name);
      entry->url = g_strconcat ("sqlite:///", path, NULL);
      entry->tier = databases[i].tier;
      g_ptr_array_add (entries, entry);

      profile = retort_profile_new (entry);
      retort_profile_check (profile, retort_project_get_map (project), NULL, "alembic_version", 10000);
      g_list_store_append (store, profile);
      if (databases[i].tier == RETORT_TIER_STAGING)
        staging = profile;
    }
  g_assert_true (app_test_spin_until (profiles_checked, store, 30000, NULL));
  for (guint i = 0; i < G_N_ELEMENTS (databases); i++)
    {
      g_autoptr(RetortProfile) profile = g_list_model_get_item (G_LIST_MODEL (store), i);

      g_test_message ("%s: %s", retort_profile_get_name (profile), retort_profile_get_status_message (profile));
      g_assert_nonnull (retort_profile_get_rows (profile));
    }

  /* No database selected: pins, but no shading. */
  window = show_list (&data, 340, &list);

  row = find_row (list, INDEX);  /* four databases: two pins and "+2" */
  g_assert_true (gtk_widget_get_visible (row_child (row, "pins_box")));
  g_assert_cmpuint (n_visible_pins (row), ==, 2);
  g_assert_cmpstr (gtk_label_get_label (pin_chip (row, 0)), ==, "staging-eu");
  g_assert_true (gtk_widget_has_css_class (pin_chip (row, 0), "tier-staging"));
  g_assert_cmpstr (gtk_label_get_label (pin_chip (row, 1)), ==, "production");
  g_assert_true (gtk_widget_has_css_class (pin_chip (row, 1), "tier-production"));
  g_assert_false (gtk_widget_has_css_class (pin_chip (row, 1), "tier-staging"));
  g_assert_null (gtk_widget_get_tooltip_text (pin_chip (row, 0)));
  g_assert_nonnull (more_pins_button (row));
  g_assert_true (gtk_widget_get_visible (more_pins_button (row)));
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (gtk_menu_button_get_child (more_pins_button (row)))), ==, "+2");
  {
    g_auto(GStrv) names = retort_revision_row_get_pin_names (row);
    g_autofree char *joined = g_strjoinv (",", names);

    g_assert_cmpstr (joined, ==, "staging-eu,production,qa,demo");
  }

  /* the "+2" popover lists all four */
  gtk_menu_button_popup (more_pins_button (row));
  {
    GtkWidget *popover = GTK_WIDGET (gtk_menu_button_get_popover (more_pins_button (row)));
    GtkWidget *box = gtk_popover_get_child (GTK_POPOVER (popover));
    guint n_pins = 0;

    g_assert_nonnull (popover);
    g_assert_true (gtk_widget_get_visible (popover));
    g_assert_true (app_test_spin_until (popover_mapped, popover, 10000, NULL));
    for (GtkWidget *c = gtk_widget_get_first_child (box); c != NULL; c = gtk_widget_get_next_sibling (c))
      n_pins++;
    g_assert_cmpuint (n_pins, ==, 4);
    app_test_screenshot (popover, "timeline-pins-popover");
    gtk_menu_button_popdown (more_pins_button (row));
  }

  row = find_row (list, AUDIT);  /* one database, one pin */
  g_assert_cmpuint (n_visible_pins (row), ==, 1);
  g_assert_cmpstr (gtk_label_get_label (pin_chip (row, 0)), ==, "dev-local");
  g_assert_true (gtk_widget_has_css_class (pin_chip (row, 0), "tier-development"));
  g_assert_true (more_pins_button (row) == NULL || !gtk_widget_get_visible (more_pins_button (row)));
  row = find_row (list, MERGE);  /* none */
  g_assert_false (gtk_widget_get_visible (row_child (row, "pins_box")));
  g_assert_cmpint (node_style (list, INDEX), ==, RETORT_GRAPH_NODE_NONE);
  app_test_screenshot (GTK_WIDGET (window), "timeline-pins");

  /* Staging selected: at the index, the merge below is applied, the head
   * above and the flags branch are pending. */
  data.selected = staging;
  {
    g_autoptr(GPtrArray) rows = g_ptr_array_new ();

    collect_rows (GTK_WIDGET (list), rows);
    for (guint i = 0; i < rows->len; i++)
      retort_revision_row_set_selected_profile (rows->pdata[i], staging);
  }
  g_assert_cmpint (node_style (list, INDEX), ==, RETORT_GRAPH_NODE_CURRENT);
  g_assert_cmpint (node_style (list, MERGE), ==, RETORT_GRAPH_NODE_APPLIED);
  g_assert_cmpint (node_style (list, BASE), ==, RETORT_GRAPH_NODE_APPLIED);
  g_assert_cmpint (node_style (list, CHECKOUT), ==, RETORT_GRAPH_NODE_PENDING);
  g_assert_cmpint (node_style (list, FLAGS), ==, RETORT_GRAPH_NODE_PENDING);
  g_assert_true (retort_revision_row_get_pending (find_row (list, CHECKOUT)));
  g_assert_false (retort_revision_row_get_pending (find_row (list, INDEX)));
  g_assert_false (retort_revision_row_get_pending (find_row (list, MERGE)));
  g_assert_nonnull (strstr (retort_graph_cell_get_description (retort_revision_row_get_graph_cell (find_row (list, FLAGS))),
                            "pending"));
  app_test_screenshot (GTK_WIDGET (window), "timeline-staging");

  /* Staging moves on to the head (its table is rewritten and re-read): the
   * rows hear "profiles-changed" and update while bound. */
  {
    const char *rows[] = { CHECKOUT, NULL };

    g_free (app_test_sqlite_db ("staging-eu", rows));
  }
  retort_profile_check (staging, retort_project_get_map (project), NULL, "alembic_version", 10000);
  g_assert_true (app_test_spin_until (profiles_checked, store, 30000, NULL));
  retort_project_profiles_changed (project);
  g_assert_cmpint (node_style (list, CHECKOUT), ==, RETORT_GRAPH_NODE_CURRENT);
  g_assert_cmpint (node_style (list, INDEX), ==, RETORT_GRAPH_NODE_APPLIED);
  g_assert_cmpint (node_style (list, FLAGS), ==, RETORT_GRAPH_NODE_APPLIED);  /* CHECKOUT depends on it */
  g_assert_cmpint (node_style (list, AUDIT), ==, RETORT_GRAPH_NODE_PENDING);
  g_assert_false (retort_revision_row_get_pending (find_row (list, CHECKOUT)));
  row = find_row (list, INDEX);  /* three databases left there: three pins, no button */
  g_assert_cmpuint (n_visible_pins (row), ==, 3);
  g_assert_false (gtk_widget_get_visible (more_pins_button (row)));
  row = find_row (list, CHECKOUT);
  g_assert_cmpuint (n_visible_pins (row), ==, 2);

  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
  app_test_spin_for (200);
  app_test_screenshot (GTK_WIDGET (window), "timeline-staging-dark");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);

  gtk_window_destroy (window);
  app_test_spin_for (100);
  g_list_store_remove_all (store);
}

/* A revision with many long labels, a long dependency list and a long
 * message: two label chips and "+N", and a row that still fits a narrow
 * window (the benchmark's project once made the window 1,491 px wide). */
static const AppTestRevision crowded[] = {
  { BASE, "None", "('inventory-service-core', 'payments-and-billing', 'reporting-warehouse', "
                  "'customer-notifications', 'search-indexing', 'feature-flags', 'audit-trail')",
    "None", "create users table", "create_users" },
  { EMAIL, "'" BASE "'", "None", "None", "add email to users", "add_email" },
  { ORDERS, "'" EMAIL "'", "None", "('" BASE "', '" EMAIL "')",
    "add an orders table with a very long message that goes on and on well past any window's edge",
    "add_orders" },
};

/* The row's minimum width, and what it is made of (in the log). */
static int
row_minimum_width (RetortRevisionRow *row)
{
  int minimum;

  for (GtkWidget *c = gtk_widget_get_first_child (GTK_WIDGET (row)); c != NULL; c = gtk_widget_get_next_sibling (c))
    if (gtk_widget_get_visible (c))
      {
        g_auto(GStrv) classes = gtk_widget_get_css_classes (c);
        int child_minimum, child_natural;

        gtk_widget_measure (c, GTK_ORIENTATION_HORIZONTAL, -1, &child_minimum, &child_natural, NULL, NULL);
        g_test_message ("  %s%s%s: minimum %d, natural %d", G_OBJECT_TYPE_NAME (c),
                        classes[0] != NULL ? "." : "", classes[0] != NULL ? classes[0] : "",
                        child_minimum, child_natural);
      }
  gtk_widget_measure (GTK_WIDGET (row), GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
  return minimum;
}

static void
test_timeline_narrow (void)
{
  g_autofree char *folder = app_test_script_dir ("crowded", crowded, G_N_ELEMENTS (crowded));
  g_autoptr(RetortProject) project = app_test_load_project (folder);
  g_autoptr(RetortRevisionRow) row = new_row ();
  int minimum, natural;

  /* the base: seven labels, two of them shown, the rest behind "+5" */
  retort_revision_row_bind (row, project, position_of (project, BASE), NULL);
  {
    g_autofree char *shown = shown_branch_chips (row);
    GtkWidget *more = gtk_widget_get_last_child (row_child (row, "labels_box"));

    g_test_message ("chips: %s", shown);
    g_assert_cmpstr (shown, ==, "audit-trail customer-notifications +5");
    g_assert_true (gtk_widget_get_has_tooltip (row_child (row, "labels_box")));
    g_assert_null (gtk_widget_get_tooltip_text (more));
    g_assert_null (accessible_mismatch (more, GTK_ACCESSIBLE_PROPERTY_LABEL,
                                        "5 more branch labels: feature-flags, inventory-service-core, "
                                        "payments-and-billing, reporting-warehouse, search-indexing"));
  }
  /* id, date, the head's slot and the spacing take about 280 px whatever
   * the revision; ellipsized chips add little to that */
  minimum = row_minimum_width (row);
  g_test_message ("row with seven labels: minimum %d px", minimum);
  g_assert_cmpint (minimum, <=, 460);

  /* a long message and two dependencies: the message gives way first */
  retort_revision_row_bind (row, project, position_of (project, ORDERS), NULL);
  g_assert_true (gtk_widget_get_visible (row_child (row, "depends_label")));
  minimum = row_minimum_width (row);
  gtk_widget_measure (GTK_WIDGET (row), GTK_ORIENTATION_HORIZONTAL, -1, NULL, &natural, NULL, NULL);
  g_test_message ("row with a long message: minimum %d, natural %d px", minimum, natural);
  g_assert_cmpint (minimum, <=, 460);
  g_assert_cmpint (natural, >, 600);

  /* back to a row with fewer labels: the "+N" chip hides, and the two
   * label chips are reused (EMAIL is on no labelled branch of its own but
   * inherits the base's) */
  retort_revision_row_bind (row, project, position_of (project, EMAIL), NULL);
  {
    const char * const *labels = retort_revision_map_get_branch_labels (retort_project_get_map (project),
                                                                         retort_revision_row_get_revision (row));
    guint n_children = 0;

    g_test_message ("EMAIL has %u labels", labels != NULL ? g_strv_length ((char **) labels) : 0);
    for (GtkWidget *c = gtk_widget_get_first_child (row_child (row, "labels_box")); c != NULL;
         c = gtk_widget_get_next_sibling (c))
      n_children++;
    g_assert_cmpuint (n_children, <=, 3);
  }
  retort_revision_row_unbind (row);

  /* in a list, wide and then narrow: the message gives way, then the chips */
  {
    ListData data = { project, NULL };
    GtkListView *list;
    GtkWindow *window = show_list (&data, 140, &list);

    app_test_screenshot (GTK_WIDGET (window), "timeline-crowded");
    gtk_window_set_default_size (window, 470, 140);
    app_test_spin_for (300);
    g_test_message ("narrow window: %d px", gtk_widget_get_width (GTK_WIDGET (window)));
    g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (window)), <=, 480);
    app_test_screenshot (GTK_WIDGET (window), "timeline-narrow");
    gtk_window_destroy (window);
  }
}

int
main (int   argc,
      char *argv[])
{
  int status;

  if (!app_test_init_a11y (&argc, &argv))
    return 0;

  g_test_add_func ("/app/timeline/lanes", test_timeline_lanes);
  g_test_add_func ("/app/timeline/random-graphs", test_timeline_random_graphs);
  g_test_add_func ("/app/timeline/demo", test_timeline_demo);
  g_test_add_func ("/app/timeline/rebind", test_timeline_rebind);
  g_test_add_func ("/app/timeline/list", test_timeline_list);
  g_test_add_func ("/app/timeline/pins", test_timeline_pins);
  g_test_add_func ("/app/timeline/narrow", test_timeline_narrow);

  status = g_test_run ();
  app_test_cleanup ();
  return status;
}
