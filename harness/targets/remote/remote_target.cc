// gcstress remote target — RemoteTarget: requests, replies, and an adapter's failures as verdicts.
#include "harness/targets/remote/remote_target.h"

#include <algorithm>
#include <deque>
#include <set>

#include "core/check.h"
#include "harness/scenario/json_input.h"

namespace gcs::remote {
namespace {

using Json = nlohmann::ordered_json;

constexpr int kProtocol = 1;
constexpr int64_t kMaxId = int64_t{1} << 24;  // the oracles' bound on allocation ids

// Sites and error names an adapter sends become `const char*`/`string_view`s that trace entries
// keep for as long as the process runs, like the core's string literals: one interned copy of
// each, never freed. Bounded by what adapters say, which is a small fixed vocabulary.
const char* Intern(std::string_view text) {
  static std::mutex mu;
  static std::set<std::string, std::less<>> texts;
  std::lock_guard<std::mutex> guard(mu);
  auto it = texts.find(text);
  if (it == texts.end()) it = texts.emplace(text).first;
  return it->c_str();
}

bool IsLowerName(std::string_view s, bool dots) {
  if (s.empty() || s.size() > 64) return false;
  return std::all_of(s.begin(), s.end(), [dots](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           (dots && (c == '.' || c == '_'));
  });
}

std::optional<core::EventKind> EventKindFromName(std::string_view name) {
  for (int k = 0; k < core::kEventKindCount; ++k) {
    const auto kind = static_cast<core::EventKind>(k);
    if (core::EventKindName(kind) == name) return kind;
  }
  return std::nullopt;
}

Json ValueJson(const Value& v) {
  Json j = Json::object();
  j["slot"] = v.slot;
  j["obj"] = v.obj;
  return j;
}

// The first bytes of a line, for messages.
std::string Excerpt(std::string_view line) {
  return QuoteForMessage(line.substr(0, 120));
}

}  // namespace

struct RemoteTarget::Exchange {
  std::string call;     // "apply"
  std::string what;     // "apply thread 1 step 3 (use)", for messages
  uint32_t thread = 0;  // whose events the reply's are
  uint32_t step = 0;
  std::string op;           // the step's op, "" outside a step
  std::string phase;        // "setup", "step" or "teardown"
  bool step_reply = false;  // error, bind and stopped are allowed
};

struct RemoteTarget::Reply {
  Json json;
  std::string_view error;  // interned
  bool bound = false;
  Value bind;
};

RemoteTarget::RemoteTarget(Manifest manifest, std::string version)
    : manifest_(std::move(manifest)), version_(std::move(version)) {}

RemoteTarget::~RemoteTarget() = default;

std::string RemoteTarget::About() const {
  if (library_.empty() && scenario_ == nullptr) {
    // Not run yet: ask an adapter of its own (what hello says runs), and let it go.
    RemoteTarget probe(manifest_, version_);
    Scenario none;
    probe.scenario_ = &none;
    probe.reply_timeout_ = manifest_.reply_timeout;
    if (probe.Start()) library_ = probe.library_;
  }
  if (!library_.empty()) return library_;
  return manifest_.name + (version_.empty() ? "" : " " + version_);
}

bool RemoteTarget::Start() {
  std::vector<std::pair<std::string, std::string>> env = {{"GCS_TARGET_VERSION", version_}};
  process_ = std::make_unique<AdapterProcess>(manifest_.command, manifest_.dir, env);
  Exchange hello{.call = "hello",
                 .what = "hello",
                 .thread = static_cast<uint32_t>(scenario_->threads.size()),
                 .phase = "setup"};
  Json request = {{"call", "hello"},
                  {"protocol", kProtocol},
                  {"target", manifest_.name},
                  {"version", version_}};
  Reply reply;
  if (!Call(hello, request.dump(), &reply)) return false;
  const Json& j = reply.json;
  auto protocol = j.find("protocol");
  if (protocol == j.end() || !protocol->is_number_integer() || *protocol != kProtocol) {
    Fail(hello, ViolationKind::kTargetError, "adapter-protocol",
         "hello: the adapter speaks protocol " +
             (protocol == j.end() ? std::string("(none)") : protocol->dump()) + ", not 1");
    return false;
  }
  auto name = j.find("name");
  if (name == j.end() || !name->is_string() || *name != manifest_.name) {
    Fail(hello, ViolationKind::kTargetError, "adapter-protocol",
         "hello: the adapter says its name is " +
             (name == j.end() ? std::string("(none)") : name->dump()) + ", not \"" +
             manifest_.name + "\"");
    return false;
  }
  if (auto lib = j.find("library"); lib != j.end() && lib->is_string()) {
    library_ = lib->get<std::string>();
  }
  return true;
}

void RemoteTarget::Fail(const Exchange& exchange, ViolationKind kind, std::string site,
                        std::string message) {
  if (failure_) return;
  TargetFailure f;
  f.violation.kind = kind;
  f.violation.site = std::move(site);
  f.violation.message = "adapter of target \"" + manifest_.name + "\" during " + exchange.what +
                        ": " + std::move(message);
  f.violation.thread = exchange.thread;
  f.violation.step = exchange.step;
  f.violation.op = exchange.op;
  f.violation.phase = exchange.phase;
  if (process_) {
    process_->Kill();
    f.evidence = process_->Stderr();
    process_.reset();  // the next execution starts a fresh one
  }
  f.evidence_file = "adapter.txt";
  failure_ = std::move(f);
}

bool RemoteTarget::Call(const Exchange& exchange, const std::string& request, Reply* reply) {
  if (failure_ || !process_) return false;
  std::string line;
  ReplyStatus status = ReplyStatus::kExited;
  if (process_->Send(request)) status = process_->Receive(reply_timeout_, &line);
  switch (status) {
    case ReplyStatus::kOk:
      break;
    case ReplyStatus::kExited: {
      const std::string how = process_->Ended();
      Fail(exchange, ViolationKind::kCrash, "adapter-" + how,
           "it ended (" + how + ") instead of answering");
      return false;
    }
    case ReplyStatus::kTimeout:
      Fail(exchange, ViolationKind::kHang, "adapter-timeout",
           "no answer within " + std::to_string(reply_timeout_.count()) + " ms");
      return false;
    case ReplyStatus::kTooLong:
      Fail(exchange, ViolationKind::kTargetError, "adapter-protocol",
           "a reply longer than " + std::to_string(AdapterProcess::kMaxLine) + " bytes");
      return false;
  }
  auto bad = [&](const std::string& where, const std::string& what) {
    Fail(exchange, ViolationKind::kTargetError, "adapter-protocol",
         (where.empty() ? "" : where + ": ") + what + " in reply " + Excerpt(line));
    return false;
  };
  Expected<Json> parsed = ParseJson(line, "reply");
  if (!parsed) return bad(parsed.error().where, parsed.error().message);
  Json& j = *parsed;
  if (!j.is_object()) return bad("", "expected an object, got " + DescribeJsonValue(j));
  if (auto fatal = j.find("fatal"); fatal != j.end()) {
    Fail(exchange, ViolationKind::kTargetError, "adapter-fatal",
         "it reported a failure: " +
             (fatal->is_string() ? QuoteForMessage(fatal->get<std::string>()) : fatal->dump()));
    return false;
  }
  for (const auto& [key, value] : j.items()) {
    static const std::set<std::string, std::less<>> kStep = {"error", "bind", "events", "stopped"};
    static const std::set<std::string, std::less<>> kOthers = {
        "events", "protocol", "name", "library", "live", "alive", "refcount", "vm"};
    const bool known = exchange.step_reply ? kStep.count(key) > 0 : kOthers.count(key) > 0;
    if (!known) return bad("/" + EscapePointerComponent(key), "unknown field");
  }
  reply->error = {};
  if (auto e = j.find("error"); e != j.end()) {
    if (!e->is_string()) return bad("/error", "expected a string, got " + DescribeJsonValue(*e));
    const std::string& name = e->get_ref<const std::string&>();
    if (!name.empty()) {
      if (!IsLowerName(name, /*dots=*/false)) {
        return bad("/error", "error " + QuoteForMessage(name) + " is not 1-64 of [a-z0-9-]");
      }
      reply->error = Intern(name);
    }
  }
  if (auto b = j.find("bind"); b != j.end()) {
    auto slot = b->is_object() ? b->find("slot") : b->end();
    auto obj = b->is_object() ? b->find("obj") : b->end();
    if (!b->is_object() || b->size() != 2 || slot == b->end() || obj == b->end() ||
        !slot->is_number_unsigned() || !obj->is_number_unsigned() || *slot == 0 ||
        slot->get<uint64_t>() > UINT32_MAX || obj->get<uint64_t>() >= uint64_t(kMaxId)) {
      return bad("/bind", "expected {\"slot\": 1..2^32-1, \"obj\": 0..2^24-1}, got " + b->dump());
    }
    reply->bound = true;
    reply->bind = Value{static_cast<uint32_t>(slot->get<uint64_t>()), obj->get<uint64_t>()};
  }
  if (auto s = j.find("stopped"); s != j.end()) {
    if (!s->is_array()) return bad("/stopped", "expected an array of thread indices");
    for (size_t i = 0; i < s->size(); ++i) {
      const Json& t = (*s)[i];
      if (!t.is_number_unsigned() || t.get<uint64_t>() >= scenario_->threads.size() ||
          !scenario_->threads[t.get<size_t>()].worker) {
        return bad("/stopped/" + std::to_string(i), "not a worker thread's index: " + t.dump());
      }
      stopped_[t.get<size_t>()] = true;
    }
  }
  if (auto events = j.find("events"); events != j.end()) {
    if (!events->is_array()) return bad("/events", "expected an array");
    std::vector<core::Event> out;
    out.reserve(events->size());
    for (size_t i = 0; i < events->size(); ++i) {
      const Json& ev = (*events)[i];
      const std::string at = "/events/" + std::to_string(i);
      if (!ev.is_object()) return bad(at, "expected an object, got " + DescribeJsonValue(ev));
      core::Event e{.kind = core::EventKind::kAlloc};
      bool has_kind = false, has_vm = false, has_current = false;
      for (const auto& [key, value] : ev.items()) {
        const std::string field = at + "/" + EscapePointerComponent(key);
        if (key == "kind") {
          auto kind =
              value.is_string() ? EventKindFromName(value.get<std::string>()) : std::nullopt;
          if (!kind) return bad(field, "unknown event kind " + value.dump());
          e.kind = *kind;
          has_kind = true;
        } else if (key == "vm" || key == "current_vm") {
          if (!value.is_number_unsigned() || value.get<uint64_t>() >= scenario_->vms.size()) {
            return bad(field, "not a VM index: " + value.dump());
          }
          (key == "vm" ? e.vm : e.current_vm) = static_cast<core::VmIndex>(value.get<uint64_t>());
          (key == "vm" ? has_vm : has_current) = true;
        } else if (key == "obj" || key == "other") {
          if (!value.is_number_unsigned() || value.get<uint64_t>() >= uint64_t(kMaxId)) {
            return bad(field, "not an allocation id (0..2^24-1): " + value.dump());
          }
          (key == "obj" ? e.obj : e.other) = value.get<uint64_t>();
        } else if (key == "value" || key == "aux") {
          if (!value.is_number_integer()) return bad(field, "not an integer: " + value.dump());
          (key == "value" ? e.value : e.aux) = value.get<int64_t>();
        } else if (key == "site") {
          if (!value.is_string() || !IsLowerName(value.get<std::string>(), /*dots=*/true)) {
            return bad(field, "a site is 1-64 of [a-z0-9._-], got " + value.dump());
          }
          e.site = Intern(value.get<std::string>());
        } else {
          return bad(field, "unknown event field");
        }
      }
      if (!has_kind) return bad(at, "missing \"kind\"");
      if (!has_vm) return bad(at, "missing \"vm\"");
      if (!has_current) e.current_vm = e.vm;
      if (*e.site == '\0') e.site = Intern(manifest_.name);
      e.thread = exchange.thread;
      out.push_back(e);
    }
    // Only a reply that is whole reaches the oracles: a bad event anywhere reports none.
    if (observer_ != nullptr) {
      for (const core::Event& e : out)
        observer_->OnEvent(e);
    }
  }
  reply->json = std::move(j);
  return true;
}

StepResult RemoteTarget::Answer(const Reply& reply, bool binds) {
  StepResult r;
  r.error = reply.error;
  if (r.ok() && binds && reply.bound) {
    r.bound = true;
    r.bind = reply.bind;
  }
  return r;
}

void RemoteTarget::Begin(const TargetExecution& exec) {
  std::lock_guard<std::mutex> guard(mu_);
  scenario_ = exec.scenario;
  faults_ = exec.faults;
  observer_ = exec.observer;
  reply_timeout_ = manifest_.reply_timeout;
  if (exec.step_timeout.count() > 0) {
    reply_timeout_ =
        std::min(reply_timeout_, std::max(exec.step_timeout / 2, std::chrono::milliseconds(1)));
  }
  stopped_.assign(scenario_->threads.size(), false);
  live_.clear();
  live_read_ = false;
  failure_.reset();
  if (process_) process_->ClearStderr();
  if (!process_ && !Start()) return;
  Json threads = Json::array();
  for (const ThreadSpec& t : scenario_->threads) {
    threads.push_back(
        Json{{"name", t.name}, {"worker", t.worker}, {"vm", t.vm}, {"spawned", t.spawned}});
  }
  Json request = {
      {"call", "begin"},
      {"scenario", {{"name", scenario_->name}, {"threads", threads}, {"vms", scenario_->vms}}},
      {"faults", faults_}};
  const auto teardown = static_cast<uint32_t>(scenario_->threads.size());
  Reply reply;
  Call(Exchange{.call = "begin", .what = "begin", .thread = teardown, .phase = "setup"},
       request.dump(), &reply);
}

void RemoteTarget::ThreadBegin(uint32_t thread) {
  std::lock_guard<std::mutex> guard(mu_);
  Reply reply;
  Call(Exchange{.call = "thread_begin",
                .what = "thread_begin thread " + std::to_string(thread),
                .thread = thread,
                .phase = "step"},
       Json{{"call", "thread_begin"}, {"thread", thread}}.dump(), &reply);
}

StepResult RemoteTarget::Apply(const StepRequest& req) {
  std::lock_guard<std::mutex> guard(mu_);
  const Step& step = *req.step;
  const OpInfo& info = GetOpInfo(step.op);
  uint32_t index = 0;
  {
    // The step's index in its thread, for the adapter and for messages.
    const auto& steps = scenario_->threads[req.thread].steps;
    index = static_cast<uint32_t>(req.step - steps.data());
  }
  Json request = {
      {"call", "apply"}, {"thread", req.thread}, {"step", index}, {"op", std::string(info.json)}};
  for (const FieldSpec& spec : info.Fields()) {
    switch (spec.field) {
      case Field::kObj:
        request["obj"] = ValueJson(req.obj);
        break;
      case Field::kTo:
        request["to"] = ValueJson(req.to);
        break;
      case Field::kWeak:
        request["weak"] = ValueJson(req.weak);
        break;
      case Field::kHeld:
        if (step.held != kNoVar) request["held"] = ValueJson(req.held);
        break;
      case Field::kToken:
        request["token"] = ValueJson(req.token);
        break;
      case Field::kFrom:
        if (step.from != kNoVar) request["from"] = ValueJson(req.from);
        break;
      case Field::kField:
        request["field"] = step.field;
        break;
      case Field::kVm:
        if (step.vm >= 0) request["vm"] = step.vm;
        break;
      case Field::kWorker:
        request["worker"] = step.worker;
        break;
      case Field::kType:
        request["type"] = std::string(ObjTypeName(step.type));
        break;
      case Field::kAs:
        break;
    }
  }
  Exchange exchange{.call = "apply",
                    .what = "apply thread " + std::to_string(req.thread) + " step " +
                            std::to_string(index) + " (" + std::string(info.json) + ")",
                    .thread = req.thread,
                    .step = index,
                    .op = std::string(info.json),
                    .phase = "step",
                    .step_reply = true};
  Reply reply;
  if (!Call(exchange, request.dump(), &reply)) return StepResult{.error = kTargetFailedError};
  return Answer(reply, info.bind != BindKind::kNone);
}

StepResult RemoteTarget::Discard(uint32_t thread, BindKind kind, const Value& value) {
  std::lock_guard<std::mutex> guard(mu_);
  const bool teardown = thread >= scenario_->threads.size();
  Exchange exchange{.call = "discard",
                    .what = "discard thread " + std::to_string(thread) + " " +
                            std::string(BindKindName(kind)) + " slot " + std::to_string(value.slot),
                    .thread = thread,
                    .phase = teardown ? "teardown" : "step",
                    .step_reply = true};
  Json request = {{"call", "discard"},
                  {"thread", thread},
                  {"kind", std::string(BindKindName(kind))},
                  {"value", ValueJson(value)}};
  Reply reply;
  if (!Call(exchange, request.dump(), &reply)) return StepResult{.error = kTargetFailedError};
  return Answer(reply, /*binds=*/false);
}

bool RemoteTarget::ThreadStopped(uint32_t thread) {
  std::lock_guard<std::mutex> guard(mu_);
  // A failed adapter runs nothing more: every thread stops.
  return failure_.has_value() || (thread < stopped_.size() && stopped_[thread]);
}

void RemoteTarget::ThreadEnd(uint32_t thread) {
  std::lock_guard<std::mutex> guard(mu_);
  Reply reply;
  Call(Exchange{.call = "thread_end",
                .what = "thread_end thread " + std::to_string(thread),
                .thread = thread,
                .phase = "step"},
       Json{{"call", "thread_end"}, {"thread", thread}}.dump(), &reply);
}

void RemoteTarget::Teardown() {
  std::lock_guard<std::mutex> guard(mu_);
  const auto teardown = static_cast<uint32_t>(scenario_->threads.size());
  Reply reply;
  if (!Call(
          Exchange{.call = "teardown", .what = "teardown", .thread = teardown, .phase = "teardown"},
          Json{{"call", "teardown"}}.dump(), &reply)) {
    return;
  }
  Exchange exchange{.call = "live", .what = "live", .thread = teardown, .phase = "teardown"};
  if (!Call(exchange, Json{{"call", "live"}}.dump(), &reply)) return;
  auto live = reply.json.find("live");
  if (live == reply.json.end() || !live->is_array()) {
    Fail(exchange, ViolationKind::kTargetError, "adapter-protocol",
         "/live: expected an array of allocation ids");
    return;
  }
  for (size_t i = 0; i < live->size(); ++i) {
    const Json& id = (*live)[i];
    if (!id.is_number_unsigned() || id.get<uint64_t>() == 0 ||
        id.get<uint64_t>() >= uint64_t(kMaxId) ||
        (!live_.empty() && id.get<uint64_t>() <= live_.back())) {
      Fail(exchange, ViolationKind::kTargetError, "adapter-protocol",
           "/live/" + std::to_string(i) + ": not an ascending allocation id: " + id.dump());
      live_.clear();
      return;
    }
    live_.push_back(id.get<uint64_t>());
  }
  live_read_ = true;
}

std::vector<core::AllocId> RemoteTarget::LiveObjects() {
  std::lock_guard<std::mutex> guard(mu_);
  return live_read_ ? live_ : std::vector<core::AllocId>{};
}

std::optional<ObjectState> RemoteTarget::Inspect(core::AllocId id) {
  std::lock_guard<std::mutex> guard(mu_);
  if (!manifest_.full_event_stream) return std::nullopt;  // only the refcount oracle asks
  const auto teardown = static_cast<uint32_t>(scenario_->threads.size());
  Exchange exchange{.call = "inspect",
                    .what = "inspect #" + std::to_string(id),
                    .thread = teardown,
                    .phase = "step"};
  Reply reply;
  if (!Call(exchange, Json{{"call", "inspect"}, {"id", id}}.dump(), &reply)) return std::nullopt;
  const Json& j = reply.json;
  auto alive = j.find("alive");
  auto refcount = j.find("refcount");
  auto vm = j.find("vm");
  if (alive == j.end() || !alive->is_boolean()) {
    Fail(exchange, ViolationKind::kTargetError, "adapter-protocol",
         "/alive: expected true or false");
    return std::nullopt;
  }
  if (!alive->get<bool>()) return std::nullopt;
  if (refcount == j.end() || !refcount->is_number_integer() || vm == j.end() ||
      !vm->is_number_unsigned() || vm->get<uint64_t>() >= scenario_->vms.size()) {
    Fail(exchange, ViolationKind::kTargetError, "adapter-protocol",
         "expected {\"alive\": true, \"refcount\": N, \"vm\": V}");
    return std::nullopt;
  }
  return ObjectState{id, refcount->get<int64_t>(), static_cast<int16_t>(vm->get<uint64_t>())};
}

void RemoteTarget::End() {
  std::lock_guard<std::mutex> guard(mu_);
  if (scenario_ != nullptr) {
    Reply reply;
    const auto teardown = static_cast<uint32_t>(scenario_->threads.size());
    Call(Exchange{.call = "end", .what = "end", .thread = teardown, .phase = "teardown"},
         Json{{"call", "end"}}.dump(), &reply);
  }
  observer_ = nullptr;
  scenario_ = nullptr;
}

std::optional<TargetFailure> RemoteTarget::Failure() const {
  return failure_;
}

std::vector<TargetInfo> ListRemoteTargets() {
  std::vector<TargetInfo> out;
  for (const std::string& path : FindManifests()) {
    Expected<Manifest> m = LoadManifest(path);
    if (!m) continue;  // MakeTarget of that name says what is wrong with it
    TargetInfo info;
    info.name = m->name;
    info.help = m->help.empty() ? "remote target (" + path + ")" : m->help;
    info.versions = m->versions;
    info.make = [path](const std::string& version) { return MakeRemoteTarget(path, version); };
    out.push_back(std::move(info));
  }
  return out;
}

Expected<std::unique_ptr<Target>> MakeRemoteTarget(const std::string& path,
                                                   const std::string& version) {
  Expected<Manifest> m = LoadManifest(path);
  if (!m) return m.error();
  std::string v = version;
  if (v.empty() && !m->versions.empty()) v = m->versions[0];
  if (!v.empty() && std::find(m->versions.begin(), m->versions.end(), v) == m->versions.end()) {
    return InputError{"<flag>", "--target",
                      "target \"" + m->name + "\" has no version \"" + v + "\" (" + path + ")"};
  }
  return std::unique_ptr<Target>(new RemoteTarget(std::move(m).value(), std::move(v)));
}

}  // namespace gcs::remote
