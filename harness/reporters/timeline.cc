// gcstress reporters — the timeline: columns, lifetimes and histories from a trace.
#include "harness/reporters/timeline.h"

#include <map>
#include <string>

#include "harness/scenario/scenario_encoder.h"

namespace gcs::reporters {
namespace {

using Kind = TraceEntry::Kind;

std::string VarName(const Scenario& s, VarId v) {
  return v < s.vars.size() ? s.vars[v].name : std::string("?");
}

class Builder {
 public:
  Builder(const Scenario& s, const Trace& trace) : s_(s), trace_(trace) {
    const size_t lanes = s.threads.size() + 1;
    open_.assign(lanes, -1);
    last_.assign(lanes, -1);
    t_.column_of_entry.assign(trace.entries.size(), -1);
    for (const ThreadSpec& th : s.threads) {
      ThreadEntry te;
      te.name = th.name;
      te.worker = th.worker;
      for (const Step& step : th.steps)
        te.steps.push_back(ThreadStep{FormatStep(s, step), "not-run", -1});
      t_.threads.push_back(std::move(te));
    }
  }

  Timeline Build() {
    for (size_t i = 0; i < trace_.entries.size(); ++i)
      Enter(i, trace_.entries[i]);
    for (auto& [id, obj] : objects_)
      t_.objects.push_back(obj);
    for (size_t c = 0; c < t_.steps.size(); ++c) {
      const StepEntry& col = t_.steps[c];
      if (col.step < 0 || col.lane >= t_.threads.size()) continue;
      auto& steps = t_.threads[col.lane].steps;
      if (static_cast<size_t>(col.step) < steps.size()) {
        steps[static_cast<size_t>(col.step)].result = col.result;
        steps[static_cast<size_t>(col.step)].column = static_cast<int64_t>(c);
      }
    }
    return std::move(t_);
  }

 private:
  int64_t NewColumn(size_t i, uint32_t lane, int64_t step, std::string label, std::string result) {
    StepEntry col;
    col.lane = lane;
    col.step = step;
    col.label = std::move(label);
    col.result = std::move(result);
    col.first_entry = col.last_entry = i;
    t_.steps.push_back(std::move(col));
    const auto c = static_cast<int64_t>(t_.steps.size() - 1);
    last_[lane] = c;
    return c;
  }

  // The column an entry outside a step of `lane` joins: the lane's latest one, or a new one.
  int64_t Join(size_t i, uint32_t lane) {
    if (open_[lane] >= 0) return open_[lane];
    if (last_[lane] >= 0) return last_[lane];
    if (lane == s_.threads.size()) {
      open_[lane] = NewColumn(i, lane, -1, "setup", "setup");
      return open_[lane];
    }
    return NewColumn(i, lane, -1, "(outside a step)", "ok");
  }

  void Attach(size_t i, int64_t c) {
    t_.column_of_entry[i] = c;
    StepEntry& col = t_.steps[static_cast<size_t>(c)];
    if (i > col.last_entry) col.last_entry = i;
  }

  void Enter(size_t i, const TraceEntry& e) {
    const uint32_t lane =
        e.thread < s_.threads.size() ? e.thread : static_cast<uint32_t>(s_.threads.size());
    switch (e.kind) {
      case Kind::kStepBegin: {
        std::string label = "?";
        if (lane < s_.threads.size() && e.step < s_.threads[lane].steps.size()) {
          label = FormatStep(s_, s_.threads[lane].steps[e.step]);
        }
        open_[lane] = NewColumn(i, lane, e.step, std::move(label), "running");
        Attach(i, open_[lane]);
        return;
      }
      case Kind::kStepEnd: {
        const int64_t c = open_[lane] >= 0 ? open_[lane] : Join(i, lane);
        StepEntry& col = t_.steps[static_cast<size_t>(c)];
        col.result = e.error.empty() ? "ok" : "error";
        col.detail = std::string(e.error);
        if (e.var != kNoVar) {
          col.detail += (col.detail.empty() ? "" : ", ") + VarName(s_, e.var) + "=#" +
                        std::to_string(e.value.obj);
        }
        Attach(i, c);
        open_[lane] = -1;
        return;
      }
      case Kind::kStepSkipped: {
        std::string label = "?";
        if (lane < s_.threads.size() && e.step < s_.threads[lane].steps.size()) {
          label = FormatStep(s_, s_.threads[lane].steps[e.step]);
        }
        const int64_t c = NewColumn(i, lane, e.step, std::move(label), "skipped");
        t_.steps[static_cast<size_t>(c)].detail =
            (e.var != kNoVar ? VarName(s_, e.var) + " " : std::string()) + std::string(e.error);
        Attach(i, c);
        open_[lane] = -1;
        return;
      }
      case Kind::kThreadStop: {
        const int64_t c = NewColumn(i, lane, e.step, "stopped: worker terminated", "stopped");
        Attach(i, c);
        open_[lane] = -1;
        return;
      }
      case Kind::kTeardown:
        torn_down_ = true;
        open_[lane] = NewColumn(i, lane, -1, "teardown", "teardown");
        Attach(i, open_[lane]);
        return;
      case Kind::kDiscard:
      case Kind::kDiscardError: {
        const std::string what =
            "release " + VarName(s_, e.var) +
            (e.kind == Kind::kDiscard ? "=#" + std::to_string(e.value.obj)
                                      : " (error " + std::string(e.error) + ")");
        int64_t c;
        if (lane == s_.threads.size() && torn_down_) {
          c = NewColumn(i, lane, -1, what, "teardown");
          open_[lane] = c;
        } else {
          c = Join(i, lane);
          t_.steps[static_cast<size_t>(c)].events.push_back(what);
        }
        Attach(i, c);
        return;
      }
      case Kind::kEvent: {
        const int64_t c = Join(i, lane);
        t_.steps[static_cast<size_t>(c)].events.push_back(FormatEvent(e.event));
        Attach(i, c);
        Track(e.event, c);
        return;
      }
      case Kind::kDecision:
      case Kind::kThreadStart:
      case Kind::kThreadEnd:
        t_.column_of_entry[i] = t_.steps.empty() ? -1 : static_cast<int64_t>(t_.steps.size() - 1);
        return;
    }
  }

  void Track(const core::Event& ev, int64_t c) {
    if (ev.obj == core::kNoAlloc) return;
    if (ev.kind == core::EventKind::kAlloc) {
      ObjectEntry& o = objects_[ev.obj];
      o.id = ev.obj;
      o.vm = ev.vm == core::kNoVm ? -1 : ev.vm;
      o.alloc_column = c;
    } else if (ev.kind == core::EventKind::kTypeRegister) {
      // A VM's builtin types (the type of types, and the types allocated as its instances).
      objects_[ev.obj].type_object = true;
    } else if (ev.kind == core::EventKind::kFree) {
      ObjectEntry& o = objects_[ev.obj];
      o.id = ev.obj;
      if (o.frees++ == 0) o.free_column = c;
    }
  }

  const Scenario& s_;
  const Trace& trace_;
  Timeline t_;
  std::vector<int64_t> open_;  // per lane: the column of its step in progress
  std::vector<int64_t> last_;  // per lane: its latest column
  std::map<uint64_t, ObjectEntry> objects_;
  bool torn_down_ = false;
};

// What an event means for the allocation `id`.
std::string HistoryWhat(const core::Event& ev, uint64_t id) {
  const std::string name(core::EventKindName(ev.kind));
  if (ev.obj != id) return name + " of #" + std::to_string(ev.obj) + " (as its other object)";
  const std::string sign = ev.value > 0 ? "+" + std::to_string(ev.value) : std::to_string(ev.value);
  switch (ev.kind) {
    case core::EventKind::kAlloc:
      return "created";
    case core::EventKind::kFree:
      return "freed";
    case core::EventKind::kIncref:
      return "incref -> " + std::to_string(ev.value);
    case core::EventKind::kDecref:
      return "decref -> " + std::to_string(ev.value);
    case core::EventKind::kPoolQueue:
      return "queued " + sign + " in the reference pool";
    case core::EventKind::kPoolApply:
      return "applied queued " + sign;
    case core::EventKind::kFinalize:
      return "finalized";
    case core::EventKind::kCollectUnreachable:
      return "found unreachable by the collector";
    case core::EventKind::kUse:
      return "used";
    default:
      return name;
  }
}

}  // namespace

Timeline BuildTimeline(const Scenario& scenario, const Trace& trace) {
  return Builder(scenario, trace).Build();
}

std::vector<HistoryEntry> BuildHistories(const Scenario& scenario, const Trace& trace,
                                         const Timeline& timeline, const std::set<uint64_t>& ids) {
  std::vector<HistoryEntry> out;
  bool torn_down = false;
  for (size_t i = 0; i < trace.entries.size(); ++i) {
    const TraceEntry& e = trace.entries[i];
    if (e.kind == Kind::kTeardown) torn_down = true;
    std::vector<std::pair<uint64_t, std::string>> hits;
    if (e.kind == Kind::kEvent) {
      if (ids.count(e.event.obj) != 0)
        hits.emplace_back(e.event.obj, HistoryWhat(e.event, e.event.obj));
      if (e.event.other != e.event.obj && ids.count(e.event.other) != 0) {
        hits.emplace_back(e.event.other, HistoryWhat(e.event, e.event.other));
      }
    } else if (e.kind == Kind::kStepEnd && e.var != kNoVar && ids.count(e.value.obj) != 0) {
      hits.emplace_back(e.value.obj, "bound to " + VarName(scenario, e.var));
    } else if (e.kind == Kind::kDiscard && ids.count(e.value.obj) != 0) {
      hits.emplace_back(e.value.obj, "released " + VarName(scenario, e.var));
    }
    if (hits.empty()) continue;
    const int64_t column = i < timeline.column_of_entry.size() ? timeline.column_of_entry[i] : -1;
    int64_t step = -1;
    if (column >= 0) step = timeline.steps[static_cast<size_t>(column)].step;
    for (auto& [obj, what] : hits) {
      HistoryEntry h;
      h.obj = obj;
      h.trace_index = i;
      h.column = column;
      h.thread = TraceThreadName(scenario, e.thread, torn_down);
      h.step = e.thread < scenario.threads.size() ? step : -1;
      h.what = std::move(what);
      h.text = FormatTraceEntry(scenario, e, torn_down);
      out.push_back(std::move(h));
    }
  }
  return out;
}

}  // namespace gcs::reporters
