// gcstress cli — ProgressLine: loop's live status, redrawn in place on a terminal.
#pragma once

#include <chrono>
#include <cstdio>
#include <string>

#include "harness/runner/runner.h"

namespace gcs::cli {

// On a terminal, one line redrawn in place ("\r" + clear to end of line) at every update; not on
// one (CI logs, pipes), a plain line at most every `plain_every`. Progress output only: it is
// the one place a wall-clock figure (exec/s, elapsed) is printed.
class ProgressLine {
 public:
  ProgressLine(std::FILE* out, bool terminal, std::chrono::milliseconds plain_every);

  void Update(const RunProgress& progress);
  // Ends a redrawn line so what follows starts on its own line.
  void Finish();

  // "1,234,567"
  static std::string Grouped(uint64_t n);
  // "loop: 1,234,567 iterations · 35,210 exec/s · 0:35 elapsed · pct:depth=3,steps=21 · no
  // violation · rss 12.1 MiB"
  static std::string Describe(const RunProgress& progress);

 private:
  std::FILE* out_;
  bool terminal_;
  std::chrono::milliseconds plain_every_;
  double last_plain_ = -1;  // seconds into the run of the last plain line
  bool drawn_ = false;
};

}  // namespace gcs::cli
