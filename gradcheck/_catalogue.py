"""The catalogue: the case files shipped with gradcheck, plus any folders a user adds."""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

from ._case import Case
from ._case_file import load_case
from ._errors import CaseError, UnknownCaseError


def bundled_cases_dir() -> Path:
    """The bundled catalogue: ``cases/`` of a checkout, or ``gradcheck/cases`` of a wheel."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "cases", here.parent / "cases"):
        if candidate.is_dir() and any(candidate.glob("*.toml")):
            return candidate
    raise CaseError("the bundled case catalogue is missing; reinstall gradcheck (pip install --force-reinstall gradcheck)")


def case_files(dirs: Iterable[str | Path] = ()) -> list[Path]:
    """Every case file of the bundled catalogue and of ``dirs``, sorted by name."""
    files = []
    for directory in (bundled_cases_dir(), *map(Path, dirs)):
        if not directory.is_dir():
            raise CaseError(f"no such case folder: {directory}; pass a folder that holds .toml case files")
        files.extend(sorted(directory.glob("*.toml")))
    return files


def load_catalogue(dirs: Iterable[str | Path] = ()) -> tuple[Case, ...]:
    """All cases, bundled first. Two cases with one name are an error."""
    cases, seen = [], {}
    for path in case_files(dirs):
        case = load_case(path)
        if case.name in seen:
            raise CaseError(f"case name {case.name!r} is also used by {seen[case.name]}; names must be unique", path=str(path))
        seen[case.name] = path
        cases.append(case)
    return tuple(cases)


def get_case(name: str, dirs: Iterable[str | Path] = ()) -> Case:
    """The case called ``name``."""
    cases = load_catalogue(dirs)
    for case in cases:
        if case.name == name:
            return case
    names = ", ".join(c.name for c in cases)
    raise UnknownCaseError(f"no case named {name!r}; the catalogue has: {names} (see `gradcheck cases list`)")
