/* retort-profile-dialog.c — add or edit a database profile, with Test Connection
 *
 * The form builds an address without a password (what retort.conf keeps)
 * and holds the password apart: it goes to the profile for the session and,
 * when asked, to the keyring. Test Connection reads the version table on a
 * RetortConnection's own worker thread; the window never waits for it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "retort-profile-dialog"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "retort-profile-dialog.h"
#include "retort-secrets.h"

/* The window gives up on a test after this; libpq's own connect_timeout
 * (per address tried) is set below it unless the address has one. */
#define TEST_TIMEOUT_SECONDS 10
#define CONNECT_TIMEOUT_SECONDS "5"

enum {
  ENGINE_POSTGRESQL,
  ENGINE_SQLITE,
};

typedef enum {
  RESULT_NEUTRAL,
  RESULT_SUCCESS,
  RESULT_WARNING,
  RESULT_ERROR,
} ResultKind;

struct _RetortProfileDialog
{
  AdwWindow             parent_instance;

  RetortWorkspace      *workspace;
  RetortProject        *project;
  RetortProfile        *profile;          /* NULL until saved, when adding */

  GCancellable         *cancellable;      /* cancelled in dispose: the dialog is closed */
  GCancellable         *test_cancellable; /* the test under way */
  guint                 test_timeout_id;
  guint                 test_timeout_s;
  gboolean              testing;
  gboolean              saving;

  char                 *known_password;   /* editing: the session's or the keyring's */
  gboolean              in_keyring;       /* editing: the keyring holds one */
  char                 *base_dir;         /* relative SQLite paths start here */
  char                 *ini_address;      /* alembic.ini's address, its password taken out */
  char                 *ini_password;
  GtkFileChooserNative *chooser;

  /* template children */
  AdwWindowTitle       *window_title;
  GtkButton            *save_button;
  GtkRevealer          *error_revealer;
  GtkLabel             *error_label;
  AdwEntryRow          *name_row;
  AdwComboRow          *engine_row;
  AdwPreferencesGroup  *connection_group;
  GtkWidget            *mode_box;
  GtkToggleButton      *fields_toggle;
  GtkToggleButton      *address_toggle;
  AdwActionRow         *ini_row;
  GtkButton            *ini_button;
  AdwEntryRow          *host_row;
  AdwEntryRow          *port_row;
  AdwEntryRow          *database_row;
  AdwEntryRow          *user_row;
  AdwEntryRow          *address_row;
  AdwEntryRow          *file_row;
  AdwPreferencesGroup  *password_group;
  AdwPasswordEntryRow  *password_row;
  AdwActionRow         *keyring_row;
  GtkSwitch            *keyring_switch;
  AdwActionRow         *test_row;
  GtkStack             *test_stack;
  GtkImage             *test_icon;
  GtkSpinner           *test_spinner;
  GtkButton            *test_button;
  AdwComboRow          *tier_row;
  GtkSwitch            *read_only_switch;
  AdwComboRow          *transaction_row;
  AdwComboRow          *backup_row;
};

G_DEFINE_FINAL_TYPE (RetortProfileDialog, retort_profile_dialog, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_TESTING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* --- passwords in memory -------------------------------------------------- */

static void
wipe_string (char *text)
{
  if (text != NULL)
    explicit_bzero (text, strlen (text));
}

static void
clear_password (char **password)
{
  retort_secrets_password_free (g_steal_pointer (password));
}

/* The parsed address keeps the password as a libpq keyword: wipe it before
 * the address is freed. */
static void
wipe_url_password (RetortDatabaseUrl *url)
{
  for (guint i = 0; url != NULL && url->keywords != NULL && url->keywords[i] != NULL; i++)
    if (strcmp (url->keywords[i], "password") == 0)
      wipe_string (url->values[i]);
}

/* --- addresses ------------------------------------------------------------ */

static const char *
project_base_dir (RetortProfileDialog *self)
{
  return self->base_dir;
}

/* The project's folder, as the workspace gives its profiles; guessed from
 * the location while the project is still loading. */
static char *
find_base_dir (RetortProject *project)
{
  GFile *location = retort_project_get_location (project);
  g_autofree char *path = NULL;

  if (retort_project_get_folder (project) != NULL)
    return g_strdup (retort_project_get_folder (project));
  path = location != NULL ? g_file_get_path (location) : NULL;
  if (path == NULL)
    return NULL;
  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    return g_steal_pointer (&path);
  return g_path_get_dirname (path);
}

static char *
stripped_text (AdwEntryRow *row)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));
}

static char *
build_postgresql_url (const char *host,
                      const char *port,
                      const char *database,
                      const char *user)
{
  GString *url = g_string_new ("postgresql://");

  if (*user != '\0')
    {
      g_autofree char *escaped = g_uri_escape_string (user, NULL, TRUE);
      g_string_append_printf (url, "%s@", escaped);
    }
  if (strchr (host, ':') != NULL)
    g_string_append_printf (url, "[%s]", host);  /* an IPv6 address */
  else if (*host != '\0')
    {
      /* a socket directory's slashes are escaped, as libpq expects */
      g_autofree char *escaped = g_uri_escape_string (host, NULL, TRUE);
      g_string_append (url, escaped);
    }
  if (*port != '\0')
    g_string_append_printf (url, ":%s", port);
  if (*database != '\0')
    {
      g_autofree char *escaped = g_uri_escape_string (database, NULL, TRUE);
      g_string_append_printf (url, "/%s", escaped);
    }
  return g_string_free (url, FALSE);
}

/* sqlite:///relative.db or sqlite:////absolute.db, as SQLAlchemy writes them */
static char *
build_sqlite_url (const char *path)
{
  g_autofree char *escaped = g_uri_escape_string (path, "/ :@!$&'()*+,;=", TRUE);

  return g_strconcat ("sqlite:///", escaped, NULL);
}

/* A postgresql:// URL the four fields can show exactly, or FALSE. */
static gboolean
url_fits_fields (const char        *text,
                 RetortDatabaseUrl *url)
{
  static const char * const simple[] = { "host", "port", "dbname", "user", NULL };
  const char *host;

  if (!g_str_has_prefix (text, "postgresql://") && !g_str_has_prefix (text, "postgres://"))
    return FALSE;
  if (strchr (text, '?') != NULL)
    return FALSE;
  for (guint i = 0; url->keywords != NULL && url->keywords[i] != NULL; i++)
    if (!g_strv_contains (simple, url->keywords[i]))
      return FALSE;
  host = retort_database_url_get (url, "host");
  return host == NULL || strchr (host, ',') == NULL;  /* not a list of hosts */
}

static char *
quote_conninfo_value (const char *value)
{
  GString *quoted = g_string_new ("'");

  for (const char *p = value; *p != '\0'; p++)
    {
      if (*p == '\'' || *p == '\\')
        g_string_append_c (quoted, '\\');
      g_string_append_c (quoted, *p);
    }
  g_string_append_c (quoted, '\'');
  return g_string_free (quoted, FALSE);
}

/* Takes the password out of an address: "postgresql://app:pw@host/db" gives
 * "postgresql://app@host/db" and "pw"; a password= parameter (in a URL's
 * query or a conninfo string) is taken out by rebuilding the address as a
 * conninfo string without it. */
static char *
split_password (const char  *text,
                const char  *base_dir,
                char       **password)
{
  g_autofree char *address = g_strdup (text);
  char *scheme = strstr (address, "://");

  *password = NULL;
  if (scheme != NULL)
    {
      char *authority = scheme + 3;
      char *end = authority + strcspn (authority, "/?");
      char *at = NULL;
      char *colon;

      for (char *p = authority; p < end; p++)
        if (*p == '@')
          at = p;
      colon = at != NULL ? memchr (authority, ':', at - authority) : NULL;
      if (colon != NULL)
        {
          char *escaped = g_strndup (colon + 1, at - colon - 1);

          *password = g_uri_unescape_string (escaped, NULL);
          if (*password == NULL)
            *password = g_strdup (escaped);
          gsize length = strlen (address);

          retort_secrets_password_free (escaped);
          memmove (colon, at, strlen (at) + 1);
          /* the tail moved over the password; wipe what is left past the end */
          explicit_bzero (address + strlen (address), length - strlen (address));
        }
    }

  if (retort_url_has_password (address))
    {
      g_autoptr(RetortDatabaseUrl) url = retort_database_url_parse (address, base_dir, NULL);

      if (url != NULL && url->dialect == RETORT_DIALECT_POSTGRESQL)
        {
          GString *conninfo = g_string_new (NULL);

          for (guint i = 0; url->keywords[i] != NULL; i++)
            {
              g_autofree char *quoted = NULL;

              if (strcmp (url->keywords[i], "password") == 0)
                {
                  if (*password == NULL)
                    *password = g_strdup (url->values[i]);
                  continue;
                }
              quoted = quote_conninfo_value (url->values[i]);
              g_string_append_printf (conninfo, "%s%s=%s", conninfo->len ? " " : "",
                                      url->keywords[i], quoted);
            }
          wipe_url_password (url);
          wipe_string (address);
          g_free (address);
          address = g_string_free (conninfo, FALSE);
        }
    }
  return g_steal_pointer (&address);
}

/* --- the form ------------------------------------------------------------- */

static gboolean
is_postgresql (RetortProfileDialog *self)
{
  return adw_combo_row_get_selected (self->engine_row) == ENGINE_POSTGRESQL;
}

static gboolean
address_mode (RetortProfileDialog *self)
{
  return gtk_toggle_button_get_active (self->address_toggle);
}

static void
update_password_description (RetortProfileDialog *self)
{
  g_autoptr(GString) text = g_string_new (NULL);
  gboolean keyring = retort_secrets_available ();

  if (self->known_password != NULL || self->in_keyring)
    g_string_append (text, _("A password is saved. Leave the field empty to keep it."));
  if (!keyring)
    g_string_append_printf (text, "%s%s", text->len ? " " : "",
                            _("Kept for this session only; to keep it, use ~/.pgpass."));
  adw_preferences_group_set_description (self->password_group, text->len ? text->str : NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->keyring_row), keyring);
}

static void
update_visibility (RetortProfileDialog *self)
{
  gboolean postgresql = is_postgresql (self);
  gboolean by_address = address_mode (self);

  gtk_widget_set_visible (self->mode_box, postgresql);
  gtk_widget_set_visible (GTK_WIDGET (self->host_row), postgresql && !by_address);
  gtk_widget_set_visible (GTK_WIDGET (self->port_row), postgresql && !by_address);
  gtk_widget_set_visible (GTK_WIDGET (self->database_row), postgresql && !by_address);
  gtk_widget_set_visible (GTK_WIDGET (self->user_row), postgresql && !by_address);
  gtk_widget_set_visible (GTK_WIDGET (self->address_row), postgresql && by_address);
  gtk_widget_set_visible (GTK_WIDGET (self->file_row), !postgresql);
  gtk_widget_set_visible (GTK_WIDGET (self->password_group), postgresql);
  adw_preferences_group_set_description (self->connection_group,
                                         postgresql && by_address
                                         ? _("A postgresql:// URL, a connection string such as "
                                             "“host=db1 dbname=inventory”, or “service=name” "
                                             "from pg_service.conf.")
                                         : NULL);
}

static void
set_text (AdwEntryRow *row,
          const char  *text)
{
  gtk_editable_set_text (GTK_EDITABLE (row), text != NULL ? text : "");
}

/* Shows an address (without a password) in the form: the four fields when
 * they can say it exactly, else the address row. */
static void
fill_from_url (RetortProfileDialog *self,
               const char          *text)
{
  g_autoptr(RetortDatabaseUrl) url = retort_database_url_parse (text, project_base_dir (self), NULL);

  if (g_str_has_prefix (text, "sqlite:"))
    {
      const char *path = text + strlen ("sqlite:");
      g_autofree char *unescaped = NULL;

      adw_combo_row_set_selected (self->engine_row, ENGINE_SQLITE);
      /* sqlite:/// + the path as written: relative stays relative */
      if (g_str_has_prefix (path, "///"))
        {
          path += 3;
          unescaped = g_uri_unescape_segment (path, path + strcspn (path, "?"), NULL);
        }
      set_text (self->file_row, unescaped);
      return;
    }

  adw_combo_row_set_selected (self->engine_row, ENGINE_POSTGRESQL);
  if (url != NULL && url_fits_fields (text, url))
    {
      set_text (self->host_row, retort_database_url_get (url, "host"));
      set_text (self->port_row, retort_database_url_get (url, "port"));
      set_text (self->database_row, retort_database_url_get (url, "dbname"));
      set_text (self->user_row, retort_database_url_get (url, "user"));
      set_text (self->address_row, NULL);
      gtk_toggle_button_set_active (self->fields_toggle, TRUE);
    }
  else
    {
      set_text (self->address_row, text);
      gtk_toggle_button_set_active (self->address_toggle, TRUE);
    }
  update_visibility (self);
}

static char *
fields_url (RetortProfileDialog *self)
{
  g_autofree char *host = stripped_text (self->host_row);
  g_autofree char *port = stripped_text (self->port_row);
  g_autofree char *database = stripped_text (self->database_row);
  g_autofree char *user = stripped_text (self->user_row);

  return build_postgresql_url (host, port, database, user);
}

static gboolean
fields_empty (RetortProfileDialog *self)
{
  AdwEntryRow *rows[] = { self->host_row, self->port_row, self->database_row, self->user_row };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    if (*gtk_editable_get_text (GTK_EDITABLE (rows[i])) != '\0')
      return FALSE;
  return TRUE;
}

static void
mark_row (GtkWidget *row,
          gboolean   error)
{
  if (row == NULL)
    return;
  if (error)
    gtk_widget_add_css_class (row, "error");
  else
    gtk_widget_remove_css_class (row, "error");
}

/* The address the form describes, never with a password, parsed to check
 * it; NULL with an error and the row at fault otherwise. */
static char *
form_url (RetortProfileDialog  *self,
          RetortDatabaseUrl   **parsed,
          GtkWidget           **row,
          GError              **error)
{
  g_autofree char *text = NULL;
  g_autoptr(GError) local_error = NULL;
  RetortDatabaseUrl *url;

  *row = NULL;
  if (!is_postgresql (self))
    {
      g_autofree char *path = stripped_text (self->file_row);

      *row = GTK_WIDGET (self->file_row);
      if (*path == '\0')
        {
          g_set_error_literal (error, RETORT_CONFIG_ERROR, RETORT_CONFIG_ERROR_INVALID,
                               _("Choose the SQLite database file."));
          return NULL;
        }
      text = build_sqlite_url (path);
    }
  else if (address_mode (self))
    {
      *row = GTK_WIDGET (self->address_row);
      text = stripped_text (self->address_row);
      if (*text == '\0')
        {
          g_set_error_literal (error, RETORT_CONFIG_ERROR, RETORT_CONFIG_ERROR_INVALID,
                               _("Type the database’s address."));
          return NULL;
        }
      if (retort_url_has_password (text))
        {
          g_set_error_literal (error, RETORT_CONFIG_ERROR, RETORT_CONFIG_ERROR_PASSWORD,
                               _("The address holds a password. Type it in the Password field "
                                 "instead: Retort keeps passwords in the keyring or for this "
                                 "session, never in its settings file."));
          return NULL;
        }
    }
  else
    {
      g_autofree char *port = stripped_text (self->port_row);
      guint64 number = 0;

      if (*port != '\0' &&
          !g_ascii_string_to_unsigned (port, 10, 1, 65535, &number, NULL))
        {
          *row = GTK_WIDGET (self->port_row);
          g_set_error_literal (error, RETORT_CONFIG_ERROR, RETORT_CONFIG_ERROR_INVALID,
                               _("The port is a number from 1 to 65535."));
          return NULL;
        }
      *row = GTK_WIDGET (self->host_row);
      text = fields_url (self);
    }

  url = retort_database_url_parse (text, project_base_dir (self), &local_error);
  if (url == NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  *row = NULL;
  if (parsed != NULL)
    *parsed = url;
  else
    retort_database_url_free (url);
  return g_steal_pointer (&text);
}

static void
show_error (RetortProfileDialog *self,
            GtkWidget           *row,
            const char          *message)
{
  gtk_label_set_text (self->error_label, message);
  gtk_revealer_set_reveal_child (self->error_revealer, TRUE);
  mark_row (row, TRUE);
  if (row != NULL)
    gtk_widget_grab_focus (row);
}

static void
clear_errors (RetortProfileDialog *self)
{
  GtkWidget *rows[] = {
    GTK_WIDGET (self->name_row), GTK_WIDGET (self->host_row), GTK_WIDGET (self->port_row),
    GTK_WIDGET (self->address_row), GTK_WIDGET (self->file_row),
  };

  gtk_revealer_set_reveal_child (self->error_revealer, FALSE);
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    mark_row (rows[i], FALSE);
}

/* --- Test Connection ------------------------------------------------------ */

static void
show_test_result (RetortProfileDialog *self,
                  ResultKind           kind,
                  const char          *title,
                  const char          *subtitle)
{
  static const char * const icons[] = {
    "network-server-symbolic", "object-select-symbolic",
    "dialog-warning-symbolic", "dialog-error-symbolic",
  };
  static const char * const classes[] = { NULL, "success", "warning", "error" };
  GtkWidget *icon = GTK_WIDGET (self->test_icon);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->test_row), title);
  adw_action_row_set_subtitle (self->test_row, subtitle != NULL ? subtitle : "");
  gtk_image_set_from_icon_name (self->test_icon, icons[kind]);
  for (guint i = 1; i < G_N_ELEMENTS (classes); i++)
    gtk_widget_remove_css_class (icon, classes[i]);
  if (classes[kind] != NULL)
    gtk_widget_add_css_class (icon, classes[kind]);
  gtk_stack_set_visible_child_name (self->test_stack, "icon");
  gtk_spinner_set_spinning (self->test_spinner, FALSE);
}

static void
set_testing (RetortProfileDialog *self,
             gboolean             testing)
{
  if (self->testing == testing)
    return;
  self->testing = testing;
  gtk_widget_set_sensitive (GTK_WIDGET (self->test_button), !testing);
  if (testing)
    {
      gtk_stack_set_visible_child_name (self->test_stack, "spinner");
      gtk_spinner_set_spinning (self->test_spinner, TRUE);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TESTING]);
}

/* Drops the test under way: its answer, if it ever comes, is ignored. */
static void
stop_test (RetortProfileDialog *self)
{
  g_clear_handle_id (&self->test_timeout_id, g_source_remove);
  if (self->test_cancellable != NULL)
    {
      g_cancellable_cancel (self->test_cancellable);
      g_clear_object (&self->test_cancellable);
    }
}

static char *
describe_state (RetortDialect             dialect,
                const RetortVersionState *state)
{
  /* engine names are not translated */
  const char *engine = dialect == RETORT_DIALECT_SQLITE ? "SQLite" : "PostgreSQL";

  switch (state->kind)
    {
    case RETORT_VERSION_STATE_VERSIONED:
      {
        g_autoptr(GString) rows = g_string_new (NULL);

        for (guint i = 0; state->rows != NULL && state->rows[i] != NULL; i++)
          {
            g_autofree char *short_id = retort_project_short_id (state->rows[i]);
            g_string_append_printf (rows, "%s%s", rows->len ? ", " : "", short_id);
          }
        /* Translators: "PostgreSQL, version table at 3c9e1f5a" */
        return g_strdup_printf (_("%s, version table at %s"), engine, rows->str);
      }
    case RETORT_VERSION_STATE_BASE:
      /* Translators: "PostgreSQL, empty version table" */
      return g_strdup_printf (_("%s, empty version table"), engine);
    case RETORT_VERSION_STATE_EMPTY:
      /* Translators: "SQLite, no version table, no tables" */
      return g_strdup_printf (_("%s, no version table, no tables"), engine);
    case RETORT_VERSION_STATE_LEGACY:
    default:
      /* Translators: "PostgreSQL, no version table, 12 other tables" */
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "%s, no version table, %u other table",
                                           "%s, no version table, %u other tables",
                                           state->other_tables),
                              engine, state->other_tables);
    }
}

/* libpq's messages come in indented lines ("\n\tIs the server running…") */
static char *
one_paragraph (const char *text)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  GString *paragraph = g_string_new (NULL);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_strstrip (lines[i]);
      if (*lines[i] == '\0')
        continue;
      if (paragraph->len > 0)
        /* a line that ends without a stop gets one before the next */
        g_string_append (paragraph, strchr (".!?:", paragraph->str[paragraph->len - 1]) ? " " : ". ");
      g_string_append (paragraph, lines[i]);
    }
  return g_string_free (paragraph, FALSE);
}

typedef struct {
  GWeakRef      dialog;
  GCancellable *cancellable;
} TestData;

static void
test_data_free (TestData *data)
{
  g_weak_ref_clear (&data->dialog);
  g_clear_object (&data->cancellable);
  g_free (data);
}

static void
on_test_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  TestData *data = user_data;
  g_autoptr(RetortProfileDialog) self = g_weak_ref_get (&data->dialog);
  g_autoptr(RetortVersionState) state = NULL;
  g_autoptr(GError) error = NULL;
  gboolean stale = g_cancellable_is_cancelled (data->cancellable);

  state = retort_connection_read_state_finish (RETORT_CONNECTION (source), result, &error);
  test_data_free (data);
  if (self == NULL || stale)
    return;  /* closed, timed out, or another test started */

  g_clear_handle_id (&self->test_timeout_id, g_source_remove);
  g_clear_object (&self->test_cancellable);
  if (state != NULL)
    {
      g_autofree char *text = describe_state (retort_connection_get_dialect (RETORT_CONNECTION (source)),
                                              state);
      show_test_result (self, RESULT_SUCCESS, _("Connected"), text);
    }
  else
    {
      /* the server's words (libpq never repeats a password), as one paragraph */
      g_autofree char *message = one_paragraph (error->message);
      show_test_result (self, RESULT_ERROR, _("Connection Failed"), message);
    }
  set_testing (self, FALSE);
}

static gboolean
on_test_timeout (gpointer user_data)
{
  RetortProfileDialog *self = user_data;
  g_autofree char *message = NULL;

  self->test_timeout_id = 0;
  stop_test (self);
  message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                          "The database did not answer within %u second.",
                                          "The database did not answer within %u seconds.",
                                          self->test_timeout_s),
                             self->test_timeout_s);
  show_test_result (self, RESULT_ERROR, _("No Answer"), message);
  set_testing (self, FALSE);
  return G_SOURCE_REMOVE;
}

static const char *
typed_password (RetortProfileDialog *self)
{
  return gtk_editable_get_text (GTK_EDITABLE (self->password_row));
}

void
retort_profile_dialog_test_connection (RetortProfileDialog *self)
{
  g_autoptr(RetortDatabaseUrl) url = NULL;
  g_autoptr(RetortConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  RetortScriptDir *script_dir;
  const char *password;
  const char *table = "alembic_version";
  const char *schema = NULL;
  GtkWidget *row = NULL;
  TestData *data;

  g_return_if_fail (RETORT_IS_PROFILE_DIALOG (self));

  stop_test (self);
  set_testing (self, FALSE);
  clear_errors (self);

  text = form_url (self, &url, &row, &error);
  if (text == NULL)
    {
      mark_row (row, TRUE);
      show_test_result (self, RESULT_ERROR, _("Cannot Test"), error->message);
      return;
    }

  /* SQLite would create a missing file: testing must change nothing */
  if (url->dialect == RETORT_DIALECT_SQLITE &&
      strcmp (url->sqlite_path, ":memory:") != 0 &&
      !g_file_test (url->sqlite_path, G_FILE_TEST_EXISTS))
    {
      g_autofree char *message =
        g_strdup_printf (_("%s does not exist. The first upgrade creates it."), url->sqlite_path);
      show_test_result (self, RESULT_WARNING, _("No Such File"), message);
      return;
    }

  password = typed_password (self);
  if (*password == '\0')
    password = self->known_password;
  if (url->dialect == RETORT_DIALECT_POSTGRESQL)
    {
      if (password != NULL && *password != '\0')
        retort_database_url_set (url, "password", password);
      if (retort_database_url_get (url, "connect_timeout") == NULL)
        retort_database_url_set (url, "connect_timeout", CONNECT_TIMEOUT_SECONDS);
    }

  script_dir = retort_project_get_script_dir (self->project);
  if (script_dir != NULL)
    {
      if (retort_script_dir_get_version_table (script_dir) != NULL)
        table = retort_script_dir_get_version_table (script_dir);
      schema = retort_script_dir_get_version_table_schema (script_dir);
    }

  connection = retort_connection_new (url);
  wipe_url_password (url);  /* the connection has its own copy */

  self->test_cancellable = g_cancellable_new ();
  data = g_new0 (TestData, 1);
  g_weak_ref_init (&data->dialog, self);
  data->cancellable = g_object_ref (self->test_cancellable);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->test_row), _("Testing…"));
  adw_action_row_set_subtitle (self->test_row, url->display);
  set_testing (self, TRUE);
  retort_connection_read_state_async (connection, schema, table, G_PRIORITY_DEFAULT, self->test_cancellable,
                                      on_test_done, data);
  self->test_timeout_id = g_timeout_add_seconds (self->test_timeout_s, on_test_timeout, self);
}

void
retort_profile_dialog_set_test_timeout (RetortProfileDialog *self,
                                        guint                seconds)
{
  g_return_if_fail (RETORT_IS_PROFILE_DIALOG (self));
  g_return_if_fail (seconds > 0);
  self->test_timeout_s = seconds;
}

gboolean
retort_profile_dialog_get_testing (RetortProfileDialog *self)
{
  g_return_val_if_fail (RETORT_IS_PROFILE_DIALOG (self), FALSE);
  return self->testing;
}

static void
on_test_clicked (RetortProfileDialog *self)
{
  retort_profile_dialog_test_connection (self);
}

/* An answer that arrives after the dialog was closed finds its widgets gone. */
static gboolean
closed (RetortProfileDialog *self)
{
  return g_cancellable_is_cancelled (self->cancellable);
}

/* --- Save ----------------------------------------------------------------- */

/* error_message: what went wrong with the keyring, or NULL to close */
static void
finish_saving (RetortProfileDialog *self,
               const char          *error_message)
{
  self->saving = FALSE;
  gtk_widget_set_sensitive (GTK_WIDGET (self->save_button), TRUE);
  if (error_message != NULL)
    {
      show_error (self, NULL, error_message);
      return;
    }
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
on_keyring_stored (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(RetortProfileDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  if (retort_secrets_store_finish (result, &error))
    self->in_keyring = TRUE;
  if (closed (self))
    return;
  if (error != NULL)
    message = g_strdup_printf (_("The database is saved, but its password could not be put "
                                 "in the keyring: %s. It is kept for this session."),
                               error->message);
  finish_saving (self, message);
}

static void
on_keyring_cleared (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(RetortProfileDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  retort_secrets_clear_finish (result, &error);
  if (error == NULL)
    self->in_keyring = FALSE;
  if (closed (self))
    return;
  if (error != NULL)
    message = g_strdup_printf (_("The database is saved, but its password could not be "
                                 "removed from the keyring: %s."),
                               error->message);
  finish_saving (self, message);
}

static RetortProfileEntry
form_fields (RetortProfileDialog *self,
             char                *name,
             char                *url)
{
  RetortProfileEntry fields = { 0 };
  const RetortProfileEntry *before = self->profile != NULL ? retort_profile_get_entry (self->profile) : NULL;

  fields.name = name;
  fields.project = (char *) retort_project_get_id (self->project);
  fields.url = url;
  fields.tier = adw_combo_row_get_selected (self->tier_row);
  fields.colour = before != NULL ? before->colour : NULL;
  fields.read_only = gtk_switch_get_active (self->read_only_switch);
  fields.transaction = adw_combo_row_get_selected (self->transaction_row);
  fields.backup = adw_combo_row_get_selected (self->backup_row);
  return fields;
}

static void
on_save_clicked (RetortProfileDialog *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *url = NULL;
  RetortProfileEntry fields;
  GtkWidget *row = NULL;
  const char *password = NULL;
  gboolean adding = self->profile == NULL;
  gboolean renamed = FALSE;
  gboolean keyring;

  if (self->saving)
    return;
  clear_errors (self);

  name = stripped_text (self->name_row);
  if (*name == '\0')
    {
      show_error (self, GTK_WIDGET (self->name_row), _("Give the database a name."));
      return;
    }
  url = form_url (self, NULL, &row, &error);
  if (url == NULL)
    {
      show_error (self, row, error->message);
      return;
    }

  if (is_postgresql (self) && *typed_password (self) != '\0')
    password = typed_password (self);

  fields = form_fields (self, name, url);
  if (adding)
    {
      RetortProfile *profile = retort_workspace_add_profile (self->workspace, self->project,
                                                             &fields, &error);
      if (profile == NULL)
        {
          show_error (self, NULL, error->message);
          return;
        }
      self->profile = g_object_ref (profile);
      if (password != NULL)
        {
          retort_profile_set_password (self->profile, password);
          /* its first check started without the password */
          retort_workspace_refresh_profile (self->workspace, self->profile);
        }
    }
  else
    {
      renamed = g_strcmp0 (retort_profile_get_name (self->profile), name) != 0;
      /* set first, so the check that follows the update has it */
      if (password != NULL)
        retort_profile_set_password (self->profile, password);
      else if (!is_postgresql (self))
        retort_profile_set_password (self->profile, NULL);
      if (!retort_workspace_update_profile (self->workspace, self->profile, &fields, &error))
        {
          show_error (self, NULL, error->message);
          return;
        }
    }

  g_signal_emit (self, signals[SAVED], 0, self->profile);

  /* the keyring, if the user asked for it; the dialog closes when it answered */
  keyring = retort_secrets_available () && is_postgresql (self);
  /* a session password the user now wants kept, or a kept one under a new label */
  if (password == NULL && keyring && (!self->in_keyring || renamed))
    password = self->known_password;
  if (keyring && gtk_switch_get_active (self->keyring_switch) && password != NULL)
    {
      g_autofree char *label = retort_secrets_label (name);

      self->saving = TRUE;
      gtk_widget_set_sensitive (GTK_WIDGET (self->save_button), FALSE);
      /* not cancelled with the dialog: what Save asked for is done either way */
      retort_secrets_store_async (retort_profile_get_id (self->profile), label, password,
                                  NULL, on_keyring_stored, g_object_ref (self));
      return;
    }
  if (self->in_keyring && (!is_postgresql (self) || !gtk_switch_get_active (self->keyring_switch)))
    {
      self->saving = TRUE;
      gtk_widget_set_sensitive (GTK_WIDGET (self->save_button), FALSE);
      retort_secrets_clear_async (retort_profile_get_id (self->profile), NULL,
                                  on_keyring_cleared, g_object_ref (self));
      return;
    }
  finish_saving (self, NULL);
}

/* --- other callbacks ------------------------------------------------------ */

static void
reset_test_result (RetortProfileDialog *self)
{
  if (self->testing)
    return;
  show_test_result (self, RESULT_NEUTRAL, _("Not Tested"),
                    _("Reads the version table; changes nothing"));
}

static void
on_field_changed (RetortProfileDialog *self,
                  GtkEditable         *editable)
{
  mark_row (GTK_WIDGET (editable), FALSE);
  reset_test_result (self);
}

static void
on_engine_changed (RetortProfileDialog *self)
{
  update_visibility (self);
  reset_test_result (self);
}

/* Switching between the fields and the address carries what was typed over. */
static void
on_mode_toggled (RetortProfileDialog *self,
                 GtkToggleButton     *button)
{
  /* the button let go is told first, while neither is active yet */
  if (!gtk_toggle_button_get_active (button))
    return;
  if (address_mode (self))
    {
      if (*gtk_editable_get_text (GTK_EDITABLE (self->address_row)) == '\0' && !fields_empty (self))
        {
          g_autofree char *url = fields_url (self);
          set_text (self->address_row, url);
        }
    }
  else
    {
      g_autofree char *text = stripped_text (self->address_row);
      g_autoptr(RetortDatabaseUrl) url = NULL;

      if (*text != '\0' && !retort_url_has_password (text))
        url = retort_database_url_parse (text, project_base_dir (self), NULL);
      if (url != NULL && url_fits_fields (text, url))
        fill_from_url (self, text);
    }
  update_visibility (self);
  reset_test_result (self);
}

static void
on_choice_changed (RetortProfileDialog *self)
{
  static const char *tier_hints[] = {
    N_("Changes run after a review"),
    N_("Changes run after a review"),
    N_("Every change asks for the database’s name to be typed"),
    N_("Changes run after a review"),
  };
  static const char *transaction_hints[] = {
    N_("As Alembic does: one for the whole run on PostgreSQL, one per revision on SQLite"),
    N_("All revisions apply together or not at all"),
    N_("Each revision is committed on its own"),
  };
  guint tier = adw_combo_row_get_selected (self->tier_row);
  guint transaction = adw_combo_row_get_selected (self->transaction_row);

  if (tier < G_N_ELEMENTS (tier_hints))
    adw_action_row_set_subtitle (ADW_ACTION_ROW (self->tier_row), _(tier_hints[tier]));
  if (transaction < G_N_ELEMENTS (transaction_hints))
    adw_action_row_set_subtitle (ADW_ACTION_ROW (self->transaction_row),
                                 _(transaction_hints[transaction]));
}

static void
on_use_ini_clicked (RetortProfileDialog *self)
{
  if (self->ini_address == NULL)
    return;
  fill_from_url (self, self->ini_address);
  /* the password the ini held goes where passwords go, never into the address */
  if (self->ini_password != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->password_row), self->ini_password);
}

static void
on_chooser_response (RetortProfileDialog  *self,
                     int                   response,
                     GtkFileChooserNative *chooser)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;
  const char *folder = project_base_dir (self);

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  if (file != NULL)
    path = g_file_get_path (file);
  if (path != NULL)
    {
      g_autofree char *prefix = folder != NULL ? g_strconcat (folder, G_DIR_SEPARATOR_S, NULL) : NULL;

      /* inside the project: relative, so the profile moves with it */
      if (prefix != NULL && g_str_has_prefix (path, prefix))
        set_text (self->file_row, path + strlen (prefix));
      else
        set_text (self->file_row, path);
    }
  g_clear_object (&self->chooser);
}

static void
on_choose_clicked (RetortProfileDialog *self)
{
  g_autoptr(GtkFileFilter) databases = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) everything = gtk_file_filter_new ();
  const char *folder = project_base_dir (self);

  if (self->chooser != NULL)
    return;
  self->chooser = gtk_file_chooser_native_new (_("Choose an SQLite Database"), GTK_WINDOW (self),
                                               GTK_FILE_CHOOSER_ACTION_OPEN,
                                               _("_Choose"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);

  gtk_file_filter_set_name (databases, _("SQLite Databases"));
  gtk_file_filter_add_mime_type (databases, "application/vnd.sqlite3");
  gtk_file_filter_add_pattern (databases, "*.db");
  gtk_file_filter_add_pattern (databases, "*.sqlite");
  gtk_file_filter_add_pattern (databases, "*.sqlite3");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), databases);
  gtk_file_filter_set_name (everything, _("All Files"));
  gtk_file_filter_add_pattern (everything, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), everything);

  if (folder != NULL)
    {
      g_autoptr(GFile) location = g_file_new_for_path (folder);
      gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (self->chooser), location, NULL);
    }
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (on_chooser_response),
                           self, G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
on_lookup_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(RetortProfileDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  char *password = retort_secrets_lookup_finish (result, &error);

  if (error != NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("no password from the keyring: %s", error->message);
      return;
    }
  if (password == NULL)
    return;
  if (closed (self))
    {
      retort_secrets_password_free (password);
      return;
    }
  self->in_keyring = TRUE;
  if (self->known_password == NULL)
    self->known_password = password;
  else
    retort_secrets_password_free (password);
  gtk_switch_set_active (self->keyring_switch, TRUE);
  update_password_description (self);
}

static void
on_probe_done (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(RetortProfileDialog) self = user_data;
  g_autoptr(GError) error = NULL;

  retort_secrets_probe_finish (result, &error);
  if (!closed (self))
    update_password_description (self);
}

/* --- GObject -------------------------------------------------------------- */

static void
retort_profile_dialog_dispose (GObject *object)
{
  RetortProfileDialog *self = RETORT_PROFILE_DIALOG (object);

  stop_test (self);
  g_cancellable_cancel (self->cancellable);
  /* GtkEntryBuffer wipes the text it lets go of */
  if (self->password_row != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  gtk_widget_dispose_template (GTK_WIDGET (self), RETORT_TYPE_PROFILE_DIALOG);
  g_clear_object (&self->workspace);
  g_clear_object (&self->project);
  g_clear_object (&self->profile);

  G_OBJECT_CLASS (retort_profile_dialog_parent_class)->dispose (object);
}

static void
retort_profile_dialog_finalize (GObject *object)
{
  RetortProfileDialog *self = RETORT_PROFILE_DIALOG (object);

  g_clear_object (&self->cancellable);
  clear_password (&self->known_password);
  clear_password (&self->ini_password);
  g_free (self->ini_address);
  g_free (self->base_dir);

  G_OBJECT_CLASS (retort_profile_dialog_parent_class)->finalize (object);
}

static void
retort_profile_dialog_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  RetortProfileDialog *self = RETORT_PROFILE_DIALOG (object);

  switch (prop_id)
    {
    case PROP_TESTING:
      g_value_set_boolean (value, self->testing);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
retort_profile_dialog_class_init (RetortProfileDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = retort_profile_dialog_dispose;
  object_class->finalize = retort_profile_dialog_finalize;
  object_class->get_property = retort_profile_dialog_get_property;

  properties[PROP_TESTING] =
    g_param_spec_boolean ("testing", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * RetortProfileDialog::saved:
   * @profile: the profile as saved (new or edited)
   *
   * retort.conf has it; the dialog closes once the keyring, if asked, answered.
   */
  signals[SAVED] = g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                 0, NULL, NULL, NULL,
                                 G_TYPE_NONE, 1, RETORT_TYPE_PROFILE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/retort/Retort/ui/retort-profile-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, RetortProfileDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, RetortProfileDialog, save_button);
  gtk_widget_class_bind_template_child (widget_class, RetortProfileDialog, error_revealer);
  gtk_widget_class_bind_template_child (widget_class, RetortProfileDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, RetortProfileDialog, name_row);
  gtk_widget_class_bind_template_child (widget_class, RetortProfileDialog, engine_row);
  gtk_widget_class_bind_template_child (widget_class, RetortProfileDialog, connection_group);
  gtk_widget_class_bind_template_child (widget_class, RetortProfileDialog, mode_box);
  gtk_widget_class_bind_template_child (widget_class, RetortProfileDialog, fields_toggle);
  gtk_widget_class_bind_template_child (widget_class, RetortProfileDialog, address_toggle);
  gtk_widget_class_bind_template_child (widget_class, RetortProfileDialog, ini_row);
  gtk_widget_class_bind_template_child (widget_class, RetortProfileDialog, ini_button);
  gtk_widget_class_bind_template_child (widget_class, RetortProfileDialog, host_row);
  gtk_widget_class_bind_template_child (widget_class, RetortProfileDialog, port_row);
  gtk_widget_class_bind_template_child (widget_class, RetortProfileDialog, database_row);
  gtk_widget_class_bind_template_child (widget_class, RetortProfileDialog, user_row);
  gtk_widget_class_bind_template_child (widget_class, RetortProfileDialog, address_row);
  gtk_widget_class_bind_template_child (widget_class, RetortProfileDialog, file_row);
  gtk_widget_class_bind_template_child (widget_class, RetortProfileDialog, password_group);
  gtk_widget_class_bind_template_child (widget_class, RetortProfileDialog, password_row);
  gtk_widget_class_bind_template_child (widget_class, RetortProfileDialog, keyring_row);
  gtk_widget_class_bind_template_child (widget_class, RetortProfileDialog, keyring_switch);
  gtk_widget_class_bind_template_child (widget_class, RetortProfileDialog, test_row);
  gtk_widget_class_bind_template_child (widget_class, RetortProfileDialog, test_stack);
  gtk_widget_class_bind_template_child (widget_class, RetortProfileDialog, test_icon);
  gtk_widget_class_bind_template_child (widget_class, RetortProfileDialog, test_spinner);
  gtk_widget_class_bind_template_child (widget_class, RetortProfileDialog, test_button);
  gtk_widget_class_bind_template_child (widget_class, RetortProfileDialog, tier_row);
  gtk_widget_class_bind_template_child (widget_class, RetortProfileDialog, read_only_switch);
  gtk_widget_class_bind_template_child (widget_class, RetortProfileDialog, transaction_row);
  gtk_widget_class_bind_template_child (widget_class, RetortProfileDialog, backup_row);
  gtk_widget_class_bind_template_callback (widget_class, on_save_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_test_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_field_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_engine_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_mode_toggled);
  gtk_widget_class_bind_template_callback (widget_class, on_choice_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_use_ini_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_choose_clicked);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
retort_profile_dialog_init (RetortProfileDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->test_timeout_s = TEST_TIMEOUT_SECONDS;
  gtk_window_set_default_widget (GTK_WINDOW (self), GTK_WIDGET (self->save_button));
  on_choice_changed (self);
}

/* Fills the form from a saved profile. */
static void
load_profile (RetortProfileDialog *self)
{
  const RetortProfileEntry *entry = retort_profile_get_entry (self->profile);
  g_autoptr(RetortDatabaseUrl) url = NULL;

  set_text (self->name_row, entry->name);
  fill_from_url (self, entry->url);
  adw_combo_row_set_selected (self->tier_row, entry->tier);
  gtk_switch_set_active (self->read_only_switch, entry->read_only);
  adw_combo_row_set_selected (self->transaction_row, entry->transaction);
  adw_combo_row_set_selected (self->backup_row, entry->backup);

  /* the session's password, kept out of the form: an empty field keeps it */
  url = retort_profile_build_url (self->profile, NULL);
  if (url != NULL && retort_database_url_get (url, "password") != NULL)
    self->known_password = g_strdup (retort_database_url_get (url, "password"));
  wipe_url_password (url);

  /* the switch says what the keyring holds, once it answered */
  gtk_switch_set_active (self->keyring_switch, FALSE);
  retort_secrets_lookup_async (retort_profile_get_id (self->profile), self->cancellable,
                               on_lookup_done, g_object_ref (self));
}

/* alembic.ini's own address, offered with a button */
static void
load_ini_address (RetortProfileDialog *self)
{
  RetortScriptDir *script_dir = retort_project_get_script_dir (self->project);
  const char *url = script_dir != NULL ? retort_script_dir_get_url (script_dir) : NULL;
  g_autoptr(RetortDatabaseUrl) parsed = NULL;

  if (url == NULL || *url == '\0' || self->ini_address != NULL)
    return;
  self->ini_address = split_password (url, project_base_dir (self), &self->ini_password);
  parsed = retort_database_url_parse (self->ini_address, project_base_dir (self), NULL);
  adw_action_row_set_subtitle (self->ini_row, parsed != NULL ? parsed->display : self->ini_address);
  gtk_widget_set_visible (GTK_WIDGET (self->ini_row), TRUE);
}

RetortProfileDialog *
retort_profile_dialog_new (GtkWindow       *parent,
                           RetortWorkspace *workspace,
                           RetortProject   *project,
                           RetortProfile   *profile)
{
  RetortProfileDialog *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (RETORT_IS_WORKSPACE (workspace), NULL);
  g_return_val_if_fail (RETORT_IS_PROJECT (project), NULL);
  g_return_val_if_fail (profile == NULL || RETORT_IS_PROFILE (profile), NULL);

  self = g_object_new (RETORT_TYPE_PROFILE_DIALOG,
                       "transient-for", parent,
                       NULL);
  self->workspace = g_object_ref (workspace);
  self->project = g_object_ref (project);
  self->profile = profile != NULL ? g_object_ref (profile) : NULL;
  self->base_dir = find_base_dir (project);

  adw_window_title_set_title (self->window_title,
                              profile != NULL ? _("Edit Database") : _("New Database"));
  adw_window_title_set_subtitle (self->window_title, retort_project_get_title (self->project));
  gtk_window_set_title (GTK_WINDOW (self),
                        profile != NULL ? _("Edit Database") : _("New Database"));

  load_ini_address (self);
  /* opened while the project still loads: offer the ini's address when it can be read */
  g_signal_connect_object (project, "notify::loaded", G_CALLBACK (load_ini_address), self, G_CONNECT_SWAPPED);
  if (profile != NULL)
    load_profile (self);
  update_visibility (self);
  update_password_description (self);
  reset_test_result (self);
  if (!retort_secrets_available ())
    retort_secrets_probe_async (self->cancellable, on_probe_done, g_object_ref (self));
  gtk_widget_grab_focus (GTK_WIDGET (self->name_row));
  return self;
}
