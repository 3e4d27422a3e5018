// gcstress reporters — report.json: encoding, a strict decoder (triage reads it back), writing.
#include "harness/reporters/json_reporter.h"

#include <fstream>
#include <limits>
#include <sstream>
#include <utility>

#include "harness/runner/report_dir.h"

namespace gcs::reporters {

using Json = nlohmann::ordered_json;

namespace {

Json ViolationToJson(const ViolationEntry& v) {
  Json j;
  j["kind"] = v.kind;
  j["signature"] = v.signature;
  j["message"] = v.message;
  j["thread"] = v.thread;
  j["step"] = v.step;
  j["op"] = v.op;
  j["phase"] = v.phase;
  j["site"] = v.site;
  j["obj"] = v.obj;
  j["trace_index"] = v.trace_index;
  j["location"] = v.location;
  j["column"] = v.column;
  return j;
}

Json Strings(const std::vector<std::string>& items) {
  Json j = Json::array();
  for (const std::string& s : items)
    j.push_back(s);
  return j;
}

// The decoder: every field required, of its type; the first problem is thrown as an InputError
// and caught at ParseReportJson, the one boundary.
struct Bad {
  InputError error;
};

class Reader {
 public:
  explicit Reader(const std::string& file) : file_(file) {}

  [[noreturn]] void Fail(const std::string& path, const std::string& message) const {
    throw Bad{InputError{file_, path.empty() ? "/" : path, message}};
  }

  const Json& At(const Json& obj, const char* key, const std::string& path) const {
    if (!obj.is_object()) Fail(path, "expected an object");
    auto it = obj.find(key);
    if (it == obj.end()) Fail(path + "/" + key, "missing");
    return *it;
  }
  std::string Str(const Json& obj, const char* key, const std::string& path) const {
    const Json& v = At(obj, key, path);
    if (!v.is_string()) Fail(path + "/" + key, "expected a string");
    return v.get<std::string>();
  }
  bool Bool(const Json& obj, const char* key, const std::string& path) const {
    const Json& v = At(obj, key, path);
    if (!v.is_boolean()) Fail(path + "/" + key, "expected true or false");
    return v.get<bool>();
  }
  uint64_t U64(const Json& obj, const char* key, const std::string& path) const {
    const Json& v = At(obj, key, path);
    if (!v.is_number_unsigned()) Fail(path + "/" + key, "expected an unsigned integer");
    return v.get<uint64_t>();
  }
  uint32_t U32(const Json& obj, const char* key, const std::string& path) const {
    const uint64_t v = U64(obj, key, path);
    if (v > std::numeric_limits<uint32_t>::max()) Fail(path + "/" + key, "out of range");
    return static_cast<uint32_t>(v);
  }
  int64_t I64(const Json& obj, const char* key, const std::string& path) const {
    const Json& v = At(obj, key, path);
    if (!v.is_number_integer()) Fail(path + "/" + key, "expected an integer");
    if (v.is_number_unsigned() &&
        v.get<uint64_t>() > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
      Fail(path + "/" + key, "out of range");
    }
    return v.get<int64_t>();
  }
  double Number(const Json& obj, const char* key, const std::string& path) const {
    const Json& v = At(obj, key, path);
    if (!v.is_number()) Fail(path + "/" + key, "expected a number");
    return v.get<double>();
  }
  const Json& Array(const Json& obj, const char* key, const std::string& path) const {
    const Json& v = At(obj, key, path);
    if (!v.is_array()) Fail(path + "/" + key, "expected an array");
    return v;
  }
  // Calls `f(item, item_path)` for each item of the array at `key`, in order.
  template <class F>
  void Each(const Json& obj, const char* key, const std::string& path, F f) const {
    const Json& a = Array(obj, key, path);
    for (size_t i = 0; i < a.size(); ++i)
      f(a[i], path + "/" + key + "/" + std::to_string(i));
  }
  std::vector<std::string> StrArray(const Json& obj, const char* key,
                                    const std::string& path) const {
    std::vector<std::string> out;
    Each(obj, key, path, [&](const Json& item, const std::string& p) {
      if (!item.is_string()) Fail(p, "expected a string");
      out.push_back(item.get<std::string>());
    });
    return out;
  }

  ViolationEntry Violation(const Json& j, const std::string& p) const {
    ViolationEntry v;
    v.kind = Str(j, "kind", p);
    v.signature = Str(j, "signature", p);
    v.message = Str(j, "message", p);
    v.thread = U32(j, "thread", p);
    v.step = U32(j, "step", p);
    v.op = Str(j, "op", p);
    v.phase = Str(j, "phase", p);
    v.site = Str(j, "site", p);
    v.obj = U64(j, "obj", p);
    v.trace_index = U64(j, "trace_index", p);
    v.location = Str(j, "location", p);
    v.column = I64(j, "column", p);
    return v;
  }

 private:
  const std::string& file_;
};

FailureReport Decode(const Json& j, const Reader& r) {
  FailureReport out;
  if (!j.is_object()) r.Fail("", "expected a JSON object");
  const Json& format = r.At(j, "gcstress_report", "");
  if (!format.is_number_unsigned() || format.get<uint64_t>() != kReportFormat) {
    r.Fail("/gcstress_report",
           "unsupported report schema (this gcstress reads " + std::to_string(kReportFormat) + ")");
  }
  const Json& sc = r.At(j, "scenario", "");
  out.scenario = r.Str(sc, "name", "/scenario");
  out.description = r.Str(sc, "description", "/scenario");
  out.scenario_steps = r.U64(sc, "steps", "/scenario");
  out.verdict = r.Violation(r.At(j, "verdict", ""), "/verdict");
  r.Each(j, "violations", "",
         [&](const Json& v, const std::string& p) { out.violations.push_back(r.Violation(v, p)); });
  out.violations_source = r.Str(j, "violations_source", "");
  const Json& c = r.At(j, "config", "");
  out.config.target = r.Str(c, "target", "/config");
  out.config.faults = r.StrArray(c, "faults", "/config");
  out.config.strategy = r.Str(c, "strategy", "/config");
  out.config.seed = r.U64(c, "seed", "/config");
  out.config.iteration = r.U64(c, "iteration", "/config");
  out.config.free_mode = r.Bool(c, "free_mode", "/config");
  out.config.yield_per_mille = r.U32(c, "yield_per_mille", "/config");
  out.schedule = r.Str(j, "schedule", "");
  out.decisions = r.U64(j, "decisions", "");
  out.repro = r.Str(j, "repro", "");
  out.replay_command = r.Str(j, "replay", "");
  out.evidence = r.Str(j, "evidence", "");
  const Json& rp = r.At(j, "reproduction", "");
  out.reproduction.runs = r.U32(rp, "runs", "/reproduction");
  out.reproduction.reproduced = r.U32(rp, "reproduced", "/reproduction");
  r.Number(rp, "rate", "/reproduction");  // derived from the two above
  out.reproduction.deterministic = r.Bool(rp, "deterministic", "/reproduction");
  out.reproduction.converted = r.Bool(rp, "converted", "/reproduction");
  out.reproduction.free_iteration = r.U64(rp, "free_iteration", "/reproduction");
  out.reproduction.conversion = r.Str(rp, "conversion", "/reproduction");
  r.Each(j, "threads", "", [&](const Json& th, const std::string& p) {
    ThreadEntry t;
    t.name = r.Str(th, "name", p);
    t.worker = r.Bool(th, "worker", p);
    r.Each(th, "steps", p, [&](const Json& step, const std::string& q) {
      t.steps.push_back(
          ThreadStep{r.Str(step, "text", q), r.Str(step, "result", q), r.I64(step, "column", q)});
    });
    out.threads.push_back(std::move(t));
  });
  r.Each(j, "steps", "", [&](const Json& col, const std::string& p) {
    StepEntry s;
    s.lane = r.U32(col, "lane", p);
    s.step = r.I64(col, "step", p);
    s.label = r.Str(col, "label", p);
    s.result = r.Str(col, "result", p);
    s.detail = r.Str(col, "detail", p);
    s.events = r.StrArray(col, "events", p);
    s.first_entry = r.U64(col, "first_entry", p);
    s.last_entry = r.U64(col, "last_entry", p);
    s.violation = r.Bool(col, "violation", p);
    out.steps.push_back(std::move(s));
  });
  r.Each(j, "objects", "", [&](const Json& obj, const std::string& p) {
    ObjectEntry o;
    o.id = r.U64(obj, "id", p);
    o.vm = r.I64(obj, "vm", p);
    o.type_object = r.Bool(obj, "type_object", p);
    o.alloc_column = r.I64(obj, "alloc_column", p);
    o.free_column = r.I64(obj, "free_column", p);
    o.frees = r.U32(obj, "frees", p);
    o.named = r.Bool(obj, "named", p);
    out.objects.push_back(o);
  });
  r.Each(j, "histories", "", [&](const Json& hj, const std::string& p) {
    HistoryEntry h;
    h.obj = r.U64(hj, "obj", p);
    h.trace_index = r.U64(hj, "trace_index", p);
    h.column = r.I64(hj, "column", p);
    h.thread = r.Str(hj, "thread", p);
    h.step = r.I64(hj, "step", p);
    h.what = r.Str(hj, "what", p);
    h.text = r.Str(hj, "text", p);
    out.histories.push_back(std::move(h));
  });
  out.trace = r.StrArray(j, "trace", "");
  const Json& t = r.At(j, "timing", "");
  out.timing.found_at = r.Str(t, "found_at", "/timing");
  out.timing.run_seconds = r.Number(t, "run_seconds", "/timing");
  return out;
}

}  // namespace

Json ReportToJson(const FailureReport& r) {
  Json j;
  j["gcstress_report"] = r.format;
  j["scenario"] = {
      {"name", r.scenario}, {"description", r.description}, {"steps", r.scenario_steps}};
  j["verdict"] = ViolationToJson(r.verdict);
  j["violations"] = Json::array();
  for (const ViolationEntry& v : r.violations)
    j["violations"].push_back(ViolationToJson(v));
  j["violations_source"] = r.violations_source;
  Json c;
  c["target"] = r.config.target;
  c["faults"] = Strings(r.config.faults);
  c["strategy"] = r.config.strategy;
  c["seed"] = r.config.seed;
  c["iteration"] = r.config.iteration;
  c["free_mode"] = r.config.free_mode;
  c["yield_per_mille"] = r.config.yield_per_mille;
  j["config"] = std::move(c);
  j["schedule"] = r.schedule;
  j["decisions"] = r.decisions;
  j["repro"] = r.repro;
  j["replay"] = r.replay_command;
  j["evidence"] = r.evidence;
  const Reproduction& rp = r.reproduction;
  Json rj;
  rj["runs"] = rp.runs;
  rj["reproduced"] = rp.reproduced;
  rj["rate"] = rp.runs == 0 ? 0.0 : static_cast<double>(rp.reproduced) / rp.runs;
  rj["deterministic"] = rp.deterministic;
  rj["converted"] = rp.converted;
  rj["free_iteration"] = rp.free_iteration;
  rj["conversion"] = rp.conversion;
  j["reproduction"] = std::move(rj);
  j["threads"] = Json::array();
  for (const ThreadEntry& t : r.threads) {
    Json steps = Json::array();
    for (const ThreadStep& s : t.steps)
      steps.push_back({{"text", s.text}, {"result", s.result}, {"column", s.column}});
    j["threads"].push_back({{"name", t.name}, {"worker", t.worker}, {"steps", std::move(steps)}});
  }
  j["steps"] = Json::array();
  for (const StepEntry& s : r.steps) {
    Json col;
    col["lane"] = s.lane;
    col["step"] = s.step;
    col["label"] = s.label;
    col["result"] = s.result;
    col["detail"] = s.detail;
    col["events"] = Strings(s.events);
    col["first_entry"] = s.first_entry;
    col["last_entry"] = s.last_entry;
    col["violation"] = s.violation;
    j["steps"].push_back(std::move(col));
  }
  j["objects"] = Json::array();
  for (const ObjectEntry& o : r.objects) {
    Json oj;
    oj["id"] = o.id;
    oj["vm"] = o.vm;
    oj["type_object"] = o.type_object;
    oj["alloc_column"] = o.alloc_column;
    oj["free_column"] = o.free_column;
    oj["frees"] = o.frees;
    oj["named"] = o.named;
    j["objects"].push_back(std::move(oj));
  }
  j["histories"] = Json::array();
  for (const HistoryEntry& h : r.histories) {
    Json hj;
    hj["obj"] = h.obj;
    hj["trace_index"] = h.trace_index;
    hj["column"] = h.column;
    hj["thread"] = h.thread;
    hj["step"] = h.step;
    hj["what"] = h.what;
    hj["text"] = h.text;
    j["histories"].push_back(std::move(hj));
  }
  j["trace"] = Strings(r.trace);
  j["timing"] = {{"found_at", r.timing.found_at}, {"run_seconds", r.timing.run_seconds}};
  return j;
}

std::string RenderReportJson(const FailureReport& report) {
  return ReportToJson(report).dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

Expected<FailureReport> ParseReportJson(std::string_view text, const std::string& file) {
  Json j = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return InputError{file, "", "not valid JSON"};
  try {
    return Decode(j, Reader(file));
  } catch (const Bad& bad) {
    return bad.error;
  }
}

Expected<FailureReport> LoadReportJson(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return InputError{path, "", "cannot open"};
  std::stringstream buffer;
  buffer << in.rdbuf();
  return ParseReportJson(buffer.str(), path);
}

std::optional<InputError> JsonReporter::ReportFailure(const FailureReport& report) {
  last_path_ = ReportDirOf(report.repro) + "/report.json";
  return WriteFileAtomically(last_path_, RenderReportJson(report));
}

}  // namespace gcs::reporters
