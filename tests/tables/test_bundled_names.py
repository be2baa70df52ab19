"""Persian names in the bundled network resolve to the right place, or refuse when ambiguous."""

from __future__ import annotations

import pytest

from caspian.errors import UnknownPlaceError
from caspian.model.network import Network
from caspian.model.places import resolve_place


def test_bare_astaneh_is_ambiguous(bundled: Network) -> None:
    # In Gilan «آستانه» is Astaneh-ye Ashrafiyeh; it is also the Persian for Astana.
    with pytest.raises(UnknownPlaceError) as err:
        resolve_place(bundled, "آستانه")
    assert err.value.ambiguous
    assert {s.split()[0] for s in err.value.suggestions} == {"ir_astaneh", "kz_astana"}


@pytest.mark.parametrize(
    ("name", "node_id"),
    [
        ("آستانه اشرفیه", "ir_astaneh"),
        ("آستانه قزاقستان", "kz_astana"),
        ("آستانه (قزاقستان)", "kz_astana"),
        ("Astana", "kz_astana"),
        ("تاتوان", "tr_tatvan"),
        ("آکتوبه", "kz_aktobe"),
        ("اکتوبه", "kz_aktobe"),
        ("Kandyagach", "kz_kandyagash"),
        ("Makat", "kz_makat"),
    ],
)
def test_persian_and_alias_names_resolve(bundled: Network, name: str, node_id: str) -> None:
    assert resolve_place(bundled, name).id == node_id
