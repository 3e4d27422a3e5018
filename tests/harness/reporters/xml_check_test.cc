// gcstress tests — the test's own XML checker rejects what is not well-formed (so that its
// "ok" on a report means something).
#include "tests/harness/reporters/xml_check.h"

#include <gtest/gtest.h>

namespace gcs::reporters::testing {
namespace {

TEST(XmlCheckTest, AcceptsWellFormedDocuments) {
  for (const char* doc :
       {"<a/>",
        "<?xml version=\"1.0\"?>\n<a x='1' y=\"2\"><b>t &amp; &#65;&#x42;</b><!-- c --></a>",
        "<!DOCTYPE html>\n<html><script>//<![CDATA[\nif (a < b && c) {}\n//]]></script></html>"}) {
    const XmlCheck x = CheckXml(doc);
    EXPECT_TRUE(x.ok) << doc << ": " << x.error;
  }
  const XmlCheck x = CheckXml("<a k=\"&lt;v&gt;\">x<b>y</b>z</a>");
  ASSERT_TRUE(x.ok);
  EXPECT_EQ(x.elements[0].text, "xyz");
  EXPECT_EQ(x.elements[0].attributes[0].second, "<v>");
}

TEST(XmlCheckTest, RejectsMalformedDocuments) {
  for (const char* doc :
       {"", "<a>", "<a></b>", "<a><b></a></b>", "<a x=1/>", "<a x=\"1\" x=\"2\"/>", "<a>&nbsp;</a>",
        "<a>&#0;</a>", "<a x=\"<\"/>", "<a/><b/>", "text", "<a>]]></a>", "<a><!-- -- --></a>",
        "<a><![CDATA[x</a>", "<br>", "<a x=\"1\"y=\"2\"/>", "<1a/>"}) {
    EXPECT_FALSE(CheckXml(doc).ok) << doc;
  }
}

}  // namespace
}  // namespace gcs::reporters::testing
