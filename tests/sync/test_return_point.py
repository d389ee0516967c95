"""Issue 15 item 2: the return point chosen at intake reaches the province's dossier."""

from __future__ import annotations

from counter_app.core.model import ReturnMethod

from tests.sync.conftest import AGENCY_A, AGENCY_B, AGENCY_R


def server_return_agencies(province, codes) -> dict[str, str]:
    from provincial_server.models import Dossier

    with province.db.read() as s:
        return {c: s.get(Dossier, c).return_agency for c in codes}


def test_the_return_point_chosen_at_intake_is_the_servers_return_agency(province, make_counter):
    regional = make_counter(province, AGENCY_R, "regional")
    (at_commune,) = regional.receive(1, competent_agency=AGENCY_B, return_agency=AGENCY_B)
    (at_other,) = regional.receive(1, competent_agency=AGENCY_B, return_agency=AGENCY_A)
    (here,) = regional.receive(1, competent_agency=AGENCY_B)
    (by_post,) = regional.receive(1, return_method=ReturnMethod.POST, return_address="12 Lê Lợi, phường Quy Nhơn")
    assert regional.sync().ok
    assert server_return_agencies(province, [at_commune, at_other, here, by_post]) == {
        at_commune: AGENCY_B, at_other: AGENCY_A, here: AGENCY_R,
        by_post: AGENCY_R,  # a postal return is posted by the counter that received it
    }


def test_a_province_change_of_return_point_reaches_the_commune_counter(province, make_counter):
    """The commune's copy (a restore catch-up or a routed dossier) is rebuilt from the payload with
    the province's return agency, so the commune sees that it hands the result over."""
    regional = make_counter(province, AGENCY_R, "regional")
    commune = make_counter(province, AGENCY_B, "commune")
    (code,) = regional.receive(1, competent_agency=AGENCY_B)
    assert regional.sync().ok
    province.service.set_status(code, "result_ready", return_at=AGENCY_B)
    assert commune.sync().ok
    assert commune.app.queries.get(code).return_at == AGENCY_B
    assert regional.app.queries.get(code).return_at == AGENCY_R
