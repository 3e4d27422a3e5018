// gcstress target — the core adapter: scenario ops onto gcs::core::Runtime.
#include "harness/targets/core/core_target.h"

#include "core/check.h"

namespace gcs {

OpSet CoreTarget::SupportedOps() const {
  return *BuiltinTargetOps("core");
}

std::vector<std::string> CoreTarget::FaultNames() const {
  std::vector<std::string> names;
  for (const core::FaultInfo& f : core::AllFaults())
    names.emplace_back(f.name);
  return names;
}

void CoreTarget::Begin(const TargetExecution& exec) {
  scenario_ = exec.scenario;
  core::RuntimeOptions options;
  for (const std::string& name : exec.faults) {
    auto fault = core::FaultFromName(name);
    GCS_CHECK_MSG(fault.has_value(), "fault names are validated before an execution");
    options.faults.Enable(*fault);
  }
  options.observer = exec.observer;
  options.hooks = exec.hooks;
  rt_ = std::make_unique<core::Runtime>(options);
  threads_.clear();
  for (const ThreadSpec& t : scenario_->threads) {
    threads_.push_back(&rt_->AddThread(static_cast<core::VmIndex>(t.vm)));
  }
  core::ThreadState& teardown = rt_->AddThread(0);
  threads_.push_back(&teardown);
  GCS_CHECK(rt_->CreateVm(teardown, 0, false) == core::Status::kOk);
  for (const ThreadSpec& t : scenario_->threads) {
    if (!t.worker) continue;
    GCS_CHECK(rt_->CreateVm(teardown, static_cast<core::VmIndex>(t.vm), true) == core::Status::kOk);
  }
  slots_.clear();
  slots_.emplace_back();  // slot 0: never a value
}

void CoreTarget::ThreadBegin(uint32_t) {}

Value CoreTarget::Store(const Slot& slot, core::AllocId obj) {
  std::lock_guard<std::mutex> guard(slots_mu_);
  slots_.push_back(slot);
  return Value{static_cast<uint32_t>(slots_.size() - 1), obj};
}

CoreTarget::Slot CoreTarget::Load(const Value& value) {
  std::lock_guard<std::mutex> guard(slots_mu_);
  GCS_CHECK(value.slot > 0 && value.slot < slots_.size());
  return slots_[value.slot];
}

namespace {

StepResult Error(core::Status s) {
  return StepResult{core::StatusName(s)};
}

StepResult FromStatus(core::Status s) {
  return s == core::Status::kOk ? StepResult{} : Error(s);
}

}  // namespace

StepResult CoreTarget::Apply(const StepRequest& request) {
  return Do(request, *threads_[request.thread]);
}

StepResult CoreTarget::Do(const StepRequest& req, core::ThreadState& ts) {
  const Step& step = *req.step;
  auto handle = [&](const Value& v) { return Load(v).handle; };
  auto bind_handle = [&](const core::Result<core::Handle>& r) {
    if (!r.ok()) return Error(r.status());
    StepResult out;
    if (r.value().empty()) return out;
    out.bound = true;
    out.bind = Store(Slot{r.value(), {}, {}}, r.value().id);
    return out;
  };
  auto vm_of = [&](int16_t vm) { return vm < 0 ? ts.current_vm : static_cast<core::VmIndex>(vm); };
  switch (step.op) {
    case Op::kNew:
      return bind_handle(rt_->New(ts, step.type == ObjType::kSubclass ? core::ObjectKind::kSubclass
                                                                      : core::ObjectKind::kPlain));
    case Op::kClone:
      return bind_handle(rt_->Clone(ts, handle(req.obj)));
    case Op::kSet:
      return FromStatus(rt_->SetField(ts, handle(req.obj), step.field, handle(req.to)));
    case Op::kClear:
      return FromStatus(rt_->ClearField(ts, handle(req.obj), step.field));
    case Op::kGc: {
      auto r = rt_->Collect(ts, vm_of(step.vm));
      return r.ok() ? StepResult{} : Error(r.status());
    }
    case Op::kEnumerate: {
      auto r = rt_->Enumerate(ts, vm_of(step.vm));
      return r.ok() ? StepResult{} : Error(r.status());
    }
    case Op::kWeak: {
      auto r = rt_->MakeWeak(ts, handle(req.obj));
      if (!r.ok()) return Error(r.status());
      StepResult out;
      out.bound = true;
      out.bind = Store(Slot{{}, r.value(), {}}, r.value().id);
      return out;
    }
    case Op::kUpgrade:
      return bind_handle(rt_->Upgrade(ts, Load(req.weak).weak));
    case Op::kRegister: {
      const core::Handle held = step.held != kNoVar ? handle(req.held) : core::Handle{};
      auto r = rt_->Register(ts, handle(req.obj), held);
      if (!r.ok()) return Error(r.status());
      StepResult out;
      out.bound = true;
      out.bind = Store(Slot{{}, {}, r.value()}, req.obj.obj);
      return out;
    }
    case Op::kUnregister:
      return FromStatus(rt_->Unregister(ts, Load(req.token).token));
    case Op::kExport:
      return bind_handle(rt_->Export(ts, handle(req.obj), static_cast<core::VmIndex>(step.vm)));
    case Op::kUse:
      return FromStatus(rt_->Use(ts, handle(req.obj)));
    case Op::kCall: {
      const core::Handle from = step.from != kNoVar ? handle(req.from) : core::Handle{};
      auto r = rt_->Call(ts, handle(req.obj), from);
      return r.ok() ? StepResult{} : Error(r.status());
    }
    case Op::kRelease:
      return FromStatus(rt_->Release(ts, handle(req.obj)));
    case Op::kAttach:
      return FromStatus(rt_->Attach(ts));
    case Op::kDetach:
      return FromStatus(rt_->Detach(ts));
    case Op::kSwitchVm:
      return FromStatus(rt_->SwitchVm(ts, static_cast<core::VmIndex>(step.vm)));
    case Op::kDestroyVm:
      return FromStatus(rt_->DestroyVm(ts, static_cast<core::VmIndex>(step.vm)));
    case Op::kTerminate:
      return FromStatus(rt_->Terminate(
          ts, static_cast<core::VmIndex>(scenario_->threads[static_cast<size_t>(step.worker)].vm)));
    case Op::kYield:
      return FromStatus(rt_->SafePoint(ts));
    case Op::kDrop:
    case Op::kSpawn:
      break;  // the engine's own
  }
  GCS_CHECK_MSG(false, "op not handled by the core target");
  return {};
}

StepResult CoreTarget::Discard(uint32_t thread, BindKind kind, const Value& value) {
  if (kind != BindKind::kHandle) return {};  // weak references and tokens hold nothing
  return FromStatus(rt_->Drop(*threads_[thread], Load(value).handle));
}

bool CoreTarget::ThreadStopped(uint32_t thread) {
  const ThreadSpec& t = scenario_->threads[thread];
  return t.worker && rt_->IsTerminated(static_cast<core::VmIndex>(t.vm));
}

void CoreTarget::ThreadEnd(uint32_t thread) {
  rt_->ThreadExit(*threads_[thread]);
}

void CoreTarget::Teardown() {
  core::ThreadState& ts = *threads_.back();
  for (const ThreadSpec& t : scenario_->threads) {
    const auto vm = static_cast<core::VmIndex>(t.vm);
    if (t.worker && rt_->VmAlive(vm)) rt_->Terminate(ts, vm);
  }
  rt_->Quiesce(ts);
}

std::vector<core::AllocId> CoreTarget::LiveObjects() {
  std::vector<core::AllocId> out;
  for (core::AllocId id : rt_->LiveObjects()) {
    auto info = rt_->Inspect(id);
    if (info && info->kind != core::ObjectKind::kType) out.push_back(id);
  }
  return out;
}

std::optional<ObjectState> CoreTarget::Inspect(core::AllocId id) {
  auto info = rt_->Inspect(id);
  if (!info) return std::nullopt;
  return ObjectState{info->id, info->refcount, static_cast<int16_t>(info->vm)};
}

void CoreTarget::End() {
  rt_.reset();
  threads_.clear();
  slots_.clear();
}

}  // namespace gcs
