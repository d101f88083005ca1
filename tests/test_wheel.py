"""The built wheel carries the encodings, and an installed copy finds them (not the checkout's)."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    proc = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), str(ROOT)],
                          capture_output=True, text=True, timeout=600)
    if proc.returncode != 0:
        pytest.fail(f"building the wheel failed: {proc.stderr[-2000:]}")
    wheels = list(out.glob("pyreasoner-*.whl"))
    assert len(wheels) == 1
    return wheels[0]


def test_wheel_contains_every_encoding(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = sorted(p.relative_to(ROOT / "encodings").as_posix() for p in (ROOT / "encodings").rglob("*.lp"))
    assert shipped and all(f"pyreasoner/encodings/{p}" in names for p in shipped)
    assert "pyreasoner/py.typed" in names


def test_wheel_carries_the_license_and_its_metadata(wheel):
    z = zipfile.ZipFile(wheel)
    licence = [n for n in z.namelist() if n.endswith("/LICENSE")]
    assert licence and z.read(licence[0]).decode().startswith("MIT License")
    assert (ROOT / "LICENSE").read_text(encoding="utf-8") == z.read(licence[0]).decode()
    meta = z.read(next(n for n in z.namelist() if n.endswith(".dist-info/METADATA"))).decode()
    assert "Classifier: License :: OSI Approved :: MIT License" in meta and "Project-URL: " in meta


def test_installed_copy_finds_its_own_encodings(wheel, tmp_path):
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "--quiet", "--target", str(target), str(wheel)],
                   check=True, timeout=300)
    script = (
        "import pyreasoner, pyreasoner.rulebase as rb\n"
        "from pyreasoner import Reasoner\n"
        "from pyreasoner.case import Case, Fact\n"
        "print(rb.encodings_dir())\n"
        "r = Reasoner()\n"
        "facts = tuple(Fact(predicate=p, args=a, status='established') for p, a in [\n"
        "  ('party', ('p', 'platform')), ('party', ('m', 'merchant')), ('party', ('c', 'consumer')),\n"
        "  ('on_platform', ('m', 'p')), ('sold', ('m', 'g', 'c')), ('concerns_life_health', ('g',)),\n"
        "  ('damage', ('c', 'g')), ('caused_damage', ('p', 'c', 'g'))]) + (Fact(predicate='reviewed_qualification', args=('p', 'm'), status='refuted'),)\n"
        "res = r.solve(Case(id='w', facts=facts), views={'b': 'joint'})\n"
        "print(','.join(sorted({dict(a.views)['b'] for a in res.answers})))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(target)}
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=tmp_path, env=env,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr
    where, answers = proc.stdout.split()
    assert Path(where).resolve() == (target / "pyreasoner" / "encodings").resolve()
    assert not Path(where).resolve().is_relative_to(ROOT)
    assert answers == "joint"
