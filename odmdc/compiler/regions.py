"""Known AWS regions and their partitions, from botocore's endpoint data (kept current by
botocore releases rather than by us)."""

from __future__ import annotations

import functools
import json
from importlib import resources


@functools.cache
def _partitions() -> dict[str, str]:
    data = json.loads(resources.files("botocore").joinpath("data", "endpoints.json").read_text())
    return {r: p["partition"] for p in data["partitions"] for r in p.get("regions", {})}


def known_regions() -> frozenset[str]:
    return frozenset(_partitions())


def is_known_region(region: str) -> bool:
    return region in _partitions()


def partition_of(region: str) -> str:
    """`aws`, `aws-cn`, `aws-us-gov`, … — the partition an ARN in `region` names."""
    return _partitions().get(region, "aws")
