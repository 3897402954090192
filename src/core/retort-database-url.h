/* retort-database-url.h — where a database is, from the forms alembic.ini uses */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define RETORT_DATABASE_URL_ERROR (retort_database_url_error_quark ())

typedef enum {
  RETORT_DATABASE_URL_ERROR_UNSUPPORTED,  /* mysql://, a dialect Retort does not run */
  RETORT_DATABASE_URL_ERROR_INVALID,      /* not a URL or conninfo libpq/SQLite accept */
} RetortDatabaseUrlError;

GQuark retort_database_url_error_quark (void);

typedef enum {
  RETORT_DIALECT_SQLITE,
  RETORT_DIALECT_POSTGRESQL,
} RetortDialect;

typedef struct {
  RetortDialect  dialect;
  char          *sqlite_path;  /* SQLite: a file path, or ":memory:" */
  GStrv          keywords;     /* PostgreSQL: for PQconnectdbParams */
  GStrv          values;
  char          *display;      /* safe to show and log: never a password */
} RetortDatabaseUrl;

RetortDatabaseUrl *retort_database_url_parse (const char        *url,
                                              const char        *base_dir,
                                              GError           **error);
RetortDatabaseUrl *retort_database_url_copy  (const RetortDatabaseUrl *url);
void               retort_database_url_free  (RetortDatabaseUrl *url);
const char        *retort_database_url_get   (RetortDatabaseUrl *url,
                                              const char        *keyword);
void               retort_database_url_set   (RetortDatabaseUrl *url,
                                              const char        *keyword,
                                              const char        *value);
const char        *retort_dialect_get_name   (RetortDialect      dialect);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RetortDatabaseUrl, retort_database_url_free)

G_END_DECLS
