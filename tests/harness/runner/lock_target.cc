// gcstress tests — LockTarget.
#include "tests/harness/runner/lock_target.h"

namespace gcs::testing {
namespace {

std::atomic<uint64_t> global_counter{1};

core::ResourceId LockResource(uint32_t lock) {
  return core::MakeResource(core::ResourceKind::kVmLock, lock);
}

}  // namespace

void LockTarget::Begin(const TargetExecution& exec) {
  hooks_ = exec.hooks;
  owner_[0] = owner_[1] = kFree;
  next_slot_ = 0;
}

void LockTarget::Lock(uint32_t lock, uint32_t thread) {
  while (owner_[lock] != kFree && owner_[lock] != thread)
    hooks_->Wait(LockResource(lock));
  owner_[lock] = thread;
}

void LockTarget::Unlock(uint32_t lock, uint32_t thread) {
  if (owner_[lock] != thread) return;
  owner_[lock] = kFree;
  hooks_->Signal(LockResource(lock));
}

StepResult LockTarget::Apply(const StepRequest& request) {
  const uint32_t t = request.thread;
  switch (request.step->op) {
    case Op::kAttach:
      Lock(0, t);
      break;
    case Op::kDetach:
      Unlock(0, t);
      break;
    case Op::kGc:
      Lock(1, t);
      break;
    case Op::kEnumerate:
      Unlock(1, t);
      break;
    case Op::kNew: {
      StepResult r;
      r.bound = true;
      r.bind.slot = ++next_slot_;
      r.bind.obj = nondeterministic_ ? global_counter.fetch_add(1) : 0;
      return r;
    }
    default:
      break;
  }
  return {};
}

void LockTarget::ThreadEnd(uint32_t thread) {
  Unlock(0, thread);
  Unlock(1, thread);
}

TargetFactory LockTarget::Factory(bool nondeterministic) {
  return [nondeterministic]() -> Expected<std::unique_ptr<Target>> {
    return std::unique_ptr<Target>(std::make_unique<LockTarget>(nondeterministic));
  };
}

}  // namespace gcs::testing
