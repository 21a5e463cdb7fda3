"""Running backends over a checked IR: pick them, make their contexts (options, the plan, the
CI engines), collect their files and diagnostics."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from odmdc.backends.api import Backend, BackendOptions, EmitContext
from odmdc.backends.ci import CiEngine
from odmdc.backends.registry import BackendError, available, ci_engines, load, load_ci_engine
from odmdc.compiler.diagnostics import Diagnostic
from odmdc.compiler.ir import IR, Enver, Org
from odmdc.compiler.planner.plan import PlanOutcome
from odmdc.compiler.timings import NULL, Timings

Options = Mapping[str, Mapping[str, Any]]  # by backend or engine name, as written


@dataclass
class Emitted:
    files: dict[str, bytes] = field(default_factory=dict)  # DIR-relative, e.g. ssm/paths.json
    diagnostics: list[Diagnostic] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # plugins that could not run at all


def selected(org: Org, requested: Iterable[str] = ()) -> list[str]:
    """`--backend` names if given, else the org's `backends`; in a stable order."""
    names = list(dict.fromkeys(requested)) or list(dict.fromkeys(org.backends))
    return sorted(names)


def _options(cls: type[Backend] | type[CiEngine], name: str, given: Options) -> BackendOptions:
    """The options of a backend (its whole block) or a CI engine (its fields of the block)."""
    written = dict(given.get(name, {}))
    if issubclass(cls, CiEngine) and name in available():  # the backend's block, shared
        written = {k: v for k, v in written.items() if k in cls.Options.model_fields}
    opts: BackendOptions = cls.Options.model_validate(written)
    return opts


@dataclass(frozen=True, slots=True)
class Engines:
    ci: CiEngine  # the org's
    deployers: tuple[CiEngine, ...]  # every installed one that deploys the org, by name


def engines(org: Org, options: Options) -> Engines:
    """The org's CI engine and every installed engine deploying its envers, each with its
    options. Raises `BackendError` (also for invalid options, which the checker reports
    first as E003/E004)."""
    made: dict[str, CiEngine] = {}

    def make(name: str) -> CiEngine:
        if name not in made:
            cls = load_ci_engine(name)
            try:
                made[name] = cls(_options(cls, name, options))
            except ValidationError as e:
                raise BackendError(f"CI engine `{name}`: invalid options: {e}") from e
        return made[name]

    ci = make(org.ci)
    deployers = []
    for name, info in sorted(ci_engines().items()):
        if info.load_ci_engine().deploys(org):
            deployers.append(make(name))
    return Engines(ci, tuple(deployers))


def context(ir: IR, plan: PlanOutcome, name: str, options: Options | None = None,
            found: Engines | None = None) -> tuple[Backend, EmitContext]:
    """Backend `name` made with its options, and its context (raises `BackendError`)."""
    given = options if options is not None else ir.org.backend_options
    cls = load(name)
    try:
        opts = _options(cls, name, given)
    except ValidationError as e:
        raise BackendError(f"backend `{name}`: invalid options: {e}") from e
    made = found if found is not None else engines(ir.org, given)
    return cls(opts), EmitContext(name, opts, plan, made.ci, made.deployers)


def emit(ir: IR, plan: PlanOutcome, names: Sequence[str], options: Options | None = None,
         timings: Timings = NULL, *, files: bool = True) -> Emitted:
    """Run the backends `names` over `ir` (`files` False: only their checks)."""
    out = Emitted()
    given = options if options is not None else ir.org.backend_options
    try:
        found = engines(ir.org, given)
    except BackendError as e:
        out.errors.append(str(e))
        return out
    for name in names:
        try:
            backend, ctx = context(ir, plan, name, given, found)
        except BackendError as e:
            out.errors.append(str(e))
            continue
        with timings.backend(name):
            if not files:
                backend.check(ir, ctx)
            else:
                for f in sorted(backend.emit(ir, ctx), key=lambda f: f.path):
                    key = f"{name}/{f.path}"
                    if key in out.files:
                        raise RuntimeError(f"backend `{name}` emitted {f.path} twice")
                    out.files[key] = f.content
        out.diagnostics.extend(ctx.diagnostics)
    return out


def backend_names(ir: IR, enver: Enver, names: Sequence[str]) -> dict[str, dict[str, str]]:
    """The own names of `enver` of each of the backends `names` that has some (one that
    cannot be loaded has none here: compiling with it reports why)."""
    out = {}
    for name in names:
        try:
            own = load(name).names(ir, enver)
        except BackendError:
            continue
        if own:
            out[name] = own
    return out
