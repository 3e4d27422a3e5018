// gcstress generator — GeneratorCoverage: the static footprint of each step (the objects and the
// VM it may act on), the cross-thread pairs and mechanism patterns found from it, the report.
#include "harness/generator/coverage.h"

#include <algorithm>
#include <cstdio>
#include <numeric>

#include "core/check.h"

namespace gcs {
namespace {

bool IsVarKind(FieldKind kind) {
  return kind == FieldKind::kHandleVar || kind == FieldKind::kWeakVar ||
         kind == FieldKind::kTokenVar;
}

// The variable fields an op names, "as" excluded, in its ops.def order.
std::vector<Field> VarFields(Op op) {
  std::vector<Field> out;
  for (const FieldSpec& spec : GetOpInfo(op).Fields()) {
    if (IsVarKind(GetFieldInfo(spec.field).kind)) out.push_back(spec.field);
  }
  return out;
}

// Binds a handle and names no variable: every step of it makes a fresh object.
bool OnlyCreates(Op op) {
  return GetOpInfo(op).bind == BindKind::kHandle && VarFields(op).empty();
}

bool ActsOnAVm(Op op) {
  return VarFields(op).empty() && GetOpInfo(op).bind == BindKind::kNone;
}

// What one step may act on.
struct Footprint {
  Op op = Op::kYield;
  uint32_t thread = 0;
  std::vector<VarId> objects;  // alias classes (their representative variable)
  int16_t vm = -1;             // the VM a VM op acts on
  bool attached = false;       // the thread holds its VM lock at this step
  int16_t current_vm = 0;      // the thread's current VM at this step
  const Step* step = nullptr;
};

class Footprints {
 public:
  explicit Footprints(const Scenario& s) : s_(s), parent_(s.vars.size()) {
    std::iota(parent_.begin(), parent_.end(), VarId{0});
    object_vms_.assign(s.vars.size(), std::vector<bool>(s.vms.size(), false));
    for (uint32_t t = 0; t < s.threads.size(); ++t)
      Walk(t);
    for (Footprint& f : steps_) {
      for (VarId& v : f.objects)
        v = Find(v);
      std::sort(f.objects.begin(), f.objects.end());
      f.objects.erase(std::unique(f.objects.begin(), f.objects.end()), f.objects.end());
    }
    for (VarId v = 0; v < parent_.size(); ++v) {
      const VarId root = Find(v);
      if (root == v) continue;
      for (size_t vm = 0; vm < s.vms.size(); ++vm) {
        if (object_vms_[v][vm]) object_vms_[root][vm] = true;
      }
    }
  }

  const std::vector<Footprint>& steps() const { return steps_; }
  bool LivesIn(VarId object, int16_t vm) const {
    return vm >= 0 && object_vms_[object][static_cast<size_t>(vm)];
  }
  bool Meet(const Footprint& a, const Footprint& b) const {
    if (a.thread == b.thread) return false;
    if (a.vm >= 0 && a.vm == b.vm) return true;
    for (VarId x : a.objects) {
      if (std::binary_search(b.objects.begin(), b.objects.end(), x) || LivesIn(x, b.vm)) {
        return true;
      }
    }
    for (VarId y : b.objects) {
      if (LivesIn(y, a.vm)) return true;
    }
    return false;
  }

 private:
  VarId Find(VarId v) {
    while (parent_[v] != v) {
      parent_[v] = parent_[parent_[v]];
      v = parent_[v];
    }
    return v;
  }
  void Union(VarId a, VarId b) {
    a = Find(a);
    b = Find(b);
    if (a != b) parent_[std::max(a, b)] = std::min(a, b);
  }

  void Walk(uint32_t t) {
    const ThreadSpec& thread = s_.threads[t];
    int16_t current = thread.vm;
    bool attached = false;
    for (const Step& step : thread.steps) {
      Footprint f;
      f.op = step.op;
      f.thread = t;
      f.step = &step;
      f.attached = attached;
      f.current_vm = current;
      for (Field field : VarFields(step.op)) {
        const VarId v = *StepVarSlot(step, field);
        if (v != kNoVar) f.objects.push_back(v);
      }
      if (step.as != kNoVar) {
        if (!f.objects.empty()) Union(step.as, f.objects.front());
        f.objects.push_back(step.as);
        if (OnlyCreates(step.op)) object_vms_[step.as][static_cast<size_t>(current)] = true;
        // The proxy an op with a VM and a binding makes lives in that VM (export).
        if (step.vm >= 0 && GetOpInfo(step.op).bind == BindKind::kHandle && !OnlyCreates(step.op)) {
          object_vms_[step.as][static_cast<size_t>(step.vm)] = true;
        }
      }
      if (ActsOnAVm(step.op)) {
        if (step.vm >= 0) {
          f.vm = step.vm;
        } else if (step.worker >= 0) {
          f.vm = s_.threads[static_cast<size_t>(step.worker)].vm;
        } else {
          f.vm = current;
        }
      }
      if (step.op == Op::kSwitchVm) current = step.vm;
      if (step.op == Op::kAttach) attached = true;
      if (step.op == Op::kDetach) attached = false;
      steps_.push_back(std::move(f));
    }
  }

  const Scenario& s_;
  std::vector<VarId> parent_;
  std::vector<std::vector<bool>> object_vms_;  // by variable, then VM index
  std::vector<Footprint> steps_;
};

// --- per-mechanism patterns

bool Shares(const Footprint& a, const Footprint& b) {
  for (VarId x : a.objects) {
    if (std::binary_search(b.objects.begin(), b.objects.end(), x)) return true;
  }
  return false;
}

// Pairs of footprints (a, b), a != b, in scenario order, satisfying pred.
template <class Pred>
bool AnyPair(const std::vector<Footprint>& fs, Pred&& pred) {
  for (const Footprint& a : fs) {
    for (const Footprint& b : fs) {
      if (&a != &b && pred(a, b)) return true;
    }
  }
  return false;
}

struct MechanismShape {
  MechanismShapeInfo info;
  bool (*find)(const Footprints& f);
};

const MechanismShape kMechanismShapes[] = {
    {{"refpool: clone outside the lock, drop inside it",
      "a thread clones an object without its VM lock while another drops it holding the lock"},
     [](const Footprints& f) {
       return AnyPair(f.steps(), [](const Footprint& a, const Footprint& b) {
         return a.op == Op::kClone && !a.attached && b.op == Op::kDrop && b.attached &&
                a.thread != b.thread && Shares(a, b);
       });
     }},
    {{"collector: gc and enumerate of one VM",
      "two threads: one collects a VM, the other enumerates it"},
     [](const Footprints& f) {
       return AnyPair(f.steps(), [](const Footprint& a, const Footprint& b) {
         return a.op == Op::kGc && b.op == Op::kEnumerate && a.thread != b.thread && a.vm == b.vm;
       });
     }},
    {{"collector: a cycle, then a gc",
      "a set closes a cycle (self, or two objects each set to the other) and its VM is collected"},
     [](const Footprints& f) {
       auto cycle = [&](const Footprint& a) -> bool {
         if (a.op != Op::kSet) return false;
         if (a.step->obj == a.step->to) return true;
         for (const Footprint& b : f.steps()) {
           if (b.op == Op::kSet && &b != &a && b.step->obj == a.step->to &&
               b.step->to == a.step->obj)
             return true;
         }
         return false;
       };
       for (const Footprint& a : f.steps()) {
         if (!cycle(a)) continue;
         for (const Footprint& g : f.steps()) {
           if (g.op == Op::kGc && !a.objects.empty() && f.LivesIn(a.objects.front(), g.vm)) {
             return true;
           }
         }
       }
       return false;
     }},
    {{"registry: register and unregister around another thread's gc",
      "an entry registered and unregistered while another thread collects its object's VM"},
     [](const Footprints& f) {
       for (const Footprint& r : f.steps()) {
         if (r.op != Op::kRegister || r.step->as == kNoVar) continue;
         for (const Footprint& u : f.steps()) {
           if (u.op != Op::kUnregister || !Shares(r, u)) continue;
           for (const Footprint& g : f.steps()) {
             if (g.op != Op::kGc || g.thread == r.thread) continue;
             for (VarId x : r.objects) {
               if (f.LivesIn(x, g.vm)) return true;
             }
           }
         }
       }
       return false;
     }},
    {{"proxies: one object exported twice to one VM",
      "two exports of the same object to the same VM (two proxies, one export table entry)"},
     [](const Footprints& f) {
       return AnyPair(f.steps(), [](const Footprint& a, const Footprint& b) {
         return a.op == Op::kExport && b.op == Op::kExport && a.step->vm == b.step->vm &&
                Shares(a, b);
       });
     }},
    {{"proxies: one object exported to two VMs", "two exports of the same object to different VMs"},
     [](const Footprints& f) {
       return AnyPair(f.steps(), [](const Footprint& a, const Footprint& b) {
         return a.op == Op::kExport && b.op == Op::kExport && a.step->vm != b.step->vm &&
                Shares(a, b);
       });
     }},
    {{"proxies: a proxy let go while another thread uses one of the same object",
      "release or drop of a proxy in one thread, use of a proxy of the same object in another"},
     [](const Footprints& f) {
       return AnyPair(f.steps(), [](const Footprint& a, const Footprint& b) {
         return (a.op == Op::kRelease || a.op == Op::kDrop) && b.op == Op::kUse &&
                a.thread != b.thread && a.step->obj != b.step->obj && Shares(a, b);
       });
     }},
    {{"workers: a call into a worker another thread terminates",
      "a call through a proxy of an object living in a worker's VM, and a terminate of it"},
     [](const Footprints& f) {
       return AnyPair(f.steps(), [&](const Footprint& a, const Footprint& b) {
         if (a.op != Op::kCall || b.op != Op::kTerminate || a.thread == b.thread) return false;
         for (VarId x : a.objects) {
           if (f.LivesIn(x, b.vm)) return true;
         }
         return false;
       });
     }},
    {{"VMs: switch away, then destroy the VM left",
      "a thread switches from a VM to another; some thread destroys the one it left"},
     [](const Footprints& f) {
       return AnyPair(f.steps(), [](const Footprint& a, const Footprint& b) {
         return a.op == Op::kSwitchVm && b.op == Op::kDestroyVm && a.current_vm != a.vm &&
                b.vm == a.current_vm;
       });
     }},
};

std::string PairName(Op a, Op b) {
  return std::string(OpName(a)) + "+" + std::string(OpName(b));
}

}  // namespace

std::optional<std::string> PairExclusion(Op a, Op b, const OpSet& supported) {
  for (Op op : {a, b}) {
    if (!supported.test(static_cast<size_t>(op))) {
      return std::string(OpName(op)) + " is not an op of the target";
    }
  }
  if (OnlyCreates(a) && OnlyCreates(b)) {
    return "both only create (bind a handle, name no variable): two creations are two objects";
  }
  return std::nullopt;
}

OpPairSet CrossThreadPairs(const Scenario& s) {
  const Footprints f(s);
  OpPairSet out;
  const std::vector<Footprint>& steps = f.steps();
  for (size_t i = 0; i < steps.size(); ++i) {
    for (size_t j = i + 1; j < steps.size(); ++j) {
      if (OnlyCreates(steps[i].op) && OnlyCreates(steps[j].op)) continue;
      if (f.Meet(steps[i], steps[j])) out.set(PairIndex(steps[i].op, steps[j].op));
    }
  }
  return out;
}

std::vector<MechanismShapeInfo> MechanismShapes() {
  std::vector<MechanismShapeInfo> out;
  for (const MechanismShape& m : kMechanismShapes)
    out.push_back(m.info);
  return out;
}

std::vector<bool> FindMechanismShapes(const Scenario& s) {
  const Footprints f(s);
  std::vector<bool> out;
  for (const MechanismShape& m : kMechanismShapes)
    out.push_back(m.find(f));
  return out;
}

void GeneratorCoverage::Add(const Scenario& s, const GenerationRecord& record) {
  ++scenarios;
  const OpPairSet reached = CrossThreadPairs(s);
  for (size_t i = 0; i < reached.size(); ++i)
    pairs[i] += reached.test(i) ? 1 : 0;
  for (size_t i = 0; i < kShapeCount; ++i)
    shapes[i] += record.shapes_written[i] > 0 ? 1 : 0;
  const std::vector<bool> found = FindMechanismShapes(s);
  for (size_t i = 0; i < found.size(); ++i)
    mechanism_shapes[i] += found[i] ? 1 : 0;
}

namespace {

// Every allowed pair {a, b}, a <= b in ops.def order, in that order.
template <class Fn>
void ForEachPair(const OpSet& supported, bool allowed, Fn&& fn) {
  for (size_t i = 0; i < kOpCount; ++i) {
    for (size_t j = i; j < kOpCount; ++j) {
      const auto a = static_cast<Op>(i), b = static_cast<Op>(j);
      if (PairExclusion(a, b, supported).has_value() != allowed) fn(a, b);
    }
  }
}

}  // namespace

size_t GeneratorCoverage::AllowedPairs() const {
  size_t n = 0;
  ForEachPair(supported, true, [&](Op, Op) { ++n; });
  return n;
}

size_t GeneratorCoverage::ReachedPairs() const {
  size_t n = 0;
  ForEachPair(supported, true, [&](Op a, Op b) { n += pairs[PairIndex(a, b)] > 0 ? 1 : 0; });
  return n;
}

uint64_t GeneratorCoverage::Floor() const {
  uint64_t floor = UINT64_MAX;
  ForEachPair(supported, true,
              [&](Op a, Op b) { floor = std::min(floor, pairs[PairIndex(a, b)]); });
  return floor == UINT64_MAX ? 0 : floor;
}

std::vector<std::pair<Op, Op>> GeneratorCoverage::FloorPairs() const {
  const uint64_t floor = Floor();
  std::vector<std::pair<Op, Op>> out;
  ForEachPair(supported, true, [&](Op a, Op b) {
    if (pairs[PairIndex(a, b)] == floor) out.emplace_back(a, b);
  });
  return out;
}

std::string FormatCoverage(const GeneratorCoverage& c, const std::string& title) {
  std::string out = title + "\n";
  char line[256];
  out +=
      "\ncross-thread op pairs (scenarios in which steps of two threads may act on one object):\n";
  ForEachPair(c.supported, true, [&](Op a, Op b) {
    std::snprintf(line, sizeof line, "  %-10s %-10s %8llu\n", std::string(OpName(a)).c_str(),
                  std::string(OpName(b)).c_str(),
                  static_cast<unsigned long long>(c.pairs[PairIndex(a, b)]));
    out += line;
  });
  out += "\nnot allowed (never on one object from two threads):\n";
  ForEachPair(c.supported, false, [&](Op a, Op b) {
    // An unsupported op excludes every pair it is in: said once per op, not once per pair.
    const std::string reason = *PairExclusion(a, b, c.supported);
    const bool unsupported_a = !c.supported.test(static_cast<size_t>(a));
    const bool unsupported_b = !c.supported.test(static_cast<size_t>(b));
    if (unsupported_a || unsupported_b) {
      if (a != b || !unsupported_a) return;
      out += "  " + std::string(OpName(a)) + " with any op: " + reason + "\n";
      return;
    }
    std::snprintf(line, sizeof line, "  %-10s %-10s %s\n", std::string(OpName(a)).c_str(),
                  std::string(OpName(b)).c_str(), reason.c_str());
    out += line;
  });
  out += "\ngenerator shapes (scenarios in which the generator wrote it):\n";
  for (const ShapeInfo& info : kShapeTable) {
    std::snprintf(line, sizeof line, "  %-26s %8llu\n", std::string(info.name).c_str(),
                  static_cast<unsigned long long>(c.shapes[static_cast<size_t>(info.shape)]));
    out += line;
  }
  out += "\nmechanism shapes (scenarios that contain the pattern):\n";
  const std::vector<MechanismShapeInfo> mechanisms = MechanismShapes();
  for (size_t i = 0; i < mechanisms.size(); ++i) {
    std::snprintf(line, sizeof line, "  %-72s %8llu\n", std::string(mechanisms[i].name).c_str(),
                  static_cast<unsigned long long>(c.mechanism_shapes[i]));
    out += line;
  }
  const std::vector<std::pair<Op, Op>> at_floor = c.FloorPairs();
  std::string names;
  for (size_t i = 0; i < at_floor.size() && i < 8; ++i)
    names += (i ? ", " : "") + PairName(at_floor[i].first, at_floor[i].second);
  if (at_floor.size() > 8) names += ", ... (" + std::to_string(at_floor.size()) + " pairs)";
  out += "\npairs: " + std::to_string(c.ReachedPairs()) + "/" + std::to_string(c.AllowedPairs()) +
         " allowed reached; floor " + std::to_string(c.Floor()) + " of " +
         std::to_string(c.scenarios) + " scenarios (" + names + ")\n";
  return out;
}

nlohmann::ordered_json CoverageToJson(const GeneratorCoverage& c) {
  nlohmann::ordered_json j;
  j["gcstress_gen_coverage"] = 1;
  j["scenarios"] = c.scenarios;
  auto pairs = nlohmann::ordered_json::array();
  ForEachPair(c.supported, true, [&](Op a, Op b) {
    pairs.push_back({{"ops", {OpName(a), OpName(b)}}, {"scenarios", c.pairs[PairIndex(a, b)]}});
  });
  j["pairs"] = std::move(pairs);
  auto excluded = nlohmann::ordered_json::array();
  ForEachPair(c.supported, false, [&](Op a, Op b) {
    excluded.push_back(
        {{"ops", {OpName(a), OpName(b)}}, {"reason", *PairExclusion(a, b, c.supported)}});
  });
  j["not_allowed"] = std::move(excluded);
  auto shapes = nlohmann::ordered_json::object();
  for (const ShapeInfo& info : kShapeTable)
    shapes[std::string(info.name)] = c.shapes[static_cast<size_t>(info.shape)];
  j["shapes"] = std::move(shapes);
  auto mechanisms = nlohmann::ordered_json::object();
  const std::vector<MechanismShapeInfo> infos = MechanismShapes();
  for (size_t i = 0; i < infos.size(); ++i)
    mechanisms[std::string(infos[i].name)] = c.mechanism_shapes[i];
  j["mechanism_shapes"] = std::move(mechanisms);
  auto floor_pairs = nlohmann::ordered_json::array();
  for (const auto& [a, b] : c.FloorPairs())
    floor_pairs.push_back({OpName(a), OpName(b)});
  j["summary"] = {{"allowed", c.AllowedPairs()},
                  {"reached", c.ReachedPairs()},
                  {"floor", c.Floor()},
                  {"floor_pairs", std::move(floor_pairs)}};
  return j;
}

}  // namespace gcs
