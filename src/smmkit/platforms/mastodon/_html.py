"""Plain text from a Mastodon status's HTML ``content`` (for reconciliation and comments)."""

from __future__ import annotations

from html.parser import HTMLParser

__all__ = ["status_text"]


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self.parts.append("\n")
        elif tag == "p" and self.parts:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def status_text(html: str) -> str:
    """The text of a status as its author wrote it (links and hashtags unwrapped)."""
    parser = _Text()
    parser.feed(html)
    parser.close()
    return "".join(parser.parts).strip()
