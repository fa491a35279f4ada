// The one list of hidden characters (text/visible.hpp) and how core shows them.
#include <string>

#include <catch2/catch.hpp>

#include "text/hostname.hpp"
#include "text/quote.hpp"
#include "text/visible.hpp"

using namespace relaycheck::text;

TEST_CASE("each kind of hidden character is classified", "[text][hidden]") {
  for (char32_t c : {0x00u, 0x1Bu, 0x7Fu, 0x85u, 0x9Bu}) CHECK(classify(c) == Hidden::control);
  for (char32_t c : {0x061Cu, 0x200Eu, 0x200Fu, 0x202Au, 0x202Eu, 0x2066u, 0x2069u})
    CHECK(classify(c) == Hidden::bidi);
  for (char32_t c : {0x00ADu, 0x180Eu, 0x200Bu, 0x200Du, 0x2060u, 0x2064u, 0xFE0Fu, 0xFEFFu,
                     0xE0001u, 0xE007Fu, 0xE0100u})
    CHECK(classify(c) == Hidden::format);
  for (char32_t c : {0x00A0u, 0x2002u, 0x2028u, 0x202Fu, 0x3000u})
    CHECK(classify(c) == Hidden::space);
  for (char32_t c : {0x20u, 0x41u, 0xA1u, 0xE9u, 0x05D0u, 0x0627u, 0x2010u, 0x20ACu, 0x1F600u})
    CHECK(classify(c) == Hidden::none);
}

TEST_CASE("visible() marks hidden characters and keeps every other byte", "[text][hidden]") {
  CHECK(visible("smtp.\xE2\x80\xAEmoc.rekylz") == "smtp.‹U+202E›moc.rekylz");
  CHECK(visible("a\xE2\x80\x8B"
                "b\xC2\xAD"
                "c") == "a‹U+200B›b‹U+00AD›c");
  CHECK(visible("tag\xF3\xA0\x80\x81") == "tag‹U+E0001›");
  CHECK(visible("a\x1b"
                "b\n") == "a‹U+001B›b‹U+000A›");
  CHECK(visible("a\x1b"
                "b\n\t",
                ShowOptions{true, false}) == "a‹U+001B›b\n\t");
  CHECK(visible("a\x1b"
                "b\xC2\x9B",
                ShowOptions{false, true}) == "a\\u001Bb\\u009B");
  CHECK(visible("bücher ‏שלום") == "bücher ‹U+200F›שלום");
  // Bytes that are not UTF-8 pass through as they are, and never swallow what follows.
  CHECK(visible(std::string("a\xFF\xE2\x80\xAE", 5)) == "a\xFF‹U+202E›");
  CHECK(visible(std::string("a\xE2\x80", 3)) == std::string("a\xE2\x80", 3));
}

TEST_CASE("hidden_in() finds every hidden character with its offset", "[text][hidden]") {
  const auto found = hidden_in(
      "ab\xE2\x80\xAE"
      "c\xE2\x80\x8B");
  REQUIRE(found.size() == 2);
  CHECK(found[0].code_point == 0x202E);
  CHECK(found[0].kind == Hidden::bidi);
  CHECK(found[0].offset == 2);
  CHECK(found[1].code_point == 0x200B);
  CHECK(found[1].offset == 6);
  CHECK(hidden_in("plain zylker.com").empty());
  CHECK(describe(0x202E) == "a right-to-left override");
  CHECK(effect(0x202E) == "makes the text after it display reversed");
  CHECK(code_point_name(0x1F600) == "U+1F600");
  CHECK(code_point_name(0xE0001) == "U+E0001");
  CHECK(code_point_name(0x61C) == "U+061C");
}

TEST_CASE("a quoted value cannot reorder the message around it", "[text][hidden]") {
  CHECK(quote("zylker\xE2\x80\xAEmoc.") == "'zylker‹U+202E›moc.'");
  CHECK(quote("a\xE2\x81\xA6"
              "b") == "'a‹U+2066›b'");
  CHECK(shorten("smtp\xE2\x80\x8B.zylker.com") == "smtp‹U+200B›.zylker.com");
}

TEST_CASE("a host name with a hidden character is refused, the character shown", "[text][hidden]") {
  const auto rlo = parse_host_name("smtp.zyl\xE2\x80\xAEker.com");
  REQUIRE_FALSE(rlo);
  CHECK(rlo.error ==
        "the label \"zyl‹U+202E›ker\" contains U+202E (a right-to-left override), which host "
        "names do not allow");
  // U+061C was let through before the one list existed.
  CHECK_FALSE(parse_host_name("zyl\xD8\x9Cker.com"));
  CHECK_FALSE(parse_host_name("zyl\xE1\xA0\x8Eker.com"));  // U+180E
}
