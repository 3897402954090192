/* retort-format.h — revision lines exactly as the alembic CLI prints them */
#pragma once

#include "retort-revision-map.h"

G_BEGIN_DECLS

typedef enum {
  RETORT_FORMAT_BRANCHES   = 1 << 0,  /* " (label, label)" */
  RETORT_FORMAT_DOC        = 1 << 1,  /* ", message" */
  RETORT_FORMAT_PARENTS    = 1 << 2,  /* "down -> rev" */
  RETORT_FORMAT_TREE       = 1 << 3,  /* " (branchpoint)", " (mergepoint)" */
  RETORT_FORMAT_HEAD       = 1 << 4,  /* " (head)", " (effective head)" */
  RETORT_FORMAT_CURRENT    = 1 << 5,  /* " (current)" */
} RetortFormatFlags;

char *retort_format_head_only     (RetortRevisionMap *map,
                                   RetortRevision    *revision,
                                   RetortFormatFlags  flags);
char *retort_format_log_entry     (RetortRevisionMap *map,
                                   RetortRevision    *revision,
                                   gboolean           is_current);
char *retort_format_down_revision (RetortRevision    *revision);

char *retort_format_heads         (RetortRevisionMap *map,
                                   gboolean           verbose,
                                   gboolean           resolve_dependencies);
char *retort_format_branches      (RetortRevisionMap *map,
                                   gboolean           verbose,
                                   GError           **error);
char *retort_format_history       (RetortRevisionMap  *map,
                                   const char         *range,
                                   gboolean            verbose,
                                   const char * const *current,
                                   GError            **error);
char *retort_format_show          (RetortRevisionMap *map,
                                   const char        *spec,
                                   GError           **error);

G_END_DECLS
