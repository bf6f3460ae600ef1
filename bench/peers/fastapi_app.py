"""The benchmark's FastAPI peer: GET /item/{id} and POST /item, written the way the FastAPI
full-stack template writes an API (bench/README.md, "The FastAPI peer").

Its idiom, in our own minimal code: SQLModel table models (here mapped onto storeapi's existing
tables), one SQLModel `Session` per request from a `get_db` dependency, a `CurrentUser`
dependency that decodes the bearer JWT with PyJWT and loads the user with `session.get`, the
owner check done in the route, and pydantic response models. It reads and writes the database
that bench/run.py built and accepts the token storeapi issued (HS256, `sub` = the user's id);
bench/run.py passes it the database URL and the token's key.

    PEER_DATABASE_URL=sqlite:///bench/.data/bench-10000.db PEER_JWT_KEY=<hex> \
        uvicorn bench.peers.fastapi_app:app --workers 2
"""

import os
from collections.abc import Generator
from datetime import UTC, datetime
from decimal import Decimal
from typing import Annotated, Any

import jwt
from fastapi import Depends, FastAPI, HTTPException, status
from fastapi.security import OAuth2PasswordBearer
from jwt.exceptions import InvalidTokenError
from pydantic import ValidationError
from sqlalchemy import DateTime
from sqlmodel import Field, Relationship, Session, SQLModel, create_engine

SECRET_KEY = bytes.fromhex(os.environ["PEER_JWT_KEY"])
ALGORITHM = "HS256"

# The template's engine is a plain `create_engine` with SQLAlchemy's defaults: 5 + 10 pooled
# connections. That stalled one PostgreSQL run at 64 connections (723 answers in the warm-up,
# none in the 20 s after it): FastAPI runs sync routes and dependencies, a session's closing
# included, on 40 threads, which can all end up waiting on a pool of 15. A connection for each
# thread rules that out, so the peer is measured rather than stalled.
engine = create_engine(os.environ["PEER_DATABASE_URL"], pool_size=20, max_overflow=20)


def utcnow() -> datetime:
    return datetime.now(UTC)


# --- models: the columns the two routes use, of storeapi's tables ---------------------------


class ItemTagLink(SQLModel, table=True):
    __tablename__ = "item_tags"
    item_id: int = Field(foreign_key="items.id", primary_key=True)
    tag_id: int = Field(foreign_key="tags.id", primary_key=True)


class User(SQLModel, table=True):
    __tablename__ = "users"
    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254)
    password_hash: str
    is_admin: bool = False


class Store(SQLModel, table=True):
    __tablename__ = "stores"
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=80)
    owner_id: int | None = Field(default=None, foreign_key="users.id")


class TagPublic(SQLModel):
    id: int
    name: str


class Tag(TagPublic, table=True):
    __tablename__ = "tags"
    id: int | None = Field(default=None, primary_key=True)
    store_id: int = Field(foreign_key="stores.id")
    items: list["Item"] = Relationship(back_populates="tags", link_model=ItemTagLink)


class ItemBase(SQLModel):
    name: str = Field(min_length=1, max_length=80)
    price: Decimal = Field(ge=0, max_digits=12, decimal_places=2)
    store_id: int = Field(foreign_key="stores.id")


class ItemCreate(ItemBase):
    pass


class Item(ItemBase, table=True):
    __tablename__ = "items"
    id: int | None = Field(default=None, primary_key=True)
    version: int = 1
    created_at: datetime = Field(default_factory=utcnow, sa_type=DateTime(timezone=True))
    updated_at: datetime = Field(default_factory=utcnow, sa_type=DateTime(timezone=True))
    tags: list[Tag] = Relationship(back_populates="items", link_model=ItemTagLink)


class ItemPublic(ItemBase):
    id: int
    created_at: datetime


class ItemPublicWithTags(ItemPublic):
    tags: list[TagPublic] = []


class TokenPayload(SQLModel):
    sub: int


# --- dependencies ---------------------------------------------------------------------------

reusable_oauth2 = OAuth2PasswordBearer(tokenUrl="/login")


def get_db() -> Generator[Session]:
    with Session(engine) as session:
        yield session


SessionDep = Annotated[Session, Depends(get_db)]
TokenDep = Annotated[str, Depends(reusable_oauth2)]


def get_current_user(session: SessionDep, token: TokenDep) -> User:
    try:
        payload = jwt.decode(token, SECRET_KEY, algorithms=[ALGORITHM])
        token_data = TokenPayload(**payload)
    except (InvalidTokenError, ValidationError):
        raise HTTPException(
            status_code=status.HTTP_401_UNAUTHORIZED,
            detail="Could not validate credentials",
            headers={"WWW-Authenticate": "Bearer"},
        ) from None
    user = session.get(User, token_data.sub)
    if not user:
        raise HTTPException(status_code=404, detail="User not found")
    return user


CurrentUser = Annotated[User, Depends(get_current_user)]


# --- routes ---------------------------------------------------------------------------------

app = FastAPI(title="storeapi bench peer")


@app.get("/item/{id}", response_model=ItemPublicWithTags)
def read_item(session: SessionDep, id: int) -> Any:
    item = session.get(Item, id)
    if not item:
        raise HTTPException(status_code=404, detail="Item not found")
    return item


@app.post("/item", response_model=ItemPublic)
def create_item(*, session: SessionDep, current_user: CurrentUser, item_in: ItemCreate) -> Any:
    store = session.get(Store, item_in.store_id)
    if not store:
        raise HTTPException(status_code=404, detail="Store not found")
    if not current_user.is_admin and store.owner_id != current_user.id:
        raise HTTPException(status_code=403, detail="Not enough permissions")
    item = Item.model_validate(item_in)
    session.add(item)
    session.commit()
    session.refresh(item)
    return item
