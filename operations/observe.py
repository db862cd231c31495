"""What the adapters report about themselves: metrics, the answer log, platform errors.

    observer = Observer(log_questions=False)
    observer.fact_base(engine.knowledge)
    answer = observer.answer(reply, question)    # inside Bot.ask: timed, counted, logged
    text = observer.metrics.exposition()         # GET /metrics, Prometheus text format

Every question goes through `Observer.answer`: it times the engine, counts the outcome by
platform and writes one log line with platform, conversation and outcome (the question's text
only at DEBUG or with LOG_QUESTIONS=true). Platform errors are counted from the log records the
adapters already write for each failure (`count_platform_errors`), so each failure is described
in one place and counted without a second code path. Each `Metrics` has its own registry: two
apps in one process (tests) never mix their numbers.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, Info
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.exposition import CONTENT_TYPE_LATEST, generate_latest
from prometheus_client.registry import Collector

from bot import Answer, KnowledgeBase, Outcome, Question
from operations.questionlog import LogStats

log = logging.getLogger("summit_bot.answers")

CONTENT_TYPE = CONTENT_TYPE_LATEST
# The engine answers in about a millisecond; the buckets resolve that and catch the outliers.
LATENCY_BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5)
BUSY_WARN_EVERY = 60.0  # seconds between two "told the bot is busy" warnings
# Loggers whose warnings and errors are platform errors: our adapters' own (every failed
# delivery, rate limit and failed event is logged there once), and the SDKs' errors.
_ERROR_LOGGERS = {
    "summit_bot.slack": ("slack", logging.WARNING),
    "slack_bolt": ("slack", logging.ERROR),
    "slack_sdk": ("slack", logging.ERROR),
    "adapters.discord": ("discord", logging.WARNING),
    "discord": ("discord", logging.ERROR),
}


class Metrics:
    """The Prometheus metrics of one running adapter (see docs/deploy.md, "What to monitor")."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        r = self.registry
        self.questions = Counter(
            "summit_questions",
            "Questions by platform and outcome (answered, did_you_mean, abstained, command).",
            ["platform", "outcome"],
            registry=r,
        )
        self.latency = Histogram(
            "summit_answer_seconds",
            "Time the engine took to answer a question.",
            ["platform"],
            buckets=LATENCY_BUCKETS,
            registry=r,
        )
        self.pending = Gauge(
            "summit_questions_pending",
            "Questions taken and not yet answered: waiting for the answering thread or in it.",
            registry=r,
        )
        self.turned_away = Counter(
            "summit_questions_turned_away",
            "Questions told the bot is busy: MAX_PENDING_QUESTIONS were already waiting.",
            ["platform"],
            registry=r,
        )
        self.engine_errors = Counter(
            "summit_engine_errors", "Questions on which the engine raised (a bug).", ["platform"],
            registry=r,
        )
        self.platform_errors = Counter(
            "summit_platform_errors",
            "Errors talking to the platform: failed deliveries, rate limits, gateway trouble.",
            ["platform", "level"],
            registry=r,
        )
        self.facts = Gauge("summit_fact_base_facts", "Facts in the loaded fact base.", registry=r)
        self.fact_questions = Gauge(
            "summit_fact_base_questions", "Question phrasings in the loaded fact base.", registry=r
        )
        self.fact_base_info = Info(
            "summit_fact_base", "The loaded fact base: its version (content hash) and event.",
            registry=r,
        )
        self.ready = Gauge(
            "summit_ready",
            "1 when connected to the platform with the fact base loaded (as /healthz says).",
            ["platform"],
            registry=r,
        )
        self.shared_state_up = Gauge(
            "summit_shared_state_up",
            "1: Redis answers; 0: unreachable, local state in use. Absent without REDIS_URL.",
            registry=r,
        )

    def question_log(self, stats: Callable[[], LogStats]) -> None:
        """Publish the question log's state and counts, read from `stats()` at each scrape."""
        self.registry.register(_QuestionLogMetrics(stats))

    def exposition(self) -> bytes:
        """The metrics in Prometheus' text format (content type: `CONTENT_TYPE`)."""
        return generate_latest(self.registry)

    def value(self, name: str, **labels: str) -> float:
        """One sample's current value (0.0 when absent): for tests and `summit-bot` checks."""
        found = self.registry.get_sample_value(name, labels)
        return 0.0 if found is None else found


class _QuestionLogMetrics(Collector):
    def __init__(self, stats: Callable[[], LogStats]) -> None:
        self._stats = stats

    def collect(self) -> Iterator[Metric]:
        s = self._stats()
        yield GaugeMetricFamily(
            "summit_question_log_up",
            "1: questions reach the log's database; 0: it is unreachable, they wait in the spool.",
            value=1 if s.state == "ok" else 0,
        )
        yield GaugeMetricFamily(
            "summit_question_log_spooled",
            "Questions and votes waiting in the local spool for the database to be back.",
            value=s.spooled,
        )
        yield CounterMetricFamily(
            "summit_question_log_written", "Questions and votes written to the log.",
            value=s.written,
        )
        yield CounterMetricFamily(
            "summit_question_log_dropped",
            "Questions and votes lost because the queue or the spool was full.", value=s.dropped,
        )
        yield CounterMetricFamily(
            "summit_question_log_failed",
            "Questions and votes whose write kept failing with the database up.", value=s.failed,
        )


class Observer:
    """Times and counts every answer and logs it; one per process, shared by its adapters."""

    def __init__(self, *, metrics: Metrics | None = None, log_questions: bool = False) -> None:
        self.metrics = metrics or Metrics()
        self.log_questions = log_questions
        self._busy_warned_at = -BUSY_WARN_EVERY

    def fact_base(self, kb: KnowledgeBase) -> None:
        """Publish the fact base's size and version (at start, and after a reload)."""
        self.metrics.facts.set(len(kb.facts))
        self.metrics.fact_questions.set(sum(len(f.questions) for f in kb.facts))
        self.metrics.fact_base_info.info({"version": kb.version, "event": kb.event.name})

    def platforms(self, *names: str) -> None:
        """Show every outcome of these platforms at 0 from the start (rates need a baseline)."""
        for platform in names:
            for outcome in Outcome:
                self.metrics.questions.labels(platform, outcome.value)
            self.metrics.turned_away.labels(platform)
            self.metrics.latency.labels(platform)

    def count_pending(self, pending: Callable[[], int]) -> None:
        """`summit_questions_pending` reads `pending()`: questions taken and not yet answered."""
        self.metrics.pending.set_function(lambda: float(pending()))

    def turned_away(self, question: Question) -> None:
        """Count a question told the bot is busy (too many waiting); warn at most once a minute."""
        platform = question.platform
        self.metrics.turned_away.labels(platform).inc()
        now = time.monotonic()
        if now - self._busy_warned_at >= BUSY_WARN_EVERY:
            self._busy_warned_at = now
            total = self.metrics.value("summit_questions_turned_away_total", platform=platform)
            log.warning("%s: MAX_PENDING_QUESTIONS were waiting; %d question(s) told the bot "
                        "is busy so far", platform, total, extra={"platform": platform})

    def answer(self, reply: Callable[[Question], Answer], question: Question) -> Answer:
        """`reply(question)`, timed, counted and logged. An engine error propagates."""
        start = time.perf_counter()
        try:
            answer = reply(question)
        except Exception:
            self.metrics.engine_errors.labels(question.platform).inc()
            raise
        seconds = time.perf_counter() - start
        self.metrics.questions.labels(question.platform, answer.outcome.value).inc()
        self.metrics.latency.labels(question.platform).observe(seconds)
        fields: dict[str, object] = {
            "platform": question.platform,
            "conversation": question.conversation,
            "outcome": answer.outcome.value,
            "fact_id": answer.fact_id,
            "confidence": round(answer.confidence, 3),
            "ms": round(seconds * 1000, 2),
        }
        if self.log_questions or log.isEnabledFor(logging.DEBUG):
            fields["question"] = question.text
        log.info(
            "%s %s (%s)", question.platform, answer.outcome.value, answer.fact_id or "-",
            extra=fields,
        )
        return answer


class PlatformErrors(logging.Handler):
    """Counts the warnings and errors that the platform loggers write, by platform and level."""

    def __init__(self, metrics: Metrics) -> None:
        super().__init__(logging.WARNING)
        self._metrics = metrics

    def emit(self, record: logging.LogRecord) -> None:
        for prefix, (platform, level) in _ERROR_LOGGERS.items():
            if record.levelno >= level and _under(record.name, prefix):
                self._metrics.platform_errors.labels(platform, record.levelname.lower()).inc()
                return


def count_platform_errors(metrics: Metrics) -> PlatformErrors:
    """Attach a `PlatformErrors` counter to the root logger; detach it with `remove_handler`."""
    handler = PlatformErrors(metrics)
    logging.getLogger().addHandler(handler)
    return handler


def _under(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")
