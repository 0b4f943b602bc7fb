"""Categories added to and overriding the taxonomy (docs/model-format.md 'categories':
"Hierarchy and inheritance" — each flag from the category itself, else the nearest ancestor that
sets it, model first then taxonomy; `personal` defaults to true; a flow naming a category covers
its descendants; `system.logs: {personal: false}` overrides the taxonomy).

Collected: `user.health.details` (model, under the taxonomy's sensitive and special
`user.health`), `customer.notes` (its parent `customer` implied), `system.logs` (overridden to
non-personal) and `user.contact.pager.secret` (its model parent `user.contact.pager` says
`personal: false`). The export flow names only the parents `user.health`, `customer`, `system`,
`user.contact`."""

from __future__ import annotations

from .helpers import by_id, cli, scenario, transfers

NAME = "category-inheritance"


def test_validate() -> None:
    assert cli("validate", scenario(NAME)).rc == 0


def test_flags_are_inherited_from_the_nearest_ancestor() -> None:
    t = by_id(transfers(NAME))["CN/acme/export"]
    got = {c["id"]: (c["personal"], c["sensitive"], c["special"]) for c in t["categories"]}
    assert got == {
        "customer.notes": (True, False, False),
        "system.logs": (False, False, False),
        "user.contact.pager.secret": (False, False, False),
        "user.health.details": (True, True, True),
    }
    assert {c["id"]: c["doj"] for c in t["categories"]}["user.health.details"] == "health"
    assert (t["individuals"]["ordinary"], t["individuals"]["sensitive"]) == (500, 500)
