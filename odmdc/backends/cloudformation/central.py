"""The central template: one per region with envers, deployed in the central account.

It holds one center role per build × account × region — the role a build role becomes to
publish its products to and read its inputs from Parameter Store — and the EventBridge rules
that carry Parameter Store changes to each consumer's reaction (`events.py`).

Center role trust: the target account's root with `aws:PrincipalArn` equal to the build role's
ARN, i.e. that role and nothing else. Naming the role ARN as the principal would grant the same,
but IAM stores such a principal as the role's unique id: the central stack could then not be
created before the target stack, and a re-created build role would silently stop matching.
"""

from __future__ import annotations

from odmdc.backends.api import EmitContext
from odmdc.backends.cloudformation.events import Reactions
from odmdc.backends.cloudformation.groups import RoleGroup
from odmdc.backends.cloudformation.options import CloudFormationOptions
from odmdc.backends.cloudformation.policies import ASSUME, attach, center_role_statements
from odmdc.backends.cloudformation.template import (
    MAX_OUTPUTS,
    MAX_RESOURCES,
    Json,
    Template,
    account_root,
    document,
    get_att,
    logical_id,
    placement_rule,
    statement,
)
from odmdc.compiler.ir import IR


def center_role_id(g: RoleGroup) -> str:
    return logical_id("CenterRole", g.build.id, g.account_id)


def center_trust(g: RoleGroup) -> Json:
    return document(statement(
        "BuildRoleOnly", ASSUME, None,
        principal={"AWS": account_root(g.partition, g.account_id)},
        condition={"ArnEquals": {"aws:PrincipalArn": g.first.names.build_role_arn}},
    ))


def central_template(ir: IR, region: str, groups: list[RoleGroup], opts: CloudFormationOptions,
                     ctx: EmitContext) -> Template:
    central = ir.org.central_account_id
    t = Template(
        description=f"odmdc: center roles and change reactions of org `{ir.org.name}` in "
                    f"{region} (central account {ir.org.central_alias}, {central})",
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
                  "trusted": e.names.build_role_arn})
        attach(t, lid, center_role_statements(g, central),
               f"odmdc: least privilege of {e.names.center_role_name}", ctx, g)
        t.output(lid + "Arn", get_att(lid), f"center role of {g.build.id} in "
                 f"{g.account_alias}")
    envers = sorted((e for e in ir.envers() if e.region == region), key=lambda e: e.id)
    reactions = Reactions(ir, region, t, opts, ctx)
    for e in envers:
        reactions.add_enver(e)
    reactions.finish()
    t.metadata = {"odmdc": {
        "org": ir.org.name, "region": region, "account": central,
        "account_alias": ir.org.central_alias, "ci": ir.org.ci,
        "center_roles": [g.first.names.center_role_arn for g in groups],
        "wildcards": reactions.wildcards(),
        "secrets": reactions.secrets(),
    }}
    _quota(t, ir, region, ctx)
    return t


def _quota(t: Template, ir: IR, region: str, ctx: EmitContext) -> None:
    org = ir.org
    if len(t.resources) > MAX_RESOURCES:
        first = min(ir.envers(), key=lambda e: e.id)
        ctx.unsupported(
            first.location,
            f"the central template of {region} needs {len(t.resources)} resources; "
            f"CloudFormation allows {MAX_RESOURCES} in one template",
            help=f"spread org `{org.name}`'s envers over more regions",
        )
    if len(t.outputs) > MAX_OUTPUTS:
        # outputs are conveniences (every value is a resource's Ref or Arn): keep the first
        dropped = sorted(t.outputs)[MAX_OUTPUTS:]
        for k in dropped:
            del t.outputs[k]
        first = min(ir.envers(), key=lambda e: e.id)
        ctx.unsupported(
            first.location,
            f"the central template of {region} would have {MAX_OUTPUTS + len(dropped)} "
            f"outputs; CloudFormation allows {MAX_OUTPUTS}, so {len(dropped)} are left out",
            help="read those ARNs and queue URLs from the stack's resources instead",
            warning=True,
        )
