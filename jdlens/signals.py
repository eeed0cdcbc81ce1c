"""Facts a reader looks for beside the wording: pay plan, handoff of accounts, quota type.

Rules are regular expressions over the normalized text; each hit keeps its span so the app
can highlight it. `leans` says which way the fact points (hunter, account_manager, neutral).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

_NUM = r"(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|twelve|eighteen|thirty|sixty|ninety)"

# (kind, detail, leans, pattern)
_RULES: list[tuple[str, str, str, re.Pattern]] = [
    ("pay_plan", "base/variable split", "neutral", re.compile(
        r"\b(?:[1-9]\d)\s?/\s?(?:[1-9]\d)\b(?=[^.\n]{0,40}\b(?:split|mix|base|variable|pay|comp|ote)\b)"
        r"|\b(?:base|pay|comp(?:ensation)?)\s*(?:/|and|to)?\s*(?:variable|commission|bonus)?\s*"
        r"(?:split|mix)\s*(?:of|is|:)?\s*(?:[1-9]\d)\s?(?:/|:|-)\s?(?:[1-9]\d)\b", re.I)),
    ("pay_plan", "commission on new business", "hunter", re.compile(
        r"\b(?:commission|bonus|spiff|paid|pays?|rewarded)\b[^.\n]{0,60}?\b(?:new (?:logos?|business|accounts?|clients?|customers?)|first[- ]year (?:contract )?value|net[- ]new|first orders?|acquisition)\b"
        r"|\bnew[- ](?:logo|business)\s+(?:commission|bonus|spiff)s?\b", re.I)),
    ("pay_plan", "pay for renewals or retention", "account_manager", re.compile(
        r"\b(?:commission|bonus|incentive|paid|pays?|rewarded)\b[^.\n]{0,60}?\b(?:renewals?|retention|retained revenue|expansion|upsell|account growth|net revenue retention|nrr)\b"
        r"|\b(?:renewal|retention|expansion)\s+(?:commission|bonus|incentive)s?\b", re.I)),
    ("pay_plan", "accelerators or uncapped commission", "hunter", re.compile(
        r"\baccelerators?\b|\buncapped\s+(?:commission|earnings|bonus|ote)\b|\bno cap on (?:commission|earnings)\b", re.I)),
    ("pay_plan", "on-target earnings stated", "neutral", re.compile(
        r"\bOTE\b|\bon[- ]target earnings\b", re.I)),
    ("handoff", "new accounts handed to account management", "hunter", re.compile(
        r"\b(?:hand(?:ed|s|ing)?(?:\s+\w+){0,3}\s+(?:off|over)|pass(?:ed|es|ing)?\s+(?:\w+\s+){0,3}(?:on|over)?|transition(?:ed|s)?|mov(?:e|ed|es)|transfer(?:red|s)?)\b"
        r"[^.\n]{0,80}?\b(?:account manag\w*|customer success|client services|account management|farming team|service team|relationship manag\w*)\b", re.I)),
    ("handoff", "handoff after a set time", "hunter", re.compile(
        r"\bafter\s+(?:the\s+first\s+)?" + _NUM + r"\s+(?:days?|weeks?|months?|quarters?)\b[^.\n]{0,80}?\b(?:account manag\w*|customer success|client services|account management|handed|passed|moves?|transfer\w*)\b", re.I)),
    ("handoff", "inherits accounts from others", "account_manager", re.compile(
        r"\b(?:inherit|take over|assume ownership of|receive)\b[^.\n]{0,50}?\b(?:accounts?|clients?|customers?|book|portfolio)\b", re.I)),
    ("quota", "new-logo or new-business quota", "hunter", re.compile(
        r"\b(?:new[- ]logo|new[- ]business|net[- ]new|acquisition)\s+(?:quota|targets?|goals?)\b"
        r"|\bquota\b[^.\n]{0,40}?\bnew (?:logos?|business|accounts?|clients?|customers?)\b", re.I)),
    ("quota", "retention, renewal or expansion target", "account_manager", re.compile(
        r"\b(?:net|gross)\s+(?:revenue|dollar)\s+retention\b|\bNRR\b|\bGRR\b|\brenewal rates?\b|\bretention (?:rate|targets?|goals?)\b"
        r"|\bchurn\b|\bwallet share\b|\bshare of wallet\b|\bexpansion (?:quota|targets?)\b", re.I)),
    ("quota", "quota or bookings target", "neutral", re.compile(
        r"\b(?:quota|quotas|bookings targets?|sales targets?|revenue targets?|sales goals?)\b", re.I)),
]


@dataclass(frozen=True)
class Signal:
    kind: str      # pay_plan, handoff, quota
    detail: str    # what was found, in plain words
    leans: str     # hunter, account_manager or neutral
    start: int     # span in the normalized text (mapped to the original by the caller)
    end: int


def find_signals(text: str, max_per_rule: int = 3) -> list[Signal]:
    """All signal hits in reading order; a neutral rule is dropped where a specific one of
    the same kind already covers the same place."""
    hits: list[Signal] = []
    for kind, detail, leans, pattern in _RULES:
        n = 0
        for m in pattern.finditer(text):
            if m.end() == m.start():
                continue
            if leans == "neutral" and any(h.kind == kind and h.start <= m.start() < h.end + 40 and h.leans != "neutral" for h in hits):
                continue
            hits.append(Signal(kind, detail, leans, m.start(), m.end()))
            n += 1
            if n >= max_per_rule:
                break
    # keep one neutral "quota" mention at most: the generic word appears everywhere
    generic = [h for h in hits if h.kind == "quota" and h.leans == "neutral"]
    if len(generic) > 1 or (generic and any(h.kind == "quota" and h.leans != "neutral" for h in hits)):
        drop = generic[1:] if not any(h.kind == "quota" and h.leans != "neutral" for h in hits) else generic
        hits = [h for h in hits if h not in drop]
    return sorted(hits, key=lambda h: (h.start, h.kind))


def interview_questions(label: str, hunter_score: float, signals: list[Signal]) -> list[str]:
    """What a job seeker should ask, given what the posting leaves unsaid."""
    kinds = {(s.kind, s.leans) for s in signals}
    has = {s.kind for s in signals}
    q: list[str] = []
    if label == "not_sales":
        q.append("Does this role carry a sales target or own customer accounts, or does it support the people who do?")
        q.append("Who are the internal customers of this role, and how is success measured?")
        return q
    if "pay_plan" not in has:
        q.append("What is the base/variable split, and does commission pay more for new logos or for renewals and growth of existing accounts?")
    elif ("pay_plan", "hunter") not in kinds and ("pay_plan", "account_manager") not in kinds:
        q.append("The pay plan is mentioned but not what it rewards: how much of the variable pay comes from new customers versus renewals?")
    if "handoff" not in has:
        q.append("Who owns a new account after it signs: do I keep it, or is it handed to an account manager, and after how long?")
    if not any(k == "quota" and leans != "neutral" for k, leans in kinds):
        q.append("What is the quota made of: new logos, renewals, or expansion of current customers? What share of last year's target came from each?")
    if hunter_score >= 0.65:
        q.append("Where do leads come from: inbound marketing, an SDR team, or my own prospecting? How many new accounts did the top rep open last year?")
    elif hunter_score <= 0.35:
        q.append("How many accounts are in the book, what is their combined revenue, and what was churn last year?")
    else:
        q.append("In a typical week, how is time split between chasing new customers and looking after the ones we already have?")
    q.append("What does a great first 90 days look like in this role?")
    return q
