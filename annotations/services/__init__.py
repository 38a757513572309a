"""Services of the annotations app: plain typed functions that write."""
