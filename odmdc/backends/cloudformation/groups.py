"""Who shares a build role: a build's envers (clones included) in one account and region.

SPEC §4 names the build role and the center role from build, region and account only, so
every enver of a build in one account and region — and every clone of one — deploys through
the same pair of roles. Each group gets one target template and one center role.

A group also says what its roles must admit besides its envers: clones made at run time
(`IR.may_have_clones`: the build declares clones, or commit commands can make them), which
live in their origin's account and region and so in its group; and the CodeBuild roles of its
envers' pipelines, when the org deploys with the codepipeline backend.
"""

from __future__ import annotations

from dataclasses import dataclass

from odmdc.compiler.ir import IR, Build, Enver


@dataclass(frozen=True, slots=True)
class RoleGroup:
    build: Build
    account_id: str
    account_alias: str
    region: str
    partition: str
    envers: tuple[Enver, ...]  # sorted by id
    central_account: str
    #: the build may have clones (declared, or made by commit commands at run time)
    clones: bool = False
    #: the org deploys with the codepipeline backend: its CodeBuild roles assume the build role
    pipelines: bool = False

    @property
    def first(self) -> Enver:
        """Any member: they agree on every name the group shares."""
        return self.envers[0]

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.build.id, self.account_id, self.region)

    @property
    def origins(self) -> tuple[Enver, ...]:
        """The envers a commit command can clone: every one but the declared clones (E402)."""
        return tuple(e for e in self.envers if e.clone_of is None)

    def product_paths(self) -> list[str]:
        return sorted({p.path for e in self.envers for p in e.products})

    def consumed_paths(self) -> list[str]:
        return sorted({c.reads for e in self.envers for c in e.consumers})


def role_groups(ir: IR) -> list[RoleGroup]:
    by_key: dict[tuple[str, str, str], list[Enver]] = {}
    for e in ir.envers():
        by_key.setdefault((e.build, e.account_id, e.region), []).append(e)
    groups = []
    for (bid, account, region), envers in sorted(by_key.items()):
        envers.sort(key=lambda e: e.id)
        first = envers[0]
        groups.append(RoleGroup(
            build=ir.builds[bid], account_id=account, account_alias=first.account_alias,
            region=region, partition=first.partition, envers=tuple(envers),
            central_account=ir.org.central_account_id, clones=ir.may_have_clones(bid),
            pipelines=ir.org.deploys_with_codepipeline,
        ))
    return groups
