from odmdc.compiler import ast
from odmdc.compiler.checker import attributes as attrs
from odmdc.compiler.checker.backend_options import option_problems
from odmdc.compiler.checker.context import CheckContext
from odmdc.compiler.rules.base import Rule
from odmdc.compiler.span import file_start


class MissingRequired(Rule):
    code = "E004"
    title = "missing required item"
    summary = (
        "Something required is absent: the org, its accounts or central account, a build's "
        "`repo`, a required option of a backend the org uses, or the binding of a consumer "
        "slot the enver's type declares."
    )

    def check(self, ctx: CheckContext) -> None:
        m = ctx.model
        if m.org is None:
            first = next((f for f in m.files if f.items), None)
            if first is not None:
                ctx.report(
                    self.code, "the contracts declare no `org`", file_start(first.path),
                    "no org in any file",
                    help='declare one: `org NAME { accounts { central = "123456789012" } }`',
                )
        else:
            org = m.org
            for p in option_problems(org, ctx.plugins):
                if p.kind == "missing":
                    ctx.report(self.code, p.message, p.span, "option missing", help=p.help)
            if not org.accounts:
                ctx.report(self.code, f"org `{org.name}` declares no accounts",
                           org.node.name.span, "no `accounts`",
                           help='add `accounts { central = "123456789012" … }`')
            elif org.central is None:
                ctx.report(
                    self.code,
                    f"org `{org.name}` has no central account `{org.central_alias}`",
                    org.node.name.span, "central account missing",
                    help="the central account holds the contracts and the center roles: add "
                    f"`{org.central_alias} = \"…\"` to `accounts` or set `central_account`",
                )
        for b in m.builds.values():
            for name, spec in attrs.BUILD.items():
                if spec.required and name not in b.attributes:
                    ctx.report(self.code, f"build `{b.id}` has no `{name}`", b.node.name.span,
                               f"`{name}` missing", help=f"add `{name} = …`: {spec.doc}")
        for e in m.envers():
            if e.is_clone or e.build.type is None or not isinstance(e.node, ast.Enver):
                continue
            if e.kind == "container_image" or e.build.type.contracts_lib:
                continue  # such envers may not consume at all: E302/E303 report the slot
            bound = {c.name for c in e.consumers}
            for slot in e.build.type.slots.values():
                if slot.name not in bound:
                    ctx.report(
                        self.code,
                        f"enver `{e.id}` does not bind consumer slot `{slot.name}` of type "
                        f"`{slot.owner}`",
                        e.name_span, f"`{slot.name}: {slot.type}` unbound",
                        help=f"add `consumes {{ {slot.name} = BUILD.ENVER.PRODUCT }}`",
                    )
