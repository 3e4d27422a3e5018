// gcstress cli — the subcommands (commands.def), each in its own file; main.cc parses and
// dispatches.
#pragma once

#include <cstdio>
#include <string>
#include <vector>

#include "harness/cli/flags.h"
#include "harness/runner/exit_code.h"
#include "harness/runner/runner.h"
#include "harness/scenario/scenario.h"

namespace gcs::cli {

// One parsed command line.
struct Invocation {
  Flags flags;
  std::vector<std::string> inputs;  // scenario files (run, loop, check) or the repro (replay)
  std::string list_what;            // list: ops, faults, strategies, targets, ...
  std::vector<std::string> extra;   // bench: passed on to the benchmark binaries
};

// One handler per commands.def row: NameCommand, in name_command.cc.
#define GCS_COMMAND(Name, name, letter, Args, arg, arg_help, help) \
  ExitCode Name##Command(const Invocation& inv);
#include "harness/cli/commands.def"
#undef GCS_COMMAND

// The `count` scenarios `gcstress gen` writes for --seed and --weights, on a target with
// `supported_ops` (run --generate). Errors: a bad --weights. gen_command.cc
Expected<std::vector<Scenario>> GenerateScenarios(const Flags& flags, uint64_t count,
                                                  OpSet supported_ops);

// A failure and the scenario it ran, minimized (Minimize, with the run's target and faults) when
// that is safe in this process, else as given; prints one line to `out` saying which
// ("  minimized (done): 23 steps, ... -> 7 steps, ..." or "  not minimized: <why>"). What loop
// writes as the repro. minimize_command.cc
struct MinimizedFailure {
  Scenario scenario;
  Failure failure;
};
MinimizedFailure MinimizeFailure(std::FILE* out, const Scenario& scenario, const RunConfig& config,
                                 const Failure& failure);

// What `gcstress list` can list, for its --help and its error message.
const std::vector<std::string>& ListableThings();

}  // namespace gcs::cli
