"""The customers a process remembers as contended."""

from __future__ import annotations

import uuid

from application.contention import Contention


def test_a_customer_that_lost_is_remembered_for_a_while():
    contention = Contention(memory=60)
    hot, calm = uuid.uuid4(), uuid.uuid4()
    contention.lost([hot])
    assert hot in contention and calm not in contention
    forgetful = Contention(memory=0)
    forgetful.lost([hot])
    assert hot not in forgetful


def test_only_the_latest_customers_are_remembered():
    contention = Contention(size=2)
    first, second, third = (uuid.uuid4() for _ in range(3))
    contention.lost([first, second])
    contention.lost([third])
    assert first not in contention and second in contention and third in contention
