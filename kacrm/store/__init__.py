"""The database: tables, engine, migrations and the queries the analyses need."""
