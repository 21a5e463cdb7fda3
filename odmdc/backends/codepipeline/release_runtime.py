"""The runner of the release pipeline (`release.py`), run in CodeBuild: one enver pipeline per
action, or a batch of them.

Embedded (compacted, its import of the helper renamed) in the buildspec of each runner
project next to odmd's deploy-time helper (odmdc/backends/runtime/helper.py, written as
`odmd.py` in the same folder), whose `aws` it uses; a file of its own because no enver's
pipeline needs it.

    python3 odmd_release.py step
        starts pipeline ODMD_PIPELINE in ODMD_PIPELINE_REGION and waits for it; a superseded
        run is followed to the newer one. Exit 0 when it succeeded, else 1.
    python3 odmd_release.py batch
        reads parameter `ODMD_BATCH` (lines `<deploy|update> <pipeline> <region>`), starts
        every pipeline, and polls all of them in parallel — following superseded runs as
        `step` does — until none is running or `ODMD_WAIT_SECONDS` have passed. Exit 0 when
        every one succeeded; else 1, naming each that failed, could not start, or still ran.

A batch's calls come in bursts (a phase of thousands of pipelines starts them together), so a
call that CodePipeline throttles or fails on its side is tried again in the next round, up to
`ATTEMPTS` times in a row for one pipeline; any other error (no such pipeline, access denied)
ends that pipeline's run at once. The AWS CLI's own retries come first.
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from odmdc.backends.runtime.helper import AwsError, Failure, aws, run

POLL_SECONDS = float(os.environ.get("ODMD_POLL_SECONDS", "30"))
DONE = {"Succeeded": 0, "Failed": 1, "Stopped": 1, "Cancelled": 1}
WORKERS = 8  # `aws` processes at once: a poll round of ~80 pipelines in seconds
ATTEMPTS = 5
TRANSIENT = ("Throttling", "TooManyRequests", "RequestLimitExceeded", "ServiceUnavailable",
             "InternalError", "InternalFailure", "Could not connect", "Read timeout")

_say = threading.Lock()


@dataclass
class Run:
    """One pipeline of the batch: the execution it follows, and how it ended (None: running)."""

    step: str
    name: str
    region: str
    execution: str = ""
    outcome: str | None = None
    errors: int = 0  # failed calls in a row


def say(text: str) -> None:
    with _say:  # whole lines, from any thread
        print(f"odmd: {text}", file=sys.stderr, flush=True)


def runs_of(value: str) -> list[Run]:
    runs = []
    for line in value.splitlines():
        parts = line.split()
        if len(parts) != 3:
            raise Failure(f"not a step (`<step> <pipeline> <region>`): {line!r}")
        step, name, region = parts
        runs.append(Run(step, name, region))
    return runs


def advance(pipe: Run) -> None:
    """One round for one pipeline: start it, or look at the execution it follows."""
    try:
        if not pipe.execution:
            start(pipe)
        else:
            poll(pipe)
        pipe.errors = 0
    except AwsError as err:
        pipe.errors += 1
        again = any(t in err.stderr for t in TRANSIENT) and pipe.errors < ATTEMPTS
        if not again:
            pipe.outcome = "unknown" if pipe.execution else "not started"
        say(f"{pipe.step} {pipe.name} ({pipe.region}): {err}: {err.stderr}"
            + (" (trying again)" if again else ""))


def start(pipe: Run) -> None:
    pipe.execution = aws("codepipeline", "start-pipeline-execution", "--name", pipe.name,
                        region=pipe.region)["pipelineExecutionId"]
    say(f"{pipe.step} {pipe.name} ({pipe.region}): execution {pipe.execution}")


def poll(pipe: Run) -> None:
    status = aws("codepipeline", "get-pipeline-execution", "--pipeline-name", pipe.name,
                 "--pipeline-execution-id", pipe.execution,
                 region=pipe.region)["pipelineExecution"]["status"]
    if status == "Superseded":
        # a newer run (a push, a reaction) took over: its outcome is the enver's
        pipe.execution = aws("codepipeline", "list-pipeline-executions", "--pipeline-name",
                            pipe.name, "--max-items", "1", region=pipe.region
                            )["pipelineExecutionSummaries"][0]["pipelineExecutionId"]
        say(f"{pipe.name} superseded; following execution {pipe.execution}")
    elif status in DONE:
        pipe.outcome = status
        say(f"{pipe.name} execution {pipe.execution}: {status}")


def release_step(args: argparse.Namespace) -> int:
    name, region = os.environ["ODMD_PIPELINE"], os.environ["ODMD_PIPELINE_REGION"]
    step = os.environ.get("ODMD_STEP", "deploy")
    execution = aws("codepipeline", "start-pipeline-execution", "--name", name,
                    region=region)["pipelineExecutionId"]
    say(f"{step} {name} ({region}): execution {execution}")
    while True:
        status = aws("codepipeline", "get-pipeline-execution", "--pipeline-name", name,
                     "--pipeline-execution-id", execution,
                     region=region)["pipelineExecution"]["status"]
        if status in DONE:
            say(f"{name} execution {execution}: {status}")
            return DONE[status]
        if status == "Superseded":
            # a newer run (a push, a reaction) took over: its outcome is the enver's
            execution = aws("codepipeline", "list-pipeline-executions", "--pipeline-name",
                            name, "--max-items", "1", region=region
                            )["pipelineExecutionSummaries"][0]["pipelineExecutionId"]
            say(f"superseded; following execution {execution}")
            continue
        time.sleep(POLL_SECONDS)


def release_batch(args: argparse.Namespace) -> None:
    listed = aws("ssm", "get-parameter", "--name", os.environ["ODMD_BATCH"], region=None)
    runs = runs_of(listed["Parameter"]["Value"])
    deadline = time.monotonic() + float(os.environ.get("ODMD_WAIT_SECONDS", "inf"))
    with ThreadPoolExecutor(WORKERS) as pool:
        list(pool.map(advance, runs))
        while True:
            list(pool.map(advance, [r for r in runs if r.outcome is None]))
            running = [r for r in runs if r.outcome is None]
            if not running:
                break
            if time.monotonic() >= deadline:
                for r in running:
                    r.outcome = "still running" if r.execution else "not started"
                    say(f"{r.name}: {r.outcome} when the wait ended (execution "
                        f"{r.execution or 'none'})")
                break
            time.sleep(POLL_SECONDS)
    failed = [r for r in runs if r.outcome != "Succeeded"]
    if failed:
        raise Failure(f"{len(failed)} of {len(runs)} pipelines did not succeed: "
                      + ", ".join(f"{r.name} ({r.outcome})" for r in failed))
    say(f"all {len(runs)} pipelines succeeded")


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="odmd_release.py", description="odmd's release runner")
    sub = p.add_subparsers(dest="command", required=True)
    sub.add_parser("step").set_defaults(run=release_step)
    sub.add_parser("batch").set_defaults(run=release_batch)
    return p


if __name__ == "__main__":
    sys.exit(run(parser().parse_args(sys.argv[1:])))
