"""CodePipeline as a CI engine (`odmdc.backends.ci`): whom the build roles trust on behalf of
its pipelines, and how the central stacks start them.

**Trust.** An enver's pipeline runs its CodeBuild projects as a CodeBuild role in the central
account (`names.PipelineNames`), which assumes the enver's build role to build and deploy. The
build role trusts those roles the way the center roles trust build roles: principal the
central account's root, condition `ArnEquals aws:PrincipalArn` on exactly the roles of the
group's envers — so the target stack does not need those roles to exist, and a re-created
role still matches. The engine deploys an org's envers when the org's
`ci` is `codepipeline` or its backends include it.

**Reactions.** A `redeploy` is `codepipeline:StartPipelineExecution` of the consumer's
pipeline (`names.pipeline_of`, in the central account and the enver's region), by the build
stack's EventBridge role. An `approve(role…)` starts the pipeline too: its manual approval
action, which this backend restricts to the same roles (`template.py`), holds the deploy.
"""

from __future__ import annotations

from odmdc.backends.aws import arns
from odmdc.backends.aws.cfn import Json
from odmdc.backends.aws.iam import account_root, statement
from odmdc.backends.ci import CiEngine, ReactionGroup, Reactions, ReactionSite, RoleGroup, Trust
from odmdc.backends.codepipeline import names as cp_names
from odmdc.compiler.ir import Enver, Org

SID_CODEBUILD = "PipelinesCodeBuild"


class CodePipelineEngine(CiEngine):
    name = "codepipeline"
    description = ("CodePipeline: build roles trusted by the pipelines' CodeBuild roles; "
                   "reactions start the consumer's pipeline, whose manual approval holds it")
    title = "CodePipeline"

    @classmethod
    def deploys(cls, org: Org) -> bool:
        return org.ci == cls.name or cls.name in org.backends

    def trust(self, group: RoleGroup) -> Trust:
        roles = sorted({cp_names.of(e, group.central_account).codebuild_role_arn
                        for e in group.envers})
        return Trust(
            (statement(SID_CODEBUILD, ["sts:AssumeRole"], None,
                       principal={"AWS": account_root(group.partition, group.central_account)},
                       condition={"ArnEquals": {"aws:PrincipalArn": roles if len(roles) > 1
                                                else roles[0]}}),),
            {"codebuild-roles": roles},
        )

    def reactions(self, site: ReactionSite) -> Reactions:
        return PipelineStarts(site)


class PipelineStarts(Reactions):
    """One central build stack's starts of its consumers' pipelines."""

    def __init__(self, site: ReactionSite) -> None:
        super().__init__(site)
        self.pipelines: set[str] = set()

    def redeploy(self, enver: Enver) -> Json:
        s = self.site
        arn = arns.pipeline_arn(s.partition, s.region, s.account,
                               cp_names.pipeline_of(enver))
        self.pipelines.add(arn)
        return {"Id": "pipeline", "Arn": arn, "RoleArn": s.events_role}

    def approve(self, group: ReactionGroup) -> None:
        # the pipeline's manual approval, restricted to the roles, holds the deploy
        self.site.rules(group, "OnApprove", self.site.changes, [self.redeploy(group.enver)])

    def finish(self) -> None:
        if self.pipelines:
            self.site.allow_events("StartConsumerPipelines",
                                   ["codepipeline:StartPipelineExecution"],
                                   sorted(self.pipelines))
