"""Every diagnostic code of SPEC §3, one module per rule, grouped by family."""

from odmdc.compiler.rules.base import Explanation, FrontEndRule, Rule, all_rules, explain

__all__ = ["Explanation", "FrontEndRule", "Rule", "all_rules", "explain"]
