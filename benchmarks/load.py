"""Load test of the Slack adapter in HTTP mode, on loopback only, bounded in count and time.

    python -m benchmarks.load                               # 3000 requests, 100 at a time
    python -m benchmarks.load --requests 600 --concurrency 20 --json /tmp/load.json

The bot runs as Slack's HTTP mode serves it (Bolt's aiohttp app on /slack/events, built by
`adapters.slack.build_app` from HTTP-mode settings, the summit fact base) in a child process
on 127.0.0.1; its Web API and every response_url point at the fake Slack of
tests/fakes/slack_api.py, served by this process. This process then sends signed requests as
Slack does (payloads from tests/fixtures/slack), `--concurrency` at a time:
- `/summit <question>` slash commands (the answer must come to that command's response_url);
- direct messages (a message event in its own DM channel: one chat.postMessage there);
- mentions in a channel (Slack delivers a message event *and* an app_mention for the same
  message: both must be acked, one answer in the message's thread);
- redeliveries: a tenth of the events are sent again with the same event id and
  X-Slack-Retry-Num: 1, as Slack does after a slow ack (acked, never answered twice).
Measured: requests acknowledged per second, the time to acknowledge (HTTP response) per
request, the time until the answer reached the fake Slack, and whether every request was
acked within 3 s and every question answered exactly once. A question that finds
`--max-pending` others waiting is told at once that the bot is busy (MAX_PENDING_QUESTIONS):
those replies are counted apart ("turned away"); the answer times and rate are the real
answers'. It stops by itself: at most --requests requests and --timeout seconds.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any, ClassVar
from urllib.parse import urlencode

from benchmarks.common import DEV_EVAL, ROOT, load_eval, machine, percentile, write_json
from operations.messages import BUSY
from operations.settings.core import CoreSettings

_DEFAULT_MAX_PENDING = CoreSettings.model_fields["max_pending_questions"].default
ACK_LIMIT_S = 3.0  # Slack retries a request that is not acknowledged within 3 seconds
EVENTS_PATH = "/slack/events"


@dataclass
class Sent:
    """One HTTP request to the bot and what came back."""

    kind: str
    key: str  # the answer it expects: "cmd:<name>", "dm:<channel>", "thread:<ts>", "" = none
    started: float
    acked: float = 0.0
    status: int = 0
    error: str = ""


@dataclass
class Plan:
    requests: list[tuple[str, str, str, dict[str, str]]] = field(default_factory=list)
    # (kind, expected-answer key, body, extra headers)


def _questions() -> list[str]:
    path = DEV_EVAL if DEV_EVAL.exists() else ROOT / "tests" / "eval" / "extra.jsonl"
    return [item["q"] for item in load_eval(path)]


def plan(count: int, fake_url: str) -> Plan:
    """`count` requests: commands, DMs, mentions (two events each) and some redeliveries."""
    from tests.payloads import payload

    questions = _questions()
    out = Plan()
    events: list[tuple[str, str, str]] = []  # (kind, key, body) of delivered events
    n = 0
    while len(out.requests) < count:
        n += 1
        q = questions[n % len(questions)]
        kind = ("command", "dm", "mention")[n % 3]
        if kind == "command":
            form = {**payload("slack/slash_command"), "text": q, "user_id": f"U{n:07d}",
                    "response_url": f"{fake_url}/respond/load-{n}"}
            out.requests.append((kind, f"cmd:load-{n}", urlencode(form), {}))
            continue
        ts = f"1700000200.{n:06d}"
        said = {"text": q, "user": f"U{n:07d}", "ts": ts, "event_ts": ts}
        if kind == "dm":
            channel = f"D0LOAD{n:06d}"
            event = {**payload("slack/message"), **said, "channel": channel, "channel_type": "im"}
            deliveries = [("dm", f"dm:{channel}", event)]
        else:
            said["text"] = f"<@UBOT> {q}"
            message = {**payload("slack/message"), **said, "channel": "C0GENERAL",
                       "channel_type": "channel"}
            mention = {**payload("slack/app_mention"), **said, "channel": "C0GENERAL"}
            deliveries = [("mention-message", "", message), ("mention", f"thread:{ts}", mention)]
        for i, (sub_kind, key, event) in enumerate(deliveries):
            envelope = payload("slack/event_callback") | {"event": event}
            envelope["event_id"] = f"EvL{n:09d}{i}"
            body = json.dumps(envelope)
            out.requests.append((sub_kind, key, body, {}))
            events.append((sub_kind, key, body))
        if n % 10 == 0 and events:  # Slack redelivers what it thinks was not acked in time
            _, _, body = events[-1]
            retry = {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}
            out.requests.append(("redelivery", "", body, retry))
    out.requests = out.requests[:count]
    return out


async def _send(http: Any, url: str, item: tuple[str, str, str, dict[str, str]],
                gate: asyncio.Semaphore, deadline: float) -> Sent:
    from tests.fakes.slack_workspace import sign

    kind, key, body, extra = item
    content_type = "application/x-www-form-urlencoded" if kind == "command" else \
        "application/json"
    async with gate:
        sent = Sent(kind, key, time.perf_counter())
        if sent.started > deadline:
            sent.error = "not sent: out of time"
            return sent
        headers = {"Content-Type": content_type, **sign(body), **extra}
        try:
            async with http.post(url, data=body.encode(), headers=headers) as resp:
                await resp.read()
                sent.status = resp.status
        except Exception as exc:  # noqa: BLE001 - any failure is a result here
            sent.error = f"{type(exc).__name__}: {exc}"
        sent.acked = time.perf_counter()
    return sent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def _wait_listening(port: int, child: subprocess.Popen[bytes], limit: float) -> None:
    end = time.monotonic() + limit
    while time.monotonic() < end:
        if child.poll() is not None:
            raise RuntimeError(f"the bot exited with {child.returncode}")
        try:
            _, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.close()
            return
        except OSError:
            await asyncio.sleep(0.1)
    raise RuntimeError(f"the bot did not listen on 127.0.0.1:{port} within {limit:.0f} s")


class _TimedFake:
    """The fake Slack, noting when each call arrived."""

    def __init__(self) -> None:
        from tests.fakes.slack_api import FakeSlack

        class Timed(FakeSlack):
            arrived: ClassVar[list[float]] = []

            async def _record(self, call: Any) -> None:
                self.arrived.append(time.perf_counter())
                await super()._record(call)

        Timed.arrived = []
        self.fake = Timed()


def _answer_key(call: Any) -> str:
    if call.method == "response_url":
        return "cmd:" + call.path.rsplit("/", 1)[-1]
    if call.method == "chat.postMessage":
        channel = str(call.get("channel", ""))
        if channel.startswith("D"):
            return f"dm:{channel}"
        return f"thread:{call.get('thread_ts')}"
    return ""


async def _run(args: argparse.Namespace) -> dict[str, Any]:
    import aiohttp

    timed = _TimedFake()
    fake = timed.fake
    async with fake:
        requests = plan(args.requests, fake.url)
        port = _free_port()
        log = tempfile.TemporaryFile()  # noqa: SIM115 - closed below, after the child ends
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(
            p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)}
        child = subprocess.Popen(
            [sys.executable, "-m", "benchmarks.load", "--serve", str(port),
             "--api-url", fake.api_url, "--token", fake.token,
             "--max-pending", str(args.max_pending)],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log,
        )
        try:
            await _wait_listening(port, child, 60)
            url = f"http://127.0.0.1:{port}{EVENTS_PATH}"
            gate = asyncio.Semaphore(args.concurrency)
            connector = aiohttp.TCPConnector(limit=args.concurrency)
            began = time.perf_counter()
            deadline = began + args.timeout
            limit = aiohttp.ClientTimeout(total=30)  # a hung request ends as an error
            async with aiohttp.ClientSession(connector=connector, timeout=limit) as http:
                sent = await asyncio.gather(
                    *(_send(http, url, r, gate, deadline) for r in requests.requests)
                )
            acked_all = time.perf_counter()
            expected = {s.key: s.started for s in sent if s.key and s.status == 200}
            answered = {"response_url", "chat.postMessage", "chat.postEphemeral"}

            def done() -> bool:
                keys = {_answer_key(c) for c in fake.received if c.method in answered}
                return set(expected) <= keys

            remaining = max(1.0, deadline + 30 - time.perf_counter())
            with contextlib.suppress(AssertionError):  # missing answers are counted below
                await fake.wait_for(done, timeout=remaining, what="every answer")
            await asyncio.sleep(args.grace)  # time for a duplicate answer to show up
        finally:
            child.terminate()
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
            log.seek(0)
            server_log = log.read().decode("utf-8", "replace")
            log.close()
    return _summary(args, sent, fake, expected, began, acked_all, server_log)


def _summary(args: argparse.Namespace, sent: list[Sent], fake: Any, expected: dict[str, float],
             began: float, acked_all: float, server_log: str) -> dict[str, Any]:
    ok = [s for s in sent if s.status == 200]
    ack_ms = [(s.acked - s.started) * 1000 for s in ok]
    counts: Counter[str] = Counter()
    first_at: dict[str, float] = {}
    busy: set[str] = set()
    for call, at in zip(fake.received, fake.arrived, strict=True):
        key = _answer_key(call)
        if key:
            counts[key] += 1
            first_at.setdefault(key, at)
            if BUSY in json.dumps(call.args, ensure_ascii=False):
                busy.add(key)
    unexpected = sorted(k for k in counts if k not in expected)
    real = {k: t for k, t in expected.items() if k in first_at and k not in busy}
    answer_ms = [(first_at[k] - t) * 1000 for k, t in real.items()]
    last_answer = max((first_at[k] for k in real), default=began)
    errors = [r for r in server_log.splitlines() if " ERROR " in r or "Traceback" in r]
    by_kind = Counter(s.kind for s in sent)
    wall = acked_all - began
    return {
        "requests": len(sent),
        "by_kind": dict(sorted(by_kind.items())),
        "concurrency": args.concurrency,
        "questions_expected": len(expected),
        "wall_s": wall,
        "rps": len(ok) / wall if wall else 0.0,
        "answered_per_s": len(answer_ms) / (last_answer - began) if answer_ms else 0.0,
        "statuses": dict(Counter(str(s.status or s.error) for s in sent)),
        "ack_ms": {
            "p50": percentile(ack_ms, 0.5),
            "p90": percentile(ack_ms, 0.9),
            "p99": percentile(ack_ms, 0.99),
            "max": max(ack_ms, default=0.0),
        },
        "acked_within_3s": sum(1 for m in ack_ms if m <= ACK_LIMIT_S * 1000),
        "all_acked_within_3s": len(ok) == len(sent) and max(ack_ms, default=0) <= 3000,
        "answer_ms": {
            "p50": percentile(answer_ms, 0.5),
            "p90": percentile(answer_ms, 0.9),
            "p99": percentile(answer_ms, 0.99),
            "max": max(answer_ms, default=0.0),
        },
        "max_pending": args.max_pending,
        "turned_away": sum(1 for k in expected if k in busy),
        "answered_once": sum(1 for k in expected if counts[k] == 1),
        "missing": sorted(k for k in expected if counts[k] == 0)[:20],
        "duplicated": sorted(k for k in expected if counts[k] > 1)[:20],
        "unexpected": unexpected[:20],
        "exactly_once": all(counts[k] == 1 for k in expected) and not unexpected,
        "server_errors": errors[:20],
        "machine": machine(),
        "command": "python -m benchmarks.load " + " ".join(sys.argv[1:]),
    }


# -- the bot, in the child process -------------------------------------------------------------


def serve(port: int, api_url: str, token: str, max_pending: int) -> None:
    """Serve the Slack app in HTTP mode on 127.0.0.1:`port`, its Web API at `api_url`."""
    import logging

    from aiohttp import web

    import knowledge.loader
    from adapters.slack import EVENTS_PATH as PATH
    from adapters.slack import build_app, from_env
    from knowledge.loader import load_knowledge
    from operations.engines import make_engine
    from operations.live import Bot
    from tests.fakes.slack_workspace import settings_env

    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(message)s")
    # the same settings as the adapter's own tests use (signing secret, API URL, token)
    fake = SimpleNamespace(token=token, api_url=api_url)
    settings = from_env(settings_env(fake), http=True)  # type: ignore[arg-type]
    # the bot as `summit-bot slack` builds it (build_app takes a Bot: an Engine alone made
    # every question fail with "engine failed" until 2026-12-04)
    engine = make_engine(load_knowledge(knowledge.loader.DEFAULT))
    app = build_app(Bot(engine, max_pending=max_pending), settings)
    web.run_app(app.web_app(path=PATH), host="127.0.0.1", port=port, print=None,
                access_log=None)


def _print(result: dict[str, Any]) -> None:
    a, b = result["ack_ms"], result["answer_ms"]
    print(f"{result['requests']} requests ({result['by_kind']}), {result['concurrency']} at a "
          f"time: {result['rps']:.0f} acked/s over {result['wall_s']:.1f} s")
    print(f"ack   p50 {a['p50']:.1f} ms  p90 {a['p90']:.1f}  p99 {a['p99']:.1f}  max {a['max']:.1f}"
          f"; within 3 s: {result['acked_within_3s']}/{result['requests']}")
    print(f"answer p50 {b['p50']:.1f} ms  p90 {b['p90']:.1f}  p99 {b['p99']:.1f}  "
          f"max {b['max']:.1f}; {result['answered_per_s']:.0f} answered/s; turned away "
          f"(busy, over {result['max_pending']} waiting): {result['turned_away']}")
    print(f"answered exactly once: {result['answered_once']}/{result['questions_expected']}"
          f"; missing {result['missing']}; duplicated {result['duplicated']}; "
          f"unexpected {result['unexpected']}; statuses {result['statuses']}")
    if result["server_errors"]:
        print("server errors:", *result["server_errors"][:5], sep="\n  ")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=3000, help="HTTP requests in all")
    parser.add_argument("--concurrency", type=int, default=100, help="requests in flight")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds, at most")
    parser.add_argument("--grace", type=float, default=1.0,
                        help="seconds to wait after the last answer for duplicates")
    parser.add_argument("--max-pending", type=int, default=_DEFAULT_MAX_PENDING,
                        help="MAX_PENDING_QUESTIONS of the bot (default: the setting's, "
                        f"{_DEFAULT_MAX_PENDING}); more waiting are told it is busy")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--api-url", help=argparse.SUPPRESS)
    parser.add_argument("--token", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve:
        serve(args.serve, args.api_url, args.token, args.max_pending)
        return 0
    try:
        import aiohttp  # noqa: F401
        import slack_bolt  # noqa: F401
    except ImportError as exc:
        print(f"skipped: the Slack adapter is not installed ({exc.name}): "
              "pip install -e '.[slack]'", file=sys.stderr)
        return 3
    args.requests = max(1, min(args.requests, 20_000))
    args.concurrency = max(1, min(args.concurrency, 500))
    result = asyncio.run(_run(args))
    _print(result)
    if args.json:
        write_json(args.json, result)
    ok = result["all_acked_within_3s"] and result["exactly_once"]
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
