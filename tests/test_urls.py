"""Secrets in DATABASE_URL and REDIS_URL never show, whatever the URL's shape: `summit-bot
config`, the question log's name in messages and the log redaction all use operations/urls.py."""

from __future__ import annotations

import pytest

from adapters.cli import main
from operations.ops_settings import OpsSettings
from operations.settings import load, shown
from operations.urls import masked, url_secrets, without_credentials

# (URL, its secret, how `summit-bot config` shows it, where it points)
URLS = [
    ("postgresql://summit:pa55@db:5432/summit", "pa55", "postgresql://summit:****@db:5432/summit",
     "postgresql://db:5432/summit"),
    ("postgresql://summit:pa/ss@db:5432/summit", "pa/ss",
     "postgresql://summit:****@db:5432/summit", "postgresql://db:5432/summit"),
    ("postgresql://summit:pa?ss@db/summit", "pa?ss", "postgresql://summit:****@db/summit",
     "postgresql://db/summit"),
    ("postgresql://summit:pa#ss@db/summit", "pa#ss", "postgresql://summit:****@db/summit",
     "postgresql://db/summit"),
    ("postgresql://summit:p@ss:w/rd@db/summit", "p@ss:w/rd", "postgresql://summit:****@db/summit",
     "postgresql://db/summit"),
    ("postgres://summit:p%2Fss%40x@db:5432/s", "p%2Fss%40x", "postgres://summit:****@db:5432/s",
     "postgres://db:5432/s"),
    ("postgresql://summit:pw@db:notaport/s", "pw", "postgresql://summit:****@db:notaport/s",
     "postgresql://db:notaport/s"),
    ("postgresql://summit:pw@h1:5432,h2:5433/s?sslmode=require", "pw",
     "postgresql://summit:****@h1:5432,h2:5433/s?sslmode=require",
     "postgresql://h1:5432,h2:5433/s?sslmode=require"),
    ("postgresql://db/summit?user=s&password=hunter2&sslmode=require", "hunter2",
     "postgresql://db/summit?user=s&password=****&sslmode=require",
     "postgresql://db/summit?user=s&password=****&sslmode=require"),
    ("postgresql://s:pw@db/summit?sslpassword=keypass", "keypass",
     "postgresql://s:****@db/summit?sslpassword=****", "postgresql://db/summit?sslpassword=****"),
    ("redis://:s3cr/et#1?@redis:6379/0", "s3cr/et#1?", "redis://:****@redis:6379/0",
     "redis://redis:6379/0"),
    ("rediss://default:tok:en@cache.example.com:6380/1", "tok:en",
     "rediss://default:****@cache.example.com:6380/1", "rediss://cache.example.com:6380/1"),
    ("redis://pa/ss@redis:6379", "pa/ss", "redis://****@redis:6379", "redis://redis:6379"),
    ("redis://us er:pw@redis", "us er:pw", "redis://****:****@redis", "redis://redis"),
    ("unix://:pw@/run/redis.sock?db=0", "pw", "unix://:****@/run/redis.sock?db=0",
     "unix:///run/redis.sock?db=0"),
    ("postgresql://summit@db/summit", None, "postgresql://summit@db/summit",
     "postgresql://db/summit"),
    ("redis://redis:6379/0", None, "redis://redis:6379/0", "redis://redis:6379/0"),
]


@pytest.mark.parametrize(("url", "secret", "shown_as", "target"), URLS)
def test_a_url_is_shown_without_its_secret(
    url: str, secret: str | None, shown_as: str, target: str
) -> None:
    assert masked(url) == shown_as
    assert without_credentials(url) == target
    if secret is not None:
        assert secret not in shown_as and secret not in target
        assert secret in url_secrets(url)
    else:
        assert url_secrets(url) == []


def test_a_percent_encoded_password_is_redacted_decoded_too() -> None:
    assert url_secrets("postgresql://s:p%2Fss%40x@db/s") == ["p%2Fss%40x", "p/ss@x"]


@pytest.mark.parametrize(
    ("database_url", "redis_url"),
    [
        ("postgresql://summit:pa/ss@db:5432/summit", "redis://:se#cret@redis:6379/0"),
        ("postgresql://summit:pa?ss@db/summit", "redis://:se/cr?et@redis:6379/0"),
        ("postgresql://summit:pa#ss@db:notaport/summit", "rediss://u:se@c@ret@redis"),
    ],
)
def test_config_never_prints_a_password(
    database_url: str, redis_url: str, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("REDIS_URL", redis_url)

    main(["config"])

    out = capsys.readouterr().out
    assert "DATABASE_URL=postgresql://summit:****@db" in out and "REDIS_URL=redis" in out
    for secret in ("pa/ss", "pa?ss", "pa#ss", "se#cret", "se/cr?et", "se@c@ret", "ss@", "ret@"):
        assert secret not in out


def test_settings_redact_and_show_an_odd_password() -> None:
    settings = load({"DATABASE_URL": "postgresql://summit:pa/ss@db:5432/summit",
                     "REDIS_URL": "redis://:se#cret@redis:6379/0"})
    rows = dict(shown(settings))
    assert rows["DATABASE_URL"] == "postgresql://summit:****@db:5432/summit"
    assert rows["REDIS_URL"] == "redis://:****@redis:6379/0"
    assert {"pa/ss", "se#cret"} <= set(settings.secrets())


def test_the_question_log_is_named_without_its_password() -> None:
    settings = OpsSettings(database_url="postgresql://summit:pa/ss@db:5432/summit")
    assert settings.log_target == "postgresql://db:5432/summit"
