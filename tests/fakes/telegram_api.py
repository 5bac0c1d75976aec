"""A fake Telegram Bot API server: real HTTP on 127.0.0.1, so python-telegram-bot runs unmodified.

Point PTB at it with ``base_url=server.base_url`` and ``base_file_url=server.base_file_url``
(or ``TELEGRAM_API_BASE_URL=server.base_url``). It serves ``/bot<token>/<method>`` for the
methods Alex uses (getMe, getUpdates with long polling and offsets, sendMessage, editMessageText,
answerCallbackQuery, sendChatAction, setMyCommands, deleteWebhook, setWebhook, getWebhookInfo,
getFile, answerInlineQuery, getChatMember, getChatAdministrators, sendPhoto, close, logOut) and
``/file/bot<token>/<path>`` downloads.

Tests push updates (:meth:`FakeTelegramServer.push_update` and the ``*_update`` builders), then
``await server.wait_for("sendMessage", chat_id=...)``. Every call is recorded in ``calls``.
It behaves like Telegram where it matters to a bot: wrong tokens get 401, unchanged edits get
"message is not modified", unknown methods 404, :meth:`fail_next` injects any error
(including 429 with ``retry_after``) and :meth:`answer_late` carries a call out but answers late.
Reused by ``benchmarks/bot_bench.py`` and load tests.
"""

from __future__ import annotations

import asyncio
import contextlib
import email
import email.policy
import itertools
import json
import socket
import time
import urllib.parse
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import httpx
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.webserver import QuietServer

DEFAULT_TOKEN = "123456789:FAKE-telegram-token-for-tests_0123456789"
DEFAULT_BOT_USERNAME = "alex_test_bot"

# Parameters PTB sends as plain strings; everything else in a form body is JSON-encoded.
_TEXT_PARAMS = frozenset(
    {
        "text", "caption", "parse_mode", "callback_query_id", "inline_query_id", "file_id", "url",
        "secret_token", "action", "description", "short_description", "name", "next_offset",
        "switch_pm_text", "switch_pm_parameter", "language_code", "ip_address", "emoji",
    }
)
# Methods whose reply goes back into a chat: the benchmark measures latency to these.
REPLY_METHODS = frozenset({"sendMessage", "editMessageText", "sendPhoto"})


@dataclass(frozen=True)
class ApiCall:
    """One Bot API request as the server saw it."""

    method: str
    params: dict[str, Any]
    at: float  # time.monotonic() on arrival

    @property
    def chat_id(self) -> int | None:
        value = self.params.get("chat_id")
        return value if isinstance(value, int) else None

    @property
    def text(self) -> str | None:
        value = self.params.get("text", self.params.get("caption"))
        return value if isinstance(value, str) else None

    @property
    def buttons(self) -> list[list[dict[str, Any]]]:
        markup = self.params.get("reply_markup") or {}
        return list(markup.get("inline_keyboard", []))

    def button_data(self) -> list[str]:
        return [b["callback_data"] for row in self.buttons for b in row if "callback_data" in b]


@dataclass
class _Waiter:
    method: str | None
    chat_id: int | None
    predicate: Callable[[ApiCall], bool] | None
    future: asyncio.Future[ApiCall]
    after: int

    def matches(self, index: int, call: ApiCall) -> bool:
        if index < self.after or (self.method is not None and call.method != self.method):
            return False
        if self.chat_id is not None and call.chat_id != self.chat_id:
            return False
        return self.predicate is None or self.predicate(call)


@dataclass
class _Failure:
    method: str
    error_code: int
    description: str
    retry_after: int | None = None
    migrate_to_chat_id: int | None = None


@dataclass
class FakeFile:
    file_id: str
    content: bytes
    file_path: str
    file_unique_id: str = ""
    reported_size: int | None = None  # lie about the size (e.g. to test the 20 MB limit)


@dataclass
class _State:
    updates: list[dict[str, Any]] = field(default_factory=list)
    update_ids: Iterable[int] = field(default_factory=lambda: itertools.count(1))
    message_ids: dict[int, Iterable[int]] = field(default_factory=dict)
    messages: dict[tuple[int, int], dict[str, Any]] = field(default_factory=dict)
    chats: dict[int, dict[str, Any]] = field(default_factory=dict)
    members: dict[tuple[int, int], str] = field(default_factory=dict)
    files: dict[str, FakeFile] = field(default_factory=dict)


class FakeTelegramServer:
    """The fake Bot API. ``async with FakeTelegramServer() as tg:`` or ``await tg.start()``."""

    def __init__(
        self,
        token: str = DEFAULT_TOKEN,
        *,
        bot_username: str = DEFAULT_BOT_USERNAME,
        bot_id: int | None = None,
        host: str = "127.0.0.1",
        record: bool = True,
    ) -> None:
        self.token = token
        self.bot_id = bot_id if bot_id is not None else int(token.split(":", 1)[0])
        self.bot_username = bot_username
        self.host = host
        self.record = record
        self.calls: list[ApiCall] = []
        self.webhook: dict[str, Any] | None = None
        self.pushed_at: dict[int, float] = {}  # update_id -> monotonic time it became available
        self.on_call: Callable[[ApiCall], None] | None = None  # sees every call as it arrives (load tests)
        self._call_count = 0
        self._state = _State()
        self._new_update = asyncio.Event()
        self._waiters: list[_Waiter] = []
        self._failures: list[_Failure] = []
        self._late: list[tuple[str, float]] = []
        self._closing = False
        self._server: uvicorn.Server | None = None
        self._task: asyncio.Task[None] | None = None
        self._port = 0
        self._ids = itertools.count(1)
        self._webhook_http: httpx.AsyncClient | None = None

    # -- lifecycle ---------------------------------------------------------------------------

    @property
    def port(self) -> int:
        return self._port

    @property
    def origin(self) -> str:
        return f"http://{self.host}:{self._port}"

    @property
    def base_url(self) -> str:
        """What PTB calls ``base_url`` (the token is appended): ``http://127.0.0.1:PORT/bot``."""
        return f"{self.origin}/bot"

    @property
    def base_file_url(self) -> str:
        return f"{self.origin}/file/bot"

    @property
    def bot_user(self) -> dict[str, Any]:
        return {
            "id": self.bot_id, "is_bot": True, "first_name": "Alex", "username": self.bot_username,
            "can_join_groups": True, "can_read_all_group_messages": False, "supports_inline_queries": True,
        }

    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/bot{token}/{method}", self._handle_method, methods=["GET", "POST"]),
                Route("/file/bot{token}/{path:path}", self._handle_file, methods=["GET"]),
            ]
        )

    async def start(self) -> FakeTelegramServer:
        # proto=IPPROTO_TCP matters: asyncio sets TCP_NODELAY only on sockets that say they are TCP,
        # and without it every response waits ~40 ms for a delayed ACK (Nagle).
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((self.host, 0))
        self._port = sock.getsockname()[1]
        config = uvicorn.Config(
            self.app(), log_config=None, access_log=False, log_level="warning", lifespan="off",
            ws="none", timeout_graceful_shutdown=1, backlog=4096, timeout_keep_alive=75,
        )
        self._server = _FastShutdownServer(config)
        self._task = asyncio.create_task(self._server.serve(sockets=[sock]))
        while not self._server.started:
            if self._task.done():
                self._task.result()
            await asyncio.sleep(0.005)  # start-up handshake, not a timing assumption
        return self

    async def stop(self) -> None:
        self._closing = True
        self._new_update.set()
        if self._webhook_http is not None:
            await self._webhook_http.aclose()
        if self._server is not None and self._task is not None:
            self._server.request_exit()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        for waiter in self._waiters:
            if not waiter.future.done():
                waiter.future.cancel()

    async def __aenter__(self) -> FakeTelegramServer:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    # -- what tests do -----------------------------------------------------------------------

    def push_update(self, update: dict[str, Any]) -> int:
        """Queue an update for getUpdates; assigns ``update_id`` if missing. Returns the id."""
        update = dict(update)
        update.setdefault("update_id", next(self._state.update_ids))  # type: ignore[call-overload]
        self._remember_chats(update)
        self._state.updates.append(update)
        self.pushed_at[update["update_id"]] = time.monotonic()
        self._new_update.set()
        return int(update["update_id"])

    async def deliver_webhook(self, update: dict[str, Any]) -> httpx.Response:
        """POST an update to the URL given in setWebhook, with its secret token, like Telegram does."""
        if self.webhook is None:
            raise RuntimeError("no webhook is set")
        update = dict(update)
        update.setdefault("update_id", next(self._state.update_ids))  # type: ignore[call-overload]
        self._remember_chats(update)
        headers = {}
        if self.webhook.get("secret_token"):
            headers["X-Telegram-Bot-Api-Secret-Token"] = self.webhook["secret_token"]
        if self._webhook_http is None:
            self._webhook_http = httpx.AsyncClient(timeout=10)
        return await self._webhook_http.post(self.webhook["url"], json=update, headers=headers)

    def add_file(self, content: bytes, *, file_id: str | None = None, reported_size: int | None = None,
                 extension: str = "jpg") -> FakeFile:
        """Make a file downloadable through getFile + /file/bot<token>/<path>."""
        n = next(self._ids)
        file_id = file_id or f"FILE-{n}"
        fake = FakeFile(file_id=file_id, content=content, file_path=f"photos/file_{n}.{extension}",
                        file_unique_id=f"U{n}", reported_size=reported_size)
        self._state.files[file_id] = fake
        return fake

    def set_member_status(self, chat_id: int, user_id: int, status: str) -> None:
        """``creator``, ``administrator``, ``member``, ``left``... as getChatMember will report."""
        self._state.members[(chat_id, user_id)] = status

    def fail_next(self, method: str, error_code: int = 400, description: str = "Bad Request: injected",
                  *, retry_after: int | None = None, migrate_to_chat_id: int | None = None) -> None:
        """The next call of ``method`` fails with this Bot API error."""
        self._failures.append(_Failure(method, error_code, description, retry_after, migrate_to_chat_id))

    def answer_late(self, method: str, seconds: float) -> None:
        """The next call of ``method`` is carried out at once (recorded, message created) but
        answered only after ``seconds``: Telegram accepting a send and replying after the client's
        read timeout."""
        self._late.append((method, seconds))

    def calls_of(self, method: str, *, chat_id: int | None = None) -> list[ApiCall]:
        return [c for c in self.calls if c.method == method and (chat_id is None or c.chat_id == chat_id)]

    def mark(self) -> int:
        """A position in the call log; pass it as ``after`` to wait only for later calls."""
        return self._call_count

    async def wait_for(
        self,
        method: str | None = None,
        *,
        chat_id: int | None = None,
        predicate: Callable[[ApiCall], bool] | None = None,
        after: int | None = None,
        timeout: float = 10.0,
    ) -> ApiCall:
        """The first call (at or after ``after``, default: any recorded) matching; waits if none yet."""
        start = 0 if after is None else after
        waiter = _Waiter(method, chat_id, predicate, asyncio.get_running_loop().create_future(), start)
        if self.record:
            for index, call in enumerate(self.calls):
                if waiter.matches(index, call):
                    return call
        self._waiters.append(waiter)
        try:
            return await asyncio.wait_for(waiter.future, timeout)
        finally:
            if waiter in self._waiters:
                self._waiters.remove(waiter)

    # -- update builders (Bot API JSON) ------------------------------------------------------

    @staticmethod
    def user(user_id: int, first_name: str = "Seller", username: str | None = None) -> dict[str, Any]:
        data: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": first_name}
        if username:
            data["username"] = username
        return data

    @staticmethod
    def chat(chat_id: int, title: str | None = None) -> dict[str, Any]:
        if chat_id > 0:
            return {"id": chat_id, "type": "private", "first_name": "Seller"}
        kind = "supergroup" if str(chat_id).startswith("-100") else "group"
        return {"id": chat_id, "type": kind, "title": title or "Team"}

    def _message(self, chat_id: int, user_id: int, **content: Any) -> dict[str, Any]:
        return {
            "message_id": next(self._ids), "date": int(time.time()), "chat": self.chat(chat_id),
            "from": self.user(user_id), **content,
        }

    def text_update(self, chat_id: int, user_id: int, text: str, **extra: Any) -> dict[str, Any]:
        """A message; commands (``/x``, ``/x@bot``) get their bot_command entity like Telegram sets."""
        content: dict[str, Any] = {"text": text, **extra}
        if text.startswith("/"):
            length = len(text.split()[0])
            content["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
        return {"message": self._message(chat_id, user_id, **content)}

    def callback_update(self, chat_id: int, user_id: int, data: str, message_id: int) -> dict[str, Any]:
        """A button press on the bot's message ``message_id`` (as the bot sent it)."""
        message = self._state.messages.get((chat_id, message_id)) or {
            "message_id": message_id, "date": int(time.time()), "chat": self.chat(chat_id),
            "from": self.bot_user, "text": "...",
        }
        return {
            "callback_query": {
                "id": f"cbq-{next(self._ids)}", "from": self.user(user_id), "chat_instance": f"ci{chat_id}",
                "message": message, "data": data,
            }
        }

    def inline_update(self, user_id: int, query: str) -> dict[str, Any]:
        return {"inline_query": {"id": f"iq-{next(self._ids)}", "from": self.user(user_id), "query": query,
                                 "offset": ""}}

    def photo_update(self, chat_id: int, user_id: int, file: FakeFile, *, caption: str | None = None,
                     media_group_id: str | None = None) -> dict[str, Any]:
        size = file.reported_size if file.reported_size is not None else len(file.content)
        content: dict[str, Any] = {
            "photo": [
                {"file_id": f"{file.file_id}-thumb", "file_unique_id": f"{file.file_unique_id}t",
                 "width": 90, "height": 90, "file_size": 100},
                {"file_id": file.file_id, "file_unique_id": file.file_unique_id, "width": 1280,
                 "height": 960, "file_size": size},
            ]
        }
        if caption:
            content["caption"] = caption
        if media_group_id:
            content["media_group_id"] = media_group_id
        return {"message": self._message(chat_id, user_id, **content)}

    def video_update(self, chat_id: int, user_id: int, file: FakeFile, *,
                     media_group_id: str | None = None) -> dict[str, Any]:
        size = file.reported_size if file.reported_size is not None else len(file.content)
        content: dict[str, Any] = {
            "video": {"file_id": file.file_id, "file_unique_id": file.file_unique_id, "width": 640,
                      "height": 480, "duration": 3, "mime_type": "video/mp4", "file_size": size}
        }
        if media_group_id:
            content["media_group_id"] = media_group_id
        return {"message": self._message(chat_id, user_id, **content)}

    def migrate_update(self, old_chat_id: int, new_chat_id: int, user_id: int) -> dict[str, Any]:
        """The service message a group gets when it becomes a supergroup."""
        return {"message": self._message(old_chat_id, user_id, migrate_to_chat_id=new_chat_id)}

    # -- HTTP --------------------------------------------------------------------------------

    async def _handle_file(self, request: Request) -> Response:
        if request.path_params["token"] != self.token:
            return JSONResponse({"ok": False, "error_code": 401, "description": "Unauthorized"}, 401)
        path = request.path_params["path"]
        for fake in self._state.files.values():
            if fake.file_path == path:
                return Response(fake.content, media_type="application/octet-stream")
        return JSONResponse({"ok": False, "error_code": 404, "description": "Not Found"}, 404)

    async def _handle_method(self, request: Request) -> Response:
        if request.path_params["token"] != self.token:
            return JSONResponse({"ok": False, "error_code": 401, "description": "Unauthorized"}, 401)
        method = request.path_params["method"]
        params = await self._params(request)
        call = ApiCall(method, params, time.monotonic())
        self._record(call)
        for failure in self._failures:
            if failure.method == method:
                self._failures.remove(failure)
                return self._error(failure)
        handler = getattr(self, f"_m_{method}", None)
        if handler is None:
            return JSONResponse({"ok": False, "error_code": 404, "description": "Not Found"}, 404)
        try:
            result = await handler(params)
        except _ApiError as exc:
            return JSONResponse({"ok": False, "error_code": exc.code, "description": exc.description},
                                exc.code)
        for late in self._late:
            if late[0] == method:
                self._late.remove(late)
                await asyncio.sleep(late[1])
                break
        return JSONResponse({"ok": True, "result": result})

    @staticmethod
    def _error(failure: _Failure) -> Response:
        body: dict[str, Any] = {
            "ok": False, "error_code": failure.error_code, "description": failure.description,
        }
        parameters: dict[str, int] = {}
        if failure.retry_after is not None:
            parameters["retry_after"] = failure.retry_after
        if failure.migrate_to_chat_id is not None:
            parameters["migrate_to_chat_id"] = failure.migrate_to_chat_id
        if parameters:
            body["parameters"] = parameters
        return JSONResponse(body, failure.error_code)

    @staticmethod
    async def _params(request: Request) -> dict[str, Any]:
        content_type = request.headers.get("content-type", "")
        if request.method == "GET":
            raw: dict[str, Any] = dict(request.query_params)
        elif content_type.startswith("application/json"):
            body = await request.body()
            return json.loads(body) if body else {}
        elif content_type.startswith("multipart/form-data"):
            raw = _parse_multipart(content_type, await request.body())
        else:
            raw = dict(urllib.parse.parse_qsl((await request.body()).decode("utf-8"), keep_blank_values=True))
        params: dict[str, Any] = {}
        for key, value in raw.items():
            if key in _TEXT_PARAMS or not isinstance(value, str):
                params[key] = value
                continue
            try:
                params[key] = json.loads(value)
            except ValueError:
                params[key] = value
        return params

    def _record(self, call: ApiCall) -> None:
        index = self._call_count
        self._call_count += 1
        if self.record:
            self.calls.append(call)
        if self.on_call is not None:
            self.on_call(call)
        for waiter in list(self._waiters):
            if not waiter.future.done() and waiter.matches(index, call):
                waiter.future.set_result(call)
                self._waiters.remove(waiter)

    def _remember_chats(self, update: dict[str, Any]) -> None:
        message = update.get("message") or update.get("edited_message")
        if message and "chat" in message:
            self._state.chats.setdefault(message["chat"]["id"], message["chat"])

    def _chat_of(self, chat_id: int) -> dict[str, Any]:
        return self._state.chats.get(chat_id) or self.chat(chat_id)

    def _new_message(self, chat_id: int, **content: Any) -> dict[str, Any]:
        counter = self._state.message_ids.setdefault(chat_id, itertools.count(1000))
        message = {"message_id": next(counter), "date": int(time.time()),  # type: ignore[call-overload]
                   "chat": self._chat_of(chat_id), "from": self.bot_user, **content}
        self._state.messages[(chat_id, message["message_id"])] = message
        return message

    # -- methods -----------------------------------------------------------------------------

    async def _m_getMe(self, params: dict[str, Any]) -> Any:
        return self.bot_user

    async def _m_getUpdates(self, params: dict[str, Any]) -> Any:
        offset = int(params.get("offset") or 0)
        limit = int(params.get("limit") or 100)
        timeout = float(params.get("timeout") or 0)
        if offset:
            self._state.updates = [u for u in self._state.updates if u["update_id"] >= offset]
        deadline = time.monotonic() + timeout
        while not self._state.updates and not self._closing:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            self._new_update.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._new_update.wait(), remaining)
        return self._state.updates[:limit]

    async def _m_sendMessage(self, params: dict[str, Any]) -> Any:
        content: dict[str, Any] = {"text": str(params.get("text", ""))}
        if params.get("reply_markup"):
            content["reply_markup"] = params["reply_markup"]
        if not content["text"]:
            raise _ApiError(400, "Bad Request: message text is empty")
        if len(content["text"]) > 4096 + 2048:  # escaped HTML may be longer than the 4096 visible chars
            raise _ApiError(400, "Bad Request: message is too long")
        return self._new_message(int(params["chat_id"]), **content)

    async def _m_sendPhoto(self, params: dict[str, Any]) -> Any:
        content: dict[str, Any] = {"photo": [{"file_id": "sent-photo", "file_unique_id": "sp", "width": 1,
                                              "height": 1}]}
        if params.get("caption"):
            content["caption"] = params["caption"]
        return self._new_message(int(params["chat_id"]), **content)

    async def _m_editMessageText(self, params: dict[str, Any]) -> Any:
        if "inline_message_id" in params:
            return True
        key = (int(params["chat_id"]), int(params["message_id"]))
        message = self._state.messages.get(key)
        if message is None:
            raise _ApiError(400, "Bad Request: message to edit not found")
        new_markup = params.get("reply_markup")
        if message.get("text") == params.get("text") and message.get("reply_markup") == new_markup:
            raise _ApiError(400, "Bad Request: message is not modified: specified new message content "
                                 "and reply markup are exactly the same as a current content and reply "
                                 "markup of the message")
        message = {**message, "text": params.get("text"), "edit_date": int(time.time())}
        if new_markup:
            message["reply_markup"] = new_markup
        else:
            message.pop("reply_markup", None)
        self._state.messages[key] = message
        return message

    async def _m_answerCallbackQuery(self, params: dict[str, Any]) -> Any:
        return True

    async def _m_answerInlineQuery(self, params: dict[str, Any]) -> Any:
        if len(params.get("results") or []) > 50:
            raise _ApiError(400, "Bad Request: too many inline query results")
        return True

    async def _m_sendChatAction(self, params: dict[str, Any]) -> Any:
        return True

    async def _m_setMyCommands(self, params: dict[str, Any]) -> Any:
        for command in params.get("commands") or []:
            if not (1 <= len(command.get("description", "")) <= 256):
                raise _ApiError(400, "Bad Request: command description is empty or too long")
        return True

    async def _m_deleteWebhook(self, params: dict[str, Any]) -> Any:
        self.webhook = None
        return True

    async def _m_setWebhook(self, params: dict[str, Any]) -> Any:
        if not str(params.get("url", "")).startswith(("https://", "http://127.0.0.1")):
            raise _ApiError(400, "Bad Request: bad webhook: HTTPS url must be provided for webhook")
        self.webhook = dict(params)
        return True

    async def _m_getWebhookInfo(self, params: dict[str, Any]) -> Any:
        return {"url": (self.webhook or {}).get("url", ""), "has_custom_certificate": False,
                "pending_update_count": len(self._state.updates)}

    async def _m_getFile(self, params: dict[str, Any]) -> Any:
        fake = self._state.files.get(str(params.get("file_id")))
        if fake is None:
            raise _ApiError(400, "Bad Request: invalid file_id")
        size = fake.reported_size if fake.reported_size is not None else len(fake.content)
        if size > 20 * 1024 * 1024:
            raise _ApiError(400, "Bad Request: file is too big")
        return {"file_id": fake.file_id, "file_unique_id": fake.file_unique_id, "file_size": size,
                "file_path": fake.file_path}

    async def _m_getChatMember(self, params: dict[str, Any]) -> Any:
        chat_id, user_id = int(params["chat_id"]), int(params["user_id"])
        status = self._state.members.get((chat_id, user_id), "member")
        member: dict[str, Any] = {"status": status, "user": self.user(user_id)}
        if status == "administrator":
            member.update({
                "can_be_edited": False, "is_anonymous": False, "can_manage_chat": True,
                "can_delete_messages": True, "can_manage_video_chats": True, "can_restrict_members": True,
                "can_promote_members": False, "can_change_info": True, "can_invite_users": True,
                "can_post_stories": False, "can_edit_stories": False, "can_delete_stories": False,
            })
        elif status == "creator":
            member["is_anonymous"] = False
        elif status == "restricted":
            raise _ApiError(400, "Bad Request: restricted members are not simulated")
        elif status == "kicked":
            member["until_date"] = 0
        return member

    async def _m_getChatAdministrators(self, params: dict[str, Any]) -> Any:
        chat_id = int(params["chat_id"])
        return [
            await self._m_getChatMember({"chat_id": chat_id, "user_id": user_id})
            for (cid, user_id), status in self._state.members.items()
            if cid == chat_id and status in {"creator", "administrator"}
        ]

    async def _m_close(self, params: dict[str, Any]) -> Any:
        return True

    async def _m_logOut(self, params: dict[str, Any]) -> Any:
        return True


def _parse_multipart(content_type: str, body: bytes) -> dict[str, Any]:
    """Fields of a multipart body (file uploads such as sendPhoto with bytes) without python-multipart."""
    message = email.message_from_bytes(
        f"Content-Type: {content_type}\r\n\r\n".encode() + body, policy=email.policy.HTTP
    )
    fields: dict[str, Any] = {}
    for part in message.iter_parts():  # type: ignore[attr-defined]
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True) or b""
        fields[str(name)] = payload if part.get_filename() else payload.decode("utf-8")
    return fields


class _FastShutdownServer(QuietServer):
    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        """uvicorn's shutdown without its fixed 0.1 s pauses (tests start and stop this server a lot)."""
        for server in self.servers:
            server.close()
        for sock in sockets or []:
            sock.close()
        for connection in list(self.server_state.connections):
            connection.shutdown()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 1.0
        while (self.server_state.connections or self.server_state.tasks) and loop.time() < deadline:
            await asyncio.sleep(0.005)
        for task in list(self.server_state.tasks):
            task.cancel()



class _ApiError(Exception):
    def __init__(self, code: int, description: str) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
