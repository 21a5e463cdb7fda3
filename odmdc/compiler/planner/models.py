"""The JSON shapes of `odmdc plan` and `odmdc impact` (pydantic, frozen, fields in output order).

`account` is the account id; `account_alias` (an addition to the documented shape) is the org's
alias for it, or null when the enver names its account by id only.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

from odmdc.compiler.ir import Reaction


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class PlanStep(_Frozen):
    enver: str  # BUILD.ENVER
    action: Literal["deploy", "update"]
    account: str  # the 12-digit id
    region: str
    #: consumers of this enver deployed with their `default` in this step (deploys only)
    uses_placeholders: tuple[str, ...]
    account_alias: str | None


class PlanPhase(_Frozen):
    index: int  # from 1
    steps: tuple[PlanStep, ...]  # sorted by enver


class Plan(_Frozen):
    phases: tuple[PlanPhase, ...]


class Trigger(_Frozen):
    """One edge by which the change reaches an enver: its consumer `consumer` reads
    `producer`'s `product`, which changes in wave `wave`."""

    wave: int
    producer: str
    product: str
    consumer: str
    reaction: Reaction


class Impacted(_Frozen):
    enver: str
    account: str
    region: str
    #: what the enver does: `redeploy`, `approve` (redeploys once one of `roles` approves),
    #: `notify` or `ignore`; only the first two carry the change further
    reaction: Reaction
    #: it is reached only through an enver that waits for an approval
    gated: bool
    via: tuple[Trigger, ...]  # the edges that reach it, up to its wave
    account_alias: str | None


class Wave(_Frozen):
    index: int  # from 1
    envers: tuple[Impacted, ...]  # sorted by enver


class Impact(_Frozen):
    product: str  # BUILD.ENVER.PRODUCT
    path: str  # its config-store path
    waves: tuple[Wave, ...]
