"""Reviewed corrections of the portal extract's document lists, used by ``build_catalogue.py``.

The extract (``shared/data/commune-procedures.json``) keeps each document as the portal printed it:
whole sentences, several cases glued together, headings and notes taken for documents, names cut
at about 250 characters ("…") or in the middle of a citation ("Thông tư số"). Each item of a
procedure's source list goes through, in this order:

1. ``FIXES[code][i]``: the reviewed replacement of source item ``i`` (0-based): one document, a
   list of documents (an item that held several), or ``None`` to drop it (the comment says why);
2. the first of ``RULES`` whose pattern matches: boilerplate that recurs across procedures
   (identity papers, residence information, authorisation letters, the paper and online forms);
3. otherwise the cleaned source name, as a required document.

A document is required (ticked as submitted by default), one of alternatives (``group``: the
citizen submits one document of the group) or needed only in a named case (``case``: the text after
"trường hợp"). Replacements say only what the source says, completed where it was cut from the
legal text it cites; nothing the source does not list is added, except the second half of an item
the source cut (noted where it happens).
"""

from __future__ import annotations

import re

ID_GROUP = "Giấy tờ tùy thân còn giá trị sử dụng"
ONLINE = "nộp hồ sơ trực tuyến"
IF_ANY = "có giấy tờ này"  # the source says "(nếu có)"
RESIDENCE_DB = ("cơ quan đăng ký hộ tịch không khai thác được thông tin về nơi cư trú của công dân "
                "(khoản 2 Điều 14 Nghị định số 104/2022/NĐ-CP)")
CT01 = "Tờ khai thay đổi thông tin cư trú (Mẫu CT01 ban hành kèm theo Thông tư số 53/2025/TT-BCA)"
UNIT = "Giấy giới thiệu của đơn vị"
ARMY = "Giấy giới thiệu của đơn vị cấp trung đoàn và tương đương trở lên (Quân đội nhân dân)"
POLICE = ("Giấy giới thiệu của Thủ trưởng đơn vị quản lý trực tiếp ghi rõ nội dung để làm thủ tục và đơn vị "
          "có chỗ ở cho cán bộ chiến sĩ, ký tên, đóng dấu (Công an nhân dân)")
AUTHORISED = "ủy quyền thực hiện thủ tục"
HKD_AUTH = "Giấy tờ ủy quyền thực hiện thủ tục đăng ký hộ kinh doanh"
HKD_GROUP = "hộ kinh doanh do nhóm cá nhân thành lập trước ngày Nghị định số 168/2025/NĐ-CP có hiệu lực thi hành"
THT_AUTH = "Giấy tờ ủy quyền thực hiện thủ tục đăng ký tổ hợp tác"
LAND = "Giấy tờ hợp pháp về đất đai (Điều 53 Nghị định số 175/2024/NĐ-CP)"
GCN_LAND = "Giấy chứng nhận quyền sử dụng đất được cấp theo quy định của Luật Đất đai qua các thời kỳ"
GCN_LAND_ASSETS = ("Giấy chứng nhận quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất được cấp theo quy "
                   "định của pháp luật về đất đai qua các thời kỳ")
GCN_HOUSE = ("Giấy chứng nhận quyền sở hữu nhà ở và quyền sử dụng đất ở được cấp theo quy định của pháp luật "
             "về đất đai, pháp luật về nhà ở qua các thời kỳ")
PROJECT = ("Quyết định phê duyệt dự án; văn bản thông báo kết quả thẩm định của cơ quan chuyên môn về xây dựng "
           "và hồ sơ bản vẽ thiết kế cơ sở được đóng dấu xác nhận kèm theo (nếu có); báo cáo kết quả thẩm tra "
           "thiết kế xây dựng (nếu có)")
BORN_ABROAD_ENTRY = ("Giấy tờ chứng minh việc trẻ em đã nhập cảnh hợp pháp vào Việt Nam (hộ chiếu hoặc giấy tờ có "
                     "giá trị đi lại quốc tế có dấu xác nhận nhập cảnh) và văn bản xác nhận của cơ quan công an có "
                     "thẩm quyền về việc trẻ em đang cư trú tại Việt Nam")
BORN_ABROAD = "trẻ em sinh ra ở nước ngoài chưa được đăng ký khai sinh ở nước ngoài, về cư trú tại Việt Nam"
ADOPT_EXCEPT = ("trừ trường hợp cha dượng, mẹ kế nhận con riêng của vợ, chồng hoặc cô, cậu, dì, chú, bác ruột "
                "nhận cháu làm con nuôi")
LAND_CHANGE_FORM = "Đơn đăng ký biến động đất đai, tài sản gắn liền với đất theo mẫu"


def req(name: str, *, count: int | None = None, kind: str | None = None) -> dict:
    return _doc(name, None, None, count, kind)


def alt(name: str, group: str, when: str | None = None, *, count: int | None = None, kind: str | None = None) -> dict:
    return _doc(name, group, when, count, kind)


def case(name: str, when: str, *, count: int | None = None, kind: str | None = None) -> dict:
    return _doc(name, None, when, count, kind)


def tht_postal_slip() -> dict:
    """The tổ hợp tác procedures' proof of authorisation when the file comes by post."""
    return alt("Bản sao phiếu gửi hồ sơ theo mẫu do doanh nghiệp cung ứng dịch vụ bưu chính công ích phát hành, "
               "có chữ ký xác nhận của nhân viên bưu chính", THT_AUTH, AUTHORISED)


def tht_authorisations() -> list[dict]:
    """The two ways of authorising someone to file for a tổ hợp tác (an individual, an organisation)."""
    return [alt("Văn bản ủy quyền cho cá nhân thực hiện thủ tục đăng ký tổ hợp tác", THT_AUTH, AUTHORISED),
            alt("Bản sao hợp đồng cung cấp dịch vụ với tổ chức làm dịch vụ thực hiện thủ tục và giấy giới thiệu "
                "của tổ chức đó cho cá nhân trực tiếp thực hiện thủ tục", THT_AUTH, AUTHORISED)]


def _doc(name, group, when, count, kind) -> dict:
    out = {"name": name}
    if group:
        out["group"] = group
    if when:
        out["case"] = when
    if count is not None:
        out["count"] = count
    if kind is not None:
        out["kind"] = kind
    return out


def _id_papers(_m=None) -> list[dict]:
    """"Một trong các giấy tờ sau: Căn cước điện tử; bản chính hoặc bản sao của Thẻ căn cước công
    dân hoặc Thẻ căn cước hoặc Giấy chứng nhận căn cước hoặc Hộ chiếu hoặc giấy tờ xuất nhập cảnh
    hoặc giấy tờ có giá trị đi lại quốc tế còn giá trị sử dụng" (certification procedures)."""
    return [alt("Căn cước điện tử", ID_GROUP),
            alt("Thẻ căn cước công dân, thẻ căn cước hoặc giấy chứng nhận căn cước (bản chính hoặc bản sao)",
                ID_GROUP),
            alt("Hộ chiếu, giấy tờ xuất nhập cảnh hoặc giấy tờ có giá trị đi lại quốc tế (bản chính hoặc bản sao)",
                ID_GROUP)]


def _birth_proof(first: str, outside: str) -> list[dict]:
    return [req(first),
            case("Văn bản của người làm chứng xác nhận về việc sinh", outside),
            case("Giấy cam đoan về việc sinh", f"{outside} và không có người làm chứng")]


def _authorisation(m: re.Match) -> dict:
    name = "Văn bản ủy quyền"
    if m["certified"]:
        name += " (được chứng thực)"
    if m["exempt"]:
        name += (" (không phải chứng thực nếu người được ủy quyền là ông, bà, cha, mẹ, con, vợ, chồng, "
                 "anh, chị, em ruột của người ủy quyền)")
    return case(name, m["case"])


def _before_paren(m: re.Match) -> str:
    return m[1].strip().rstrip(" ;,.")


# (pattern on the cleaned source name, replacement): the first match wins.
RULES: list[tuple[re.Pattern, object]] = [
    (re.compile(r"^Tờ khai đăng ký kết hôn theo mẫu.*khai chung"),
     lambda m: req("Tờ khai đăng ký kết hôn theo mẫu (hai bên nam, nữ có thể khai chung một tờ khai)")),
    (re.compile(r"^Hộ chiếu/Thẻ căn cước công dân/Thẻ căn cước/Căn cước điện tử/"),
     lambda m: req("Giấy tờ tùy thân còn giá trị sử dụng (hộ chiếu, thẻ căn cước công dân, thẻ căn cước, căn cước "
                   "điện tử, giấy chứng nhận căn cước hoặc giấy tờ khác có ảnh do cơ quan có thẩm quyền cấp)")),
    (re.compile(r"^Giấy tờ có giá trị chứng minh thông tin về cư trú trong trường hợp cơ quan đăng ký hộ tịch "
                r"không thể khai thác"),
     lambda m: case("Giấy tờ chứng minh thông tin về cư trú", RESIDENCE_DB)),
    (re.compile(r"^Giấy tờ chứng minh nơi cư trú cuối cùng của người chết"),
     lambda m: case("Giấy tờ chứng minh nơi cư trú cuối cùng của người chết (để xác định thẩm quyền)",
                    RESIDENCE_DB)),
    (re.compile(r"^Văn bản ủy quyền(?P<certified> \(được chứng thực\))? theo quy định của pháp luật trong trường "
                r"hợp (?P<case>ủy quyền thực hiện [^.]+)\.?(?P<exempt> Trường hợp người được ủy quyền là .+ "
                r"không phải chứng thực\.?)?$"), _authorisation),
    (re.compile(r"^(Tờ khai .+?)\s*\(nếu [^()]*hình thức[^()]*\)[\s);.,]*$"), lambda m: req(_before_paren(m))),
    (re.compile(r"^(Mẫu (?:hộ tịch )?điện tử tương tác .+?)(?:\s*\(do người [^()]*\))?[;.]?$"),
     lambda m: case(_before_paren(m), ONLINE)),
    (re.compile(r"^Giấy báo tử hoặc giấy tờ thay Giấy báo tử do cơ quan có thẩm quyền cấp\. "),
     lambda m: req("Giấy báo tử hoặc giấy tờ thay Giấy báo tử do cơ quan có thẩm quyền cấp (không phải nộp bản "
                   "giấy nếu đã nộp bản điện tử hoặc cơ quan đăng ký hộ tịch đã khai thác được dữ liệu điện tử)")),
    (re.compile(r"^Trường hợp không xác định được nơi cư trú cuối cùng của người chết"),
     lambda m: case("Giấy tờ chứng minh nơi người chết đã chết hoặc nơi phát hiện thi thể",
                    "không xác định được nơi cư trú cuối cùng của người chết")),
    (re.compile(r"^Giấy tờ, tài liệu, chứng cứ do cơ quan, tổ chức có thẩm quyền cấp hoặc xác nhận hợp lệ chứng "
                r"minh sự kiện chết"),
     lambda m: case("Giấy tờ, tài liệu, chứng cứ do cơ quan, tổ chức có thẩm quyền cấp hoặc xác nhận hợp lệ "
                    "chứng minh sự kiện chết",
                    "đăng ký khai tử cho người chết đã lâu, không có Giấy báo tử hoặc giấy tờ thay thế")),
    (re.compile(r"^(?:Bản chính )?Giấy chứng sinh; trường hợp không có Giấy chứng sinh"),
     lambda m: _birth_proof("Giấy chứng sinh", "không có Giấy chứng sinh")),
    (re.compile(r"^Trường hợp không có Giấy chứng sinh thì"),
     lambda m: _birth_proof("Giấy chứng sinh", "không có Giấy chứng sinh")[1:]),
    (re.compile(r"^Giấy chứng sinh do cơ sở y tế nơi trẻ em sinh ra cấp; nếu trẻ em sinh ra ngoài"),
     lambda m: _birth_proof("Giấy chứng sinh do cơ sở y tế nơi trẻ em sinh ra cấp",
                            "trẻ em sinh ra ngoài cơ sở y tế")),
    (re.compile(r"^Trường hợp khai sinh cho trẻ em sinh ra do mang thai hộ"),
     lambda m: case("Văn bản xác nhận của cơ sở y tế đã thực hiện kỹ thuật hỗ trợ sinh sản cho việc mang thai hộ",
                    "khai sinh cho trẻ em sinh ra do mang thai hộ")),
    (re.compile(r"^Trường hợp trẻ em bị bỏ rơi thì phải có biên bản"),
     lambda m: case("Biên bản về việc trẻ bị bỏ rơi do cơ quan có thẩm quyền lập", "trẻ em bị bỏ rơi")),
    (re.compile(r"^Trường hợp không có văn bản nêu trên thì phải có văn bản cam đoan của các bên nhận cha, mẹ, con"),
     lambda m: case("Văn bản cam đoan của các bên nhận cha, mẹ, con về mối quan hệ cha, mẹ, con, có ít nhất hai "
                    "người làm chứng",
                    "không có văn bản của cơ quan y tế, cơ quan giám định xác nhận quan hệ cha con, mẹ con")),
    (re.compile(r"^Trường hợp người yêu cầu (?:đăng ký lại khai sinh|đăng ký khai sinh) là cán bộ, công chức"),
     lambda m: case("Văn bản xác nhận của thủ trưởng cơ quan, đơn vị về các nội dung khai sinh (họ, chữ đệm, tên; "
                    "giới tính; ngày, tháng, năm sinh; dân tộc; quốc tịch; quê quán; quan hệ cha, mẹ, con) phù "
                    "hợp với hồ sơ do cơ quan, đơn vị quản lý",
                    "người yêu cầu là cán bộ, công chức, viên chức, người đang công tác trong lực lượng vũ trang")),
    (re.compile(r"^(?:(?:Người yêu cầu chứng thực (?:phải )?xuất trình )(?:các giấy tờ sau: )?)?(?:\+ )?[Mm]ột trong "
                r"các giấy tờ sau: Căn cước điện tử; bản chính hoặc bản sao của Thẻ căn cước công dân"), _id_papers),
    (re.compile(r"^Bản chính hoặc bản sao có chứng thực hoặc bản sao điện tử được chứng thực từ bản chính của giấy "
                r"chứng nhận quyền sở hữu, quyền sử dụng"),
     lambda m: req("Giấy chứng nhận quyền sở hữu, quyền sử dụng hoặc giấy tờ thay thế đối với tài sản mà pháp luật "
                   "quy định phải đăng ký quyền sở hữu, quyền sử dụng (bản chính, bản sao có chứng thực hoặc bản sao "
                   "điện tử được chứng thực từ bản chính)")),
    (re.compile(r"^Đơn đăng ký biến động đất đai, tài sản gắn liền với đất theo Mẫu số$"),
     lambda m: req(LAND_CHANGE_FORM, count=1)),  # the number of the form and the count ran together
    # "Trường hợp Y thì (phải) nộp X", "Nếu Y thì phải nộp X".
    (re.compile(r"^(?:Trường hợp|Nếu) ([^()]+?) thì (?:phải )?(?:nộp|xuất trình|có) (.+?)[.;]?$"),
     lambda m: case(m[2][:1].upper() + m[2][1:], m[1].strip())),
    # "(nếu có)": submitted when the citizen has it.
    (re.compile(r"^(.+?)\s*\(nếu có\)[.;]?$"), lambda m: case(_before_paren(m), IF_ANY)),
    # "X (đối với trường hợp Y)", "X đối với trường hợp Y", "X trong trường hợp Y".
    (re.compile(r"^(.+?)\s*\((?:đối với|trong) trường hợp ([^()]+)\)[.;]?$"),
     lambda m: case(_before_paren(m), m[2].strip())),
    (re.compile(r"^(.+?),? (?:đối với|trong) trường hợp ([^()]+?)[.;]?$"),
     lambda m: case(_before_paren(m), m[2].strip())),
]


FIXES: dict[str, dict[int, object]] = {
    "1.000894": {},  # all items follow the rules
    "1.004873": {
        0: case("Giấy xác nhận tình trạng hôn nhân đã được cấp trước đó",
                "yêu cầu cấp lại để sử dụng vào mục đích khác hoặc do giấy đã hết thời hạn sử dụng"),
    },
    "2.000635": {
        3: [alt("Tờ khai đề nghị cấp bản sao Trích lục hộ tịch theo mẫu (người yêu cầu là cá nhân)",
                "Tờ khai hoặc văn bản yêu cầu cấp bản sao"),
            alt("Văn bản yêu cầu cấp bản sao Trích lục hộ tịch nêu rõ lý do (người yêu cầu là cơ quan, tổ chức)",
                "Tờ khai hoặc văn bản yêu cầu cấp bản sao")],
    },
    "1.004884": {
        4: case("Mẫu hộ tịch điện tử tương tác đăng ký lại khai sinh (có cam đoan thông tin cung cấp là đúng sự "
                "thật, không còn bản chính Giấy khai sinh, đã nộp đủ các giấy tờ hiện có)", ONLINE),
    },
    "1.004746": {
        1: case("Giấy tờ chứng minh nơi cư trú (để xác định thẩm quyền)",
                "đăng ký lại kết hôn tại Ủy ban nhân dân cấp xã không phải nơi đã đăng ký kết hôn trước đây, khi "
                "cơ quan đăng ký hộ tịch không khai thác được thông tin về nơi cư trú"),
    },
    "1.003583": {
        3: case("Giấy chứng nhận kết hôn của cha, mẹ",
                "cha, mẹ đã đăng ký kết hôn mà thông tin chưa có trong cơ sở dữ liệu hộ tịch điện tử, cơ sở dữ liệu "
                "quốc gia về dân cư"),
    },
    "2.000986": {
        1: case("Ý kiến bằng văn bản của cha, mẹ có xác nhận của Ủy ban nhân dân cấp xã và ý kiến đồng ý của chủ hộ",
                "trẻ em đăng ký thường trú theo hộ khẩu của người khác, không cùng cha, mẹ"),
        # Household books were abolished from 2023 (Luật Cư trú 2020); kept as the portal publishes them.
        4: [req("Phiếu báo thay đổi hộ khẩu, nhân khẩu (theo mẫu quy định)"),
            req("Sổ hộ khẩu (bản chính) của cha, mẹ, hoặc của mẹ hoặc của cha nơi trẻ em đăng ký thường trú")],
    },
    "2.000528": {
        6: case(BORN_ABROAD_ENTRY, BORN_ABROAD),
    },
    "2.000806": {
        0: case("Bản sao hộ chiếu hoặc giấy tờ có giá trị thay thế hộ chiếu",
                "bên kết hôn là người nước ngoài hoặc công dân Việt Nam định cư ở nước ngoài"),
        1: req("Giấy tờ chứng minh tình trạng hôn nhân của người nước ngoài do cơ quan có thẩm quyền của nước mà "
               "người đó là công dân cấp, còn giá trị sử dụng, xác nhận hiện tại người đó không có vợ hoặc không có "
               "chồng (nước ngoài không cấp xác nhận này: giấy tờ xác nhận người đó có đủ điều kiện kết hôn theo "
               "pháp luật nước đó)"),
        3: None,  # a heading: "Ngoài giấy tờ nêu trên, tùy từng trường hợp … phải nộp giấy tờ tương ứng sau đây"
        4: case("Văn bản của cơ quan, đơn vị quản lý xác nhận việc kết hôn với người nước ngoài không trái với quy "
                "định của ngành", "công dân Việt Nam là công chức, viên chức hoặc đang phục vụ trong lực lượng vũ trang"),
        6: case("Bản sao Trích lục ghi chú ly hôn (trích lục hộ tịch về việc đã ghi vào sổ việc ly hôn hoặc hủy việc "
                "kết hôn trái pháp luật)",
                "công dân Việt Nam đã ly hôn hoặc hủy việc kết hôn tại cơ quan có thẩm quyền của nước ngoài"),
        7: None,  # a note on how long the marital-status paper is valid, not a document
    },
    "1.001695": {
        8: case(BORN_ABROAD_ENTRY, "trẻ em sinh ra ở nước ngoài, có cha hoặc mẹ hoặc cả cha và mẹ là công dân Việt "
                                   "Nam, chưa được đăng ký khai sinh ở nước ngoài, về cư trú tại Việt Nam"),
    },
    "2.000554": {
        0: case("Giấy tờ chứng minh nơi cư trú (để xác định thẩm quyền)",
                "cần xác định thẩm quyền theo nơi cư trú mà cơ quan đăng ký hộ tịch không khai thác được thông tin "
                "về nơi cư trú"),
    },
    "2.000547": {
        **{i: alt(name, "Mẫu hộ tịch điện tử tương tác theo việc hộ tịch", ONLINE) for i, name in (
            (3, "Mẫu hộ tịch điện tử tương tác ghi vào Sổ hộ tịch việc giám hộ, nhận cha, mẹ, con"),
            (4, "Mẫu hộ tịch điện tử tương tác ghi vào Sổ hộ tịch các việc hộ tịch khác"),
            (5, "Mẫu hộ tịch điện tử tương tác ghi vào Sổ hộ tịch việc khai tử"),
            (8, "Mẫu hộ tịch điện tử tương tác ghi vào Sổ hộ tịch việc khai sinh"),
            (9, "Mẫu hộ tịch điện tử tương tác ghi vào Sổ hộ tịch việc nuôi con nuôi"))},
        6: None,  # a heading: "… nộp/xuất trình … hoặc tải lên … các giấy tờ sau:"
        7: req("Tờ khai ghi vào Sổ hộ tịch việc hộ tịch đã được giải quyết ở nước ngoài theo mẫu (khai sinh; khai "
               "tử; nuôi con nuôi; giám hộ, nhận cha, mẹ, con; các việc hộ tịch khác)"),
    },
    "2.000884": {
        1: [req("Giấy tờ, văn bản sẽ yêu cầu chứng thực chữ ký"),
            case("Bản dịch ra tiếng Việt của giấy tờ, văn bản",
                 "giấy tờ, văn bản bằng tiếng nước ngoài mà người thực hiện chứng thực không hiểu rõ nội dung")],
    },
    "2.000908": {
        1: case("Bản chính hoặc bản sao có chứng thực giấy tờ chứng minh quan hệ với người được cấp bản chính",
                "người yêu cầu là người đại diện theo pháp luật, người đại diện theo ủy quyền, cha, mẹ, con, vợ, "
                "chồng, anh, chị, em ruột hoặc người thừa kế của người được cấp bản chính"),
    },
    "2.001008": {
        2: req("Bằng cử nhân ngoại ngữ trở lên về thứ tiếng nước ngoài cần dịch hoặc bằng tốt nghiệp đại học trở lên "
               "đối với thứ tiếng nước ngoài cần dịch (bản chính, bản sao từ sổ gốc hoặc bản sao có chứng thực), trừ "
               "trường hợp dịch ngôn ngữ không phổ biến"),
    },
    "2.001263": {
        0: req("Đơn xin nhận con nuôi"),
        1: req("Giấy khám sức khỏe của người nhận con nuôi do bệnh viện đa khoa, phòng khám đa khoa hoặc trung tâm y "
               f"tế khu vực cấp, chưa quá 06 tháng tính đến ngày nộp hồ sơ ({ADOPT_EXCEPT})"),
        2: req("Văn bản xác nhận hoàn cảnh gia đình, tình trạng chỗ ở, điều kiện kinh tế của người nhận con nuôi do "
               "Ủy ban nhân dân cấp xã nơi người đó thường trú cấp, chưa quá 06 tháng tính đến ngày nộp hồ sơ "
               f"({ADOPT_EXCEPT})"),
        # The source keeps only the married couple's paper; the single person's is the half it cut.
        3: [alt("Giấy chứng nhận kết hôn (người nhận con nuôi là cặp vợ chồng)",
                "Văn bản xác nhận tình trạng hôn nhân của người nhận con nuôi"),
            alt("Giấy xác nhận tình trạng hôn nhân (người nhận con nuôi là người độc thân)",
                "Văn bản xác nhận tình trạng hôn nhân của người nhận con nuôi")],
        4: case("Đơn đăng ký nhu cầu nhận trẻ em làm con nuôi",
                "người nhận con nuôi có nguyện vọng và đủ điều kiện nhận con nuôi nhưng chưa tìm được trẻ em để nhận "
                "làm con nuôi"),
        5: req("Giấy khám sức khỏe của người được nhận làm con nuôi do bệnh viện đa khoa, phòng khám đa khoa hoặc "
               "trung tâm y tế khu vực cấp"),
        6: case("Quyết định tiếp nhận trẻ em vào cơ sở nuôi dưỡng", "trẻ em ở cơ sở nuôi dưỡng"),
        7: req("Ảnh toàn thân, nhìn thẳng của người được nhận làm con nuôi, chụp không quá 06 tháng", count=2),
        8: [case("Biên bản xác nhận do Ủy ban nhân dân hoặc Công an cấp xã nơi phát hiện trẻ bị bỏ rơi lập",
                 "trẻ em bị bỏ rơi"),
            case("Giấy chứng tử của cha đẻ, mẹ đẻ hoặc quyết định của Tòa án tuyên bố cha đẻ, mẹ đẻ của trẻ em là đã "
                 "chết", "trẻ em mồ côi"),
            case("Quyết định của Tòa án tuyên bố cha đẻ, mẹ đẻ của người được nhận làm con nuôi mất tích",
                 "cha đẻ, mẹ đẻ mất tích"),
            case("Quyết định của Tòa án tuyên bố cha đẻ, mẹ đẻ của người được nhận làm con nuôi mất năng lực hành vi "
                 "dân sự", "cha đẻ, mẹ đẻ mất năng lực hành vi dân sự")],
        9: req("Giấy khai sinh của người được nhận làm con nuôi"),
    },
    "2.001255": {
        0: req("Tờ khai đăng ký lại việc nuôi con nuôi (có cam đoan của người yêu cầu về tính trung thực của việc "
               "đăng ký nuôi con nuôi trước đó và chữ ký của ít nhất hai người làm chứng)"),
    },
    "1.002211": {
        0: req("Biên bản về kết quả biểu quyết bầu hòa giải viên (Mẫu số 01, khi biểu quyết công khai) hoặc biên bản "
               "kiểm phiếu bầu hòa giải viên (Mẫu số 02, khi bỏ phiếu kín) theo Nghị quyết liên tịch số "
               "01/2014/NQLT-CP-UBTƯMTTQVN"),
    },
    "2.000930": {
        0: case("Báo cáo về việc thôi làm hòa giải viên (Mẫu số 09 tại Phụ lục ban hành kèm theo Nghị quyết liên "
                "tịch số 01/2014/NQLT-CP-UBTƯMTTQVN)",
                "Trưởng ban công tác Mặt trận, trưởng thôn, tổ trưởng tổ dân phố không đồng ý với đề nghị của tổ "
                "trưởng tổ hòa giải"),
    },
    "2.002080": {
        0: req("Giấy đề nghị thanh toán thù lao của hòa giải viên (ghi rõ họ, tên, địa chỉ của hòa giải viên; tên, "
               "địa chỉ tổ hòa giải; số tiền và nội dung đề nghị thanh toán; danh sách các vụ, việc nếu đề nghị "
               "thanh toán cho nhiều vụ, việc)"),
    },
    "2.000720": {
        0: None,  # the case heading; its document is item 2, the same application form
        1: case("Biên bản họp nhóm cá nhân tham gia hộ kinh doanh về việc đăng ký thay đổi nội dung đăng ký hộ kinh "
                "doanh", HKD_GROUP),
        3: alt("Văn bản ủy quyền cho cá nhân thực hiện thủ tục liên quan đến đăng ký hộ kinh doanh", HKD_AUTH,
               AUTHORISED),
        4: alt("Bản sao hợp đồng cung cấp dịch vụ với tổ chức làm dịch vụ thực hiện thủ tục và giấy giới thiệu của "
               "tổ chức đó cho cá nhân trực tiếp thực hiện thủ tục", HKD_AUTH, AUTHORISED),
        5: None,  # "(iv) … thực hiện theo quy định tại mục (ii)": points to item 4
        6: None,  # "(v)": who answers for the authorisation, not a document
        7: alt("Bản sao phiếu gửi hồ sơ theo mẫu do doanh nghiệp cung ứng dịch vụ bưu chính công ích phát hành, có "
               "chữ ký xác nhận của nhân viên bưu chính và người có thẩm quyền ký giấy đề nghị", HKD_AUTH, AUTHORISED),
    },
    "1.001570": {
        1: case("Biên bản họp nhóm cá nhân tham gia hộ kinh doanh về việc đăng ký tạm ngừng kinh doanh hoặc tiếp tục "
                "kinh doanh trước thời hạn đã đăng ký", HKD_GROUP),
    },
    "1.001266": {
        0: None,  # "(iv) … thực hiện theo quy định tại mục (ii)": points to item 3
        1: None,  # "(v)": who answers for the authorisation, not a document
        2: alt("Văn bản ủy quyền cho cá nhân thực hiện thủ tục liên quan đến đăng ký hộ kinh doanh", HKD_AUTH,
               AUTHORISED),
        3: alt("Bản sao hợp đồng cung cấp dịch vụ với tổ chức làm dịch vụ thực hiện thủ tục và giấy giới thiệu của "
               "tổ chức đó cho cá nhân trực tiếp thực hiện thủ tục", HKD_AUTH, AUTHORISED),
        4: case("Biên bản họp nhóm cá nhân tham gia hộ kinh doanh về việc chấm dứt hoạt động hộ kinh doanh",
                HKD_GROUP),
    },
    "2.000575": {
        # Items 0, 4 and 8 are the headings of cases (ii)–(iv) of a change of household head; the only
        # document the source keeps for each is the application form that items 1–3, 5–7 and 9 repeat.
        0: None, 4: None, 8: None,
    },
    "1.014034": {
        0: None,  # case heading; its document "(i)" is the application form of item 1
        2: None,  # heading
        3: None,  # heading
    },
    "2.002637": {
        0: None,  # a note: the same papers as electronic documents when filed online
        1: tht_postal_slip(),
        2: None,  # points to điểm b khoản 2 Điều 12 Nghị định số 92/2024/NĐ-CP, i.e. item 3's second half
        # Item 3 names both ways of authorising (an individual, an organisation); the source cut the second.
        3: tht_authorisations(),
        4: case("Các giấy tờ tương ứng với từng trường hợp đăng ký thay đổi nội dung đăng ký tổ hợp tác theo Nghị "
                "định số 92/2024/NĐ-CP",
                "tổ hợp tác đã thành lập có thay đổi nội dung đăng ký đã thông báo tới Ủy ban nhân dân cấp xã"),
        5: alt("Giấy đề nghị cấp Giấy chứng nhận đăng ký tổ hợp tác (tổ hợp tác đã thành lập trước ngày Luật Hợp tác "
               "xã 2023 có hiệu lực thi hành)", "Giấy đề nghị đăng ký tổ hợp tác"),
        8: alt("Giấy đề nghị đăng ký thành lập tổ hợp tác (thành lập mới)", "Giấy đề nghị đăng ký tổ hợp tác"),
    },
    "2.002639": {
        0: None,  # a note: the same papers as electronic documents when filed online
        1: None,  # points to điểm b khoản 2 Điều 12 Nghị định số 92/2024/NĐ-CP, i.e. item 3's second half
        2: tht_postal_slip(),
        3: tht_authorisations(),
        # Items 4–6: three cases whose first document is the same application form; the source cut the rest.
        4: req("Giấy đề nghị đăng ký thay đổi nội dung đăng ký tổ hợp tác"),
        5: None, 6: None,
    },
    "2.002642": {
        0: None,  # a note: the same papers as electronic documents when filed online
        1: tht_postal_slip(),
        2: None,  # points to điểm b khoản 2 Điều 12 Nghị định số 92/2024/NĐ-CP, i.e. item 3's second half
        3: tht_authorisations(),
        4: case("Phương án giải quyết nợ (tên, địa chỉ của chủ nợ; số nợ, thời hạn, địa điểm và phương thức thanh "
                "toán; cách thức và thời hạn giải quyết khiếu nại của chủ nợ)", "tổ hợp tác còn nợ chưa thanh toán"),
        6: req("Thông báo chấm dứt hoạt động tổ hợp tác"),
    },
    "1.004222": {
        # Item 0 glues the heading of the commonest case to a document of another one (a vehicle used
        # as a home). The heading's own document (Luật Cư trú, Điều 21 khoản 1 điểm b) is the half cut.
        0: [case("Giấy tờ, tài liệu chứng minh việc sở hữu chỗ ở hợp pháp",
                 "đăng ký thường trú vào chỗ ở hợp pháp thuộc quyền sở hữu của mình, khi thông tin chưa có trong cơ "
                 "sở dữ liệu"),
            case("Văn bản xác nhận của Ủy ban nhân dân cấp xã về địa điểm phương tiện đăng ký đậu, đỗ thường xuyên",
                 "đăng ký thường trú tại phương tiện không phải đăng ký hoặc nơi đăng ký phương tiện không trùng với "
                 "nơi thường xuyên đậu, đỗ")],
        1: case("Giấy chứng nhận đăng ký phương tiện và giấy chứng nhận an toàn kỹ thuật và bảo vệ môi trường của "
                "phương tiện, hoặc văn bản xác nhận của Ủy ban nhân dân cấp xã về việc sử dụng phương tiện vào mục "
                "đích để ở", "đăng ký thường trú tại phương tiện lưu động"),
        2: case("Giấy tờ, tài liệu xác nhận về việc chăm sóc, nuôi dưỡng, trợ giúp",
                "người được chăm sóc, nuôi dưỡng, trợ giúp đăng ký thường trú tại cơ sở trợ giúp xã hội hoặc hộ gia "
                "đình nhận chăm sóc, nuôi dưỡng, trợ giúp"),
        3: case("Văn bản đề nghị của người đứng đầu cơ sở trợ giúp xã hội",
                "người được cơ sở trợ giúp xã hội nhận chăm sóc, nuôi dưỡng, trợ giúp"),
        4: case("Giấy tờ, tài liệu chứng minh quan hệ nhân thân với chủ hộ, thành viên hộ gia đình",
                "đăng ký thường trú vào chỗ ở hợp pháp không thuộc quyền sở hữu của mình (khoản 2 Điều 20 Luật Cư "
                "trú), khi thông tin chưa có trong căn cước điện tử hoặc cơ sở dữ liệu"),
        5: case("Văn bản xác nhận của Ủy ban nhân dân cấp xã về việc trong cơ sở tín ngưỡng, cơ sở tôn giáo có công "
                "trình phụ trợ là nhà ở", "đăng ký thường trú tại cơ sở tín ngưỡng, cơ sở tôn giáo"),
        6: case("Văn bản xác nhận của Ủy ban nhân dân cấp xã về việc người đăng ký thường trú thuộc đối tượng quy "
                "định tại khoản 2 Điều 17 Luật Cư trú và việc trong cơ sở tín ngưỡng, cơ sở tôn giáo có công trình "
                "phụ trợ là nhà ở", "đăng ký thường trú tại cơ sở tín ngưỡng, cơ sở tôn giáo"),
        7: case("Giấy tờ, tài liệu chứng minh là nhà tu hành, chức sắc, chức việc hoặc người khác hoạt động tôn giáo "
                "được hoạt động tại cơ sở tôn giáo đó",
                "người quy định tại điểm a khoản 4 Điều 20 Luật Cư trú đăng ký thường trú tại cơ sở tôn giáo"),
        # The army's letter and, cut from the same item, the police's.
        8: [alt(ARMY, UNIT, "đăng ký thường trú tại nơi đơn vị đóng quân"),
            alt(POLICE, UNIT, "đăng ký thường trú tại nơi đơn vị đóng quân")],
        9: req(CT01),
    },
    "1.004194": {
        0: case("Giấy tờ, tài liệu chứng minh chỗ ở hợp pháp",
                "thông tin về chỗ ở hợp pháp không khai thác được từ căn cước điện tử, ứng dụng định danh quốc gia "
                "hoặc cơ sở dữ liệu"),
        1: req(f"{CT01}; người chưa thành niên ghi rõ ý kiến đồng ý của cha, mẹ hoặc người giám hộ"),
        2: case("Tờ khai thay đổi thông tin cư trú của từng người (Mẫu CT01 ban hành kèm theo Thông tư số "
                "53/2025/TT-BCA)", "đăng ký tạm trú theo danh sách"),
        3: case("Văn bản đề nghị đăng ký tạm trú ghi rõ thông tin về chỗ ở hợp pháp, kèm danh sách người tạm trú "
                "(họ, chữ đệm và tên; ngày, tháng, năm sinh; giới tính; số định danh cá nhân; thời hạn tạm trú)",
                "đăng ký tạm trú theo danh sách"),
        4: alt(ARMY, UNIT, "đăng ký tạm trú tại nơi đơn vị đóng quân"),
        5: None,  # the same form as item 1, cut
        6: alt(POLICE, UNIT, "đăng ký tạm trú tại nơi đơn vị đóng quân"),
    },
    "1.002755": {
        0: case("Tờ khai thay đổi thông tin cư trú của từng người (Mẫu CT01 ban hành kèm theo Thông tư số "
                "53/2025/TT-BCA)", "gia hạn tạm trú theo danh sách"),
        1: case("Văn bản đề nghị gia hạn tạm trú ghi rõ thông tin về chỗ ở hợp pháp, kèm danh sách người gia hạn tạm "
                "trú", "gia hạn tạm trú theo danh sách"),
        2: alt(ARMY, UNIT, "gia hạn tạm trú tại nơi đơn vị đóng quân"),
        3: alt(POLICE, UNIT, "gia hạn tạm trú tại nơi đơn vị đóng quân"),
        4: None,  # the same form as item 5, cut
        # The source prints "53/2023/TT-BCA" here and "53/2025/TT-BCA" everywhere else.
        5: req(f"{CT01}, ghi rõ ý kiến đồng ý của chủ sở hữu chỗ ở hợp pháp, trừ trường hợp đã có ý kiến đồng ý "
               "bằng văn bản"),
        6: None,  # a note on copies and scans, not a document
    },
    "1.003677": {
        0: case("Đề nghị khai báo tạm vắng", "công dân thuộc điểm a, điểm b khoản 1 Điều 31 Luật Cư trú"),
        1: case("Văn bản đồng ý của cơ quan có thẩm quyền giám sát, quản lý, giáo dục người đó",
                "công dân thuộc điểm a, điểm b khoản 1 Điều 31 Luật Cư trú"),
        2: case("Nội dung khai báo tạm vắng: họ và tên, số định danh cá nhân hoặc số hộ chiếu của người khai báo; lý "
                "do, thời gian tạm vắng; địa chỉ nơi đến", "công dân thuộc điểm c, điểm d khoản 1 Điều 31 Luật Cư trú"),
    },
    "1.003197": {
        0: case("Giấy tờ, tài liệu chứng minh thuộc trường hợp xóa đăng ký thường trú",
                "thông tin chưa có trong cơ sở dữ liệu được kết nối, chia sẻ với cơ quan đăng ký cư trú"),
        1: req(CT01),
    },
    "1.010028": {
        0: case("Giấy tờ, tài liệu chứng minh thuộc trường hợp xóa đăng ký tạm trú",
                "thông tin chưa có trong cơ sở dữ liệu được kết nối, chia sẻ với cơ quan đăng ký cư trú"),
        1: req(CT01),
    },
    "1.010038": {
        0: None,  # case heading; its form is item 2's
        1: case("Giấy tờ, tài liệu chứng minh việc ly hôn và việc tiếp tục được sử dụng chỗ ở hợp pháp đó",
                "vợ, chồng đã ly hôn mà vẫn được ở cùng chỗ ở hợp pháp đăng ký tách hộ"),
        2: req(f"{CT01}, ghi rõ ý kiến đồng ý cho tách hộ của chủ hộ, chủ sở hữu chỗ ở hợp pháp (trừ trường hợp đã "
               "có ý kiến đồng ý bằng văn bản hoặc vợ, chồng đã ly hôn)"),
    },
    "1.010039": {
        0: req(CT01),
        1: case("Giấy tờ, tài liệu chứng minh việc điều chỉnh thông tin",
                "thông tin về sự thay đổi chưa có trong Cơ sở dữ liệu hộ tịch điện tử"),
    },
    "1.010041": {0: req(CT01)},
    "2.001159": {
        0: req("Nội dung thông báo lưu trú: họ và tên, số định danh cá nhân hoặc số hộ chiếu của người lưu trú; lý "
               "do, thời gian và địa chỉ lưu trú"),
    },
    "1.008004": {
        0: req("Bản đăng ký chuyển đổi cơ cấu cây trồng, vật nuôi trên đất trồng lúa theo mẫu tại Phụ lục IV ban "
               "hành kèm theo Nghị định số 112/2024/NĐ-CP"),
    },
    "1.012753": {
        4: case("Quyết định vị trí đóng quân hoặc văn bản giao cơ sở nhà đất hoặc địa điểm công trình quốc phòng, an "
                "ninh được cấp có thẩm quyền phê duyệt",
                "đất quốc phòng, an ninh của đơn vị, doanh nghiệp thuộc Quân đội nhân dân, Công an nhân dân"),
    },
    "1.013978": {
        0: case("Giấy tờ về việc chuyển quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất có chữ ký của bên "
                "chuyển quyền và bên nhận chuyển quyền",
                "nhận chuyển quyền sử dụng đất, quyền sở hữu tài sản mà chưa thực hiện thủ tục chuyển quyền"),
        2: case("Hợp đồng hoặc văn bản thỏa thuận hoặc quyết định của Tòa án nhân dân về việc xác lập quyền đối với "
                "thửa đất liền kề, kèm sơ đồ thể hiện vị trí, kích thước phần diện tích thửa đất liền kề được quyền "
                "sử dụng hạn chế", "có đăng ký quyền đối với thửa đất liền kề"),
        6: [req("Giấy tờ về quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất (một trong các loại giấy tờ quy "
                "định tại Điều 137, khoản 1, khoản 5 Điều 148, khoản 1, khoản 5 Điều 149 Luật Đất đai)"),
            case("Sơ đồ nhà ở, công trình xây dựng", IF_ANY)],
        9: case("Hồ sơ thiết kế xây dựng công trình đã được cơ quan chuyên môn về xây dựng thẩm định hoặc văn bản "
                "chấp thuận kết quả nghiệm thu hoàn thành hạng mục công trình, công trình xây dựng",
                "chứng nhận quyền sở hữu công trình xây dựng"),
    },
    "1.012812": {
        0: req("Các giấy tờ có liên quan đến việc sử dụng đất (bản phô tô, bản sao có công chứng hoặc chứng thực)"),
    },
    "1.013967": {
        0: None,  # the same application as item 4, under a heading
        1: case("Tài liệu làm chứng cứ, chứng minh liên quan đến diện tích đất tranh chấp", IF_ANY),
        2: None,  # the land office's report and draft decision, not the citizen's
        3: None,  # minutes the commune makes, not the citizen's
    },
    "1.013949": {
        0: None,  # heading of case a), cut
        5: None,  # heading of case b), cut
        9: case("Bản sao văn bản phê duyệt kết quả lựa chọn nhà đầu tư của cơ quan nhà nước có thẩm quyền",
                "giao đất, cho thuê đất thông qua đấu thầu lựa chọn nhà đầu tư thực hiện dự án có sử dụng đất"),
    },
    "1.013225": {
        0: alt(GCN_LAND_ASSETS, LAND),
        1: alt(GCN_HOUSE, LAND),
        2: case(PROJECT, "công trình thuộc dự án"),
        3: alt(GCN_LAND, LAND),
        4: req("Đơn đề nghị cấp giấy phép xây dựng theo Mẫu số 1 Phụ lục số II Nghị định số 175/2024/NĐ-CP ngày "
               "30/12/2024 của Chính phủ"),
        5: alt(GCN_LAND, LAND),
        6: None,  # the application form again (item 4), under the repair procedure's name
        7: case(PROJECT, "công trình thuộc dự án"),
        8: alt(GCN_LAND_ASSETS, LAND),
        9: alt(GCN_LAND, LAND),
    },
    "1.013226": {
        0: req("Bản chính giấy phép xây dựng đã được cấp kèm theo bản vẽ đã được cấp kèm theo giấy phép xây dựng"),
        1: alt("Báo cáo hiện trạng sử dụng đất đã được Ủy ban nhân dân cấp tỉnh nơi có đất kiểm tra thực tế (tổ chức, "
               "cơ sở tôn giáo đang sử dụng đất chưa được cấp giấy chứng nhận)", LAND,
               "điều chỉnh thiết kế có thay đổi về diện tích hoặc chức năng sử dụng đất", count=1),
        2: None,  # the heading of the land papers below
        3: case("Báo cáo kết quả thẩm định và văn bản phê duyệt thiết kế xây dựng điều chỉnh của chủ đầu tư, có nội "
                "dung về bảo đảm an toàn chịu lực, an toàn phòng, chống cháy, nổ, bảo vệ môi trường",
                "công trình không phải nhà ở riêng lẻ"),
        4: alt(GCN_LAND, LAND, "điều chỉnh thiết kế có thay đổi về diện tích hoặc chức năng sử dụng đất"),
        5: req("Bản vẽ thiết kế xây dựng trong hồ sơ thiết kế xây dựng điều chỉnh triển khai sau thiết kế cơ sở được "
               "phê duyệt (Điều 55 đến Điều 59 Nghị định số 175/2024/NĐ-CP)", count=2),
        6: alt(GCN_LAND_ASSETS, LAND, "điều chỉnh thiết kế có thay đổi về diện tích hoặc chức năng sử dụng đất"),
        7: alt("Giấy chứng nhận quyền sử dụng đất hoặc quyết định giao đất, quyết định cho thuê đất có mục đích sử "
               "dụng đất chính (xây dựng công trình trên đất sử dụng kết hợp đa mục đích theo Điều 218 Luật Đất đai)",
               LAND, "điều chỉnh thiết kế có thay đổi về diện tích hoặc chức năng sử dụng đất", count=1),
        9: alt(GCN_HOUSE, LAND, "điều chỉnh thiết kế có thay đổi về diện tích hoặc chức năng sử dụng đất"),
    },
    "1.013229": {
        0: req("Bản vẽ hiện trạng các bộ phận công trình dự kiến sửa chữa, cải tạo, có tỷ lệ tương ứng với các bản "
               "vẽ của hồ sơ đề nghị cấp phép, và ảnh chụp hiện trạng công trình"),
        1: alt(GCN_LAND, LAND),
        2: alt(GCN_LAND_ASSETS, LAND),
        4: alt(GCN_HOUSE, LAND),
        5: req("Bản vẽ thiết kế xây dựng triển khai sau thiết kế cơ sở được phê duyệt hoặc đóng dấu xác nhận theo quy "
               "định của pháp luật về xây dựng", count=2),
        6: alt(GCN_LAND, LAND),
        7: case(PROJECT, "công trình thuộc dự án"),
        8: alt(GCN_LAND, LAND),
        9: alt(GCN_LAND_ASSETS, LAND),
    },
    "1.013228": {
        1: case("Bản chính giấy phép xây dựng đã được cấp", "giấy phép xây dựng bị rách, nát"),
    },
    "1.014632": {
        i: alt(name, "Đề nghị xác nhận theo trường hợp của người đề nghị") for i, name in enumerate((
            "Đề nghị xác nhận điều kiện về nhà ở để được mua, thuê mua nhà ở xã hội, nhà ở cho lực lượng vũ trang "
            "nhân dân (chưa có nhà ở thuộc sở hữu của mình)",
            "Đề nghị xác nhận điều kiện về nhà ở để được mua, thuê mua nhà ở xã hội, nhà ở cho lực lượng vũ trang "
            "nhân dân (có nhà ở nhưng diện tích bình quân đầu người thấp hơn 15 m² sàn/người)",
            "Đề nghị xác nhận điều kiện vay vốn ưu đãi của Nhà nước thông qua Ngân hàng Chính sách xã hội để tự xây "
            "dựng hoặc cải tạo, sửa chữa nhà ở",
            "Đề nghị xác nhận điều kiện vay vốn ưu đãi của Nhà nước tại tổ chức tín dụng do Nhà nước chỉ định để tự "
            "xây dựng hoặc cải tạo, sửa chữa nhà ở",
            "Đề nghị xác nhận đối tượng được hưởng chính sách hỗ trợ về nhà ở xã hội (đối tượng tại các khoản 9, 10, "
            "11 Điều 76 Luật Nhà ở; đối tượng tại khoản 5 Điều 76 không có hợp đồng lao động, không được hưởng lương "
            "hưu)",
            "Đề nghị xác nhận đối tượng, thu nhập để được hưởng chính sách hỗ trợ về nhà ở xã hội (đối tượng tại các "
            "khoản 5, 6, 8 Điều 76 Luật Nhà ở, trừ đối tượng tại khoản 5 không có hợp đồng lao động, không được hưởng "
            "lương hưu)",
            "Đề nghị xác nhận điều kiện về thu nhập để được mua, thuê mua nhà ở xã hội (đối tượng tại khoản 5 Điều 76 "
            "Luật Nhà ở không có hợp đồng lao động, không được hưởng lương hưu do cơ quan Bảo hiểm xã hội chi trả)"))
    },
    "1.001662": {
        0: alt("Tờ khai đăng ký công trình khai thác nước dưới đất theo Mẫu 13 tại Phụ lục I kèm theo Nghị định số "
               "54/2024/NĐ-CP (khai thác với quy mô không vượt quá 10 m³/ngày đêm, trừ hộ gia đình khai thác cho "
               "sinh hoạt của mình)", "Tờ khai đăng ký công trình khai thác nước dưới đất"),
        1: alt("Tờ khai đăng ký công trình khai thác nước dưới đất theo Mẫu 14 tại Phụ lục I kèm theo Nghị định số "
               "54/2024/NĐ-CP (nước dưới đất tự chảy trong moong khai thác khoáng sản để tuyển quặng, bơm hút nước để "
               "tháo khô mỏ)", "Tờ khai đăng ký công trình khai thác nước dưới đất"),
    },
}
