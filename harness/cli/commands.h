// gcstress cli — the subcommands, each in its own file; main.cc parses and dispatches.
#pragma once

#include <string>
#include <vector>

#include "harness/cli/flags.h"
#include "harness/runner/exit_code.h"

namespace gcs::cli {

// One parsed command line.
struct Invocation {
  Flags flags;
  std::vector<std::string> inputs;  // scenario files (run, loop, check) or the repro (replay)
  std::string list_what;            // list: ops, faults, strategies, targets, ...
  std::vector<std::string> extra;   // bench: passed on to the benchmark binaries
};

ExitCode RunCommand(const Invocation& inv);     // run_command.cc
ExitCode ReplayCommand(const Invocation& inv);  // replay_command.cc
ExitCode LoopCommand(const Invocation& inv);    // loop_command.cc
ExitCode CheckCommand(const Invocation& inv);   // check_command.cc
ExitCode ListCommand(const Invocation& inv);    // list_command.cc
ExitCode BenchCommand(const Invocation& inv);   // bench_command.cc
ExitCode ZooCommand(const Invocation& inv);     // zoo_command.cc

// What `gcstress list` can list, for its --help and its error message.
const std::vector<std::string>& ListableThings();

}  // namespace gcs::cli
