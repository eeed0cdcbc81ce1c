"""Cue phrases from our labeling guide: words that name whether the customers are NEW or
EXISTING. The model still learns every phrase's weight from the corpus; cue phrases only
get a weaker penalty (their features are scaled up before fitting, see train.py), because
the guide says they decide the label, while words such as "customer", "management" or
"sales" appear on both sides in real postings and must not carry a posting on their own.
"""
from __future__ import annotations

import re

# Matched against whole features (a word or two words, lowercased), e.g. "new business".
CUE_TERM = re.compile(
    r"^(?:"
    # winning new customers
    r"new (?:business|accounts?|customers?|clients?|logos?|leads?|markets?|territor\w+)|net new|"
    r"prospect\w*|cold|cold call\w*|canvass\w*|outbound|lead generation|generate leads|hunt\w*|"
    r"acquisition|acquire|acquiring|win new|winning new|open new|opening new|greenfield|pipeline|"
    r"business development|market share|first meetings?|"
    # keeping and growing existing customers
    r"existing (?:accounts?|customers?|clients?|relationships?|book)|current (?:accounts?|customers?|clients?)|"
    r"retention|retain\w*|renew\w*|upsell\w*|up sell\w*|cross sell\w*|account management|portfolio|book of|"
    r"assigned accounts|satisfaction|repeat business|reorders?|churn|wallet share|key accounts?|account base|"
    r"installed base|onboard\w*|qbrs?|farm\w*|expansion|grow existing|existing"
    r")$"
)


def is_cue(term: str) -> bool:
    return CUE_TERM.match(term) is not None
