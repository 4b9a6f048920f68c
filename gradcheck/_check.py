"""Checking a person's backprop function over cases."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from ._compare import compare_arrays
from ._convention import Convention
from ._diagnose import diagnose, diagnose_exception
from ._errors import ConventionError
from ._catalogue import load_catalogue
from ._family import random_case, select_cases
from ._layout import Layout, Problem, read_in_place, read_returns, user_inputs
from ._quantities import Key, LAYER_QUANTITIES, backprop_order, read_only_copy
from ._references import CaseReferences, case_references, resolve_mode
from ._report import CaseResult, Finding, Report
from ._runner import CallFailed, InProcess, Isolated
from ._template import build_arguments, parse_returns
from ._tolerance import rtol

PROBE_SEED = 20251123  # the random case used to infer a layout


def _paths_by_identity(tree, path=()) -> dict:
    """id of every array, list and dict in an argument tree -> its path."""
    found = {id(tree): path} if isinstance(tree, (np.ndarray, list, dict)) else {}
    if isinstance(tree, (list, tuple)):
        for i, item in enumerate(tree):
            found.update({k: v for k, v in _paths_by_identity(item, path + (i,)).items() if k not in found})
    elif isinstance(tree, dict):
        for key, item in tree.items():
            found.update({k: v for k, v in _paths_by_identity(item, path + (key,)).items() if k not in found})
    return found


def _at(tree, path):
    for step in path:
        tree = tree[step]
    return tree


def _call(runner, conv: Convention, layout: Layout, case):
    """Call the function on a case; return the argument names bound to their
    values after the call, what it returned, and the names it modified."""
    inputs = user_inputs(case, conv, layout)
    args, kwargs = build_arguments(conv.call, inputs)
    where = _paths_by_identity([args, kwargs])
    call = runner(args, kwargs)
    after = dict(inputs)
    for name, value in inputs.items():
        if id(value) in where:
            after[name] = _at(call.after, where[id(value)])
    if id(inputs["params"]) not in where:  # params not passed as a dict: rebuild it from the arrays
        after["params"] = {k: after.get(k, v) for k, v in inputs["params"].items()}
    changed = sorted({name for name, value in inputs.items() if id(value) in where and isinstance(value, np.ndarray)
                      and any(p[:len(where[id(value)])] == where[id(value)] for p in call.changed)})
    return after, call.returned, changed


def _read(returned, inputs, slots, case, conv, layout):
    if slots is None:
        return read_in_place(inputs, case, conv, layout)
    return read_returns(returned, slots, case, conv, layout)


def resolve_layout(fn, conv: Convention, cases, slots) -> tuple[Layout, str]:
    """The declared layout, or the only one the function's shapes allow."""
    samples = [conv.samples] if conv.samples else ["columns", "rows"]
    weights = [conv.weights] if conv.weights else ["out_in", "in_out"]
    candidates = [Layout(s, w) for s in samples for w in weights]
    if len(candidates) == 1:
        return candidates[0], f"declared: samples as {candidates[0].samples}, weights as {candidates[0].weights}"
    if conv.activations is not None:
        probe = random_case(conv, PROBE_SEED)
    else:
        probe = next((c for c in cases if all(W.shape[0] != W.shape[1] for W in c.weights)), None)
    if probe is None or any(W.shape[0] == W.shape[1] for W in probe.weights):
        raise ConventionError("the layout cannot be told from square layers: declare it with --samples columns|rows "
                              "and --weights out_in|in_out")
    ran, consistent, failures = [], [], []
    for layout in candidates:
        try:
            inputs, returned, _ = _call(fn, conv, layout, probe)
        except CallFailed as failure:  # a layout the function rejects
            failures.append(f"samples as {layout.samples}, weights as {layout.weights}: {failure.message}")
            continue
        ran.append(layout)
        if not _read(returned, inputs, slots, probe, conv, layout)[2]:
            consistent.append(layout)
    net = "-".join(map(str, probe.sizes))
    for pool, why in ((ran, "is the only one it runs with"), (consistent, "is the only one whose results have the expected shapes")):
        if len(pool) == 1:
            layout = pool[0]
            return layout, (f"inferred: samples as {layout.samples}, weights as {layout.weights} "
                            f"({why}, on a {net} network; declare --samples/--weights to skip this)")
    if not ran:
        raise ConventionError("the function raised under every layout, so gradcheck cannot tell which it uses: "
                              + "; ".join(failures) + ". Declare --samples and --weights to see the failure case by case")
    raise ConventionError(f"{len(consistent or ran)} layouts fit the function's shapes on a {net} network; "
                          "declare --samples columns|rows and --weights out_in|in_out")


def _judge(case, key: Key, got: np.ndarray, refs: CaseReferences, name: str) -> tuple[Finding | None, int]:
    """A Finding if ``got`` disagrees with every reference; also the count of
    entries where the references themselves cannot decide."""
    jax, mags = refs.reference("jax"), refs.magnitudes[key]
    expected_j = jax.values[key]
    dtype = got.dtype if np.issubdtype(got.dtype, np.floating) else np.dtype(np.float64)
    own = (rtol(case, dtype) + rtol(case, np.float64)) * mags
    got64 = got if got.dtype == np.float64 else got.astype(np.float64)
    diff_j = np.abs(got64 - expected_j)
    kink = refs.undecidable.get(key)
    suspect = ~(diff_j <= own + jax.error[key])  # JAX says wrong: ask the finite differences
    if kink is not None:
        suspect &= ~kink
    if not suspect.any():
        return None, 0 if kink is None else int(kink.sum())
    if kink is None:
        kink = np.zeros(expected_j.shape, dtype=bool)
    expected_f, fd_error = refs.fd_at(key, suspect)
    with np.errstate(invalid="ignore"):
        references_agree = np.abs(expected_j - expected_f) <= jax.error[key] + fd_error + 2 * rtol(case, np.float64) * mags
        wrong = suspect & references_agree & ~(np.abs(got64 - expected_f) <= fd_error + own)
    undecided = int((kink | (suspect & ~references_agree)).sum())
    if not wrong.any():
        return None, undecided
    worst = compare_arrays(key, got64, expected_j, jax.error[key] + own, wrong=wrong)
    index = worst.worst_index
    finite = np.isfinite(got64)
    if not finite.all():
        bad = tuple(int(i) for i in np.argwhere(~finite)[0]) if got.shape else ()
        kind, message = "nan", f"{key} ({name}) contains NaN or infinity ({int((~finite).sum())} entries, first at {list(bad)})"
    else:
        kind = "mismatch"
        message = (f"{key} ({name}) disagrees with both references at {worst.n_wrong} of {got.size} entries; worst at "
                   f"{list(index)}: got {worst.got:.6g}, expected {worst.expected:.6g}")
    order = np.argsort(np.where(wrong, np.nan_to_num(diff_j, nan=np.inf), -1.0), axis=None)[::-1][:3]
    largest = tuple((tuple(int(i) for i in np.unravel_index(k, got.shape)), float(got64.flat[k]), float(expected_j.flat[k]))
                    for k in order if wrong.flat[k])
    return Finding(
        key=key, name=name, kind=kind, message=message, n_wrong=worst.n_wrong, n_entries=worst.n_entries,
        max_abs_err=worst.max_abs_err if finite.all() else float("inf"),
        max_rel_err=worst.max_rel_err if finite.all() else float("inf"),
        worst_index=index, got=worst.got,
        expected={"jax": worst.expected, "finite_differences": float(expected_f[index])},
        got_array=read_only_copy(got64), expected_array=expected_j, wrong=read_only_copy(wrong), largest=largest,
    ), undecided


def _hint(key, values) -> str | None:
    """What returning more would add, when only the step's result came back."""
    if key is None or key.quantity not in ("W_new", "b_new", "update_W", "update_b"):
        return None
    if any(k.quantity in ("delta", "dW", "db") for k in values):
        return None
    return ("your function returns only the result of the step, so gradcheck can tell which layer's update is wrong "
            "but not where in backprop the error starts; return the deltas and dC/dW as well to see that")


def _not_returned(case, values) -> tuple[str, ...]:
    missing = []
    for quantity in ("loss",) + LAYER_QUANTITIES[2:]:
        if quantity in ("db", "update_b", "b_new") and all(b is None for b in case.biases):
            continue
        if not any(k.quantity == quantity for k in values):
            missing.append(quantity)
    return tuple(missing)


def check_case(fn, conv: Convention, layout: Layout, slots, case, mode: str = "auto") -> CaseResult:
    try:
        inputs, returned, changed = _call(fn, conv, layout, case)
    except CallFailed as failure:
        error = f"your function raised {failure.message}" if failure.raised else failure.message
        return CaseResult(case.name, case.seed, "error", error=error,
                          diagnosis=diagnose_exception(case, conv, layout, failure.text))
    values, names, problems = _read(returned, inputs, slots, case, conv, layout)
    refs = case_references(case, mode)
    findings: list[Finding] = [Finding(p.key, p.name, p.kind, p.message) for p in problems]
    shaped_wrong = {p.key: p.value for p in problems if p.value is not None}
    undecided = 0
    for key, got in values.items():
        finding, n = _judge(case, key, np.asarray(got), refs, names[key])
        undecided += n
        if finding is not None:
            findings.append(finding)
    notes = []
    if changed and slots is not None:
        notes.append(f"your function modified its input{'s' if len(changed) > 1 else ''} {', '.join(changed)} in place; "
                     "gradcheck handed it copies, so the check is unaffected, but a caller's arrays would change")
    if undecided:
        notes.append(f"{undecided} entries not judged: not differentiable here (an activation input at its kink, "
                     "such as ReLU at 0, within the finite-difference step)")
    order = lambda f: (0,) if f.key is None else (1,) + backprop_order(f.key, case.n_layers)
    findings.sort(key=order)
    if findings:
        first = findings[0]
        got = values.get(first.key, shaped_wrong.get(first.key))
        dtype = np.asarray(got).dtype if got is not None and np.issubdtype(np.asarray(got).dtype, np.floating) else np.float64
        diagnosis = diagnose(case, first.key, got, refs, dtype) if got is not None and first.kind != "nan" else ()
        findings[0] = replace(first, first=True, diagnosis=diagnosis, hint=_hint(first.key, values))
    return CaseResult(
        case.name, case.seed, "fail" if findings else "pass",
        checked=tuple(sorted(values, key=lambda k: backprop_order(k, case.n_layers))),
        not_returned=_not_returned(case, values), findings=tuple(findings), notes=tuple(notes),
    )


def check(fn, convention: Convention | None = None, cases=None, *, config=None, case_dirs=(), random: int = 3,
          seed: int = 0, target: str | None = None, mode: str = "auto", progress=None, **options) -> Report:
    """Run ``fn`` on every case and compare what it returns with the references.

    ``fn`` is a function (called in this process) or a runner such as
    Isolated("file.py:name", Limits(...)) (called in a worker process).

    Conventions as in the CLI: from the TOML file ``config``, then
    ``convention``, then keyword options (``call``, ``returns``, ``samples``,
    ``activations`` ...), each overriding the one before.

    ``cases``: Case values or case names; by default every catalogue case
    (with those in ``case_dirs``) that fits the function's family, and
    ``random`` random ones with seeds ``seed``, ``seed + 1`` ...

    ``mode``: finite differences of every entry ("exhaustive"), or along
    random directions with every suspect entry differenced ("fast"); "auto"
    picks exhaustive up to 200,000 entries per case. ``progress(i, n,
    case_name)`` is called before each case.

    In a notebook the returned Report shows itself as HTML."""
    conv = resolve_convention(convention, config=config, **options)
    cases = resolve_cases(conv, cases, case_dirs=case_dirs, random=random, seed=seed)
    runner = fn if isinstance(fn, (InProcess, Isolated)) else InProcess(fn)
    try:
        return _check(runner, conv, cases, target=target or runner.name, mode=mode, progress=progress)
    finally:
        runner.close()


def resolve_convention(convention: Convention | None = None, *, config=None, **options) -> Convention:
    """``convention`` or the one in the TOML file ``config`` (not both), with ``options`` replacing its fields."""
    if convention is not None and config is not None:
        raise ConventionError("pass either a Convention or a config file, not both; "
                              "add options as keywords to change either")
    conv = convention or (Convention.from_file(config) if config is not None else Convention())
    if isinstance(options.get("activations"), str):
        options["activations"] = tuple(part.strip() for part in options["activations"].split(",") if part.strip())
    return conv.with_options(**options)


def resolve_cases(conv: Convention, cases, *, case_dirs=(), random: int = 3, seed: int = 0) -> tuple:
    cases = None if cases is None else tuple(cases)
    if cases is not None and not all(isinstance(c, str) for c in cases):
        return cases
    catalogue = load_catalogue(case_dirs)
    return select_cases(conv, catalogue, names=tuple(cases or ()), n_random=0 if cases else random, seed=seed)


def _check(fn, conv: Convention, cases, *, target: str, mode: str, progress) -> Report:
    if not cases:
        raise ConventionError("no case fits this function's family: check --activations, --loss, --reduction and "
                              "--bias, or name cases with --case, or ask for random ones with --random N")
    slots = parse_returns(conv.returns)
    layout, note = resolve_layout(fn, conv, cases, slots)
    results = []
    for i, case in enumerate(cases):
        if progress is not None:
            progress(i, len(cases), case.name)
        results.append(check_case(fn, conv, layout, slots, case, mode))
    results = tuple(results)
    modes = sorted({resolve_mode(case, mode) for case in cases})
    return Report(target, conv, note, results, "/".join(modes))
