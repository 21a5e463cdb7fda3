"""The validators the pipeline tests rely on catch what they claim to: each break of a valid
generated pipeline gives the expected error (and the pipeline itself gives none)."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from tests.backends.codepipeline.orgs import load_json
from tests.backends.codepipeline.validate import semantic_errors, shape_errors

Pipeline = dict[str, Any]


def _valid() -> Pipeline:
    # a cdk enver with an approval: source, build, approve, deploy
    p: Pipeline = load_json("multi", "app/b..main.pipeline.json")
    assert [s["name"] for s in p["stages"]] == ["Source", "Build", "Approve", "Deploy"]
    return copy.deepcopy(p)


def _action(p: Pipeline, stage: str, action: str | None = None) -> dict[str, Any]:
    s = next(s for s in p["stages"] if s["name"] == stage)
    a: dict[str, Any] = s["actions"][0] if action is None else \
        next(a for a in s["actions"] if a["name"] == action)
    return a


def test_the_valid_pipeline_is_valid() -> None:
    assert shape_errors(_valid()) == []
    assert semantic_errors(_valid()) == []


SHAPE_BREAKS: list[tuple[str, Callable[[Pipeline], None], str]] = [
    ("missing name", lambda p: p.pop("name"), 'Missing required parameter in pipeline: "name"'),
    ("unknown key", lambda p: p["stages"][0].update(acitons=[]), 'Unknown parameter'),
    ("enum", lambda p: p.update(pipelineType="V3"), "'V3' not in ['V1', 'V2']"),
    ("category enum", lambda p: _action(p, "Build")["actionTypeId"].update(category="Nope"),
     "'Nope' not in"),
    ("pattern", lambda p: p.update(name="has space"), "does not match"),
    ("max length", lambda p: p.update(name="x" * 101), "101 characters, more than 100"),
    ("config value max", lambda p: _action(p, "Approve", "Approve1")["configuration"].update(
        CustomData="x" * 1001), "1001 characters, more than 1000"),
    ("too many push filters", lambda p: p["triggers"][0]["gitConfiguration"].update(
        push=[{}] * 4), "4 items, more than 3"),
    ("run order", lambda p: _action(p, "Build").update(runOrder=1000), "1000 more than 999"),
]


@pytest.mark.parametrize(("what", "brk", "expected"), SHAPE_BREAKS,
                         ids=[b[0] for b in SHAPE_BREAKS])
def test_shape_breaks(what: str, brk: Callable[[Pipeline], None], expected: str) -> None:
    p = _valid()
    brk(p)
    errors = shape_errors(p)
    assert any(expected in e for e in errors), errors


SEMANTIC_BREAKS: list[tuple[str, Callable[[Pipeline], None], str]] = [
    ("unknown provider", lambda p: _action(p, "Approve", "Approve1")["actionTypeId"].update(
        provider="Manualx"), "unknown action type"),
    ("no connection", lambda p: _action(p, "Source")["configuration"].pop("ConnectionArn"),
     "missing configuration ['ConnectionArn']"),
    ("bad connection", lambda p: _action(p, "Source")["configuration"].update(
        ConnectionArn="arn:aws:codestar:us-east-1:1:x"), "ConnectionArn"),
    ("unknown config key", lambda p: _action(p, "Build")["configuration"].update(Project="x"),
     "unknown configuration ['Project']"),
    ("dangling input", lambda p: _action(p, "Deploy")["inputArtifacts"][0].update(name="Nope"),
     "'Nope' is produced by no earlier action"),
    ("input from a later stage", lambda p: p["stages"].insert(1, p["stages"].pop(3)),
     "'Assembly' is produced by no earlier action"),
    ("artifacts on an approval", lambda p: _action(p, "Approve", "Approve1").update(
        inputArtifacts=[{"name": "Source"}]), "1 input artifacts, not 0..0"),
    ("output made twice", lambda p: _action(p, "Build")["outputArtifacts"][0].update(
        name="Source"), "'Source' is produced twice"),
    ("source in a later stage", lambda p: p["stages"][1]["actions"].append(
        copy.deepcopy(_action(p, "Source"))), "source actions belong in the first stage"),
    ("one stage", lambda p: p.update(stages=p["stages"][:1]), "1 stages"),
    ("duplicate stage", lambda p: p["stages"][2].update(name="Build"), "duplicate stage names"),
    ("duplicate action", lambda p: _action(p, "Approve", "Approve2").update(name="Approve1"),
     "duplicate action names"),
    ("trigger names no source", lambda p: p["triggers"][0]["gitConfiguration"].update(
        sourceActionName="Build"), "not a connection source action"),
    ("triggers on V1", lambda p: p.update(pipelineType="V1"), "triggers need pipelineType V2"),
    ("bad topic", lambda p: _action(p, "Approve", "Approve1")["configuration"].update(
        NotificationArn="arn:aws:sqs:us-east-1:111111111111:q"), "NotificationArn"),
    ("long custom data", lambda p: _action(p, "Approve", "Approve1")["configuration"].update(
        CustomData="x" * 501), "CustomData longer than 500"),
]


@pytest.mark.parametrize(("what", "brk", "expected"), SEMANTIC_BREAKS,
                         ids=[b[0] for b in SEMANTIC_BREAKS])
def test_semantic_breaks(what: str, brk: Callable[[Pipeline], None], expected: str) -> None:
    p = _valid()
    brk(p)
    errors = semantic_errors(p)
    assert any(expected in e for e in errors), errors
