"""Writes stores/pandas-written.h5, a store made by pandas alone (no cox), for cox4j's reader tests.

Run from core/src/test/resources with Debian's /usr/bin/python3 (python3-pandas, python3-tables):
    /usr/bin/python3 python/make_pandas_store.py
It wrote the committed file with pandas 1.5.3, PyTables 3.7.0, HDF5 1.10.8 (Debian 12).
"""
import numpy as np
import pandas as pd

path = "stores/pandas-written.h5"
metrics = pd.DataFrame({
    "step": np.array([0, 1, 2, -5], dtype="int64"),
    "loss": [float("nan"), -0.0, float("inf"), 1e-300],
    "name": ["a", "", "ünïcødé ✓", "long-" * 10],
    "ok": [True, False, True, False],
})
with pd.HDFStore(path, mode="w") as store:
    # appended in two parts, as cox does row by row
    store.append("metrics", metrics.iloc[:2], format="table", min_itemsize={"values": 60})
    store.append("metrics", metrics.iloc[2:], format="table")
    # a table with data columns (one member per column) and other numeric dtypes
    other = pd.DataFrame({
        "i32": np.array([1, -2], dtype="int32"),
        "f32": np.array([0.5, -1.5], dtype="float32"),
        "u8": np.array([255, 0], dtype="uint8"),
        "tag": ["x", "yy"],
    })
    store.append("other", other, format="table", data_columns=True)
print("wrote", path)
