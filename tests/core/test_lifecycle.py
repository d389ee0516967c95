import pytest

from counter_app.core.errors import IllegalTransition
from counter_app.core.lifecycle import TERMINAL, Action, Status, allowed_actions, transition


def test_national_status_codes():
    assert {s.value: s.national_code for s in Status} == {
        "received": 2, "refused": 3, "processing": 4, "supplement_requested": 5, "withdrawn": 7,
        "stopped": 8, "result_ready": 9, "returned": 10,
    }


LEGAL = [
    ("received", Action.FORWARD, "processing"),
    ("received", Action.RESULT_READY, "result_ready"),
    ("processing", Action.REQUEST_SUPPLEMENT, "supplement_requested"),
    ("supplement_requested", Action.SUPPLIED, "processing"),
    ("processing", Action.RESULT_READY, "result_ready"),
    ("result_ready", Action.RETURN, "returned"),
    ("processing", Action.STOP, "stopped"),
    ("received", Action.WITHDRAW, "withdrawn"),
    ("processing", Action.RESCHEDULE, "processing"),
]


@pytest.mark.parametrize("before, action, after", LEGAL)
def test_legal_transitions(before, action, after):
    assert transition(before, action).after is Status(after)


ILLEGAL = [
    ("received", Action.RETURN),  # no return before result_ready
    ("processing", Action.RETURN),
    ("processing", Action.FORWARD),
    ("received", Action.SUPPLIED),
    ("result_ready", Action.RESCHEDULE),
    ("returned", Action.RETURN),
    ("refused", Action.FORWARD),
    ("withdrawn", Action.RESULT_READY),
    ("stopped", Action.SUPPLIED),
]


@pytest.mark.parametrize("before, action", ILLEGAL)
def test_illegal_transitions_say_why_in_vietnamese(before, action):
    with pytest.raises(IllegalTransition) as err:
        transition(before, action)
    assert "Không thể" in err.value.message


def test_terminal_statuses_allow_nothing():
    for status in TERMINAL:
        assert allowed_actions(status) == []


def test_reschedule_at_most_the_configured_number_of_times():
    transition("processing", Action.RESCHEDULE, reschedule_count=0, max_reschedules=1)
    with pytest.raises(IllegalTransition, match="tối đa 1"):
        transition("processing", Action.RESCHEDULE, reschedule_count=1, max_reschedules=1)
    transition("processing", Action.RESCHEDULE, reschedule_count=1, max_reschedules=2)
