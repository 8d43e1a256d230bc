"""Masking of personal data for users without the permission to see it."""

PERSONAL_DATA_PERM = "accounts.view_personal_data"


def can_view_personal_data(user) -> bool:
    return bool(user and user.is_authenticated and user.has_perm(PERSONAL_DATA_PERM))


def mask_id_number(value: str | None) -> str:
    """`451423199001011234` → `4514**********1234`: region and check digits stay recognisable."""
    if not value:
        return value or ""
    if len(value) <= 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def mask_phone(value: str | None) -> str:
    """`13812345678` → `138****5678`; landlines keep their last four digits."""
    if not value:
        return value or ""
    if len(value) <= 4:
        return "*" * len(value)
    if len(value) == 11:
        return value[:3] + "****" + value[-4:]
    return "*" * (len(value) - 4) + value[-4:]


def id_number_for(user, value: str | None) -> str:
    return value or "" if can_view_personal_data(user) else mask_id_number(value)


def phone_for(user, value: str | None) -> str:
    return value or "" if can_view_personal_data(user) else mask_phone(value)
