"""Time the workbook read path on the 100k-row benchmark workbook, step by step, in CPU seconds of this process.

    .venv/bin/python bench/bench_workbook_read.py [bench/out/catalog_100000.xlsx] [--runs 3]

Prints the median CPU seconds of: the extent scan (`_check_zip`) and its parts (inflating the sheet XML, the
cell-tag search, the prefixed-tag search and the merged-cell test over the inflated chunks, and the two tests as
one regex, which loses re's literal prefix), inflating the sheet's deflate stream with
zlib and with isal alone (as `_inflated` feeds it: the measured reason for the isal dependency), opening the
workbook in python-calamine (`from_path`: it parses every shared string) against the sheet names read from a copy
without sheets and shared strings (`workbook_columns.sheet_names`, what a columnar read opens instead),
calamine's `get_sheet_by_name` (the yardstick's
own cost), iterating calamine's rows bare, aelint's `_sheet_rows` rows, and the cell texts (`reader._text` of every
cell that is not a string). The machine is shared: read CPU, not wall. Run it on
bench/out/catalog_100000_shared.xlsx too (`generate.py --shared-strings`), as Excel saves a workbook.
"""

from __future__ import annotations

import argparse
import re
import statistics
import struct
import zipfile
import zlib
from pathlib import Path

from aelint.catalog_files import PREFIXED_CELL_RE, _check_zip, _inflated, _outside, _sheet_rows
from aelint.reader import _text
from aelint.workbook_columns import sheet_names
from timing import cpu_times

HERE = Path(__file__).resolve().parent


def cpu(action, runs: int) -> str:
    times = cpu_times(action, runs)
    return f"{statistics.median(times):.3f} s CPU (of {', '.join(f'{t:.2f}' for t in times)})"


def deflated_bytes(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> bytes:
    """A deflated member's compressed bytes, read from its local entry."""
    archive.fp.seek(member.header_offset)
    name_length, extra_length = struct.unpack("<HH", archive.fp.read(30)[26:])
    archive.fp.seek(member.header_offset + 30 + name_length + extra_length)
    return archive.fp.read(member.compress_size)


def inflate(module, stream: bytes, chunk: int = 4 * 1024 * 1024) -> int:
    """Bytes of `stream` inflated by `module` (zlib or isal_zlib), fed and drained as `_inflated` does."""
    inflater, produced = module.decompressobj(-15), 0
    for start in range(0, len(stream), chunk // 4):
        produced += len(inflater.decompress(stream[start:start + chunk // 4], chunk))
        while inflater.unconsumed_tail:
            produced += len(inflater.decompress(inflater.unconsumed_tail, chunk))
    return produced + len(inflater.flush())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", default=str(HERE / "out" / "catalog_100000.xlsx"))
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    path = Path(args.path)
    from python_calamine import CalamineWorkbook

    workbook = CalamineWorkbook.from_path(str(path))
    name = workbook.sheet_names[0]
    print(f"extent scan (_check_zip):        {cpu(lambda: _check_zip(path, 'x'), args.runs)}")
    with zipfile.ZipFile(path) as archive:
        sheet = next(e for e in archive.infolist() if e.filename.startswith("xl/worksheets/"))
        print(f"  inflating the sheet XML:       {cpu(lambda: sum(1 for _ in _inflated(archive, sheet)), args.runs)}")
        stream = deflated_bytes(archive, sheet)
        from isal import isal_zlib

        print(f"    zlib alone:                  {cpu(lambda: inflate(zlib, stream), args.runs)}")
        print(f"    isal alone:                  {cpu(lambda: inflate(isal_zlib, stream), args.runs)}")
        del stream
        chunks = list(_inflated(archive, sheet))
    outside = _outside(b"AD", 599_999)  # the benchmark's 30 columns: what _fits_dense_grid searches for
    print(f"  cell-tag search:               {cpu(lambda: [outside.search(c) for c in chunks], args.runs)}")
    print(f"  prefixed-tag search:           {cpu(lambda: [PREFIXED_CELL_RE.search(c) for c in chunks], args.runs)}")
    print(f"  merged-cell test:              {cpu(lambda: [b'mergeCell' in c for c in chunks], args.runs)}")
    both = re.compile(PREFIXED_CELL_RE.pattern + rb"|mergeCell")
    print(f"  the two as one regex:          {cpu(lambda: [both.search(c) for c in chunks], 1)}")
    chunks.clear()  # (the inflated sheet freed before calamine reads it)
    print(f"python-calamine from_path:       {cpu(lambda: CalamineWorkbook.from_path(str(path)), args.runs)}")
    print(f"sheet names from a copy:         {cpu(lambda: sheet_names(path), args.runs)}")
    print(f"calamine get_sheet_by_name:      {cpu(lambda: workbook.get_sheet_by_name(name), args.runs)}")
    sheet = workbook.get_sheet_by_name(name)
    print(f"calamine iter_rows, bare:        {cpu(lambda: sum(1 for _ in sheet.iter_rows()), args.runs)}")

    def sheet_rows() -> None:
        rows, _offset = _sheet_rows(workbook, name, "x")
        for _row in rows:
            pass

    print(f"_sheet_rows (incl. get_sheet):   {cpu(sheet_rows, args.runs)}")
    rows = list(sheet.iter_rows())

    def texts() -> None:
        for row in rows:
            for value in row:
                if value.__class__ is not str:
                    _text(value)

    kinds: dict[str, int] = {}
    for row in rows:
        for value in row:
            kinds[type(value).__name__] = kinds.get(type(value).__name__, 0) + 1
    print(f"cells by type: {kinds}")
    print(f"_text of the cells not str:      {cpu(texts, args.runs)}")


if __name__ == "__main__":
    main()
