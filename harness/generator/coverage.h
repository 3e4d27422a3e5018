// gcstress generator — GeneratorCoverage: what generated scenarios reach. Which pairs of ops act
// on one object from two threads, which shapes the generator wrote, and which per-mechanism
// lifetime patterns the scenarios contain, counted per scenario over many seeds
// (`gcstress gen --coverage N`).
//
// "Act on one object" is a static question about a scenario, answered for every schedule at
// once: two steps of different threads *may* act on one object if some interleaving makes them
// do so. The analysis reads only the scenario and the op and field tables (harness/ops.def,
// harness/fields.def), so it holds for hand-written scenarios as well as generated ones:
//
//   * A variable field (kind HandleVar, WeakVar or TokenVar, e.g. obj, to, weak, held, token,
//     from) names an object; an op's "as" names the object it binds. An op that binds and also
//     names a variable (clone, weak, upgrade, register, export) makes its "as" an alias of the
//     first variable it names: a clone, a weak reference, a token and a proxy all stand for the
//     object they came from (a proxy's use is where its object's premature collection shows).
//     Aliasing is by name, over the whole scenario: a variable rebound later may stand for either
//     object, since another thread's step may run before or after the rebinding.
//   * An op with no variable field acts on a VM's objects: the VM its "vm" field names, else the
//     VM of the worker its "worker" field names, else the thread's current VM at that step (known
//     statically: a thread starts in "main", or in its own VM for a worker, and only its own
//     switch_vm steps change it). An object lives in the VM current where it was made (its "new")
//     and, for a proxy, in the VM it was exported to.
//   * Two steps of different threads meet when they name one object, when one acts on a VM in
//     which an object the other names lives, or when both act on the same VM.
//
// Allowed pairs: every unordered pair of the target's ops {a, b} (a = b included: two threads
// dropping one object) except pairs of two ops that only create (bind a handle and name no
// variable: `new`): each creation is its own object, so two of them never meet. A pair is
// reached by a scenario if two of its steps in different threads meet.
#pragma once

#include <array>
#include <bitset>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "harness/generator/generator.h"
#include "harness/scenario/scenario.h"

namespace gcs {

// Unordered pairs of ops, as a bit per (min, max) index pair: PairIndex(a, b) == PairIndex(b, a).
using OpPairSet = std::bitset<kOpCount * kOpCount>;
constexpr size_t PairIndex(Op a, Op b) {
  const auto i = static_cast<size_t>(a), j = static_cast<size_t>(b);
  return i <= j ? i * kOpCount + j : j * kOpCount + i;
}

// Why {a, b} is not an allowed pair for a target with `supported` ops (nullopt: it is allowed).
std::optional<std::string> PairExclusion(Op a, Op b, const OpSet& supported);

// The pairs two steps of different threads of `s` reach (see the top of this file).
OpPairSet CrossThreadPairs(const Scenario& s);

// The per-mechanism lifetime patterns coverage.cc detects in a scenario, in its table order.
struct MechanismShapeInfo {
  std::string_view name;
  std::string_view pattern;
};
std::vector<MechanismShapeInfo> MechanismShapes();
// One bool per MechanismShapes() entry: whether `s` contains that pattern.
std::vector<bool> FindMechanismShapes(const Scenario& s);

struct GeneratorCoverage {
  OpSet supported = kAllOps;  // the target's ops: they decide the allowed pairs
  uint64_t scenarios = 0;
  std::array<uint64_t, kOpCount * kOpCount> pairs{};  // by PairIndex: scenarios reaching it
  std::array<uint64_t, kShapeCount> shapes{};         // scenarios in which it was written
  std::vector<uint64_t> mechanism_shapes = std::vector<uint64_t>(MechanismShapes().size(), 0);

  // Counts one generated scenario and what its generation wrote.
  void Add(const Scenario& s, const GenerationRecord& record);

  size_t AllowedPairs() const;
  size_t ReachedPairs() const;                        // allowed pairs in at least one scenario
  uint64_t Floor() const;                             // the fewest scenarios any allowed pair is in
  std::vector<std::pair<Op, Op>> FloorPairs() const;  // the allowed pairs at the floor
};

// The report, for people: one line per allowed pair, the excluded pairs with their reason, the
// shapes, and a last summary line "pairs: R/A allowed reached; floor F of N scenarios (a+b, ...)".
// `title` is its first line. Deterministic: table order throughout.
std::string FormatCoverage(const GeneratorCoverage& c, const std::string& title);

// The same, as JSON ("gcstress_gen_coverage": 1).
nlohmann::ordered_json CoverageToJson(const GeneratorCoverage& c);

}  // namespace gcs
