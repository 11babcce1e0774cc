"""Reads a file `cox export` wrote with pandas, as a pandas user would, and prints its cells as JSON.

usage: read_export.py csv|jsonl FILE

Prints {"columns": [...], "dtypes": [...], "rows": [[cell, ...], ...]} where each cell is
["null"], ["int", n], ["float", repr(x)] (so nan, inf, -0.0 survive), ["bool", b] or ["str", s].
"""
import json
import math
import numbers
import sys

import numpy as np
import pandas as pd


def cell(v):
    if v is None:
        return ["null"]
    if isinstance(v, (bool, np.bool_)):
        return ["bool", bool(v)]
    if isinstance(v, numbers.Integral):
        return ["int", int(v)]
    if isinstance(v, numbers.Real):
        return ["float", repr(float(v))]
    if isinstance(v, str):
        return ["str", v]
    return ["str", json.dumps(v)]


def main():
    kind, path = sys.argv[1], sys.argv[2]
    # pandas' default float parsers may miss the last digit; these options read doubles exactly
    if kind == "csv":
        df = pd.read_csv(path, float_precision="round_trip")
    else:
        df = pd.read_json(path, lines=True, convert_dates=False, precise_float=True)
    out = {
        "columns": [str(c) for c in df.columns],
        "dtypes": [str(t) for t in df.dtypes],
        "rows": [[cell(v) for v in row] for row in df.itertuples(index=False, name=None)],
    }
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
