// gcstress cli — Flags: CLI11 registration and the RunConfig, from flags.def.
#include "harness/cli/flags.h"

#include <CLI/CLI.hpp>

#include <limits>
#include <type_traits>

#include "harness/cli/duration.h"

namespace gcs::cli {
namespace {

bool Takes(std::string_view commands, Command command) {
  return commands.find(CommandLetter(command)) != std::string_view::npos;
}

// The default as --help shows it; "" for none worth showing.
std::string DefaultText(const FlagString& v) {
  return v;
}
std::string DefaultText(const FlagU64& v) {
  return std::to_string(v);
}
std::string DefaultText(const FlagU32& v) {
  return std::to_string(v);
}
std::string DefaultText(const FlagBool&) {
  return "";
}
std::string DefaultText(const FlagStrings&) {
  return "";
}

// Plain decimal only: CLI11 alone would take "-1" as 2^64-1, clamp 2^64 to it, and read "0x10".
CLI::Validator UnsignedDecimal(uint64_t max) {
  return CLI::Validator(
      [max](std::string& text) -> std::string {
        const std::string expected =
            "expected a decimal integer in [0, " + std::to_string(max) + "], got \"" + text + "\"";
        if (text.empty() || text.size() > 20) return expected;
        uint64_t value = 0;
        for (char c : text) {
          if (c < '0' || c > '9') return expected;
          const auto digit = static_cast<uint64_t>(c - '0');
          if (value > (max - digit) / 10) return expected;
          value = value * 10 + digit;
        }
        return "";
      },
      "", "unsigned");
}

template <class T>
void AddOption(CLI::App& app, const char* name, T& member, const char* value, const char* help,
               const std::string& default_text) {
  CLI::Option* option = app.add_option(name, member, help)->type_name(value);
  if constexpr (std::is_unsigned_v<T>)
    option->check(UnsignedDecimal(std::numeric_limits<T>::max()));
  if (!default_text.empty()) option->default_str(default_text);
}

void Add(CLI::App& app, const char* name, FlagBool& member, const char*, const char* help,
         const std::string&) {
  app.add_flag(name, member, help);
}

void Add(CLI::App& app, const char* name, FlagStrings& member, const char* value, const char* help,
         const std::string&) {
  // One value per occurrence: `--fault a scenario.json` must not eat the scenario.
  app.add_option(name, member, help)->type_name(value)->allow_extra_args(false);
}

template <class T>
void Add(CLI::App& app, const char* name, T& member, const char* value, const char* help,
         const std::string& default_text) {
  AddOption(app, name, member, value, help, default_text);
}

}  // namespace

char CommandLetter(Command command) {
  switch (command) {
#define GCS_COMMAND(Name, name, letter, Args, arg, arg_help, help) \
  case Command::k##Name:                                           \
    return letter;
#include "harness/cli/commands.def"
#undef GCS_COMMAND
  }
  return '?';
}

void RegisterFlags(CLI::App& app, Command command, Flags& flags) {
  const Flags defaults;
#define GCS_FLAG(member, name, Kind, def, value, commands, help) \
  if (Takes(commands, command))                                  \
    Add(app, name, flags.member, value, help, DefaultText(defaults.member));
#include "harness/cli/flags.def"
#undef GCS_FLAG
}

Expected<RunConfig> MakeRunConfig(const Flags& flags, Command command) {
  RunConfig c;
  c.target = flags.target;
  c.faults = flags.faults;
  c.strategy = flags.strategy;
  c.seed = flags.seed;
  c.iterations = command == Command::kLoop ? 0 : flags.iterations;
  const bool loop = command == Command::kLoop;
  Expected<std::chrono::milliseconds> budget = ParseDuration(
      loop ? flags.max_time : flags.time_budget, loop ? "--max-time" : "--time-budget");
  if (!budget) return budget.error();
  c.time_budget = *budget;
  c.free_mode = flags.free;
  c.yield_per_mille = flags.yield_per_mille;
  c.check_determinism = flags.check_determinism;
  c.keep_going = command == Command::kRun ? flags.keep_going : loop && !flags.until_fail;
  c.jobs = flags.jobs;
  c.confirm = flags.confirm;
  c.isolate = !flags.no_fork;
  c.batch = flags.batch;
  Expected<std::chrono::milliseconds> step_timeout =
      ParseDuration(flags.step_timeout, "--step-timeout");
  if (!step_timeout) return step_timeout.error();
  c.step_timeout = *step_timeout;
  return c;
}

}  // namespace gcs::cli
