#!/usr/bin/env python3.11
# gcstress tests — tools/mutate: input validation, a patch that does not apply, and the
# apply -> build -> search -> restore pipeline against a stub gcstress (no real build or search).
import json
import os
import stat
import subprocess
import sys
import tempfile
import textwrap
import unittest
from pathlib import Path

REPO = Path(sys.argv.pop(1) if len(sys.argv) > 1 else Path(__file__).resolve().parents[2])
TOOL = REPO / 'tools' / 'mutate'

# A stand-in for gcstress: fails with a leak if the scratch copy's lib.c (beside the target
# manifest it is given) holds the planted bug, passes otherwise. It also checks the flags.
STUB = textwrap.dedent('''\
    #!/bin/sh
    [ "$1" = run ] || exit 2
    target=; strategy=
    while [ $# -gt 0 ]; do
      case "$1" in --target) target=$2;; --strategy) strategy=$2;; esac; shift
    done
    [ "$strategy" = pct ] || { echo "gcstress: error: strategy $strategy"; exit 2; }
    if grep -q BUG "$(dirname "$target")/lib.c"; then
      echo "FAIL gen-3: leak at iteration 7 (8 iterations) [pct:depth=3 seed=1]"
      echo "  leak/drop/teardown/lib.free: allocation #4 (object, vm0) was never freed"
      exit 1
    fi
    echo "PASS gen-1: 1000 iterations, no violation"
    exit 0
''')

GOOD = textwrap.dedent('''\
    # lib: free forgets the object (planted)
    --- a/lib.c
    +++ b/lib.c
    @@ -1,3 +1,3 @@
     int a;
    -int b;
    +int b; /* BUG */
     int c;
''')

EQUIVALENT = textwrap.dedent('''\
    # lib: a comment changes
    # equivalent: comments do not change behaviour
    --- a/lib.c
    +++ b/lib.c
    @@ -1,3 +1,3 @@
     int a;
    -int b;
    +int b; /* fine */
     int c;
''')

STALE = textwrap.dedent('''\
    # lib: a patch against code that is gone
    --- a/lib.c
    +++ b/lib.c
    @@ -1,3 +1,3 @@
     int a;
    -int gone;
    +int gone2;
     int c;
''')


class MutateTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        t = Path(self.tmp.name)
        self.src, self.patches, self.scratch, self.out = (t / 'src', t / 'patches', t / 's',
                                                          t / 'out')
        self.src.mkdir()
        (self.src / 'lib.c').write_text('int a;\nint b;\nint c;\n')
        (self.src / 'target.json').write_text('{}\n')
        self.patches.mkdir()
        self.stub = t / 'gcstress'
        self.stub.write_text(STUB)
        self.stub.chmod(self.stub.stat().st_mode | stat.S_IXUSR)

    def tearDown(self):
        self.tmp.cleanup()

    def mutate(self, *args):
        return subprocess.run([sys.executable, str(TOOL), *args], capture_output=True, text=True,
                              timeout=60)

    def stub_args(self, *extra):
        return ['--patch-dir', str(self.patches), '--source-root', str(self.src), '--build',
                'none', '--gcstress', str(self.stub), '--target', str(self.src / 'target.json'),
                '--scratch', str(self.scratch), '--out', str(self.out), '--budget', '10s', '--generate', '1',
                *extra]

    def assert_bad_input(self, r, needle):
        self.assertEqual(r.returncode, 2, r.stderr)
        lines = r.stderr.strip().splitlines()
        self.assertEqual(len(lines), 1, r.stderr)
        self.assertIn(needle, lines[0])

    def test_bad_flags_are_one_line_errors(self):
        (self.patches / '01-good.patch').write_text(GOOD)
        self.assert_bad_input(self.mutate('--no-such-flag'), '--no-such-flag')
        self.assert_bad_input(self.mutate('--patch-dir', str(self.src / 'nope')), '--patch-dir')
        self.assert_bad_input(self.mutate('--patch-dir', str(self.src)), 'no *.patch')
        self.assert_bad_input(self.mutate(*self.stub_args('--only', '07')), 'unknown mutant "07"')
        self.assert_bad_input(self.mutate(*self.stub_args('--budget', '0s')), '--budget')
        self.assert_bad_input(self.mutate(*self.stub_args('--budget', 'soon')), '--budget')
        self.assert_bad_input(self.mutate(*self.stub_args('--source-root', str(self.src / 'x'))),
                              '--source-root')
        self.assert_bad_input(self.mutate(*self.stub_args('--gcstress', str(self.src / 'lib.c'))),
                              '--gcstress')
        self.assert_bad_input(self.mutate(*self.stub_args('--build', 'auto')), '--build auto')

    def test_repository_mutants_are_listed_with_descriptions(self):
        r = self.mutate('--list')
        self.assertEqual(r.returncode, 0, r.stderr)
        lines = r.stdout.splitlines()
        self.assertGreaterEqual(len(lines), 12)
        for line in lines:
            name, _, desc = line.partition(': ')
            self.assertRegex(name, r'^\d\d-[a-z0-9-]+$')
            self.assertTrue(desc and desc != '(no description)', line)

    def test_a_patch_that_does_not_apply_is_an_error_row(self):
        (self.patches / '01-stale.patch').write_text(STALE)
        (self.patches / '02-good.patch').write_text(GOOD)
        report = self.out / 'r.json'
        r = self.mutate(*self.stub_args('--json', str(report), '--no-pristine'))
        self.assertEqual(r.returncode, 3, r.stdout + r.stderr)
        rows = {row['mutant']: row for row in json.loads(report.read_text())['rows']}
        self.assertEqual(rows['01-stale']['status'], 'patch-error')
        self.assertIn('does not apply', rows['01-stale']['error'])
        self.assertEqual(rows['02-good']['status'], 'found')  # the other rows go on
        self.assertIn('found 1 of 1 non-equivalent mutants (100%)', r.stdout)

    def test_pipeline_finds_plants_and_restores(self):
        (self.patches / '01-good.patch').write_text(GOOD)
        (self.patches / '02-equivalent.patch').write_text(EQUIVALENT)
        report = self.out / 'r.json'
        r = self.mutate(*self.stub_args('--json', str(report)))
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        data = json.loads(report.read_text())
        self.assertEqual(data['pristine']['status'], 'pass')  # the unpatched tree passes
        rows = {row['mutant']: row for row in data['rows']}
        good = rows['01-good']
        self.assertEqual((good['status'], good['exit_code']), ('found', 1))
        self.assertEqual(good['verdict'], 'leak')
        self.assertEqual(good['signature'], 'leak/drop/teardown/lib.free')
        self.assertEqual(good['where'], 'gen-3 iteration 7')
        self.assertLess(good['seconds'], 10)
        self.assertTrue(rows['02-equivalent']['equivalent'])
        self.assertEqual(rows['02-equivalent']['status'], 'missed')
        self.assertEqual(data['score'], {'found': 1, 'scored': 1, 'percent': 100.0})
        self.assertIn('| 01-good | found |', r.stdout)
        # The source tree is never touched; the scratch copy is restored after each mutant.
        self.assertEqual((self.src / 'lib.c').read_text(), 'int a;\nint b;\nint c;\n')
        copies = [p for p in self.scratch.iterdir() if p.is_dir()]
        self.assertEqual(len(copies), 1)
        self.assertEqual((copies[0] / 'lib.c').read_text(), 'int a;\nint b;\nint c;\n')

    def test_only_selects_by_number(self):
        (self.patches / '01-good.patch').write_text(GOOD)
        (self.patches / '02-equivalent.patch').write_text(EQUIVALENT)
        report = self.out / 'r.json'
        r = self.mutate(*self.stub_args('--only', '02', '--no-pristine', '--json', str(report)))
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertEqual([row['mutant'] for row in json.loads(report.read_text())['rows']],
                         ['02-equivalent'])
        self.assertIn('found 0 of 0 non-equivalent mutants', r.stdout)


if __name__ == '__main__':
    unittest.main()
