"""Person search on PostgreSQL: trigram indexes over the names (pg_trgm), Double Metaphone
indexes over given and family names (fuzzystrmatch), and upper-case given names for the
nickname table. SQLite needs none of these: search reads the names there (people/search.py).
"""

from django.db import migrations

INDEXES = [
    ("people_person_family_trgm", "USING gin (family_name gin_trgm_ops)"),
    ("people_person_given_trgm", "USING gin (given_name gin_trgm_ops)"),
    ("people_person_known_as_trgm", "USING gin (known_as gin_trgm_ops)"),
    ("people_person_family_dmeta", "(dmetaphone(family_name))"),
    ("people_person_given_dmeta", "(dmetaphone(given_name))"),
    ("people_person_given_upper", "(upper(given_name))"),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS fuzzystrmatch")
    for name, definition in INDEXES:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON people_person {definition}")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _definition in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("people", "0004_person_born_index")]

    operations = [migrations.RunPython(create, drop)]
