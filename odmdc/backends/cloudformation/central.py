"""The central account's stacks of one region: a build stack per build with envers there, and
the root stack holding what they share.

A build stack (`central/<region>/builds/<build>.template.json`) holds one center role per
account the build deploys to in the region — the role a build role becomes to publish its
products to and read its inputs from Parameter Store, and, for a build that may have clones,
to keep the build's clone records and publish the products of clones made at run time
(`policies.py`) — and the EventBridge rules, topics,
approval queues and dead-letter queues that carry Parameter Store changes to its envers'
reactions (`events.py`). The root stack (`central/<region>.template.json`) holds the GitHub
connection and the topics' key, exported for the build stacks to import; it exists when some
build stack needs one of them.

Center role trust: the target account's root with `aws:PrincipalArn` equal to the build role's
ARN, i.e. that role and nothing else. Naming the role ARN as the principal would grant the same,
but IAM stores such a principal as the role's unique id: the central stack could then not be
created before the target stack, and a re-created build role would silently stop matching.
"""

from __future__ import annotations

from odmdc.backends.api import EmitContext
from odmdc.backends.aws.cfn import Json, Template, get_att, logical_id, placement_rule
from odmdc.backends.aws.iam import account_root, document, statement
from odmdc.backends.aws.quotas import MAX_OUTPUTS, Place
from odmdc.backends.ci import RoleGroup, RootSite
from odmdc.backends.cloudformation.events import KEY_EXPORT, Exports, Reactions
from odmdc.backends.cloudformation.policies import ASSUME, attach, center_role_statements
from odmdc.backends.cloudformation.topics import events_key, key_wildcards
from odmdc.compiler.ir import IR, Build


def center_role_id(g: RoleGroup) -> str:
    return logical_id("CenterRole", g.build.id, g.account_id)


def center_trust(g: RoleGroup) -> Json:
    return document(statement(
        "BuildRoleOnly", ASSUME, None,
        principal={"AWS": account_root(g.partition, g.account_id)},
        condition={"ArnEquals": {"aws:PrincipalArn": g.first.names.build_role_arn}},
    ))


def build_template(ir: IR, region: str, build: Build, groups: list[RoleGroup],
                   ctx: EmitContext) -> tuple[Template, Reactions]:
    """The build's central stack in `region`; `groups` are its role groups there."""
    central = ir.org.central_account_id
    place = Place(groups[0].partition, region, central)
    t = Template(
        description=f"odmdc: center roles and change reactions of `{build.id}` "
                    f"({build.repo}) in {region} (org `{ir.org.name}`, central account "
                    f"{ir.org.central_alias}, {central})",
        rules=placement_rule(central, region),
    )
    for g in groups:
        e = g.first
        lid = center_role_id(g)
        t.add(lid, "AWS::IAM::Role", {
            "RoleName": e.names.center_role_name,
            "Path": e.names.build_role_path,
            "Description": f"{g.build.id} in {g.account_alias} {g.region}: publishes its "
                           "products and reads its inputs"[:1000],
            "MaxSessionDuration": 3600,
            "AssumeRolePolicyDocument": center_trust(g),
        }, notes={"build": g.build.id, "account": g.account_id,
                  "envers": [x.id for x in g.envers],
                  "trusted": e.names.build_role_arn}, blame=e.location)
        attach(t, lid, center_role_statements(g, central),
               f"odmdc: least privilege of {e.names.center_role_name}", ctx, g)
        t.output(lid + "Arn", get_att(lid), f"center role of {g.build.id} in "
                 f"{g.account_alias}")
    exports = Exports(ir.org.name)
    reactions = Reactions(ir, build, region, t, ctx, exports, place)
    for e in sorted((e for g in groups for e in g.envers), key=lambda e: e.id):
        reactions.add_enver(e)
    reactions.finish()
    uses = [exports.name(x) for x in reactions.imports()]
    t.metadata = {"odmdc": {
        "org": ir.org.name, "region": region, "account": central,
        "account_alias": ir.org.central_alias, "ci": ir.org.ci, "build": build.id,
        "center_roles": [g.first.names.center_role_arn for g in groups],
        "imports": uses,
    }}
    _outputs(t, build, region, ctx)
    return t, reactions


def root_template(ir: IR, region: str, partition: str, shared: list[str],
                  ctx: EmitContext) -> Template:
    """What the region's build stacks share (`shared`: what they import, in order): the CI
    engine's resources, and the topics' key, each only when a build stack imports it."""
    central = ir.org.central_account_id
    t = Template(
        description=f"odmdc: what the central stacks of org `{ir.org.name}` share in {region} "
                    f"(central account {ir.org.central_alias}, {central}); deploy before them",
        rules=placement_rule(central, region),
    )
    root = RootSite(t, ir, region, partition, central, Exports(ir.org.name).name)
    secrets: list[Json] = []
    for what in shared:
        if what == KEY_EXPORT:
            events_key(t, partition, central, root.export(KEY_EXPORT))
        else:
            secrets += ctx.ci.shared(root, what)
    t.metadata = {"odmdc": {
        "org": ir.org.name, "region": region, "account": central,
        "account_alias": ir.org.central_alias, "ci": ir.org.ci,
        "wildcards": key_wildcards() if KEY_EXPORT in shared else [],
        "secrets": secrets,
    }}
    return t


def _outputs(t: Template, build: Build, region: str, ctx: EmitContext) -> None:
    if len(t.outputs) <= MAX_OUTPUTS:
        return
    # outputs are conveniences (every value is a resource's Ref or Arn): keep the first
    dropped = sorted(t.outputs)[MAX_OUTPUTS:]
    for k in dropped:
        del t.outputs[k]
    ctx.unsupported(
        t.blame.get(dropped[0].removesuffix("Arn").removesuffix("Url"), build.location),
        f"the central stack of `{build.id}` in {region} would have "
        f"{MAX_OUTPUTS + len(dropped)} outputs; CloudFormation allows {MAX_OUTPUTS}, so "
        f"{len(dropped)} are left out",
        help="read those ARNs and queue URLs from the stack's resources instead",
        warning=True,
    )
