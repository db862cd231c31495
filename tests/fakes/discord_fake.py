"""A small fake of Discord on 127.0.0.1 for driving a real discord.py client end to end, offline.

    fake = DiscordFake()
    await fake.start()
    fake.patch(monkeypatch)                      # discord.py's REST base and gateway URL -> fake
    async with fake.running(client, "token"):    # login, command sync, gateway handshake
        reply = await fake.mention("how much is the trade worth?")
        assert reply.reference["message_id"] == reply.asked["id"]
        source = await fake.click(reply, "Source")
    await fake.stop()

What it serves (discord.py 2.7, API v10):

- REST under `{url}/api/v10`: `GET /users/@me`, `GET /oauth2/applications/@me`,
  `GET /gateway/bot` (only the auto-sharded client asks), command sync (`PUT` global or guild
  commands), `POST`/`DELETE` channel messages, interaction callbacks
  (`POST /interactions/{id}/{token}/callback?with_response=1`) and webhook follow-ups. Every
  request is recorded in `fake.requests`; answers are JSON with content type exactly
  `application/json`, the only type discord.py parses. Unknown routes answer 404 (and are
  recorded, so a test can see what the bot tried).
- A gateway websocket at `{ws url}/gateway`: HELLO, IDENTIFY -> READY then GUILD_CREATE (one
  server with a #general channel and a thread), heartbeat ACKs, and zlib-stream compression as
  discord.py requests it (one zlib stream per connection; each payload is flushed with
  Z_SYNC_FLUSH into one binary frame; without `compress=zlib-stream`, plain text frames). With
  shards, each IDENTIFY's shard gets its own connection; server events go to shard
  `(guild_id >> 22) % count`, DMs to shard 0.

Chat helpers inject a gateway event and wait (bounded) for what the bot sends in response:
`mention`, `dm`, `say` (a plain server message), `slash`, `autocomplete`, `click`, and
`component` (a click with exactly the data given, however odd). Each returns
a `Sent`: the bot's message as Discord received it. `mark()` and `sent_since(mark)` let a test
prove that the bot stayed silent.

The gateway events and REST answers are captured payloads in tests/fixtures/discord/ (loaded by
tests/payloads.py); the fake fills in the ids, the text and the channel that vary.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
import zlib
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import discord
import yarl
from aiohttp import WSMsgType, web

from tests.payloads import payload

DISCORD_EPOCH_MS = 1_420_070_400_000
EPHEMERAL = 64
TIMEOUT = 5.0


@dataclass(frozen=True)
class User:
    id: int
    name: str
    bot: bool = False

    @property
    def mention(self) -> str:
        return f"<@{self.id}>"

    def payload(self) -> dict[str, Any]:
        who = {"id": str(self.id), "username": self.name, "global_name": self.name}
        return payload("discord/user") | who | {"bot": self.bot}


BOT = User(1_000_000_000_000_001, "SummitBot", bot=True)
ALICE = User(1_000_000_000_000_002, "alice")
BOB = User(1_000_000_000_000_003, "bob")
OTHER_BOT = User(1_000_000_000_000_004, "OtherBot", bot=True)
APPLICATION_ID = BOT.id
GUILD_ID = 1_100_000_000_000_001
GENERAL_ID = 1_100_000_000_000_002
THREAD_ID = 1_100_000_000_000_003


@dataclass(frozen=True)
class Request:
    """One REST call the bot made: method, path below /api/v10, query, JSON body, our answer."""

    method: str
    path: str
    query: dict[str, str]
    body: Any
    response: Any = None


@dataclass(frozen=True)
class Sent:
    """A message the bot sent (a channel message or an interaction response), as received.

    `body` is the message part (for a callback, the callback's `data`); `message` is the stored
    message with its id, which `click` needs; `asked` is the event that caused it, if known.
    """

    request: Request
    message: dict[str, Any]
    asked: dict[str, Any] = field(default_factory=dict)

    @property
    def body(self) -> dict[str, Any]:
        body = self.request.body if isinstance(self.request.body, dict) else {}
        return body.get("data", {}) if self.is_callback else body

    @property
    def is_callback(self) -> bool:
        return self.request.path.endswith("/callback")

    @property
    def callback_type(self) -> int | None:
        return self.request.body.get("type") if self.is_callback else None

    @property
    def content(self) -> str:
        return self.body.get("content") or ""

    @property
    def embeds(self) -> list[dict[str, Any]]:
        return self.body.get("embeds") or []

    @property
    def text(self) -> str:
        """What a reader sees first: the first embed's description, else the content."""
        return self.embeds[0].get("description", "") if self.embeds else self.content

    @property
    def footer(self) -> str:
        return self.embeds[0].get("footer", {}).get("text", "") if self.embeds else ""

    @property
    def buttons(self) -> list[dict[str, Any]]:
        rows = self.body.get("components") or []
        return [c for row in rows for c in row.get("components", []) if c.get("type") == 2]

    @property
    def labels(self) -> list[str]:
        return [b.get("label") or b.get("emoji", {}).get("name", "") for b in self.buttons]

    @property
    def ephemeral(self) -> bool:
        return bool((self.body.get("flags") or 0) & EPHEMERAL)

    @property
    def allowed_mentions(self) -> dict[str, Any] | None:
        return self.body.get("allowed_mentions")

    @property
    def reference(self) -> dict[str, Any] | None:
        return self.body.get("message_reference")

    @property
    def channel_id(self) -> int:
        return int(self.message["channel_id"])


@dataclass
class _Session:
    """One gateway connection: its socket, zlib stream, shard and sequence number."""

    ws: web.WebSocketResponse
    compressor: Any
    shard: tuple[int, int] | None = None
    seq: int = 0

    async def send(self, payload: dict[str, Any]) -> None:
        data = json.dumps(payload).encode()
        if self.compressor is None:
            await self.ws.send_str(data.decode())
            return
        frame = self.compressor.compress(data) + self.compressor.flush(zlib.Z_SYNC_FLUSH)
        await self.ws.send_bytes(frame)

    async def dispatch(self, event: str, data: dict[str, Any]) -> None:
        self.seq += 1
        await self.send({"op": 0, "t": event, "s": self.seq, "d": data})


class DiscordFake:
    """Discord's REST API and gateway for one bot, one server (#general and a thread) and DMs.

    With `token`, the bot must present it (`Authorization: Bot <token>` on REST, and in
    IDENTIFY) or get a 401 / close code 4004, as from Discord.
    """

    def __init__(self, *, bot: User = BOT, token: str | None = None) -> None:
        self.bot = bot
        self.token = token
        self.requests: list[Request] = []
        self.identifies: list[dict[str, Any]] = []
        self.resumes = 0
        self.commands: dict[int | None, list[dict[str, Any]]] = {}
        self.messages: dict[int, dict[str, Any]] = {}
        self._sessions: list[_Session] = []
        self._changed = asyncio.Condition()
        self._ids = itertools.count(1)
        self._asked: dict[str, dict[str, Any]] = {}
        self._runner: web.AppRunner | None = None
        self.url = ""
        self.slow: asyncio.Event | None = None
        """An Event: the bot's messages and interaction responses wait until it is set (Discord
        is slow to take them); `slowed` is set once one waits."""
        self.slowed = asyncio.Event()

    # -- lifecycle -------------------------------------------------------------------------------

    async def start(self) -> None:
        app = web.Application()
        app.router.add_get("/gateway", self._gateway)
        app.router.add_route("*", "/api/v10/{path:.*}", self._rest)
        self._runner = web.AppRunner(app, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}"

    async def stop(self) -> None:
        for session in list(self._sessions):
            await session.ws.close()
        if self._runner is not None:
            await self._runner.cleanup()

    async def connected(self, shards: int = 1) -> None:
        """Wait (bounded) until `shards` gateway connections got READY (and their server)."""
        await self._until(lambda: self._ready_count() >= shards)

    async def close_gateway(self, code: int) -> None:
        """Close every gateway connection with `code`, as Discord does (4004: the token was
        revoked; 4014: an intent was turned off in the portal; 4000: an unknown error)."""
        for session in list(self._sessions):
            await session.ws.close(code=code, message=b"closed by the fake")

    @property
    def api_base(self) -> str:
        return f"{self.url}/api/v10"

    @property
    def gateway_url(self) -> str:
        return self.url.replace("http://", "ws://") + "/gateway"

    def patch(self, monkeypatch: Any) -> None:
        """Point discord.py at the fake: REST base (Route.BASE) and the gateway it dials."""
        monkeypatch.setattr(discord.http.Route, "BASE", self.api_base)
        gateway = yarl.URL(self.gateway_url)
        monkeypatch.setattr(discord.gateway.DiscordWebSocket, "DEFAULT_GATEWAY", gateway)

    @asynccontextmanager
    async def running(
        self, client: discord.Client, token: str, *, shards: int = 1
    ) -> AsyncIterator[discord.Client]:
        """Start the client, wait until `shards` connections are READY; close it afterwards."""
        task = asyncio.create_task(client.start(token))
        ready = asyncio.create_task(self.connected(shards))
        done, _ = await asyncio.wait({task, ready}, timeout=TIMEOUT, return_when="FIRST_COMPLETED")
        if ready not in done:
            ready.cancel()
            await client.close()
            if task in done:
                task.result()  # raise what stopped the client (a failed login, a bad sync...)
            raise TimeoutError("the client did not connect to the fake gateway")
        try:
            yield client
        finally:
            await client.close()
            await asyncio.wait_for(task, TIMEOUT)

    # -- chat: inject an event, return what the bot sent -----------------------------------------

    def mark(self) -> int:
        """A point in the request log; `sent_since(mark)` lists the bot's messages after it."""
        return len(self.requests)

    def sent_since(self, mark: int) -> list[Sent]:
        return [self._sent(r) for r in self.requests[mark:] if _is_output(r)]

    async def mention(self, text: str, *, user: User = ALICE, channel: int = GENERAL_ID) -> Sent:
        """`@SummitBot text` in a server channel; returns the bot's message in that channel."""
        content = f"{self.bot.mention} {text}"
        return await self.say(content, user=user, channel=channel, mentions=[self.bot])

    async def say(
        self,
        content: str,
        *,
        user: User = ALICE,
        channel: int = GENERAL_ID,
        mentions: list[User] | None = None,
    ) -> Sent:
        """A server message exactly as typed; returns the bot's next message in that channel."""
        mark = self.mark()
        asked = await self.post_message(content, user=user, channel=channel, mentions=mentions)
        return await self._next_message(mark, channel, asked)

    async def dm(self, text: str, *, user: User = ALICE) -> Sent:
        """A direct message to the bot; returns the bot's next message in that DM."""
        mark = self.mark()
        asked = await self.post_message(text, user=user, channel=_dm_channel(user), mentions=[])
        return await self._next_message(mark, _dm_channel(user), asked)

    async def post_message(
        self,
        content: str,
        *,
        user: User = ALICE,
        channel: int = GENERAL_ID,
        mentions: list[User] | None = None,
    ) -> dict[str, Any]:
        """Inject MESSAGE_CREATE without waiting (for messages the bot should ignore)."""
        in_dm = channel == _dm_channel(user)
        message = payload("discord/message_create") | {
            "id": str(self.snowflake()), "channel_id": str(channel), "author": user.payload(),
            "content": content, "mention_everyone": "@everyone" in content or "@here" in content,
            "mentions": [u.payload() for u in mentions or []],
        }
        if in_dm:
            del message["guild_id"], message["member"]
        await self.dispatch("MESSAGE_CREATE", message, guild=not in_dm)
        return message

    async def slash(
        self, name: str, *, user: User = ALICE, dm: bool = False, **options: Any
    ) -> Sent:
        """`/name option:value ...`; returns the interaction response."""
        opts = [{"name": k, "type": _option_type(v), "value": v} for k, v in options.items()]
        data = {"id": str(self._command_id(name)), "name": name, "type": 1, "options": opts}
        return await self._interact(2, data, user=user, dm=dm)

    async def autocomplete(
        self, name: str, option: str, typed: str, *, user: User = ALICE
    ) -> list[dict[str, Any]]:
        """Someone typing `typed` into option `option` of /name; returns the offered choices."""
        focused = {"name": option, "type": 3, "value": typed, "focused": True}
        data = {"id": str(self._command_id(name)), "name": name, "type": 1, "options": [focused]}
        sent = await self._interact(4, data, user=user, dm=False)
        assert sent.callback_type == 8, sent.request.body
        return list(sent.request.body["data"]["choices"])

    async def click(self, sent: Sent, label: str, *, user: User = ALICE) -> Sent:
        """Click the button labelled `label` (or with that emoji) on a message the bot sent."""
        pairs = zip(sent.buttons, sent.labels, strict=True)
        button = next((b for b, shown in pairs if shown == label), None)
        assert button is not None, f"no button {label!r} among {sent.labels}"
        data = {"custom_id": button["custom_id"], "component_type": 2}
        dm = sent.channel_id != GENERAL_ID and sent.channel_id != THREAD_ID
        return await self._interact(3, data, user=user, dm=dm, message=sent.message)

    async def component(
        self, data: Any, *, on: Sent | None = None, user: User = ALICE
    ) -> Sent:
        """A click exactly as given (`data` of a component interaction, however odd) on the
        message `on` (in #general when None); returns the interaction response."""
        dm = on is not None and on.channel_id not in (GENERAL_ID, THREAD_ID)
        message = on.message if on is not None else None
        return await self._interact(3, data, user=user, dm=dm, message=message)

    async def dispatch(self, event: str, data: dict[str, Any], *, guild: bool = True) -> None:
        """Send one gateway event to the connection that would get it (by shard)."""
        sessions = [s for s in self._sessions if self._owns(s, guild)]
        assert sessions, f"no gateway connection to send {event} to"
        await sessions[0].dispatch(event, data)

    def snowflake(self) -> int:
        return ((int(time.time() * 1000) - DISCORD_EPOCH_MS) << 22) | next(self._ids)

    # -- internals -------------------------------------------------------------------------------

    async def _interact(
        self,
        kind: int,
        data: dict[str, Any],
        *,
        user: User,
        dm: bool,
        message: dict[str, Any] | None = None,
    ) -> Sent:
        interaction_id = self.snowflake()
        token = f"interaction-token-{interaction_id}"
        asked = payload("discord/interaction_create") | {
            "id": str(interaction_id), "type": kind, "data": data, "token": token,
            "context": 1 if dm else 0,
        }
        if dm:
            channel = _dm_channel(user)
            del asked["guild_id"], asked["guild_locale"], asked["member"]
            asked["channel"] = {"id": str(channel), "type": 1, "recipients": [user.payload()]}
            asked["user"] = user.payload()
        else:
            channel = GENERAL_ID if message is None else int(message["channel_id"])
            asked["channel"]["id"] = str(channel)
            asked["member"] = _member(user)
        asked["channel_id"] = str(channel)
        if message is not None:
            asked["message"] = message
        mark = self.mark()
        self._asked[token] = asked
        await self.dispatch("INTERACTION_CREATE", asked, guild=not dm)
        callback = f"/interactions/{interaction_id}/{token}/callback"
        request = await self.wait_request(mark, lambda r: r.path == callback)
        return self._sent(request)

    async def _next_message(self, mark: int, channel: int, asked: dict[str, Any]) -> Sent:
        path = f"/channels/{channel}/messages"
        request = await self.wait_request(mark, lambda r: r.method == "POST" and r.path == path)
        return Sent(request, self._sent(request).message, asked)

    async def wait_request(self, mark: int, match: Callable[[Request], bool]) -> Request:
        """The first request after `mark` that matches (waits up to TIMEOUT seconds for it)."""

        def found() -> Request | None:
            return next((r for r in self.requests[mark:] if match(r)), None)

        await self._until(lambda: found() is not None)
        request = found()
        assert request is not None
        return request

    async def _until(self, condition: Callable[[], bool]) -> None:
        async with self._changed:
            await asyncio.wait_for(self._changed.wait_for(condition), TIMEOUT)

    async def _record(self, request: Request) -> None:
        async with self._changed:
            self.requests.append(request)
            self._changed.notify_all()

    def _sent(self, request: Request) -> Sent:
        answer = request.response if isinstance(request.response, dict) else {}
        message = answer.get("resource", {}).get("message", answer)
        parts = request.path.strip("/").split("/")
        token = parts[2] if parts[0] in ("interactions", "webhooks") and len(parts) > 2 else ""
        return Sent(request, message, self._asked.get(token, {}))

    def _ready_count(self) -> int:
        return sum(1 for s in self._sessions if s.seq >= 2)  # READY and GUILD_CREATE sent

    def _owns(self, session: _Session, guild: bool) -> bool:
        if session.shard is None:
            return True
        shard_id, count = session.shard
        return shard_id == ((GUILD_ID >> 22) % count if guild else 0)

    def _command_id(self, name: str) -> int:
        for commands in self.commands.values():
            for command in commands:
                if command["name"] == name:
                    return int(command["id"])
        raise AssertionError(f"/{name} was never synced; synced: {self.commands}")

    # -- gateway ---------------------------------------------------------------------------------

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        compressed = request.query.get("compress") == "zlib-stream"
        session = _Session(ws, zlib.compressobj() if compressed else None)
        self._sessions.append(session)
        try:
            await session.send({"op": 10, "d": {"heartbeat_interval": 41_250}})
            async for frame in ws:
                if frame.type is not WSMsgType.TEXT:
                    continue
                received = json.loads(frame.data)
                if received["op"] == 1:  # heartbeat
                    await session.send({"op": 11})
                elif received["op"] == 2:  # identify
                    await self._identify(session, received["d"])
                elif received["op"] == 6:  # resume, after a close the client may recover from
                    self.resumes += 1
                    await session.dispatch("RESUMED", {})
        finally:
            self._sessions.remove(session)
        return ws

    async def _identify(self, session: _Session, identify: dict[str, Any]) -> None:
        if self.token is not None and identify.get("token") != self.token:
            await session.ws.close(code=4004, message=b"Authentication failed.")
            return
        self.identifies.append({k: v for k, v in identify.items() if k != "token"})
        shard = identify.get("shard")
        session.shard = (shard[0], shard[1]) if shard else None
        owns_guild = self._owns(session, guild=True)
        ready = payload("discord/ready")
        ready["user"] |= self.bot.payload()
        ready["session_id"] = f"session-{self.snowflake()}"
        ready["resume_gateway_url"] = self.gateway_url
        if not owns_guild:
            ready["guilds"] = []
        if shard:
            ready["shard"] = shard
        await session.dispatch("READY", ready)
        if owns_guild:
            await session.dispatch("GUILD_CREATE", _guild(self.bot))
        else:
            session.seq += 1  # nothing more to send to this shard: it counts as ready too
        async with self._changed:
            self._changed.notify_all()

    # -- REST ------------------------------------------------------------------------------------

    async def _rest(self, request: web.Request) -> web.Response:
        path = "/" + request.match_info["path"]
        body = await request.json() if request.can_read_body else None
        # Interaction callbacks and webhooks are authorised by their own token, in the path.
        needs_auth = self.token and not path.startswith(("/interactions/", "/webhooks/"))
        if needs_auth and request.headers.get("Authorization") != f"Bot {self.token}":
            await self._record(Request(request.method, path, dict(request.query), body, 401))
            return _json({"message": "401: Unauthorized", "code": 0}, status=401)
        if self.slow is not None and request.method == "POST" and path.endswith(_OUTPUTS):
            self.slowed.set()
            await self.slow.wait()
        answer = self._answer(request.method, path.strip("/").split("/"), body)
        await self._record(Request(request.method, path, dict(request.query), body, answer))
        if answer is None:
            return web.Response(status=204)
        if isinstance(answer, int):
            return _json({"message": "404: Not Found", "code": 0}, status=404)
        return _json(answer)

    def _answer(self, method: str, parts: list[str], body: Any) -> Any:
        match method, parts:
            case "GET", ["users", "@me"]:
                return payload("discord/users_me") | self.bot.payload()
            case "GET", ["oauth2", "applications", "@me"]:
                return _application(self.bot)
            case "GET", ["gateway", "bot"]:
                return payload("discord/gateway_bot") | {"url": self.gateway_url}
            case "PUT", ["applications", _, "commands"]:
                return self._sync(None, body)
            case "PUT", ["applications", _, "guilds", guild, "commands"]:
                return self._sync(int(guild), body)
            case "POST", ["channels", channel, "messages"]:
                return self._store(int(channel), body)
            case "DELETE", ["channels", _, "messages", message]:
                self.messages.pop(int(message), None)
                return None
            case "POST", ["interactions", interaction_id, token, "callback"]:
                return self._callback(int(interaction_id), token, body)
            case "POST", ["webhooks", _, token]:
                channel = int(self._asked.get(token, {}).get("channel_id", 0))
                return self._store(channel, body)
        return 404

    def _sync(self, guild: int | None, commands: list[dict[str, Any]]) -> list[dict[str, Any]]:
        synced = [
            {**c, "id": str(self.snowflake()), "application_id": str(APPLICATION_ID),
             "version": "1", "type": c.get("type", 1),
             **({"guild_id": str(guild)} if guild else {})}
            for c in commands
        ]
        self.commands[guild] = synced
        return synced

    def _store(self, channel: int, body: dict[str, Any]) -> dict[str, Any]:
        message = payload("discord/message") | {
            "id": str(self.snowflake()), "channel_id": str(channel), "author": self.bot.payload(),
            "content": body.get("content") or "", "embeds": body.get("embeds") or [],
            "components": body.get("components") or [], "flags": body.get("flags", 0),
            "type": 19 if body.get("message_reference") else 0,
        }
        if "message_reference" in body:
            message["message_reference"] = body["message_reference"]
        self.messages[int(message["id"])] = message
        return message

    def _callback(self, interaction_id: int, token: str, body: dict[str, Any]) -> dict[str, Any]:
        asked = self._asked.get(token, {})
        answer: dict[str, Any] = {
            "interaction": {
                "id": str(interaction_id), "type": asked.get("type", 2),
                "response_message_loading": body["type"] == 5,
                "response_message_ephemeral": bool(body.get("data", {}).get("flags", 0) & 64),
            }
        }
        if body["type"] == 4:  # a message: store it so its buttons can be clicked
            channel = int(asked.get("channel_id", 0))
            message = self._store(channel, body.get("data", {}))
            answer["interaction"]["response_message_id"] = message["id"]
            answer["resource"] = {"type": 4, "message": message}
        return answer


_OUTPUTS = ("/messages", "/callback")


def _is_output(request: Request) -> bool:
    return request.method == "POST" and (
        request.path.endswith("/messages") or request.path.endswith("/callback")
        or request.path.startswith("/webhooks/")
    )


def _json(data: Any, *, status: int = 200) -> web.Response:
    # discord.py parses a body only when the content type is exactly "application/json".
    return web.Response(
        status=status, body=json.dumps(data).encode(), headers={"Content-Type": "application/json"}
    )


def _dm_channel(user: User) -> int:
    return user.id + 500_000_000_000_000


def _option_type(value: Any) -> int:
    return {bool: 5, int: 4, float: 10}.get(type(value), 3)


def _member(user: User | None) -> dict[str, Any]:
    member = payload("discord/member")
    if user is not None:
        member["user"] = user.payload()
    return member


def _application(bot: User) -> dict[str, Any]:
    return payload("discord/application") | {"name": bot.name, "owner": ALICE.payload()}


def _guild(bot: User) -> dict[str, Any]:
    """GUILD_CREATE of the one guild (#general and a thread), with the bot as its member."""
    guild = payload("discord/guild_create")
    guild["members"] = [{**_member(bot), "roles": []}]
    return guild
