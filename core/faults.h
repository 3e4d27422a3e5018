// gcstress core — Fault and FaultSet: the runtime-selected buggy code paths of faults.def.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace gcs::core {

enum class Fault : uint8_t {
#define GCS_FAULT(Name, flag, mechanism, help) k##Name,
#include "core/faults.def"
#undef GCS_FAULT
};

struct FaultInfo {
  Fault fault;
  std::string_view name;       // the --fault flag value
  std::string_view mechanism;  // the core file holding the buggy path
  std::string_view help;
};

// Every fault in declaration order.
std::span<const FaultInfo> AllFaults();
const FaultInfo& GetFaultInfo(Fault fault);
std::optional<Fault> FaultFromName(std::string_view name);

// A set of enabled faults; the empty set is the fixed core.
class FaultSet {
 public:
  constexpr FaultSet() = default;
  constexpr FaultSet& Enable(Fault f) {
    bits_ |= Bit(f);
    return *this;
  }
  constexpr bool Has(Fault f) const { return (bits_ & Bit(f)) != 0; }
  constexpr bool Empty() const { return bits_ == 0; }
  constexpr uint32_t Bits() const { return bits_; }
  constexpr bool operator==(const FaultSet&) const = default;
  // "refpool-deferred-incref,gc-worklist-race" in declaration order; "" for none.
  std::string ToString() const;

 private:
  static constexpr uint32_t Bit(Fault f) { return 1u << static_cast<uint32_t>(f); }
  uint32_t bits_ = 0;
};

}  // namespace gcs::core
