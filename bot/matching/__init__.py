"""How a question finds its fact: analysis, the index, the fitted ranker and the decision."""
