"""What IGEMO owes and carries: risk sharing, profit sharing, provisions, write-downs, journals.

One module per concept (DOMAIN.md, "Risk, sharing and provisions"):

- :mod:`.sharing`: the split of a loss between the municipality and IGEMO (also used by the Monte Carlo);
- :mod:`.exact`: cents and half-up rounding of every obligation amount;
- :mod:`.recognition`: the percentage of completion;
- :mod:`.basis`: the per-project inputs every obligation starts from;
- :mod:`.loss_sharing`, :mod:`.profit_sharing`, :mod:`.spread`, :mod:`.write_downs`: the frames;
- :mod:`.municipalities`: the totals per municipality; :mod:`.overview`: per project and in total;
- :mod:`.journal`: the proposed journal. Its Excel renderings are in :mod:`igemo_fin.exports`.
"""
