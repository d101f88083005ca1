"""Benchmark: explained cases per second, against a plain solve and against xclingo.

Run from the checkout::

    python bench/bench_explain.py                 # the bundled cases, repeated
    python bench/bench_explain.py --cases cases --rounds 5 --xclingo-cases 3

It prints three rates over the same cases (every answer set of every case, no view
fixed):

* ``plain``     :meth:`pyreasoner.Reasoner.solve` (what ``solve``/``batch`` do per case);
* ``explained`` :func:`pyreasoner.explain.explain_all` after the solve (what
  ``batch --explain`` does per case: a derivation tree for every outcome of every
  answer, and the relevance of unknown facts);
* ``xclingo``   xclingo 2 on the same rules with every rule traced (``autotrace_all``),
  an explanation of every ``outcome/4`` atom of every answer set.

xclingo is not a dependency of pyreasoner. Install it for the benchmark only::

    pip install --no-deps xclingo      # 2.0b24 pins clingo==5.8.0 and needs clingraph
                                       # only for its command line; --no-deps keeps clingo 5.8.x

xclingo 2.0b24 cannot run the encodings as written: its translation of a rule with
an anonymous variable ``_`` in a positive body literal produces unsafe variables
("'#Anon0' is unsafe"). The benchmark therefore also tries a variant of the rules in
which every anonymous variable of a positive body literal or comparison is renamed
to a fresh named variable (the same answer sets), and says which variant it timed.
If xclingo is missing or fails on both, it prints why and the comparison is reported
as not measurable.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pyreasoner import Reasoner  # noqa: E402
from pyreasoner.case import Case, find_case_files  # noqa: E402
from pyreasoner.explain import explain_all  # noqa: E402


def _load(reasoner: Reasoner, paths: list[str]) -> list[Case]:
    cases: list[Case] = []
    for p in find_case_files(paths):
        try:
            cases.append(reasoner.load(p))
        except Exception as exc:  # a broken case is skipped, not fatal
            print(f"skipped {p}: {exc}", file=sys.stderr)
    return cases


def _rate(n: int, seconds: float) -> str:
    return f"{n / seconds:8.1f} cases/s ({seconds * 1000 / max(n, 1):7.2f} ms/case)"


def _flatten(master: Path) -> str:
    out = []
    for line in master.read_text(encoding="utf-8").splitlines():
        m = re.match(r'\s*#include\s+"([^"]+)"\s*\.', line)
        out.append(_flatten((master.parent / m.group(1)).resolve()) if m else line)
    return "\n".join(out)


def _rename_anonymous(text: str) -> str:
    """The same program with each anonymous variable of a positive body literal or a
    comparison renamed to a fresh named variable (one counter per rule)."""
    from clingo import ast

    class Anon(ast.Transformer):
        def __init__(self) -> None:
            self.n = 0

        def visit_Variable(self, node: ast.AST) -> ast.AST:
            if node.name != "_":
                return node
            self.n += 1
            return ast.Variable(node.location, f"AnonVar{self.n}")

    out: list[str] = []

    def on(stm: ast.AST) -> None:
        if stm.ast_type == ast.ASTType.Rule:
            anon = Anon()
            body = [anon(lit) if lit.ast_type == ast.ASTType.Literal and lit.sign == ast.Sign.NoSign else lit
                    for lit in stm.body]
            stm = stm.update(body=body)
        if stm.ast_type != ast.ASTType.Program:
            out.append(str(stm))

    ast.parse_string(text, on)
    return "\n".join(out)


def _xclingo_program(reasoner: Reasoner, case: Case, rename: bool) -> str:
    rules = _flatten(reasoner.rulebase.master)
    if rename:
        rules = _rename_anonymous(rules)
    case_part = "\n".join(ln for ln in reasoner.program(case).splitlines() if not ln.startswith("#include"))
    return rules + "\n" + case_part + "\n%!show_trace {outcome(K,X,F,B)}.\n"


def _xclingo_run(text: str) -> int:
    # xclingo is optional (not in any extra: pip install --no-deps xclingo) and has no type information
    from xclingo import XclingoControl  # type: ignore[import-not-found]
    from xclingo.extensions import load_xclingo_extension  # type: ignore[import-not-found]

    ctl = XclingoControl(["0", "--project=show"], n_explanations="1")
    ctl.extend_explainer("base", [], load_xclingo_extension("autotrace_all.lp"))
    ctl.add("base", [], text)
    ctl.ground([("base", [])])
    trees = 0
    for model in ctl.solve():
        for graph in model.explain_model():
            for sym in graph.show_trace:
                if graph.explain(sym) is not None:
                    trees += 1
    return trees


def bench_xclingo(reasoner: Reasoner, cases: list[Case]) -> tuple[str, float | None, int]:
    try:
        import xclingo  # noqa: F401
    except ImportError:
        return "xclingo is not installed (pip install --no-deps xclingo)", None, 0
    reasons: list[str] = []
    for rename, label in ((False, "rules as written"), (True, "anonymous variables renamed")):
        try:
            t0 = time.perf_counter()
            trees = sum(_xclingo_run(_xclingo_program(reasoner, c, rename)) for c in cases)
            return label, time.perf_counter() - t0, trees
        except Exception as exc:  # xclingo raises its own error types
            reasons.append(f"{label}: {type(exc).__name__}: {' '.join(str(exc).split())[:160]}")
    return "xclingo failed: " + " | ".join(reasons), None, 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cases", nargs="+", default=[str(ROOT / "cases")], help="case files or folders")
    ap.add_argument("--rounds", type=int, default=5, help="passes over the cases (default 5)")
    ap.add_argument("--xclingo-cases", type=int, default=0,
                    help="cases given to xclingo, an even sample of the corpus (default: all, one round)")
    args = ap.parse_args(argv)

    reasoner = Reasoner()
    cases = list(_load(reasoner, args.cases))
    if not cases:
        print("no cases")
        return 1
    n = len(cases) * args.rounds
    print(f"{len(cases)} cases x {args.rounds} rounds; {len(reasoner.rulebase.program.statements)} statements")

    for c in cases:  # warm-up: parse, rule table, metadata
        explain_all(reasoner, c, reasoner.solve(c))

    t0 = time.perf_counter()
    results = []
    for _ in range(args.rounds):
        results = [reasoner.solve(c) for c in cases]
    plain = time.perf_counter() - t0

    t0 = time.perf_counter()
    trees = 0
    for _ in range(args.rounds):
        for c in cases:
            doc = explain_all(reasoner, c, reasoner.solve(c))
            trees += sum(len(a["explanations"]) for a in doc["answers"])
    explained = time.perf_counter() - t0

    print(f"plain      {_rate(n, plain)}")
    print(f"explained  {_rate(n, explained)}  [{trees // args.rounds} outcome trees per round; "
          f"{explained / plain:.1f}x the plain time]")

    step = max(1, len(cases) // args.xclingo_cases) if args.xclingo_cases else 1
    xcases = cases[::step][: args.xclingo_cases] if args.xclingo_cases else cases  # an even sample
    label, seconds, xtrees = bench_xclingo(reasoner, xcases)
    if seconds is None:
        print(f"xclingo    not measurable: {label}")
        return 0
    # the same cases, explained by pyreasoner, right after xclingo (same machine load)
    t0 = time.perf_counter()
    ours_trees = 0
    for c in xcases:
        doc = explain_all(reasoner, c, reasoner.solve(c))
        ours_trees += sum(len(a["explanations"]) for a in doc["answers"])
    ours = time.perf_counter() - t0
    print(f"xclingo    {_rate(len(xcases), seconds)}  [{label}; {xtrees} outcome trees]")
    print(f"explained  {_rate(len(xcases), ours)}  [the same {len(xcases)} cases; {ours_trees} outcome trees]")
    print(f"explained / xclingo speed on the same cases: {seconds / ours:.1f}x (target >= 10x)")
    del results
    return 0


if __name__ == "__main__":
    sys.exit(main())
