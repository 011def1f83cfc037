"""``drillbook msel export|import``: a scenario's timed injects as a spreadsheet, and back.

``export`` writes the timed injects of a scenario to CSV or XLSX; ``import`` reads such a
sheet back, either into an existing scenario (``--into``: its timed injects are replaced,
everything else is kept) or as a scaffold to finish in YAML. Either way the result is checked
as ``validate`` would before it is written, with a problem in the sheet placed at its cell.
"""

from __future__ import annotations

import argparse
from pathlib import Path


def add(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("msel", help="exchange a scenario's timed injects with a spreadsheet")
    verbs = p.add_subparsers(dest="verb", metavar="VERB", required=True)
    ex = verbs.add_parser("export", help="write the timed injects as CSV or XLSX")
    ex.add_argument("scenario", help="scenario id or file")
    ex.add_argument("--format", choices=("csv", "xlsx"), help="default: from -o's suffix")
    ex.add_argument("-o", "--output", metavar="FILE", required=True)
    ex.add_argument("--force", action="store_true", help="replace an existing file at -o")
    ex.set_defaults(handler=run_export)
    im = verbs.add_parser("import", help="read a CSV or XLSX MSEL into a scenario file")
    im.add_argument("sheet", metavar="FILE", help="a .csv or .xlsx MSEL")
    im.add_argument("--format", choices=("csv", "xlsx"), help="default: from FILE's suffix")
    im.add_argument("-o", "--output", metavar="SCENARIO.yaml", required=True)
    im.add_argument(
        "--into",
        metavar="SCENARIO",
        help="keep this scenario's conditional injects, truth, meters and sources "
        "(default: a scaffold with drillbook new's placeholders)",
    )
    im.add_argument("--force", action="store_true", help="replace an existing file at -o")
    im.set_defaults(handler=run_import)


def run_export(args: argparse.Namespace) -> int:
    from drillbook.authoring import msel, sheets
    from drillbook.reports.output import write_output
    from drillbook.scenarios import library, load

    out = Path(args.output)
    kind = sheets.format_of(out, args.format)
    loaded = load(library.resolve(args.scenario))
    rows = msel.rows(loaded.scenario)
    header = msel.columns()
    write_output(
        out,
        lambda path: sheets.write_table(path, kind, header, rows),
        force=args.force,
        inputs=[loaded.path],
    )
    left = len(loaded.scenario.injects) - len(rows)
    print(
        f"wrote {out}: {len(rows)} timed injects"
        + (f"; {left} conditional injects stay in {loaded.path}" if left else "")
    )
    return 0


def run_import(args: argparse.Namespace) -> int:
    from drillbook.authoring import msel, sheets
    from drillbook.commands.new import check_name, scaffold
    from drillbook.formats.limits import read_bounded
    from drillbook.formats.yamlsource import parse_bytes
    from drillbook.reports.output import write_output
    from drillbook.scenarios import library

    out = Path(args.output)
    table = sheets.read_table(args.sheet, args.format)
    sheet = msel.injects_of(table)
    if args.into:
        base_path = library.resolve(args.into)
        raw = read_bounded(base_path, "a YAML file")
        parse_bytes(raw, base_path)  # not UTF-8 or not YAML: placed, before it is decoded
        text = raw.decode("utf-8")
        # Importing back into the scenario itself is the point of --into: it may be replaced
        # (with --force, as any existing scenario); the sheet never is.
        same = out.exists() and out.resolve() == base_path.resolve()
        inputs = [Path(args.sheet)] if same else [base_path, Path(args.sheet)]
    else:
        scenario_id = out.stem
        check_name(scenario_id, "msel import -o")
        text = scaffold(scenario_id)
        base_path, inputs = out, [Path(args.sheet)]
    base = msel.parse_base(text, str(base_path))
    if not args.into:  # the starter's own injects are examples of its placeholders: not kept
        base.data["injects"] = []
    injects, origin = msel.merged(base.data, sheet)
    if not args.into:
        text = msel.scaffold_text(text, args.sheet, base.data, injects)
        base = msel.parse_base(text, str(base_path))
    text = msel.replace_block(text, "injects", injects)
    msel.check(base, injects, origin, table)
    msel.written_back(text, str(base_path), injects)
    write_output(out, text, force=args.force, inputs=inputs)
    kept = sum(1 for o in origin if isinstance(o, int))
    if args.into:
        print(
            f"wrote {out}: {len(sheet)} timed injects from {args.sheet}, {kept} kept from {base_path}"
        )
    else:
        print(
            f"wrote {out}: {len(sheet)} timed injects from {args.sheet}. Conditional injects, "
            "truth, meters and sources stay in YAML: the scaffold holds placeholders for them; "
            f"next: drillbook validate {out} && drillbook lint {out}"
        )
    return 0
