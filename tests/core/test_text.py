import unicodedata

import pytest

from counter_app.core.text import clean, fold, nfc


@pytest.mark.parametrize("raw, key", [
    ("Nguyễn Văn Ấn", "nguyen van an"),
    ("ĐẶNG ĐỨC ĐÔNG", "dang duc dong"),
    ("Trần  Thị\tHường", "tran thi huong"),
    ("Lê-Thị Ánh", "le thi anh"),
    (unicodedata.normalize("NFD", "Phạm Thị Thuỷ"), "pham thi thuy"),
    ("", ""),
])
def test_fold_removes_case_diacritics_and_dd(raw, key):
    assert fold(raw) == key


def test_fold_of_query_and_stored_text_agree():
    stored, typed = "Đỗ Thị Hồng Nhung", "do thi hong nhung"
    assert fold(stored) == fold(typed)


def test_clean_normalises_to_nfc_and_strips_controls():
    decomposed = unicodedata.normalize("NFD", "  Nguyễn\x00 Văn\n  Ấn ")
    cleaned = clean(decomposed)
    assert cleaned == "Nguyễn Văn Ấn"
    assert unicodedata.is_normalized("NFC", cleaned)
    assert nfc(decomposed) != decomposed
