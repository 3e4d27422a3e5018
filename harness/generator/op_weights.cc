// gcstress generator — parsing and formatting op-weight specs.
#include "harness/generator/op_weights.h"

#include <bitset>
#include <cstddef>

namespace gcs {
namespace {

std::string Quote(std::string_view s) {
  return "\"" + std::string(s) + "\"";
}

InputError Error(std::string message) {
  return InputError{"<flag>", "--weights", std::move(message)};
}

// Decimal digits only: no sign, no spaces, no exponent. Returns false for anything else; sets
// *too_big if the digits are fine but the value exceeds kMaxOpWeight.
bool ParseWeight(std::string_view text, uint32_t* out, bool* too_big) {
  *too_big = false;
  if (text.empty()) return false;
  uint64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    if (value <= kMaxOpWeight) value = value * 10 + static_cast<uint64_t>(c - '0');
  }
  if (value > kMaxOpWeight) {
    *too_big = true;
    return true;
  }
  *out = static_cast<uint32_t>(value);
  return true;
}

}  // namespace

Expected<OpWeights> ParseOpWeights(std::string_view spec, const OpWeights& base) {
  OpWeights weights = base;
  if (spec.empty()) return weights;
  std::bitset<kOpCount> given;
  size_t entry = 0;
  size_t pos = 0;
  while (true) {
    ++entry;
    const size_t comma = spec.find(',', pos);
    const std::string_view item =
        spec.substr(pos, comma == std::string_view::npos ? std::string_view::npos : comma - pos);
    if (item.empty()) return Error("entry " + std::to_string(entry) + " is empty");
    const size_t eq = item.find('=');
    if (eq == std::string_view::npos) return Error("expected op=weight, got " + Quote(item));
    const std::string_view name = item.substr(0, eq);
    const std::string_view value = item.substr(eq + 1);
    const bool all = name == "*";
    std::optional<Op> op;
    if (all) {
      if (entry != 1) return Error("\"*\" must be the first entry");
    } else {
      op = OpFromName(name);
      if (!op) return Error("unknown op " + Quote(name));
    }
    const std::string who = all ? "\"*\"" : "op " + Quote(name);
    if (value.empty()) return Error(who + " has no weight");
    uint32_t weight = 0;
    bool too_big = false;
    if (!ParseWeight(value, &weight, &too_big)) {
      return Error("weight " + Quote(value) + " of " + who + " is not a non-negative integer");
    }
    if (too_big) {
      return Error("weight " + Quote(value) + " of " + who + " is above the maximum " +
                   std::to_string(kMaxOpWeight));
    }
    if (all) {
      weights.fill(weight);
    } else {
      const auto index = static_cast<size_t>(*op);
      if (given.test(index)) return Error(who + " is given twice");
      given.set(index);
      weights[index] = weight;
    }
    if (comma == std::string_view::npos) break;
    pos = comma + 1;
  }
  bool any = false;
  for (uint32_t w : weights)
    any = any || w > 0;
  if (!any) return Error("every op has weight 0");
  return weights;
}

std::string FormatOpWeights(const OpWeights& weights, const OpWeights& base) {
  std::string out;
  for (const OpInfo& info : kOpTable) {
    const auto index = static_cast<size_t>(info.op);
    if (weights[index] == base[index]) continue;
    if (!out.empty()) out += ",";
    out += std::string(info.json) + "=" + std::to_string(weights[index]);
  }
  return out;
}

}  // namespace gcs
