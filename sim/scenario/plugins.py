"""A kind of service defined outside this package (a plug-in, or a throw-away service in a
test): its schema class added to the kinds a scenario's `services` accept. The service
layer registers the rest (services/registry.register_service; docs/services.md)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, Union, get_args

from sim.scenario.config import SERVICE_SCHEMAS, Scenario
from sim.scenario.schema import ServiceSchema


def add_service_schema(schema: type[ServiceSchema]) -> Callable[[], None]:
    """Accept a kind of arrangement block defined outside this package (a plug-in, or a
    throw-away service in a test): its `type` values become valid in `services`, and
    SERVICE_SCHEMAS names it. Returns the function that takes it out again. A service
    module registers its schema through services.registry.register_service."""
    kinds = get_args(schema.model_fields["type"].annotation)
    taken = sorted(set(kinds) & set(SERVICE_SCHEMAS))
    if not kinds or taken:
        raise ValueError(f"{schema.__name__}: give `type` a Literal of new kinds (taken: {', '.join(taken)})")
    field = Scenario.model_fields["services"]
    before = field.annotation
    (union, discriminator) = get_args(get_args(before)[0])  # list[Annotated[A | B | ..., Field(discriminator)]]
    widened: Any = Union.__getitem__((*get_args(union), schema))  # a type built at run time
    field.annotation = list[Annotated[widened, discriminator]]
    Scenario.model_rebuild(force=True)
    SERVICE_SCHEMAS.update({kind: schema for kind in kinds})

    def remove() -> None:
        field.annotation = before
        Scenario.model_rebuild(force=True)
        for kind in kinds:
            del SERVICE_SCHEMAS[kind]
    return remove
