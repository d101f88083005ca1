"""The project stands alone: no file names the working map, the shared statute notes or the
folder of source papers that lay outside the repository while it was written (issue #12,
section 4). The papers and statutes are cited by author, title and section, or by law,
article and paragraph; their full references are in ``docs/sources.md``.

The forbidden names are built from pieces, so that this file does not contain them."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from conftest import ROOT

#: Names of files outside the repository that nothing inside it may point at.
FORBIDDEN = ("DOC" + "TRINE", "STATUTES" + ".md", "seeds" + "/", ".." + "/shared")

#: Folders that are not part of the project's text even when present in a checkout.
_SKIP_DIRS = {".git", ".venv", "build", "dist", "__pycache__", ".pytest_cache", ".mypy_cache", ".ruff_cache"}


def _project_files(root: Path) -> list[str]:
    """The tracked files (``git ls-files``); outside a git checkout, every file under the root."""
    try:
        out = subprocess.run(["git", "ls-files", "-z"], cwd=root, capture_output=True, check=True).stdout
        names = [n for n in out.decode("utf-8").split("\0") if n]
        if names:
            return names
    except (OSError, subprocess.CalledProcessError):
        pass
    return sorted(str(p.relative_to(root)) for p in root.rglob("*")
                  if p.is_file() and not _SKIP_DIRS & set(p.relative_to(root).parts)
                  and not any(part.endswith(".egg-info") for part in p.relative_to(root).parts))


def _offences(root: Path, names: list[str]) -> list[str]:
    """One ``file:line: names 'X'`` entry per forbidden name on a line of a text file."""
    found = []
    for name in names:
        path = root / name
        if not path.is_file():          # deleted in the working tree, not yet committed
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:      # a binary file cannot cite anything
            continue
        for number, line in enumerate(text.splitlines(), 1):
            found += [f"{name}:{number}: names {word!r}" for word in FORBIDDEN if word in line]
    return found


def test_no_file_names_a_file_outside_the_repository():
    assert _offences(ROOT, _project_files(ROOT)) == []


def test_the_scan_reports_each_forbidden_name_with_its_line(tmp_path):
    """The scan is not vacuous: each forbidden name on its own line is reported there."""
    lines = ["clean line"] + [f"see {word} for this" for word in FORBIDDEN]
    (tmp_path / "probe.lp").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (tmp_path / "clean.md").write_text("Qin 2025, §5.2.3; E-Commerce Law Art. 38(2)\n", encoding="utf-8")
    assert _offences(tmp_path, ["probe.lp", "clean.md"]) == [
        f"probe.lp:{i}: names {word!r}" for i, word in enumerate(FORBIDDEN, 2)]


def test_the_scan_covers_the_encodings_cases_docs_and_code():
    names = _project_files(ROOT)
    for folder in ("encodings/", "cases/", "docs/", "pyreasoner/", "tests/"):
        assert any(n.startswith(folder) for n in names), folder


def _declared_instruments() -> dict[str, set[str]]:
    """Chinese short title of each instrument in the provision/5 facts -> the provision ids."""
    pat = re.compile(r'^provision\((\w+),\s*"([^"]*)"', re.MULTILINE)
    found: dict[str, set[str]] = {}
    for path in sorted((ROOT / "encodings").rglob("*.lp")):
        for m in pat.finditer(path.read_text(encoding="utf-8")):
            found.setdefault(m.group(2), set()).add(m.group(1))
    return found


def test_every_cited_instrument_has_a_full_reference_in_docs_sources():
    """Each statute, regulation or interpretation a provision/5 fact names has its row in the
    table of docs/sources.md (short title as in the fact, official title, number, dates)."""
    rows = [line.split("|") for line in (ROOT / "docs" / "sources.md").read_text(encoding="utf-8").splitlines()
            if line.startswith("| `")]
    listed = {cells[2].strip(): cells for cells in rows}
    instruments = _declared_instruments()
    assert len(instruments) >= 10
    missing = sorted(set(instruments) - set(listed))
    assert missing == [], f"instruments cited by provision/5 with no row in docs/sources.md: {missing}"
    for title, cells in listed.items():
        official, adopted, in_force = cells[3].strip(), cells[7].strip(), cells[8].strip()
        assert official and re.search(r"\d{4}-\d{2}-\d{2}", adopted) and re.search(r"\d{4}-\d{2}-\d{2}", in_force), title


def test_docs_sources_cites_both_papers_by_the_short_names_the_files_use():
    text = (ROOT / "docs" / "sources.md").read_text(encoding="utf-8")
    for name in ("### Qin 2025", "覃玉娟", "### The Art. 286-1 paper", "电子商务平台拒不履行信息网络安全管理义务罪的研究"):
        assert name in text


def _paper_sections(heading: str) -> set[str]:
    """The section numbers of a paper, from its table in docs/sources.md."""
    text = (ROOT / "docs" / "sources.md").read_text(encoding="utf-8")
    part = text.split(heading, 1)[1].split("\n### ", 1)[0].split("\n## ", 1)[0]
    return {line.split("|")[1].strip() for line in part.splitlines() if re.match(r"^\| \d", line)}


_NUM = r"\d+(?:\.\d+)*"
#: How the files name each paper right before a section: short name, Chinese author and year,
#: or the Chinese title followed by the year.
_PAPER_NAMES = {
    "### Qin 2025": r"(?:Qin 2025|覃玉娟\s*2025|覃玉娟《[^》]*》\s*[（(]?2025[)）]?)",
    "### The Art. 286-1 paper": r"(?:286-1 paper)",
}


def _section_citations(text: str, name: str) -> list[str]:
    """Every section number cited right after the paper's name, following lists and ranges."""
    pattern = re.compile(name + r"\s*[,，]?\s*(?:\([^)]*\)\s*)?§\s*(" + _NUM + r")((?:\s*(?:,|and|、|-|–|—)\s*§?\s*"
                         + _NUM + r")*)")
    found = []
    for m in pattern.finditer(text):
        found += [m.group(1)] + re.findall(_NUM, m.group(2))
    return found


def test_every_section_cited_is_a_section_of_the_paper():
    """Sections are the papers' own numbers (listed in docs/sources.md), not a map's."""
    bad = []
    for heading, name in _PAPER_NAMES.items():
        known = _paper_sections(heading)
        assert len(known) >= 8, heading
        for file in _project_files(ROOT):
            path = ROOT / file
            if path.suffix not in {".lp", ".yaml", ".md", ".py"} or not path.is_file():
                continue
            cited = _section_citations(path.read_text(encoding="utf-8"), name)
            bad += [f"{file}: {heading[4:]} §{n}" for n in cited if n not in known]
    assert bad == [], f"sections the paper does not have: {bad}"


def test_the_citation_scan_reads_lists_and_ranges():
    name = _PAPER_NAMES["### Qin 2025"]
    wrong = "覃玉娟 2025 §" + "3.3"            # built from pieces: the scan reads this file too
    assert _section_citations("Qin 2025 §3.2, §4.1 and §5.4.1-5.4.2; " + wrong, name) == [
        "3.2", "4.1", "5.4.1", "5.4.2", "3.3"]
    assert "3.3" not in _paper_sections("### Qin 2025")
