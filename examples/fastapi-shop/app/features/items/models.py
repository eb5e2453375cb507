"""Request and response models of the catalog."""

from pydantic import BaseModel, Field


class ItemIn(BaseModel):
    """The body of POST /api/items and PUT /api/items/{item_id}."""

    name: str = Field(min_length=1, max_length=80)
    price: float = Field(gt=0, description="Unit price in the shop's currency")
    tags: list[str] = Field(default_factory=list, max_length=10)
    in_stock: bool = True


class ItemPatch(BaseModel):
    """The body of PATCH /api/items/{item_id}: only the fields sent change."""

    name: str | None = Field(default=None, min_length=1, max_length=80)
    price: float | None = Field(default=None, gt=0)
    tags: list[str] | None = Field(default=None, max_length=10)
    in_stock: bool | None = None


class Item(BaseModel):
    id: int
    name: str
    price: float
    tags: list[str]
    in_stock: bool


class ItemPage(BaseModel):
    items: list[Item]
    total: int
    limit: int
    offset: int


class ReviewIn(BaseModel):
    rating: int = Field(ge=1, le=5)
    comment: str = Field(default="", max_length=500)


class Review(BaseModel):
    id: int
    item_id: int
    rating: int
    comment: str
