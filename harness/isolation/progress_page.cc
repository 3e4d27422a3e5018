// gcstress isolation — ProgressPage: the mapping, and reading and writing its fields.
#include "harness/isolation/progress_page.h"

#include <sys/mman.h>

#include <cerrno>
#include <cstring>
#include <new>
#include <utility>

#include "core/check.h"

namespace gcs::isolation {

std::string_view ExecStateName(ExecState state) {
  switch (state) {
    case ExecState::kIdle:
      return "idle";
    case ExecState::kSetup:
      return "setup";
    case ExecState::kSteps:
      return "step";
    case ExecState::kTeardown:
      return "teardown";
    case ExecState::kJudge:
      return "judge";
  }
  return "?";
}

uint32_t CopyBounded(char* field, size_t capacity, const char* text, size_t length) {
  const size_t n = length < capacity ? length : capacity;
  for (size_t i = 0; i < n; ++i)
    field[i] = text[i];
  return static_cast<uint32_t>(n);
}

namespace {

// The log starts on its own cache line after the header.
constexpr size_t kLogOffset = (sizeof(ProgressPage) + 63) / 64 * 64;

}  // namespace

Expected<PageRegion> PageRegion::Create(bool shared, size_t bytes) {
  GCS_CHECK_MSG(bytes > kLogOffset, "a page region too small for its header");
  // MAP_NORESERVE: the log is sized for the longest schedule, but only the pages an execution
  // writes are ever backed.
  void* p = ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE,
                   (shared ? MAP_SHARED : MAP_PRIVATE) | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (p == MAP_FAILED) {
    return InputError{"<isolation>", "mmap",
                      "cannot map " + std::to_string(bytes) + " bytes: " + std::strerror(errno)};
  }
  PageRegion region(new (p) ProgressPage, bytes);
  return region;
}

PageRegion::PageRegion(ProgressPage* page, size_t bytes)
    : page_(page), bytes_(bytes), capacity_((bytes - kLogOffset) / sizeof(DecisionWord)) {}

PageRegion::PageRegion(PageRegion&& other) noexcept
    : page_(std::exchange(other.page_, nullptr)),
      bytes_(std::exchange(other.bytes_, 0)),
      capacity_(std::exchange(other.capacity_, 0)) {}

PageRegion& PageRegion::operator=(PageRegion&& other) noexcept {
  // The old mapping goes with `other`.
  std::swap(page_, other.page_);
  std::swap(bytes_, other.bytes_);
  std::swap(capacity_, other.capacity_);
  return *this;
}

PageRegion::~PageRegion() {
  if (page_ != nullptr) {
    // munmap fails only for a range that is not a mapping; ours always is.
    GCS_CHECK(::munmap(page_, bytes_) == 0);
  }
}

void PageRegion::Reset() {
  page_->~ProgressPage();
  new (page_) ProgressPage;
}

PageRegion::DecisionWord* PageRegion::log() const {
  return reinterpret_cast<DecisionWord*>(reinterpret_cast<char*>(page_) + kLogOffset);
}

void PageRegion::SetScenario(uint64_t serial, std::string_view name) {
  ProgressPage& p = *page_;
  p.scenario_name_length.store(
      CopyBounded(p.scenario_name, ProgressPage::kMaxScenarioName, name.data(), name.size()),
      std::memory_order_relaxed);
  p.scenario.store(serial, std::memory_order_release);
}

void PageRegion::BeginExecution(uint64_t seed, uint32_t num_threads) {
  ProgressPage& p = *page_;
  const uint32_t n =
      num_threads < ProgressPage::kMaxThreads ? num_threads : ProgressPage::kMaxThreads;
  for (uint32_t t = 0; t < n; ++t) {
    p.threads[t].state.store(static_cast<uint32_t>(ThreadState::kNotStarted),
                             std::memory_order_relaxed);
    p.threads[t].step.store(0, std::memory_order_relaxed);
    p.threads[t].tid.store(0, std::memory_order_relaxed);
  }
  p.num_threads.store(n, std::memory_order_relaxed);
  p.seed.store(seed, std::memory_order_relaxed);
  p.decisions.store(0, std::memory_order_relaxed);
  p.spec_length.store(0, std::memory_order_relaxed);
  p.running.store(kNoThreadIndex, std::memory_order_relaxed);
  p.finding.state.store(0, std::memory_order_relaxed);
  p.progress.fetch_add(1, std::memory_order_relaxed);
  p.state.store(static_cast<uint32_t>(ExecState::kSetup), std::memory_order_release);
}

void PageRegion::NoteFinding(const Violation& v) {
  OracleFinding& f = page_->finding;
  if (f.state.load(std::memory_order_relaxed) == 2 && f.kind <= static_cast<uint32_t>(v.kind)) {
    return;  // as severe or more, and earlier
  }
  f.state.store(1, std::memory_order_relaxed);
  f.kind = static_cast<uint32_t>(v.kind);
  f.thread = v.thread;
  f.step = v.step;
  f.obj = v.obj;
  f.trace_index = v.trace_index;
  f.op_length = CopyBounded(f.op, sizeof f.op, v.op.data(), v.op.size());
  f.phase_length = CopyBounded(f.phase, sizeof f.phase, v.phase.data(), v.phase.size());
  f.site_length = CopyBounded(f.site, sizeof f.site, v.site.data(), v.site.size());
  f.message_length = CopyBounded(f.message, sizeof f.message, v.message.data(), v.message.size());
  f.state.store(2, std::memory_order_release);
}

std::optional<Violation> PageRegion::Finding() const {
  const OracleFinding& f = page_->finding;
  if (f.state.load(std::memory_order_acquire) != 2) return std::nullopt;
  Violation v;
  v.kind = static_cast<ViolationKind>(f.kind);
  v.thread = f.thread;
  v.step = f.step;
  v.obj = f.obj;
  v.trace_index = f.trace_index;
  v.op.assign(f.op, std::min<size_t>(f.op_length, sizeof f.op));
  v.phase.assign(f.phase, std::min<size_t>(f.phase_length, sizeof f.phase));
  v.site.assign(f.site, std::min<size_t>(f.site_length, sizeof f.site));
  v.message.assign(f.message, std::min<size_t>(f.message_length, sizeof f.message));
  return v;
}

void PageRegion::SetSpec(std::string_view spec) {
  page_->spec_length.store(
      CopyBounded(page_->spec, ProgressPage::kMaxSpec, spec.data(), spec.size()),
      std::memory_order_release);
}

void PageRegion::AppendDecision(const sched::Decision& decision) {
  const uint64_t n = page_->decisions.load(std::memory_order_relaxed);
  if (n < capacity_) {
    log()[n] = DecisionWord{static_cast<uint64_t>(decision.kind), decision.value};
  }
  page_->decisions.store(n + 1, std::memory_order_release);
  page_->progress.fetch_add(1, std::memory_order_relaxed);
}

bool PageRegion::ReadSchedule(sched::Schedule* out) const {
  out->seed = page_->seed.load(std::memory_order_relaxed);
  out->strategy = Spec();
  const uint64_t n = page_->decisions.load(std::memory_order_acquire);
  const uint64_t kept = n < capacity_ ? n : capacity_;
  out->decisions.clear();
  out->decisions.reserve(kept);
  for (uint64_t i = 0; i < kept; ++i) {
    const DecisionWord w = log()[i];
    out->decisions.push_back(w.kind == static_cast<uint64_t>(sched::Decision::Kind::kDraw)
                                 ? sched::DrawDecision(w.value)
                                 : sched::ThreadDecision(w.value));
  }
  return kept == n;
}

std::string PageRegion::Spec() const {
  const uint32_t n = page_->spec_length.load(std::memory_order_acquire);
  return std::string(page_->spec, n < ProgressPage::kMaxSpec ? n : ProgressPage::kMaxSpec);
}

std::string PageRegion::Summary() const {
  const uint32_t n = page_->summary_length.load(std::memory_order_acquire);
  return std::string(page_->summary, n < ProgressPage::kMaxSummary ? n : ProgressPage::kMaxSummary);
}

std::string PageRegion::ScenarioName() const {
  // The name is written before the serial, which is stored with release.
  if (page_->scenario.load(std::memory_order_acquire) == 0) return "";
  const uint32_t n = page_->scenario_name_length.load(std::memory_order_relaxed);
  return std::string(page_->scenario_name,
                     n < ProgressPage::kMaxScenarioName ? n : ProgressPage::kMaxScenarioName);
}

}  // namespace gcs::isolation
