"""The `gradcheck` command."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from ._errors import ConventionError, GradcheckError

EXIT_OK, EXIT_DISAGREE, EXIT_CANNOT_RUN = 0, 1, 2
CONFIG_NAME = "gradcheck.toml"


def _csv(kind):
    return lambda text: tuple(kind(part.strip()) for part in text.split(",") if part.strip())


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gradcheck",
        description="Check hand-written backpropagation against finite differences, JAX autodiff and published numbers.",
        epilog="Exit status: 0 all agree, 1 a disagreement, 2 gradcheck could not run (bad input or options).",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    extra = argparse.ArgumentParser(add_help=False)
    extra.add_argument("--cases", action="append", default=[], metavar="DIR",
                       help="also read the case files (*.toml) in DIR; repeatable")

    check = commands.add_parser("check", parents=[extra], help="check your backprop function over the cases that fit it",
                                description="Run TARGET on every case that fits its model family and compare what it "
                                            "returns with the references. Conventions are read from --config FILE, else "
                                            f"from a {CONFIG_NAME} beside the target file; options given here override them.")
    check.add_argument("target", help="path/to/file.py:function or module:function (a dotted name reaches a method)")
    check.add_argument("--case", action="append", default=[], metavar="NAME",
                       help="check only this case (repeatable; random_N re-runs random case N)")
    check.add_argument("--random", type=int, default=3, metavar="N", help="random cases of the family to add (default: 3)")
    check.add_argument("--seed", type=int, default=0, help="seed of the first random case; case i has seed + i (default: 0)")
    check.add_argument("--format", choices=("text", "json", "html"), default="text",
                       help="report format; html is one self-contained page, with heatmaps if matplotlib is installed "
                            "(default: text)")
    check.add_argument("--output", metavar="FILE", help="write the report to FILE instead of printing it")
    check.add_argument("--pictures", metavar="DIR",
                       help="write a heatmap (PNG) of each wrong quantity to DIR; needs matplotlib: "
                            "pip install 'gradcheck[plots]'")
    check.add_argument("--config", metavar="FILE", help=f"TOML file of conventions (default: {CONFIG_NAME} beside the target)")
    check.add_argument("--gradescope", metavar="FILE", help="also write Gradescope's results.json (one point per case) to FILE")
    _add_limits(check)
    conv = check.add_argument_group("conventions (see README, 'Checking your backprop')")
    conv.add_argument("--call", help="argument list the function takes, e.g. 'x, y, W1, W2, eta'")
    conv.add_argument("--returns", help="what it returns, e.g. '(W1_new, W2_new)', '(dbs, dWs)', or None for in place")
    conv.add_argument("--samples", choices=("columns", "rows"), help="samples as columns or rows (default: inferred)")
    conv.add_argument("--weights", choices=("out_in", "in_out"), help="W as (out, in) or (in, out) (default: inferred)")
    conv.add_argument("--bias", choices=("separate", "none", "last", "first"),
                      help="separate arrays, none, or a constant input 1 appended last/first to x (default: separate)")
    conv.add_argument("--bias-shape", dest="bias_shape", choices=("flat", "column", "row"), help="shape of separate biases (default: flat)")
    conv.add_argument("--labels", choices=("onehot", "integer"), help="targets as one-hot or integer class labels (default: onehot)")
    conv.add_argument("--delta-sign", dest="delta_sign", type=int, choices=(1, -1),
                      help="1 if your delta is dC/dz, -1 if it is (t - y) f'(z) = -dC/dz (default: 1)")
    conv.add_argument("--activations", type=_csv(str), help="activations, one per layer, e.g. sigmoid,sigmoid")
    conv.add_argument("--loss", help="loss (default: half_squared_error)")
    conv.add_argument("--reduction", choices=("sum", "mean"), help="over the batch (default: sum)")
    conv.add_argument("--weight-decay", dest="weight_decay", type=float, metavar="LAMBDA",
                      help="L2 weight decay in the function's loss (default: 0)")
    conv.add_argument("--weight-decay-form", dest="weight_decay_half", choices=("half", "full"),
                      type=str, help="half: lambda/2 sum W^2 (default); full: lambda sum W^2")
    conv.add_argument("--batch", type=int, help="the batch size the function needs (e.g. 1 for per-sample code)")
    conv.add_argument("--sizes", type=_csv(int), help="the layer sizes the function needs, e.g. 2,2,1")

    grade = commands.add_parser("grade", parents=[extra], help="check many submissions in parallel and write their reports",
                                description="Check every submission (a student's folder, or a .py file) with the same "
                                            "conventions and cases, each in its own isolated process, JOBS at a time. "
                                            "Writes OUT/<submission>/report.txt, report.json and Gradescope's "
                                            "results.json, and OUT/summary.json; prints a summary table.")
    grade.add_argument("submissions", nargs="+", help="student folders or .py files (glob patterns work)")
    grade.add_argument("--function", required=True, help="the function's name in each submission, e.g. backprop")
    grade.add_argument("--file", default="backprop.py", help="the file inside each folder (default: backprop.py)")
    grade.add_argument("--config", required=True, metavar="FILE", help="TOML file of the conventions (as for check)")
    grade.add_argument("--out", default="gradcheck-reports", help="where reports go (default: gradcheck-reports)")
    grade.add_argument("--jobs", type=int, default=1, metavar="N", help="submissions checked at once (default: 1)")
    grade.add_argument("--random", type=int, default=3, metavar="N", help="random cases of the family (default: 3)")
    grade.add_argument("--seed", type=int, default=0, help="seed of the first random case (default: 0)")
    grade.add_argument("--hidden-cases", action="append", default=[], metavar="DIR",
                       help="case files whose results Gradescope shows only after publication; repeatable")
    grade.add_argument("--points", type=float, default=1.0, help="points per case (default: 1)")
    grade.add_argument("--partial", choices=("case", "quantity"), default="case",
                       help="credit per case (all or nothing) or per quantity that agrees (default: case)")
    _add_limits(grade)

    commands.add_parser("demo", help="check a bundled correct backprop and one with seed 000's bug")

    cases = commands.add_parser("cases", help="list the case catalogue or show one case with its reference quantities")
    cases_commands = cases.add_subparsers(dest="cases_command", metavar="ACTION", required=True)
    cases_commands.add_parser("list", parents=[extra], help="one line per case: name and what it is there to catch")
    show = cases_commands.add_parser(
        "show", parents=[extra],
        help="print a case and every quantity from each reference, with how far the references are apart")
    show.add_argument("name", help="the case name, as `gradcheck cases list` prints it")
    show.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    validate = cases_commands.add_parser(
        "validate", help="check every case file in a folder: its fields, shapes, and that the references agree on it")
    validate.add_argument("folder", help="a folder of .toml case files")
    return parser


def _add_limits(parser):
    limits = parser.add_argument_group("isolation: the function runs in a separate process with these limits per case")
    limits.add_argument("--timeout", type=float, default=10.0, metavar="SECONDS", help="wall time per case (default: 10)")
    limits.add_argument("--memory", type=int, default=2048, metavar="MIB", help="memory of the worker process (default: 2048)")
    limits.add_argument("--max-output", dest="max_output", type=int, default=1_000_000, metavar="BYTES",
                        help="what the function may print per case (default: 1000000)")
    limits.add_argument("--in-process", dest="in_process", action="store_true",
                        help="run the function in gradcheck's own process: faster, but no limits; only for trusted code")
    parser.add_argument("--mode", choices=("auto", "exhaustive", "fast"), default="auto",
                        help="finite differences of every entry, or along random directions with every entry JAX disputes "
                             "differenced; auto: exhaustive up to 200,000 entries per case (default: auto)")


def runner_for(args, target):
    from ._runner import Isolated, Limits
    from ._target import load_target

    if args.in_process:
        return load_target(target)
    return Isolated(target, Limits(timeout=args.timeout, memory_mb=args.memory, max_output=args.max_output))


CONVENTION_OPTIONS = ("call", "returns", "samples", "weights", "bias", "bias_shape", "labels", "delta_sign",
                      "activations", "loss", "reduction", "weight_decay", "batch", "sizes")


def _config_path(args) -> str | None:
    """--config, else a gradcheck.toml beside the target file."""
    if args.config:
        return args.config
    location = getattr(args, "target", "").rpartition(":")[0]
    beside = Path(location).parent / CONFIG_NAME if location.endswith(".py") else None
    return str(beside) if beside is not None and beside.is_file() else None


def _convention(args):
    """The Convention of the config file (if any), and the file's path."""
    from ._convention import Convention

    path = _config_path(args)
    return (Convention.from_file(path) if path else Convention()), path


def _check(args) -> int:
    from ._catalogue import load_catalogue
    from ._check import check
    from ._family import select_cases
    from ._target import load_target

    conv, config_path = _convention(args)
    conv = conv.with_options(**{name: getattr(args, name) for name in CONVENTION_OPTIONS})
    if args.weight_decay_half is not None:
        conv = conv.with_options(weight_decay_half=args.weight_decay_half == "half")
    if ":" not in args.target:
        load_target(args.target)  # raises the error that explains the form
    cases = select_cases(conv, load_catalogue(args.cases), names=args.case, n_random=args.random, seed=args.seed)
    from ._progress import Progress

    progress = Progress("checking case", enabled=args.format == "text")
    try:
        report = check(runner_for(args, args.target), conv, cases, target=args.target, mode=args.mode, progress=progress)
    finally:
        progress.close()
    _write_report(report, args.format, args.output, config_path)
    if args.pictures:
        _write_pictures(report, Path(args.pictures))
    if args.gradescope:
        from ._grade import Graded, Submission, gradescope_results

        results = gradescope_results(Graded(Submission(args.target, args.target), report))
        Path(args.gradescope).write_text(json.dumps(results, indent=2))
    return report.exit_code


def _rendered(report, fmt, config_path=None) -> str:
    if fmt == "json":
        return json.dumps(report.to_json(), indent=2)
    if fmt == "html":
        return report.to_html()
    return (f"conventions from {config_path}\n" if config_path else "") + report.to_text()


def _write_report(report, fmt, output=None, config_path=None):
    text = _rendered(report, fmt, config_path)
    if output is None:
        print(text)
        return
    try:
        Path(output).write_text(text + "\n", encoding="utf-8")
    except OSError as exc:
        raise GradcheckError(f"cannot write the report to {output}: {exc.strerror}") from None
    counts = report.counts()
    print(f"{'pass' if report.passed else 'FAIL'}: {counts['pass']} passed, {counts['fail']} failed, "
          f"{counts['error']} errors; {fmt} report written to {output}", file=sys.stderr)


def _write_pictures(report, folder: Path):
    from ._heatmap import PLOTS_HINT, plots_available, write_pictures

    if not plots_available():
        print(f"gradcheck: note: no pictures written: heatmaps need matplotlib: {PLOTS_HINT}", file=sys.stderr)
        return
    try:
        written = write_pictures(report, folder)
    except OSError as exc:
        raise GradcheckError(f"cannot write pictures to {folder}: {exc.strerror}") from None
    what = f"{len(written)} heatmap{'s' if len(written) != 1 else ''} written to {folder}/" if written else \
        "no pictures: no quantity came back wrong with values to draw"
    print(f"gradcheck: {what}", file=sys.stderr)


def _grade(args) -> int:
    from ._case_file import load_case
    from ._catalogue import load_catalogue
    from ._family import select_cases
    from ._grade import find_submissions, grade, summary_table, write_reports
    from ._runner import Limits

    conv, _ = _convention(args)
    catalogue = load_catalogue([*args.cases, *args.hidden_cases])
    hidden = frozenset(load_case(p).name for d in args.hidden_cases for p in sorted(Path(d).glob("*.toml")))
    cases = select_cases(conv, catalogue, n_random=args.random, seed=args.seed)
    submissions = find_submissions(args.submissions, args.file, args.function)
    limits = Limits(timeout=args.timeout, memory_mb=args.memory, max_output=args.max_output)
    from ._progress import Progress

    progress = Progress("graded", enabled=True)
    try:
        graded = grade(submissions, conv, cases, limits=limits, jobs=args.jobs, mode=args.mode, progress=progress)
    finally:
        progress.close()
    write_reports(graded, Path(args.out), points_per_case=args.points, partial=args.partial, hidden=hidden)
    print(summary_table(graded))
    print(f"{len(graded)} submissions, {len(cases)} cases each; reports in {args.out}/")
    return EXIT_OK


def _demo(args) -> int:
    from . import _demo
    from ._catalogue import load_catalogue
    from ._check import check
    from ._family import select_cases

    cases = select_cases(_demo.CONVENTION, load_catalogue(), n_random=2, seed=0)
    outcomes = []
    for name, fn in (("a correct backprop", _demo.backprop), ("seed 000's bug: kron(outputs^T, delta)", _demo.backprop_seed000_bug)):
        print(f"=== {name} (gradcheck/_demo.py) ===")
        report = check(fn, _demo.CONVENTION, cases, target=f"gradcheck._demo:{fn.__name__}")
        _write_report(report, "text")
        print()
        outcomes.append(report.passed)
    ok = outcomes == [True, False]
    print("demo: the correct version passed and the bug was caught." if ok else "demo: UNEXPECTED outcome, please report it.")
    return EXIT_OK if ok else EXIT_DISAGREE


def _cases_list(args) -> int:
    from ._catalogue import load_catalogue

    cases = load_catalogue(args.cases)
    width = max(len(c.name) for c in cases)
    for case in cases:
        print(f"{case.name:<{width}}  {'-'.join(map(str, case.sizes)):<10}  {case.description}")
    return EXIT_OK


def _cases_show(args) -> int:
    from ._catalogue import get_case
    from ._references import case_references
    from ._render_case import case_json, case_text

    result = case_references(get_case(args.name, args.cases))
    if args.format == "json":
        print(json.dumps(case_json(result), indent=2))
    else:
        print(case_text(result))
    return EXIT_OK if result.consistent else EXIT_DISAGREE


def _cases_validate(args) -> int:
    from ._case_file import load_case
    from ._errors import CaseError
    from ._references import case_references

    folder = Path(args.folder)
    files = sorted(folder.glob("*.toml")) if folder.is_dir() else []
    if not files:
        raise CaseError(f"no .toml case files in {folder}; pass the folder that holds your case files")
    problems, names = 0, {}
    for path in files:
        try:
            case = load_case(path)
        except CaseError as exc:
            print(f"error {exc}")
            problems += 1
            continue
        if case.name in names:
            print(f"error {path}: case name {case.name!r} is also used by {names[case.name]}; names must be unique")
            problems += 1
            continue
        names[case.name] = path
        refs = case_references(case)
        if not refs.consistent:
            bad = [str(a.comparison.key) for a in refs.agreements if not a.comparison.agree]
            print(f"error {path}: the references disagree on {', '.join(sorted(set(bad)))}; "
                  f"see `gradcheck cases show {case.name} --cases {folder}`")
            problems += 1
            continue
        kinks = f"; {refs.n_undecidable} entries not differentiable (at a kink)" if refs.n_undecidable else ""
        print(f"ok    {path}: {case.name}, {'-'.join(map(str, case.sizes))}{kinks}")
    print(f"{len(files) - problems} of {len(files)} case files are valid")
    return EXIT_OK if not problems else EXIT_DISAGREE


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    handlers = {("cases", "list"): _cases_list, ("cases", "show"): _cases_show, ("cases", "validate"): _cases_validate, ("check", None): _check, ("demo", None): _demo,
                ("grade", None): _grade}
    try:
        return handlers[args.command, getattr(args, "cases_command", None)](args)
    except GradcheckError as exc:
        print(f"gradcheck: error: {exc}", file=sys.stderr)
        return EXIT_CANNOT_RUN
    except BrokenPipeError:  # e.g. `gradcheck cases show X | head`
        return EXIT_OK
    except Exception as exc:  # noqa: BLE001 - a bug of gradcheck's own: one line, not a traceback
        from ._target import describe_exception

        print(f"gradcheck: internal error: {describe_exception(exc)}; this is a bug in gradcheck, please report it "
              "with the command you ran (set GRADCHECK_TRACEBACK=1 to see the traceback)", file=sys.stderr)
        if os.environ.get("GRADCHECK_TRACEBACK"):
            raise
        return EXIT_CANNOT_RUN


if __name__ == "__main__":
    sys.exit(main())
