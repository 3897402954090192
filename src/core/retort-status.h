/* retort-status.h — where a database stands against its project, in a word */
#pragma once

#include "retort-revision-map.h"
#include "retort-version-table.h"

G_BEGIN_DECLS

typedef enum {
  RETORT_STATUS_UP_TO_DATE,      /* at every head */
  RETORT_STATUS_PENDING,         /* n_pending revisions to apply to reach the heads */
  RETORT_STATUS_UNKNOWN_REVISION,/* alembic_version names revisions the project lacks */
  RETORT_STATUS_NOT_VERSIONED,   /* an empty database: no tables at all */
  RETORT_STATUS_LEGACY,          /* tables, but no version table: stamp a baseline */
  RETORT_STATUS_BROKEN,          /* rows no upgrade can start from (see message) */
} RetortStatusKind;

typedef struct {
  RetortStatusKind  kind;
  guint             n_pending;
  GStrv             current;     /* effective current revisions, as `current` prints */
  GStrv             unknown;     /* rows naming no revision of the project */
  char             *message;     /* a sentence for people */
} RetortStatus;

RetortStatus *retort_status_compute (RetortRevisionMap        *map,
                                     const RetortVersionState *state);
void          retort_status_free    (RetortStatus             *status);
const char   *retort_status_kind_to_string (RetortStatusKind   kind);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RetortStatus, retort_status_free)

G_END_DECLS
