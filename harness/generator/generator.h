// gcstress generator — GenerateScenario: valid random scenarios from a seed, shaped to reach
// object-lifetime bugs.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "harness/generator/op_weights.h"
#include "harness/generator/shape.h"
#include "harness/input_error.h"
#include "harness/scenario/op.h"
#include "harness/scenario/scenario.h"

namespace gcs {

// What to generate. The defaults below are the only ones: the CLI and the fuzzers start from a
// default-constructed GeneratorOptions and change what the user asked for.
struct GeneratorOptions {
  // Scenario threads, plain and workers together: drawn uniformly in [min_threads, max_threads].
  uint32_t min_threads = 1;
  uint32_t max_threads = 4;
  // Workers among them (each with its own VM), drawn in [0, min(max_workers, threads - 1)]: at
  // least one thread is plain. Only for targets that support spawn or terminate.
  uint32_t max_workers = 2;
  // Steps per thread, drawn uniformly in [min_steps, max_steps] for each thread.
  uint32_t min_steps = 2;
  uint32_t max_steps = 12;
  // VM names switch_vm may introduce ("v1", "v2", ...).
  uint32_t max_switch_vms = 2;
  // How often each op is drawn (op_weights.def; ParseOpWeights for a user's spec).
  OpWeights weights = DefaultOpWeights();
  // The target's ops (Target::SupportedOps): other ops are never generated, whatever their weight.
  OpSet supported_ops = kAllOps;
  // The shapes (shapes.def) the generator may write; the others' lead ops are written as one step.
  ShapeSet shapes = kAllShapes;
  // Swarm testing (Groce et al., ISSTA 2012): the seeded GenerateScenario gives each seed its own
  // random subset of the ops and shapes above (SwarmOptions), so that combinations the fixed
  // weights make rare are dense in some scenarios. The GeneratorDraws overload (the fuzzers) does
  // not: a fuzz input chooses its own weights (harness/fuzzing/fuzz_profile.h).
  bool swarm = true;
  // Whether each scenario is also loaded (NormalizeScenario) and checked to be exactly what the
  // generator wrote: the loader is the definition of valid. The fuzzers turn it off — there a
  // scenario runs once and is thrown away, and the load was an eighth of a case (issue 22) — and
  // check the scenario of a case that found something instead, before they report it; the
  // generator's tests load every scenario of thousands of seeds and fuzz inputs.
  bool check_with_loader = true;
};

// What one generation wrote besides the scenario: how many times each shape was written.
struct GenerationRecord {
  std::array<uint32_t, kShapeCount> shapes_written{};
};

// The options the seeded GenerateScenario uses for `seed` when options.swarm is on: one seed in
// four (drawn first) keeps the options whole; for the others, each op with
// a positive weight that the target supports, and each shape, is kept with probability 1/2 (its
// weight unchanged) or dropped (weight 0), from a stream of its own derived from the seed; options
// with swarm off come back unchanged. Two ops are not drawn on their own: `new` is always kept
// (it is the only op that makes an object from nothing: without it every object op has nothing
// to act on), and `detach` is kept exactly when `attach` is (a block that is never closed holds
// the VM lock to the end: every other thread of that VM would wait forever, a deadlock the
// program wrote, not the target). If nothing usable is left, every usable op is kept.
GeneratorOptions SwarmOptions(uint64_t seed, const GeneratorOptions& options);

// The problem with `options`, if any: bounds out of order or beyond the format's limits
// (scenarios/README.md "Limits"; max_steps * max_threads at most 4096, the variable limit, since
// every step may bind a new variable), or no supported op with a positive weight. InputError
// {"<flag>", "--generate", message}.
std::optional<InputError> CheckGeneratorOptions(const GeneratorOptions& options);

// Where the generator's choices come from. Every choice is one Below call, so a source that
// answers from a byte string (libFuzzer's FuzzedDataProvider::ConsumeIntegralInRange) drives the
// same grammar as a seed does: mutating the bytes mutates the scenario structurally, and any
// answers at all — all zeros once the bytes run out — still give a valid scenario.
class GeneratorDraws {
 public:
  virtual ~GeneratorDraws() = default;
  // A number in [0, bound); bound >= 1. Values out of range are a bug of the source (GCS_CHECK).
  virtual uint64_t Below(uint64_t bound) = 0;
};

// A valid scenario named `name` (it loads back through ScenarioFromJson with
// options.supported_ops), a pure function of the answers `draws` gives and of options: what a
// fuzzer calls. `name` must be a valid scenario name and `description` at most 4096 bytes.
// GCS_CHECKs that the options pass CheckGeneratorOptions and, with options.check_with_loader,
// that the result loads back as itself (LoaderDisagreement).
Scenario GenerateScenario(GeneratorDraws& draws, const GeneratorOptions& options,
                          const std::string& name, const std::string& description = "",
                          GenerationRecord* record = nullptr);

namespace generator_detail {
struct GenerationBuffers;
}  // namespace generator_detail

// The memory one generation leaves for the next: GenerateScenarioInto works in it.
class GeneratorScratch {
 public:
  GeneratorScratch();
  ~GeneratorScratch();
  GeneratorScratch(const GeneratorScratch&) = delete;
  GeneratorScratch& operator=(const GeneratorScratch&) = delete;
  generator_detail::GenerationBuffers& buffers() { return *buffers_; }

 private:
  std::unique_ptr<generator_detail::GenerationBuffers> buffers_;
};

// GenerateScenario into `out`, whatever scenario it held: the same scenario for the same draws,
// options and name, written in the memory `out` and `scratch` kept from earlier generations. For a
// caller that generates one scenario after another (a fuzzer, once per input): it allocates only
// when a scenario outgrows every earlier one.
void GenerateScenarioInto(Scenario& out, GeneratorScratch& scratch, GeneratorDraws& draws,
                          const GeneratorOptions& options, std::string_view name,
                          std::string_view description = "", GenerationRecord* record = nullptr);

// Why `scenario`, generated for a target with `supported_ops`, is not exactly what loading its
// text gives (the loader rejects it, or numbers or fills it differently); nullopt when it is.
// GenerateScenario asks it of every scenario unless options.check_with_loader is off.
std::optional<std::string> LoaderDisagreement(const Scenario& scenario, const OpSet& supported_ops);

// A valid scenario (it loads back through ScenarioFromJson with options.supported_ops), a pure
// function of (seed, options): the same inputs give the same scenario on every platform, byte
// for byte once encoded (the generator draws from its own xoshiro256** stream, never from
// std::*_distribution). Named "gen-<seed>". GCS_CHECKs that the options pass
// CheckGeneratorOptions and that the result loads back. With options.swarm on, the scenario is
// generated from SwarmOptions(seed, options); with it off, from options as they are (the
// generator before swarm testing: the same scenario for a seed as then).
//
// Shape. Threads t0, t1, ... are plain; workers w1, w2, ... follow, each with its VM; switch_vm
// introduces v1, v2, .... Steps are generated in one global order, a random thread at a time, so
// a thread's step may use a variable another thread bound earlier in that order (cross-thread
// sharing). Every step's op is drawn by weight among the ops that can make sense at that point
// (drop needs some handle, call a proxy, detach an attached thread, ...), and its arguments are
// chosen to build the shapes lifetime bugs need: clones of other threads' objects while the owner
// holds the lock, drops of what was just cloned, cycles (self, two-object, through a subclass's
// base fields) whose handles then go, the same object exported to several VMs, calls through
// proxies into workers that others terminate, and switches to new VMs followed by destroying the
// VM left behind. Variables are only ever used after some step bound them, so every name is
// bound; at run time a step on an unbound variable is skipped, so every schedule is valid.
Scenario GenerateScenario(uint64_t seed, const GeneratorOptions& options,
                          GenerationRecord* record = nullptr);

// One line for reports and scenario descriptions: how to regenerate this scenario, e.g.
// "gcstress generator seed 42: threads 1-4, workers <= 2, steps 2-12, switch VMs <= 2,
// weights use=40". Non-default weights only; ops the target lacks are not listed; ", no swarm"
// when swarm testing is off, the shapes when some are off.
std::string DescribeGeneration(uint64_t seed, const GeneratorOptions& options);

}  // namespace gcs
