/* main.c — the retort executable
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "retort"

#include "config.h"

#include <locale.h>

#include <glib/gi18n.h>

#include "retort-application.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(RetortApplication) app = NULL;
  const char *localedir;

  /* RETORT_LOCALEDIR lets an uninstalled build find the .mo files it built. */
  localedir = g_getenv ("RETORT_LOCALEDIR");
  if (localedir == NULL || *localedir == '\0')
    localedir = LOCALEDIR;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = retort_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
