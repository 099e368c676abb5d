"""What IGEMO owes and carries: risk sharing, profit sharing, provisions, write-downs, journals."""
