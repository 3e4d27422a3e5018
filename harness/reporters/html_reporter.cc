// gcstress reporters — report.html: the page, its SVG timeline and its tables.
#include "harness/reporters/html_reporter.h"

#include <algorithm>
#include <cstdio>
#include <map>

#include "harness/reporters/xml_text.h"
#include "harness/runner/report_dir.h"

namespace gcs::reporters {
namespace {

// Timeline geometry, in SVG user units (= CSS pixels at 100%).
constexpr int kGutter = 150;  // lane and object labels
constexpr int kCol = 100;     // one column per step
constexpr int kTop = 34;      // column numbers and the violation's label
constexpr int kLane = 52;     // lane height
constexpr int kBox = 38;      // step box height
constexpr int kObjTop = 30;   // gap between the lanes and the object bars
constexpr int kObjRow = 22;   // object bar row height
constexpr size_t kLabelChars = 13;

std::string E(std::string_view text) {
  return XmlEscape(text);
}

std::string N(int64_t v) {
  return std::to_string(v);
}

std::string Truncate(const std::string& s, size_t n) {
  if (s.size() <= n) return s;
  return s.substr(0, n - 1) + "~";
}

std::string Percent(uint32_t part, uint32_t whole) {
  if (whole == 0) return "-";
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.0f%%", 100.0 * part / whole);
  return buf;
}

const char* kStyle = R"CSS(
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1f2937;background:#f8fafc}
header{background:#fff;border-bottom:1px solid #e5e7eb;padding:14px 24px}
main{padding:6px 24px 40px}
h1{font-size:22px;margin:0 0 4px}
h2{font-size:16px;margin:22px 0 8px;color:#111827}
.kind{display:inline-block;background:#dc2626;color:#fff;border-radius:4px;padding:1px 8px;margin-right:8px}
.sig,.mono,pre,code,td.mono{font-family:ui-monospace,"DejaVu Sans Mono",Menlo,monospace;font-size:12.5px}
.sig{color:#6b7280;margin:2px 0}
.msg{font-size:15px;margin:6px 0;color:#991b1b}
.facts{display:flex;flex-wrap:wrap;gap:6px 18px;margin:6px 0;font-size:13px;color:#374151}
.facts b{color:#111827;font-weight:600}
.replay{display:flex;align-items:center;gap:8px;margin-top:8px}
.replay code{background:#111827;color:#f9fafb;padding:6px 10px;border-radius:5px}
button.copy{font-size:12px;padding:4px 10px;border:1px solid #9ca3af;border-radius:4px;background:#fff;cursor:pointer}
.rate-ok{color:#047857;font-weight:600}.rate-bad{color:#b45309;font-weight:600}
.scroll{overflow-x:auto;background:#fff;border:1px solid #e5e7eb;border-radius:6px}
.legend{font-size:12px;color:#4b5563;margin:6px 0;display:flex;gap:14px;flex-wrap:wrap}
.sw{display:inline-block;width:12px;height:12px;border-radius:3px;vertical-align:-2px;margin-right:4px;border:1px solid #9ca3af}
table{border-collapse:collapse;background:#fff;font-size:13px;margin:4px 0}
th,td{border:1px solid #e5e7eb;padding:3px 8px;text-align:left;vertical-align:top}
th{background:#f3f4f6}
tr.hit td{background:#fee2e2}
.threads{display:flex;gap:14px;flex-wrap:wrap;align-items:flex-start}
pre{background:#fff;border:1px solid #e5e7eb;border-radius:6px;padding:8px;overflow-x:auto}
pre span{display:block}pre span.hit{background:#fee2e2;color:#991b1b;font-weight:600}
details{margin:10px 0}summary{cursor:pointer;font-weight:600}
svg text{font-family:ui-monospace,"DejaVu Sans Mono",Menlo,monospace}
.lane-label{font-size:13px;font-weight:600;fill:#111827}
.colnum{font-size:10px;fill:#9ca3af}
.step rect{stroke:#64748b;stroke-width:1}
.step text{font-size:11px;fill:#111827}.step text.sub{font-size:9.5px;fill:#4b5563}
.ok rect{fill:#dbeafe}.error rect{fill:#fde68a}.skipped rect{fill:#f3f4f6;stroke-dasharray:4 3}
.stopped rect{fill:#e5e7eb}.running rect{fill:#ede9fe}.setup rect,.teardown rect{fill:#ecfdf5}
.viol rect{fill:#fecaca;stroke:#dc2626;stroke-width:3}
.handoff{fill:none;stroke:#94a3b8;stroke-width:1.2}
.vrule{stroke:#dc2626;stroke-width:2;stroke-dasharray:6 4}
.vlabel{fill:#dc2626;font-size:12px;font-weight:700}
.bar{fill:#93c5fd}.bar.named{fill:#60a5fa;stroke:#1d4ed8;stroke-width:1.5}
.bar.leak{fill:#fdba74}.bar.twice{fill:#f87171;stroke:#b91c1c;stroke-width:2}
.obj-label{font-size:11px;fill:#374151}.obj-label.named{font-weight:700;fill:#1d4ed8}
.mark{font-size:11px;font-weight:700}.mark.up{fill:#047857}.mark.down{fill:#b45309}.mark.free{fill:#b91c1c}.mark.other{fill:#6b7280}
)CSS";

const char* kScript = R"JS(
document.querySelectorAll('button.copy').forEach(function (b) {
  b.addEventListener('click', function () {
    if (navigator.clipboard) navigator.clipboard.writeText(b.getAttribute('data-text'));
    b.textContent = 'copied';
  });
});
)JS";

std::string LaneName(const FailureReport& r, uint32_t lane) {
  if (lane < r.threads.size()) return r.threads[lane].name;
  return "setup / teardown";
}

int ColumnX(int64_t c) {
  return kGutter + static_cast<int>(c) * kCol;
}

int LaneY(uint32_t lane) {
  return kTop + static_cast<int>(lane) * kLane;
}

// The objects drawn: those the violations name first, then every other non-type object, by id.
std::vector<const ObjectEntry*> DrawnObjects(const FailureReport& r, size_t* hidden_types) {
  std::vector<const ObjectEntry*> out;
  *hidden_types = 0;
  for (const ObjectEntry& o : r.objects) {
    if (o.named) out.push_back(&o);
  }
  for (const ObjectEntry& o : r.objects) {
    if (o.named) continue;
    if (o.type_object) {
      ++*hidden_types;
      continue;
    }
    out.push_back(&o);
  }
  return out;
}

// The mark a history entry leaves on its object's bar.
struct Mark {
  const char* glyph;
  const char* cls;
  int slot;  // its place within the column, so that marks of one column never overlap
};
Mark MarkOf(const HistoryEntry& h) {
  if (h.what.rfind("incref", 0) == 0) return {"+", "up", 0};
  if (h.what.rfind("decref", 0) == 0) return {"-", "down", 1};
  if (h.what.rfind("queued", 0) == 0 || h.what.rfind("applied", 0) == 0) return {"o", "other", 2};
  if (h.what == "freed") return {"x", "free", 3};
  return {"", "", 0};
}

void Svg(std::string& o, const FailureReport& r) {
  const auto cols = static_cast<int64_t>(r.steps.size());
  const uint32_t lanes = static_cast<uint32_t>(r.threads.size()) + 1;
  size_t hidden_types = 0;
  const std::vector<const ObjectEntry*> objects = DrawnObjects(r, &hidden_types);
  const int obj_y0 = LaneY(lanes) + kObjTop;
  // Room on the right for "never freed" / "freed x2" after a bar that reaches the last column.
  const int width = ColumnX(std::max<int64_t>(cols, 1)) + 96;
  const int height = obj_y0 + static_cast<int>(objects.size()) * kObjRow + 16;
  o += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + N(width) + "\" height=\"" +
       N(height) + "\" viewBox=\"0 0 " + N(width) + " " + N(height) +
       "\" role=\"img\" aria-label=\"timeline\">\n";
  // Lanes: a band and a name each.
  for (uint32_t lane = 0; lane < lanes; ++lane) {
    const int y = LaneY(lane);
    o += "<rect x=\"0\" y=\"" + N(y) + "\" width=\"" + N(width) + "\" height=\"" + N(kLane) +
         "\" fill=\"" + (lane % 2 == 0 ? "#ffffff" : "#f8fafc") + "\"/>\n";
    o += "<text class=\"lane-label\" x=\"10\" y=\"" + N(y + kLane / 2 + 4) + "\">" +
         E(Truncate(LaneName(r, lane), 19)) + "</text>\n";
  }
  for (int64_t c = 0; c < cols; ++c) {
    o += "<text class=\"colnum\" x=\"" + N(ColumnX(c) + kCol / 2) + "\" y=\"" + N(kTop - 6) +
         "\" text-anchor=\"middle\">" + N(c) + "</text>\n";
  }
  // Hand-offs: where the next column is on another lane, control passed between threads.
  for (int64_t c = 1; c < cols; ++c) {
    const StepEntry& a = r.steps[static_cast<size_t>(c - 1)];
    const StepEntry& b = r.steps[static_cast<size_t>(c)];
    if (a.lane == b.lane) continue;
    const int x1 = ColumnX(c - 1) + kCol - 6, y1 = LaneY(a.lane) + kLane / 2;
    const int x2 = ColumnX(c) + 6, y2 = LaneY(b.lane) + kLane / 2;
    const int mid = (x1 + x2) / 2;
    o += "<path class=\"handoff\" d=\"M" + N(x1) + " " + N(y1) + " C" + N(mid) + " " + N(y1) + " " +
         N(mid) + " " + N(y2) + " " + N(x2) + " " + N(y2) + "\"/>\n";
  }
  // Steps.
  for (int64_t c = 0; c < cols; ++c) {
    const StepEntry& s = r.steps[static_cast<size_t>(c)];
    const int x = ColumnX(c) + 6, y = LaneY(s.lane) + (kLane - kBox) / 2;
    std::string title = LaneName(r, s.lane) + (s.step >= 0 ? " step " + N(s.step) + ": " : ": ") +
                        s.label + " [" + s.result + (s.detail.empty() ? "" : ": " + s.detail) + "]";
    for (const std::string& ev : s.events)
      title += "\n  " + ev;
    o += "<a href=\"#e" + N(static_cast<int64_t>(s.first_entry)) + "\"><g class=\"step " +
         E(s.result) + (s.violation ? " viol" : "") + "\" id=\"c" + N(c) + "\"><title>" + E(title) +
         "</title>";
    o += "<rect x=\"" + N(x) + "\" y=\"" + N(y) + "\" width=\"" + N(kCol - 12) + "\" height=\"" +
         N(kBox) + "\" rx=\"6\"/>";
    o += "<text x=\"" + N(x + 6) + "\" y=\"" + N(y + 15) + "\">" +
         E(Truncate(s.label, kLabelChars)) + "</text>";
    std::string sub = s.step >= 0 ? "step " + N(s.step) : s.result;
    if (s.result == "error" || s.result == "skipped") sub += " " + s.result;
    if (!s.events.empty()) sub += " \xC2\xB7 " + N(static_cast<int64_t>(s.events.size())) + " ev";
    o += "<text class=\"sub\" x=\"" + N(x + 6) + "\" y=\"" + N(y + 30) + "\">" +
         E(Truncate(sub, 17)) + "</text></g></a>\n";
  }
  // Objects: a bar from alloc to free.
  std::map<uint64_t, std::vector<const HistoryEntry*>> history;
  for (const HistoryEntry& h : r.histories)
    history[h.obj].push_back(&h);
  o += "<text class=\"colnum\" x=\"10\" y=\"" + N(obj_y0 - 8) + "\">allocations" +
       (hidden_types > 0
            ? " (" + N(static_cast<int64_t>(hidden_types)) + " builtin type objects not drawn)"
            : std::string()) +
       "</text>\n";
  for (size_t k = 0; k < objects.size(); ++k) {
    const ObjectEntry& ob = *objects[k];
    const int y = obj_y0 + static_cast<int>(k) * kObjRow;
    const int64_t from = std::max<int64_t>(ob.alloc_column, 0);
    const bool leaked = ob.free_column < 0;
    const int64_t to = leaked ? cols - 1 : ob.free_column;
    const int x1 = ColumnX(from) + 8;
    const int x2 = ColumnX(std::max(to, from)) + kCol - 8;
    std::string cls = "bar";
    if (ob.named) cls += " named";
    if (ob.frees > 1) {
      cls += " twice";
    } else if (leaked) {
      cls += " leak";
    }
    const std::string name = "#" + N(static_cast<int64_t>(ob.id)) +
                             (ob.type_object ? " type" : " object") +
                             (ob.vm >= 0 ? " vm" + N(ob.vm) : "");
    std::string title = name + ": allocated in column " + N(ob.alloc_column);
    title += leaked ? ", never freed" : ", freed in column " + N(ob.free_column);
    if (ob.frees > 1) title += ", freed " + N(ob.frees) + " times";
    o += "<text class=\"obj-label" + std::string(ob.named ? " named" : "") + "\" x=\"10\" y=\"" +
         N(y + 14) + "\">" + E(name) + "</text>";
    o += "<rect class=\"" + cls + "\" x=\"" + N(x1) + "\" y=\"" + N(y + 4) + "\" width=\"" +
         N(std::max(x2 - x1, 6)) + "\" height=\"13\" rx=\"3\"><title>" + E(title) +
         "</title></rect>";
    if (leaked || ob.frees > 1) {
      o += "<text class=\"mark free\" x=\"" + N(x2 + 4) + "\" y=\"" + N(y + 15) + "\">" +
           (ob.frees > 1 ? "freed x" + N(ob.frees) : std::string("never freed")) + "</text>";
    }
    // Marks: what happened to a named allocation, per column (one glyph per kind and column).
    std::map<std::pair<int64_t, int>, int> seen;
    for (const HistoryEntry* h : history[ob.id]) {
      const Mark m = MarkOf(*h);
      if (m.glyph[0] == '\0' || h->column < 0) continue;
      if (seen[{h->column, m.slot}]++ > 0) continue;
      o += "<text class=\"mark " + std::string(m.cls) + "\" x=\"" +
           N(ColumnX(h->column) + 22 + m.slot * 14) + "\" y=\"" + N(y + 14) + "\"><title>" +
           E(h->what + ": " + h->text) + "</title>" + m.glyph + "</text>";
    }
    o += "\n";
  }
  // The violation: a rule through every lane and bar at its column, and its kind on top.
  if (r.verdict.column >= 0) {
    const int x = ColumnX(r.verdict.column) + kCol / 2;
    o += "<line class=\"vrule\" x1=\"" + N(x) + "\" y1=\"" + N(kTop - 2) + "\" x2=\"" + N(x) +
         "\" y2=\"" + N(height - 4) + "\"/>\n";
    o += "<text class=\"vlabel\" x=\"" + N(x + 6) + "\" y=\"" + N(12) + "\">" +
         E("\xE2\x9A\xA0 " + r.verdict.kind) + "</text>\n";
  }
  o += "</svg>\n";
}

void Header(std::string& o, const FailureReport& r) {
  o += "<header>\n<h1><span class=\"kind\">" + E(r.verdict.kind) + "</span>" + E(r.scenario) +
       "</h1>\n";
  o += "<div class=\"sig\">" + E(r.verdict.signature) + "</div>\n";
  o += "<div class=\"msg\">" + E(r.verdict.message) + "</div>\n";
  std::string faults;
  for (const std::string& f : r.config.faults)
    faults += (faults.empty() ? "" : ", ") + f;
  const Reproduction& rp = r.reproduction;
  std::string rate = rp.runs == 0 ? "not confirmed (--confirm N)"
                                  : N(rp.reproduced) + "/" + N(rp.runs) + " (" +
                                        Percent(rp.reproduced, rp.runs) + ")";
  o += "<div class=\"facts\"><span>at <b>" + E(r.verdict.location) + "</b></span>";
  o += "<span>target <b>" + E(r.config.target) + "</b></span>";
  o += "<span>faults <b>" + E(faults.empty() ? "none" : faults) + "</b></span>";
  o += "<span>strategy <b>" + E(r.config.strategy) + "</b></span>";
  o += "<span>seed <b>" + N(static_cast<int64_t>(r.config.seed)) + "</b> iteration <b>" +
       N(static_cast<int64_t>(r.config.iteration)) + "</b></span>";
  o += "<span>reproduced <span class=\"" +
       std::string(rp.runs > 0 && rp.reproduced == rp.runs ? "rate-ok" : "rate-bad") + "\">" +
       E(rate) + "</span>" + (rp.deterministic ? "" : " (free mode: not bit for bit)") +
       "</span></div>\n";
  if (!rp.conversion.empty()) o += "<div class=\"facts\">" + E(rp.conversion) + "</div>\n";
  if (!r.replay_command.empty()) {
    o += "<div class=\"replay\"><code>" + E(r.replay_command) +
         "</code><button class=\"copy\" type=\"button\" data-text=\"" + E(r.replay_command) +
         "\">copy</button></div>\n";
  }
  o += "</header>\n";
}

void Violations(std::string& o, const FailureReport& r) {
  o += "<h2>What went wrong</h2>\n";
  if (r.verdict.column >= 0) {
    const StepEntry& s = r.steps[static_cast<size_t>(r.verdict.column)];
    o += "<p>The <b>" + E(r.verdict.kind) + "</b> oracle flagged column " + N(r.verdict.column) +
         " (" + E(LaneName(r, s.lane)) + ": <span class=\"mono\">" + E(s.label) +
         "</span>), trace entry <a href=\"#e" + N(static_cast<int64_t>(r.verdict.trace_index)) +
         "\">" + N(static_cast<int64_t>(r.verdict.trace_index)) + "</a>: " + E(r.verdict.message) +
         "</p>\n";
    if (!s.events.empty()) {
      o += "<pre>";
      for (const std::string& ev : s.events)
        o += "<span>" + E(ev) + "</span>";
      o += "</pre>\n";
    }
  } else {
    o += "<p>" + E(r.verdict.message) + " (no trace: the execution's process died" +
         (r.evidence.empty() ? "" : "; its report is in " + E(r.evidence)) + ")</p>\n";
  }
  o += "<table><tr><th>kind</th><th>signature</th><th>where</th><th>message</th></tr>\n";
  for (const ViolationEntry& v : r.violations) {
    const bool hit = v.signature == r.verdict.signature && v.message == r.verdict.message;
    o += std::string(hit ? "<tr class=\"hit\">" : "<tr>") + "<td>" + E(v.kind) +
         "</td><td class=\"mono\">" + E(v.signature) + "</td><td>" + E(v.location) + "</td><td>" +
         E(v.message) + "</td></tr>\n";
  }
  o += "</table>\n";
  o += "<p class=\"legend\">" +
       E(r.violations_source == "replay"
             ? "Every violation the oracles reported (the execution replayed from its schedule)."
             : "The verdict only (free mode, or the process died: no replay to re-judge).") +
       "</p>\n";
}

void Histories(std::string& o, const FailureReport& r) {
  std::map<uint64_t, std::vector<const HistoryEntry*>> by_obj;
  for (const HistoryEntry& h : r.histories)
    by_obj[h.obj].push_back(&h);
  for (const auto& [obj, entries] : by_obj) {
    o += "<h2>History of allocation #" + N(static_cast<int64_t>(obj)) + "</h2>\n";
    o += "<table><tr><th>entry</th><th>thread</th><th>step</th><th>what</th><th>trace</th></tr>\n";
    for (const HistoryEntry* h : entries) {
      std::string step = "-";
      if (h->step >= 0 && h->column >= 0) {
        step = "step " + N(h->step) + ": " + r.steps[static_cast<size_t>(h->column)].label;
      } else if (h->column >= 0) {
        step = r.steps[static_cast<size_t>(h->column)].label;
      }
      const bool hit = h->trace_index == r.verdict.trace_index;
      o += std::string(hit ? "<tr class=\"hit\">" : "<tr>") + "<td><a href=\"#e" +
           N(static_cast<int64_t>(h->trace_index)) + "\">" +
           N(static_cast<int64_t>(h->trace_index)) + "</a></td><td>" + E(h->thread) +
           "</td><td class=\"mono\">" + E(step) + "</td><td>" + E(h->what) +
           "</td><td class=\"mono\">" + E(h->text) + "</td></tr>\n";
    }
    o += "</table>\n";
  }
}

void Threads(std::string& o, const FailureReport& r) {
  o += "<h2>Steps by thread</h2>\n<div class=\"threads\">\n";
  for (const ThreadEntry& t : r.threads) {
    o += "<table><tr><th colspan=\"3\">" + E(t.name) + (t.worker ? " (worker)" : "") +
         "</th></tr>\n";
    for (size_t i = 0; i < t.steps.size(); ++i) {
      const ThreadStep& s = t.steps[i];
      const bool hit = s.column >= 0 && s.column == r.verdict.column;
      o += std::string(hit ? "<tr class=\"hit\">" : "<tr>") + "<td>" + N(static_cast<int64_t>(i)) +
           "</td><td class=\"mono\">" + E(s.text) + "</td><td>" + E(s.result) +
           (s.column >= 0 ? " @" + N(s.column) : "") + "</td></tr>\n";
    }
    o += "</table>\n";
  }
  o += "</div>\n";
}

void Reproduce(std::string& o, const FailureReport& r) {
  o += "<h2>Reproduce</h2>\n<table>\n";
  auto row = [&](const std::string& k, const std::string& v) {
    o += "<tr><th>" + E(k) + "</th><td class=\"mono\">" + E(v) + "</td></tr>\n";
  };
  row("replay", r.replay_command);
  row("repro", r.repro);
  if (!r.evidence.empty()) row("raw report", r.evidence);
  row("target", r.config.target);
  std::string faults;
  for (const std::string& f : r.config.faults)
    faults += (faults.empty() ? "" : " ") + std::string("--fault ") + f;
  row("faults", faults.empty() ? "none" : faults);
  row("strategy", r.config.strategy + (r.config.free_mode ? " (free mode)" : ""));
  row("seed / iteration",
      N(static_cast<int64_t>(r.config.seed)) + " / " + N(static_cast<int64_t>(r.config.iteration)));
  row("decisions", N(static_cast<int64_t>(r.decisions)));
  row("found at", r.timing.found_at.empty() ? "-" : r.timing.found_at);
  o += "</table>\n<details><summary>Schedule</summary><pre><span>" + E(r.schedule) +
       "</span></pre></details>\n";
}

void TraceSection(std::string& o, const FailureReport& r) {
  o += "<details open=\"open\"><summary>Trace (" + N(static_cast<int64_t>(r.trace.size())) +
       " entries)</summary><pre>";
  for (size_t i = 0; i < r.trace.size(); ++i) {
    const bool hit = i == r.verdict.trace_index && r.verdict.column >= 0;
    o += "<span id=\"e" + N(static_cast<int64_t>(i)) + "\"" + (hit ? " class=\"hit\"" : "") + ">" +
         E(r.trace[i]) + (hit ? E("   <-- " + r.verdict.kind) : "") + "</span>";
  }
  o += "</pre></details>\n";
}

}  // namespace

std::string RenderReportHtml(const FailureReport& r) {
  std::string o;
  o.reserve(64 * 1024);
  o += "<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n"
       "<meta charset=\"utf-8\"/>\n"
       "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n";
  o += "<title>" + E(r.verdict.kind + " in " + r.scenario + " - gcstress") + "</title>\n";
  o += "<style>" + std::string(kStyle) + "</style>\n</head>\n<body>\n";
  Header(o, r);
  o += "<main>\n<h2>Timeline</h2>\n";
  o += "<div class=\"legend\"><span><span class=\"sw\" style=\"background:#dbeafe\"></span>ok"
       "</span><span><span class=\"sw\" style=\"background:#fde68a\"></span>error</span>"
       "<span><span class=\"sw\" style=\"background:#f3f4f6\"></span>skipped</span>"
       "<span><span class=\"sw\" style=\"background:#fecaca;border-color:#dc2626\"></span>"
       "violation</span><span><span class=\"sw\" style=\"background:#60a5fa\"></span>allocation "
       "(alloc to free)</span><span><span class=\"sw\" style=\"background:#fdba74\"></span>never "
       "freed</span><span><span class=\"sw\" style=\"background:#f87171\"></span>freed twice"
       "</span><span>marks: + incref, - decref, o reference pool, x free</span></div>\n";
  o += "<div class=\"scroll\">\n";
  Svg(o, r);
  o += "</div>\n";
  Violations(o, r);
  Histories(o, r);
  Threads(o, r);
  Reproduce(o, r);
  TraceSection(o, r);
  o += "</main>\n<script>//<![CDATA[" + std::string(kScript) + "//]]></script>\n</body>\n</html>\n";
  return o;
}

std::optional<InputError> HtmlReporter::ReportFailure(const FailureReport& report) {
  last_path_ = ReportDirOf(report.repro) + "/report.html";
  return WriteFileAtomically(last_path_, RenderReportHtml(report));
}

}  // namespace gcs::reporters
