// gcstress tests — kAddressSanitizer: whether this test build runs under AddressSanitizer.
#pragma once

namespace gcs::testing {

// Built with AddressSanitizer, the core frees memory for real (no quarantine), so a faulty path
// that touches freed memory aborts the test process instead of reaching the oracles.
#if defined(__SANITIZE_ADDRESS__)
inline constexpr bool kAddressSanitizer = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
inline constexpr bool kAddressSanitizer = true;
#else
inline constexpr bool kAddressSanitizer = false;
#endif
#else
inline constexpr bool kAddressSanitizer = false;
#endif

}  // namespace gcs::testing
