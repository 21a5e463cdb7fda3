"""Deployment planning and impact analysis over the checked IR (`odmdc plan`, `odmdc impact`).

- `deferral`: which placeholder edges to defer so the rest is acyclic (greedy, minimal).
- `schedule`: the phase of each enver's deploy and of each placeholder consumer's update.
- `plan`: the IR, optionally cut to one enver and its upstream, as a `models.Plan`.
- `impact`: the waves of envers a change of one product's value reaches (`models.Impact`).
- `targets`: names given on the command line, with "did you mean".
- `render`: the text forms of both.
"""
