"""The rules the checker runs (`base`, one module per rule in family folders, `run`) and the
catalogue of every code odmdc reports (`catalogue`)."""

from odmdc.compiler.rules.base import Rule, all_rules
from odmdc.compiler.rules.catalogue import Entry, Explanation, catalogue, explain

__all__ = ["Entry", "Explanation", "Rule", "all_rules", "catalogue", "explain"]
