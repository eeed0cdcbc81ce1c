"""Pay plan, handoff and quota signals, and the interview questions they drive."""
from jdlens.signals import find_signals, interview_questions


def kinds(text):
    return {(s.kind, s.leans) for s in find_signals(text)}


def test_pay_split_and_new_logo_commission():
    k = kinds("Pay mix is 50/50 base to variable, with commission paid on first-year contract value of new logos.")
    assert ("pay_plan", "neutral") in k
    assert ("pay_plan", "hunter") in k


def test_renewal_bonus_points_to_account_management():
    assert ("pay_plan", "account_manager") in kinds("A quarterly bonus is paid on renewals and upsell.")


def test_handoff_after_six_months():
    k = kinds("After six months each new client moves to our account management team.")
    assert ("handoff", "hunter") in k


def test_inheriting_a_book():
    assert ("handoff", "account_manager") in kinds("You will inherit a book of 60 accounts from the founders.")


def test_quota_types():
    assert ("quota", "hunter") in kinds("You carry a new logo quota of 12 deals a year.")
    assert ("quota", "account_manager") in kinds("Your goal is net revenue retention above 110%.")


def test_spans_point_at_the_words():
    t = "Great team. Commission on new business is paid monthly."
    for s in find_signals(t):
        assert t[s.start:s.end].strip()
        assert 0 <= s.start < s.end <= len(t)


def test_questions_ask_about_what_is_missing():
    q = interview_questions("hunter", 0.8, [])
    joined = " ".join(q)
    assert "base/variable split" in joined and "handed to an account manager" in joined
    stated = find_signals("Commission on new logos, 60/40 split. After 90 days clients move to account management. "
                          "New logo quota of 10.")
    q2 = interview_questions("hunter", 0.8, stated)
    assert len(q2) < len(q)
    assert not any("handed to an account manager" in x for x in q2)


def test_not_sales_questions_check_the_role():
    assert "sales target" in interview_questions("not_sales", 0.5, [])[0]


def test_generic_target_words_are_not_a_quota():
    assert not any(k == "quota" for k, _ in kinds("Research target accounts and set targets for your week."))
    assert ("quota", "neutral") in kinds("You will be measured against monthly sales targets.")
