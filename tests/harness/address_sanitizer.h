// gcstress tests — kAddressSanitizer, kThreadSanitizer: whether this test build runs under them.
#pragma once

#if defined(__has_feature)
#define GCS_TESTING_HAS_FEATURE(x) __has_feature(x)
#else
#define GCS_TESTING_HAS_FEATURE(x) 0
#endif

namespace gcs::testing {

// Built with AddressSanitizer, the core frees memory for real (no quarantine), so a faulty path
// that touches freed memory aborts the test process instead of reaching the oracles.
#if defined(__SANITIZE_ADDRESS__) || GCS_TESTING_HAS_FEATURE(address_sanitizer)
inline constexpr bool kAddressSanitizer = true;
#else
inline constexpr bool kAddressSanitizer = false;
#endif

// Built with ThreadSanitizer, a seed fault that is a data race (gc-worklist-race) run truly in
// parallel (free mode) in this process is reported by TSan, which fails the test binary.
#if defined(__SANITIZE_THREAD__) || GCS_TESTING_HAS_FEATURE(thread_sanitizer)
inline constexpr bool kThreadSanitizer = true;
#else
inline constexpr bool kThreadSanitizer = false;
#endif

}  // namespace gcs::testing

// First line of a test that runs, in this process, a seed fault whose symptom is touching freed
// memory (refpool-deferred-incref, vm-switch-stale-current): under ASan that is a real
// use-after-free that ends the test binary. Fork mode and the asan_* ctests of tests/harness/cli
// show what gcstress makes of it there.
#define GCS_SKIP_UNDER_ASAN()                                                       \
  if (::gcs::testing::kAddressSanitizer)                                            \
  GTEST_SKIP() << "runs a seed fault that touches freed memory in-process: a real " \
                  "use-after-free under ASan"
