"""What is stored: the embedded store, decisions and thresholds, users, account history, versions."""
