"""PDF through headless Chromium's print-to-PDF (the ``chromium`` package on Debian)."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from smmkit.errors import SmmkitError

from ._model import MonthlyReport
from ._render import render_html

__all__ = [
    "CHROMIUM_ENV",
    "RenderError",
    "chromium_flags",
    "find_chromium",
    "html_to_pdf",
    "render_pdf",
]

CHROMIUM_ENV = "SMMKIT_CHROMIUM"
"""Environment variable: the Chromium (or Chrome) executable to use."""
_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")


class RenderError(SmmkitError):
    """A report could not be rendered (no browser, or the browser failed)."""


def find_chromium() -> str | None:
    """``SMMKIT_CHROMIUM`` if set, else the first Chromium or Chrome on ``PATH``."""
    explicit = os.environ.get(CHROMIUM_ENV)
    if explicit:
        return explicit if Path(explicit).is_file() else shutil.which(explicit)
    for name in _NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def chromium_flags(profile: Path) -> list[str]:
    """Flags for a quiet, offline, throw-away headless browser with its own profile."""
    return [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        f"--user-data-dir={profile}",
    ]


def chromium_env() -> dict[str, str]:
    """The environment for a Chromium child process: the caller's, without libfaketime.

    libfaketime (``LD_PRELOAD=.../libfaketime...``, used to run test suites with the clock
    moved) hangs Chromium's multi-process start-up; Chromium only renders here and needs no
    moved clock, so that one preload is left out.
    """
    env = dict(os.environ)
    preload = env.get("LD_PRELOAD")
    if preload:
        kept = [p for p in preload.replace(":", " ").split() if "faketime" not in p]
        if kept:
            env["LD_PRELOAD"] = " ".join(kept)
        else:
            del env["LD_PRELOAD"]
    return env


def html_to_pdf(page: str, *, chromium: str | None = None, timeout: float = 90.0) -> bytes:
    """Print an HTML page to PDF (A4, the page's print stylesheet, no header or footer)."""
    exe = chromium or find_chromium()
    if exe is None:
        raise RenderError(
            "no Chromium browser found to print the PDF",
            hint=f"install the 'chromium' package, or set {CHROMIUM_ENV} to a Chrome executable",
        )
    with tempfile.TemporaryDirectory(prefix="smmkit-pdf-") as tmp:
        root = Path(tmp)
        src, out = root / "report.html", root / "report.pdf"
        src.write_text(page, encoding="utf-8")
        cmd = [
            exe,
            *chromium_flags(root / "profile"),
            "--no-pdf-header-footer",
            "--print-to-pdf-no-header",
            f"--print-to-pdf={out}",
            src.as_uri(),
        ]
        try:
            done = subprocess.run(
                cmd,
                capture_output=True,
                timeout=timeout,
                stdin=subprocess.DEVNULL,
                check=False,
                env=chromium_env(),
            )
        except subprocess.TimeoutExpired as exc:
            raise RenderError(
                f"Chromium did not finish printing the PDF within {timeout:g} s",
                hint="raise the timeout, or check the browser runs headless here",
            ) from exc
        except OSError as exc:
            raise RenderError(f"could not start Chromium at {exe!r} ({exc})") from exc
        if done.returncode != 0 or not out.is_file() or out.stat().st_size == 0:
            tail = done.stderr.decode("utf-8", "replace").strip().splitlines()[-3:]
            raise RenderError(
                f"Chromium failed to print the PDF (exit {done.returncode}): " + " | ".join(tail)
            )
        return out.read_bytes()


def render_pdf(
    report: MonthlyReport,
    *,
    locale: str | None = None,
    chromium: str | None = None,
    timeout: float = 90.0,
) -> bytes:
    """The report as PDF: its HTML (print stylesheet, A4) printed by headless Chromium."""
    return html_to_pdf(render_html(report, locale=locale), chromium=chromium, timeout=timeout)
