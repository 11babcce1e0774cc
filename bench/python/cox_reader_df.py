"""Python cox's CollectionReader(directory).df(table), timed, for bench/CollectionReaderBench.

Python cox itself (MadryLab/cox) cannot be imported here: its cox/store.py imports tensorboardX,
which Debian does not package (and only Debian's packages are installed). So this script runs
the same steps its code takes, with the same pandas calls, and nothing else:

  CollectionReader.__init__: for each exp_id in os.listdir(directory) with a store.h5, open
      pd.HDFStore(path, mode='r') (cox's Store(..., mode='r')) and build its tables from every
      key whose storer has the COX_DATA attribute (cox's Table._tables_from_store);
  CollectionReader.df(key): for each store with the table, df = store[key] (cox's Table.df),
      df['exp_id'] = exp_id, unpickle OBJECT/PICKLE columns (none in the benchmark's tables),
      then pd.concat(tables).

With --real, it times Python cox itself instead: cox.readers.CollectionReader(DIR) and .df(TABLE),
for a machine where cox imports (PYTHONPATH naming a checkout of MadryLab/cox, with its
dependencies dill, tqdm and tensorboardX importable; the reader never creates a SummaryWriter, so
a module that only defines one serves for tensorboardX).

With --last, each df is followed by its last row per run, df.groupby('exp_id').last() (what
`cox df DIR TABLE --last` shows, less the metadata columns); with --open-only, only the stores are
opened (what CollectionReader(DIR) costs, the comparison for `cox ls`), and TABLE is not read.

Usage: /usr/bin/python3 bench/python/cox_reader_df.py DIR [TABLE ...] [--repeat N] [--real]
           [--last | --open-only]
Prints, per table and repeat: seconds to open the stores, seconds for df (and for the last rows),
rows read; then `seconds: S`, the least total of the first TABLE's lines (bench/cold reads it).
"""
import os
import sys
import time

import pandas as pd

STORE_BASENAME = 'store.h5'
COX_DATA_KEY = 'COX_DATA'


def open_collection(directory):
    stores = {}
    for exp_id in os.listdir(directory):
        store_path = os.path.join(directory, exp_id, STORE_BASENAME)
        if not os.path.exists(store_path):
            continue
        store = pd.HDFStore(store_path, mode='r')
        tables = {}
        for key in store.keys():
            storer = store.get_storer(key)
            if COX_DATA_KEY in storer.attrs:
                data = storer.attrs[COX_DATA_KEY]
                tables[data['name']] = data['schema']
        stores[exp_id] = (store, tables)
    return stores


def collection_df(stores, key):
    frames = []
    for exp_id, (store, tables) in stores.items():
        if key not in tables:
            continue
        df = store[key]
        df['exp_id'] = exp_id
        frames.append(df)
    return pd.concat(frames)


def last_per_run(df):
    return df.groupby('exp_id').last()


def real_cox(directory, table, last, open_only):
    from cox.readers import CollectionReader
    t0 = time.perf_counter()
    reader = CollectionReader(directory)
    t1 = time.perf_counter()
    df = None if open_only else reader.df(table)
    t2 = time.perf_counter()
    if last:
        df = last_per_run(df)
    t3 = time.perf_counter()
    reader.close()
    return t0, t1, t2, t3, df


def report(label, t0, t1, t2, t3, df, last, open_only, stores):
    if open_only:
        count = '' if stores is None else f', {stores} stores'
        print(f'{label}: open {t1 - t0:.3f} s, total {t1 - t0:.3f} s{count}', flush=True)
        return t1 - t0
    last_part = f', last row per run {t3 - t2:.3f} s' if last else ''
    print(f'{label}: open {t1 - t0:.3f} s, df {t2 - t1:.3f} s{last_part}, total {t3 - t0:.3f} s,'
          f' {len(df)} rows', flush=True)
    return t3 - t0


def main(argv):
    flags = {a for a in argv if a in ('--real', '--last', '--open-only')}
    argv = [a for a in argv if a not in flags]
    real, last, open_only = '--real' in flags, '--last' in flags, '--open-only' in flags
    if last and open_only:
        sys.exit('cox_reader_df.py: --last and --open-only exclude each other')
    repeat = 1
    if '--repeat' in argv:
        i = argv.index('--repeat')
        repeat = int(argv[i + 1])
        argv = argv[:i] + argv[i + 2:]
    directory = argv[0]
    tables = argv[1:] or ['results', 'metadata']
    if open_only:
        tables = tables[:1]
    totals = []
    for _ in range(repeat):
        for table in tables:
            if real:
                t0, t1, t2, t3, df = real_cox(directory, table, last, open_only)
                stores = None
                label = 'cox.readers.CollectionReader' + ('' if open_only else ' ' + table)
            else:
                t0 = time.perf_counter()
                stores = open_collection(directory)
                t1 = time.perf_counter()
                df = None if open_only else collection_df(stores, table)
                t2 = time.perf_counter()
                if last:
                    df = last_per_run(df)
                t3 = time.perf_counter()
                for store, _ in stores.values():
                    store.close()
                label = 'open' if open_only else table
            total = report(label, t0, t1, t2, t3, df, last, open_only, None if stores is None else len(stores))
            if table == tables[0]:
                totals.append(total)
    print(f'seconds: {min(totals):.3f}', flush=True)


if __name__ == '__main__':
    main(sys.argv[1:])
