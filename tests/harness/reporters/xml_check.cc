// gcstress tests — the XML well-formedness checker: a recursive-descent reader over the subset.
#include "tests/harness/reporters/xml_check.h"

#include <cstdint>
#include <set>

namespace gcs::reporters::testing {
namespace {

bool NameStart(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' || c == ':';
}
bool NameChar(char c) {
  return NameStart(c) || (c >= '0' && c <= '9') || c == '-' || c == '.';
}

class Reader {
 public:
  explicit Reader(std::string_view doc) : d_(doc) {}

  XmlCheck Run() {
    XmlCheck out;
    try {
      Prolog();
      if (!At("<")) Fail("expected the root element");
      Element(0);
      Misc();
      if (p_ != d_.size()) Fail("content after the root element");
      out.ok = true;
    } catch (const std::string& e) {
      const size_t from = p_ < 40 ? 0 : p_ - 40;
      out.error = "offset " + std::to_string(p_) + ": " + e + " (near \"" +
                  std::string(d_.substr(from, 80)) + "\")";
    }
    out.elements = std::move(elements_);
    return out;
  }

 private:
  [[noreturn]] void Fail(const std::string& why) { throw why; }
  bool At(std::string_view s) const { return d_.substr(p_, s.size()) == s; }
  void Expect(std::string_view s) {
    if (!At(s)) Fail("expected \"" + std::string(s) + "\"");
    p_ += s.size();
  }
  void Spaces() {
    while (p_ < d_.size() && (d_[p_] == ' ' || d_[p_] == '\n' || d_[p_] == '\t' || d_[p_] == '\r'))
      ++p_;
  }
  std::string Name() {
    if (p_ >= d_.size() || !NameStart(d_[p_])) Fail("expected a name");
    const size_t start = p_;
    while (p_ < d_.size() && NameChar(d_[p_]))
      ++p_;
    return std::string(d_.substr(start, p_ - start));
  }
  void SkipPast(std::string_view end, const char* what) {
    const size_t e = d_.find(end, p_);
    if (e == std::string_view::npos) Fail(std::string("unterminated ") + what);
    p_ = e + end.size();
  }
  void Comment() {
    Expect("<!--");
    const size_t e = d_.find("--", p_);
    if (e == std::string_view::npos || d_.substr(e, 3) != "-->") Fail("\"--\" inside a comment");
    p_ = e + 3;
  }
  void Misc() {
    for (;;) {
      Spaces();
      if (At("<!--")) {
        Comment();
      } else if (At("<?")) {
        SkipPast("?>", "processing instruction");
      } else {
        return;
      }
    }
  }
  void Prolog() {
    if (At("<?xml")) SkipPast("?>", "XML declaration");
    Misc();
    if (At("<!DOCTYPE")) {
      p_ += 9;
      const size_t e = d_.find('>', p_);
      if (e == std::string_view::npos) Fail("unterminated DOCTYPE");
      if (d_.substr(p_, e - p_).find('[') != std::string_view::npos) Fail("internal subset");
      p_ = e + 1;
    }
    Misc();
  }
  // An entity or character reference at p_ ('&'), appended to out unescaped (as UTF-8).
  void Reference(std::string& out) {
    const size_t semi = d_.find(';', p_);
    if (semi == std::string_view::npos || semi - p_ > 12) Fail("bad reference");
    const std::string_view ref = d_.substr(p_ + 1, semi - p_ - 1);
    static const std::pair<std::string_view, char> kNamed[] = {
        {"amp", '&'}, {"lt", '<'}, {"gt", '>'}, {"quot", '"'}, {"apos", '\''}};
    bool done = false;
    for (const auto& [name, c] : kNamed) {
      if (ref == name) {
        out += c;
        done = true;
      }
    }
    if (!done) {
      if (ref.size() < 2 || ref[0] != '#') Fail("unknown entity &" + std::string(ref) + ";");
      const bool hex = ref[1] == 'x';
      const std::string_view digits = ref.substr(hex ? 2 : 1);
      if (digits.empty()) Fail("empty character reference");
      uint32_t cp = 0;
      for (char c : digits) {
        int v = -1;
        if (c >= '0' && c <= '9') v = c - '0';
        if (hex && c >= 'a' && c <= 'f') v = c - 'a' + 10;
        if (hex && c >= 'A' && c <= 'F') v = c - 'A' + 10;
        if (v < 0 || cp > 0x10FFFF) Fail("bad character reference");
        cp = cp * (hex ? 16 : 10) + static_cast<uint32_t>(v);
      }
      if (cp == 0 || cp > 0x10FFFF || (cp < 0x20 && cp != 9 && cp != 10 && cp != 13)) {
        Fail("character reference to a forbidden character");
      }
      out += cp < 0x80 ? std::string(1, static_cast<char>(cp)) : std::string("?");
    }
    p_ = semi + 1;
  }
  void Element(size_t depth) {
    Expect("<");
    const size_t index = elements_.size();
    elements_.push_back(XmlElement{Name(), {}, "", depth});
    std::set<std::string> seen;
    for (;;) {
      const size_t before = p_;
      Spaces();
      if (At("/>")) {
        p_ += 2;
        return;
      }
      if (At(">")) {
        ++p_;
        break;
      }
      if (p_ == before) Fail("expected whitespace before an attribute");
      const std::string attr = Name();
      if (!seen.insert(attr).second) Fail("duplicate attribute " + attr);
      Spaces();
      Expect("=");
      Spaces();
      if (p_ >= d_.size() || (d_[p_] != '"' && d_[p_] != '\'')) Fail("unquoted attribute value");
      const char quote = d_[p_++];
      std::string value;
      while (p_ < d_.size() && d_[p_] != quote) {
        if (d_[p_] == '<') Fail("'<' in an attribute value");
        if (d_[p_] == '&') {
          Reference(value);
        } else {
          value += d_[p_++];
        }
      }
      Expect(std::string_view(&quote, 1));
      elements_[index].attributes.emplace_back(attr, value);
    }
    Content(index, depth);
    Expect("</");
    const std::string close = Name();
    if (close != elements_[index].name) {
      Fail("</" + close + "> closes <" + elements_[index].name + ">");
    }
    Spaces();
    Expect(">");
  }
  void Content(size_t index, size_t depth) {
    for (;;) {
      if (p_ >= d_.size()) Fail("unclosed <" + elements_[index].name + ">");
      if (At("</")) return;
      if (At("<!--")) {
        Comment();
      } else if (At("<![CDATA[")) {
        p_ += 9;
        const size_t e = d_.find("]]>", p_);
        if (e == std::string_view::npos) Fail("unterminated CDATA");
        elements_[index].text += d_.substr(p_, e - p_);
        p_ = e + 3;
      } else if (At("<?")) {
        SkipPast("?>", "processing instruction");
      } else if (At("<")) {
        const size_t child = elements_.size();
        Element(depth + 1);
        // A child's text is part of its ancestors' text (what "contains" means for a reader).
        for (size_t k = child; k < elements_.size(); ++k) {
          if (elements_[k].depth == depth + 1) elements_[index].text += elements_[k].text;
        }
      } else if (d_[p_] == '&') {
        Reference(elements_[index].text);
      } else {
        if (At("]]>")) Fail("\"]]>\" in text");
        elements_[index].text += d_[p_++];
      }
    }
  }

  std::string_view d_;
  size_t p_ = 0;
  std::vector<XmlElement> elements_;
};

}  // namespace

XmlCheck CheckXml(std::string_view doc) {
  return Reader(doc).Run();
}

}  // namespace gcs::reporters::testing
