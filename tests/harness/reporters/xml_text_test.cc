// gcstress tests — XML escaping: markup characters, forbidden controls, invalid UTF-8.
#include "harness/reporters/xml_text.h"

#include <gtest/gtest.h>

#include "tests/harness/reporters/xml_check.h"

namespace gcs::reporters {
namespace {

TEST(XmlTextTest, EscapesMarkup) {
  EXPECT_EQ(XmlEscape("a<b>&\"c'd"), "a&lt;b&gt;&amp;&quot;c&#39;d");
  EXPECT_EQ(XmlEscape("]]>"), "]]&gt;");
}

TEST(XmlTextTest, DropsForbiddenControlsKeepsWhitespace) {
  EXPECT_EQ(XmlEscape(std::string("a\x01\x1f\tb\nc\rd", 9)), "a\tb\nc\rd");
  EXPECT_EQ(XmlEscape(std::string("x\0y", 3)), "xy");
}

TEST(XmlTextTest, KeepsValidUtf8ReplacesInvalid) {
  EXPECT_EQ(XmlEscape("\xE2\x86\x92 \xC3\xA9"), "\xE2\x86\x92 \xC3\xA9");
  EXPECT_EQ(XmlEscape("\xff"), "\xEF\xBF\xBD");
  EXPECT_EQ(XmlEscape("\xC0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD");                  // overlong NUL
  EXPECT_EQ(XmlEscape("\xED\xA0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // surrogate
  EXPECT_EQ(XmlEscape("\xE2\x86"), "\xEF\xBF\xBD\xEF\xBF\xBD");                  // cut short
}

TEST(XmlTextTest, AnyBytesMakeWellFormedText) {
  std::string all;
  for (int c = 0; c < 256; ++c)
    all += static_cast<char>(c);
  const auto x = testing::CheckXml("<a t=\"" + XmlEscape(all) + "\">" + XmlEscape(all) + "</a>");
  EXPECT_TRUE(x.ok) << x.error;
}

}  // namespace
}  // namespace gcs::reporters
