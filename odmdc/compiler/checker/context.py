"""What a rule sees while it runs: the resolved model, its dependency graph, a way to report."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator

import networkx as nx

from odmdc.compiler import ast
from odmdc.compiler.checker.model import ConsumerDef, EnverDef, Model
from odmdc.compiler.checker.names import EnverNames, enver_names
from odmdc.compiler.checker.plugins import NoPlugins, Plugins
from odmdc.compiler.diagnostics import Diagnostic, Label, Severity, Sink
from odmdc.compiler.span import Span
from odmdc.compiler.unit import Unit


class CheckContext:
    def __init__(self, unit: Unit, model: Model, sink: Sink | None = None,
                 plugins: Plugins | None = None) -> None:
        self.unit = unit
        self.model = model
        self.plugins: Plugins = plugins if plugins is not None else NoPlugins()
        self.sink = sink if sink is not None else Sink()
        self.severity: Severity | None = None  # set per rule by the runner
        self.name_cache: dict[EnverDef, EnverNames] = {}

    def report(
        self,
        code: str,
        message: str,
        span: Span,
        label: str = "",
        *,
        help: str | None = None,
        notes: Iterable[str] = (),
        secondary: Iterable[Label] = (),
    ) -> Diagnostic:
        return self.sink.report(code, message, span, label, help=help, notes=notes,
                                secondary=secondary, severity=self.severity)

    @functools.cached_property
    def graph(self) -> nx.MultiDiGraph:
        """Envers (clones included) → envers, one edge per resolved consumer, keyed by the
        consumer's name, carrying it as `consumer`."""
        g = nx.MultiDiGraph()
        for e in self.model.envers():
            g.add_node(e.id, enver=e)
        for c in self.model.consumers():
            if c.producer is not None and c.product is not None:
                g.add_edge(c.producer.id, c.enver.id, key=c.name, consumer=c)
        return g

    def resolved_consumers(self) -> Iterator[ConsumerDef]:
        """Consumers bound to a product, declared ones only (a clone's copies are checked
        where they are written, on the origin)."""
        return iter(self._resolved)

    @functools.cached_property
    def _resolved(self) -> list[ConsumerDef]:
        # many rules walk these; the model does not change while rules run
        return [c for c in self.model.consumers() if c.resolved and not c.inherited]

    @functools.cached_property
    def central_id(self) -> str:
        org = self.model.org
        return org.central.id if org is not None and org.central is not None else ""

    def names(self, e: EnverDef) -> EnverNames:
        """Every generated name of `e`, computed once per run (rules and the IR share them)."""
        n = self.name_cache.get(e)
        if n is None:
            n = self.name_cache[e] = enver_names(e, self.central_id)
        return n

    def user_items(self) -> Iterator[ast.Item]:
        return self.model.user_items()
