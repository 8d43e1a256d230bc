"""Objects for the generic access test (core/testing_access.py): an activity in 新联村 by the
unit assigned there, and one in 罗回村 by the other unit (the assistance app's access world)."""

from __future__ import annotations

import datetime

from bangfu.assistance import testing as assistance_testing
from bangfu.assistance.testing_access import _world as assistance_world

from . import testing


def _activities(world):
    a = assistance_world(world)
    inside, outside = a["unit"]
    day = datetime.date(2019, 5, 1)
    return (
        testing.make_activity(inside, assistance_testing.XINLIAN, date=day),
        testing.make_activity(outside, assistance_testing.LUOHUI, date=day),
    )


ACCESS_OBJECTS = {"activities.activity": _activities}
