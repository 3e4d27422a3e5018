// gcstress runner — checking a scenario's expect block.
#include "harness/runner/expect_check.h"

#include <algorithm>

#include <string>
#include <utility>

namespace gcs {
namespace {

std::string Describe(const Expectation& e) {
  std::string faults;
  for (const std::string& f : e.faults)
    faults += (faults.empty() ? "" : ", ") + f;
  const std::string result = e.violation ? std::string(ViolationName(*e.violation)) : "pass";
  return result + " under [" + faults + "]" + (e.target.empty() ? "" : " on " + e.target);
}

// The failure that satisfies `e`, if any.
const Failure* Found(const Expectation& e, const RunSummary& s) {
  for (const Failure& f : s.failures) {
    if (e.violation == f.violation.kind) return &f;
  }
  return nullptr;
}

std::optional<Violation> Mismatch(const Expectation& e, const RunSummary& s) {
  const Failure* got = s.first_failure ? &*s.first_failure : nullptr;
  if (e.violation ? Found(e, s) != nullptr : got == nullptr) return std::nullopt;
  Violation v;
  v.kind = ViolationKind::kExpectMismatch;
  v.phase = "expect";
  v.message = "expected " + Describe(e) + ", got ";
  if (got != nullptr) {
    v.message += std::string(ViolationName(got->violation.kind)) + " at iteration " +
                 std::to_string(got->iteration) + " (" + got->violation.Signature() + ")";
    if (e.violation) {
      v.message += " and no " + std::string(ViolationName(*e.violation)) + " in " +
                   std::to_string(s.iterations) + " iterations";
    }
  } else {
    v.message += "pass after " + std::to_string(s.iterations) + " iterations";
  }
  return v;
}

}  // namespace

Expected<std::vector<ExpectationResult>> CheckExpectations(const Scenario& scenario,
                                                           const RunConfig& base,
                                                           const TargetFactory& factory,
                                                           const RunHooks& hooks) {
  std::vector<Expectation> entries = scenario.expect;
  const bool implicit = entries.empty();
  if (implicit) entries.push_back(Expectation{});
  Expected<std::unique_ptr<Target>> target = factory();
  if (!target) return target.error();
  const std::vector<std::string> ours = (*target)->FaultNames();
  // Per fault set, the entry for this target and version wins over a general one.
  Scenario selecting;
  selecting.expect = entries;
  const std::vector<const Expectation*> chosen =
      ExpectationsFor(selecting, (*target)->Name(), (*target)->Version());
  std::vector<ExpectationResult> results;
  for (const Expectation& e : entries) {
    const bool foreign =
        std::none_of(chosen.begin(), chosen.end(), [&](const Expectation* c) { return *c == e; }) ||
        std::any_of(e.faults.begin(), e.faults.end(), [&](const std::string& f) {
          return std::find(ours.begin(), ours.end(), f) == ours.end();
        });
    if (foreign) {
      ExpectationResult& r = results.emplace_back();
      r.expectation = e;
      r.other_target = true;
      r.ok = true;
      continue;
    }
    RunConfig config = base;
    config.faults = e.faults;
    // A violation entry holds once its kind shows up, whatever showed up before it (a bug's first
    // symptom is often a lesser one: the refcount drift before the double free).
    config.keep_going = e.violation.has_value();
    config.stop_on_kind = e.violation;
    Expected<Runner> runner = Runner::Create(std::move(config), factory);
    if (!runner) return runner.error();
    ExpectationResult& r = results.emplace_back();
    r.expectation = e;
    r.implicit = implicit;
    r.summary = runner->Run(scenario, hooks);
    if (r.summary.stop == StopReason::kInternalError) break;
    r.mismatch = Mismatch(e, r.summary);
    r.ok = !r.mismatch;
  }
  return results;
}

}  // namespace gcs
