"""`kacrm --help`, `-h` and a bare `kacrm` drawn by kacrm.cli.roothelp without Typer (issue 19) are the page
Typer draws, byte for byte: the independent method is Typer's own formatter, run in another process through
kacrm.cli.app, on a pipe and on a colour terminal, at two widths, in English and Chinese."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from typer._click.utils import _detect_program_name

from kacrm.cli import roothelp

REPO = Path(__file__).resolve().parent.parent

# runs one entry point as the `kacrm` script would, then names the modules it loaded
RUN = """\
import sys
sys.argv[0] = "kacrm"
from kacrm.cli.{module} import main
try:
    main()
finally:
    loaded = [m for m in ("typer", "typer.rich_utils", "kacrm.cli.app", "pydantic") if m in sys.modules]
    print("LOADED", ",".join(loaded), file=sys.stderr)
"""


def _run(module: str, args: list[str], env: dict[str, str]) -> tuple[int, bytes, set[str]]:
    base = {"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin", "HOME": str(REPO), "LANG": "C.UTF-8"}
    done = subprocess.run(
        [sys.executable, "-c", RUN.format(module=module), *args],
        capture_output=True,
        env={**base, **env},
        cwd=REPO,
        timeout=60,
    )
    marker = done.stderr.decode().strip().splitlines()[-1]
    loaded = set(filter(None, marker.removeprefix("LOADED").strip().split(",")))
    return done.returncode, done.stdout, loaded


CASES = [
    ([], {}),
    (["--help"], {}),
    (["-h"], {}),
    (["--lang", "zh", "--help"], {}),
    (["-h", "--lang=zh"], {}),
    (["--help"], {"KACRM_LANG": "zh"}),
    ([], {"KACRM_LANG": "zh"}),
]


@pytest.mark.parametrize("terminal", [False, True], ids=["pipe", "terminal"])
@pytest.mark.parametrize("width", [80, 120])
@pytest.mark.parametrize(
    ("args", "env"),
    CASES,
    ids=[" ".join(a) + "".join(f" {k}={v}" for k, v in e.items()) for a, e in CASES],
)
def test_the_same_page_as_typer(
    args: list[str], env: dict[str, str], width: int, terminal: bool
) -> None:
    env = {
        **env,
        "COLUMNS": str(width),
        **({"FORCE_COLOR": "1", "TERM": "xterm-256color"} if terminal else {}),
    }
    code, page, loaded = _run("entry", args, env)
    typers_code, typers_page, typers_loaded = _run("app", args, env)
    assert "typer.rich_utils" in typers_loaded  # the reference is Typer's formatter
    assert loaded == set()  # neither Typer, nor the app, nor pydantic
    assert (code, page) == (typers_code, typers_page)
    assert code == (0 if args else 2)
    assert (b"\x1b[" in page) is terminal
    assert ("命令" in page.decode()) is ("zh" in " ".join(args) + str(env))


@pytest.mark.parametrize(
    "args",
    [
        ["--version"],
        ["due"],
        ["--lang", "zh"],
        ["--lang", "--help"],
        ["--db", "x.db", "--help"],
        ["--help", "--help"],
        ["-h", "due"],
        ["--", "--help"],
    ],
)
def test_any_other_command_line_is_typers(
    args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert roothelp.show(args, environ={}) is None
    assert capsys.readouterr().out == ""


def test_a_usage_line_typer_would_wrap_is_typers(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "__main__", SimpleNamespace(__package__=None))
    monkeypatch.setattr(sys, "argv", ["/opt/bin/kacrm-with-a-very-long-program-name"])
    assert roothelp.show(["--help"], environ={}) is None
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize(
    "variable",
    ["_KACRM_COMPLETE", "_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION", "TYPER_USE_RICH"],
)
def test_completion_and_typers_switches_are_typers(
    variable: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert roothelp.show(["--help"], environ={variable: "0"}) is None
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize(
    ("package", "path"),
    [
        (None, "/usr/local/bin/kacrm"),
        ("", "kacrm"),
        ("kacrm", "/x/kacrm/__main__.py"),
        ("kacrm", "/x/cli.py"),
    ],
)
def test_the_program_is_named_as_click_names_it(
    monkeypatch: pytest.MonkeyPatch, package: str | None, path: str
) -> None:
    main = SimpleNamespace(__package__=package)
    monkeypatch.setitem(sys.modules, "__main__", main)
    monkeypatch.setattr(sys, "argv", [path])
    assert roothelp._program_name() == _detect_program_name(path, main)  # type: ignore[arg-type]


def test_version_and_a_command_still_go_through_typer() -> None:
    env = {"COLUMNS": "80"}
    code, out, loaded = _run("entry", ["--version"], env)
    assert code == 0 and out.decode().startswith("kacrm ") and "kacrm.cli.app" in loaded
    code, out, _ = _run("entry", ["--lang", "zh"], env)
    assert code == 2 and out == b""  # a missing command: Typer's usage error, on stderr


def test_a_reader_that_goes_away_gets_no_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    # `kacrm --help | head -40`: head exits while the page is still being written, and the next write raises
    # BrokenPipeError (seen 4 runs in 10 from a shell); the page drawn without Typer ends as Typer's path
    # (kacrm.cli.app) does: exit 0 and nothing said, the reader's choice (tests/test_closed_pipe.py: real pipes)
    from kacrm.cli import entry

    def reader_gone(args: list[str]) -> int:
        raise BrokenPipeError(32, "Broken pipe")

    monkeypatch.setattr(roothelp, "show", reader_gone)
    monkeypatch.setattr(sys, "stdout", io.StringIO())
    monkeypatch.setattr(sys, "stderr", io.StringIO())
    with pytest.raises(SystemExit) as exit_:
        entry.main()
    assert exit_.value.code == 0
    assert sys.stderr.getvalue() == ""
