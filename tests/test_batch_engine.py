"""The batch engine's case tagging (issue 6), on small programs written for the purpose:
a chunk grounded once must give each case exactly the answers of the reference path
(`_engine.solve`, one fresh ground per case), whatever the other cases of the chunk hold."""

from __future__ import annotations

import pytest
from pyreasoner import _engine
from pyreasoner.errors import EncodingError

STATUSES = ("established", "refuted", "unknown")
INPUTS = [(s, 1) for s in STATUSES] + [("fact_pred", 2)]


def _program(tmp_path, text: str) -> _engine.Program:
    path = tmp_path / "main.lp"
    path.write_text(text, encoding="utf-8")
    return _engine.without_comments(_engine.parse_program(path))


def _models(raw) -> tuple | None:
    """The answer sets as a sorted tuple of sorted tuples (engines differ in order only),
    or None when there is none."""
    return tuple(sorted(tuple(sorted(m, key=repr)) for m in raw.models)) if raw.satisfiable else None


def _reference(program, facts) -> tuple:
    """The answer sets of the reference path."""
    return _models(_engine.solve(program, [("fact_pred", (t, p)) for _, t, p in facts],
                                 [(s, (t,)) for s, t, _ in facts], []))


def _chunk(program, cases) -> list:
    tagged = _engine.tag_program(program, INPUTS, STATUSES)
    ground = _engine.ChunkGround(tagged, cases, [])
    out = []
    for k in range(len(cases)):
        out.append(_models(ground.solve(k, [])))
    return out


# Rules in cycles through negation: an even loop (two answer sets per case) and an odd
# loop that leaves a case with odd(X) without any. Unguarded, the inactive copies of such
# rules would make every case of the chunk unsatisfiable.
LOOPS = """
a(X) :- established(n(X)), not b(X).
b(X) :- established(n(X)), not a(X).
c(X) :- established(n(X)), odd(X), not c(X).
big(X) :- established(n(X)), X > 10.
count(N) :- N = #count { X : established(n(X)) }.
odd(3). odd(5).
#show a/1.
#show b/1.
#show big/1.
#show count/1.
"""


def test_each_case_of_a_chunk_gets_the_reference_answers(tmp_path):
    program = _program(tmp_path, LOOPS)
    cases = [
        [("established", ("n", (1,)), "n")],
        [("established", ("n", (3,)), "n")],  # the odd loop: no answer set
        [("established", ("n", (2,)), "n"), ("established", ("n", (12,)), "n")],
        [],
        [("unknown", ("n", (4,)), "n")],
    ]
    got = _chunk(program, cases)
    want = [_reference(program, c) for c in cases]
    assert got == want
    assert want[1] is None and len(want[0]) == 2 and len(want[2]) == 4  # the program is what it claims
    assert ("count", (2,)) in want[2][0]  # the aggregate counts the case's own facts only


def test_rules_in_a_negative_cycle_are_guarded(tmp_path):
    tagged = _engine.tag_program(_program(tmp_path, LOOPS), INPUTS, STATUSES)
    guarded = [str(s) for s in tagged.statements if "pyreasoner_active" in str(s) and "#show" not in str(s)
               and not str(s).startswith("pyreasoner_shown(")]  # a case's shown atoms, guarded too
    assert len(guarded) == 3 and all(s.split("(")[0] in ("a", "b", "c") for s in guarded)
    assert not any(str(s).startswith("big(") and "pyreasoner_active" in str(s) for s in tagged.statements)


def test_a_rule_that_needs_a_chosen_atom_is_not_guarded(tmp_path):
    """A negative cycle that passes through an atom only a choice defines is broken in
    every inactive copy (the choice is off there): its other rules stay unguarded, so
    the grounder still computes them."""
    program = _program(tmp_path, """
        { pick(X) } :- established(n(X)).
        high(X) :- established(n(X)), not low(X).
        low(X) :- pick(X), high(X).
        #show high/1.
        #show pick/1.
    """)
    tagged = _engine.tag_program(program, INPUTS, STATUSES)
    assert tagged.guarded == 1  # the choice rule only
    cases = [[("established", ("n", (1,)), "n")], [("established", ("n", (2,)), "n")]]
    assert _chunk(program, cases) == [_reference(program, c) for c in cases]


def test_only_the_rules_that_close_a_negative_cycle_are_guarded(tmp_path):
    """The shape of the prologue's burden of proof: true/1 is in a cycle through negation
    (true -> asked -> unproven -> counts -> true, with `not reversed`), but only the rule
    with the negative edge needs the guard. `true(F) :- established(F)` and the positive
    rules of the cycle stay unguarded, so the grounder settles them (an established fact
    is a fact of the ground program); the answers are the reference path's."""
    program = _program(tmp_path, """
        true(F) :- established(F).
        asked(d(X)) :- true(n(X)).
        unproven(F) :- asked(F), not established(F), not refuted(F).
        reversed(d(X)) :- unproven(d(X)), true(r(X)).
        counts(F) :- unproven(F), not reversed(F).
        true(F) :- counts(F).
        ok(X) :- true(d(X)).
        #show ok/1.
    """)
    tagged = _engine.tag_program(program, INPUTS, STATUSES)
    guarded = sorted(str(s).split("(")[0] for s in tagged.statements
                     if "pyreasoner_active" in str(s) and "#show" not in str(s) and not str(s).startswith("{")
                     and not str(s).startswith("pyreasoner_shown("))
    assert guarded == ["counts"]  # not true/1, asked, unproven or reversed
    cases = [[("established", ("n", (1,)), "n")], [("established", ("n", (2,)), "n"), ("established", ("r", (2,)), "r")],
             [("established", ("n", (3,)), "n"), ("established", ("d", (3,)), "d"), ("established", ("r", (3,)), "r")]]
    got, want = _chunk(program, cases), [_reference(program, c) for c in cases]
    assert got == want
    # unproven: counts as done, unless reversed; established: done either way
    assert want == [((("ok", (1,)),),), ((),), ((("ok", (3,)),),)]
    ground = _engine.ChunkGround(tagged, cases, [])
    atoms = ground._ctl.symbolic_atoms
    fact = atoms[_engine_symbol("true", 2, ("n", (3,)))]
    assert fact is not None and fact.is_fact  # settled by the grounder, not left to the solver


def _engine_symbol(name, k, term):
    import clingo
    from pyreasoner._engine.symbols import symbol_of
    return clingo.Function(name, [clingo.Number(k), symbol_of(term)])


@pytest.mark.parametrize("head", ["not q", "not not q", "2 = 3"])
def test_heads_that_act_as_constraints_are_guarded(tmp_path, head):
    """`not q :- B.`, `not not q :- B.` and a comparison head fail like #false: unguarded,
    an inactive copy would cut the shared choice of x for every case of the chunk."""
    program = _program(tmp_path, f"""
        {{ x }}.
        q :- established(a).
        {head} :- x, established(a).
        #show x/0.
    """)
    cases = [[], [("established", "a", "a")], []]
    got, want = _chunk(program, cases), [_reference(program, c) for c in cases]
    assert got == want and len(want[0]) == 2  # x free for the cases without a


def test_a_head_aggregate_is_tagged(tmp_path):
    program = _program(tmp_path, """
        #count { X : h(X) : established(n(X)) } = 1 :- established(n(_)).
        #show h/1.
    """)
    cases = [[("established", ("n", (1,)), "n"), ("established", ("n", (2,)), "n")], [("established", ("n", (3,)), "n")]]
    got, want = _chunk(program, cases), [_reference(program, c) for c in cases]
    assert got == want and len(want[0]) == 2


@pytest.mark.parametrize("text, reason", [
    ("-p(X) :- established(X).\n#show p/1.", "cannot give a case index"),
    ("p(X) :- established(X).\np(1, 2).\n#show p/1.", "p/1 depends on case facts and p/2 exists too"),
    ("p(X) :- established(X).\n#show p/2.", "p/1 depends on case facts and p/2 exists too"),
    ("p(X) :- established(X).\n#show.\n#show X : p(X, Y).", "p/1 depends on case facts and p/2 exists too"),
    ("p(X) :- established(X).\n#show -p/1.", "classically negated signature"),
    ("p(X) :- established(X).", "needs the encodings to say what they show"),
    ("p(PyreasonerCase) :- established(PyreasonerCase).", "reserved by the batch engine"),
    ("#external q(X) : established(X).\n#show q/1.", "depends on case facts"),
    ("p(X) :- established(X).\n#minimize { 1, X : p(X) }.\n#show p/1.", "does not know how to tag a Minimize"),
])
def test_what_cannot_be_tagged_is_refused_by_name(tmp_path, text, reason):
    with pytest.raises(EncodingError, match=reason):
        _engine.tag_program(_program(tmp_path, text), INPUTS, STATUSES)


def test_an_untaggable_rule_base_falls_back_to_the_reference_path(tmp_path, reasoner):
    """ChunkSolver keeps working (every case on its own) when the encodings cannot be
    tagged, and says why: here the bundled encodings plus one classically negated atom."""
    import json
    import shutil

    from pyreasoner import Reasoner
    from pyreasoner.batch import BatchConfig, ChunkSolver

    assert ChunkSolver(BatchConfig(), reasoner).untaggable is None
    copy = tmp_path / "encodings"
    shutil.copytree(reasoner.rulebase.master.parent, copy)
    main = copy / "main.lp"
    main.write_text(main.read_text(encoding="utf-8") + "\n-odd(X) :- true(X).\n", encoding="utf-8")
    solver = ChunkSolver(BatchConfig(), Reasoner(main))
    assert solver.tagged is None and "cannot give a case index to the atom -odd(X)" in solver.untaggable
    line = json.dumps({"id": "x", "facts": {"established": ["party(p, platform)"]}})
    record, timing = solver.solve_chunk([(0, "line", line, "<t>:1")])[0]
    assert timing["engine"] == "single" and json.loads(record)["consistent"] is True


def test_shown_atoms_read_by_number_are_those_read_by_symbol():
    """The chunk engine reads a model's shown symbols by their numbers in clingo's symbol
    table (``Model.symbols`` of clingo 5.8 keeps them in ``_p_symbols``); the same atoms,
    case indexes and terms as through ``Symbol`` objects. Fails if clingo stops exposing the
    numbers (the engine then reads the symbols, more slowly, with the same result)."""
    import clingo
    from pyreasoner._engine import chunk
    from pyreasoner.terms import Text

    ctl = clingo.Control(["0"])
    ctl.add("base", [], 'pyreasoner_shown(0, a(1, "x")). pyreasoner_shown(3, b). c(-2). '
                        '#show pyreasoner_shown/2. #show c/1.')
    ctl.ground([("base", [])])
    seen = []

    def on_model(model):
        seq = model.symbols(shown=True)
        seen.append((getattr(seq, "_p_symbols", None) is not None, chunk._shown_atoms(seq),
                     chunk._shown_atoms(list(seq))))

    ctl.solve(on_model=on_model)
    [(by_number, fast, slow)] = seen
    assert by_number and fast == slow
    assert sorted((k, v) for _, v, k in fast) == [(-1, ("c", (-2,))), (0, ("a", (1, Text("x")))), (3, "b")]


def test_every_case_of_a_chunk_is_read_from_one_call_by_its_shown_literals(tmp_path):
    """One solve call enumerates the answers of every case of the chunk (exactly one case
    active in each answer set), each read from the truth of its case's shown atoms: the
    same answers as the reference path, for a case with two answers, one with one, and
    one with four, side by side."""
    program = _program(tmp_path, LOOPS)
    cases = [[("established", ("n", (1,)), "n")], [("unknown", ("n", (4,)), "n")],
             [("established", ("n", (2,)), "n"), ("established", ("n", (12,)), "n")]]
    tagged = _engine.tag_program(program, INPUTS, STATUSES)
    assert tagged.shows_only_tagged
    ground = _engine.ChunkGround(tagged, cases, [])
    got = [_models(ground.solve(k, [])) for k in range(len(cases))]
    assert got == [_reference(program, c) for c in cases]
    assert [len(m) for m in got] == [2, 1, 4]
    assert ground.solve_calls == 1


def test_cases_with_the_same_answer_each_keep_it(tmp_path):
    """The chunk's call projects its answer sets on the shown atoms: two cases whose answer
    shows nothing would be one projection but for the marker of the active case, which is
    shown and never part of an answer. Three cases with the empty answer (one with a second
    answer) and one with none each get exactly theirs, from one call."""
    program = _program(tmp_path, "{ x } :- established(a).\n:- refuted(a).\n#show x/0.\n")
    cases = [[], [("unknown", "a", "a")], [("established", "a", "a")], [("refuted", "a", "a")]]
    tagged = _engine.tag_program(program, INPUTS, STATUSES)
    ground = _engine.ChunkGround(tagged, cases, [])
    got = [_models(ground.solve(k, [])) for k in range(len(cases))]
    assert got == [_reference(program, c) for c in cases]
    assert got == [((),), ((),), ((), ("x",)), None]
    assert ground.solve_calls == 1


def test_a_denied_atom_one_case_derives_does_not_take_the_answers_of_the_others(tmp_path):
    """The chunk's call assumes every case's denied atoms false. A copy that derives its
    denied atom by a plain rule has no answer set even while inactive, so that call gives no
    case an answer: each is then solved alone with its own denied atoms, with the answers of
    the reference path (found by the review of the one-call engine)."""
    program = _program(tmp_path, "d :- established(a).\n{ p(X) } :- established(X).\n#show d/0.\n#show p/1.\n")
    cases = [[("established", "a", "a")], [("established", "b", "b")], []]
    ground = _engine.ChunkGround(_engine.tag_program(program, INPUTS, STATUSES), cases, [])
    got = [_models(ground.solve(k, ["d"])) for k in range(len(cases))]
    want = [_models(_engine.solve(program, [("fact_pred", (t, p)) for _, t, p in c], [(s, (t,)) for s, t, _ in c],
                                  ["d"])) for c in cases]
    assert got == want == [None, ((), (("p", ("b",)),)), ((),)]
    assert ground.solve_calls == 1 + len(cases)


def test_answers_read_by_shown_symbols_are_each_given_once(tmp_path):
    """Where the encodings show what belongs to no case, the chunk's models are read by their
    shown symbols; the projection covers a show term's condition too (``b(1)`` of
    ``#show a(X) : b(X).``), so two models may show the same atoms: each answer is given once,
    as on the reference path (found by the review of the one-call engine)."""
    program = _program(tmp_path, "{ a(1); b(1) }.\nq :- established(a).\n#show a/1.\n#show a(X) : b(X).\n#show q/0.\n")
    cases = [[], [("established", "a", "a")]]
    tagged = _engine.tag_program(program, INPUTS, STATUSES)
    assert not tagged.shows_only_tagged
    ground = _engine.ChunkGround(tagged, cases, [])
    got = [ground.solve(k, []).models for k in range(len(cases))]
    assert [len(m) for m in got] == [2, 2]
    assert [_models(ground.solve(k, [])) for k in range(len(cases))] == [_reference(program, c) for c in cases]


def test_each_denied_set_keeps_its_own_share_of_the_solve_time(tmp_path):
    """A chunk solved under two denied sets (``pyreasoner diff`` with two view selections)
    makes one call for each; every case's solve time is its share of the call for its own
    set, whatever the order the cases and sets are asked in."""
    program = _program(tmp_path, LOOPS)
    cases = [[("established", ("n", (1,)), "n")], [("established", ("n", (2,)), "n")]]
    ground = _engine.ChunkGround(_engine.tag_program(program, INPUTS, STATUSES), cases, [])
    first = [ground.solve(0, []), ground.solve(0, [("a", (1,))])]
    second = [ground.solve(1, []), ground.solve(1, [("a", (1,))])]
    assert ground.solve_calls == 2
    assert [r.solve_seconds for r in first] == [r.solve_seconds for r in second]
    assert first[0].solve_seconds != first[1].solve_seconds


def test_a_chunk_whose_call_times_out_solves_each_case_alone(tmp_path, monkeypatch):
    """Past the time limit the chunk's call is given up and each case gets a call of its
    own, with its own limit, and the same answers (the marker left out)."""
    from pyreasoner._engine import chunk

    program = _program(tmp_path, LOOPS)
    cases = [[("established", ("n", (1,)), "n")], [("established", ("n", (2,)), "n")]]
    ground = _engine.ChunkGround(_engine.tag_program(program, INPUTS, STATUSES), cases, [])
    run = chunk._run
    calls: list[int] = []

    def slow_first(ctl, assumptions, on_model, deadline):
        calls.append(len(assumptions))
        if len(calls) == 1:
            raise TimeoutError("time limit reached")
        return run(ctl, assumptions, on_model, deadline)

    monkeypatch.setattr(chunk, "_run", slow_first)
    got = [_models(ground.solve(k, [], timeout=5.0)) for k in range(len(cases))]
    assert got == [_reference(program, c) for c in cases]
    assert ground.solve_calls == 3 and calls == [0, 1, 1]


def test_the_fast_truth_read_is_clingo_model_is_true():
    """The chunk engine reads a literal's truth through clingo 5.8's C call (one cell a
    model) instead of ``Model.is_true`` (a cell a call): both give the same terms. Fails if
    clingo's layout changes (the engine then takes the public call, with the same result)."""
    import clingo
    from pyreasoner._engine import chunk

    assert chunk._true_of is chunk._true_of_c
    ctl = clingo.Control(["0"])
    ctl.add("base", [], "{ a; b }. c :- a. #show a/0. #show c/0.")
    ctl.ground([("base", [])])
    items = [(sa.literal, sa.symbol.name) for sa in ctl.symbolic_atoms]
    seen = []
    ctl.solve(on_model=lambda m: seen.append((chunk._true_of_c(m, items), chunk._true_of_api(m, items),
                                               tuple(s.name for s in m.symbols(atoms=True)))))
    assert len(seen) == 4
    for fast, public, atoms in seen:
        assert fast == public and sorted(fast) == sorted(atoms)


def test_the_ground_atoms_listed_by_c_calls_are_those_of_by_signature(monkeypatch):
    """The chunk engine lists the literals and symbol numbers of its shown atoms through
    clingo 5.8's C calls: the same pairs as ``SymbolicAtoms.by_signature``, and the same
    through the public calls (any other clingo). Fails if clingo's layout changes."""
    import clingo
    from pyreasoner._engine import symbols

    ctl = clingo.Control(["0"])
    ctl.add("base", [], 'p(1). p("x"). { p(f(a, -2)); p(b) }. p(1, 2). q(3).')
    ctl.ground([("base", [])])
    want = [(sa.literal, sa.symbol) for sa in ctl.symbolic_atoms.by_signature("p", 1)]
    assert len(want) == 4
    fast = symbols.atoms_of(ctl.symbolic_atoms, "p", 1)
    assert [(lit, clingo.Symbol(rep)) for lit, rep in fast] == want
    assert symbols.atoms_of(ctl.symbolic_atoms, "r", 1) == []
    monkeypatch.setattr(symbols, "_FAST", False)
    assert symbols.atoms_of(ctl.symbolic_atoms, "p", 1) == fast


def test_terms_read_by_symbol_number_are_value_of():
    """The chunk engine turns a shown symbol into a Python term from its number in clingo's
    symbol table, through clingo 5.8's C calls (each argument memoised by its number): the
    same term as ``value_of`` for every kind of symbol an answer can hold."""
    import clingo
    from pyreasoner._engine import symbols
    from pyreasoner._engine.symbols import value_of

    assert symbols._FAST
    syms = clingo.parse_term('f(-3, 0, "平台 \\"x\\"", g(a, (1, b)), (), (c,), -h(1), #inf, #sup, "")').arguments
    syms += [clingo.Function("k"), clingo.Number(2**31 - 1), clingo.Function("", [])]
    for sym in syms:
        assert symbols._value_of_rep_c(sym._rep) == value_of(sym), str(sym)
        assert symbols._VALUE_BY_REP[sym._rep] == value_of(sym)
    # a model's shown symbols: by number and by Symbol, the same sort keys and terms
    ctl = clingo.Control(["0"])
    ctl.add("base", [], 'p(-1). p("s"). p(q(a, (1, 2))). p(b). #show p/1.')
    ctl.ground([("base", [])])
    seen = []

    def on_model(model):
        shown = model.symbols(shown=True)
        seen.append((symbols.keyed_terms(shown), symbols.keyed_terms(list(shown))))

    ctl.solve(on_model=on_model)
    [(fast, slow)] = seen
    assert fast == slow and len(fast) == 4


def test_the_arguments_read_by_symbol_number_are_those_of_the_symbol():
    """The chunk engine reads the case index and the term of each shown atom
    ``pyreasoner_shown(K, A)`` by the numbers of its two arguments (C calls on clingo 5.8,
    ``Symbol.arguments`` elsewhere): the same symbols, none for a symbol that is no function
    with arguments."""
    import clingo
    from pyreasoner._engine import symbols

    F, N, S = clingo.Function, clingo.Number, clingo.String
    g = F("g", [F("a"), S("x")])
    cases = [(F("pyreasoner_shown", [N(3), g]), [N(3), g]), (F("k"), []), (N(7), []), (S("s"), []),
             (F("", [N(1), N(-2)]), [N(1), N(-2)]), (F("h", [F("b")], False), [F("b")])]
    for sym, args in cases:  # symbols are interned: an argument's number is that of the same symbol built alone
        want = [a._rep for a in args]
        assert list(symbols._arguments_of_rep_c(sym._rep)) == want, str(sym)
        assert list(symbols._arguments_of_rep_api(sym._rep)) == want, str(sym)


def test_an_atom_shown_twice_is_one_answer_on_both_paths(tmp_path):
    """``#show a/1.`` beside ``#show a(X) : b(X).``: clingo lists a(1) twice in a model where
    b(1) holds, and projects on the output's literals, so b(1) true or false gave the
    reference path two answers (one with a(1) twice) for one set of shown atoms. Both paths
    give one answer, {a(1)}; the chunk engine did already."""
    program = _program(tmp_path, """
        { b(X) } :- established(n(X)).
        a(X) :- established(n(X)).
        #show a/1.
        #show a(X) : b(X).
    """)
    cases = [[("established", ("n", (1,)), "n")], [("established", ("n", (2,)), "n")]]
    want = [((("a", (1,)),),), ((("a", (2,)),),)]
    assert [_reference(program, c) for c in cases] == want
    assert _chunk(program, cases) == want
    raw = _engine.solve(program, [("fact_pred", (("n", (1,)), "n"))], [("established", (("n", (1,)),))], [])
    assert raw.models == ((("a", (1,)),),)  # not sorted into one: a single answer of a single atom
