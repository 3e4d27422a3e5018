// gcstress generator — GenerateScenario and its options: the public face of Generation.
#include "harness/generator/generator.h"

#include <memory>
#include <optional>
#include <string>

#include "core/check.h"
#include "harness/generator/generation.h"
#include "harness/scenario/scenario_loader.h"
#include "harness/scheduler/prng.h"

namespace gcs {

std::optional<InputError> CheckGeneratorOptions(const GeneratorOptions& o) {
  auto error = [](std::string message) {
    return InputError{"<flag>", "--generate", std::move(message)};
  };
  if (o.min_threads < 1) return error("min_threads must be at least 1");
  if (o.max_threads > static_cast<uint32_t>(kMaxThreads)) {
    return error("max_threads " + std::to_string(o.max_threads) + " is above " +
                 std::to_string(kMaxThreads));
  }
  if (o.min_threads > o.max_threads) {
    return error("min_threads " + std::to_string(o.min_threads) + " is above max_threads " +
                 std::to_string(o.max_threads));
  }
  if (o.min_steps > o.max_steps) {
    return error("min_steps " + std::to_string(o.min_steps) + " is above max_steps " +
                 std::to_string(o.max_steps));
  }
  // Every step may bind a new variable: the variable limit bounds the steps too.
  if (uint64_t{o.max_steps} * o.max_threads > kMaxVars) {
    return error("max_steps * max_threads is above " + std::to_string(kMaxVars));
  }
  // main, the workers and the switch_vm names must fit in the format's VM limit.
  if (o.max_switch_vms + static_cast<size_t>(kMaxThreads) >= kMaxVms) {
    return error("max_switch_vms " + std::to_string(o.max_switch_vms) + " is above " +
                 std::to_string(kMaxVms - kMaxThreads - 1));
  }
  bool any = false;
  for (size_t i = 0; i < kOpCount; ++i) {
    if (o.weights[i] > kMaxOpWeight) {
      return error("weight " + std::to_string(o.weights[i]) + " of op \"" +
                   std::string(OpName(static_cast<Op>(i))) + "\" is above the maximum " +
                   std::to_string(kMaxOpWeight));
    }
    any = any || (o.supported_ops.test(i) && o.weights[i] > 0);
  }
  if (!any) return error("no op the target supports has a positive weight");
  return std::nullopt;
}

namespace {

// The seeded source: its own xoshiro256** stream, derived from the seed.
class SeededDraws final : public GeneratorDraws {
 public:
  explicit SeededDraws(uint64_t seed) : rng_(sched::DeriveSeed(seed, 0x67656e)) {}
  uint64_t Below(uint64_t bound) override { return rng_.Below(bound); }

 private:
  sched::Xoshiro256 rng_;
};

}  // namespace

GeneratorOptions SwarmOptions(uint64_t seed, const GeneratorOptions& options) {
  if (!options.swarm) return options;
  // A stream apart from the scenario's own (SeededDraws): with swarm off, a seed gives the
  // scenario it gave before swarm testing existed.
  sched::Xoshiro256 rng(sched::DeriveSeed(seed, 0x737761726d));  // "swarm"
  // One seed in four keeps the whole configuration: a bug that needs many ops at once (a
  // collection racing an enumeration of a linked, dropped cycle needs set, drop, gc and
  // enumerate: one subset in 16) is not made rarer by swarm than by the fixed weights.
  if (rng.Below(4) == 0) return options;
  GeneratorOptions o = options;
  auto usable = [&](size_t i) { return options.supported_ops.test(i) && options.weights[i] > 0; };
  bool any = false;
  for (size_t i = 0; i < kOpCount; ++i) {
    const auto op = static_cast<Op>(i);
    if (op == Op::kNew || op == Op::kDetach) continue;
    if (rng.Below(2) == 1) o.weights[i] = 0;
  }
  o.weights[static_cast<size_t>(Op::kDetach)] =
      o.weights[static_cast<size_t>(Op::kAttach)] > 0
          ? options.weights[static_cast<size_t>(Op::kDetach)]
          : 0;
  for (size_t i = 0; i < kOpCount; ++i)
    any = any || (usable(i) && o.weights[i] > 0);
  if (!any) o.weights = options.weights;
  for (size_t s = 0; s < kShapeCount; ++s) {
    if (rng.Below(2) == 1) o.shapes.reset(s);
  }
  return o;
}

GeneratorScratch::GeneratorScratch()
    : buffers_(std::make_unique<generator_detail::GenerationBuffers>()) {}
GeneratorScratch::~GeneratorScratch() = default;

void GenerateScenarioInto(Scenario& out, GeneratorScratch& scratch, GeneratorDraws& draws,
                          const GeneratorOptions& options, std::string_view name,
                          std::string_view description, GenerationRecord* record) {
  if (auto problem = CheckGeneratorOptions(options)) {
    GCS_CHECK_MSG(false, problem->Format().c_str());
  }
  GenerationRecord ignored;
  generator_detail::Generation(draws, options, record != nullptr ? *record : ignored,
                               scratch.buffers(), out)
      .Run(name, description);
  if (options.check_with_loader) {
    if (auto problem = LoaderDisagreement(out, options.supported_ops)) {
      GCS_CHECK_MSG(false, problem->c_str());
    }
  }
}

Scenario GenerateScenario(GeneratorDraws& draws, const GeneratorOptions& options,
                          const std::string& name, const std::string& description,
                          GenerationRecord* record) {
  Scenario s;
  GeneratorScratch scratch;
  GenerateScenarioInto(s, scratch, draws, options, name, description, record);
  return s;
}

std::optional<std::string> LoaderDisagreement(const Scenario& scenario,
                                              const OpSet& supported_ops) {
  LoadOptions load;
  load.target = "generator";
  load.supported_ops = supported_ops;
  // Read as a draft, not as JSON: the same validation, without the text.
  Expected<Scenario> loaded = NormalizeScenario(scenario, "<generated>", load);
  if (!loaded) return "the generated scenario does not load: " + loaded.error().Format();
  if (!(*loaded == scenario)) return "the generated scenario loads as a different scenario";
  return std::nullopt;
}

Scenario GenerateScenario(uint64_t seed, const GeneratorOptions& options,
                          GenerationRecord* record) {
  SeededDraws draws(seed);
  return GenerateScenario(draws, SwarmOptions(seed, options), "gen-" + std::to_string(seed),
                          DescribeGeneration(seed, options), record);
}

std::string DescribeGeneration(uint64_t seed, const GeneratorOptions& options) {
  // Unsupported ops are never generated, so their weights say nothing about the scenario.
  OpWeights shown = options.weights;
  const OpWeights defaults = DefaultOpWeights();
  for (size_t i = 0; i < kOpCount; ++i) {
    if (!options.supported_ops.test(i)) shown[i] = defaults[i];
  }
  std::string out = "gcstress generator seed " + std::to_string(seed) + ": threads " +
                    std::to_string(options.min_threads) + "-" +
                    std::to_string(options.max_threads) +
                    ", workers <= " + std::to_string(options.max_workers) + ", steps " +
                    std::to_string(options.min_steps) + "-" + std::to_string(options.max_steps) +
                    ", switch VMs <= " + std::to_string(options.max_switch_vms);
  const std::string weights = FormatOpWeights(shown, defaults);
  out += weights.empty() ? ", default weights" : ", weights " + weights;
  if (options.shapes != kAllShapes) {
    out += ", shapes";
    for (const ShapeInfo& info : kShapeTable) {
      if (options.shapes.test(static_cast<size_t>(info.shape))) out += " " + std::string(info.name);
    }
  }
  if (!options.swarm) out += ", no swarm";
  if (options.supported_ops != kAllOps) {
    out += ", ops";
    for (const OpInfo& info : kOpTable) {
      if (options.supported_ops.test(static_cast<size_t>(info.op))) {
        out += " " + std::string(info.json);
      }
    }
  }
  return out;
}

}  // namespace gcs
