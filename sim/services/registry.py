"""Service types, each declared once.

A service type is its schema block (scenario layer: fields, defaults, whether it is a
first-line step, its workload category, its names in English and Dutch; see
`sim.scenario.config.SERVICE_SCHEMAS`) and, here, the function that builds its runtime
object for one replication. Each service module registers its own builder:

    @builds("voorwacht", "triage", "regionale_triage")
    def build(b: Builder, cfg: Voorwacht) -> VoorwachtService: ...

The region builds whatever a scenario names through `builder(kind)`, so adding a service
type touches its own module, its schema block, a test (and a config and the docs), not a
list of types elsewhere.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from typing import Any, TypeVar

from sim.scenario.config import SERVICE_SCHEMAS
from sim.scenario.plugins import add_service_schema
from sim.scenario.schema import ServiceSchema

# Who handled a request (requests.handled_by) -> (English, Dutch), as the service blocks
# declare them, plus the general population's own GP (a hand-over out of the model). Their
# order here is the order of the codes the records keep.
HANDLER_LABELS: dict[str, tuple[str, str]] = {
    **{name: label for schema in SERVICE_SCHEMAS.values() for name, label in schema.handlers.items()},
    "own_gp": ("their own GP (handed over)", "de eigen huisarts (overgedragen)"),
}
# A list, not a tuple: a service kind registered later (register_service) adds its handlers
# at the end, so the codes of the others do not change.
HANDLERS: list[str] = list(HANDLER_LABELS)
HANDLER_CODE = {name: code for code, name in enumerate(HANDLERS)}

Build = Callable[[Any, Any], Any]  # (Builder, the service's scenario block) -> Service
F = TypeVar("F", bound=Callable[..., Any])
_BUILDERS: dict[str, Build] = {}


def _register(table: dict[str, F], kinds: tuple[str, ...]) -> Callable[[F], F]:
    """A decorator that puts its function in `table` for each of these service kinds (each
    must have a schema block)."""
    def register(fn: F) -> F:
        for kind in kinds:
            if kind not in SERVICE_SCHEMAS:
                raise ValueError(f"no schema declares service kind '{kind}'")
            table[kind] = fn
        return fn
    return register


def builds(*kinds: str) -> Callable[[Build], Build]:
    """Register the decorated function as the builder of these service kinds."""
    return _register(_BUILDERS, kinds)


# A service that changes the demand itself (the behandelteam's proactive care prevents
# requests) declares it: (requests, the period of each arrival, per location the blocks of
# its kind that any of the location's routes passes) -> which requests do not happen.
DemandHook = Callable[[Any, Any, list[list[Any]]], Any]
_DEMAND_HOOKS: dict[str, DemandHook] = {}


def changes_demand(*kinds: str) -> Callable[[DemandHook], DemandHook]:
    """Register the decorated function as the demand hook of these service kinds."""
    return _register(_DEMAND_HOOKS, kinds)


_loaded = False


def _load() -> None:
    """Import every service module once (each registers its builder and hooks)."""
    global _loaded
    if not _loaded:
        import sim.services as package
        for module in pkgutil.iter_modules(package.__path__):
            importlib.import_module(f"{package.__name__}.{module.name}")
        missing = sorted(set(SERVICE_SCHEMAS) - set(_BUILDERS))
        if missing:
            raise RuntimeError(f"service kinds without a builder: {', '.join(missing)}")
        _loaded = True


def builder(kind: str) -> Build:
    """The builder of a service kind (every service module is imported the first time)."""
    _load()
    return _BUILDERS[kind]


def demand_hooks() -> dict[str, DemandHook]:
    """Every service kind that changes the demand, with its hook, in a fixed order."""
    _load()
    return dict(sorted(_DEMAND_HOOKS.items()))


def register_service(schema: type[ServiceSchema], build: Build) -> Callable[[], None]:
    """A kind of service defined outside this package (a plug-in, or a throw-away service
    in a test): its schema class (scenario/plugins.add_service_schema), its handlers (new
    ones get the next codes of requests.handled_by) and its builder. Returns the function
    that takes all of it out again (the handlers it added must be the last ones)."""
    remove_schema = add_service_schema(schema)
    kinds = [k for k, s in SERVICE_SCHEMAS.items() if s is schema]
    added = [name for name in schema.handlers if name not in HANDLER_LABELS]
    for name in added:
        HANDLER_LABELS[name] = schema.handlers[name]
        HANDLER_CODE[name] = len(HANDLERS)
        HANDLERS.append(name)
    builds(*kinds)(build)

    def remove() -> None:
        for kind in kinds:
            _BUILDERS.pop(kind, None)
        for name in reversed(added):
            assert HANDLERS[-1] == name, "handlers are taken out in the order they came"
            HANDLERS.pop()
            del HANDLER_CODE[name], HANDLER_LABELS[name]
        remove_schema()
    return remove
