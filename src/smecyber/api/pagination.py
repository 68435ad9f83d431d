"""Every list in the API is a page: ``?limit=`` (1–200, default 50) and ``?offset=``; answers carry ``count``."""

# No `from __future__ import annotations` here: ninja and pydantic read these annotations at runtime.


from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

MAX_LIMIT = 200


class Page(LimitOffsetPagination):
    class Input(Schema):
        limit: int = Field(50, ge=1, le=MAX_LIMIT, description="How many items (at most 200)")
        offset: int = Field(0, ge=0, description="How many items to skip")

    def __init__(self, **kwargs: object) -> None:
        super().__init__(max_limit=MAX_LIMIT, **kwargs)  # type: ignore[arg-type]
