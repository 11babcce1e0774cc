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

Usage: /usr/bin/python3 bench/python/cox_reader_df.py DIR [TABLE ...] [--repeat N] [--real]
Prints, per table and repeat: seconds to open the stores, seconds for df, rows read.
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


def real_cox(directory, table):
    from cox.readers import CollectionReader
    t0 = time.perf_counter()
    reader = CollectionReader(directory)
    t1 = time.perf_counter()
    df = reader.df(table)
    t2 = time.perf_counter()
    reader.close()
    return t0, t1, t2, df


def main(argv):
    real = '--real' in argv
    argv = [a for a in argv if a != '--real']
    repeat = 1
    if '--repeat' in argv:
        i = argv.index('--repeat')
        repeat = int(argv[i + 1])
        argv = argv[:i] + argv[i + 2:]
    directory = argv[0]
    tables = argv[1:] or ['results', 'metadata']
    for _ in range(repeat):
        for table in tables:
            if real:
                t0, t1, t2, df = real_cox(directory, table)
                print(f'cox.readers.CollectionReader {table}: open {t1 - t0:.3f} s, df {t2 - t1:.3f} s,'
                      f' total {t2 - t0:.3f} s, {len(df)} rows', flush=True)
                continue
            t0 = time.perf_counter()
            stores = open_collection(directory)
            t1 = time.perf_counter()
            df = collection_df(stores, table)
            t2 = time.perf_counter()
            for store, _ in stores.values():
                store.close()
            print(f'{table}: open {t1 - t0:.3f} s, df {t2 - t1:.3f} s, total {t2 - t0:.3f} s, {len(df)} rows', flush=True)


if __name__ == '__main__':
    main(sys.argv[1:])
