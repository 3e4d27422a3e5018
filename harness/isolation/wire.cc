// gcstress isolation — the wire form: integers, strings, schedules, verdicts, executions.
#include "harness/isolation/wire.h"

#include <cstring>
#include <map>

namespace gcs::isolation {

void WireWriter::Raw(const void* p, size_t n) {
  bytes_.append(static_cast<const char*>(p), n);
}

void WireWriter::Str(std::string_view s) {
  U32(static_cast<uint32_t>(s.size()));
  bytes_.append(s.data(), s.size());
}

bool WireReader::Raw(void* p, size_t n) {
  if (!ok_ || bytes_.size() - at_ < n) {
    ok_ = false;
    std::memset(p, 0, n);
    return false;
  }
  std::memcpy(p, bytes_.data() + at_, n);
  at_ += n;
  return true;
}

uint8_t WireReader::U8() {
  uint8_t v;
  Raw(&v, sizeof v);
  return v;
}
uint16_t WireReader::U16() {
  uint16_t v;
  Raw(&v, sizeof v);
  return v;
}
uint32_t WireReader::U32() {
  uint32_t v;
  Raw(&v, sizeof v);
  return v;
}
uint64_t WireReader::U64() {
  uint64_t v;
  Raw(&v, sizeof v);
  return v;
}
int64_t WireReader::I64() {
  int64_t v;
  Raw(&v, sizeof v);
  return v;
}

std::string_view WireReader::StrView() {
  const uint32_t n = U32();
  if (!ok_ || bytes_.size() - at_ < n) {
    ok_ = false;
    return {};
  }
  const std::string_view s = bytes_.substr(at_, n);
  at_ += n;
  return s;
}

std::string WireReader::Str() {
  return std::string(StrView());
}

void PutSchedule(WireWriter& w, const sched::Schedule& s) {
  w.U64(s.seed);
  w.Str(s.strategy);
  w.U64(s.decisions.size());
  for (const sched::Decision& d : s.decisions) {
    w.U8(static_cast<uint8_t>(d.kind));
    w.U64(d.value);
  }
}

sched::Schedule GetSchedule(WireReader& r) {
  sched::Schedule s;
  s.seed = r.U64();
  s.strategy = r.Str();
  const uint64_t n = r.U64();
  for (uint64_t i = 0; i < n && r.ok(); ++i) {
    const uint8_t kind = r.U8();
    const uint64_t value = r.U64();
    s.decisions.push_back(kind == static_cast<uint8_t>(sched::Decision::Kind::kDraw)
                              ? sched::DrawDecision(value)
                              : sched::ThreadDecision(value));
  }
  return s;
}

void PutViolation(WireWriter& w, const Violation& v) {
  w.U8(static_cast<uint8_t>(v.kind));
  w.Str(v.message);
  w.U32(v.thread);
  w.U32(v.step);
  w.Str(v.op);
  w.Str(v.phase);
  w.Str(v.site);
  w.U64(v.obj);
  w.U64(v.trace_index);
}

Violation GetViolation(WireReader& r) {
  Violation v;
  v.kind = static_cast<ViolationKind>(r.U8());
  v.message = r.Str();
  v.thread = r.U32();
  v.step = r.U32();
  v.op = r.Str();
  v.phase = r.Str();
  v.site = r.Str();
  v.obj = r.U64();
  v.trace_index = r.U64();
  return v;
}

namespace {

// One copy of each distinct text per decoded execution.
class Interner {
 public:
  explicit Interner(TraceStrings& strings) : strings_(strings) {}
  const char* Get(std::string_view text) {
    if (text.empty()) return "";
    auto it = index_.find(text);
    if (it != index_.end()) return it->second;
    strings_.emplace_back(text);
    const char* p = strings_.back().c_str();
    index_.emplace(strings_.back(), p);
    return p;
  }

 private:
  TraceStrings& strings_;
  std::map<std::string, const char*, std::less<>> index_;
};

}  // namespace

void PutExecution(WireWriter& w, const Execution& e) {
  w.U64(e.seed);
  w.U8(e.free_mode ? 1 : 0);
  w.U8(static_cast<uint8_t>(e.outcome));
  PutSchedule(w, e.schedule);
  w.U64(e.blocked.size());
  for (const sched::BlockedThread& b : e.blocked) {
    w.U32(b.thread);
    w.U64(b.resource);
  }
  w.U8(e.strategy_exhausted ? 1 : 0);
  w.U8(e.torn_down ? 1 : 0);
  w.U64(e.live_after_teardown.size());
  for (core::AllocId id : e.live_after_teardown)
    w.U64(id);
  w.U64(e.steps);
  w.U64(e.trace.entries.size());
  for (const TraceEntry& t : e.trace.entries) {
    w.U8(static_cast<uint8_t>(t.kind));
    w.U32(t.thread);
    w.U32(t.step);
    w.U32(t.to);
    w.U16(t.var);
    w.Str(t.site != nullptr ? t.site : "");
    w.Str(t.error);
    w.U32(t.value.slot);
    w.U64(t.value.obj);
    const core::Event& ev = t.event;
    w.U8(static_cast<uint8_t>(ev.kind));
    w.U16(ev.vm);
    w.U16(ev.current_vm);
    w.U32(ev.thread);
    w.U64(ev.obj);
    w.U64(ev.other);
    w.I64(ev.value);
    w.I64(ev.aux);
    w.Str(ev.site != nullptr ? ev.site : "");
  }
  w.U8(e.target_failure ? 1 : 0);
  if (e.target_failure) {
    const TargetFailure& f = *e.target_failure;
    PutViolation(w, f.violation);
    w.Str(f.evidence);
    w.Str(f.evidence_file);
  }
}

Execution GetExecution(WireReader& r, TraceStrings& strings) {
  Interner interner(strings);
  Execution e;
  e.seed = r.U64();
  e.free_mode = r.U8() != 0;
  e.outcome = static_cast<sched::ExecutionResult::Outcome>(r.U8());
  e.schedule = GetSchedule(r);
  const uint64_t blocked = r.U64();
  for (uint64_t i = 0; i < blocked && r.ok(); ++i) {
    sched::BlockedThread b;
    b.thread = r.U32();
    b.resource = r.U64();
    e.blocked.push_back(b);
  }
  e.strategy_exhausted = r.U8() != 0;
  e.torn_down = r.U8() != 0;
  const uint64_t live = r.U64();
  for (uint64_t i = 0; i < live && r.ok(); ++i)
    e.live_after_teardown.push_back(r.U64());
  e.steps = r.U64();
  const uint64_t entries = r.U64();
  for (uint64_t i = 0; i < entries && r.ok(); ++i) {
    TraceEntry t;
    t.kind = static_cast<TraceEntry::Kind>(r.U8());
    t.thread = r.U32();
    t.step = r.U32();
    t.to = r.U32();
    t.var = r.U16();
    t.site = interner.Get(r.StrView());
    t.error = interner.Get(r.StrView());
    t.value.slot = r.U32();
    t.value.obj = r.U64();
    core::Event& ev = t.event;
    ev.kind = static_cast<core::EventKind>(r.U8());
    ev.vm = r.U16();
    ev.current_vm = r.U16();
    ev.thread = r.U32();
    ev.obj = r.U64();
    ev.other = r.U64();
    ev.value = r.I64();
    ev.aux = r.I64();
    ev.site = interner.Get(r.StrView());
    e.trace.entries.push_back(t);
  }
  if (r.U8() != 0) {
    TargetFailure f;
    f.violation = GetViolation(r);
    f.evidence = r.Str();
    f.evidence_file = r.Str();
    e.target_failure = std::move(f);
  }
  return e;
}

}  // namespace gcs::isolation
