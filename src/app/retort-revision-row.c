/* retort-revision-row.c — one line of the revision list
 *
 * Rows are recycled by the GtkListView: a handful of them show thousands of
 * revisions, so bind must be cheap and must reset everything it sets.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "retort-revision-row"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "retort-project.h"
#include "retort-revision-row.h"

struct _RetortRevisionRow
{
  GtkWidget       parent_instance;

  RetortRevision *revision;

  /* template children */
  GtkLabel       *id_label;
  GtkLabel       *message_label;
  GtkBox         *labels_box;
  GtkStack       *head_stack;
  GtkLabel       *head_label;
  GtkLabel       *date_label;
};

G_DEFINE_FINAL_TYPE (RetortRevisionRow, retort_revision_row, GTK_TYPE_WIDGET)

static void
clear_labels (RetortRevisionRow *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->labels_box))) != NULL)
    gtk_box_remove (self->labels_box, child);
}

/* The message is the docstring's first paragraph; a paragraph wrapped over
 * several lines reads as one line here. */
static char *
one_line (const char *text)
{
  g_autoptr(GString) line = NULL;
  gboolean space = FALSE;

  if (text == NULL)
    return NULL;
  line = g_string_new (NULL);
  for (const char *p = text; *p != '\0'; p++)
    {
      if (g_ascii_isspace (*p))
        space = TRUE;
      else
        {
          if (space && line->len > 0)
            g_string_append_c (line, ' ');
          space = FALSE;
          g_string_append_c (line, *p);
        }
    }
  return g_string_free (g_steal_pointer (&line), FALSE);
}

static void
retort_revision_row_dispose (GObject *object)
{
  RetortRevisionRow *self = RETORT_REVISION_ROW (object);

  g_clear_object (&self->revision);
  gtk_widget_dispose_template (GTK_WIDGET (self), RETORT_TYPE_REVISION_ROW);

  G_OBJECT_CLASS (retort_revision_row_parent_class)->dispose (object);
}

static void
retort_revision_row_class_init (RetortRevisionRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = retort_revision_row_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/ui/retort-revision-row.ui");
  gtk_widget_class_bind_template_child (widget_class, RetortRevisionRow, id_label);
  gtk_widget_class_bind_template_child (widget_class, RetortRevisionRow, message_label);
  gtk_widget_class_bind_template_child (widget_class, RetortRevisionRow, labels_box);
  gtk_widget_class_bind_template_child (widget_class, RetortRevisionRow, head_stack);
  gtk_widget_class_bind_template_child (widget_class, RetortRevisionRow, head_label);
  gtk_widget_class_bind_template_child (widget_class, RetortRevisionRow, date_label);

  gtk_widget_class_set_css_name (widget_class, "revisionrow");
}

static void
retort_revision_row_init (RetortRevisionRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
retort_revision_row_new (void)
{
  return g_object_new (RETORT_TYPE_REVISION_ROW, NULL);
}

void
retort_revision_row_bind (RetortRevisionRow *self,
                          RetortRevisionMap *map,
                          RetortRevision    *revision)
{
  const char *id;
  const char *date;
  const char * const *labels;
  g_autofree char *short_id = NULL;
  g_autofree char *message = NULL;

  g_return_if_fail (RETORT_IS_REVISION_ROW (self));
  g_return_if_fail (RETORT_IS_REVISION_MAP (map));
  g_return_if_fail (RETORT_IS_REVISION (revision));

  g_set_object (&self->revision, revision);

  id = retort_revision_get_id (revision);
  short_id = retort_project_short_id (id);
  gtk_label_set_label (self->id_label, short_id);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->id_label), id);

  message = one_line (retort_revision_get_doc (revision));
  if (message != NULL && *message != '\0')
    {
      gtk_label_set_label (self->message_label, message);
      gtk_widget_remove_css_class (GTK_WIDGET (self->message_label), "dim-label");
    }
  else
    {
      gtk_label_set_label (self->message_label, _("No message"));
      gtk_widget_add_css_class (GTK_WIDGET (self->message_label), "dim-label");
    }

  /* Labels as Alembic's history shows them: a branch's label marks every
   * revision on it. Few rows have any, so rebuilding the chips is cheap. */
  clear_labels (self);
  labels = retort_revision_map_get_branch_labels (map, revision);
  for (guint i = 0; labels != NULL && labels[i] != NULL; i++)
    {
      GtkWidget *chip = gtk_label_new (labels[i]);

      gtk_widget_add_css_class (chip, "chip");
      gtk_widget_add_css_class (chip, "branch");
      gtk_widget_set_tooltip_text (chip, _("Branch label"));
      gtk_box_append (self->labels_box, chip);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->labels_box), labels != NULL && labels[0] != NULL);

  gtk_stack_set_visible_child_name (self->head_stack,
                                    retort_revision_map_is_head (map, revision) ? "head" : "none");

  /* Alembic writes "2024-03-01 10:00:00.000000"; the day is enough here. */
  date = retort_revision_get_create_date (revision);
  if (date != NULL && strlen (date) >= 10)
    {
      g_autofree char *day = g_strndup (date, 10);

      gtk_label_set_label (self->date_label, day);
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->date_label), date);
    }
  else
    {
      gtk_label_set_label (self->date_label, date);
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->date_label), NULL);
    }
}

void
retort_revision_row_unbind (RetortRevisionRow *self)
{
  g_return_if_fail (RETORT_IS_REVISION_ROW (self));

  g_clear_object (&self->revision);
  clear_labels (self);
}

RetortRevision *
retort_revision_row_get_revision (RetortRevisionRow *self)
{
  g_return_val_if_fail (RETORT_IS_REVISION_ROW (self), NULL);
  return self->revision;
}
