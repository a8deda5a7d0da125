"""Proposing meetings for the cases waiting: the problem's values (``problem``), the optimiser and
the greedy rule (``solver``), and a check of every hard rule (``validator``) are pure Python and
never touch the database; ``from_database`` builds a problem from it and ``services`` in the
meetings app arranges the meetings accepted."""
