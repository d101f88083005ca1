"""pyreasoner: a declarative reasoner for the liability of Chinese e-commerce platforms.

The statutes and the competing scholarly views are Answer Set Programming rules
(``encodings/``, run by clingo); each view comes out as its own answer set.

>>> from pyreasoner import Reasoner
>>> reasoner = Reasoner()
>>> reasoner.issues["b"].label_en
'form of the civil corresponding liability of ECL 38(2)'
>>> "joint" in [v.id for v in reasoner.issues["b"].views]
True
"""

from .case import Case, Fact, load_case, load_cases
from .errors import CaseError, EncodingError, PyreasonerError, UsageError
from .expect import Expectation
from .provisions import Provision
from .reasoner import Reasoner
from .result import Answer, Outcome, Result
from .views import Issue, View

__all__ = [
    "Answer",
    "Case",
    "CaseError",
    "EncodingError",
    "Expectation",
    "Fact",
    "Issue",
    "Outcome",
    "Provision",
    "PyreasonerError",
    "Reasoner",
    "Result",
    "UsageError",
    "View",
    "load_case",
    "load_cases",
]
__version__ = "0.1.0"
