"""Property-based: random documents and random text never crash the loader.

At least 10,000 random documents go through the loader; the only exception it may
raise is the typed CaseError.
"""

from __future__ import annotations

import string

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pyreasoner import CaseError, Reasoner
from pyreasoner.case import case_from_data, load_case

VOCAB = Reasoner().vocabulary
PREDS = sorted(VOCAB)

scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True),
                    st.text(max_size=12), st.sampled_from(["m", "p", "c", "g", "platform", "20151101",
                                                           "2015-11-01", "intentional"]))
fact_strings = st.builds(lambda p, args: f"{p}({', '.join(args)})", st.sampled_from(PREDS + ["x", "sold_"]),
                         st.lists(st.text(alphabet=string.ascii_lowercase + string.digits + '"_(), .:-#\\',
                                          max_size=6), max_size=4))
fact_maps = st.dictionaries(st.sampled_from(PREDS + ["zz"]), st.one_of(scalars, st.lists(scalars, max_size=4)),
                            min_size=0, max_size=2)
facts = st.lists(st.one_of(fact_strings, fact_maps, scalars), max_size=5)
json_like = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                          st.dictionaries(st.text(max_size=5), inner, max_size=3)),
                         max_leaves=10)
documents = st.one_of(
    json_like,
    st.fixed_dictionaries(
        {"id": st.one_of(st.text(max_size=8), st.integers(), st.just("ok_id")),
         "facts": st.one_of(st.dictionaries(st.sampled_from(["established", "refuted", "unknown", "other"]),
                                            st.one_of(facts, scalars), max_size=3), scalars)},
        optional={"title": json_like, "expect": st.one_of(st.lists(json_like, max_size=2), scalars),
                  "source": scalars, "extra": scalars}),
)


@settings(max_examples=10_000, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
@given(documents)
def test_random_documents_raise_only_case_errors(doc):
    try:
        case = case_from_data(doc, VOCAB, file="<fuzz>")
    except CaseError as exc:
        assert str(exc).startswith("<fuzz>") and "\n" not in str(exc)
    else:
        assert case.id and all(f.predicate in VOCAB for f in case.facts)


@settings(max_examples=1_000, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
@given(st.text(max_size=200), st.sampled_from([".yaml", ".json", ".lp"]))
def test_random_text_files_raise_only_case_errors(tmp_path_factory, text, suffix):
    path = tmp_path_factory.mktemp("fuzz") / f"case{suffix}"
    path.write_text(text, encoding="utf-8")
    try:
        load_case(path, VOCAB)
    except CaseError as exc:
        assert str(exc).startswith(str(path))


# The term reader's fast path for flat atoms must give exactly what the tokenizer gives
# (the same term, or an error) on every text, near-misses included.
near_atoms = st.builds(
    lambda pad1, name, pad2, args, close: f"{pad1}{name}{pad2}({','.join(args)}{close}",
    st.sampled_from(["", " ", "\t", "\n"]),
    st.sampled_from(["sold", "a", "x_1", "Sold", "_", "9a", ""]),
    st.sampled_from(["", " "]),
    st.lists(st.one_of(st.text(alphabet=string.ascii_letters + string.digits + ' _-"()\t', max_size=5),
                       st.integers(min_value=-2 ** 32, max_value=2 ** 32).map(str)), max_size=4),
    st.sampled_from([")", ") ", "", "))", ")x"]),
)


@settings(max_examples=5_000, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
@given(st.one_of(near_atoms, st.text(max_size=20)))
def test_fast_term_reading_agrees_with_the_tokenizer(text):
    from pyreasoner import terms

    def read(f):
        try:
            return ("ok", f(text))
        except ValueError as exc:
            return ("error", str(exc))

    assert read(terms.parse) == read(terms._parse_tokens)
