"""The HTML report and the heatmaps: what they mark, that they need nothing
from the network, that the person's text is escaped, and what happens
without matplotlib."""

import importlib.util
import sys
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

import gradcheck
from gradcheck import _cli
from gradcheck._heatmap import PLOTS_HINT

ROOT = Path(__file__).resolve().parents[1]
KRON = ROOT / "examples" / "seed000_single_layer" / "kron.py"
# seed 000's conventions, on the one network shape where kron(outputs^T, delta) has the weights' shape
SEED000_WHERE_KRON_FITS = dict(config=str(KRON.with_name("gradcheck.toml")), sizes=(2, 3), batch=1)


def _load(path, name):
    spec = importlib.util.spec_from_file_location(f"html_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return getattr(module, name)


class _Tags(HTMLParser):
    """Every start tag with its attributes, and the text."""

    def __init__(self, text):
        super().__init__()
        self.tags, self.text = [], []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)

    def cells(self, kind):
        return [a for t, a in self.tags if t == "td" and kind in (a.get("class") or "").split()]


@pytest.fixture(scope="module")
def kron_report():
    return gradcheck.check(_load(KRON, "backprop"), **SEED000_WHERE_KRON_FITS)


def test_seed000_kron_report_marks_every_wrong_entry_and_names_the_bug(kron_report):
    # kron(outputs^T, delta) puts out_j delta_k where in_j delta_k belongs: with generic random inputs every
    # entry of the new W (3 x 2 in gradcheck's layout) and the new b (3) differs, in each of the 3 random cases
    assert [c.status for c in kron_report.cases] == ["fail"] * 3
    page = _Tags(kron_report._repr_html_())
    wrong, worst = page.cells("gc-wrong"), page.cells("gc-worst")
    per_case = 2 * (6 + 3)  # both tables (yours, expected) of W_new and b_new
    assert len(wrong) + len(worst) == 3 * per_case
    assert len(worst) == 3 * 2 * 2  # one worst entry per quantity, in both tables
    text = " ".join(page.text)
    assert text.count("FAIL") >= 1 + 3 + 3  # the header, the summary table and each case's heading
    assert "built from the layer's outputs instead of its inputs" in text
    assert "the error starts here" in text


def test_html_page_is_self_contained(kron_report):
    html = kron_report.to_html()
    assert html.startswith("<!DOCTYPE html>")
    page = _Tags(html)
    assert not [t for t, _ in page.tags if t in ("script", "link", "iframe", "object", "embed")]
    for tag, attrs in page.tags:
        for name in ("src", "href", "srcset", "action", "poster"):
            value = attrs.get(name)
            assert value is None or value.startswith(("data:", "#")), (tag, name, value[:60])
    assert "url(" not in html and "@import" not in html


def test_pictures_are_embedded_one_per_wrong_quantity(kron_report):
    images = [a for t, a in _Tags(kron_report.to_html()).tags if t == "img"]
    assert len(images) == 3 * 2
    assert all(a["src"].startswith("data:image/png;base64,") for a in images)


def test_text_from_the_persons_code_is_escaped():
    def backprop(x, y, W, eta):
        raise ValueError("<script>alert('x')</script> & <b>bold</b>")

    report = gradcheck.check(backprop, **SEED000_WHERE_KRON_FITS)
    html = report.to_html()
    assert "<script>" not in html and "<b>bold" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; &lt;b&gt;bold" in html
    assert "ERROR" in " ".join(_Tags(html).text)


def test_a_large_quantity_shows_a_window_around_its_worst_entry():
    # a 30 x 40 first layer whose dC/dW_1 is wrong in a single entry, far from the corner
    def backprop(x, y, weights, biases):
        z1 = weights[0] @ x + biases[0][:, None]
        a1 = np.tanh(z1)
        z2 = weights[1] @ a1 + biases[1][:, None]
        a2 = 1 / (1 + np.exp(-z2))
        d2 = (a2 - y) * a2 * (1 - a2)
        d1 = (weights[1].T @ d2) * (1 - a1 ** 2)
        dW1 = d1 @ x.T
        dW1[17, 25] += 1.0
        return [dW1, d2 @ a1.T], [d1.sum(axis=1), d2.sum(axis=1)]

    report = gradcheck.check(backprop, call="x, y, weights, biases", returns="(dWs, dbs)", samples="columns",
                             weights="out_in", activations="tanh,sigmoid", sizes=(40, 30, 5), batch=4, random=1)
    finding = report.cases[0].first
    assert (str(finding.key), finding.worst_index, finding.n_wrong) == ("dW[1]", (17, 25), 1)
    page = _Tags(report._repr_html_())
    assert len(page.cells("gc-worst")) == 2 and not page.cells("gc-wrong")
    matrix_cells = [a for t, a in page.tags if t == "td" and "title" in a]
    assert len(matrix_cells) == 2 * 10 * 10  # a 10 x 10 window in each table
    text = " ".join(page.text)
    assert "showing rows 12 to 21 and columns 20 to 29 of (30, 40)" in text
    assert "[17, 25] yours" in page.cells("gc-worst")[0]["title"]


def test_without_matplotlib_the_report_says_how_to_get_pictures(kron_report, monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # import matplotlib now raises ImportError
    html = kron_report._repr_html_()
    assert PLOTS_HINT.replace("'", "&#x27;") in html
    assert "<img" not in html
    assert len(_Tags(html).cells("gc-worst")) == 12  # the tables do not need matplotlib


def _cli_check(*extra):
    return _cli.main(["check", f"{KRON}:backprop", "--sizes", "2,3", "--batch", "1", *extra])


def test_cli_writes_an_html_report_to_a_file(tmp_path, capsys):
    out = tmp_path / "report.html"
    assert _cli_check("--format", "html", "--output", str(out)) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert f"html report written to {out}" in captured.err
    page = _Tags(out.read_text(encoding="utf-8"))
    assert len(page.cells("gc-worst")) == 12
    assert "built from the layer's outputs instead of its inputs" in " ".join(page.text)


def test_cli_writes_one_heatmap_per_wrong_quantity(tmp_path, capsys):
    assert _cli_check("--pictures", str(tmp_path / "pictures")) == 1
    names = sorted(p.name for p in (tmp_path / "pictures").iterdir())
    assert names == [f"random_{i}-{q}_1.png" for i in range(3) for q in ("W_new", "b_new")]
    for name in names:
        with Image.open(tmp_path / "pictures" / name) as image:
            assert image.format == "PNG" and image.width >= 800 and image.height >= 200
    assert "6 heatmaps written to" in capsys.readouterr().err


def test_cli_without_matplotlib_still_reports_and_says_how_to_get_pictures(tmp_path, capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    assert _cli_check("--pictures", str(tmp_path / "pictures")) == 1
    captured = capsys.readouterr()
    assert "FAIL  random_0 (seed 0)" in captured.out
    assert f"no pictures written: heatmaps need matplotlib: {PLOTS_HINT}" in captured.err
    assert not (tmp_path / "pictures").exists()


def test_cli_cannot_write_the_report_says_so_in_one_line(tmp_path, capsys):
    assert _cli_check("--format", "html", "--output", str(tmp_path / "missing" / "report.html")) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("gradcheck: error: cannot write the report to")
