"""DyGIE++ JSON lines: tokenised sentences with entities, events and relations."""
