"""Risk: the Monte Carlo over the risk register, scenarios, the tornado and the risk capacity.

One module per concept; import from the module that computes what you need. Every function starts
from an evaluation and reads its inputs from the basis it carries (``ev.basis``):

* :mod:`~igemo_fin.risk.draws`: the seeded random streams (the risk register's effects, the
  reference class, the rate spread);
* :mod:`~igemo_fin.risk.kernel`: one batch of draws turned into ``npv_forward`` and the result;
* :mod:`~igemo_fin.risk.montecarlo`: :func:`~igemo_fin.risk.montecarlo.simulate`;
* :mod:`~igemo_fin.risk.capacity`: the portfolio's loss and the A-F reading of the risk capacity;
* :mod:`~igemo_fin.risk.scenarios`: the stress scenarios;
* :mod:`~igemo_fin.risk.tornado`: one driver at a time;
* :mod:`~igemo_fin.risk.reference`: the reference-class uplift (P50, P80);

Nothing is re-exported here: the functions ``scenarios`` and ``tornado`` would shadow the modules
of the same name.
"""
