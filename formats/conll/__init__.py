"""CoNLL: a token and its tag per line (IOB, BIOES, BILOU)."""
