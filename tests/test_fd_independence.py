"""The finite-difference reference must not lean on JAX in any way."""

import subprocess
import sys
import textwrap


def test_finite_differences_run_with_jax_not_importable():
    script = textwrap.dedent(
        """
        import sys
        sys.modules["jax"] = None          # any `import jax` now raises ImportError
        sys.modules["jaxlib"] = None
        import numpy as np
        from gradcheck import get_case, fd_reference, Key
        case = get_case("worked_2_2_1_sigmoid")
        ref = fd_reference(case)
        assert "jax" not in [m for m in sys.modules if sys.modules[m] is not None and m.split(".")[0] == "jax"]
        print(np.round(ref.values[Key("W_new", 1)], 5).tolist())
        """
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[[0.1013, 0.80391], [0.40403, 0.6121]]"


def test_finite_differences_unchanged_when_jax_autodiff_is_broken(monkeypatch):
    import jax

    from gradcheck import Key, fd_reference, get_case

    case = get_case("three_layer_sigmoid_4_5_3_2")
    before = fd_reference(case).values[Key("delta", 1)]

    def broken(*args, **kwargs):
        raise AssertionError("finite differences called JAX autodiff")

    for name in ("grad", "vjp", "jvp", "value_and_grad", "jacfwd", "jacrev", "linearize"):
        monkeypatch.setattr(jax, name, broken)
    after = fd_reference(case).values[Key("delta", 1)]
    assert (before == after).all()
