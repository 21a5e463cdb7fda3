"""The `cloudformation` backend (docs/backends.md): the IAM and EventBridge wiring of an org.

Output, below `DIR/cloudformation/`:

* `<account alias>/<region>/<build>.template.json` — per build × account × region, deployed
  in that target account and region (`target.py`): the build role, trusted by each CI engine
  that deploys the org (`odmdc.backends.ci`), its least-privilege policies (`policies.py`), the
  build's ECR repositories, and its artefact bucket with the parameters naming it.
* `central/<region>/builds/<build>.template.json` — per build × region with envers, deployed
  in the central account (`central.py`): a center role per account the build deploys to there,
  which writes exactly its products and reads exactly its inputs in Parameter Store, and the
  EventBridge rules (and topics, dead-letter queues, and what the org's CI engine adds to start
  or hold a deployment) that carry Parameter Store changes to the reactions of the build's
  envers (`events.py`).
* `central/<region>.template.json` — per region, when a build stack there needs it: the
  resources the region's build stacks share (the CI engine's, and the topics' KMS key),
  exported as `odmd:<org>:<what>`.

Deploy the target templates first, then each region's root, then its build stacks (the
central rules start deployments that assume the build roles; build stacks import the root's
exports)::

    aws cloudformation deploy --region R --stack-name odmd-central-R \\
        --template-file central/R.template.json --capabilities CAPABILITY_NAMED_IAM
    for f in central/R/builds/*.template.json; do           # independent: in parallel
      aws cloudformation deploy --region R --stack-name "odmd-central-R-$(basename "$f" \\
          .template.json)" --template-file "$f" --s3-bucket BUCKET \\
          --capabilities CAPABILITY_NAMED_IAM --no-fail-on-empty-changeset
    done

`--s3-bucket` because a build stack may exceed the 51,200 bytes CloudFormation accepts in a
request (`deploy` uploads those to S3, up to 1 MB); the root is always smaller. A build whose
file disappears (no envers left in the region) leaves a stack to delete (`aws cloudformation
delete-stack`), which the output tree's manifest diff names.

Why independent build stacks, not nested stacks under the root: CloudFormation "can't create,
update, or delete more than 2500 of [a nested stack hierarchy's] resources in a single
deployment" and advises to "split the stack hierarchy into different stacks" (`quotas.py`);
a 5,000-enver org has more than that in each region, so one hierarchy per region could not
even be created. A root listing one nested stack per build would also pass 500 resources with
~500 builds in a region. Independent stacks have neither limit, each build's wiring changes
only its own stack (a smaller blast radius, and a deploy of what changed only), and the
exports stop the root from being deleted or its shared resources replaced while a build stack
uses them. The price: one deploy per build stack, and pruning a removed build's stack by hand.

Clones made at run time by commit commands (github_actions) are in no contract; a build that
may have them (`IR.may_have_clones`) gets roles admitting every name such a clone can get —
patterns computed by `naming`, checked not to reach another build (`clones.py`, E601).

Every template asserts (template `Rules`) the account and region it was compiled for, because
its ARNs are literal: the same literals a reviewer and the policy tests read. Secrets appear
only as Secrets Manager dynamic references. Every template is checked against CloudFormation's,
IAM's, EventBridge's, SQS's and SNS's per-template and per-policy quotas (`quotas.py`); what
cannot fit is E601 on the enver or consumer that went over. Account-wide quotas the central
account must have room for (all adjustable): EventBridge rules on the default bus (300 per
region by default: about one per consumer enver and reaction), IAM roles (1,000: a center role
per build × account × region, plus up to two delivery roles per build stack), CloudFormation
stacks (2,000 per region: one per build with envers there, plus the root), API destinations
(3,000 per region: one per build stack that dispatches).
"""

from __future__ import annotations

from collections.abc import Iterable

from odmdc.backends.api import Backend, EmitContext, OutputFile, json_bytes
from odmdc.backends.aws.cfn import Template
from odmdc.backends.aws.quotas import Place
from odmdc.backends.ci import RoleGroup, role_groups
from odmdc.backends.cloudformation import clones
from odmdc.backends.cloudformation.central import build_template, root_template
from odmdc.backends.cloudformation.options import CloudFormationOptions
from odmdc.backends.cloudformation.quotas import check
from odmdc.backends.cloudformation.target import target_template
from odmdc.compiler.ir import IR, Location

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
        clones.check(groups, ctx)
        central = ir.org.central_account_id
        for g in groups:
            t = target_template(g, opts, ctx)
            yield _file(f"{g.account_alias}/{g.region}/{g.build.id}.template.json", t,
                        Place(g.partition, g.region, g.account_id), ctx, g.build.location)
        by_region: dict[str, dict[str, list[RoleGroup]]] = {}
        for g in groups:
            by_region.setdefault(g.region, {}).setdefault(g.build.id, []).append(g)
        for region, builds in sorted(by_region.items()):
            shared: dict[str, None] = {}  # what the build stacks import from the root
            partition = next(iter(builds.values()))[0].partition
            for build_id, build_groups in sorted(builds.items()):
                build = ir.builds[build_id]
                t, reactions = build_template(ir, region, build, build_groups, ctx)
                shared.update(dict.fromkeys(reactions.imports()))
                yield _file(f"central/{region}/builds/{build_id}.template.json", t,
                            Place(partition, region, central), ctx, build.location)
            if shared:
                root = root_template(ir, region, partition, sorted(shared), ctx)
                first = min((e for e in ir.envers() if e.region == region), key=lambda e: e.id)
                yield _file(f"central/{region}.template.json", root,
                            Place(partition, region, central), ctx, first.location,
                            direct=True)


def _file(path: str, t: Template, place: Place, ctx: EmitContext, fallback: Location, *,
          direct: bool = False) -> OutputFile:
    body = json_bytes(t.body())
    check(t, body, f"`cloudformation/{path}`", place, ctx, fallback, direct=direct)
    return OutputFile(path, body)
