// gcstress isolation — stack frames: which frame of a crash is "ours", and its function as it
// goes into a signature.
#pragma once

#include <string>
#include <string_view>
#include <vector>

// The site of a crash or sanitizer report is the first frame of its stack that is in the code
// under test or in gcstress — not in a sanitizer runtime, the C or C++ runtime, the allocator,
// or gcstress's own fatal-event machinery — reduced to its qualified function name:
//
//   "gcs::core::Heap::Free(gcs::core::Object*) const"     -> "gcs::core::Heap::Free"
//   "(anonymous namespace)::CrashTarget::Apply(...)"       -> "CrashTarget::Apply"
//   "void gcs::Visit<gcs::Obj>(gcs::Obj&)"                 -> "gcs::Visit"
//   "gcs::Run()::$_3::operator()() const"                  -> "gcs::Run::$_3::operator()"
//
// No addresses, offsets, files or line numbers, nothing that moves when the code around it is
// edited or the build changes; what is left changes only when the function is renamed. Template
// arguments and overloads are folded together on purpose: a signature names where, not which
// instantiation. Anonymous namespaces are dropped (they only make names longer).

namespace gcs::isolation {

struct Frame {
  std::string function;  // as the symbolizer printed it (demangled); "" if unknown
  std::string module;    // the binary or library, if known
  std::string file;      // source file, if known (never part of a site)
};

// The function name reduced as above; "" for "", "<null>" or "??".
std::string NormalizeFunction(std::string_view demangled);

// Frames that never make a site: sanitizer runtimes and interceptors, libc and libstdc++
// (std::, __gnu_cxx::, __cxa_*), operator new/delete and the C allocator, abort/raise and the
// thread start-up functions, system libraries (a module under /lib or /usr/lib), GCS_CHECK's
// failure path and gcstress's fatal-event recorder; also frames with no function name.
bool IsRuntimeFrame(const Frame& frame);

// NormalizeFunction of the first frame that is not a runtime frame; "" if there is none.
std::string FirstOwnFunction(const std::vector<Frame>& stack);

}  // namespace gcs::isolation
