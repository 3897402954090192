/* retort-script-dir.h — a script directory: its configuration, files and graph */
#pragma once

#include "retort-ini.h"
#include "retort-revision-map.h"

G_BEGIN_DECLS

#define RETORT_SCRIPT_DIR_ERROR (retort_script_dir_error_quark ())

typedef enum {
  RETORT_SCRIPT_DIR_ERROR_CONFIG,     /* alembic.ini lacks or garbles what is needed */
  RETORT_SCRIPT_DIR_ERROR_NOT_FOUND,  /* the folder or its versions/ is missing */
  RETORT_SCRIPT_DIR_ERROR_INVALID,    /* revision files that do not load (see problems) */
} RetortScriptDirError;

GQuark retort_script_dir_error_quark (void);

#define RETORT_TYPE_SCRIPT_DIR (retort_script_dir_get_type ())
G_DECLARE_FINAL_TYPE (RetortScriptDir, retort_script_dir, RETORT, SCRIPT_DIR, GObject)

RetortScriptDir    *retort_script_dir_new_from_ini        (const char       *ini_path,
                                                           const char       *section,
                                                           GError          **error);
RetortScriptDir    *retort_script_dir_new_from_directory  (const char       *directory,
                                                           GError          **error);

gboolean            retort_script_dir_load                (RetortScriptDir  *self,
                                                           GError          **error);
GPtrArray          *retort_script_dir_get_problems        (RetortScriptDir  *self);
GPtrArray          *retort_script_dir_dup_warnings        (RetortScriptDir  *self);
guint               retort_script_dir_get_n_files         (RetortScriptDir  *self);
RetortRevisionMap  *retort_script_dir_get_map             (RetortScriptDir  *self);

const char         *retort_script_dir_get_path            (RetortScriptDir  *self);
const char         *retort_script_dir_get_ini_path        (RetortScriptDir  *self);
const char * const *retort_script_dir_get_version_locations (RetortScriptDir *self);
const char         *retort_script_dir_get_file_template   (RetortScriptDir  *self);
const char         *retort_script_dir_get_version_table   (RetortScriptDir  *self);
const char         *retort_script_dir_get_version_table_schema (RetortScriptDir *self);
const char         *retort_script_dir_get_url             (RetortScriptDir  *self);

G_END_DECLS
