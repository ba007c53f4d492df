"""The metric → indicator mapping of the portal's answers, as data (endpoints.toml)."""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Metric(_Strict):
    code: str
    indicator: str | None = None  # None: shown by the portal with 0 points, kept, not scored


class Counts(_Strict):
    indicator: str
    numerator: tuple[str, ...] = Field(min_length=1)
    denominator: tuple[str, ...] = Field(min_length=1)


class Endpoint(_Strict):
    name: str
    group: str
    shape: Literal["metrics", "tree"]
    period: Literal["timeType", "dates"]
    metrics: tuple[Metric, ...] = ()
    signature: str | None = None  # a field only this tree endpoint's rows carry
    group_points: tuple[str, ...] = ()
    counts: tuple[Counts, ...] = ()


class Legacy(_Strict):
    name_field: str
    code_field: str
    total_field: str
    groups: dict[str, str]


class PortalMapping(_Strict):
    endpoints: tuple[Endpoint, ...]
    legacy: Legacy

    def endpoint(self, name: str) -> Endpoint:
        return next(e for e in self.endpoints if e.name == name)


@cache
def load_mapping() -> PortalMapping:
    text = (resources.files("xl766.portal") / "endpoints.toml").read_text(encoding="utf-8")
    return PortalMapping.model_validate(tomllib.loads(text))
