"""gradcheck: check hand-written backpropagation against finite differences,
JAX autodiff and published numbers."""

from ._case import Case, Published
from ._case_file import load_case
from ._catalogue import get_case, load_catalogue
from ._compare import QuantityComparison, compare
from ._errors import CaseError, GradcheckError, UnknownCaseError
from ._finite_diff import fd_reference
from ._jax_reference import jax_reference
from ._published import published_reference
from ._quantities import QUANTITIES, Key, Reference
from ._references import Agreement, CaseReferences, case_references

__version__ = "0.1.0"

__all__ = [
    "Agreement",
    "Case",
    "CaseError",
    "CaseReferences",
    "GradcheckError",
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
