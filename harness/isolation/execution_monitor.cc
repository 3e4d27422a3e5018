// gcstress isolation — ExecutionMonitor: trace entries and decisions into the page.
#include "harness/isolation/execution_monitor.h"

#include <sys/syscall.h>
#include <unistd.h>

namespace gcs::isolation {
namespace {

constexpr auto kRelaxed = std::memory_order_relaxed;

}  // namespace

void ExecutionMonitor::BeginExecution(uint64_t seed, uint32_t num_threads,
                                      std::string_view spec_override, ExecutionObserver* inner) {
  inner_ = inner;
  region_.BeginExecution(seed, num_threads);
  override_spec_ = !spec_override.empty();
  if (override_spec_) region_.SetSpec(spec_override);
}

sched::Strategy& ExecutionMonitor::Wrap(sched::Strategy& inner) {
  strategy_.inner_ = &inner;
  return strategy_;
}

void ExecutionMonitor::SetState(ExecState state) {
  region_.page().state.store(static_cast<uint32_t>(state), kRelaxed);
}

void ExecutionMonitor::Judging() {
  region_.page().progress.fetch_add(1, kRelaxed);
  SetState(ExecState::kJudge);
}

void ExecutionMonitor::EndExecution() {
  region_.page().progress.fetch_add(1, kRelaxed);
  SetState(ExecState::kIdle);
  inner_ = nullptr;
}

void ExecutionMonitor::OnEntry(const TraceEntry& entry) {
  ProgressPage& p = region_.page();
  p.progress.fetch_add(1, kRelaxed);
  const uint32_t t = entry.thread;
  ThreadSlot* slot = t < p.num_threads.load(kRelaxed) ? &p.threads[t] : nullptr;
  auto set_thread = [&](ThreadState state) {
    if (slot != nullptr) slot->state.store(static_cast<uint32_t>(state), kRelaxed);
  };
  switch (entry.kind) {
    case TraceEntry::Kind::kThreadStart:
      if (slot != nullptr) slot->tid.store(static_cast<int32_t>(::syscall(SYS_gettid)), kRelaxed);
      set_thread(ThreadState::kBetweenSteps);
      if (p.state.load(kRelaxed) == static_cast<uint32_t>(ExecState::kSetup)) {
        SetState(ExecState::kSteps);
      }
      break;
    case TraceEntry::Kind::kStepBegin:
      if (slot != nullptr) slot->step.store(entry.step, kRelaxed);
      set_thread(ThreadState::kInStep);
      p.running.store(t, kRelaxed);
      break;
    case TraceEntry::Kind::kStepEnd:
    case TraceEntry::Kind::kStepSkipped:
      set_thread(ThreadState::kBetweenSteps);
      break;
    case TraceEntry::Kind::kThreadStop:
    case TraceEntry::Kind::kThreadEnd:
      set_thread(ThreadState::kFinished);
      break;
    case TraceEntry::Kind::kDecision:
      p.running.store(entry.to, kRelaxed);
      break;
    case TraceEntry::Kind::kTeardown:
      SetState(ExecState::kTeardown);
      p.running.store(t, kRelaxed);
      break;
    default:
      break;
  }
  if (inner_ != nullptr) inner_->OnEntry(entry);
}

void ExecutionMonitor::AfterTeardown(Target& target, const Execution& execution) {
  region_.page().progress.fetch_add(1, kRelaxed);
  if (inner_ != nullptr) inner_->AfterTeardown(target, execution);
}

void ExecutionMonitor::Strategy::BeginExecution(uint64_t seed, uint32_t num_threads) {
  inner_->BeginExecution(seed, num_threads);
  if (!monitor_.override_spec_) monitor_.region_.SetSpec(inner_->Spec());
}

sched::ThreadIndex ExecutionMonitor::Strategy::NextThread(
    std::span<const sched::ThreadIndex> runnable, sched::ThreadIndex current,
    bool current_runnable) {
  const sched::ThreadIndex next = inner_->NextThread(runnable, current, current_runnable);
  monitor_.region_.AppendDecision(sched::ThreadDecision(next));
  monitor_.region_.page().running.store(next, kRelaxed);
  return next;
}

uint64_t ExecutionMonitor::Strategy::NextU64() {
  const uint64_t v = inner_->NextU64();
  monitor_.region_.AppendDecision(sched::DrawDecision(v));
  return v;
}

}  // namespace gcs::isolation
