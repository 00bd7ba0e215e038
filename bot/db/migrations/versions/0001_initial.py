"""Initial schema: chats, subscriptions, deliveries (ledger), deck_cards, send_budget.

Revision ID: 0001_initial
Revises:
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from bot.db.models import BigId, UTCDateTime

revision = "0001_initial"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the tables."""
    op.create_table(
        "chats",
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("type", sa.String(16), nullable=False),
        sa.Column("title", sa.String(256), nullable=True),
        sa.Column("language", sa.String(8), nullable=True),
        sa.Column("timezone", sa.String(64), nullable=True),
        sa.Column("is_member", sa.Boolean(), nullable=False),
        sa.Column("migrated_to", sa.BigInteger(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_chats")),
    )
    op.create_table(
        "subscriptions",
        sa.Column("id", BigId, autoincrement=True, nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("topic", sa.String(64), nullable=False),
        sa.Column("minute", sa.Integer(), nullable=False),
        sa.Column("timezone", sa.String(64), nullable=False),
        sa.Column("weekdays", sa.Integer(), nullable=False),
        sa.Column("langs", sa.String(8), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("next_due_at", UTCDateTime(), nullable=True),
        sa.Column("next_local_date", sa.Date(), nullable=True),
        sa.Column("last_local_date", sa.Date(), nullable=True),
        sa.Column("ended_reason", sa.String(64), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["chat_id"],
            ["chats.id"],
            name=op.f("fk_subscriptions_chat_id_chats"),
            ondelete="CASCADE",
            onupdate="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_subscriptions")),
        sa.UniqueConstraint("chat_id", "topic", name=op.f("uq_subscriptions_chat_id")),
    )
    op.create_index("ix_subscriptions_due", "subscriptions", ["active", "next_due_at"])
    op.create_index(op.f("ix_subscriptions_chat_id"), "subscriptions", ["chat_id"])
    op.create_table(
        "deliveries",
        sa.Column("id", BigId, autoincrement=True, nullable=False),
        sa.Column("subscription_id", sa.BigInteger(), nullable=False),
        sa.Column("local_date", sa.Date(), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("excerpt_id", sa.String(40), nullable=True),
        sa.Column("worker", sa.String(64), nullable=True),
        sa.Column("lease_until", UTCDateTime(), nullable=True),
        sa.Column("available_at", UTCDateTime(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.BigInteger(), nullable=True),
        sa.Column("error", sa.String(200), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("sent_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["subscription_id"],
            ["subscriptions.id"],
            name=op.f("fk_deliveries_subscription_id_subscriptions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deliveries")),
        sa.UniqueConstraint(
            "subscription_id", "local_date", name=op.f("uq_deliveries_subscription_id")
        ),
    )
    op.create_index("ix_deliveries_work", "deliveries", ["status", "available_at"])
    op.create_index(op.f("ix_deliveries_chat_id"), "deliveries", ["chat_id"])
    op.create_table(
        "deck_cards",
        sa.Column("deck", sa.String(64), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("excerpt_id", sa.String(40), nullable=False),
        sa.Column("cycle", sa.Integer(), nullable=False),
        sa.Column("dealt_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("deck", "seq", name=op.f("pk_deck_cards")),
    )
    op.create_table(
        "send_budget",
        sa.Column("name", sa.String(32), nullable=False),
        sa.Column("next_at", sa.Float(), nullable=False),
        sa.Column("paused_until", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_send_budget")),
    )


def downgrade() -> None:
    """Drop the tables."""
    op.drop_table("send_budget")
    op.drop_table("deck_cards")
    op.drop_index(op.f("ix_deliveries_chat_id"), table_name="deliveries")
    op.drop_index("ix_deliveries_work", table_name="deliveries")
    op.drop_table("deliveries")
    op.drop_index(op.f("ix_subscriptions_chat_id"), table_name="subscriptions")
    op.drop_index("ix_subscriptions_due", table_name="subscriptions")
    op.drop_table("subscriptions")
    op.drop_table("chats")
