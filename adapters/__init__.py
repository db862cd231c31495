"""Translators between the engine and each platform: console, Slack, Discord.

Each adapter turns platform events into `bot.Question`s and `bot.Answer`s into platform
payloads, and nothing else. Platform SDKs are imported only when their adapter runs.
"""

import os

# One BLAS thread: the engine's products are one question's vector against the facts, where a
# second thread only waits; on a busy 2-core machine it made the meaning step 50x slower
# (20 ms against 0.4 ms, benchmarks/speed.py). Set before numpy loads; an explicit setting wins.
for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")
