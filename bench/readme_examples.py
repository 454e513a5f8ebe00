"""Run every README example in order, as a user following it would, and list the ones that fail.

From the section "Try every command on the demo data" on: each line of a ``sh`` block and each ``$ kacrm``
line of a ``text`` block runs in one bash session (so ``export`` carries over; a ``cd`` holds for its own
line), in a fresh folder where ``sample_data`` is the repository's, with ``kacrm`` the package of this
checkout. A line whose comment starts with its exit code (``# exit 4: refused``) is expected to give that
code; a ``text`` block's command whose shown output has an ``Error:`` line is expected to fail; any other
line to succeed. A line that needs a mail server (``# needs [smtp]…``) is skipped. Prints one line per
failure and exits 1 if there is any.

    python bench/readme_examples.py [README.md]
"""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
START = "## Try every command on the demo data"
MARK = "@@readme-example"
FAILS = -1  # expected: any exit code but 0 (a text block shows the command's Error: line)


def split_comment(line: str) -> tuple[str, str]:
    """The command and its comment (``  # …``), quotes respected."""
    for match in re.finditer(r"\s+#", line):
        try:
            shlex.split(line[: match.start()])
        except ValueError:
            continue  # the # is inside quotes
        return line[: match.start()], line[match.end() :]
    return line, ""


def shows_error(after: list[str]) -> bool:
    """Whether the output a text block shows for its command (up to the next ``$`` or the fence) is an error."""
    for line in after:
        if line.startswith(("$ ", "```")):
            return False
        if line.startswith("Error:"):
            return True
    return False


def main() -> int:
    readme = Path(sys.argv[1] if len(sys.argv) > 1 else ROOT / "README.md").read_text("utf-8")
    lines: list[tuple[int, str, int]] = []
    skipped: list[int] = []  # what needs a mail server
    fence: str | None = None
    started = False
    for number, line in enumerate(readme.splitlines(), 1):
        started = started or line.startswith(START)
        if line.startswith("```"):
            fence = line[3:].strip() if fence is None else None
            continue
        if not started or fence not in ("sh", "text") or not line.strip():
            continue
        if fence == "text":
            if not line.startswith("$ "):
                continue
            line = line[2:]
        command, comment = split_comment(line)
        if "needs [smtp]" in comment:
            skipped.append(number)
            continue
        expected = re.match(r"\s*exit (\d)", comment)
        lines.append((number, command.strip(), int(expected[1]) if expected else 0))
        if fence == "text" and shows_error(readme.splitlines()[number:]):
            lines[-1] = (number, command.strip(), FAILS)
    with tempfile.TemporaryDirectory(prefix="kacrm-readme-") as folder:
        (Path(folder) / "sample_data").symlink_to(ROOT / "sample_data")
        script = [
            f"export PYTHONPATH={shlex.quote(str(ROOT))} COLUMNS=80",
            "unset KACRM_DB KACRM_TODAY KACRM_LANG KACRM_CONFIG",
            f'kacrm() {{ {shlex.quote(sys.executable)} -m kacrm "$@"; }}',
            f"cd {shlex.quote(folder)}",
        ]
        for number, command, _ in lines:
            # a line that changes folder does it for itself: the next example runs from the top again
            group = f"( {command} )" if re.search(r"(^|&& )cd ", command) else f"{{ {command} ; }}"
            script += [
                f"{group} >/dev/null 2>/tmp/kacrm-readme-err",
                f'echo "{MARK} {number} $? $(head -c 300 /tmp/kacrm-readme-err | tr "\\n" " ")"',
            ]
        done = subprocess.run(
            ["bash", "-c", "\n".join(script)], capture_output=True, text=True, check=False
        )
    codes = {}
    for out in done.stdout.splitlines():
        if out.startswith(MARK):
            _, number, code, err = [*out.split(" ", 3), ""][:4]
            codes[int(number)] = (int(code), err)
    failures = 0
    for number, command, expected in lines:
        code, err = codes.get(number, (-1, "not run"))
        if code != expected and not (expected == FAILS and code > 0):
            failures += 1
            print(f"README.md:{number}: exit {code} (expected {expected}): {command}\n    {err}")
    skip = (
        f", skipped (need a mail server): lines {', '.join(map(str, skipped))}" if skipped else ""
    )
    print(f"{len(lines)} examples, {failures} failing{skip}")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
