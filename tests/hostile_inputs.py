"""Kinds of bad input a hostile user may hand pyreasoner (issue 14), each a case file.

:func:`bad_inputs` returns ``(name, filename, content)``; ``tests/test_hostile.py`` writes
them to a folder and checks that every one gives its one-line message (pinned in
``tests/hostile_expected.json``) through the Python API, ``solve``, ``batch``, ``check``
and ``explain``, never a traceback. Part of the list is hand-written (document structure,
YAML and JSON quirks, ``.lp`` statements, files that are no text), part is drawn from the
vocabulary (one entry per argument type and way to get it wrong).
"""

from __future__ import annotations

import json

GOOD = ["party(p, platform)", "party(m, merchant)", "party(c, consumer)", "on_platform(m, p)", "sold(m, g, c)",
        "concerns_life_health(g)", "damage(c, g)"]


def _yaml(facts: list[str], *, head: str = "id: bad\n", status: str = "established") -> str:
    return head + f"facts:\n  {status}:\n" + "".join(f"    - {f}\n" for f in facts)


def _json(doc) -> str:
    return json.dumps(doc, ensure_ascii=False)


def _hand_written() -> list[tuple[str, str, str | bytes]]:
    deep_term = "party(" + "f(" * 3000 + "x" + ")" * 3000 + ", platform)"
    laughs = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]\n" for i in range(7))
    return [
        # --- files that are not case text
        ("empty_yaml", "empty.yaml", ""),
        ("empty_json", "empty.json", ""),
        ("empty_lp", "empty.lp", ""),
        ("blank_yaml", "blank.yaml", "   \n\n\t\n"),
        ("comments_only_lp", "comments.lp", "% nothing here\n%* block *%\n"),
        ("latin1_bytes", "latin1.yaml", "id: caf\xe9\n".encode("latin-1")),
        ("nul_bytes", "nul.json", b"\x00\x00\x00\x00"),
        ("binary_garbage", "garbage.yaml", bytes(range(128, 256))),
        ("utf16_file", "utf16.json", _json({"id": "a"}).encode("utf-16")),
        # --- document structure
        ("top_list", "top_list.yaml", "- id: a\n- id: b\n"),
        ("top_scalar", "top_scalar.yaml", "just text\n"),
        ("top_number_json", "top_number.json", "42"),
        ("top_null_json", "top_null.json", "null"),
        ("top_string_json", "top_string.json", '"id"'),
        ("missing_id", "missing_id.yaml", "facts:\n  established:\n    - party(p, platform)\n"),
        ("id_number", "id_number.yaml", "id: 42\nfacts: {}\n"),
        ("id_list", "id_list.yaml", "id: [a]\nfacts: {}\n"),
        ("id_spaces", "id_spaces.yaml", "id: two words\nfacts: {}\n"),
        ("id_slash", "id_slash.yaml", "id: ../etc/passwd\nfacts: {}\n"),
        ("id_empty", "id_empty.yaml", "id: ''\nfacts: {}\n"),
        ("id_control", "id_control.json", _json({"id": "a\u001b[31m", "facts": {}})),
        ("id_bool", "id_bool.yaml", "id: true\nfacts: {}\n"),
        ("title_number", "title_number.yaml", "id: a\ntitle: 3\nfacts: {}\n"),
        ("source_list", "source_list.yaml", "id: a\nsource: [x]\nfacts: {}\n"),
        ("notes_mapping", "notes_mapping.yaml", "id: a\nnotes: {x: 1}\nfacts: {}\n"),
        ("missing_facts", "missing_facts.yaml", "id: a\n"),
        ("facts_list", "facts_list.yaml", "id: a\nfacts:\n  - party(p, platform)\n"),
        ("facts_string", "facts_string.yaml", "id: a\nfacts: party(p, platform)\n"),
        ("status_scalar", "status_scalar.yaml", "id: a\nfacts:\n  established: party(p, platform)\n"),
        ("status_mapping", "status_mapping.yaml", "id: a\nfacts:\n  established: {party: [p, platform]}\n"),
        ("unknown_status_typo", "status_typo.yaml", "id: a\nfacts:\n  refutd: []\n"),
        ("unknown_top_key", "top_key.yaml", "id: a\nfacts: {}\nexpected: []\n"),
        ("unknown_top_key_case", "top_key_case.yaml", "ID: a\nfacts: {}\n"),
        ("expect_mapping", "expect_mapping.yaml", "id: a\nfacts: {}\nexpect: {all: []}\n"),
        ("expect_entry_scalar", "expect_scalar.yaml", "id: a\nfacts: {}\nexpect:\n  - yes\n"),
        ("expect_no_note", "expect_no_note.yaml", "id: a\nfacts: {}\nexpect:\n  - all: []\n"),
        ("expect_bad_atom", "expect_bad_atom.yaml",
         "id: a\nfacts: {}\nexpect:\n  - all: ['outcome(civil, p']\n    note: x\n"),
        ("expect_unknown_key", "expect_unknown_key.yaml", "id: a\nfacts: {}\nexpect:\n  - every: []\n    note: x\n"),
        # --- fact forms
        ("fact_number", "fact_number.yaml", _yaml(["42"])),
        ("fact_null", "fact_null.yaml", _yaml(["null"])),
        ("fact_bool", "fact_bool.yaml", _yaml(["true"])),
        ("fact_nested_list", "fact_list.yaml", _yaml(["[party, p, platform]"])),
        ("fact_two_keys", "fact_two_keys.yaml", _yaml(["{party: [p, platform], sold: [m, g, c]}"])),
        ("fact_empty_mapping", "fact_empty_mapping.yaml", _yaml(["{}"])),
        ("fact_number_key", "fact_number_key.yaml", _yaml(["{1: [p, platform]}"])),
        ("fact_compound_arg", "fact_compound.yaml", _yaml(["'sold(m, g(1), c)'"])),
        ("fact_variable", "fact_variable.yaml", _yaml(["'sold(M, g, c)'"])),
        ("fact_wildcard", "fact_wildcard.yaml", _yaml(["'sold(_, g, c)'"])),
        ("fact_empty_args", "fact_empty_args.yaml", _yaml(["'sold()'"])),
        ("fact_unclosed", "fact_unclosed.yaml", _yaml(["'sold(m, g, c'"])),
        ("fact_trailing", "fact_trailing.yaml", _yaml(["'sold(m, g, c) x'"])),
        ("fact_negated", "fact_negated.yaml", _yaml(["'not sold(m, g, c)'"])),
        ("fact_rule", "fact_rule.yaml", _yaml(["'damage(c, g) :- sold(m, g, c)'"])),
        ("fact_directive", "fact_directive.yaml", _yaml(["'#show damage/2'"])),
        ("fact_deep_term", "fact_deep.yaml", _yaml([f"'{deep_term}'"])),
        ("fact_huge_number", "fact_huge_number.yaml", _yaml(["'causal_weight(p, 99999999999)'"])),
        ("fact_emoji_entity", "fact_emoji.yaml", _yaml(["'party(\U0001F600, platform)'"])),
        ("fact_uppercase_pred", "fact_upper.yaml", _yaml(["'Party(p, platform)'"])),
        ("fact_unknown_pred", "fact_unknown.yaml", _yaml(["'bought(c, g)'"])),
        ("fact_twice", "fact_twice.yaml", _yaml(GOOD[:1] + GOOD[:1])),
        ("fact_two_statuses", "fact_two_statuses.yaml",
         "id: a\nfacts:\n  established:\n    - damage(c, g)\n  unknown:\n    - damage(c, g)\n"),
        ("fact_long_line", "fact_long.yaml", _yaml(["'party(" + "x" * 100_000 + " p, platform)'"])),
        ("fact_control_chars", "fact_control.json",
         _json({"id": "a", "facts": {"established": ["party(p,\u001b[2Jplatform)"]}})),
        ("fact_nul_char", "fact_nul.json", _json({"id": "a", "facts": {"established": ["party(p,\u0000platform)"]}})),
        # --- typed entities (issue 13, point 8)
        ("goods_as_merchant", "goods_as_merchant.yaml", _yaml(GOOD + ["on_platform(g, p)"])),
        ("consumer_as_platform", "consumer_as_platform.yaml", _yaml(GOOD[:3] + ["on_platform(m, c)"])),
        ("merchant_as_goods", "merchant_as_goods.yaml", _yaml(GOOD + ["concerns_life_health(m)"])),
        ("platform_as_consumer", "platform_as_consumer.yaml", _yaml(GOOD[:4] + ["sold(m, g, p)"])),
        ("thing_then_party", "thing_then_party.yaml", _yaml(["sold(m, g, c)", "on_platform(g, p)"])),
        ("party_zh_wrong_role", "party_zh.yaml", _yaml(["party(淘宝, consumer)", "party(m, merchant)",
                                                         "on_platform(m, 淘宝)"])),
        # --- YAML quirks
        ("yaml_syntax_unclosed", "yaml_unclosed.yaml", "id: a\nfacts: {established: [party(p, platform)\n"),
        ("yaml_tab_indent", "yaml_tab.yaml", "id: a\nfacts:\n\testablished: []\n"),
        ("yaml_duplicate_top", "yaml_dup_top.yaml", "id: a\nid: b\nfacts: {}\n"),
        ("yaml_duplicate_status", "yaml_dup_status.yaml", "id: a\nfacts:\n  established: []\n  established: []\n"),
        ("yaml_impossible_date", "yaml_bad_date.yaml", _yaml(["{order_date: [x, 2015-02-30]}"])),
        ("yaml_impossible_date_id", "yaml_bad_date_id.yaml", "id: 2015-13-01\nfacts: {}\n"),
        ("yaml_timestamp_tag", "yaml_ts_tag.yaml", "id: !!timestamp 2015-99-99\nfacts: {}\n"),
        ("yaml_binary_tag", "yaml_binary.yaml", _yaml(["!!binary aGVsbG8="])),
        ("yaml_bad_binary", "yaml_bad_binary.yaml", _yaml(["!!binary '%%%'"])),
        ("yaml_set_tag", "yaml_set.yaml", "id: a\nfacts:\n  established: !!set {a, b}\n"),
        ("yaml_python_tag", "yaml_python.yaml", "id: !!python/object:os.system {}\nfacts: {}\n"),
        ("yaml_unknown_tag", "yaml_unknown_tag.yaml", "id: !custom a\nfacts: {}\n"),
        ("yaml_float_tag", "yaml_float_tag.yaml", "id: !!float abc\nfacts: {}\n"),
        ("yaml_int_tag", "yaml_int_tag.yaml", "id: !!int abc\nfacts: {}\n"),
        ("yaml_billion_laughs", "yaml_laughs.yaml", laughs),
        ("yaml_recursive_alias", "yaml_recursive.yaml", "id: &a [*a]\nfacts: {}\n"),
        ("yaml_undefined_alias", "yaml_undef_alias.yaml", "id: *nothing\nfacts: {}\n"),
        ("yaml_deep_nesting", "yaml_deep.yaml", "id: a\nfacts: " + "[" * 5000 + "]" * 5000 + "\n"),
        ("yaml_two_documents", "yaml_two_docs.yaml", "id: a\nfacts: {}\n---\nid: b\nfacts: {}\n"),
        ("yaml_merge_key", "yaml_merge.yaml", "base: &b {id: a}\n<<: *b\nfacts: {}\n"),
        ("yaml_complex_key", "yaml_complex_key.yaml", "? [a, b]\n: c\nid: a\nfacts: {}\n"),
        ("yaml_null_key_status", "yaml_null_status.yaml", "id: a\nfacts:\n  ~: []\n"),
        # --- JSON quirks
        ("json_duplicate_key", "json_dup.json", '{"id": "a", "id": "b", "facts": {}}'),
        ("json_duplicate_nested", "json_dup_nested.json",
         '{"id": "a", "facts": {"established": [], "established": []}}'),
        ("json_syntax", "json_syntax.json", '{"id": "a", "facts": }'),
        ("json_trailing_comma", "json_trailing.json", '{"id": "a", "facts": {},}'),
        ("json_single_quotes", "json_single.json", "{'id': 'a'}"),
        ("json_nan", "json_nan.json", '{"id": "a", "facts": {"established": [{"causal_weight": ["p", NaN]}]}}'),
        ("json_infinity_weight", "json_inf.json",
         '{"id": "a", "facts": {"established": [{"causal_weight": ["p", Infinity]}]}}'),
        ("json_float_weight", "json_float.json",
         '{"id": "a", "facts": {"established": [{"causal_weight": ["p", 30.5]}]}}'),
        ("json_huge_int", "json_huge_int.json", '{"id": "a", "facts": {"established": [{"causal_weight": ["p", '
         + "9" * 5000 + "]}]}}"),
        ("json_deep_nesting", "json_deep.json", "[" * 100_000 + "]" * 100_000),
        ("json_two_documents", "json_two.json", '{"id": "a", "facts": {}}\n{"id": "b", "facts": {}}'),
        ("json_lone_surrogate", "json_surrogate.json", '{"id": "a\\ud800", "facts": {}}'),
        # --- .lp quirks
        ("lp_rule", "lp_rule.lp", "damage(c, g) :- sold(m, g, c).\n"),
        ("lp_constraint", "lp_constraint.lp", ":- damage(c, g).\n"),
        ("lp_weak", "lp_weak.lp", ":~ damage(c, g). [1]\n"),
        ("lp_show", "lp_show.lp", "#show damage/2.\n"),
        ("lp_script", "lp_script.lp", '#script (python) import os #end.\n'),
        ("lp_no_period", "lp_no_period.lp", "party(p, platform)\n"),
        ("lp_empty_statement", "lp_empty_stmt.lp", "party(p, platform). .\n"),
        ("lp_unterminated_comment", "lp_open_comment.lp", "party(p, platform).\n%* never closed\n"),
        ("lp_unterminated_string", "lp_open_string.lp", 'notice_text("abc).\n'),
        ("lp_choice", "lp_choice.lp", "{ damage(c, g) }.\n"),
        ("lp_disjunction", "lp_disjunction.lp", "damage(c, g) ; sold(m, g, c).\n"),
        ("lp_interval", "lp_interval.lp", "causal_weight(p, 1..5).\n"),
        ("lp_double_status", "lp_double_status.lp", "refuted(unknown(damage(c, g))).\n"),
        ("lp_twice", "lp_twice.lp", "party(p, platform).\nparty(p, platform).\n"),
        ("lp_two_statuses", "lp_two_statuses.lp", "damage(c, g).\nrefuted(damage(c, g)).\n"),
        ("lp_metadata_duplicate", "lp_meta_dup.lp", "%! id: a\n%! id: b\nparty(p, platform).\n"),
        ("lp_metadata_unknown_key", "lp_meta_key.lp", "%! ide: a\nparty(p, platform).\n"),
        ("lp_metadata_not_mapping", "lp_meta_list.lp", "%! - a\nparty(p, platform).\n"),
        ("lp_metadata_syntax", "lp_meta_syntax.lp", "%! id: [a\nparty(p, platform).\n"),
        ("lp_metadata_bad_id", "lp_meta_bad_id.lp", "%! id: two words\nparty(p, platform).\n"),
        ("lp_metadata_title_list", "lp_meta_title.lp", "%! title: [a]\nparty(p, platform).\n"),
        ("lp_metadata_expect_scalar", "lp_meta_expect.lp", "%! expect: 3\nparty(p, platform).\n"),
        ("lp_metadata_laughs", "lp_meta_laughs.lp", "".join("%! " + line + "\n" for line in laughs.splitlines())
         + "party(p, platform).\n"),
        ("lp_metadata_only", "lp_meta_only.lp", "%! id: a\n"),
        ("lp_unknown_pred", "lp_unknown.lp", "bought(c, g).\n"),
        ("lp_typed_entity", "lp_typed.lp", "party(c, consumer).\nparty(m, merchant).\non_platform(m, c).\n"),
        ("lp_negative_weight", "lp_negative.lp", "causal_weight(p, -30).\n"),
    ]


#: A wrong value per argument type: (label, value as written in a mapping fact).
_WRONG = {
    "entity": [("number", 42), ("uppercase", "Platform"), ("space", "two words"), ("empty", ""),
               ("digit_first", "1abc"), ("list", ["a"]), ("null", None), ("bool", True), ("float", 1.5)],
    "integer": [("negative", -1), ("text", "thirty"), ("float", 2.5), ("huge", 2 ** 40), ("bool", False),
                ("null", None), ("list", [1])],
    "date": [("impossible", "2015-02-30"), ("month_13", "2015-13-01"), ("int_impossible", 20150230),
             ("text", "yesterday"), ("slashes", "2015/02/01"), ("negative", -20150101), ("float", 2015.5)],
    "yuan": [("negative", -100), ("text", "100 yuan"), ("float", 99.9), ("huge", 2 ** 40)],
    "string": [("number", 7), ("list", ["a"]), ("null", None)],
    "set": [("typo", "platfrom"), ("number", 3), ("other_set", "merchant_x"), ("null", None)],
}


def _vocabulary_drawn(vocab) -> list[tuple[str, str, str | bytes]]:
    """One wrong value per argument type and way to get it wrong, each put into the first
    predicate of the vocabulary with an argument of that type; one wrong arity too."""
    out = []
    first_of: dict[str, tuple] = {}
    for pred in vocab.values():
        for arg in pred.arguments:
            first_of.setdefault(arg.type, (pred, arg))
    for typ, wrongs in _WRONG.items():
        if typ not in first_of:
            continue
        pred, arg = first_of[typ]
        for label, value in wrongs:
            args = [_good_value(a) for a in pred.arguments]
            args[arg.position - 1] = value
            doc = {"id": "bad", "facts": {"established": [{pred.name: args}]}}
            out.append((f"type_{typ}_{label}", f"type_{typ}_{label}.json", _json(doc)))
    pred = next(p for p in vocab.values() if p.arity == 3)
    for n in (0, 2, 4):
        text = pred.name + ("(" + ", ".join(_good_text(a) for a in (pred.arguments * 2)[:n]) + ")" if n else "")
        out.append((f"arity_{n}_of_3", f"arity_{n}.yaml", _yaml([f"'{text}'"])))
    pred = next(p for p in vocab.values() if p.arity == 1)
    out.append(("arity_2_of_1", "arity_2_of_1.yaml", _yaml([f"'{pred.name}(a, b)'"])))
    return out


def _good_value(arg):
    return {"entity": "x", "integer": 1, "date": 20150101, "yuan": 1, "string": "s", "count": 1,
            "amount": 1}.get(arg.type) or arg.values[0]


def _good_text(arg) -> str:
    value = _good_value(arg)
    return f'"{value}"' if arg.type == "string" else str(value)


def _jsonl_lines() -> list[tuple[str, str, str | bytes]]:
    """Bad lines of a JSON Lines corpus (each its own one-line file)."""
    return [
        ("jsonl_syntax", "syntax.jsonl", '{"id": "a", "facts": \n'),
        ("jsonl_duplicate_key", "dup.jsonl", '{"id": "a", "facts": {}, "facts": {}}\n'),
        ("jsonl_not_object", "array.jsonl", "[1, 2]\n"),
        ("jsonl_deep", "deep.jsonl", "[" * 50_000 + "]" * 50_000 + "\n"),
        ("jsonl_bad_utf8", "bad_utf8.jsonl", b'{"id": "a\xff", "facts": {}}\n'),
    ]


def bad_inputs(vocab) -> list[tuple[str, str, str | bytes]]:
    """Every kind of bad input: ``(name, filename, content)``; names and file names unique."""
    items = _hand_written() + _vocabulary_drawn(vocab)
    assert len({n for n, _, _ in items}) == len(items) and len({f for _, f, _ in items}) == len(items)
    return items


def bad_lines() -> list[tuple[str, str, str | bytes]]:
    return _jsonl_lines()
