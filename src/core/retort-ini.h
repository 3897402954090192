/* retort-ini.h — alembic.ini as Python's configparser reads it */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define RETORT_INI_ERROR (retort_ini_error_quark ())

typedef enum {
  RETORT_INI_ERROR_IO,
  RETORT_INI_ERROR_PARSE,
  RETORT_INI_ERROR_INTERPOLATION,
} RetortIniError;

GQuark retort_ini_error_quark (void);

#define RETORT_TYPE_INI (retort_ini_get_type ())
G_DECLARE_FINAL_TYPE (RetortIni, retort_ini, RETORT, INI, GObject)

RetortIni  *retort_ini_new_from_file (const char  *path,
                                      GError     **error);
RetortIni  *retort_ini_new_from_data (const char  *data,
                                      const char  *here,
                                      GError     **error);
const char *retort_ini_get_path      (RetortIni   *self);
gboolean    retort_ini_has_section   (RetortIni   *self,
                                      const char  *section);
char       *retort_ini_get           (RetortIni   *self,
                                      const char  *section,
                                      const char  *key,
                                      GError     **error);

G_END_DECLS
