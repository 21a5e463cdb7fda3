"""The CI-engine interface: what runs an enver's deployment, as the backend that wires an org's
roles and change reactions (the cloudformation backend) needs to know it.

A CI engine is a plugin of its own entry-point group, `odmdc.ci_engines`, usually shipped with
the backend of the same name, whose options block it reads its own options from (the org's
`backend NAME { … }`; `Options` declares which). Two questions are asked of engines, and the wiring
backend holds no engine's name:

* whom a build role trusts: every installed engine that `deploys` the org's envers adds its
  statements to the role's trust policy (`trust`);
* how a change reaction starts a deployment: the engine the org's `ci` names builds, inside
  each central build stack, the EventBridge targets that start an enver's deployment and
  whatever an `approve(…)` reaction needs (`reactions`), and the resources those share per
  region in the central root stack (`shared`).

The built-in engines are `github_actions` (`odmdc/backends/github_actions/ci.py`: GitHub's
OIDC, `repository_dispatch`, approvals held in SQS) and `codepipeline`
(`odmdc/backends/codepipeline/ci.py`: the pipelines' CodeBuild roles, StartPipelineExecution,
the pipeline's manual approval). docs/backends.md describes both.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import ClassVar, Literal, Protocol

from odmdc.backends.api import BackendOptions, EmitContext
from odmdc.backends.aws.cfn import Json, Template
from odmdc.compiler.ir import IR, Build, Consumer, Enver, Location, Org


@dataclass(frozen=True, slots=True)
class RoleGroup:
    """Who shares a build role: a build's envers (clones included) in one account and region.

    The build role and the center role are named from build, region and account only
    (docs/names.md), so every enver of a build in one account and region — and every clone of
    one — deploys through the same pair of roles. The group also says whether the build may
    have clones made at run time (`IR.may_have_clones`), which live in their origin's account
    and region and so in its group, and which its roles must admit too."""

    build: Build
    account_id: str
    account_alias: str
    region: str
    partition: str
    envers: tuple[Enver, ...]  # sorted by id
    central_account: str
    #: the build may have clones (declared, or made by commit commands at run time)
    clones: bool = False

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
        ))
    return groups


@dataclass(frozen=True, slots=True)
class Trust:
    """An engine's part of a build role's trust policy."""

    statements: tuple[dict[str, Json], ...]  # Sids unique among all engines'
    notes: dict[str, Json]  # why, for the role's Metadata (keys unique among all engines')


ReactionKind = Literal["redeploy", "notify", "approve"]


@dataclass
class ReactionGroup:
    """One rule's worth: a consumer enver, a reaction, the paths it reads with it."""

    enver: Enver
    kind: ReactionKind
    extra: tuple[str, ...]  # approver role ARNs, or notify topic ARNs
    consumers: list[Consumer] = field(default_factory=list)

    @property
    def paths(self) -> list[str]:
        return sorted({c.reads for c in self.consumers})


class ReactionSite(Protocol):
    """What the central build stack of one build in one region offers an engine."""

    template: Template
    ir: IR
    build: Build
    region: str
    partition: str
    account: str  # the central account, where the stack is deployed
    ctx: EmitContext
    #: the Parameter Store operations that start a deployment (a deleted input starts none)
    changes: list[str]
    #: the stack's first dead-letter queue (logical id): where undeliverable work goes
    dead_letters: str
    #: `Fn::GetAtt` of the role EventBridge rules act as (see `allow_events`)
    events_role: Json

    def rules(self, group: ReactionGroup, prefix: str, operations: list[str],
              targets: list[Json], *, topic: str | None = None) -> None:
        """The group's EventBridge rule(s) with these targets (several when its paths make
        too long a pattern); `topic`: a topic of this stack the targets publish to."""
        ...

    def topic(self, lid: str, name: str, blame: Location,
              subscribers: tuple[str, ...] = ()) -> str:
        """A KMS-encrypted topic of this stack only its rules publish to; `subscribers` are
        role ARNs that may subscribe."""
        ...

    def message(self, enver: Enver, reaction: str, more: dict[str, Json]) -> Json:
        """An input transformer: which input of `enver` changed, and how."""
        ...

    def allow_events(self, sid: str, actions: list[str], resources: list[Json]) -> None:
        """Let the stack's EventBridge role do `actions` on `resources` (made on first use)."""
        ...

    def shared(self, what: str) -> Json:
        """How this stack names `what`, a resource of the engine's in the region's central
        root stack (an `Fn::ImportValue`); the root stack then gets it (`CiEngine.shared`)."""
        ...


@dataclass(frozen=True)
class RootSite:
    """The central account's root stack of one region: what its build stacks share."""

    template: Template
    ir: IR
    region: str
    partition: str
    account: str
    #: the export name under which the region's build stacks import `what`
    export: Callable[[str], str]


class Reactions(ABC):
    """An engine's part of one central build stack: how its reactions start deployments."""

    def __init__(self, site: ReactionSite) -> None:
        self.site = site

    @abstractmethod
    def redeploy(self, enver: Enver) -> Json:
        """The EventBridge target that starts a deployment of `enver` (a `redeploy`)."""

    @abstractmethod
    def approve(self, group: ReactionGroup) -> None:
        """Whatever holds a change of `group`'s inputs until one of its roles approves, and
        then deploys (the rules included)."""

    def finish(self) -> None:  # noqa: B027 (most engines have nothing to add at the end)
        """Resources that depend on everything added (called once, after every enver)."""


class CiEngine(ABC):
    name: ClassVar[str]
    description: ClassVar[str]
    #: what deploys, as role descriptions name it: "GitHub Actions"
    title: ClassVar[str]
    #: the options the engine reads from the org's `backend NAME { … }` block: only these
    #: fields, since the backend of the same name, if any, owns (and validates) the whole block
    Options: ClassVar[type[BackendOptions]] = BackendOptions

    def __init__(self, options: BackendOptions | None = None) -> None:
        self.options = options if options is not None else self.Options()

    @classmethod
    @abstractmethod
    def deploys(cls, org: Org) -> bool:
        """Whether this engine runs deployments of `org`'s envers (so that their build roles
        must trust it); asked before the engine is made with the org's options."""

    @abstractmethod
    def trust(self, group: RoleGroup) -> Trust:
        """Whom `group`'s build role trusts on behalf of this engine."""

    @abstractmethod
    def reactions(self, site: ReactionSite) -> Reactions:
        """This engine's part of one central build stack (for the org whose `ci` it is)."""

    def shared(self, root: RootSite, what: str) -> list[Json]:
        """Make `what` (a name this engine's reactions passed to `ReactionSite.shared`) in the
        region's root stack and export it; returns the secrets it references, for the stack's
        Metadata."""
        raise NotImplementedError(f"CI engine `{self.name}` shares no `{what}`")
