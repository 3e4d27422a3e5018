// gcstress fuzzing — FuzzProfile: reading, writing and applying the options an input chooses.
#include "harness/fuzzing/fuzz_profile.h"

#include <algorithm>

#include "core/check.h"
#include "harness/fuzzing/fuzz_input_builder.h"

namespace gcs {
namespace {

// The one place the profile's fields, their order and their bounds are listed: reading and
// writing both walk it, so they cannot disagree. io(value, lo, hi) reads or writes one field in
// [lo, hi]; bounds may depend on fields visited before.
template <class Io>
void VisitProfile(FuzzProfile& p, const GeneratorOptions& base, Io&& io) {
  io(p.threads, base.min_threads, base.max_threads);
  io(p.max_workers, 0, base.max_workers);
  io(p.min_steps, base.min_steps, base.max_steps);
  io(p.max_steps, p.min_steps, base.max_steps);
  for (uint32_t& w : p.weights)
    io(w, 0, kProfileMaxWeight);
}

}  // namespace

FuzzProfile ReadProfile(GeneratorDraws& draws, const GeneratorOptions& base) {
  FuzzProfile p;
  VisitProfile(p, base, [&](uint32_t& value, uint32_t lo, uint32_t hi) {
    value = lo + static_cast<uint32_t>(draws.Below(uint64_t{hi} - lo + 1));
  });
  return p;
}

void WriteProfile(const FuzzProfile& profile, const GeneratorOptions& base,
                  FuzzInputBuilder& builder) {
  FuzzProfile p = profile;
  VisitProfile(p, base, [&](uint32_t& value, uint32_t lo, uint32_t hi) {
    GCS_CHECK_MSG(value >= lo && value <= hi, "a profile field outside the options' bounds");
    builder.Answer(uint64_t{hi} - lo + 1, value - lo);
  });
}

GeneratorOptions ApplyProfile(const FuzzProfile& profile, const GeneratorOptions& base) {
  GeneratorOptions o = base;
  o.min_threads = o.max_threads = profile.threads;
  o.max_workers = profile.max_workers;
  o.min_steps = profile.min_steps;
  o.max_steps = profile.max_steps;
  bool any = false;
  for (size_t i = 0; i < kOpCount; ++i)
    any = any || (base.supported_ops.test(i) && profile.weights[i] > 0);
  if (any) {
    for (size_t i = 0; i < kOpCount; ++i)
      o.weights[i] = profile.weights[i];
  }
  return o;
}

FuzzProfile ProfileOf(const Scenario& scenario, const GeneratorOptions& base) {
  auto clamp = [](size_t v, uint32_t lo, uint32_t hi) {
    return static_cast<uint32_t>(std::clamp<size_t>(v, lo, hi));
  };
  FuzzProfile p;
  p.threads = clamp(scenario.threads.size(), base.min_threads, base.max_threads);
  size_t workers = 0, shortest = SIZE_MAX, longest = 0;
  std::array<size_t, kOpCount> counts{};
  for (const ThreadSpec& t : scenario.threads) {
    workers += t.worker ? 1 : 0;
    shortest = std::min(shortest, t.steps.size());
    longest = std::max(longest, t.steps.size());
    for (const Step& s : t.steps)
      ++counts[static_cast<size_t>(s.op)];
  }
  if (scenario.threads.empty()) shortest = 0;
  p.max_workers = clamp(workers, 0, base.max_workers);
  p.min_steps = clamp(shortest, base.min_steps, base.max_steps);
  p.max_steps = clamp(longest, p.min_steps, base.max_steps);
  const size_t most = *std::max_element(counts.begin(), counts.end());
  for (size_t i = 0; i < kOpCount; ++i) {
    // Rounded up, so that an op the family uses once still gets drawn now and then.
    p.weights[i] =
        most == 0 ? 0 : static_cast<uint32_t>((counts[i] * kProfileMaxWeight + most - 1) / most);
  }
  return p;
}

}  // namespace gcs
