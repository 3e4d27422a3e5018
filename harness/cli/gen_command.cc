// gcstress cli — `gcstress gen --seed N`: generated scenarios, printed or written as files; and
// the scenarios `gcstress run --generate N` runs.
#include <cstdio>
#include <filesystem>
#include <system_error>

#include "harness/cli/commands.h"
#include "harness/cli/report_output.h"
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

ExitCode GenCommand(const Invocation& inv) {
  const Flags& flags = inv.flags;
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
