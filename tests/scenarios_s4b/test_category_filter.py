"""``transfers --category`` over the category hierarchy (cli.md transfers: "only transfers
carrying this category (or a descendant)"; model-format.md categories: a flow naming a category
covers its descendants; outputs.md "Propagation": a parent present upstream meets a more
specific edge category as that category).

hq collects ``user.contact`` of 1,000 customers; it sends e-mail addresses to a US mailer, phone
numbers to a Singapore SMS gateway and the whole contact record to its HK subsidiary. By hand:
the exits carry ``user.contact.email``, ``user.contact.phone`` and ``user.contact``; the HK export
carries every contact field, so it matches each of them."""

from __future__ import annotations

import pytest

from .helpers import by_id, transfers

NAME = "category-filter"


@pytest.mark.parametrize(("category", "expected"), [
    ("user.contact", ["CN/hq/to-hk", "CN/hq/to-mail", "CN/hq/to-sms"]),
    ("user", ["CN/hq/to-hk", "CN/hq/to-mail", "CN/hq/to-sms"]),
    ("user.contact.email", ["CN/hq/to-hk", "CN/hq/to-mail"]),
    ("user.contact.phone", ["CN/hq/to-hk", "CN/hq/to-sms"]),
    ("user.account", []),
])
def test_category_filter_follows_the_hierarchy(category: str, expected: list[str]) -> None:
    assert sorted(by_id(transfers(NAME, "--category", category))) == expected


def test_the_parent_meets_the_specific_edge_category() -> None:
    t = by_id(transfers(NAME))
    assert [c["id"] for c in t["CN/hq/to-mail"]["categories"]] == ["user.contact.email"]
    assert [c["id"] for c in t["CN/hq/to-hk"]["categories"]] == ["user.contact"]
    assert all(x["individuals"]["total"] == 1_000 for x in t.values())
