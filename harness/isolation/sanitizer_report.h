// gcstress isolation — SanitizerFinding: a sanitizer report, found in a child's stderr and
// classified into a violation kind and a stable site.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "harness/isolation/stack_frames.h"
#include "harness/scenario/violation.h"

// Classification, by the report's tool and the report's own name for what went wrong ("what"):
//
//   what contains use-after-free / use-after-poison /       -> use-after-free
//     use-after-return / use-after-scope (ASan, TSan)
//   what contains double-free (ASan "attempting double-free") -> double-free
//   LeakSanitizer, or a "... leak" (TSan "thread leak")       -> leak
//   ThreadSanitizer "data race" (also "data race on vptr")    -> data-race
//   ThreadSanitizer "lock-order-inversion"                    -> deadlock (a potential one)
//   a deadly signal (SEGV, BUS, FPE, ILL, ABRT, TRAP,          -> crash
//     stack-overflow) from any sanitizer
//   UndefinedBehaviorSanitizer "runtime error: <what>"        -> undefined-behavior
//   anything else (heap-buffer-overflow, bad free, ...)       -> crash
//
// Site: the first own frame (stack_frames.h) of the report's first stack — the bad access, the
// second free, the leaked allocation, the UB. A data race has two stacks whose order depends on
// which thread happened to come second, so its site is both first own functions, sorted, joined
// by '+'. A report without symbolized stacks falls back to the source file's base name of the
// UBSan "file:line:col: runtime error" line, else to "".
//
// Nothing taken from the report for the verdict carries an address, pid, thread id, offset or line
// number; the raw text is kept apart (reports/<slug>/sanitizer.txt) and compared by nobody.

namespace gcs::isolation {

struct SanitizerFinding {
  std::string tool;  // "AddressSanitizer", "LeakSanitizer", "ThreadSanitizer",
                     // "UndefinedBehaviorSanitizer"
  std::string what;  // "heap-use-after-free", "attempting double-free", "data race",
                     // "signed integer overflow", "SEGV", ...
  ViolationKind kind = ViolationKind::kCrash;
  std::string site;
  std::vector<std::vector<Frame>> stacks;  // as parsed, for tests and messages
};

// The first sanitizer report in `text` (a child's stderr), if there is one. `summary` is the
// SUMMARY line the sanitizer hook saw ("SUMMARY: ThreadSanitizer: data race ..."), used when the
// text has no report (log_path sent it elsewhere, or the tail kept lost its start).
std::optional<SanitizerFinding> FindSanitizerReport(std::string_view text,
                                                    std::string_view summary = {});

// The kind for a report's tool and what (the table above).
ViolationKind ClassifySanitizerReport(std::string_view tool, std::string_view what);

// One "#N ..." stack line of an ASan/LSan/UBSan ("#3 0x4f12 in fn file:12:5") or TSan
// ("#3 fn file:12:5 (module+0x4f12)") report. nullopt if `line` is not a frame.
std::optional<Frame> ParseFrameLine(std::string_view line);

}  // namespace gcs::isolation
