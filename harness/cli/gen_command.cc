// gcstress cli — `gcstress gen --seed N`: generated scenarios, printed or written as files, or
// (--coverage N) what they reach; and the scenarios `gcstress run --generate N` runs.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <system_error>

#include "harness/cli/commands.h"
#include "harness/cli/report_output.h"
#include "harness/generator/coverage.h"
#include "harness/generator/generator.h"
#include "harness/runner/report_dir.h"
#include "harness/scenario/scenario_encoder.h"
#include "harness/target/target.h"

namespace gcs::cli {
namespace {

// The generator options of --weights for a target's ops.
Expected<GeneratorOptions> MakeGeneratorOptions(const Flags& flags, OpSet supported_ops) {
  GeneratorOptions options;
  Expected<OpWeights> weights = ParseOpWeights(flags.weights);
  if (!weights) return weights.error();
  options.weights = *weights;
  options.supported_ops = supported_ops;
  options.swarm = !flags.no_swarm;
  if (auto problem = CheckGeneratorOptions(options)) return *problem;
  return options;
}

}  // namespace

Expected<std::vector<Scenario>> GenerateScenarios(const Flags& flags, uint64_t count,
                                                  OpSet supported_ops) {
  Expected<GeneratorOptions> options = MakeGeneratorOptions(flags, supported_ops);
  if (!options) return options.error();
  std::vector<Scenario> out;
  for (uint64_t i = 0; i < count; ++i)
    out.push_back(GenerateScenario(flags.seed + i, *options));
  return out;
}

namespace {

// gen --coverage N: the report of seeds --seed .. --seed+N-1, on stdout, or as JSON (--json).
ExitCode CoverageReport(const Flags& flags, const Target& target) {
  if (!flags.out.empty()) {
    PrintError(InputError{"<flag>", "--out", "gen --coverage writes no scenarios; drop --out"});
    return ExitCode::kBadInput;
  }
  if (flags.count != 1) {
    PrintError(
        InputError{"<flag>", "--count", "gen --coverage N takes its count from N; drop --count"});
    return ExitCode::kBadInput;
  }
  Expected<GeneratorOptions> options = MakeGeneratorOptions(flags, target.SupportedOps());
  if (PrintIfError(options)) return ExitCode::kBadInput;
  GeneratorCoverage coverage;
  coverage.supported = options->supported_ops;
  for (uint64_t i = 0; i < flags.coverage; ++i) {
    GenerationRecord record;
    const Scenario s = GenerateScenario(flags.seed + i, *options, &record);
    coverage.Add(s, record);
  }
  if (flags.json == "-") {
    std::printf("%s\n", CoverageToJson(coverage).dump(2).c_str());
    std::fflush(stdout);
    return ExitCode::kPass;
  }
  // The options as DescribeGeneration says them, without its "seed N: " head.
  const std::string described = DescribeGeneration(flags.seed, *options);
  const std::string title = "gcstress gen --coverage " + std::to_string(flags.coverage) +
                            ": seeds " + std::to_string(flags.seed) + ".." +
                            std::to_string(flags.seed + flags.coverage - 1) + ", target " +
                            flags.target + ", " + described.substr(described.find(": ") + 2);
  std::fputs(FormatCoverage(coverage, title).c_str(), stdout);
  std::fflush(stdout);
  if (!flags.json.empty()) {
    std::ofstream out(flags.json);
    out << CoverageToJson(coverage).dump(2) << "\n";
    if (!out) {
      PrintError(InputError{flags.json, "", "cannot write"});
      return ExitCode::kBadInput;
    }
  }
  return ExitCode::kPass;
}

}  // namespace

ExitCode GenCommand(const Invocation& inv) {
  const Flags& flags = inv.flags;
  if (flags.coverage > 0) {
    Expected<std::unique_ptr<Target>> target = MakeTarget(flags.target);
    if (PrintIfError(target)) return ExitCode::kBadInput;
    return CoverageReport(flags, **target);
  }
  if (!flags.json.empty()) {
    PrintError(InputError{"<flag>", "--json", "gen writes JSON only with --coverage N"});
    return ExitCode::kBadInput;
  }
  if (flags.count == 0) {
    PrintError(InputError{"<flag>", "--count", "expected at least 1"});
    return ExitCode::kBadInput;
  }
  Expected<std::unique_ptr<Target>> target = MakeTarget(flags.target);
  if (PrintIfError(target)) return ExitCode::kBadInput;
  Expected<std::vector<Scenario>> scenarios =
      GenerateScenarios(flags, flags.count, (*target)->SupportedOps());
  if (PrintIfError(scenarios)) return ExitCode::kBadInput;
  if (!flags.out.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(flags.out, ec);
    if (ec) {
      PrintError(InputError{flags.out, "", "cannot create the directory: " + ec.message()});
      return ExitCode::kBadInput;
    }
  }
  for (const Scenario& s : *scenarios) {
    const std::string text = FormatScenario(s);
    if (flags.out.empty()) {
      std::fputs(text.c_str(), stdout);
      continue;
    }
    const std::string path = (std::filesystem::path(flags.out) / (s.name + ".json")).string();
    if (auto error = WriteFileAtomically(path, text)) {
      PrintError(*error);
      return ExitCode::kBadInput;
    }
    std::printf("%s\n", path.c_str());
  }
  std::fflush(stdout);
  return ExitCode::kPass;
}

}  // namespace gcs::cli
