// gcstress generator — Generation: the model, single-step productions and the top loop (the step
// primitives are in primitives.cc).
#include "harness/generator/generation.h"

#include <algorithm>
#include <array>

namespace gcs::generator_detail {
namespace {

// Percentages of the argument heuristics. Not options: they shape scenarios, they do not select
// which ops appear (weights do that).
constexpr uint32_t kRebindPercent = 15;          // "as" reuses a name: the old value is garbage
constexpr uint32_t kSubclassPercent = 35;        // new ... type subclass
constexpr uint32_t kDropRecentPercent = 45;      // drop what this thread bound last
constexpr uint32_t kSelfCyclePercent = 25;       // set o[f] = o
constexpr uint32_t kCloseCyclePercent = 40;      // set a[f] = b where b already references a
constexpr uint32_t kNamedVmPercent = 25;         // gc / enumerate name a VM
constexpr uint32_t kHeldPercent = 40;            // register ... held
constexpr uint32_t kTokenPercent = 60;           // register ... as
constexpr uint32_t kFromPercent = 65;            // call ... from
constexpr uint32_t kNewVmPercent = 55;           // switch_vm to a name not used yet
constexpr uint32_t kDestroyLeftPercent = 65;     // destroy_vm the VM this thread switched away from
constexpr uint32_t kLastStepDetachPercent = 90;  // detach at the last step if still attached
// Variables bound within the last kRecentWindow written steps are preferred as arguments, up to
// (1 + kRecentWindow) times: steps written close together tend to run close together (threads
// advance at similar rates under random and PCT schedules), which is what makes "T2 clones the
// object T1 just made, before T1 drops it" likely.
constexpr uint32_t kRecentWindow = 6;

}  // namespace

uint64_t Generation::Recency(const VarModel& v) const {
  const uint32_t age = tick_ - v.tick;
  return 1 + (age < kRecentWindow ? kRecentWindow - age : 0);
}

std::optional<uint32_t> Generation::WorkerOf(int16_t vm) const {
  for (size_t i = 0; i < threads_.size(); ++i) {
    if (threads_[i].worker && threads_[i].vm == vm) return static_cast<uint32_t>(i);
  }
  return std::nullopt;
}

VarId Generation::NewVar(BindKind kind, uint32_t t, const char* prefix) {
  VarModel v;
  v.kind = kind;
  v.name = prefix + std::to_string(names_[static_cast<size_t>(kind)]++);
  v.binder = t;
  v.tick = tick_;
  v.bindings = 1;
  vars_.push_back(std::move(v));
  return static_cast<VarId>(vars_.size() - 1);
}

VarId Generation::BindTarget(BindKind kind, uint32_t t, bool proxy, const char* prefix) {
  if (Chance(kRebindPercent)) {
    const VarId old = PickVar(kind, [&](const VarModel& v) -> uint64_t {
      return v.binder == t && v.proxy == proxy && !v.sealed ? 1 : 0;
    });
    if (old != kNoVar) {
      VarModel& v = vars_[old];
      ++v.bindings;
      v.from_new = false;
      v.tick = tick_;
      v.exported_to.clear();
      v.called = false;
      return old;
    }
  }
  return NewVar(kind, t, prefix);
}

// Only the index: EmitSwitch names the VM when it writes the switch. A name made for a switch that
// is then not written (its thread full, after a shape's first steps) would let a later gc or
// destroy_vm name a VM no switch_vm introduces, which the loader refuses.
int16_t Generation::NewSwitchVm() {
  return static_cast<int16_t>(vms_.size());
}

// --- single-step productions

Generation::VarsPresent Generation::Present() const {
  VarsPresent p;
  for (const VarModel& v : vars_) {
    switch (v.kind) {
      case BindKind::kHandle:
        p.handle = true;
        p.unsealed_handle = p.unsealed_handle || !v.sealed;
        p.exportable = p.exportable || (!v.proxy && !v.sealed);
        p.proxy = p.proxy || v.proxy;
        break;
      case BindKind::kWeak:
        p.weak = true;
        break;
      case BindKind::kToken:
        p.token = true;
        break;
      case BindKind::kNone:
        break;
    }
  }
  return p;
}

uint64_t Generation::OpWeight(Op op, uint32_t t, const VarsPresent& present) const {
  if (!Usable(op)) return 0;
  const uint64_t w = options_.weights[static_cast<size_t>(op)];
  const ThreadModel& me = model_[t];
  switch (op) {
    case Op::kNew:
    case Op::kGc:
    case Op::kEnumerate:
    case Op::kYield:
    case Op::kDestroyVm:
      return w;
    case Op::kDrop:
    case Op::kClear:
    case Op::kUse:
      return present.handle ? w : 0;
    case Op::kClone:
    case Op::kSet:
    case Op::kWeak:
    case Op::kRegister:
      return present.unsealed_handle ? w : 0;
    case Op::kUpgrade:
      return present.weak ? w : 0;
    case Op::kUnregister:
      return present.token ? w : 0;
    case Op::kExport:
      return vms_.size() >= 2 && present.exportable ? w : 0;
    case Op::kCall:
    case Op::kRelease:
      return present.proxy ? w : 0;
    case Op::kAttach:
      return me.attached ? 0 : w;
    case Op::kDetach:
      // Blocks stay short: the longer a thread holds the lock, the likelier it lets go.
      return me.attached ? w * (1 + std::min<uint32_t>(me.attached_for, 4)) : 0;
    case Op::kSwitchVm:
      return !me.attached && (switch_vms_ < options_.max_switch_vms || vms_.size() >= 2) ? w : 0;
    case Op::kSpawn:
      if (me.worker) return 0;  // only plain threads spawn: no worker waits on another forever
      {
        bool started_elsewhere = false;
        for (size_t i = 0; i < threads_.size(); ++i) {
          if (threads_[i].worker && spawner_[i] < 0) return w;
          started_elsewhere =
              started_elsewhere || (threads_[i].worker && spawner_[i] != static_cast<int32_t>(t));
        }
        // A second spawn of a worker another thread spawns: two threads racing to start it (the
        // later one is skipped). Rarer than a first spawn.
        return started_elsewhere ? (w + 2) / 3 : 0;
      }
    case Op::kTerminate:
      for (size_t i = 0; i < threads_.size(); ++i) {
        if (threads_[i].worker && i != t) return w;
      }
      return 0;
  }
  return 0;
}

uint64_t Generation::SameVm(uint32_t t, const VarModel& v) const {
  return v.vm == model_[t].vm ? 3 : 1;
}

uint64_t Generation::Lively(const VarModel& v) const {
  return (v.live ? 3 : 1) * Recency(v);
}

bool Generation::RandomStep(Op op, uint32_t t) {
  switch (op) {
    case Op::kSet:
      return RandomSet(t);
    case Op::kRegister:
    case Op::kUnregister:
      return RandomRegistryStep(op, t);
    case Op::kExport:
    case Op::kCall:
    case Op::kRelease:
      return RandomProxyStep(op, t);
    case Op::kGc:
    case Op::kEnumerate:
    case Op::kAttach:
    case Op::kDetach:
    case Op::kYield:
    case Op::kSwitchVm:
    case Op::kDestroyVm:
    case Op::kSpawn:
    case Op::kTerminate:
      return RandomThreadStep(op, t);
    default:
      return RandomHandleStep(op, t);
  }
}

bool Generation::RandomHandleStep(Op op, uint32_t t) {
  ThreadModel& me = model_[t];
  switch (op) {
    case Op::kNew:
      return EmitNew(t, Chance(kSubclassPercent) ? ObjType::kSubclass : ObjType::kObject) != kNoVar;
    case Op::kClone:
      // Mostly another thread's object: the clone is then often made without its VM's lock.
      return EmitClone(t, PickVar(BindKind::kHandle, [&](const VarModel& v) -> uint64_t {
                         return v.sealed ? 0 : (v.binder != t ? 3 : 1) * Lively(v) * SameVm(t, v);
                       })) != kNoVar;
    case Op::kDrop:
      if (me.recent != kNoVar && vars_[me.recent].live && Chance(kDropRecentPercent)) {
        return EmitDrop(t, me.recent);
      }
      return EmitDrop(t, PickVar(BindKind::kHandle, [&](const VarModel& v) -> uint64_t {
                        return (v.live ? 4 : 1) * (v.binder == t ? 2 : 1) * Recency(v);
                      }));
    case Op::kClear: {
      // Designated initializers are evaluated in order: the variable is drawn before the field.
      const Step step{
          .op = op,
          .obj = PickVar(BindKind::kHandle,
                         [&](const VarModel& v) -> uint64_t { return Plain(v) * SameVm(t, v); }),
          .field = static_cast<int8_t>(Below(kMaxFields))};
      return Emit(t, step);
    }
    case Op::kWeak:
      return EmitWeak(t, PickVar(BindKind::kHandle, [&](const VarModel& v) -> uint64_t {
                        return v.sealed ? 0 : Lively(v) * SameVm(t, v);
                      })) != kNoVar;
    case Op::kUpgrade:
      return EmitUpgrade(t, PickVar(BindKind::kWeak,
                                    [&](const VarModel& v) { return SameVm(t, v); })) != kNoVar;
    case Op::kUse:
      return EmitUse(t, PickVar(BindKind::kHandle, [&](const VarModel& v) -> uint64_t {
                       return (v.proxy ? 3 : 1) * Lively(v);
                     }));
    default:
      GCS_CHECK_MSG(false, "not a handle op");
      return false;
  }
}

// Self-cycles, cycles closed through an existing edge, or a link to an object of the same VM.
bool Generation::RandomSet(uint32_t t) {
  const VarId obj = PickVar(BindKind::kHandle, [&](const VarModel& v) -> uint64_t {
    return v.sealed ? 0 : Plain(v) * SameVm(t, v) * Lively(v);
  });
  if (obj == kNoVar) return false;
  const auto field = static_cast<int8_t>(Below(kMaxFields));
  const int16_t vm = vars_[obj].vm;
  VarId to = kNoVar;
  std::vector<VarId> closing;  // variables whose object already references obj's
  for (const auto& [from, dest] : edges_) {
    if (dest == obj && from != obj) closing.push_back(from);
  }
  if (Chance(kSelfCyclePercent)) {
    to = obj;
  } else if (!closing.empty() && Chance(kCloseCyclePercent)) {
    to = closing[Below(closing.size())];
  } else {
    to = PickVar(BindKind::kHandle, [&](const VarModel& v) -> uint64_t {
      return (v.vm == vm ? 6 : 1) * Plain(v) * Lively(v);
    });
  }
  return EmitSet(t, obj, field, to);
}

bool Generation::RandomRegistryStep(Op op, uint32_t t) {
  if (op == Op::kUnregister) {
    return Emit(
        t, Step{.op = op, .token = PickVar(BindKind::kToken, [](const VarModel&) { return 1; })});
  }
  Step step{.op = op, .obj = PickVar(BindKind::kHandle, [&](const VarModel& v) -> uint64_t {
                        return v.sealed ? 0 : Lively(v) * SameVm(t, v) * Plain(v);
                      })};
  if (step.obj == kNoVar) return false;
  const VarId target = step.obj;
  vars_[target].registered = true;
  const int16_t vm = vars_[target].vm;
  if (Chance(kHeldPercent)) {
    // Only a pristine object may be held (VarModel, "registry discipline").
    step.held = PickVar(BindKind::kHandle, [&](const VarModel& v) -> uint64_t {
      const bool pristine =
          v.bindings == 1 && v.from_new && !v.aliased && !v.has_out && !v.registered;
      return &v != &vars_[target] && v.vm == vm && pristine ? 1 : 0;
    });
    if (step.held != kNoVar) vars_[step.held].sealed = true;
  }
  if (Chance(kTokenPercent)) {
    step.as = BindTarget(BindKind::kToken, t, false, "tok");
    vars_[step.as].vm = vm;
  }
  return Emit(t, step);
}

bool Generation::RandomProxyStep(Op op, uint32_t t) {
  switch (op) {
    case Op::kExport: {
      // Often an object that is already exported somewhere: the same object in two VMs' proxies.
      const VarId x = PickVar(BindKind::kHandle, [&](const VarModel& v) -> uint64_t {
        if (v.proxy || v.sealed) return 0;
        const bool again = !v.exported_to.empty() && v.exported_to.size() + 1 < vms_.size();
        return (again ? 4 : 1) * Lively(v) * SameVm(t, v);
      });
      if (x == kNoVar) return false;
      const VarModel& from = vars_[x];
      auto dest = Draw(vms_.size(), [&](size_t vm) -> uint64_t {
        const auto index = static_cast<int16_t>(vm);
        if (index == from.vm) return 0;
        const bool already = std::find(from.exported_to.begin(), from.exported_to.end(), index) !=
                             from.exported_to.end();
        return (already ? 1 : 4) * (vm == 0 || IsWorkerVm(index) ? 2 : 1);
      });
      return dest && EmitExport(t, x, static_cast<int16_t>(*dest)) != kNoVar;
    }
    case Op::kCall: {
      const VarId proxy = PickVar(BindKind::kHandle, [&](const VarModel& v) -> uint64_t {
        return v.proxy ? Lively(v) * SameVm(t, v) : 0;
      });
      if (proxy == kNoVar) return false;
      const int16_t vm = vars_[proxy].vm;
      VarId from = kNoVar;
      if (Chance(kFromPercent)) {
        from = PickVar(BindKind::kHandle, [&](const VarModel& v) -> uint64_t {
          return v.vm == vm && !v.proxy ? Lively(v) : 0;
        });
      }
      return EmitCall(t, proxy, from);
    }
    case Op::kRelease:
      return EmitRelease(t, PickVar(BindKind::kHandle, [&](const VarModel& v) -> uint64_t {
                           return v.proxy ? Lively(v) : 0;
                         }));
    default:
      GCS_CHECK_MSG(false, "not a proxy op");
      return false;
  }
}

bool Generation::RandomThreadStep(Op op, uint32_t t) {
  const ThreadModel& me = model_[t];
  switch (op) {
    case Op::kGc:
    case Op::kEnumerate:
      return EmitVmOp(t, op,
                      Chance(kNamedVmPercent) ? static_cast<int16_t>(Below(vms_.size())) : -1);
    case Op::kAttach:
    case Op::kDetach:
    case Op::kYield:
      return EmitPlain(t, op);
    case Op::kSwitchVm: {
      if (switch_vms_ < options_.max_switch_vms && (vms_.size() < 2 || Chance(kNewVmPercent))) {
        return EmitSwitch(t, NewSwitchVm());
      }
      auto vm = Draw(vms_.size(), [&](size_t v) -> uint64_t {
        return static_cast<int16_t>(v) == me.vm ? 0 : 1;
      });
      return vm && EmitSwitch(t, static_cast<int16_t>(*vm));
    }
    case Op::kDestroyVm:
      return EmitVmOp(t, op,
                      me.left_vm >= 0 && Chance(kDestroyLeftPercent)
                          ? me.left_vm
                          : static_cast<int16_t>(Below(vms_.size())));
    case Op::kSpawn: {
      auto w = Draw(threads_.size(), [&](size_t i) -> uint64_t {
        if (!threads_[i].worker) return 0;
        return spawner_[i] < 0 ? 4 : spawner_[i] != static_cast<int32_t>(t) ? 1 : 0;
      });
      return w && EmitWorkerOp(t, op, static_cast<uint32_t>(*w));
    }
    case Op::kTerminate: {
      // Preferably a worker that owns an object some proxy called into.
      auto w = Draw(threads_.size(), [&](size_t i) -> uint64_t {
        if (!threads_[i].worker || i == t) return 0;
        for (const VarModel& v : vars_) {
          if (v.proxy && v.called && v.owner_vm == threads_[i].vm) return 6;
        }
        return 1;
      });
      return w && EmitWorkerOp(t, op, static_cast<uint32_t>(*w));
    }
    default:
      GCS_CHECK_MSG(false, "not a thread op");
      return false;
  }
}

// --- the top loop

void Generation::Run(std::string_view name, std::string_view description) {
  const uint32_t nthreads =
      options_.min_threads +
      static_cast<uint32_t>(Below(options_.max_threads - options_.min_threads + 1));
  // Workers only for targets with worker ops: a worker nobody spawns or terminates is just a
  // thread in its own VM, and targets without them (cpython) have no worker model.
  const bool workers_possible = options_.supported_ops.test(static_cast<size_t>(Op::kSpawn)) ||
                                options_.supported_ops.test(static_cast<size_t>(Op::kTerminate));
  const uint32_t max_workers = workers_possible ? std::min(options_.max_workers, nthreads - 1) : 0;
  nworkers_ = static_cast<uint32_t>(Below(max_workers + 1));
  const size_t nplain = nthreads - nworkers_;

  // Storage up front, and reused: this runs once per fuzz case, and under the fuzzer's ASan every
  // allocation or regrowth is a copy, a quarantined free and a recorded stack. A GeneratorScratch
  // and a recycled scenario bring back the previous generation's vectors; their elements are
  // overwritten here, keeping the threads' step storage. Room() caps a thread's steps at
  // max_steps.
  out_.format = 1;
  out_.name = name;
  out_.description = description;
  out_.source.clear();
  out_.expect.clear();
  out_.vars.clear();
  threads_.resize(nthreads);
  model_.clear();
  model_.reserve(nthreads);
  vars_.clear();
  edges_.clear();
  vms_.clear();
  vms_.reserve(1 + nworkers_ + options_.max_switch_vms);
  vms_.push_back("main");
  for (uint32_t i = 0; i < nthreads; ++i) {
    ThreadSpec& spec = threads_[i];  // `spawned` is CompleteAsLoaded's to set
    spec.worker = false;
    spec.vm = 0;
    spec.steps.clear();
    spec.steps.reserve(options_.max_steps);
    ThreadModel m;
    if (i < nplain) {
      spec.name = "t" + std::to_string(i);
    } else {
      spec.name = "w" + std::to_string(i - nplain + 1);
      spec.worker = true;
      spec.vm = static_cast<int16_t>(vms_.size());
      vms_.push_back(spec.name);
      m.worker = true;
      m.vm = spec.vm;
    }
    m.target = options_.min_steps +
               static_cast<uint32_t>(Below(options_.max_steps - options_.min_steps + 1));
    model_.push_back(m);
  }
  spawner_.assign(nthreads, -1);
  // Most steps bind at most one variable; a guess, not a bound (shapes may write more).
  uint32_t planned = 0;
  for (const ThreadModel& m : model_)
    planned += m.target;
  vars_.reserve(planned);

  // One global order: a random thread with steps left to write takes the next production.
  std::array<uint32_t, kMaxThreads> attempts{};  // nthreads <= kMaxThreads (CheckGeneratorOptions)
  std::array<uint64_t, kOpCount> op_weights{};
  while (true) {
    auto t = Draw(nthreads, [&](size_t i) -> uint64_t {
      return threads_[i].steps.size() < model_[i].target && attempts[i] < model_[i].target ? 1 : 0;
    });
    if (!t) break;
    const auto thread = static_cast<uint32_t>(*t);
    ++attempts[thread];  // bounds the loop even when nothing fits
    ThreadModel& me = model_[thread];
    const bool last = threads_[thread].steps.size() + 1 == me.target;
    const VarsPresent present = Present();
    if (last && me.attached && OpWeight(Op::kDetach, thread, present) > 0 &&
        Chance(kLastStepDetachPercent)) {
      EmitPlain(thread, Op::kDetach);
      continue;
    }
    for (size_t i = 0; i < kOpCount; ++i)
      op_weights[i] = OpWeight(static_cast<Op>(i), thread, present);
    auto op = Draw(kOpCount, [&](size_t i) { return op_weights[i]; });
    if (!op) continue;  // nothing this thread can do (only ops that need missing variables)
    if (!Shape(static_cast<Op>(*op), thread)) RandomStep(static_cast<Op>(*op), thread);
  }

  // Blocks still open at the end (a shape may have written past a thread's last drawn step):
  // closed the same way as at a last step, so attach/detach stay mostly paired.
  for (uint32_t t = 0; t < nthreads; ++t) {
    if (model_[t].attached && Chance(kLastStepDetachPercent)) EmitPlain(t, Op::kDetach);
  }

  out_.vars.reserve(vars_.size());
  for (VarModel& v : vars_)
    out_.vars.push_back(VarSpec{std::move(v.name), v.kind});

  // Variables and VMs in the loader's order: the scenario is then what loading its text gives.
  CompleteAsLoaded(out_);
}

}  // namespace gcs::generator_detail
