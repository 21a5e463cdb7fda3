"""Rules E101–E108: what each reports, where, with which help, and what it leaves to others."""

from __future__ import annotations

import textwrap
from pathlib import Path

from odmdc import api
from odmdc.compiler.diagnostics import Diagnostic
from odmdc.compiler.unit import load
from tests.helpers import PRELUDE, codes, diagnose, unit_of


def of(code: str, src: str | dict[str, str]) -> list[Diagnostic]:
    return [d for d in diagnose(src) if d.code == code]


def text_at(src: str, d: Diagnostic) -> str:
    """The source text under a diagnostic's primary span (snippets live in main.odmd)."""
    return textwrap.dedent(src)[d.span.start:d.span.end]


def build(body: str, name: str = "orders", kind: str = "cdk") -> str:
    return f'build {name} : {kind} {{\n  repo = "acme/{name}"\n{body}\n}}\n'


def enver(name: str, rev: str, where: str = 'workspace1 "us-east-1"', body: str = "") -> str:
    return f"  enver {name} = {rev} in {where}" + (f" {{ {body} }}" if body else "")


# ---- E101 ----------------------------------------------------------------------------------
def test_e101_config_in_any_case() -> None:
    for name in ("config", "Config", "CONFIG"):
        src = build(enver("main", 'branch "main"'), name=name)
        [d] = of("E101", src)
        assert d.message == f"build id `{name}` is reserved"
        assert text_at(src, d) == name
    assert codes(build(enver("main", 'branch "main"'), name="configuration")) == []
    assert codes(build(enver("main", 'branch "main"'), name="app-config")) == []


# ---- E102 ----------------------------------------------------------------------------------
def test_e102_each_reason_and_its_span() -> None:
    cases = {
        '"feature/x"': "branch name `feature/x` holds `/`; a revision value is letters, digits "
                       "and `_.-`",
        '"a b"': "branch name `a b` holds a space; a revision value is letters, digits and `_.-`",
        '"a..b"': "branch name `a..b` contains `..`, which revision paths reserve as a separator",
        '"a_-b"': "branch name `a_-b` contains `_-`, which revision paths reserve as a separator",
        '"a-_b"': "branch name `a-_b` contains `-_`, which revision paths reserve as a separator",
        '""': "branch name `` is empty",
    }
    for value, message in cases.items():
        src = build(enver("main", f"branch {value}"))
        [d] = of("E102", src)
        assert d.message == message
        assert text_at(src, d) == value


def test_e102_suggests_a_valid_name() -> None:
    [d] = of("E102", build(enver("main", 'branch "feature/login"')))
    assert d.help is not None and d.help.startswith("rename the branch, e.g. `feature-login`")
    [d] = of("E102", build(enver("r1", 'tag "release..1"')))
    assert d.help is not None and d.help.startswith("rename the tag, e.g. `release.1`")


def test_e102_checks_tags_and_clones() -> None:
    src = build(enver("main", 'branch "main"')) + 'clone fx of orders.main = branch "fix/1"\n'
    [d] = of("E102", src)
    assert text_at(src, d) == '"fix/1"'
    assert codes(build(enver("main", 'branch "feature_x.2-b"'))) == []


def test_e102_leaves_derived_names_alone() -> None:
    """A bad revision is one fault: no E105/E106 on the names made from it."""
    src = build(enver("a", 'branch "x y"') + "\n" + enver("b", 'branch "x-y"'))
    assert codes(src) == ["E102"]


# ---- E103 ----------------------------------------------------------------------------------
def test_e103_branches_starting_with_v() -> None:
    src = build(enver("v2", 'branch "v2"') + "\n" + enver("next", 'branch "Vnext"'))
    ds = of("E103", src)
    assert [text_at(src, d) for d in ds] == ['"v2"', '"Vnext"']
    assert ds[0].message == "branch `v2` starts with `v`"
    assert ds[0].help == 'if this is a release, write `tag "v2"`; otherwise rename the branch'


def test_e103_tags_may_start_with_v_and_clones_are_checked() -> None:
    src = build(enver("main", 'branch "main"') + "\n" + enver("v1", 'tag "v1.0.0"'))
    assert codes(src) == []
    [d] = of("E103", src + 'clone c of orders.main = branch "v3-preview"\n')
    assert d.message == "branch `v3-preview` starts with `v`"


# ---- E104 ----------------------------------------------------------------------------------
def test_e104_reserved_names_everywhere_a_product_is_named() -> None:
    src = """
        enver_type service : cdk {
          produces { ServiceToken: string }
        }
        build orders : service {
          repo = "acme/orders"
          enver main = branch "main" in workspace1 "us-east-1" {
            produces { api: url { ODMD_rev_ref_x: string } }
          }
        }
        build app : container_image {
          repo = "acme/app"
          enver main = branch "main" in workspace1 "us-east-1" {
            image ODMD_rev_ref = "app:1"
          }
        }
    """
    ds = of("E104", src)
    assert [(text_at(src, d), d.message) for d in ds] == [
        ("ServiceToken", "product name `ServiceToken` is reserved"),
        ("ODMD_rev_ref_x", "product name `ODMD_rev_ref_x` starts with `ODMD_rev_ref`"),
        ("ODMD_rev_ref", "image name `ODMD_rev_ref` starts with `ODMD_rev_ref`"),
    ]


def test_e104_is_case_sensitive_like_the_platform() -> None:
    src = build(enver("main", 'branch "main"',
                      body="produces { serviceToken: string odmd_rev_ref: string }"))
    assert codes(src) == []


# ---- E105 ----------------------------------------------------------------------------------
def test_e105_stack_names_equal_after_sanitising() -> None:
    src = build(enver("a", 'branch "feature_x"') + "\n" + enver("b", 'branch "feature.x"'))
    [d] = diagnose(src)
    assert d.code == "E105"
    assert d.message == ("`orders.b` and `orders.a` both deploy stack `orders--feature-x` in "
                         "account `workspace1`, region `us-east-1`")
    assert text_at(src, d) == '"feature.x"'
    assert [s.message for s in d.secondary] == ["`orders.a`'s revision"]


def test_e105_stack_names_are_per_account_and_region() -> None:
    other_account = enver("b", 'branch "feature.x"', 'workspace2 "us-east-1"')
    assert codes(build(enver("a", 'branch "feature_x"') + "\n" + other_account)) == []
    src = PRELUDE.replace('in central "us-east-1"',
                          'in central "us-east-1"\n  enver west = branch "west" in central '
                          '"us-west-2"')
    other_region = enver("b", 'branch "feature.x"', 'workspace1 "us-west-2"')
    assert codes({"prelude.odmd": src,
                  "main.odmd": build(enver("a", 'branch "feature_x"') + "\n" + other_region)}
                 ) == []


def test_e105_across_builds_points_at_the_enver_names() -> None:
    src = (build(enver("main", 'branch "b--c"'), name="a")
           + build(enver("main", 'branch "c"'), name="a--b"))
    [d] = diagnose(src)
    assert d.message == ("`a.main` and `a--b.main` both deploy stack `a--b--c` in account "
                         "`workspace1`, region `us-east-1`")
    assert d.span.line == 3  # `a.main` sorts after `a--b.main`
    assert text_at(src, d) == "main"
    assert [s.message for s in d.secondary] == ["`a--b.main` declared here"]


def test_e105_same_revision_shares_config_store_paths_reported_once() -> None:
    body = "produces { api: url db: string }"
    src = build(enver("a", 'branch "main"', body=body) + "\n"
                + enver("b", 'branch "main"', 'workspace2 "us-east-1"', body=body))
    [d] = diagnose(src)
    assert d.message == "`orders.b` and `orders.a` both publish `/odmd-share/orders/b..main/api`"
    assert d.notes == ("they also share config-store path `/odmd-share/orders/b..main/db`",)
    assert d.primary.message == "same revision as `orders.a`"
    assert d.help == ("two envers of one build need different revisions: give `orders.b` its "
                      "own branch or tag")


def test_e105_same_revision_with_nothing_else_shared() -> None:
    """Publishing nothing, in two accounts: only the revision path is shared, and every
    backend names the enver's own files by it, so `check` must stop what `compile` can't emit."""
    src = build(enver("a", 'branch "main"') + "\n"
                + enver("b", 'branch "main"', 'workspace2 "us-east-1"'))
    [d] = diagnose(src)
    assert d.code == "E105"
    assert d.message == "`orders.b` and `orders.a` both deploy revision `b..main` of build `orders`"
    assert d.notes == ()
    assert d.primary.message == "same revision as `orders.a`"
    assert text_at(src, d) == '"main"'
    # another build may use the same revision
    other = build(enver("a", 'branch "main"'), name="pay")
    assert codes(build(enver("a", 'branch "main"')) + other) == []


def test_e105_compile_reports_it_instead_of_failing(tmp_path: Path) -> None:
    src = textwrap.dedent(PRELUDE) + build(enver("a", 'branch "main"') + "\n"
                                           + enver("b", 'branch "main"', 'workspace2 "us-east-1"'))
    (tmp_path / "org.odmd").write_text(src)
    result = api.compile(api.load([str(tmp_path / "org.odmd")]))
    assert [d.code for d in result.diagnostics] == ["E105"]


def test_e105_two_clones_on_one_branch_are_one_diagnostic() -> None:
    src = (build(enver("main", 'branch "main"', body="produces { api: url }"))
           + 'clone fx of orders.main = branch "fx"\nclone fy of orders.main = branch "fx"\n')
    [d] = diagnose(src)
    assert d.message == ("`orders.fy` and `orders.fx` both deploy stack `orders--fx` in account "
                         "`workspace1`, region `us-east-1`")
    assert d.notes == (
        "they also share config-store path `/odmd-share/orders/b..main-_b..fx/api`",)
    assert d.span.line == 6


def test_e105_ecr_repositories_lower_case() -> None:
    src = build(enver("a", 'branch "Main"', body='image web = "web:1"') + "\n"
                + enver("b", 'branch "main"', body='image web = "web:1"'),
                name="app", kind="container_image")
    [d] = diagnose(src)
    assert d.message == ("`app.b` and `app.a` both push to ECR repository `app/bmain/web` in "
                         "account `workspace1`, region `us-east-1`")


def test_e105_within_one_enver_templates_and_images() -> None:
    src = build(enver("main", 'branch "main"', body='stacks = ["{build}-a", "{build}_a"]'))
    [d] = diagnose(src)
    assert d.message == ("stack templates `{build}-a` and `{build}_a` of `orders.main` both "
                         "give stack `orders-a` in account `workspace1`, region `us-east-1`")
    assert text_at(src, d) == '"{build}_a"'
    # a clone copies the templates: the collision is still reported once
    assert codes(src + 'clone fx of orders.main = branch "fx"\n') == ["E105", "E105"]
    images = build(enver("main", 'branch "main"',
                         body='image web = "w:1" image api = "a:1" repo "Web"'),
                   name="app", kind="container_image")
    [d] = diagnose(images + 'clone fx of app.main = branch "fx"\n')
    assert d.message.startswith("images `api` and `web` of `app.main` both push to ECR "
                                "repository `app/bmain/web`")
    assert text_at(images, d) == '"Web"'


def test_e105_never_reports_shared_role_names_or_workflows() -> None:
    src = (build(enver("a", 'branch "main"') + "\n" + enver("b", 'branch "dev"'))
           + 'clone fx of orders.a = branch "fx"\n')
    assert codes(src) == []


def test_e105_does_not_depend_on_file_order() -> None:
    """The offender is the larger enver id, whichever file declares it first."""
    x = build(enver("x", 'branch "x--y"'), name="p")  # `p--x--y`
    y = build(enver("y", 'branch "y"'), name="p--x")  # `p--x--y`
    z = build(enver("z", 'branch "x-y"'), name="q")  # `q--x-y`: no clash
    for files in ({"a.odmd": x + z, "b.odmd": y}, {"a.odmd": y, "b.odmd": z + x}):
        ds = diagnose(files)
        assert [(d.code, d.message, d.secondary[0].message) for d in ds] == [
            ("E105", "`p.x` and `p--x.y` both deploy stack `p--x--y` in account `workspace1`, "
             "region `us-east-1`", "`p--x.y` declared here")]
        d = ds[0]
        assert "build p :" in files[d.span.file]
        assert files[d.span.file][d.span.start:d.span.end] == "x"


# ---- E106 ----------------------------------------------------------------------------------
def test_e106_role_names_at_the_boundary() -> None:
    # `-us-east-1` + 12 digits + `-centerRole` = 33 characters: a build id may have 31
    ok = "b" * 31
    assert codes(build(enver("main", 'branch "main"'), name=ok)) == []
    long = "b" * 32
    src = build(enver("main", 'branch "main"'), name=long)
    [d] = diagnose(src)
    assert d.code == "E106"
    assert d.message == (f"center role name `{long}-us-east-1222222222222-centerRole` is 65 "
                         "characters long, more than the 64 IAM allows")
    assert text_at(src, d) == long
    assert d.help == ("shorten the build id to at most 31 characters: role names are "
                      "`<build>-<region><account>-centerRole`")


def test_e106_groups_the_names_one_build_id_breaks() -> None:
    long = "b" * 40
    src = build(enver("main", 'branch "main"') + "\n"
                + enver("dev", 'branch "dev"', 'workspace2 "us-east-1"'), name=long)
    [d] = diagnose(src)
    assert d.message.startswith(f"build role name `{long}-us-east-1222222222222-buildRole` is "
                                "72 characters long")
    assert len(d.notes) == 3  # the center role, and both roles in workspace2


def test_e106_stack_names() -> None:
    branch = "x" * 121  # `orders--` + 121 = 129
    src = build(enver("main", f'branch "{branch}"'))
    [d] = diagnose(src)
    assert d.message == (f"stack name `orders--{branch[:52]}…{branch[-30:]}` is 129 characters "
                         "long, more than the 128 CloudFormation allows")
    assert d.notes == (f"the whole name is `orders--{branch}`",)
    assert text_at(src, d) == "main"
    assert codes(build(enver("main", f'branch "{branch[1:]}"'))) == []

    src = build(enver("main", 'branch "main"', body='stacks = ["1{build}"]'))
    [d] = diagnose(src)
    assert d.message == ("stack name `1orders` starts with `1`; CloudFormation stack names "
                         "start with a letter")
    assert [s.message for s in d.secondary] == ["stack templates declared here"]


def test_e106_a_clone_is_reported_for_its_own_faults_only() -> None:
    long = "x" * 119
    src = build(enver("main", 'branch "main"', body='stacks = ["1{build}-{rev}"]'))
    # the template is the origin's fault: reported once, on the origin
    assert codes(src + 'clone fx of orders.main = branch "fx"\n') == ["E106"]
    ok = build(enver("main", 'branch "main"'))
    src = ok + f'clone fx of orders.main = branch "{long}z1"\n'
    [d] = diagnose(src)
    assert d.primary.message == "the clone's stack"
    assert text_at(src, d) == "fx"


def test_e106_config_store_levels_point_at_the_product() -> None:
    # `/odmd-share/orders/b..main` is 3 levels: products may nest 12 deep
    nested = "a: string { " * 12 + "z: string { y: string }" + " }" * 12
    src = build(enver("main", 'branch "main"', body=f"produces {{ {nested} }}"))
    [d] = diagnose(src)
    assert d.message == ("config-store path `/odmd-share/orders/b..main/a/a/a/a/a/a/a/a/a/a/a/"
                         "a/z` has 16 levels, more than the 15 Parameter Store allows")
    assert text_at(src, d) == "z"  # not also its child `y`: one fault
    assert d.help == "nest products less deeply"


def test_e106_ecr_repository_points_at_the_image() -> None:
    src = build(enver("main", 'branch "main-"', body='image web = "w:1"'),
                name="app", kind="container_image")
    [d] = diagnose(src)
    assert d.message.startswith("ECR repository `app/bmain-/web` is not a valid ECR repository")
    assert text_at(src, d) == "web"


def test_e106_skips_names_of_rejected_accounts_and_regions() -> None:
    long = "b" * 40
    assert codes(build(enver("main", 'branch "main"', 'workspace1 "us-east1"'), name=long)) \
        == ["E107"]
    assert codes(build(enver("main", 'branch "main"', '"1234" "us-east-1"'), name=long)) \
        == ["E107"]
    assert codes(build(enver("main", 'branch "main"', 'nowhere "us-east-1"'), name=long)) \
        == ["E201"]


# ---- E107 ----------------------------------------------------------------------------------
def test_e107_accounts_and_regions() -> None:
    src = build(enver("a", 'branch "a"', '"2222-2222-2222" "us-east-1"') + "\n"
                + enver("b", 'branch "b"', 'workspace1 "us-east1"') + "\n"
                + enver("c", 'branch "c"', 'workspace1 "local"') + "\n"
                + enver("d", 'branch "d"', '"222222222222" "us-east-1"'))
    ds = of("E107", src)
    assert [(text_at(src, d), d.message, d.help) for d in ds] == [
        ('"2222-2222-2222"', "account id `2222-2222-2222` is not a 12-digit AWS account id",
         "write the account id as 12 digits, leading zeros included, or name an alias from "
         "the org's `accounts`"),
        ('"us-east1"', "unknown AWS region `us-east1`", "did you mean `us-east-1`?"),
        ('"local"', "unknown AWS region `local`",
         "write a region code such as `us-east-1` or `eu-west-2`"),
    ]


def test_e107_org_account_ids() -> None:
    prelude = PRELUDE.replace('"333333333333"', '"33333333333"')
    ds = diagnose({"prelude.odmd": prelude, "main.odmd": ""})
    assert [(d.code, d.message, d.primary.message) for d in ds] == [
        ("E107", "account id `33333333333` of account `workspace2` is not a 12-digit AWS "
         "account id", "11 digits")]


# ---- E108 ----------------------------------------------------------------------------------
def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def test_e108_docs_relative_to_the_declaring_file(tmp_path: Path) -> None:
    _write(tmp_path, {
        "prelude.odmd": PRELUDE.replace("org acme {", 'org acme {\n  docs = "README.md"'),
        "README.md": "# acme\n",
        "shop/orders.odmd": """\
enver_type service : cdk {
  docs = "docs/service.md"
}
build orders : service {
  repo = "acme/orders"
  docs = "docs"
  enver main = branch "main" in workspace1 "us-east-1" {
    docs = "../README.md"
  }
  enver dev = branch "dev" in workspace1 "us-east-1" {
    docs = "README.md"
  }
}
""",
        "shop/docs/service.md": "# service\n",
    })
    result = api.check(load([str(tmp_path)]), run_backends=False)
    assert [(d.code, d.span.line, d.message) for d in result.diagnostics] == [
        ("E108", 11, "documentation path `README.md` does not exist")]
    d = result.diagnostics[0]
    assert d.primary.message == f"looked for `{(tmp_path / 'shop' / 'README.md').as_posix()}`"


def test_e108_empty_docs_and_stdlib_files(tmp_path: Path) -> None:
    empty = build(enver("main", 'branch "main"', body='docs = ""'))
    _write(tmp_path, {"all.odmd": PRELUDE + empty})
    [d] = api.check(load([str(tmp_path)]), run_backends=False).diagnostics
    assert (d.code, d.message) == ("E108", "`docs` names no path")
    # files of the standard library are not on disk next to their docs: never checked
    stdlib_like = {"<stdlib>/extra.odmd": 'enver_type t : cdk { docs = "nowhere.md" }\n'}
    assert codes(stdlib_like) == []


def test_e106_pipeline_names_only_for_codepipeline_orgs() -> None:
    long_branch = "b" * 80
    enver = f'enver main = branch "{long_branch}" in workspace1 "us-east-1"'
    src = f'build orders : cdk {{\n  repo = "acme/orders"\n  {enver}\n}}\n'
    # the codepipeline backend's own names: its check (of a full check) reports them
    full = {"main.odmd": src, "prelude.odmd": PRELUDE}
    assert api.check(unit_of(full)).diagnostics == []  # github_actions org: the limit is moot
    connection = "arn:aws:codeconnections:us-east-1:111111111111:connection/c0ffee"
    prelude = PRELUDE.replace("  }\n}", "  }\n  ci = codepipeline\n  backend codepipeline {\n"
                              f'    connections = ["{connection}"]\n  }}\n}}', 1)
    assert codes({"main.odmd": src, "prelude.odmd": prelude}, prelude=False) == []  # rules
    diagnostics = api.check(unit_of({"main.odmd": src, "prelude.odmd": prelude})).diagnostics
    assert [d.code for d in diagnostics] == ["E106"]
    assert diagnostics[0].message.startswith("CodePipeline name `ODMD_orders-b..bbb")
