// gcstress scheduler — tests: small programs run under the Controller, logging their interleaving.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "harness/scheduler/controller.h"
#include "harness/scheduler/strategy.h"

namespace gcs::sched::testing {

// `threads` threads of `steps` steps; a step is Point("step") followed by appending "t:i" to the
// log (and, with draws, the engine-style draw "t:i=d" where d = NextU64() % 10). The log is the
// execution's interleaving: two executions with equal logs ran the steps in the same order.
class StepProgram {
 public:
  StepProgram(Controller& controller, uint32_t threads, uint32_t steps, bool draws = false)
      : controller_(controller), threads_(threads), steps_(steps), draws_(draws) {}

  ExecutionResult Run(Strategy& strategy, uint64_t seed) {
    log_.clear();
    return controller_.Run(threads_, {}, strategy, seed, [this](ThreadIndex t) {
      for (uint32_t i = 0; i < steps_; ++i) {
        controller_.Point("step");
        std::string entry = std::to_string(t) + ":" + std::to_string(i);
        if (draws_) entry += "=" + std::to_string(controller_.NextU64() % 10);
        log_.push_back(entry);
      }
    });
  }

  // "0:0 1:0 0:1 ..."
  std::string Log() const {
    std::string out;
    for (const std::string& entry : log_)
      out += (out.empty() ? "" : " ") + entry;
    return out;
  }

 private:
  Controller& controller_;
  uint32_t threads_;
  uint32_t steps_;
  bool draws_;
  std::vector<std::string> log_;  // appended only by the running thread
};

// Counts preemptions — switches away from a thread that is still runnable, i.e. decisions at a
// Point whose `to` differs from `from` (not at "start", "wait" or "finish") — and records every
// decision as "from>to@site".
class DecisionLog final : public DecisionListener {
 public:
  void OnDecision(uint64_t /*point*/, const char* site, ThreadIndex from, ThreadIndex to) override {
    const std::string s(site);
    if (s != "start" && s != "wait" && s != "finish" && from != to) ++preemptions;
    entries.push_back(std::to_string(from) + ">" + std::to_string(to) + "@" + s);
  }
  uint32_t preemptions = 0;
  std::vector<std::string> entries;
};

}  // namespace gcs::sched::testing
