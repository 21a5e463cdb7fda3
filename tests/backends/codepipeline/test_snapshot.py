"""Golden output for one example pipeline, read and judged by a person before it was committed:
the shop's order manager on `master` (cdk, an `approve(…)` consumer, a clone sibling), as the
`CreatePipeline` input and as its template, and the shop's release pipeline. Regenerate with
`.venv/bin/pytest tests/backends/codepipeline --update-snapshots` and read the diff."""

from __future__ import annotations

from pathlib import Path

from tests.backends.codepipeline.orgs import outputs
from tests.snapshots import check_tree

SNAPSHOT = Path(__file__).parent / "snapshots" / "shop"
FILES = ("coffeeShopOrderManager/b..master.pipeline.json",
         "coffeeShopOrderManager/b..master.template.json",
         "release.pipeline.json")


def test_shop_order_manager_snapshot(update_snapshots: bool) -> None:
    files = outputs("shop")
    check_tree({p: files[p] for p in FILES}, SNAPSHOT, update_snapshots)
