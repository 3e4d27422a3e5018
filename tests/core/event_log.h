// gcstress tests — EventLog: an Observer that records core events for assertions.
#pragma once

#include <algorithm>
#include <functional>
#include <mutex>
#include <vector>

#include "core/observer.h"

namespace gcs::core::testing {

class EventLog : public Observer {
 public:
  void OnEvent(const Event& e) override {
    std::lock_guard<std::mutex> guard(mu_);
    events_.push_back(e);
    if (on_event_) on_event_(e);
  }
  std::vector<Event> events() const {
    std::lock_guard<std::mutex> guard(mu_);
    return events_;
  }
  // How many events of `kind` name allocation `obj` (any allocation if obj == 0).
  int Count(EventKind kind, AllocId obj = kNoAlloc) const {
    std::lock_guard<std::mutex> guard(mu_);
    return static_cast<int>(std::count_if(events_.begin(), events_.end(), [&](const Event& e) {
      return e.kind == kind && (obj == kNoAlloc || e.obj == obj);
    }));
  }
  std::vector<Event> Of(EventKind kind) const {
    std::lock_guard<std::mutex> guard(mu_);
    std::vector<Event> out;
    for (const Event& e : events_) {
      if (e.kind == kind) out.push_back(e);
    }
    return out;
  }
  // Allocation ids freed more than once.
  std::vector<AllocId> DoubleFrees() const {
    std::lock_guard<std::mutex> guard(mu_);
    std::vector<AllocId> freed, twice;
    for (const Event& e : events_) {
      if (e.kind != EventKind::kFree) continue;
      if (std::find(freed.begin(), freed.end(), e.obj) != freed.end()) {
        twice.push_back(e.obj);
      } else {
        freed.push_back(e.obj);
      }
    }
    return twice;
  }
  // Called (under the log's lock) on every event, e.g. to stop a faulty sequence at the moment it
  // would touch freed memory.
  void SetOnEvent(std::function<void(const Event&)> f) { on_event_ = std::move(f); }

 private:
  mutable std::mutex mu_;
  std::vector<Event> events_;
  std::function<void(const Event&)> on_event_;
};

}  // namespace gcs::core::testing
