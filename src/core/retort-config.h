/* retort-config.h — projects and database profiles, kept in a key file */
#pragma once

#include <gio/gio.h>

#include "retort-run.h"

G_BEGIN_DECLS

#define RETORT_CONFIG_ERROR (retort_config_error_quark ())

typedef enum {
  RETORT_CONFIG_ERROR_PARSE,      /* the file does not read: it is left as it was */
  RETORT_CONFIG_ERROR_INVALID,    /* a value out of range, a profile of no project */
  RETORT_CONFIG_ERROR_PASSWORD,   /* a password in a URL: it belongs in the keyring or .pgpass */
  RETORT_CONFIG_ERROR_READ_ONLY,  /* saving over a file that did not load is refused */
  RETORT_CONFIG_ERROR_IO,
} RetortConfigError;

GQuark retort_config_error_quark (void);

typedef enum {
  RETORT_TIER_DEVELOPMENT,
  RETORT_TIER_STAGING,
  RETORT_TIER_PRODUCTION,
  RETORT_TIER_OTHER,
} RetortTier;

typedef enum {
  RETORT_BACKUP_NEVER,
  RETORT_BACKUP_BEFORE_APPLY,
} RetortBackupPolicy;

typedef struct {
  char *id;
  char *name;
  char *path;          /* an alembic.ini or a script directory */
} RetortProjectEntry;

typedef struct {
  char                  *id;
  char                  *name;
  char                  *project;      /* a RetortProjectEntry id */
  char                  *url;          /* never with a password */
  RetortTier             tier;
  char                  *colour;       /* "#rrggbb", or NULL for the tier's */
  gboolean               read_only;
  RetortTransactionMode  transaction;
  RetortBackupPolicy     backup;
} RetortProfileEntry;

#define RETORT_TYPE_CONFIG (retort_config_get_type ())
G_DECLARE_FINAL_TYPE (RetortConfig, retort_config, RETORT, CONFIG, GObject)

RetortConfig       *retort_config_new                (const char          *path);
char               *retort_config_default_path       (void);
gboolean            retort_config_load               (RetortConfig        *self,
                                                      GError             **error);
gboolean            retort_config_save               (RetortConfig        *self,
                                                      GError             **error);
const char         *retort_config_get_path           (RetortConfig        *self);

GPtrArray          *retort_config_get_projects       (RetortConfig        *self);
GPtrArray          *retort_config_get_profiles       (RetortConfig        *self);
RetortProjectEntry *retort_config_add_project        (RetortConfig        *self,
                                                      const char          *name,
                                                      const char          *path);
RetortProfileEntry *retort_config_add_profile        (RetortConfig        *self,
                                                      const char          *project,
                                                      const char          *name,
                                                      const char          *url,
                                                      GError             **error);
gboolean            retort_config_set_profile_url    (RetortConfig        *self,
                                                      RetortProfileEntry  *profile,
                                                      const char          *url,
                                                      GError             **error);
gboolean            retort_config_remove             (RetortConfig        *self,
                                                      const char          *id);

RetortProfileEntry *retort_profile_entry_copy       (const RetortProfileEntry *profile);
void                retort_profile_entry_free       (RetortProfileEntry  *profile);

const char         *retort_tier_to_string            (RetortTier           tier);
gboolean            retort_url_has_password          (const char          *url);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RetortProfileEntry, retort_profile_entry_free)

G_END_DECLS
