"""The alembic.ini the Python test harnesses write for their script
directories: Alembic's stock logging setup, so "Running upgrade ..." lines
reach stderr at INFO, under an [alembic] section of the caller's."""

LOGGING = """[loggers]
keys = root,sqlalchemy,alembic

[handlers]
keys = console

[formatters]
keys = generic

[logger_root]
level = WARN
handlers = console
qualname =

[logger_sqlalchemy]
level = WARN
handlers =
qualname = sqlalchemy.engine

[logger_alembic]
level = INFO
handlers =
qualname = alembic

[handler_console]
class = StreamHandler
args = (sys.stderr,)
level = NOTSET
formatter = generic

[formatter_generic]
format = %(levelname)-5.5s [%(name)s] %(message)s
datefmt = %H:%M:%S
"""


def alembic_ini(script_location, url=None, header=""):
    """The text of an alembic.ini: an optional comment header, the [alembic]
    section (script_location, sqlalchemy.url when given), then LOGGING."""
    text = header + "[alembic]\nscript_location = %s\n" % script_location
    if url is not None:
        text += "sqlalchemy.url = %s\n" % url
    return text + "\n" + LOGGING
