// gcstress cli — Flags: the parsed command line, generated from flags.def.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "harness/input_error.h"
#include "harness/runner/run_config.h"

namespace CLI {
class App;
}  // namespace CLI

namespace gcs::cli {

// The subcommands, in commands.def's order.
enum class Command : uint8_t {
#define GCS_COMMAND(Name, name, letter, Args, arg, arg_help, help) k##Name,
#include "harness/cli/commands.def"
#undef GCS_COMMAND
};

// The flags.def "commands" letter of a subcommand (from commands.def).
char CommandLetter(Command command);

using FlagString = std::string;
using FlagStrings = std::vector<std::string>;
using FlagU64 = uint64_t;
using FlagU32 = uint32_t;
using FlagBool = bool;
using FlagDuration = std::string;  // as given; ParseDuration reads it

// One member per flags.def row, initialized to its default.
struct Flags {
#define GCS_FLAG(member, name, Kind, def, value, commands, help) Flag##Kind member = def;
#include "harness/cli/flags.def"
#undef GCS_FLAG
};

// Adds the flags of `command` to its subcommand, writing into `flags`; --help shows each with its
// default.
void RegisterFlags(CLI::App& app, Command command, Flags& flags);

// The RunConfig of `command` (run, loop or check) from its flags. Errors: a bad duration.
Expected<RunConfig> MakeRunConfig(const Flags& flags, Command command);

}  // namespace gcs::cli
