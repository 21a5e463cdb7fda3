from odmdc.compiler.checker.context import CheckContext
from odmdc.compiler.checker.edges import is_contracts_lib
from odmdc.compiler.checker.model import EnverDef
from odmdc.compiler.regions import is_known_region
from odmdc.compiler.rules.base import Rule

_LISTED = 8


class RegionWithoutContractsLib(Rule):
    """One diagnostic per region, not per enver: the fix is one enver of the contracts
    library in that region, however many envers are there, so one fault gets one report (at
    the region of its first enver by id, a choice no file or declaration order changes),
    with a note naming the others."""

    code = "E307"
    title = "region without a contracts_lib enver"
    summary = "Envers are deployed in a region where the contracts library has no enver."

    def check(self, ctx: CheckContext) -> None:
        covered: set[str] = set()
        libs: dict[str, EnverDef] = {}  # contracts_lib build → its first enver
        by_region: dict[str, list[EnverDef]] = {}
        for e in ctx.model.envers():
            # a clone shares its origin's region; unknown regions are E107's
            if e.is_clone or not is_known_region(e.region):
                continue
            if is_contracts_lib(e.build):
                covered.add(e.region)
                libs.setdefault(e.build.id, e)
            by_region.setdefault(e.region, []).append(e)
        for region in sorted(by_region.keys() - covered):
            first, *others = by_region[region]
            notes = []
            if others:
                shown = ", ".join(f"`{e.id}`" for e in others[:_LISTED])
                more = ", …" if len(others) > _LISTED else ""
                notes.append(f"{len(others)} more enver{'s' if len(others) > 1 else ''} in "
                             f"`{region}`: {shown}{more}")
            notes.append("an enver reads the contracts library's products (its build "
                         "definitions and the org's shared values) in its own region")
            if len(libs) == 1:
                (lib,) = libs.values()
                account = lib.account_alias or f'"{lib.account_id}"'
                # a revision of its own: one revision per enver keeps names and paths apart
                help = (f"add an enver to build `{lib.build.id}` in `{region}`, e.g. `enver "
                        f'{region} = branch "{region}" in {account} "{region}"`')
            else:
                help = f"add an enver of the org's `contracts_lib` build in `{region}`"
            ctx.report(
                self.code,
                f"region `{region}` has no `contracts_lib` enver",
                first.region_span, f"`{first.id}` is deployed in `{region}`",
                notes=notes, help=help,
            )
