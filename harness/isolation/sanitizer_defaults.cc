// gcstress isolation — the sanitizers' defaults for gcstress's own executables (linked into them,
// not into the library: a library user keeps their own). ASAN_OPTIONS, UBSAN_OPTIONS and
// TSAN_OPTIONS in the environment still override each option.
//
// UBSan prints no stack by default, and a stack is what gives an undefined-behaviour verdict its
// site (the first own frame; sanitizer_report.h). Everything else keeps the sanitizers' defaults:
// fork mode notices a report through the summary hook whether or not the sanitizer halts.
extern "C" const char* __ubsan_default_options() {
  return "print_stacktrace=1";
}
