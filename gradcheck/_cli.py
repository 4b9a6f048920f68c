"""The `gradcheck` command."""

from __future__ import annotations

import argparse
import json
import sys

from ._errors import GradcheckError

EXIT_OK, EXIT_DISAGREE, EXIT_CANNOT_RUN = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gradcheck",
        description="Check hand-written backpropagation against finite differences, JAX autodiff and published numbers.",
        epilog="Exit status: 0 all agree, 1 a disagreement, 2 gradcheck could not run (bad input or options).",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    cases = commands.add_parser("cases", help="list the case catalogue or show one case with its reference quantities")
    cases_commands = cases.add_subparsers(dest="cases_command", metavar="ACTION", required=True)
    extra = argparse.ArgumentParser(add_help=False)
    extra.add_argument("--cases", action="append", default=[], metavar="DIR",
                       help="also read the case files (*.toml) in DIR; repeatable")

    cases_commands.add_parser("list", parents=[extra], help="one line per case: name and what it is there to catch")
    show = cases_commands.add_parser(
        "show", parents=[extra],
        help="print a case and every quantity from each reference, with how far the references are apart")
    show.add_argument("name", help="the case name, as `gradcheck cases list` prints it")
    show.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    return parser


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


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    handlers = {("cases", "list"): _cases_list, ("cases", "show"): _cases_show}
    try:
        return handlers[args.command, getattr(args, "cases_command", None)](args)
    except GradcheckError as exc:
        print(f"gradcheck: error: {exc}", file=sys.stderr)
        return EXIT_CANNOT_RUN
    except BrokenPipeError:  # e.g. `gradcheck cases show X | head`
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
