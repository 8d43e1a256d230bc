"""Region codes: the 12-digit statistical code (6 county + 3 township + 3 village), its short form
and the 15-digit group code.

The short form is the identity: a province is `45`, a county `451423`, a village
`451423100201`. Because every code starts with its parent's, a subtree is a prefix, and the
padded form (`451423000000`) means the same as the short one (`451423`).
"""

import re

from .choices import CODE_LENGTHS, Level

_SEGMENTS = (2, 2, 2, 3, 3)  # province, city, county, township, village
_DIGITS = re.compile(r"^\d+$")


class InvalidRegionCode(ValueError):
    pass


def normalize_code(raw: str) -> str:
    """The short code for any accepted spelling; raises InvalidRegionCode with a Chinese reason."""
    code = (raw or "").strip().translate(_FULLWIDTH)
    if code.endswith(".0"):  # a code read back from a spreadsheet number
        code = code[:-2]
    if not _DIGITS.match(code):
        raise InvalidRegionCode(f"区划代码“{raw}”应只含数字")
    if len(code) == 15:
        village, group = normalize_code(code[:12]), code[12:]
        if len(village) != 12:
            raise InvalidRegionCode(f"区划代码“{raw}”的村民小组必须在村之下")
        if group == "000":
            return village
        return village + group
    if len(code) == 12:
        parts, pos = [], 0
        for size in _SEGMENTS:
            parts.append(code[pos : pos + size])
            pos += size
        while parts and set(parts[-1]) == {"0"}:
            parts.pop()
        if not parts:
            raise InvalidRegionCode(f"区划代码“{raw}”全为零")
        return "".join(parts)
    if len(code) in CODE_LENGTHS:
        return code
    raise InvalidRegionCode(f"区划代码“{raw}”长度应为 2、4、6、9、12 或 15 位")


def level_of(code: str) -> Level:
    return CODE_LENGTHS[len(code)]


def parent_code(code: str) -> str | None:
    lengths = sorted(CODE_LENGTHS)
    i = lengths.index(len(code))
    return code[: lengths[i - 1]] if i else None


def statistical_code(code: str) -> str:
    """The 12-digit form used in spreadsheets (groups keep their 15 digits)."""
    return code if len(code) >= 12 else code.ljust(12, "0")


_FULLWIDTH = {0xFF10 + i: ord("0") + i for i in range(10)}
