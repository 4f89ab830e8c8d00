#!/usr/bin/env python3
"""Checks the layering rule of src/ (CERTFLEET_LAYERS in the top-level CMakeLists.txt).

Input: the JSON file that CMake writes at configure time (cmake/layering.cmake): the rule,
in layering order, and every target's links. Reads every .h/.cc under the source folder and
checks each quoted #include and each link:

- production code of folder F may use F itself and the folders F's rule entry lists;
- test code (a testing/ folder, *_test.cc, *_test_*.{h,cc}, *_fixture.{h,cc}, or a target
  named *_test / *_testing) may use any folder listed above F, F's own sub-folders, the
  testing/ folders, and tests/harness; production code never uses a testing/ folder or
  tests/harness;
- a header with its own entry (a shared vocabulary) may be used by the folders its entry is
  listed in, and by everyone who may use its folder;
- every folder of src/ with sources must be in the rule.

Prints one line per violation (file:line, what, the allowed list) and exits 1; exits 0 and
prints a summary when the tree obeys the rule.
"""
import json
import os
import re
import sys

INCLUDE = re.compile(r'^\s*#\s*include\s*"([^"]+)"')
TEST_FILE = re.compile(r'(_test\.cc|_test_[a-z_]+\.(h|cc)|_fixture\.(h|cc))$')


class Rule:
    def __init__(self, layers):
        # layers: ["common:", "crypto: common", ...] in build order.
        self.order, self.deps = [], {}
        for entry in layers:
            name, _, deps = entry.partition(":")
            self.order.append(name.strip())
            self.deps[name.strip()] = deps.split()

    def node(self, path):
        """The rule entry a src-relative folder or header path belongs to (longest prefix)."""
        parts = path.split("/")
        for n in range(len(parts), 0, -1):
            candidate = "/".join(parts[:n])
            if candidate in self.deps:
                return candidate
        return None

    def allows(self, own, target, test_code):
        if target == own:
            return True
        if target.endswith(".h"):
            # A header with its own entry is still part of its folder for the folder's users.
            parent = self.node(os.path.dirname(target))
            if parent is not None and self.allows(own, parent, test_code):
                return True
        if test_code:
            return (self.order.index(target) < self.order.index(own) or
                    target.startswith(own + "/"))
        return target in self.deps[own]

    def allowed_text(self, own, test_code):
        if test_code:
            return "test code may use the folders listed above it and its own sub-folders"
        return "allowed: " + (" ".join(self.deps[own]) or "nothing but itself")


def is_testing(path):
    return "testing" in path.split("/")


def check_use(rule, own, test_code, target_path, where, what, problems):
    """One #include or link from folder `own` to src-relative `target_path` (None: outside)."""
    if target_path == "tests/harness" or target_path.startswith("harness/"):
        if not test_code:
            problems.append(f"{where}: {what}: production code may not use the test harness")
        return
    target = rule.node(target_path)
    if target is None:
        return  # not ours (a third-party header, a local "x.h" include)
    if is_testing(target_path) and not test_code:
        problems.append(f"{where}: {what}: production code may not use a testing/ folder")
    elif not rule.allows(own, target, test_code):
        problems.append(f"{where}: {what}: {own} may not use {target} "
                        f"({rule.allowed_text(own, test_code)}; the rule is CERTFLEET_LAYERS "
                        f"in CMakeLists.txt)")


def check_includes(rule, src, problems):
    files = 0
    for root, _, names in os.walk(src):
        for name in sorted(names):
            if not name.endswith((".h", ".cc")):
                continue
            path = os.path.join(root, name)
            rel = os.path.relpath(path, src)
            own = rule.node(os.path.dirname(rel))
            if own is None:
                problems.append(f"src/{rel}: folder src/{os.path.dirname(rel)} is not in the "
                                f"layering rule: add it to CERTFLEET_LAYERS in CMakeLists.txt")
                continue
            files += 1
            test_code = is_testing(rel) or bool(TEST_FILE.search(name))
            with open(path, encoding="utf-8", errors="replace") as f:
                for number, line in enumerate(f, 1):
                    m = INCLUDE.match(line)
                    if m and "/" in m.group(1):
                        check_use(rule, own, test_code, m.group(1), f"src/{rel}:{number}",
                                  f'#include "{m.group(1)}"', problems)
    return files


def check_links(rule, targets, problems):
    for t in targets:
        if not t["dir"].startswith("src/"):
            continue
        own = rule.node(t["dir"][4:])
        if own is None:
            problems.append(f"target {t['name']}: folder {t['dir']} is not in the layering "
                            f"rule: add it to CERTFLEET_LAYERS in CMakeLists.txt")
            continue
        test_code = bool(re.search(r"_test(ing)?$", t["name"]))
        for link in t["links"]:
            target_dir = link["dir"]
            if target_dir.startswith("src/"):
                target_dir = target_dir[4:]
            elif target_dir != "tests/harness":
                continue
            if link["name"].endswith("_testing") and not test_code:
                problems.append(f"target {t['name']} ({t['dir']}): links {link['name']}: "
                                f"production code may not link a *_testing library")
                continue
            check_use(rule, own, test_code, target_dir, f"target {t['name']} ({t['dir']})",
                      f"links {link['name']}", problems)


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: check_layering.py SRC_DIR LAYERING_JSON")
    src, graph_file = sys.argv[1], sys.argv[2]
    with open(graph_file, encoding="utf-8") as f:
        graph = json.load(f)
    rule = Rule(graph["layers"])
    problems = []
    files = check_includes(rule, src, problems)
    check_links(rule, graph["targets"], problems)
    for p in problems:
        print(p)
    if problems:
        print(f"layering: {len(problems)} violation(s) of CERTFLEET_LAYERS (CMakeLists.txt)")
        return 1
    print(f"layering: {files} files and {len(graph['targets'])} targets obey "
          f"{len(rule.order)} rule entries")
    return 0


if __name__ == "__main__":
    sys.exit(main())
