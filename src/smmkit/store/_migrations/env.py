"""Alembic's entry point for smmkit's store. It runs only on a connection the store opened
(``config.attributes["connection"]``), inside the store's own transaction: smmkit users never
need an ``alembic.ini``."""

from __future__ import annotations

from alembic import context

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=None, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
