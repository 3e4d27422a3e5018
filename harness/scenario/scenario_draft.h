// gcstress scenario — ScenarioDraft: a scenario as written, by name, before validation.
//
// Every input form has one reader that produces a draft, and every draft is validated once
// (scenario_validation.h) into a Scenario:
//   JSON text or a parsed document  -> DraftFromJson      (scenario_json_reader.h)
//   a Scenario built in memory      -> DraftFromScenario  (the generator, the fuzzers' decoding,
//                                                          the minimizer's edits)
// A reader checks only what its form can get wrong and a draft cannot hold (a JSON value of the
// wrong type, an unknown op, a missing field); names, dangling variables, VM and worker names,
// limits and expectations are the validator's.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "harness/scenario/op.h"
#include "harness/scenario/scenario.h"

namespace gcs {

// One step: the op and, per field of the op (OpInfo::Fields() order), whether the input sets it
// and what it says.
struct DraftStep {
  Op op = Op::kYield;
  std::array<bool, kMaxOpFields> set{};
  std::array<std::string, kMaxOpFields> names;  // variable, VM and worker fields
  int8_t field = -1;                            // a FieldIndex field
  ObjType type = ObjType::kObject;              // a TypeName field
  bool operator==(const DraftStep&) const = default;
};

struct DraftThread {
  std::string name;
  bool worker = false;
  std::vector<DraftStep> steps;
  bool operator==(const DraftThread&) const = default;
};

struct DraftExpectation {
  std::optional<std::string> target;  // "target" as written, if given (even "")
  std::vector<std::string> faults;
  std::optional<ViolationKind> violation;  // nullopt = "pass"
  bool operator==(const DraftExpectation&) const = default;
};

// Where a reader stopped and why: its input said something a draft cannot hold. The draft holds
// everything read before that point (and the element being read, e.g. the step, so that
// validation walks up to it); the validator reports the stop when its walk reaches `stage` at
// the same position, after every check on what comes before. So of all the errors an input
// has, the first in the validator's order is the one reported, whichever side finds it.
struct DraftStop {
  enum class Stage : uint8_t {
    kTop,          // the top level's shape, "format", unknown fields, "name"'s type
    kDescription,  // "description"'s type
    kSource,       // "source"'s type
    kThreads,      // "threads" missing or not an object
    kThread,       // thread `a`'s shape
    kStep,         // step `b` of thread `a`: its shape and op
    kStepFields,   // ... its field names
    kField,        // ... the value of its field `c` (OpInfo::Fields() order), or its absence
    kExpect,       // "expect" not an array
    kEntry,        // expect entry `a`: its shape and "target"'s type
    kFault,        // ... its fault `b` (b = the faults read when "faults" is not an array)
    kResult,       // ... its "result"
  };
  Stage stage = Stage::kTop;
  uint32_t a = 0, b = 0, c = 0;
  std::string pointer;  // JSON pointer, without the validator's prefix
  std::string message;
  bool operator==(const DraftStop&) const = default;
};

struct ScenarioDraft {
  int format = 1;
  std::string name, description, source;
  std::vector<DraftThread> threads;  // once "threads" is read: every thread, by name
  std::vector<DraftExpectation> expect;
  std::optional<DraftStop> stop;
  bool operator==(const ScenarioDraft&) const = default;
};

// `scenario` as a draft, as ScenarioToJson would write it: only the fields its ops have;
// variables, VMs and workers by name. What ScenarioToJson GCS_CHECKs about a scenario (indices in
// range, required fields set) is GCS_CHECKed here too. Never stops.
ScenarioDraft DraftFromScenario(const Scenario& scenario);

// JSON pointers into a draft's document, as the format spells them: a worker's steps are under
// "/steps" ("/threads/w1/steps/0"), a plain thread's directly ("/threads/t1/0").
std::string DraftThreadPointer(const ScenarioDraft& draft, size_t thread);
std::string DraftStepPointer(const ScenarioDraft& draft, size_t thread, size_t step);
std::string DraftFieldPointer(const ScenarioDraft& draft, size_t thread, size_t step, Field field);

// The message for a "format" other than 1, `shown` as the input wrote it.
std::string UnsupportedFormatMessage(const std::string& shown);

}  // namespace gcs
