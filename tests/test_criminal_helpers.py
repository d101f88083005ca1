"""Builders of criminal cases shared by tests/test_criminal_*.py (this module holds no tests).

A provider gets a complete Art. 286-1 fact set by default (valid order, refusal,
ability, intent, a breached duty, a consequence); tests drop or change one fact to
see one element fail, and read the shown atoms to check the basis cited.
"""

from __future__ import annotations

from pyreasoner.case import Case, case_from_data

CRIME = "outcome(criminal,{x},crime(refusal_network_security_duty),crl_286_1_1)"


def order_facts(x: str, o: str, area: str, *, date: int = 20200301, deadline: int | None = 20200331,
                reg: str = "cac") -> list[str]:
    facts = [f"ordered_to_correct({reg}, {x}, {o})", f"order_date({o}, {date})", f"order_cites_law({o})",
             f"order_measures_clear({o})", f"order_form({o}, written)", f"order_concerns({o}, {area})", f"received_order({x}, {o})",
             f"failed_to_correct({x}, {o})", f"able_to_comply({x}, {o})",
             f"tolerated_consequence({x}, {o})"]
    if deadline is not None:
        facts.append(f"order_deadline({o}, {deadline})")
    return facts


def provider(x: str, *, service: str = "information_publishing", form: str = "natural_person",
             area: str = "user_information", leak: int = 600, **order_kw) -> list[str]:
    """A provider that meets every element of Art. 286-1(1) through a leak of
    ``leak`` sensitive items (ji2019_15 Art. 4(1)) after refusing an order."""
    facts = [f"party({x}, person)", f"legal_form({x}, {form})", f"provides_service({x}, {service})"]
    facts += order_facts(x, f"o_{x}", area, **order_kw)
    facts += [f"security_measure_missing({x}, {area})"]
    if leak:
        facts.append(f"leaked_user_information({x}, sensitive, {leak})")
    return facts


REGULATOR = ["party(cac, regulator)", "regulator_kind(cac, cyberspace)"]


def make_case(vocab, established: list[str], refuted: list[str] = (), unknown: list[str] = (),
              case_id: str = "unit") -> Case:
    facts = {"established": list(dict.fromkeys(established))}
    if refuted:
        facts["refuted"] = list(refuted)
    if unknown:
        facts["unknown"] = list(unknown)
    return case_from_data({"id": case_id, "facts": facts}, vocab, file=f"<{case_id}>")


def atoms_in_all(result) -> set[str]:
    """The shown atoms common to every answer."""
    assert result.consistent and result.answers, "expected at least one answer"
    common = set(result.answers[0].atoms)
    for a in result.answers[1:]:
        common &= set(a.atoms)
    return common


def atoms_in_any(result) -> set[str]:
    return {x for a in result.answers for x in a.atoms}
