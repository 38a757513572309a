"""brat standoff: `.txt`/`.ann` pairs and `annotation.conf`."""
