"""The dossier's legal life cycle: statuses with the national status codes (TrangThaiHoSo 1–10)
and the actions allowed from each status."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from counter_app.core.errors import IllegalTransition


class Status(str, enum.Enum):
    RECEIVED = "received"
    REFUSED = "refused"
    PROCESSING = "processing"
    SUPPLEMENT_REQUESTED = "supplement_requested"
    WITHDRAWN = "withdrawn"
    STOPPED = "stopped"
    RESULT_READY = "result_ready"
    RETURNED = "returned"

    @property
    def national_code(self) -> int:
        return NATIONAL_CODES[self]

    @property
    def label_vi(self) -> str:
        return LABELS_VI[self]


NATIONAL_CODES: dict[Status, int] = {
    Status.RECEIVED: 2,
    Status.REFUSED: 3,
    Status.PROCESSING: 4,
    Status.SUPPLEMENT_REQUESTED: 5,
    Status.WITHDRAWN: 7,
    Status.STOPPED: 8,
    Status.RESULT_READY: 9,
    Status.RETURNED: 10,
}

LABELS_VI: dict[Status, str] = {
    Status.RECEIVED: "Đã tiếp nhận",
    Status.REFUSED: "Từ chối tiếp nhận",
    Status.PROCESSING: "Đang xử lý",
    Status.SUPPLEMENT_REQUESTED: "Yêu cầu bổ sung",
    Status.WITHDRAWN: "Công dân rút hồ sơ",
    Status.STOPPED: "Dừng xử lý",
    Status.RESULT_READY: "Đã có kết quả",
    Status.RETURNED: "Đã trả kết quả",
}


class Action(str, enum.Enum):
    RECEIVE = "received"
    REFUSE = "refused"
    FORWARD = "forwarded"
    REQUEST_SUPPLEMENT = "supplement_requested"
    SUPPLIED = "supplied"
    RESCHEDULE = "rescheduled"
    STOP = "stopped"
    WITHDRAW = "withdrawn"
    RESULT_READY = "result_ready"
    RETURN = "returned"
    POST_RESULT = "result_posted"            # the result handed to the post for delivery
    POSTAL_UNDELIVERED = "postal_undelivered"  # the post brought it back: the result waits again

    @property
    def label_vi(self) -> str:
        return ACTION_LABELS_VI[self]


ACTION_LABELS_VI: dict[Action, str] = {
    Action.RECEIVE: "tiếp nhận",
    Action.REFUSE: "từ chối tiếp nhận",
    Action.FORWARD: "chuyển xử lý",
    Action.REQUEST_SUPPLEMENT: "yêu cầu bổ sung",
    Action.SUPPLIED: "nhận hồ sơ bổ sung",
    Action.RESCHEDULE: "xin lỗi, hẹn lại ngày trả",
    Action.STOP: "dừng xử lý",
    Action.WITHDRAW: "rút hồ sơ",
    Action.RESULT_READY: "ghi nhận đã có kết quả",
    Action.RETURN: "trả kết quả",
    Action.POST_RESULT: "giao kết quả cho bưu chính",
    Action.POSTAL_UNDELIVERED: "nhận lại kết quả bưu chính không phát được",
}

# (status before, action) -> status after. Anything missing is illegal.
# RECEIVED -> RESULT_READY is allowed for procedures whose result the counter itself produces at
# once (certified copies); RESCHEDULE keeps the status and only moves the due time.
_TRANSITIONS: dict[tuple[Status, Action], Status] = {
    (Status.RECEIVED, Action.FORWARD): Status.PROCESSING,
    (Status.RECEIVED, Action.REQUEST_SUPPLEMENT): Status.SUPPLEMENT_REQUESTED,
    (Status.RECEIVED, Action.RESULT_READY): Status.RESULT_READY,
    (Status.RECEIVED, Action.WITHDRAW): Status.WITHDRAWN,
    (Status.RECEIVED, Action.STOP): Status.STOPPED,
    (Status.RECEIVED, Action.RESCHEDULE): Status.RECEIVED,
    (Status.PROCESSING, Action.REQUEST_SUPPLEMENT): Status.SUPPLEMENT_REQUESTED,
    (Status.PROCESSING, Action.RESULT_READY): Status.RESULT_READY,
    (Status.PROCESSING, Action.WITHDRAW): Status.WITHDRAWN,
    (Status.PROCESSING, Action.STOP): Status.STOPPED,
    (Status.PROCESSING, Action.RESCHEDULE): Status.PROCESSING,
    (Status.SUPPLEMENT_REQUESTED, Action.SUPPLIED): Status.PROCESSING,
    (Status.SUPPLEMENT_REQUESTED, Action.WITHDRAW): Status.WITHDRAWN,
    (Status.SUPPLEMENT_REQUESTED, Action.STOP): Status.STOPPED,
    (Status.RESULT_READY, Action.RETURN): Status.RETURNED,
    # A result with the post is still «đã có kết quả» (no national status for «in delivery»): it
    # becomes «đã trả» when delivered (RETURN), and waits at the counter again when undeliverable.
    (Status.RESULT_READY, Action.POST_RESULT): Status.RESULT_READY,
    (Status.RESULT_READY, Action.POSTAL_UNDELIVERED): Status.RESULT_READY,
}

# Recorded through the postal service (item number, recipient, attempts), not as a bare button.
POSTAL_ACTIONS: frozenset[Action] = frozenset({Action.POST_RESULT, Action.POSTAL_UNDELIVERED})

TERMINAL: frozenset[Status] = frozenset(
    {Status.REFUSED, Status.WITHDRAWN, Status.STOPPED, Status.RETURNED}
)


@dataclass(frozen=True)
class TransitionResult:
    before: Status
    after: Status
    action: Action


def allowed_actions(status: Status) -> list[Action]:
    return [action for (before, action) in _TRANSITIONS if before == status]


def transition(status: Status | str, action: Action, *, reschedule_count: int = 0,
               max_reschedules: int = 1) -> TransitionResult:
    """Return the status after ``action`` or raise :class:`IllegalTransition` (nothing is written)."""
    before = Status(status)
    after = _TRANSITIONS.get((before, action))
    if after is None:
        allowed = ", ".join(a.label_vi for a in allowed_actions(before)) or "không có"
        raise IllegalTransition(
            f"Không thể {action.label_vi} hồ sơ đang ở trạng thái «{before.label_vi}». "
            f"Thao tác được phép: {allowed}.",
            f"illegal transition {before.value} --{action.value}-->",
        )
    if action is Action.RESCHEDULE and reschedule_count >= max_reschedules:
        raise IllegalTransition(
            f"Hồ sơ đã được hẹn lại {reschedule_count} lần; chỉ được hẹn lại tối đa "
            f"{max_reschedules} lần.",
            "reschedule limit reached",
        )
    return TransitionResult(before=before, after=after, action=action)


PRINTED = "printed"  # an event that is not a transition: a form was printed for the dossier


# Recorded when the provincial system changes a dossier's processing status (pulled by sync).
PROVINCE_STATUS = "province_status"


# Recorded on each dossier of a postal hand-over record when both sides sign it (not a transition);
# for dossiers brought in by post its time is the legal submission time (QĐ 45/2016 Art. 7(4)).
POSTAL_HANDOVER = "postal_handover"


# Recorded on each dossier handed between the reception officer (a postal employee where the post
# operates the counter) and the commune's specialist officer (not a transition): the control
# sheet's hand-over blocks and the day's hand-over list are printed from it.
STAFF_HANDOVER = "staff_handover"


# Recorded on each dossier of a paper hand-over list to the competent agency (not a transition).
PAPER_TRANSFER = "paper_transferred"


# The one event of a dossier taken over from the previous system (core.history_import): not a
# transition, never pushed to the server (its status is whatever the old system last recorded).
IMPORTED = "imported"


def event_label_vi(kind: str) -> str:
    if kind == IMPORTED:
        return "nhập từ hệ thống cũ"
    if kind == PRINTED:
        return "in biểu mẫu"
    if kind == POSTAL_HANDOVER:
        return "ký biên bản giao nhận với bưu chính"
    if kind == STAFF_HANDOVER:
        return "bàn giao hồ sơ giữa cán bộ tiếp nhận và công chức chuyên môn"
    if kind == PAPER_TRANSFER:
        return "bàn giao hồ sơ giấy cho cơ quan giải quyết"
    if kind == PROVINCE_STATUS:
        return "cập nhật trạng thái từ tỉnh"
    try:
        return Action(kind).label_vi
    except ValueError:
        return kind
