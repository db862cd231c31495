"""Regenerate knowledge/language/en/out_of_scope.txt: the calibration's out-of-scope prior.

    python scripts/make_out_of_scope.py ../shared/eval/clinc150/clinc150-train-val.json.gz

The lines are CLINC150's `oos_train` queries (Larson et al., EMNLP 2019, CC BY 3.0): questions
that no intent of a task-oriented assistant answers. Only the training split is used; CLINC's
validation split stays for measuring (benchmarks/clinc.py).
"""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "knowledge" / "language" / "en" / "out_of_scope.txt"
HEADER = (
    "# Questions no event's fact base answers: CLINC150 oos_train (Larson et al., EMNLP 2019,\n"
    "# CC BY 3.0). Made by scripts/make_out_of_scope.py; the calibration's general negatives.\n"
)


def main(source: str) -> None:
    with gzip.open(source, "rt", encoding="utf-8") as packed:
        data = json.load(packed)
    queries = sorted({q.strip() for q, _ in data["oos_train"] if q.strip()})
    OUT.write_text(HEADER + "".join(f"{q}\n" for q in queries), encoding="utf-8")
    print(f"{OUT}: {len(queries)} questions")  # noqa: T201 (a script says what it wrote)


if __name__ == "__main__":
    main(sys.argv[1])
