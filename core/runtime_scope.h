// gcstress core — Runtime::Scope: the implicit VM lock guard of one operation (internal).
#pragma once

#include "core/runtime.h"
#include "core/vm.h"

namespace gcs::core {

// The implicit lock guard of one operation on one VM ("with_gil"). If the thread is attached to
// the VM it already holds the lock; if it is attached elsewhere the operation is refused (a
// thread never holds two VM locks); otherwise the guard enters the VM, takes its lock and runs a
// safe point, and gives both back when it goes.
class Runtime::Scope {
 public:
  Scope(Runtime& rt, ThreadState& ts, VmIndex index) : rt_(rt) {
    vm_ = rt.env_.vm(index);
    if (vm_ == nullptr) {
      status_ = Status::kNoSuchVm;
      return;
    }
    if (ts.attached_vm == index) return;
    if (ts.attached_vm != kNoVm) {
      status_ = Status::kAttachedElsewhere;
      return;
    }
    vm_->inside.fetch_add(1);
    status_ = rt.EnterState(vm_);
    if (status_ != Status::kOk) {
      vm_->LeaveInside(rt.env_.hooks);
      return;
    }
    vm_->lock.Lock(rt.env_.hooks);
    implicit_ = true;
    rt.SafePointWork(ts, *vm_);
  }
  ~Scope() {
    if (implicit_) vm_->UnlockInside(rt_.env_.hooks);
  }
  Scope(const Scope&) = delete;
  Scope& operator=(const Scope&) = delete;

  Status status() const { return status_; }
  bool ok() const { return status_ == Status::kOk; }
  Vm& vm() const { return *vm_; }
  // Gives the lock up while staying inside the VM (another VM's lock is needed next), and back.
  void Suspend() { vm_->lock.Unlock(rt_.env_.hooks); }
  void Resume() { vm_->lock.Lock(rt_.env_.hooks); }

 private:
  Runtime& rt_;
  Vm* vm_ = nullptr;
  Status status_ = Status::kOk;
  bool implicit_ = false;
};

}  // namespace gcs::core
