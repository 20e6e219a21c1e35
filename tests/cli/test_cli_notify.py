"""``smmkit moderate`` notifications: a webhook (faked with respx) or a real command, delivered at
least once; the webhook URL never shown; a dry run calls nothing."""

from __future__ import annotations

import json
import logging
import shlex
import subprocess
import sys
import unicodedata
from pathlib import Path

import httpx
import pytest
import respx
from hypothesis import given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "workspace"))

from _moderation_world import FORNO, LATER, fill_inbox, network, open_workspace

from smmkit.cli import main
from smmkit.errors import SetupError
from smmkit.setup import load_setup

URL = "https://hooks.example.com/services/T0001/B0002/s3cr3tW3bh00kT0k3n"
TOKEN = "s3cr3tW3bh00kT0k3n"
NOTIFIED = {"assign", "escalate", "notify"}


def _world(tmp_path: Path, notify: str = "") -> list[str]:
    """A sandbox and a workspace whose inbox is full; ``notify`` is a ``[community.notify]``
    body added to the setup. The common arguments of ``smmkit moderate``."""
    sandbox, workspace = tmp_path / "sandbox.db", tmp_path / "ws.db"
    net = network(sandbox, posts=4)
    ws = open_workspace(workspace, net)
    if notify:
        setup = tmp_path / "forno.toml"
        text = FORNO.read_text(encoding="utf-8")
        setup.write_text(
            text.replace(
                "[[community.rules]]", f"[community.notify]\n{notify}\n\n[[community.rules]]", 1
            ),
            encoding="utf-8",
        )
        ws.import_setup(setup)
    fill_inbox(ws, net)
    ws.close()
    net.close()
    return ["--now", LATER.isoformat(), "--sandbox", str(sandbox), "-w", str(workspace)]


def test_dry_run_says_what_it_would_notify_and_calls_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    common = _world(tmp_path)
    monkeypatch.setenv("PAGER_URL", URL)
    with respx.mock(assert_all_called=False) as mock:
        route = mock.post(URL).respond(200)
        assert main(["moderate", *common, "--notify-webhook", "env:PAGER_URL"]) == 0
        out = capsys.readouterr().out
        assert route.call_count == 0
    assert "would notify webhook:" in out
    assert "nothing was called" in out
    assert TOKEN not in out


def test_live_run_posts_each_notification_once_and_never_shows_the_url(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    common = _world(tmp_path)
    monkeypatch.setenv("PAGER_URL", URL)
    caplog.set_level(logging.DEBUG)
    args = ["moderate", "--apply", *common, "--notify-webhook", "env:PAGER_URL", "--json"]
    with respx.mock as mock:
        route = mock.post(URL).respond(200, json={"ok": True})
        assert main(args) == 0
        result = json.loads(capsys.readouterr().out)
        payloads = [json.loads(call.request.content) for call in route.calls]
        assert main(args) == 0  # a re-run: nothing new to notify
        again = json.loads(capsys.readouterr().out)
        assert route.call_count == len(payloads)
    done = [a for a in result["actions"] if a["action"] in NOTIFIED and a["outcome"] == "done"]
    assert done, "the world must produce assign/escalate/notify actions"
    assert sorted(p["action_id"] for p in payloads) == sorted(a["action_id"] for a in done)
    assert result["notifications"]["delivered"] == len(done)
    assert again["notifications"]["delivered"] == 0
    for payload in payloads:
        assert payload["action"] in NOTIFIED
        assert payload["text"].startswith("[smmkit] ")
        assert set(payload["message"]) == {"key", "channel", "author", "excerpt"}
        assert payload["run_id"].startswith("moderate-")
        assert len(payload["message"]["excerpt"]) <= 280
    assert TOKEN not in caplog.text
    assert TOKEN not in json.dumps(result)


def test_a_failed_webhook_leaves_the_notification_queued_for_the_next_live_run(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    common = _world(tmp_path, 'webhook = "env:PAGER_URL"\nattempts = 2')
    monkeypatch.setenv("PAGER_URL", URL)
    caplog.set_level(logging.DEBUG)
    with respx.mock as mock:
        down = mock.post(URL).respond(503)
        code = main(["moderate", "--apply", *common])
        captured = capsys.readouterr()
        assert code == 1
        assert down.call_count == 2  # bounded: the setup's attempts
        failed = json.loads(down.calls[0].request.content)
    error = captured.err
    assert "was not delivered" in error and f"rule {failed['rule']!r}" in error
    assert "stays queued" in error and "Fix:" in error
    for text in (captured.out, captured.err, caplog.text):
        assert TOKEN not in text

    with respx.mock as mock:
        up = mock.post(URL).respond(200)
        assert main(["moderate", "--apply", *common, "--json"]) == 0
        result = json.loads(capsys.readouterr().out)
        delivered = [json.loads(c.request.content)["action_id"] for c in up.calls]
    # the notification cut short is delivered first, with the same action id
    assert delivered[0] == failed["action_id"]
    assert len(delivered) == len(set(delivered))
    assert result["notifications"]["queued"] == 0


_SCRIPT = """\
import json, os, signal, sys
payload = json.load(sys.stdin)
out, mode = sys.argv[1], sys.argv[2]
with open(out, "a", encoding="utf-8") as f:
    f.write(json.dumps(payload) + "\\n")
flag = out + ".once"
if mode == "fail":
    sys.exit(3)
if mode == "crash" and not os.path.exists(flag):
    open(flag, "w").close()
    os.kill(os.getppid(), signal.SIGKILL)  # the run dies before marking it delivered
"""


def _script(tmp_path: Path, mode: str) -> tuple[str, Path]:
    script, out = tmp_path / "page.py", tmp_path / "paged.jsonl"
    script.write_text(_SCRIPT, encoding="utf-8")
    argv = [sys.executable, str(script), str(out), mode]
    return " ".join(shlex.quote(a) for a in argv), out


def _paged(out: Path) -> list[dict[str, object]]:
    if not out.exists():
        return []
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


def test_a_command_gets_the_json_on_stdin_and_a_failure_is_retried_next_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    common = _world(tmp_path)
    failing, out = _script(tmp_path, "fail")
    assert main(["moderate", "--apply", *common, "--notify-command", failing]) == 1
    assert "exited with status 3" in capsys.readouterr().err
    first = _paged(out)
    assert len(first) == 3  # three attempts of the same notification
    assert len({p["action_id"] for p in first}) == 1

    working, out = _script(tmp_path, "ok")
    assert main(["moderate", "--apply", *common, "--notify-command", working, "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    paged = _paged(out)[3:]
    assert paged[0]["action_id"] == first[0]["action_id"]
    ids = [p["action_id"] for p in paged]
    assert len(ids) == len(set(ids)) == result["notifications"]["delivered"]


def test_a_run_killed_after_the_command_ran_delivers_it_again_next_run(tmp_path: Path) -> None:
    common = _world(tmp_path)
    crashing, out = _script(tmp_path, "crash")
    base = [sys.executable, "-m", "smmkit.cli", "moderate", "--apply", *common]
    killed = subprocess.run(
        [*base, "--notify-command", crashing], capture_output=True, timeout=300, check=False
    )
    assert killed.returncode == -9
    first = _paged(out)
    assert len(first) == 1
    again = subprocess.run(
        [*base, "--notify-command", crashing, "--json"],
        capture_output=True,
        timeout=300,
        check=True,
    )
    result = json.loads(again.stdout)
    ids = [p["action_id"] for p in _paged(out)]
    # at least once: the one cut short is delivered again, first, with its id; the rest once
    assert ids[0] == ids[1] == first[0]["action_id"]
    assert len(ids[1:]) == len(set(ids[1:])) == result["notifications"]["delivered"]


def test_bad_targets_are_clear_errors_that_never_echo_the_url(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    common = _world(tmp_path)
    assert main(["moderate", *common, "--notify-webhook", URL]) == 2
    err = capsys.readouterr().err
    assert "env:" in err and TOKEN not in err
    assert main(["moderate", *common, "--notify-webhook", "env:NOT_SET_ANYWHERE"]) == 2
    assert "NOT_SET_ANYWHERE is not set" in capsys.readouterr().err
    monkeypatch.setenv("PLAIN_URL", "http://hooks.example.com/x/" + TOKEN)
    assert main(["moderate", *common, "--notify-webhook", "env:PLAIN_URL"]) == 2
    err = capsys.readouterr().err
    assert "https" in err and TOKEN not in err
    assert main(["moderate", *common, "--notify-on", "wave", "--notify-command", "true"]) == 2
    assert main(["moderate", *common, "--notify-on", "escalate"]) == 2
    assert "needs a notification target" in capsys.readouterr().err
    assert main(["moderate", *common, "--no-notify", "--notify-command", "true"]) == 2


@pytest.mark.parametrize(
    ("body", "key", "says"),
    [
        (f'webhook = "{URL}"', "community.notify.webhook", "never written in a setup file"),
        ('command = "page --all"', "community.notify.command", "argument list"),
        ('webhook = "env:A"\ncommand = ["page"]', "community.notify", "exactly one target"),
        ('command = ["page"]\ntimeout_seconds = 0', "community.notify.timeout_seconds", ""),
        ('command = ["page"]\nactions = ["wave"]', "community.notify.actions[0]", ""),
    ],
)
def test_bad_notify_settings_are_setup_errors(
    tmp_path: Path, body: str, key: str, says: str
) -> None:
    setup = tmp_path / "forno.toml"
    text = FORNO.read_text(encoding="utf-8")
    setup.write_text(
        text.replace(
            "[[community.rules]]", f"[community.notify]\n{body}\n\n[[community.rules]]", 1
        ),
        encoding="utf-8",
    )
    with pytest.raises(SetupError) as caught:
        load_setup(setup)
    assert caught.value.key == key
    assert says in caught.value.rule
    assert TOKEN not in str(caught.value)


def test_hostile_text_is_cleaned_in_the_payload() -> None:
    from smmkit.community import ModerationAction
    from smmkit.models import MessageCategory
    from smmkit.workspace import ActionOutcome, ModeratedAction, notification_payload

    item = ModeratedAction(
        message_key="sandbox:1",
        channel="ig-forno",
        author="@here\u202e",
        text="<!channel> ciao\x1b[31m\u200b\n" + "x" * 5000,
        action=ModerationAction.ESCALATE,
        rule="escalate-abuse",
        reason="abuse",
        cues=("insult",),
        category=MessageCategory.ABUSE,
        confidence=0.9,
        outcome=ActionOutcome.DONE,
        action_id=7,
    )
    payload = notification_payload(item, brand="forno", run_id="moderate-1")
    excerpt = payload["message"]["excerpt"]
    assert len(excerpt) <= 280 and excerpt.endswith("…")
    assert "\x1b" not in excerpt and "\u200b" not in excerpt and "\n" not in excerpt
    assert "\u202e" not in payload["message"]["author"]
    assert "<!channel>" not in payload["text"] and "@here" not in payload["text"]
    assert json.loads(json.dumps(payload)) == payload


def test_webhook_notifier_over_a_mock_transport_retries_then_delivers() -> None:
    from smmkit.community import ModerationAction
    from smmkit.models import MessageCategory
    from smmkit.workspace import ActionOutcome, ModeratedAction, WebhookNotifier

    answers = iter([503, 429, 200])
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(next(answers), headers={"retry-after": "2"})

    waits: list[float] = []
    client = httpx.Client(transport=httpx.MockTransport(handler))
    notifier = WebhookNotifier(URL, brand="forno", run_id="r", client=client, sleep=waits.append)
    assert TOKEN not in repr(notifier)
    item = ModeratedAction(
        message_key="sandbox:1",
        channel="ig-forno",
        author="ada",
        text="hello",
        action=ModerationAction.NOTIFY,
        rule="review",
        reason="spam",
        cues=(),
        category=MessageCategory.SPAM,
        confidence=0.5,
        outcome=ActionOutcome.DONE,
        action_id=3,
    )
    notifier(item)
    assert len(seen) == 3 and waits == [2.0, 2.0]
    assert seen[0].headers["idempotency-key"] == "smmkit-action-3"
    assert notifier.delivered == [3]
    hidden = item.model_copy(update={"action": ModerationAction.HIDE})
    notifier(hidden)  # hide is not notified by default
    assert len(seen) == 3
    client.close()


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=2000), st.integers(min_value=2, max_value=400))
def test_cleaned_text_is_one_bounded_line_without_control_characters(text: str, limit: int) -> None:
    from smmkit.workspace._notify import _clean

    cleaned = _clean(text, limit)
    assert len(cleaned) <= limit
    assert cleaned == cleaned.strip()
    assert all(
        unicodedata.category(ch) not in ("Cc", "Cs", "Co", "Cn", "Zl", "Zp")
        and (unicodedata.category(ch) != "Cf" or ch == "\u200d")
        for ch in cleaned
    )
    assert _clean(cleaned, limit) == cleaned  # nothing left to clean


def test_a_closed_notifier_releases_its_url_but_still_redacts_it() -> None:
    from smmkit.platforms import redact
    from smmkit.workspace import WebhookNotifier

    with WebhookNotifier(URL, brand="forno", run_id="r") as notifier:
        assert TOKEN not in redact(f"posting to {URL}")
    assert notifier._secrets == []
    assert TOKEN not in redact(f"posting to {URL}")
