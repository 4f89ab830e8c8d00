#!/usr/bin/env python3
"""Specification of check_file_sizes.py: it names files over the limit and passes the rest."""
import os
import subprocess
import sys
import tempfile
import unittest

CHECKER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "check_file_sizes.py")


class CheckFileSizesTest(unittest.TestCase):
    def run_checker(self, files, folders=("src",), limit=5):
        with tempfile.TemporaryDirectory() as root:
            for path, lines in files.items():
                full = os.path.join(root, path)
                os.makedirs(os.path.dirname(full), exist_ok=True)
                with open(full, "w", encoding="utf-8") as f:
                    f.write("x\n" * lines)
            done = subprocess.run([sys.executable, CHECKER, "--max", str(limit), root, *folders],
                                  capture_output=True, text=True, check=False)
            return done.returncode, done.stdout

    def test_files_at_the_limit_pass(self):
        code, out = self.run_checker({"src/a/b.cc": 5, "src/a/b.h": 1, "src/big.txt": 50})
        self.assertEqual(code, 0, out)
        self.assertIn("at most 5 lines", out)

    def test_a_file_over_the_limit_is_named_with_its_length(self):
        code, out = self.run_checker({"src/a/ok.cc": 5, "src/a/long.cc": 6, "src/b/longer.h": 9})
        self.assertEqual(code, 1, out)
        self.assertIn("src/b/longer.h: 9 lines, over the 5", out)
        self.assertIn("src/a/long.cc: 6 lines", out)
        self.assertNotIn("ok.cc", out)
        self.assertLess(out.index("longer.h"), out.index("long.cc"), "longest first")

    def test_every_folder_given_is_checked(self):
        code, out = self.run_checker({"src/a.cc": 1, "tests/t.cc": 7}, folders=("src", "tests"))
        self.assertEqual(code, 1, out)
        self.assertIn("tests/t.cc: 7 lines", out)

    def test_a_missing_folder_is_an_error_not_a_pass(self):
        code, out = self.run_checker({"src/a.cc": 1}, folders=("src", "sorc"))
        self.assertEqual(code, 2, out)
        self.assertIn("no such folder", out)
        self.assertIn("sorc", out)


if __name__ == "__main__":
    unittest.main()
