// gcstress scenario — Scenario: a validated program of lifetime ops over named threads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "harness/scenario/field.h"
#include "harness/scenario/op.h"
#include "harness/scenario/violation.h"

namespace gcs {

// What "new" allocates: a plain object, or a subclass whose traverse chains to its base's.
enum class ObjType : uint8_t { kObject, kSubclass };

// "object" / "subclass": the JSON names of ObjType.
std::string_view ObjTypeName(ObjType type);
std::optional<ObjType> ObjTypeFromName(std::string_view name);

// Index into Scenario::vars; kNoVar in a slot the step does not use.
using VarId = uint16_t;
inline constexpr VarId kNoVar = 0xFFFF;

// Limits of format 1 (scenarios/README.md "Limits"); the loader rejects anything beyond them.
inline constexpr int kMaxThreads = 16;
inline constexpr size_t kMaxSteps = 65536;       // in all threads together
inline constexpr size_t kMaxVars = 4096;         // distinct variable names
inline constexpr size_t kMaxVms = 256;           // "main", workers and switch_vm names
inline constexpr size_t kMaxNameLength = 64;     // thread, variable, VM and scenario names
inline constexpr size_t kMaxTextLength = 4096;   // "description" and "source"
inline constexpr size_t kMaxExpectations = 256;  // entries of "expect"
static_assert(kMaxVars < kNoVar);

// One op. Slots the op does not use hold kNoVar / -1 (and type kObject), so that two steps that
// mean the same compare equal.
struct Step {
  Op op = Op::kYield;
  VarId obj = kNoVar, as = kNoVar, to = kNoVar, weak = kNoVar, held = kNoVar, token = kNoVar,
        from = kNoVar;
  int8_t field = -1;    // 0..kMaxFields-1
  int16_t vm = -1;      // index into Scenario::vms
  int16_t worker = -1;  // index into Scenario::threads (a worker)
  ObjType type = ObjType::kObject;
  bool operator==(const Step&) const = default;
};

// The VarId slot of a step for a variable field (obj, as, to, weak, held, token, from); nullptr
// for fields that do not name a variable.
VarId* StepVarSlot(Step& step, Field field);
const VarId* StepVarSlot(const Step& step, Field field);

struct ThreadSpec {
  std::string name;
  bool worker = false;
  bool spawned = false;  // some spawn step names it: it starts when spawned, not at the start
  int16_t vm = 0;        // initial current VM: 0 ("main") for plain threads, its own for workers
  std::vector<Step> steps;
  bool operator==(const ThreadSpec&) const = default;
};

struct VarSpec {
  std::string name;
  BindKind kind = BindKind::kHandle;  // never kNone
  bool operator==(const VarSpec&) const = default;
};

// "Under these faults, the run must end with this result" — on every target that has the faults,
// or only on `target`: a target's name ("pyo3"), or a name and one of its versions
// ("comlink@4.4.1"). For a run, the most specific entry for its fault set wins (ExpectationFor).
struct Expectation {
  std::vector<std::string> faults;         // as written; may be empty (the fixed target)
  std::optional<ViolationKind> violation;  // nullopt = "pass"
  std::string target;                      // "" = any target with these faults
  bool operator==(const Expectation&) const = default;
};

struct Scenario {
  int format = 1;
  std::string name, description, source;
  std::vector<ThreadSpec> threads;  // in file order
  std::vector<VarSpec> vars;        // in order of first appearance (thread order, then step
                                    // order, then the op's field order)
  std::vector<std::string> vms;     // [0] = "main"; then each worker's VM, named after it, in
                                    // thread order; then switch_vm names in order of appearance
  std::vector<Expectation> expect;

  bool operator==(const Scenario&) const = default;

  size_t TotalSteps() const;
  std::optional<size_t> FindThread(std::string_view thread_name) const;
  std::optional<VarId> FindVar(std::string_view var_name) const;
  std::optional<int16_t> FindVm(std::string_view vm_name) const;
};

// What the loader derives from a file, for a scenario built in code (the generator's), which then
// equals what loading its text gives, without a load: `vars` and the VMs switch_vm introduces
// numbered in the orders the comments on Scenario::vars and Scenario::vms give, and each worker
// some spawn step names marked `spawned`. A variable no step names, or a VM no switch_vm
// introduces, is dropped: the loader never has one. GCS_CHECKs that every step names a variable, a
// VM and a thread the scenario has.
void CompleteAsLoaded(Scenario& scenario);

// The expect entries that decide runs of `scenario` on the target named `target` at `version`
// ("" for a target without versions): per fault set, the entry naming "target@version", else the
// one naming "target", else the one naming no target; in the file order of each set's first
// applicable entry. Entries naming other targets are left out; whether the target has the
// entries' faults is the caller's question.
std::vector<const Expectation*> ExpectationsFor(const Scenario& scenario, std::string_view target,
                                                std::string_view version);

}  // namespace gcs
