"""What a link destination is: remote URL, local path, or something not to check, and its normal form.

Remote URLs are normalised (scheme and host case, default port, no fragment) so each is checked
once per run however many files link it. Jekyll Liquid in a destination is resolved to a plain
path when it is one (`{{ '/x/' | relative_url }}`, `{% link _posts/a.md %}`) and skipped otherwise:
braces are never reported as a broken link.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import unquote, urlsplit, urlunsplit

__all__ = [
    "ClassifiedDestination",
    "bare_host",
    "classify_destination",
    "configured_origin",
    "is_local_machine_path",
    "liquid_tag_span",
    "looks_malformed",
    "normalise_url",
    "resolve_hugo_ref",
    "resolve_liquid",
    "split_fragment",
    "strip_userinfo",
    "url_origin",
]

_DEFAULT_PORTS = {"http": 80, "https": 443}
# Schemes that are neither checked nor local paths.
_OTHER_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
# One Liquid construct at the start of the text: an output `{{ … }}` or a tag `{% … %}`.
_LIQUID_CONSTRUCT = re.compile(r"\{\{-?(?P<output>[^{}]*?)-?\}\}|\{%-?(?P<tag>[^{}]*?)-?%\}")
_LIQUID_LINK_TAG = re.compile(r"^\s*(?P<tag>link|post_url)\s+(?P<arg>\S(?:.*\S)?)\s*$", re.S)
_LIQUID_PRIMARY = re.compile(
    r"""^\s*(?:(?P<quote>['"])(?P<literal>[^'"]*)(?P=quote)|(?P<name>[A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*)*))\s*"""
)
_LIQUID_FILTER = re.compile(
    r"""^\|\s*(?P<filter>[a-z_]+)\s*(?::\s*(?P<quote>['"])(?P<argument>[^'"]*)(?P=quote))?\s*"""
)
_PLACEHOLDER_VARIABLE = re.compile(r"^\$(?:[A-Z][A-Z0-9_]*\b|\{[A-Za-z_]\w*\})")
_LOCAL_MACHINE_PATH = re.compile(r"^(?:file:|/Users/|/home/|/root/|~/|[A-Za-z]:[\\/]|\\\\[^\\])", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class ClassifiedDestination:
    """A classified destination.

    `kind` is "remote" (http/https; `url` is the normal form used as a key), "local" (`path` is
    the unquoted path part, "" for a same-file fragment), "post" (a `{% post_url %}` with `path`
    the post's name), "ref" (Hugo's `ref`/`relref` with `path` the page it names, "" for the
    page itself), or "skip" (mail, other schemes, unresolvable templating).
    """

    kind: Literal["remote", "local", "post", "ref", "skip"]
    url: str = ""
    path: str = ""
    fragment: str | None = None
    # Liquid's `{% link %}` names a source file relative to the site root, not a URL.
    source_file: bool = False
    # The `lang` argument of a Hugo `ref`/`relref`.
    language: str | None = None

    def __reduce__(self) -> tuple[type[ClassifiedDestination], tuple[Any, ...]]:
        # Positional arguments unpickle several times faster than a slotted dataclass's state;
        # the result cache holds one of these per link of every document.
        return ClassifiedDestination, (self.kind, self.url, self.path, self.fragment, self.source_file, self.language)


def split_fragment(destination: str) -> tuple[str, str | None]:
    """`a/b.md#x` -> (`a/b.md`, `x`); no `#` -> fragment None."""
    base, sep, fragment = destination.partition("#")
    return base, (fragment if sep else None)


def strip_userinfo(url: str) -> str:
    """The URL without `user:password@`, so credentials never reach a cache or a message."""
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))


def normalise_url(url: str) -> str | None:
    """The key under which a remote URL is checked and cached, or None when it is not http(s).

    Lowercases scheme and host, drops a default port, credentials and the fragment, and gives an
    empty path as `/`. The path and query are kept as written: servers may treat them
    case-sensitively.
    """
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.hostname:
        return None
    host = parts.hostname.lower().rstrip(".")
    if not host:
        return None
    if ":" in host:
        host = f"[{host}]"
    netloc = host if port in (None, _DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    return urlunsplit((scheme, netloc, parts.path or "/", parts.query, ""))


def url_origin(url: str) -> str | None:
    """The origin of an http(s) URL as `scheme://host[:port]` (default port left out), else None.

    Two URLs share an origin only when scheme, host and port all agree: `https://h` and `http://h`
    or `https://h:8443` are three origins.
    """
    key = normalise_url(url)
    if key is None:
        return None
    parts = urlsplit(key)
    return f"{parts.scheme}://{parts.netloc}"


def configured_origin(key: str) -> tuple[str, str]:
    """A `hosts` key of link-dead's options as (origin, host name); raise ValueError when it is none.

    A key is an origin (`https://docs.example.com:8443`, `http://intranet`) or a bare host name,
    which stands for its https origin on the default port: headers configured for `example.com`
    never travel over plain http or to another port.
    """
    text = key.strip()
    url = text if "://" in text else f"https://{text}"
    try:
        parts = urlsplit(url)
    except ValueError:
        parts = None
    origin = url_origin(url)
    if parts is None or origin is None or "@" in parts.netloc or parts.path not in ("", "/") or parts.query:
        raise ValueError(f"{key!r} is neither a host name nor an origin such as https://example.com:8443")
    return origin, urlsplit(origin).hostname or ""


def looks_malformed(destination: str) -> bool:
    """Destinations other rules (`link-malformed`, `link-local-path`) report, or that cannot be a link."""
    if "](" in destination or any(ch.isspace() for ch in destination.strip()):
        return True
    # `\\\x` is no UNC path for link-local-path, nor a path link-dead could resolve.
    return is_local_machine_path(destination) or destination.startswith("\\\\")


def is_local_machine_path(destination: str) -> bool:
    """`/Users/…`, `/home/…`, `~/…`, `C:\\…`, `\\\\server\\…` or `file:`: a path on the author's computer."""
    return bool(_LOCAL_MACHINE_PATH.match(destination))


def liquid_tag_span(destination: str) -> tuple[int, int] | None:
    """Where the `{% link %}` or `{% post_url %}` tag is in `destination`, to report a dead one there."""
    for match in _LIQUID_CONSTRUCT.finditer(destination):
        tag = match.group("tag")
        if tag is not None and _LIQUID_LINK_TAG.match(tag):
            return match.start(), match.end()
    return None


def resolve_liquid(destination: str, variables: Mapping[str, str] | None = None) -> ClassifiedDestination | None:
    """A destination with Liquid resolved to a target, `skip` when it cannot be, None without Liquid.

    `variables` are the names Liquid knows here (`site.baseurl`, `site.url`, the site's other
    scalars, the page's `page.x`), as `SiteRoot.liquid_variables` gives them. Outputs of literals,
    known names and the `relative_url`, `absolute_url`, `append` and `prepend` filters are
    worked out; `{% link path %}` and `{% post_url name %}` become targets the site model checks;
    anything else makes the destination unknown (`skip`).
    """
    if "{{" not in destination and "{%" not in destination:
        return None
    known = variables or {}
    pieces: list[str] = []
    # A `{% link %}`/`{% post_url %}` tag: its name, its argument, and the text after it.
    tag: tuple[str, str, str] | None = None
    position = 0
    text = destination.strip()
    while position < len(text):
        match = _LIQUID_CONSTRUCT.search(text, position)
        literal = text[position : match.start() if match else len(text)]
        if "{" in literal or "}" in literal:
            return ClassifiedDestination("skip")
        if tag is None:
            pieces.append(literal)
        else:
            tag = (tag[0], tag[1], tag[2] + literal)
        if match is None:
            break
        position = match.end()
        if match.group("output") is not None:
            value = _liquid_output(match.group("output"), known)
            if value is None or tag is not None:
                return ClassifiedDestination("skip")
            pieces.append(value)
            continue
        found = _LIQUID_LINK_TAG.match(match.group("tag"))
        if found is None or tag is not None or "{" in found.group("arg"):
            return ClassifiedDestination("skip")
        tag = (found.group("tag"), found.group("arg"), "")
    if tag is not None:
        # What Liquid printed before the tag (`{{ site.baseurl }}`) is left alone: Jekyll 3
        # needed it, Jekyll 4 doubles it; the tag's own target is what fails a build.
        name, argument, rest = tag
        _, fragment = split_fragment(rest)
        if name == "post_url":
            return ClassifiedDestination("post", path=argument, fragment=fragment)
        return ClassifiedDestination("local", path=argument, fragment=fragment, source_file=True)
    return _resolved("".join(pieces), known.get("site.url", ""))


def _liquid_output(expression: str, variables: Mapping[str, str]) -> str | None:
    """The text `{{ expression }}` prints, or None when it depends on what is not known here."""
    primary = _LIQUID_PRIMARY.match(expression)
    if primary is None:
        return None
    if primary.group("name") is not None:
        value = variables.get(primary.group("name"))
        if value is None:
            return None
    else:
        value = primary.group("literal")
    rest = expression[primary.end() :]
    while rest:
        step = _LIQUID_FILTER.match(rest)
        if step is None:
            return None
        rest = rest[step.end() :]
        name, argument = step.group("filter"), step.group("argument")
        if name == "relative_url" and argument is None:
            value = _relative_url(value, variables)
        elif name == "absolute_url" and argument is None:
            value = _absolute_url(value, variables)
        elif name == "append" and argument is not None:
            value += argument
        elif name == "prepend" and argument is not None:
            value = argument + value
        else:
            return None
    return value


def _relative_url(value: str, variables: Mapping[str, str]) -> str:
    # Jekyll's relative_url: the base URL and the input, each with one leading slash.
    if normalise_url(value) is not None:
        return value
    base = variables.get("site.baseurl", "").removesuffix("/")
    parts = [part if not part or part.startswith("/") else "/" + part for part in (base, value)]
    return "".join(parts)


def _absolute_url(value: str, variables: Mapping[str, str]) -> str:
    if normalise_url(value) is not None:
        return value
    return variables.get("site.url", "") + _relative_url(value, variables)


def _resolved(url: str, site_url: str) -> ClassifiedDestination:
    """A URL Liquid printed: the site's own `site.url` is a page of this site, not a remote one."""
    site_url = site_url.rstrip("/")
    if site_url and normalise_url(site_url) is not None and url.startswith(site_url):
        rest = url[len(site_url) :]
        if not rest or rest[0] in "/?#":
            url = rest if rest.startswith("/") else "/" + rest
    if not url:
        return ClassifiedDestination("skip")
    return _local_or_remote(url)


def _local_or_remote(destination: str) -> ClassifiedDestination:
    if destination.startswith("//"):
        destination = "https:" + destination
    url = normalise_url(destination)
    if url is not None:
        _, fragment = split_fragment(destination)
        return ClassifiedDestination("remote", url=url, fragment=fragment)
    if _OTHER_SCHEME.match(destination):
        return ClassifiedDestination("skip")
    base, fragment = split_fragment(destination)
    base = base.partition("?")[0]
    return ClassifiedDestination(
        "local", path=unquote(base), fragment=unquote(fragment) if fragment is not None else None
    )


def classify_destination(destination: str, variables: Mapping[str, str] | None = None) -> ClassifiedDestination:
    """Classify a destination exactly as written in the Markdown source.

    `variables` are the Liquid names known where it stands (see `resolve_liquid`); without them
    only Liquid of literals resolves.
    """
    text = destination.strip()
    if text.startswith("<") and text.endswith(">"):
        text = text[1:-1].strip()
    if not text:
        return ClassifiedDestination("skip")
    hugo_ref = resolve_hugo_ref(text)
    if hugo_ref is not None:
        return hugo_ref
    liquid = resolve_liquid(text, variables)
    if liquid is not None:
        return liquid
    # Hugo shortcodes and other templating (`$BRANCH_URL`, `${DOCS}/x` that a bot or a script
    # fills in): nothing a checker can resolve.
    if "{{" in text or "{%" in text or "}}" in text or _PLACEHOLDER_VARIABLE.match(text):
        return ClassifiedDestination("skip")
    if looks_malformed(text):
        return ClassifiedDestination("skip")
    return _local_or_remote(text)


# Top-level domains common enough that `name.tld/…` is surely a host, not a file name.
_COMMON_TLDS = frozenset(
    [
        "com",
        "org",
        "net",
        "io",
        "ai",
        "dev",
        "app",
        "co",
        "kr",
        "jp",
        "cn",
        "uk",
        "de",
        "fr",
        "eu",
        "us",
        "ca",
        "au",
        "in",
        "ru",
        "br",
        "es",
        "it",
        "nl",
        "se",
        "ch",
        "me",
        "tv",
        "info",
        "edu",
        "gov",
        "ly",
        "gg",
        "so",
        "sh",
        "to",
        "xyz",
        "tech",
        "site",
        "blog",
        "page",
        "cloud",
        "news",
        "science",
        "wiki",
    ]
)
_BARE_HOST = re.compile(
    r"^(?P<host>www\.[a-z0-9-]+(?:\.[a-z0-9-]+)+|(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+(?P<tld>[a-z]{2,24}))"
    r"(?::\d{1,5})?(?:[/?#]|$)",
    re.I,
)


def bare_host(destination: str) -> str | None:
    """The host a scheme-less destination names, or None when it is a path."""
    match = _BARE_HOST.match(destination)
    if match is None:
        return None
    tld = match.group("tld")
    if tld is not None and tld.lower() not in _COMMON_TLDS:
        return None
    return match.group("host")


# Hugo's `ref`/`relref` shortcodes as a destination: `{{< ref "x.md#a" >}}`, `{{% relref path="x" lang="de" %}}`.
_HUGO_REF = re.compile(
    r"^\{\{(?:<\s*(?P<a>ref|relref)\s(?P<a_args>.*?)>\}\}|%\s*(?P<b>ref|relref)\s(?P<b_args>.*?)%\}\})(?P<rest>[^{}]*)$",
    re.S,
)
_HUGO_ARGUMENT = re.compile(
    r"""\s*(?:(?P<name>[A-Za-z]\w*)\s*=\s*)?(?:"(?P<double>(?:[^"\\]|\\.)*)"|`(?P<raw>[^`]*)`|(?P<bare>[^\s"`=()]+))\s*"""
)


def resolve_hugo_ref(destination: str) -> ClassifiedDestination | None:
    """A Hugo `ref`/`relref` shortcode as a "ref" target (`skip` when its argument is no literal); else None."""
    match = _HUGO_REF.match(destination.strip())
    if match is None:
        return None
    arguments = (match.group("a_args") if match.group("a") else match.group("b_args")).strip()
    positional: list[str] = []
    named: dict[str, str] = {}
    position = 0
    while position < len(arguments):
        argument = _HUGO_ARGUMENT.match(arguments, position)
        if argument is None or argument.end() == position:
            return ClassifiedDestination("skip")
        value = next(argument.group(g) for g in ("double", "raw", "bare") if argument.group(g) is not None)
        if argument.group("name"):
            named[argument.group("name").lower()] = value
        else:
            positional.append(value)
        position = argument.end()
    target = named.get("path", positional[0] if positional else None)
    if target is None or "{" in target:
        return ClassifiedDestination("skip")
    path, fragment = split_fragment(target)
    rest = match.group("rest")
    if rest.startswith("#") and fragment is None:
        fragment = rest[1:]
    elif rest and not rest.startswith(("#", "?")):
        return ClassifiedDestination("skip")
    return ClassifiedDestination("ref", path=path, fragment=fragment or None, language=named.get("lang"))
