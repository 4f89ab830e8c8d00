#!/usr/bin/env python3
"""Specification of check_layering.py: it finds each kind of violation, and passes a clean tree."""
import json
import os
import subprocess
import sys
import tempfile
import unittest

CHECKER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "check_layering.py")
LAYERS = ["low:", "low/impl: low", "low/vocabulary.h:", "mid: low/vocabulary.h", "high: mid low"]


class CheckLayeringTest(unittest.TestCase):
    def run_checker(self, files, targets=()):
        with tempfile.TemporaryDirectory() as root:
            for path, text in files.items():
                full = os.path.join(root, "src", path)
                os.makedirs(os.path.dirname(full), exist_ok=True)
                with open(full, "w", encoding="utf-8") as f:
                    f.write(text)
            graph = os.path.join(root, "layering.json")
            with open(graph, "w", encoding="utf-8") as f:
                json.dump({"layers": LAYERS, "targets": list(targets)}, f)
            done = subprocess.run([sys.executable, CHECKER, os.path.join(root, "src"), graph],
                                  capture_output=True, text=True, check=False)
            return done.returncode, done.stdout

    def test_a_clean_tree_passes(self):
        code, out = self.run_checker({
            "low/a.h": '#include <vector>\n#include "a_local.h"\n',
            "low/impl/b.cc": '#include "low/a.h"\n',
            "mid/m.cc": '#include "low/vocabulary.h"\n#include "nlohmann/json.hpp"\n',
            "high/h.cc": '#include "low/a.h"\n#include "mid/m.h"\n',
            "high/h_test.cc": '#include "mid/testing/fake.h"\n#include "harness/net.h"\n',
            "low/low_fixture.h": '#include "low/impl/b.h"\n',
        }, [{"name": "certfleet_high", "dir": "src/high",
             "links": [{"name": "certfleet_mid", "dir": "src/mid"}]}])
        self.assertEqual(code, 0, out)
        self.assertIn("obey 5 rule entries", out)

    def test_an_upward_include_names_file_line_and_the_allowed_folders(self):
        code, out = self.run_checker({"low/a.h": '// x\n#include "mid/m.h"\n'})
        self.assertEqual(code, 1, out)
        self.assertIn('src/low/a.h:2: #include "mid/m.h": low may not use mid '
                      '(allowed: nothing but itself', out)

    def test_a_sideways_include_not_in_the_rule_fails(self):
        code, out = self.run_checker({"mid/m.cc": '#include "low/impl/b.h"\n'})
        self.assertEqual(code, 1, out)
        self.assertIn("mid may not use low/impl (allowed: low/vocabulary.h;", out)

    def test_a_header_entry_allows_that_header_only(self):
        code, out = self.run_checker({"mid/m.cc": '#include "low/vocabulary.h"\n#include "low/a.h"\n'})
        self.assertEqual(code, 1, out)
        self.assertIn('src/mid/m.cc:2: #include "low/a.h": mid may not use low ', out)
        self.assertNotIn("m.cc:1:", out)

    def test_production_code_may_not_use_testing_folders_or_the_harness(self):
        code, out = self.run_checker({
            "high/h.cc": '#include "mid/testing/fake.h"\n#include "harness/net.h"\n'})
        self.assertEqual(code, 1, out)
        self.assertIn("production code may not use a testing/ folder", out)
        self.assertIn("production code may not use the test harness", out)

    def test_test_code_may_not_use_a_folder_above_its_own(self):
        code, out = self.run_checker({"mid/m_test.cc": '#include "high/h.h"\n'})
        self.assertEqual(code, 1, out)
        self.assertIn("mid may not use high (test code may use the folders listed above it", out)

    def test_a_folder_missing_from_the_rule_fails(self):
        code, out = self.run_checker({"extra/x.h": "\n"})
        self.assertEqual(code, 1, out)
        self.assertIn("folder src/extra is not in the layering rule", out)

    def test_links_are_checked_like_includes(self):
        code, out = self.run_checker({}, [
            {"name": "certfleet_low", "dir": "src/low",
             "links": [{"name": "certfleet_high", "dir": "src/high"}]},
            {"name": "certfleet_mid", "dir": "src/mid",
             "links": [{"name": "certfleet_low_testing", "dir": "src/low"},
                       {"name": "certfleet_test_harness", "dir": "tests/harness"}]},
            {"name": "mid_test", "dir": "src/mid",
             "links": [{"name": "certfleet_low_testing", "dir": "src/low"}]}])
        self.assertEqual(code, 1, out)
        self.assertIn("target certfleet_low (src/low): links certfleet_high: low may not use high",
                      out)
        self.assertIn("links certfleet_low_testing: production code may not link", out)
        self.assertIn("links certfleet_test_harness: production code may not use the test harness",
                      out)
        self.assertNotIn("mid_test", out)


if __name__ == "__main__":
    unittest.main()
