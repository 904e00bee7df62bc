"""Command line: ``python -m kb lint|search|eval|calibrate|usage-eval|import|export``; it builds what a command
needs and prints what it returns."""

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

    if not args.queries and not args.tickets:
        print("error: give --queries and/or --tickets", file=sys.stderr)
        return 2
    engine = SearchEngine.open(args.index, settings=Settings.from_env())
    out = {}
    for path in args.tickets or ():
        out[path] = _routing(engine, path, args.json)
    for path in args.queries or ():
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


def _routing(engine, path, quiet):
    """Route a labelled ticket file through assist; print and return the accuracy per path and language."""
    from kb.assist.assistant import Assistant
    from kb.assist.routing_eval import format_summary, load_tickets, route, summary

    report = summary(route(Assistant(engine), load_tickets(path)))
    if not quiet:
        print("\n".join(format_summary(f"== {path} (routing)", report)) + "\n")
    return report


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


def cmd_import(args, on_done=None):
    """Import a Zendesk export, a CSV FAQ or a folder of HTML pages; print the plan and every problem.
    ``on_done(result)`` runs after a real import (``python -m server import`` records it in the audit log)."""
    from kb.content import Content
    from kb.importing import import_source, problems_of
    from kb.lint import lint

    result = import_source(args.source, args.into, dry_run=args.dry_run, update=args.update, default_lang=args.lang)
    for item in result.planned:
        print(f"{item.action:9} {item.path.relative_to(args.into) if item.path.is_relative_to(args.into) else item.path}"
              f"  ({item.key})" + (f", {len(item.images)} image(s)" if item.images else ""))
    problems = problems_of(result)
    for problem in problems:
        print(problem)
    written = {str(p.path.relative_to(args.into)) for p in result.planned if p.path.is_relative_to(args.into)}
    lint_errors = [] if args.dry_run else [p for p in lint(Content.load(args.into))
                                           if p.path in written and p.severity == "error"]
    for problem in lint_errors:
        print(f"lint: {problem}")
    counts = ", ".join(f"{result.count(a)} {w}" for a, w in (("create", "to create" if args.dry_run else "created"),
                                                             ("update", "to update" if args.dry_run else "updated"),
                                                             ("unchanged", "unchanged"), ("skip", "left as they are")))
    errors = sum(1 for p in problems if p.severity == "error")
    print(("dry run: " if args.dry_run else "") + f"{counts}; {errors} errors, {len(problems) - errors} warnings"
          + ("; nothing written" if args.dry_run else ""))
    if on_done is not None and not args.dry_run:
        on_done({"source": str(args.source), "into": str(args.into), "update": args.update, "errors": errors,
                 **{action: result.count(action) for action in ("create", "update", "unchanged", "skip")}})
    return 1 if errors or lint_errors else 0


def cmd_export(args, on_done=None):
    """Export the knowledge base as JSON or as a static customer site (``on_done(facts)`` afterwards)."""
    from kb.content import Content
    from kb.exporting import export_json, export_site

    content = Content.load(args.content)
    if args.format == "json":
        count = export_json(content, args.out, set(args.status) if args.status else None)
        print(f"wrote {count} articles to {args.out}")
    else:
        count = export_site(content, args.out, title=args.title)
        print(f"wrote a site of {count} published consumer articles to {args.out} (open index.html; search works offline)")
    if on_done is not None:
        on_done({"format": args.format, "out": str(args.out), "articles": count})
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
    sub.choices["eval"].add_argument("--queries", action="append",
                                     help="a JSON-lines file or folder of labelled queries (repeatable)")
    sub.choices["eval"].add_argument("--tickets", action="append",
                                     help="a JSON-lines file of tickets with their expected category and escalation "
                                          "path: routing accuracy per path and language (repeatable)")
    sub.choices["eval"].add_argument("--cross", action="store_true",
                                     help="also run each query against the other language's articles only")
    p = sub.add_parser("calibrate", help="fit the assist confidence model on labelled queries")
    p.add_argument("--index", default=Settings.from_env().index_dir)
    p.add_argument("--queries", required=True, action="append", help="labelled query file or folder (repeatable)")
    p.add_argument("--out", default=str(Path(__file__).parent / "assist" / "calibration.json"))
    p.add_argument("--dry-run", action="store_true", help="report only; do not write the weights")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_calibrate)
    add_import_arguments(sub.add_parser("import", help="import a Zendesk export, a CSV FAQ or a folder of HTML pages"))
    add_export_arguments(sub.add_parser("export", help="export the knowledge base as JSON or as a static site"))
    p = sub.add_parser("usage-eval", help="measure the usage feature on a generated history and labelled sets")
    p.add_argument("--index", default=Settings.from_env().index_dir)
    p.add_argument("--queries", nargs="*", default=[], help="labelled sets as NAME=PATH (a .jsonl file or folder)")
    p.add_argument("--seed", type=int, default=17)
    p.add_argument("--ablations", action="store_true", help="also without position correction, prior, decay, ...")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_usage_eval)
    return parser


def add_import_arguments(p):
    """The arguments of ``import`` (shared with ``python -m server import``)."""
    p.add_argument("source", help="a .csv file, a Zendesk .json export (file or folder) or a folder of HTML pages")
    p.add_argument("--into", default=Settings.from_env().content_dir, help="the content folder to write into")
    p.add_argument("--dry-run", action="store_true", help="print what would be written and every problem; write nothing")
    p.add_argument("--update", action="store_true", help="overwrite articles imported before whose text differs")
    p.add_argument("--lang", default="en", choices=["en", "pl"], help="language of records that name none")
    p.set_defaults(func=cmd_import)


def add_export_arguments(p):
    """The arguments of ``export`` (shared with ``python -m server export``)."""
    p.add_argument("format", choices=["json", "site"])
    p.add_argument("out", help="the JSON file, or the folder of the site")
    p.add_argument("--content", default=Settings.from_env().content_dir)
    p.add_argument("--status", action="append", choices=["draft", "review", "published", "archived"],
                   help="JSON: only articles of this status (repeatable; default all)")
    p.add_argument("--title", default="Nordiq help", help="site: the name in its header")
    p.set_defaults(func=cmd_export)


def main(argv=None):
    """Entry point; returns the exit code."""
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except (FileNotFoundError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
