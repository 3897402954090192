/* retort-format.c — revision lines exactly as the alembic CLI prints them
 *
 * Script._head_only, Script.log_entry and the heads/branches/history/show
 * commands of alembic/command.py, so scripts that parse Alembic's output
 * keep working on Retort's.
 */
#define G_LOG_DOMAIN "retort-format"

#include "retort-format.h"
#include "retort-text.h"

#include <string.h>

char *
retort_format_down_revision (RetortRevision *revision)
{
  if (retort_revision_get_n_down_revisions (revision) == 0)
    return g_strdup ("<base>");
  return retort_text_join_ids (retort_revision_get_down_revisions (revision), -1);
}

char *
retort_format_head_only (RetortRevisionMap *map,
                         RetortRevision    *revision,
                         RetortFormatFlags  flags)
{
  GString *text = g_string_new (NULL);
  const char * const *deps = retort_revision_get_depends_on (revision);
  const char * const *labels = retort_revision_map_get_branch_labels (map, revision);
  gboolean is_head = retort_revision_map_is_head (map, revision);
  gboolean is_real_head = retort_revision_map_is_real_head (map, revision);

  if (flags & RETORT_FORMAT_PARENTS)
    {
      g_autofree char *down = retort_format_down_revision (revision);
      if (deps != NULL && deps[0] != NULL)
        {
          g_autofree char *dep_list = retort_text_join_ids (deps, -1);
          g_string_append_printf (text, "%s (%s) -> ", down, dep_list);
        }
      else
        g_string_append_printf (text, "%s -> ", down);
    }
  g_string_append (text, retort_revision_get_id (revision));
  if ((flags & RETORT_FORMAT_BRANCHES) && labels[0] != NULL)
    {
      g_autofree char *label_list = retort_text_join_ids (labels, -1);
      g_string_append_printf (text, " (%s)", label_list);
    }
  if (flags & (RETORT_FORMAT_HEAD | RETORT_FORMAT_TREE))
    {
      if (is_real_head)
        g_string_append (text, " (head)");
      if (is_head && !is_real_head)
        g_string_append (text, " (effective head)");
      if (flags & RETORT_FORMAT_CURRENT)
        g_string_append (text, " (current)");
    }
  if (flags & RETORT_FORMAT_TREE)
    {
      if (retort_revision_map_is_branch_point (map, revision))
        g_string_append (text, " (branchpoint)");
      if (retort_revision_map_is_merge_point (map, revision))
        g_string_append (text, " (mergepoint)");
    }
  if (flags & RETORT_FORMAT_DOC)
    g_string_append_printf (text, ", %s", retort_revision_get_doc (revision));
  return g_string_free (text, FALSE);
}

char *
retort_format_log_entry (RetortRevisionMap *map,
                         RetortRevision    *revision,
                         gboolean           is_current)
{
  GString *entry = g_string_new (NULL);
  const char * const *deps = retort_revision_get_depends_on (revision);
  const char * const *labels = retort_revision_map_get_branch_labels (map, revision);
  gboolean merge = retort_revision_map_is_merge_point (map, revision);
  gboolean branch = retort_revision_map_is_branch_point (map, revision);
  g_autofree char *down = retort_format_down_revision (revision);
  g_autoptr(GPtrArray) doc_lines = retort_text_py_splitlines (retort_revision_get_longdoc (revision));

  g_string_append_printf (entry, "Rev: %s%s%s%s%s\n", retort_revision_get_id (revision),
                          retort_revision_map_is_head (map, revision) ? " (head)" : "",
                          branch ? " (branchpoint)" : "",
                          merge ? " (mergepoint)" : "",
                          is_current ? " (current)" : "");
  g_string_append_printf (entry, "%s: %s\n", merge ? "Merges" : "Parent", down);
  if (deps != NULL && deps[0] != NULL)
    {
      g_autofree char *dep_list = retort_text_join_ids (deps, -1);
      g_string_append_printf (entry, "Also depends on: %s\n", dep_list);
    }
  if (branch)
    {
      g_autoptr(GPtrArray) children = retort_revision_map_get_children (map, revision);
      g_string_append (entry, "Branches into: ");
      for (guint i = 0; i < children->len; i++)
        g_string_append_printf (entry, "%s%s", i ? ", " : "",
                                retort_revision_get_id (g_ptr_array_index (children, i)));
      g_string_append_c (entry, '\n');
    }
  if (labels[0] != NULL)
    {
      g_autofree char *label_list = retort_text_join_ids (labels, -1);
      g_string_append_printf (entry, "Branch names: %s\n", label_list);
    }
  g_string_append_printf (entry, "Path: %s\n", retort_revision_get_path (revision));
  g_string_append_c (entry, '\n');
  for (guint i = 0; i < doc_lines->len; i++)
    g_string_append_printf (entry, "%s    %s", i ? "\n" : "", (const char *) g_ptr_array_index (doc_lines, i));
  g_string_append_c (entry, '\n');
  return g_string_free (entry, FALSE);
}

char *
retort_format_heads (RetortRevisionMap *map,
                     gboolean           verbose,
                     gboolean           resolve_dependencies)
{
  GString *out = g_string_new (NULL);
  g_autoptr(GPtrArray) heads = resolve_dependencies ? retort_revision_map_get_real_heads (map)
                                                    : retort_revision_map_get_heads (map);

  for (guint i = 0; i < heads->len; i++)
    {
      RetortRevision *head = g_ptr_array_index (heads, i);
      g_autofree char *line = verbose ? retort_format_log_entry (map, head, FALSE)
                                      : retort_format_head_only (map, head, RETORT_FORMAT_BRANCHES | RETORT_FORMAT_HEAD);
      g_string_append_printf (out, "%s\n", line);
    }
  return g_string_free (out, FALSE);
}

char *
retort_format_branches (RetortRevisionMap  *map,
                        gboolean            verbose,
                        GError            **error)
{
  GString *out = g_string_new (NULL);
  g_autoptr(GPtrArray) walk = retort_revision_map_walk_history (map, "base", "heads", error);

  if (walk == NULL)
    {
      g_string_free (out, TRUE);
      return NULL;
    }
  for (guint i = 0; i < walk->len; i++)
    {
      RetortRevision *revision = g_ptr_array_index (walk, i);
      g_autofree char *line = NULL;
      g_autoptr(GPtrArray) children = NULL;
      gsize indent = strlen (retort_revision_get_id (revision));

      if (!retort_revision_map_is_branch_point (map, revision))
        continue;
      line = verbose ? retort_format_log_entry (map, revision, FALSE)
                     : retort_format_head_only (map, revision, RETORT_FORMAT_BRANCHES | RETORT_FORMAT_TREE);
      g_string_append_printf (out, "%s\n", line);
      children = retort_revision_map_get_children (map, revision);
      for (guint c = 0; c < children->len; c++)
        {
          g_autofree char *child = retort_format_head_only (map, g_ptr_array_index (children, c),
                                                            RETORT_FORMAT_BRANCHES | RETORT_FORMAT_TREE |
                                                            (verbose ? RETORT_FORMAT_DOC : 0));
          if (c > 0)
            g_string_append_c (out, '\n');
          for (gsize s = 0; s < indent; s++)
            g_string_append_c (out, ' ');
          g_string_append_printf (out, " -> %s", child);
        }
      g_string_append (out, "\n\n");
    }
  return g_string_free (out, FALSE);
}

char *
retort_format_history (RetortRevisionMap  *map,
                       const char         *range,
                       gboolean            verbose,
                       const char * const *current,
                       GError            **error)
{
  g_autofree char *base = NULL;
  g_autofree char *head = NULL;
  g_autoptr(GPtrArray) walk = NULL;
  GString *out;

  if (range != NULL)
    {
      g_autofree char *stripped = g_strstrip (g_strdup (range));
      g_auto(GStrv) parts = g_strsplit (stripped, ":", -1);
      if (g_strv_length (parts) != 2)
        {
          g_set_error (error, RETORT_REVISION_MAP_ERROR, RETORT_REVISION_MAP_ERROR_INVALID,
                       strchr (stripped, ':') == NULL
                         ? "History range requires [start]:[end], [start]:, or :[end]"
                         : "History range '%s' has more than one ':'", stripped);
          return NULL;
        }
      base = *parts[0] ? g_strdup (parts[0]) : NULL;
      head = *parts[1] ? g_strdup (parts[1]) : NULL;
    }

  walk = retort_revision_map_walk_history (map, base ? base : "base", head ? head : "heads", error);
  if (walk == NULL)
    return NULL;
  out = g_string_new (NULL);
  for (guint i = 0; i < walk->len; i++)
    {
      RetortRevision *revision = g_ptr_array_index (walk, i);
      gboolean is_current = current != NULL &&
                            g_strv_contains (current, retort_revision_get_id (revision));
      g_autofree char *line =
        verbose ? retort_format_log_entry (map, revision, is_current)
                : retort_format_head_only (map, revision,
                                           RETORT_FORMAT_BRANCHES | RETORT_FORMAT_DOC | RETORT_FORMAT_PARENTS |
                                           RETORT_FORMAT_TREE | (is_current ? RETORT_FORMAT_CURRENT : 0));
      g_string_append_printf (out, "%s\n", line);
    }
  return g_string_free (out, FALSE);
}

char *
retort_format_show (RetortRevisionMap  *map,
                    const char         *spec,
                    GError            **error)
{
  g_autoptr(GPtrArray) revisions = retort_revision_map_resolve (map, spec, error);
  GString *out;

  if (revisions == NULL)
    return NULL;
  out = g_string_new (NULL);
  for (guint i = 0; i < revisions->len; i++)
    {
      g_autofree char *entry = retort_format_log_entry (map, g_ptr_array_index (revisions, i), FALSE);
      g_string_append_printf (out, "%s\n", entry);
    }
  return g_string_free (out, FALSE);
}
