"""A real notebook, run in a real Jupyter kernel: a buggy backprop defined in
a cell is checked there, and the report it displays is HTML with the
diagnosis and the wrong entries marked."""

from pathlib import Path

import nbformat
from nbclient import NotebookClient

NOTEBOOK = Path(__file__).resolve().parents[1] / "examples" / "notebook" / "check_in_a_notebook.ipynb"


def _displayed(cell) -> dict:
    results = [o for o in cell.outputs if o.output_type in ("execute_result", "display_data")]
    assert len(results) == 1, [o.output_type for o in cell.outputs]
    return results[0]["data"]


def test_notebook_checks_a_function_defined_in_a_cell(tmp_path):
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    # the kernel is this interpreter (ipykernel's own kernel spec), so it imports the gradcheck under test
    NotebookClient(notebook, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    errors = [o for c in notebook.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert not errors, errors[0]["evalue"] if errors else None
    code = [c for c in notebook.cells if c.cell_type == "code"]
    buggy, fixed = _displayed(code[2]), _displayed(code[3])

    assert buggy["text/plain"].startswith("<gradcheck Report backprop: ")
    html = buggy["text/html"]
    # the cell's mistake: sigmoid_prime(a1) where sigmoid_prime(z1) belongs, in hidden layer 1
    assert "the activation derivative is evaluated at the activation a = f(z) instead of at z" in html
    assert "dW[1]" in html and "the error starts here" in html
    assert 'class="gc-worst"' in html and 'class="gc-wrong"' in html
    assert "data:image/png;base64," in html  # heatmaps inline (the dev extra installs matplotlib)
    assert 'gc-verdict gc-fail">FAIL' in html

    assert " 0 failed, 0 errors>" in fixed["text/plain"]
    assert 'gc-verdict gc-pass">PASS' in fixed["text/html"] and "FAIL" not in fixed["text/html"]
