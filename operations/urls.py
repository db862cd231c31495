"""Database and Redis URLs shown without their secrets, whatever their shape.

    masked("postgresql://summit:pa/ss#1@db:5432/summit")   # postgresql://summit:****@db:5432/summit
    without_credentials("redis://:s3cret@redis:6379/0")    # redis://redis:6379/0
    url_secrets("postgresql://u:p%2Fw@db/x")                # ["p%2Fw", "p/w"]

A password may hold `/`, `?`, `#` or `@`, percent-encoded or (by mistake) not. `urlsplit` cuts
such a URL at the first `/`, `?` or `#` and shows the rest of the password as the path; so this
module does not parse: the credentials are everything between `://` and the *last* `@`. An `@`
in the query hides the host too, which errs on the safe side. A `password=` (or `sslpassword=`)
query parameter, which libpq also reads, is masked as well.
"""

from __future__ import annotations

import re
from urllib.parse import unquote

MASK = "****"
_QUERY_SECRET = re.compile(r"(?i)([?&;](?:ssl)?password=)([^&;#]*)")
_PLAIN_USER = re.compile(r"^[\w.+-]*$")


def _split(url: str) -> tuple[str, str | None, str]:
    """(`scheme://`, the credentials or None, what follows them)."""
    scheme, sep, rest = url.partition("://")
    if not sep:
        return "", None, url
    at = rest.rfind("@")
    if at < 0:
        return scheme + sep, None, rest
    return scheme + sep, rest[:at], rest[at + 1 :]


def masked(url: str) -> str:
    """`url` with its password (and any odd user name) as ****; the rest as written."""
    head, credentials, rest = _split(url)
    rest = _QUERY_SECRET.sub(rf"\g<1>{MASK}", rest)
    if credentials is None:
        return head + rest
    user, colon, _ = credentials.partition(":")
    shown = user if _PLAIN_USER.match(user) else MASK  # no colon: a user name (libpq, redis-py)
    return f"{head}{shown}{':' + MASK if colon else ''}@{rest}"


def without_credentials(url: str) -> str:
    """`url` with neither user nor password: where it points, safe for any message."""
    head, _, rest = _split(url)
    return head + _QUERY_SECRET.sub(rf"\g<1>{MASK}", rest)


def url_secrets(url: str) -> list[str]:
    """The secret parts of `url` as written and percent-decoded (what logs must not show)."""
    _, credentials, rest = _split(url)
    found = [m[2] for m in _QUERY_SECRET.finditer(rest)]
    if credentials:
        user, _, password = credentials.partition(":")
        found += [password] if _PLAIN_USER.match(user) else [credentials]
    found += [unquote(s) for s in found]
    return [s for s in dict.fromkeys(found) if s]
