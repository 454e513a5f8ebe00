"""The HTML report in a real browser: Debian's chromium, headless, with every network path closed.

The page must render its charts with no network at all: chromium runs with a dead proxy and a host resolver that
resolves nothing, and the report's own Content-Security-Policy forbids any fetch. We check the DOM after load
(the SVG curve and bars are there) and a screenshot (a PNG of the requested size, not blank, with the chart
colours in it), decoded here with zlib: no imaging library needed.
"""

from __future__ import annotations

import struct
import subprocess
import zlib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kacrm.cli.app import app
from kacrm.store.engine import make_engine

CHROMIUM = Path("/usr/bin/chromium")
WIDTH, HEIGHT = 1000, 1400
ACCENT = (
    0x3B,
    0x6E,
    0xA8,
)  # the first bar colour and the Pareto curve (render/charts.py, report.html)

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="/usr/bin/chromium is not installed (Debian: apt-get install chromium)",
)


def _chromium(profile: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    command = [
        str(CHROMIUM),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        "--disable-sync",
        "--disable-extensions",
        f"--user-data-dir={profile}",
        # no network: every host resolves to nothing and any proxied request goes to a closed port
        "--host-resolver-rules=MAP * ~NOTFOUND",
        "--proxy-server=127.0.0.1:9",
        "--proxy-bypass-list=<-loopback>",
        *args,
    ]
    return subprocess.run(command, capture_output=True, timeout=120, check=True)


def _decode_png(data: bytes) -> tuple[int, int, list[bytes]]:
    """Width, height and the unfiltered rows (RGB or RGBA, 8 bits, not interlaced: what chromium writes)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, header = 8, b"", None
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    assert header is not None
    width, height, depth, colour, _, _, interlace = header
    assert depth == 8 and colour in (2, 6) and interlace == 0
    bpp = 3 if colour == 2 else 4
    raw = zlib.decompress(idat)
    stride, rows, previous = width * bpp, [], bytearray(width * bpp)
    for y in range(height):
        kind, line = (
            raw[y * (stride + 1)],
            bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)]),
        )
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = previous[i]
            c = previous[i - bpp] if i >= bpp else 0
            if kind == 1:
                line[i] = (line[i] + a) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + b) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (a + b) // 2) & 0xFF
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 0xFF
        rows.append(bytes(line))
        previous = line
    return width, height, [bytes(r[i : i + 3]) for r in rows for i in range(0, stride, bpp)]


@pytest.fixture(scope="module")
def report_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from test_cli_report import TODAY, seed_book

    folder = tmp_path_factory.mktemp("html")
    url = f"sqlite:///{folder / 'k.db'}"
    engine = make_engine(url)
    seed_book(engine)
    engine.dispose()
    path = folder / "report.html"
    result = CliRunner().invoke(
        app, ["--db", url, "--as-of", TODAY, "report", "--format", "html", "-o", str(path)]
    )
    assert result.exit_code == 0, result.stderr
    return path


def test_the_dom_after_load_holds_the_charts(report_file: Path, tmp_path: Path) -> None:
    dom = _chromium(tmp_path / "profile", "--dump-dom", report_file.as_uri()).stdout.decode("utf-8")
    assert 'class="chart pareto"' in dom and 'class="curve" d="M' in dom
    assert dom.count('class="bar"') == 9  # 3 tiers + 6 aging buckets
    assert "Beta Trading" in dom and "100,000.00" in dom


def test_the_screenshot_shows_the_page_and_its_charts(report_file: Path, tmp_path: Path) -> None:
    shot = tmp_path / "shot.png"
    _chromium(
        tmp_path / "profile",
        f"--screenshot={shot}",
        f"--window-size={WIDTH},{HEIGHT}",
        "--hide-scrollbars",
        report_file.as_uri(),
    )
    width, height, pixels = _decode_png(shot.read_bytes())
    assert (width, height) == (WIDTH, HEIGHT)
    colours = set(pixels)
    assert len(colours) > 50  # text, tables and charts: far from a blank page
    white = sum(1 for p in pixels if p == b"\xff\xff\xff")
    assert 0.3 < white / len(pixels) < 0.995
    assert (
        sum(1 for p in pixels if tuple(p) == ACCENT) > 500
    )  # the first tier bar alone is ~170 x 20 pixels


def _font_css(report: Path) -> str:
    """The report's own style sheet (its font stack), cut out of the written page."""
    page = report.read_text(encoding="utf-8")
    return page[page.index("<style>") : page.index("</style>") + len("</style>")]


def _shot(tmp_path: Path, name: str, html: str) -> list[bytes]:
    page = tmp_path / f"{name}.html"
    page.write_text(
        f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">{html}', "utf-8"
    )
    shot = tmp_path / f"{name}.png"
    _chromium(
        tmp_path / f"profile-{name}",
        f"--screenshot={shot}",
        "--window-size=400,120",
        "--hide-scrollbars",
        page.as_uri(),
    )
    return _decode_png(shot.read_bytes())[2]


@pytest.mark.skipif(
    not subprocess.run(["fc-list", ":lang=zh"], capture_output=True).stdout
    if Path("/usr/bin/fc-list").exists()
    else True,
    reason="no CJK font installed (Debian: apt-get install fonts-noto-cjk)",
)
def test_chinese_is_drawn_with_real_glyphs_not_boxes(report_file: Path, tmp_path: Path) -> None:
    # Two names of the same length in the report's fonts. Without a CJK font every character is the same
    # "missing glyph" box, so both screenshots would be identical; with one, the glyphs differ.
    css = _font_css(report_file)
    one = _shot(tmp_path, "one", f"{css}</head><body><h1>深圳市鑫通化工有限公司</h1></body></html>")
    two = _shot(tmp_path, "two", f"{css}</head><body><h1>上海天宏新能源有限公司</h1></body></html>")
    blank = _shot(tmp_path, "blank", f"{css}</head><body><h1></h1></body></html>")
    inked = sum(1 for a, b in zip(one, blank, strict=True) if a != b)
    assert inked > 200  # the characters are drawn (measured: ~460 pixels for these 11 at 22px)
    # Measured on the CI image: two different strings of 11 private-use characters (drawn as boxes) differ in 0
    # pixels; these two names in ~600.
    differ = sum(1 for a, b in zip(one, two, strict=True) if a != b)
    assert differ > 100, "the same boxes for different characters: no CJK font in the stack"
