from odmdc.compiler.checker.edges import is_contracts_lib_type
from odmdc.compiler.checker.model import TypeDef
from odmdc.compiler.rules.producer_only import ProducerOnlyRule


class ContractsLibConsumes(ProducerOnlyRule):
    code = "E302"
    title = "contracts_lib enver consumes"
    summary = "An enver of the contracts library (a `contracts_lib` build) declares consumers."
    what = "`contracts_lib`"
    why = (
        "the contracts library is built first, from its own repository alone: every other "
        "enver is defined by it, so nothing exists yet for it to read"
    )

    def applies(self, t: TypeDef) -> bool:
        return is_contracts_lib_type(t)
