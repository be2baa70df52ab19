from typer.testing import CliRunner

from caspian import __version__
from caspian.cli import app


def test_version_command_prints_package_version() -> None:
    result = CliRunner().invoke(app, ["version"])
    assert result.exit_code == 0
    assert result.stdout.strip() == __version__


def test_front_door_names_load_on_first_use() -> None:
    import caspian

    network = caspian.load_network()
    itinerary = caspian.plan_route(network, "Aktau", "Tehran", cargo="wheat", tonnes=1000)
    assert itinerary.totals.cost_usd > 0
    assert caspian.search_places(network, "Anzali", limit=1)[0].node.id == "ir_anzali"
    assert {"plan_route", "compare_modes", "RouteOptions"} <= set(dir(caspian))
    try:
        caspian.no_such_name  # noqa: B018
    except AttributeError as exc:
        assert "no_such_name" in str(exc)
    else:
        raise AssertionError("unknown names must raise AttributeError")
