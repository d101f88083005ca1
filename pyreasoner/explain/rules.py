"""Rule metadata: where each rule of a rule table is and which provision it rests on.

Each rule is known by its place (``statutes/ecl_38.lp:26``) and by the citation
block ``%% [provision_id] ...`` that heads its group (docs/encodings.md); a rule in a
view file by the ``adopt(I, V)`` in its body.

>>> _comment_above(["% the claimant proves it", "a :- b."], 2)
'the claimant proves it'
"""

from __future__ import annotations

from pathlib import Path

from .. import _engine, citations
from ..contract import ADOPT
from ..terms import Raw
from .model import RuleInfo
from .patterns import _ground_pattern, _head, _sig_of_pattern

# ------------------------------------------------------------- rule metadata


def _comment_above(lines: list[str], line: int) -> str:
    """The ``%`` comment lines directly above line ``line`` (1-based), joined."""
    out: list[str] = []
    k = line - 2
    while k >= 0 and lines[k].strip().startswith("%"):
        text = lines[k].strip().lstrip("%").strip()
        if citations.HEAD.match(lines[k].strip()):
            break
        out.append(text)
        k -= 1
    return " ".join(reversed([t for t in out if t]))


class _Meta:
    """Rule metadata for a rule table: RuleInfo per rule index, static predicates."""

    def __init__(self, table: _engine.RuleTable) -> None:
        root = Path(table.program.master).resolve().parent
        cache: dict[str, tuple[tuple[citations.Block, ...], list[str]]] = {}
        infos: list[RuleInfo] = []
        for r in table.rules:
            if r.file not in cache:
                cache[r.file] = citations.read_file(r.file)
            blocks, lines = cache[r.file]
            block = citations.at(blocks, r.line)
            prov, dev = (None, "") if block is None else (block.provision, block.deviation)
            try:
                rel = Path(r.file).resolve().relative_to(root).as_posix()
            except ValueError:
                rel = r.file
            view: tuple[str, str] | None = None
            for kind, _, pat in r.body:
                if kind == "pos" and pat is not None and pat[0] == "f" and (pat[1], len(pat[2])) == ADOPT \
                        and all(a[0] == "c" for a in pat[2]):
                    view = (str(pat[2][0][1]), str(pat[2][1][1]))
            infos.append(RuleInfo(id=f"{rel}:{r.line}", file=rel, line=r.line, text=" ".join(r.text.split()),
                                  provision=prov, deviation=dev, comment=_comment_above(lines, r.line) if lines else "",
                                  view=view))
        self.infos = tuple(infos)
        sigs_rule = {_sig_of_pattern(_head(r)) for r in table.rules if not r.fact}
        self.static = {_sig_of_pattern(_head(r)) for r in table.rules if r.fact} - sigs_rule
        self.by_sig: dict[tuple[str, int], list[_engine.RuleEntry]] = {}
        self.fact_at: dict[Raw, RuleInfo] = {}
        for r in table.rules:
            if r.fact:
                ground = _ground_pattern(_head(r))
                if ground is not None:
                    self.fact_at.setdefault(ground, self.infos[r.index])
            else:
                self.by_sig.setdefault(_sig_of_pattern(_head(r)), []).append(r)


_METAS: dict[int, tuple[_engine.RuleTable, _Meta]] = {}


def _meta(table: _engine.RuleTable) -> _Meta:
    hit = _METAS.get(id(table))
    if hit is not None and hit[0] is table:
        return hit[1]
    meta = _Meta(table)
    _METAS[id(table)] = (table, meta)
    return meta
