#!/usr/bin/python3
"""Writes the pickle and torch.save fixtures under core/src/test/resources/objects/.

Run from the repository root:  /usr/bin/python3 core/src/test/resources/python/make_object_fixtures.py
The Java tests (cox.pickle.PickleFixturesTest, cox.torch.TorchFixturesTest) hard-code the same
values; change both together. The README written next to the fixtures names the versions.
"""
import collections
import os
import pickle
import sys

import numpy as np
import torch

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "objects")


def plain_value():
    """One value exercising every plain type; protocols 0..5 each write it."""
    return {
        "str": "héllo \u4e2d \U0001F600",
        "empty": "",
        "bytes": b"\x00\x01\xffab",
        "empty_bytes": b"",
        "int": 42,
        "neg": -7,
        "int32_edge": 2**31,
        "big": 2**100 + 1,
        "neg_big": -(2**70),
        "float": 1.5,
        "neg_zero": -0.0,
        "nan": float("nan"),
        "inf": float("inf"),
        "true": True,
        "false": False,
        "none": None,
        "list": [1, "two", [3.0]],
        "tuple": (1, "two"),
        "empty_tuple": (),
        "set": {7},
        "frozenset": frozenset(["f"]),
        "nested": {"k": [True, None, {"deep": (1,)}]},
        "ordered": collections.OrderedDict([("b", 1), ("a", 2)]),
        "float_class": float,
    }


def numpy_value():
    a = np.arange(12, dtype=np.float64).reshape(3, 4)
    return {
        "f4": np.array([[1.5, -2.0, 0.0], [3.0, 4.0, 5.0]], dtype=np.float32),
        "f8_fortran": np.asfortranarray(a),
        "f8_slice": a[:, 1],
        "i8": np.array([1, -2, 2**40], dtype=np.int64),
        "i4_big_endian": np.array([1, -2], dtype=">i4"),
        "i2": np.array([-32768, 32767], dtype=np.int16),
        "i1": np.array([-128, 127], dtype=np.int8),
        "u1": np.array([0, 255], dtype=np.uint8),
        "f2": np.array([0.5, -65504.0], dtype=np.float16),
        "b1": np.array([True, False]),
        "zero_d": np.array(2.5),
        "s_f8": np.float64(1.5),
        "s_f4": np.float32(0.25),
        "s_i8": np.int64(-3),
        "s_u1": np.uint8(200),
        "s_b": np.bool_(True),
    }


def dtype_tensors():
    return collections.OrderedDict([
        ("f32", torch.tensor([[1.5, -2.25, 0.0], [-0.0, float("inf"), float("nan")]], dtype=torch.float32)),
        ("f64", torch.tensor([1e-300, -1.0 / 3], dtype=torch.float64)),
        ("f16", torch.tensor([0.5, -65504.0, 2.0**-24], dtype=torch.float16)),
        ("bf16", torch.tensor([1.0, -3.0, 2.0**-10], dtype=torch.bfloat16)),
        ("i64", torch.tensor([2**62, -2**63, 0], dtype=torch.int64)),
        ("i32", torch.tensor([2**31 - 1, -2**31], dtype=torch.int32)),
        ("i16", torch.tensor([-32768, 32767], dtype=torch.int16)),
        ("i8", torch.tensor([-128, 127], dtype=torch.int8)),
        ("u8", torch.tensor([0, 255], dtype=torch.uint8)),
        ("bool", torch.tensor([True, False, True], dtype=torch.bool)),
    ])


def view_tensors():
    base = torch.arange(12, dtype=torch.float32)
    grid = base.view(3, 4)
    return {
        "full": base,                 # storage 0, whole
        "slice": base[2:8],           # storage 0, offset 2
        "column": grid[:, 1],         # storage 0, offset 1, stride (4,)
        "transposed": grid.t(),       # storage 0, stride (1, 4)
        "scalar": torch.tensor(3.5),  # 0-d
        "empty": torch.zeros(0, 3),
        "element": grid[2, 3],        # 0-d view, offset 11
    }


def linear_state_dict():
    torch.manual_seed(0)
    layer = torch.nn.Sequential(torch.nn.Linear(3, 2), torch.nn.BatchNorm1d(2))
    with torch.no_grad():
        layer[0].weight.copy_(torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]))
        layer[0].bias.copy_(torch.tensor([0.5, -0.5]))
    return layer.state_dict()  # OrderedDict with _metadata, BatchNorm's num_batches_tracked


def protocol0_values():
    """Values whose protocol-0 bytes PickleWriter.dumpsProtocol0 must match exactly."""
    return {
        "list_str": ["values_block_0"],
        "index_cols": [(0, "index")],
        "tuple": ("index",),
        "nested_tuple": ("a", ("b",)),
        "empty_tuple": (),
        "empty_list": [],
        "empty_dict": {},
        "none": None,
        "int": 1,
        "neg_int": -5,
        "big_int": 2**40,
        "true": True,
        "false": False,
        "floats": [1.5, 0.1, 1e16, 1e15, 1e-05, 0.0001, -0.0, 123456.789, 1.2345678901234568e+17,
                   5e-324, float("nan"), float("inf"), float("-inf")],
        "schema": {"schema": {"lr": float, "epochs": int, "optimizer": str, "nesterov": bool},
                   "name": "metadata"},
        "unicode": "a\\b\nc\u00e9\u4e2d\U0001F600\r\x00\x1a",
        "info": {1: {"names": [None], "type": "Index"}, "index": {}, "values_block_0": {}},
        "non_index_axes": [(1, ["lr", "epochs"])],
        "bytes": [b"ab", b"cd", b""],
        "set": {3},
        "repeat_global": [float, float],
    }


def main():
    os.makedirs(OUT, exist_ok=True)
    os.makedirs(os.path.join(OUT, "protocol0"), exist_ok=True)
    for name, value in protocol0_values().items():
        with open(os.path.join(OUT, "protocol0", name + ".pkl"), "wb") as f:
            f.write(pickle.dumps(value, protocol=0))
    for proto in range(6):
        with open(os.path.join(OUT, "plain_p%d.pkl" % proto), "wb") as f:
            pickle.dump(plain_value(), f, protocol=proto)
    for proto in (2, 4, 5):
        with open(os.path.join(OUT, "numpy_p%d.pkl" % proto), "wb") as f:
            pickle.dump(numpy_value(), f, protocol=proto)
    torch.save(dtype_tensors(), os.path.join(OUT, "torch_dtypes.pt"))
    torch.save(view_tensors(), os.path.join(OUT, "torch_views.pt"))
    torch.save(linear_state_dict(), os.path.join(OUT, "torch_module.pt"))
    with open(os.path.join(OUT, "README.md"), "w") as f:
        f.write("# Pickle and torch.save fixtures\n\n")
        f.write("Written by `core/src/test/resources/python/make_object_fixtures.py` with\n")
        f.write("Python %s, numpy %s, torch %s (Debian packages).\n\n"
                % (sys.version.split()[0], np.__version__, torch.__version__))
        f.write("- `plain_p0.pkl` ... `plain_p5.pkl`: `plain_value()` pickled with protocols 0 to 5\n")
        f.write("- `numpy_p2.pkl`, `numpy_p4.pkl`, `numpy_p5.pkl`: `numpy_value()` (arrays and scalars)\n")
        f.write("- `torch_dtypes.pt`: one tensor per dtype; `torch_views.pt`: views sharing one storage,\n")
        f.write("  0-d and empty tensors; `torch_module.pt`: a Linear+BatchNorm1d `state_dict()`\n")
        f.write("  (an OrderedDict with `_metadata`)\n")
        f.write("- `protocol0/NAME.pkl`: `pickle.dumps(protocol0_values()[NAME], protocol=0)`\n")


if __name__ == "__main__":
    main()
