// gcstress reporters — text and attribute escaping for the XML the reporters write (XHTML, SVG,
// JUnit).
#pragma once

#include <string>
#include <string_view>

namespace gcs::reporters {

// Escapes &, <, >, " and ' as entities; drops the characters XML 1.0 forbids (C0 controls but
// tab, LF and CR) and replaces invalid UTF-8 with U+FFFD, so that any message — an error text
// from a target, a sanitizer line — yields a well-formed document.
std::string XmlEscape(std::string_view text);

}  // namespace gcs::reporters
