// gcstress tests — a small XML well-formedness checker for the documents the reporters write.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace gcs::reporters::testing {

struct XmlElement {
  std::string name;
  std::vector<std::pair<std::string, std::string>> attributes;  // values unescaped
  std::string text;  // its character data and its descendants', unescaped
  size_t depth = 0;
};

struct XmlCheck {
  bool ok = false;
  std::string error;                 // "offset N: why"
  std::vector<XmlElement> elements;  // in document order
};

// Checks what the XML 1.0 spec calls well-formedness, for the subset our documents may use: an
// optional XML declaration and DOCTYPE (without an internal subset), comments, CDATA sections,
// processing instructions, elements with quoted unique attributes, the five predefined entities
// and numeric character references; exactly one root element; every tag closed in order; no '<'
// in attribute values; no "]]>" in text. Names are [A-Za-z_:][-A-Za-z0-9_:.]*.
XmlCheck CheckXml(std::string_view doc);

}  // namespace gcs::reporters::testing
