"""Citizen ID numbers (GB 11643-1999): 6-digit region, 8-digit birth date, 3-digit sequence and
an ISO 7064 MOD 11-2 check character. Sex and birth date are read from the number."""

import datetime

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
_FULLWIDTH = {0xFF10 + i: ord("0") + i for i in range(10)} | {0xFF38: ord("X"), 0xFF58: ord("X")}


class InvalidIdNumber(ValueError):
    pass


def check_character(first17: str) -> str:
    return _CHECK[sum(int(c) * w for c, w in zip(first17, _WEIGHTS, strict=True)) % 11]


def normalize(raw: str) -> str:
    """Full-width digits and x, spaces and a lower-case x made canonical; nothing else guessed."""
    return (raw or "").translate(_FULLWIDTH).strip().replace(" ", "").upper()


def looks_like_excel_number(raw: str) -> bool:
    """True when Excel has stored the number as a float and lost digits (4.51423E+17 …)."""
    text = (raw or "").strip().upper()
    return "E+" in text or "E17" in text or (text.endswith(".0") and text[:-2].isdigit())


def validate(raw: str) -> str:
    """The canonical ID number, or InvalidIdNumber with a reason in plain Chinese."""
    if looks_like_excel_number(raw):
        raise InvalidIdNumber(
            f"证件号码“{raw}”已被 Excel 存成数字并丢失了末尾数字，请把该列设为文本后重新导出"
        )
    value = normalize(raw)
    if not value:
        raise InvalidIdNumber("证件号码为空")
    if len(value) != 18:
        raise InvalidIdNumber(f"证件号码“{raw}”应为 18 位，实际 {len(value)} 位")
    if not value[:17].isdigit() or not (value[17].isdigit() or value[17] == "X"):
        raise InvalidIdNumber(f"证件号码“{raw}”前 17 位应为数字，末位应为数字或 X")
    try:
        birth_date(value)
    except ValueError:
        raise InvalidIdNumber(f"证件号码“{raw}”中的出生日期 {value[6:14]} 不存在") from None
    expected = check_character(value[:17])
    if value[17] != expected:
        raise InvalidIdNumber(f"证件号码“{raw}”校验码错误（应为 {expected}）")
    return value


def birth_date(value: str) -> datetime.date:
    return datetime.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))


def sex(value: str) -> str:
    """ "male" or "female": the 17th digit is odd for men."""
    return "male" if int(value[16]) % 2 else "female"


def make(region6: str, born: datetime.date, sequence: int) -> str:
    """A valid ID number (for demo data and tests): sequence 0–999, odd for men."""
    first17 = f"{region6}{born:%Y%m%d}{sequence:03d}"
    return first17 + check_character(first17)
