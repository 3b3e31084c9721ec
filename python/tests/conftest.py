"""Shared helpers: the cipa binary the package is compared with, and the teaching data.

The binary is $CIPA_BIN, else the crate's release build, else its debug build
(target/{release,debug}/cipa beside python/); CI builds the release one before these tests.
"""

import json
import os
import pathlib
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
SME = ROOT / "datasets" / "sme_survey.csv"
SME_EXAMPLE = ROOT / "datasets" / "sme_example.csv"


def _binary():
    env = os.environ.get("CIPA_BIN")
    if env:
        return pathlib.Path(env)
    for profile in ("release", "debug"):
        p = ROOT / "target" / profile / "cipa"
        if p.exists():
            return p
    return None


@pytest.fixture(scope="session")
def cli():
    """Runs the cipa binary; returns its standard output (``json=True``: the parsed document)."""
    exe = _binary()
    if exe is None:
        pytest.fail("no cipa binary: run `cargo build --release` (or set CIPA_BIN) first")

    def run(*args, json_out=True):
        argv = [str(exe), *map(str, args)]
        if json_out:
            argv += ["--format", "json"]
        r = subprocess.run(argv, capture_output=True, text=True, cwd=ROOT)
        if r.returncode != 0:
            raise AssertionError(f"{' '.join(argv)} failed ({r.returncode}): {r.stderr}")
        return json.loads(r.stdout) if json_out else r.stdout

    return run


def without_source(doc):
    """A JSON document without the name of its data source (a file for the command line, the
    DataFrame's type from Python): everything else must be equal."""
    doc = json.loads(json.dumps(doc))
    if isinstance(doc.get("data"), dict):
        doc["data"].pop("file", None)
    return doc
