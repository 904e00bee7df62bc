"""Command line: ``python -m kb lint|search|eval``. It only builds the engine and prints what it returns."""

import argparse
import json
import sys
from pathlib import Path

from kb.settings import Settings


def cmd_lint(args):
    """Validate a content folder; exit 1 when there are errors."""
    from kb.content import Content
    from kb.lint import coverage, lint

    content = Content.load(args.dir)
    problems = lint(content)
    errors = [p for p in problems if p.severity == "error"]
    if args.json:
        print(json.dumps({"articles": len(content.articles), "problems": [p.to_dict() for p in problems]}, indent=1))
    else:
        for problem in problems:
            print(problem)
        thin = sum(1 for n in coverage(content).values() if n < 3) if content.catalog.products else 0
        print(f"{len(content.articles)} articles loaded, {len(errors)} errors, {len(problems) - len(errors)} warnings"
              + (f", {thin} products covered by fewer than 3 published articles" if thin else ""))
    return 1 if errors else 0


def cmd_translations(args):
    """List translations and whether they are out of date; ``--reviewed ID`` (or ``--all``) records that a
    translation matches its source now."""
    from kb.content import Content
    from kb.front_matter import set_field

    content = Content.load(args.dir)
    rows = [(a, content.articles.get(a.translation_of)) for a in content.articles.values() if a.translation_of]
    for article, source in sorted(rows, key=lambda r: r[0].path):
        if source is None:
            continue
        current = article.source_hash == source.content_hash
        if (args.all or article.id in args.reviewed) and not current:
            path = content.root / article.path
            path.write_text(set_field(path.read_text("utf-8"), "source_hash", source.content_hash), "utf-8")
            current = True
        if not args.outdated or not current:
            print(f"{'current ' if current else 'OUTDATED'} {article.lang} {article.id} <- {source.lang} {source.id}")
    return 0


def cmd_search(args):
    """Search an index and print the ranked hits."""
    from kb.search.engine import SearchEngine

    engine = SearchEngine.open(args.index, settings=Settings.from_env())
    result = engine.search(args.query, mode=args.mode, limit=args.limit, explain=args.explain)
    if args.json:
        print(json.dumps(result.to_dict(), ensure_ascii=False, indent=1))
        return 0
    for i, hit in enumerate(result.hits, 1):
        print(f"{i:2}. {hit.article_id}#{hit.section}  {hit.score:.3f}  [{hit.type}] {hit.title}")
        print(f"    {hit.text_snippet}")
    if not result.hits:
        print("no results")
    return 0


def cmd_eval(args):
    """Evaluate an index on labelled query sets (each reported on its own, per language and kind)."""
    from kb.evaluation import cross_lingual, evaluate, format_report, load_queries
    from kb.search.engine import SearchEngine

    engine = SearchEngine.open(args.index, settings=Settings.from_env())
    out = {}
    for path in args.queries:
        queries = load_queries(path)
        sets = {path: queries, f"{path} (cross-lingual)": cross_lingual(engine, queries)} if args.cross else {path: queries}
        for name, items in sets.items():
            report = evaluate(engine, items, mode=args.mode)
            out[name] = report["overall"] | {"by_lang": report["by_lang"]}
            if not args.json:
                print(f"== {name}\n" + format_report(report) + "\n")
    if args.json:
        print(json.dumps(out))
    return 0


def cmd_calibrate(args):
    """Fit the answer-confidence model on labelled and blind queries, report it cross-validated, and write it."""
    import numpy as np

    from kb.assist.calibration_fit import (confident_precision, cross_validated, fit, reliability, training_rows)
    from kb.evaluation import load_queries
    from kb.search.engine import SearchEngine

    engine = SearchEngine.open(args.index, settings=Settings.from_env())
    queries = [q for path in args.queries for q in load_queries(path)]
    x, y, meta = training_rows(engine, queries)
    held_out = cross_validated(x, y, meta)
    report = {}
    for lang in (None, "en", "pl"):
        precision, share, n = confident_precision(held_out, y, meta, lang=lang)
        rows = [i for i, m in enumerate(meta) if m["rank"] == 0 and (lang is None or m["lang"] == lang)]
        report[lang or "all"] = {"precision_at_0.8": round(precision, 3), "share_confident": round(share, 3),
                                 "confident_answers": n,
                                 "reliability": reliability([held_out[i] for i in rows], [y[i] for i in rows])}
    calibrator = fit(x, y, {"fitted_on_queries": len(queries), "sets": args.queries})
    calibrator.meta["cross_validated"] = report
    print(json.dumps(report, indent=1) if args.json else _calibration_table(report))
    if not args.dry_run:
        calibrator.save(args.out)
        print(f"wrote {args.out}")
    return 0


def _calibration_table(report):
    lines = []
    for name, r in report.items():
        lines.append(f"{name}: precision of top answers with confidence >= 0.8: {r['precision_at_0.8']:.3f} "
                     f"({r['confident_answers']} answers, {r['share_confident']:.0%} of queries), held out")
        lines.append("  confidence bin   answers  mean conf  right")
        for b in r["reliability"]:
            if b["n"]:
                lines.append(f"  {b['from']:.1f}-{b['to']:.1f}        {b['n']:>7}  {b['mean_confidence']:>9.3f}  {b['right']:>5.3f}")
    return "\n".join(lines)


def build_parser():
    """The argument parser of ``python -m kb``."""
    parser = argparse.ArgumentParser(prog="python -m kb", description="Nordiq knowledge base tools")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("lint", help="validate a content folder")
    p.add_argument("dir", nargs="?", default=Settings.from_env().content_dir)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_lint)
    p = sub.add_parser("translations", help=cmd_translations.__doc__.split(";")[0])
    p.set_defaults(func=cmd_translations)
    p.add_argument("dir", nargs="?", default=Settings.from_env().content_dir)
    p.add_argument("--outdated", action="store_true", help="list only translations that are out of date")
    p.add_argument("--reviewed", action="append", default=[], metavar="ID",
                   help="record that this translation matches its source now (repeatable)")
    p.add_argument("--all", action="store_true", help="record every translation as matching its source now")
    for name, func, helptext in (("search", cmd_search, "search an index"), ("eval", cmd_eval, "evaluate on labelled queries")):
        p = sub.add_parser(name, help=helptext)
        p.add_argument("--index", default=Settings.from_env().index_dir)
        p.add_argument("--mode", default="hybrid", choices=["hybrid", "lexical", "semantic"])
        p.add_argument("--json", action="store_true")
        p.set_defaults(func=func)
    search = sub.choices["search"]
    search.add_argument("--limit", type=int, default=10)
    search.add_argument("--explain", action="store_true")
    search.add_argument("query")
    sub.choices["eval"].add_argument("--queries", required=True, action="append",
                                     help="a JSON-lines file or folder of labelled queries (repeatable)")
    sub.choices["eval"].add_argument("--cross", action="store_true",
                                     help="also run each query against the other language's articles only")
    p = sub.add_parser("calibrate", help="fit the assist confidence model on labelled queries")
    p.add_argument("--index", default=Settings.from_env().index_dir)
    p.add_argument("--queries", required=True, action="append", help="labelled query file or folder (repeatable)")
    p.add_argument("--out", default=str(Path(__file__).parent / "assist" / "calibration.json"))
    p.add_argument("--dry-run", action="store_true", help="report only; do not write the weights")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_calibrate)
    return parser


def main(argv=None):
    """Entry point; returns the exit code."""
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except (FileNotFoundError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
