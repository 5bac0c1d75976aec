"""The schema, as numbered steps. Never edit a released step: append a new one."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    statements: tuple[str, ...]


MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "initial schema",
        (
            # CJ tokens per account (account = a hash of the API key, never the key itself).
            """CREATE TABLE cj_tokens (
                account TEXT PRIMARY KEY,
                open_id TEXT,
                access_token TEXT NOT NULL,
                access_expires_at REAL NOT NULL,
                refresh_token TEXT NOT NULL,
                refresh_expires_at REAL NOT NULL,
                updated_at REAL NOT NULL
            )""",
            # One live conversation per (chat, user): the flow's pydantic state as JSON.
            """CREATE TABLE conversations (
                chat_id INTEGER NOT NULL,
                user_id INTEGER NOT NULL,
                flow TEXT NOT NULL,
                step TEXT NOT NULL,
                state_json TEXT NOT NULL,
                updated_at REAL NOT NULL,
                PRIMARY KEY (chat_id, user_id)
            )""",
            # Last seen state of each dispute, for the notifier's diff.
            """CREATE TABLE disputes_seen (
                dispute_id TEXT PRIMARY KEY,
                account TEXT NOT NULL,
                order_id TEXT,
                status TEXT,
                finally_deal INTEGER,
                money TEXT,
                replacement_amount TEXT,
                resend_order_code TEXT,
                opener_user_id INTEGER,
                opener_chat_id INTEGER,
                first_seen_at REAL NOT NULL,
                updated_at REAL NOT NULL
            )""",
            """CREATE TABLE group_subscriptions (
                chat_id INTEGER PRIMARY KEY,
                title TEXT,
                subscribed_by INTEGER,
                created_at REAL NOT NULL
            )""",
            # Idempotency keys for CJ writes (e.g. businessDisputeId -> created dispute id).
            """CREATE TABLE idempotency_keys (
                key TEXT PRIMARY KEY,
                kind TEXT NOT NULL,
                state TEXT NOT NULL,
                result_json TEXT,
                created_at REAL NOT NULL,
                updated_at REAL NOT NULL
            )""",
            # Every CJ write: who, when, what was asked, what came back.
            """CREATE TABLE audit_log (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                at REAL NOT NULL,
                actor TEXT,
                action TEXT NOT NULL,
                request_json TEXT NOT NULL,
                result_json TEXT,
                ok INTEGER NOT NULL
            )""",
            "CREATE INDEX audit_log_at ON audit_log (at)",
            """CREATE TABLE faq_misses (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                at REAL NOT NULL,
                question TEXT NOT NULL,
                normalized TEXT NOT NULL
            )""",
            "CREATE INDEX faq_misses_normalized ON faq_misses (normalized)",
            # Outgoing Telegram messages with a dedupe key: at least once, never twice.
            """CREATE TABLE outbox (
                dedupe_key TEXT PRIMARY KEY,
                chat_id INTEGER NOT NULL,
                payload_json TEXT NOT NULL,
                created_at REAL NOT NULL,
                sent_at REAL,
                attempts INTEGER NOT NULL DEFAULT 0,
                next_attempt_at REAL NOT NULL DEFAULT 0,
                last_error TEXT,
                dead INTEGER NOT NULL DEFAULT 0
            )""",
            "CREATE INDEX outbox_pending ON outbox (sent_at, dead, next_attempt_at)",
            # Chats that blocked the bot or vanished; group migrations are followed by updating chat ids.
            """CREATE TABLE chat_status (
                chat_id INTEGER PRIMARY KEY,
                blocked INTEGER NOT NULL DEFAULT 0,
                migrated_to INTEGER,
                updated_at REAL NOT NULL
            )""",
            # CJ webhook messages already taken, by messageId.
            """CREATE TABLE webhook_messages (
                message_id TEXT PRIMARY KEY,
                type TEXT,
                received_at REAL NOT NULL,
                processed_at REAL,
                payload_json TEXT NOT NULL
            )""",
        ),
    ),
    Migration(
        2,
        "notifier: decision and opening times for digests, in-flight marker for the outbox",
        (
            # When CJ created the dispute and when Alex first saw it decided: the digests count by day.
            "ALTER TABLE disputes_seen ADD COLUMN opened_at REAL",
            "ALTER TABLE disputes_seen ADD COLUMN decided_at REAL",
            "CREATE INDEX disputes_seen_account ON disputes_seen (account)",
            # Set just before a message goes to Telegram; a row claimed but never marked sent is in doubt.
            "ALTER TABLE outbox ADD COLUMN claimed_at REAL",
        ),
    ),
    Migration(
        3,
        "webhook_messages: drop the openId (CJ's webhook signing key) from stored bodies",
        (
            # store.webhook_messages.accept strips it from new rows; this clears rows stored before.
            """UPDATE webhook_messages SET payload_json = json_remove(payload_json, '$.openId')
               WHERE json_valid(payload_json) AND json_type(payload_json, '$.openId') IS NOT NULL""",
        ),
    ),
    Migration(
        4,
        "the chat's language: chosen with /language (a person, or a group's admin), and a private "
        "chat's Telegram app language, for pushes sent while the person is not talking",
        (
            """CREATE TABLE chat_languages (
                chat_id INTEGER PRIMARY KEY,
                lang TEXT,
                app_lang TEXT,
                set_by INTEGER,
                updated_at REAL NOT NULL
            )""",
        ),
    ),
)
