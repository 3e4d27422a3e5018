// gcstress minimizer — the edits the minimizer tries on a scenario, each keeping it valid.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "harness/scenario/scenario.h"
#include "harness/scenario/scenario_loader.h"

namespace gcs {

// Every edit returns the edited scenario as the loader gives it back (variables and VMs
// renumbered, `spawned` recomputed), or nullopt when the edit cannot be made valid. Before
// validating, an edit repairs what it broke, so that as few candidates as possible are lost:
//   - a step whose required variable field names a variable no remaining step binds goes too
//     (and so on, until nothing changes); an optional one ("held", "from") is cleared;
//   - a step naming a VM that no remaining switch_vm introduces goes, except that the optional
//     "vm" of gc and enumerate is cleared.
// Removing a step never removes a thread; removing a thread remaps the worker indices of the
// others' spawn and terminate steps.

// The loader's view of `s`: NormalizeScenario(s), that is ScenarioFromJson(ScenarioToJson(s)),
// nullopt if it refuses it.
std::optional<Scenario> Revalidate(const Scenario& s, const LoadOptions& options);

// Each thread keeps only its first keep[t] steps (keep.size() == threads).
std::optional<Scenario> TruncateThreads(const Scenario& s, std::span<const uint32_t> keep,
                                        const LoadOptions& options);

// Without step `index` of thread `thread`.
std::optional<Scenario> RemoveStep(const Scenario& s, size_t thread, size_t index,
                                   const LoadOptions& options);

// Without every step of `thread`; the thread itself goes too when nothing refers to it (no
// spawn or terminate names it, and for a worker no step names its VM), else it stays empty.
// *removed_thread says which happened.
std::optional<Scenario> RemoveThreadSteps(const Scenario& s, size_t thread, bool* removed_thread,
                                          const LoadOptions& options);

// Without `thread`, which must have no steps and be named by no step; nullopt otherwise.
std::optional<Scenario> RemoveEmptyThread(const Scenario& s, size_t thread,
                                          const LoadOptions& options);

// A simplification of one step's arguments: clear an optional field, a field index to 0, a
// subclass to a plain object.
struct ArgumentEdit {
  enum class Kind : uint8_t { kClearHeld, kClearFrom, kClearAs, kClearVm, kFieldZero, kPlainType };
  size_t thread = 0;
  size_t index = 0;
  Kind kind = Kind::kClearHeld;
};

// Every argument edit `s` admits, thread by thread, step by step, in the order of Kind.
std::vector<ArgumentEdit> ArgumentEdits(const Scenario& s);
std::optional<Scenario> ApplyArgumentEdit(const Scenario& s, const ArgumentEdit& edit,
                                          const LoadOptions& options);

// How much simplifiable argument `s` carries: optional fields set, non-zero field indices,
// subclass types. The argument pass only accepts edits that lower it.
size_t ArgumentWeight(const Scenario& s);

}  // namespace gcs
