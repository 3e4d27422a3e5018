// gcstress isolation — Symbolize: return addresses of a dead child's backtrace, as frames.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "harness/isolation/stack_frames.h"

namespace gcs::isolation {

// Names the code at each address, innermost first, inlined frames expanded. The addresses come
// from a child forked from this process without exec, so this process has every module the
// child had at the same addresses (modules the child loaded after the fork are not found and
// give unnamed frames).
//
// How: each address is mapped to its module and module-relative address (dl_iterate_phdr), and
// the modules' debug info is asked through `llvm-symbolizer` (inlined frames included), or
// `addr2line -f -C` if that is missing; with neither, or for a module they cannot read, dladdr
// names exported functions whose symbol covers the address. Frames that cannot be named keep
// their module and an empty function. Never throws; costs a process spawn per module, so call it
// for a crash, not per execution.
std::vector<Frame> Symbolize(const uintptr_t* addresses, size_t count);

}  // namespace gcs::isolation
