"""The command Python cox's tensorboard_view would run, for TensorBoardViewEndToEndTest.

Python cox itself cannot be imported on this machine: cox/store.py imports tensorboardX, which
Debian does not package, and only Debian's Python packages are installed. So this script takes,
with the same pandas calls, the steps of cox/tensorboard_view.py's main() and of the
CollectionReader it uses (MadryLab/cox, cox/readers.py), and prints the line main() prints:

  Running 'tensorboard --logdir_spec ... --port PORT'

  reader: for every folder of LOGDIR with a store.h5, pd.HDFStore(path, mode='r') and the tables
      whose storer has the COX_DATA attribute (cox's Table._tables_from_store);
  reader.df(metadata_table): per store with the table, store[key], an exp_id column, OBJECT and
      PICKLE columns (per the first store's schema) unpickled, then pd.concat;
  main(): for each folder with a 'tensorboard' entry (os.listdir order), every column of that
      frame read as frame[frame['exp_id'] == exp_id][column][0], filtered with re.match on
      str(value), lists joined with '.', the format string filled with str.format, and
      NAME---EXP_ID:os.path.join(logdir, exp_id), appended.

Usage: tensorboard_view_command.py --logdir DIR --format-str FMT [--filter-param NAME REGEX]...
       [--metadata-table metadata] [--port 6006]
"""
import argparse
import base64
import os
import pickle
import re

import pandas as pd

OBJECT = '__object__'
PICKLE = '__pickle__'


def collection_df(directory, key):
    frames = []
    schema = None
    for exp_id in os.listdir(directory):
        path = os.path.join(directory, exp_id, 'store.h5')
        if not os.path.exists(path):
            continue
        store = pd.HDFStore(path, mode='r')
        try:
            schemas = {}
            for k in store.keys():
                storer = store.get_storer(k)
                if 'COX_DATA' in storer.attrs:
                    data = storer.attrs['COX_DATA']
                    schemas[data['name']] = data['schema']
            if key not in schemas:
                continue
            df = store[key]
            df['exp_id'] = exp_id
            schema = schema or schemas[key]
            for col, kind in schema.items():
                if kind == OBJECT and col in df:
                    df[col] = pd.Series([pickle.loads(base64.b64decode(v)) if v else None for v in df[col]])
                elif kind == PICKLE and col in df:
                    objects = os.path.join(directory, exp_id, '.table_objects')
                    df[col] = pd.Series([pickle.load(open(os.path.join(objects, v), 'rb')) for v in df[col]])
            frames.append(df)
        finally:
            store.close()
    return pd.concat(frames)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--logdir', required=True)
    parser.add_argument('--port', type=int, default=6006)
    parser.add_argument('--metadata-table', default='metadata')
    parser.add_argument('--format-str', required=True)
    parser.add_argument('--filter-param', action='append', nargs=2)
    args = parser.parse_args()

    metadata = collection_df(args.logdir, args.metadata_table)
    params = list(metadata.keys())
    folders = [x for x in os.listdir(args.logdir)
               if os.path.isdir(os.path.join(args.logdir, x)) and 'tensorboard' in os.listdir(os.path.join(args.logdir, x))]
    filters = dict(args.filter_param) if args.filter_param is not None else {}
    spec = ''
    for exp_id in folders:
        values = {}
        try:
            for p in params:
                value = metadata[metadata['exp_id'] == exp_id][p][0]
                if p in filters and re.match(filters[p], str(value)) is None:
                    raise ValueError('filtered out')
                if type(value) == list:
                    value = '.'.join([str(x) for x in value])
                values[p] = value
            spec += f"{args.format_str.format(**values)}---{exp_id}:{os.path.join(args.logdir, exp_id)},"
        except IndexError:
            print('Warning: Skipping experiment %s' % (exp_id,))
        except ValueError:
            pass
    print(f"Running 'tensorboard --logdir_spec {spec} --port {args.port}'")


if __name__ == '__main__':
    main()
