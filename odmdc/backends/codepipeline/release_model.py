"""What the release pipeline is made of (`release.py` decides it, `release_template.py` writes
its templates): steps, the batches actions run, and the pipeline's place and names."""

from __future__ import annotations

from dataclasses import dataclass

from odmdc.backends.aws import arns
from odmdc.backends.codepipeline import names as cp_names
from odmdc.compiler import naming
from odmdc.compiler.ir import Enver


@dataclass(frozen=True, slots=True)
class Step:
    action: str  # deploy | update
    enver: Enver

    @property
    def line(self) -> str:
        """The step as a batch lists it, `<action> <pipeline> <region>`: no part can hold a
        space or a line break (CodePipeline names and regions do not)."""
        return f"{self.action} {cp_names.pipeline_of(self.enver)} {self.enver.region}"


@dataclass(frozen=True, slots=True)
class Batch:
    """What one action runs: one step, told through the action's environment (`parameter`
    None), or the steps listed in Parameter Store parameter `parameter`, run by runner
    `runner` (0, 1, …)."""

    action: str
    steps: tuple[Step, ...]
    parameter: str | None = None
    runner: int = 0


@dataclass(frozen=True, slots=True)
class Release:
    org: str
    name: str
    region: str
    central: str
    partition: str
    connection: str
    repo: str
    branch: str
    stages: tuple[tuple[str, tuple[Batch, ...]], ...] = ()
    runners: int = 1

    @property
    def batched(self) -> bool:
        return any(b.parameter for _, stage in self.stages for b in stage)

    @property
    def project(self) -> str:
        """The one runner project when every action runs one step."""
        return cp_names.codebuild_project(self.name, "Run")

    def runner_project(self, n: int) -> str:
        return cp_names.codebuild_project(self.name, f"Run{n + 1}") if self.batched \
            else self.project

    def runner_role(self, n: int) -> str:
        return cp_names.pipeline_role_name(self.name, f"runner{n + 1}" if self.batched
                                         else "runner")

    def batches_of(self, n: int) -> list[tuple[str, Batch]]:
        """(stage, batch) of every batch runner `n` runs, in pipeline order."""
        return [(label, b) for label, stage in self.stages for b in stage if b.runner == n]

    @property
    def bucket(self) -> str:
        return cp_names.pipeline_artifact_bucket(self.central, self.region, self.name)

    def role_arn(self, purpose: str) -> str:
        return naming.role_arn_at(self.partition, self.central, cp_names.release_role_path(),
                                  cp_names.pipeline_role_name(self.name, purpose))

    def pipeline_arn(self, e: Enver) -> str:
        """An enver's pipeline: central account, the enver's region."""
        return arns.pipeline_arn(self.partition, e.region, self.central, cp_names.pipeline_of(e))

    def parameter_arn(self, name: str) -> str:
        """A batch's parameter: central account, the release region."""
        return arns.parameter_arn(self.partition, self.region, self.central, name)
