/* retort-database-url.c — where a database is, from the forms alembic.ini uses
 *
 * SQLAlchemy URLs (sqlite:///relative.db, sqlite:////abs.db, sqlite://,
 * postgresql[+driver]://...), plain libpq conninfo strings and service names.
 * PostgreSQL parsing is libpq's own (PQconninfoParse), so PG* variables,
 * ~/.pgpass and pg_service.conf apply exactly as in psql.
 */
#define G_LOG_DOMAIN "retort-database-url"

#include "retort-database-url.h"

#include <libpq-fe.h>
#include <string.h>

G_DEFINE_QUARK (retort-database-url-error-quark, retort_database_url_error)

RetortDatabaseUrl *
retort_database_url_copy (const RetortDatabaseUrl *url)
{
  RetortDatabaseUrl *copy = g_new0 (RetortDatabaseUrl, 1);

  copy->dialect = url->dialect;
  copy->sqlite_path = g_strdup (url->sqlite_path);
  copy->keywords = g_strdupv (url->keywords);
  copy->values = g_strdupv (url->values);
  copy->display = g_strdup (url->display);
  return copy;
}

void
retort_database_url_free (RetortDatabaseUrl *url)
{
  if (url == NULL)
    return;
  g_free (url->sqlite_path);
  g_strfreev (url->keywords);
  g_strfreev (url->values);
  g_free (url->display);
  g_free (url);
}

const char *
retort_dialect_get_name (RetortDialect dialect)
{
  return dialect == RETORT_DIALECT_SQLITE ? "sqlite" : "postgresql";
}

const char *
retort_database_url_get (RetortDatabaseUrl *url,
                         const char        *keyword)
{
  for (guint i = 0; url->keywords != NULL && url->keywords[i] != NULL; i++)
    if (strcmp (url->keywords[i], keyword) == 0)
      return url->values[i];
  return NULL;
}

/* Sets or replaces one libpq keyword (a password from the keyring, a
 * connect_timeout); SQLite addresses have none and are left alone. The
 * display form never shows a password, so it is not touched. */
void
retort_database_url_set (RetortDatabaseUrl *url,
                         const char        *keyword,
                         const char        *value)
{
  guint n;

  g_return_if_fail (url != NULL && keyword != NULL && value != NULL);
  if (url->dialect != RETORT_DIALECT_POSTGRESQL)
    return;

  for (n = 0; url->keywords != NULL && url->keywords[n] != NULL; n++)
    if (strcmp (url->keywords[n], keyword) == 0)
      {
        g_free (url->values[n]);
        url->values[n] = g_strdup (value);
        return;
      }
  url->keywords = g_renew (char *, url->keywords, n + 2);
  url->values = g_renew (char *, url->values, n + 2);
  url->keywords[n] = g_strdup (keyword);
  url->values[n] = g_strdup (value);
  url->keywords[n + 1] = NULL;
  url->values[n + 1] = NULL;
}

static RetortDatabaseUrl *
parse_sqlite (const char  *rest,
              const char  *base_dir,
              GError     **error)
{
  RetortDatabaseUrl *url = g_new0 (RetortDatabaseUrl, 1);
  g_autofree char *path = NULL;
  const char *query = strchr (rest, '?');

  url->dialect = RETORT_DIALECT_SQLITE;
  path = query != NULL ? g_strndup (rest, query - rest) : g_strdup (rest);
  if (*path == '\0' || strcmp (path, "/") == 0 || strcmp (path, "/:memory:") == 0)
    url->sqlite_path = g_strdup (":memory:");
  else if (path[0] != '/')
    {
      g_set_error (error, RETORT_DATABASE_URL_ERROR, RETORT_DATABASE_URL_ERROR_INVALID,
                   "SQLite URLs look like sqlite:///relative.db, sqlite:////absolute.db or sqlite://");
      retort_database_url_free (url);
      return NULL;
    }
  else
    {
      /* sqlite:///x.db is relative, sqlite:////x.db absolute */
      g_autofree char *unescaped = g_uri_unescape_string (path + 1, NULL);
      const char *file = unescaped != NULL ? unescaped : path + 1;
      url->sqlite_path = g_path_is_absolute (file) ? g_strdup (file)
                                                   : g_canonicalize_filename (file, base_dir);
    }
  return url;
}

/* Drivers' own URL parameters that libpq does not know, mapped or dropped */
static char *
filter_query (const char *query)
{
  g_auto(GStrv) params = g_strsplit (query, "&", -1);
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; params[i] != NULL; i++)
    {
      const char *param = params[i];
      if (*param == '\0')
        continue;
      if (g_str_has_prefix (param, "ssl="))
        {
          /* asyncpg: ssl=require / ssl=true */
          const char *value = param + 4;
          param = g_strcmp0 (value, "true") == 0 ? "sslmode=require" : NULL;
          if (param == NULL)
            {
              g_string_append_printf (out, "%ssslmode=%s", out->len ? "&" : "", value);
              continue;
            }
        }
      else if (g_str_has_prefix (param, "prepared_statement_cache_size=") ||
               g_str_has_prefix (param, "driver=") || g_str_has_prefix (param, "async_fallback="))
        continue;
      g_string_append_printf (out, "%s%s", out->len ? "&" : "", param);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static RetortDatabaseUrl *
parse_postgresql (const char  *conninfo,
                  GError     **error)
{
  RetortDatabaseUrl *url;
  char *message = NULL;
  PQconninfoOption *options = PQconninfoParse (conninfo, &message);
  g_autoptr(GStrvBuilder) keywords = g_strv_builder_new ();
  g_autoptr(GStrvBuilder) values = g_strv_builder_new ();
  g_autoptr(GString) display = g_string_new (NULL);

  if (options == NULL)
    {
      g_autofree char *trimmed = g_strstrip (g_strdup (message ? message : "out of memory"));
      /* libpq's message never repeats the password */
      g_set_error (error, RETORT_DATABASE_URL_ERROR, RETORT_DATABASE_URL_ERROR_INVALID,
                   "Not a PostgreSQL connection string: %s", trimmed);
      PQfreemem (message);
      return NULL;
    }
  for (PQconninfoOption *o = options; o->keyword != NULL; o++)
    {
      if (o->val == NULL)
        continue;
      g_strv_builder_add (keywords, o->keyword);
      g_strv_builder_add (values, o->val);
      if (strcmp (o->keyword, "password") != 0)
        g_string_append_printf (display, "%s%s=%s", display->len ? " " : "", o->keyword, o->val);
    }
  PQconninfoFree (options);

  url = g_new0 (RetortDatabaseUrl, 1);
  url->dialect = RETORT_DIALECT_POSTGRESQL;
  url->keywords = g_strv_builder_end (keywords);
  url->values = g_strv_builder_end (values);
  url->display = display->len ? g_strdup (display->str) : g_strdup ("postgresql (libpq defaults)");
  return url;
}

/* The URL as written with its password replaced, as Alembic's
 * obfuscate_url_pw shows it: scheme://user:XXXXX@host/db */
static char *
mask_url_password (const char *text)
{
  const char *authority = strstr (text, "://");
  const char *end, *at = NULL, *colon = NULL;

  if (authority == NULL)
    return g_strdup (text);
  authority += 3;
  end = authority + strcspn (authority, "/?");
  for (const char *p = authority; p < end; p++)
    if (*p == '@')
      at = p;
  if (at == NULL)
    return g_strdup (text);
  colon = memchr (authority, ':', at - authority);
  if (colon == NULL)
    return g_strdup (text);
  return g_strdup_printf ("%.*sXXXXX%s", (int) (colon + 1 - text), text, at);
}

RetortDatabaseUrl *
retort_database_url_parse (const char  *text,
                           const char  *base_dir,
                           GError     **error)
{
  const char *sep;

  g_return_val_if_fail (text != NULL, NULL);

  while (g_ascii_isspace (*text))
    text++;
  if (g_str_has_prefix (text, "sqlite:"))
    {
      const char *rest = text + strlen ("sqlite:");
      if (!g_str_has_prefix (rest, "//"))
        {
          g_set_error (error, RETORT_DATABASE_URL_ERROR, RETORT_DATABASE_URL_ERROR_INVALID,
                       "SQLite URLs look like sqlite:///relative.db, sqlite:////absolute.db or sqlite://");
          return NULL;
        }
      {
        RetortDatabaseUrl *url = parse_sqlite (rest + 2, base_dir, error);
        if (url != NULL)
          url->display = g_strdup (text);
        return url;
      }
    }

  sep = strstr (text, "://");
  if (sep != NULL)
    {
      g_autofree char *scheme = g_ascii_strdown (text, sep - text);
      char *plus = strchr (scheme, '+');
      g_autofree char *rest = NULL;
      g_autofree char *uri = NULL;
      const char *query;

      if (plus != NULL)
        *plus = '\0';  /* postgresql+psycopg2 -> postgresql */
      if (strcmp (scheme, "postgresql") != 0 && strcmp (scheme, "postgres") != 0)
        {
          g_set_error (error, RETORT_DATABASE_URL_ERROR, RETORT_DATABASE_URL_ERROR_UNSUPPORTED,
                       "Retort runs PostgreSQL and SQLite; '%s' databases are not supported", scheme);
          return NULL;
        }
      rest = g_strdup (sep + 3);
      query = strchr (rest, '?');
      if (query != NULL)
        {
          g_autofree char *filtered = filter_query (query + 1);
          rest[query - rest] = '\0';
          uri = g_strdup_printf ("postgresql://%s%s%s", rest, *filtered ? "?" : "", filtered);
        }
      else
        uri = g_strdup_printf ("postgresql://%s", rest);
      {
        RetortDatabaseUrl *url = parse_postgresql (uri, error);
        if (url != NULL)
          {
            g_free (url->display);
            url->display = mask_url_password (text);
          }
        return url;
      }
    }

  if (strchr (text, '=') != NULL || *text == '\0')
    return parse_postgresql (text, error);  /* "host=... dbname=..." or "service=name" */

  /* the text itself is not repeated: it may hold a password */
  g_set_error (error, RETORT_DATABASE_URL_ERROR, RETORT_DATABASE_URL_ERROR_INVALID,
               "The database address is neither a URL (sqlite:///file.db, postgresql://host/db) "
               "nor a libpq connection string (host=... dbname=...)");
  return NULL;
}
