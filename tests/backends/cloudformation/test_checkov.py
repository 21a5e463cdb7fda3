"""checkov, offline, on every generated template of every org (docs/validators.md#checkov).

checkov lives in its own venv (`make checkov`). Under `make test` (ODMDC_REQUIRE_CHECKOV=1) a
missing venv fails the test; a bare `pytest` skips it with the command that installs it.

One checkov run covers two copies of every template: as generated (must have no failed check,
and every skipped one carries its reason), and with every suppression removed — whose failures
must be exactly the suppressed (template, resource, check) triples, so no suppression is dead
and none hides more than it says.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest

from tests.backends.cloudformation.support import ROOT, compiled, org_dirs, org_id

CHECKOV = ROOT / ".venv-checkov" / "bin" / "checkov"
Triple = tuple[str, str, str]  # template path, resource logical id, check id
GENERATED, STRIPPED = "generated", "stripped"


def _checkov() -> Path:
    if CHECKOV.exists():
        return CHECKOV
    message = f"checkov is not installed at {CHECKOV}: run `make checkov`"
    if os.environ.get("ODMDC_REQUIRE_CHECKOV"):
        pytest.fail(message)
    pytest.skip(message)


def _strip(text: bytes) -> str:
    doc = json.loads(text)
    for r in doc["Resources"].values():
        meta = r.get("Metadata", {})
        meta.pop("checkov", None)
        if not meta:
            r.pop("Metadata", None)
    return json.dumps(doc, indent=2)


def _under(checks: list[dict[str, Any]], root: str) -> list[dict[str, Any]]:
    return [c for c in checks if c["file_path"].lstrip("/").startswith(root + "/")]


def _triples(checks: list[dict[str, Any]], root: str) -> set[Triple]:
    return {(c["file_path"].lstrip("/").removeprefix(root + "/"),
             c["resource"].split(".", 1)[1], c["check_id"]) for c in _under(checks, root)}


@pytest.fixture(scope="module")
def scan(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    exe = _checkov()
    root = tmp_path_factory.mktemp("checkov")
    declared: dict[Triple, str] = {}
    count = 0
    for org in org_dirs():
        slug = re.sub(r"[^A-Za-z0-9]+", "-", org_id(org))
        for path, data in compiled(org).files.items():
            rel = f"{slug}/{path}"
            count += 1
            for kind, text in ((GENERATED, data.decode()), (STRIPPED, _strip(data))):
                dest = root / kind / rel
                dest.parent.mkdir(parents=True, exist_ok=True)
                dest.write_text(text)
            for lid, r in json.loads(data)["Resources"].items():
                for skip in r.get("Metadata", {}).get("checkov", {}).get("skip", []):
                    declared[(rel, lid, skip["id"])] = skip["comment"]
    start = time.perf_counter()
    run = subprocess.run(
        [str(exe), "-d", str(root), "--framework", "cloudformation", "--skip-download",
         "-o", "json"],
        capture_output=True, text=True, cwd=root, timeout=600, check=False)
    elapsed = time.perf_counter() - start
    assert run.returncode in (0, 1), run.stderr[-2000:]
    report = json.loads(run.stdout)
    return {"report": report, "declared": declared, "templates": count, "seconds": elapsed}


def test_no_failed_checks_and_every_suppression_explained(scan: dict[str, Any]) -> None:
    report, declared = scan["report"], scan["declared"]
    results = report["results"]
    assert report["summary"]["parsing_errors"] == 0
    assert _triples(results["failed_checks"], GENERATED) == set()
    skipped = _under(results["skipped_checks"], GENERATED)
    assert _triples(skipped, GENERATED) == set(declared)
    for c in skipped:
        reason = c["check_result"]["suppress_comment"]
        assert len(reason) > 40, f"{c['check_id']} on {c['resource']}: reason too thin: {reason!r}"
    print(f"checkov: {scan['templates']} templates, "
          f"{len(_under(results['passed_checks'], GENERATED))} "
          f"passed, 0 failed, {len(declared)} suppressed, {scan['seconds']:.1f}s")
    for check in sorted({t[2] for t in declared}):
        reasons = {r for t, r in declared.items() if t[2] == check}
        print(f"  {check}: {sum(1 for t in declared if t[2] == check)}x — {' | '.join(reasons)}")


def test_every_suppression_is_needed(scan: dict[str, Any]) -> None:
    """Without its suppressions, each template fails exactly the checks that were suppressed."""
    failed = _triples(scan["report"]["results"]["failed_checks"], STRIPPED)
    assert failed == set(scan["declared"])
