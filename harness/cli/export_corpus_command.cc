// gcstress cli — `gcstress export-corpus`: scenarios/ as seed corpus entries for both fuzzers.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>
#include <set>
#include <system_error>

#include "harness/cli/commands.h"
#include "harness/cli/report_output.h"
#include "harness/fuzzing/corpus_entries.h"
#include "harness/fuzzing/fuzz_executor.h"
#include "harness/runner/report_dir.h"
#include "harness/scenario/scenario_loader.h"

namespace gcs::cli {
namespace {

namespace fs = std::filesystem;

// Every *.json under `dir`, sorted, so that the export does not depend on directory order.
Expected<std::vector<std::string>> ScenarioFiles(const std::string& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return InputError{dir, "", "not a directory"};
  std::vector<std::string> files;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::end(it);
       it.increment(ec)) {
    if (it->is_regular_file() && it->path().extension() == ".json")
      files.push_back(it->path().string());
  }
  if (ec) return InputError{dir, "", "cannot list the directory: " + ec.message()};
  std::sort(files.begin(), files.end());
  return files;
}

std::optional<InputError> WriteEntry(const fs::path& dir, const CorpusEntry& entry) {
  const std::string bytes(entry.bytes.begin(), entry.bytes.end());
  return WriteFileAtomically((dir / entry.file).string(), bytes);
}

}  // namespace

ExitCode ExportCorpusCommand(const Invocation& inv) {
  const Flags& flags = inv.flags;
  if (flags.count == 0) {
    PrintError(InputError{"<flag>", "--count", "expected at least 1"});
    return ExitCode::kBadInput;
  }
  Expected<std::unique_ptr<Target>> target = MakeTarget(kFuzzTarget);
  if (PrintIfError(target)) return ExitCode::kBadInput;
  LoadOptions load;
  // Scenarios may expect faults and results of any target (scenarios/cpython/): all are known.
  load.known_faults = AllTargetFaultNames();
  load.known_targets = AllTargetSpecs();
  load.target = kFuzzTarget;
  load.supported_ops = (*target)->SupportedOps();
  Expected<std::vector<std::string>> files = ScenarioFiles(flags.scenarios);
  if (PrintIfError(files)) return ExitCode::kBadInput;
  // All loaded before anything is written: a bad file leaves the corpus as it was.
  std::vector<Scenario> scenarios;
  std::map<std::string, std::string> seen;  // name -> file
  for (const std::string& file : *files) {
    Expected<Scenario> s = LoadScenarioFile(file, load);
    if (PrintIfError(s)) return ExitCode::kBadInput;
    auto [it, fresh] = seen.emplace(s->name, file);
    if (!fresh) {
      PrintError(InputError{file, "/name",
                            "scenario name \"" + s->name + "\" is also " + it->second +
                                "'s: corpus entries are named after scenarios"});
      return ExitCode::kBadInput;
    }
    scenarios.push_back(std::move(s).value());
  }

  const fs::path out = flags.out.empty() ? fs::path("corpus") : fs::path(flags.out);
  const fs::path json_dir = out / kJsonFuzzer;
  const fs::path structured_dir = out / kStructuredFuzzer;
  for (const fs::path& d : {json_dir, structured_dir}) {
    std::error_code ec;
    fs::create_directories(d, ec);
    if (ec) {
      PrintError(InputError{d.string(), "", "cannot create the directory: " + ec.message()});
      return ExitCode::kBadInput;
    }
  }
  const FuzzDecodeOptions decode = DecodeOptionsFor(**target);
  for (const Scenario& s : scenarios) {
    if (auto error = WriteEntry(json_dir, JsonCorpusEntry(s))) {
      PrintError(*error);
      return ExitCode::kBadInput;
    }
    for (uint32_t variant = 0; variant < flags.count; ++variant) {
      if (auto error = WriteEntry(structured_dir, StructuredCorpusEntry(s, decode, variant))) {
        PrintError(*error);
        return ExitCode::kBadInput;
      }
    }
  }
  std::printf("export-corpus %s: %zu scenarios -> %zu entries in %s, %zu in %s\n",
              flags.scenarios.c_str(), scenarios.size(), scenarios.size(),
              json_dir.string().c_str(), scenarios.size() * flags.count,
              structured_dir.string().c_str());
  std::fflush(stdout);
  return ExitCode::kPass;
}

}  // namespace gcs::cli
