"""What leaves the product: safe spreadsheets, the board pack, templates and the JSON report."""
