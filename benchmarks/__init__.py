"""Benchmarks: answer quality, speed and scale, Slack load (`make bench`, docs/benchmarks.md)."""

import adapters  # noqa: F401  (one BLAS thread, as the bot runs: set before numpy loads)
