// gcstress generator — Generation: the model of the program being written, the step
// primitives that keep it up to date, and the productions (internal to the generator).
//
// The model is the program as it would stand if the steps ran in the order they are generated:
// which variables exist and of which kind, the VM each handle's object probably lives in, which
// handles were dropped, which objects were exported where, the edges `set` made, and per thread
// its current VM and whether it holds the VM lock. It is only a guide for choosing plausible
// arguments — at run time any interleaving happens and a step whose variable is unbound is
// skipped — but it is what turns uniform noise into the shapes lifetime bugs need.
//
// Productions. The top loop (Run) picks a thread with steps left to write and draws an op by
// weight among the ops that can make sense for it at that point (drop needs some handle, call a
// proxy, detach an attached thread). The op is then written either as one step with chosen
// arguments (generation.cc), or — for some ops, some of the time — as a *shape* it leads
// (shapes.cc): a few steps over one or more threads that form a known lifetime pattern, e.g. an
// attach block in which the owner frees an object another thread clones without the lock.
// Every step a shape writes passes the same test as a drawn op (its op has a positive weight and
// the target supports it), so a weight of 0 still means never; a shape whose essential ops are
// missing is not used.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/check.h"
#include "harness/generator/generator.h"
#include "harness/scenario/scenario.h"

namespace gcs::generator_detail {

struct VarModel {
  std::string name;
  BindKind kind = BindKind::kHandle;
  int16_t vm = 0;                    // the VM its object probably lives in
  bool proxy = false;                // a proxy (bound by export, or a clone/upgrade of one)
  int16_t owner_vm = -1;             // proxy: the VM of the object behind it
  uint32_t binder = 0;               // the thread that bound it first
  bool live = true;                  // no drop or release written since it was last bound
  bool called = false;               // proxy: some call went through it
  uint32_t tick = 0;                 // when (in generation order) it was last bound
  std::vector<int16_t> exported_to;  // handle: the VMs an export sent it to
  // Registry discipline. A registry holds its `held` value strongly; if that object could ever
  // reference the registered target, the target would stay reachable forever — a leak by the
  // registry's own semantics, which the generator must not write (a fixed target would be
  // blamed for it). So `held` is only ever a variable bound once, by `new`, with no edges out
  // and no aliases, and not itself a registered target; from then on it is sealed: no set,
  // clone, weak, export or register takes it as `obj`, and nothing rebinds it. (Two entries
  // holding each other's targets would keep both alive the same way.)
  uint32_t bindings = 0;    // binding steps written for it
  bool from_new = false;    // its (only) binding is a `new`
  bool aliased = false;     // some clone, weak or export took it as `obj`
  bool has_out = false;     // some set took it as `obj`
  bool sealed = false;      // some register holds it
  bool registered = false;  // some register takes it as `obj`
};

struct ThreadModel {
  bool worker = false;
  int16_t vm = 0;  // current VM
  bool attached = false;
  uint32_t attached_for = 0;  // steps written since the attach
  uint32_t target = 0;        // steps the top loop writes for it (shapes may add more)
  int16_t left_vm = -1;       // the VM it most recently switched away from
  VarId recent = kNoVar;      // the handle it bound most recently
};

// The storage a Generation works in besides the scenario it writes, kept by a GeneratorScratch
// from one generation to the next (generator.h): cleared, never shrunk.
struct GenerationBuffers {
  std::vector<ThreadModel> model;
  std::vector<VarModel> vars;
  std::vector<std::pair<VarId, VarId>> edges;
  std::vector<int32_t> spawner;
};

class Generation {
 public:
  // Writes into `out` and works in `buffers`; whatever either held before is overwritten (their
  // memory is reused).
  Generation(GeneratorDraws& draws, const GeneratorOptions& options, GenerationRecord& record,
             GenerationBuffers& buffers, Scenario& out)
      : options_(options),
        draws_(draws),
        record_(record),
        out_(out),
        threads_(out.threads),
        model_(buffers.model),
        vars_(buffers.vars),
        vms_(out.vms),
        edges_(buffers.edges),
        spawner_(buffers.spawner) {}
  void Run(std::string_view name, std::string_view description);

 private:
  // --- draws
  uint64_t Below(uint64_t n) {
    const uint64_t r = draws_.Below(n);
    GCS_CHECK_MSG(r < n, "a GeneratorDraws answered out of range");
    return r;
  }
  bool Chance(uint32_t percent) { return Below(100) < percent; }
  // Index i with probability score(i) / sum; nullopt when every score is 0.
  template <class Score>
  std::optional<size_t> Draw(size_t n, Score&& score) {
    uint64_t total = 0;
    for (size_t i = 0; i < n; ++i)
      total += score(i);
    if (total == 0) return std::nullopt;
    uint64_t r = Below(total);
    for (size_t i = 0; i < n; ++i) {
      const uint64_t s = score(i);
      if (r < s) return i;
      r -= s;
    }
    GCS_CHECK(false);
    return std::nullopt;
  }
  // A variable of `kind` drawn by `score` (0 = never); kNoVar if none qualifies.
  template <class Score>
  VarId PickVar(BindKind kind, Score&& score) {
    auto i = Draw(vars_.size(), [&](size_t v) -> uint64_t {
      return vars_[v].kind == kind ? score(vars_[v]) : 0;
    });
    return i ? static_cast<VarId>(*i) : kNoVar;
  }
  // A thread other than `t` drawn by `score` (0 = never), only among threads with room.
  template <class Score>
  std::optional<uint32_t> PickOtherThread(uint32_t t, Score&& score) {
    auto i = Draw(threads_.size(), [&](size_t o) -> uint64_t {
      return o != t && Room(static_cast<uint32_t>(o)) ? score(static_cast<uint32_t>(o)) : 0;
    });
    if (!i) return std::nullopt;
    return static_cast<uint32_t>(*i);
  }

  // --- the model
  bool Usable(Op op) const {
    const auto i = static_cast<size_t>(op);
    return options_.supported_ops.test(i) && options_.weights[i] > 0;
  }
  bool Room(uint32_t t) const { return threads_[t].steps.size() < options_.max_steps; }
  // Up to 1 + kRecentWindow for a variable bound within the last kRecentWindow steps.
  uint64_t Recency(const VarModel& v) const;
  bool IsWorkerVm(int16_t vm) const { return vm >= 1 && static_cast<size_t>(vm) <= nworkers_; }
  // The thread whose own VM `vm` is (a worker's), if any.
  std::optional<uint32_t> WorkerOf(int16_t vm) const;
  VarId NewVar(BindKind kind, uint32_t t, const char* prefix);
  // The variable a binding step binds: a new name, or now and then one this thread bound before
  // (rebinding releases the old value: garbage).
  VarId BindTarget(BindKind kind, uint32_t t, bool proxy, const char* prefix);
  int16_t NewSwitchVm();

  // --- primitives: write one step for thread t and update the model. Each writes nothing (and
  // returns false / kNoVar) if the op is not usable or the thread is full.
  bool Emit(uint32_t t, const Step& step);
  VarId EmitNew(uint32_t t, ObjType type);
  // Binds a live handle variable of `t` to what `from` refers to (a clone, an upgrade).
  VarId BindHandleLike(uint32_t t, const VarModel& from);
  VarId EmitClone(uint32_t t, VarId x);
  bool EmitDrop(uint32_t t, VarId x);
  bool EmitSet(uint32_t t, VarId obj, int8_t field, VarId to);
  bool EmitUse(uint32_t t, VarId x);
  VarId EmitWeak(uint32_t t, VarId x);           // kNoVar if not written
  VarId EmitUpgrade(uint32_t t, VarId w);        // kNoVar if not written
  bool EmitVmOp(uint32_t t, Op op, int16_t vm);  // gc, enumerate (vm -1: current), destroy_vm
  VarId EmitExport(uint32_t t, VarId x, int16_t vm);
  bool EmitCall(uint32_t t, VarId proxy, VarId from);
  bool EmitRelease(uint32_t t, VarId proxy);
  bool EmitPlain(uint32_t t, Op op);  // attach, detach, yield
  bool EmitSwitch(uint32_t t, int16_t vm);
  bool EmitWorkerOp(uint32_t t, Op op, uint32_t worker);  // spawn, terminate

  // --- productions
  // Which kinds of variable some step has bound so far: what the ops that need an argument ask
  // (one pass over the variables per step, instead of one per op).
  struct VarsPresent {
    bool handle = false;
    bool unsealed_handle = false;  // a handle no register holds (clone, set, weak, register)
    bool exportable = false;       // an unsealed handle that is not a proxy
    bool proxy = false;
    bool weak = false;
    bool token = false;
  };
  VarsPresent Present() const;
  // How much the top loop wants `op` for thread t now: its weight if it can make sense, else 0.
  uint64_t OpWeight(Op op, uint32_t t, const VarsPresent& present) const;
  // One step of `op` with chosen arguments (generation.cc). False if none fit after all.
  bool RandomStep(Op op, uint32_t t);
  bool RandomHandleStep(Op op, uint32_t t);  // new clone drop clear weak upgrade use
  bool RandomSet(uint32_t t);
  bool RandomRegistryStep(Op op, uint32_t t);  // register unregister
  bool RandomProxyStep(Op op, uint32_t t);     // export call release
  bool RandomThreadStep(Op op, uint32_t t);    // gc enumerate attach detach yield switch_vm
                                               // destroy_vm spawn terminate
  // Argument scores: the thread's own VM x3; live (not dropped) x3, times Recency; plain objects
  // over proxies x4.
  uint64_t SameVm(uint32_t t, const VarModel& v) const;
  uint64_t Lively(const VarModel& v) const;
  static uint64_t Plain(const VarModel& v) { return v.proxy ? 1 : 4; }
  // The shape `op` leads (shapes.def), if it is enabled, its percent is drawn and it fits now.
  // False if none was written. One production per shape, named after it (shapes.cc).
  bool Shape(Op op, uint32_t t);
  bool LockedBlock(uint32_t t);
  bool DetachedBorrow(uint32_t t);
  bool GarbageCycle(uint32_t t);
  bool WeakToGarbage(uint32_t t);
  bool CollectWhileEnumerating(uint32_t t);
  bool SharedExport(uint32_t t);
  bool CallThenTerminate(uint32_t t);
  bool SwitchAndDestroy(uint32_t t);
  bool RegistryAroundCollection(uint32_t t);

  const GeneratorOptions& options_;
  GeneratorDraws& draws_;
  GenerationRecord& record_;
  Scenario& out_;
  std::vector<ThreadSpec>& threads_;  // out_.threads
  std::vector<ThreadModel>& model_;
  std::vector<VarModel>& vars_;
  std::vector<std::string>& vms_;  // out_.vms: [0] main, then workers, then switch_vm names
  size_t nworkers_ = 0;            // VMs 1..nworkers_ are the workers'
  uint32_t switch_vms_ = 0;
  std::vector<std::pair<VarId, VarId>>& edges_;  // set obj -> to, as written
  std::vector<int32_t>& spawner_;                // per worker: the thread of its first spawn, or -1
  uint32_t names_[4] = {};                       // per BindKind: the next fresh number
  uint32_t tick_ = 0;                            // steps written so far
};

}  // namespace gcs::generator_detail
