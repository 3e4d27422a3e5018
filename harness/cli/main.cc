// gcstress cli — main: the command line (CLI11), parsed into an Invocation and dispatched; every
// parse error becomes one line and exit code 2, nothing escapes as an exception.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <exception>
#include <optional>
#include <string>

#include "harness/cli/commands.h"
#include "harness/cli/report_output.h"

namespace gcs::cli {
namespace {

constexpr const char* kAbout =
    "gcstress - stress-tests object-lifetime code (refcounts, reference pools, cycle collectors,\n"
    "cross-thread proxies, workers, VMs) by running JSON scenarios on a target under a\n"
    "deterministic scheduler. Every failure is saved as a repro that replays bit for bit.";

enum class Args : uint8_t { kNone, kFiles, kRequiredFiles, kOneFile, kWhat, kExtras };

// A commands.def row.
struct CommandRow {
  Command command;
  const char* name;
  Args args;
  const char* arg;
  const char* arg_help;
  const char* help;
  ExitCode (*handler)(const Invocation&);
};

constexpr CommandRow kCommands[] = {
#define GCS_COMMAND(Name, name, letter, Args_, arg, arg_help, help) \
  {Command::k##Name, name, Args::k##Args_, arg, arg_help, help, &Name##Command},
#include "harness/cli/commands.def"
#undef GCS_COMMAND
};

struct Subcommand {
  const CommandRow* row;
  CLI::App* app;
};

std::string ThingsList() {
  std::string out;
  for (const std::string& t : ListableThings())
    out += (out.empty() ? "" : "|") + t;
  return out;
}

// The first argument after the subcommand (argv[1]) that is written as a flag but is none of the
// subcommand's. CLI11 reports one only after counting positionals, so that `import-crash -o x FILE`
// would come out as "FILE: At Most 1 required but received 2". Values of the subcommand's own
// options are skipped, so a value may start with '-'; so may anything after "--".
std::optional<std::string> UnknownFlag(CLI::App& sub, int argc, char** argv) {
  for (int i = 2; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--") break;
    if (arg.size() < 2 || arg[0] != '-') continue;
    const size_t eq = arg.find('=');
    const std::string name = arg.substr(0, eq);
    const CLI::Option* option = sub.get_option_no_throw(name);
    if (option == nullptr) return name;
    if (eq == std::string::npos && option->get_type_size() > 0) ++i;  // its value
  }
  return std::nullopt;
}

int Main(int argc, char** argv) {
  CLI::App app{kAbout, "gcstress"};
  app.require_subcommand(1);
  app.footer("Exit codes:\n" + FormatExitCodes(false));
  Invocation inv;
  std::vector<Subcommand> subs;
  CLI::App* extras = nullptr;  // the subcommand that passes the rest of the line on (bench)
  for (const CommandRow& row : kCommands) {
    CLI::App* sub = app.add_subcommand(row.name, row.help);
    RegisterFlags(*sub, row.command, inv.flags);
    subs.push_back({&row, sub});
    switch (row.args) {
      case Args::kNone:
        break;
      case Args::kFiles:
        sub->add_option(row.arg, inv.inputs, row.arg_help);
        break;
      case Args::kRequiredFiles:
        sub->add_option(row.arg, inv.inputs, row.arg_help)->required();
        break;
      case Args::kOneFile:
        sub->add_option(row.arg, inv.inputs, row.arg_help)->required()->expected(1);
        break;
      case Args::kWhat:
        sub->add_option(row.arg, inv.list_what, ThingsList())->required();
        break;
      case Args::kExtras:
        sub->allow_extras();
        sub->prefix_command();
        extras = sub;
        break;
    }
  }

  // CLI11 would call an unknown subcommand a missing one; name it instead.
  std::string known;
  const Subcommand* named = nullptr;  // the one argv[1] names
  for (const Subcommand& s : subs) {
    known += (known.empty() ? "" : ", ") + s.app->get_name();
    if (argc > 1 && s.app->get_name() == argv[1]) named = &s;
  }
  if (argc > 1 && argv[1][0] != '-' && named == nullptr) {
    PrintError(
        InputError{"<command line>", "",
                   "unknown subcommand \"" + std::string(argv[1]) + "\" (known: " + known + ")"});
    return static_cast<int>(ExitCode::kBadInput);
  }
  if (named != nullptr && !named->app->get_allow_extras()) {
    if (std::optional<std::string> flag = UnknownFlag(*named->app, argc, argv)) {
      const std::string& name = named->app->get_name();
      PrintError(InputError{
          "<command line>", "",
          "unknown flag " + *flag + " for " + name + " (see gcstress " + name + " --help)"});
      return static_cast<int>(ExitCode::kBadInput);
    }
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);  // --help: the (sub)command's help, exit 0
    PrintError(InputError{"<command line>", "", std::string(e.what()) + " (see gcstress --help)"});
    return static_cast<int>(ExitCode::kBadInput);
  }
  if (extras != nullptr) inv.extra = extras->remaining();
  for (const Subcommand& s : subs) {
    if (s.app->parsed()) return static_cast<int>(s.row->handler(inv));
  }
  PrintError("no subcommand (see gcstress --help)");
  return static_cast<int>(ExitCode::kBadInput);
}

}  // namespace
}  // namespace gcs::cli

int main(int argc, char** argv) {
  try {
    return gcs::cli::Main(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "gcstress: internal error: %s\n", e.what());
    return static_cast<int>(gcs::ExitCode::kInternalError);
  }
}
