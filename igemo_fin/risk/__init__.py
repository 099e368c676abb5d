"""Risk: the Monte Carlo over the risk register, scenarios, the tornado and the risk capacity."""
