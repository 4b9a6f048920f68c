"""gradcheck: check hand-written backpropagation against finite differences,
JAX autodiff and published numbers."""

from ._assert import BackpropMismatch, assert_backprop
from ._case import Case, Published
from ._case_file import load_case
from ._catalogue import get_case, load_catalogue
from ._compare import QuantityComparison, compare
from ._check import check
from ._convention import Convention
from ._errors import CaseError, ConventionError, GradcheckError, TargetError, UnknownCaseError
from ._family import random_case, select_cases
from ._report import CaseResult, Finding, Report
from ._runner import Isolated, Limits
from ._finite_diff import fd_reference
from ._jax_reference import jax_reference
from ._published import published_reference
from ._quantities import QUANTITIES, Key, Reference
from ._references import Agreement, CaseReferences, case_references

__version__ = "0.1.0"

__all__ = [
    "Agreement",
    "BackpropMismatch",
    "assert_backprop",
    "Case",
    "CaseError",
    "CaseResult",
    "Convention",
    "ConventionError",
    "Finding",
    "Report",
    "TargetError",
    "check",
    "random_case",
    "select_cases",
    "CaseReferences",
    "GradcheckError",
    "Isolated",
    "Limits",
    "Key",
    "Published",
    "QUANTITIES",
    "QuantityComparison",
    "Reference",
    "UnknownCaseError",
    "case_references",
    "compare",
    "fd_reference",
    "get_case",
    "jax_reference",
    "load_case",
    "load_catalogue",
    "published_reference",
]
