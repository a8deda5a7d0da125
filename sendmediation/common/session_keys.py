"""Session keys that one app writes and another reads, named once."""

# The postcode a family checked on "Check if we cover your area" and found covered. The request for
# help starts with it filled in; it travels in the session, never in an address, so that it does
# not reach server logs, browser history or another site's referrer.
CHECKED_POSTCODE = "checked_postcode"
