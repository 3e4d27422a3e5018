// gcstress core — the small identifiers every core file shares.
#pragma once

#include <cstdint>

namespace gcs::core {

// An allocation's identity: assigned in allocation order starting at 1, never reused within a
// Runtime, so a freed object's id still names it in events and reports. 0 means "none".
using AllocId = uint64_t;
inline constexpr AllocId kNoAlloc = 0;

// A VM's index: chosen by the caller (PocketPy's py_switchvm(index)); never reused once destroyed.
using VmIndex = uint16_t;
inline constexpr VmIndex kMaxVms = 64;
inline constexpr VmIndex kNoVm = 0xFFFF;

// A thread's index in registration order (Runtime::AddThread), not an OS thread id.
using ThreadIndex = uint32_t;
inline constexpr ThreadIndex kNoThread = 0xFFFFFFFF;

// Reference fields per plain object.
inline constexpr int kMaxFields = 4;

using RegistryToken = uint64_t;  // a finalization registry entry, unique within its registry
using CallId = uint64_t;         // a pending call, unique within the calling VM
using ExportId = uint64_t;       // an export table entry, unique within its table

}  // namespace gcs::core
