"""Saved replies in the brand's voice: placeholders filled, every reply checked before sending.

A :class:`SavedReply` is a template for one kind of message (a category: thanks for praise, an
apology for a complaint) written in one language and one register (Italian "tu" or "Lei", English
"you"), with placeholders such as ``{name}``, ``{brand}`` and ``{link}``. :func:`render_reply`
fills them, :func:`check_reply` runs the voice linter (:func:`smmkit.content.lint_voice`) and the
platform's text rules (:func:`smmkit.content.validate`) over the text, and :func:`prepare_reply`
does both, collecting every finding in a :class:`ReplyCheck`; a reply with an error-level finding
is refused with :class:`~smmkit.errors.ReplyRefused`, which lists them, before anything is sent.

Placeholders are ``{identifier}`` (lowercase letters, digits and ``_``); ``{{`` and ``}}`` write
literal braces. Filling is one pass over the template: a value is never read as a template (a
commenter called ``"{link}"`` stays ``"{link}"``), and control characters in a value become spaces.
Everything here is linear in the text.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Literal

from pydantic import Field, field_validator, model_validator

from smmkit.content import PlatformRules, lint_voice
from smmkit.content import validate as content_validate
from smmkit.errors import ReplyRefused, ValidationError
from smmkit.models import Brand, GrammaticalPerson, MessageCategory, Platform
from smmkit.models._base import ValueModel

__all__ = [
    "STANDARD_PLACEHOLDERS",
    "ReplyCheck",
    "ReplyFinding",
    "SavedReply",
    "check_reply",
    "choose_reply",
    "placeholders_of",
    "prepare_reply",
    "render_reply",
]

STANDARD_PLACEHOLDERS: frozenset[str] = frozenset({"name", "brand", "link", "channel"})
"""The placeholders every reply may use: ``{name}`` (the person answered, filled by the
workspace from the message's author), ``{brand}`` (the brand's name) and ``{link}`` (the brand's
website, unless a value is given), ``{channel}`` (the channel's name). Others are allowed when the
caller gives their values."""

_MAX_PLACEHOLDER = 40

FindingCheck = Literal["placeholder", "register", "voice", "platform"]


class ReplyFinding(ValueModel):
    """One reason a reply is not ready to send (or, as a warning, could be better).

    ``check`` says which check found it: ``placeholder`` (a value missing, a template broken),
    ``register`` (a saved reply written for another register than the brand's), ``voice`` (the
    voice linter) or ``platform`` (the platform's text rules). ``rule`` is the precise rule
    (``"placeholder.missing"``, ``"register"``, ``"text.limit"``...), ``span`` a code-point range
    of the reply's text when the problem has a place in it.
    """

    check: FindingCheck
    rule: str = Field(min_length=1)
    message: str
    suggestion: str | None = None
    span: tuple[int, int] | None = None
    severity: Literal["error", "warning"] = "error"

    def __str__(self) -> str:
        hint = f" (try {self.suggestion!r})" if self.suggestion else ""
        return f"{self.check}: {self.rule}: {self.message}{hint}"


class ReplyCheck(ValueModel):
    """A reply's text and every finding about it; ``ok`` when none is an error."""

    text: str
    platform: str
    locale: str
    findings: tuple[ReplyFinding, ...] = ()

    @property
    def ok(self) -> bool:
        """Whether the reply may be sent (no error-level finding; warnings allowed)."""
        return not self.errors

    @property
    def errors(self) -> tuple[ReplyFinding, ...]:
        return tuple(f for f in self.findings if f.severity == "error")

    @property
    def warnings(self) -> tuple[ReplyFinding, ...]:
        return tuple(f for f in self.findings if f.severity == "warning")

    def raise_for_findings(self) -> None:
        """Raise :class:`~smmkit.errors.ReplyRefused` listing the errors, if there are any."""
        if self.errors:
            raise ReplyRefused(self.errors)


# -- templates -------------------------------------------------------------------------------


def _is_identifier(name: str) -> bool:
    return (
        0 < len(name) <= _MAX_PLACEHOLDER
        and name.isascii()
        and (name[0].islower() or name[0] == "_")
        and all(c.islower() or c.isdigit() or c == "_" for c in name)
    )


Piece = tuple[bool, str]
"""A parsed template piece: ``(False, literal text)`` or ``(True, placeholder name)``."""


def _parse(template: str) -> tuple[list[Piece], list[ReplyFinding]]:
    """The pieces of ``template`` and the problems of its syntax, in one pass (linear)."""
    pieces: list[Piece] = []
    problems: list[ReplyFinding] = []
    literal: list[str] = []
    i, n = 0, len(template)
    next_open, next_close = -1, -1  # cached positions of the next braces (linear overall)
    while i < n:
        c = template[i]
        if c == "{":
            if template.startswith("{{", i):
                literal.append("{")
                i += 2
                continue
            end = template.find("}", i + 1, i + 2 + _MAX_PLACEHOLDER)
            name = template[i + 1 : end] if end != -1 else ""
            if end == -1 or not _is_identifier(name):
                shown = template[i : end + 1] if end != -1 else template[i : i + 12]
                problems.append(
                    ReplyFinding(
                        check="placeholder",
                        rule="placeholder.syntax",
                        message=f"{shown!r} is not a placeholder: write {{name}} with lowercase "
                        "letters, digits and '_', or {{ for a literal brace",
                        span=(i, end + 1 if end != -1 else i + 1),
                    )
                )
                literal.append(c)
                i += 1
                continue
            if literal:
                pieces.append((False, "".join(literal)))
                literal = []
            pieces.append((True, name))
            i = end + 1
        elif c == "}":
            if template.startswith("}}", i):
                literal.append("}")
                i += 2
                continue
            problems.append(
                ReplyFinding(
                    check="placeholder",
                    rule="placeholder.syntax",
                    message="a lone '}': write '}}' for a literal brace",
                    span=(i, i + 1),
                )
            )
            literal.append(c)
            i += 1
        else:
            # Copy the run up to the next brace at once; each find looks past i only once it
            # has been passed, so the scans add up to the template's length.
            if next_open < i:
                next_open = template.find("{", i)
                next_open = n if next_open == -1 else next_open
            if next_close < i:
                next_close = template.find("}", i)
                next_close = n if next_close == -1 else next_close
            brace = min(next_open, next_close)
            literal.append(template[i:brace])
            i = brace
    if literal:
        pieces.append((False, "".join(literal)))
    return pieces, problems


def placeholders_of(template: str) -> tuple[str, ...]:
    """The placeholders a template uses, in order of first use (``"Hi {name}"`` → ``("name",)``).

    Raises :class:`~smmkit.errors.ValidationError` for a broken template (a lone brace, a
    placeholder that is not an identifier)."""
    pieces, problems = _parse(template)
    if problems:
        raise ValidationError(
            "text",
            template,
            "; ".join(p.message for p in problems),
            hint="placeholders are {name}, {brand}, {link}...; double a brace to write it.",
        )
    return tuple(dict.fromkeys(name for is_name, name in pieces if is_name))


def _clean_value(value: str) -> str:
    """A value as it goes into a reply: control characters (newlines too) become spaces, and
    leading and trailing spaces go."""
    if value.isprintable():
        return value.strip()
    return "".join(c if c.isprintable() else " " for c in value).strip()


class SavedReply(ValueModel):
    """A reply template for one category of message, in one language and one register.

    ``name`` identifies the reply (moderation rules refer to it); several replies may share a name
    when they differ in language or register (``thanks`` in "tu" and in "Lei"), and
    :func:`choose_reply` picks the one that matches the brand. ``category`` is the kind of message
    it answers (``None``: any). ``address`` is the register it is written in (``"tu"``, ``"Lei"``,
    ``"voi"``; ``"you"`` in English); ``None`` means "whatever the brand uses", and the voice linter
    still checks the text.
    """

    name: str = Field(min_length=1, max_length=64, pattern=r"^[a-z0-9][a-z0-9_-]*$")
    text: str = Field(min_length=1, max_length=10_000)
    category: MessageCategory | None = None
    language: str = Field(default="it", min_length=2, max_length=3, pattern=r"^[a-z]{2,3}$")
    address: GrammaticalPerson | None = None

    @field_validator("text")
    @classmethod
    def _template(cls, value: str) -> str:
        placeholders_of(value)
        return value

    @model_validator(mode="after")
    def _address_of_language(self) -> SavedReply:
        if self.address is None:
            return self
        italian = {GrammaticalPerson.TU, GrammaticalPerson.LEI, GrammaticalPerson.VOI}
        if self.language == "it" and self.address not in italian:
            raise ValueError(f"address {self.address.value!r} is not Italian; use tu, lei or voi")
        if self.language == "en" and self.address is not GrammaticalPerson.YOU:
            raise ValueError(f"address {self.address.value!r} is not English; use you")
        return self

    @property
    def placeholders(self) -> tuple[str, ...]:
        """The placeholders the text uses, in order of first use."""
        return placeholders_of(self.text)


def _defaults(brand: Brand, values: Mapping[str, str]) -> dict[str, str]:
    filled = {"brand": brand.name}
    if brand.website:
        filled["link"] = brand.website
    filled.update(values)
    return filled


def _fill(
    saved: SavedReply, *, brand: Brand, values: Mapping[str, str]
) -> tuple[str, list[tuple[int, int]], list[tuple[int, int]], list[ReplyFinding]]:
    """The filled text, the spans of the inserted values, the spans of the placeholders left
    unfilled, and the placeholder findings."""
    for key, value in values.items():
        if not isinstance(value, str):
            raise ValidationError(f"values[{key!r}]", value, "must be a string")
    pieces, problems = _parse(saved.text)
    filled = _defaults(brand, values)
    out: list[str] = []
    spans: list[tuple[int, int]] = []
    length = 0
    missing: list[str] = []
    left: list[tuple[int, int]] = []  # placeholders left unfilled (reported as missing)
    for is_name, piece in pieces:
        if not is_name:
            out.append(piece)
            length += len(piece)
            continue
        value = _clean_value(filled.get(piece) or "")
        if not value:
            if piece not in missing:
                missing.append(piece)
            text = "{" + piece + "}"
            left.append((length, length + len(text)))
        else:
            text = value
            spans.append((length, length + len(text)))
        out.append(text)
        length += len(text)
    known = sorted(STANDARD_PLACEHOLDERS | set(filled))
    for name in missing:
        close = difflib.get_close_matches(name, known, n=1, cutoff=0.75)
        unknown = name not in STANDARD_PLACEHOLDERS and not close
        problems.append(
            ReplyFinding(
                check="placeholder",
                rule="placeholder.unknown" if close and close[0] != name else "placeholder.missing",
                message=(
                    f"{{{name}}} is not a known placeholder: did you mean {{{close[0]}}}?"
                    if close and close[0] != name
                    else f"no value for {{{name}}}"
                    + (" (a placeholder of your own: give its value)" if unknown else "")
                ),
                suggestion=close[0] if close and close[0] != name else None,
            )
        )
    return "".join(out), spans, left, problems


def render_reply(
    saved: SavedReply, *, brand: Brand, values: Mapping[str, str] | None = None
) -> str:
    """The reply's text with its placeholders filled.

    ``{brand}`` is the brand's name and ``{link}`` its website unless ``values`` says otherwise;
    every other placeholder needs a value (an empty one counts as missing). Raises
    :class:`~smmkit.errors.ReplyRefused` listing every missing or misspelt placeholder. Values
    given but not used are ignored (a caller may always pass ``name``). Cost: linear.
    """
    text, _, _, problems = _fill(saved, brand=brand, values=values or {})
    if problems:
        raise ReplyRefused(problems)
    return text


# -- checks ----------------------------------------------------------------------------------


def _unfilled(text: str) -> list[ReplyFinding]:
    """``{identifier}`` left in a text: a template sent unfilled (linear: one find per brace)."""
    found: list[ReplyFinding] = []
    i = text.find("{")
    while i != -1:
        end = text.find("}", i + 1, i + 2 + _MAX_PLACEHOLDER)
        if end != -1 and _is_identifier(text[i + 1 : end]):
            found.append(
                ReplyFinding(
                    check="placeholder",
                    rule="placeholder.unfilled",
                    message=f"{text[i : end + 1]} was never filled in",
                    span=(i, end + 1),
                )
            )
            i = text.find("{", end + 1)
        else:
            i = text.find("{", i + 1)
    return found


def _inside(span: tuple[int, int] | None, spans: Iterable[tuple[int, int]]) -> bool:
    return span is not None and any(a <= span[0] and span[1] <= b for a, b in spans)


def _check(
    text: str,
    *,
    brand: Brand,
    platform: Platform | str,
    locale: str | None,
    rules: PlatformRules | None,
    on: date | None,
    value_spans: list[tuple[int, int]],
    reported_spans: list[tuple[int, int]],
) -> ReplyCheck:
    if not isinstance(text, str):
        raise ValidationError("text", text, "must be a string")
    if not isinstance(brand, Brand):
        raise ValidationError("brand", brand, "must be a Brand")
    locale = locale or brand.locale
    findings: list[ReplyFinding] = []
    if not text.strip():
        findings.append(
            ReplyFinding(check="platform", rule="text.empty", message="the reply is empty")
        )
    # Braces inside a value are the commenter's ("{x}" as a name), and a placeholder without a
    # value is already reported as missing.
    findings += [f for f in _unfilled(text) if not _inside(f.span, [*value_spans, *reported_spans])]
    for v in content_validate(text, platform, rules=rules, on=on):
        if v.rule == "text.empty":
            continue
        findings.append(
            ReplyFinding(
                check="platform",
                rule=v.rule,
                message=v.message,
                span=v.span,
                severity="error" if v.severity == "error" else "warning",
            )
        )
    for f in lint_voice(text, brand.voice, locale):
        # A value (the commenter's name, say) is theirs, not the brand's voice: "MARCO" is no
        # shouting of ours.
        if _inside(f.span, value_spans):
            continue
        findings.append(
            ReplyFinding(
                check="voice",
                rule=str(f.rule),
                message=f.message,
                suggestion=f.suggestion,
                span=f.span,
                severity="error" if f.severity == "error" else "warning",
            )
        )
    findings.sort(key=lambda f: (f.span is None, f.span or (0, 0)))
    return ReplyCheck(text=text, platform=str(platform), locale=locale, findings=tuple(findings))


def check_reply(
    text: str,
    *,
    brand: Brand,
    platform: Platform | str,
    locale: str | None = None,
    rules: PlatformRules | None = None,
    on: date | None = None,
) -> ReplyCheck:
    """Check a reply's text before sending it: the brand's voice and the platform's limits.

    Findings come from :func:`smmkit.content.lint_voice` (register "tu"/"Lei", banned terms,
    emoji, shouting) in ``locale`` (default: the brand's main locale), from
    :func:`smmkit.content.validate` against the platform's text rules (``rules`` replaces the
    built-in ones, a Mastodon instance's say; ``on`` picks dated rules, as in
    :func:`~smmkit.content.validate`: default today, UTC), and placeholders left
    unfilled. Returns a :class:`ReplyCheck`: ``.ok`` when no finding is an error;
    ``.raise_for_findings()`` raises :class:`~smmkit.errors.ReplyRefused`. Cost: linear.
    """
    return _check(
        text,
        brand=brand,
        platform=platform,
        locale=locale,
        rules=rules,
        on=on,
        value_spans=[],
        reported_spans=[],
    )


def prepare_reply(
    saved: SavedReply,
    *,
    brand: Brand,
    platform: Platform | str,
    values: Mapping[str, str] | None = None,
    rules: PlatformRules | None = None,
    on: date | None = None,
) -> ReplyCheck:
    """Fill a saved reply and check it: every finding at once, nothing raised.

    Adds to :func:`check_reply`'s findings the placeholders missing or misspelt, and a saved
    reply written for another register than the brand uses in its language (a "Lei" reply for a
    brand that says "tu"), even when its text has no cue the linter could see. Findings of the
    voice linter inside a filled-in value (a commenter's name in capitals) are not the brand's
    and are dropped. The text is checked in the saved reply's language.
    """
    text, spans, left, problems = _fill(saved, brand=brand, values=values or {})
    locale = _locale_for(brand, saved.language)
    result = _check(
        text,
        brand=brand,
        platform=platform,
        locale=locale,
        rules=rules,
        on=on,
        value_spans=spans,
        reported_spans=left,
    )
    extra = list(problems)
    person = brand.voice.person_for(saved.language)
    if saved.address is not None and saved.address is not person:
        extra.append(
            ReplyFinding(
                check="register",
                rule="register",
                message=f"saved reply {saved.name!r} is written for {_person(saved.address)}; "
                f"the brand addresses its readers with {_person(person)} in {saved.language!r}",
                suggestion=f"use the {_person(person)} version of {saved.name!r}",
            )
        )
    if not extra:
        return result
    return result.model_copy(update={"findings": (*extra, *result.findings)})


def _person(person: GrammaticalPerson) -> str:
    return "Lei" if person is GrammaticalPerson.LEI else repr(person.value)[1:-1]


def _locale_for(brand: Brand, language: str) -> str:
    """The brand's locale in ``language`` (``"it"`` → ``"it-IT"`` when the brand lists it)."""
    for locale in brand.locales:
        if locale.split("-")[0].split("_")[0].lower() == language:
            return locale
    return language


def choose_reply(
    replies: Iterable[SavedReply],
    *,
    brand: Brand,
    name: str | None = None,
    category: MessageCategory | None = None,
    language: str | None = None,
) -> SavedReply | None:
    """The saved reply to use: by ``name`` or by ``category``, in ``language`` (default: the
    brand's main language), in the register the brand uses there.

    Among the candidates (same name, or same category), one written for the brand's register
    wins over one that leaves the register open (``address`` unset); a reply for another register
    is never chosen. ``None`` when nothing fits. Cost: linear in the replies.
    """
    if name is None and category is None:
        raise ValidationError(
            "name", None, "give a saved reply's name or a category", hint="choose_reply(name=...)"
        )
    if category is not None:
        try:
            category = MessageCategory(category)
        except ValueError:
            known = ", ".join(c.value for c in MessageCategory)
            raise ValidationError("category", category, f"must be one of {known}") from None
    language = language or brand.locale.split("-")[0].split("_")[0].lower()
    person = brand.voice.person_for(language)
    best: SavedReply | None = None
    for saved in replies:
        if saved.language != language:
            continue
        if name is not None and saved.name != name:
            continue
        if name is None and saved.category is not category:
            continue
        if saved.address is person:
            return saved
        if saved.address is None and best is None:
            best = saved
    return best
