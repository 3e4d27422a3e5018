// gcstress fuzzing — the fault set a fuzzer runs with: GCS_FUZZ_FAULTS, or -gcs_faults= (which
// a .options file can fix per binary).
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "harness/input_error.h"

namespace gcs {

// The environment variable a fuzzer reads once, at LLVMFuzzerInitialize.
inline constexpr const char* kFuzzFaultsEnv = "GCS_FUZZ_FAULTS";
// The command-line form. libFuzzer passes flags it does not know through with a warning, and
// OSS-Fuzz/ClusterFuzzLite turn every `key = value` of a .options file's [libfuzzer] section into
// `-key=value`, so `gcs_faults = a,b` there fixes a binary's faults where no environment can be
// set.
inline constexpr std::string_view kFuzzFaultsFlag = "-gcs_faults=";

struct FuzzFaultSetting {
  std::string text;    // "a,b"; "" = no faults
  std::string source;  // kFuzzFaultsEnv, "-gcs_faults", or "" when neither was given
};

// The last -gcs_faults= among `args` wins; else `env_value` (nullptr: unset); else none.
FuzzFaultSetting FindFuzzFaultSetting(const char* env_value, std::span<char* const> args);

// "a,b" -> {"a", "b"}; "" -> {}. Surrounding spaces are ignored. Every name must be one of
// `known` (the target's FaultNames), once. Errors: InputError{source, "", message}, e.g.
//   unknown fault "gc-race" (known: a, b, c)
//   fault "a" is given twice
//   entry 2 is empty
Expected<std::vector<std::string>> ParseFaultList(std::string_view text,
                                                  const std::vector<std::string>& known,
                                                  const std::string& source);

}  // namespace gcs
