"""``python -m indexer build|update|status``: builds the engine's indexes and prints a summary."""

import argparse
import json
import sys

from kb.index.store import IndexNotFound, IndexStore
from kb.settings import Settings


def _builder(args):
    from indexer.build import IndexBuilder

    return IndexBuilder(Settings.from_env(), progress=not args.quiet and sys.stderr.isatty())


def _report(report, args):
    for skipped in report.skipped:
        print(f"skipped {skipped['path']}:{skipped['line']}: {skipped['problem']} (fix: {skipped['fix']})", file=sys.stderr)
    print(report.summary())
    return 1 if args.strict and report.skipped else 0


def cmd_build(args):
    """Full build of a content folder."""
    return _report(_builder(args).build(args.content, args.index, args.allow_empty), args)


def cmd_update(args):
    """Incremental update: only added, changed and deleted articles."""
    return _report(_builder(args).update(args.content, args.index, args.allow_empty), args)


def cmd_merge(args):
    """Fold the delta of past updates into a full version while updates go on (cached embeddings serve every text)."""
    return _report(_builder(args).merge(args.content, args.index, args.allow_empty), args)


def cmd_status(args):
    """Print the current version's manifest summary."""
    store = IndexStore(args.index)
    manifest = store.manifest()
    keys = ("version", "created", "content_dir", "content_hash", "counts", "model", "faiss", "base")
    summary = {k: manifest.get(k) for k in keys}
    summary["versions"] = [p.name for p in store.complete_versions()]
    print(json.dumps(summary, indent=1))
    return 0


def cmd_export_model(args):
    """Export the embedding model to ONNX (a build step: serving only loads the export)."""
    from indexer.model_export import ensure_onnx

    settings = Settings.from_env()
    if settings.embedding_backend == "torch" or settings.embedding_model == "hash":
        print(f"nothing to export for backend {settings.embedding_backend!r}")
        return 0
    if settings.uses_e5:
        from indexer.e5.export import ensure_export

        folder, made = ensure_export(settings.e5_dir)
        print(f"multilingual-e5-small export {'made' if made else 'up to date'} in {folder}")
        return 0
    folder = ensure_onnx(settings.model_path, root=settings.onnx_dir, int8=settings.embedding_backend == "onnx-int8")
    print(f"ONNX export of {settings.model_path} ready in {folder}")
    return 0


def build_parser():
    """Argument parser of ``python -m indexer``."""
    settings = Settings.from_env()
    parser = argparse.ArgumentParser(prog="python -m indexer", description="Build the knowledge base indexes")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("export-model", help=cmd_export_model.__doc__).set_defaults(func=cmd_export_model)
    for name, func in (("build", cmd_build), ("update", cmd_update), ("merge", cmd_merge),
                       ("status", cmd_status)):
        p = sub.add_parser(name, help=func.__doc__)
        p.add_argument("--index", default=settings.index_dir, help="index store folder")
        if name != "status":
            p.add_argument("--content", default=settings.content_dir, help="folder of Markdown articles")
            p.add_argument("--strict", action="store_true", help="exit 1 when an article was skipped")
            p.add_argument("--quiet", action="store_true", help="no progress bar")
            p.add_argument("--allow-empty", action="store_true",
                           help="let a folder with no article replace a version that has some")
        p.set_defaults(func=func)
    return parser


def main(argv=None):
    """Entry point; returns the exit code."""
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except (IndexNotFound, FileNotFoundError, RuntimeError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
