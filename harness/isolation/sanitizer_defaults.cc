// gcstress isolation — the sanitizers' defaults for gcstress's own executables (linked into them,
// not into the library: a library user keeps their own). ASAN_OPTIONS, UBSAN_OPTIONS and
// TSAN_OPTIONS in the environment still override each option.
//
// UBSan prints no stack by default, and a stack is what gives an undefined-behaviour verdict its
// site (the first own frame; sanitizer_report.h). Otherwise the sanitizers keep their defaults
// (but TSan's die_after_fork, below): fork mode notices a report through the summary hook
// whether or not the sanitizer halts.
extern "C" const char* __ubsan_default_options() {
  return "print_stacktrace=1";
}

// Fork mode forks its children from a process that may have threads (--jobs, the reproduction
// gate's replays, a test that ran in-process first), and each child starts scenario threads.
// TSan's default kills a child of a multi-threaded process when it starts a thread; it takes
// its locks around fork() itself, so the child can run.
extern "C" const char* __tsan_default_options() {
  return "die_after_fork=0";
}
