// gcstress isolation — the wire form of executions and verdicts, from a child to its parent.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>

#include "harness/engine/engine.h"
#include "harness/scenario/violation.h"
#include "harness/scheduler/schedule.h"

// Both ends are the same binary on the same machine (fork, no exec), so integers travel in native
// byte order and nothing is versioned. Strings are a u32 length and the bytes. A trace's `site`
// and `error` fields point at strings with static storage in the child; they travel as text and
// are re-homed in a TraceStrings the decoded execution's owner keeps alive.

namespace gcs::isolation {

class WireWriter {
 public:
  void U8(uint8_t v) { Raw(&v, sizeof v); }
  void U16(uint16_t v) { Raw(&v, sizeof v); }
  void U32(uint32_t v) { Raw(&v, sizeof v); }
  void U64(uint64_t v) { Raw(&v, sizeof v); }
  void I64(int64_t v) { Raw(&v, sizeof v); }
  void Str(std::string_view s);

  const std::string& bytes() const { return bytes_; }
  std::string Take() { return std::move(bytes_); }

 private:
  void Raw(const void* p, size_t n);
  std::string bytes_;
};

// Reads what a WireWriter wrote. A read past the end, or a length that does not fit, sets the
// reader failed for good and returns zeros: check ok() once at the end.
class WireReader {
 public:
  explicit WireReader(std::string_view bytes) : bytes_(bytes) {}

  uint8_t U8();
  uint16_t U16();
  uint32_t U32();
  uint64_t U64();
  int64_t I64();
  std::string Str();
  std::string_view StrView();

  bool ok() const { return ok_; }
  bool AtEnd() const { return ok_ && at_ == bytes_.size(); }

 private:
  bool Raw(void* p, size_t n);
  std::string_view bytes_;
  size_t at_ = 0;
  bool ok_ = true;
};

// Where a decoded trace's site and error texts live; keep it as long as the trace.
using TraceStrings = std::deque<std::string>;

void PutSchedule(WireWriter& w, const sched::Schedule& schedule);
sched::Schedule GetSchedule(WireReader& r);

void PutViolation(WireWriter& w, const Violation& violation);
Violation GetViolation(WireReader& r);

// Everything in an Execution, the trace included.
void PutExecution(WireWriter& w, const Execution& execution);
Execution GetExecution(WireReader& r, TraceStrings& strings);

}  // namespace gcs::isolation
