// gcstress core — the fault table generated from faults.def.
#include "core/faults.h"

#include <array>

#include "core/check.h"

namespace gcs::core {
namespace {

constexpr std::array kFaults = {
#define GCS_FAULT(Name, flag, mechanism, help) FaultInfo{Fault::k##Name, flag, mechanism, help},
#include "core/faults.def"
#undef GCS_FAULT
};

}  // namespace

std::span<const FaultInfo> AllFaults() {
  return kFaults;
}

const FaultInfo& GetFaultInfo(Fault fault) {
  const auto index = static_cast<size_t>(fault);
  GCS_CHECK(index < kFaults.size());
  return kFaults[index];
}

std::optional<Fault> FaultFromName(std::string_view name) {
  for (const FaultInfo& info : kFaults) {
    if (info.name == name) return info.fault;
  }
  return std::nullopt;
}

std::string FaultSet::ToString() const {
  std::string out;
  for (const FaultInfo& info : kFaults) {
    if (!Has(info.fault)) continue;
    if (!out.empty()) out += ',';
    out += info.name;
  }
  return out;
}

}  // namespace gcs::core
