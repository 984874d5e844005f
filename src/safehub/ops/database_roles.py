"""Two PostgreSQL logins: the owner of the schema, and the application's own login.

The owner (DATABASE_OWNER_URL) creates and alters tables: only `safehub migrate`, `safehub
restore` and `safehub grant_app_privileges` connect as it. The application's login
(DATABASE_URL) may read and write rows and nothing else: it owns no table, so it cannot ALTER,
DROP or TRUNCATE anything, nor switch off the access log's append-only trigger; on the access
log itself it may only INSERT and SELECT. SQLite has no logins, so none of this applies there.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper

AUDIT_TABLE = "audit_accessevent"
MIGRATIONS_TABLE = "django_migrations"
# Tables the application's login may only read and add to; every other table gets full DML.
INSERT_ONLY_TABLES = (AUDIT_TABLE,)
READ_ONLY_TABLES = (MIGRATIONS_TABLE,)
ROW_PRIVILEGES = ("SELECT", "INSERT", "UPDATE", "DELETE")
# Never granted on any table: TRUNCATE skips the delete trigger, TRIGGER adds triggers.
NEVER_GRANTED = ("TRUNCATE", "REFERENCES", "TRIGGER")
ROLE_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")
# The login attributes both roles get: no superuser, no making roles or databases.
PLAIN_LOGIN = "LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS"


class DatabaseRoleError(Exception):
    """The database logins are missing, misconfigured, or give the application too much."""


def quote_identifier(name: str) -> str:
    """PostgreSQL's quoting of a name (a role, a database), doubling any double quote."""
    return '"' + name.replace('"', '""') + '"'


def quote_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def check_role_name(name: str) -> str:
    """Accept a plain lower-case PostgreSQL name; refuse anything that would need quoting."""
    if not ROLE_NAME.fullmatch(name):
        raise DatabaseRoleError(
            f"{name!r} is not a plain PostgreSQL name (lower-case letters, digits and _, "
            "not starting with a digit, at most 63 characters)"
        )
    return name


def role_setup_script(*, owner: str, app: str, database: str) -> str:
    """The psql script a PostgreSQL superuser runs once to set up (or convert) a database.

    Creates both logins if missing and takes away anything that would let either one do more
    than its part (superuser, making roles or databases); creates the database owned by the
    owner if missing; and, for an install made before the two roles, hands everything the
    application's login owned in that database (tables, the database itself) to the owner.
    Safe to run again. Table privileges come later, from `safehub migrate` as the owner.
    Refuses names that are not plain lower-case identifiers, and the same name for both.
    """
    for name in (owner, app, database):
        check_role_name(name)
    if owner == app:
        raise DatabaseRoleError("the owner and the application's login must be different roles")
    o, a, d = quote_identifier(owner), quote_identifier(app), quote_identifier(database)
    lines = [
        "-- Safehub's database roles. Run as a PostgreSQL superuser, for example:",
        "--   sudo -u postgres psql -v ON_ERROR_STOP=1 -f roles.sql",
        "\\set ON_ERROR_STOP on",
    ]
    for role in (owner, app):
        lines += [
            _psql_when("NOT", "pg_roles", "rolname", role, f"CREATE ROLE {quote_identifier(role)}"),
            f"ALTER ROLE {quote_identifier(role)} {PLAIN_LOGIN};",
        ]
    member = f"pg_has_role({quote_literal(app)}, {quote_literal(owner)}, 'MEMBER')"
    lines += [
        # The application's login must never hold the owner's powers through membership.
        f"SELECT 'REVOKE {o} FROM {a}' WHERE {member}\\gexec",  # noqa: S608
        _psql_when("NOT", "pg_database", "datname", database, f"CREATE DATABASE {d} OWNER {o}"),
        f"ALTER DATABASE {d} OWNER TO {o};",
        f"REVOKE ALL ON DATABASE {d} FROM PUBLIC;",
        f"GRANT CONNECT, TEMPORARY ON DATABASE {d} TO {a};",
        f"\\connect {d}",
        # An older install: the application's login owns the tables. Give them to the owner.
        f"REASSIGN OWNED BY {a} TO {o};",
        f"ALTER SCHEMA public OWNER TO {o};",
        "REVOKE CREATE ON SCHEMA public FROM PUBLIC;",
        f"REVOKE ALL ON SCHEMA public FROM {a};",
        f"GRANT USAGE ON SCHEMA public TO {a};",
    ]
    return "\n".join(lines) + "\n"


def _psql_when(negate: str, catalog: str, column: str, value: str, command: str) -> str:
    """A psql line that runs `command` only when `catalog` has (or, with "NOT", lacks) a row
    whose `column` is `value`; `command` may not contain a single quote."""
    assert "'" not in command
    test = f"SELECT FROM {catalog} WHERE {column} = {quote_literal(value)}"  # noqa: S608
    return f"SELECT '{command}' WHERE {negate} EXISTS ({test})\\gexec"


def app_privilege_statements(app: str) -> list[str]:
    """The GRANT and REVOKE statements that give the application's login exactly its part.

    Run by the schema's owner. Row access (SELECT, INSERT, UPDATE, DELETE) on every table and
    USAGE, SELECT on every sequence, now and (by default privileges) for tables the owner makes
    later; never TRUNCATE, REFERENCES or TRIGGER. The access log then loses everything but
    INSERT and SELECT, and the migrations record everything but SELECT. Idempotent.
    """
    a = quote_identifier(app)
    statements = [
        "REVOKE CREATE ON SCHEMA public FROM PUBLIC",
        f"GRANT USAGE ON SCHEMA public TO {a}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {a}",
        f"REVOKE TRUNCATE, REFERENCES, TRIGGER ON ALL TABLES IN SCHEMA public FROM {a}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {a}",
        f"REVOKE UPDATE ON ALL SEQUENCES IN SCHEMA public FROM {a}",
        # Tables a later migration creates (as the role running this) are covered too.
        "ALTER DEFAULT PRIVILEGES IN SCHEMA public "
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {a}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO {a}",
    ]
    for table in INSERT_ONLY_TABLES:
        statements += [
            f"REVOKE ALL ON {quote_identifier(table)} FROM PUBLIC, {a}",
            f"GRANT SELECT, INSERT ON {quote_identifier(table)} TO {a}",
        ]
    for table in READ_ONLY_TABLES:
        statements += [
            f"REVOKE ALL ON {quote_identifier(table)} FROM PUBLIC, {a}",
            f"GRANT SELECT ON {quote_identifier(table)} TO {a}",
        ]
    return statements


def _rows(connection: BaseDatabaseWrapper, sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def app_role_problems(connection: BaseDatabaseWrapper, app: str) -> list[str]:
    """Everything that lets `app` do more (or less) than its part in this database, in words.

    An empty list means: `app` is an ordinary login that owns nothing (no table, not the schema,
    not the database, not by membership), cannot create in the schema, can only INSERT and
    SELECT on the access log, and has row access to every other table.
    """
    found = _rows(
        connection,
        "SELECT rolsuper, rolcreaterole, rolbypassrls FROM pg_roles WHERE rolname = %s",
        [app],
    )
    if not found:
        return [f"there is no PostgreSQL role {app!r}"]
    superuser, createrole, bypassrls = found[0]
    problems = []
    if superuser:
        return [f"{app} is a superuser: it can do anything, including drop the access log"]
    if createrole:
        problems.append(f"{app} has CREATEROLE: it could make itself a member of the owner")
    if bypassrls:
        problems.append(f"{app} has BYPASSRLS")
    for (owner,) in _rows(
        connection,
        "SELECT r.rolname FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner "
        "WHERE c.relnamespace = 'public'::regnamespace AND pg_has_role(%s, r.oid, 'MEMBER') "
        "UNION SELECT r.rolname FROM pg_proc p JOIN pg_roles r ON r.oid = p.proowner "
        "WHERE p.pronamespace = 'public'::regnamespace AND pg_has_role(%s, r.oid, 'MEMBER') "
        "UNION SELECT r.rolname FROM pg_namespace n JOIN pg_roles r ON r.oid = n.nspowner "
        "WHERE n.nspname = 'public' AND pg_has_role(%s, r.oid, 'MEMBER') "
        "UNION SELECT r.rolname FROM pg_database d JOIN pg_roles r ON r.oid = d.datdba "
        "WHERE d.datname = current_database() AND pg_has_role(%s, r.oid, 'MEMBER')",
        [app, app, app, app],
    ):
        problems.append(
            f"{app} owns tables, functions, the schema or the database (as or through {owner}): "
            "it could alter or drop them, and switch the access log's trigger off"
        )
    if _rows(connection, "SELECT has_schema_privilege(%s, 'public', 'CREATE')", [app])[0][0]:
        problems.append(f"{app} may create objects in the public schema")
    privileges = (*ROW_PRIVILEGES, *NEVER_GRANTED)
    checked = ", ".join(
        f"has_table_privilege(%s, format('public.%%I', tablename), '{privilege}')"
        for privilege in privileges
    )
    for table, *held in _rows(
        connection,
        f"SELECT tablename, {checked} FROM pg_tables "  # noqa: S608 - constant fragments only
        "WHERE schemaname = 'public' ORDER BY tablename",
        [app] * len(privileges),
    ):
        for privilege, has in zip(privileges, held, strict=True):
            if table in INSERT_ONLY_TABLES:
                wanted = privilege in ("SELECT", "INSERT")
            elif table in READ_ONLY_TABLES:
                wanted = privilege == "SELECT"
            else:
                wanted = privilege in ROW_PRIVILEGES
            if has and not wanted:
                problems.append(f"{app} may {privilege} on {table}")
            elif wanted and not has:
                problems.append(f"{app} may not {privilege} on {table}")
    return problems


def grant_app_privileges(connection: BaseDatabaseWrapper, app: str) -> None:
    """Give `app` exactly its part (see `app_privilege_statements`), then check the result.

    Run over the owner's connection. Refuses (DatabaseRoleError, naming every problem) when
    `app` is the login running it, or when afterwards `app` could still do more than its part,
    for example because it still owns the tables of an older install.
    """
    if connection.vendor != "postgresql":
        raise DatabaseRoleError(f"{connection.vendor} has no database roles")
    current = _rows(connection, "SELECT current_user", [])[0][0]
    if current == app:
        raise DatabaseRoleError(
            f"connected as {app}, the application's own login: run this as the owner "
            "(set DATABASE_OWNER_URL)"
        )
    refused = ""
    try:
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            for statement in app_privilege_statements(app):
                cursor.execute(statement)
    except DatabaseError as exc:  # all or nothing: typically, the owner does not own a table
        refused = f"{current} could not grant them ({str(exc).strip()}); "
    problems = app_role_problems(connection, app)
    if refused or problems:
        raise DatabaseRoleError(
            f"{refused}the application's login still has the wrong privileges:\n- "
            + "\n- ".join(problems)
        )


def owner_settings() -> dict[str, Any] | None:
    """The owner's connection settings (from DATABASE_OWNER_URL), or None when there is none."""
    owner: dict[str, Any] | None = getattr(settings, "SAFEHUB_DATABASE_OWNER", None)
    return owner


def app_login(alias: str = DEFAULT_DB_ALIAS) -> str:
    """The application's login name, from DATABASE_URL. Refuses a URL without one."""
    user = str(connections[alias].settings_dict.get("USER") or "")
    if not user:
        raise DatabaseRoleError(
            "DATABASE_URL names no user: write the application's login into it "
            "(postgres://safehub_app:PASSWORD@HOST:5432/safehub)"
        )
    return user


def checked_owner(alias: str = DEFAULT_DB_ALIAS) -> dict[str, Any] | None:
    """The owner's settings, checked against `alias`'s, or None when no owner is configured.

    Refuses an owner URL for another engine or another database than DATABASE_URL's.
    """
    owner = owner_settings()
    if owner is None:
        return None
    connection = connections[alias]
    if connection.vendor != "postgresql" or owner.get("ENGINE") != connection.settings_dict.get(
        "ENGINE"
    ):
        raise DatabaseRoleError("DATABASE_OWNER_URL is for PostgreSQL, like DATABASE_URL")
    if owner.get("NAME") != connection.settings_dict.get("NAME"):
        raise DatabaseRoleError(
            f"DATABASE_OWNER_URL names database {owner.get('NAME')!r} but DATABASE_URL names "
            f"{connection.settings_dict.get('NAME')!r}: they must be the same database"
        )
    return owner


@contextmanager
def connected_as_owner(alias: str = DEFAULT_DB_ALIAS) -> Iterator[BaseDatabaseWrapper]:
    """Within the block, the `alias` connection logs in as the owner (DATABASE_OWNER_URL).

    Without an owner configured it is the ordinary connection. Refuses what `checked_owner`
    refuses. The connection is closed on the way in and out, so nothing opened as the owner
    outlives the block.
    """
    owner = checked_owner(alias)
    connection = connections[alias]
    if owner is None:
        yield connection
        return
    saved = dict(connection.settings_dict)
    connection.close()
    connection.settings_dict.update(
        {key: owner.get(key, saved.get(key)) for key in ("USER", "PASSWORD", "HOST", "PORT")}
    )
    connection.settings_dict["OPTIONS"] = {**saved.get("OPTIONS", {}), **owner.get("OPTIONS", {})}
    try:
        yield connection
    finally:
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(saved)
