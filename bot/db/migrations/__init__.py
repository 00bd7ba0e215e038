"""Alembic migrations for the insightbot schema (env.py + versions/)."""
