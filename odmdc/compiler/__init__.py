"""Front end, checker, IR, planner and command line of odmdc."""
