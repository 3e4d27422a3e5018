// gcstress generator — OpWeights: how often the generator draws each op, and the
// "op=weight,op=weight" spec that overrides the defaults of op_weights.def.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "harness/input_error.h"
#include "harness/scenario/op.h"

namespace gcs {

// One weight per op, indexed by Op (harness/ops.def order). 0 = the generator never emits it.
using OpWeights = std::array<uint32_t, kOpCount>;

// A weight above this is refused, so that sums over every op never overflow.
inline constexpr uint32_t kMaxOpWeight = 1000000;

namespace op_weights_detail {

struct DefaultWeight {
  Op op;
  uint32_t weight;
  std::string_view why;
};

inline constexpr std::array<DefaultWeight, kOpCount> kDefaults = {{
#define GCS_OP_WEIGHT(Name, weight, why) {Op::k##Name, weight, why},
#include "harness/generator/op_weights.def"
#undef GCS_OP_WEIGHT
}};

constexpr bool InOpsDefOrder() {
  for (size_t i = 0; i < kDefaults.size(); ++i) {
    if (static_cast<size_t>(kDefaults[i].op) != i) return false;
    if (kDefaults[i].weight > kMaxOpWeight) return false;
  }
  return true;
}
static_assert(InOpsDefOrder(),
              "op_weights.def must list every op of ops.def once, in ops.def order, each weight "
              "at most kMaxOpWeight");

}  // namespace op_weights_detail

// The weights of op_weights.def.
constexpr OpWeights DefaultOpWeights() {
  OpWeights w{};
  for (const auto& d : op_weights_detail::kDefaults)
    w[static_cast<size_t>(d.op)] = d.weight;
  return w;
}

// Why op_weights.def gives `op` its default weight (for `gcstress list ops` and the docs).
constexpr std::string_view DefaultOpWeightReason(Op op) {
  return op_weights_detail::kDefaults[static_cast<size_t>(op)].why;
}

// Applies a spec to `base`. The spec is a comma-separated list of `op=weight` entries: `op` is an
// op's JSON name, or `*` for every op (only as the first entry); `weight` is a decimal integer in
// [0, kMaxOpWeight]. An empty spec changes nothing. Examples: "use=40,terminate=0",
// "*=0,new=5,set=5,gc=1".
//
// Errors are InputError{"<flag>", "--weights", message}, one per malformed spec, e.g.
//   entry 2 is empty
//   expected op=weight, got "new"
//   unknown op "clnoe"
//   op "new" has no weight
//   weight "-1" of op "new" is not a non-negative integer
//   weight "1000001" of op "new" is above the maximum 1000000
//   op "new" is given twice
//   "*" must be the first entry
//   every op has weight 0
Expected<OpWeights> ParseOpWeights(std::string_view spec,
                                   const OpWeights& base = DefaultOpWeights());

// The spec of the entries of `weights` that differ from `base`, in ops.def order ("" if none):
// ParseOpWeights(FormatOpWeights(w, base), base) == w.
std::string FormatOpWeights(const OpWeights& weights, const OpWeights& base = DefaultOpWeights());

}  // namespace gcs
