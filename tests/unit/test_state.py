"""The constant-size summaries a customer keeps."""

from __future__ import annotations

from customer_domain.state import ChangeMarks


def test_change_marks_remember_another_client_across_changes_by_the_same_one():
    marks = ChangeMarks().changed(1, "b").changed(2, "a").changed(3, "a")
    assert (marks.latest_not_by("a"), marks.latest_not_by("b")) == (1, 3)
    assert ChangeMarks().latest_not_by("a") == -1
