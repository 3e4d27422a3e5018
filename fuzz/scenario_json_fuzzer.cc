// gcstress fuzz — scenario_json_fuzzer: any bytes -> the scenario and repro loaders, which must
// return a value or one InputError, never crash or hang; accepted scenarios must round-trip
// through the encoder unchanged.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>

#include "harness/runner/repro.h"
#include "harness/scenario/scenario_encoder.h"
#include "harness/scenario/scenario_loader.h"
#include "harness/targets/core/core_target.h"

namespace {

// Built once (libFuzzer's C interface leaves nowhere else to keep it): the core's load options,
// so that "expect" blocks naming its faults are accepted and reach their checks too.
const gcs::LoadOptions* load_options = nullptr;

[[noreturn]] void Fail(const char* what, const std::string& detail) {
  std::fprintf(stderr, "scenario_json_fuzzer: %s\n%s\n", what, detail.c_str());
  std::abort();
}

// An error must be the documented one line.
void CheckError(const gcs::InputError& error) {
  const std::string line = error.Format();
  if (error.message.empty() || line.find('\n') != std::string::npos) {
    Fail("an error that is not one non-empty line", line);
  }
}

// Repros name a target; only the core is built here (a cpython interpreter per input would be
// the fuzzer's whole cost), any other name is the loader's ordinary "unknown target" path.
gcs::Expected<std::unique_ptr<gcs::Target>> CoreOnly(std::string_view name) {
  if (name == "core") return std::unique_ptr<gcs::Target>(std::make_unique<gcs::CoreTarget>());
  return gcs::InputError{"<fuzz>", "/target", "unknown target"};
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  auto* options = new gcs::LoadOptions();
  options->known_faults = gcs::CoreTarget().FaultNames();
  options->supported_ops = gcs::CoreTarget().SupportedOps();
  load_options = options;
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  gcs::Expected<gcs::Scenario> scenario = gcs::LoadScenarioText(text, "<fuzz>", *load_options);
  if (!scenario) {
    CheckError(scenario.error());
  } else {
    // The encoder's promise: LoadScenarioText(FormatScenario(s)) == s for every loaded s.
    const std::string encoded = gcs::FormatScenario(*scenario);
    gcs::Expected<gcs::Scenario> again = gcs::LoadScenarioText(encoded, "<encoded>", *load_options);
    if (!again) Fail("the encoder wrote a scenario the loader refuses", again.error().Format());
    if (!(*again == *scenario)) Fail("the scenario changed through the encoder", encoded);
  }
  // A repro file embeds a scenario under /scenario; same rules.
  if (text.find("gcstress_repro") != std::string_view::npos) {
    gcs::Expected<gcs::Repro> repro = gcs::ParseRepro(text, "<fuzz>", CoreOnly);
    if (!repro) {
      CheckError(repro.error());
    } else {
      const std::string encoded = gcs::FormatRepro(*repro);
      gcs::Expected<gcs::Repro> again = gcs::ParseRepro(encoded, "<encoded>", CoreOnly);
      if (!again) Fail("FormatRepro wrote a repro ParseRepro refuses", again.error().Format());
      if (!(*again == *repro)) Fail("the repro changed through FormatRepro", encoded);
    }
  }
  return 0;
}
