"""A large workbook sheet read into text columns by fastexcel, each cell the text python-calamine's value gives
through `reader._text`: the columnar path of a workbook, as polars' read is a large CSV's (aelint.frame_products).

python-calamine and fastexcel both parse the whole sheet before giving any row, so the header is looked for in
the first rows read by openpyxl (read-only, it stops there: `head_rows`). fastexcel then reads the columns the
reader reads, below the header, each typed from all its cells (`dtype_coercion="strict"`): text stays as it is,
numbers and booleans become the text `_text` makes of them (`sheet_text`). Whatever could read otherwise than
calamine gives it is left to the row-by-row reading (None): a head cell that is neither text nor a plain number,
a column mixing text and numbers, dates and times (fastexcel and python-calamine convert them apart), a header
fastexcel names otherwise than openpyxl reads it, a first data row that differs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

HEAD_ROWS = 30  # rows the header is looked for in (reader.HEADER_SEARCH_ROWS)
LARGEST_EXACT_INTEGER = 10**15  # openpyxl reads a whole number as int, calamine as float: alike below this


def head_rows(path: Path, sheet: str, count: int = HEAD_ROWS) -> list[tuple[int, list[Any]]] | None:
    """The sheet's first `count` rows, numbered from 1, each cell from column A on, as openpyxl reads them;
    None when a cell holds what python-calamine may give otherwise (a date or time, a whole number too large
    for calamine's float to give its digits)."""
    from openpyxl import load_workbook

    rows = []
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
        try:
            worksheet = workbook[sheet]
            worksheet.reset_dimensions()  # the declared size is not trusted; rows come as far as their cells
            for number, row in enumerate(worksheet.iter_rows(max_row=count, values_only=True), start=1):
                cells = ["" if value is None else value for value in row]
                if not all(value.__class__ in (str, float, bool)
                           or value.__class__ is int and abs(value) < LARGEST_EXACT_INTEGER for value in cells):
                    return None
                rows.append((number, cells))
        finally:
            workbook.close()
    except Exception:  # a sheet openpyxl reads otherwise (a chart sheet, a name it spells apart): calamine reads it
        return None
    return rows


def sheet_text(path: Path, sheet: str, header_row: int, header: list[str], columns: list[int],
               first_rows: list[tuple[int, list[Any]]]) -> tuple[Any, list[int]] | None:
    """The sheet's records as text from the header row on (the header's cells first, then every row below it),
    with their row numbers: `columns` (positions from column A) read by fastexcel, the others blank. None when
    fastexcel cannot give exactly what python-calamine gives: see the module's docstring. `first_rows` are the
    data rows `head_rows` read below the header, which fastexcel's must equal."""
    import fastexcel
    import polars as pl

    from aelint.reader import _text

    wanted = sorted(set(columns))
    for at in wanted:  # a column of mixed types in the first rows already: strict typing would refuse it
        kinds = {float if value.__class__ is int else value.__class__
                 for _, row in first_rows if at < len(row) and (value := row[at]) != ""}
        if len(kinds) > 1:
            return None
    try:
        loaded = fastexcel.read_excel(str(path)).load_sheet(
            sheet, header_row=header_row - 1, use_columns=wanted or None, schema_sample_rows=None,
            dtype_coercion="strict")
        frame = loaded.to_polars()
    except Exception:  # a column of mixed types (strict), or anything fastexcel reads otherwise
        return None
    if [c.absolute_index for c in loaded.selected_columns] != wanted:
        return None
    texts = {}
    for at, series in zip(wanted, frame.get_columns()):
        kind = series.dtype
        if kind == pl.String:
            text = series
        elif kind == pl.Null:
            text = pl.repeat("", len(series), dtype=pl.String, eager=True)
        elif kind == pl.Boolean:
            text = series.replace_strict([True, False], ["TRUE", "FALSE"], default=None, return_dtype=pl.String)
        elif kind == pl.Float64:  # each distinct number, as _text makes it
            distinct = series.drop_nulls().unique()
            text = series.replace_strict(distinct, [_text(value) for value in distinct.to_list()],
                                         return_dtype=pl.String)
        else:
            return None
        texts[at] = text.fill_null("")
    width = len(header)
    names = [f"column_{i}" for i in range(width)]
    data = pl.DataFrame([texts[i].alias(name) if i in texts else pl.repeat("", frame.height, dtype=pl.String,
                                                                           eager=True).alias(name)
                         for i, name in enumerate(names)])
    numbers = list(range(header_row, header_row + frame.height + 1))
    for number, row in first_rows:
        at = number - header_row - 1
        if at >= frame.height or any(_text(row[i]) != data[at, names[i]] for i in wanted if i < len(row)):
            return None
    records = pl.concat([pl.DataFrame([pl.Series(name, [cell], dtype=pl.String) for name, cell in zip(names, header)]),
                         data])
    return records, numbers
