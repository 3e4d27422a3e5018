// gcstress tests — ScriptedHooks: drive an interleaving by hand at named core schedule points.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "core/sched_hooks.h"

namespace gcs::core::testing {

// Runs a registered action the n-th time the core reaches a named schedule point, on the thread
// that reached it — so a single-threaded test can play "thread 2 runs here" with a second
// ThreadState. Waits are errors: a scripted single-threaded test must never block.
class ScriptedHooks : public SchedHooks {
 public:
  // `action` runs when `site` is reached for the `nth` time (1-based).
  void At(const std::string& site, int nth, std::function<void()> action) {
    actions_[{site, nth}] = std::move(action);
  }
  void Point(const char* site) override {
    const int n = ++counts_[site];
    sites_.push_back(site);
    auto it = actions_.find({site, n});
    if (it == actions_.end()) return;
    auto action = std::move(it->second);
    actions_.erase(it);
    action();
  }
  void Wait(ResourceId resource) override {
    // Everything runs on one OS thread: nobody could ever release what we wait for.
    std::fprintf(stderr, "ScriptedHooks: a scripted step would block on resource %llx\n",
                 static_cast<unsigned long long>(resource));
    std::abort();
  }
  void Signal(ResourceId) override {}
  int Reached(const std::string& site) const {
    auto it = counts_.find(site);
    return it == counts_.end() ? 0 : it->second;
  }
  const std::vector<std::string>& sites() const { return sites_; }

 private:
  std::map<std::pair<std::string, int>, std::function<void()>> actions_;
  std::map<std::string, int> counts_;
  std::vector<std::string> sites_;
};

}  // namespace gcs::core::testing
