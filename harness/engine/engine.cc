// gcstress engine — running a scenario's threads on a target and recording the trace.
#include "harness/engine/engine.h"

#include <array>
#include <atomic>
#include <memory>
#include <mutex>
#include <optional>

#include "core/check.h"

namespace gcs {

// The hooks the target gets: forwards to the controller or the free runner while the bodies
// run; outside them (the target's Begin, teardown) only one thread runs, so a schedule point is
// nothing and a wait could never end.
class Engine::Hooks final : public core::SchedHooks {
 public:
  void Set(core::SchedHooks* active) { active_ = active; }
  void Point(const char* site) override {
    if (active_ != nullptr) active_->Point(site);
  }
  void Wait(core::ResourceId resource) override {
    GCS_CHECK_MSG(active_ != nullptr, "a single-threaded phase of the target would block");
    active_->Wait(resource);
  }
  void Signal(core::ResourceId resource) override {
    if (active_ != nullptr) active_->Signal(resource);
  }

 private:
  core::SchedHooks* active_ = nullptr;
};

// Appends trace entries: the target's events, the controller's switches and the engine's steps.
// Free mode appends from parallel threads, so it takes a lock there.
class Engine::Recorder final : public core::Observer, public sched::DecisionListener {
 public:
  Recorder(Trace& trace, ExecutionObserver* observer, bool locked)
      : trace_(trace), observer_(observer), locked_(locked) {}

  // An entry is over a hundred bytes, and under the fuzzer's ASan every whole-entry copy or
  // clear is an intercepted memcpy or memset that checks its ranges: each entry is written once,
  // in place — a copy of `e`, or an event's fields over a cleared entry.
  void Add(const TraceEntry& e) {
    Append(
        [&](std::vector<TraceEntry>& entries) -> TraceEntry& { return entries.emplace_back(e); });
  }
  void OnEvent(const core::Event& event) override {
    Append([&](std::vector<TraceEntry>& entries) -> TraceEntry& {
      TraceEntry& slot = entries.emplace_back();
      slot.kind = TraceEntry::Kind::kEvent;
      slot.thread = event.thread;
      slot.event = event;
      return slot;
    });
  }
  void OnDecision(uint64_t, const char* site, sched::ThreadIndex from,
                  sched::ThreadIndex to) override {
    if (from == to) return;  // kept running: not worth a line
    Add(TraceEntry{.kind = TraceEntry::Kind::kDecision,
                   .thread = from == sched::kNoThread ? to : from,
                   .to = to,
                   .site = site});
  }

 private:
  // Puts a new entry at the end of the trace (under the lock in free mode) and shows it to the
  // observer.
  template <typename Put>
  void Append(const Put& put) {
    std::unique_lock<std::mutex> guard(mu_, std::defer_lock);
    if (locked_) guard.lock();
    const TraceEntry& e = put(trace_.entries);
    if (observer_ != nullptr) observer_->OnEntry(e);
  }
  Trace& trace_;
  ExecutionObserver* observer_;
  const bool locked_;
  std::mutex mu_;
};

struct Engine::Context {
  // Fixed arrays at the format's limits rather than two heap arrays per execution.
  explicit Context(const Scenario& s) : scenario(&s) {
    GCS_CHECK_MSG(s.vms.size() <= kMaxVms && s.threads.size() <= static_cast<size_t>(kMaxThreads),
                  "a scenario beyond the format's limits");
    for (size_t v = 0; v < s.vms.size(); ++v)
      vm_exists[v] = false;
    vm_exists[0] = true;
    for (size_t t = 0; t < s.threads.size(); ++t) {
      started[t] = !s.threads[t].spawned;
      if (s.threads[t].worker) vm_exists[static_cast<size_t>(s.threads[t].vm)] = true;
    }
  }
  const Scenario* scenario = nullptr;
  const EngineOptions* options = nullptr;
  VarTable* vars = nullptr;
  Recorder* recorder = nullptr;
  Hooks* hooks = nullptr;
  std::atomic<uint64_t> steps{0};
  // Scenario-level facts the skip rules need (scenarios/README.md, "Skipped steps"): which VMs
  // exist (main and the workers' from the start, others once a switch_vm made them) and which
  // threads have started.
  std::array<std::atomic<bool>, kMaxVms> vm_exists;
  std::array<std::atomic<bool>, kMaxThreads> started;
};

Engine::Engine(Target& target)
    : Engine(target,
             target.NeedsOsThreads() ? sched::Threading::kOsThreads : sched::Threading::kFibers) {}
Engine::Engine(Target& target, sched::Threading threading)
    : target_(target), controller_(threading), vars_(0) {}
Engine::~Engine() = default;

void Engine::LetGo(Context& ctx, uint32_t thread, const VarTable::Released& released) {
  // The entry comes first: from here on the scenario no longer holds the value, so whatever the
  // target does to it next (a decref, a free) is judged with the value already gone.
  TraceEntry e{.kind = TraceEntry::Kind::kDiscard,
               .thread = thread,
               .var = released.var,
               .value = released.value};
  ctx.recorder->Add(e);
  const StepResult r =
      target_.Discard(thread, ctx.scenario->vars[released.var].kind, released.value);
  if (!r.ok()) {
    e.kind = TraceEntry::Kind::kDiscardError;
    e.error = r.error;
    ctx.recorder->Add(e);
  }
}

namespace {

// The variable fields a step reads (all but "as"), with where their value goes in the request.
struct VarField {
  VarId var;
  Value* slot;
};

size_t ReadFields(const Step& step, StepRequest& req, VarField out[6]) {
  size_t n = 0;
  auto add = [&](VarId v, Value* slot) {
    if (v != kNoVar) out[n++] = VarField{v, slot};
  };
  add(step.obj, &req.obj);
  add(step.to, &req.to);
  add(step.weak, &req.weak);
  add(step.held, &req.held);
  add(step.token, &req.token);
  add(step.from, &req.from);
  return n;
}

}  // namespace

void Engine::RunStep(Context& ctx, uint32_t thread, uint32_t index) {
  const Step& step = ctx.scenario->threads[thread].steps[index];
  ctx.steps.fetch_add(1, std::memory_order_relaxed);
  ctx.recorder->Add(
      TraceEntry{.kind = TraceEntry::Kind::kStepBegin, .thread = thread, .step = index});

  auto skip = [&](VarId var, std::string_view reason) {
    ctx.recorder->Add(TraceEntry{.kind = TraceEntry::Kind::kStepSkipped,
                                 .thread = thread,
                                 .step = index,
                                 .var = var,
                                 .error = reason});
  };
  // A VM that does not exist yet, or a worker that already started: skipped, as for unbound
  // variables, so every schedule of a valid scenario is valid.
  if (step.vm >= 0 && step.op != Op::kSwitchVm && !ctx.vm_exists[static_cast<size_t>(step.vm)]) {
    skip(kNoVar, "vm does not exist yet");
    return;
  }
  if (step.op == Op::kSpawn && ctx.started[static_cast<size_t>(step.worker)].exchange(true)) {
    skip(kNoVar, "worker already started");
    return;
  }

  StepRequest req;
  req.thread = thread;
  req.step = &step;
  VarField fields[6];
  const size_t nfields = ReadFields(step, req, fields);
  uint32_t borrowed[6];
  size_t nborrowed = 0;
  auto end_borrows = [&] {
    for (size_t i = 0; i < nborrowed; ++i) {
      if (auto released = ctx.vars->EndBorrow(borrowed[i])) LetGo(ctx, thread, *released);
    }
    nborrowed = 0;
  };
  for (size_t i = 0; i < nfields; ++i) {
    auto b = ctx.vars->TryBorrow(fields[i].var);
    if (!b) {
      end_borrows();
      skip(fields[i].var, "unbound");
      return;
    }
    borrowed[nborrowed++] = b->binding;
    *fields[i].slot = b->value;
  }

  StepResult result;
  switch (step.op) {
    case Op::kDrop:
      // Unbound at once; the value goes when the last step using it is done (usually this one).
      if (auto released = ctx.vars->Unbind(step.obj)) LetGo(ctx, thread, *released);
      break;
    case Op::kSpawn:
      if (ctx.options->free_mode) {
        free_runner_.Enable(static_cast<sched::ThreadIndex>(step.worker));
      } else {
        controller_.Enable(static_cast<sched::ThreadIndex>(step.worker));
      }
      break;
    default:
      result = target_.Apply(req);
      break;
  }

  if (step.op == Op::kSwitchVm && result.ok()) ctx.vm_exists[static_cast<size_t>(step.vm)] = true;
  if (step.op == Op::kYield && !ctx.options->free_mode) controller_.Yielded();
  TraceEntry end{
      .kind = TraceEntry::Kind::kStepEnd, .thread = thread, .step = index, .error = result.error};
  std::optional<VarTable::Released> old;
  if (result.ok() && step.as != kNoVar && GetOpInfo(step.op).bind != BindKind::kNone) {
    if (result.bound) {
      old = ctx.vars->Bind(step.as, result.bind);
      end.var = step.as;
      end.value = result.bind;
    } else {
      old = ctx.vars->Unbind(step.as);  // e.g. upgrade of a dead weak reference
    }
  }
  ctx.recorder->Add(end);
  if (old) LetGo(ctx, thread, *old);
  end_borrows();
}

void Engine::Body(Context& ctx, uint32_t thread) {
  const ThreadSpec& spec = ctx.scenario->threads[thread];
  target_.ThreadBegin(thread);
  ctx.recorder->Add(TraceEntry{.kind = TraceEntry::Kind::kThreadStart, .thread = thread});
  for (uint32_t i = 0; i < spec.steps.size(); ++i) {
    if (i > 0) ctx.hooks->Point(kStepPointSite);
    if (target_.ThreadStopped(thread)) {
      ctx.recorder->Add(
          TraceEntry{.kind = TraceEntry::Kind::kThreadStop, .thread = thread, .step = i});
      break;
    }
    RunStep(ctx, thread, i);
  }
  target_.ThreadEnd(thread);
  ctx.recorder->Add(TraceEntry{.kind = TraceEntry::Kind::kThreadEnd, .thread = thread});
}

Execution Engine::Run(const Scenario& scenario, const std::vector<std::string>& faults,
                      sched::Strategy& strategy, uint64_t seed, const EngineOptions& options,
                      ExecutionObserver* observer) {
  Execution exec;
  exec.trace.entries.swap(spare_entries_);
  exec.seed = seed;
  exec.free_mode = options.free_mode;
  vars_.Reset(scenario.vars.size());
  Recorder recorder(exec.trace, observer, options.free_mode);
  Hooks hooks;
  Context ctx(scenario);
  ctx.options = &options;
  ctx.vars = &vars_;
  ctx.recorder = &recorder;
  ctx.hooks = &hooks;

  TargetExecution te;
  te.scenario = &scenario;
  te.faults = faults;
  te.hooks = &hooks;
  te.observer = &recorder;
  te.step_timeout = options.step_timeout;
  target_.Begin(te);

  const auto n = static_cast<uint32_t>(scenario.threads.size());
  std::array<bool, kMaxThreads> enabled{};
  for (uint32_t t = 0; t < n; ++t)
    enabled[t] = !scenario.threads[t].spawned;
  const std::span<const bool> start_enabled(enabled.data(), n);
  auto body = [&](sched::ThreadIndex t) { Body(ctx, t); };

  if (options.free_mode) {
    hooks.Set(&free_runner_);
    free_runner_.Run(n, start_enabled, seed, options.yield_per_mille, body);
    hooks.Set(nullptr);
    exec.schedule.seed = seed;
    exec.schedule.strategy = "free";
  } else {
    hooks.Set(&controller_);
    controller_.SetListener(&recorder);
    sched::ExecutionResult r = controller_.Run(n, start_enabled, strategy, seed, body);
    controller_.SetListener(nullptr);
    hooks.Set(nullptr);
    exec.outcome = r.outcome;
    exec.schedule = std::move(r.schedule);
    exec.blocked = std::move(r.blocked);
    exec.strategy_exhausted = r.strategy_exhausted;
  }
  exec.steps = ctx.steps.load();

  if (exec.outcome == sched::ExecutionResult::Outcome::kCompleted) {
    recorder.Add(TraceEntry{.kind = TraceEntry::Kind::kTeardown, .thread = n});
    vars_.UnbindAll(released_);
    for (const VarTable::Released& r : released_)
      LetGo(ctx, n, r);
    target_.Teardown();
    exec.live_after_teardown = target_.LiveObjects();
    exec.torn_down = true;
    if (observer != nullptr) observer->AfterTeardown(target_, exec);
  }
  exec.target_failure = target_.Failure();
  target_.End();
  return exec;
}

void Engine::Recycle(Execution&& spent) {
  spent.trace.entries.clear();
  if (spent.trace.entries.capacity() > spare_entries_.capacity()) {
    spare_entries_.swap(spent.trace.entries);
  }
}

}  // namespace gcs
