// gcstress oracles — FinalizerOracle.
#include "harness/oracles/finalizer.h"

#include <string>

namespace gcs {

EntryInterest FinalizerOracle::Interest() const {
  return EntryInterest()
      .Event(core::EventKind::kFinalize)
      .Event(core::EventKind::kRegistryCallback);
}

void FinalizerOracle::Judge(const TraceEntry& e, size_t index) {
  if (e.kind != TraceEntry::Kind::kEvent) return;
  const core::Event& ev = e.event;
  if (ev.kind == core::EventKind::kFinalize) {
    const core::AllocId id = ev.obj;
    if (id == core::kNoAlloc || id >= (core::AllocId{1} << 24)) return;
    if (id >= finalized_.size()) finalized_.resize(id + 1, 0);
    if (finalized_[id] == 0) {
      finalized_[id] = 1;
      return;
    }
    Report(ViolationKind::kFinalizer, e.thread, ev.site, id, index,
           "finalizer of allocation " + AllocName(id) + " ran twice (again @" + ev.site + ")");
    return;
  }
  // Whether a callback may fire depends on the order of frees, registrations and VM closes: not
  // judged in free mode, whose trace order is only one linearization.
  if (ev.kind != core::EventKind::kRegistryCallback || !full_stream() || options().free_mode) {
    return;
  }
  const char* registry = ev.aux == 1 ? "proxy registry" : "registry";
  if (shadow().Alive(ev.obj)) {
    Report(ViolationKind::kFinalizer, e.thread, ev.site, ev.obj, index,
           std::string(registry) + " callback (token " + std::to_string(ev.value) + ", vm" +
               std::to_string(ev.vm) + ") fired for " + AllocName(ev.obj) +
               ", which is not freed @" + ev.site);
    return;
  }
  if (!shadow().ValidVm(ev.vm)) return;
  const ShadowModel::RegistryKey key{ev.vm, ev.aux, ev.value};
  if (shadow().registry().count(key) == 0) {
    Report(ViolationKind::kFinalizer, e.thread, ev.site, ev.obj, index,
           std::string(registry) + " callback (token " + std::to_string(ev.value) + ", vm" +
               std::to_string(ev.vm) + ") for " + AllocName(ev.obj) +
               " fired without a live registration (twice, or after unregister) @" + ev.site);
  }
}

void FinalizerOracle::Finish(Target&, const Execution& execution) {
  if (!full_stream() || options().free_mode) return;
  const uint32_t teardown = shadow().num_threads();
  for (const auto& [key, entry] : shadow().registry()) {
    if (!shadow().Freed(entry.target) || shadow().vm(key.vm).closed) continue;
    Violation v;
    v.kind = ViolationKind::kFinalizer;
    v.message = std::string(key.aux == 1 ? "proxy registry" : "registry") + " entry (token " +
                std::to_string(key.token) + ", vm" + std::to_string(key.vm) + ") for freed " +
                AllocName(entry.target) + " never fired";
    v.thread = teardown;
    v.phase = "teardown";
    v.obj = entry.target;
    v.trace_index = execution.trace.entries.size();
    Report(std::move(v));
  }
}

}  // namespace gcs
