"""Which resource a URL names: one key for the many URLs of one paper, video or page.

A reading list links a paper as `arxiv.org/abs/ID`, `arxiv.org/pdf/IDv2`, `arxiv.org/html/ID` or
`huggingface.co/papers/ID`, a video as `youtu.be/ID` or `youtube.com/watch?v=ID&ab_channel=…`,
and any page with or without `www.`, `https`, a trailing slash or tracking parameters. Listed
twice under two of these spellings, it is still listed twice.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit

from mdlint.links.urls import normalise_url

__all__ = ["resource_key"]

# Query parameters that say where a click came from, not what it points at.
_TRACKING = re.compile(r"^(?:utm_\w+|ab_channel|si|fbclid|gclid|igshid|mc_cid|mc_eid|ref_src|feature)$", re.I)
# New-style (2301.12345) and old-style (cs/0112017) arXiv identifiers, without the version.
_ARXIV_PATH = re.compile(
    r"^/(?:abs|pdf|html|format)/(?P<id>\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?(?:\.pdf)?/?$"
)
_HUGGING_FACE_PAPER = re.compile(r"^/papers/(?P<id>\d{4}\.\d{4,5})(?:v\d+)?/?$")
_YOUTUBE_ID = re.compile(r"^[\w-]{11}$")


def resource_key(url: str) -> str | None:
    """A key equal for URLs of one resource (`arxiv:2301.12345`, `youtube:ID`, `//host/path?q`).

    None for what is not an http(s) URL. The fragment is not part of the key.
    """
    normalised = normalise_url(url)
    if normalised is None:
        return None
    parts = urlsplit(normalised)
    host = (parts.hostname or "").removeprefix("www.")
    path = parts.path
    if host in ("arxiv.org", "export.arxiv.org") and (match := _ARXIV_PATH.match(path)):
        return f"arxiv:{match.group('id')}"
    if host == "huggingface.co" and (match := _HUGGING_FACE_PAPER.match(path)):
        return f"arxiv:{match.group('id')}"
    query = [
        (name, value) for name, value in parse_qsl(parts.query, keep_blank_values=True) if not _TRACKING.match(name)
    ]
    video = _youtube_video(host, path, query)
    if video is not None:
        return f"youtube:{video}"
    netloc = host if parts.port is None else f"{host}:{parts.port}"
    trimmed = path.rstrip("/") or "/"
    return f"//{netloc}{trimmed}" + (f"?{urlencode(query)}" if query else "")


def _youtube_video(host: str, path: str, query: list[tuple[str, str]]) -> str | None:
    candidate: str | None = None
    if host == "youtu.be":
        candidate = path.strip("/")
    elif host in ("youtube.com", "m.youtube.com"):
        if path == "/watch":
            candidate = next((value for name, value in query if name == "v"), None)
        elif path.startswith(("/shorts/", "/embed/", "/live/")):
            candidate = path.split("/")[2]
    return candidate if candidate is not None and _YOUTUBE_ID.match(candidate) else None
