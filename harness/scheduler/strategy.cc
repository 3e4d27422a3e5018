// gcstress scheduler — MakeStrategy / ListStrategies, generated from strategies.def.
#include "harness/scheduler/strategy.h"

#include <array>
#include <iterator>
#include <optional>
#include <string>

#include "core/check.h"
#include "harness/scheduler/dfs.h"
#include "harness/scheduler/pct.h"
#include "harness/scheduler/portfolio.h"
#include "harness/scheduler/random.h"
#include "harness/scheduler/round_robin.h"

namespace gcs::sched {

namespace {

enum class StrategyId {
#define GCS_STRATEGY(Id, name, from_spec, help) k##Id,
#define GCS_STRATEGY_PARAM(Id, key, default_value, min, max, help)
#include "harness/scheduler/strategies.def"
#undef GCS_STRATEGY
#undef GCS_STRATEGY_PARAM
};

struct ParamDecl {
  StrategyId strategy;
  StrategyParamInfo info;
};

constexpr ParamDecl kParamDecls[] = {
#define GCS_STRATEGY(Id, name, from_spec, help)
#define GCS_STRATEGY_PARAM(Id, key, default_value, min, max, help) \
  {StrategyId::k##Id, {key, default_value, min, max, help}},
#include "harness/scheduler/strategies.def"
#undef GCS_STRATEGY
#undef GCS_STRATEGY_PARAM
};

template <StrategyId S>
constexpr size_t CountParams() {
  size_t count = 0;
  for (const ParamDecl& p : kParamDecls)
    count += p.strategy == S ? 1 : 0;
  return count;
}

// One constant array of parameters per strategy, filtered out of the table at compile time, so
// StrategyInfo can hand out a span without any runtime registry.
template <StrategyId S>
constexpr auto ParamsOf() {
  std::array<StrategyParamInfo, CountParams<S>()> out{};
  size_t i = 0;
  for (const ParamDecl& p : kParamDecls) {
    if (p.strategy == S) out[i++] = p.info;
  }
  return out;
}

#define GCS_STRATEGY(Id, name, from_spec, help) \
  constexpr auto kParams##Id = ParamsOf<StrategyId::k##Id>();
#define GCS_STRATEGY_PARAM(Id, key, default_value, min, max, help)
#include "harness/scheduler/strategies.def"
#undef GCS_STRATEGY
#undef GCS_STRATEGY_PARAM

constexpr StrategyInfo kStrategyInfos[] = {
#define GCS_STRATEGY(Id, name, from_spec, help) {name, from_spec, help, kParams##Id},
#define GCS_STRATEGY_PARAM(Id, key, default_value, min, max, help)
#include "harness/scheduler/strategies.def"
#undef GCS_STRATEGY
#undef GCS_STRATEGY_PARAM
};

// Parallel to kStrategyInfos.
constexpr StrategyId kStrategyIds[] = {
#define GCS_STRATEGY(Id, name, from_spec, help) StrategyId::k##Id,
#define GCS_STRATEGY_PARAM(Id, key, default_value, min, max, help)
#include "harness/scheduler/strategies.def"
#undef GCS_STRATEGY
#undef GCS_STRATEGY_PARAM
};
static_assert(std::size(kStrategyIds) == std::size(kStrategyInfos));

InputError SpecError(std::string message) {
  return InputError{"<flag>", "--strategy", std::move(message)};
}

std::string JoinNames(std::span<const StrategyInfo> strategies) {
  std::string out;
  for (const StrategyInfo& s : strategies)
    out += (out.empty() ? "" : ", ") + std::string(s.name);
  return out;
}

std::string JoinKeys(std::span<const StrategyParamInfo> params) {
  std::string out;
  for (const StrategyParamInfo& p : params)
    out += (out.empty() ? "" : ", ") + std::string(p.key);
  return out.empty() ? "none" : out;
}

// The parameter values of one spec, every key of the strategy filled (given or default).
class ParamValues {
 public:
  explicit ParamValues(std::span<const StrategyParamInfo> params) : params_(params) {
    GCS_CHECK(params.size() <= values_.size());
    for (size_t i = 0; i < params.size(); ++i)
      values_[i] = params[i].default_value;
  }

  // A key the construction code asks for must exist in strategies.def.
  uint64_t Get(std::string_view key) const {
    for (size_t i = 0; i < params_.size(); ++i) {
      if (params_[i].key == key) return values_[i];
    }
    GCS_CHECK_MSG(false, "strategy parameter missing from strategies.def");
    return 0;
  }

  // "key=value,key=value" against the table; `strategy` names the strategy in messages.
  std::optional<InputError> Parse(std::string_view list, std::string_view strategy) {
    const std::string name(strategy);
    std::array<bool, kMaxParams> seen{};
    while (true) {
      const size_t comma = list.find(',');
      const std::string_view item = list.substr(0, comma);
      const size_t eq = item.find('=');
      const std::string_view key = item.substr(0, eq);
      if (item.empty()) return SpecError("empty parameter in strategy \"" + name + "\"");
      size_t index = 0;
      while (index < params_.size() && params_[index].key != key)
        ++index;
      if (index == params_.size()) {
        return SpecError("unknown parameter \"" + std::string(key) + "\" for strategy \"" + name +
                         "\" (known: " + JoinKeys(params_) + ")");
      }
      const StrategyParamInfo& p = params_[index];
      if (seen[index]) return SpecError("parameter \"" + std::string(key) + "\" given twice");
      seen[index] = true;
      const std::string_view text = eq == std::string_view::npos ? "" : item.substr(eq + 1);
      const std::optional<uint64_t> value = ParseValue(text);
      if (!value || *value < p.min || *value > p.max) {
        return SpecError("bad value \"" + std::string(text) + "\" for " + name + " parameter \"" +
                         std::string(key) + "\" (expected an integer in [" + std::to_string(p.min) +
                         ", " + std::to_string(p.max) + "])");
      }
      values_[index] = *value;
      if (comma == std::string_view::npos) return std::nullopt;
      list.remove_prefix(comma + 1);
    }
  }

 private:
  static constexpr size_t kMaxParams = 8;

  static std::optional<uint64_t> ParseValue(std::string_view text) {
    if (text.empty() || text.size() > 19) return std::nullopt;  // 19 digits cannot overflow
    uint64_t value = 0;
    for (char c : text) {
      if (c < '0' || c > '9') return std::nullopt;
      value = value * 10 + static_cast<uint64_t>(c - '0');
    }
    return value;
  }

  std::span<const StrategyParamInfo> params_;
  std::array<uint64_t, kMaxParams> values_{};
};

std::unique_ptr<Strategy> Construct(StrategyId id, const ParamValues& v) {
  switch (id) {
    case StrategyId::kPct:
      return std::make_unique<PctStrategy>(static_cast<uint32_t>(v.Get("depth")), v.Get("steps"),
                                           v.Get("yields") != 0);
    case StrategyId::kPortfolio:
      return std::make_unique<PortfolioStrategy>(
          static_cast<uint32_t>(v.Get("max-depth")), static_cast<uint32_t>(v.Get("random")),
          v.Get("steps"), static_cast<uint32_t>(v.Get("yields")));
    case StrategyId::kRandom:
      return std::make_unique<RandomStrategy>();
    case StrategyId::kRoundRobin:
      return std::make_unique<RoundRobinStrategy>();
    case StrategyId::kDfs:
      return std::make_unique<DfsStrategy>(static_cast<uint32_t>(v.Get("max-preemptions")));
    case StrategyId::kReplay:
      break;  // from_spec is false: MakeStrategy never gets here
  }
  GCS_CHECK_MSG(false, "no constructor for a from_spec strategy");
  return nullptr;
}

}  // namespace

std::span<const StrategyInfo> ListStrategies() {
  return kStrategyInfos;
}

uint64_t StrategyParamDefault(std::string_view strategy, std::string_view key) {
  for (const StrategyInfo& info : ListStrategies()) {
    if (info.name != strategy) continue;
    for (const StrategyParamInfo& p : info.params) {
      if (p.key == key) return p.default_value;
    }
  }
  GCS_CHECK_MSG(false, "StrategyParamDefault of a parameter strategies.def does not declare");
  return 0;
}

Expected<std::unique_ptr<Strategy>> MakeStrategy(std::string_view spec) {
  const size_t colon = spec.find(':');
  const std::string_view name = spec.substr(0, colon);
  for (size_t i = 0; i < std::size(kStrategyInfos); ++i) {
    const StrategyInfo& info = kStrategyInfos[i];
    if (info.name != name) continue;
    if (!info.from_spec) {
      return SpecError("strategy \"" + std::string(name) +
                       "\" needs a recorded schedule (use gcstress replay)");
    }
    ParamValues values(info.params);
    if (colon != std::string_view::npos) {
      if (auto error = values.Parse(spec.substr(colon + 1), name)) return *error;
    }
    return Construct(kStrategyIds[i], values);
  }
  return SpecError("unknown strategy \"" + std::string(name) +
                   "\" (known: " + JoinNames(kStrategyInfos) + ")");
}

}  // namespace gcs::sched
