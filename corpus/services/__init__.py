"""Services of the corpus app: plain typed functions that write."""
