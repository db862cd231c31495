"""Benchmarks: answer quality, speed and scale, Slack load (`make bench`, docs/benchmarks.md)."""
