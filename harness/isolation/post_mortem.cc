// gcstress isolation — PostMortem: precedence of evidence, where it struck, the verdict.
#include "harness/isolation/post_mortem.h"

#include <algorithm>
#include <csignal>
#include <cstring>
#include <optional>

#include "harness/isolation/sanitizer_report.h"
#include "harness/isolation/symbolizer.h"
#include "harness/scenario/scenario_encoder.h"

namespace gcs::isolation {
namespace {

constexpr auto kRelaxed = std::memory_order_relaxed;

// Where the evidence points: a scenario thread and its step, or none (setup, teardown, judge).
struct Place {
  ExecState state = ExecState::kIdle;
  uint32_t thread = kNoThreadIndex;
  uint32_t step = 0;
  bool in_step = false;
};

uint32_t NumThreads(const Scenario& s, const ProgressPage& p) {
  const uint32_t n = p.num_threads.load(kRelaxed);
  return n < s.threads.size() ? n : static_cast<uint32_t>(s.threads.size());
}

Place FromSlot(const ProgressPage& p, ExecState state, uint32_t thread) {
  Place place;
  place.state = state;
  place.thread = thread;
  place.step = p.threads[thread].step.load(kRelaxed);
  place.in_step =
      p.threads[thread].state.load(kRelaxed) == static_cast<uint32_t>(ThreadState::kInStep);
  return place;
}

// The fatal event's own snapshot if it names a thread; else the running thread; else the lowest
// thread inside a step.
Place Locate(const Scenario& s, const ProgressPage& p) {
  const uint32_t n = NumThreads(s, p);
  const FatalEvent& f = p.fatal;
  if (f.claimed.load(std::memory_order_acquire) == 2) {
    Place place;
    place.state = static_cast<ExecState>(f.exec_state);
    if (f.thread < n) {
      place.thread = f.thread;
      place.step = f.step;
      place.in_step = f.thread_state == static_cast<uint32_t>(ThreadState::kInStep);
      return place;
    }
    if (place.state == ExecState::kSteps && f.running < n)
      return FromSlot(p, place.state, f.running);
    return place;
  }
  const auto state = static_cast<ExecState>(p.state.load(kRelaxed));
  const uint32_t running = p.running.load(kRelaxed);
  if (state == ExecState::kSteps && running < n) return FromSlot(p, state, running);
  if (state == ExecState::kSteps) {
    for (uint32_t t = 0; t < n; ++t) {
      if (p.threads[t].state.load(kRelaxed) == static_cast<uint32_t>(ThreadState::kInStep)) {
        return FromSlot(p, state, t);
      }
    }
  }
  Place place;
  place.state = state;
  return place;
}

std::string ThreadName(const Scenario& s, uint32_t t) {
  return t < s.threads.size() ? s.threads[t].name : "thread " + std::to_string(t);
}

std::string StepText(const Scenario& s, uint32_t t, uint32_t step) {
  if (t >= s.threads.size() || step >= s.threads[t].steps.size()) return "?";
  return FormatStep(s, s.threads[t].steps[step]);
}

// Fills thread, step, op and phase of `v` from `place`.
void PlaceVerdict(const Scenario& s, const Place& place, bool with_op, Violation* v) {
  v->phase =
      std::string(ExecStateName(place.state == ExecState::kIdle ? ExecState::kJudge : place.state));
  if (place.thread < s.threads.size() && place.step < s.threads[place.thread].steps.size()) {
    v->thread = place.thread;
    v->step = place.step;
    if (with_op && place.in_step) {
      v->op = std::string(OpName(s.threads[place.thread].steps[place.step].op));
    }
    return;
  }
  v->thread = static_cast<uint32_t>(s.threads.size());
  v->step = 0;
}

std::string Where(const Scenario& s, const Place& place) {
  if (place.thread < s.threads.size()) {
    return ThreadName(s, place.thread) + (place.in_step ? " at step " : " after step ") +
           std::to_string(place.step) + " (" + StepText(s, place.thread, place.step) + ")";
  }
  return std::string("during ") + std::string(ExecStateName(place.state));
}

std::string Lower(std::string s) {
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return s;
}

std::string SignalName(int signal) {
  const char* abbrev = sigabbrev_np(signal);
  return abbrev != nullptr ? "SIG" + std::string(abbrev) : "signal-" + std::to_string(signal);
}

// The "file:line: GCS_CHECK failed: ..." line a failed check printed, if any.
std::optional<std::string> CheckLine(std::string_view text) {
  const size_t at = text.rfind("GCS_CHECK failed: ");
  if (at == std::string_view::npos) return std::nullopt;
  const size_t start = text.rfind('\n', at);
  const size_t begin = start == std::string_view::npos ? 0 : start + 1;
  const size_t end = std::min(text.find('\n', at), text.size());
  return std::string(text.substr(begin, end - begin));
}

std::string BacktraceFunction(const FatalEvent& f) {
  if (f.backtrace_depth == 0) return "";
  return FirstOwnFunction(Symbolize(f.backtrace, f.backtrace_depth));
}

}  // namespace

bool DiedInExecution(const PageRegion& region) {
  const ProgressPage& p = region.page();
  if (p.iteration.load(kRelaxed) == kNoIteration) return false;
  return p.state.load(kRelaxed) != static_cast<uint32_t>(ExecState::kIdle) ||
         p.reports.load(kRelaxed) > 0;
}

std::string DescribeThreads(const Scenario& s, const ProgressPage& p) {
  std::string out;
  const uint32_t n = NumThreads(s, p);
  for (uint32_t t = 0; t < n; ++t) {
    const auto state = static_cast<ThreadState>(p.threads[t].state.load(kRelaxed));
    const uint32_t step = p.threads[t].step.load(kRelaxed);
    std::string part = ThreadName(s, t);
    switch (state) {
      case ThreadState::kNotStarted:
        part += " not started";
        break;
      case ThreadState::kInStep:
        part += " at step " + std::to_string(step) + " (" + StepText(s, t, step) + ")";
        break;
      case ThreadState::kBetweenSteps:
        part += " after step " + std::to_string(step) + " (" + StepText(s, t, step) + ")";
        break;
      case ThreadState::kFinished:
        part += " finished";
        break;
    }
    out += (out.empty() ? "" : "; ") + part;
  }
  return out;
}

namespace {

DeathReport DeathVerdict(const DeathInput& in) {
  const Scenario& s = *in.scenario;
  const ProgressPage& p = in.region->page();
  DeathReport out;
  out.iteration = p.iteration.load(kRelaxed);
  out.schedule_complete = in.region->ReadSchedule(&out.schedule);
  out.evidence = std::string(in.stderr_text);
  out.evidence_file = "crash.txt";
  const Place place = Locate(s, p);
  Violation& v = out.verdict;

  const std::string summary = in.region->Summary();
  std::optional<SanitizerFinding> finding;
  if (p.reports.load(kRelaxed) > 0 || in.stderr_text.find("Sanitizer") != std::string_view::npos) {
    finding = FindSanitizerReport(in.stderr_text, summary);
  }
  if (finding) {
    v.kind = finding->kind;
    PlaceVerdict(s, place, v.kind != ViolationKind::kDataRace, &v);
    if (v.kind == ViolationKind::kCrash) {
      const std::string cause = Lower(finding->what);
      v.site = finding->site.empty() ? cause : cause + ":" + finding->site;
    } else {
      v.site = finding->site;
    }
    v.message = finding->tool + ": " + finding->what +
                (finding->site.empty() ? "" : " in " + finding->site) + ", " + Where(s, place);
    out.evidence_file = "sanitizer.txt";
    return out;
  }
  if (in.hung) {
    v.kind = ViolationKind::kHang;
    PlaceVerdict(s, place, true, &v);
    v.message = "no schedule progress for " + std::to_string(in.step_timeout.count()) +
                " ms: " + DescribeThreads(s, p);
    if (place.thread >= s.threads.size()) {
      v.message += std::string(" (stuck in ") + std::string(ExecStateName(place.state)) + ")";
    }
    return out;
  }
  v.kind = ViolationKind::kCrash;
  PlaceVerdict(s, place, true, &v);
  const FatalEvent& f = p.fatal;
  const bool noted = f.claimed.load(std::memory_order_acquire) == 2 && f.signal != 0;
  const int signal = noted ? f.signal : in.exit.exited ? 0 : in.exit.signal;
  const std::string function = noted ? BacktraceFunction(f) : "";
  const std::optional<std::string> check = CheckLine(in.stderr_text);
  std::string cause;
  if (check && signal == SIGABRT) {
    cause = "check";
    v.message = *check;
  } else if (signal != 0) {
    cause = Lower(SignalName(signal));
    v.message =
        SignalName(signal) + " (" +
        std::string(sigdescr_np(signal) != nullptr ? sigdescr_np(signal) : "unknown signal") + ")";
  } else {
    cause = "exit-" + std::to_string(in.exit.code);
    v.message = "the process exited with code " + std::to_string(in.exit.code);
  }
  v.site = function.empty() ? cause : cause + ":" + function;
  v.message += (function.empty() ? "" : " in " + function) + ", " + Where(s, place);
  return out;
}

}  // namespace

DeathReport PostMortem(const DeathInput& in) {
  DeathReport out = DeathVerdict(in);
  // What the oracles found before the death replaces the death's verdict only if it is of a more
  // severe kind: a target touching memory the oracles just saw freed dies of a crash, and their
  // use-after-free is the verdict, the crash (its report kept as evidence) what followed from
  // it. A sanitizer's report of the same kind keeps its own site, as before.
  std::optional<Violation> found = in.region->Finding();
  if (!found || static_cast<int>(found->kind) >= static_cast<int>(out.verdict.kind)) return out;
  found->message += "; then " + out.verdict.message;
  out.verdict = std::move(*found);
  return out;
}

DeathReport HangPostMortem(const Scenario& scenario, const PageRegion& region,
                           std::chrono::milliseconds step_timeout) {
  DeathInput in;
  in.scenario = &scenario;
  in.region = &region;
  in.hung = true;
  in.step_timeout = step_timeout;
  return PostMortem(in);
}

}  // namespace gcs::isolation
