"""What a rule sees while it runs: the resolved model, its dependency graph, a way to report."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator

import networkx as nx

from odmdc.compiler import ast
from odmdc.compiler.checker.model import ConsumerDef, Model
from odmdc.compiler.diagnostics import Diagnostic, Label, Severity, Sink, make
from odmdc.compiler.driver import Unit
from odmdc.compiler.span import Span


class CheckContext:
    def __init__(self, unit: Unit, model: Model, sink: Sink | None = None) -> None:
        self.unit = unit
        self.model = model
        self.sink = sink if sink is not None else Sink()
        self.severity: Severity | None = None  # set per rule by the runner

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
        d = make(code, message, span, label, help=help, notes=notes, secondary=secondary,
                 severity=self.severity)
        self.sink.add(d)
        return d

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
        for c in self.model.consumers():
            if c.resolved and not c.inherited:
                yield c

    def user_items(self) -> Iterator[ast.Item]:
        return self.model.user_items()
