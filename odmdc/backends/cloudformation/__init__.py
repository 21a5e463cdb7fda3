"""The `cloudformation` backend (SPEC §6): the IAM and EventBridge wiring of an org.

Output, below `DIR/cloudformation/`:

* `<account alias>/<region>/<build>.template.json` — per build × account × region, deployed
  in that target account and region (`target.py`): the build role GitHub Actions assume by
  OIDC, its least-privilege policies (`policies.py`), the build's ECR repositories.
* `central/<region>.template.json` — per region with envers, deployed in the central
  account (`central.py`): a center role per build × account × region that writes exactly its
  products and reads exactly its inputs in Parameter Store, and the EventBridge rules that
  carry Parameter Store changes to each consumer's reaction (`events.py`).

Deploy the target templates first, then the central ones (the central rules dispatch to
workflows that assume the build roles). Every template asserts (template `Rules`) the account
and region it was compiled for, because its ARNs are literal: the same literals a reviewer and
the policy tests read. Secrets appear only as Secrets Manager dynamic references.
"""

from __future__ import annotations

from collections.abc import Iterable

from odmdc.backends.api import Backend, EmitContext, OutputFile
from odmdc.backends.cloudformation.central import central_template
from odmdc.backends.cloudformation.groups import role_groups
from odmdc.backends.cloudformation.options import CloudFormationOptions
from odmdc.backends.cloudformation.target import target_template
from odmdc.compiler.ir import IR

__all__ = ["CloudFormationBackend", "CloudFormationOptions"]


class CloudFormationBackend(Backend):
    name = "cloudformation"
    description = ("IAM build/center roles with least-privilege policies and EventBridge "
                   "change reactions, as CloudFormation templates")
    Options = CloudFormationOptions

    def emit(self, ir: IR, ctx: EmitContext) -> Iterable[OutputFile]:
        opts = self.options
        assert isinstance(opts, CloudFormationOptions)
        groups = role_groups(ir)
        for g in groups:
            t = target_template(g, opts, ctx)
            yield OutputFile.json(f"{g.account_alias}/{g.region}/{g.build.id}.template.json",
                                  t.body())
        for region in sorted({g.region for g in groups}):
            t = central_template(ir, region, [g for g in groups if g.region == region], opts,
                                 ctx)
            yield OutputFile.json(f"central/{region}.template.json", t.body())
