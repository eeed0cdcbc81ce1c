"""The short built-in example shown when the app opens with no posting."""

EXAMPLE = """\
Account Executive, Mid-Market (Chicago or remote, Central time)

About the role
You will own a territory of mid-market manufacturers and build your pipeline from scratch:
prospect by phone, email and LinkedIn, run discovery calls and demos, and close new logos.
After 90 days, new accounts are handed off to an account manager for onboarding and renewals.

What you will do
- Source and qualify new opportunities through cold outreach and events.
- Negotiate and close net-new deals against a quarterly new-logo quota.
- Partner with Customer Success on renewals and upsell in your first accounts.

Pay: 50/50 base and variable, uncapped commission on new business.
"""
