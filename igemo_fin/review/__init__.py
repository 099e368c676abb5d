"""Finance's yearly review of the general running: budget against actual per cost group, the trend in
real terms, overhead that escapes the projects, and the municipalities' operating contribution."""
