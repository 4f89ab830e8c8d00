#!/usr/bin/env python3
"""file_size_test: no C++ file under the given folders is longer than STYLE.md allows.

STYLE.md: "One concept per file. Files under ~500 lines." The architecture review of
2026-12-06 found none over 500; two had grown past it by session 11 without anybody
noticing, so the rule is now checked like the layering rule.

Usage: check_file_sizes.py [--max N] ROOT FOLDER... (FOLDER relative to ROOT). Exits 1 and
names every file over the limit, longest first, with what to do about it.
"""
import argparse
import os
import sys

SUFFIXES = (".cc", ".h")


def line_count(path):
    with open(path, "rb") as f:
        return sum(1 for _ in f)


def oversized(root, folders, limit):
    found = []
    for folder in folders:
        for dirpath, _, names in os.walk(os.path.join(root, folder)):
            for name in names:
                if not name.endswith(SUFFIXES):
                    continue
                path = os.path.join(dirpath, name)
                lines = line_count(path)
                if lines > limit:
                    found.append((lines, os.path.relpath(path, root)))
    return sorted(found, reverse=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max", type=int, default=500, help="most lines a file may have")
    parser.add_argument("root")
    parser.add_argument("folders", nargs="+")
    args = parser.parse_args()
    missing = [f for f in args.folders if not os.path.isdir(os.path.join(args.root, f))]
    if missing:
        print(f"check_file_sizes: no such folder under {args.root}: {', '.join(missing)}")
        return 2
    found = oversized(args.root, args.folders, args.max)
    for lines, path in found:
        print(f"{path}: {lines} lines, over the {args.max} STYLE.md allows "
              "(\"One concept per file\"): move a concept of it into a file of its own")
    if found:
        return 1
    print(f"every .cc/.h under {', '.join(args.folders)} has at most {args.max} lines")
    return 0


if __name__ == "__main__":
    sys.exit(main())
