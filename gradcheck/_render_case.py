"""`gradcheck cases show`: a case, its reference quantities, and their agreement."""

from __future__ import annotations

import numpy as np

from ._jsonable import jsonable
from ._quantities import DESCRIPTIONS, Key, backprop_order
from ._references import CaseReferences

SHORT = {"jax": "jax", "finite_differences": "fd", "published": "published"}


def case_summary(case) -> dict:
    return {
        "name": case.name,
        "description": case.description,
        "source": case.source,
        "path": case.path,
        "sizes": list(case.sizes),
        "activations": list(case.activations),
        "loss": case.loss,
        "reduction": case.reduction,
        "eta": case.eta,
        "seed": case.seed,
        "weight_decay": case.weight_decay,
        "weight_decay_half": case.weight_decay_half,
        "x": case.x,
        "y": case.y,
        "layers": [
            {"layer": l, "W": W, "b": b} for l, (W, b) in enumerate(zip(case.weights, case.biases), start=1)
        ],
    }


def comparison_json(c) -> dict:
    return {
        "quantity": c.key.quantity,
        "layer": c.key.layer,
        "agree": c.agree,
        "n_entries": c.n_entries,
        "n_wrong": c.n_wrong,
        "max_abs_err": c.max_abs_err,
        "max_rel_err": c.max_rel_err,
        "worst_index": list(c.worst_index),
        "got": c.got,
        "expected": c.expected,
        "tolerance": c.tolerance,
    }


def case_json(result: CaseReferences) -> dict:
    case = result.case
    references = {}
    for ref in result.references:
        keys = sorted(ref.values, key=lambda k: backprop_order(k, case.n_layers))
        entry = {"loss": ref.values.get(Key("loss", None))}
        layers: dict[int, dict] = {}
        for key in keys:
            if key.layer is not None:
                layers.setdefault(key.layer, {"layer": key.layer})[key.quantity] = ref.values[key]
        entry["layers"] = [layers[l] for l in sorted(layers)]
        if ref.method == "published":
            entry["decimals"] = [{"quantity": p.key.quantity, "layer": p.key.layer, "decimals": p.decimals} for p in case.published]
        references[ref.method] = entry
    return jsonable({
        "case": case_summary(case),
        "references": references,
        "consistent": result.consistent,
        "not_differentiable": [
            {"quantity": k.quantity, "layer": k.layer, "entries": [list(map(int, i)) for i in np.argwhere(m)]}
            for k, m in result.undecidable.items() if m.any()
        ],
        "agreement": [{"between": [a.first, a.second], **comparison_json(a.comparison)} for a in result.agreements],
    })


def _matrix(value) -> str:
    return np.array2string(np.asarray(value), precision=8, suppress_small=False, max_line_width=100, separator=", ")


def case_text(result: CaseReferences) -> str:
    case = result.case
    bias = "with biases" if all(b is not None for b in case.biases) else (
        "no biases" if all(b is None for b in case.biases) else "biases on some layers")
    lines = [
        f"case {case.name}",
        f"  {case.description}",
    ]
    if case.source:
        lines.append(f"  source: {case.source}")
    lines += [
        f"  network {'-'.join(map(str, case.sizes))}, activations {', '.join(case.activations)}, {bias}",
        f"  loss {case.loss} ({case.reduction} over a batch of {case.batch}), eta {case.eta:g}"
        + (f", L2 weight decay {case.weight_decay:g} ({'lambda/2' if case.weight_decay_half else 'lambda'} sum W^2)"
           if case.weight_decay else "")
        + (f", parameters drawn with seed {case.seed}" if case.seed is not None else ""),
        "",
        "reference quantities (jax = autodiff, fd = finite differences, float64):",
    ]
    refs = result.references
    keys = sorted({k for r in refs for k in r.values}, key=lambda k: backprop_order(k, case.n_layers))
    for key in keys:
        lines.append(f"  {key}: {DESCRIPTIONS[key.quantity]}")
        for ref in refs:
            if key in ref.values:
                text = _matrix(ref.values[key]).replace("\n", "\n" + " " * 16)
                lines.append(f"    {SHORT[ref.method]:>10}  {text}")
    lines += ["", "agreement (an entry agrees when |difference| <= tolerance; see README, Tolerances):"]
    pairs = list(dict.fromkeys((a.first, a.second) for a in result.agreements))
    for first, second in pairs:
        rows = [a.comparison for a in result.agreements if (a.first, a.second) == (first, second)]
        bad = [c for c in rows if not c.agree]
        worst = max(rows, key=lambda c: c.max_abs_err / max(c.tolerance, 1e-300))
        status = "all agree" if not bad else f"{len(bad)} of {len(rows)} quantities DISAGREE"
        lines.append(
            f"  {SHORT[first]} vs {SHORT[second]}: {status} on {len(rows)} quantities; "
            f"closest to its tolerance: {worst.key}{list(worst.worst_index)} "
            f"|diff| {worst.max_abs_err:.2e} (tolerance {worst.tolerance:.2e})"
        )
        for c in bad:
            lines.append(
                f"    {c.key}{list(c.worst_index)}: {SHORT[first]} {c.got:.10g}, {SHORT[second]} {c.expected:.10g}, "
                f"|diff| {c.max_abs_err:.2e} > tolerance {c.tolerance:.2e}"
            )
    if result.n_undecidable:
        lines.append(f"  {result.n_undecidable} entries of delta, dW and db are not differentiable here (an activation "
                     "input at its kink) and are not compared")
    if not result.consistent:
        lines += ["", "The references disagree: this is a problem of the case or of gradcheck, not of anyone's code."]
    return "\n".join(lines)
