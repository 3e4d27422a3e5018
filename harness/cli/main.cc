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

struct Subcommand {
  Command command;
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
  auto add = [&](Command command, const char* name, const char* help) {
    CLI::App* sub = app.add_subcommand(name, help);
    RegisterFlags(*sub, command, inv.flags);
    subs.push_back({command, sub});
    return sub;
  };

  // Not required: `run --generate N` needs no file (RunCommand says so when both are missing).
  add(Command::kRun, "run",
      "run iterations of each scenario; a line per scenario, a repro per failure")
      ->add_option("SCENARIO", inv.inputs, "scenario files");
  add(Command::kReplay, "replay",
      "re-execute a repro (scenario + schedule + config) and compare its verdict")
      ->add_option("REPRO", inv.inputs, "a repro.json written by run, loop or check")
      ->required()
      ->expected(1);
  add(Command::kLoop, "loop",
      "iterate seeds until a failure, --max-time or Ctrl-C, with a live status line")
      ->add_option("SCENARIO", inv.inputs, "a scenario file")
      ->required()
      ->expected(1);
  add(Command::kCheck, "check",
      "run each scenario's expect entries (pass, or the violation they must produce)")
      ->add_option("SCENARIO", inv.inputs, "scenario files")
      ->required();
  add(Command::kList, "list", "print a declaration table")
      ->add_option("WHAT", inv.list_what, ThingsList())
      ->required();
  CLI::App* bench = add(Command::kBench, "bench",
                        "run the benchmark binaries built beside gcstress; ARGS go to them");
  bench->allow_extras();
  bench->prefix_command();
  add(Command::kZoo, "zoo",
      "the main job: every seed fault against its scenario family, per strategy, as a table");
  add(Command::kTriage, "triage",
      "group report folders by signature: counts, first/last seen, the shortest repro")
      ->add_option("DIR", inv.inputs, "report directories (e.g. reports/), searched recursively")
      ->required();
  add(Command::kGen, "gen",
      "print (or --out: write) generated scenarios; the same seed gives the same bytes");
  add(Command::kMinimize, "minimize",
      "shrink a repro's steps and schedule, keeping its signature; prints before/after sizes")
      ->add_option("REPRO", inv.inputs, "a repro.json")
      ->required()
      ->expected(1);
  add(Command::kImportCrash, "import-crash",
      "turn a scenario_fuzzer crash input into a repro that gcstress replay reproduces")
      ->add_option("FILE", inv.inputs, "a crash-* file libFuzzer wrote")
      ->required()
      ->expected(1);
  add(Command::kExportCorpus, "export-corpus",
      "write --scenarios as seed corpus entries for scenario_fuzzer and scenario_json_fuzzer");

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
  inv.extra = bench->remaining();
  for (const Subcommand& s : subs) {
    if (!s.app->parsed()) continue;
    switch (s.command) {
      case Command::kRun:
        return static_cast<int>(RunCommand(inv));
      case Command::kReplay:
        return static_cast<int>(ReplayCommand(inv));
      case Command::kLoop:
        return static_cast<int>(LoopCommand(inv));
      case Command::kCheck:
        return static_cast<int>(CheckCommand(inv));
      case Command::kList:
        return static_cast<int>(ListCommand(inv));
      case Command::kBench:
        return static_cast<int>(BenchCommand(inv));
      case Command::kZoo:
        return static_cast<int>(ZooCommand(inv));
      case Command::kTriage:
        return static_cast<int>(TriageCommand(inv));
      case Command::kGen:
        return static_cast<int>(GenCommand(inv));
      case Command::kMinimize:
        return static_cast<int>(MinimizeCommand(inv));
      case Command::kImportCrash:
        return static_cast<int>(ImportCrashCommand(inv));
      case Command::kExportCorpus:
        return static_cast<int>(ExportCorpusCommand(inv));
    }
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
