"""The notifier's exception tree. Senders raise these; the dispatcher decides what each means.

    NotifierError                root
    ├── SendError                a message did not reach Telegram; .chat_id
    │   ├── ChatBlocked          the user blocked the bot or left/was removed: mark the chat, skip it
    │   ├── ChatMigrated         the group became a supergroup: .new_chat_id, follow it
    │   ├── RetryLater           flood control: .retry_after seconds to wait before this chat gets more
    │   ├── TransientSendError   network or timeout: retry with backoff
    │   └── PermanentSendError   Telegram refused the message itself (bad request, chat not found)
    └── WebhookRejected          a CJ webhook request failed verification or parsing; .status (HTTP code)

No exception message ever carries a token, an openId or a webhook body.
"""

from __future__ import annotations


class NotifierError(Exception):
    """Root of the notifier's errors."""


class SendError(NotifierError):
    def __init__(self, message: str, *, chat_id: int) -> None:
        super().__init__(message)
        self.chat_id = chat_id


class ChatBlocked(SendError):
    pass


class ChatMigrated(SendError):
    def __init__(self, message: str, *, chat_id: int, new_chat_id: int) -> None:
        super().__init__(message, chat_id=chat_id)
        self.new_chat_id = new_chat_id


class RetryLater(SendError):
    def __init__(self, message: str, *, chat_id: int, retry_after: float) -> None:
        super().__init__(message, chat_id=chat_id)
        self.retry_after = float(retry_after)


class TransientSendError(SendError):
    pass


class PermanentSendError(SendError):
    pass


class WebhookRejected(NotifierError):
    def __init__(self, message: str, *, status: int = 400) -> None:
        super().__init__(message)
        self.status = status
