"""The HTML report of seed 000's bug, opened from disk in headless Chromium:
it renders the verdict and the highlighted entries (read back from a
screenshot), and the page asks for nothing beyond its own file.

Needs Chromium (Debian: apt-get install chromium), driven by Playwright;
GRADCHECK_CHROMIUM names another binary. Without one the tests are skipped,
unless GRADCHECK_REQUIRE_BROWSER=1 (set by .ci/run), when they fail."""

import os
import shutil
from pathlib import Path

import pytest
from PIL import Image

from gradcheck import _cli

ROOT = Path(__file__).resolve().parents[1]
KRON = ROOT / "examples" / "seed000_single_layer" / "kron.py"
# the colours report.css gives these, as sRGB
FAIL_BADGE, WRONG, WORST = (179, 38, 30), (255, 176, 176), (255, 107, 107)
# as root, without a sandbox; no background traffic of the browser's own (updates, sync, first-run pages)
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-extensions", "--force-color-profile=srgb"]


def _chromium() -> str:
    found = os.environ.get("GRADCHECK_CHROMIUM") or next(
        (p for p in map(shutil.which, ("chromium", "chromium-browser", "google-chrome")) if p), None)
    if found is None:
        message = "needs Chromium: apt-get install chromium, or set GRADCHECK_CHROMIUM to a Chromium binary"
        if os.environ.get("GRADCHECK_REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return found


@pytest.fixture(scope="module")
def report_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("html") / "report.html"
    code = _cli.main(["check", f"{KRON}:backprop", "--sizes", "2,3", "--batch", "1", "--format", "html", "--output", str(path)])
    assert code == 1
    return path


@pytest.fixture(scope="module")
def browser():
    executable = _chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _open(browser, path: Path):
    """The page, and every URL it asked for; anything not a file is refused."""
    context = browser.new_context(viewport={"width": 1200, "height": 900}, device_scale_factor=1)
    requested = []

    def route(route):
        requested.append(route.request.url)
        route.continue_() if route.request.url.startswith("file:") else route.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.goto(path.as_uri(), wait_until="load")
    return context, page, requested


def _pixel(image, box, dx, dy):
    return image.getpixel((int(box["x"] + dx), int(box["y"] + dy)))[:3]


def test_report_renders_the_verdict_and_the_highlighted_entries(browser, report_file, tmp_path):
    context, page, requested = _open(browser, report_file)
    try:
        shot = tmp_path / "report.png"
        page.screenshot(path=str(shot), full_page=True)
        image = Image.open(shot).convert("RGB")

        badge = page.locator("h2 .gc-verdict")
        assert badge.inner_text() == "FAIL"
        assert _pixel(image, badge.bounding_box(), 3, badge.bounding_box()["height"] / 2) == FAIL_BADGE

        # every entry of W_new (3 x 2) and b_new (3) is wrong in each of the 3 cases, in both tables
        for selector, colour, count in (("td.gc-wrong", WRONG, 3 * 2 * (6 + 3 - 2)), ("td.gc-worst", WORST, 3 * 2 * 2)):
            cells = page.locator(selector).all()
            assert len(cells) == count, selector
            for cell in cells:
                box = cell.bounding_box()
                assert box["width"] > 20 and box["height"] > 10, selector
                assert _pixel(image, box, 2, 2) == colour, (selector, box)
        plain = page.locator("table.gc-matrix td:not(.gc-wrong):not(.gc-worst)")
        assert plain.count() == 0  # nothing else is marked, and nothing wrong is left unmarked

        assert page.get_by_text("built from the layer's outputs instead of its inputs").first.is_visible()
        widths = page.eval_on_selector_all("img.gc-heatmap", "images => images.map(i => i.naturalWidth)")
        assert len(widths) == 6 and min(widths) >= 800  # the heatmaps decoded from their data: URIs
    finally:
        context.close()
    assert requested == [report_file.as_uri()]


def test_the_request_log_sees_a_page_that_reaches_out(browser, report_file, tmp_path):
    # the control for the assertion above: the same report with one outside image added
    leaky = tmp_path / "leaky.html"
    leaky.write_text(report_file.read_text(encoding="utf-8").replace(
        "</body>", '<img src="http://gradcheck.invalid/pixel.png"></body>'), encoding="utf-8")
    context, page, requested = _open(browser, leaky)
    context.close()
    assert requested == [leaky.as_uri(), "http://gradcheck.invalid/pixel.png"]
