"""Command line: ``python -m kb lint|search|eval|calibrate|usage-eval``. It only builds the engine and prints what it
returns."""

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
    """Evaluate an index on a labelled query file and print the metrics."""
    from kb.evaluation import evaluate, format_report, load_queries
    from kb.search.engine import SearchEngine

    engine = SearchEngine.open(args.index, settings=Settings.from_env())
    report = evaluate(engine, load_queries(args.queries), mode=args.mode)
    if args.json:
        print(json.dumps(report["overall"]))
    else:
        print(format_report(report))
    return 0


def cmd_calibrate(args):
    """Fit the answer-confidence model on labelled queries and write it."""
    import hashlib

    from kb.assist.calibration import fit, precision_above
    from kb.evaluation import load_queries
    from kb.search.engine import SearchEngine

    engine = SearchEngine.open(args.index, settings=Settings.from_env())
    queries = load_queries(args.queries)
    halves = [[q for q in queries if int(hashlib.md5(q["query"].encode()).hexdigest(), 16) % 2 == k] for k in (0, 1)]
    for k in (0, 1):  # held-out check: fit on one half, measure on the other
        precision, n = precision_above(fit(engine, halves[k]), engine, halves[1 - k])
        print(f"fit on half {k}, held-out precision at confidence >= 0.8: {precision:.3f} over {n} answers")
    calibrator = fit(engine, queries)
    precision, n = precision_above(calibrator, engine, queries)
    print(f"fit on all {len(queries)} queries: precision at confidence >= 0.8: {precision:.3f} over {n} answers")
    calibrator.save(args.out)
    print(f"wrote {args.out}")
    return 0


def cmd_usage_eval(args):
    """Evaluate the usage feature offline: a generated history split by time, and the labelled and blind sets."""
    from kb.evaluation import load_queries
    from kb.search.engine import SearchEngine
    from kb.usage_eval import VARIANTS, evaluate_usage, format_table

    engine = SearchEngine.open(args.index, settings=Settings.from_env())
    sets = {}
    for spec in args.queries:
        name, _, path = spec.rpartition("=")
        sets[name or Path(path).stem] = load_queries(path)
    variants = list(VARIANTS) if args.ablations else ["feature"]
    report = evaluate_usage(engine, sets, seed=args.seed, variants=variants)
    if args.json:
        print(json.dumps(report, indent=1))
    else:
        print(f"history: {report['train_weeks']} weeks to learn from ({report['impressions']} result lists shown, "
              f"signals {report['signals']}), {report['test_weeks']} weeks to test on")
        print(format_table(report))
    return 0


def build_parser():
    """The argument parser of ``python -m kb``."""
    parser = argparse.ArgumentParser(prog="python -m kb", description="Nordiq knowledge base tools")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("lint", help="validate a content folder")
    p.add_argument("dir", nargs="?", default=Settings.from_env().content_dir)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_lint)
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
    sub.choices["eval"].add_argument("--queries", required=True)
    p = sub.add_parser("calibrate", help="fit the assist confidence model on labelled queries")
    p.add_argument("--index", default=Settings.from_env().index_dir)
    p.add_argument("--queries", required=True)
    p.add_argument("--out", default=str(Path(__file__).parent / "assist" / "calibration.json"))
    p.set_defaults(func=cmd_calibrate)
    p = sub.add_parser("usage-eval", help="measure the usage feature on a generated history and labelled sets")
    p.add_argument("--index", default=Settings.from_env().index_dir)
    p.add_argument("--queries", nargs="*", default=[], help="labelled sets as NAME=PATH (a .jsonl file or folder)")
    p.add_argument("--seed", type=int, default=17)
    p.add_argument("--ablations", action="store_true", help="also without position correction, prior, decay, ...")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_usage_eval)
    return parser


def main(argv=None):
    """Entry point; returns the exit code."""
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except (FileNotFoundError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
