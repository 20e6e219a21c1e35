"""Media fetched from public URLs: without credentials, bounded, and checked by content.

Networks that take an upload (Mastodon, Bluesky) need the bytes of a
:class:`~smmkit.models.MediaAsset` given by URL. The drivers fetch them through a separate HTTP
client that never carries the platform client's ``Authorization`` header or cookies, with a
size cap and an overall time limit, and check the bytes' signature ("magic bytes") against the
declared MIME type: a file name or a server's ``Content-Type`` proves nothing.
"""

from __future__ import annotations

import time
from urllib.parse import urlsplit

import httpx

from smmkit.errors import PlatformError, ValidationError

__all__ = [
    "MediaFetchError",
    "check_base_url",
    "check_kind",
    "origin",
    "same_origin",
    "sniff",
]

_FTYP_IMAGE = {b"heic", b"heix", b"hevc", b"heim", b"heis", b"mif1", b"msf1", b"avif", b"avis"}


class MediaFetchError(PlatformError):
    """A media URL could not be fetched within the limits, or its bytes are not what the
    asset declares."""


def sniff(data: bytes) -> str | None:
    """The MIME type that ``data``'s signature shows, or ``None`` when unrecognised."""
    head = data[:32]
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return "image/webp"
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in _FTYP_IMAGE:
            return "image/avif" if brand in (b"avif", b"avis") else "image/heic"
        if brand == b"qt  ":
            return "video/quicktime"
        return "video/mp4"
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return "video/webm"
    if head.startswith(b"ID3") or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0):
        return "audio/mpeg"
    if head.startswith(b"OggS"):
        return "audio/ogg"
    return None


_EQUIVALENT = {
    "image/jpg": "image/jpeg",
    "image/pjpeg": "image/jpeg",
    "image/heif": "image/heic",
    "video/x-m4v": "video/mp4",
    "video/m4v": "video/mp4",
    "audio/mp3": "audio/mpeg",
}


def check_kind(data: bytes, declared: str | None, *, field: str = "media") -> str | None:
    """Raise :class:`~smmkit.errors.ValidationError` unless ``data`` is of the ``declared``
    MIME type by its signature; return the sniffed type. Videos in an ISO container (MP4,
    QuickTime) are accepted for one another."""
    found = sniff(data)
    if declared is None:
        return found
    want = _EQUIVALENT.get(declared.lower(), declared.lower())
    if found == want:
        return found
    if found in ("video/mp4", "video/quicktime") and want in ("video/mp4", "video/quicktime"):
        return found
    shown = found or "unrecognised bytes"
    raise ValidationError(
        field,
        declared,
        f"the file's content is {shown}, not the declared {declared}",
        hint="point the asset at the right file, or declare its real MIME type.",
    )


_DEFAULT_PORTS = {"https": 443, "http": 80}


def origin(url: httpx.URL | str) -> tuple[str, str, int | None]:
    """``(scheme, host, port)`` of a URL, with default ports made explicit."""
    parsed = url if isinstance(url, httpx.URL) else httpx.URL(url)
    scheme = parsed.scheme.lower()
    port = parsed.port
    if port is None:
        port = _DEFAULT_PORTS.get(scheme)
    return scheme, parsed.host.lower(), port


def same_origin(a: httpx.URL | str, b: httpx.URL | str) -> bool:
    """Whether two URLs share scheme, host and port."""
    return origin(a) == origin(b)


def check_base_url(value: str, *, field: str = "base_url") -> str:
    """A platform's base URL, refused when it is not http(s), has no host, carries
    ``user:password@`` or a query/fragment. Returns it without a trailing slash."""
    text = value.strip() if isinstance(value, str) else value
    if not isinstance(text, str) or not text.lower().startswith(("https://", "http://")):
        raise ValidationError(
            field,
            value,
            "must be an http(s) URL",
            hint="use the service address, e.g. 'https://mastodon.social'.",
        )
    parts = urlsplit(text)
    if "@" in parts.netloc:
        raise ValidationError(
            field,
            f"{parts.scheme}://***@{parts.netloc.rsplit('@', 1)[1]}",
            "must not carry user:password@ (credentials in a URL end up in logs and are sent "
            "to every host)",
            hint="remove the user-info and pass the credentials as token= or auth=.",
        )
    if not parts.hostname or parts.query or parts.fragment or "\\" in text:
        raise ValidationError(
            field,
            value,
            "must be a plain http(s) URL with a host and no query or fragment",
            hint="use the service address, e.g. 'https://mastodon.social'.",
        )
    return text.rstrip("/")


def _refuse(url: str, reason: str, hint: str) -> MediaFetchError:
    return MediaFetchError(
        f"media {httpx.URL(url).copy_with(query=None, fragment=None)}: {reason}.",
        hint=hint,
    )


class _Budget:
    def __init__(self, url: str, max_bytes: int, timeout: float) -> None:
        self.url = url
        self.max_bytes = max_bytes
        self.deadline = time.monotonic() + timeout
        self.timeout = timeout
        self.chunks: list[bytes] = []
        self.size = 0

    def check_headers(self, response: httpx.Response) -> None:
        if response.status_code >= 400:
            raise _refuse(
                self.url,
                f"the host answered {response.status_code}",
                "check that the URL is public and still valid.",
            )
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            raise self._too_big()

    def add(self, chunk: bytes) -> None:
        self.size += len(chunk)
        if self.size > self.max_bytes:
            raise self._too_big()
        if time.monotonic() > self.deadline:
            raise _refuse(
                self.url,
                f"not fetched within {self.timeout:.0f}s",
                "use a faster host, or a smaller file.",
            )
        self.chunks.append(chunk)

    def _too_big(self) -> MediaFetchError:
        return _refuse(
            self.url,
            f"larger than the {self.max_bytes} bytes allowed",
            "use a smaller file (or raise max_bytes where the platform allows it).",
        )

    def content(self) -> bytes:
        return b"".join(self.chunks)


def _timeout(seconds: float) -> httpx.Timeout:
    return httpx.Timeout(seconds)


def fetch_sync(
    client: httpx.Client,
    url: str,
    *,
    kind: str | None,
    max_bytes: int,
    timeout: float,
    field: str,
) -> bytes:
    """Fetch ``url`` with ``client`` (no credentials), within the limits, checked by kind."""
    budget = _Budget(url, max_bytes, timeout)
    try:
        with client.stream("GET", url, timeout=_timeout(timeout)) as response:
            budget.check_headers(response)
            for chunk in response.iter_bytes():
                budget.add(chunk)
    except httpx.HTTPError as exc:
        client.cookies.clear()
        raise _refuse(
            url, f"could not be fetched ({type(exc).__name__})", "check the URL and the host."
        ) from None
    client.cookies.clear()
    content = budget.content()
    check_kind(content, kind, field=field)
    return content


async def fetch_async(
    client: httpx.AsyncClient,
    url: str,
    *,
    kind: str | None,
    max_bytes: int,
    timeout: float,
    field: str,
) -> bytes:
    """:func:`fetch_sync` over an ``httpx.AsyncClient``."""
    budget = _Budget(url, max_bytes, timeout)
    try:
        async with client.stream("GET", url, timeout=_timeout(timeout)) as response:
            budget.check_headers(response)
            async for chunk in response.aiter_bytes():
                budget.add(chunk)
    except httpx.HTTPError as exc:
        client.cookies.clear()
        raise _refuse(
            url, f"could not be fetched ({type(exc).__name__})", "check the URL and the host."
        ) from None
    client.cookies.clear()
    content = budget.content()
    check_kind(content, kind, field=field)
    return content


def _agent_headers(user_agent: str | None) -> dict[str, str]:
    return {} if user_agent is None else {"User-Agent": user_agent}


def media_client(user_agent: str | None = None) -> httpx.Client:
    """A credential-less client for media URLs (a few redirects, no cookies kept), sending
    ``user_agent`` when given (``None``: httpx's own)."""
    return httpx.Client(follow_redirects=True, max_redirects=3, headers=_agent_headers(user_agent))


def async_media_client(user_agent: str | None = None) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        follow_redirects=True, max_redirects=3, headers=_agent_headers(user_agent)
    )
