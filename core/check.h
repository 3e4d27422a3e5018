// gcstress core — GCS_CHECK: invariants of our own code, on in every build type.
#pragma once

namespace gcs {

// Prints "file:line: GCS_CHECK failed: <condition> (<message>)" to stderr and aborts. Never
// returns.
[[noreturn]] void CheckFailed(const char* file, int line, const char* condition,
                              const char* message);

}  // namespace gcs

// A broken invariant of gcstress itself (not of the target, not of the input): abort with
// file:line. Never compiled out: release, fuzz and sanitizer builds keep every check.
#define GCS_CHECK(cond)                                       \
  do {                                                        \
    if (!(cond)) [[unlikely]]                                 \
      ::gcs::CheckFailed(__FILE__, __LINE__, #cond, nullptr); \
  } while (0)

#define GCS_CHECK_MSG(cond, msg)                            \
  do {                                                      \
    if (!(cond)) [[unlikely]]                               \
      ::gcs::CheckFailed(__FILE__, __LINE__, #cond, (msg)); \
  } while (0)
