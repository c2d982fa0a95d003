"""Making text safe to show: one line, never the API key (a server may echo it back), and never a
credential written into a URL.

A leaf module (standard library only, nothing of notte_ext), so the client, the CLI and the
standalone `drift` and `testing` packages all apply the same rules.

The URL rule, everywhere a URL can reach a person (errors, logs, drift reports, the CLI):

* userinfo becomes `***@`: everything between `://` and the URL's last `@`. RFC 3986 ends the
  authority at the first `/`, `?` or `#`, but a password someone typed with one of those unescaped
  is still a password: hiding a host that has an `@` somewhere after it is the cheaper mistake;
* the value of every query (or fragment) parameter whose name contains one of `SECRET_NAME_PARTS`,
  case-insensitively (`access_token`, `X-Amz-Signature`, `apiKey`), becomes `***`.
"""

from __future__ import annotations

import base64
import logging
import re
from typing import Any
from urllib.parse import quote, unquote

REDACTED = "***"
# "sig" covers signature, "pass" password and passwd, "auth" authorization and oauth.
SECRET_NAME_PARTS = ("token", "key", "secret", "sig", "pass", "pwd", "auth", "credential")
# Pieces of a URL's secrets shorter than this are not replaced wherever they occur in free text (a
# one-letter password would mangle every message); inside a URL the structural rule hides them all.
MIN_LITERAL_SECRET = 4

# A URL inside free text: a scheme, "://", then anything up to whitespace, a quote or an angle bracket,
# without the punctuation of the sentence around it ("cannot fetch URL: reason"). The scheme starts
# where a run of scheme characters starts: without the lookbehind every letter of a long word was a
# new start that scanned to the word's end (quadratic: a 200 KB enum value in a report took 75 s).
_URL_IN_TEXT = re.compile(r"(?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]*://[^\s'\"<>`]*[^\s'\"<>`.,:;!?)\]]")
# name=value after ?, &, ; or #.
_PARAMETER = re.compile(r"([?&;#])([^=&;#?]+)=([^&;#]*)")


# C0 and C1 control characters and DEL, each written as its escape (`\x1b`): a server's text printed
# raw could move the cursor, clear the screen, retitle the window or hide what follows (ESC, CSI, OSC).
# And half a surrogate pair (a JSON string may escape one: "\udfff"), as `\udfff`: no encoding writes
# it, so printed raw it would fail the whole table (stderr writes it so by itself: backslashreplace).
_CONTROLS = {
    **{code: f"\\x{code:02x}" for code in [*range(0x20), *range(0x7F, 0xA0)]},
    **{code: f"\\u{code:04x}" for code in range(0xD800, 0xE000)},
}


def printable(text: str) -> str:
    """`text` with every control character (tabs and line breaks too) and half surrogate pair escaped, for a
    terminal."""
    return text.translate(_CONTROLS)


# Where `one_line` cuts by default, and so every NotteError's message.
MESSAGE_LIMIT = 300


def one_line(text: str, limit: int = MESSAGE_LIMIT) -> str:
    """Collapse whitespace so a message never spans lines, escape control characters (a message may
    quote a server), and keep it readable in a log."""
    flat = printable(" ".join(text.split()))
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


# What a client keeps out of messages: its API key, or the key and more (a proxy's credentials).
Secret = str | tuple[str, ...] | None


def each_secret(*secrets: Secret) -> list[str]:
    """The non-empty strings among secrets given one by one or as tuples, longest first (so a secret
    that contains another is replaced whole)."""
    found = [item for secret in secrets for item in ((secret,) if isinstance(secret, str) else secret or ())]
    return sorted(filter(None, found), key=len, reverse=True)


def redact(text: str, *secrets: Secret) -> str:
    """Remove secrets from text that came from elsewhere (e.g. a server echoing the key)."""
    for secret in each_secret(*secrets):
        text = text.replace(secret, REDACTED)
    return text


# How deep an error keeps a server's JSON (a 422's details are 3 deep): deeper containers become "…".
# A body nested hundreds deep would otherwise exhaust Python's recursion here or in the repr of a message.
MAX_SHOWN_DEPTH = 32


def redact_json(value: Any, secret: Secret, depth: int = 0) -> Any:
    """`redact` applied to every string of a decoded JSON value (keys too), other values as they are,
    containers nested past MAX_SHOWN_DEPTH cut to "…"."""
    if isinstance(value, str):
        return redact(value, secret) if secret else value
    if isinstance(value, list | dict) and depth >= MAX_SHOWN_DEPTH:
        return "…"
    if isinstance(value, list):
        return [redact_json(item, secret, depth + 1) for item in value]
    if isinstance(value, dict):
        return {redact(str(key), secret): redact_json(item, secret, depth + 1) for key, item in value.items()}
    return value


def is_secret_name(name: str) -> bool:
    """Whether a query parameter's name says its value is a credential (`access_token`, `X-Amz-Signature`)."""
    lowered = unquote(name).lower()
    return any(part in lowered for part in SECRET_NAME_PARTS)


def _split_userinfo(url: str) -> tuple[str, str | None, str]:
    """(scheme + "://", userinfo or None, the rest); ("", None, url) for text without "://"."""
    scheme, separator, rest = url.partition("://")
    if not separator:
        return "", None, url
    userinfo, at, after = rest.rpartition("@")
    return scheme + separator, (userinfo if at else None), (after if at else rest)


def redact_url(url: str) -> str:
    """The URL with its userinfo and secret-named parameter values replaced by `***`."""
    head, userinfo, rest = _split_userinfo(url)
    if userinfo is not None:
        head += f"{REDACTED}@"

    def hide(match: re.Match[str]) -> str:
        lead, name, value = match.groups()
        return f"{lead}{name}={REDACTED}" if is_secret_name(name) and value else match.group()

    return head + _PARAMETER.sub(hide, rest)


def redact_urls(text: str) -> str:
    """`redact_url` applied to every URL inside free text (an exception message, a report)."""
    return _URL_IN_TEXT.sub(lambda match: redact_url(match.group()), text)


def url_secrets(url: str) -> tuple[str, ...]:
    """The credentials a URL carries, in the forms they may come back in: the userinfo, its user and
    password, raw, decoded and percent-encoded, the Basic token httpx makes of them, and the values of
    secret-named parameters. Pieces shorter than `MIN_LITERAL_SECRET` are left out."""
    _, userinfo, rest = _split_userinfo(url)
    found: list[str] = []
    if userinfo:
        user, _, password = userinfo.partition(":")
        found += [userinfo, user, password]
        basic = f"{unquote(user)}:{unquote(password)}".encode()
        found.append(base64.b64encode(basic).decode("ascii"))
    found += [value for _, name, value in _PARAMETER.findall(rest) if is_secret_name(name)]
    forms = {form for piece in found for form in (piece, unquote(piece), quote(unquote(piece), safe=""))}
    kept = (form for form in forms if len(form) >= MIN_LITERAL_SECRET and REDACTED not in form)
    return tuple(sorted(kept, key=len, reverse=True))


def redact_url_text(text: str, *urls: str | None) -> str:
    """Free text about `urls` (e.g. an error reading one) made safe: every URL in it redacted, and
    the credentials of `urls` removed wherever they were echoed (a server quoting the request)."""
    return redact_urls(redact(text, *(secret for url in urls if url for secret in url_secrets(url))))


class RedactURLs(logging.Filter):
    """Applies `redact_urls` to the arguments of a logger's records: httpx logs every request's full
    URL at INFO (`HTTP Request: GET https://user:password@host/?token=...`)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(_redacted_argument(argument) for argument in record.args)
        elif isinstance(record.args, dict):
            record.args = {name: _redacted_argument(argument) for name, argument in record.args.items()}
        record.msg = _redacted_argument(record.msg)
        return True


def _redacted_argument(argument: object) -> object:
    text = str(argument)
    return redact_urls(text) if "://" in text else argument  # other values keep their type (%d needs an int)


def redact_logged_urls(logger_name: str) -> None:
    """Install `RedactURLs` on a logger, once."""
    logger = logging.getLogger(logger_name)
    if not any(isinstance(existing, RedactURLs) for existing in logger.filters):
        logger.addFilter(RedactURLs())
