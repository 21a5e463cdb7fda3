"""The batch runner of a batched release pipeline (`release.py`), run in CodeBuild.

Embedded (compacted, its import of the helper renamed) in the buildspec of each runner
project next to odmd's helper (`runtime.py`, written as `odmd_pipeline.py` in the same folder),
whose `aws` it uses; a file of its own so that the helper every enver's pipeline embeds stays
as it is.

    python3 odmd_release_batch.py

reads parameter `ODMD_BATCH` (lines `<deploy|update> <pipeline> <region>`), starts every
pipeline, and polls all of them in parallel — a superseded run is followed to the newer one,
as `release-step` does — until none is running or `ODMD_WAIT_SECONDS` have passed. Exit 0
when every one succeeded; else 1, naming each that failed, could not start, or still ran.

A batch's calls come in bursts (a phase of thousands of pipelines starts them together), so a
call that CodePipeline throttles or fails on its side is tried again in the next round, up to
`ATTEMPTS` times in a row for one pipeline; any other error (no such pipeline, access denied)
ends that pipeline's run at once. The AWS CLI's own retries come first.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from odmdc.backends.codepipeline.runtime import DONE, POLL_SECONDS, AwsError, Failure, aws

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


def advance(run: Run) -> None:
    """One round for one pipeline: start it, or look at the execution it follows."""
    try:
        if not run.execution:
            start(run)
        else:
            poll(run)
        run.errors = 0
    except AwsError as err:
        run.errors += 1
        again = any(t in err.stderr for t in TRANSIENT) and run.errors < ATTEMPTS
        if not again:
            run.outcome = "unknown" if run.execution else "not started"
        say(f"{run.step} {run.name} ({run.region}): {err}" + (" (trying again)" if again
                                                             else ""))


def start(run: Run) -> None:
    run.execution = aws("codepipeline", "start-pipeline-execution", "--name", run.name,
                        region=run.region)["pipelineExecutionId"]
    say(f"{run.step} {run.name} ({run.region}): execution {run.execution}")


def poll(run: Run) -> None:
    status = aws("codepipeline", "get-pipeline-execution", "--pipeline-name", run.name,
                 "--pipeline-execution-id", run.execution,
                 region=run.region)["pipelineExecution"]["status"]
    if status == "Superseded":
        # a newer run (a push, a reaction) took over: its outcome is the enver's
        run.execution = aws("codepipeline", "list-pipeline-executions", "--pipeline-name",
                            run.name, "--max-items", "1", region=run.region
                            )["pipelineExecutionSummaries"][0]["pipelineExecutionId"]
        say(f"{run.name} superseded; following execution {run.execution}")
    elif status in DONE:
        run.outcome = status
        say(f"{run.name} execution {run.execution}: {status}")


def release_batch() -> None:
    listed = aws("ssm", "get-parameter", "--name", os.environ["ODMD_BATCH"])
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


def main() -> int:
    try:
        release_batch()
    except Failure as err:
        print(f"odmd: error: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
