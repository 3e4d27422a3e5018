// gcstress oracles — Oracle: what every oracle shares.
#include "harness/oracles/oracle.h"

#include <utility>

namespace gcs {

static_assert(core::kEventKindCount <= 64, "EntryInterest keeps an event kind per bit of 64");
static_assert(kTraceEntryKindCount <= 32, "EntryInterest keeps an entry kind per bit of 32");

EntryInterest EntryInterest::All() {
  EntryInterest all;
  all.entries_ = ~uint32_t{0};
  all.events_ = ~uint64_t{0};
  return all;
}

EntryInterest& EntryInterest::Entry(TraceEntry::Kind kind) {
  entries_ |= uint32_t{1} << static_cast<unsigned>(kind);
  return *this;
}

EntryInterest& EntryInterest::Event(core::EventKind kind) {
  events_ |= uint64_t{1} << static_cast<unsigned>(kind);
  return *this;
}

EntryInterest& EntryInterest::AllEvents() {
  events_ = ~uint64_t{0};
  return *this;
}

bool EntryInterest::Wants(const TraceEntry& entry) const {
  if (entry.kind != TraceEntry::Kind::kEvent) {
    return (entries_ >> static_cast<unsigned>(entry.kind) & 1) != 0;
  }
  const auto kind = static_cast<unsigned>(entry.event.kind);
  return kind >= static_cast<unsigned>(core::kEventKindCount) || (events_ >> kind & 1) != 0;
}

std::optional<Violation> Oracle::Result() const {
  std::optional<Violation> first;
  for (Violation& v : Violations()) {
    if (!first || v.trace_index < first->trace_index) first = std::move(v);
  }
  return first;
}

}  // namespace gcs
