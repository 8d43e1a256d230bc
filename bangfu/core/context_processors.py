from .privacy import can_view_personal_data


def bangfu(request):
    user = getattr(request, "user", None)
    return {
        "can_view_personal_data": can_view_personal_data(user),
        "user_scope": getattr(user, "scope_region", None)
        if user and user.is_authenticated
        else None,
    }
