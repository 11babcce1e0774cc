"""The other side of DfDifferentialTest: writes a seeded random collection of runs the way Python
cox writes them, makes up random `cox df` queries about it, and answers each one with pandas and
scipy.stats from docs/querying.md alone (no cox4j code is consulted).

usage: df_reference.py SEED FOLDER QUERIES      (run with Debian's /usr/bin/python3)

Writes FOLDER/EXP_ID/store.h5 for every run and prints one JSON object:
  {"seed": SEED, "runs": N, "queries": [{"kind": [...], "args": [...], "exit": 0 or 2,
    "columns": [...], "rows": [[cell, ...], ...]}, ...]}
"args" follow `cox df FOLDER results --metadata-table metadata` (the test adds those and
`--format csv`). A cell is null (missing), true/false, a JSON number, a JSON string (text), or
{"f": "nan" | "inf" | "-inf"} for a float JSON cannot hold.

Python cox itself cannot be imported here (cox/store.py needs tensorboardX, which Debian does not
package), so its layout is reproduced with the pandas calls its Store and Table make: one
pd.HDFStore per run, each table appended row by row in format 'table', the schema beside the rows
in the storer's COX_DATA attribute. Runs are read back as Python cox's CollectionReader reads them
(store[key] per run, an exp_id column, pd.concat).
"""
import json
import math
import os
import random
import sys
import uuid
import warnings

import numpy as np
import pandas as pd
from scipy import special, stats

warnings.simplefilter("ignore")  # scipy's precision warnings on tiny samples

STATS = ["first", "last", "min", "max", "mean", "best", "count"]
GROUP_STATS = ["mean", "std", "sem", "ci95_low", "ci95_high", "min", "max"]
MAXIMISED = ["acc", "prec", "recall", "f1", "auc", "score", "reward", "return", "iou", "bleu", "map",
             "top1", "top5", "correct"]
KEYWORDS = {"and", "or", "not", "in", "is", "missing", "true", "false", "nan", "inf"}
NOTES = ["ok", "späť", "日本語", "naïve ✓", "plain", "Ωmega"]


class UsageError(Exception):
    """The query is at fault: cox df must exit 2."""


# ----------------------------------------------------------------------------- the collection

def write_table(store, name, rows, schema):
    """Appends rows one at a time, as cox's Table.flush_row does, and records the schema."""
    for i, row in enumerate(rows):
        frame = pd.DataFrame({c: [row[c]] for c in schema}, index=[i])
        for c, t in schema.items():
            if t is int:
                frame[c] = frame[c].astype("int64")
            elif t is float:
                frame[c] = frame[c].astype("float64")
        store.append(name, frame, format="table", min_itemsize={"values": 48} if str in schema.values() else None)
    store.get_storer(name).attrs.COX_DATA = {"schema": schema, "name": name}


def make_collection(rng, folder):
    lrs = rng.sample([0.1, 0.03, 0.01, 0.003, 0.001], rng.randint(2, 4))
    optimizers = ["adam", "sgd"] + (["ädam-β"] if rng.random() < 0.6 else [])
    momentum_share = rng.choice([0.0, 0.5, 0.9])  # of the sgd runs that have the extra parameter
    note_mode = rng.choice(["none", "all", "some"])
    count = 0
    for lr in lrs:
        for opt in optimizers:
            for seed in rng.sample(range(100), rng.randint(1, 5)):
                exp_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
                meta = {"lr": lr, "optimizer": opt, "seed": seed}
                meta_schema = {"lr": float, "optimizer": str, "seed": int}
                if opt == "sgd" and rng.random() < momentum_share:
                    meta["momentum"] = rng.choice([0.9, 0.95, 0.99])
                    meta_schema["momentum"] = float
                n = rng.randint(6, 12)
                if rng.random() < 0.2:
                    n = rng.randint(1, n - 1)  # crashed or stopped early
                all_nan = rng.random() < 0.05
                schema = {"epoch": int, "loss": float, "val_acc": float}
                with_note = note_mode == "all" or (note_mode == "some" and rng.random() < 0.5)
                if with_note:
                    schema["note"] = str
                rows = []
                for e in range(n):
                    row = {"epoch": e, "loss": round(rng.uniform(0.01, 3.0), 3),
                           "val_acc": math.nan if all_nan or rng.random() < 0.15 else round(rng.uniform(0.3, 0.99), 2)}
                    if with_note:
                        row["note"] = rng.choice(NOTES)
                    rows.append(row)
                path = os.path.join(folder, exp_id)
                os.makedirs(path)
                with pd.HDFStore(os.path.join(path, "store.h5"), mode="w") as store:
                    write_table(store, "metadata", [meta], meta_schema)
                    write_table(store, "results", rows, schema)
                count += 1
    return count


class Collection:
    """The runs read back with pandas: rows joined with parameters, and each run's fields."""

    def __init__(self, folder):
        self.ids = sorted(d for d in os.listdir(folder) if os.path.exists(os.path.join(folder, d, "store.h5")))
        frames, metas = [], []
        self.params, self.columns, self.kinds = [], [], {}
        present = {}
        for exp_id in self.ids:
            with pd.HDFStore(os.path.join(folder, exp_id, "store.h5"), mode="r") as store:
                results = store["results"]
                meta = store["metadata"]
                for key, frame in (("results", results), ("metadata", meta)):
                    schema = store.get_storer(key).attrs.COX_DATA["schema"]
                    names = self.columns if key == "results" else self.params
                    for c, t in schema.items():
                        present[c] = present.get(c, 0) + 1
                        if c not in names:
                            names.append(c)
                            self.kinds[c] = {int: "int", float: "float", str: "text", bool: "bool"}[t]
            results = results.reset_index(drop=True)
            results.insert(0, "exp_id", exp_id)
            frames.append(results)
            last = meta.iloc[[-1]].reset_index(drop=True)  # a run with several metadata rows uses the last
            last.insert(0, "exp_id", exp_id)
            metas.append(last)
        rows = pd.concat(frames, ignore_index=True)[["exp_id"] + self.columns]
        meta = pd.concat(metas, ignore_index=True)[["exp_id"] + self.params]
        self.rows = rows.merge(meta, on="exp_id", how="left")[["exp_id"] + self.params + self.columns]
        self.kinds["exp_id"] = "text"
        # a column or parameter some runs lack is missing there (a missing cell is not a NaN)
        self.missable = {c for c, n in present.items() if n < len(self.ids)}
        self.numeric = [c for c in self.columns if self.kinds[c] in ("int", "float")]
        by_run = self.rows.groupby("exp_id", sort=False)
        self.n_rows = by_run.size().reindex(self.ids)
        key = [p for p in self.params if p != "seed"]
        firsts = self.rows.drop_duplicates("exp_id").set_index("exp_id")
        most = pd.DataFrame({"n": self.n_rows}).join(firsts[key]).groupby(key, dropna=False)["n"].transform("max")
        self.short = self.n_rows < most.reindex(self.ids)

    def kind(self, name):
        if name in self.kinds:
            return self.kinds[name]
        if name in ("rows",):
            return "int"
        if name == "short":
            return "bool"
        col, _, stat = name.rpartition(".")
        if stat == "count":
            return "int"
        if stat in ("first", "last", "min", "max", "best") and self.kinds.get(col) == "int":
            return "intnan"
        return "float"

    def run_column(self, name, goals):
        """A run field or summary C.STAT as a Series indexed by exp_id; None for another name."""
        if name == "exp_id":
            return pd.Series(self.ids, index=self.ids)
        if name == "rows":
            return self.n_rows
        if name == "short":
            return self.short
        col, _, stat = name.rpartition(".")
        if col not in self.numeric or stat not in STATS:
            return None
        g = self.rows.groupby("exp_id", sort=False)[col]
        if stat == "best":
            stat = goals(col)
        if stat == "first":
            out = self.rows.drop_duplicates("exp_id", keep="first").set_index("exp_id")[col]
        elif stat == "last":
            out = self.rows.drop_duplicates("exp_id", keep="last").set_index("exp_id")[col]
        else:
            out = getattr(g, stat)()  # min, max, mean skip NaN as pandas does; count counts numbers
        return out.reindex(self.ids)


def t975(df):
    """Student's t quantile t(0.975, df), from the inverse regularized incomplete beta function.

    Debian 12's scipy 1.10 computes stats.t.ppf with cdflib's stdtrit, which is off by up to about
    1e-9 relatively (t.ppf(0.975, 6) = 2.4469118487916806; the quantile is 2.44691185114497), more
    than this test allows; betaincinv gives the quantile to about 1e-15. The two are checked to
    agree within 1e-8.
    """
    t = math.sqrt(df * (1 / special.betaincinv(df / 2, 0.5, 0.05) - 1))
    assert abs(t - stats.t.ppf(0.975, df)) <= 1e-8 * t
    return t


def guess_goal(name):
    m = name.lower()
    if "loss" in m or "err" in m or "perplex" in m:
        return "min"
    return "max" if any(w in m for w in MAXIMISED) else "min"


# ----------------------------------------------------------------------------- filters

class Cmp:
    def __init__(self, name, op, value):
        self.name, self.op, self.value = name, op, value  # value: ("num", x) ("text", s) ("col", n) ("bool", b) ("nan",)


class In:
    def __init__(self, name, values, negated):
        self.name, self.values, self.negated = name, values, negated


class Missing:
    def __init__(self, name, negated):
        self.name, self.negated = name, negated


class Logic:
    def __init__(self, op, parts):
        self.op, self.parts = op, parts  # "and", "or", "not"


def render_value(v, columns):
    if v[0] == "num":
        return repr(v[1])
    if v[0] == "col":
        return v[1]
    if v[0] == "bool":
        return "true" if v[1] else "false"
    if v[0] == "nan":
        return "nan"
    s = v[1]
    bare = s.isascii() and (s[0].isalpha() or s[0] == "_") and all(ch.isalnum() or ch in "_.-/:" for ch in s)
    if bare and s.lower() not in KEYWORDS and s not in columns and v[2]:
        return s
    return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'"


PREC = {"or": 1, "and": 2, "not": 3}


def render(node, columns):
    if isinstance(node, Cmp):
        return f"{node.name} {node.op} {render_value(node.value, columns)}"
    if isinstance(node, In):
        return f"{node.name} {'not in' if node.negated else 'in'} ({', '.join(render_value(v, columns) for v in node.values)})"
    if isinstance(node, Missing):
        return f"{node.name} is {'not ' if node.negated else ''}missing"
    if node.op == "not":
        inner = render(node.parts[0], columns)
        return "not " + (inner if not isinstance(node.parts[0], Logic) else "(" + inner + ")")
    out = []
    for p in node.parts:
        text = render(p, columns)
        out.append("(" + text + ")" if isinstance(p, Logic) and PREC[p.op] < PREC[node.op] else text)
    return f" {node.op} ".join(out)


class Scope:
    """The names a filter sees: the frame's columns, then run fields and summaries of each row's run."""

    def __init__(self, coll, frame, summary, goals):
        self.coll, self.frame, self.summary, self.goals = coll, frame, summary, goals
        self.warned = []

    def get(self, name):
        """(values aligned with the frame, kind, missing mask) or None for a name nothing has."""
        if name in self.frame.columns:
            s = self.frame[name]
            kind = self.coll.kind(name)
        else:
            n = name
            if self.summary and name in self.coll.columns:
                if name not in self.coll.numeric:
                    return None
                n = name + ".last"
            per_run = self.coll.run_column(n, self.goals)
            if per_run is None:
                return None
            s = self.frame["exp_id"].map(per_run)
            kind = self.coll.kind(n)
        missing = s.isna() if name in self.coll.missable else pd.Series(False, index=s.index)
        return s, kind, missing

    def numeric(self, name):
        got = self.get(name)
        return got is not None and got[1] in ("int", "float", "intnan")


def evaluate(node, scope):
    index = scope.frame.index
    if isinstance(node, Logic):
        masks = [evaluate(p, scope) for p in node.parts]
        if node.op == "not":
            return ~masks[0]
        out = masks[0]
        for m in masks[1:]:
            out = out & m if node.op == "and" else out | m
        return out
    got = scope.get(node.name)
    if got is None:
        scope.warned.append(node.name)
        s, kind, missing = pd.Series([None] * len(index), index=index, dtype=object), "none", pd.Series(True, index=index)
    else:
        s, kind, missing = got
    numeric = kind in ("int", "float", "intnan")
    if isinstance(node, Missing):
        return ~missing if node.negated else missing
    if isinstance(node, In):
        if numeric and any(v[0] == "text" for v in node.values):
            raise UsageError("number column compared with text")
        values = [v[1] for v in node.values]
        hit = (s.astype(float) if numeric else s).isin(values) & ~missing
        return ~hit if node.negated else hit
    v = node.value
    if v[0] == "text" and numeric:
        raise UsageError("number column compared with text")
    if v[0] == "nan":
        hit = s.astype(float).isna() & ~missing if numeric else pd.Series(False, index=index)
        return hit if node.op == "==" else ~hit
    if v[0] == "col":
        other = scope.get(v[1])
        right = other[0].astype(float)
    elif v[0] == "bool":
        right = v[1]
    else:
        right = v[1]
    left = s.astype(float) if numeric else s
    if kind == "bool" and v[0] == "bool":
        left = s.astype(bool)
    ops = {"==": left.__eq__, "!=": left.__ne__, "<": left.__lt__, "<=": left.__le__, ">": left.__gt__, ">=": left.__ge__}
    if not numeric and node.op not in ("==", "!="):
        raise AssertionError("only == and != are generated for text")
    hit = ops["==" if node.op == "!=" else node.op](right)
    hit = hit.fillna(False).astype(bool) & ~missing
    if v[0] == "col":
        hit &= ~scope.get(v[1])[2]
    return ~hit if node.op == "!=" else hit


# ----------------------------------------------------------------------------- queries

class Query:
    def __init__(self):
        self.where = []        # filter trees, one per --where
        self.reduction = None  # None, "last", ("best", col, goal or None), "summary"
        self.group_by = None
        self.baseline = None
        self.columns = None
        self.sort = None       # (name, desc)

    def goals(self, column):
        if isinstance(self.reduction, tuple) and self.reduction[1] == column and self.reduction[2]:
            return self.reduction[2]
        return guess_goal(column)

    def args(self, columns):
        a = []
        for w in self.where:
            a += ["--where", render(w, columns)]
        if self.reduction == "last":
            a.append("--last")
        elif self.reduction == "summary":
            a.append("--summary")
        elif self.reduction:
            a += ["--best", self.reduction[1] + (":" + self.reduction[2] if self.reduction[2] else "")]
        if self.group_by:
            a += ["--group-by", ",".join(self.group_by)]
        if self.baseline is not None:
            a += ["--baseline", render(self.baseline, columns)]
        if self.columns:
            a += ["--columns", ",".join(self.columns)]
        if self.sort:
            a += ["--sort", self.sort[0] + (":desc" if self.sort[1] else "")]
        return a


def per_run(coll, q):
    """One row per run (exp_id, parameters, then the table's columns or summaries), runs in order."""
    rows = coll.rows
    if q.reduction == "summary":
        out = rows.drop_duplicates("exp_id")[["exp_id"] + coll.params].set_index("exp_id", drop=False)
        for c in coll.numeric:
            for st in STATS:
                out[c + "." + st] = coll.run_column(c + "." + st, q.goals)
        return out.reset_index(drop=True)
    if isinstance(q.reduction, tuple):
        col, goal = q.reduction[1], q.goals(q.reduction[1])
        valid = rows[rows[col].notna()]
        g = valid.groupby("exp_id", sort=False)[col]
        best = g.idxmax() if goal == "max" else g.idxmin()  # the first such row
        last = rows.reset_index().drop_duplicates("exp_id", keep="last").set_index("exp_id")["index"]
        pick = [int(best[i]) if i in best.index else int(last[i]) for i in coll.ids]
        return rows.loc[pick].reset_index(drop=True)
    return rows.drop_duplicates("exp_id", keep="last").reset_index(drop=True)


def apply_where(coll, q, frame):
    scope = Scope(coll, frame, q.reduction == "summary", q.goals)
    keep = pd.Series(True, index=frame.index)
    for w in q.where:
        keep &= evaluate(w, scope)
    return frame[keep.values].reset_index(drop=True)


def add_names(coll, q, frame, names, required):
    """Adds, at the end, a column for each name that is a run field or summary the frame lacks."""
    scope = Scope(coll, frame, q.reduction == "summary", q.goals)
    for name in names:
        if name in frame.columns:
            continue
        got = scope.get(name)
        if got is None:
            if required:
                raise UsageError("no such name " + name)
            continue
        frame = frame.copy()
        frame[name] = got[0].values
    return frame


def text_key(v):
    return v.encode("utf-16-be")  # Java compares strings by UTF-16 code unit


def blank(v):
    return v is None or (isinstance(v, float) and math.isnan(v))


def order_key(v):
    if isinstance(v, (bool, np.bool_)):
        return (1, text_key(str(bool(v))))
    if isinstance(v, (int, float, np.integer, np.floating)):
        return (0, float(v))
    return (1, text_key(str(v)))


def sorted_positions(values, desc):
    """Stable order of the values: numbers, then text; missing and NaN last either way."""
    present = [i for i, v in enumerate(values) if not blank(v)]
    absent = [i for i, v in enumerate(values) if blank(v)]
    present.sort(key=lambda i: order_key(values[i]), reverse=desc)
    return present + absent


def clean(v):
    if isinstance(v, np.generic):
        v = v.item()
    if isinstance(v, float) and math.isnan(v):
        return None
    return v


def groups(coll, q, runs):
    runs = add_names(coll, q, runs, q.group_by, True)
    baseline = None
    if q.baseline is not None:
        scope = Scope(coll, runs, q.reduction == "summary", q.goals)
        baseline = evaluate(q.baseline, scope).values
        if not baseline.any():
            raise UsageError("the baseline matches no run")
    members = {}
    for i in range(len(runs)):
        key = tuple(clean(runs[k].iloc[i]) for k in q.group_by)
        members.setdefault(key, []).append(i)
    keys = list(members)
    for k in reversed(range(len(q.group_by))):  # sort by the last name first: stable sorts make it lexicographic
        keys = [keys[i] for i in sorted_positions([key[k] for key in keys], False)]
    stat_cols = [c for c in runs.columns if c not in q.group_by and c != "exp_id"
                 and coll.kind(c) in ("int", "float", "intnan")]
    out = {k: [key[j] for key in keys] for j, k in enumerate(q.group_by)}
    kinds = {k: coll.kind(k) for k in q.group_by}
    out["n"] = [len(members[key]) for key in keys]
    kinds["n"] = "int"
    for c in stat_cols:
        values = runs[c].astype(float).values
        base = values[baseline] if baseline is not None else None
        base = base[~np.isnan(base)] if base is not None else None
        cells = {s: [] for s in GROUP_STATS + ["diff", "p_welch"]}
        for key in keys:
            v = values[members[key]]
            v = v[~np.isnan(v)]
            k = len(v)
            mean = float(np.mean(v)) if k else math.nan
            std = float(stats.tstd(v)) if k >= 2 else math.nan
            sem = float(stats.sem(v)) if k >= 2 else math.nan
            half = t975(k - 1) * sem if k >= 2 else math.nan
            cells["mean"].append(mean)
            cells["std"].append(std)
            cells["sem"].append(sem)
            cells["ci95_low"].append(mean - half)
            cells["ci95_high"].append(mean + half)
            cells["min"].append(float(np.min(v)) if k else math.nan)
            cells["max"].append(float(np.max(v)) if k else math.nan)
            if base is not None:
                cells["diff"].append(mean - (float(np.mean(base)) if len(base) else math.nan))
                if k < 2 or len(base) < 2:
                    p = math.nan
                elif v.min() == v.max() and base.min() == base.max():
                    p = 0.0 if v[0] != base[0] else math.nan  # neither varies: the difference is certain, or none
                else:
                    p = float(stats.ttest_ind(v, base, equal_var=False).pvalue)
                cells["p_welch"].append(p)
        for s in GROUP_STATS + (["diff", "p_welch"] if base is not None else []):
            out[c + "." + s] = cells[s]
            kinds[c + "." + s] = "float"
    return pd.DataFrame(out, columns=list(out)), kinds


def answer(coll, q):
    """The frame `cox df` must print, and each column's kind."""
    if q.baseline is not None and not q.group_by:
        raise UsageError("a baseline needs --group-by")
    if q.reduction is None and not q.group_by:
        level = apply_where(coll, q, coll.rows)
    else:
        level = apply_where(coll, q, per_run(coll, q))
    if q.group_by:
        frame, kinds = groups(coll, q, level)
    else:
        shown = (q.columns or []) + ([q.sort[0]] if q.sort else [])
        frame = add_names(coll, q, level, shown, False)
        kinds = {c: coll.kind(c) if not (q.reduction == "summary" and c in coll.columns) else coll.kind(c + ".last")
                 for c in frame.columns}
    if q.sort:
        if q.sort[0] not in frame.columns:
            raise UsageError("no column to sort by")
        values = [clean(v) for v in frame[q.sort[0]]]
        frame = frame.iloc[sorted_positions(values, q.sort[1])].reset_index(drop=True)
    if q.columns:
        frame = frame[q.columns]
    return frame, kinds


def cell(v, kind):
    if isinstance(v, np.generic):
        v = v.item()
    if v is None:
        return None
    if isinstance(v, float):
        if math.isnan(v):
            return None if kind == "text" else {"f": "nan"}
        if math.isinf(v):
            return {"f": "inf" if v > 0 else "-inf"}
        return v
    return v


# ----------------------------------------------------------------------------- making up queries

class Maker:
    def __init__(self, rng, coll):
        self.rng, self.coll = rng, coll
        self.opts = sorted(set(coll.rows["optimizer"]))
        self.lrs = sorted(set(coll.rows["lr"]))
        self.has_momentum = "momentum" in coll.params
        self.has_note = "note" in coll.columns

    def number_near(self, name, values):
        r = self.rng
        v = r.choice([x for x in values if not blank(x)] or [0.5])
        if r.random() < 0.5 and isinstance(v, float):
            v = round(v + r.uniform(-0.05, 0.05), 3)
        return v

    def values_of(self, name, q):
        if name in self.coll.rows.columns:
            return list(self.coll.rows[name])
        per = self.coll.run_column(name, q.goals)
        return list(per) if per is not None else [1.0]

    def atom(self, q, summary):
        r, c = self.rng, self.coll
        numeric = ["epoch", "loss", "val_acc", "lr", "seed", "rows"] + (["momentum"] if self.has_momentum else [])
        numeric += [f"{col}.{st}" for col in c.numeric for st in STATS]
        choice = r.random()
        if choice < 0.40:
            name = r.choice(numeric)
            op = r.choice(["<", "<=", ">", ">=", "==", "!="])
            values = self.values_of(name, q)
            v = self.number_near(name, values)
            return Cmp(name, op, ("num", v))
        if choice < 0.55:
            opt = r.choice(self.opts + ["nadam"])
            return Cmp("optimizer", r.choice(["==", "!="]), ("text", opt, r.random() < 0.7))
        if choice < 0.62:
            pool = self.opts + ["nadam"]
            vals = [("text", o, r.random() < 0.7) for o in r.sample(pool, r.randint(1, min(3, len(pool))))]
            return In("optimizer", vals, r.random() < 0.3)
        if choice < 0.67:
            vals = [("num", v) for v in r.sample(self.lrs, r.randint(1, len(self.lrs)))]
            return In("lr", vals, r.random() < 0.3)
        if choice < 0.74:  # a bare word that names a column is that column
            pairs = [("loss", "val_acc"), ("val_acc.max", "val_acc"), ("val_acc.count", "rows"), ("epoch", "rows"),
                     ("loss.min", "loss"), ("val_acc", "val_acc.mean"), ("epoch.max", "val_acc.count")]
            a, b = r.choice(pairs)
            return Cmp(a, r.choice(["<", "<=", ">", ">=", "==", "!="]), ("col", b))
        if choice < 0.79:
            return Cmp(r.choice(["val_acc", "val_acc.last", "val_acc.max"]), r.choice(["==", "!="]), ("nan",))
        if choice < 0.84:
            return Cmp("short", r.choice(["==", "!="]), ("bool", r.random() < 0.5))
        if choice < 0.88 and self.has_momentum:
            return Missing("momentum", r.random() < 0.4)
        if choice < 0.92 and self.has_note and not summary:
            return Cmp("note", r.choice(["==", "!="]), ("text", r.choice(NOTES), True))
        if choice < 0.95:
            return Cmp("exp_id", r.choice(["==", "!="]), ("text", r.choice(c.ids), True))
        return Cmp(r.choice(["val_acc.max", "lr", "epoch"]), r.choice(["<", ">", "=="]), ("num", r.choice([0.5, 0.01, 3])))

    def tree(self, q, summary, depth=0):
        r = self.rng
        x = r.random()
        if depth < 2 and x < 0.25:
            return Logic(r.choice(["and", "or"]), [self.tree(q, summary, depth + 1) for _ in range(r.randint(2, 3))])
        if depth < 2 and x < 0.32:
            return Logic("not", [self.tree(q, summary, depth + 1)])
        return self.atom(q, summary)

    def query(self):
        r, c = self.rng, self.coll
        q = Query()
        kind = []
        red = r.random()
        if red < 0.25:
            q.reduction = None
        elif red < 0.45:
            q.reduction = "last"
        elif red < 0.7:
            col = r.choice(c.numeric)
            q.reduction = ("best", col, r.choice([None, "min", "max"]))
        else:
            q.reduction = "summary"
        kind.append({None: "rows", "last": "last", "summary": "summary"}.get(q.reduction, "best")
                    if not isinstance(q.reduction, tuple) else "best")
        if r.random() < 0.45:
            names = ["lr", "optimizer", "seed", "short", "rows"] + (["momentum"] if self.has_momentum else [])
            if q.reduction in (None, "last") or isinstance(q.reduction, tuple):
                names.append("epoch")
            q.group_by = r.sample(names, r.choice([1, 1, 2, 2, 3]))
            kind.append("group-by")
            if r.random() < 0.5:
                lr = r.choice(self.lrs)
                opt = r.choice(self.opts)
                pick = r.random()
                if pick < 0.5:
                    q.baseline = Logic("and", [Cmp("lr", "==", ("num", lr)), Cmp("optimizer", "==", ("text", opt, True))])
                elif pick < 0.75:
                    q.baseline = Cmp("optimizer", "==", ("text", opt, r.random() < 0.5))
                elif pick < 0.95:
                    q.baseline = Cmp("lr", r.choice(["==", "<="]), ("num", lr))
                else:
                    q.baseline = Cmp("optimizer", "==", ("text", "nadam", True))  # matches none: exit 2
                kind.append("baseline")
        if r.random() < 0.75:
            for _ in range(1 if r.random() < 0.8 else 2):
                q.where.append(self.tree(q, q.reduction == "summary"))
            kind.append("where")
        if r.random() < 0.03:  # a number column compared with text: exit 2
            q.where.append(Cmp(r.choice(["lr", "val_acc.max", "epoch"]), "==", ("text", "adam", True)))
        try:
            base, _ = answer(c, q)
        except UsageError:
            return q, kind
        names = list(base.columns)
        if not q.group_by:
            names += ["rows", "short", "val_acc.max", "loss.min", "epoch.count", "loss.best"]
            if q.reduction == "summary":
                names += ["loss", "val_acc"]  # with --summary a row column C names C.last
        names = list(dict.fromkeys(names))  # a name twice in --columns is left out: DFLib renames the second
        if r.random() < 0.3:
            q.columns = r.sample(names, r.randint(1, min(6, len(names))))
            kind.append("columns")
        if r.random() < 0.4:
            q.sort = (r.choice(names), r.random() < 0.5)
            kind.append("sort")
        return q, kind


def main():
    seed, folder, count = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    rng = random.Random(seed)
    runs = make_collection(rng, folder)
    coll = Collection(folder)
    maker = Maker(rng, coll)
    out = []
    for _ in range(count):
        q, kind = maker.query()
        args = q.args(set(coll.rows.columns))
        try:
            frame, kinds = answer(coll, q)
        except UsageError:
            out.append({"kind": kind + ["usage-error"], "args": args, "exit": 2})
            continue
        rows = [[cell(v, kinds.get(col, "float")) for col, v in zip(frame.columns, row)]
                for row in frame.itertuples(index=False, name=None)]
        out.append({"kind": kind, "args": args, "exit": 0, "columns": list(frame.columns), "rows": rows})
    json.dump({"seed": seed, "runs": runs, "queries": out}, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
