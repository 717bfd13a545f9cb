"""The HTML picture in a real browser: headless Chromium from the system's package manager (.ci/run
installs it; the tests are skipped, saying why, where it is missing). The page is screenshotted and
must not be blank, and hovering a layer must show that layer's arithmetic beside the picture."""

import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest

from layerplan.output import render_picture
from layerplan.planner import plan_text

ROOT = Path(__file__).resolve().parents[2]
BROWSERS = ("chromium-headless-shell", "chromium", "chromium-browser", "google-chrome")

pytestmark = [pytest.mark.process, pytest.mark.browser]


@pytest.fixture(scope="module")
def browser():
    for name in BROWSERS:
        path = shutil.which(name)
        if path:
            return path
    pytest.skip("no headless Chromium (apt-get install chromium-headless-shell): the HTML page is not opened")


def _run(browser, *arguments):
    command = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", *arguments]
    return subprocess.run(command, capture_output=True, text=True, timeout=120)


def _page(tmp_path, example: str, extra_script: str = "") -> Path:
    report = plan_text((ROOT / "examples" / example).read_text(encoding="utf-8"), f"examples/{example}")
    html = render_picture([report], "html")
    if extra_script:
        html = html.replace("</body>", f"<script>\n{extra_script}\n</script>\n</body>")
    page = tmp_path / "page.html"
    page.write_text(html, encoding="utf-8")
    return page


def _pixels(png: bytes) -> tuple[int, int, bytes]:
    """(width, height, raw scanlines) of an 8-bit RGB(A) PNG, without an imaging library."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    position, data, width, height = 8, b"", 0, 0
    while position < len(png):
        length, kind = struct.unpack(">I4s", png[position:position + 8])
        body = png[position + 8:position + 8 + length]
        if kind == b"IHDR":
            width, height = struct.unpack(">II", body[:8])
        elif kind == b"IDAT":
            data += body
        position += 12 + length
    return width, height, zlib.decompress(data)


@pytest.mark.parametrize("example", ["autoencoder_skip.yaml", "mnist_autoencoder.yaml"])
def test_the_page_draws_something(browser, tmp_path, example):
    page = _page(tmp_path, example)
    shot = tmp_path / "shot.png"
    result = _run(browser, f"--screenshot={shot}", "--window-size=1200,900", page.as_uri())
    assert shot.exists(), result.stderr[-2000:]
    width, height, raw = _pixels(shot.read_bytes())
    assert (width, height) == (1200, 900)
    stride = len(raw) // height
    rows = {raw[i * stride + 1:(i + 1) * stride] for i in range(height)}
    assert len(rows) > 50  # many different rows of pixels: text, boxes, lines; not a blank page
    assert raw.count(0xFF) < 0.97 * len(raw)


def test_hovering_a_layer_shows_its_arithmetic(browser, tmp_path):
    hover = ('document.querySelector("g.layer[data-name=\'enc2\']")'
             '.dispatchEvent(new MouseEvent("mouseenter"));')
    page = _page(tmp_path, "autoencoder_skip.yaml", hover)
    result = _run(browser, "--dump-dom", page.as_uri())
    dom = result.stdout
    assert '<div class="aside">' in dom, result.stderr[-2000:]  # shown by the script
    aside = dom[dom.index('<div class="aside">'):]
    aside = aside[:aside.index("</div>")]
    assert "enc2: conv2d (keras Conv2D), 14x14x32 -&gt; 14x14x16" in aside
    assert "o = ceil(i / s)" in aside  # the formula with the numbers
    assert "enc1" not in aside
    assert 'class="layer current"' in dom or 'class="layer current' in dom
