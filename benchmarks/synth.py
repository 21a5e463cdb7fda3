"""Deterministic synthetic orgs for the benchmarks: `python -m benchmarks.synth ENVERS DIR`.

The shape imitates a company on the platform rather than a random graph:

- three regions, each with a contracts_lib enver and a networking enver;
- builds in tiers — shared foundations (many consumers: fan-in), domain services that each read
  four or five products from lower tiers (fan-out), edge services on top;
- every build has `main` and `dev` branch envers, and half have a release tag enver that reads
  only tags (so a tag tier exists at every level);
- some upward edges carry a `default` placeholder, closing cycles the planner must break;
- one clone per twenty envers, on feature branches.

About four consumer edges per enver: 5,000 envers give ~20,000 edges. The same arguments always
give the same files, byte for byte.
"""

from __future__ import annotations

import argparse
import random
from dataclasses import dataclass, field
from pathlib import Path

REGIONS = ("us-east-1", "us-west-2", "eu-west-1")
PRODUCT_TYPES = ("string", "url", "arn", "cidr", "string", "url", "arn", "schema")
DEFAULTS = {
    "string": '"pending"',
    "url": '"https://pending.example.com"',
    "arn": '"arn:aws:sns:us-east-1:111111111111:pending"',
    "cidr": '"10.0.0.0/16"',
    "schema": '"https://schemas.example.com/pending.json"',
}
TIERS = (("core", 0.10), ("domain", 0.55), ("edge", 0.35))


@dataclass
class Enver:
    name: str
    kind: str  # branch | tag
    value: str
    account: str
    region: str
    products: list[tuple[str, str]] = field(default_factory=list)
    consumers: list[str] = field(default_factory=list)  # rendered consumer lines


@dataclass
class Build:
    id: str
    tier: int
    team: str
    region: str
    envers: list[Enver] = field(default_factory=list)


def generate(n_envers: int, seed: int = 7) -> dict[str, str]:
    """`{relative path: text}` of an org with about `n_envers` envers."""
    rnd = random.Random(seed)
    n_accounts = max(3, n_envers // 200)
    accounts = {"central": "100000000000"}
    for i in range(n_accounts):
        accounts[f"ws{i:03d}"] = f"{200000000000 + i:012d}"
    workspaces = [a for a in accounts if a != "central"]
    files: dict[str, str] = {}

    org = ["org synth {", "  accounts {"]
    org += [f'    {a} = "{i}"' for a, i in accounts.items()]
    org += ["  }", "  ci = github_actions", "  max_clones = 20", "  backend codepipeline {",
            "    connections = ["]
    org += [f'      "arn:aws:codeconnections:{r}:100000000000:connection/synth-{r}",'
            for r in REGIONS]
    org += ["    ]", "  }", "}"]
    files["org.odmd"] = "\n".join(org) + "\n"

    platform = ["build contracts : contracts_lib {", '  repo = "synth/contracts"']
    platform += [f'  enver {r} = branch "main-{r}" in central "{r}"' for r in REGIONS]
    platform.append("}")
    platform += ["", "build network : networking {", '  repo = "synth/network"']
    platform += [f'  enver {r} = branch "net-{r}" in central "{r}"' for r in REGIONS]
    platform += [f'  enver {r}-rel = tag "net-{r}-1.0" in central "{r}"' for r in REGIONS]
    platform.append("}")
    files["platform.odmd"] = "\n".join(platform) + "\n"

    # about 2.5 envers per build (main, dev, half a release tag)
    n_builds = max(3, round((n_envers - 2 * len(REGIONS)) / 2.5))
    builds: list[Build] = []
    for i in range(n_builds):
        share = i / n_builds
        tier = 0 if share < TIERS[0][1] else 1 if share < TIERS[0][1] + TIERS[1][1] else 2
        region = REGIONS[i % len(REGIONS)]
        b = Build(f"{TIERS[tier][0]}-{i:05d}", tier, f"team{i % 40:02d}", region)
        account = workspaces[i % len(workspaces)]
        n_products = rnd.randint(2, 4)
        for kind, value in (("branch", "main"), ("branch", "dev")) + (
            (("tag", "1.0.0"),) if i % 2 == 0 else ()
        ):
            e = Enver("rel" if kind == "tag" else value, kind, value, account, region)
            e.products = [(f"out{k}", rnd.choice(PRODUCT_TYPES)) for k in range(n_products)]
            b.envers.append(e)
        builds.append(b)

    by_tier_region: dict[tuple[int, str], list[Build]] = {}
    for b in builds:
        by_tier_region.setdefault((b.tier, b.region), []).append(b)

    for b in builds:
        for e in b.envers:
            e.consumers.append(f"ipam = network.{b.region + ('-rel' if e.kind == 'tag' else '')}"
                               ".share-pool")
            if b.tier == 0:
                continue
            lower = [x for t in range(b.tier) for x in by_tier_region.get((t, b.region), [])]
            # fan-in: a power law favours the first (oldest, most shared) builds of a tier
            picks: list[Build] = []
            for _ in range(rnd.randint(3, 4)):
                if not lower:
                    break
                k = min(int(len(lower) * rnd.random() ** 3), len(lower) - 1)
                if lower[k] not in picks:
                    picks.append(lower[k])
            for j, p in enumerate(picks):
                target = next((x for x in p.envers if x.kind == e.kind
                               and (x.kind == "tag" or x.value == e.value)), None)
                if target is None:
                    continue
                prod, _ = rnd.choice(target.products)
                e.consumers.append(f"in{j}-{prod} = {p.id}.{target.name}.{prod}")
        # a placeholder back edge: a core build reads something of a domain build, with a
        # default, closing a cycle through the domain build's own reads
        if b.tier == 1 and rnd.random() < 0.1:
            core = by_tier_region.get((0, b.region), [])
            if core:
                c = rnd.choice(core)
                ce = c.envers[0]
                prod, ptype = b.envers[0].products[0]
                ce.consumers.append(
                    f"back-{b.id}-{prod} = {b.id}.main.{prod} default {DEFAULTS[ptype]}"
                    " on_change redeploy")

    clones: list[str] = []
    for i, b in enumerate(builds):
        if i % 8 == 0:
            clones.append(f'clone feat-{i:05d} of {b.id}.dev = branch "feature-{i:05d}"')

    per_team: dict[str, list[str]] = {}
    for b in builds:
        lines = [f"build {b.id} : cdk {{", f'  repo = "synth/{b.id}"', f'  owner = "{b.team}"']
        for e in b.envers:
            head = f'  enver {e.name} = {e.kind} "{e.value}" in {e.account} "{e.region}" {{'
            lines.append(head)
            lines.append("    consumes {")
            lines += [f"      {c}" for c in e.consumers]
            lines.append("    }")
            lines.append("    produces {")
            lines += [f"      {n}: {t}" for n, t in e.products]
            lines.append("    }")
            lines.append("  }")
        lines.append("}")
        per_team.setdefault(b.team, []).append("\n".join(lines))
    for team, items in sorted(per_team.items()):
        files[f"teams/{team}.odmd"] = "\n\n".join(items) + "\n"
    files["clones.odmd"] = "\n".join(clones) + "\n"
    return files


def write(n_envers: int, root: Path, seed: int = 7) -> Path:
    for rel, text in generate(n_envers, seed).items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("envers", type=int)
    p.add_argument("dir", type=Path)
    p.add_argument("--seed", type=int, default=7)
    a = p.parse_args()
    write(a.envers, a.dir, a.seed)


if __name__ == "__main__":
    main()
