"""What enters the product: file safety, cells, the portfolio workbook, ledger exports, accounts."""
