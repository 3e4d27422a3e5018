// gcstress generator — Generation's step primitives: each Emit* writes one step and keeps the
// model (variables, VMs, threads' attach state) in step with what it wrote.
#include "harness/generator/generation.h"

namespace gcs::generator_detail {

bool Generation::Emit(uint32_t t, const Step& step) {
  if (!Usable(step.op) || !Room(t)) return false;
  ThreadModel& me = model_[t];
  threads_[t].steps.push_back(step);
  if (me.attached && step.op != Op::kAttach) ++me.attached_for;
  ++tick_;
  return true;
}

VarId Generation::EmitNew(uint32_t t, ObjType type) {
  if (!Usable(Op::kNew) || !Room(t)) return kNoVar;
  const Step step{.op = Op::kNew, .as = BindTarget(BindKind::kHandle, t, false, "o"), .type = type};
  VarModel& v = vars_[step.as];
  v.from_new = v.bindings == 1;
  v.vm = model_[t].vm;
  v.proxy = false;
  v.owner_vm = -1;
  v.live = true;
  model_[t].recent = step.as;
  Emit(t, step);
  return step.as;
}

VarId Generation::BindHandleLike(uint32_t t, const VarModel& from) {
  const VarId as = BindTarget(BindKind::kHandle, t, from.proxy, from.proxy ? "p" : "o");
  VarModel& v = vars_[as];
  v.vm = from.vm;
  v.proxy = from.proxy;
  v.owner_vm = from.owner_vm;
  v.live = true;
  model_[t].recent = as;
  return as;
}

VarId Generation::EmitClone(uint32_t t, VarId x) {
  if (x == kNoVar || vars_[x].sealed || !Usable(Op::kClone) || !Room(t)) return kNoVar;
  vars_[x].aliased = true;
  const VarModel from = vars_[x];
  const Step step{.op = Op::kClone, .obj = x, .as = BindHandleLike(t, from)};
  Emit(t, step);
  return step.as;
}

bool Generation::EmitDrop(uint32_t t, VarId x) {
  if (x == kNoVar) return false;
  if (!Emit(t, Step{.op = Op::kDrop, .obj = x})) return false;
  vars_[x].live = false;
  if (model_[t].recent == x) model_[t].recent = kNoVar;
  return true;
}

bool Generation::EmitSet(uint32_t t, VarId obj, int8_t field, VarId to) {
  if (obj == kNoVar || to == kNoVar || vars_[obj].sealed) return false;
  if (!Emit(t, Step{.op = Op::kSet, .obj = obj, .to = to, .field = field})) return false;
  vars_[obj].has_out = true;
  edges_.emplace_back(obj, to);
  return true;
}

VarId Generation::EmitWeak(uint32_t t, VarId x) {
  if (x == kNoVar || vars_[x].sealed || !Usable(Op::kWeak) || !Room(t)) return kNoVar;
  vars_[x].aliased = true;
  const VarModel from = vars_[x];
  const Step step{
      .op = Op::kWeak, .obj = x, .as = BindTarget(BindKind::kWeak, t, from.proxy, "wk")};
  VarModel& v = vars_[step.as];
  v.vm = from.vm;
  v.proxy = from.proxy;
  v.owner_vm = from.owner_vm;
  Emit(t, step);
  return step.as;
}

VarId Generation::EmitUpgrade(uint32_t t, VarId w) {
  if (w == kNoVar || !Usable(Op::kUpgrade) || !Room(t)) return kNoVar;
  const VarModel from = vars_[w];
  const Step step{.op = Op::kUpgrade, .as = BindHandleLike(t, from), .weak = w};
  Emit(t, step);
  return step.as;
}

bool Generation::EmitUse(uint32_t t, VarId x) {
  if (x == kNoVar) return false;
  return Emit(t, Step{.op = Op::kUse, .obj = x});
}

bool Generation::EmitVmOp(uint32_t t, Op op, int16_t vm) {
  return Emit(t, Step{.op = op, .vm = vm});
}

VarId Generation::EmitExport(uint32_t t, VarId x, int16_t vm) {
  if (x == kNoVar || vars_[x].sealed || !Usable(Op::kExport) || !Room(t)) return kNoVar;
  vars_[x].aliased = true;
  vars_[x].exported_to.push_back(vm);
  const int16_t owner = vars_[x].vm;
  const Step step{
      .op = Op::kExport, .obj = x, .as = BindTarget(BindKind::kHandle, t, true, "p"), .vm = vm};
  VarModel& p = vars_[step.as];
  p.vm = vm;
  p.proxy = true;
  p.owner_vm = owner;
  p.live = true;
  p.called = false;
  Emit(t, step);
  return step.as;
}

bool Generation::EmitCall(uint32_t t, VarId proxy, VarId from) {
  if (proxy == kNoVar) return false;
  if (!Emit(t, Step{.op = Op::kCall, .obj = proxy, .from = from})) return false;
  vars_[proxy].called = true;
  return true;
}

bool Generation::EmitRelease(uint32_t t, VarId proxy) {
  if (proxy == kNoVar) return false;
  if (!Emit(t, Step{.op = Op::kRelease, .obj = proxy})) return false;
  vars_[proxy].live = false;
  return true;
}

bool Generation::EmitPlain(uint32_t t, Op op) {
  if (!Emit(t, Step{.op = op})) return false;
  ThreadModel& me = model_[t];
  if (op == Op::kAttach) {
    me.attached = true;
    me.attached_for = 0;
  } else if (op == Op::kDetach) {
    me.attached = false;
  }
  return true;
}

bool Generation::EmitSwitch(uint32_t t, int16_t vm) {
  if (!Emit(t, Step{.op = Op::kSwitchVm, .vm = vm})) return false;
  if (static_cast<size_t>(vm) == vms_.size()) {
    ++switch_vms_;
    vms_.push_back("v" + std::to_string(switch_vms_));
  }
  ThreadModel& me = model_[t];
  me.left_vm = me.vm;
  me.vm = vm;
  return true;
}

bool Generation::EmitWorkerOp(uint32_t t, Op op, uint32_t worker) {
  if (!Emit(t, Step{.op = op, .worker = static_cast<int16_t>(worker)})) return false;
  if (op == Op::kSpawn && spawner_[worker] < 0) spawner_[worker] = static_cast<int32_t>(t);
  return true;
}

}  // namespace gcs::generator_detail
