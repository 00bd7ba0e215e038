"""SQLAlchemy 2 typed models: chats, subscriptions, the delivery ledger, decks, the send budget."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# Stable constraint names so Alembic migrations can refer to them on every backend.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    """The current instant, timezone-aware UTC."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """An aware UTC timestamp on every backend (SQLite stores naive UTC text that sorts right)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Store UTC; naive values are refused because they are always a bug here."""
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        """Read back as aware UTC."""
        if value is None:
            return None
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


# SQLite only auto-increments INTEGER PRIMARY KEY; PostgreSQL gets a 64-bit identity.
BigId = BigInteger().with_variant(Integer(), "sqlite")


class Base(DeclarativeBase):
    """Declarative base with the shared naming convention."""

    metadata = MetaData(naming_convention=NAMING)


class Chat(Base):
    """A chat the bot has seen: its kind, title, language, time zone and membership."""

    __tablename__ = "chats"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    type: Mapped[str] = mapped_column(String(16))  # private, group, supergroup, channel
    title: Mapped[str | None] = mapped_column(String(256))
    language: Mapped[str | None] = mapped_column(String(8))  # None: follow the user's client
    timezone: Mapped[str | None] = mapped_column(String(64))
    is_member: Mapped[bool] = mapped_column(default=True)  # False once blocked/kicked/left
    migrated_to: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class Subscription(Base):
    """One daily delivery stream of a chat: a topic (or all), a local time, zone and weekdays."""

    __tablename__ = "subscriptions"
    __table_args__ = (
        UniqueConstraint("chat_id", "topic"),
        Index("ix_subscriptions_due", "active", "next_due_at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    chat_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("chats.id", ondelete="CASCADE", onupdate="CASCADE"), index=True
    )
    topic: Mapped[str] = mapped_column(String(64), default="")  # "" = every topic
    minute: Mapped[int] = mapped_column(Integer)  # minutes after local midnight
    timezone: Mapped[str] = mapped_column(String(64))
    weekdays: Mapped[int] = mapped_column(Integer, default=0b1111111)  # bit 0 = Monday
    langs: Mapped[str] = mapped_column(String(8), default="both")  # en, zh or both
    active: Mapped[bool] = mapped_column(default=True)
    next_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    next_local_date: Mapped[date | None]
    last_local_date: Mapped[date | None]  # the latest local date a delivery was queued for
    ended_reason: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class Delivery(Base):
    """The ledger: one row per (subscription, local date); its uniqueness forbids a second send.

    status: pending -> claimed (lease) -> sending -> sent | failed | unknown | skipped.
    `unknown` means the process died while the request was in flight: it is never resent.
    """

    __tablename__ = "deliveries"
    __table_args__ = (
        UniqueConstraint("subscription_id", "local_date"),
        Index("ix_deliveries_work", "status", "available_at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    subscription_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("subscriptions.id", ondelete="CASCADE")
    )
    local_date: Mapped[date]
    chat_id: Mapped[int] = mapped_column(BigInteger, index=True)
    status: Mapped[str] = mapped_column(String(12), default="pending")
    excerpt_id: Mapped[str | None] = mapped_column(String(40))
    worker: Mapped[str | None] = mapped_column(String(64))
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    available_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    message_id: Mapped[int | None] = mapped_column(BigInteger)
    error: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class DeckCard(Base):
    """An excerpt a deck has dealt ("s:<subscription>" daily, "d:<chat>" discussions)."""

    __tablename__ = "deck_cards"

    deck: Mapped[str] = mapped_column(String(64), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    excerpt_id: Mapped[str] = mapped_column(String(40))
    cycle: Mapped[int] = mapped_column(Integer, default=0)
    dealt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class SendBudget(Base):
    """A shared pacing row: the next free send instant (epoch s) and a RetryAfter pause."""

    __tablename__ = "send_budget"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    next_at: Mapped[float] = mapped_column(Float, default=0.0)
    paused_until: Mapped[float] = mapped_column(Float, default=0.0)
