"""The exported JSON Schema accepts every bundled case and rejects malformed ones."""

from __future__ import annotations

import json

import jsonschema
import pytest
import yaml
from pyreasoner import Reasoner
from pyreasoner.case import find_case_files

from conftest import BAD_CASES, CASES

SCHEMA = Reasoner().vocabulary.json_schema()
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)


def _doc(path):
    text = path.read_text(encoding="utf-8")
    return json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)


def test_schema_is_valid():
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


@pytest.mark.parametrize("path", [p for p in find_case_files([CASES]) if p.suffix != ".lp"], ids=lambda p: p.stem)
def test_bundled_case_is_accepted(path):
    errors = sorted(VALIDATOR.iter_errors(_doc(path)), key=str)
    assert not errors, errors[0].message


@pytest.mark.parametrize("name", ["unknown_predicate.yaml", "wrong_arity.yaml", "outside_closed_set.yaml",
                                  "wrong_type_integer.yaml", "wrong_type_entity.yaml", "unknown_status.yaml",
                                  "unknown_key.yaml", "injection_string.yaml", "missing_expect_note.yaml"])
def test_malformed_case_is_rejected(name):
    assert not VALIDATOR.is_valid(_doc(BAD_CASES / name))
