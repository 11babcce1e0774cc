"""Writes the store of issue 17's finding 4 as Python cox leaves one: store.h5 alone (pandas, no
journal), table metadata (lr 0.5, optimizer sgd, config) whose OBJECT cell config is the base64
of a pickle of 25 nested levels of [a] * 10, built from shared references. Prints that cell.

usage: expanding_object_cell.py EXP_DIR    (run by ExpandingObjectCellTest with /usr/bin/python3)
"""
import base64
import os
import pickle
import sys

import pandas as pd

folder = sys.argv[1]
os.makedirs(folder, exist_ok=True)
a = [1]
for _ in range(25):
    a = [a] * 10
cell = base64.encodebytes(pickle.dumps(a, protocol=2)).decode("ascii")
frame = pd.DataFrame({"lr": [0.5], "optimizer": ["sgd"], "config": [cell]})
with pd.HDFStore(os.path.join(folder, "store.h5"), mode="w") as store:
    store.append("metadata", frame, format="table")
    # as cox's Table does: the schema beside the rows, OBJECT columns marked '__object__'
    store.get_storer("metadata").attrs.COX_DATA = {
        "schema": {"lr": float, "optimizer": str, "config": "__object__"}, "name": "metadata"}
print(cell)
